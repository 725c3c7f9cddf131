/* TNEF (scanner/tnef.c): fixtures/tnef (planted data, see its README) read
 * as a file of its own and attached to a message, through the library and
 * through `trawl detect`; every TNEF file of ../shared/corpora/real (MimeKit's
 * test data) and the messages there that carry a winmail.dat; damaged,
 * truncated and deeply nested streams; the limits. The shared corpus sits
 * beside the clone in CI: these tests fail, not skip, without it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "detectors/detector.h"
#include "scanner/scanner.h"
#include "trawl/trawl.h"
#include "tests/helpers.h"

/* ---- helpers ---------------------------------------------------------- */

static void
dump(const trawl_message_t *m)
{
	for (size_t i = 0; i < m->findings.len; i++)
		cr_log_info("%s %d %s", m->findings.items[i].part, m->findings.items[i].where, m->findings.items[i].norm);
}

/* A detector that records every text it is given as one CUSTOM finding
 * (norm: the text), so that the tests see what the reader handed over. */
static trawl_status_t
record_text(const trawl_detector_set_t *set, trawl_findings_t *out, const trawl_text_t *t)
{
	(void)set;
	char *norm = trawl_strndup(t->text, t->len);
	trawl_status_t rc = trawl_detect__emit(out, t, TRAWL_TYPE_CUSTOM, 0, 0, norm, 1.0, "test.text");
	free(norm);
	return rc;
}
static const trawl_detector_t recorder = {"recorder", TRAWL_TYPE_CUSTOM, record_text};
static const trawl_detector_t *const recorders[] = {&recorder, NULL};
static trawl_detector_set_t recording_set = {.min_confidence = 0, .detectors = recorders};

/* The text handed over for part, or NULL. */
static const char *
text_of(const trawl_message_t *m, const char *part)
{
	for (size_t i = 0; i < m->findings.len; i++)
		if (m->findings.items[i].type == TRAWL_TYPE_CUSTOM && strcmp(m->findings.items[i].part, part) == 0)
			return m->findings.items[i].norm;
	return NULL;
}

/* ---- building streams ------------------------------------------------- */

static void
put_le(trawl_buf_t *b, uint32_t v, int n)
{
	for (int i = 0; i < n; i++)
		trawl_buf_putc(b, (char)(v >> (8 * i)));
}

static void
attr(trawl_buf_t *b, uint8_t level, uint32_t id, const void *data, size_t len)
{
	trawl_buf_putc(b, (char)level);
	put_le(b, id, 4);
	put_le(b, (uint32_t)len, 4);
	trawl_buf_put(b, data, len);
	uint16_t sum = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint16_t)(sum + ((const uint8_t *)data)[i]);
	put_le(b, sum, 2);
}

/* A TNEF stream whose one attachment (attAttachData) is inner. */
static void
wrap(trawl_buf_t *out, const void *inner, size_t len, const char *title)
{
	static const uint8_t rend[14] = {1, 0, 0xff, 0xff, 0xff, 0xff};
	trawl_buf_reset(out);
	put_le(out, 0x223E9F78, 4);
	put_le(out, 0, 2);
	attr(out, 2, 0x00069002, rend, sizeof rend);
	attr(out, 2, 0x00018010, title, strlen(title) + 1);
	attr(out, 2, 0x0006800F, inner, len);
}

/* ---- the fixtures ----------------------------------------------------- */

