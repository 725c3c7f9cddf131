/* The HTML access report in a real browser: `trawl access --format html` of
 * fixtures/sample rendered by headless Chromium (Debian's chromium, which
 * `make check` installs through `make deps-test`), with a screenshot, and no
 * request leaving the page. The screenshot is kept beside the binary
 * (build/test-html/access.png) for people to look at.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/util.h"
#include "tests/helpers.h"

static char work[] = "/tmp/trawl-html-XXXXXX";

static char *
slurp(const char *path)
{
	char *out = NULL;
	cr_assert_eq(t_run(&out, "cat '%s'", path), 0, "cannot read %s", path);
	return out;
}

static void
setup(void)
{
	cr_assert_not_null(mkdtemp(work));
	int rc = t_run(NULL,
	             "'%s' scan --quiet --index '%s/idx' '%s/fixtures/sample' 2>/dev/null && "
	             "'%s' access --index '%s/idx' --email erika.mustermann@kontor-demo.de --name 'Erika Mustermann' "
	             "--format html -o '%s/report.html'",
	             t_bin(), work, t_src(), t_bin(), work, work);
	cr_assert_eq(rc, 0, "scan or access failed: %d", rc);
}

static void
teardown(void)
{
	t_run(NULL, "rm -rf '%s'", work);
}

TestSuite(html, .init = setup, .fini = teardown, .timeout = 240);

Test(html, report_references_nothing_outside_itself)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/report.html", work);
	char *html = slurp(path);
	static const char *const banned[] = {"http://", "https://", "src=", "<link", "url(", "@import", "<script",
	                                     "<iframe", "<object", "<embed", NULL};
	for (const char *const *b = banned; *b; b++)
		cr_assert_null(strcasestr(html, *b), "the report holds %s", *b);
	cr_assert(strstr(html, "Content-Security-Policy"), "the report sets no CSP");
	/* the messages the person is owed, each named */
	char expected[4200];
	snprintf(expected, sizeof expected, "%s/fixtures/expected/erika-access.ids", t_src());
	char *ids = slurp(expected);
	for (char *line = strtok(ids, "\n"); line; line = strtok(NULL, "\n"))
		cr_assert(strstr(html, line), "message %s is not in the report", line);
	free(ids);
	free(html);
}

/* Chromium's own calls home (time, account and component update checks)
 * happen whatever the page holds; --disable-background-networking and
 * friends do not stop them all. They are told apart by address; anything
 * else is the page's. */
static bool
browser_own(const char *url)
{
	static const char *const own[] = {
		"https://update.googleapis.com/service/update2", "http://update.googleapis.com/service/update2",
		"https://accounts.google.com/ListAccounts",      "http://clients2.google.com/time/",
		"https://clients2.google.com/time/",             "https://clients2.google.com/service/update2",
		"http://clients2.google.com/service/update2",    "https://redirector.gvt1.com/edgedl/",
		"http://redirector.gvt1.com/edgedl/",            "https://safebrowsingohttpgateway.googleapis.com/",
		"https://www.google.com/complete/",              NULL,
	};
	for (const char *const *p = own; *p; p++)
		if (strncmp(url, *p, strlen(*p)) == 0)
			return true;
	return false;
}

Test(html, renders_in_headless_chromium_with_no_external_request)
{
	char *out = NULL;
	if (t_run(&out, "command -v chromium") != 0)
		cr_assert_fail("chromium is not installed: run `make deps-test` (Debian's chromium package)");
	free(out);
	char png[4200], shots[4200];
	snprintf(png, sizeof png, "%s/access.png", work);
	/* A proxy nobody listens at: whatever asks the network fails fast and
	 * offline, and is still logged (NotifyBeforeURLRequest) first. */
	int rc = t_run(NULL,
	             "cd '%s' && ud=$(mktemp -d) && timeout 180 chromium --headless --no-sandbox --disable-gpu "
	             "--disable-quic --no-first-run --disable-background-networking --disable-component-update "
	             "--disable-sync --disable-default-apps --disable-extensions --no-pings "
	             "--proxy-server=127.0.0.1:9 --user-data-dir=\"$ud\" --enable-logging=stderr --v=1 "
	             "--screenshot='%s' --window-size=1200,1600 'file://%s/report.html' >chromium.log 2>&1; "
	             "st=$?; rm -rf \"$ud\"; exit $st",
	             work, png, work);
	cr_assert_eq(rc, 0, "chromium exit status %d (see %s/chromium.log)", rc, work);

	/* a PNG of the window, with more on it than an empty page */
	struct stat st;
	cr_assert_eq(stat(png, &st), 0, "no screenshot");
	cr_assert_gt(st.st_size, 40000, "the screenshot is nearly empty: %lld bytes", (long long)st.st_size);
	FILE *f = fopen(png, "rb");
	unsigned char head[24];
	cr_assert_eq(fread(head, 1, sizeof head, f), sizeof head);
	fclose(f);
	cr_assert_eq(memcmp(head, "\x89PNG\r\n\x1a\n", 8), 0, "not a PNG");
	unsigned w = (unsigned)head[16] << 24 | head[17] << 16 | head[18] << 8 | head[19];
	unsigned h = (unsigned)head[20] << 24 | head[21] << 16 | head[22] << 8 | head[23];
	cr_assert(w == 1200 && h == 1600, "screenshot is %ux%u", w, h);

	/* every network request of the session: only the browser's own */
	char log[4200];
	snprintf(log, sizeof log, "%s/chromium.log", work);
	char *text = slurp(log);
	for (char *p = strstr(text, "NotifyBeforeURLRequest: "); p; p = strstr(p, "NotifyBeforeURLRequest: ")) {
		p += strlen("NotifyBeforeURLRequest: ");
		size_t n = strcspn(p, " \r\n");
		char *url = trawl_strndup(p, n);
		if (!browser_own(url))
			cr_assert_fail("the page made a request: %s", url);
		free(url);
	}
	/* nor did the page try and get refused by its own CSP */
	cr_assert_null(strstr(text, "Refused to"), "the page tried to load something");
	cr_assert_null(strstr(text, "Content Security Policy"), "the page broke its CSP");
	free(text);

	/* kept for people to look at */
	char *dir = strdup(t_bin());
	char *slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		snprintf(shots, sizeof shots, "%s/test-html", dir);
		t_run(NULL, "mkdir -p '%s' && cp '%s' '%s/access.png' && cp '%s/report.html' '%s/access.html'", shots, png,
		    shots, work, shots);
	}
	free(dir);
}
