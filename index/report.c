/* Reports: access, erase impact, stats and people, in JSON, CSV, HTML and
 * text. Output goes through a small buffered writer that remembers the
 * first error, so the renderers read straight and check once at the end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "trawl/report.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <glib.h>
#include "index/evidence.h"
#include "util/util.h"

#define DOT "\xE2\x80\xA2" /* U+2022 BULLET */
#define DOTS DOT DOT DOT

static const char *const format_names[] = {
	[TRAWL_FORMAT_JSON] = "json", [TRAWL_FORMAT_CSV] = "csv",   [TRAWL_FORMAT_HTML] = "html",
	[TRAWL_FORMAT_TEXT] = "text", [TRAWL_FORMAT_MBOX] = "mbox",
};

int
trawl_format_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
		if (name && strcmp(name, format_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
trawl_format_name(trawl_format_t format)
{
	return (unsigned)format < sizeof format_names / sizeof *format_names ? format_names[format] : "unknown";
}

/* ------------------------------------------------------------------ */
/* Masking                                                            */

/* Bytes of the UTF-8 character at s (1 for an invalid byte). */
static size_t
char_len(const char *s)
{
	size_t n = trawl_utf8_seq_len((const unsigned char *)s, strnlen(s, 4));
	return n ? n : 1;
}

static char *
mask_account(trawl_type_t type, const char *value)
{
	/* Only letters and digits count, so that the masked form the index
	 * keeps masks to itself. */
	char an[64];
	size_t n = 0;
	for (const char *p = value; *p; p++)
		if (g_ascii_isalnum(*p)) {
			if (n == sizeof an)
				memmove(an, an + 1, --n); /* keep the last characters */
			an[n++] = *p;
		}
	const char *last = n >= 4 ? an + n - 4 : "";
	char last4[5] = {0};
	memcpy(last4, last, n >= 4 ? 4 : 0);
	if (type == TRAWL_TYPE_CARD)
		return g_strdup_printf(DOT DOT DOT DOT " " DOT DOT DOT DOT " " DOT DOT DOT DOT " %s", last4);
	char cc[3] = {0};
	if (g_ascii_isalpha(value[0]) && g_ascii_isalpha(value[1]))
		cc[0] = g_ascii_toupper(value[0]), cc[1] = g_ascii_toupper(value[1]);
	return g_strdup_printf("%s" DOT DOT " " DOT DOT DOT DOT " " DOT DOT DOT DOT " " DOT DOT DOT DOT " %s",
	                       cc[0] ? cc : DOT DOT, last4);
}

char *
trawl_mask(trawl_type_t type, const char *value)
{
	trawl_buf_t b = {0};
	const char *v = value ? value : "";
	trawl_status_t rc = TRAWL_OK;

	switch (type) {
	case TRAWL_TYPE_CARD:
	case TRAWL_TYPE_IBAN: {
		char *m = mask_account(type, v);
		char *r = strdup(m);
		g_free(m);
		return r;
	}
	case TRAWL_TYPE_EMAIL: {
		const char *at = strrchr(v, '@');
		if (*v && v != at)
			rc = trawl_buf_put(&b, v, char_len(v));
		if (rc == TRAWL_OK)
			rc = trawl_buf_puts(&b, DOTS);
		if (rc == TRAWL_OK && at)
			rc = trawl_buf_puts(&b, at);
		break;
	}
	case TRAWL_TYPE_PHONE: {
		size_t n = strlen(v), head = 0;
		if (v[0] == '+')
			head = n > 7 ? 3 : 1;
		if (n <= head + 4) {
			rc = trawl_buf_puts(&b, DOTS);
			if (rc == TRAWL_OK && n > 2)
				rc = trawl_buf_puts(&b, v + n - 2);
			break;
		}
		rc = trawl_buf_put(&b, v, head);
		if (rc == TRAWL_OK)
			rc = trawl_buf_puts(&b, DOTS);
		if (rc == TRAWL_OK)
			rc = trawl_buf_puts(&b, v + n - 4);
		break;
	}
	case TRAWL_TYPE_NAME: {
		bool word = false;
		for (const char *p = v; *p && rc == TRAWL_OK;) {
			size_t l = char_len(p);
			if (*p == ' ' || *p == '-') {
				rc = trawl_buf_putc(&b, *p);
				word = false;
			} else if (!word) {
				if (l == 1)
					rc = trawl_buf_putc(&b, g_ascii_toupper(*p));
				else
					rc = trawl_buf_put(&b, p, l);
				if (rc == TRAWL_OK)
					rc = trawl_buf_puts(&b, DOTS);
				word = true;
			}
			p += l;
		}
		break;
	}
	case TRAWL_TYPE_IP: {
		size_t n = strcspn(v, ".:");
		rc = trawl_buf_put(&b, v, n);
		if (rc == TRAWL_OK && v[n])
			rc = trawl_buf_putc(&b, v[n]);
		if (rc == TRAWL_OK)
			rc = trawl_buf_puts(&b, DOTS);
		break;
	}
	case TRAWL_TYPE_MAC:
		if (strlen(v) >= 9) {
			rc = trawl_buf_put(&b, v, 9);
			if (rc == TRAWL_OK)
				rc = trawl_buf_puts(&b, DOT DOT ":" DOT DOT ":" DOT DOT);
		} else {
			rc = trawl_buf_puts(&b, DOTS);
		}
		break;
	case TRAWL_TYPE_ADDRESS: {
		size_t n = strcspn(v, " ,");
		rc = trawl_buf_put(&b, v, n);
		if (rc == TRAWL_OK)
			rc = trawl_buf_puts(&b, n ? " " DOTS : DOTS);
		break;
	}
	default:
		if (*v)
			rc = trawl_buf_put(&b, v, char_len(v));
		if (rc == TRAWL_OK)
			rc = trawl_buf_puts(&b, DOTS);
	}
	if (rc < 0) {
		trawl_buf_free(&b);
		return NULL;
	}
	return trawl_buf_detach(&b);
}

/* ------------------------------------------------------------------ */
/* The writer                                                         */

typedef struct {
	FILE *f;
	trawl_buf_t b;
	trawl_status_t rc; /* the first error */
} out_t;

static void
w_flush(out_t *o)
{
	if (o->b.len && o->rc == TRAWL_OK && fwrite(o->b.data, 1, o->b.len, o->f) != o->b.len)
		o->rc = TRAWL_EIO;
	trawl_buf_reset(&o->b);
}

static void
w_check(out_t *o, trawl_status_t rc)
{
	if (rc < 0 && o->rc == TRAWL_OK)
		o->rc = rc;
	if (o->b.len >= 1 << 16)
		w_flush(o);
}

static void
w_puts(out_t *o, const char *s)
{
	w_check(o, trawl_buf_puts(&o->b, s));
}

static void w_printf(out_t *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
w_printf(out_t *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	w_puts(o, s);
	g_free(s);
}

static void
w_json(out_t *o, const char *s)
{
	w_check(o, trawl_json_str(&o->b, s, (size_t)-1));
}

/* HTML text and attribute values; invalid UTF-8 becomes U+FFFD. */
static void
w_html(out_t *o, const char *s)
{
	trawl_status_t rc = TRAWL_OK;
	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p && rc == TRAWL_OK;) {
		switch (*p) {
		case '<': rc = trawl_buf_puts(&o->b, "&lt;"); p++; continue;
		case '>': rc = trawl_buf_puts(&o->b, "&gt;"); p++; continue;
		case '&': rc = trawl_buf_puts(&o->b, "&amp;"); p++; continue;
		case '"': rc = trawl_buf_puts(&o->b, "&quot;"); p++; continue;
		case '\'': rc = trawl_buf_puts(&o->b, "&#39;"); p++; continue;
		}
		if (*p < 0x20 && *p != '\n' && *p != '\t') {
			rc = trawl_buf_putc(&o->b, ' ');
			p++;
			continue;
		}
		size_t l = trawl_utf8_seq_len(p, strnlen((const char *)p, 4));
		if (l == 0) {
			rc = trawl_buf_puts(&o->b, "\xEF\xBF\xBD");
			p++;
		} else {
			rc = trawl_buf_put(&o->b, p, l);
			p += l;
		}
	}
	w_check(o, rc);
}

/* One CSV field (RFC 4180). A field that a spreadsheet would run as a
 * formula (=, +, -, @ first) gets a leading ' : these cells hold text from
 * mail, which anyone could have written. */
static void
w_csv(out_t *o, const char *s)
{
	trawl_status_t rc = TRAWL_OK;
	if (!s)
		return;
	bool formula = strchr("=+-@\t\r", s[0]) && s[0];
	bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		rc = trawl_buf_putc(&o->b, '"');
	if (rc == TRAWL_OK && formula)
		rc = trawl_buf_putc(&o->b, '\'');
	for (const char *p = s; *p && rc == TRAWL_OK; p++)
		rc = *p == '"' ? trawl_buf_puts(&o->b, "\"\"") : trawl_buf_putc(&o->b, *p);
	if (rc == TRAWL_OK && quote)
		rc = trawl_buf_putc(&o->b, '"');
	w_check(o, rc);
}

static trawl_status_t
w_end(out_t *o)
{
	w_flush(o);
	if (o->rc == TRAWL_OK && (fflush(o->f) != 0 || ferror(o->f)))
		o->rc = TRAWL_EIO;
	trawl_buf_free(&o->b);
	return o->rc;
}

/* ------------------------------------------------------------------ */
/* What a message shows                                               */

size_t *
trawl_report__listed(const trawl_index_message_t *m, bool subject, size_t *n_out)
{
	size_t *v = malloc((m->n_findings ? m->n_findings : 1) * sizeof *v), n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < m->n_findings; i++) {
		const trawl_index_finding_t *f = &m->findings[i];
		if (f->subject != subject)
			continue;
		bool dup = false;
		for (size_t j = 0; j < n && !dup; j++) {
			const trawl_index_finding_t *g = &m->findings[v[j]];
			dup = g->type == f->type && g->where == f->where && strcmp(g->value, f->value) == 0;
		}
		if (!dup)
			v[n++] = i;
	}
	*n_out = n;
	return v;
}

/* Counts of the listed subject findings by type, over every message. */
static trawl_status_t
count_by_type(const trawl_access_t *a, uint64_t by_type[TRAWL_TYPE_COUNT])
{
	memset(by_type, 0, TRAWL_TYPE_COUNT * sizeof *by_type);
	for (size_t i = 0; i < a->n_messages; i++) {
		size_t n, *v = trawl_report__listed(&a->messages[i], true, &n);
		if (!v)
			return TRAWL_ENOMEM;
		for (size_t j = 0; j < n; j++)
			by_type[a->messages[i].findings[v[j]].type]++;
		free(v);
	}
	return TRAWL_OK;
}

static void
json_strv(out_t *o, const char *const *v, size_t n)
{
	w_puts(o, "[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			w_puts(o, ", ");
		w_json(o, v[i]);
	}
	w_puts(o, "]");
}

/* How an identifier came to be the subject's: "query" (the request gave
 * it) or the kind of link. */
static const char *
via_name(trawl_link_kind_t via)
{
	const char *n = trawl_link_kind_name(via);
	return n ? n : "query";
}

static void
json_query_subject(out_t *o, const trawl_access_t *a)
{
	w_puts(o, "\"query\": {\"email\": ");
	json_strv(o, a->query.emails, a->query.n_emails);
	w_puts(o, ", \"name\": ");
	json_strv(o, a->query.names, a->query.n_names);
	w_puts(o, ", \"phone\": ");
	json_strv(o, a->query.phones, a->query.n_phones);
	w_puts(o, "},\n \"subject\": {\"identifiers\": [");
	for (size_t i = 0; i < a->n_identifiers; i++) {
		w_puts(o, i ? ", " : "");
		w_puts(o, "{\"type\": ");
		w_json(o, trawl_type_name(a->identifiers[i].type));
		w_puts(o, ", \"norm\": ");
		w_json(o, a->identifiers[i].norm);
		w_puts(o, ", \"via\": ");
		w_json(o, via_name(a->identifiers[i].via));
		w_puts(o, a->identifiers[i].searched ? ", \"searched\": true}" : ", \"searched\": false}");
	}
	w_puts(o, "]}");
	if (a->restricted) {
		w_puts(o, ",\n \"restricted\": {\"since\": ");
		w_json(o, a->restricted->since);
		w_puts(o, ", \"reason\": ");
		w_json(o, a->restricted->reason);
		w_puts(o, "}");
	}
}

/* "Processing of this person's data is restricted since ... (reason)." */
static void
restricted_line(out_t *o, const trawl_access_t *a, void (*put)(out_t *, const char *))
{
	put(o, "Processing of this person's data is restricted (GDPR Art. 18) since ");
	put(o, a->restricted->since);
	if (a->restricted->reason && *a->restricted->reason) {
		put(o, ": ");
		put(o, a->restricted->reason);
	}
	put(o, ". Keep it; use it only with their consent, for legal claims or to protect others.");
}

static const char *
item_kind_name(trawl_item_kind_t k)
{
	switch (k) {
	case TRAWL_ITEM_CONTACT: return "contact";
	case TRAWL_ITEM_APPOINTMENT: return "appointment";
	default: return "message";
	}
}

/* The fields of a message object of the access report, without braces. */
static void
json_message_fields(out_t *o, const trawl_index_message_t *m)
{
	size_t n, *v = trawl_report__listed(m, true, &n);
	if (!v) {
		w_check(o, TRAWL_ENOMEM);
		return;
	}
	w_puts(o, "\"message_id\": ");
	w_json(o, m->message_id);
	w_puts(o, ", \"source\": ");
	w_json(o, m->source);
	w_puts(o, ", \"location\": ");
	w_json(o, m->location);
	w_puts(o, ", \"date\": ");
	w_json(o, m->date);
	w_puts(o, ", \"from\": ");
	w_json(o, m->from);
	w_puts(o, ", \"subject\": ");
	w_json(o, m->subject);
	w_puts(o, ", \"kind\": ");
	w_json(o, item_kind_name(m->kind));
	w_puts(o, ",\n   \"findings\": [");
	for (size_t j = 0; j < n; j++) {
		const trawl_index_finding_t *f = &m->findings[v[j]];
		char *masked = trawl_mask(f->type, f->value);
		w_puts(o, j ? ", " : "");
		w_puts(o, "{\"type\": ");
		w_json(o, trawl_type_name(f->type));
		w_puts(o, ", \"where\": ");
		w_json(o, trawl_where_name(f->where));
		w_puts(o, ", \"part\": ");
		w_json(o, f->part);
		w_puts(o, ", \"masked\": ");
		w_json(o, masked ? masked : "");
		w_puts(o, "}");
		if (!masked)
			w_check(o, TRAWL_ENOMEM);
		free(masked);
	}
	w_puts(o, "]");
	free(v);
}

static void
json_by_type(out_t *o, const uint64_t by_type[TRAWL_TYPE_COUNT], bool all)
{
	bool first = true;
	w_puts(o, "{");
	for (int t = 0; t < TRAWL_TYPE_COUNT; t++) {
		if (!by_type[t] && !(all && t != TRAWL_TYPE_CUSTOM))
			continue;
		w_puts(o, first ? "" : ", ");
		first = false;
		w_json(o, trawl_type_name((trawl_type_t)t));
		w_printf(o, ": %" PRIu64, by_type[t]);
	}
	w_puts(o, "}");
}

/* ------------------------------------------------------------------ */
/* Access                                                             */

static void
access_json(out_t *o, const trawl_access_t *a, const uint64_t by_type[TRAWL_TYPE_COUNT])
{
	w_puts(o, "{");
	json_query_subject(o, a);
	w_puts(o, ",\n \"messages\": [");
	for (size_t i = 0; i < a->n_messages; i++) {
		w_puts(o, i ? ",\n  {" : "\n  {");
		json_message_fields(o, &a->messages[i]);
		w_puts(o, "}");
	}
	w_printf(o, "],\n \"summary\": {\"messages\": %zu, \"sources\": %zu, \"by_type\": ", a->n_messages,
	         a->n_sources);
	json_by_type(o, by_type, false);
	w_puts(o, "}}\n");
}

/* "email header: e•••@example.net; phone body: +49•••7132" */
static void
findings_line(out_t *o, const trawl_index_message_t *m, bool subject, void (*put)(out_t *, const char *))
{
	size_t n, *v = trawl_report__listed(m, subject, &n);
	trawl_buf_t b = {0};
	trawl_status_t rc = v ? TRAWL_OK : TRAWL_ENOMEM;
	for (size_t j = 0; j < n && rc == TRAWL_OK; j++) {
		const trawl_index_finding_t *f = &m->findings[v[j]];
		char *masked = trawl_mask(f->type, f->value);
		if (!masked) {
			rc = TRAWL_ENOMEM;
			break;
		}
		rc = trawl_buf_printf(&b, "%s%s %s: %s", j ? "; " : "", trawl_type_name(f->type),
		                      trawl_where_name(f->where), masked);
		free(masked);
	}
	w_check(o, rc);
	put(o, trawl_buf_cstr(&b));
	trawl_buf_free(&b);
	free(v);
}

static void
access_csv(out_t *o, const trawl_access_t *a)
{
	w_puts(o, "date,message_id,source,location,from,subject,findings\r\n");
	for (size_t i = 0; i < a->n_messages; i++) {
		const trawl_index_message_t *m = &a->messages[i];
		const char *fields[] = {m->date, m->message_id, m->source, m->location, m->from, m->subject};
		for (size_t k = 0; k < sizeof fields / sizeof *fields; k++) {
			w_csv(o, fields[k] ? fields[k] : "");
			w_puts(o, ",");
		}
		findings_line(o, m, true, w_csv);
		w_puts(o, "\r\n");
	}
}

/* ------------------------------------------------------------------ */
/* The HTML page                                                      */

/* Every word the page says, in each language it speaks. Counts go
 * through plural forms ("%zu messages"); type names are in the order of
 * trawl_type_t. */
typedef struct {
	const char *code;
	const char *title, *lead, *prepared;
	const char *restricted_h, *restricted_since, *restricted_then;
	const char *searched_h, *searched_masked;
	const char *via[5]; /* by trawl_link_kind_t */
	const char *short_h;
	const char *msg_one, *msg_many, *file_one, *file_many, *kind_one, *kind_many, *period;
	const char *cat_h, *cat_intro, *cat_file, *cat_total, *cat_all, *cat_none, *cat_under;
	const char *type[TRAWL_TYPE_COUNT];     /* column heads and tags */
	const char *sentence[TRAWL_TYPE_COUNT]; /* "%s" messages, "%s" files */
	const char *hidden[TRAWL_TYPE_COUNT];   /* placeholders */
	const char *hidden_number, *hidden_link, *hidden_title;
	const char *kinds[16][2];               /* source kind -> words */
	const char *when_years_h, *when_months_h, *when_year, *when_month, *when_caption_years,
		*when_caption_months, *when_undated_one, *when_undated_many, *when_none;
	const char *months[12];
	const char *legend_h, *legend;
	const char *msgs_h, *msgs_none, *col_date, *col_from, *col_found, *col_found_ctx, *col_where;
	const char *where[3];
	const char *header_word;
	const char *ctx_not_found, *ctx_gone, *ctx_changed, *ctx_no_text, *ctx_more_one, *ctx_more_many,
		*ctx_off;
	const char *unknown_date, *footer;
} lang_t;

static const lang_t lang_en = {
	.code = "en",
	.title = "Your personal data in our mail archives",
	.lead = "This report lists the messages in our mail archives that contain data about you: what "
	        "we found in each, in context, and where it is kept. Your own data is partly hidden "
	        "(&bull;) so that this page is safe to send. Other people's data that stands beside "
	        "yours is replaced by a placeholder such as <span class=\"hid\">[e-mail]</span>: we may "
	        "not disclose it to you. Copies of the messages themselves are available on request.",
	.prepared = "Prepared on",
	.restricted_h = "Restricted.",
	.restricted_since = "Processing of your data is restricted (GDPR Art. 18) since ",
	.restricted_then = ". We keep it, but use it only with your consent, for legal claims or to protect "
	                   "the rights of others.",
	.searched_h = "Who we searched for",
	.searched_masked = "partly hidden: it was linked to you, not given by you",
	.via = {"", "beside your address in mail headers", "in the signature of your mail",
	        "with your address in a contact record", "right after your name"},
	.short_h = "In short",
	.msg_one = "%zu message", .msg_many = "%zu messages",
	.file_one = "%zu file", .file_many = "%zu files",
	.kind_one = "%zu kind of data", .kind_many = "%zu kinds of data",
	.period = "period",
	.cat_h = "What we hold, and where",
	.cat_intro = "How many messages in each file hold each kind of your data:",
	.cat_file = "File", .cat_total = "Messages", .cat_all = "All files",
	.cat_under = "File names are relative to the folder ",
	.cat_none = "We found no data about you.",
	.type = {"E-mail", "Phone", "Card", "IBAN", "IP address", "MAC address", "Name", "Postal address", "Other"},
	.sentence = {"Your e-mail addresses appear in %s in %s.", "Your phone numbers appear in %s in %s.",
	             "Your payment card numbers appear in %s in %s.",
	             "Your bank account numbers (IBAN) appear in %s in %s.",
	             "IP addresses tied to you appear in %s in %s.",
	             "Device (MAC) addresses tied to you appear in %s in %s.", "Your name appears in %s in %s.",
	             "Your postal addresses appear in %s in %s.", "Other identifiers of yours appear in %s in %s."},
	.hidden = {"[e-mail]", "[phone]", "[card]", "[IBAN]", "[IP]", "[MAC]", "[name]", "[address]", "[other]"},
	.hidden_number = "a number, hidden", .hidden_link = "[link]",
	.hidden_title = "someone else's data, hidden",
	.kinds = {{"mbox", "mailbox file"}, {"eml", "single message"}, {"maildir", "mail folder"},
	          {"pst", "Outlook file"}, {"ost", "Outlook file"}, {"zip", "archive"}, {"tar", "archive"},
	          {"7z", "archive"}, {"gz", "compressed file"}, {"tar.gz", "archive"}, {"tar.bz2", "archive"},
	          {"tar.xz", "archive"}, {"tar.zst", "archive"}},
	.when_years_h = "When: your messages over the years",
	.when_months_h = "When: your messages in %d, month by month",
	.when_year = "Year", .when_month = "Month",
	.when_caption_years = "Messages with your data, by year",
	.when_caption_months = "Messages with your data in %d, by month",
	.when_undated_one = "%zu message has no date.", .when_undated_many = "%zu messages have no date.",
	.when_none = "None of the messages has a date.",
	.months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	.legend_h = "How to read the excerpts",
	.legend = "<mark>e&bull;&bull;&bull;@example.net</mark> is your data as we found it, partly hidden; "
	          "<mark class=\"own\">E&bull;&bull;&bull; M&bull;&bull;&bull;</mark> is more of your data "
	          "nearby; <span class=\"hid\">[name]</span>, <span class=\"hid\">[e-mail]</span> and "
	          "<span class=\"hid\">&bull;&bull;&bull;&bull;</span> stand for other people's data and for "
	          "numbers, which we do not show. &hellip; marks where the excerpt is cut.",
	.msgs_h = "The messages, oldest first",
	.msgs_none = "None: our archives hold no message with these details.",
	.col_date = "Date", .col_from = "From / subject", .col_found = "What we found",
	.col_found_ctx = "What we found, in context", .col_where = "Where it is kept",
	.where = {"message header", "message text", "attachment"},
	.header_word = "header",
	.ctx_not_found = "The text around it could not be found again.",
	.ctx_gone = "Source no longer available: the text around it cannot be shown.",
	.ctx_changed = "Source no longer available as it was scanned (it has changed since): no excerpt shown.",
	.ctx_no_text = "An Outlook item: no excerpt.",
	.ctx_more_one = "and %zu more place in this message", .ctx_more_many = "and %zu more places in this message",
	.ctx_off = NULL,
	.unknown_date = "unknown",
	.footer = "Made by trawl from its index of our mail archives.",
};

static const lang_t lang_de = {
	.code = "de",
	.title = "Ihre personenbezogenen Daten in unseren E-Mail-Archiven",
	.lead = "Dieser Bericht f\xC3\xBChrt die Nachrichten in unseren E-Mail-Archiven auf, die Daten \xC3\xBC"
	        "ber Sie enthalten: was wir jeweils gefunden haben, im Zusammenhang, und wo sie gespeichert "
	        "sind. Ihre eigenen Daten sind teilweise verdeckt (&bull;), damit diese Seite sicher versendet "
	        "werden kann. Daten anderer Personen, die neben Ihren stehen, sind durch Platzhalter wie "
	        "<span class=\"hid\">[E-Mail]</span> ersetzt: Diese d\xC3\xBC" "rfen wir Ihnen nicht herausgeben. "
	        "Kopien der Nachrichten selbst erhalten Sie auf Anfrage.",
	.prepared = "Erstellt am",
	.restricted_h = "Eingeschr\xC3\xA4nkt.",
	.restricted_since = "Die Verarbeitung Ihrer Daten ist eingeschr\xC3\xA4nkt (Art. 18 DSGVO) seit ",
	.restricted_then = ". Wir bewahren sie auf, nutzen sie aber nur mit Ihrer Einwilligung, f\xC3\xBCr "
	                   "Rechtsanspr\xC3\xBC" "che oder zum Schutz der Rechte anderer.",
	.searched_h = "Wonach wir gesucht haben",
	.searched_masked = "teilweise verdeckt: mit Ihnen verkn\xC3\xBCpft, nicht von Ihnen angegeben",
	.via = {"", "neben Ihrer Adresse in Kopfzeilen", "in der Signatur Ihrer E-Mails",
	        "mit Ihrer Adresse in einem Kontakteintrag", "direkt nach Ihrem Namen"},
	.short_h = "Auf einen Blick",
	.msg_one = "%zu Nachricht", .msg_many = "%zu Nachrichten",
	.file_one = "%zu Datei", .file_many = "%zu Dateien",
	.kind_one = "%zu Art von Daten", .kind_many = "%zu Arten von Daten",
	.period = "Zeitraum",
	.cat_h = "Welche Daten wo liegen",
	.cat_intro = "Wie viele Nachrichten in jeder Datei welche Art Ihrer Daten enthalten:",
	.cat_file = "Datei", .cat_total = "Nachrichten", .cat_all = "Alle Dateien",
	.cat_under = "Dateinamen relativ zum Ordner ",
	.cat_none = "Wir haben keine Daten \xC3\xBC" "ber Sie gefunden.",
	.type = {"E-Mail", "Telefon", "Karte", "IBAN", "IP-Adresse", "MAC-Adresse", "Name", "Anschrift", "Sonstiges"},
	.sentence = {"Ihre E-Mail-Adressen kommen in %s in %s vor.", "Ihre Telefonnummern kommen in %s in %s vor.",
	             "Ihre Kartennummern kommen in %s in %s vor.", "Ihre Kontonummern (IBAN) kommen in %s in %s vor.",
	             "Ihnen zugeordnete IP-Adressen kommen in %s in %s vor.",
	             "Ihnen zugeordnete Ger\xC3\xA4teadressen (MAC) kommen in %s in %s vor.",
	             "Ihr Name kommt in %s in %s vor.", "Ihre Anschriften kommen in %s in %s vor.",
	             "Weitere Kennungen von Ihnen kommen in %s in %s vor."},
	.hidden = {"[E-Mail]", "[Telefon]", "[Karte]", "[IBAN]", "[IP]", "[MAC]", "[Name]", "[Anschrift]", "[Sonstiges]"},
	.hidden_number = "eine Zahl, verdeckt", .hidden_link = "[Link]",
	.hidden_title = "Daten einer anderen Person, verdeckt",
	.kinds = {{"mbox", "Postfachdatei"}, {"eml", "einzelne Nachricht"}, {"maildir", "Mail-Ordner"},
	          {"pst", "Outlook-Datei"}, {"ost", "Outlook-Datei"}, {"zip", "Archiv"}, {"tar", "Archiv"},
	          {"7z", "Archiv"}, {"gz", "komprimierte Datei"}, {"tar.gz", "Archiv"}, {"tar.bz2", "Archiv"},
	          {"tar.xz", "Archiv"}, {"tar.zst", "Archiv"}},
	.when_years_h = "Wann: Ihre Nachrichten \xC3\xBC" "ber die Jahre",
	.when_months_h = "Wann: Ihre Nachrichten im Jahr %d, nach Monaten",
	.when_year = "Jahr", .when_month = "Monat",
	.when_caption_years = "Nachrichten mit Ihren Daten, nach Jahren",
	.when_caption_months = "Nachrichten mit Ihren Daten im Jahr %d, nach Monaten",
	.when_undated_one = "%zu Nachricht hat kein Datum.", .when_undated_many = "%zu Nachrichten haben kein Datum.",
	.when_none = "Keine der Nachrichten hat ein Datum.",
	.months = {"Jan", "Feb", "M\xC3\xA4r", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"},
	.legend_h = "So lesen Sie die Ausz\xC3\xBCge",
	.legend = "<mark>e&bull;&bull;&bull;@example.net</mark> sind Ihre Daten, wie wir sie gefunden haben, "
	          "teilweise verdeckt; <mark class=\"own\">E&bull;&bull;&bull; M&bull;&bull;&bull;</mark> sind "
	          "weitere Daten von Ihnen in der N\xC3\xA4he; <span class=\"hid\">[Name]</span>, "
	          "<span class=\"hid\">[E-Mail]</span> und <span class=\"hid\">&bull;&bull;&bull;&bull;</span> "
	          "stehen f\xC3\xBCr Daten anderer Personen und f\xC3\xBCr Zahlen, die wir nicht zeigen. "
	          "&hellip; zeigt, wo der Auszug abgeschnitten ist.",
	.msgs_h = "Die Nachrichten, \xC3\xA4lteste zuerst",
	.msgs_none = "Keine: Unsere Archive enthalten keine Nachricht mit diesen Angaben.",
	.col_date = "Datum", .col_from = "Absender / Betreff", .col_found = "Was wir gefunden haben",
	.col_found_ctx = "Was wir gefunden haben, im Zusammenhang", .col_where = "Wo sie gespeichert ist",
	.where = {"Kopfzeile", "Nachrichtentext", "Anhang"},
	.header_word = "Kopfzeile",
	.ctx_not_found = "Der Text darum war nicht wiederzufinden.",
	.ctx_gone = "Quelle nicht mehr vorhanden: Der Text darum kann nicht gezeigt werden.",
	.ctx_changed = "Quelle nicht mehr so vorhanden, wie sie gelesen wurde (sie hat sich seitdem ge\xC3\xA4ndert): "
	               "kein Auszug.",
	.ctx_no_text = "Ein Outlook-Eintrag: kein Auszug.",
	.ctx_more_one = "und %zu weitere Stelle in dieser Nachricht",
	.ctx_more_many = "und %zu weitere Stellen in dieser Nachricht",
	.ctx_off = NULL,
	.unknown_date = "unbekannt",
	.footer = "Erstellt von trawl aus dem Index unserer E-Mail-Archive.",
};

/* The order the page shows the kinds of data in. */
static const trawl_type_t html_types[] = {TRAWL_TYPE_EMAIL, TRAWL_TYPE_NAME, TRAWL_TYPE_PHONE,
                                          TRAWL_TYPE_ADDRESS, TRAWL_TYPE_CARD, TRAWL_TYPE_IBAN,
                                          TRAWL_TYPE_IP, TRAWL_TYPE_MAC, TRAWL_TYPE_CUSTOM};

static const char html_style[] =
	":root{--ink:#1d2330;--muted:#5a6275;--line:#dde1e8;--bg:#f4f5f7;--accent:#2f5bd3;--mark:#ffe58a;"
	"--own:#dbe6fb;--hid:#e9ebef}\n"
	"*{box-sizing:border-box}\n"
	"body{font:15px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);margin:0;"
	"background:var(--bg)}\n"
	"main{max-width:1120px;margin:0 auto;padding:2.2em 1.5em 3em}\n"
	"header.top{border-bottom:3px solid var(--accent);padding-bottom:1.1em;margin-bottom:.5em}\n"
	"h1{font-size:1.75em;line-height:1.25;margin:0 0 .4em}\n"
	"h2{font-size:1.22em;margin:2.2em 0 .7em;padding-bottom:.25em;border-bottom:1px solid var(--line)}\n"
	"h3{font-size:1em;margin:1.2em 0 .4em}\n"
	".lead{margin:0;max-width:52em}.meta{color:var(--muted);font-size:.9em;margin:.7em 0 0}\n"
	".box{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.8em 1.1em}\n"
	".cards{display:flex;flex-wrap:wrap;gap:.8em}\n"
	".card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.65em 1.1em;min-width:9em}\n"
	".card b{display:block;font-size:1.55em;line-height:1.25;font-variant-numeric:tabular-nums}\n"
	".card span{color:var(--muted);font-size:.9em}\n"
	"ul.ids{margin:0;padding-left:1.2em}ul.ids small{color:var(--muted)}\n"
	"ul.facts{margin:0 0 1em;padding-left:1.2em}\n"
	"table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line)}\n"
	"th,td{text-align:left;vertical-align:top;padding:.45em .7em;border-bottom:1px solid #e8ebf0}\n"
	"thead th{background:#eef1f5;font-weight:600;font-size:.92em}\n"
	"table.cat td{text-align:right;font-variant-numeric:tabular-nums;width:5.5em}\n"
	"table.cat thead th+th{text-align:right}\n"
	"table.cat td.z{color:#b9bfca}\n"
	"table.cat tfoot th,table.cat tfoot td{font-weight:600;background:#f7f8fa;border-top:2px solid var(--line)}\n"
	".path{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.84em;"
	"overflow-wrap:anywhere}\n"
	".kind{display:inline-block;font-size:.74em;padding:0 .45em;border-radius:4px;background:#eef1f5;"
	"color:var(--muted);margin-left:.4em;white-space:nowrap;vertical-align:1px}\n"
	".chart{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1em 1em .6em}\n"
	".chart svg{display:block;width:100%;height:auto}\n"
	".chart .bar{fill:var(--accent)}.chart .cnt{font-size:13px;fill:var(--ink);text-anchor:middle;"
	"font-weight:600}\n"
	".chart .lbl{font-size:12px;fill:var(--muted);text-anchor:middle}.chart .axis{stroke:#c5cad4}\n"
	".chart p{margin:.4em 0 0;color:var(--muted);font-size:.9em}\n"
	".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\n"
	"table.msgs td.date{white-space:nowrap;font-variant-numeric:tabular-nums;width:7.5em}\n"
	"table.msgs td.date small{display:block;color:var(--muted)}\n"
	"table.msgs td.who{width:20%}\n"
	".subj{font-weight:600;overflow-wrap:anywhere}.from{color:var(--muted);font-size:.88em;overflow-wrap:anywhere}\n"
	"ul.ev{margin:0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:.15em 1.1em}\n"
	".tag{display:inline-block;font-size:.76em;padding:0 .45em;border-radius:4px;background:#e3e9f7;"
	"margin-right:.4em;vertical-align:1px}\n"
	".w{color:var(--muted);font-size:.85em}\n"
	".q{margin:.5em 0 0;padding:.35em .75em;border-left:3px solid #b7c5e8;background:#f7f8fb;"
	"font-size:.92em;border-radius:0 4px 4px 0;overflow-wrap:anywhere}\n"
	".q .pl{display:block;font-size:.72em;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}\n"
	"mark{background:var(--mark);color:inherit;padding:0 .15em;border-radius:3px}\n"
	"mark.own{background:var(--own)}\n"
	".hid{background:var(--hid);color:var(--muted);padding:0 .25em;border-radius:3px;font-size:.92em;"
	"white-space:nowrap}\n"
	".note{color:var(--muted);font-style:italic;font-size:.88em;margin:.5em 0 0}\n"
	"td.loc{width:21%}td.loc .path{color:var(--muted);word-break:normal;overflow-wrap:anywhere}\n"
	".mid{display:block;color:var(--muted);font-size:.78em;overflow-wrap:anywhere;margin-top:.3em}\n"
	".legend{font-size:.9em;margin:0 0 1em}.legend b{display:block;margin-bottom:.2em}\n"
	"footer{color:var(--muted);font-size:.85em;margin-top:2.5em;border-top:1px solid var(--line);"
	"padding-top:.8em}\n"
	".restricted{background:#fff4e5;border:1px solid #f0b35a;border-radius:8px;padding:.7em 1.1em;"
	"margin:1em 0 0}\n"
	"@media (max-width:760px){table.msgs td.loc,table.msgs th.loc{display:none}}\n"
	"@media print{@page{margin:14mm 12mm}\n"
	" body{background:#fff;font-size:10pt}main{max-width:none;padding:0}\n"
	" .box,.card,.chart,table{border-color:#aaa}h2{break-after:avoid}\n"
	" tr,.q,.card,.chart,.legend{break-inside:avoid}thead{display:table-header-group}\n"
	" mark,.hid,.tag,.chart .bar,thead th{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	" table.msgs td.loc,table.msgs th.loc{display:table-cell}}\n";

/* "1 message", "12 messages" */
static char *
counted(size_t n, const char *one, const char *many)
{
	return g_strdup_printf(n == 1 ? one : many, n);
}

static void
w_counted(out_t *o, size_t n, const char *one, const char *many)
{
	char *s = counted(n, one, many);
	w_html(o, s);
	g_free(s);
}

/* A path, with a place to break the line after every '/' */
static void
w_path(out_t *o, const char *s)
{
	trawl_buf_t b = {0};
	for (const char *p = s; p && *p;) {
		size_t n = strcspn(p, "/");
		trawl_buf_reset(&b);
		w_check(o, trawl_buf_put(&b, p, n + (p[n] == '/')));
		w_html(o, trawl_buf_cstr(&b));
		p += n;
		if (*p == '/') {
			w_puts(o, "<wbr>");
			p++;
		}
	}
	trawl_buf_free(&b);
}

static const char *
kind_words(const lang_t *L, const char *kind)
{
	for (size_t i = 0; kind && i < sizeof L->kinds / sizeof *L->kinds && L->kinds[i][0]; i++)
		if (strcmp(kind, L->kinds[i][0]) == 0)
			return L->kinds[i][1];
	return NULL;
}

static void
html_restricted(out_t *o, const trawl_access_t *a, const lang_t *L)
{
	w_puts(o, "<p class=\"restricted\" role=\"note\"><b>");
	w_html(o, L->restricted_h);
	w_puts(o, "</b> ");
	w_html(o, L->restricted_since);
	w_html(o, a->restricted->since);
	if (a->restricted->reason && *a->restricted->reason) {
		w_puts(o, " (");
		w_html(o, a->restricted->reason);
		w_puts(o, ")");
	}
	w_html(o, L->restricted_then);
	w_puts(o, "</p>\n");
}

static void
html_identifiers(out_t *o, const trawl_access_t *a, const lang_t *L)
{
	w_puts(o, "<h2>");
	w_html(o, L->searched_h);
	w_puts(o, "</h2>\n<ul class=\"ids\">\n");
	for (size_t i = 0; i < a->n_identifiers; i++) {
		const trawl_identifier_t *id = &a->identifiers[i];
		w_puts(o, "<li><span class=\"tag\">");
		w_html(o, L->type[id->type]);
		w_puts(o, "</span>");
		if (id->via == TRAWL_LINK_NONE && id->type == TRAWL_TYPE_NAME) {
			/* the norm is lower case: "Erika Mustermann" reads better */
			trawl_buf_t b = {0};
			bool start = true;
			for (const char *p = id->norm; g_utf8_validate(id->norm, -1, NULL) && *p; p = g_utf8_next_char(p)) {
				gunichar c = g_utf8_get_char(p);
				char u[8];
				w_check(o, trawl_buf_put(&b, u, (size_t)g_unichar_to_utf8(start ? g_unichar_totitle(c) : c, u)));
				start = c == ' ' || c == '-' || c == '\'';
			}
			w_html(o, b.len ? trawl_buf_cstr(&b) : id->norm);
			trawl_buf_free(&b);
		} else if (id->via == TRAWL_LINK_NONE) {
			w_html(o, id->norm);
		} else {
			/* the index tied it to them: it may be wrong, so not in full */
			char *m = trawl_mask(id->type, id->norm);
			w_html(o, m ? m : "");
			w_check(o, m ? TRAWL_OK : TRAWL_ENOMEM);
			free(m);
			w_puts(o, " <small>(");
			w_html(o, L->via[id->via < 5 ? id->via : 0]);
			w_puts(o, "; ");
			w_html(o, L->searched_masked);
			w_puts(o, ")</small>");
		}
		w_puts(o, "</li>\n");
	}
	w_puts(o, "</ul>\n");
}

/* What the page counts once: by kind of data, messages and files. */
typedef struct {
	size_t n_sources;
	bool *has;              /* [message][type]: the message holds that type of the subject's */
	size_t *src_of;         /* message -> index in a->sources, or SIZE_MAX */
	size_t msgs[TRAWL_TYPE_COUNT], files[TRAWL_TYPE_COUNT];
	size_t kinds;           /* types with any message */
	int y0, y1;             /* first and last year of a dated message */
	size_t dated, undated;
	size_t prefix;          /* bytes of the folder every source lies in ("a/b/"), 0 when none */
} tally_t;

static void
tally_free(tally_t *t)
{
	free(t->has);
	free(t->src_of);
}

static int
year_of(int64_t time, int *month)
{
	time_t tt = (time_t)time;
	struct tm tm;
	if (!gmtime_r(&tt, &tm))
		return 0;
	if (month)
		*month = tm.tm_mon;
	return tm.tm_year + 1900;
}

static trawl_status_t
tally(tally_t *t, const trawl_access_t *a)
{
	memset(t, 0, sizeof *t);
	size_t nm = a->n_messages ? a->n_messages : 1;
	t->has = calloc(nm * TRAWL_TYPE_COUNT, sizeof *t->has);
	t->src_of = malloc(nm * sizeof *t->src_of);
	bool *file_has = calloc((a->n_sources ? a->n_sources : 1) * TRAWL_TYPE_COUNT, sizeof *file_has);
	GHashTable *src = g_hash_table_new(g_str_hash, g_str_equal);
	trawl_status_t rc = t->has && t->src_of && file_has ? TRAWL_OK : TRAWL_ENOMEM;
	for (size_t s = 0; s < a->n_sources && rc == TRAWL_OK; s++)
		g_hash_table_insert(src, a->sources[s].source, GSIZE_TO_POINTER(s + 1));
	for (size_t i = 0; i < a->n_messages && rc == TRAWL_OK; i++) {
		const trawl_index_message_t *m = &a->messages[i];
		size_t n, *v = trawl_report__listed(m, true, &n);
		if (!v) {
			rc = TRAWL_ENOMEM;
			break;
		}
		size_t s = GPOINTER_TO_SIZE(g_hash_table_lookup(src, m->source));
		t->src_of[i] = s ? s - 1 : SIZE_MAX;
		for (size_t j = 0; j < n; j++)
			t->has[i * TRAWL_TYPE_COUNT + m->findings[v[j]].type] = true;
		free(v);
		for (int ty = 0; ty < TRAWL_TYPE_COUNT; ty++) {
			if (!t->has[i * TRAWL_TYPE_COUNT + ty])
				continue;
			t->msgs[ty]++;
			if (s && !file_has[(s - 1) * TRAWL_TYPE_COUNT + ty]) {
				file_has[(s - 1) * TRAWL_TYPE_COUNT + ty] = true;
				t->files[ty]++;
			}
		}
		int y = m->time ? year_of(m->time, NULL) : 0;
		if (!y) {
			t->undated++;
			continue;
		}
		if (!t->dated++ || y < t->y0)
			t->y0 = y;
		if (t->dated == 1 || y > t->y1)
			t->y1 = y;
	}
	for (int ty = 0; ty < TRAWL_TYPE_COUNT; ty++)
		t->kinds += t->msgs[ty] != 0;
	/* the folder they all share, named once rather than on every line */
	for (size_t s = 0; s < a->n_sources; s++) {
		const char *p = a->sources[s].source;
		size_t l = 0;
		if (s == 0) {
			const char *slash = strrchr(p, '/');
			t->prefix = slash ? (size_t)(slash - p) + 1 : 0;
			continue;
		}
		while (l < t->prefix && p[l] == a->sources[0].source[l])
			l++;
		while (l > 0 && p[l - 1] != '/')
			l--;
		t->prefix = l;
	}
	for (size_t i = 0; i < a->n_messages; i++)
		if (strncmp(a->messages[i].location, a->sources[0].source, t->prefix) != 0)
			t->prefix = 0;
	t->n_sources = a->n_sources;
	free(file_has);
	g_hash_table_destroy(src);
	return rc;
}

static void
html_cards(out_t *o, const trawl_access_t *a, const tally_t *t, const lang_t *L)
{
	char *msgs = counted(a->n_messages, L->msg_one, L->msg_many);
	char *files = counted(a->n_sources, L->file_one, L->file_many);
	char *kinds = counted(t->kinds, L->kind_one, L->kind_many);
	const char *words[3] = {msgs, files, kinds};
	w_puts(o, "<h2>");
	w_html(o, L->short_h);
	w_puts(o, "</h2>\n<div class=\"cards\">\n");
	/* "12 messages" as a big 12 and the words below it */
	for (int i = 0; i < 3; i++) {
		const char *sp = strchr(words[i], ' ');
		w_puts(o, "<div class=\"card\"><b>");
		w_check(o, trawl_buf_put(&o->b, words[i], sp ? (size_t)(sp - words[i]) : strlen(words[i])));
		w_puts(o, "</b><span>");
		w_html(o, sp ? sp + 1 : "");
		w_puts(o, "</span></div>\n");
	}
	if (t->dated) {
		w_puts(o, "<div class=\"card\"><b>");
		if (t->y0 == t->y1)
			w_printf(o, "%d", t->y0);
		else
			w_printf(o, "%d&ndash;%d", t->y0, t->y1);
		w_puts(o, "</b><span>");
		w_html(o, L->period);
		w_puts(o, "</span></div>\n");
	}
	w_puts(o, "</div>\n");
	g_free(msgs);
	g_free(files);
	g_free(kinds);
}

static void
html_categories(out_t *o, const trawl_access_t *a, const tally_t *t, const lang_t *L)
{
	const size_t nt = sizeof html_types / sizeof *html_types;
	w_puts(o, "<h2 id=\"categories\">");
	w_html(o, L->cat_h);
	w_puts(o, "</h2>\n");
	if (!t->kinds) {
		w_puts(o, "<p>");
		w_html(o, L->cat_none);
		w_puts(o, "</p>\n");
		return;
	}
	w_puts(o, "<ul class=\"facts\">\n");
	for (size_t k = 0; k < nt; k++) {
		trawl_type_t ty = html_types[k];
		if (!t->msgs[ty])
			continue;
		char *m = counted(t->msgs[ty], L->msg_one, L->msg_many);
		char *f = counted(t->files[ty], L->file_one, L->file_many);
		char *s = g_strdup_printf(L->sentence[ty], m, f);
		w_printf(o, "<li data-type=\"%s\">", trawl_type_name(ty));
		w_html(o, s);
		w_puts(o, "</li>\n");
		g_free(m), g_free(f), g_free(s);
	}
	w_puts(o, "</ul>\n<p class=\"w\">");
	w_html(o, L->cat_intro);
	if (t->prefix) {
		w_puts(o, " ");
		w_html(o, L->cat_under);
		w_puts(o, "<span class=\"path\">");
		char *dir = trawl_strndup(a->sources[0].source, t->prefix);
		w_path(o, dir);
		w_check(o, dir ? TRAWL_OK : TRAWL_ENOMEM);
		free(dir);
		w_puts(o, "</span>.");
	}
	w_puts(o, "</p>\n<table class=\"cat\">\n<thead><tr><th scope=\"col\">");
	w_html(o, L->cat_file);
	w_puts(o, "</th>");
	for (size_t k = 0; k < nt; k++)
		if (t->msgs[html_types[k]]) {
			w_puts(o, "<th scope=\"col\">");
			w_html(o, L->type[html_types[k]]);
			w_puts(o, "</th>");
		}
	w_puts(o, "<th scope=\"col\">");
	w_html(o, L->cat_total);
	w_puts(o, "</th></tr></thead>\n<tbody>\n");
	for (size_t s = 0; s < a->n_sources; s++) {
		size_t cell[TRAWL_TYPE_COUNT] = {0}, total = 0;
		for (size_t i = 0; i < a->n_messages; i++) {
			if (t->src_of[i] != s)
				continue;
			total++;
			for (int ty = 0; ty < TRAWL_TYPE_COUNT; ty++)
				cell[ty] += t->has[i * TRAWL_TYPE_COUNT + ty];
		}
		const char *words = kind_words(L, a->sources[s].kind);
		w_puts(o, "<tr><th scope=\"row\"><span class=\"path\">");
		w_path(o, a->sources[s].source + t->prefix);
		w_puts(o, "</span><span class=\"kind\">");
		if (words) {
			w_html(o, words);
			w_puts(o, ", ");
		}
		w_html(o, a->sources[s].kind ? a->sources[s].kind : "?");
		w_puts(o, "</span></th>");
		for (size_t k = 0; k < nt; k++) {
			trawl_type_t ty = html_types[k];
			if (t->msgs[ty])
				w_printf(o, "<td%s data-type=\"%s\">%zu</td>", cell[ty] ? "" : " class=\"z\"",
				         trawl_type_name(ty), cell[ty]);
		}
		w_printf(o, "<td data-type=\"all\">%zu</td></tr>\n", total);
	}
	w_puts(o, "</tbody>\n<tfoot><tr><th scope=\"row\">");
	w_html(o, L->cat_all);
	w_puts(o, "</th>");
	for (size_t k = 0; k < nt; k++)
		if (t->msgs[html_types[k]])
			w_printf(o, "<td data-type=\"%s\">%zu</td>", trawl_type_name(html_types[k]), t->msgs[html_types[k]]);
	w_printf(o, "<td data-type=\"all\">%zu</td></tr></tfoot>\n</table>\n", a->n_messages);
}

/* Messages a year (or, when every dated one falls in one year, a month)
 * as bars: an SVG for the eye, a table for screen readers. */
static void
html_timeline(out_t *o, const trawl_access_t *a, const tally_t *t, const lang_t *L)
{
	enum { W = 760, H = 190, TOP = 22, BOTTOM = 26 };
	size_t n = 0, *count = NULL, max = 0;
	int *label = NULL;
	bool months = t->dated && t->y0 == t->y1;
	if (!t->dated) {
		w_puts(o, "<h2 id=\"timeline\">");
		w_html(o, L->when_years_h);
		w_puts(o, "</h2>\n<p>");
		w_html(o, L->when_none);
		w_puts(o, "</p>\n");
		return;
	}
	/* the bars: every month of the year, every year from the first to
	 * the last, or (over more than 40 years: stray dates) the years that
	 * have messages */
	size_t span = months ? 12 : (size_t)(t->y1 - t->y0 + 1);
	label = calloc(span, sizeof *label);
	count = calloc(span, sizeof *count);
	if (!label || !count) {
		w_check(o, TRAWL_ENOMEM);
		goto done;
	}
	for (size_t i = 0; i < span; i++)
		label[i] = months ? (int)i : t->y0 + (int)i;
	for (size_t i = 0; i < a->n_messages; i++) {
		int mon = 0, y = a->messages[i].time ? year_of(a->messages[i].time, &mon) : 0;
		if (y)
			count[months ? (size_t)mon : (size_t)(y - t->y0)]++;
	}
	n = span;
	if (!months && span > 40) {
		n = 0;
		for (size_t i = 0; i < span; i++)
			if (count[i])
				label[n] = label[i], count[n++] = count[i];
	}
	for (size_t i = 0; i < n; i++)
		max = count[i] > max ? count[i] : max;

	char *h = months ? g_strdup_printf(L->when_months_h, t->y0) : g_strdup(L->when_years_h);
	char *cap = months ? g_strdup_printf(L->when_caption_months, t->y0) : g_strdup(L->when_caption_years);
	w_puts(o, "<h2 id=\"timeline\">");
	w_html(o, h);
	w_printf(o, "</h2>\n<figure class=\"chart\" style=\"margin:0\">\n"
	            "<svg viewBox=\"0 0 %d %d\" aria-hidden=\"true\" focusable=\"false\">\n",
	         W, H);
	double bw = (double)W / (double)n, barw = bw * 0.62 > 56 ? 56 : bw * 0.62;
	size_t every = bw >= 40 ? 1 : (size_t)(40 / bw) + 1;
	w_printf(o, "<line class=\"axis\" x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", H - BOTTOM, W, H - BOTTOM);
	for (size_t i = 0; i < n; i++) {
		double bh = max ? (double)count[i] * (H - TOP - BOTTOM) / (double)max : 0;
		double x = (double)i * bw + (bw - barw) / 2, cx = (double)i * bw + bw / 2;
		char name[16];
		if (months)
			snprintf(name, sizeof name, "%s", L->months[label[i]]);
		else
			snprintf(name, sizeof name, "%d", label[i]);
		if (count[i]) {
			w_printf(o, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"3\">",
			         x, H - BOTTOM - bh, barw, bh);
			w_puts(o, "<title>");
			w_html(o, name);
			w_puts(o, ": ");
			w_counted(o, count[i], L->msg_one, L->msg_many);
			w_puts(o, "</title></rect>\n");
			w_printf(o, "<text class=\"cnt\" x=\"%.1f\" y=\"%.1f\">%zu</text>\n", cx, H - BOTTOM - bh - 6,
			         count[i]);
		}
		if (i % every == 0 || count[i]) {
			w_printf(o, "<text class=\"lbl\" x=\"%.1f\" y=\"%d\">", cx, H - 8);
			w_html(o, name);
			w_puts(o, "</text>\n");
		}
	}
	w_puts(o, "</svg>\n<table class=\"sr\"><caption>");
	w_html(o, cap);
	w_puts(o, "</caption>\n<thead><tr><th scope=\"col\">");
	w_html(o, months ? L->when_month : L->when_year);
	w_puts(o, "</th><th scope=\"col\">");
	w_html(o, L->cat_total);
	w_puts(o, "</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		w_puts(o, "<tr><th scope=\"row\">");
		if (months)
			w_html(o, L->months[label[i]]);
		else
			w_printf(o, "%d", label[i]);
		w_printf(o, "</th><td>%zu</td></tr>\n", count[i]);
	}
	w_puts(o, "</tbody></table>\n");
	if (t->undated) {
		w_puts(o, "<p>");
		w_counted(o, t->undated, L->when_undated_one, L->when_undated_many);
		w_puts(o, "</p>\n");
	}
	w_puts(o, "</figure>\n");
	g_free(h);
	g_free(cap);
done:
	free(label);
	free(count);
}

