/* trawl restrict: record that processing of one person's data is
 * restricted (GDPR Art. 18), or lift that. Access and erase reports say so
 * from then on.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/query.h"
#include "trawl/trawl.h"

enum { OPT_LIFT = 3000, OPT_REASON };

typedef struct {
	bool lift;
	const char *reason;
} restrict_opts_t;

static void
usage(FILE *f)
{
	fprintf(f, "usage: trawl restrict [--index DIR] SELECTOR... [--reason TEXT] [--lift]\n"
	           "\n"
	           "Records that processing of one person's data is restricted: from then on\n"
	           "access and erase reports say so, with the date and the reason. The index\n"
	           "keeps only keyed hashes of the identifiers, never the identifiers. Give\n"
	           "every identifier the request names: a later request by any of them, or by\n"
	           "what the index links to them, finds the restriction.\n"
	           "\n"
	           "  --email ADDR          the person's e-mail address (repeatable)\n"
	           "  --name \"FULL NAME\"    the person's name (repeatable)\n"
	           "  --phone NUMBER        the person's phone number (repeatable)\n"
	           "  --reason TEXT         why (the request, a case number); kept with it\n"
	           "  --lift                lift the restriction instead (its record stays,\n"
	           "                        with the date it was lifted)\n"
	           "  --index DIR           the index folder (default " TRAWL_DEFAULT_INDEX ")\n");
}

static int
option(int opt, const char *arg, void *payload)
{
	restrict_opts_t *o = payload;
	if (opt == OPT_LIFT)
		o->lift = true;
	else if (opt == OPT_REASON)
		o->reason = arg;
	else
		return -1;
	return 0;
}

int
trawl_cmd_restrict(int argc, char **argv)
{
	static const trawl_format_t formats[] = {TRAWL_FORMAT_TEXT, (trawl_format_t)-1};
	static const struct option extra[] = {
		{"lift", no_argument, NULL, OPT_LIFT},
		{"reason", required_argument, NULL, OPT_REASON},
		{NULL, 0, NULL, 0},
	};
	restrict_opts_t ro = {0};
	const trawl_cli_query_spec_t spec = {
		.cmd = "restrict",
		.usage = usage,
		.selectors = true,
		.default_format = TRAWL_FORMAT_TEXT,
		.formats = formats,
		.extra_options = extra,
		.extra = option,
		.payload = &ro,
	};
	trawl_cli_query_t q;
	trawl_index_t *idx = NULL;
	trawl_restriction_t *r = NULL;
	trawl_status_t rc;
	int status = trawl_cli_query_parse(&q, &spec, argc, argv);
	if (status >= 0)
		goto done;
	if (ro.lift && ro.reason) {
		fprintf(stderr, "trawl restrict: --reason goes with a restriction, not with --lift\n");
		usage(stderr);
		status = TRAWL_EXIT_USAGE;
		goto done;
	}
	status = TRAWL_EXIT_FATAL;
	if (!(idx = trawl_cli_query_open_write(&q)))
		goto done;
	rc = ro.lift ? trawl_index_lift(idx, &q.sel, &r) : trawl_index_restrict(idx, &q.sel, ro.reason, &r);
	if (rc == TRAWL_ENOTFOUND && ro.lift) {
		/* what was asked for holds: nothing restricts them */
		fprintf(stderr, "trawl restrict: no restriction is in force for this person: nothing to lift\n");
		status = TRAWL_EXIT_OK;
		goto done;
	}
	if (rc == TRAWL_OK)
		rc = trawl_index_commit(idx);
	if (rc < 0) {
		trawl_cli_query_error(&q, idx, rc);
		status = rc == TRAWL_EINVAL ? TRAWL_EXIT_USAGE : TRAWL_EXIT_FATAL;
		goto done;
	}
	if (ro.lift)
		printf("lifted on %s the restriction in force since %s", r->lifted, r->since);
	else
		printf("restricted since %s", r->since);
	printf("%s%s\n", r->reason ? ": " : " (no reason given)", r->reason ? r->reason : "");
	status = fflush(stdout) == 0 ? TRAWL_EXIT_OK : TRAWL_EXIT_FATAL;
done:
	trawl_restriction_free(r);
	trawl_index_free(idx);
	trawl_cli_query_free(&q);
	return status;
}
