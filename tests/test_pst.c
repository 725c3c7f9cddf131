/* Outlook PST/OST (scanner/pst.c): the item counts of every PST and OST in
 * ../shared/corpora/real/pst against libpff's own pffexport counts
 * (INVENTORY.derived.tsv), the corrupt file reported, locations, contacts,
 * distribution lists, attached items, PSTs inside archives and attached
 * to messages, and damaged input. The corpus is read in place; without
 * ../shared these tests skip.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <archive.h>
#include <archive_entry.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "detectors/detector.h"
#include "scanner/scanner.h"
#include "trawl/trawl.h"
#include "tests/helpers.h"

/* ---- helpers ---------------------------------------------------------- */

static char corpus[4096];

static bool
have_corpus(void)
{
	struct stat st;
	const char *src = getenv("TRAWL_SRC") ? getenv("TRAWL_SRC") : ".";
	snprintf(corpus, sizeof corpus, "%s/../shared/corpora/real/pst", src);
	char inv[4200];
	snprintf(inv, sizeof inv, "%s/INVENTORY.derived.tsv", corpus);
	return stat(inv, &st) == 0;
}

#define NEED_CORPUS()                                                                                          \
	do {                                                                                                   \
		if (!have_corpus())                                                                            \
			cr_skip("../shared/corpora/real/pst is not here");                                     \
	} while (0)

static char *
slurp_pst(const char *rel, size_t *len)
{
	char path[8192];
	snprintf(path, sizeof path, "%s/%s", corpus, rel);
	return t_read(path, len);
}

/* A detector that records every text it is given as one CUSTOM finding,
 * so that the tests see what the reader handed over. */
static trawl_status_t
record_text(const trawl_detector_set_t *set, trawl_findings_t *out, const trawl_text_t *t)
{
	char *norm = trawl_strndup(t->text, t->len);
	trawl_status_t rc = trawl_detect__emit(out, t, TRAWL_TYPE_CUSTOM, 0, 0, norm, 1.0, "test.text");
	free(norm);
	return rc;
}
static const trawl_detector_t recorder = {"recorder", TRAWL_TYPE_CUSTOM, record_text};
static const trawl_detector_t *const recorders[] = {&recorder, NULL};
static trawl_detector_set_t recording_set = {.min_confidence = 0, .detectors = recorders};

typedef struct {
	trawl_message_t **msgs;
	size_t n, cap;
	size_t n_skips;
	trawl_status_t skip_status;
	char skips[8192];
	bool ended;
	uint64_t messages, contacts, appointments;
	char kind[32];
} got_t;

static trawl_status_t
keep(trawl_message_t *m, void *payload)
{
	got_t *g = payload;
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 64;
		g->msgs = realloc(g->msgs, g->cap * sizeof *g->msgs);
	}
	g->msgs[g->n++] = m;
	return TRAWL_OK;
}

static void
event(const trawl_event_t *ev, void *payload)
{
	got_t *g = payload;
	if (ev->type == TRAWL_EVENT_SKIP) {
		if (!g->n_skips++)
			g->skip_status = ev->status;
		size_t used = strlen(g->skips);
		snprintf(g->skips + used, sizeof g->skips - used, "%s: %s\n", ev->location, ev->reason);
	}
	if (ev->type == TRAWL_EVENT_SOURCE_END) {
		g->ended = true;
		g->messages = ev->messages;
		g->contacts = ev->contacts;
		g->appointments = ev->appointments;
		snprintf(g->kind, sizeof g->kind, "%s", ev->kind ? ev->kind : "");
	}
}

static void
free_got(got_t *g)
{
	for (size_t i = 0; i < g->n; i++)
		trawl_message_free(g->msgs[i]);
	free(g->msgs);
	memset(g, 0, sizeof *g);
}

