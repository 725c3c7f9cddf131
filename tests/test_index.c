/* Index tests: the folder and its modes, what is stored (and what never
 * is), access, erase and stats reports, transactions and locking.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem, nftw */
#endif
#include <criterion/criterion.h>
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index/xdb.h"
#include "trawl/trawl.h"

#define CARD "4111111111111111"
#define CARD_SPACED "4111 1111 1111 1111"
#define IBAN "DE89370400440532013000"
#define IBAN_SPACED "DE89 3704 0044 0532 0130 00"

static char tmpdir[64];
static char idxdir[128];

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void
setup(void)
{
	strcpy(tmpdir, "/tmp/trawl-test-index-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	snprintf(idxdir, sizeof idxdir, "%s/idx", tmpdir);
}

static void
teardown(void)
{
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(index, .init = setup, .fini = teardown);

/* ---- building records by hand ---- */

static char *
dup0(const char *s)
{
	return s ? strdup(s) : NULL;
}

static trawl_message_t *
msg_new(const char *source, const char *location, const char *from, const char *from_name,
        const char *date, int64_t time, const char *subject)
{
	trawl_message_t *m = calloc(1, sizeof *m);
	m->kind = TRAWL_ITEM_MESSAGE;
	m->source = dup0(source);
	m->location = dup0(location);
	char id[256];
	snprintf(id, sizeof id, "%s@test", location);
	m->message_id = dup0(id);
	m->date = dup0(date);
	m->time = time;
	m->from = dup0(from);
	m->from_name = dup0(from_name);
	m->subject = dup0(subject);
	m->content_hash = dup0("00");
	m->size = 100;
	return m;
}

static void
finding(trawl_message_t *m, trawl_type_t type, trawl_where_t where, const char *part, const char *value,
        const char *norm, size_t start)
{
	trawl_finding_t f = {
		.type = type,
		.where = where,
		.part = (char *)part,
		.value = (char *)value,
		.norm = (char *)norm,
		.start = start,
		.end = start + strlen(value),
		.confidence = 0.9,
		.rule = (char *)"test",
	};
	cr_assert_eq(trawl_findings_add(&m->findings, &f), TRAWL_OK);
}

static void
add(trawl_index_t *idx, trawl_message_t *m)
{
	trawl_status_t rc = trawl_index_add_message(idx, m);
	cr_assert_eq(rc, TRAWL_OK, "add_message: %s", trawl_index_last_error(idx));
	trawl_message_free(m);
}

static void
event(trawl_index_t *idx, trawl_event_type_t type, const char *source, const char *kind, const char *location,
      const char *reason, uint64_t messages)
{
	trawl_event_t ev = {
		.type = type,
		.source = source,
		.kind = kind,
		.location = location,
		.reason = reason,
		.messages = messages,
		.bytes = 1234,
		.mtime = 1600000000,
	};
	trawl_status_t rc = trawl_index_add_event(idx, &ev);
	cr_assert_eq(rc, TRAWL_OK, "add_event: %s", trawl_index_last_error(idx));
}

/* Erika's mail, and mail that is not about her:
 *   inbox.mbox#1  Erika -> John; her card, IBAN and phone in the body
 *   inbox.mbox#2  John -> team; nothing of Erika
 *   backup.zip!/a.eml  Erika -> Erika; only her own data
 *   other.mbox#1  Max -> John; names Erika in the body (name only)
 * plus a skipped member in backup.zip and an unreadable file. */
static void
fill(trawl_index_t *idx)
{
	trawl_message_t *m;

	event(idx, TRAWL_EVENT_SOURCE_BEGIN, "inbox.mbox", "mbox", NULL, NULL, 0);
	m = msg_new("inbox.mbox", "inbox.mbox#1", "erika@example.net", "Erika Mustermann", "2021-03-17T22:55:54Z",
	            1616021754, "Payment " CARD_SPACED);
	finding(m, TRAWL_TYPE_NAME, TRAWL_WHERE_HEADER, "header:From", "Erika Mustermann", "erika mustermann", 0);
	finding(m, TRAWL_TYPE_EMAIL, TRAWL_WHERE_HEADER, "header:From", "erika@example.net", "erika@example.net", 18);
	finding(m, TRAWL_TYPE_NAME, TRAWL_WHERE_HEADER, "header:To", "John Doe", "john doe", 0);
	finding(m, TRAWL_TYPE_EMAIL, TRAWL_WHERE_HEADER, "header:To", "john.doe@example.com", "john.doe@example.com",
	        10);
	finding(m, TRAWL_TYPE_CARD, TRAWL_WHERE_HEADER, "header:Subject", CARD_SPACED, CARD, 8);
	finding(m, TRAWL_TYPE_CARD, TRAWL_WHERE_BODY, "1", CARD_SPACED, CARD, 40);
	finding(m, TRAWL_TYPE_IBAN, TRAWL_WHERE_BODY, "1", IBAN_SPACED, IBAN, 80);
	finding(m, TRAWL_TYPE_PHONE, TRAWL_WHERE_BODY, "1", "+49 (0)30 6423 7132", "+493064237132", 120);
	add(idx, m);

	m = msg_new("inbox.mbox", "inbox.mbox#2", "john.doe@example.com", "John Doe", "2021-03-18T08:00:00Z",
	            1616054400, "Lunch?");
	finding(m, TRAWL_TYPE_EMAIL, TRAWL_WHERE_HEADER, "header:From", "john.doe@example.com",
	        "john.doe@example.com", 0);
	finding(m, TRAWL_TYPE_EMAIL, TRAWL_WHERE_HEADER, "header:To", "team@example.org", "team@example.org", 0);
	add(idx, m);
	event(idx, TRAWL_EVENT_SOURCE_END, "inbox.mbox", "mbox", NULL, NULL, 2);

	event(idx, TRAWL_EVENT_SOURCE_BEGIN, "backup.zip", "zip", NULL, NULL, 0);
	m = msg_new("backup.zip", "backup.zip!/a.eml", "erika@example.net", NULL, "2020-01-01T00:00:00Z", 1577836800,
	            "Note to self");
	finding(m, TRAWL_TYPE_EMAIL, TRAWL_WHERE_HEADER, "header:From", "erika@example.net", "erika@example.net", 0);
	finding(m, TRAWL_TYPE_EMAIL, TRAWL_WHERE_HEADER, "header:To", "Erika@Example.NET", "erika@example.net", 0);
	add(idx, m);
	event(idx, TRAWL_EVENT_SKIP, "backup.zip", NULL, "backup.zip!/secret.zip", "encrypted member", 0);
	event(idx, TRAWL_EVENT_SOURCE_END, "backup.zip", "zip", NULL, NULL, 1);

	event(idx, TRAWL_EVENT_SOURCE_BEGIN, "other.mbox", "mbox", NULL, NULL, 0);
	m = msg_new("other.mbox", "other.mbox#1", "max@example.org", NULL, "2022-05-05T10:00:00Z", 1651744800,
	            "About Erika");
	finding(m, TRAWL_TYPE_EMAIL, TRAWL_WHERE_HEADER, "header:From", "max@example.org", "max@example.org", 0);
	finding(m, TRAWL_TYPE_NAME, TRAWL_WHERE_BODY, "1", "Mustermann, Erika", "erika mustermann", 5);
	add(idx, m);
	event(idx, TRAWL_EVENT_SOURCE_END, "other.mbox", "mbox", NULL, NULL, 1);

	event(idx, TRAWL_EVENT_SKIP, "locked.mbox", NULL, "locked.mbox", "permission denied", 0);
}

static trawl_index_t *
open_filled(void)
{
	trawl_index_t *idx = NULL;
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_WRITE), TRAWL_OK, "%s",
	             trawl_index_last_error(idx));
	fill(idx);
	cr_assert_eq(trawl_index_commit(idx), TRAWL_OK, "%s", trawl_index_last_error(idx));
	trawl_index_free(idx);
	idx = NULL;
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_READ), TRAWL_OK, "%s",
	             trawl_index_last_error(idx));
	return idx;
}

