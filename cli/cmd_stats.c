/* trawl stats: counts per source and type, and what was skipped.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include "cli/cli.h"
#include "cli/query.h"
#include "trawl/trawl.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: trawl stats [--index DIR] [--format text|json] [-o FILE]\n"
	           "\n"
	           "Counts the records and findings in the index by type, and lists every source\n"
	           "with its kind and counts and every input that was skipped, with the reason.\n"
	           "\n"
	           "  --index DIR           the index folder (default " TRAWL_DEFAULT_INDEX ")\n"
	           "  --format FORMAT       text (default) or json\n"
	           "  -o FILE               write to FILE\n");
}

static trawl_status_t
render(FILE *out, const void *result, trawl_format_t format)
{
	return trawl_report_stats(out, result, format);
}

int
trawl_cmd_stats(int argc, char **argv)
{
	static const trawl_format_t formats[] = {TRAWL_FORMAT_TEXT, TRAWL_FORMAT_JSON, (trawl_format_t)-1};
	const trawl_cli_query_spec_t spec = {
		.cmd = "stats",
		.usage = usage,
		.output = true,
		.default_format = TRAWL_FORMAT_TEXT,
		.formats = formats,
	};
	trawl_cli_query_t q;
	trawl_index_t *idx = NULL;
	trawl_stats_t *stats = NULL;
	int status = trawl_cli_query_parse(&q, &spec, argc, argv);
	if (status >= 0)
		goto done;
	status = TRAWL_EXIT_FATAL;
	if (!(idx = trawl_cli_query_open(&q)))
		goto done;
	trawl_status_t rc = trawl_index_stats(idx, &stats);
	if (rc < 0) {
		trawl_cli_query_error(&q, idx, rc);
		goto done;
	}
	status = trawl_cli_query_write(&q, render, stats);
done:
	trawl_stats_free(stats);
	trawl_index_free(idx);
	trawl_cli_query_free(&q);
	return status;
}
