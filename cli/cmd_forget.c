/* trawl forget: after an erasure, purge one person from the index itself.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/query.h"
#include "trawl/trawl.h"

enum { OPT_YES = 3000 };

static void
usage(FILE *f)
{
	fprintf(f, "usage: trawl forget [--index DIR] SELECTOR... [--yes]\n"
	           "\n"
	           "Once a person's data has been erased from the archives (see trawl erase),\n"
	           "removes them from the index too: their findings from every message record\n"
	           "(records that hold nothing of anyone else go), their address as sender,\n"
	           "subject lines that named them, links to them and restrictions on them.\n"
	           "Other people's data in the same messages stays. This cannot be undone;\n"
	           "a later scan of a source that still holds their data finds it again.\n"
	           "\n"
	           "  --email ADDR          the person's e-mail address (repeatable)\n"
	           "  --name \"FULL NAME\"    the person's name (repeatable)\n"
	           "  --phone NUMBER        the person's phone number (repeatable)\n"
	           "  --yes                 do it without asking (required when standard input\n"
	           "                        is not a terminal)\n"
	           "  --index DIR           the index folder (default " TRAWL_DEFAULT_INDEX ")\n");
}

static int
option(int opt, const char *arg, void *payload)
{
	(void)arg;
	if (opt != OPT_YES)
		return -1;
	*(bool *)payload = true;
	return 0;
}

/* Asks on the terminal; true for y or yes. */
static bool
confirm(const trawl_access_t *a)
{
	fprintf(stderr, "Forget");
	for (size_t i = 0; i < a->n_identifiers; i++)
		fprintf(stderr, "%s %s %s", i ? "," : "", trawl_type_name(a->identifiers[i].type), a->identifiers[i].norm);
	fprintf(stderr, ": %zu message%s in %zu source%s? This cannot be undone. [y/N] ", a->n_messages,
	        a->n_messages == 1 ? "" : "s", a->n_sources, a->n_sources == 1 ? "" : "s");
	char line[16];
	if (!fgets(line, sizeof line, stdin))
		return false;
	line[strcspn(line, "\r\n")] = '\0';
	return strcmp(line, "y") == 0 || strcmp(line, "Y") == 0 || strcmp(line, "yes") == 0;
}

int
trawl_cmd_forget(int argc, char **argv)
{
	static const trawl_format_t formats[] = {TRAWL_FORMAT_TEXT, (trawl_format_t)-1};
	static const struct option extra[] = {
		{"yes", no_argument, NULL, OPT_YES},
		{NULL, 0, NULL, 0},
	};
	bool yes = false;
	const trawl_cli_query_spec_t spec = {
		.cmd = "forget",
		.usage = usage,
		.selectors = true,
		.default_format = TRAWL_FORMAT_TEXT,
		.formats = formats,
		.extra_options = extra,
		.extra = option,
		.payload = &yes,
	};
	trawl_cli_query_t q;
	trawl_index_t *idx = NULL;
	trawl_access_t *a = NULL;
	trawl_forget_t done_ = {0};
	trawl_status_t rc;
	int status = trawl_cli_query_parse(&q, &spec, argc, argv);
	if (status >= 0)
		goto done;
	if (!yes && !isatty(0)) {
		fprintf(stderr, "trawl forget: refusing without --yes: standard input is not a terminal to ask on\n");
		status = TRAWL_EXIT_USAGE;
		goto done;
	}
	status = TRAWL_EXIT_FATAL;
	if (!(idx = trawl_cli_query_open_write(&q)))
		goto done;
	if (!yes) {
		if ((rc = trawl_index_access(idx, &q.sel, &a)) < 0) {
			trawl_cli_query_error(&q, idx, rc);
			status = rc == TRAWL_EINVAL ? TRAWL_EXIT_USAGE : TRAWL_EXIT_FATAL;
			goto done;
		}
		if (!confirm(a)) {
			fprintf(stderr, "trawl forget: nothing changed\n");
			status = TRAWL_EXIT_OK;
			goto done;
		}
	}
	rc = trawl_index_forget(idx, &q.sel, &done_);
	if (rc == TRAWL_OK)
		rc = trawl_index_commit(idx);
	if (rc < 0) {
		trawl_cli_query_error(&q, idx, rc);
		fprintf(stderr, "trawl forget: the index was left as it was\n");
		status = rc == TRAWL_EINVAL ? TRAWL_EXIT_USAGE : TRAWL_EXIT_FATAL;
		goto done;
	}
	printf("forgot: %llu finding%s removed; %llu message record%s rewritten, %llu deleted; "
	       "%llu link%s and %llu restriction%s deleted; %llu link record%s kept for others\n",
	       (unsigned long long)done_.findings, done_.findings == 1 ? "" : "s",
	       (unsigned long long)done_.rewritten, done_.rewritten == 1 ? "" : "s",
	       (unsigned long long)done_.deleted, (unsigned long long)done_.other_docs,
	       done_.other_docs == 1 ? "" : "s", (unsigned long long)done_.restrictions,
	       done_.restrictions == 1 ? "" : "s", (unsigned long long)done_.links_kept,
	       done_.links_kept == 1 ? "" : "s");
	status = fflush(stdout) == 0 ? TRAWL_EXIT_OK : TRAWL_EXIT_FATAL;
done:
	trawl_access_free(a);
	trawl_index_free(idx);
	trawl_cli_query_free(&q);
	return status;
}