static void
scan(const trawl_detector_set_t *set, const char *name, const void *data, size_t len, got_t *g)
{
	trawl_scan_opts_t opts = {.detectors = set};
	memset(g, 0, sizeof *g);
	cr_assert_eq(trawl_scan_buffer(&opts, name, data, len, keep, event, g), TRAWL_OK);
	cr_assert(g->ended);
}

static void
scan_pst(const trawl_detector_set_t *set, const char *rel, got_t *g)
{
	size_t len;
	char *data = slurp_pst(rel, &len);
	scan(set, rel, data, len, g);
	free(data);
}

static trawl_message_t *
at(const got_t *g, const char *location)
{
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->msgs[i]->location, location) == 0)
			return g->msgs[i];
	return NULL;
}

/* A finding of the type in part (any part when NULL) whose norm contains needle. */
static bool
has(const trawl_message_t *m, trawl_type_t type, const char *part, const char *needle)
{
	for (size_t i = 0; m && i < m->findings.len; i++) {
		const trawl_finding_t *f = &m->findings.items[i];
		if (f->type == type && (!part || strcmp(f->part, part) == 0) && f->norm && strstr(f->norm, needle))
			return true;
	}
	return false;
}

static trawl_detector_set_t *
real_detectors(void)
{
	trawl_detector_set_t *set = NULL;
	cr_assert_eq(trawl_detector_set_new(&set, NULL, NULL), TRAWL_OK);
	return set;
}

/* ---- the corpus against pffexport ------------------------------------- */

Test(pst, every_corpus_file_yields_pffexports_counts, .timeout = 120)
{
	NEED_CORPUS();
	trawl_detector_set_t *set = real_detectors();
	char inv[4200];
	snprintf(inv, sizeof inv, "%s/INVENTORY.derived.tsv", corpus);
	FILE *f = fopen(inv, "r");
	cr_assert_not_null(f);
	char line[2048];
	int files = 0, unreadable = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		/* file bytes file(1) messages contacts appointments attachments pffexport_rc readpst_rc */
		char *col[9] = {0};
		int n = 0;
		for (char *s = line, *tab; n < 9 && s; s = tab ? tab + 1 : NULL) {
			tab = strchr(s, '\t');
			if (tab)
				*tab = 0;
			col[n++] = s;
		}
		cr_assert_eq(n, 9, "bad inventory line for %s", col[0]);
		unsigned long long want_m = strtoull(col[3], NULL, 10), want_c = strtoull(col[4], NULL, 10),
		                   want_a = strtoull(col[5], NULL, 10);
		int pff_rc = atoi(col[7]);

		got_t g;
		scan_pst(set, col[0], &g);
		files++;
		cr_expect_str_eq(g.kind, "pst", "%s taken for %s", col[0], g.kind);
		if (pff_rc != 0) {
			unreadable++;
			cr_expect_eq(g.n_skips, 1, "%s: %zu skips:\n%s", col[0], g.n_skips, g.skips);
			cr_expect_eq(g.skip_status, TRAWL_EFORMAT, "%s: status %d", col[0], g.skip_status);
			cr_expect(strstr(g.skips, "not a readable PST/OST"), "%s: %s", col[0], g.skips);
			cr_expect_eq(g.n, 0);
		}
		cr_expect_eq(g.messages, want_m, "%s: %llu messages, pffexport %llu", col[0],
		             (unsigned long long)g.messages, want_m);
		cr_expect_eq(g.contacts, want_c, "%s: %llu contacts, pffexport %llu", col[0],
		             (unsigned long long)g.contacts, want_c);
		cr_expect_eq(g.appointments, want_a, "%s: %llu appointments, pffexport %llu", col[0],
		             (unsigned long long)g.appointments, want_a);
		free_got(&g);
	}
	fclose(f);
	cr_expect_geq(files, 22);
	cr_expect_eq(unreadable, 1);
	trawl_detector_set_free(set);
}