static trawl_access_t *
access_of(trawl_index_t *idx, const char *email, const char *name, const char *phone)
{
	const char *emails[] = {email}, *names[] = {name}, *phones[] = {phone};
	trawl_selector_t sel = {
		.emails = emails, .n_emails = email ? 1 : 0,
		.names = names,   .n_names = name ? 1 : 0,
		.phones = phones, .n_phones = phone ? 1 : 0,
	};
	trawl_access_t *a = NULL;
	trawl_status_t rc = trawl_index_access(idx, &sel, &a);
	cr_assert_eq(rc, TRAWL_OK, "access: %s", trawl_index_last_error(idx));
	return a;
}

static bool
has_location(const trawl_access_t *a, const char *location)
{
	for (size_t i = 0; i < a->n_messages; i++)
		if (strcmp(a->messages[i].location, location) == 0)
			return true;
	return false;
}

/* Renders a report into a malloc'd string. */
static char *
render(trawl_status_t (*fn)(FILE *, const void *, trawl_format_t), const void *what, trawl_format_t format)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	cr_assert_eq(fn(f, what, format), TRAWL_OK);
	fclose(f);
	return buf;
}

static trawl_status_t
r_access(FILE *f, const void *a, trawl_format_t fmt)
{
	return trawl_report_access(f, a, fmt);
}
static trawl_status_t
r_erase(FILE *f, const void *a, trawl_format_t fmt)
{
	return trawl_report_erase(f, a, fmt);
}
static trawl_status_t
r_stats(FILE *f, const void *a, trawl_format_t fmt)
{
	return trawl_report_stats(f, a, fmt);
}
static trawl_status_t
r_people(FILE *f, const void *a, trawl_format_t fmt)
{
	return trawl_report_people(f, a, fmt);
}

/* ---- the folder ---- */

Test(index, write_open_creates_folder_0700_and_secret_0600)
{
	trawl_index_t *idx = NULL;
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_WRITE), TRAWL_OK, "%s",
	             trawl_index_last_error(idx));
	struct stat st;
	cr_assert_eq(stat(idxdir, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0700, "folder mode %o", st.st_mode & 07777);
	char path[256];
	snprintf(path, sizeof path, "%s/secret", idxdir);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600, "secret mode %o", st.st_mode & 07777);
	cr_assert_eq(st.st_size, 32);
	trawl_index_free(idx);
}

Test(index, write_open_tightens_an_existing_folder_to_0700)
{
	cr_assert_eq(mkdir(idxdir, 0755), 0);
	chmod(idxdir, 0755);
	trawl_index_t *idx = NULL;
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_WRITE), TRAWL_OK);
	struct stat st;
	cr_assert_eq(stat(idxdir, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0700);
	trawl_index_free(idx);
}

Test(index, read_open_of_a_missing_index_is_not_found_with_a_reason)
{
	trawl_index_t *idx = NULL;
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_READ), TRAWL_ENOTFOUND);
	cr_assert_not_null(idx);
	cr_assert(strstr(trawl_index_last_error(idx), "no index here"), "%s", trawl_index_last_error(idx));
	trawl_index_free(idx);
}

Test(index, reopening_keeps_the_secret_so_old_records_are_found)
{
	trawl_index_t *idx = open_filled();
	trawl_index_free(idx);
	idx = NULL;
	/* a second writer session, then a reader */
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_WRITE), TRAWL_OK);
	cr_assert_eq(trawl_index_commit(idx), TRAWL_OK);
	trawl_index_free(idx);
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_READ), TRAWL_OK);
	trawl_access_t *a = access_of(idx, "erika@example.net", NULL, NULL);
	cr_assert_eq(a->n_messages, 2);
	trawl_access_free(a);
	trawl_index_free(idx);
}

Test(index, a_database_without_its_secret_is_refused_as_corrupt)
{
	trawl_index_t *idx = open_filled();
	trawl_index_free(idx);
	idx = NULL;
	char path[256];
	snprintf(path, sizeof path, "%s/secret", idxdir);
	cr_assert_eq(unlink(path), 0);
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_WRITE), TRAWL_ECORRUPT);
	trawl_index_free(idx);
	idx = NULL;
	cr_assert_eq(access(path, F_OK), -1, "no new secret may be made for an old database");
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_READ), TRAWL_ECORRUPT);
	trawl_index_free(idx);
}

/* An index whose terms and records are of another form (an older trawl's
 * hex terms, format 1, carried no marker) is refused with a reason, read
 * or write, rather than searched and found empty. */
