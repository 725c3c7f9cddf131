/* Scanner tests: the mbox splitter, the message walk, charsets, HTML,
 * archives and the walker, on the files in fixtures/.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <criterion/criterion.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdatomic.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "detectors/detector.h"
#include "scanner/scanner.h"
#include "trawl/trawl.h"
#include "tests/helpers.h"

/* A detector that records every text it is given as one CUSTOM finding,
 * so the tests can see what the scanner decoded. */
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

typedef struct {
	trawl_message_t *msgs[16];
	size_t n;
	char skips[4096];
	size_t n_skips;
	const char *kind;
} got_t;

static trawl_status_t
keep(trawl_message_t *m, void *payload)
{
	got_t *g = payload;
	if (g->n < 16)
		g->msgs[g->n++] = m;
	else
		trawl_message_free(m);
	return TRAWL_OK;
}

static void
event(const trawl_event_t *ev, void *payload)
{
	got_t *g = payload;
	if (ev->type == TRAWL_EVENT_SKIP) {
		g->n_skips++;
		strncat(g->skips, ev->reason, sizeof g->skips - strlen(g->skips) - 2);
		strcat(g->skips, "\n");
	}
	if (ev->type == TRAWL_EVENT_SOURCE_END)
		g->kind = ev->kind; /* static strings */
}

static void
scan_fixture(const char *path, got_t *g)
{
	static trawl_detector_set_t set = {.min_confidence = 0, .detectors = recorders};
	trawl_scan_opts_t opts = {.detectors = &set};
	size_t len;
	char *data = t_read(path, &len);
	memset(g, 0, sizeof *g);
	cr_assert_eq(trawl_scan_buffer(&opts, path, data, len, keep, event, g), TRAWL_OK);
	free(data);
}

static void
free_got(got_t *g)
{
	for (size_t i = 0; i < g->n; i++)
		trawl_message_free(g->msgs[i]);
}

/* The text the scanner handed the detectors for part (or any part when NULL)
 * contains needle. */
static bool
text_has(const trawl_message_t *m, const char *part, const char *needle)
{
	for (size_t i = 0; i < m->findings.len; i++) {
		const trawl_finding_t *f = &m->findings.items[i];
		if (f->type == TRAWL_TYPE_CUSTOM && (!part || strcmp(f->part, part) == 0) && strstr(f->norm, needle))
			return true;
	}
	return false;
}

static bool
where_of(const trawl_message_t *m, const char *needle, trawl_where_t *out)
{
	for (size_t i = 0; i < m->findings.len; i++) {
		const trawl_finding_t *f = &m->findings.items[i];
		if (f->type == TRAWL_TYPE_CUSTOM && strstr(f->norm, needle)) {
			*out = f->where;
			return true;
		}
	}
	return false;
}

/* ---- mbox ---- */

Test(mbox, mboxrd_unquotes_one_level_of_from_quoting)
{
	got_t g;
	scan_fixture("fixtures/mbox/mboxrd.mbox", &g);
	cr_assert_eq(g.n, 2);
	cr_assert_str_eq(g.kind, "mbox");
	cr_assert(text_has(g.msgs[0], "1", "\nFrom the start of a line"));
	cr_assert(text_has(g.msgs[0], "1", "\n>From quoted twice"));
	cr_assert_str_eq(g.msgs[0]->location, "fixtures/mbox/mboxrd.mbox#1");
	cr_assert_str_eq(g.msgs[1]->location, "fixtures/mbox/mboxrd.mbox#2");
	free_got(&g);
}

Test(mbox, from_line_in_body_without_date_does_not_split)
{
	got_t g;
	scan_fixture("fixtures/mbox/body-from.mbox", &g);
	cr_assert_eq(g.n, 2);
	cr_assert(text_has(g.msgs[0], "1", "From the desk of Person 1"));
	cr_assert_str_eq(g.msgs[1]->message_id, "m2@trawl-demo.org");
	free_got(&g);
}

Test(mbox, content_length_wins_over_from_line_in_body)
{
	got_t g;
	scan_fixture("fixtures/mbox/mboxcl.mbox", &g);
	cr_assert_eq(g.n, 2, "got %zu messages", g.n);
	cr_assert(text_has(g.msgs[0], "1", "still message 1"));
	cr_assert_str_eq(g.msgs[1]->message_id, "m2@trawl-demo.org");
	free_got(&g);
}