static void
html_segs(out_t *o, const trawl_snippet_t *s, const lang_t *L)
{
	if (s->cut_before)
		w_puts(o, "&hellip;");
	for (size_t i = 0; i < s->n_segs; i++) {
		const trawl_seg_t *g = &s->segs[i];
		switch (g->kind) {
		case TRAWL_SEG_TEXT: w_html(o, g->text); break;
		case TRAWL_SEG_FOCUS:
		case TRAWL_SEG_OWN:
			w_puts(o, g->kind == TRAWL_SEG_FOCUS ? "<mark>" : "<mark class=\"own\">");
			w_html(o, g->text);
			w_puts(o, "</mark>");
			break;
		case TRAWL_SEG_HIDDEN:
			if (g->type == TRAWL_TYPE_COUNT) {
				w_puts(o, "<span class=\"hid\" title=\"");
				w_html(o, L->hidden_number);
				w_puts(o, "\">");
				w_html(o, g->text);
			} else {
				w_puts(o, "<span class=\"hid\" title=\"");
				w_html(o, L->hidden_title);
				w_puts(o, "\">");
				w_html(o, L->hidden[(unsigned)g->type < TRAWL_TYPE_COUNT ? g->type : TRAWL_TYPE_CUSTOM]);
			}
			w_puts(o, "</span>");
			break;
		case TRAWL_SEG_LINK:
			w_puts(o, "<span class=\"hid\">");
			w_html(o, L->hidden_link);
			w_puts(o, "</span>");
			break;
		}
	}
	if (s->cut_after)
		w_puts(o, "&hellip;");
}

