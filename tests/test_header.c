/* The fast path for single-part messages (scanner/header.c and the
 * plain_message() path of scanner/message.c) against GMime: the headers
 * split as GMime's parser splits them, and every record field and finding
 * the same as when GMime reads the message.
 *
 * A message goes GMime's way when its header block holds a line that is
 * no header: GMime's parser drops such a line (after the first header), so
 * the same message with one added before its blank line is read by GMime
 * and must give the same record. Each test checks that premise too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <criterion/criterion.h>
#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detectors/detector.h"
#include "scanner/scanner.h"
#include "trawl/trawl.h"
#include "tests/helpers.h"

/* ---- the headers as GMime's parser has them ---- */

static bool
split(trawl_headers_t *hs, const char *raw)
{
	return trawl_scan__headers_split(hs, raw, strlen(raw));
}

/* The bytes of a part's content stream (the body as the parser bounded it). */
static char *
content_bytes(GMimePart *part, size_t *len)
{
	GMimeStream *s = g_mime_data_wrapper_get_stream(g_mime_part_get_content(part));
	GMimeStream *out = g_mime_stream_mem_new();
	g_mime_stream_reset(s);
	g_mime_stream_write_to_stream(s, out);
	GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
	char *copy = g_strndup((const char *)ba->data, ba->len);
	*len = ba->len;
	g_object_unref(out);
	return copy;
}

/* Splits raw and checks every header against GMime's message (the headers
 * not named Content-*) and its one part (the others), in order, and the
 * body against the part's content. */
static void
assert_split_as_gmime(const char *raw)
{
	trawl_headers_t hs;
	cr_assert(split(&hs, raw), "not split: %s", raw);
	trawl_scan__global_init();
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(raw, strlen(raw));
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *m = g_mime_parser_construct_message(parser, NULL);
	cr_assert_not_null(m);
	GMimeObject *part = g_mime_message_get_mime_part(m);
	cr_assert(GMIME_IS_PART(part));
	GMimeHeaderList *lists[2] = {g_mime_object_get_header_list(GMIME_OBJECT(m)),
	                             g_mime_object_get_header_list(part)};
	int next[2] = {0, 0};
	for (size_t i = 0; i < hs.len; i++) {
		int l = g_ascii_strncasecmp(hs.items[i].name, "Content-", 8) == 0;
		cr_assert_lt(next[l], g_mime_header_list_get_count(lists[l]), "header %s not GMime's", hs.items[i].name);
		GMimeHeader *h = g_mime_header_list_get_header_at(lists[l], next[l]++);
		cr_assert_str_eq(hs.items[i].name, g_mime_header_get_name(h));
		cr_assert_str_eq(hs.items[i].raw, g_mime_header_get_raw_value(h));
	}
	cr_assert_eq(next[0], g_mime_header_list_get_count(lists[0]), "a header GMime has is missing");
	cr_assert_eq(next[1], g_mime_header_list_get_count(lists[1]), "a header GMime has is missing");
	size_t len;
	char *body = content_bytes(GMIME_PART(part), &len);
	cr_assert_eq(hs.body_len, len);
	cr_assert(len == 0 || memcmp(hs.body, body, len) == 0);
	g_free(body);
	g_object_unref(m);
	g_object_unref(parser);
	g_object_unref(stream);
	trawl_scan__headers_free(&hs);
}

Test(header, split_names_raw_values_and_body_as_gmime_parser_has_them)
{
	assert_split_as_gmime("From: a@example.org\nSubject: one\n\nbody\n");
	assert_split_as_gmime("Subject: folded\n  over\ttwo lines\nX-Empty:\nX-Blank: \n\nbody");
	assert_split_as_gmime("Subject: crlf\r\nContent-Type: text/plain;\r\n charset=utf-8\r\n\r\nbody\r\n");
	assert_split_as_gmime("X-Odd-Name!#$%&'*+-.^_`{|}~: v\nSubject:no space\n\n");
	assert_split_as_gmime("Subject: a\rb bare CR\n\nbody");
	assert_split_as_gmime("\nno headers at all\n");
	assert_split_as_gmime("Subject: bytes \xe4\xf6\xfc\n\n");
}