Test(mbox, crlf_line_ends_split_and_parse)
{
	got_t g;
	scan_fixture("fixtures/mbox/crlf.mbox", &g);
	cr_assert_eq(g.n, 2);
	cr_assert_str_eq(g.msgs[0]->message_id, "m1@trawl-demo.org");
	cr_assert(text_has(g.msgs[1], "1", "crlf two"));
	cr_assert_str_eq(g.msgs[1]->date, "2023-05-02T10:00:00Z");
	free_got(&g);
}

static trawl_status_t
count_split(const char *m, size_t len, void *payload)
{
	(*(int *)payload)++;
	return TRAWL_OK;
}

Test(mbox, text_without_from_line_is_not_an_mbox)
{
	int n = 0;
	const char *s = "Subject: x\n\nbody\n";
	cr_assert_eq(trawl_scan__mbox_split(s, strlen(s), count_split, &n), TRAWL_EFORMAT);
	cr_assert_eq(n, 0);
}

Test(mbox, truncated_mbox_yields_what_is_there)
{
	int n = 0;
	const char *s = "From a@b Mon May  1 10:00:00 2023\nSubject: x";
	cr_assert_eq(trawl_scan__mbox_split(s, strlen(s), count_split, &n), TRAWL_OK);
	cr_assert_eq(n, 1);
}

/* ---- messages ---- */

Test(message, rfc2047_subject_and_date_decoded)
{
	got_t g;
	scan_fixture("fixtures/mime/rfc2047-lastfirst.eml", &g);
	cr_assert_eq(g.n, 1);
	cr_assert_str_eq(g.kind, "eml");
	cr_assert_str_eq(g.msgs[0]->subject, "Grüße");
	cr_assert_str_eq(g.msgs[0]->date, "2023-05-02T08:00:00Z");
	cr_assert_str_eq(g.msgs[0]->from, "juergen.mueller@trawl-demo.org");
	cr_assert_str_eq(g.msgs[0]->from_name, "Müller, Jürgen");
	free_got(&g);
}

Test(message, bytes_in_us_ascii_part_read_as_windows_1252)
{
	got_t g;
	scan_fixture("fixtures/mime/latin1-mislabelled.eml", &g);
	cr_assert_eq(g.n, 1);
	cr_assert(text_has(g.msgs[0], "1", "Straße in München"));
	free_got(&g);
}

Test(message, unknown_charset_falls_back)
{
	got_t g;
	scan_fixture("fixtures/mime/unknown-charset.eml", &g);
	cr_assert_eq(g.n, 1);
	cr_assert(text_has(g.msgs[0], "1", "Grüße"));
	free_got(&g);
}

Test(message, missing_message_id_gets_sha256_of_raw_bytes)
{
	got_t g;
	size_t len;
	char *raw = t_read("fixtures/mime/no-message-id.eml", &len);
	char hex[65], want[80];
	trawl_sha256_hex(hex, raw, len);
	snprintf(want, sizeof want, "sha256:%s", hex);
	scan_fixture("fixtures/mime/no-message-id.eml", &g);
	cr_assert_eq(g.n, 1);
	cr_assert_str_eq(g.msgs[0]->message_id, want);
	free(raw);
	free_got(&g);
}

Test(message, forwarded_message_walked_and_base64_decoded_as_attachment)
{
	got_t g;
	scan_fixture("fixtures/mime/forwarded.eml", &g);
	cr_assert_eq(g.n, 1, "one record: the forwarded message belongs to the outer one");
	cr_assert_str_eq(g.msgs[0]->message_id, "outer@trawl-demo.org");
	trawl_where_t where = TRAWL_WHERE_BODY;
	cr_assert(where_of(g.msgs[0], "inner-body@trawl-demo.org", &where));
	cr_assert_eq(where, TRAWL_WHERE_ATTACHMENT);
	cr_assert(text_has(g.msgs[0], "2:header:Subject", "inner"));
	cr_assert(where_of(g.msgs[0], "see below", &where));
	cr_assert_eq(where, TRAWL_WHERE_BODY);
	free_got(&g);
}

Test(message, html_entities_decoded_tags_removed_links_kept)
{
	got_t g;
	scan_fixture("fixtures/mime/html-entities.eml", &g);
	cr_assert_eq(g.n, 1);
	const trawl_message_t *m = g.msgs[0];
	cr_assert(text_has(m, "1", "Café & Straße 1"));
	cr_assert(text_has(m, "1", "\nsecond block"));
	cr_assert(text_has(m, "1", "linked@trawl-demo.org"));
	cr_assert(text_has(m, "1", "+4930123456"));
	cr_assert(text_has(m, "1", "Jane Doe\tcell@trawl-demo.org"));
	cr_assert_not(text_has(m, "1", "hidden@trawl-demo.org"), "script content is not text");
	cr_assert_not(text_has(m, "1", "color:red"), "style content is not text");
	cr_assert_not(text_has(m, "1", "<p>"));
	free_got(&g);
}