Test(index, an_index_of_another_format_is_refused)
{
	/* unmarked, as format 1 was; 3, whose links were documents of their
	 * own; and 5, whose records were in a value slot */
	static const char *const marks[] = {"", "3", "5"};
	static const char *const said[] = {"index format 1, this trawl reads 6", "index format 3, this trawl reads 6",
	                                   "index format 5, this trawl reads 6"};
	trawl_index_t *idx = open_filled(); /* committed, open to read */
	trawl_index_free(idx);
	idx = NULL;
	char path[256];
	snprintf(path, sizeof path, "%s/xapian", idxdir);
	for (size_t i = 0; i < 3; i++) {
		trawl_xdb_t *db = NULL;
		cr_assert_eq(trawl_xdb__open(&db, path, true), TRAWL_OK);
		cr_assert_eq(trawl_xdb__set_meta(db, "trawl.format", marks[i]), TRAWL_OK);
		cr_assert_eq(trawl_xdb__commit(db), TRAWL_OK);
		trawl_xdb__free(db);
		cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_READ), TRAWL_EINDEX);
		cr_assert(strstr(trawl_index_last_error(idx), said[i]), "%s", trawl_index_last_error(idx));
		trawl_index_free(idx);
		idx = NULL;
		cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_WRITE), TRAWL_EINDEX);
		trawl_index_free(idx);
		idx = NULL;
	}
}

/* A new index's Xapian database stores term lists and records undeflated
 * (index/xdb.cc, create_undeflated()): made beside its place and moved
 * there, leaving nothing else behind, and searched as any other. A database
 * folder that was already there (here an empty one) is opened as Xapian
 * makes it. */
Test(index, a_new_database_stores_term_lists_and_records_undeflated)
{
	char path[256];
	snprintf(path, sizeof path, "%s/xapian", idxdir);
	trawl_index_t *idx = open_filled();
	cr_assert_eq(trawl_xdb__compress_min(path, TRAWL_XDB_TERMLIST), 0);
	cr_assert_eq(trawl_xdb__compress_min(path, TRAWL_XDB_DOCDATA), 0);
	trawl_access_t *a = access_of(idx, "Erika@Example.net", NULL, NULL);
	cr_assert_eq(a->n_messages, 2);
	trawl_access_free(a);
	trawl_index_free(idx);
	size_t entries = 0;
	DIR *d = opendir(idxdir);
	cr_assert_not_null(d);
	for (struct dirent *e; (e = readdir(d));)
		if (e->d_name[0] != '.') {
			cr_assert(!strcmp(e->d_name, "secret") || !strcmp(e->d_name, "xapian"), "%s", e->d_name);
			entries++;
		}
	closedir(d);
	cr_assert_eq(entries, 2);

	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	cr_assert_eq(mkdir(path, 0700), 0);
	idx = open_filled();
	cr_assert_eq(trawl_xdb__compress_min(path, TRAWL_XDB_TERMLIST), 18);
	cr_assert_eq(trawl_xdb__compress_min(path, TRAWL_XDB_DOCDATA), 18);
	a = access_of(idx, "Erika@Example.net", NULL, NULL);
	cr_assert_eq(a->n_messages, 2);
	trawl_access_free(a);
	trawl_index_free(idx);
}

/* ---- what is stored ---- */

static int found_secret;

static int
scan_file(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag != FTW_F || st->st_size == 0)
		return 0;
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	char *buf = malloc((size_t)st->st_size);
	size_t n = fread(buf, 1, (size_t)st->st_size, f);
	fclose(f);
	const char *needles[] = {CARD, CARD_SPACED, IBAN, IBAN_SPACED, "370400440532013000", "411111111111"};
	for (size_t i = 0; i < sizeof needles / sizeof *needles; i++) {
		if (memmem(buf, n, needles[i], strlen(needles[i]))) {
			cr_log_error("%s holds %s", path, needles[i]);
			found_secret++;
		}
	}
	free(buf);
	return 0;
}

Test(index, no_file_of_the_index_holds_a_full_card_number_or_iban)
{
	trawl_index_t *idx = open_filled();
	trawl_index_free(idx);
	found_secret = 0;
	cr_assert_eq(nftw(idxdir, scan_file, 16, FTW_PHYS), 0);
	cr_assert_eq(found_secret, 0);
}

Test(index, cards_and_ibans_come_back_masked_with_the_last_four)
{
	trawl_index_t *idx = open_filled();
	trawl_access_t *a = access_of(idx, "erika@example.net", NULL, NULL);
	const trawl_index_message_t *m = NULL;
	for (size_t i = 0; i < a->n_messages; i++)
		if (strcmp(a->messages[i].location, "inbox.mbox#1") == 0)
			m = &a->messages[i];
	cr_assert_not_null(m);
	int cards = 0, ibans = 0;
	for (size_t i = 0; i < m->n_findings; i++) {
		const trawl_index_finding_t *f = &m->findings[i];
		if (f->type == TRAWL_TYPE_CARD) {
			cr_assert_str_eq(f->value, "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2 "
			                           "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2 "
			                           "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2 1111");
			cards++;
		}
		if (f->type == TRAWL_TYPE_IBAN) {
			cr_assert(strncmp(f->value, "DE", 2) == 0 && strstr(f->value, " 3000"), "%s", f->value);
			ibans++;
		}
	}
	cr_assert_eq(cards, 2);
	cr_assert_eq(ibans, 1);
	cr_assert_null(strstr(m->subject, "1111 1111"), "subject kept the card: %s", m->subject);
	cr_assert(strstr(m->subject, "Payment "), "%s", m->subject);
	trawl_access_free(a);
	trawl_index_free(idx);
}

/* ---- access ---- */

Test(index, access_by_email_finds_the_persons_messages_and_no_others)
{
	trawl_index_t *idx = open_filled();
	trawl_access_t *a = access_of(idx, "Erika@Example.net", NULL, NULL);
	cr_assert_eq(a->n_messages, 2);
	cr_assert(has_location(a, "inbox.mbox#1"));
	cr_assert(has_location(a, "backup.zip!/a.eml"));
	cr_assert_not(has_location(a, "inbox.mbox#2"));
	cr_assert_not(has_location(a, "other.mbox#1"));
	/* by date */
	cr_assert_str_eq(a->messages[0].location, "backup.zip!/a.eml");
	/* her address, then the name beside it in headers: hers where it
	 * stands, but not searched (other.mbox#1 only names her) */
	cr_assert_eq(a->n_identifiers, 2);
	cr_assert_str_eq(a->identifiers[0].norm, "erika@example.net");
	cr_assert_eq(a->identifiers[0].via, TRAWL_LINK_NONE);
	cr_assert_str_eq(a->identifiers[1].norm, "erika mustermann");
	cr_assert_eq(a->identifiers[1].via, TRAWL_LINK_HEADER);
	cr_assert_not(a->identifiers[1].searched);
	cr_assert_eq(a->n_sources, 2);
	cr_assert_str_eq(a->sources[0].source, "backup.zip");
	cr_assert_str_eq(a->sources[0].kind, "zip");
	trawl_access_free(a);
	trawl_index_free(idx);
}