/* "header To", "message text", "attachment" */
static void
html_place(out_t *o, const trawl_index_finding_t *f, const lang_t *L)
{
	if (f->where == TRAWL_WHERE_HEADER) {
		const char *h = strrchr(f->part, ':');
		w_html(o, L->header_word);
		if (h && h[1]) {
			w_puts(o, " ");
			w_html(o, h + 1);
		}
		return;
	}
	w_html(o, L->where[(unsigned)f->where < 3 ? f->where : 1]);
}

static void
html_evidence(out_t *o, const trawl_index_message_t *m, const trawl_message_evidence_t *me, const lang_t *L)
{
	const char *note = NULL;
	switch (me->status) {
	case TRAWL_EVIDENCE_READ: break;
	case TRAWL_EVIDENCE_GONE: note = L->ctx_gone; break;
	case TRAWL_EVIDENCE_CHANGED: note = L->ctx_changed; break;
	case TRAWL_EVIDENCE_NO_TEXT: note = L->ctx_no_text; break;
	default: return;
	}
	if (note) {
		w_puts(o, "<p class=\"note\">");
		w_html(o, note);
		w_puts(o, "</p>");
		return;
	}
	for (size_t i = 0; i < me->n_snippets; i++) {
		const trawl_snippet_t *s = &me->snippets[i];
		const trawl_index_finding_t *f = s->finding < m->n_findings ? &m->findings[s->finding] : NULL;
		w_puts(o, "<p class=\"q\"><span class=\"pl\">");
		if (s->header && f && f->where != TRAWL_WHERE_HEADER)
			w_html(o, L->where[TRAWL_WHERE_ATTACHMENT]); /* a forwarded message's */
		else if (s->header)
			w_html(o, L->where[TRAWL_WHERE_HEADER]); /* the line says which */
		else if (f)
			html_place(o, f, L);
		w_puts(o, "</span>");
		if (s->found) {
			html_segs(o, s, L);
		} else {
			w_puts(o, "<span class=\"note\">");
			w_html(o, L->ctx_not_found);
			w_puts(o, "</span>");
		}
		w_puts(o, "</p>");
	}
	if (me->n_more) {
		w_puts(o, "<p class=\"note\">");
		w_counted(o, me->n_more, L->ctx_more_one, L->ctx_more_many);
		w_puts(o, "</p>");
	}
}