Test(message, message_id_header_not_scanned)
{
	got_t g;
	scan_fixture("fixtures/mime/forwarded.eml", &g);
	cr_assert_not(text_has(g.msgs[0], "header:Message-ID", "outer"));
	free_got(&g);
}

/* ---- html ---- */

Test(html, block_elements_become_line_breaks)
{
	trawl_buf_t out = {0};
	const char *h = "<div>a</div><div>b<br>c</div><ul><li>d</li></ul>";
	cr_assert_eq(trawl_scan__html_to_text(&out, h, strlen(h)), TRAWL_OK);
	cr_assert_str_eq(out.data, "a\nb\nc\nd\n");
	trawl_buf_free(&out);
}

Test(html, broken_markup_still_gives_text)
{
	trawl_buf_t out = {0};
	const char *h = "<p>unclosed <b>bold <i>text &amp; more &#1234567890; &bogus;";
	cr_assert_eq(trawl_scan__html_to_text(&out, h, strlen(h)), TRAWL_OK);
	cr_assert(strstr(out.data, "unclosed bold text & more"));
	trawl_buf_free(&out);
}

/* The text trawl_scan__html_to_text() gives comes from libxml2's SAX
 * events; it must be what walking the tree libxml2 builds from the same
 * events gave (as html.c did before). The walk, as it was: */
static bool
ref_is_block(const char *n)
{
	static const char *const blocks[] = {
		"p", "div", "br", "tr", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table",
		"blockquote", "pre", "hr", "address", "section", "article", "header", "footer", "dd",
		"dt", "dl", "form", "fieldset", "center", "title", "body", "thead", "tbody", NULL,
	};
	for (const char *const *b = blocks; *b; b++)
		if (strcasecmp(n, *b) == 0)
			return true;
	return false;
}

static void
ref_newline(trawl_buf_t *out)
{
	while (out->len && out->data[out->len - 1] == ' ')
		out->len--;
	if (out->len && out->data[out->len - 1] != '\n')
		trawl_buf_putc(out, '\n');
}

static void
ref_put_text(trawl_buf_t *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
		if (c == 0xC2 && p[1] == 0xA0) {
			space = true;
			p++;
		}
		if (space) {
			if (out->len && out->data[out->len - 1] != ' ' && out->data[out->len - 1] != '\n' &&
			    out->data[out->len - 1] != '\t')
				trawl_buf_putc(out, ' ');
		} else {
			trawl_buf_putc(out, (char)c);
		}
	}
}

static void
ref_walk(trawl_buf_t *out, xmlNode *node, unsigned depth)
{
	for (xmlNode *n = node; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				ref_put_text(out, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *name = (const char *)n->name;
		if (strcasecmp(name, "script") == 0 || strcasecmp(name, "style") == 0 || strcasecmp(name, "head") == 0)
			continue;
		bool block = ref_is_block(name);
		if (block)
			ref_newline(out);
		if ((strcasecmp(name, "td") == 0 || strcasecmp(name, "th") == 0) && out->len &&
		    out->data[out->len - 1] != '\n')
			trawl_buf_putc(out, '\t');
		if (depth < 256)
			ref_walk(out, n->children, depth + 1);
		if (strcasecmp(name, "a") == 0) {
			xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
			if (href) {
				const char *h = (const char *)href, *t = NULL;
				if (strncasecmp(h, "mailto:", 7) == 0)
					t = h + 7;
				else if (strncasecmp(h, "tel:", 4) == 0)
					t = h + 4;
				if (t) {
					size_t tl = strcspn(t, "?");
					bool shown = out->len >= tl && memmem(out->data + (out->len > 512 ? out->len - 512 : 0),
					                                      out->len > 512 ? 512 : out->len, t, tl);
					if (tl && !shown) {
						trawl_buf_puts(out, " (");
						trawl_buf_put(out, t, tl);
						trawl_buf_puts(out, ")");
					}
				}
				xmlFree(href);
			}
		}
		if (block)
			ref_newline(out);
	}
}

static void
ref_html_to_text(trawl_buf_t *out, const char *html, size_t len)
{
	trawl_buf_reset(out);
	htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
	                                HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	                                	HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_NOIMPLIED);
	if (!doc) {
		trawl_buf_put(out, html, len);
		return;
	}
	ref_walk(out, doc->children, 0);
	xmlFreeDoc(doc);
	ref_newline(out);
	trawl_buf_grow(out, 1);
	if (out->data)
		out->data[out->len] = '\0';
}