Test(pst, corrupt_file_is_reported_unreadable_with_libpffs_reason)
{
	NEED_CORPUS();
	got_t g;
	scan_pst(&recording_set, "aspose-email/AddingBulkMessagesWithImprovedPerformance.pst", &g);
	cr_assert_eq(g.n, 0);
	cr_assert_eq(g.n_skips, 1);
	cr_assert_eq(g.skip_status, TRAWL_EFORMAT);
	cr_assert(strstr(g.skips, "checksum"), "%s", g.skips);
	free_got(&g);
}

/* ---- what the records hold -------------------------------------------- */

Test(pst, locations_name_the_folder_path_and_position)
{
	NEED_CORPUS();
	got_t g;
	scan_pst(&recording_set, "aspose-email/Outlook.pst", &g);
	trawl_message_t *m = at(&g, "aspose-email/Outlook.pst#/Top of Personal Folders/Inbox#1");
	cr_assert_not_null(m);
	cr_assert_eq(m->kind, TRAWL_ITEM_MESSAGE);
	cr_assert_str_eq(m->subject, "Multiple attachments");
	cr_assert_str_eq(m->from, "saqib.razzaq@xp.local");
	cr_assert_str_eq(m->date, "2011-06-21T23:51:07Z");
	cr_assert_eq(m->time, 1308700267);
	cr_assert_str_eq(m->message_id, "003c01cc306e$17006760$45013620$@razzaq@xp.local");
	m = at(&g, "aspose-email/Outlook.pst#/Top of Personal Folders/Contacts#1");
	cr_assert_not_null(m);
	cr_assert_eq(m->kind, TRAWL_ITEM_CONTACT);
	m = at(&g, "aspose-email/Outlook.pst#/Top of Personal Folders/Calendar#1");
	cr_assert_not_null(m);
	cr_assert_eq(m->kind, TRAWL_ITEM_APPOINTMENT);
	cr_assert_str_eq(m->subject, "Weekly meeting");
	/* folder names as Outlook shows them, in the user's language */
	free_got(&g);
	scan_pst(&recording_set, "go-pst/support.pst", &g);
	cr_assert_gt(g.n, 0);
	for (size_t i = 0; i < g.n; i++)
		cr_assert(strncmp(g.msgs[i]->location, "go-pst/support.pst#/Top of Personal Folders/", 44) == 0,
		          "%s", g.msgs[i]->location);
	free_got(&g);
	scan_pst(&recording_set, "apache-tika/testPST.pst", &g);
	cr_assert_not_null(at(&g, "apache-tika/testPST.pst#/Début du fichier de données Outlook#1"));
	free_got(&g);
}

Test(pst, transport_headers_and_bodies_are_scanned)
{
	NEED_CORPUS();
	got_t g;
	scan_pst(&recording_set, "apache-tika/testPST_variousBodyTypes.pst", &g);
	cr_assert_eq(g.n, 4);
	const char *loc = "apache-tika/testPST_variousBodyTypes.pst#/Top of Outlook data file/Inbox/tmp#";
	char l[512];
	snprintf(l, sizeof l, "%s1", loc);
	trawl_message_t *m = at(&g, l);
	cr_assert_not_null(m);
	cr_assert(has(m, TRAWL_TYPE_CUSTOM, "header:Received", "MWHPR09MB1391"));
	cr_assert(has(m, TRAWL_TYPE_CUSTOM, "html", "This is the original email (html)"));
	cr_assert(has(m, TRAWL_TYPE_CUSTOM, "body", "This is the original email (html)"));
	/* an RTF body turned into text */
	snprintf(l, sizeof l, "%s3", loc);
	m = at(&g, l);
	cr_assert(has(m, TRAWL_TYPE_CUSTOM, "rtf", "Forwarded RTF"));
	cr_assert(has(m, TRAWL_TYPE_CUSTOM, "rtf", "To: Allison, Timothy B. <tallison@mitre.org>"));
	free_got(&g);
}