Test(tnef, file_is_one_record_with_its_headers_bodies_and_attachments)
{
	size_t len;
	char *data = t_read_src("fixtures/tnef/winmail.dat", &len);
	cr_assert_eq(trawl_scan__sniff(&(trawl_worker_t){0}, data, len, NULL), TRAWL_KIND_TNEF);
	t_got_t g;
	t_scan(&g, NULL, "winmail.dat", data, len);
	cr_assert_eq(g.n, 1, "%zu records", g.n);
	cr_assert_eq(g.n_skips, 0, "%s", g.skips);
	const trawl_message_t *m = g.msgs[0];
	dump(m);
	cr_assert_str_eq(m->location, "winmail.dat");
	cr_assert_eq(m->kind, TRAWL_ITEM_MESSAGE);
	cr_assert_str_eq(m->message_id, "tnef-1@kontor-demo.de");
	/* a UTF-16 subject of 116 bytes: libytnef would have given up */
	cr_assert_str_eq(m->subject, "Vertragsunterlagen und Bankverbindung für Erika Mustermann");
	cr_assert_str_eq(m->from, "erika.mustermann@kontor-demo.de");
	cr_assert_str_eq(m->from_name, "Erika Mustermann");
	cr_assert_str_eq(m->date, "2024-03-14T09:30:00Z");

	cr_assert(t_has(m, "header:From", TRAWL_WHERE_HEADER, TRAWL_TYPE_EMAIL, "erika.mustermann@kontor-demo.de"));
	cr_assert(t_has(m, "header:To", TRAWL_WHERE_HEADER, TRAWL_TYPE_EMAIL, "max.beispiel@kontor-demo.de"));
	cr_assert(t_has(m, "body", TRAWL_WHERE_BODY, TRAWL_TYPE_IBAN, "DE89370400440532013000"));
	cr_assert(t_has(m, "rtf", TRAWL_WHERE_BODY, TRAWL_TYPE_EMAIL, "jane.roe@trawl-demo.org"));
	cr_assert(t_has(m, "props", TRAWL_WHERE_BODY, TRAWL_TYPE_PHONE, "+49301234567"));
	cr_assert(t_has(m, "!/kontakt.txt", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_EMAIL, "jane.roe@trawl-demo.org"));
	cr_assert(t_has(m, "!/kontakt.txt", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_IBAN, "DE89370400440532013000"));
	cr_assert(t_has(m, "!/archiv.zip!/notizen/konto.txt", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_IBAN,
	              "GB82WEST12345698765432"));
	cr_assert(t_has(m, "!/Weitergeleitet.body", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_EMAIL, "jane.doe@trawl-demo.org"));
	t_got_free(&g);
	free(data);
}

Test(tnef, attached_to_mail_is_read_into_the_carrying_message)
{
	size_t len;
	char *data = t_read_src("fixtures/tnef/winmail.eml", &len);
	t_got_t g;
	t_scan(&g, NULL, "winmail.eml", data, len);
	cr_assert_eq(g.n, 1);
	cr_assert_eq(g.n_skips, 0, "%s", g.skips);
	const trawl_message_t *m = g.msgs[0];
	dump(m);
	/* the carrier's own fields, not the TNEF's */
	cr_assert_str_eq(m->message_id, "tnef-eml-1@kontor-demo.de");
	cr_assert_str_eq(m->subject, "Vertragsunterlagen");
	cr_assert(t_has(m, "2:header:From", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_EMAIL, "erika.mustermann@kontor-demo.de"));
	cr_assert(t_has(m, "2:header:To", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_EMAIL, "max.beispiel@kontor-demo.de"));
	cr_assert(t_has(m, "2.body", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_IBAN, "DE89370400440532013000"));
	cr_assert(t_has(m, "2.rtf", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_EMAIL, "jane.roe@trawl-demo.org"));
	cr_assert(t_has(m, "2!/kontakt.txt", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_IBAN, "DE89370400440532013000"));
	cr_assert(t_has(m, "2!/archiv.zip!/notizen/konto.txt", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_IBAN,
	              "GB82WEST12345698765432"));
	cr_assert(t_has(m, "2!/Weitergeleitet.body", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_EMAIL,
	              "jane.doe@trawl-demo.org"));
	t_got_free(&g);
	free(data);
}

