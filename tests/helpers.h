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
#include <glib.h>

#include "trawl/trawl.h"
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

/* The bytes of the file at path, with a NUL after them; *len their number.
 * Fails the test when it cannot be read. The caller frees. */
static inline char *
t_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	cr_assert_geq(n, 0, "cannot size %s", path);
	char *buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n, "cannot read %s", path);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* t_read() of a file under the source tree (TRAWL_SRC). */
static inline char *
t_read_src(const char *rel, size_t *len)
{
	char *path = g_build_filename(t_src(), rel, NULL);
	char *data = t_read(path, len);
	g_free(path);
	return data;
}

/* ---- records of trawl_scan_buffer() ---- */

/* What a scan handed over: its records and its skips. */
#define T_GOT_MAX 16
typedef struct {
	trawl_message_t *msgs[T_GOT_MAX];
	size_t n;
	char skips[4096]; /* "location: reason\n" each */
	size_t n_skips, n_limits;
} t_got_t;

static inline trawl_status_t
t_keep(trawl_message_t *m, void *payload)
{
	t_got_t *g = payload;
	cr_assert_lt(g->n, T_GOT_MAX);
	g->msgs[g->n++] = m;
	return TRAWL_OK;
}

static inline void
t_event(const trawl_event_t *ev, void *payload)
{
	t_got_t *g = payload;
	if (ev->type != TRAWL_EVENT_SKIP)
		return;
	g->n_skips++;
	g->n_limits += ev->status == TRAWL_ELIMIT;
	size_t used = strlen(g->skips);
	snprintf(g->skips + used, sizeof g->skips - used, "%s: %s\n", ev->location, ev->reason);
}

static inline void
t_got_free(t_got_t *g)
{
	for (size_t i = 0; i < g->n; i++)
		trawl_message_free(g->msgs[i]);
	memset(g, 0, sizeof *g);
}

/* The built-in detectors, made once per test process. */
static inline trawl_detector_set_t *
t_detectors(void)
{
	static trawl_detector_set_t *set;
	if (!set)
		cr_assert_eq(trawl_detector_set_new(&set, NULL, NULL), TRAWL_OK);
	return set;
}

/* trawl_scan_buffer() of data as name into *g, with opts (NULL: defaults;
 * no detectors given: t_detectors()). */
static inline void
t_scan(t_got_t *g, const trawl_scan_opts_t *opts, const char *name, const void *data, size_t len)
{
	trawl_scan_opts_t o = opts ? *opts : (trawl_scan_opts_t){0};
	if (!o.detectors)
		o.detectors = t_detectors();
	memset(g, 0, sizeof *g);
	cr_assert_eq(trawl_scan_buffer(&o, name, data, len, t_keep, t_event, g), TRAWL_OK);
}

/* Does m hold a finding of type with norm in part, found where? */
static inline bool
t_has(const trawl_message_t *m, const char *part, trawl_where_t where, trawl_type_t type, const char *norm)
{
	for (size_t i = 0; i < m->findings.len; i++) {
		const trawl_finding_t *f = &m->findings.items[i];
		if (f->type == type && f->where == where && strcmp(f->part, part) == 0 && strcmp(f->norm, norm) == 0)
			return true;
	}
	return false;
}

#endif