Test(header, left_to_gmime_where_its_parser_has_ways_of_its_own)
{
	trawl_headers_t hs;
	cr_assert_not(split(&hs, "Subject: x\nno colon on this line\n\nbody"), "GMime drops the line");
	cr_assert_not(split(&hs, "Subject : x\n\nbody"), "GMime trims the name");
	cr_assert_not(split(&hs, "From someone Mon Jan  1 00:00:00 2024\nSubject: x\n\n"), "a From_ line");
	cr_assert_not(split(&hs, " Subject: fold first\n\n"), "GMime fails on it");
	cr_assert_not(split(&hs, "Subject: x\nTo: y\n"), "no blank line");
	cr_assert_not(split(&hs, "Subject: x\n"), "no blank line");
	cr_assert_not(split(&hs, ""), "nothing");
	cr_assert_not(trawl_scan__headers_split(&hs, "Subject: a\0b\n\n", 14), "GMime cuts the value at the NUL");
	cr_assert_not(split(&hs, "Subj\xc3\xa9t: 8-bit name\n\n"), "8-bit name");
	cr_assert_not(split(&hs, ":no name\n\n"));
	cr_assert_not(split(&hs, "Subject: x\n\r\r\n\n"), "a line of CRs");
	cr_assert_null(hs.items);
}

/* ---- records: the fast path against GMime's ---- */

/* Records every text handed to the detectors, with its header and the
 * sender it was scanned with, so the comparison sees what was decoded. */
static trawl_status_t
record_text(const trawl_detector_set_t *set, trawl_findings_t *out, const trawl_text_t *t)
{
	char *norm = g_strdup_printf("%s|%s|%.*s", t->header ? t->header : "", t->sender ? t->sender : "",
	                             (int)t->len, t->text);
	trawl_status_t rc = trawl_detect__emit(out, t, TRAWL_TYPE_CUSTOM, 0, 0, norm, 1.0, "test.text");
	g_free(norm);
	return rc;
}
static const trawl_detector_t recorder = {"recorder", TRAWL_TYPE_CUSTOM, record_text};

/* The built-in detectors and the recorder. */
static const trawl_detector_set_t *
recording_set(void)
{
	static trawl_detector_set_t set;
	static const trawl_detector_t *all[64];
	if (!set.detectors) {
		const trawl_detector_set_t *builtin = t_detectors();
		size_t n = 0;
		for (; builtin->detectors[n]; n++) {
			cr_assert_lt(n, 62);
			all[n] = builtin->detectors[n];
		}
		all[n] = &recorder;
		set = *builtin; /* shares its rules, read-only */
		set.min_confidence = 0;
		set.detectors = all;
	}
	return &set;
}

/* raw with a line GMime's parser drops (no colon) put before its blank line. */
static char *
gmime_variant(const char *raw)
{
	const char *crlf = strstr(raw, "\r\n\r\n"), *lf = strstr(raw, "\n\n");
	bool use_crlf = crlf && (!lf || crlf < lf);
	const char *at = use_crlf ? crlf + 2 : lf + 1;
	cr_assert(lf || crlf);
	return g_strdup_printf("%.*s%s%s", (int)(at - raw), raw,
	                       use_crlf ? "this line is no header\r\n" : "this line is no header\n", at);
}

/* Scans raw as the one message of an mbox: taken for a message whatever
 * its headers (a file of its own is sniffed first). */
static void
scan_one(t_got_t *g, const char *raw)
{
	trawl_scan_opts_t opts = {.detectors = recording_set()};
	char *mbox = g_strdup_printf("From test@example.org Mon Jan  1 00:00:00 2024\n%s", raw);
	t_scan(g, &opts, "test.mbox", mbox, strlen(mbox));
	cr_assert_eq(g->n, 1, "skips: %s", g->skips);
	g_free(mbox);
}

#define assert_same_str(a, b, what) \
	cr_assert((!(a) && !(b)) || ((a) && (b) && strcmp((a), (b)) == 0), "%s: %s | %s", what, \
	          (a) ? (a) : "(null)", (b) ? (b) : "(null)")

/* Scans raw (fast, when split says so) and its GMime variant and checks
 * that both give the same record; returns the fast one's for more checks
 * (the caller frees it with t_got_free()). */
