/* trawl access: everything the index holds about one person.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/cli.h"
#include "cli/query.h"
#include "trawl/trawl.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: trawl access [--index DIR] SELECTOR... [--format json|csv|html|mbox] [-o FILE]\n"
	           "\n"
	           "Lists every message in the index that holds an identifier of one person, with\n"
	           "what was found where (values masked), for a subject access request.\n"
	           "\n"
	           "  --email ADDR          the person's e-mail address (repeatable)\n"
	           "  --name \"FULL NAME\"    the person's name (repeatable)\n"
	           "  --phone NUMBER        the person's phone number (repeatable)\n"
	           "  --index DIR           the index folder (default " TRAWL_DEFAULT_INDEX ")\n"
	           "  --format FORMAT       json (default), csv (a row a message), html (a page\n"
	           "                        for the person to read) or mbox (the messages\n"
	           "                        themselves, read again from their sources)\n"
	           "  -o FILE               write the report to FILE\n"
	           "\n"
	           "The html page shows each finding in context: the messages are read again\n"
	           "from their sources, and the words around it shown with the person's data\n"
	           "masked and everyone else's replaced.\n"
	           "  --no-context          do not read the sources again: no excerpts\n"
	           "  --max-excerpts N      excerpts a message at most (default 5)\n"
	           "  --lang LANG           the page's language: en (default) or de\n"
	           "  --rules DIR           rules used for the scan, so that what they find is\n"
	           "                        masked in excerpts too\n");
}

enum { OPT_NO_CONTEXT = 3000, OPT_MAX_EXCERPTS, OPT_LANG, OPT_RULES };

typedef struct {
	bool no_context;
	size_t max_excerpts;
	const char *lang;
	const char *rules;
} html_args_t;

static int
extra(int opt, const char *arg, void *payload)
{
	html_args_t *h = payload;
	char *end = NULL;
	switch (opt) {
	case OPT_NO_CONTEXT:
		h->no_context = true;
		return 0;
	case OPT_MAX_EXCERPTS: {
		errno = 0;
		unsigned long n = strtoul(arg, &end, 10);
		if (errno || !*arg || *end || n < 1 || n > 1000 || arg[0] == '-') {
			fprintf(stderr, "trawl access: --max-excerpts takes a number from 1 to 1000: %s\n", arg);
			return -1;
		}
		h->max_excerpts = n;
		return 0;
	}
	case OPT_LANG:
		if (strcmp(arg, "en") != 0 && strcmp(arg, "de") != 0) {
			fprintf(stderr, "trawl access: --lang is en or de: %s\n", arg);
			return -1;
		}
		h->lang = arg;
		return 0;
	case OPT_RULES:
		h->rules = arg;
		return 0;
	}
	return -1;
}

typedef struct {
	const trawl_access_t *access;
	trawl_html_opts_t html;
} report_t;

static trawl_status_t
render(FILE *out, const void *result, trawl_format_t format)
{
	const report_t *r = result;
	if (format == TRAWL_FORMAT_HTML)
		return trawl_report_access_html(out, r->access, &r->html);
	return trawl_report_access(out, r->access, format);
}

/* The page's date: now, or SOURCE_DATE_EPOCH for reproducible output. */
static int64_t
report_date(void)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end = NULL;
	if (e && *e) {
		long long v = strtoll(e, &end, 10);
		if (!*end && v > 0)
			return v;
	}
	return (int64_t)time(NULL);
}

/* Reads the messages again for the excerpts of the page. Returns an exit
 * status, or -1 to go on (with *out set, or NULL without excerpts). */
