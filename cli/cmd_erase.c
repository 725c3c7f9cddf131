/* trawl erase: what erasing one person's data would touch. Changes nothing.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include "cli/cli.h"
#include "cli/query.h"
#include "trawl/trawl.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: trawl erase [--index DIR] SELECTOR... [--format json|text] [-o FILE]\n"
	           "\n"
	           "Reports what erasing one person's data would touch, without changing anything:\n"
	           "every message that holds their identifiers, whether it can be deleted or must be\n"
	           "redacted (other people's data is in it too), and every source with how many of\n"
	           "its messages are affected and whether it can be changed in place.\n"
	           "\n"
	           "  --email ADDR          the person's e-mail address (repeatable)\n"
	           "  --name \"FULL NAME\"    the person's name (repeatable)\n"
	           "  --phone NUMBER        the person's phone number (repeatable)\n"
	           "  --index DIR           the index folder (default " TRAWL_DEFAULT_INDEX ")\n"
	           "  --format FORMAT       json (default) or text\n"
	           "  -o FILE               write the report to FILE\n");
}

static trawl_status_t
render(FILE *out, const void *result, trawl_format_t format)
{
	return trawl_report_erase(out, result, format);
}

int
trawl_cmd_erase(int argc, char **argv)
{
	static const trawl_format_t formats[] = {TRAWL_FORMAT_JSON, TRAWL_FORMAT_TEXT, (trawl_format_t)-1};
	const trawl_cli_query_spec_t spec = {
		.cmd = "erase",
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
	status = trawl_cli_query_write(&q, render, access);
done:
	trawl_access_free(access);
	trawl_index_free(idx);
	trawl_cli_query_free(&q);
	return status;
}