static void
assert_same_as_gmime(t_got_t *fast, const char *raw, bool split_expected)
{
	trawl_headers_t hs;
	bool was_split = split(&hs, raw);
	trawl_scan__headers_free(&hs);
	cr_assert_eq(was_split, split_expected, "split: %s", raw);
	char *variant = gmime_variant(raw);
	cr_assert_not(split(&hs, variant), "the variant must be GMime's: %s", variant);

	t_got_t slow;
	scan_one(fast, raw);
	scan_one(&slow, variant);
	const trawl_message_t *a = fast->msgs[0], *b = slow.msgs[0];
	if (strncmp(b->message_id, "sha256:", 7) == 0) /* the bytes differ, and so their hash */
		cr_assert(strncmp(a->message_id, "sha256:", 7) == 0, "%s", a->message_id);
	else
		assert_same_str(a->message_id, b->message_id, "message_id");
	assert_same_str(a->subject, b->subject, "subject");
	assert_same_str(a->date, b->date, "date");
	cr_assert_eq(a->time, b->time);
	assert_same_str(a->from, b->from, "from");
	assert_same_str(a->from_name, b->from_name, "from_name");
	cr_assert_eq(a->findings.len, b->findings.len, "findings: %zu | %zu", a->findings.len, b->findings.len);
	for (size_t i = 0; i < a->findings.len; i++) {
		const trawl_finding_t *x = &a->findings.items[i], *y = &b->findings.items[i];
		cr_assert_eq(x->type, y->type);
		cr_assert_eq(x->where, y->where, "%s", x->norm);
		assert_same_str(x->part, y->part, "part");
		assert_same_str(x->value, y->value, "value");
		assert_same_str(x->norm, y->norm, "norm");
		cr_assert_eq(x->start, y->start);
		cr_assert_eq(x->end, y->end);
		assert_same_str(x->rule, y->rule, "rule");
	}
	t_got_free(&slow);
	g_free(variant);
}

/* The text the recorder saw for part, or NULL. */
static const char *
text_of(const trawl_message_t *m, const char *part)
{
	for (size_t i = 0; i < m->findings.len; i++) {
		const trawl_finding_t *f = &m->findings.items[i];
		if (f->type == TRAWL_TYPE_CUSTOM && strcmp(f->part, part) == 0)
			return f->norm;
	}
	return NULL;
}

Test(header, two_subjects_dates_and_message_ids_the_last_of_each_wins_as_in_gmime)
{
	t_got_t g;
	assert_same_as_gmime(&g,
	                     "Message-ID: <first@example.org>\n"
	                     "Subject: first\n"
	                     "Date: Mon, 1 Jan 2024 10:00:00 +0000\n"
	                     "From: Erika Mustermann <erika@example.org>\n"
	                     "Subject: second\n"
	                     "Message-ID: <second@example.org>\n"
	                     "Date: Tue, 2 Jan 2024 10:00:00 +0100\n"
	                     "\n"
	                     "Hello.\n",
	                     true);
	cr_assert_str_eq(g.msgs[0]->subject, "second");
	cr_assert_str_eq(g.msgs[0]->message_id, "second@example.org");
	cr_assert_str_eq(g.msgs[0]->date, "2024-01-02T09:00:00Z");
	t_got_free(&g);
}

Test(header, a_last_date_gmime_cannot_read_leaves_no_date)
{
	t_got_t g;
	assert_same_as_gmime(&g, "Date: Mon, 1 Jan 2024 10:00:00 +0000\nDate: not a date\nSubject: x\n\nbody\n", true);
	cr_assert_null(g.msgs[0]->date);
	t_got_free(&g);
}

/* Dates of the common form are read by arithmetic (scanner/date.c), the
 * others by GMime: each must come to the instant GMime reads. */
Test(header, dates_read_without_gmime_come_to_gmimes_instant)
{
	static const char *const dates[] = {
		"Mon, 1 Jan 2024 10:00:00 +0000",  "Tue, 02 Jan 2024 10:00:00 +0530",
		"wednesday, 29 Feb 2024 23:59:59 -0930", "1 Mar 2100 00:00:00 +2359",
		"Thu, 31 Dec 1970 23:00:00 -0100", "Fri, 1 Jan 1969 00:00:00 +0100",
		"Sat, 5 Jun 2021 7:8:9 -0000",     "Sun, 6 Jun 2021 07:08 +0200 (CEST)",
		"7 Jun 2021 07:08:09",             "Mon, 8 Jun 2021 07:08:09 GMT",
		"Mon, 31 Feb 2021 07:08:09 +0000", "Mon, 1 Jan 2021 07:08:60 +0000",
		"Mon, 1 Jan 21 07:08:09 +0000",    "Mon, 1-Jan-2021 07:08:09 +0100",
		"Mon, 1 Jan 2021 07:08:09 +0160",  "Mon, 1 Jan 2021 07:08:09 +2400",
	};
	for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
		char *raw = g_strdup_printf("Date: %s\nSubject: x\n\nbody\n", dates[i]);
		t_got_t g;
		assert_same_as_gmime(&g, raw, true);
		t_got_free(&g);
		g_free(raw);
	}
}

