/* Every input the fuzzers once crashed on (fuzz/regressions/<harness>/),
 * run again through the harness's own entry point. Under `make check
 * SAN=address` a memory error is a crash again; in the plain build a
 * crash, an abort of the harness's checks or a hang still fails the test.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "util/util.h"
#include "tests/helpers.h"

static void
read_file(const char *path, trawl_buf_t *out)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		cr_assert_eq(trawl_buf_put(out, chunk, n), TRAWL_OK);
	fclose(f);
}

/* Runs fn on every file of fuzz/regressions/<name>/; returns how many. */
static size_t
run_all(const char *name, int (*fn)(const uint8_t *, size_t))
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/fuzz/regressions/%s", t_src(), name);
	struct dirent **ents = NULL;
	int n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return 0; /* no crasher kept for this harness */
	size_t ran = 0;
	for (int i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			char path[8192];
			snprintf(path, sizeof path, "%s/%s", dir, ents[i]->d_name);
			trawl_buf_t b = {0};
			read_file(path, &b);
			/* an exact-size copy, as libFuzzer hands it: reading one byte
			 * past the end is caught under ASan */
			uint8_t *data = malloc(b.len ? b.len : 1);
			cr_assert_not_null(data);
			if (b.len)
				memcpy(data, b.data, b.len);
			cr_log_info("%s", path);
			fn(data, b.len);
			free(data);
			trawl_buf_free(&b);
			ran++;
		}
		free(ents[i]);
	}
	free(ents);
	return ran;
}

TestSuite(regressions, .timeout = 120);

Test(regressions, mbox_splitter_inputs_that_crashed_run_clean) { run_all("mbox", trawl_fuzz_mbox); }
Test(regressions, message_inputs_that_crashed_run_clean) { run_all("message", trawl_fuzz_message); }
Test(regressions, detector_inputs_that_crashed_run_clean) { run_all("detectors", trawl_fuzz_detectors); }
Test(regressions, html_inputs_that_crashed_run_clean) { run_all("html", trawl_fuzz_html); }
Test(regressions, archive_inputs_that_crashed_run_clean) { run_all("archive", trawl_fuzz_archive); }
Test(regressions, pst_inputs_that_crashed_run_clean) { run_all("pst", trawl_fuzz_pst); }
Test(regressions, document_inputs_that_crashed_run_clean) { run_all("document", trawl_fuzz_document); }
Test(regressions, rtf_inputs_that_crashed_run_clean) { run_all("rtf", trawl_fuzz_rtf); }
Test(regressions, tnef_inputs_that_crashed_run_clean) { run_all("tnef", trawl_fuzz_tnef); }
Test(regressions, oxmsg_inputs_that_crashed_run_clean) { run_all("oxmsg", trawl_fuzz_oxmsg); }

/* The harnesses themselves run on a plain input: a broken harness would
 * make every regression above pass vacuously. */
Test(regressions, every_harness_runs_on_a_small_message)
{
	static const char msg[] = "From: Erika Mustermann <erika.mustermann@kontor-demo.de>\r\n"
	                          "Subject: IBAN DE02 1203 0000 0000 2020 51\r\n\r\n"
	                          "Call +49 30 1234567 or see <p>10.20.30.40</p>\r\n";
	int (*const fns[])(const uint8_t *, size_t) = {trawl_fuzz_mbox, trawl_fuzz_message, trawl_fuzz_detectors,
	                                               trawl_fuzz_html, trawl_fuzz_archive, trawl_fuzz_pst,
	                                               trawl_fuzz_document, trawl_fuzz_rtf, trawl_fuzz_tnef,
	                                               trawl_fuzz_oxmsg};
	for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
		cr_assert_eq(fns[i]((const uint8_t *)msg, sizeof msg - 1), 0);
}
