/* The subject's lifecycle, end to end: incremental scans, restriction,
 * retention, forgetting, and access --format mbox; plus trawl_scan_fetch()
 * itself. The e2e tests run the built binary (TRAWL_BIN, TRAWL_SRC, as
 * `make check` sets them) on a private copy of fixtures/sample, which they
 * change.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "trawl/scan.h"
#include "index/xdb.h"
#include "util/util.h"
#include "tests/helpers.h"

static char work[] = "/tmp/trawl-life-XXXXXX";

/* The records of the documents trawl_xdb__each() visits, one after another. */
typedef struct {
	trawl_buf_t data;
	unsigned n;
} restriction_data_t;

static trawl_status_t
collect_data(const void *data, size_t len, void *payload)
{
	restriction_data_t *rd = payload;
	rd->n++;
	return trawl_buf_put(&rd->data, data, len);
}

/* A private copy of the sample archive, scanned into work/idx. */
static void
setup(void)
{
	cr_assert_not_null(mkdtemp(work));
	cr_assert_eq(t_run(NULL, "cp -r '%s/fixtures/sample' '%s/sample'", t_src(), work), 0);
	int rc = t_run(NULL, "'%s' scan --quiet --index '%s/idx' '%s/sample' 2>/dev/null", t_bin(), work, work);
	cr_assert_eq(rc, 0, "scan exit status %d", rc);
}

static void
teardown(void)
{
	t_run(NULL, "rm -rf '%s'", work);
}

/* The scan summary line of a scan of the copy: printed on a terminal
 * only, so on the one script(1) gives it. */
static char *
rescan_with(const char *opts, const char *under)
{
	char *out = NULL;
	int rc = t_run(&out,
	             "script -qefc \"'%s' scan %s --index '%s/idx' '%s/sample%s'\" /dev/null </dev/null | tr '\\r' '\\n' | "
	             "sed 's/\\x1b\\[K//g' | grep '^scanned'",
	             t_bin(), opts, work, work, under);
	cr_assert_eq(rc, 0, "scan failed");
	return out;
}

static char *
rescan(void)
{
	return rescan_with("", "");
}

/* Messages, sources and findings by type of `trawl stats`. */
static char *
stats(void)
{
	char *out = NULL;
	int rc = t_run(&out,
	             "'%s' stats --index '%s/idx' --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); "
	             "print(d[\"messages\"], d[\"findings\"], [(s[\"source\"].rsplit(\"/\",1)[-1], s[\"messages\"]) "
	             "for s in d[\"sources\"]])'",
	             t_bin(), work);
	cr_assert_eq(rc, 0);
	return out;
}

static char *
access_ids(const char *selector)
{
	char *out = NULL;
	int rc = t_run(&out,
	             "'%s' access --index '%s/idx' %s --format json | python3 -c 'import json,sys; "
	             "[print(m) for m in sorted({m[\"message_id\"] for m in json.load(sys.stdin)[\"messages\"]})]'",
	             t_bin(), work, selector);
	cr_assert_eq(rc, 0, "access %s failed", selector);
	return out;
}

TestSuite(lifecycle, .init = setup, .fini = teardown, .timeout = 60);

Test(lifecycle, second_scan_of_unchanged_tree_reads_no_file_and_keeps_stats)
{
	char *before = stats(), *line = rescan(), *after = stats();
	cr_assert(strstr(line, "scanned 0 files, 0 messages"), "second scan read files: %s", line);
	cr_assert(strstr(line, "6 unchanged files not read again"), "%s", line);
	cr_assert_str_eq(after, before);
	free(before);
	free(line);
	free(after);
}

Test(lifecycle, touched_file_is_read_again_and_replaces_its_records)
{
	char *before = stats();
	cr_assert_eq(t_run(NULL, "touch -d '2001-02-03 04:05:06' '%s/sample/mail/order.eml'", work), 0);
	char *line = rescan(), *after = stats();
	cr_assert(strstr(line, "scanned 1 files, 1 messages"), "%s", line);
	cr_assert(strstr(line, "5 unchanged"), "%s", line);
	cr_assert_str_eq(after, before, "a re-read file doubled or lost records");
	free(line);
	free(after);
	/* --full reads everything again, and still changes nothing */
	line = rescan_with("--full", "");
	cr_assert(strstr(line, "scanned 6 files, 7 messages"), "%s", line);
	after = stats();
	cr_assert_str_eq(after, before);
	free(line);
	free(after);
	free(before);
}