Test(header, encoded_word_and_eight_bit_subjects_decoded_as_gmime_does)
{
	t_got_t g;
	assert_same_as_gmime(&g, "Subject: =?ISO-8859-1?Q?Gr=FC=DFe?= aus\n =?UTF-8?B?TcO8bmNoZW4=?=\n\nbody\n", true);
	cr_assert_str_eq(g.msgs[0]->subject, "Grüße aus München");
	t_got_free(&g);
	assert_same_as_gmime(&g, "Subject: Gr\xfc\xdf" "e\nX-Note: Stra\xdf" "e 1\n\nbody\n", true);
	cr_assert_str_eq(g.msgs[0]->subject, "Grüße");
	cr_assert_not_null(text_of(g.msgs[0], "header:X-Note"));
	cr_assert(strstr(text_of(g.msgs[0], "header:X-Note"), "Straße 1"));
	t_got_free(&g);
	assert_same_as_gmime(&g, "Subject: \n\nbody\n", true);
	cr_assert_str_eq(g.msgs[0]->subject, "", "GMime's subject is empty, not missing");
	t_got_free(&g);
}

Test(header, sender_taken_when_from_has_no_mailbox)
{
	t_got_t g;
	assert_same_as_gmime(&g, "From: \nSender: \"Doe, Jane\" <Jane.Doe@Example.org>\n\nbody\n", true);
	cr_assert_str_eq(g.msgs[0]->from, "jane.doe@example.org");
	cr_assert_str_eq(g.msgs[0]->from_name, "Doe, Jane");
	t_got_free(&g);
	/* a group first: no sender, as GMime's first address is no mailbox */
	assert_same_as_gmime(&g, "From: team: a@example.org;\nSender: b@example.org\n\nbody\n", true);
	cr_assert_null(g.msgs[0]->from);
	t_got_free(&g);
	/* GMime's list holds the addresses of every From header, in order */
	assert_same_as_gmime(&g, "From: \nFrom: Erika <erika@example.org>\nFrom: max@example.org\n\nbody\n", true);
	cr_assert_str_eq(g.msgs[0]->from, "erika@example.org");
	t_got_free(&g);
	assert_same_as_gmime(&g, "From: g: a@example.org;\nFrom: max@example.org\n\nbody\n", true);
	cr_assert_null(g.msgs[0]->from);
	t_got_free(&g);
	assert_same_as_gmime(&g, "Sender: \nSender: jane@example.org\nSender: max@example.org\n\nbody\n", true);
	cr_assert_str_eq(g.msgs[0]->from, "jane@example.org");
	t_got_free(&g);
	/* an address without a domain is a mailbox to GMime */
	assert_same_as_gmime(&g, "From: undisclosed\nSender: b@example.org\n\nbody\n", true);
	cr_assert_str_eq(g.msgs[0]->from, "undisclosed");
	t_got_free(&g);
}

Test(header, from_with_a_comment_left_open_is_read_as_gmime_reads_it)
{
	t_got_t g;
	/* GMime's message keeps the mailbox before the open comment */
	assert_same_as_gmime(&g, "From: jane@example.org, (Jane\nSubject: x\n\nbody\n", true);
	cr_assert_str_eq(g.msgs[0]->from, "jane@example.org");
	t_got_free(&g);
	assert_same_as_gmime(&g, "From: jane@example.org (Jane Doe)\nTo: a@example.org, b@example.org\n\nbody\n", true);
	cr_assert_str_eq(g.msgs[0]->from_name, "Jane Doe");
	t_got_free(&g);
}

Test(header, base64_and_quoted_printable_bodies_decoded_in_their_charset)
{
	t_got_t g;
	assert_same_as_gmime(&g,
	                     "Content-Type: text/plain; charset=utf-8\n"
	                     "Content-Transfer-Encoding: base64\n\n"
	                     "R3LDvMOfZSBhdXMgTcO8bmNoZW4sIDAzMCAxMjM0NTY3OAo=\n",
	                     true);
	cr_assert(strstr(text_of(g.msgs[0], "1"), "Grüße aus München"));
	t_got_free(&g);
	assert_same_as_gmime(&g,
	                     "Content-Type: text/plain; charset=\"iso-8859-1\"\n"
	                     "Content-Transfer-Encoding: Quoted-Printable\n\n"
	                     "Gr=FC=DFe aus M=FCnchen, soft=\nbreak\n",
	                     true);
	cr_assert(strstr(text_of(g.msgs[0], "1"), "Grüße aus München, softbreak"));
	t_got_free(&g);
}