static void
html_same_as_tree(const char *html, size_t len)
{
	trawl_buf_t a = {0}, b = {0};
	ref_html_to_text(&a, html, len);
	cr_assert_eq(trawl_scan__html_to_text(&b, html, len), TRAWL_OK);
	cr_assert(a.len == b.len && (!a.len || memcmp(a.data, b.data, a.len) == 0),
	          "for %.*s\ntree: [%.*s]\nSAX:  [%.*s]", (int)(len > 300 ? 300 : len), html, (int)a.len,
	          a.data ? a.data : "", (int)b.len, b.data ? b.data : "");
	trawl_buf_free(&a);
	trawl_buf_free(&b);
}

Test(html, text_from_events_as_from_the_tree_quirks_included)
{
	static const char *const cases[] = {
		"hello <b>world</b>",
		/* without an <html>, later top-level elements are the first one's children */
		"<a href='mailto:anna@example.org?subject=x'>write</a> <a href=\"tel:+49301234567\">call</a> <a href>x</a>",
		"<head><title>T</title></head><p>after head</p>",
		"<!-- first --><b>one</b><p>two</p>",
		"<b>one</b><!DOCTYPE html><p>two</p>",
		"qu<!DOCTYPE html>iv <p>x</p>",
		/* "o:p" is a "p" in the tree */
		"<p>Hi<o:p></o:p></p><p>there<o:p>&nbsp;</o:p></p><x:y>z</x:y><:p>q</:p><p:>r</p:>",
		"<html><head><style>p{}</style></head><body><p>x&nbsp;y &amp; z</p><script>var a='<p>';</script>done</body></html>",
		"<table><tr><td>a<td>b<tr><th>c</table><ul><li>one<li>two</ul>",
		"<!-- c --> <p>a<!-- x -->b</p><![CDATA[ cdata ]]> <?pi x?>",
		/* a byte that is not UTF-8 ends a piece of text */
		"<p>\xc2\xa0\xc2\xa0\xc2</html>\xa0x</p>",
		"<p>a\xc2<!-- -->\xa0" "b</p>",
		"<script>unterminated",
		"<p>unclosed <b>bold <i>italic",
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		html_same_as_tree(cases[i], strlen(cases[i]));

	/* nesting around the tree's limit of 256 */
	for (int depth = 250; depth <= 262; depth += 3) {
		trawl_buf_t h = {0};
		for (int k = 0; k < depth; k++)
			trawl_buf_puts(&h, k % 2 ? "<div>" : "<span>");
		trawl_buf_puts(&h, "deep<p>text</p><a href='mailto:z@y.de'>q</a>");
		for (int k = depth - 1; k >= 0; k--)
			trawl_buf_puts(&h, k % 2 ? "</div>" : "</span>");
		html_same_as_tree(h.data, h.len);
		html_same_as_tree(h.data, h.len * 2 / 3);
		trawl_buf_free(&h);
	}

	/* the seeds of the HTML fuzz target, cut and spliced at random */
	static const char *const seeds[] = {"fuzz/seeds/html/mail.html", "fuzz/seeds/html/broken.html"};
	static const char *const bits[] = {"<", "</", "<p>", "</p>", "<div>", "</a>", "<a href=tel:0301234>", "<o:p>",
	                                   "<head>", "<script>", "<!--", "-->", "<!DOCTYPE html>", "<?x?>", "&nbsp;",
	                                   "\xc2", "\xa0", "\xff", "<td>", "<br>", "<html>", "</html>", " ", "\n"};
	unsigned long long r = 12345;
	for (size_t k = 0; k < sizeof seeds / sizeof *seeds; k++) {
		size_t n;
		char *seed = t_read(seeds[k], &n);
		for (int m = 0; m < 300; m++) {
			trawl_buf_t h = {0};
			if (m % 3 == 0)
				trawl_buf_puts(&h, "<b>one</b> <p>two</p>");
			for (size_t i = 0; i < n; i++) {
				r = r * 6364136223846793005ull + 1442695040888963407ull;
				unsigned x = (unsigned)(r >> 33) % 100;
				if (x < 4)
					trawl_buf_puts(&h, bits[(r >> 45) % (sizeof bits / sizeof *bits)]);
				if (x == 4)
					continue;
				trawl_buf_putc(&h, seed[i]);
			}
			html_same_as_tree(h.data, h.len);
			trawl_buf_free(&h);
		}
		free(seed);
	}
}

/* ---- containers ---- */

Test(archive, zip_member_read_with_member_chain)
{
	got_t g;
	scan_fixture("fixtures/sample/backup/export.zip", &g);
	cr_assert_eq(g.n, 1);
	cr_assert_str_eq(g.kind, "zip");
	cr_assert_str_eq(g.msgs[0]->location, "fixtures/sample/backup/export.zip!/Export/Inbox/1.eml");
	cr_assert_str_eq(g.msgs[0]->message_id, "sample-6@trawl-demo.org");
	free_got(&g);
}

Test(archive, tar_gz_holding_mbox_gives_member_and_message_number)
{
	got_t g;
	scan_fixture("fixtures/sample/backup/2022.tar.gz", &g);
	cr_assert_eq(g.n, 1);
	cr_assert_str_eq(g.msgs[0]->location, "fixtures/sample/backup/2022.tar.gz!/mail/2022.mbox#1");
	free_got(&g);
}

Test(archive, corrupt_archive_reported_not_fatal)
{
	static trawl_detector_set_t set = {.min_confidence = 0, .detectors = recorders};
	trawl_scan_opts_t opts = {.detectors = &set};
	got_t g = {0};
	/* a zip local header followed by garbage */
	const char junk[] = "PK\x03\x04garbage garbage garbage garbage garbage garbage";
	cr_assert_eq(trawl_scan_buffer(&opts, "junk.zip", junk, sizeof junk - 1, keep, event, &g), TRAWL_OK);
	cr_assert_eq(g.n, 0);
	cr_assert_geq(g.n_skips, 1);
	free_got(&g);
}

Test(sniff, plain_text_is_reported_as_not_mail)
{
	got_t g;
	scan_fixture("fixtures/sample/notes.txt", &g);
	cr_assert_eq(g.n, 0);
	cr_assert_eq(g.n_skips, 1);
	cr_assert(strstr(g.skips, "not mail"), "%s", g.skips);
	free_got(&g);
}

/* ---- the walker ---- */

typedef struct {
	int messages, skips, maildir;
} walk_t;

static trawl_status_t
count_msg(trawl_message_t *m, void *payload)
{
	((walk_t *)payload)->messages++;
	trawl_message_free(m);
	return TRAWL_OK;
}

static void
count_ev(const trawl_event_t *ev, void *payload)
{
	walk_t *w = payload;
	if (ev->type == TRAWL_EVENT_SKIP)
		w->skips++;
	if (ev->type == TRAWL_EVENT_SOURCE_END && ev->kind && strcmp(ev->kind, "maildir") == 0)
		w->maildir++;
}

Test(walk, sample_tree_every_message_once_with_two_threads)
{
	static trawl_detector_set_t set = {.min_confidence = 0, .detectors = recorders};
	trawl_scan_opts_t opts = {.detectors = &set, .threads = 2};
	char path[4096];
	snprintf(path, sizeof path, "%s/fixtures/sample", getenv("TRAWL_SRC") ? getenv("TRAWL_SRC") : ".");
	const char *paths[] = {path};
	walk_t w = {0};
	cr_assert_eq(trawl_scan_run(&opts, paths, 1, count_msg, count_ev, &w), TRAWL_OK);
	cr_assert_eq(w.messages, 7);
	cr_assert_eq(w.maildir, 1);
	cr_assert_eq(w.skips, 1, "notes.txt is not mail");
}

Test(walk, symlink_loop_and_missing_path_do_not_hang)
{
	static trawl_detector_set_t set = {.min_confidence = 0, .detectors = recorders};
	trawl_scan_opts_t opts = {.detectors = &set, .threads = 1};
	char dir[] = "/tmp/trawl-walk-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char link[4200], missing[4200];
	snprintf(link, sizeof link, "%s/loop", dir);
	snprintf(missing, sizeof missing, "%s/does-not-exist", dir);
	cr_assert_eq(symlink(dir, link), 0);
	const char *paths[] = {dir, missing};
	walk_t w = {0};
	cr_assert_eq(trawl_scan_run(&opts, paths, 2, count_msg, count_ev, &w), TRAWL_OK);
	cr_assert_eq(w.messages, 0);
	cr_assert_eq(w.skips, 1, "the missing path is reported");
	unlink(link);
	rmdir(dir);
}

/* ---- a large mbox shared by the workers ---- */

typedef struct {
	unsigned n_msgs;      /* messages of the large mbox written */
	unsigned char *seen;  /* per message: how often its record came */
	unsigned bad;         /* records whose location and Message-ID disagree */
	unsigned out_of_order;
	unsigned long last_no;
	int begins, ends;     /* of the large mbox */
	uint64_t end_messages;
	int after_end;        /* records of it after its END */
	int other_msgs;       /* records of the other file */
	const char *path;
} split_t;

static trawl_status_t
split_msg(trawl_message_t *m, void *payload)
{
	split_t *s = payload;
	if (strcmp(m->source, s->path) != 0) {
		s->other_msgs++;
		trawl_message_free(m);
		return TRAWL_OK;
	}
	const char *hash = strrchr(m->location, '#');
	unsigned long no = hash ? strtoul(hash + 1, NULL, 10) : 0, id = 0;
	if (!m->message_id || sscanf(m->message_id, "m%lu@split.test", &id) != 1 || id != no || no == 0 ||
	    no > s->n_msgs || strncmp(m->location, s->path, strlen(s->path)) != 0)
		s->bad++;
	else
		s->seen[no - 1]++;
	s->out_of_order += no < s->last_no;
	s->last_no = no;
	s->after_end += s->ends > 0;
	trawl_message_free(m);
	return TRAWL_OK;
}

static void
split_ev(const trawl_event_t *ev, void *payload)
{
	split_t *s = payload;
	if (!ev->source || strcmp(ev->source, s->path) != 0)
		return;
	if (ev->type == TRAWL_EVENT_SOURCE_BEGIN) {
		s->begins++;
		cr_assert_eq(s->last_no, 0, "BEGIN before every record of the file");
	}
	if (ev->type == TRAWL_EVENT_SOURCE_END) {
		s->ends++;
		s->end_messages = ev->messages;
		cr_assert_str_eq(ev->kind, "mbox");
	}
}

/* Writes an mbox of about 6 MB (more than one worker reads alone): message
 * i has Message-ID <m<i>@split.test>; some bodies hold a quoted >From line
 * and some a From_-looking line that is no boundary. */
static unsigned
write_big_mbox(const char *path)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	unsigned n = 0;
	char body[1200];
	memset(body, 'x', sizeof body);
	for (size_t i = 0; i + 1 < sizeof body; i += 60)
		body[i] = '\n';
	body[sizeof body - 1] = '\0';
	for (long bytes = 0; bytes < 6L * 1024 * 1024; bytes = ftell(f)) {
		n++;
		fprintf(f, "From sender@split.test Mon Jan  1 00:00:00 2024\n"
		           "From: Sender <sender@split.test>\nTo: someone@split.test\n"
		           "Message-ID: <m%u@split.test>\nSubject: message %u\n\n"
		           "Hello,\n%s%s\n%s\n\n",
		        n, n, n % 7 == 0 ? ">From the archive\n" : "", n % 11 == 0 ? "From the desk of nobody\n" : "",
		        body);
	}
	fclose(f);
	return n;
}

