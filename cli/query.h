/* cli/query.h: what the reading commands (access, erase, subjects, stats)
 * share: their options and opening the index (cli/query.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_CLI_QUERY_H
#define TRAWL_CLI_QUERY_H

#include <getopt.h>
#include <stdio.h>
#include "trawl/index.h"
#include "trawl/report.h"

typedef struct {
	const char *cmd;    /* "access", ... for messages */
	const char *dir;    /* --index, default TRAWL_DEFAULT_INDEX */
	const char *output; /* -o, NULL for standard output */
	trawl_format_t format;
	trawl_selector_t sel; /* the strings point into argv */
} trawl_cli_query_t;

/* What a command accepts. */
typedef struct {
	const char *cmd;
	void (*usage)(FILE *f);
	bool selectors;                /* --email, --name, --phone (at least one required) */
	bool output;                   /* -o FILE */
	trawl_format_t default_format;
	const trawl_format_t *formats; /* accepted, ending with -1 */
	/* The command's own options (values from 3000 up, ending with a zeroed
	 * entry), or NULL; each is handed to extra(), which returns 0, or -1
	 * after saying what is wrong (a usage error). */
	const struct option *extra_options;
	int (*extra)(int opt, const char *arg, void *payload);
	void *payload;
} trawl_cli_query_spec_t;

/* Parses argv (argv[0] is the command). Returns -1 when the command should
 * go on, or the exit status to return at once (--help: 0, usage error: 2,
 * both reported). Free q with trawl_cli_query_free() either way. */
int trawl_cli_query_parse(trawl_cli_query_t *q, const trawl_cli_query_spec_t *spec, int argc, char **argv);
void trawl_cli_query_free(trawl_cli_query_t *q);

/* Opens the index read-only; on failure prints "trawl CMD: DIR: what" and
 * returns NULL. */
trawl_index_t *trawl_cli_query_open(const trawl_cli_query_t *q);

/* Prints "trawl CMD: DIR: what" for a failed index call. */
void trawl_cli_query_error(const trawl_cli_query_t *q, trawl_index_t *idx, trawl_status_t rc);

/* Writes a report to -o FILE or standard output: render(out, payload).
 * The file is only created once there is something to write, and removed
 * again when writing fails. Returns the exit status. */
int trawl_cli_query_write(const trawl_cli_query_t *q,
                          trawl_status_t (*render)(FILE *out, const void *result, trawl_format_t format),
                          const void *result);

/* Opens the index for writing, when there is one (a mistyped --index must
 * not make a new, empty index); on failure prints "trawl CMD: DIR: what"
 * and returns NULL. */
trawl_index_t *trawl_cli_query_open_write(const trawl_cli_query_t *q);

/* access --format mbox (cli/access_mbox.c): reads the subject's messages
 * again from their sources and writes them as mboxrd to -o FILE or
 * standard output. Returns the exit status. */
int trawl_cli_access_mbox(const trawl_cli_query_t *q, const trawl_access_t *a);

#endif