Test(tnef, trawl_detect_prints_the_location_chain)
{
	char *out = NULL;
	cr_assert_eq(t_run(&out, "cd '%s' && '%s' detect fixtures/tnef/winmail.eml fixtures/tnef/winmail.dat", t_src(),
	                   t_bin()),
	             0, "%s", out);
	const char *const want[] = {
		"{\"source\":\"fixtures/tnef/winmail.eml\",\"location\":\"fixtures/tnef/winmail.eml\","
		"\"message_id\":\"tnef-eml-1@kontor-demo.de\",\"part\":\"2!/kontakt.txt\",\"where\":\"attachment\","
		"\"type\":\"iban\",\"value\":\"DE89 3704 0044 0532 0130 00\"",
		"\"location\":\"fixtures/tnef/winmail.eml\",\"message_id\":\"tnef-eml-1@kontor-demo.de\","
		"\"part\":\"2!/archiv.zip!/notizen/konto.txt\",\"where\":\"attachment\",\"type\":\"iban\"",
		"\"location\":\"fixtures/tnef/winmail.eml\",\"message_id\":\"tnef-eml-1@kontor-demo.de\","
		"\"part\":\"2!/kontakt.txt\",\"where\":\"attachment\",\"type\":\"email\",\"value\":\"jane.roe@trawl-demo.org\"",
		"{\"source\":\"fixtures/tnef/winmail.dat\",\"location\":\"fixtures/tnef/winmail.dat\","
		"\"message_id\":\"tnef-1@kontor-demo.de\",\"part\":\"body\",\"where\":\"body\",\"type\":\"iban\"",
		"\"location\":\"fixtures/tnef/winmail.dat\",\"message_id\":\"tnef-1@kontor-demo.de\","
		"\"part\":\"!/kontakt.txt\",\"where\":\"attachment\",\"type\":\"email\",\"value\":\"jane.roe@trawl-demo.org\"",
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		cr_assert_not_null(strstr(out, want[i]), "missing %s in\n%s", want[i], out);
	/* nothing but JSON lines on standard output */
	for (const char *line = out; *line; line = strchr(line, '\n') + 1) {
		cr_assert_eq(*line, '{', "not JSON: %.80s", line);
		cr_assert_not_null(strchr(line, '\n'));
	}
	free(out);
}

/* ---- the shared corpus ------------------------------------------------ */

static char *
slurp_real(const char *rel, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof path, "../shared/corpora/real/%s", rel);
	return t_read_src(path, len);
}

/* Each of MimeKit's TNEF files: one record, nothing skipped, and what each
 * holds handed over under its part. */
Test(tnef, mimekit_files_each_give_one_record_with_their_texts)
{
	static const struct {
		const char *file, *subject, *part, *text;
	} cases[] = {
		{"two-files.tnef", "two files", "!/README", "TNEF is mainly testsed and used on GNU/Linux"},
		{"two-files.tnef", "two files", "!/AUTHORS", NULL},
		{"attachments.tnef", "test", "!/bookmark.htm", NULL},
		{"long-filename.tnef", "RE: license file", "!/allproductsmar2000.dat", NULL},
		{"missing-filenames.tnef", "Y2K problem with Add-DT", "!/generpts.src", NULL},
		{"MAPI_ATTACH_DATA_OBJ.tnef", "Bodø-damer på vei!", "!/VIA_Nytt_1402.pdf", NULL},
		{"MAPI_ATTACH_DATA_OBJ.tnef", "Bodø-damer på vei!", "!/VIA_Nytt_14021.htm", NULL},
		{"body.tnef", "Bill of Rights", "html", "THE BILL OF RIGHTS"},
		{"rtf.tnef", NULL, "rtf", "gallen@numega.com"},
		{"unicode-mapi-attr.tnef", "example", "html", "hello world"},
		{"winmail.tnef", "rt", "rtf", "3333333333333333333"},
		{"garbage-at-end.tnef", "Test with lots of addresses", "props", NULL},
	};
	trawl_scan_opts_t opts = {.detectors = &recording_set};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char rel[256];
		snprintf(rel, sizeof rel, "tnef/mimekit/%s", cases[i].file);
		size_t len;
		char *data = slurp_real(rel, &len);
		t_got_t g;
		t_scan(&g, &opts, cases[i].file, data, len);
		cr_assert_eq(g.n, 1, "%s: %zu records", cases[i].file, g.n);
		cr_assert_eq(g.n_skips, 0, "%s: %s", cases[i].file, g.skips);
		const trawl_message_t *m = g.msgs[0];
		if (cases[i].subject)
			cr_assert_str_eq(m->subject, cases[i].subject, "%s", cases[i].file);
		const char *t = text_of(m, cases[i].part);
		cr_assert_not_null(t, "%s: no text for part %s", cases[i].file, cases[i].part);
		if (cases[i].text)
			cr_assert_not_null(strstr(t, cases[i].text), "%s, %s: %s", cases[i].file, cases[i].part, t);
		if (strcmp(cases[i].file, "unicode-mapi-attr.tnef") == 0)
			cr_assert_str_eq(m->from, "administrator@exchange.local");
		t_got_free(&g);
		free(data);
	}
}

