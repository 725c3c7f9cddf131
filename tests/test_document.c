/* Document text extraction (scanner/document.c) on the files in
 * fixtures/documents/: the planted personal data comes out, laid out as
 * lines and tab-separated cells; encrypted, corrupt, truncated and hostile
 * documents give their status codes, never a crash or a blow-up.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <archive.h>
#include <archive_entry.h>
#include <criterion/criterion.h>
#include <glib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scanner/scanner.h"
#include "tests/helpers.h"

/* One worker with the given limits (zero: defaults) and an output buffer. */
typedef struct {
	trawl_scan_opts_t opts;
	trawl_worker_t w;
	trawl_buf_t out;
	volatile sig_atomic_t stop;
} doc_t;

static void
doc_init(doc_t *d, const trawl_limits_t *limits)
{
	memset(d, 0, sizeof *d);
	if (limits)
		d->opts.limits = *limits;
	d->opts.stop = &d->stop;
	cr_assert_eq(trawl_scan__worker_init(&d->w, &d->opts), TRAWL_OK);
}

static void
doc_fini(doc_t *d)
{
	trawl_buf_free(&d->out);
	trawl_scan__worker_fini(&d->w);
}

static trawl_status_t
extract(doc_t *d, const void *data, size_t len, const char *mime)
{
	return trawl_scan__document_text(&d->w, data, len, mime, &d->out);
}

/* Extracts a fixture with default limits; the text is in d->out. */
static trawl_status_t
extract_fixture(doc_t *d, const char *name)
{
	char path[256];
	size_t len;
	snprintf(path, sizeof path, "fixtures/documents/%s", name);
	char *data = t_read_src(path, &len);
	doc_init(d, NULL);
	trawl_status_t rc = extract(d, data, len, NULL);
	free(data);
	return rc;
}

