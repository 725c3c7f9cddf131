/* End-to-end: the built trawl binary on fixtures/sample, as a user runs it.
 * TRAWL_BIN and TRAWL_SRC are set by `make check`.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/util.h"
#include "tests/helpers.h"

static char index_dir[] = "/tmp/trawl-e2e-XXXXXX";

static void
scan_sample(void)
{
	cr_assert_not_null(mkdtemp(index_dir));
	rmdir(index_dir); /* trawl creates it, mode 0700 */
	int rc = t_run(NULL, "'%s' scan --quiet --index '%s' '%s/fixtures/sample' 2>/dev/null", t_bin(), index_dir, t_src());
	cr_assert_eq(rc, 0, "scan exit status %d", rc);
}

static void
remove_index(void)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", index_dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(e2e, .init = scan_sample, .fini = remove_index, .timeout = 60);

Test(e2e, access_by_email_lists_exactly_the_known_messages)
{
	char *json = NULL, *expected = NULL, *got = NULL;
	int rc = t_run(&json, "'%s' access --index '%s' --email Erika.Mustermann@kontor-demo.de --format json", t_bin(),
	             index_dir);
	cr_assert_eq(rc, 0);
	/* the message ids in the report, sorted, against the golden list */
	rc = t_run(&got,
	         "'%s' access --index '%s' --email erika.mustermann@kontor-demo.de --format json | "
	         "python3 -c 'import json,sys; [print(m) for m in sorted({m[\"message_id\"] for m in "
	         "json.load(sys.stdin)[\"messages\"]})]'",
	         t_bin(), index_dir);
	cr_assert_eq(rc, 0);
	t_run(&expected, "cat '%s/fixtures/expected/erika-access.ids'", t_src());
	cr_assert_str_eq(got, expected);
	cr_assert(strstr(json, "\"summary\""));
	cr_assert(strstr(json, "\"query\""));
	free(json);
	free(expected);
	free(got);
}

Test(e2e, access_by_name_finds_the_same_person)
{
	char *got = NULL, *expected = NULL;
	int rc = t_run(&got,
	             "'%s' access --index '%s' --name 'Erika Mustermann' --format json | "
	             "python3 -c 'import json,sys; [print(m) for m in sorted({m[\"message_id\"] for m in "
	             "json.load(sys.stdin)[\"messages\"]})]'",
	             t_bin(), index_dir);
	cr_assert_eq(rc, 0);
	t_run(&expected, "cat '%s/fixtures/expected/erika-access.ids'", t_src());
	cr_assert_str_eq(got, expected);
	free(got);
	free(expected);
}

