/* trawl subjects: the people the index knows, clustered around their
 * addresses, with what the index links to each (index/link.c).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include "cli/cli.h"
#include "cli/query.h"
#include "trawl/trawl.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: trawl subjects [--index DIR] [--format json|csv] [-o FILE]\n"
	           "\n"
	           "Lists every e-mail address met in From, To, Cc and other address headers, with\n"
	           "the names seen beside it, the number of messages it appears in and how many it\n"
	           "sent, and the identifiers linked to it (masked): phone numbers, postal\n"
	           "addresses and accounts from the signatures of its mail and from contact\n"
	           "records, each with the number of messages that show it. Most frequent first.\n"
	           "Two addresses are never merged because they share a name.\n"
	           "\n"
	           "  --index DIR           the index folder (default " TRAWL_DEFAULT_INDEX ")\n"
	           "  --format FORMAT       json (default) or csv\n"
	           "  -o FILE               write to FILE\n");
}

static trawl_status_t
render(FILE *out, const void *result, trawl_format_t format)
{
	return trawl_report_people(out, result, format);
}

int
trawl_cmd_subjects(int argc, char **argv)
{
	static const trawl_format_t formats[] = {TRAWL_FORMAT_JSON, TRAWL_FORMAT_CSV, (trawl_format_t)-1};
	const trawl_cli_query_spec_t spec = {
		.cmd = "subjects",
		.usage = usage,
		.output = true,
		.default_format = TRAWL_FORMAT_JSON,
		.formats = formats,
	};
	trawl_cli_query_t q;
	trawl_index_t *idx = NULL;
	trawl_people_t *people = NULL;
	int status = trawl_cli_query_parse(&q, &spec, argc, argv);
	if (status >= 0)
		goto done;
	status = TRAWL_EXIT_FATAL;
	if (!(idx = trawl_cli_query_open(&q)))
		goto done;
	trawl_status_t rc = trawl_index_people(idx, &people);
	if (rc < 0) {
		trawl_cli_query_error(&q, idx, rc);
		goto done;
	}
	status = trawl_cli_query_write(&q, render, people);
done:
	trawl_people_free(people);
	trawl_index_free(idx);
	trawl_cli_query_free(&q);
	return status;
}