Test(header, content_disposition_attachment_makes_the_part_an_attachment)
{
	t_got_t g;
	assert_same_as_gmime(&g,
	                     "Content-Type: text/plain\n"
	                     "Content-Disposition: attachment; filename=\"notes.txt\"\n\n"
	                     "call erika@example.org\n",
	                     true);
	cr_assert(t_has(g.msgs[0], "1", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_EMAIL, "erika@example.org"));
	t_got_free(&g);
	assert_same_as_gmime(&g, "Content-Disposition: inline\n\ncall erika@example.org\n", true);
	cr_assert(t_has(g.msgs[0], "1", TRAWL_WHERE_BODY, TRAWL_TYPE_EMAIL, "erika@example.org"));
	t_got_free(&g);
}

Test(header, html_and_other_types_named_as_leaf_names_them)
{
	t_got_t g;
	assert_same_as_gmime(&g, "Content-Type: TEXT/HTML; charset=us-ascii\n\n<p>Erika &amp; Max</p>\n", true);
	cr_assert(strstr(text_of(g.msgs[0], "1"), "Erika & Max"));
	t_got_free(&g);
	assert_same_as_gmime(&g, "Content-Type: text/\n\nno subtype: GMime's text/plain\n", true);
	t_got_free(&g);
	assert_same_as_gmime(&g, "Content-Type: application/octet-stream\n\njane@example.org\n", true);
	t_got_free(&g);
	assert_same_as_gmime(&g, "Content-Type: text/plain\nContent-Type: text/html\n\n<b>two types</b>\n", true);
	t_got_free(&g);
}

Test(header, multipart_message_and_uuencode_left_to_gmime_with_the_same_result)
{
	t_got_t g;
	assert_same_as_gmime(&g,
	                     "Content-Type: multipart/mixed; boundary=b\n\n"
	                     "--b\nContent-Type: text/plain\n\nerika@example.org\n--b--\n",
	                     true);
	cr_assert(t_has(g.msgs[0], "1", TRAWL_WHERE_BODY, TRAWL_TYPE_EMAIL, "erika@example.org"));
	t_got_free(&g);
	assert_same_as_gmime(&g, "Content-Type: message/rfc822\n\nSubject: inner\n\ninner body\n", true);
	cr_assert(text_of(g.msgs[0], "1:header:Subject"));
	t_got_free(&g);
	assert_same_as_gmime(&g, "Content-Type: (comment) text/plain\n\nbody\n", true);
	t_got_free(&g);
	assert_same_as_gmime(&g, "Content-Transfer-Encoding: x-uuencode\n\nbegin 644 a\n#86)C\n`\nend\n", true);
	t_got_free(&g);
}

Test(header, crlf_and_folded_headers_as_gmime)
{
	t_got_t g;
	assert_same_as_gmime(&g,
	                     "From: \"Mustermann, Erika\"\r\n <erika@example.org>\r\n"
	                     "To: Max Mustermann <max@example.org>,\r\n\tjane@example.org\r\n"
	                     "Subject: a long\r\n subject\r\n"
	                     "X-Phone: +49 30\r\n 1234 5678\r\n\r\n"
	                     "Call me at +49 30 1234 5678.\r\n",
	                     true);
	cr_assert_str_eq(g.msgs[0]->subject, "a long subject");
	cr_assert(t_has(g.msgs[0], "header:To", TRAWL_WHERE_HEADER, TRAWL_TYPE_EMAIL, "jane@example.org"));
	t_got_free(&g);
}

/* Plain address lists are read without GMime's parser (message.c); a To
 * header alone in its message is read from GMime's own list on GMime's
 * way, so each form here is checked against GMime's parser itself. */
