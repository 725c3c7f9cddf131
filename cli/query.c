/* Options and index handling shared by access, erase, subjects and stats.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli/query.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"

enum { OPT_INDEX = 2000, OPT_EMAIL, OPT_NAME, OPT_PHONE, OPT_FORMAT };

static int
usage_error(const trawl_cli_query_spec_t *spec, const char *what, const char *arg)
{
	if (what)
		fprintf(stderr, "trawl %s: %s%s%s\n", spec->cmd, what, arg ? ": " : "", arg ? arg : "");
	spec->usage(stderr);
	return TRAWL_EXIT_USAGE;
}

int
trawl_cli_query_parse(trawl_cli_query_t *q, const trawl_cli_query_spec_t *spec, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"index", required_argument, NULL, OPT_INDEX},
		{"email", required_argument, NULL, OPT_EMAIL},
		{"name", required_argument, NULL, OPT_NAME},
		{"phone", required_argument, NULL, OPT_PHONE},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char **emails = NULL, **names = NULL, **phones = NULL;
	struct option *opts = NULL;
	size_t n_common = sizeof longopts / sizeof *longopts - 1, n_extra = 0;
	int opt, status = -1;

	memset(q, 0, sizeof *q);
	q->cmd = spec->cmd;
	q->dir = TRAWL_DEFAULT_INDEX;
	q->format = spec->default_format;
	/* every selector is one option and its argument: argc bounds them all */
	emails = calloc((size_t)argc, sizeof *emails);
	names = calloc((size_t)argc, sizeof *names);
	phones = calloc((size_t)argc, sizeof *phones);
	q->sel.emails = emails;
	q->sel.names = names;
	q->sel.phones = phones;
	while (spec->extra_options && spec->extra_options[n_extra].name)
		n_extra++;
	opts = calloc(n_common + n_extra + 1, sizeof *opts);
	if (opts) {
		memcpy(opts, longopts, n_common * sizeof *opts);
		if (n_extra)
			memcpy(opts + n_common, spec->extra_options, n_extra * sizeof *opts);
	}
	if (!emails || !names || !phones || !opts) {
		fprintf(stderr, "trawl %s: out of memory\n", spec->cmd);
		status = TRAWL_EXIT_FATAL;
		goto done;
	}
	optind = 1;
	opterr = 1;
	while ((opt = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_INDEX:
			if (!*optarg) {
				status = usage_error(spec, "--index needs a folder", NULL);
				goto done;
			}
			q->dir = optarg;
			break;
		case OPT_EMAIL:
		case OPT_NAME:
		case OPT_PHONE:
			if (!spec->selectors) {
				status = usage_error(spec, "this command takes no selector", NULL);
				goto done;
			}
			if (!*optarg) {
				status = usage_error(spec, "empty selector", NULL);
				goto done;
			}
			if (opt == OPT_EMAIL)
				emails[q->sel.n_emails++] = optarg;
			else if (opt == OPT_NAME)
				names[q->sel.n_names++] = optarg;
			else
				phones[q->sel.n_phones++] = optarg;
			break;
		case OPT_FORMAT: {
			int f = trawl_format_from_name(optarg);
			bool ok = false;
			for (const trawl_format_t *p = spec->formats; f >= 0 && (int)*p >= 0; p++)
				ok |= (int)*p == f;
			if (!ok) {
				status = usage_error(spec, "unknown format", optarg);
				goto done;
			}
			q->format = (trawl_format_t)f;
			break;
		}
		case 'o':
			if (!spec->output) {
				status = usage_error(spec, "this command takes no -o", NULL);
				goto done;
			}
			q->output = optarg;
			break;
		case 'h':
			spec->usage(stdout);
			status = TRAWL_EXIT_OK;
			goto done;
		default:
			if (opt >= 3000 && spec->extra && spec->extra(opt, optarg, spec->payload) == 0)
				break;
			/* getopt or extra() said what */
			status = usage_error(spec, NULL, NULL);
			goto done;
		}
	}
	if (optind < argc) {
		status = usage_error(spec, "unexpected argument", argv[optind]);
		goto done;
	}
	if (spec->selectors && !q->sel.n_emails && !q->sel.n_names && !q->sel.n_phones)
		status = usage_error(spec, "no selector: give --email, --name or --phone", NULL);
done:
	free(opts);
	return status;
}

void
trawl_cli_query_free(trawl_cli_query_t *q)
{
	free((void *)q->sel.emails);
	free((void *)q->sel.names);
	free((void *)q->sel.phones);
	memset(&q->sel, 0, sizeof q->sel);
}

void
trawl_cli_query_error(const trawl_cli_query_t *q, trawl_index_t *idx, trawl_status_t rc)
{
	const char *what = idx ? trawl_index_last_error(idx) : "";
	fprintf(stderr, "trawl %s: %s: %s\n", q->cmd, q->dir, *what ? what : trawl_status_str(rc));
}

trawl_index_t *
trawl_cli_query_open(const trawl_cli_query_t *q)
{
	trawl_index_t *idx = NULL;
	trawl_status_t rc = trawl_index_open(&idx, q->dir, TRAWL_INDEX_READ);
	if (rc < 0) {
		trawl_cli_query_error(q, idx, rc);
		trawl_index_free(idx);
		return NULL;
	}
	return idx;
}

trawl_index_t *
trawl_cli_query_open_write(const trawl_cli_query_t *q)
{
	trawl_index_t *idx = trawl_cli_query_open(q); /* there must be one */
	if (!idx)
		return NULL;
	trawl_index_free(idx);
	idx = NULL;
	trawl_status_t rc = trawl_index_open(&idx, q->dir, TRAWL_INDEX_WRITE);
	if (rc < 0) {
		trawl_cli_query_error(q, idx, rc);
		trawl_index_free(idx);
		return NULL;
	}
	return idx;
}

int
trawl_cli_query_write(const trawl_cli_query_t *q,
                      trawl_status_t (*render)(FILE *out, const void *result, trawl_format_t format),
                      const void *result)
{
	FILE *out = trawl_cli_open_output(q->output);
	if (!out)
		return TRAWL_EXIT_FATAL;
	trawl_status_t rc = render(out, result, q->format);
	if (rc < 0 && rc != TRAWL_EIO) { /* a write error is reported on closing */
		const char *name = q->output && strcmp(q->output, "-") ? q->output : "standard output";
		fprintf(stderr, "trawl %s: %s: %s\n", q->cmd, name, trawl_status_str(rc));
	}
	if (trawl_cli_close_output(out, q->output) < 0 && rc == TRAWL_OK)
		rc = TRAWL_EIO;
	if (rc < 0 && q->output && strcmp(q->output, "-") != 0)
		unlink(q->output); /* no half report left behind */
	return rc < 0 ? TRAWL_EXIT_FATAL : TRAWL_EXIT_OK;
}
