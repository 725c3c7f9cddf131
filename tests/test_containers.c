/* Containers within containers: documents attached to mail inside a zip
 * inside a tar.gz (fixtures/attachments), read in memory end to end; zips
 * written to a stream (fixtures/zip), with a wrong central directory, and
 * cut short. ../shared sits beside the clone in CI: the test of its file
 * fails, not skips, without it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trawl/trawl.h"

typedef struct {
	trawl_message_t *msg;
	int n;
} one_t;

static trawl_status_t
keep(trawl_message_t *m, void *payload)
{
	one_t *o = payload;
	o->n++;
	if (o->msg)
		trawl_message_free(o->msg);
	o->msg = m;
	return TRAWL_OK;
}

static bool
has(const trawl_message_t *m, const char *part, trawl_type_t type, const char *norm)
{
	for (size_t i = 0; i < m->findings.len; i++) {
		const trawl_finding_t *f = &m->findings.items[i];
		if (f->type == type && strcmp(f->part, part) == 0 && strcmp(f->norm, norm) == 0 &&
		    f->where == TRAWL_WHERE_ATTACHMENT)
			return true;
	}
	return false;
}

Test(archive, documents_attached_to_mail_in_zip_in_tar_gz)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/fixtures/attachments/backup.tar.gz", getenv("TRAWL_SRC") ? getenv("TRAWL_SRC") : ".");
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f);
	static char data[1 << 20];
	size_t len = fread(data, 1, sizeof data, f);
	fclose(f);

	trawl_detector_set_t *set = NULL;
	cr_assert_eq(trawl_detector_set_new(&set, NULL, NULL), TRAWL_OK);
	trawl_scan_opts_t opts = {.detectors = set};
	one_t o = {0};
	cr_assert_eq(trawl_scan_buffer(&opts, "backup.tar.gz", data, len, keep, NULL, &o), TRAWL_OK);
	cr_assert_eq(o.n, 1);
	const trawl_message_t *m = o.msg;
	cr_assert_str_eq(m->location, "backup.tar.gz!/export.zip!/mail/letters.eml");
	cr_assert_str_eq(m->message_id, "attachments-1@trawl-demo.org");
	/* part 2: letter.docx */
	cr_assert(has(m, "2", TRAWL_TYPE_IBAN, "DE89370400440532013000"));
	cr_assert(has(m, "2", TRAWL_TYPE_PHONE, "+49301234567"));
	cr_assert(has(m, "2", TRAWL_TYPE_EMAIL, "max.beispiel@kontor-demo.de"));
	/* part 3: contacts.xlsx, labelled application/octet-stream */
	cr_assert(has(m, "3", TRAWL_TYPE_EMAIL, "jane.roe@trawl-demo.org"));
	cr_assert(has(m, "3", TRAWL_TYPE_IBAN, "DE89370400440532013000"));
	/* part 4: minutes.odt */
	cr_assert(has(m, "4", TRAWL_TYPE_IBAN, "GB82WEST12345698765432"));
	cr_assert(has(m, "4", TRAWL_TYPE_EMAIL, "jane.doe@trawl-demo.org"));
	/* part 5: invoice.pdf */
	cr_assert(has(m, "5", TRAWL_TYPE_IBAN, "DE89370400440532013000"));
	cr_assert(has(m, "5", TRAWL_TYPE_PHONE, "+49301234567"));
	trawl_message_free(o.msg);
	trawl_detector_set_free(set);
}

/* ---- zips written to a stream (data descriptors), and a wrong central
 * directory (fixtures/zip, ../shared/corpora/real/archives) ---- */

typedef struct {
	trawl_message_t *msgs[8];
	size_t n;
	char skips[4096];
	size_t n_skips;
} all_t;

static trawl_status_t
keep_all(trawl_message_t *m, void *payload)
{
	all_t *a = payload;
	cr_assert_lt(a->n, 8);
	a->msgs[a->n++] = m;
	return TRAWL_OK;
}

static void
note_skip(const trawl_event_t *ev, void *payload)
{
	all_t *a = payload;
	if (ev->type != TRAWL_EVENT_SKIP)
		return;
	a->n_skips++;
	size_t used = strlen(a->skips);
	snprintf(a->skips + used, sizeof a->skips - used, "%s: %s\n", ev->location, ev->reason);
}