static void
scan_big_mbox(unsigned threads, unsigned queue_records)
{
	static const trawl_detector_t *const none[] = {NULL};
	static trawl_detector_set_t set = {.min_confidence = 0, .detectors = none};
	trawl_scan_opts_t opts = {.detectors = &set, .threads = threads, .queue_records = queue_records};
	char dir[] = "/tmp/trawl-split-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char big[4200], small[4200];
	snprintf(big, sizeof big, "%s/big.mbox", dir);
	snprintf(small, sizeof small, "%s/small.eml", dir);
	split_t s = {.path = big};
	s.n_msgs = write_big_mbox(big);
	s.seen = calloc(s.n_msgs, 1);
	FILE *f = fopen(small, "w");
	fputs("From: a@split.test\nTo: b@split.test\nSubject: small\n\nhi\n", f);
	fclose(f);

	const char *paths[] = {big, small};
	cr_assert_eq(trawl_scan_run(&opts, paths, 2, split_msg, split_ev, &s), TRAWL_OK);
	cr_assert_eq(s.bad, 0, "location #N is the Nth message");
	for (unsigned i = 0; i < s.n_msgs; i++)
		cr_assert_eq(s.seen[i], 1, "message %u read %d times", i + 1, s.seen[i]);
	cr_assert_eq(s.begins, 1);
	cr_assert_eq(s.ends, 1);
	cr_assert_eq(s.end_messages, s.n_msgs, "END counts every batch: %llu of %u",
	             (unsigned long long)s.end_messages, s.n_msgs);
	cr_assert_eq(s.after_end, 0, "no record of the file after its END");
	cr_assert_eq(s.other_msgs, 1);
	if (threads == 1)
		cr_assert_eq(s.out_of_order, 0, "one worker keeps the order of the file");
	free(s.seen);
	unlink(big);
	unlink(small);
	rmdir(dir);
}

