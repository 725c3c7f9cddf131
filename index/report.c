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

/* The findings of a message worth listing: of the subject (or not), each
 * (type, where, value) once, in the message's order. Indexes into
 * m->findings; the caller frees the array. */
static size_t *
listed_findings(const trawl_index_message_t *m, bool subject, size_t *n_out)
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
		size_t n, *v = listed_findings(&a->messages[i], true, &n);
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

/* The same in words, for the page a person reads: "" or " (in the signature of your mail)" ... */
static const char *
via_words(trawl_link_kind_t via)
{
	switch (via) {
	case TRAWL_LINK_HEADER: return " (beside your address in mail headers)";
	case TRAWL_LINK_SIGNATURE: return " (in the signature of your mail)";
	case TRAWL_LINK_RECORD: return " (with your address in a contact record)";
	case TRAWL_LINK_NEAR: return " (next to your name)";
	default: return "";
	}
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
	size_t n, *v = listed_findings(m, true, &n);
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
	size_t n, *v = listed_findings(m, subject, &n);
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

static const char html_style[] =
	"body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d2330;margin:0;"
	"background:#f5f6f8}\n"
	"main{max-width:1100px;margin:0 auto;padding:2em 1.5em}\n"
	"h1{font-size:1.6em;margin:0 0 .2em}h2{font-size:1.2em;margin:2em 0 .6em}\n"
	".lead{color:#4a5264;margin:0 0 1.5em}\n"
	".cards{display:flex;flex-wrap:wrap;gap:.8em}\n"
	".card{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:.7em 1.1em;min-width:8em}\n"
	".card b{display:block;font-size:1.5em}\n"
	"table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #dde1e8}\n"
	"th,td{text-align:left;vertical-align:top;padding:.45em .7em;border-bottom:1px solid #e8ebf0}\n"
	"th{background:#eef1f5;font-weight:600}\n"
	"td.loc{font-family:ui-monospace,monospace;font-size:.85em;word-break:break-all;color:#4a5264}\n"
	"ul.ev{margin:0;padding-left:1.1em}\n"
	".tag{display:inline-block;font-size:.8em;padding:0 .45em;border-radius:4px;background:#e3e9f7;"
	"margin-right:.3em}\n"
	"footer{color:#6b7385;font-size:.85em;margin-top:2em}\n"
	".restricted{background:#fff4e5;border:1px solid #f0b35a;border-radius:8px;padding:.7em 1.1em;"
	"margin:0 0 1.5em}\n"
	"@media print{body{background:#fff}.card,table{border-color:#999}}\n";

static void
access_html(out_t *o, const trawl_access_t *a, const uint64_t by_type[TRAWL_TYPE_COUNT])
{
	w_puts(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	          "style-src 'unsafe-inline'\">\n"
	          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	          "<title>Personal data report</title>\n<style>\n");
	w_puts(o, html_style);
	w_puts(o, "</style>\n</head>\n<body>\n<main>\n<h1>Personal data report</h1>\n<p class=\"lead\">"
	          "The messages in which we found data about you, and what we found. Values are partly "
	          "hidden (&bull;) so that this page is safe to send; the messages themselves are "
	          "available on request.</p>\n");
	if (a->restricted) {
		w_puts(o, "<p class=\"restricted\" role=\"note\"><b>Restricted.</b> ");
		restricted_line(o, a, w_html);
		w_puts(o, "</p>\n");
	}

	w_puts(o, "<h2>Who we searched for</h2>\n<ul>\n");
	for (size_t i = 0; i < a->n_identifiers; i++) {
		w_puts(o, "<li>");
		w_html(o, trawl_type_name(a->identifiers[i].type));
		w_puts(o, ": ");
		w_html(o, a->identifiers[i].norm);
		w_html(o, via_words(a->identifiers[i].via));
		w_puts(o, "</li>\n");
	}
	w_puts(o, "</ul>\n<h2>Summary</h2>\n<div class=\"cards\">\n");
	w_printf(o, "<div class=\"card\"><b>%zu</b>messages</div>\n", a->n_messages);
	w_printf(o, "<div class=\"card\"><b>%zu</b>sources</div>\n", a->n_sources);
	for (int t = 0; t < TRAWL_TYPE_COUNT; t++) {
		if (!by_type[t])
			continue;
		w_printf(o, "<div class=\"card\"><b>%" PRIu64 "</b>", by_type[t]);
		w_html(o, trawl_type_name((trawl_type_t)t));
		w_puts(o, by_type[t] == 1 ? " finding</div>\n" : " findings</div>\n");
	}
	w_puts(o, "</div>\n<h2>Messages, oldest first</h2>\n");
	if (a->n_messages == 0) {
		w_puts(o, "<p>None: the index holds no message with these identifiers.</p>\n");
	} else {
		w_puts(o, "<table>\n<thead><tr><th>Date</th><th>From</th><th>Subject</th><th>What we found</th>"
		          "<th>Where it is kept</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < a->n_messages; i++) {
			const trawl_index_message_t *m = &a->messages[i];
			size_t n, *v = listed_findings(m, true, &n);
			if (!v) {
				w_check(o, TRAWL_ENOMEM);
				break;
			}
			w_puts(o, "<tr><td>");
			w_html(o, m->date ? m->date : "unknown");
			w_puts(o, "</td><td>");
			w_html(o, m->from ? m->from : "");
			w_puts(o, "</td><td>");
			w_html(o, m->subject ? m->subject : "");
			w_puts(o, "</td><td><ul class=\"ev\">");
			for (size_t j = 0; j < n; j++) {
				const trawl_index_finding_t *f = &m->findings[v[j]];
				char *masked = trawl_mask(f->type, f->value);
				w_puts(o, "<li><span class=\"tag\">");
				w_html(o, trawl_type_name(f->type));
				w_puts(o, "</span>");
				w_html(o, masked ? masked : "");
				w_puts(o, " <small>(");
				w_html(o, trawl_where_name(f->where));
				w_puts(o, ")</small></li>");
				if (!masked)
					w_check(o, TRAWL_ENOMEM);
				free(masked);
			}
			w_puts(o, "</ul></td><td class=\"loc\">");
			w_html(o, m->location);
			if (m->message_id) {
				w_puts(o, "<br>");
				w_html(o, m->message_id);
			}
			w_puts(o, "</td></tr>\n");
			free(v);
		}
		w_puts(o, "</tbody>\n</table>\n");
	}
	w_puts(o, "<footer>Made by trawl " /* no version: reports should not change with it */
	          "from its index of our mail archives.</footer>\n</main>\n</body>\n</html>\n");
}

trawl_status_t
trawl_report_access(FILE *f, const trawl_access_t *a, trawl_format_t format)
{
	out_t o = {.f = f};
	uint64_t by_type[TRAWL_TYPE_COUNT];
	if (format != TRAWL_FORMAT_JSON && format != TRAWL_FORMAT_CSV && format != TRAWL_FORMAT_HTML)
		return TRAWL_EUNSUPPORTED;
	w_check(&o, count_by_type(a, by_type));
	if (o.rc == TRAWL_OK) {
		if (format == TRAWL_FORMAT_JSON)
			access_json(&o, a, by_type);
		else if (format == TRAWL_FORMAT_CSV)
			access_csv(&o, a);
		else
			access_html(&o, a, by_type);
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

static void
erase_json(out_t *o, const trawl_access_t *a, const plan_t *plans)
{
	size_t n_delete = 0, n_redact = 0;
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
		w_puts(o, "}");
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
		w_printf(o, ", \"messages\": %zu, \"in_place\": %s}", affected(a, s->source),
		         in_place(s->kind) ? "true" : "false");
	}
	w_printf(o,
	         "],\n \"summary\": {\"messages\": %zu, \"delete\": %zu, \"redact\": %zu, \"sources\": %zu, "
	         "\"changed\": false}}\n",
	         a->n_messages, n_delete, n_redact, a->n_sources);
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
		         in_place(s->kind) ? "can be changed in place" : "cannot be changed in place: rewrite or replace it");
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
