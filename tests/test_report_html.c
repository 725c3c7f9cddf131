/* The HTML access report's content: the kinds of data by file, the
 * timeline, and the excerpts in context with everyone's data masked.
 * By hand-made access results (in process) and by `trawl access --format
 * html` on fixtures/sample (end to end, reading the sources again).
 * tests/test_html.c renders the page in Chromium.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "index/evidence.h"
#include "trawl/trawl.h"
#include "util/util.h"
#include "tests/helpers.h"

#define B "\xE2\x80\xA2" /* U+2022 */

/* ------------------------------------------------------------------ */
/* Running the binary                                                 */

static char work[] = "/tmp/trawl-rhtml-XXXXXX";

static const char ERIKA[] = "--email erika.mustermann@kontor-demo.de --name 'Erika Mustermann'";

/* A copy of fixtures/sample in work/sample, scanned into work/idx. */
static void
setup(void)
{
	cr_assert_not_null(mkdtemp(work));
	int rc = t_run(NULL, "cp -R '%s/fixtures/sample' '%s/sample' && '%s' scan --quiet --index '%s/idx' '%s/sample'",
	             t_src(), work, t_bin(), work, work);
	cr_assert_eq(rc, 0, "scan failed: %d", rc);
}

static void
teardown(void)
{
	t_run(NULL, "rm -rf '%s'", work);
}

/* `trawl access --format html` of Erika with more arguments; the page. */
static char *
page(const char *more)
{
	char *out = NULL;
	int rc = t_run(&out, "'%s' access --index '%s/idx' %s --format html %s 2>/dev/null", t_bin(), work, ERIKA, more);
	cr_assert_eq(rc, 0, "access failed: %d", rc);
	return out;
}

/* The row of the messages table that holds needle (a Message-ID). */
static char *
row_of(const char *html, const char *needle)
{
	const char *p = strstr(html, needle);
	cr_assert_not_null(p, "no %s in the page", needle);
	const char *a = p, *b = strstr(p, "</tr>");
	while (a > html && strncmp(a, "<tr", 3) != 0)
		a--;
	cr_assert_not_null(b);
	return trawl_strndup(a, (size_t)(b - a));
}

/* The text of every excerpt (<p class="q">...</p>), tags dropped and
 * entities decoded, one a line. */