Test(walk, large_mbox_split_among_workers_every_message_once_in_order_of_events)
{
	scan_big_mbox(3, 0);
}

Test(walk, large_mbox_split_with_one_worker_keeps_file_order)
{
	scan_big_mbox(1, 0);
}

/* Room for one record: the caller's thread, which reads too, hands over
 * what waits instead of waiting for room only it can make. */
Test(walk, record_queue_of_one_neither_stalls_nor_reorders)
{
	scan_big_mbox(1, 1);
	scan_big_mbox(2, 1);
}

/* --threads 1 is one thread: every message is read on the caller's. */
static pthread_t caller_thread;
static atomic_int off_caller;

static trawl_status_t
note_caller(const trawl_detector_set_t *set, trawl_findings_t *out, const trawl_text_t *t)
{
	(void)set, (void)out, (void)t;
	if (!pthread_equal(pthread_self(), caller_thread))
		atomic_fetch_add(&off_caller, 1);
	return TRAWL_OK;
}

static trawl_status_t
count_on_caller(trawl_message_t *m, void *payload)
{
	if (!pthread_equal(pthread_self(), caller_thread))
		atomic_fetch_add(&off_caller, 1);
	return count_msg(m, payload);
}

Test(walk, one_thread_reads_on_the_callers_thread)
{
	static const trawl_detector_t noter = {"caller", TRAWL_TYPE_CUSTOM, note_caller};
	static const trawl_detector_t *const noters[] = {&noter, NULL};
	static trawl_detector_set_t set = {.min_confidence = 0, .detectors = noters};
	trawl_scan_opts_t opts = {.detectors = &set, .threads = 1};
	char path[4096];
	snprintf(path, sizeof path, "%s/fixtures/sample", getenv("TRAWL_SRC") ? getenv("TRAWL_SRC") : ".");
	const char *paths[] = {path};
	walk_t w = {0};
	caller_thread = pthread_self();
	cr_assert_eq(trawl_scan_run(&opts, paths, 1, count_on_caller, count_ev, &w), TRAWL_OK);
	cr_assert_eq(w.messages, 7);
	cr_assert_eq(atomic_load(&off_caller), 0, "%d calls on another thread", atomic_load(&off_caller));
}