static const char *
text(doc_t *d)
{
	return trawl_buf_cstr(&d->out);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

#define assert_has(d, needle) cr_assert(strstr(text(d), needle), "no %s in:\n%s", #needle, text(d))
#define assert_lacks(d, needle) cr_assert(!strstr(text(d), needle), "%s in:\n%s", #needle, text(d))

/* A zip in memory (libarchive's writer): members as name, content pairs
 * up to a NULL name. Caller frees. */
static char *
make_zip_with(size_t *len, const char *const *members, const char *passphrase)
{
	size_t cap = 1 << 22;
	char *buf = malloc(cap);
	struct archive *a = archive_write_new();
	archive_write_set_format_zip(a);
	if (passphrase) {
		cr_assert_eq(archive_write_set_options(a, "zip:encryption=zipcrypt"), ARCHIVE_OK);
		cr_assert_eq(archive_write_set_passphrase(a, passphrase), ARCHIVE_OK);
	}
	cr_assert_eq(archive_write_open_memory(a, buf, cap, len), ARCHIVE_OK);
	for (size_t i = 0; members[i]; i += 2) {
		struct archive_entry *e = archive_entry_new();
		size_t n = strlen(members[i + 1]);
		archive_entry_set_pathname(e, members[i]);
		archive_entry_set_size(e, (la_int64_t)n);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_write_header(a, e);
		cr_assert_eq(archive_write_data(a, members[i + 1], n), (la_ssize_t)n);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	return buf;
}

static char *
make_zip(size_t *len, const char *const *members)
{
	return make_zip_with(len, members, NULL);
}

#define DOCX_TYPES                                                                                           \
	"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" \
	"<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-"             \
	"officedocument.wordprocessingml.document.main+xml\"/></Types>"
#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""

/* A docx whose word/document.xml is prolog + body. */
static char *
make_docx(size_t *len, const char *prolog, const char *body)
{
	char *xml = g_strdup_printf("<?xml version=\"1.0\"?>%s<w:document " W_NS "><w:body>%s</w:body></w:document>",
	                            prolog, body);
	const char *members[] = {"[Content_Types].xml", DOCX_TYPES, "word/document.xml", xml, NULL};
	char *zip = make_zip(len, members);
	g_free(xml);
	return zip;
}

/* ---- what comes out ---- */

Test(document, docx_body_tables_headers_notes_comments_and_author)
{
	doc_t d;
	cr_assert_eq(extract_fixture(&d, "letter.docx"), TRAWL_OK);
	/* runs joined; the tab stop in the paragraph properties is no tab */
	cr_assert(g_str_has_prefix(text(&d), "Sehr geehrte Frau Erika Mustermann,\n"), "%s", text(&d));
	assert_has(&d, "Ihre E-Mail:\terika.mustermann@example.net\n");
	/* a table row is a line of tab-separated cells; paragraphs in a cell joined */
	assert_has(&d, "\nIBAN\tDE89 3704 0044 0532 0130 00\n");
	assert_has(&d, "\nKontoinhaberin (privat)\tErika Mustermann\n");
	assert_has(&d, "Kontor Demo GmbH, Tel. +49 30 1234567\n");    /* header */
	assert_has(&d, "Rückfragen an max.beispiel@kontor-demo.de\n"); /* footnote */
	assert_has(&d, "Jane Roe: Bitte Telefon prüfen: 030 98765432\n"); /* comment and its author */
	assert_has(&d, "alte Nummer 0171 2345678 Mit");               /* tracked deletion, kept apart */
	assert_has(&d, "Author: Max Beispiel\nLast modified by: Jane Roe\n");
	/* the text box once, though Word stores it twice */
	cr_assert_eq(count(text(&d), "Postfach 12 34, 10115 Berlin"), 1);
	assert_lacks(&d, "NOT TEXT"); /* styles */
	assert_lacks(&d, "PAGE");     /* field code */
	doc_fini(&d);
}

Test(document, docx_main_part_found_by_content_type_not_name)
{
	/* letter.docx keeps its body in word/main.xml */
	doc_t d;
	cr_assert_eq(extract_fixture(&d, "letter.docx"), TRAWL_OK);
	assert_has(&d, "Mit freundlichen Grüßen");
	doc_fini(&d);
}

Test(document, xlsx_rows_are_lines_of_tab_separated_cells)
{
	doc_t d;
	cr_assert_eq(extract_fixture(&d, "contacts.xlsx"), TRAWL_OK);
	assert_has(&d, "Name\tE-Mail\tTelefon\tIBAN\n");
	/* shared string, inline string, a phone number stored as a number, IBAN */
	assert_has(&d, "\nErika Mustermann\terika.mustermann@example.net\t4930901820\tDE89370400440532013000\n");
	/* a formula's string result, and a number in E notation written out */
	assert_has(&d, "\nJane Roe\tjane.roe@trawl-demo.org\t442079460123\n");
	assert_lacks(&d, "LOWER(");
	assert_lacks(&d, "#N/A");
	/* rich text runs joined, the phonetic reading left out */
	assert_has(&d, "Notiz: Rückruf Max Beispiel");
	assert_lacks(&d, "PHONETIC");
	assert_lacks(&d, "Vertraulich"); /* print header codes are not cells */
	doc_fini(&d);
}

Test(document, pptx_slides_and_speaker_notes)
{
	doc_t d;
	cr_assert_eq(extract_fixture(&d, "slides.pptx"), TRAWL_OK);
	cr_assert_str_eq(text(&d), "Kontakt\nJane Roe\n+44 20 7946 0123\nErika anrufen: 0171 2345678\n");
	doc_fini(&d);
}

Test(document, odt_paragraphs_spaces_tables_header_and_meta)
{
	doc_t d;
	cr_assert_eq(extract_fixture(&d, "minutes.odt"), TRAWL_OK);
	cr_assert(g_str_has_prefix(text(&d), "Protokoll\n"), "%s", text(&d));
	/* white space inside a paragraph collapses */
	assert_has(&d, "\nAnwesend: Erika Mustermann, Max Beispiel\n");
	/* <text:s c="3"/>, <text:tab/>, <text:line-break/> */
	assert_has(&d, "\nTelefon:   +49 30 1234567\t(Büro)\nFax: +49 30 1234568\n");
	/* table rows, repeated empty cells no trailing tabs */
	assert_has(&d, "\nName\tIBAN\nJane Doe\tGB82 WEST 1234 5698 7654 32\n");
	assert_has(&d, "\njane.doe@trawl-demo.org\n");
	assert_has(&d, "\nVertraulich – Kontor Demo\n"); /* styles.xml: the page header */
	assert_has(&d, "Author: Erika Mustermann\nLast modified by: Max Beispiel\n");
	assert_lacks(&d, "2024-01-02"); /* a comment's date is not text */
	doc_fini(&d);
}

Test(document, ods_cells_and_repeated_empty_rows_do_not_amplify)
{
	doc_t d;
	cr_assert_eq(extract_fixture(&d, "budget.ods"), TRAWL_OK);
	cr_assert_str_eq(text(&d), "Max Beispiel\t4930901820\n");
	doc_fini(&d);
}

Test(document, pdf_pages_form_fields_notes_and_author)
{
	doc_t d;
	cr_assert_eq(extract_fixture(&d, "invoice.pdf"), TRAWL_OK);
	assert_has(&d, "Kundin: Erika Müller-Mustermann\n"); /* WinAnsi to UTF-8 */
	assert_has(&d, "E-Mail: erika.mustermann@example.net\n");
	assert_has(&d, "IBAN: DE89 3704 0044 0532 0130 00\n");
	assert_has(&d, "Telefon: +49 30 1234567\n"); /* page 2 */
	assert_has(&d, "Ansprechpartnerin: Jane Roe\n");
	assert_has(&d, "Rueckruf an max.beispiel@kontor-demo.de\n");
	assert_has(&d, "Author: Max Beispiel\n");
	cr_assert(g_utf8_validate(d.out.data, (gssize)d.out.len, NULL));
	doc_fini(&d);
}

/* ---- encrypted ---- */

Test(document, password_protected_pdf_is_encrypted)
{
	doc_t d;
	cr_assert_eq(extract_fixture(&d, "encrypted.pdf"), TRAWL_EENCRYPTED);
	cr_assert_eq(d.out.len, 0);
	doc_fini(&d);
}

Test(document, encrypted_odf_is_encrypted)
{
	doc_t d;
	cr_assert_eq(extract_fixture(&d, "encrypted.odt"), TRAWL_EENCRYPTED);
	doc_fini(&d);
}

Test(document, encrypted_ooxml_compound_file_is_encrypted_plain_ole_unsupported)
{
	/* a password-protected docx is an OLE compound file with an
	 * "EncryptedPackage" stream; a legacy .doc is one without */
	static const char name[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
	char buf[1024] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
	doc_t d;
	doc_init(&d, NULL);
	cr_assert_eq(extract(&d, buf, sizeof buf, "application/msword"), TRAWL_EUNSUPPORTED);
	memcpy(buf + 600, name, sizeof name - 1);
	cr_assert_eq(extract(&d, buf, sizeof buf, NULL), TRAWL_EENCRYPTED);
	doc_fini(&d);
}

Test(document, docx_zipped_with_a_password_is_encrypted)
{
	const char *members[] = {"[Content_Types].xml", DOCX_TYPES, "word/document.xml",
	                         "<w:document " W_NS "><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>",
	                         NULL};
	size_t len;
	char *zip = make_zip_with(&len, members, "secret");
	doc_t d;
	doc_init(&d, NULL);
	cr_assert_eq(extract(&d, zip, len, NULL), TRAWL_EENCRYPTED);
	free(zip);
	doc_fini(&d);
}

/* ---- not documents ---- */

Test(document, text_and_plain_zip_are_unsupported)
{
	doc_t d;
	doc_init(&d, NULL);
	const char *t = "Just text, erika.mustermann@example.net\n";
	cr_assert_eq(extract(&d, t, strlen(t), "text/plain"), TRAWL_EUNSUPPORTED);
	cr_assert_eq(extract(&d, "", 0, NULL), TRAWL_EUNSUPPORTED);

	size_t len;
	char *zip = t_read_src("fixtures/sample/backup/export.zip", &len);
	cr_assert_eq(extract(&d, zip, len, NULL), TRAWL_EUNSUPPORTED);
	cr_assert_eq(d.out.len, 0);
	/* a zip sent as a docx, though, is a broken document */
	cr_assert_eq(extract(&d, zip, len,
	                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
	             TRAWL_EFORMAT);
	free(zip);

	/* an EPUB has a mimetype member too, but is no OpenDocument */
	const char *epub[] = {"mimetype", "application/epub+zip", "content.xml", "<x/>", NULL};
	zip = make_zip(&len, epub);
	cr_assert_eq(extract(&d, zip, len, NULL), TRAWL_EUNSUPPORTED);
	free(zip);
	doc_fini(&d);
}

Test(document, pdf_header_after_junk_only_when_sent_as_pdf)
{
	size_t len;
	char *pdf = t_read_src("fixtures/documents/invoice.pdf", &len);
	char *junk = malloc(len + 100);
	memset(junk, '\n', 100);
	memcpy(junk + 100, pdf, len);
	doc_t d;
	doc_init(&d, NULL);
	cr_assert_eq(extract(&d, junk, len + 100, "application/pdf"), TRAWL_OK);
	assert_has(&d, "erika.mustermann@example.net");
	cr_assert_eq(extract(&d, junk, len + 100, NULL), TRAWL_EUNSUPPORTED);
	const char *t = "Dear Erika, the file starts with %PDF-1.4 and then breaks.\n";
	cr_assert_eq(extract(&d, t, strlen(t), "text/plain"), TRAWL_EUNSUPPORTED);
	free(junk);
	free(pdf);
	doc_fini(&d);
}

Test(document, ooxml_without_a_text_part_is_unsupported)
{
	/* XPS and Visio packages have [Content_Types].xml too */
	const char *xps[] = {"[Content_Types].xml", DOCX_TYPES, "Documents/1/FixedDocument.fdoc", "<x/>", NULL};
	size_t len;
	char *zip = make_zip(&len, xps);
	doc_t d;
	doc_init(&d, NULL);
	cr_assert_eq(extract(&d, zip, len, NULL), TRAWL_EUNSUPPORTED);
	free(zip);
	doc_fini(&d);
}

/* ---- corrupt and truncated ---- */

Test(document, corrupt_zip_is_format_error)
{
	doc_t d;
	doc_init(&d, NULL);
	const char junk[] = "PK\3\4 this is no zip at all, only its magic number";
	cr_assert_eq(extract(&d, junk, sizeof junk - 1, NULL), TRAWL_EFORMAT);

	size_t len;
	char *data = t_read_src("fixtures/documents/contacts.xlsx", &len);
	for (size_t i = 200; i < len - 200; i += 7)
		data[i] ^= 0x5a;
	cr_assert_eq(extract(&d, data, len, NULL), TRAWL_EFORMAT);
	free(data);
	doc_fini(&d);
}

Test(document, docx_without_central_directory_keeps_text_read_before)
{
	size_t len;
	char *data = t_read_src("fixtures/documents/letter.docx", &len);
	char *cd = memmem(data, len, "PK\1\2", 4);
	cr_assert_not_null(cd);
	doc_t d;
	doc_init(&d, NULL);
	cr_assert_eq(extract(&d, data, (size_t)(cd - data), NULL), TRAWL_EFORMAT);
	assert_has(&d, "erika.mustermann@example.net");
	free(data);
	doc_fini(&d);
}

Test(document, truncated_pdf_is_format_error)
{
	size_t len;
	char *data = t_read_src("fixtures/documents/invoice.pdf", &len);
	doc_t d;
	doc_init(&d, NULL);
	cr_assert_eq(extract(&d, data, 100, "application/pdf"), TRAWL_EFORMAT);
	cr_assert_eq(extract(&d, data, len / 2, NULL), TRAWL_EFORMAT);
	free(data);
	doc_fini(&d);
}

/* Every prefix of every fixture: a status, never a crash (run under ASan). */
Test(document, every_truncation_of_every_fixture_is_handled)
{
	static const char *const names[] = {"letter.docx", "contacts.xlsx", "slides.pptx", "minutes.odt",
	                                    "budget.ods",  "invoice.pdf",   "encrypted.pdf", NULL};
	doc_t d;
	doc_init(&d, NULL);
	for (const char *const *n = names; *n; n++) {
		char path[256];
		size_t len;
		snprintf(path, sizeof path, "fixtures/documents/%s", *n);
		char *data = t_read_src(path, &len);
		for (size_t k = 0; k < len; k += 13) {
			char *copy = malloc(k ? k : 1); /* exact size: ASan sees reads past the end */
			memcpy(copy, data, k);
			trawl_status_t rc = extract(&d, copy, k, NULL);
			cr_assert(rc == TRAWL_OK || rc == TRAWL_EFORMAT || rc == TRAWL_EUNSUPPORTED ||
			              rc == TRAWL_EENCRYPTED,
			          "%s cut at %zu: %s", *n, k, trawl_status_str(rc));
			cr_assert(d.out.len == 0 || g_utf8_validate(d.out.data, (gssize)d.out.len, NULL));
			free(copy);
		}
		free(data);
	}
	doc_fini(&d);
}

/* ---- hostile XML ---- */

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

Test(document, billion_laughs_does_not_blow_up)
{
	doc_t d;
	double t0 = now();
	trawl_status_t rc = extract_fixture(&d, "bomb.docx");
	cr_assert(rc == TRAWL_OK || rc == TRAWL_EFORMAT, "%s", trawl_status_str(rc));
	cr_assert_lt(d.out.len, 1000);
	cr_assert_lt(now() - t0, 5.0);
	doc_fini(&d);
}

Test(document, quadratic_blowup_entities_are_not_expanded)
{
	/* one 100 kB entity referenced 50000 times: 5 GB if substituted */
	GString *prolog = g_string_new("<!DOCTYPE d [<!ENTITY a \"");
	for (int i = 0; i < 100000; i++)
		g_string_append_c(prolog, 'A');
	g_string_append(prolog, "\">]>");
	GString *body = g_string_new("<w:p><w:r><w:t>x");
	for (int i = 0; i < 50000; i++)
		g_string_append(body, "&a;");
	g_string_append(body, "y</w:t></w:r></w:p>");
	size_t len;
	char *zip = make_docx(&len, prolog->str, body->str);
	doc_t d;
	doc_init(&d, NULL);
	trawl_status_t rc = extract(&d, zip, len, NULL);
	cr_assert(rc == TRAWL_OK || rc == TRAWL_EFORMAT, "%s", trawl_status_str(rc));
	cr_assert_lt(d.out.len, 1000);
	free(zip);
	g_string_free(prolog, TRUE);
	g_string_free(body, TRUE);
	doc_fini(&d);
}

Test(document, external_entities_are_not_loaded)
{
	char path[] = "/tmp/trawl-xxe-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "LEAKED-SECRET", 13), 13);
	close(fd);
	char *prolog = g_strdup_printf("<!DOCTYPE d [<!ENTITY x SYSTEM \"file://%s\">]>", path);
	size_t len;
	char *zip = make_docx(&len, prolog, "<w:p><w:r><w:t>before &x; after</w:t></w:r></w:p>");
	doc_t d;
	doc_init(&d, NULL);
	trawl_status_t rc = extract(&d, zip, len, NULL);
	cr_assert(rc == TRAWL_OK || rc == TRAWL_EFORMAT, "%s", trawl_status_str(rc));
	assert_lacks(&d, "LEAKED");
	unlink(path);
	free(zip);
	g_free(prolog);
	doc_fini(&d);
}

/* ---- limits ---- */

Test(document, output_capped_at_part_limit_on_a_character_boundary)
{
	size_t len;
	char *data = t_read_src("fixtures/documents/letter.docx", &len);
	doc_t d;
	/* "Sehr geehrte Frau Erika Mustermann,\n" is 36 bytes */
	trawl_limits_t lim = {.max_part_bytes = 40};
	doc_init(&d, &lim);
	cr_assert_eq(extract(&d, data, len, NULL), TRAWL_ELIMIT);
	cr_assert_leq(d.out.len, 40);
	cr_assert(g_str_has_prefix(text(&d), "Sehr geehrte Frau Erika Mustermann,\n"));
	doc_fini(&d);

	/* every cap, some of them inside "Grüßen" or "prüfen" */
	for (uint64_t cap = 1; cap < 420; cap++) {
		lim.max_part_bytes = cap;
		doc_init(&d, &lim);
		trawl_status_t rc = extract(&d, data, len, NULL);
		cr_assert(rc == TRAWL_ELIMIT || rc == TRAWL_OK);
		cr_assert_leq(d.out.len, cap);
		cr_assert(g_utf8_validate(trawl_buf_cstr(&d.out), (gssize)d.out.len, NULL), "cap %llu",
		          (unsigned long long)cap);
		doc_fini(&d);
	}
	free(data);
}

Test(document, expansion_limits_stop_a_zip_bomb)
{
	/* 4 MB of spaces in document.xml deflate to a few kB: ratio far over 200 */
	GString *body = g_string_new("<w:p><w:r><w:t>x</w:t></w:r></w:p>");
	for (int i = 0; i < 4 << 20; i++)
		g_string_append_c(body, ' ');
	size_t len;
	char *zip = make_docx(&len, "", body->str);
	doc_t d;
	doc_init(&d, NULL);
	cr_assert_eq(extract(&d, zip, len, NULL), TRAWL_ELIMIT);
	doc_fini(&d);

	trawl_limits_t lim = {.max_expanded_bytes = 1000, .max_ratio = 1e9};
	doc_init(&d, &lim);
	cr_assert_eq(extract(&d, zip, len, NULL), TRAWL_ELIMIT);
	doc_fini(&d);

	lim = (trawl_limits_t){.max_ratio = 1e9};
	doc_init(&d, &lim);
	cr_assert_eq(extract(&d, zip, len, NULL), TRAWL_OK);
	cr_assert_str_eq(text(&d), "x\n");
	doc_fini(&d);
	free(zip);
	g_string_free(body, TRUE);
}

Test(document, stop_flag_interrupts)
{
	size_t len;
	char *data = t_read_src("fixtures/documents/invoice.pdf", &len);
	doc_t d;
	doc_init(&d, NULL);
	d.stop = 1;
	cr_assert_eq(extract(&d, data, len, NULL), TRAWL_EINTR);
	free(data);
	data = t_read_src("fixtures/documents/letter.docx", &len);
	cr_assert_eq(extract(&d, data, len, NULL), TRAWL_EINTR);
	free(data);
	doc_fini(&d);
}

/* ---- threads ---- */

typedef struct {
	const char *data;
	size_t len;
	const char *expect;
	bool ok;
} job_t;

static void *
extract_many(void *payload)
{
	job_t *j = payload;
	trawl_scan_opts_t opts = {0};
	trawl_worker_t w;
	trawl_buf_t out = {0};
	j->ok = trawl_scan__worker_init(&w, &opts) == TRAWL_OK;
	for (int i = 0; i < 20 && j->ok; i++)
		j->ok = trawl_scan__document_text(&w, j->data, j->len, NULL, &out) == TRAWL_OK &&
		        strstr(trawl_buf_cstr(&out), j->expect);
	trawl_buf_free(&out);
	trawl_scan__worker_fini(&w);
	return NULL;
}

Test(document, workers_extract_at_once)
{
	size_t plen, dlen;
	char *pdf = t_read_src("fixtures/documents/invoice.pdf", &plen);
	char *docx = t_read_src("fixtures/documents/letter.docx", &dlen);
	job_t jobs[6];
	pthread_t th[6];
	for (int i = 0; i < 6; i++) {
		jobs[i] = (job_t){i % 2 ? pdf : docx, i % 2 ? plen : dlen, "erika.mustermann@example.net", false};
		pthread_create(&th[i], NULL, extract_many, &jobs[i]);
	}
	for (int i = 0; i < 6; i++) {
		pthread_join(th[i], NULL);
		cr_assert(jobs[i].ok, "worker %d", i);
	}
	free(pdf);
	free(docx);
}