static void
html_messages(out_t *o, const trawl_access_t *a, const tally_t *t, const trawl_evidence_t *ev, const lang_t *L)
{
	w_puts(o, "<h2 id=\"messages\">");
	w_html(o, L->msgs_h);
	w_puts(o, "</h2>\n");
	if (a->n_messages == 0) {
		w_puts(o, "<p>");
		w_html(o, L->msgs_none);
		w_puts(o, "</p>\n");
		return;
	}
	if (ev) {
		w_puts(o, "<div class=\"box legend\"><b>");
		w_html(o, L->legend_h);
		w_puts(o, "</b>");
		w_puts(o, L->legend); /* markup of our own */
		w_puts(o, "</div>\n");
	}
	w_puts(o, "<table class=\"msgs\">\n<thead><tr><th scope=\"col\">");
	w_html(o, L->col_date);
	w_puts(o, "</th><th scope=\"col\">");
	w_html(o, L->col_from);
	w_puts(o, "</th><th scope=\"col\">");
	w_html(o, ev ? L->col_found_ctx : L->col_found);
	w_puts(o, "</th><th scope=\"col\" class=\"loc\">");
	w_html(o, L->col_where);
	w_puts(o, "</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < a->n_messages; i++) {
		const trawl_index_message_t *m = &a->messages[i];
		size_t n, *v = trawl_report__listed(m, true, &n);
		if (!v) {
			w_check(o, TRAWL_ENOMEM);
			break;
		}
		w_printf(o, "<tr id=\"m%zu\"><td class=\"date\">", i + 1);
		if (m->date && strlen(m->date) >= 16 && m->date[10] == 'T') {
			char day[11], hm[6];
			memcpy(day, m->date, 10), day[10] = '\0';
			memcpy(hm, m->date + 11, 5), hm[5] = '\0';
			w_html(o, day);
			w_puts(o, "<small>");
			w_html(o, hm);
			w_puts(o, " UTC</small>");
		} else {
			w_html(o, m->date ? m->date : L->unknown_date);
		}
		w_puts(o, "</td><td class=\"who\"><div class=\"subj\">");
		w_html(o, m->subject ? m->subject : "");
		w_puts(o, "</div><div class=\"from\">");
		if (m->from && strchr(m->from, '@')) {
			char *local = trawl_strndup(m->from, (size_t)(strchr(m->from, '@') - m->from));
			w_html(o, local);
			w_check(o, local ? TRAWL_OK : TRAWL_ENOMEM);
			free(local);
			w_puts(o, "<wbr>");
			w_html(o, strchr(m->from, '@'));
		} else {
			w_html(o, m->from ? m->from : "");
		}
		w_puts(o, "</div></td><td><ul class=\"ev\">");
		for (size_t j = 0; j < n; j++) {
			const trawl_index_finding_t *f = &m->findings[v[j]];
			char *masked = trawl_mask(f->type, f->value);
			w_puts(o, "<li><span class=\"tag\">");
			w_html(o, L->type[f->type]);
			w_puts(o, "</span>");
			w_html(o, masked ? masked : "");
			w_puts(o, " <span class=\"w\">");
			html_place(o, f, L);
			w_puts(o, "</span></li>");
			if (!masked)
				w_check(o, TRAWL_ENOMEM);
			free(masked);
		}
		w_puts(o, "</ul>");
		if (ev)
			html_evidence(o, m, &ev->messages[i], L);
		w_puts(o, "</td><td class=\"loc\"><span class=\"path\">");
		w_path(o, m->location + t->prefix);
		w_puts(o, "</span>");
		if (m->message_id) {
			w_puts(o, "<span class=\"mid\">");
			w_html(o, m->message_id);
			w_puts(o, "</span>");
		}
		w_puts(o, "</td></tr>\n");
		free(v);
	}
	w_puts(o, "</tbody>\n</table>\n");
}