/* A detector that notes which threads it runs on; the first call of each
 * thread waits (up to 20 s) for a second thread to come, so that a second
 * worker that gave up on the only file before it was split is seen. */
static pthread_mutex_t threads_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t threads_cv = PTHREAD_COND_INITIALIZER;
static pthread_t threads_seen[8];
static int n_threads_seen;

static trawl_status_t
note_thread(const trawl_detector_set_t *set, trawl_findings_t *out, const trawl_text_t *t)
{
	(void)set, (void)out, (void)t;
	pthread_t self = pthread_self();
	pthread_mutex_lock(&threads_mu);
	bool known = false;
	for (int i = 0; i < n_threads_seen; i++)
		known |= pthread_equal(threads_seen[i], self);
	if (!known && n_threads_seen < 8) {
		threads_seen[n_threads_seen++] = self;
		pthread_cond_broadcast(&threads_cv);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 20;
		while (n_threads_seen < 2 && pthread_cond_timedwait(&threads_cv, &threads_mu, &until) == 0)
			;
	}
	pthread_mutex_unlock(&threads_mu);
	return TRAWL_OK;
}

Test(walk, one_large_mbox_alone_is_read_by_every_worker)
{
	static const trawl_detector_t noter = {"noter", TRAWL_TYPE_CUSTOM, note_thread};
	static const trawl_detector_t *const noters[] = {&noter, NULL};
	static trawl_detector_set_t set = {.min_confidence = 0, .detectors = noters};
	trawl_scan_opts_t opts = {.detectors = &set, .threads = 2};
	char dir[] = "/tmp/trawl-split-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char big[4200];
	snprintf(big, sizeof big, "%s/big.mbox", dir);
	split_t s = {.path = big};
	s.n_msgs = write_big_mbox(big);
	s.seen = calloc(s.n_msgs, 1);
	const char *paths[] = {big};
	cr_assert_eq(trawl_scan_run(&opts, paths, 1, split_msg, split_ev, &s), TRAWL_OK);
	cr_assert_eq(s.end_messages, s.n_msgs);
	cr_assert_geq(n_threads_seen, 2, "the messages of one mbox were read by %d thread(s)", n_threads_seen);
	free(s.seen);
	unlink(big);
	rmdir(dir);
}

/* An error from on_message stops the scan and is what trawl_scan_run()
 * returns; no record is handed over after it, whichever thread reads. */
typedef struct {
	int calls, fail_at;
} failing_t;

static trawl_status_t
fail_msg(trawl_message_t *m, void *payload)
{
	failing_t *f = payload;
	trawl_message_free(m);
	return ++f->calls == f->fail_at ? TRAWL_EIO : TRAWL_OK;
}