/* Messages of the corpus whose winmail.dat holds an attached message, and
 * in one of those a document. */
Test(tnef, aspose_messages_with_winmail_dat_are_read_to_the_bottom)
{
	trawl_scan_opts_t opts = {.detectors = &recording_set};
	size_t len;
	char *data = slurp_real("eml/aspose-email/tnefWithMsgInside.eml", &len);
	t_got_t g;
	t_scan(&g, &opts, "tnefWithMsgInside.eml", data, len);
	cr_assert_eq(g.n, 1);
	cr_assert_eq(g.n_skips, 0, "%s", g.skips);
	cr_assert_str_eq(g.msgs[0]->subject, "asvasfvasvf");
	cr_assert_not_null(text_of(g.msgs[0], "1:header:Subject"));
	cr_assert_not_null(text_of(g.msgs[0], "1!/case 2a:header:Received"));
	cr_assert_not_null(text_of(g.msgs[0], "1!/case 2a!/5e76ryjj.docx"));
	t_got_free(&g);
	free(data);

	data = slurp_real("eml/aspose-email/tnefEml1.eml", &len);
	t_scan(&g, &opts, "tnefEml1.eml", data, len);
	cr_assert_eq(g.n, 1);
	cr_assert_eq(g.n_skips, 0, "%s", g.skips);
	cr_assert_not_null(text_of(g.msgs[0], "2.body"));
	cr_assert_not_null(text_of(g.msgs[0], "2!/Embedded MSG.msg:header:Subject"));
	t_got_free(&g);
	free(data);
}

/* ---- damage and limits ------------------------------------------------ */

Test(tnef, every_prefix_is_read_what_is_there_kept_and_damage_reported)
{
	size_t len;
	char *data = t_read_src("fixtures/tnef/winmail.dat", &len);
	for (size_t n = 6; n < len; n++) {
		/* an exact-size copy, so that ASan sees a read past its end */
		char *copy = malloc(n);
		memcpy(copy, data, n);
		t_got_t g;
		t_scan(&g, NULL, "cut.dat", copy, n);
		cr_assert_leq(g.n, 1);
		/* a cut inside the message's properties (those of the attributes
		 * after the first five) is damage reported */
		if (n > 200 && n < 1073)
			cr_assert_geq(g.n_skips, 1, "%zu bytes: damage not reported", n);
		t_got_free(&g);
		free(copy);
	}
	free(data);
}

Test(tnef, a_length_past_the_end_is_reported_and_what_came_before_kept)
{
	size_t len;
	char *data = t_read_src("fixtures/tnef/winmail.dat", &len);
	/* the attribute holding kontakt.txt: make its length far too large */
	const char *kontakt = memmem(data, len, "Jane Roe\njane.roe", 17);
	cr_assert_not_null(kontakt);
	size_t at = (size_t)(kontakt - data) - 9;
	cr_assert_eq((unsigned char)data[at + 1], 0x0F);
	data[at + 5] = (char)0xff, data[at + 6] = (char)0xff, data[at + 7] = (char)0xff, data[at + 8] = 0x7f;
	t_got_t g;
	t_scan(&g, NULL, "bad.dat", data, len);
	cr_assert_eq(g.n, 1);
	cr_assert_eq(g.n_skips, 1, "%s", g.skips);
	cr_assert_not_null(strstr(g.skips, "bad.dat: damaged TNEF: attribute 0x800f at byte"), "%s", g.skips);
	const trawl_message_t *m = g.msgs[0];
	cr_assert(t_has(m, "body", TRAWL_WHERE_BODY, TRAWL_TYPE_IBAN, "DE89370400440532013000"));
	cr_assert_not(t_has(m, "!/kontakt.txt", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_EMAIL, "jane.roe@trawl-demo.org"));
	t_got_free(&g);
	free(data);
}

