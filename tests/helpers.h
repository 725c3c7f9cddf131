/* tests/helpers.h: what every test file that runs the built trawl or
 * reads the source tree shares: where the binary (TRAWL_BIN) and the
 * sources (TRAWL_SRC) are, a shell runner and a file reader. Static inline
 * functions: each test file takes what it uses.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef TRAWL_TESTS_HELPERS_H
#define TRAWL_TESTS_HELPERS_H

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "util/util.h"

static inline const char *
t_bin(void)
{
	const char *b = getenv("TRAWL_BIN");
	return b ? b : "build/trawl";
}

static inline const char *
t_src(void)
{
	const char *s = getenv("TRAWL_SRC");
	return s ? s : ".";
}

/* Runs a shell command line; returns its exit status (128 + signal when
 * killed); its standard output into *out when out is not NULL. */
static inline int __attribute__((format(printf, 2, 3)))
t_run(char **out, const char *fmt, ...)
{
	trawl_buf_t cmd = {0};
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	cr_assert_geq(vasprintf(&s, fmt, ap), 0);
	va_end(ap);
	trawl_buf_puts(&cmd, s);
	free(s);
	FILE *p = popen(cmd.data, "r");
	cr_assert_not_null(p, "cannot run %s", cmd.data);
	trawl_buf_t b = {0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		trawl_buf_put(&b, chunk, n);
	int st = pclose(p);
	trawl_buf_free(&cmd);
	if (out) {
		trawl_buf_cstr(&b);
		*out = b.data ? trawl_buf_detach(&b) : strdup("");
	} else {
		trawl_buf_free(&b);
	}
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 255;
}

static inline char *
t_slurp(const char *path)
{
	char *out = NULL;
	t_run(&out, "cat '%s' 2>/dev/null", path);
	return out;
}

#endif