Test(index, access_by_name_normalises_and_finds_body_mentions)
{
	trawl_index_t *idx = open_filled();
	trawl_access_t *a = access_of(idx, NULL, "  ERIKA   Mustermann ", NULL);
	cr_assert_eq(a->n_messages, 2, "got %zu", a->n_messages);
	cr_assert(has_location(a, "inbox.mbox#1"));
	cr_assert(has_location(a, "other.mbox#1"));
	cr_assert_not(has_location(a, "inbox.mbox#2"));
	trawl_access_free(a);
	a = access_of(idx, NULL, "Mustermann, Erika", NULL);
	cr_assert_eq(a->n_messages, 2);
	trawl_access_free(a);
	trawl_index_free(idx);
}

Test(index, access_by_phone_strips_punctuation_and_trunk_zero)
{
	trawl_index_t *idx = open_filled();
	trawl_access_t *a = access_of(idx, NULL, NULL, "+49 (0)30 6423-7132");
	cr_assert_eq(a->n_messages, 1);
	cr_assert_str_eq(a->messages[0].location, "inbox.mbox#1");
	cr_assert_str_eq(a->identifiers[0].norm, "+493064237132");
	trawl_access_free(a);
	a = access_of(idx, NULL, NULL, "0049 30 64237132");
	cr_assert_eq(a->n_messages, 1);
	trawl_access_free(a);
	trawl_index_free(idx);
}

Test(index, access_marks_only_the_subjects_findings)
{
	trawl_index_t *idx = open_filled();
	trawl_access_t *a = access_of(idx, "erika@example.net", NULL, NULL);
	for (size_t i = 0; i < a->n_messages; i++) {
		const trawl_index_message_t *m = &a->messages[i];
		for (size_t j = 0; j < m->n_findings; j++) {
			const trawl_index_finding_t *f = &m->findings[j];
			bool hers = (f->type == TRAWL_TYPE_EMAIL && strcmp(f->value, "erika@example.net") == 0) ||
			            (f->type == TRAWL_TYPE_NAME && strcmp(f->value, "erika mustermann") == 0);
			cr_assert_eq(f->subject, hers, "%s %s", trawl_type_name(f->type), f->value);
		}
	}
	trawl_access_free(a);
	trawl_index_free(idx);
}

Test(index, access_of_an_unknown_person_is_empty_and_an_empty_selector_is_refused)
{
	trawl_index_t *idx = open_filled();
	trawl_access_t *a = access_of(idx, "nobody@example.net", NULL, NULL);
	cr_assert_eq(a->n_messages, 0);
	trawl_access_free(a);
	trawl_selector_t none = {0};
	a = NULL;
	cr_assert_eq(trawl_index_access(idx, &none, &a), TRAWL_EINVAL);
	cr_assert_null(a);
	trawl_index_free(idx);
}

Test(index, a_record_with_the_same_location_replaces_the_old_one)
{
	trawl_index_t *idx = NULL;
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_WRITE), TRAWL_OK);
	/* x.mbox#1 three times over (with one finding more each time, one
	 * commit between), beside x.mbox#2, without a SOURCE_BEGIN */
	for (int i = 0; i < 3; i++) {
		trawl_message_t *m = msg_new("x.mbox", "x.mbox#1", "a@example.net", NULL, NULL, 0, NULL);
		finding(m, TRAWL_TYPE_EMAIL, TRAWL_WHERE_HEADER, "header:From", "a@example.net", "a@example.net", 0);
		for (int k = 0; k < i; k++)
			finding(m, TRAWL_TYPE_PHONE, TRAWL_WHERE_BODY, "1", "+49 30 1234567", "+49301234567", 10 + 20 * (size_t)k);
		add(idx, m);
		if (i == 1)
			cr_assert_eq(trawl_index_commit(idx), TRAWL_OK);
		if (i == 0) {
			m = msg_new("x.mbox", "x.mbox#2", "b@example.net", NULL, NULL, 0, NULL);
			finding(m, TRAWL_TYPE_EMAIL, TRAWL_WHERE_HEADER, "header:From", "b@example.net", "b@example.net", 0);
			add(idx, m);
		}
	}
	cr_assert_eq(trawl_index_commit(idx), TRAWL_OK);
	trawl_access_t *a = access_of(idx, "a@example.net", NULL, NULL);
	cr_assert_eq(a->n_messages, 1);
	cr_assert_null(a->messages[0].date);
	cr_assert_eq(a->messages[0].n_findings, 3);
	trawl_access_free(a);
	a = access_of(idx, "b@example.net", NULL, NULL);
	cr_assert_eq(a->n_messages, 1);
	trawl_access_free(a);
	trawl_stats_t *st = NULL;
	cr_assert_eq(trawl_index_stats(idx, &st), TRAWL_OK);
	cr_assert_eq(st->messages, 2);
	cr_assert_eq(st->findings[TRAWL_TYPE_EMAIL], 2);
	cr_assert_eq(st->findings[TRAWL_TYPE_PHONE], 2);
	cr_assert_eq(st->n_sources, 1);
	cr_assert_eq(st->sources[0].messages, 2);
	trawl_stats_free(st);
	trawl_index_free(idx);
}

