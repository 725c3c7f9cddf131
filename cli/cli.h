/* cli/cli.h: the commands of the trawl program, one file each.
 * Each takes the arguments after the command name (argv[0] is the command)
 * and returns the process exit status of the contract:
 * 0 done, 1 done but some inputs unreadable, 2 usage error, 3 fatal error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_CLI_H
#define TRAWL_CLI_H

#include <stdbool.h>
#include <stdio.h>

enum { TRAWL_EXIT_OK = 0, TRAWL_EXIT_PARTIAL = 1, TRAWL_EXIT_USAGE = 2, TRAWL_EXIT_FATAL = 3 };

int trawl_cmd_scan(int argc, char **argv);
int trawl_cmd_detect(int argc, char **argv);
int trawl_cmd_access(int argc, char **argv);
int trawl_cmd_erase(int argc, char **argv);
int trawl_cmd_subjects(int argc, char **argv);
int trawl_cmd_stats(int argc, char **argv);
int trawl_cmd_restrict(int argc, char **argv);
int trawl_cmd_retention(int argc, char **argv);
int trawl_cmd_forget(int argc, char **argv);

/* The default index folder. */
#define TRAWL_DEFAULT_INDEX "./trawl-index"

/* Opens path for writing ("-" or NULL is stdout). Prints a message naming
 * the file on failure and returns NULL. Close with trawl_cli_close_output(). */
FILE *trawl_cli_open_output(const char *path);
/* Closes what trawl_cli_open_output() returned; returns 0, or -1 (reported)
 * when writing failed. */
int trawl_cli_close_output(FILE *f, const char *path);

#endif

/* ---- options shared by scan and detect (cli/scanopts.c) ---- */
#include <signal.h>
#include "trawl/scan.h"

typedef struct {
	trawl_scan_opts_t scan;
	trawl_detect_opts_t detect;
	const char *format;
	bool quiet;
	/* counts for the summary and the exit status */
	unsigned long long sources, messages, skipped, unreadable;
	unsigned long long by_type[TRAWL_TYPE_COUNT];
} trawl_cli_scan_t;

/* Set by SIGINT/SIGTERM; every loop of the scanner checks it. */
extern volatile sig_atomic_t trawl_cli_stop;
void trawl_cli_catch_signals(void);

/* getopt_long options shared by scan and detect; OPT_* values start at 1000. */
#include <getopt.h>
#define TRAWL_CLI_SCAN_OPTIONS                                                                     \
	{"threads", required_argument, NULL, 1000}, {"rules", required_argument, NULL, 1001},          \
	{"min-confidence", required_argument, NULL, 1002}, {"max-depth", required_argument, NULL, 1003}, \
	{"max-part-size", required_argument, NULL, 1004}, {"max-expanded", required_argument, NULL, 1005}, \
	{"max-ratio", required_argument, NULL, 1006}, {"max-members", required_argument, NULL, 1007},   \
	{"default-region", required_argument, NULL, 1008}
/* Handles one of those; returns 0, or -1 after printing what is wrong. */
int trawl_cli_scan_option(trawl_cli_scan_t *s, int opt, const char *arg, const char *cmd);
/* The help text of those options. */
extern const char trawl_cli_scan_options_help[];

/* Counts an event for the summary and reports skips on stderr. */
void trawl_cli_count_event(trawl_cli_scan_t *s, const trawl_event_t *ev, const char *cmd);
/* Builds the detector set, reporting rule errors; NULL on failure. */
trawl_detector_set_t *trawl_cli_detectors(trawl_cli_scan_t *s, const char *cmd);