static void
access_html(out_t *o, const trawl_access_t *a, const trawl_html_opts_t *opts, const lang_t *L)
{
	tally_t t;
	trawl_status_t rc = tally(&t, a);
	if (rc < 0) {
		w_check(o, rc);
		tally_free(&t);
		return;
	}
	w_printf(o, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", L->code);
	w_puts(o, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	          "style-src 'unsafe-inline'\">\n"
	          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	          "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
	w_html(o, L->title);
	w_puts(o, "</title>\n<style>\n");
	w_puts(o, html_style);
	w_puts(o, "</style>\n</head>\n<body>\n<main>\n<header class=\"top\">\n<h1>");
	w_html(o, L->title);
	w_puts(o, "</h1>\n<p class=\"lead\">");
	w_puts(o, L->lead); /* markup of our own */
	w_puts(o, "</p>\n");
	if (opts->generated) {
		w_puts(o, "<p class=\"meta\">");
		w_html(o, L->prepared);
		w_puts(o, " ");
		char day[16];
		time_t tt = (time_t)opts->generated;
		struct tm tm;
		gmtime_r(&tt, &tm);
		strftime(day, sizeof day, "%Y-%m-%d", &tm);
		w_html(o, day);
		w_puts(o, "</p>\n");
	}
	if (a->restricted)
		html_restricted(o, a, L);
	w_puts(o, "</header>\n");
	html_identifiers(o, a, L);
	html_cards(o, a, &t, L);
	html_categories(o, a, &t, L);
	if (a->n_messages)
		html_timeline(o, a, &t, L);
	html_messages(o, a, &t, opts->evidence, L);
	w_puts(o, "<footer>");
	w_html(o, L->footer); /* no version: reports should not change with it */
	w_puts(o, "</footer>\n</main>\n</body>\n</html>\n");
	tally_free(&t);
}

trawl_status_t
trawl_report_access_html(FILE *f, const trawl_access_t *a, const trawl_html_opts_t *opts)
{
	static const trawl_html_opts_t defaults = {0};
	out_t o = {.f = f};
	const lang_t *L = &lang_en;
	if (!opts)
		opts = &defaults;
	if (opts->lang && strcmp(opts->lang, "en") == 0)
		L = &lang_en;
	else if (opts->lang && strcmp(opts->lang, "de") == 0)
		L = &lang_de;
	else if (opts->lang)
		return TRAWL_EINVAL;
	if (opts->evidence && opts->evidence->n_messages != a->n_messages)
		return TRAWL_EINVAL;
	access_html(&o, a, opts, L);
	return w_end(&o);
}

trawl_status_t
trawl_report_access(FILE *f, const trawl_access_t *a, trawl_format_t format)
{
	out_t o = {.f = f};
	uint64_t by_type[TRAWL_TYPE_COUNT];
	if (format == TRAWL_FORMAT_HTML)
		return trawl_report_access_html(f, a, NULL);
	if (format != TRAWL_FORMAT_JSON && format != TRAWL_FORMAT_CSV)
		return TRAWL_EUNSUPPORTED;
	w_check(&o, count_by_type(a, by_type));
	if (o.rc == TRAWL_OK) {
		if (format == TRAWL_FORMAT_JSON)
			access_json(&o, a, by_type);
		else
			access_csv(&o, a);
	}
	return w_end(&o);
}

/* ------------------------------------------------------------------ */
/* Erase                                                              */

typedef struct {
	bool redact;
	char **others; /* masked, malloc'd, distinct */
	size_t n_others;
} plan_t;

static void
plan_clear(plan_t *p)
{
	for (size_t i = 0; i < p->n_others; i++)
		free(p->others[i]);
	free(p->others);
	memset(p, 0, sizeof *p);
}

static trawl_status_t
plan_add_other(plan_t *p, trawl_type_t type, const char *value)
{
	char *m = trawl_mask(type, value);
	if (!m)
		return TRAWL_ENOMEM;
	for (size_t i = 0; i < p->n_others; i++) {
		if (strcmp(p->others[i], m) == 0) {
			free(m);
			return TRAWL_OK;
		}
	}
	char **v = realloc(p->others, (p->n_others + 1) * sizeof *v);
	if (!v) {
		free(m);
		return TRAWL_ENOMEM;
	}
	p->others = v;
	p->others[p->n_others++] = m;
	return TRAWL_OK;
}

/* Is the name finding at i the subject's? It is when the query matched it,
 * or when some name with the same norm stands beside one of the subject's
 * addresses in this message. */
static bool
subject_name(const trawl_index_message_t *m, size_t i)
{
	const trawl_index_finding_t *f = &m->findings[i];
	if (f->subject)
		return true;
	for (size_t j = 0; j < m->n_findings; j++) {
		const trawl_index_finding_t *g = &m->findings[j];
		if (g->type == TRAWL_TYPE_NAME && g->pair != SIZE_MAX && g->pair < m->n_findings &&
		    m->findings[g->pair].subject && strcmp(g->value, f->value) == 0)
			return true;
	}
	return false;
}

/* Whose data besides the subject's shares the message: other addresses, and
 * other names that do not stand beside an address already counted. A
 * phone number or an account that nothing ties to anyone says nothing of
 * whose it is (in the subject's own mail it is most likely theirs), so it
 * makes no one else's data; what the index links to the subject is
 * theirs (marked like the request's own identifiers). */
static trawl_status_t
erase_plan(const trawl_index_message_t *m, plan_t *p)
{
	trawl_status_t rc = TRAWL_OK;
	memset(p, 0, sizeof *p);
	for (size_t i = 0; i < m->n_findings && rc == TRAWL_OK; i++) {
		const trawl_index_finding_t *f = &m->findings[i];
		if (f->type == TRAWL_TYPE_EMAIL && !f->subject)
			rc = plan_add_other(p, f->type, f->value);
		else if (f->type == TRAWL_TYPE_NAME && !subject_name(m, i)) {
			p->redact = true;
			if (f->pair == SIZE_MAX || f->pair >= m->n_findings)
				rc = plan_add_other(p, f->type, f->value);
		}
	}
	if (p->n_others)
		p->redact = true;
	if (rc < 0)
		plan_clear(p);
	return rc;
}

static bool
in_place(const char *kind)
{
	static const char *const kinds[] = {"mbox", "eml", "maildir", NULL};
	for (const char *const *k = kinds; *k; k++)
		if (kind && strcmp(kind, *k) == 0)
			return true;
	return false;
}

static size_t
affected(const trawl_access_t *a, const char *source)
{
	size_t n = 0;
	for (size_t i = 0; i < a->n_messages; i++)
		n += strcmp(a->messages[i].source, source) == 0;
	return n;
}

/* How message j copies message i: "message-id" when both carry the same
 * Message-ID (not a hash stand-in), "content" when their raw bytes hash the
 * same, or NULL. The same message kept in several sources must be erased in
 * every one of them. */
static const char *
copy_of(const trawl_index_message_t *a, const trawl_index_message_t *b)
{
	if (a->content_hash && b->content_hash && strcmp(a->content_hash, b->content_hash) == 0)
		return "content";
	if (a->message_id && b->message_id && strncmp(a->message_id, "sha256:", 7) != 0 &&
	    strcmp(a->message_id, b->message_id) == 0)
		return "message-id";
	return NULL;
}

static size_t
count_copies(const trawl_access_t *a, size_t i)
{
	size_t n = 0;
	for (size_t j = 0; j < a->n_messages; j++)
		n += j != i && copy_of(&a->messages[i], &a->messages[j]) != NULL;
	return n;
}

static void
erase_json(out_t *o, const trawl_access_t *a, const plan_t *plans)
{
	size_t n_delete = 0, n_redact = 0, n_copies = 0;
	w_puts(o, "{");
	json_query_subject(o, a);
	w_puts(o, ",\n \"messages\": [");
	for (size_t i = 0; i < a->n_messages; i++) {
		const plan_t *p = &plans[i];
		w_puts(o, i ? ",\n  {" : "\n  {");
		json_message_fields(o, &a->messages[i]);
		w_puts(o, ",\n   \"action\": ");
		w_json(o, p->redact ? "redact" : "delete");
		w_puts(o, ", \"other_subjects\": ");
		json_strv(o, (const char *const *)p->others, p->n_others);
		w_puts(o, ",\n   \"copies\": [");
		for (size_t j = 0, k = 0; j < a->n_messages; j++) {
			const char *by = j != i ? copy_of(&a->messages[i], &a->messages[j]) : NULL;
			if (!by)
				continue;
			w_puts(o, k++ ? ", {\"source\": " : "{\"source\": ");
			w_json(o, a->messages[j].source);
			w_puts(o, ", \"location\": ");
			w_json(o, a->messages[j].location);
			w_puts(o, ", \"by\": ");
			w_json(o, by);
			w_puts(o, "}");
		}
		w_puts(o, "]}");
		n_copies += count_copies(a, i) > 0;
		if (p->redact)
			n_redact++;
		else
			n_delete++;
	}
	w_puts(o, "],\n \"sources\": [");
	for (size_t i = 0; i < a->n_sources; i++) {
		const trawl_index_source_t *s = &a->sources[i];
		w_puts(o, i ? ",\n  {" : "\n  {");
		w_puts(o, "\"source\": ");
		w_json(o, s->source);
		w_puts(o, ", \"kind\": ");
		w_json(o, s->kind);
		w_printf(o, ", \"messages\": %zu, \"in_place\": %s, \"advice\": \"%s\"}", affected(a, s->source),
		         in_place(s->kind) ? "true" : "false",
		         in_place(s->kind) ? "change in place" : "isolate until deletion is possible");
	}
	w_printf(o,
	         "],\n \"summary\": {\"messages\": %zu, \"delete\": %zu, \"redact\": %zu, \"sources\": %zu, "
	         "\"with_copies\": %zu, \"changed\": false}}\n",
	         a->n_messages, n_delete, n_redact, a->n_sources, n_copies);
}

static void
erase_text(out_t *o, const trawl_access_t *a, const plan_t *plans)
{
	size_t n_delete = 0, n_redact = 0;
	for (size_t i = 0; i < a->n_messages; i++)
		n_redact += plans[i].redact, n_delete += !plans[i].redact;
	w_puts(o, "Erasure impact for");
	for (size_t i = 0; i < a->n_identifiers; i++)
		w_printf(o, "%s %s %s%s%s", i ? "," : "", trawl_type_name(a->identifiers[i].type), a->identifiers[i].norm,
		         a->identifiers[i].via ? " via " : "", a->identifiers[i].via ? via_name(a->identifiers[i].via) : "");
	w_puts(o, "\n");
	if (a->restricted) {
		w_puts(o, "RESTRICTED: ");
		restricted_line(o, a, w_puts);
		w_puts(o, "\n");
	}
	w_printf(o, "%zu message%s: %zu to delete, %zu to redact (other people's data in them), in %zu source%s.\n",
	         a->n_messages, a->n_messages == 1 ? "" : "s", n_delete, n_redact, a->n_sources,
	         a->n_sources == 1 ? "" : "s");
	if (a->n_messages)
		w_puts(o, "\nMessages:\n");
	for (size_t i = 0; i < a->n_messages; i++) {
		const trawl_index_message_t *m = &a->messages[i];
		w_printf(o, "  %-20s  %-6s  %s\n", m->date ? m->date : "(no date)", plans[i].redact ? "redact" : "delete",
		         m->location);
		if (m->message_id)
			w_printf(o, "      message-id %s\n", m->message_id);
		w_puts(o, "      subject's: ");
		findings_line(o, m, true, w_puts);
		w_puts(o, "\n");
		for (size_t j = 0; j < a->n_messages; j++) {
			const char *by = j != i ? copy_of(m, &a->messages[j]) : NULL;
			if (by)
				w_printf(o, "      copy (same %s): %s\n", by, a->messages[j].location);
		}
		if (plans[i].n_others) {
			w_puts(o, "      also holds: ");
			for (size_t j = 0; j < plans[i].n_others; j++)
				w_printf(o, "%s%s", j ? ", " : "", plans[i].others[j]);
			w_puts(o, "\n");
		}
	}
	if (a->n_sources)
		w_puts(o, "\nSources:\n");
	for (size_t i = 0; i < a->n_sources; i++) {
		const trawl_index_source_t *s = &a->sources[i];
		size_t n = affected(a, s->source);
		w_printf(o, "  %s (%s): %zu message%s; %s\n", s->source, s->kind ? s->kind : "unknown", n,
		         n == 1 ? "" : "s",
		         in_place(s->kind) ? "can be changed in place"
		                           : "cannot be changed in place: isolate until deletion is possible");
	}
	w_puts(o, "\nNothing was changed.\n");
}

trawl_status_t
trawl_report_erase(FILE *f, const trawl_access_t *a, trawl_format_t format)
{
	out_t o = {.f = f};
	plan_t *plans = NULL;
	size_t n_plans = 0;
	if (format != TRAWL_FORMAT_JSON && format != TRAWL_FORMAT_TEXT)
		return TRAWL_EUNSUPPORTED;
	plans = calloc(a->n_messages ? a->n_messages : 1, sizeof *plans);
	if (!plans) {
		w_check(&o, TRAWL_ENOMEM);
		goto done;
	}
	for (; n_plans < a->n_messages; n_plans++) {
		trawl_status_t rc = erase_plan(&a->messages[n_plans], &plans[n_plans]);
		if (rc < 0) {
			w_check(&o, rc);
			goto done;
		}
	}
	if (format == TRAWL_FORMAT_JSON)
		erase_json(&o, a, plans);
	else
		erase_text(&o, a, plans);
done:
	for (size_t i = 0; i < n_plans; i++)
		plan_clear(&plans[i]);
	free(plans);
	return w_end(&o);
}

/* ------------------------------------------------------------------ */
/* Stats                                                              */

static void
stats_json(out_t *o, const trawl_stats_t *s)
{
	w_printf(o, "{\"messages\": %" PRIu64 ", \"contacts\": %" PRIu64 ", \"appointments\": %" PRIu64 ",\n",
	         s->messages, s->contacts, s->appointments);
	w_puts(o, " \"findings\": ");
	json_by_type(o, s->findings, true);
	w_puts(o, ",\n \"sources\": [");
	for (size_t i = 0; i < s->n_sources; i++) {
		const trawl_index_source_t *src = &s->sources[i];
		w_puts(o, i ? ",\n  {" : "\n  {");
		w_puts(o, "\"source\": ");
		w_json(o, src->source);
		w_puts(o, ", \"kind\": ");
		w_json(o, src->kind);
		w_printf(o,
		         ", \"messages\": %" PRIu64 ", \"contacts\": %" PRIu64 ", \"appointments\": %" PRIu64
		         ", \"size\": %" PRIu64 ", \"mtime\": %" PRId64 ",\n   \"skipped\": [",
		         src->messages, src->contacts, src->appointments, src->size, src->mtime);
		for (size_t j = 0; j < src->n_skipped; j++) {
			w_puts(o, j ? ", {" : "{");
			w_puts(o, "\"location\": ");
			w_json(o, src->skipped[j].location);
			w_puts(o, ", \"reason\": ");
			w_json(o, src->skipped[j].reason);
			w_puts(o, "}");
		}
		w_puts(o, "]}");
	}
	w_puts(o, "]}\n");
}

static const char *
plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void
stats_text(out_t *o, const trawl_stats_t *s)
{
	uint64_t skipped = 0, total = 0;
	for (size_t i = 0; i < s->n_sources; i++)
		skipped += s->sources[i].n_skipped;
	w_printf(o, "%" PRIu64 " %s, %" PRIu64 " %s, %" PRIu64 " %s from %zu %s",
	         s->messages, plural(s->messages, "message", "messages"), s->contacts,
	         plural(s->contacts, "contact", "contacts"), s->appointments,
	         plural(s->appointments, "appointment", "appointments"), s->n_sources,
	         s->n_sources == 1 ? "source" : "sources");
	if (skipped)
		w_printf(o, "; %" PRIu64 " %s skipped", skipped, plural(skipped, "input", "inputs"));
	w_puts(o, "\n\nFindings:\n");
	for (int t = 0; t < TRAWL_TYPE_COUNT; t++) {
		total += s->findings[t];
		if (s->findings[t])
			w_printf(o, "  %-8s %10" PRIu64 "\n", trawl_type_name((trawl_type_t)t), s->findings[t]);
	}
	if (!total)
		w_puts(o, "  none\n");
	w_puts(o, "\nSources:\n");
	if (!s->n_sources)
		w_puts(o, "  none\n");
	for (size_t i = 0; i < s->n_sources; i++) {
		const trawl_index_source_t *src = &s->sources[i];
		w_printf(o, "  %s  [%s]  %" PRIu64 " %s", src->source, src->kind ? src->kind : "unknown", src->messages,
		         plural(src->messages, "message", "messages"));
		if (src->contacts)
			w_printf(o, ", %" PRIu64 " %s", src->contacts, plural(src->contacts, "contact", "contacts"));
		if (src->appointments)
			w_printf(o, ", %" PRIu64 " %s", src->appointments,
			         plural(src->appointments, "appointment", "appointments"));
		w_puts(o, "\n");
		for (size_t j = 0; j < src->n_skipped; j++)
			w_printf(o, "      skipped %s: %s\n", src->skipped[j].location, src->skipped[j].reason);
	}
}

trawl_status_t
trawl_report_stats(FILE *f, const trawl_stats_t *s, trawl_format_t format)
{
	out_t o = {.f = f};
	if (format == TRAWL_FORMAT_JSON)
		stats_json(&o, s);
	else if (format == TRAWL_FORMAT_TEXT)
		stats_text(&o, s);
	else
		return TRAWL_EUNSUPPORTED;
	return w_end(&o);
}

/* ------------------------------------------------------------------ */
/* People                                                             */

trawl_status_t
trawl_report_people(FILE *f, const trawl_people_t *people, trawl_format_t format)
{
	out_t o = {.f = f};
	if (format == TRAWL_FORMAT_JSON) {
		w_puts(&o, "{\"subjects\": [");
		for (size_t i = 0; i < people->len; i++) {
			const trawl_person_t *p = &people->items[i];
			w_puts(&o, i ? ",\n  {" : "\n  {");
			w_puts(&o, "\"email\": ");
			w_json(&o, p->email);
			w_puts(&o, ", \"names\": ");
			json_strv(&o, (const char *const *)p->names, p->n_names);
			w_printf(&o, ", \"messages\": %" PRIu64 ", \"sent\": %" PRIu64 ",\n   \"identifiers\": [",
			         p->messages, p->sent);
			for (size_t j = 0; j < p->n_linked; j++) {
				const trawl_linked_t *l = &p->linked[j];
				char *masked = trawl_mask(l->type, l->norm);
				w_puts(&o, j ? ", {\"type\": " : "{\"type\": ");
				w_json(&o, trawl_type_name(l->type));
				w_puts(&o, ", \"masked\": ");
				w_json(&o, masked ? masked : "");
				w_puts(&o, ", \"via\": ");
				w_json(&o, via_name(l->via));
				w_printf(&o, ", \"messages\": %" PRIu64 "}", l->messages);
				if (!masked)
					w_check(&o, TRAWL_ENOMEM);
				free(masked);
			}
			w_puts(&o, "]}");
		}
		w_printf(&o, "],\n \"summary\": {\"subjects\": %zu}}\n", people->len);
	} else if (format == TRAWL_FORMAT_CSV) {
		w_puts(&o, "email,names,messages,sent,identifiers\r\n");
		for (size_t i = 0; i < people->len; i++) {
			const trawl_person_t *p = &people->items[i];
			char *names = p->names ? g_strjoinv("; ", p->names) : g_strdup("");
			trawl_buf_t ids = {0};
			for (size_t j = 0; j < p->n_linked; j++) {
				char *masked = trawl_mask(p->linked[j].type, p->linked[j].norm);
				w_check(&o, masked ? trawl_buf_printf(&ids, "%s%s %s", j ? "; " : "",
				                                      trawl_type_name(p->linked[j].type), masked)
				                   : TRAWL_ENOMEM);
				free(masked);
			}
			w_csv(&o, p->email);
			w_puts(&o, ",");
			w_csv(&o, names);
			w_printf(&o, ",%" PRIu64 ",%" PRIu64 ",", p->messages, p->sent);
			w_csv(&o, trawl_buf_cstr(&ids));
			w_puts(&o, "\r\n");
			g_free(names);
			trawl_buf_free(&ids);
		}
	} else {
		return TRAWL_EUNSUPPORTED;
	}
	return w_end(&o);
}

/* ------------------------------------------------------------------ */
/* Retention                                                          */

static void
w_date(out_t *o, int64_t t, void (*put)(out_t *, const char *))
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	put(o, buf);
}

static void
retention_json(out_t *o, const trawl_retention_t *r)
{
	uint64_t n_sources = r->n_sources;
	w_puts(o, "{\"before\": ");
	w_date(o, r->before, w_json);
	w_printf(o, ",\n \"summary\": {\"messages\": %zu, \"sources\": %" PRIu64 ", \"undated\": %" PRIu64
	         ", \"by_type\": ", r->n_messages, n_sources, r->undated);
	json_by_type(o, r->by_type, false);
	w_puts(o, "},\n \"sources\": [");
	for (size_t i = 0; i < r->n_sources; i++) {
		const trawl_retention_source_t *s = &r->sources[i];
		w_puts(o, i ? ",\n  {" : "\n  {");
		w_puts(o, "\"source\": ");
		w_json(o, s->source);
		w_puts(o, ", \"kind\": ");
		w_json(o, s->kind);
		w_printf(o, ", \"messages\": %" PRIu64 ", \"oldest\": ", s->messages);
		w_date(o, s->oldest, w_json);
		w_puts(o, ", \"newest\": ");
		w_date(o, s->newest, w_json);
		w_puts(o, ", \"by_type\": ");
		json_by_type(o, s->by_type, false);
		w_puts(o, "}");
	}
	w_puts(o, "],\n \"messages\": [");
	for (size_t i = 0; i < r->n_messages; i++) {
		const trawl_retention_message_t *m = &r->messages[i];
		w_puts(o, i ? ",\n  {" : "\n  {");
		w_puts(o, "\"date\": ");
		w_json(o, m->date);
		w_puts(o, ", \"message_id\": ");
		w_json(o, m->message_id);
		w_puts(o, ", \"source\": ");
		w_json(o, m->source);
		w_puts(o, ", \"location\": ");
		w_json(o, m->location);
		w_puts(o, ", \"kind\": ");
		w_json(o, item_kind_name(m->kind));
		w_puts(o, ", \"by_type\": ");
		json_by_type(o, m->by_type, false);
		w_puts(o, "}");
	}
	w_puts(o, "]}\n");
}

static void
retention_csv(out_t *o, const trawl_retention_t *r)
{
	w_puts(o, "date,message_id,source,location,kind");
	for (int t = 0; t < TRAWL_TYPE_COUNT; t++)
		w_printf(o, ",%s", trawl_type_name((trawl_type_t)t));
	w_puts(o, "\r\n");
	for (size_t i = 0; i < r->n_messages; i++) {
		const trawl_retention_message_t *m = &r->messages[i];
		const char *fields[] = {m->date, m->message_id, m->source, m->location, item_kind_name(m->kind)};
		for (size_t k = 0; k < sizeof fields / sizeof *fields; k++) {
			w_puts(o, k ? "," : "");
			w_csv(o, fields[k] ? fields[k] : "");
		}
		for (int t = 0; t < TRAWL_TYPE_COUNT; t++)
			w_printf(o, ",%" PRIu64, m->by_type[t]);
		w_puts(o, "\r\n");
	}
}

trawl_status_t
trawl_report_retention(FILE *f, const trawl_retention_t *r, trawl_format_t format)
{
	out_t o = {.f = f};
	if (format == TRAWL_FORMAT_JSON)
		retention_json(&o, r);
	else if (format == TRAWL_FORMAT_CSV)
		retention_csv(&o, r);
	else
		return TRAWL_EUNSUPPORTED;
	return w_end(&o);
}