Test(index, source_begin_drops_what_an_earlier_scan_found_in_it)
{
	trawl_index_t *idx = open_filled();
	trawl_index_free(idx);
	idx = NULL;
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_WRITE), TRAWL_OK);
	event(idx, TRAWL_EVENT_SOURCE_BEGIN, "inbox.mbox", "mbox", NULL, NULL, 0);
	event(idx, TRAWL_EVENT_SOURCE_END, "inbox.mbox", "mbox", NULL, NULL, 0);
	cr_assert_eq(trawl_index_commit(idx), TRAWL_OK);
	trawl_access_t *a = access_of(idx, "erika@example.net", NULL, NULL);
	cr_assert_eq(a->n_messages, 1);
	cr_assert_str_eq(a->messages[0].location, "backup.zip!/a.eml");
	trawl_access_free(a);
	trawl_index_source_t *s = NULL;
	cr_assert_eq(trawl_index_source(idx, "inbox.mbox", &s), TRAWL_OK);
	cr_assert_eq(s->messages, 0);
	cr_assert_eq(s->size, 1234);
	cr_assert_eq(s->mtime, 1600000000);
	trawl_index_source_free(s);
	cr_assert_eq(trawl_index_source(idx, "nowhere.mbox", &s), TRAWL_ENOTFOUND);
	trawl_index_free(idx);
}

static trawl_status_t
count_doc(uint32_t docid, const void *data, size_t len, void *payload)
{
	(void)docid, (void)data, (void)len;
	++*(uint64_t *)payload;
	return TRAWL_OK;
}

/* The source record documents in the index as last committed. */
static uint64_t
source_records(void)
{
	char path[256];
	snprintf(path, sizeof path, "%s/xapian", idxdir);
	trawl_xdb_t *db = NULL;
	uint64_t n = 0;
	cr_assert_eq(trawl_xdb__open(&db, path, false), TRAWL_OK);
	cr_assert_eq(trawl_xdb__each_value(db, TRAWL_XDB_SLOT_SOURCE, NULL, 0, count_doc, &n), TRAWL_OK);
	trawl_xdb__free(db);
	return n;
}

/* Reading k (0 or 1) of inbox.mbox begins: its SOURCE_BEGIN and its one
 * message, inbox.mbox#1 the first time and #2 the second. */
static void
begin_inbox_reading(trawl_index_t *idx, int k)
{
	event(idx, TRAWL_EVENT_SOURCE_BEGIN, "inbox.mbox", "mbox", NULL, NULL, 0);
	trawl_message_t *m =
	    msg_new("inbox.mbox", k ? "inbox.mbox#2" : "inbox.mbox#1", "erika@example.net", NULL, NULL, 0, NULL);
	finding(m, TRAWL_TYPE_EMAIL, TRAWL_WHERE_HEADER, "header:From", "erika@example.net", "erika@example.net", 0);
	add(idx, m);
}

/* Only the second reading of inbox.mbox is in the index, among `sources`
 * sources with one record each; frees idx. */
static void
assert_second_inbox_reading(trawl_index_t *idx, size_t sources)
{
	trawl_access_t *a = access_of(idx, "erika@example.net", NULL, NULL);
	cr_assert_eq(a->n_messages, 1);
	cr_assert_str_eq(a->messages[0].location, "inbox.mbox#2");
	trawl_access_free(a);
	trawl_stats_t *st = NULL;
	cr_assert_eq(trawl_index_stats(idx, &st), TRAWL_OK);
	cr_assert_eq(st->messages, 1);
	cr_assert_eq(st->n_sources, sources, "got %zu sources", st->n_sources);
	trawl_stats_free(st);
	trawl_index_free(idx);
	cr_assert_eq(source_records(), sources);
}

/* In an index that was empty when opened, sources are added without a
 * look-up for what they replace; one read twice in the same session is
 * replaced all the same, and its record written twice is one record. */
Test(index, a_source_read_twice_in_a_fresh_index_keeps_the_second_reading)
{
	trawl_index_t *idx = NULL;
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_WRITE), TRAWL_OK);
	for (int k = 0; k < 2; k++) {
		begin_inbox_reading(idx, k);
		cr_assert_eq(trawl_index_commit(idx), TRAWL_OK); /* writes the record halfway */
		cr_assert_eq(source_records(), 1, "after the commit of reading %d", k + 1);
		event(idx, TRAWL_EVENT_SOURCE_END, "inbox.mbox", "mbox", NULL, NULL, 1);
	}
	cr_assert_eq(trawl_index_commit(idx), TRAWL_OK);
	assert_second_inbox_reading(idx, 1);
}

/* The same after the first reading's record has left memory: a commit
 * after a source's end lets it go (index.c, evict_sources()), and the
 * second reading still replaces what the first stored. */
Test(index, a_source_read_again_after_its_record_left_memory_keeps_the_second_reading)
{
	trawl_index_t *idx = NULL;
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_WRITE), TRAWL_OK);
	for (int k = 0; k < 2; k++) {
		begin_inbox_reading(idx, k);
		event(idx, TRAWL_EVENT_SOURCE_END, "inbox.mbox", "mbox", NULL, NULL, 1);
		/* a source read once in between, and one still being read */
		event(idx, TRAWL_EVENT_SOURCE_BEGIN, k ? "later.mbox" : "other.mbox", "mbox", NULL, NULL, 0);
		if (!k)
			event(idx, TRAWL_EVENT_SOURCE_END, "other.mbox", "mbox", NULL, NULL, 0);
		cr_assert_eq(trawl_index_commit(idx), TRAWL_OK);
		cr_assert_eq(source_records(), 2 + (size_t)k, "after the commit of reading %d", k + 1);
	}
	event(idx, TRAWL_EVENT_SOURCE_END, "later.mbox", "mbox", NULL, NULL, 0);
	cr_assert_eq(trawl_index_commit(idx), TRAWL_OK);
	assert_second_inbox_reading(idx, 3);
}

/* The findings by type in stats are what the records hold, also after a
 * subject was forgotten (each source's record counts its own, index.c):
 * counted again over every record, by retention's listing of all of them
 * (every record of fill() has a date), after records were rewritten and
 * deleted. */
