/* trawl retention: what personal data the archives hold beyond a retention
 * period, by message date: the sources and messages, with counts by type.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/cli.h"
#include "cli/query.h"
#include "trawl/trawl.h"

enum { OPT_OLDER_THAN = 3000 };

typedef struct {
	const char *older_than;
	int64_t before;
	bool ok;
} retention_opts_t;

static void
usage(FILE *f)
{
	fprintf(f, "usage: trawl retention [--index DIR] --older-than AGE [--format json|csv] [-o FILE]\n"
	           "\n"
	           "Lists the sources and messages holding personal data that are older than AGE\n"
	           "(by the message's date), with counts by type of data: what a retention\n"
	           "policy says should be gone. Messages without a date are counted, not listed.\n"
	           "\n"
	           "  --older-than AGE      a number and a unit: 2y (years), 18m (months),\n"
	           "                        6w (weeks) or 90d (days)\n"
	           "  --index DIR           the index folder (default " TRAWL_DEFAULT_INDEX ")\n"
	           "  --format FORMAT       json (default) or csv (a row a message)\n"
	           "  -o FILE               write the report to FILE\n");
}

/* The moment AGE before now, in Unix seconds, into *out; false when AGE is
 * not one. Years and months go by the calendar, so 1y before 29 February
 * is 1 March. */
static bool
cutoff(const char *age, time_t now, int64_t *out)
{
	char *end;
	errno = 0;
	long n = strtol(age, &end, 10);
	if (errno || end == age || n < 0 || n > 100000 || !end[0] || end[1] || age[0] == '-' || age[0] == '+')
		return false;
	struct tm tm;
	gmtime_r(&now, &tm);
	switch (end[0]) {
	case 'y': tm.tm_year -= (int)n; break;
	case 'm': tm.tm_mon -= (int)n; break;
	case 'w': tm.tm_mday -= (int)n * 7; break;
	case 'd': tm.tm_mday -= (int)n; break;
	default: return false;
	}
	*out = (int64_t)timegm(&tm);
	return true;
}

static int
option(int opt, const char *arg, void *payload)
{
	retention_opts_t *o = payload;
	if (opt != OPT_OLDER_THAN)
		return -1;
	o->older_than = arg;
	if (!cutoff(arg, time(NULL), &o->before)) {
		fprintf(stderr, "trawl retention: --older-than %s: give a number and y, m, w or d (2y, 18m, 90d)\n",
		        arg);
		return -1;
	}
	o->ok = true;
	return 0;
}

static trawl_status_t
render(FILE *out, const void *result, trawl_format_t format)
{
	return trawl_report_retention(out, result, format);
}

int
trawl_cmd_retention(int argc, char **argv)
{
	static const trawl_format_t formats[] = {TRAWL_FORMAT_JSON, TRAWL_FORMAT_CSV, (trawl_format_t)-1};
	static const struct option extra[] = {
		{"older-than", required_argument, NULL, OPT_OLDER_THAN},
		{NULL, 0, NULL, 0},
	};
	retention_opts_t ro = {0};
	const trawl_cli_query_spec_t spec = {
		.cmd = "retention",
		.usage = usage,
		.output = true,
		.default_format = TRAWL_FORMAT_JSON,
		.formats = formats,
		.extra_options = extra,
		.extra = option,
		.payload = &ro,
	};
	trawl_cli_query_t q;
	trawl_index_t *idx = NULL;
	trawl_retention_t *r = NULL;
	int status = trawl_cli_query_parse(&q, &spec, argc, argv);
	if (status >= 0)
		goto done;
	if (!ro.ok) {
		fprintf(stderr, "trawl retention: --older-than AGE is required\n");
		usage(stderr);
		status = TRAWL_EXIT_USAGE;
		goto done;
	}
	status = TRAWL_EXIT_FATAL;
	if (!(idx = trawl_cli_query_open(&q)))
		goto done;
	trawl_status_t rc = trawl_index_retention(idx, ro.before, &r);
	if (rc < 0) {
		trawl_cli_query_error(&q, idx, rc);
		goto done;
	}
	status = trawl_cli_query_write(&q, render, r);
done:
	trawl_retention_free(r);
	trawl_index_free(idx);
	trawl_cli_query_free(&q);
	return status;
}