static int
collect(trawl_index_t *idx, const trawl_access_t *a, const html_args_t *h, trawl_evidence_t **out)
{
	trawl_detector_set_t *set = NULL;
	trawl_people_t *people = NULL;
	const char **names = NULL;
	size_t n_names = 0;
	char *err = NULL;
	trawl_detect_opts_t dopts = {.rules_dir = h->rules};
	int status = -1;
	*out = NULL;
	/* everyone the archive's headers name: hidden in excerpts even where
	 * no detector sees a name */
	trawl_status_t rc = trawl_index_people(idx, &people);
	if (rc < 0) {
		fprintf(stderr, "trawl access: %s\n", trawl_status_str(rc));
		status = TRAWL_EXIT_FATAL;
		goto done;
	}
	size_t total = 0;
	for (size_t i = 0; i < people->len; i++)
		total += people->items[i].n_names;
	if (!(names = calloc(total ? total : 1, sizeof *names))) {
		fprintf(stderr, "trawl access: out of memory\n");
		status = TRAWL_EXIT_FATAL;
		goto done;
	}
	for (size_t i = 0; i < people->len; i++)
		for (size_t j = 0; j < people->items[i].n_names; j++)
			names[n_names++] = people->items[i].names[j];
	rc = trawl_detector_set_new(&set, &dopts, &err);
	if (rc < 0) {
		fprintf(stderr, "trawl access: %s\n", err ? err : trawl_status_str(rc));
		status = rc == TRAWL_ERULES ? TRAWL_EXIT_USAGE : TRAWL_EXIT_FATAL;
		goto done;
	}
	trawl_cli_catch_signals();
	trawl_evidence_opts_t eopts = {.detectors = set, .names = names, .n_names = n_names,
	                               .max_snippets = h->max_excerpts, .stop = &trawl_cli_stop};
	rc = trawl_evidence_collect(out, a, &eopts);
	if (rc < 0) {
		fprintf(stderr, "trawl access: %s\n", rc == TRAWL_EINTR ? "interrupted" : trawl_status_str(rc));
		status = TRAWL_EXIT_FATAL;
		goto done;
	}
	size_t lost = (*out)->n_gone + (*out)->n_changed;
	if (lost)
		fprintf(stderr,
		        "trawl access: note: %zu message%s could not be read again (source gone or changed since "
		        "the scan): no excerpt%s\n",
		        lost, lost == 1 ? "" : "s", lost == 1 ? "" : "s");
done:
	if (status >= 0) {
		trawl_evidence_free(*out);
		*out = NULL;
	}
	free(err);
	free(names);
	trawl_people_free(people);
	trawl_detector_set_free(set);
	return status;
}

int
trawl_cmd_access(int argc, char **argv)
{
	static const trawl_format_t formats[] = {TRAWL_FORMAT_JSON, TRAWL_FORMAT_CSV, TRAWL_FORMAT_HTML,
	                                         TRAWL_FORMAT_MBOX, (trawl_format_t)-1};
	static const struct option options[] = {
		{"no-context", no_argument, NULL, OPT_NO_CONTEXT},
		{"max-excerpts", required_argument, NULL, OPT_MAX_EXCERPTS},
		{"lang", required_argument, NULL, OPT_LANG},
		{"rules", required_argument, NULL, OPT_RULES},
		{NULL, 0, NULL, 0},
	};
	html_args_t h = {0};
	const trawl_cli_query_spec_t spec = {
		.cmd = "access",
		.usage = usage,
		.selectors = true,
		.output = true,
		.default_format = TRAWL_FORMAT_JSON,
		.formats = formats,
		.extra_options = options,
		.extra = extra,
		.payload = &h,
	};
	trawl_cli_query_t q;
	trawl_index_t *idx = NULL;
	trawl_access_t *access = NULL;
	trawl_evidence_t *evidence = NULL;
	int status = trawl_cli_query_parse(&q, &spec, argc, argv);
	if (status >= 0)
		goto done;
	status = TRAWL_EXIT_FATAL;
	if (!(idx = trawl_cli_query_open(&q)))
		goto done;
	trawl_status_t rc = trawl_index_access(idx, &q.sel, &access);
	if (rc < 0) {
		trawl_cli_query_error(&q, idx, rc);
		status = rc == TRAWL_EINVAL ? TRAWL_EXIT_USAGE : TRAWL_EXIT_FATAL;
		goto done;
	}
	if (access->restricted && (q.format == TRAWL_FORMAT_CSV || q.format == TRAWL_FORMAT_MBOX))
		fprintf(stderr, "trawl access: note: processing of this person's data is restricted since %s%s%s\n",
		        access->restricted->since, access->restricted->reason ? ": " : "",
		        access->restricted->reason ? access->restricted->reason : "");
	if (q.format == TRAWL_FORMAT_MBOX) {
		status = trawl_cli_access_mbox(&q, access);
		goto done;
	}
	report_t r = {.access = access};
	if (q.format == TRAWL_FORMAT_HTML) {
		if (!h.no_context && (status = collect(idx, access, &h, &evidence)) >= 0)
			goto done;
		r.html = (trawl_html_opts_t){.lang = h.lang, .evidence = evidence, .generated = report_date()};
	}
	status = trawl_cli_query_write(&q, render, &r);
done:
	trawl_evidence_free(evidence);
	trawl_access_free(access);
	trawl_index_free(idx);
	trawl_cli_query_free(&q);
	return status;
}