Test(tnef, nested_200_deep_stops_at_the_nesting_limit)
{
	trawl_buf_t a = {0}, b = {0};
	trawl_buf_puts(&a, "jane.doe@trawl-demo.org\n");
	for (int i = 0; i < 200; i++) {
		wrap(&b, a.data, a.len, "inner.dat");
		trawl_buf_t t = a;
		a = b, b = t;
	}
	t_got_t g;
	t_scan(&g, NULL, "deep.dat", a.data, a.len);
	cr_assert_eq(g.n, 1);
	/* (the reason, "attachment !/inner.dat!/inner.dat... nested too deep", is cut short) */
	cr_assert_eq(g.n_limits, 1, "%s", g.skips);
	t_got_free(&g);

	/* the same 20 deep is read to the bottom */
	trawl_buf_reset(&a);
	trawl_buf_puts(&a, "jane.doe@trawl-demo.org\n");
	for (int i = 0; i < 20; i++) {
		wrap(&b, a.data, a.len, "inner.dat");
		trawl_buf_t t = a;
		a = b, b = t;
	}
	t_scan(&g, NULL, "deep.dat", a.data, a.len);
	cr_assert_eq(g.n, 1);
	cr_assert_eq(g.n_skips, 0, "%s", g.skips);
	char part[1024] = "";
	for (int i = 0; i < 20; i++)
		strcat(part, "!/inner.dat");
	cr_assert(t_has(g.msgs[0], part, TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_EMAIL, "jane.doe@trawl-demo.org"));
	t_got_free(&g);
	trawl_buf_free(&a);
	trawl_buf_free(&b);
}

Test(tnef, attachments_past_the_limits_are_reported_not_read)
{
	size_t len;
	char *data = t_read_src("fixtures/tnef/winmail.dat", &len);
	t_got_t g;
	trawl_scan_opts_t opts = {.limits = {.max_members = 1}};
	t_scan(&g, &opts, "winmail.dat", data, len);
	cr_assert_eq(g.n, 1);
	cr_assert_not_null(strstr(g.skips, "winmail.dat: TNEF: more than 1 attachments: the rest not read"), "%s",
	                   g.skips);
	cr_assert(t_has(g.msgs[0], "!/kontakt.txt", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_IBAN, "DE89370400440532013000"));
	cr_assert_not(t_has(g.msgs[0], "!/Weitergeleitet.body", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_EMAIL,
	                  "jane.doe@trawl-demo.org"));
	t_got_free(&g);

	opts = (trawl_scan_opts_t){.limits = {.max_part_bytes = 100}};
	t_scan(&g, &opts, "winmail.dat", data, len);
	cr_assert_eq(g.n, 1);
	cr_assert_not_null(strstr(g.skips, "winmail.dat: attachment !/archiv.zip larger than 100 bytes"), "%s", g.skips);
	cr_assert(t_has(g.msgs[0], "!/kontakt.txt", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_IBAN, "DE89370400440532013000"));
	t_got_free(&g);
	free(data);
}

Test(tnef, signature_alone_or_junk_after_it_is_a_skip_not_a_record)
{
	static const char sig_only[] = "\x78\x9f\x3e\x22\x00\x00";
	t_got_t g;
	t_scan(&g, NULL, "empty.dat", sig_only, 6);
	cr_assert_eq(g.n, 0);
	cr_assert_not_null(strstr(g.skips, "empty.dat: damaged TNEF: no attributes"), "%s", g.skips);
	t_got_free(&g);

	static const char junk[] = "\x78\x9f\x3e\x22\x00\x00" "JUNKJUNKJUNKJUNK";
	t_scan(&g, NULL, "junk.dat", junk, sizeof junk - 1);
	cr_assert_eq(g.n, 0);
	cr_assert_not_null(strstr(g.skips, "junk.dat: damaged TNEF: no attribute at byte 6"), "%s", g.skips);
	t_got_free(&g);
}