static void
scan_file(all_t *a, const char *rel, const char *name, size_t cut)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", getenv("TRAWL_SRC") ? getenv("TRAWL_SRC") : ".", rel);
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	static char data[1 << 20];
	size_t len = fread(data, 1, sizeof data, f);
	fclose(f);
	if (cut && cut < len)
		len = cut;
	char *copy = malloc(len); /* exact size: a read past the end shows under ASan */
	memcpy(copy, data, len);
	trawl_detector_set_t *set = NULL;
	cr_assert_eq(trawl_detector_set_new(&set, NULL, NULL), TRAWL_OK);
	trawl_scan_opts_t opts = {.detectors = set};
	memset(a, 0, sizeof *a);
	cr_assert_eq(trawl_scan_buffer(&opts, name, copy, len, keep_all, note_skip, a), TRAWL_OK);
	trawl_detector_set_free(set);
	free(copy);
}

static bool
has_in(const trawl_message_t *m, trawl_type_t type, const char *norm)
{
	for (size_t i = 0; i < m->findings.len; i++)
		if (m->findings.items[i].type == type && strcmp(m->findings.items[i].norm, norm) == 0)
			return true;
	return false;
}

static void
all_free(all_t *a)
{
	for (size_t i = 0; i < a->n; i++)
		trawl_message_free(a->msgs[i]);
}

/* Both messages of a zip and their data, under their member names. */
static void
assert_both_mails(const all_t *a, const char *name)
{
	char loc[256];
	cr_assert_eq(a->n, 2, "%s: %zu records; %s", name, a->n, a->skips);
	snprintf(loc, sizeof loc, "%s!/mail/1.eml", name);
	cr_assert_str_eq(a->msgs[0]->location, loc);
	cr_assert_str_eq(a->msgs[0]->message_id, "zip-stream-1@kontor-demo.de");
	cr_assert(has_in(a->msgs[0], TRAWL_TYPE_IBAN, "DE89370400440532013000"));
	snprintf(loc, sizeof loc, "%s!/mail/2.eml", name);
	cr_assert_str_eq(a->msgs[1]->location, loc);
	cr_assert(has_in(a->msgs[1], TRAWL_TYPE_IBAN, "GB82WEST12345698765432"));
	cr_assert(has_in(a->msgs[1], TRAWL_TYPE_EMAIL, "jane.doe@trawl-demo.org"));
}

Test(archive, zips_written_to_a_stream_with_data_descriptors)
{
	static const char *const files[] = {"stream-stored.zip", "stream-deflated.zip"};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char rel[256];
		snprintf(rel, sizeof rel, "fixtures/zip/%s", files[i]);
		all_t a;
		scan_file(&a, rel, files[i], 0);
		assert_both_mails(&a, files[i]);
		cr_assert_eq(a.n_skips, 0, "%s", a.skips);
		all_free(&a);
	}
}

Test(archive, zip_whose_central_directory_is_wrong_is_read_from_its_local_headers)
{
	all_t a;
	scan_file(&a, "fixtures/zip/wrong-offsets.zip", "wrong-offsets.zip", 0);
	assert_both_mails(&a, "wrong-offsets.zip");
	cr_assert_eq(a.n_skips, 0, "%s", a.skips);
	all_free(&a);
}

/* Apache Tika's test file: stored members with data descriptors, and a
 * central directory whose offsets leave the descriptors out. Its five
 * members are four bytes each (not mail): each is reported as such, none
 * lost to "Damaged Zip archive". */
Test(archive, tika_zip_with_data_descriptor_gives_its_five_members)
{
	all_t a;
	scan_file(&a, "../shared/corpora/real/archives/apache-tika/testZip_with_DataDescriptor.zip", "tika.zip", 0);
	cr_assert_eq(a.n, 0);
	cr_assert_eq(a.n_skips, 5, "%s", a.skips);
	for (int i = 0; i < 5; i++) {
		char want[64];
		snprintf(want, sizeof want, "tika.zip!/en%d: not mail", i);
		cr_assert_not_null(strstr(a.skips, want), "%s not in\n%s", want, a.skips);
	}
	cr_assert_null(strstr(a.skips, "corrupt"), "%s", a.skips);
	all_free(&a);
}

/* A zip cut short, its central directory gone: the members before the cut
 * are read (from the local headers), the cut one reported. */
Test(archive, truncated_zip_gives_the_members_before_the_cut)
{
	all_t a;
	scan_file(&a, "fixtures/zip/stream-deflated.zip", "cut.zip", 400);
	cr_assert_eq(a.n, 1, "%s", a.skips);
	cr_assert_str_eq(a.msgs[0]->location, "cut.zip!/mail/1.eml");
	cr_assert_eq(a.n_skips, 1, "%s", a.skips);
	cr_assert_not_null(strstr(a.skips, "cut.zip!/mail/2.eml: corrupt member"), "%s", a.skips);
	all_free(&a);

	scan_file(&a, "fixtures/zip/stream-deflated.zip", "head.zip", 20);
	cr_assert_eq(a.n, 0);
	cr_assert_not_null(strstr(a.skips, "head.zip: corrupt zip"), "%s", a.skips);
	all_free(&a);
}