Test(lifecycle, removed_file_is_dropped_from_the_index)
{
	char *ids = access_ids("--email jane.roe@trawl-demo.org");
	cr_assert(strstr(ids, "sample-6@trawl-demo.org"));
	free(ids);
	cr_assert_eq(t_run(NULL, "rm '%s/sample/backup/export.zip'", work), 0);
	char *line = rescan();
	cr_assert(strstr(line, "1 gone, dropped from the index"), "%s", line);
	free(line);
	char *after = stats();
	cr_assert(strstr(after, "6 {") == after, "%s", after);
	cr_assert_null(strstr(after, "export.zip"), "%s", after);
	free(after);
	ids = access_ids("--email jane.roe@trawl-demo.org");
	cr_assert_null(strstr(ids, "sample-6@trawl-demo.org"), "a message of a removed file is still found");
	free(ids);
	/* a scan of a PATH elsewhere drops nothing of this one */
	cr_assert_eq(t_run(NULL, "rm '%s/sample/mail/order.eml'", work), 0);
	line = rescan_with("", "/maildir");
	cr_assert_null(strstr(line, "gone"), "%s", line);
	free(line);
}

Test(lifecycle, restriction_shows_in_access_and_erase_until_lifted)
{
	char *out = NULL;
	cr_assert_eq(t_run(&out, "'%s' restrict --index '%s/idx' --email erika.mustermann@kontor-demo.de "
	                       "--reason 'contested accuracy, ticket 17'",
	                 t_bin(), work),
	             0);
	cr_assert(strstr(out, "restricted since "), "%s", out);
	free(out);
	cr_assert_eq(t_run(&out,
	                 "'%s' access --index '%s/idx' --email Erika.Mustermann@kontor-demo.de | python3 -c 'import "
	                 "json,sys,re; r=json.load(sys.stdin)[\"restricted\"]; "
	                 "print(r[\"reason\"], bool(re.match(r\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$\", r[\"since\"])))'",
	                 t_bin(), work),
	             0);
	cr_assert_str_eq(out, "contested accuracy, ticket 17 True\n");
	free(out);
	cr_assert_eq(t_run(&out, "'%s' erase --index '%s/idx' --email erika.mustermann@kontor-demo.de --format text", t_bin(),
	                 work),
	             0);
	cr_assert(strstr(out, "RESTRICTED"), "%s", out);
	free(out);
	cr_assert_eq(t_run(&out, "'%s' access --index '%s/idx' --email erika.mustermann@kontor-demo.de --format html",
	                 t_bin(), work),
	             0);
	cr_assert(strstr(out, "class=\"restricted\""));
	cr_assert(strstr(out, "contested accuracy, ticket 17"));
	free(out);
	/* someone else is not restricted */
	cr_assert_eq(t_run(&out, "'%s' access --index '%s/idx' --email jane.roe@trawl-demo.org", t_bin(), work), 0);
	cr_assert_null(strstr(out, "\"restricted\""));
	free(out);
	/* the restriction record holds the reason and keyed terms, not the address */
	char path[256];
	snprintf(path, sizeof path, "%s/idx/xapian", work);
	trawl_xdb_t *db = NULL;
	cr_assert_eq(trawl_xdb__open(&db, path, false), TRAWL_OK);
	const char *kind = "Krestriction";
	restriction_data_t rd = {0};
	cr_assert_eq(trawl_xdb__each(db, &kind, 1, collect_data, &rd), TRAWL_OK);
	trawl_xdb__free(db);
	cr_assert_eq(rd.n, 1);
	cr_assert(memmem(rd.data.data, rd.data.len, "contested accuracy", 18));
	cr_assert_null(memmem(rd.data.data, rd.data.len, "mustermann", 10));
	cr_assert_null(memmem(rd.data.data, rd.data.len, "Mustermann", 10));
	trawl_buf_free(&rd.data);
	/* lifted: the reports no longer say so */
	cr_assert_eq(t_run(&out, "'%s' restrict --index '%s/idx' --email erika.mustermann@kontor-demo.de --lift", t_bin(),
	                 work),
	             0);
	cr_assert(strstr(out, "lifted on "), "%s", out);
	free(out);
	cr_assert_eq(t_run(&out, "'%s' access --index '%s/idx' --email erika.mustermann@kontor-demo.de", t_bin(), work), 0);
	cr_assert_null(strstr(out, "\"restricted\""));
	free(out);
	cr_assert_eq(t_run(NULL, "'%s' restrict --index '%s/idx' 2>/dev/null", t_bin(), work), 2);
	cr_assert_eq(t_run(NULL, "'%s' restrict --index '%s/nonexistent' --email a@b.de 2>/dev/null", t_bin(), work), 3);
	cr_assert_eq(t_run(NULL, "test -e '%s/nonexistent'", work), 1, "restrict made an index where there was none");
}