static char *
excerpts(const char *html)
{
	trawl_buf_t b = {0};
	for (const char *p = html; (p = strstr(p, "<p class=\"q\">"));) {
		const char *end = strstr(p, "</p>");
		cr_assert_not_null(end);
		p += strlen("<p class=\"q\">");
		while (p < end) {
			if (*p == '<') {
				p = strchr(p, '>') + 1;
				continue;
			}
			static const char *const ents[][2] = {{"&lt;", "<"},   {"&gt;", ">"},       {"&amp;", "&"},
			                                      {"&#39;", "'"},  {"&quot;", "\""},    {"&hellip;", "..."}};
			bool ent = false;
			for (size_t i = 0; i < sizeof ents / sizeof *ents && !ent; i++)
				if (strncmp(p, ents[i][0], strlen(ents[i][0])) == 0) {
					trawl_buf_puts(&b, ents[i][1]);
					p += strlen(ents[i][0]);
					ent = true;
				}
			if (!ent)
				trawl_buf_putc(&b, *p++);
		}
		trawl_buf_putc(&b, '\n');
		p = end;
	}
	return trawl_buf_detach(&b);
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

TestSuite(report_html, .init = setup, .fini = teardown, .timeout = 120);

Test(report_html, category_table_counts_messages_by_file_and_kind_of_data)
{
	char *html = page("");
	/* plain words first */
	cr_assert(strstr(html, "Your e-mail addresses appear in 5 messages in 4 files."), "%s", html);
	cr_assert(strstr(html, "Your name appears in 5 messages in 4 files."));
	cr_assert(strstr(html, "Your phone numbers appear in 1 message in 1 file."));
	cr_assert_null(strstr(html, "payment card numbers appear"), "the card in her mail is not tied to her");
	/* the columns: only kinds of data found, in the page's order */
	cr_assert(strstr(html, "<th scope=\"col\">E-mail</th><th scope=\"col\">Name</th><th scope=\"col\">Phone</th>"
	                       "<th scope=\"col\">Messages</th>"));
	/* her mbox: two messages, both with her address and name, one with her phone */
	const char *mbox = strstr(html, "mail/<wbr>inbox.mbox<");
	cr_assert_not_null(mbox, "%s", html);
	cr_assert(strstr(mbox, "<td data-type=\"email\">2</td><td data-type=\"name\">2</td>"
	                       "<td data-type=\"phone\">1</td><td data-type=\"all\">2</td></tr>") ==
	          strstr(mbox, "<td"), "%s", mbox);
	const char *zip = strstr(html, "backup/<wbr>export.zip<");
	cr_assert_not_null(zip);
	cr_assert(strstr(zip, "<span class=\"kind\">archive, zip</span>"));
	cr_assert(strstr(zip, "<td data-type=\"email\">1</td><td data-type=\"name\">1</td>"
	                      "<td class=\"z\" data-type=\"phone\">0</td><td data-type=\"all\">1</td></tr>") ==
	          strstr(zip, "<td"));
	/* and in all */
	cr_assert(strstr(html, "<tfoot><tr><th scope=\"row\">All files</th><td data-type=\"email\">5</td>"
	                       "<td data-type=\"name\">5</td><td data-type=\"phone\">1</td><td data-type=\"all\">5</td>"),
	          "%s", html);
	free(html);
}

Test(report_html, timeline_of_one_year_goes_by_month)
{
	char *html = page("--no-context");
	cr_assert(strstr(html, "When: your messages in 2023, month by month"));
	cr_assert(strstr(html, "<caption>Messages with your data in 2023, by month</caption>"));
	cr_assert(strstr(html, "<tr><th scope=\"row\">Mar</th><td>4</td></tr>"), "%s", html);
	cr_assert(strstr(html, "<tr><th scope=\"row\">Apr</th><td>1</td></tr>"));
	cr_assert(strstr(html, "<tr><th scope=\"row\">Jan</th><td>0</td></tr>"));
	cr_assert(strstr(html, "<tr><th scope=\"row\">Dec</th><td>0</td></tr>"));
	/* the chart: a bar a month that has messages, with its count */
	cr_assert_eq(count(html, "<rect class=\"bar\""), 2);
	cr_assert(strstr(html, "<title>Mar: 4 messages</title>"));
	cr_assert(strstr(html, "<title>Apr: 1 message</title>"));
	free(html);
}

Test(report_html, excerpts_show_her_data_masked_in_context)
{
	char *html = page("");
	/* her first mail: the From line, and her signature with name and phone */
	char *row = row_of(html, "sample-1@kontor-demo.de");
	cr_assert(strstr(row, "From: <mark>E" B B B " M" B B B "</mark> &lt;<mark>e" B B B "@kontor-demo.de</mark>&gt;"),
	          "%s", row);
	cr_assert(strstr(row, "Viele Grüße <mark>E" B B B " M" B B B "</mark> Tel. <mark>+49" B B B "1820</mark>"),
	          "%s", row);
	/* the IBAN before it is no one's she asked about: a placeholder */
	cr_assert(strstr(row, ">[IBAN]</span> ab."), "%s", row);
	free(row);
	/* a reply to her: the To line */
	row = row_of(html, "sample-2@trawl-demo.org");
	cr_assert(strstr(row, "To: <mark>E" B B B " M" B B B "</mark>"), "%s", row);
	free(row);
	/* in an attachment of a forwarded mail */
	row = row_of(html, "sample-5@kontor-demo.de");
	cr_assert(strstr(row, "<span class=\"pl\">attachment</span>"), "%s", row);
	free(row);
	cr_assert_eq(count(html, "<p class=\"q\">"), 8, "%s", html);
	free(html);
}

Test(report_html, excerpts_hold_no_one_elses_data_in_full)
{
	char *html = page(""), *text = excerpts(html), *jsonl = NULL;
	cr_assert(strlen(text) > 200, "%s", text);
	/* every value any detector finds in the sample (anyone's, hers too):
	 * none of them stands in an excerpt as it is */
	cr_assert_eq(t_run(&jsonl, "'%s' detect --format jsonl '%s/sample' 2>/dev/null", t_bin(), work), 0);
	int checked = 0;
	for (char *line = strtok(jsonl, "\n"); line; line = strtok(NULL, "\n")) {
		char *v = strstr(line, "\"value\":\""), *t = strstr(line, "\"type\":\"");
		cr_assert(v && t, "%s", line);
		v += strlen("\"value\":\"");
		t += strlen("\"type\":\"");
		char *end = strstr(v, "\",\"");
		cr_assert_not_null(end);
		*end = '\0';
		if (strncmp(t, "name", 4) == 0 || strlen(v) < 6 || strchr(v, '\\'))
			continue;
		cr_assert_null(strstr(text, v), "an excerpt shows %s (%.8s):\n%s", v, t, text);
		checked++;
	}
	cr_assert_gt(checked, 10);
	/* nor anything that looks like it: no run of four digits but the last
	 * four of a masked number, no address but a masked one */
	for (const char *p = text; *p; p++) {
		size_t run = 0;
		while (p[run] >= '0' && p[run] <= '9')
			run++;
		if (run >= 4) {
			bool masked = p - text >= 4 && (strncmp(p - 3, B, 3) == 0 || strncmp(p - 4, B " ", 4) == 0);
			cr_assert(masked && run == 4, "digits in an excerpt: %.30s", p);
		}
		if (run)
			p += run - 1;
		else if (*p == '@')
			cr_assert(p - text >= 3 && strncmp(p - 3, B, 3) == 0, "an address in an excerpt: %.30s", p - 10);
	}
	/* other people's names: a placeholder */
	cr_assert_null(strstr(text, "Max Beispiel"));
	cr_assert_null(strstr(text, "Jane Roe"));
	free(jsonl);
	free(text);
	free(html);
}

Test(report_html, page_references_nothing_outside_itself)
{
	static const char *const langs[] = {"", "--lang de", "--no-context"};
	for (size_t i = 0; i < 3; i++) {
		char *html = page(langs[i]);
		static const char *const banned[] = {"http://", "https://", "src=", "href=", "<link", "url(", "@import",
		                                     "<script", "<iframe", "<object", "<embed", "<img", NULL};
		for (const char *const *b = banned; *b; b++)
			cr_assert_null(strcasestr(html, *b), "the page (%s) holds %s", langs[i], *b);
		cr_assert(strstr(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		                       "style-src 'unsafe-inline'\">"));
		cr_assert(strstr(html, "@media print{"), "no print style sheet");
		free(html);
	}
}

Test(report_html, no_context_reads_no_source)
{
	cr_assert_eq(t_run(NULL, "rm -rf '%s/sample'", work), 0);
	char *html = page("--no-context");
	cr_assert_null(strstr(html, "class=\"q\""));
	cr_assert_null(strstr(html, "no longer available"));
	cr_assert(strstr(html, "<th scope=\"col\">What we found</th>"));
	free(html);
}

Test(report_html, sources_gone_or_changed_say_so_instead_of_an_excerpt)
{
	/* one file gone; one message changed in place (same length, same place) */
	cr_assert_eq(t_run(NULL, "rm '%s/sample/mail/order.eml' && sed -i 's/^done\\. The router/Done. The router/' "
	                       "'%s/sample/mail/inbox.mbox'",
	                 work, work),
	             0);
	char *err = NULL;
	cr_assert_eq(t_run(&err, "'%s' access --index '%s/idx' %s --format html -o '%s/r.html' 2>&1", t_bin(), work, ERIKA,
	                 work),
	             0);
	cr_assert(strstr(err, "2 messages could not be read again"), "%s", err);
	free(err);
	char *html = NULL;
	cr_assert_eq(t_run(&html, "cat '%s/r.html'", work), 0);
	char *row = row_of(html, "sample-4@trawl-demo.org");
	cr_assert(strstr(row, "Source no longer available: the text around it cannot be shown."), "%s", row);
	cr_assert_null(strstr(row, "class=\"q\""));
	free(row);
	row = row_of(html, "sample-2@trawl-demo.org");
	cr_assert(strstr(row, "Source no longer available as it was scanned (it has changed since)"), "%s", row);
	cr_assert_null(strstr(row, "class=\"q\""));
	free(row);
	/* the others are read as before */
	row = row_of(html, "sample-1@kontor-demo.de");
	cr_assert(strstr(row, "class=\"q\""));
	free(row);
	free(html);
}

Test(report_html, german_on_request)
{
	char *html = page("--lang de");
	cr_assert(strstr(html, "<html lang=\"de\">"));
	cr_assert(strstr(html, "<h1>Ihre personenbezogenen Daten in unseren E-Mail-Archiven</h1>"));
	cr_assert(strstr(html, "Ihre E-Mail-Adressen kommen in 5 Nachrichten in 4 Dateien vor."), "%s", html);
	cr_assert(strstr(html, "Wann: Ihre Nachrichten im Jahr 2023, nach Monaten"));
	cr_assert(strstr(html, "<tr><th scope=\"row\">M\xC3\xA4r</th><td>4</td></tr>"));
	cr_assert(strstr(html, ">[IBAN]</span> ab."));
	free(html);
	cr_assert_eq(t_run(NULL, "'%s' access --index '%s/idx' %s --format html --lang fr >/dev/null 2>&1", t_bin(), work,
	                 ERIKA),
	             2);
	cr_assert_eq(t_run(NULL, "'%s' access --index '%s/idx' %s --format html --max-excerpts 0 >/dev/null 2>&1", t_bin(),
	                 work, ERIKA),
	             2);
}

Test(report_html, max_excerpts_bounds_each_message)
{
	char *html = page("--max-excerpts 1");
	char *row = row_of(html, "sample-1@kontor-demo.de");
	cr_assert_eq(count(row, "<p class=\"q\">"), 1, "%s", row);
	cr_assert(strstr(row, "and 2 more places in this message"), "%s", row); /* name and phone */
	free(row);
	free(html);
}

/* ------------------------------------------------------------------ */
/* In process: an access result made by hand                          */

#define MSG(src_, loc_, date_, time_) \
	{.kind = TRAWL_ITEM_MESSAGE, .source = src_, .location = loc_, .message_id = loc_, .date = date_, .time = time_}

static trawl_index_finding_t f_email = {TRAWL_TYPE_EMAIL, TRAWL_WHERE_HEADER, "header:To", "erika@example.net",
                                        0, 17, 0.99, true, SIZE_MAX};
static trawl_index_finding_t f_phone = {TRAWL_TYPE_PHONE, TRAWL_WHERE_BODY, "1", "+493064237132", 10, 25, 0.9,
                                        true, SIZE_MAX};
static trawl_index_finding_t f_name = {TRAWL_TYPE_NAME, TRAWL_WHERE_BODY, "1", "erika mustermann", 0, 16, 0.9,
                                       true, SIZE_MAX};
static trawl_index_finding_t f_iban = {TRAWL_TYPE_IBAN, TRAWL_WHERE_ATTACHMENT, "2",
                                       B B B B " " B B B B " " B B B B " " B B B B " 3000", 0, 27, 0.9, true, SIZE_MAX};
static trawl_index_finding_t f_other = {TRAWL_TYPE_EMAIL, TRAWL_WHERE_HEADER, "header:From", "john@example.com",
                                        0, 16, 0.99, false, SIZE_MAX};

/* Four messages in two files over three years, one undated:
 *   a.mbox#1 2019  email       a.mbox#2 2019  email, phone
 *   b.zip!/1 2021  name (and John's address, not hers)
 *   b.zip!/2 undated  IBAN */
static void
hand_made(trawl_access_t *a, trawl_index_message_t m[4], trawl_index_source_t s[2], trawl_identifier_t ids[2],
          trawl_index_finding_t f[5])
{
	const trawl_index_message_t msgs[4] = {
		MSG("a.mbox", "a.mbox#1", "2019-05-01T10:00:00Z", 1556704800),
		MSG("a.mbox", "a.mbox#2", "2019-07-01T10:00:00Z", 1561975200),
		MSG("b.zip", "b.zip!/1", "2021-01-02T10:00:00Z", 1609581600),
		MSG("b.zip", "b.zip!/2", NULL, 0),
	};
	memcpy(m, msgs, sizeof msgs);
	f[0] = f_email, f[1] = f_email, f[2] = f_phone, f[3] = f_name, f[4] = f_other;
	m[0].findings = f, m[0].n_findings = 1;
	m[1].findings = f + 1, m[1].n_findings = 2;
	m[2].findings = f + 3, m[2].n_findings = 2;
	static trawl_index_finding_t iban;
	iban = f_iban;
	m[3].findings = &iban, m[3].n_findings = 1;
	s[0] = (trawl_index_source_t){.source = "a.mbox", .kind = "mbox", .messages = 2};
	s[1] = (trawl_index_source_t){.source = "b.zip", .kind = "zip", .messages = 2};
	ids[0] = (trawl_identifier_t){TRAWL_TYPE_EMAIL, "erika@example.net", TRAWL_LINK_NONE, true};
	ids[1] = (trawl_identifier_t){TRAWL_TYPE_PHONE, "+493064237132", TRAWL_LINK_SIGNATURE, true};
	static const char *const emails[] = {"erika@example.net"};
	*a = (trawl_access_t){
		.query = {.emails = emails, .n_emails = 1},
		.identifiers = ids, .n_identifiers = 2,
		.messages = m, .n_messages = 4,
		.sources = s, .n_sources = 2,
	};
}

static char *
render_html(const trawl_access_t *a, const trawl_html_opts_t *opts, trawl_status_t want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	trawl_status_t rc = trawl_report_access_html(f, a, opts);
	fclose(f);
	cr_assert_eq(rc, want, "rc %d", rc);
	return buf;
}

Test(report_html_unit, timeline_over_years_with_a_gap_and_undated_mail)
{
	trawl_access_t a;
	trawl_index_message_t m[4];
	trawl_index_source_t s[2];
	trawl_identifier_t ids[2];
	trawl_index_finding_t f[5];
	hand_made(&a, m, s, ids, f);
	char *html = render_html(&a, NULL, TRAWL_OK);
	cr_assert(strstr(html, "When: your messages over the years"));
	cr_assert(strstr(html, "<tr><th scope=\"row\">2019</th><td>2</td></tr>\n"
	                       "<tr><th scope=\"row\">2020</th><td>0</td></tr>\n"
	                       "<tr><th scope=\"row\">2021</th><td>1</td></tr>\n</tbody>"),
	          "%s", html);
	cr_assert(strstr(html, "<p>1 message has no date.</p>"));
	cr_assert(strstr(html, "<b>2019&ndash;2021</b><span>period</span>"));
	/* a label for every year, the empty one too; a bar for each that has mail */
	cr_assert(strstr(html, ">2020</text>"));
	cr_assert_eq(count(html, "<rect class=\"bar\""), 2);
	free(html);
}

Test(report_html_unit, categories_count_the_subjects_data_only)
{
	trawl_access_t a;
	trawl_index_message_t m[4];
	trawl_index_source_t s[2];
	trawl_identifier_t ids[2];
	trawl_index_finding_t f[5];
	hand_made(&a, m, s, ids, f);
	char *html = render_html(&a, NULL, TRAWL_OK);
	cr_assert(strstr(html, "Your e-mail addresses appear in 2 messages in 1 file."), "%s", html);
	cr_assert(strstr(html, "Your name appears in 1 message in 1 file."));
	cr_assert(strstr(html, "Your bank account numbers (IBAN) appear in 1 message in 1 file."));
	cr_assert(strstr(html, "a.mbox</span><span class=\"kind\">mailbox file, mbox</span></th>"
	                       "<td data-type=\"email\">2</td><td class=\"z\" data-type=\"name\">0</td>"
	                       "<td data-type=\"phone\">1</td><td class=\"z\" data-type=\"iban\">0</td>"
	                       "<td data-type=\"all\">2</td></tr>"),
	          "%s", html);
	cr_assert(strstr(html, "b.zip</span><span class=\"kind\">archive, zip</span></th>"
	                       "<td class=\"z\" data-type=\"email\">0</td><td data-type=\"name\">1</td>"
	                       "<td class=\"z\" data-type=\"phone\">0</td><td data-type=\"iban\">1</td>"
	                       "<td data-type=\"all\">2</td></tr>"),
	          "%s", html);
	/* John's address is no kind of her data */
	cr_assert_null(strstr(html, "john"));
	/* an identifier the index tied to her is shown masked, with how */
	cr_assert(strstr(html, "+49" B B B "7132 <small>(in the signature of your mail"), "%s", html);
	cr_assert_null(strstr(html, "+493064237132"));
	free(html);
}

Test(report_html_unit, options_are_checked)
{
	trawl_access_t a;
	trawl_index_message_t m[4];
	trawl_index_source_t s[2];
	trawl_identifier_t ids[2];
	trawl_index_finding_t f[5];
	hand_made(&a, m, s, ids, f);
	trawl_html_opts_t o = {.lang = "fr"};
	free(render_html(&a, &o, TRAWL_EINVAL));
	trawl_message_evidence_t me[1] = {{0}};
	trawl_evidence_t ev = {.messages = me, .n_messages = 1};
	o = (trawl_html_opts_t){.evidence = &ev};
	free(render_html(&a, &o, TRAWL_EINVAL)); /* evidence of another result */
	/* a message whose source is gone says so */
	trawl_message_evidence_t me4[4] = {{.status = TRAWL_EVIDENCE_READ},
	                                   {.status = TRAWL_EVIDENCE_GONE},
	                                   {.status = TRAWL_EVIDENCE_CHANGED},
	                                   {.status = TRAWL_EVIDENCE_NO_TEXT}};
	ev = (trawl_evidence_t){.messages = me4, .n_messages = 4};
	o = (trawl_html_opts_t){.evidence = &ev, .generated = 1700000000};
	char *html = render_html(&a, &o, TRAWL_OK);
	cr_assert(strstr(html, "Source no longer available: the text around it cannot be shown."));
	cr_assert(strstr(html, "Source no longer available as it was scanned"));
	cr_assert(strstr(html, "An Outlook item: no excerpt."));
	cr_assert(strstr(html, "Prepared on 2023-11-14"));
	free(html);
}

/* ------------------------------------------------------------------ */
/* Cutting one excerpt                                                */

/* The excerpt as text: segments joined, placeholders as [kind]. */
static char *
joined(const trawl_snippet_t *s)
{
	trawl_buf_t b = {0};
	if (s->cut_before)
		trawl_buf_puts(&b, "...");
	for (size_t i = 0; i < s->n_segs; i++) {
		const trawl_seg_t *g = &s->segs[i];
		switch (g->kind) {
		case TRAWL_SEG_TEXT: trawl_buf_puts(&b, g->text); break;
		case TRAWL_SEG_FOCUS: trawl_buf_printf(&b, "{%s}", g->text); break;
		case TRAWL_SEG_OWN: trawl_buf_printf(&b, "(%s)", g->text); break;
		case TRAWL_SEG_HIDDEN:
			if (g->type == TRAWL_TYPE_COUNT)
				trawl_buf_printf(&b, "<%s>", g->text);
			else
				trawl_buf_printf(&b, "[%s]", trawl_type_name(g->type));
			break;
		case TRAWL_SEG_LINK: trawl_buf_puts(&b, "[link]"); break;
		}
	}
	if (s->cut_after)
		trawl_buf_puts(&b, "...");
	return trawl_buf_detach(&b);
}

static char *
cut(const char *text, const trawl_evidence__span_t *spans, size_t n, size_t context)
{
	trawl_snippet_t s;
	cr_assert_eq(trawl_evidence__cut(&s, text, strlen(text), spans[0].start, spans[0].end, spans, n, context, NULL,
	                                 NULL),
	             TRAWL_OK);
	cr_assert(s.found);
	char *out = joined(&s);
	trawl_evidence__snippet_clear(&s);
	return out;
}

static trawl_evidence__span_t
span(const char *text, const char *what, trawl_seg_kind_t kind, trawl_type_t type, const char *mask)
{
	const char *p = strstr(text, what);
	cr_assert_not_null(p, "%s", what);
	return (trawl_evidence__span_t){(size_t)(p - text), (size_t)(p - text) + strlen(what), kind, type, mask};
}

Test(report_html_unit, excerpt_masks_the_subject_and_hides_everyone_else)
{
	const char *t = "Hello all,\r\n\r\nthis is Erika Mustermann, call me on +49 30 901820 or my colleague "
	                "Max Beispiel on 0171 2345678.\n";
	trawl_evidence__span_t v[] = {
		span(t, "Erika Mustermann", TRAWL_SEG_FOCUS, TRAWL_TYPE_NAME, "E" B B B " M" B B B),
		span(t, "+49 30 901820", TRAWL_SEG_OWN, TRAWL_TYPE_PHONE, "+49" B B B "1820"),
		span(t, "Max Beispiel", TRAWL_SEG_HIDDEN, TRAWL_TYPE_NAME, NULL),
	};
	char *s = cut(t, v, 3, 40);
	cr_assert_str_eq(s, "Hello all, this is {E" B B B " M" B B B "}, call me on (+49" B B B "1820) or my...", "%s", s);
	free(s);
	s = cut(t, v, 3, 200);
	cr_assert_str_eq(s,
	                 "Hello all, this is {E" B B B " M" B B B "}, call me on (+49" B B B
	                 "1820) or my colleague [name] on <" B B B B " " B B B B B B B ">.",
	                 "%s", s);
	free(s);
}

Test(report_html_unit, excerpt_patterns_hide_what_looks_like_personal_data)
{
	const char *t = "Erika: mail max.b@example.org or see https://example.org/u?id=42, "
	                "IBAN GB29 NWBK 6016 1331 9268 19 ab, account DE89370400440532013000, "
	                "ref 12-34-56, on 14.03.2023 at 9:30, room 12.";
	trawl_evidence__span_t v[] = {span(t, "Erika", TRAWL_SEG_FOCUS, TRAWL_TYPE_NAME, "E" B B B)};
	char *s = cut(t, v, 1, 400);
	cr_assert_str_eq(s,
	                 "{E" B B B "}: mail [email] or see [link], IBAN [iban] ab, account [iban], ref <" B B "-" B B "-" B
	                 B ">, on <" B B "." B B "." B B B B "> at 9:30, room 12.",
	                 "%s", s);
	free(s);
}

Test(report_html_unit, excerpt_window_never_cuts_a_number_in_two)
{
	/* the window would end inside the account number: it ends before it
	 * when a word boundary is near... */
	const char *t = "Erika Mustermann wrote that the account is 4111-1111-1111-1111 and more text follows here.";
	trawl_evidence__span_t v[] = {span(t, "Erika Mustermann", TRAWL_SEG_FOCUS, TRAWL_TYPE_NAME, "E" B B B " M" B B B)};
	char *s = cut(t, v, 1, 30);
	cr_assert_str_eq(s, "{E" B B B " M" B B B "} wrote that the account is...", "%s", s);
	free(s);
	/* ...and grows over it when none is */
	const char *t2 = "Erika Mustermann wrote that the account is DE89370400440532013000 and more text follows here.";
	trawl_evidence__span_t v2[] = {span(t2, "Erika Mustermann", TRAWL_SEG_FOCUS, TRAWL_TYPE_NAME, "E" B B B " M" B B B)};
	s = cut(t2, v2, 1, 44);
	cr_assert_str_eq(s, "{E" B B B " M" B B B "} wrote that the account is [iban]...", "%s", s);
	free(s);
	/* and before the finding, a half word is not shown */
	const char *u = "Lorem ipsum dolor sit amet consectetur, Erika Mustermann.";
	trawl_evidence__span_t w[] = {span(u, "Erika Mustermann", TRAWL_SEG_FOCUS, TRAWL_TYPE_NAME, "E" B B B " M" B B B)};
	s = cut(u, w, 1, 20);
	cr_assert_str_eq(s, "...amet consectetur, {E" B B B " M" B B B "}.", "%s", s);
	free(s);
}

Test(report_html_unit, excerpt_cutting_survives_any_bytes_and_spans)
{
	/* arbitrary bytes (invalid UTF-8, NULs stop nothing: lengths are given)
	 * and arbitrary spans, some past the end: a snippet or EINVAL, never a
	 * read outside the text (run under SAN=address) */
	unsigned seed = 12345;
	static const char alphabet[] = "aZ09 @.+-/()\n\t\xC3\xA4\xE2\x80\xA2\xFFhttps://www.x";
	for (int round = 0; round < 3000; round++) {
		char text[200];
		size_t len = (seed = seed * 1103515245u + 12345u) % sizeof text;
		for (size_t i = 0; i < len; i++)
			text[i] = alphabet[(seed = seed * 1103515245u + 12345u) % (sizeof alphabet - 1)];
		trawl_evidence__span_t v[6];
		size_t n = 1 + (seed = seed * 1103515245u + 12345u) % 6;
		for (size_t i = 0; i < n; i++) {
			size_t a = (seed = seed * 1103515245u + 12345u) % (len + 8);
			size_t b = a + (seed = seed * 1103515245u + 12345u) % 30;
			v[i] = (trawl_evidence__span_t){a, b, i ? (trawl_seg_kind_t)(1 + i % 4) : TRAWL_SEG_FOCUS,
			                                (trawl_type_t)(i % TRAWL_TYPE_COUNT), "m" B};
		}
		trawl_snippet_t s;
		trawl_status_t rc = trawl_evidence__cut(&s, text, len, v[0].start, v[0].end, v, n, 1 + round % 50, NULL, NULL);
		if (v[0].end > len) {
			cr_assert_eq(rc, TRAWL_EINVAL);
			continue;
		}
		cr_assert_eq(rc, TRAWL_OK);
		for (size_t i = 0; i < s.n_segs; i++)
			if (s.segs[i].kind == TRAWL_SEG_TEXT)
				cr_assert_null(strchr(s.segs[i].text, '\n'));
		trawl_evidence__snippet_clear(&s);
	}
}

/* ------------------------------------------------------------------ */
/* The synthetic corpus: every identifier of every person in it       */

static char cwork[] = "/tmp/trawl-rhtml-corpus-XXXXXX";

static void
corpus_teardown(void)
{
	if (strcmp(cwork + strlen(cwork) - 6, "XXXXXX") != 0)
		t_run(NULL, "rm -rf '%s'", cwork);
}

TestSuite(report_html_corpus, .fini = corpus_teardown, .timeout = 300);

Test(report_html_corpus, excerpts_leak_no_identifier_of_anyone)
{
	char corp[4200];
	snprintf(corp, sizeof corp, "%s/../shared/corpora/synthetic-dev", t_src());
	if (t_run(NULL, "test -f '%s/subjects.jsonl' && test -d '%s/archive'", corp, corp) != 0)
		cr_skip_test("../shared/corpora/synthetic-dev is absent");
	cr_assert_not_null(mkdtemp(cwork));
	int rc = t_run(NULL, "'%s' scan --quiet --index '%s/idx' '%s/archive' 2>/dev/null", t_bin(), cwork, corp);
	cr_assert(rc == 0 || rc == 1, "scan exit %d", rc);
	/* the first 25 requests of the corpus; in their excerpts, none of the
	 * identifiers of the corpus's people as written (their own included:
	 * masked), nor a card number in groups of four, nor a phone number's
	 * last seven digits */
	char *out = NULL;
	rc = t_run(&out,
	         "python3 - '%s' '%s/idx' '%s' <<'EOF'\n"
	         "import json, re, subprocess, sys, html\n"
	         "trawl, idx, corp = sys.argv[1:]\n"
	         "vals = []\n"
	         "for l in open(corp + '/subjects.jsonl'):\n"
	         "    s = json.loads(l)\n"
	         "    vals += s['emails'] + s['address'] + [s['name'], s['phone'], s['phone'][-7:], s['card'], s['iban'],\n"
	         "             s['ip'], s['mac'], ' '.join(s['card'][i:i + 4] for i in range(0, 16, 4))]\n"
	         "n = 0\n"
	         "for l in list(open(corp + '/access.jsonl'))[:25]:\n"
	         "    q = json.loads(l)['query']\n"
	         "    p = subprocess.run([trawl, 'access', '--index', idx, '--email', q['email'], '--name', q['name'],\n"
	         "                        '--format', 'html'], capture_output=True)\n"
	         "    assert p.returncode == 0, p.stderr\n"
	         "    for e in re.findall(r'<p class=\"q\">(.*?)</p>', p.stdout.decode()):\n"
	         "        t = html.unescape(re.sub(r'<[^>]+>', '', e))\n"
	         "        assert 'could not be found again' not in t, t\n"
	         "        for v in vals:\n"
	         "            assert v not in t, (q, v, t)\n"
	         "        n += 1\n"
	         "print(n > 500)\n"
	         "EOF",
	         t_bin(), cwork, corp);
	cr_assert_eq(rc, 0, "an excerpt shows someone's data (see the traceback above)");
	cr_assert_str_eq(out, "True\n", "%s", out);
	free(out);
}