static void
scan_failing(unsigned threads, bool with_stop)
{
	static const trawl_detector_t *const none[] = {NULL};
	static trawl_detector_set_t set = {.min_confidence = 0, .detectors = none};
	volatile sig_atomic_t stop = 0;
	trawl_scan_opts_t opts = {.detectors = &set, .threads = threads, .queue_records = 8,
	                          .stop = with_stop ? &stop : NULL};
	char dir[] = "/tmp/trawl-fail-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char big[4200];
	snprintf(big, sizeof big, "%s/big.mbox", dir);
	unsigned n = write_big_mbox(big);
	const char *paths[] = {big};
	failing_t f = {.fail_at = 10};
	cr_assert_eq(trawl_scan_run(&opts, paths, 1, fail_msg, NULL, &f), TRAWL_EIO, "threads %u", threads);
	cr_assert_eq(f.calls, 10, "no record after the error (%d of %u)", f.calls, n);
	if (with_stop)
		cr_assert(stop, "the stop flag is set for the other threads");
	unlink(big);
	rmdir(dir);
}

Test(walk, error_from_on_message_stops_and_is_returned)
{
	scan_failing(1, true);
	scan_failing(2, true);
	scan_failing(2, false);
}

/* ---- vCards ---- */

static char *
vcard_text(const char *card)
{
	trawl_buf_t b = {0};
	cr_assert_eq(trawl_scan__vcard_text(card, strlen(card), &b), TRAWL_OK);
	char *s = trawl_strndup(b.data, b.len);
	trawl_buf_free(&b);
	return s;
}

Test(vcard, adr_becomes_the_lines_of_a_letter)
{
	char *s = vcard_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Agnieszka Kowalczyk\r\n"
	                     "ADR;TYPE=HOME:;;ul. Długa 5/7;Gdańsk;;80-827;Poland\r\nEND:VCARD\r\n");
	cr_assert(strstr(s, "FN:Agnieszka Kowalczyk"), "the card itself stays");
	cr_assert(strstr(s, "\nul. Długa 5/7\n80-827 Gdańsk\nPoland\n"), "%s", s);
	free(s);
	/* a folded line, escapes, a grouped property, the US and British orders */
	s = vcard_text("begin:vcard\nitem1.ADR;type=WORK:;Suite 200;1600 Amphitheatre\n  Pkwy\\, Bldg 4;Mountain View;CA;94043;USA\n"
	               "ADR:;;10 Downing Street;London;;SW1A 2AA;United Kingdom\nEND:VCARD\n");
	cr_assert(strstr(s, "\nSuite 200\n1600 Amphitheatre Pkwy, Bldg 4\nMountain View, CA 94043\nUSA\n"), "%s", s);
	cr_assert(strstr(s, "\n10 Downing Street\nLondon SW1A 2AA\nUnited Kingdom\n"), "%s", s);
	free(s);
	trawl_buf_t b = {0};
	cr_assert_eq(trawl_scan__vcard_text("ADR:;;x;y;;1;z", 14, &b), TRAWL_EUNSUPPORTED, "no BEGIN:VCARD");
	trawl_buf_free(&b);
}

Test(vcard, attached_card_address_is_found)
{
	trawl_detector_set_t *set = NULL;
	cr_assert_eq(trawl_detector_set_new(&set, NULL, NULL), TRAWL_OK);
	trawl_scan_opts_t opts = {.detectors = set};
	const char *eml = "From: a@b.pl\nSubject: x\nMessage-ID: <v@t>\nMIME-Version: 1.0\n"
	                  "Content-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\nhi\n"
	                  "--B\nContent-Type: text/x-vcard; charset=utf-8\n\nBEGIN:VCARD\nVERSION:2.1\n"
	                  "N:Kowalczyk;Agnieszka\nADR;HOME:;;ul. Długa 5/7;Gdańsk;;80-827;Poland\nEND:VCARD\n--B--\n";
	got_t g = {0};
	cr_assert_eq(trawl_scan_buffer(&opts, "card.eml", eml, strlen(eml), keep, event, &g), TRAWL_OK);
	cr_assert_eq(g.n, 1);
	bool found = false;
	for (size_t i = 0; i < g.msgs[0]->findings.len; i++) {
		const trawl_finding_t *f = &g.msgs[0]->findings.items[i];
		found |= f->type == TRAWL_TYPE_ADDRESS && strstr(f->norm, "80-827 gdańsk");
	}
	cr_assert(found, "the card's address");
	free_got(&g);
	trawl_detector_set_free(set);
}