Test(lifecycle, retention_lists_messages_older_than_the_period)
{
	char *out = NULL;
	/* every sample message is from 2022 or 2023: all older than a day */
	cr_assert_eq(t_run(&out,
	                 "'%s' retention --index '%s/idx' --older-than 1d | python3 -c 'import json,sys; "
	                 "d=json.load(sys.stdin); print(d[\"summary\"][\"messages\"], d[\"summary\"][\"sources\"], "
	                 "d[\"summary\"][\"by_type\"][\"email\"] > 0, [m[\"date\"][:4] for m in d[\"messages\"]])'",
	                 t_bin(), work),
	             0);
	cr_assert_str_eq(out, "7 5 True ['2022', '2023', '2023', '2023', '2023', '2023', '2023']\n");
	free(out);
	/* a cut-off on 1 January 2023 leaves the one message of 2022 */
	struct tm jan = {.tm_year = 123, .tm_mon = 0, .tm_mday = 1};
	long long days = ((long long)time(NULL) - (long long)timegm(&jan)) / 86400;
	cr_assert_eq(t_run(&out,
	                 "'%s' retention --index '%s/idx' --older-than %lldd --format csv | cut -d, -f2,3,6", t_bin(),
	                 work, days),
	             0);
	char want[4200];
	/* (cut leaves the CR at the end of the last field, cut off) */
	snprintf(want, sizeof want, "message_id,source,email\nsample-7@trawl-demo.org,%s/sample/backup/2022.tar.gz,3\n",
	         work);
	cr_assert_str_eq(out, want);
	free(out);
	cr_assert_eq(t_run(&out, "'%s' retention --index '%s/idx' --older-than 200y", t_bin(), work), 0);
	cr_assert(strstr(out, "\"messages\": []"), "%s", out);
	free(out);
	cr_assert_eq(t_run(NULL, "'%s' retention --index '%s/idx' --older-than soon 2>/dev/null", t_bin(), work), 2);
	cr_assert_eq(t_run(NULL, "'%s' retention --index '%s/idx' 2>/dev/null", t_bin(), work), 2);
}

Test(lifecycle, forget_removes_the_subject_and_keeps_everyone_else)
{
	char *jane_before = access_ids("--email jane.roe@trawl-demo.org");
	char *max_before = access_ids("--email max.beispiel@trawl-demo.org");
	char *out = NULL;
	cr_assert_neq(strlen(jane_before), 0);
	/* without --yes and without a terminal to ask on: refused, nothing changed */
	cr_assert_eq(t_run(NULL, "'%s' forget --index '%s/idx' --email erika.mustermann@kontor-demo.de </dev/null "
	                       "2>/dev/null",
	                 t_bin(), work),
	             2);
	cr_assert_eq(t_run(NULL, "'%s' restrict --index '%s/idx' --email erika.mustermann@kontor-demo.de >/dev/null", t_bin(),
	                 work),
	             0);
	cr_assert_eq(t_run(&out,
	                 "'%s' forget --index '%s/idx' --email erika.mustermann@kontor-demo.de --name 'Erika Mustermann' "
	                 "--yes",
	                 t_bin(), work),
	             0);
	cr_assert(strstr(out, "5 message records rewritten"), "%s", out);
	cr_assert(strstr(out, "1 restriction deleted"), "%s", out);
	/* the links of her messages: one message held only hers, which go;
	 * one holds someone else's too, which stay without hers */
	cr_assert(strstr(out, "1 link and 1 restriction deleted; 1 link record kept for others"), "%s", out);
	free(out);
	char *gone = access_ids("--email erika.mustermann@kontor-demo.de --name 'Erika Mustermann'");
	cr_assert_str_eq(gone, "", "forgotten subject still found: %s", gone);
	free(gone);
	char *jane_after = access_ids("--email jane.roe@trawl-demo.org");
	char *max_after = access_ids("--email max.beispiel@trawl-demo.org");
	cr_assert_str_eq(jane_after, jane_before);
	cr_assert_str_eq(max_after, max_before);
	/* nor does she show as a person, sender or not */
	cr_assert_eq(t_run(&out, "'%s' subjects --index '%s/idx' --format csv", t_bin(), work), 0);
	cr_assert_null(strstr(out, "erika"), "%s", out);
	cr_assert(strstr(out, "jane.roe@trawl-demo.org"));
	free(out);
	free(jane_before);
	free(jane_after);
	free(max_before);
	free(max_after);
}