Test(e2e, index_folder_is_private_and_holds_no_full_card_or_iban)
{
	struct stat st;
	cr_assert_eq(stat(index_dir, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700, "index folder mode %o", st.st_mode & 0777);
	int rc = t_run(NULL, "grep -rqaE '5413330089099130|DE02120300000000202051|GB33BUKB20201555555555|"
	                   "5413 3300 8909 9130' '%s'",
	             index_dir);
	cr_assert_eq(rc, 1, "a full card number or IBAN is in the index");
}

Test(e2e, stats_json_counts_sources_messages_and_the_skipped_file)
{
	char *out = NULL;
	int rc = t_run(&out,
	             "'%s' stats --index '%s' --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); "
	             "print(d[\"messages\"], len(d[\"sources\"]), sum(len(s.get(\"skipped\",[])) for s in "
	             "d[\"sources\"]), sorted({s[\"kind\"] for s in d[\"sources\"]}))'",
	             t_bin(), index_dir);
	cr_assert_eq(rc, 0);
	cr_assert_str_eq(out, "7 6 1 ['eml', 'maildir', 'mbox', 'tar.gz', 'text', 'zip']\n");
	free(out);
}

Test(e2e, detect_prints_contract_fields_for_every_type_planted)
{
	char *out = NULL;
	int rc = t_run(&out,
	             "'%s' detect '%s/fixtures/sample' 2>/dev/null | python3 -c 'import json,sys\n"
	             "keys={\"source\",\"location\",\"message_id\",\"part\",\"where\",\"type\",\"value\",\"norm\","
	             "\"start\",\"end\",\"confidence\",\"rule\"}\n"
	             "seen=set()\n"
	             "for l in sys.stdin:\n"
	             "  f=json.loads(l); assert keys <= f.keys(), f; seen.add((f[\"type\"], f[\"norm\"]))\n"
	             "for t in [(\"iban\",\"DE02120300000000202051\"),(\"iban\",\"GB33BUKB20201555555555\"),"
	             "(\"card\",\"5413330089099130\"),(\"mac\",\"00:1a:2b:3c:4d:5e\"),(\"ip\",\"2a02:8108:1234::42\"),"
	             "(\"ip\",\"10.20.30.40\"),(\"email\",\"erika.mustermann@kontor-demo.de\"),"
	             "(\"name\",\"erika mustermann\")]:\n"
	             "  print(t[0], t in seen)'",
	             t_bin(), t_src());
	cr_assert_eq(rc, 0, "detect exit %d", rc);
	cr_assert_str_eq(out, "iban True\niban True\ncard True\nmac True\nip True\nip True\nemail True\nname True\n");
	free(out);
}

Test(e2e, published_test_card_is_not_reported_by_default)
{
	char *out = NULL;
	t_run(&out, "'%s' detect '%s/fixtures/sample/mail/order.eml' 2>/dev/null", t_bin(), t_src());
	cr_assert_null(strstr(out, "4000056655665556"), "the Stripe test card passed the default threshold");
	free(out);
	t_run(&out, "'%s' detect --min-confidence 0.1 '%s/fixtures/sample/mail/order.eml' 2>/dev/null", t_bin(), t_src());
	cr_assert(strstr(out, "4000056655665556"), "the test card is reported below the threshold");
	free(out);
}

Test(e2e, usage_errors_exit_2_and_help_exits_0)
{
	cr_assert_eq(t_run(NULL, "'%s' 2>/dev/null", t_bin()), 2);
	cr_assert_eq(t_run(NULL, "'%s' frobnicate 2>/dev/null", t_bin()), 2);
	cr_assert_eq(t_run(NULL, "'%s' detect 2>/dev/null", t_bin()), 2);
	cr_assert_eq(t_run(NULL, "'%s' access --index '%s' 2>/dev/null", t_bin(), index_dir), 2);
	cr_assert_eq(t_run(NULL, "'%s' --help >/dev/null", t_bin()), 0);
	cr_assert_eq(t_run(NULL, "'%s' scan --help >/dev/null", t_bin()), 0);
}

Test(e2e, missing_index_is_a_fatal_error)
{
	cr_assert_eq(t_run(NULL, "'%s' access --index /nonexistent/trawl-idx --email a@b.de 2>/dev/null", t_bin()), 3);
}

Test(e2e_copies, erase_lists_copies_of_a_message_across_sources, .timeout = 60)
{
	char dir[] = "/tmp/trawl-copies-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char *out = NULL;
	int rc = t_run(NULL,
	             "cp '%s/fixtures/sample/mail/order.eml' '%s/a.eml' && cp '%s/fixtures/sample/mail/order.eml' '%s/b.eml' && "
	             "'%s' scan --quiet --index '%s/idx' '%s/a.eml' '%s/b.eml'",
	             t_src(), dir, t_src(), dir, t_bin(), dir, dir, dir);
	cr_assert_eq(rc, 0);
	rc = t_run(&out,
	         "'%s' erase --index '%s/idx' --email erika.mustermann@kontor-demo.de --format json | python3 -c "
	         "'import json,sys; d=json.load(sys.stdin); print(d[\"summary\"][\"with_copies\"], "
	         "sorted(c[\"by\"] for m in d[\"messages\"] for c in m[\"copies\"]))'",
	         t_bin(), dir);
	cr_assert_eq(rc, 0);
	cr_assert_str_eq(out, "2 ['content', 'content']\n");
	free(out);
	t_run(NULL, "rm -rf '%s'", dir);
}

/* On a terminal (script(1) gives it one), scan shows one updating progress
 * line with an ETA once the walker knows the total, then a summary; with
 * --quiet, neither. */
Test(e2e_progress, progress_line_on_a_terminal_only, .timeout = 60)
{
	char dir[] = "/tmp/trawl-progress-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char *out = NULL;
	int rc = t_run(&out,
	             "script -qefc \"'%s' scan --index '%s/idx' '%s/fixtures/sample'\" /dev/null </dev/null | tr '\\r' '\\n'",
	             t_bin(), dir, t_src());
	cr_assert_eq(rc, 0, "%s", out);
	cr_assert(strstr(out, "scan: "), "no progress line: %s", out);
	cr_assert(strstr(out, " MB/s, "), "%s", out);
	cr_assert(strstr(out, "scanned "), "no summary: %s", out);
	cr_assert(strstr(out, "found email "), "%s", out);
	free(out);
	rc = t_run(&out, "script -qefc \"'%s' scan --quiet --index '%s/idx2' '%s/fixtures/sample'\" /dev/null </dev/null",
	         t_bin(), dir, t_src());
	cr_assert_eq(rc, 0);
	cr_assert_null(strstr(out, "scan: "), "%s", out);
	cr_assert_null(strstr(out, "scanned "), "%s", out);
	free(out);
	/* not a terminal: what it could not read (a text file, not mail), no
	 * progress, no summary */
	rc = t_run(&out, "'%s' scan --index '%s/idx3' '%s/fixtures/sample' 2>&1 >/dev/null", t_bin(), dir, t_src());
	cr_assert_eq(rc, 0);
	char want[4300];
	snprintf(want, sizeof want, "trawl scan: %s/fixtures/sample/notes.txt: not mail (text/plain)\n", t_src());
	cr_assert_str_eq(out, want);
	free(out);
	t_run(NULL, "rm -rf '%s'", dir);
}
