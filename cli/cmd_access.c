/* trawl access: everything the index holds about one person.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
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
	           "  -o FILE               write the report to FILE\n");
}

static trawl_status_t
render(FILE *out, const void *result, trawl_format_t format)
{
	return trawl_report_access(out, result, format);
}

int
trawl_cmd_access(int argc, char **argv)
{
	static const trawl_format_t formats[] = {TRAWL_FORMAT_JSON, TRAWL_FORMAT_CSV, TRAWL_FORMAT_HTML,
	                                         TRAWL_FORMAT_MBOX, (trawl_format_t)-1};
	const trawl_cli_query_spec_t spec = {
		.cmd = "access",
		.usage = usage,
		.selectors = true,
		.output = true,
		.default_format = TRAWL_FORMAT_JSON,
		.formats = formats,
	};
	trawl_cli_query_t q;
	trawl_index_t *idx = NULL;
	trawl_access_t *access = NULL;
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
	if (q.format == TRAWL_FORMAT_MBOX)
		status = trawl_cli_access_mbox(&q, access);
	else
		status = trawl_cli_query_write(&q, render, access);
done:
	trawl_access_free(access);
	trawl_index_free(idx);
	trawl_cli_query_free(&q);
	return status;
}
