/* cli/cli.h: the commands of the trawl program, one file each.
 * Each takes the arguments after the command name (argv[0] is the command)
 * and returns the process exit status of the contract:
 * 0 done, 1 done but some inputs unreadable, 2 usage error, 3 fatal error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_CLI_H
#define TRAWL_CLI_H

#include <stdio.h>

enum { TRAWL_EXIT_OK = 0, TRAWL_EXIT_PARTIAL = 1, TRAWL_EXIT_USAGE = 2, TRAWL_EXIT_FATAL = 3 };

int trawl_cmd_scan(int argc, char **argv);
int trawl_cmd_detect(int argc, char **argv);
int trawl_cmd_access(int argc, char **argv);
int trawl_cmd_erase(int argc, char **argv);
int trawl_cmd_subjects(int argc, char **argv);
int trawl_cmd_stats(int argc, char **argv);

/* The default index folder. */
#define TRAWL_DEFAULT_INDEX "./trawl-index"

/* Opens path for writing ("-" or NULL is stdout). Prints a message naming
 * the file on failure and returns NULL. Close with trawl_cli_close_output(). */
FILE *trawl_cli_open_output(const char *path);
/* Closes what trawl_cli_open_output() returned; returns 0, or -1 (reported)
 * when writing failed. */
int trawl_cli_close_output(FILE *f, const char *path);

#endif