Test(pst, items_without_transport_headers_get_theirs_from_properties)
{
	NEED_CORPUS();
	trawl_detector_set_t *set = real_detectors();
	got_t g;
	/* an appointment in an ANSI PST: organizer, attendees, location, times */
	scan_pst(set, "go-pst/32-bit.pst", &g);
	trawl_message_t *m = at(&g, "go-pst/32-bit.pst#/Top of Personal Folders/Calendar#1");
	cr_assert_not_null(m);
	cr_assert_eq(m->kind, TRAWL_ITEM_APPOINTMENT);
	cr_assert_str_eq(m->subject, "Updated: Olympus training for new hires");
	cr_assert_str_eq(m->date, "2004-08-19T18:30:00Z");
	cr_assert_str_eq(m->from_name, "Cyndy Foulkrod");
	cr_assert(has(m, TRAWL_TYPE_EMAIL, "header:To", "patty.fukasawa@stellent.com"));
	cr_assert(has(m, TRAWL_TYPE_EMAIL, "header:To", "barb.tentinger@stellent.com"));
	cr_assert(has(m, TRAWL_TYPE_EMAIL, "header:Cc", "vince.raso@stellent.com"));
	free_got(&g);
	/* a sent item: sender and recipients from the recipient table */
	scan_pst(set, "aspose-email/Outlook.pst", &g);
	m = at(&g, "aspose-email/Outlook.pst#/Top of Personal Folders/Sent Items#1");
	cr_assert_not_null(m);
	cr_assert_str_eq(m->from, "saqib.razzaq@xp.local");
	cr_assert(has(m, TRAWL_TYPE_EMAIL, "header:From", "saqib.razzaq@xp.local"));
	free_got(&g);
	trawl_detector_set_free(set);
}

Test(pst, attached_items_belong_to_the_item_that_carries_them)
{
	NEED_CORPUS();
	got_t g;
	scan_pst(&recording_set, "aspose-email/Outlook.pst", &g);
	trawl_message_t *m = at(&g, "aspose-email/Outlook.pst#/Top of Personal Folders/Inbox#3");
	cr_assert_not_null(m);
	cr_assert_str_eq(m->subject, "this message contains embedded MSG");
	cr_assert(has(m, TRAWL_TYPE_CUSTOM, "att1:header:Received", "192.168.0.102"));
	for (size_t i = 0; i < m->findings.len; i++)
		if (strncmp(m->findings.items[i].part, "att", 3) == 0)
			cr_assert_eq(m->findings.items[i].where, TRAWL_WHERE_ATTACHMENT, "%s", m->findings.items[i].part);
	/* the carrier keeps its own Message-ID and date */
	cr_assert_str_eq(m->message_id, "002001cc306d$ad9f5290$08ddf7b0$@razzaq@xp.local");
	free_got(&g);
	/* a message in a message in a message */
	scan_pst(&recording_set, "pstsdk/submessage.pst", &g);
	cr_assert_eq(g.n, 1);
	cr_assert_eq(g.messages, 2);
	free_got(&g);
}

Test(pst, contacts_are_records_of_their_own_with_their_fields)
{
	NEED_CORPUS();
	got_t g;
	scan_pst(&recording_set, "aspose-email/PersonalStorageFile1.pst", &g);
	cr_assert_eq(g.n, 72);
	trawl_message_t *m = at(&g, "aspose-email/PersonalStorageFile1.pst#/Top of Personal Folders/myInbox#4");
	cr_assert_not_null(m);
	cr_assert_eq(m->kind, TRAWL_ITEM_CONTACT);
	cr_assert_str_eq(m->subject, "Margaret J. Tolle");
	cr_assert_str_eq(m->from, "margaretjtolle@dayrep.com");
	cr_assert(has(m, TRAWL_TYPE_CUSTOM, "fields", "Name: Margaret J. Tolle\n"));
	cr_assert(has(m, TRAWL_TYPE_CUSTOM, "fields", "Phone: (08)9080-1183\n"));
	cr_assert(has(m, TRAWL_TYPE_CUSTOM, "fields", "Address: 4 Darwinia Loop EIGHTY MILE BEACH WA 6725\n"));
	cr_assert(has(m, TRAWL_TYPE_CUSTOM, "fields", "Company: Adaptaz\n"));
	free_got(&g);

	trawl_detector_set_t *set = real_detectors();
	scan_pst(set, "aspose-email/PersonalStorageFile1.pst", &g);
	m = at(&g, "aspose-email/PersonalStorageFile1.pst#/Top of Personal Folders/myInbox#4");
	cr_assert(has(m, TRAWL_TYPE_EMAIL, "header:Email1", "margaretjtolle@dayrep.com"));
	free_got(&g);
	trawl_detector_set_free(set);
}