Test(lifecycle, access_mbox_holds_the_subjects_messages)
{
	char *got = NULL, *expected = NULL;
	int rc = t_run(NULL, "'%s' access --index '%s/idx' --email erika.mustermann@kontor-demo.de --format mbox -o '%s/e.mbox'",
	             t_bin(), work, work);
	cr_assert_eq(rc, 0, "access --format mbox exit %d", rc);
	rc = t_run(&got,
	         "python3 -c 'import mailbox,sys; [print(i) for i in sorted(m[\"Message-ID\"].strip(\"<>\") for m in "
	         "mailbox.mbox(sys.argv[1]))]' '%s/e.mbox'",
	         work);
	cr_assert_eq(rc, 0);
	t_run(&expected, "cat '%s/fixtures/expected/erika-access.ids'", t_src());
	cr_assert_str_eq(got, expected);
	free(got);
	free(expected);
	/* a message changed since the scan is left out, and the exit status says so */
	cr_assert_eq(t_run(NULL, "sed -i '4s/Neue Anschrift/Neue  Anschrift/' '%s/sample/mail/inbox.mbox'", work), 0);
	rc = t_run(&got, "'%s' access --index '%s/idx' --email erika.mustermann@kontor-demo.de --format mbox 2>/dev/null | "
	               "grep -c '^From '",
	         t_bin(), work);
	cr_assert_str_eq(got, "4\n");
	free(got);
	cr_assert_eq(t_run(NULL, "'%s' access --index '%s/idx' --email erika.mustermann@kontor-demo.de --format mbox "
	                       ">/dev/null 2>&1",
	                 t_bin(), work),
	             1);
}

/* mboxrd both ways: what the scanner unquoted is quoted again, so a message
 * read from an mboxrd file comes out byte for byte as it stood. */
Test(lifecycle, access_mbox_round_trips_mboxrd_quoting)
{
	char *out = NULL, *expected = NULL;
	cr_assert_eq(t_run(NULL, "'%s' scan --quiet --index '%s/rd' '%s/fixtures/mbox/mboxrd.mbox'", t_bin(), work, t_src()), 0);
	cr_assert_eq(t_run(&out, "'%s' access --index '%s/rd' --email person1@trawl-demo.org --format mbox", t_bin(), work),
	             0);
	t_run(&expected, "head -10 '%s/fixtures/mbox/mboxrd.mbox'", t_src());
	cr_assert_str_eq(out, expected);
	free(out);
	free(expected);
}

/* ---- trawl_scan_fetch() ---- */

typedef struct {
	trawl_buf_t log;
} fetched_t;

static trawl_status_t
on_fetch(const char *location, const char *raw, size_t len, trawl_status_t status, void *payload)
{
	fetched_t *f = payload;
	const char *at = strrchr(location, '/');
	trawl_buf_printf(&f->log, "%s %d", at ? at + 1 : location, (int)status);
	if (raw) {
		const char *id = memmem(raw, len, "Message-ID: <", 13);
		const char *end = id ? memchr(id, '>', len - (size_t)(id - raw)) : NULL;
		bool quoted = memmem(raw, len, "\nFrom the start", 15) && memmem(raw, len, "\n>From quoted twice", 19);
		trawl_buf_printf(&f->log, " %.*s%s", end ? (int)(end - id - 13) : 0, id ? id + 13 : "",
		                 quoted ? " unquoted-once" : "");
	}
	trawl_buf_putc(&f->log, '\n');
	return TRAWL_OK;
}

Test(fetch, hands_over_the_messages_asked_for_without_parsing)
{
	char path[4096], tgz[4096];
	snprintf(path, sizeof path, "%s/fixtures/mbox/mboxrd.mbox", t_src());
	snprintf(tgz, sizeof tgz, "%s/fixtures/sample/backup/2022.tar.gz", t_src());
	char loc2[4200], loc1[4200], loc9[4200], inner[4200];
	snprintf(loc1, sizeof loc1, "%s#1", path);
	snprintf(loc2, sizeof loc2, "%s#2", path);
	snprintf(loc9, sizeof loc9, "%s#9", path);
	snprintf(inner, sizeof inner, "%s!/mail/2022.mbox#1", tgz);
	const char *locs[] = {loc2, loc9, loc1, loc2};
	trawl_scan_opts_t opts = {0}; /* no detectors: none is needed */
	fetched_t f = {0};
	cr_assert_eq(trawl_scan_fetch(&opts, path, locs, 4, on_fetch, &f), TRAWL_OK);
	/* in the order of the file; each once; the missing one last */
	cr_assert_str_eq(trawl_buf_cstr(&f.log), "mboxrd.mbox#1 0 m1@trawl-demo.org unquoted-once\n"
	                                         "mboxrd.mbox#2 0 m2@trawl-demo.org\n"
	                                         "mboxrd.mbox#9 -4\n");
	trawl_buf_reset(&f.log);
	const char *one[] = {inner};
	cr_assert_eq(trawl_scan_fetch(&opts, tgz, one, 1, on_fetch, &f), TRAWL_OK);
	cr_assert(strstr(trawl_buf_cstr(&f.log), "2022.mbox#1 0 sample-7@trawl-demo"), "%s", trawl_buf_cstr(&f.log));
	trawl_buf_reset(&f.log);
	cr_assert_eq(trawl_scan_fetch(&opts, "/nonexistent/file", one, 1, on_fetch, &f), TRAWL_ENOTFOUND);
	cr_assert_eq(f.log.len, 0);
	trawl_buf_free(&f.log);
}
