/* What the commands share: output files, option parsing helpers.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

FILE *
trawl_cli_open_output(const char *path)
{
	if (!path || strcmp(path, "-") == 0)
		return stdout;
	FILE *f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "trawl: %s: cannot write: %s\n", path, strerror(errno));
	return f;
}

int
trawl_cli_close_output(FILE *f, const char *path)
{
	if (!f)
		return -1;
	int bad = ferror(f);
	if (f == stdout)
		bad |= fflush(f) != 0;
	else
		bad |= fclose(f) != 0;
	if (bad) {
		fprintf(stderr, "trawl: %s: write failed: %s\n", path && strcmp(path, "-") ? path : "standard output",
		        strerror(errno));
		return -1;
	}
	return 0;
}