Test(pst, distribution_list_members_are_found)
{
	NEED_CORPUS();
	trawl_detector_set_t *set = real_detectors();
	got_t g;
	scan_pst(set, "java-libpst/dist-list.pst", &g);
	trawl_message_t *m = at(&g, "java-libpst/dist-list.pst#/Top of Personal Folders/Contacts#1");
	cr_assert_not_null(m);
	cr_assert_eq(m->kind, TRAWL_ITEM_CONTACT);
	cr_assert_str_eq(m->subject, "test dist list");
	cr_assert(has(m, TRAWL_TYPE_EMAIL, NULL, "contact1@rjohnson.id.au"));
	cr_assert(has(m, TRAWL_TYPE_EMAIL, NULL, "dist1@rjohnson.id.au"));
	cr_assert(has(m, TRAWL_TYPE_EMAIL, NULL, "dist2@rjohnson.id.au"));
	/* a distribution list is not a contact in the counts */
	cr_assert_eq(g.contacts, 1);
	free_got(&g);
	trawl_detector_set_free(set);
}

Test(pst, password_protected_and_ansi_files_are_read)
{
	NEED_CORPUS();
	got_t g;
	scan_pst(&recording_set, "aspose-email/passwordprotectedPST.pst", &g);
	cr_assert_eq(g.messages, 23);
	cr_assert_eq(g.n_skips, 0, "%s", g.skips);
	/* the RTF bodies stored uncompressed, which libpff refuses, are read */
	bool rtf = false;
	for (size_t i = 0; i < g.n; i++)
		for (size_t k = 0; k < g.msgs[i]->findings.len; k++)
			rtf |= strcmp(g.msgs[i]->findings.items[k].part, "rtf") == 0;
	cr_assert(rtf);
	free_got(&g);
	scan_pst(&recording_set, "pstsdk/sample2.pst", &g);
	cr_assert_eq(g.n, 1);
	cr_assert_str_eq(g.msgs[0]->subject, "Here is a sample message");
	cr_assert(has(g.msgs[0], TRAWL_TYPE_CUSTOM, "body", "It's my daughter and our puppy"));
	free_got(&g);
}

/* ---- PSTs in memory: in archives, attached to messages ------------------ */

static void *
zip_of(const char *name, const void *data, size_t len, size_t *out_len)
{
	size_t cap = len + 65536, used = 0;
	void *buf = malloc(cap);
	struct archive *a = archive_write_new();
	archive_write_set_format_zip(a);
	cr_assert_eq(archive_write_open_memory(a, buf, cap, &used), ARCHIVE_OK);
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_write_header(a, e);
	cr_assert_eq(archive_write_data(a, data, len), (la_ssize_t)len);
	archive_entry_free(e);
	archive_write_close(a);
	archive_write_free(a);
	*out_len = used;
	return buf;
}