Test(index, stats_count_what_the_records_hold_after_a_subject_is_forgotten)
{
	trawl_index_t *idx = open_filled();
	trawl_index_free(idx);
	idx = NULL;
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_WRITE), TRAWL_OK);
	static const char *const who[] = {"erika@example.net", "max@example.org"};
	uint64_t before = 0;
	for (size_t k = 0; k < 2; k++) {
		trawl_stats_t *st = NULL;
		cr_assert_eq(trawl_index_stats(idx, &st), TRAWL_OK);
		uint64_t total = 0;
		for (int t = 0; t < TRAWL_TYPE_COUNT; t++)
			total += st->findings[t];
		trawl_stats_free(st);
		if (k == 0)
			before = total;

		const char *emails[] = {who[k]};
		trawl_selector_t sel = {.emails = emails, .n_emails = 1};
		trawl_forget_t done = {0};
		cr_assert_eq(trawl_index_forget(idx, &sel, &done), TRAWL_OK, "%s", trawl_index_last_error(idx));
		cr_assert_eq(trawl_index_commit(idx), TRAWL_OK);
		cr_assert_gt(done.findings, 0);
		if (k == 0) { /* inbox.mbox#1 keeps John's; backup.zip!/a.eml held only hers */
			cr_assert_gt(done.rewritten, 0);
			cr_assert_gt(done.deleted, 0);
		}

		trawl_retention_t *r = NULL;
		cr_assert_eq(trawl_index_retention(idx, INT64_MAX, &r), TRAWL_OK, "%s", trawl_index_last_error(idx));
		cr_assert_eq(trawl_index_stats(idx, &st), TRAWL_OK);
		uint64_t after = 0;
		for (int t = 0; t < TRAWL_TYPE_COUNT; t++) {
			cr_assert_eq(st->findings[t], r->by_type[t], "%s after forgetting %s: stats %llu, records %llu",
			             trawl_type_name((trawl_type_t)t), who[k], (unsigned long long)st->findings[t],
			             (unsigned long long)r->by_type[t]);
			after += st->findings[t];
		}
		cr_assert_eq(r->undated, 0);
		cr_assert_eq(after, total - done.findings);
		trawl_retention_free(r);
		trawl_stats_free(st);
	}
	cr_assert_lt(before, 100);
	trawl_index_free(idx);
}

/* ---- transactions and locks ---- */

Test(index, changes_not_committed_are_discarded_when_the_handle_is_freed)
{
	trawl_index_t *idx = open_filled();
	trawl_index_free(idx);
	idx = NULL;
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_WRITE), TRAWL_OK);
	event(idx, TRAWL_EVENT_SOURCE_BEGIN, "inbox.mbox", "mbox", NULL, NULL, 0); /* deletes two */
	trawl_message_t *m = msg_new("new.mbox", "new.mbox#1", "erika@example.net", NULL, NULL, 0, NULL);
	finding(m, TRAWL_TYPE_EMAIL, TRAWL_WHERE_HEADER, "header:From", "erika@example.net", "erika@example.net", 0);
	add(idx, m);
	trawl_index_free(idx); /* no commit */
	idx = NULL;

	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_READ), TRAWL_OK);
	trawl_access_t *a = access_of(idx, "erika@example.net", NULL, NULL);
	cr_assert_eq(a->n_messages, 2);
	cr_assert(has_location(a, "inbox.mbox#1"));
	cr_assert_not(has_location(a, "new.mbox#1"));
	trawl_access_free(a);
	trawl_stats_t *st = NULL;
	cr_assert_eq(trawl_index_stats(idx, &st), TRAWL_OK);
	cr_assert_eq(st->messages, 4);
	cr_assert_eq(st->n_sources, 4, "got %zu sources", st->n_sources);
	trawl_stats_free(st);
	trawl_index_free(idx);
}

Test(index, a_fresh_index_freed_without_commit_holds_nothing)
{
	trawl_index_t *idx = NULL;
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_WRITE), TRAWL_OK);
	fill(idx);
	trawl_index_free(idx);
	idx = NULL;
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_READ), TRAWL_OK, "%s",
	             trawl_index_last_error(idx));
	trawl_stats_t *st = NULL;
	cr_assert_eq(trawl_index_stats(idx, &st), TRAWL_OK);
	cr_assert_eq(st->messages, 0);
	cr_assert_eq(st->n_sources, 0);
	trawl_stats_free(st);
	trawl_index_free(idx);
}

Test(index, a_second_writer_is_refused_as_locked)
{
	trawl_index_t *w1 = NULL, *w2 = NULL;
	cr_assert_eq(trawl_index_open(&w1, idxdir, TRAWL_INDEX_WRITE), TRAWL_OK);
	cr_assert_eq(trawl_index_open(&w2, idxdir, TRAWL_INDEX_WRITE), TRAWL_ELOCKED);
	cr_assert_neq(trawl_index_last_error(w2)[0], '\0');
	trawl_index_free(w2);
	trawl_index_free(w1);
}

Test(index, a_read_only_handle_refuses_to_write)
{
	trawl_index_t *idx = open_filled();
	trawl_message_t *m = msg_new("x.eml", "x.eml", NULL, NULL, NULL, 0, NULL);
	cr_assert_eq(trawl_index_add_message(idx, m), TRAWL_EINVAL);
	trawl_message_free(m);
	cr_assert_eq(trawl_index_commit(idx), TRAWL_EINVAL);
	trawl_index_free(idx);
}

/* ---- stats ---- */

Test(index, stats_count_messages_findings_sources_and_skips)
{
	trawl_index_t *idx = open_filled();
	trawl_stats_t *st = NULL;
	cr_assert_eq(trawl_index_stats(idx, &st), TRAWL_OK);
	cr_assert_eq(st->messages, 4);
	cr_assert_eq(st->findings[TRAWL_TYPE_EMAIL], 7);
	cr_assert_eq(st->findings[TRAWL_TYPE_NAME], 3);
	cr_assert_eq(st->findings[TRAWL_TYPE_CARD], 2);
	cr_assert_eq(st->findings[TRAWL_TYPE_IBAN], 1);
	cr_assert_eq(st->findings[TRAWL_TYPE_PHONE], 1);
	cr_assert_eq(st->n_sources, 4);
	/* by name: backup.zip, inbox.mbox, locked.mbox, other.mbox */
	cr_assert_str_eq(st->sources[0].source, "backup.zip");
	cr_assert_str_eq(st->sources[0].kind, "zip");
	cr_assert_eq(st->sources[0].messages, 1);
	cr_assert_eq(st->sources[0].n_skipped, 1);
	cr_assert_str_eq(st->sources[0].skipped[0].location, "backup.zip!/secret.zip");
	cr_assert_str_eq(st->sources[0].skipped[0].reason, "encrypted member");
	cr_assert_eq(st->sources[1].messages, 2);
	cr_assert_str_eq(st->sources[2].source, "locked.mbox");
	cr_assert_str_eq(st->sources[2].kind, "unreadable");
	cr_assert_eq(st->sources[2].n_skipped, 1);
	cr_assert_str_eq(st->sources[2].skipped[0].reason, "permission denied");

	char *json = render(r_stats, st, TRAWL_FORMAT_JSON);
	cr_assert(strstr(json, "{\"messages\": 4,"), "%s", json);
	cr_assert(strstr(json, "\"findings\": {\"email\": 7, \"phone\": 1, \"card\": 2, \"iban\": 1"), "%s", json);
	cr_assert(strstr(json, "\"source\": \"backup.zip\", \"kind\": \"zip\", \"messages\": 1, \"contacts\": 0, "
	                       "\"appointments\": 0"),
	          "%s", json);
	cr_assert(strstr(json, "\"skipped\": [{\"location\": \"backup.zip!/secret.zip\", \"reason\": "
	                       "\"encrypted member\"}]"),
	          "%s", json);
	free(json);
	char *text = render(r_stats, st, TRAWL_FORMAT_TEXT);
	cr_assert(strstr(text, "4 messages"), "%s", text);
	cr_assert(strstr(text, "skipped backup.zip!/secret.zip: encrypted member"), "%s", text);
	free(text);
	trawl_stats_free(st);
	trawl_index_free(idx);
}

