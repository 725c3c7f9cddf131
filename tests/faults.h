/* tests/faults.h: what the end-to-end fault and security tests share
 * (test_faults.c, test_security.c): running the built trawl (TRAWL_BIN)
 * on files under the source tree (TRAWL_SRC) and on inputs written to a
 * temporary folder. Static functions: each test file takes what it uses.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef TRAWL_TESTS_FAULTS_H
#define TRAWL_TESTS_FAULTS_H

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/helpers.h"
#include "util/util.h"

/* A fresh temporary folder; the caller frees the string. */
static inline char *
t_tmpdir(void)
{
	char *d = strdup("/tmp/trawl-test-XXXXXX");
	cr_assert_not_null(mkdtemp(d));
	return d;
}

static inline void
t_rmtree(const char *dir)
{
	if (dir && strncmp(dir, "/tmp/trawl-test-", 16) == 0)
		t_run(NULL, "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", dir, dir);
}

static inline char *
t_path(const char *dir, const char *name)
{
	char *p = NULL;
	cr_assert_geq(asprintf(&p, "%s/%s", dir, name), 0);
	return p;
}

static inline void
t_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "cannot write %s: %s", path, strerror(errno));
	cr_assert_eq(fwrite(data, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

static inline void
t_write_str(const char *path, const char *s)
{
	t_write(path, s, strlen(s));
}

/* An mbox of n messages, each with an address, a phone number and a line
 * of filler: about 600 bytes a message, enough work to scan for a while. */
static inline void
t_write_mbox(const char *path, unsigned n)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	for (unsigned i = 0; i < n; i++)
		fprintf(f,
		        "From sender%u@faults-test.de Mon Jan  2 10:00:00 2023\n"
		        "From: Sender %u <sender%u@faults-test.de>\n"
		        "To: Team <team@faults-test.de>\n"
		        "Subject: report %u\n"
		        "Message-ID: <bulk-%u@faults-test.de>\n"
		        "Date: Mon, 2 Jan 2023 10:00:00 +0000\n\n"
		        "Please call Jonas Berger on +49 30 %07u or write to jonas.berger%u@faults-test.de.\n"
		        "The quick brown fox jumps over the lazy dog, again and again, %u times.\n\n",
		        i, i, i, i, i, 1000000 + i, i, i);
	cr_assert_eq(fclose(f), 0);
}

/* Is the caller root, so that file modes do not stop it? */
static inline bool
t_root(void)
{
	return geteuid() == 0;
}

/* A command prefix that makes root obey file modes (no CAP_DAC_OVERRIDE,
 * CAP_DAC_READ_SEARCH), "" when not root; NULL when root and setpriv
 * cannot drop them. */
static inline const char *
t_obey_modes(void)
{
	if (!t_root())
		return "";
	static const char *const prefix = "setpriv --bounding-set -dac_override,-dac_read_search ";
	if (t_run(NULL, "%strue 2>/dev/null", prefix) != 0)
		return NULL;
	return prefix;
}

/* The sorted message ids an access request by e-mail gives, one a line;
 * the exit status of trawl access in *rc. */
static inline char *
t_access_ids(const char *index, const char *email, int *rc)
{
	char *out = NULL;
	char tmp[] = "/tmp/trawl-test-access-XXXXXX";
	int fd = mkstemp(tmp);
	cr_assert_geq(fd, 0);
	close(fd);
	int r = t_run(&out,
	              "'%s' access --index '%s' --email '%s' --format json >'%s' 2>/dev/null; rc=$?; "
	              "[ $rc = 0 ] && python3 -c 'import json,sys; [print(m) for m in sorted({m[\"message_id\"] "
	              "for m in json.load(sys.stdin)[\"messages\"]})]' <'%s'; exit $rc",
	              t_bin(), index, email, tmp, tmp);
	unlink(tmp);
	if (rc)
		*rc = r;
	return out;
}

/* A child running argv[0] with stdout and stderr to files (or /dev/null). */
static inline pid_t
t_spawn(const char *out, const char *err, char *const argv[])
{
	pid_t pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		int o = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err ? err : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(o, 1);
		dup2(e, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Exit status of a child as t_run() gives it. */
static inline int
t_wait(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		cr_assert_eq(errno, EINTR);
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 255;
}

static inline void
t_sleep_ms(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Waits (up to 30 s) until some process holds the write lock of the index
 * in dir, as a running scan does once it has opened it; false when pid
 * ended first. */
static inline bool
t_wait_index_locked(const char *dir, pid_t pid)
{
	char *lock = NULL;
	cr_assert_geq(asprintf(&lock, "%s/xapian/flintlock", dir), 0);
	bool locked = false;
	for (int i = 0; i < 3000 && !locked; i++) {
		int fd = open(lock, O_RDWR | O_CLOEXEC);
		if (fd >= 0) {
			struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
			locked = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
			close(fd);
		}
		int st;
		if (!locked && waitpid(pid, &st, WNOHANG) == pid)
			break; /* reaped: the caller's t_wait() would hang, so say so */
		if (!locked)
			t_sleep_ms(10);
	}
	free(lock);
	return locked;
}

#endif