Test(pst, pst_inside_an_archive_is_read_in_memory)
{
	NEED_CORPUS();
	size_t len, zlen;
	char *pst = slurp_pst("pstsdk/sample1.pst", &len);
	void *zip = zip_of("mail/sample1.pst", pst, len, &zlen);
	got_t g;
	scan(&recording_set, "backup.zip", zip, zlen, &g);
	cr_assert_eq(g.n, 1, "%s", g.skips);
	cr_assert_str_eq(g.msgs[0]->location, "backup.zip!/mail/sample1.pst#/Top of Outlook data file/Sample1#1");
	cr_assert_str_eq(g.msgs[0]->source, "backup.zip");
	cr_assert_eq(g.messages, 1);
	free_got(&g);
	free(zip);
	free(pst);
}

static trawl_message_t *emitted;

static trawl_status_t
emit_keep(trawl_worker_t *w, trawl_message_t *msg)
{
	emitted = msg;
	return TRAWL_OK;
}

static void
emit_nothing(trawl_worker_t *w, const trawl_event_t *ev)
{
}

Test(pst, attached_pst_is_walked_into_the_carrying_message)
{
	NEED_CORPUS();
	size_t len;
	char *pst = slurp_pst("pstsdk/sample1.pst", &len);
	trawl_scan_opts_t opts = {.detectors = &recording_set};
	trawl_worker_t w;
	trawl_scan__global_init();
	cr_assert_eq(trawl_scan__worker_init(&w, &opts), TRAWL_OK);
	w.emit_message = emit_keep;
	w.emit_event = emit_nothing;
	w.source = "inbox.mbox";
	trawl_msg_t *c = NULL;
	cr_assert_eq(trawl_scan__msg_begin(&c, &w, TRAWL_ITEM_MESSAGE, "inbox.mbox#4", 0), TRAWL_OK);
	trawl_scan__pst_attached(&w, c, pst, len, "2", 1);
	cr_assert_eq(trawl_scan__msg_end(c, "x", 1), TRAWL_OK);
	cr_assert_not_null(emitted);
	cr_assert_eq(w.n_messages, 1); /* the carrier only */
	cr_assert(has(emitted, TRAWL_TYPE_CUSTOM, "2#/Top of Outlook data file/Sample1#1.body", "sample attachment"),
	          "no body of the attached PST's message");
	cr_assert_null(emitted->subject); /* the carrier's fields are its own */
	trawl_message_free(emitted);
	trawl_scan__worker_fini(&w);
	free(pst);
}

/* ---- damaged input ------------------------------------------------------ */

Test(pst, outlook_msg_or_junk_is_not_taken_for_a_pst)
{
	trawl_scan_opts_t opts = {.detectors = &recording_set};
	trawl_worker_t w;
	trawl_scan__global_init();
	cr_assert_eq(trawl_scan__worker_init(&w, &opts), TRAWL_OK);
	w.emit_message = emit_keep;
	w.emit_event = emit_nothing;
	w.source = "x.msg";
	emitted = NULL;
	static const char ole[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 not a pst";
	cr_assert_eq(trawl_scan__pst(&w, ole, sizeof ole - 1, "x.msg", 0), TRAWL_OK);
	cr_assert(w.had_error);
	cr_assert_null(emitted);
	trawl_scan__worker_fini(&w);
}

Test(pst, truncated_and_damaged_files_do_not_crash, .timeout = 120)
{
	NEED_CORPUS();
	size_t len;
	char *pst = slurp_pst("aspose-email/Outlook.pst", &len);
	got_t g;
	/* cut short */
	static const size_t cuts[] = {4, 512, 4096, 65536, 300000, 1000000};
	for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
		scan(&recording_set, "cut.pst", pst, cuts[i], &g);
		free_got(&g);
	}
	/* bytes overwritten here and there (deterministic) */
	char *copy = malloc(len);
	unsigned seed = 12345;
	for (int round = 0; round < 8; round++) {
		memcpy(copy, pst, len);
		for (int k = 0; k < 64; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t pos = 512 + (seed >> 8) % (len - 512);
			copy[pos] ^= (char)(1 + (seed & 0x7f));
		}
		scan(&recording_set, "damaged.pst", copy, len, &g);
		free_got(&g);
	}
	free(copy);
	free(pst);
}