/* ---- reports ---- */

Test(index, access_json_has_the_contract_shape_and_masked_values)
{
	trawl_index_t *idx = open_filled();
	trawl_access_t *a = access_of(idx, "erika@example.net", NULL, "+49 30 64237132");
	char *json = render(r_access, a, TRAWL_FORMAT_JSON);
	cr_assert(strstr(json, "\"query\": {\"email\": [\"erika@example.net\"], \"name\": [], \"phone\": "
	                       "[\"+49 30 64237132\"]}"),
	          "%s", json);
	cr_assert(strstr(json, "\"subject\": {\"identifiers\": [{\"type\": \"email\", \"norm\": "
	                       "\"erika@example.net\", \"via\": \"query\", \"searched\": true}, {\"type\": \"phone\", "
	                       "\"norm\": \"+493064237132\", \"via\": \"query\", \"searched\": true}, {\"type\": "
	                       "\"name\", \"norm\": \"erika mustermann\", \"via\": \"header\", \"searched\": false}]}"),
	          "%s", json);
	cr_assert(strstr(json, "\"messages\": ["), "%s", json);
	cr_assert(strstr(json, "\"message_id\": \"inbox.mbox#1@test\", \"source\": \"inbox.mbox\", "
	                       "\"location\": \"inbox.mbox#1\", \"date\": \"2021-03-17T22:55:54Z\", "
	                       "\"from\": \"erika@example.net\""),
	          "%s", json);
	cr_assert(strstr(json, "{\"type\": \"email\", \"where\": \"header\", \"part\": \"header:From\", "
	                       "\"masked\": \"e\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2@example.net\"}"),
	          "%s", json);
	cr_assert(strstr(json, "{\"type\": \"phone\", \"where\": \"body\", \"part\": \"1\", \"masked\": "
	                       "\"+49\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2" "7132\"}"),
	          "%s", json);
	/* her name beside her address counts as hers */
	cr_assert(strstr(json, "\"summary\": {\"messages\": 2, \"sources\": 2, \"by_type\": {\"email\": 2, "
	                       "\"phone\": 1, \"name\": 1}}"),
	          "%s", json);
	cr_assert_null(strstr(json, "john.doe"), "other people's findings are not the subject's: %s", json);
	cr_assert_null(strstr(json, CARD));
	free(json);
	trawl_access_free(a);
	trawl_index_free(idx);
}

Test(index, access_csv_is_one_quoted_row_a_message)
{
	trawl_index_t *idx = open_filled();
	trawl_access_t *a = access_of(idx, "erika@example.net", NULL, NULL);
	char *csv = render(r_access, a, TRAWL_FORMAT_CSV);
	cr_assert(strncmp(csv, "date,message_id,source,location,from,subject,findings\r\n", 55) == 0, "%s", csv);
	int rows = 0;
	for (const char *p = csv; (p = strstr(p, "\r\n")); p += 2)
		rows++;
	cr_assert_eq(rows, 3, "%s", csv);
	cr_assert(strstr(csv, ",email header: e\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2@example.net\r\n"), "%s", csv);
	free(csv);
	trawl_access_free(a);
	trawl_index_free(idx);
}

Test(index, access_html_is_self_contained_and_escaped)
{
	trawl_index_t *idx = NULL;
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_WRITE), TRAWL_OK);
	trawl_message_t *m = msg_new("x.eml", "x.eml", "a@example.net", NULL, "2020-01-01T00:00:00Z", 1577836800,
	                             "<script>alert(1)</script> & \"q\"");
	finding(m, TRAWL_TYPE_EMAIL, TRAWL_WHERE_HEADER, "header:From", "a@example.net", "a@example.net", 0);
	add(idx, m);
	cr_assert_eq(trawl_index_commit(idx), TRAWL_OK);
	trawl_access_t *a = access_of(idx, "a@example.net", NULL, NULL);
	char *html = render(r_access, a, TRAWL_FORMAT_HTML);
	cr_assert(strncmp(html, "<!DOCTYPE html>", 15) == 0);
	cr_assert_null(strstr(html, "<script"), "%s", html);
	cr_assert(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"), "%s", html);
	cr_assert_null(strstr(html, "http://"));
	cr_assert_null(strstr(html, "https://"));
	cr_assert(strstr(html, "<style>"));
	cr_assert(strstr(html, "a\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2@example.net"), "%s", html);
	free(html);
	trawl_access_free(a);
	trawl_index_free(idx);
}

Test(index, erase_deletes_own_mail_and_redacts_shared_mail)
{
	trawl_index_t *idx = open_filled();
	trawl_access_t *a = access_of(idx, "erika@example.net", NULL, NULL);
	char *json = render(r_erase, a, TRAWL_FORMAT_JSON);
	/* backup.zip!/a.eml holds only her data; inbox.mbox#1 holds John's too.
	 * Her name beside her address is hers, though only her email was asked for. */
	const char *own = strstr(json, "\"location\": \"backup.zip!/a.eml\"");
	const char *shared = strstr(json, "\"location\": \"inbox.mbox#1\"");
	cr_assert(own && shared, "%s", json);
	cr_assert(strstr(own, "\"action\": \"delete\", \"other_subjects\": []"), "%s", json);
	cr_assert(strstr(shared, "\"action\": \"redact\", \"other_subjects\": "
	                         "[\"j\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2@example.com\"]"),
	          "%s", json);
	cr_assert(strstr(json, "{\"source\": \"backup.zip\", \"kind\": \"zip\", \"messages\": 1, \"in_place\": false, "
	                       "\"advice\": \"isolate until deletion is possible\"}"),
	          "%s", json);
	cr_assert(strstr(json, "{\"source\": \"inbox.mbox\", \"kind\": \"mbox\", \"messages\": 1, \"in_place\": true, "
	                       "\"advice\": \"change in place\"}"),
	          "%s", json);
	cr_assert(strstr(json, "\"delete\": 1, \"redact\": 1"), "%s", json);
	free(json);
	char *text = render(r_erase, a, TRAWL_FORMAT_TEXT);
	cr_assert(strstr(text, "1 to delete, 1 to redact"), "%s", text);
	cr_assert(strstr(text, "Nothing was changed."), "%s", text);
	free(text);
	trawl_access_free(a);
	trawl_index_free(idx);
}