Test(header, address_lists_read_as_gmime_parses_them)
{
	static const char *const lists[] = {
		"erika@example.org",
		"Erika Mustermann <erika@example.org>",
		"\"Mustermann, Erika\" <Erika.Mustermann@Example.ORG>, max@example.org",
		"<erika@example.org>",
		"Erika Q. Mustermann <erika@example.org>",
		"Dr. Erika Mustermann . <erika@example.org>",
		"\" Erika \"  <erika@example.org>",
		"Erika\"Mustermann\" <erika@example.org>",
		"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@example.org>",
		"\"=?ISO-8859-1?Q?M=FCller=2C_J=FCrgen?=\" <juergen@example.org>",
		"Erika\r\n Mustermann <erika@example.org>,\r\n\tmax@example.org",
		"a@example.org,, b@example.org, ,",
		"a@example.org ,b@example.org",
		"O'Neil #1 <o'neil+tag@example.org>",
		/* left to GMime's parser: the same result all the same */
		"Mustermann, Erika <erika@example.org>",
		"erika@example.org (Erika Mustermann)",
		"team: a@example.org, b@example.org;",
		"<<erika@example.org>>",
		"Erika <erika@example.org",
		"Erika <@route.example:erika@example.org>",
		"erika@[192.0.2.1]",
		"Jürgen <juergen@xn--bcher-kva.example>",
		"\"Back\\\\slash\" <b@example.org>",
		"erika@example.org <erika@example.org>",
		"Erika < erika@example.org >",
		"erika",
	};
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
		char *raw = g_strdup_printf("To: %s\nSubject: %zu\n\nbody\n", lists[i], i);
		t_got_t g;
		assert_same_as_gmime(&g, raw, true);
		t_got_free(&g);
		g_free(raw);
	}
}

Test(header, sender_name_and_address_read_as_gmime_reads_them)
{
	t_got_t g;
	assert_same_as_gmime(&g, "From: \"=?UTF-8?Q?M=C3=BCller=2C_J=C3=BCrgen?=\" <J.Mueller@Example.org>\n\nx\n", true);
	cr_assert_str_eq(g.msgs[0]->from, "j.mueller@example.org");
	cr_assert_str_eq(g.msgs[0]->from_name, "Müller, Jürgen");
	t_got_free(&g);
	assert_same_as_gmime(&g, "From: \" Erika  Mustermann\t\" <erika@example.org>\n\nx\n", true);
	cr_assert_str_eq(g.msgs[0]->from_name, "Erika  Mustermann", "unquoted and trimmed, inner blanks kept");
	t_got_free(&g);
	assert_same_as_gmime(&g, "From: Erika <erika@xn--bcher-kva.example>\n\nx\n", true);
	cr_assert_str_eq(g.msgs[0]->from, "erika@bücher.example", "GMime decodes IDN domains");
	t_got_free(&g);
}

/* Plain Content-Type values are read without GMime's parser too: each
 * form here against GMime's own, with a body whose bytes need the charset
 * (ISO-8859-1 "Grüße", not UTF-8). */
Test(header, content_types_read_as_gmime_parses_them)
{
	static const char *const types[] = {
		"text/plain; charset=iso-8859-1",
		"text/plain; charset=\"ISO-8859-1\"",
		"Text/Plain ;\tformat=flowed; CharSet = iso-8859-1 ;",
		"text/plain; charset=utf-8; charset=iso-8859-1",
		"text/plain; charset=iso-8859-1 (Latin 1); format=flowed",
		"text/plain; charset=\"\"",
		"text/html; charset=windows-1252",
		"application/x-unknown; name=\"a b.txt\"",
		"text/plain;",
		/* left to GMime's parser: the same result all the same */
		"text/plain; charset*=iso-8859-1''x",
		"text/plain; charset*0=iso-8859-1",
		"text/plain (comment); charset=iso-8859-1",
		"text/plain; (comment) charset=iso-8859-1",
		"text/plain; charset=\"iso-8859-1",
		"text/plain; charset=\"iso\\-8859-1\"",
		"text/plain; charset==?utf-8?q?iso-8859-1?=",
		"text/plain;; charset=iso-8859-1",
		"text/plain; charset=",
		"text/plain junk; charset=iso-8859-1",
		"text/plain; charset=\"iso-8859-1\" junk; format=flowed",
		"text / plain; charset=iso-8859-1",
		"/plain; charset=iso-8859-1",
		"text/pl\xe4in; charset=iso-8859-1",
	};
	for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
		char *raw = g_strdup_printf("Content-Type: %s\nSubject: %zu\n\nGr\xfc\xdf" "e, jane@example.org\n", types[i], i);
		t_got_t g;
		assert_same_as_gmime(&g, raw, true);
		t_got_free(&g);
		g_free(raw);
	}
}