Test(index, people_lists_addresses_with_names_and_counts)
{
	trawl_index_t *idx = open_filled();
	trawl_people_t *p = NULL;
	cr_assert_eq(trawl_index_people(idx, &p), TRAWL_OK, "%s", trawl_index_last_error(idx));
	const trawl_person_t *erika = NULL, *john = NULL;
	for (size_t i = 0; i < p->len; i++) {
		if (strcmp(p->items[i].email, "erika@example.net") == 0)
			erika = &p->items[i];
		if (strcmp(p->items[i].email, "john.doe@example.com") == 0)
			john = &p->items[i];
	}
	cr_assert_not_null(erika);
	cr_assert_not_null(john);
	cr_assert_eq(erika->messages, 2);
	cr_assert_eq(erika->sent, 2);
	cr_assert_eq(erika->n_names, 1);
	cr_assert_str_eq(erika->names[0], "erika mustermann");
	cr_assert_eq(john->messages, 2);
	cr_assert_eq(john->sent, 1);
	cr_assert_str_eq(john->names[0], "john doe");
	char *json = render(r_people, p, TRAWL_FORMAT_JSON);
	cr_assert(strstr(json, "{\"email\": \"erika@example.net\", \"names\": [\"erika mustermann\"], "
	                       "\"messages\": 2, \"sent\": 2,"),
	          "%s", json);
	free(json);
	char *csv = render(r_people, p, TRAWL_FORMAT_CSV);
	cr_assert(strstr(csv, "email,names,messages,sent,identifiers\r\n"), "%s", csv);
	cr_assert(strstr(csv, "erika@example.net,erika mustermann,2,2,\r\n"), "%s", csv);
	free(csv);
	trawl_people_free(p);
	trawl_index_free(idx);
}

Test(index, masks_keep_only_what_the_rules_say)
{
	struct {
		trawl_type_t type;
		const char *in, *out;
	} cases[] = {
		{TRAWL_TYPE_EMAIL, "erika@example.net", "e\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2@example.net"},
		{TRAWL_TYPE_PHONE, "+493064237132", "+49\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2" "7132"},
		{TRAWL_TYPE_CARD, CARD, "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2 \xE2\x80\xA2\xE2\x80\xA2"
		                        "\xE2\x80\xA2\xE2\x80\xA2 \xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2 1111"},
		{TRAWL_TYPE_IBAN, IBAN, "DE\xE2\x80\xA2\xE2\x80\xA2 \xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2 "
		                        "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2 \xE2\x80\xA2\xE2\x80\xA2"
		                        "\xE2\x80\xA2\xE2\x80\xA2 3000"},
		{TRAWL_TYPE_NAME, "erika mustermann", "E\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2 M\xE2\x80\xA2\xE2\x80\xA2"
		                                      "\xE2\x80\xA2"},
		{TRAWL_TYPE_IP, "192.168.1.20", "192.\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2"},
		{TRAWL_TYPE_MAC, "00:1a:2b:3c:4d:5e", "00:1a:2b:\xE2\x80\xA2\xE2\x80\xA2:\xE2\x80\xA2\xE2\x80\xA2:"
		                                      "\xE2\x80\xA2\xE2\x80\xA2"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *m = trawl_mask(cases[i].type, cases[i].in);
		cr_assert_str_eq(m, cases[i].out, "%s", cases[i].in);
		/* masking a masked value changes nothing more for cards and IBANs */
		if (cases[i].type == TRAWL_TYPE_CARD || cases[i].type == TRAWL_TYPE_IBAN) {
			char *again = trawl_mask(cases[i].type, m);
			cr_assert_str_eq(again, m);
			free(again);
		}
		free(m);
	}
}

Test(index, reports_refuse_formats_they_do_not_have)
{
	trawl_stats_t st = {0};
	trawl_access_t a = {0};
	trawl_people_t p = {0};
	FILE *f = fopen("/dev/null", "w");
	cr_assert_eq(trawl_report_stats(f, &st, TRAWL_FORMAT_CSV), TRAWL_EUNSUPPORTED);
	cr_assert_eq(trawl_report_access(f, &a, TRAWL_FORMAT_TEXT), TRAWL_EUNSUPPORTED);
	cr_assert_eq(trawl_report_access(f, &a, TRAWL_FORMAT_MBOX), TRAWL_EUNSUPPORTED);
	cr_assert_eq(trawl_report_erase(f, &a, TRAWL_FORMAT_HTML), TRAWL_EUNSUPPORTED);
	cr_assert_eq(trawl_report_people(f, &p, TRAWL_FORMAT_HTML), TRAWL_EUNSUPPORTED);
	fclose(f);
}

Test(index, an_existing_folder_that_is_no_index_is_not_found_for_reading)
{
	cr_assert_eq(mkdir(idxdir, 0700), 0);
	trawl_index_t *idx = NULL;
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_READ), TRAWL_ENOTFOUND);
	cr_assert(strstr(trawl_index_last_error(idx), "not a trawl index"), "%s", trawl_index_last_error(idx));
	trawl_index_free(idx);
}

Test(index, write_open_tightens_a_loosened_secret_to_0600)
{
	trawl_index_t *idx = NULL;
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_WRITE), TRAWL_OK);
	trawl_index_free(idx);
	char path[256];
	snprintf(path, sizeof path, "%s/secret", idxdir);
	cr_assert_eq(chmod(path, 0644), 0);
	idx = NULL;
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_WRITE), TRAWL_OK);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600);
	trawl_index_free(idx);
}
