/* Evidence in context for the HTML access report: the words around each
 * finding of the subject, read again from the message and masked.
 *
 * The index keeps offsets, never text. Each message is fetched again
 * (trawl_scan_fetch(), one walk per source, as access --format mbox does),
 * its bytes checked against the hash the scan kept, and scanned once more
 * on this thread (trawl_scan_buffer()) with the detectors plus one that
 * only records every decoded text it is handed. The scanner decodes the
 * same bytes the same way, so the index's offsets fall on the same words;
 * the detectors running again say so (a finding at the same place) and
 * find what the snippet must hide besides.
 *
 * What a snippet shows of other people is nothing: whatever the index or
 * the detectors call personal data, and whatever merely looks like it (an
 * address, a link, a long number, an IBAN-like string), is replaced. When
 * in doubt this masks too much, which a reader can live with; the other
 * way round would be a leak.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "index/evidence.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "detectors/detector.h" /* the recording detector: the one use of the interface outside detectors/ */
#include "util/util.h"

#define DOT "\xE2\x80\xA2" /* U+2022 BULLET, as trawl_mask() writes */

/* ------------------------------------------------------------------ */
/* Cutting and masking one snippet                                    */

static bool
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static bool
is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* n characters back from pos (UTF-8), not before lo. */
static size_t
back_chars(const char *t, size_t pos, size_t lo, size_t n)
{
	while (n-- && pos > lo) {
		pos--;
		while (pos > lo && is_cont((unsigned char)t[pos]))
			pos--;
	}
	return pos;
}

static size_t
fwd_chars(const char *t, size_t pos, size_t hi, size_t n)
{
	while (n-- && pos < hi) {
		pos++;
		while (pos < hi && is_cont((unsigned char)t[pos]))
			pos++;
	}
	return pos;
}

typedef struct {
	trawl_evidence__span_t *v;
	size_t n, cap;
} spans_t;

static trawl_status_t
spans_add(spans_t *s, size_t start, size_t end, trawl_seg_kind_t kind, trawl_type_t type, const char *mask)
{
	if (end <= start)
		return TRAWL_OK;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		trawl_evidence__span_t *v = realloc(s->v, cap * sizeof *v);
		if (!v)
			return TRAWL_ENOMEM;
		s->v = v, s->cap = cap;
	}
	s->v[s->n++] = (trawl_evidence__span_t){start, end, kind, type, mask};
	return TRAWL_OK;
}

static bool
local_char(unsigned char c)
{
	return trawl_is_alnum(c) || c >= 0x80 || strchr(".!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

static bool
domain_char(unsigned char c)
{
	return trawl_is_alnum(c) || c >= 0x80 || c == '.' || c == '-';
}

static bool
number_sep(unsigned char c)
{
	return c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')';
}

/* Does the group of letters and digits at t[i] hold a digit, or is it four
 * capitals (a bank code in a British IBAN)? */
static bool
iban_group(const char *t, size_t i, size_t hi)
{
	size_t j = i, caps = 0;
	bool digit = false;
	for (; j < hi && trawl_is_alnum((unsigned char)t[j]); j++) {
		digit |= trawl_is_digit((unsigned char)t[j]);
		caps += t[j] >= 'A' && t[j] <= 'Z';
	}
	return digit || (j - i == 4 && caps == 4);
}

/* What looks like personal data whoever it belongs to, in t[lo, hi):
 * links, e-mail addresses, IBAN-like strings, numbers with a run of four
 * digits or six digits in all. */
static trawl_status_t
patterns(spans_t *s, const char *t, size_t lo, size_t hi)
{
	static const char *const schemes[] = {"http://", "https://", "ftp://", "www.", NULL};
	trawl_status_t rc = TRAWL_OK;
	for (size_t i = lo; i < hi && rc == TRAWL_OK; i++) {
		unsigned char c = (unsigned char)t[i];
		bool boundary = i == lo || !trawl_is_alnum((unsigned char)t[i - 1]);
		/* links, to the next blank or quote */
		for (const char *const *p = schemes; boundary && *p; p++) {
			size_t n = strlen(*p);
			if (hi - i >= n && g_ascii_strncasecmp(t + i, *p, n) == 0) {
				size_t j = i + n;
				while (j < hi && !is_blank((unsigned char)t[j]) && !strchr("<>\"'`", t[j]))
					j++;
				while (j > i + n && strchr(".,;:!?)]", t[j - 1]))
					j--; /* the sentence's, not the link's */
				rc = spans_add(s, i, j, TRAWL_SEG_LINK, TRAWL_TYPE_CUSTOM, NULL);
				i = j;
				break;
			}
		}
		if (i >= hi || rc < 0)
			break;
		c = (unsigned char)t[i];
		if (c == '@') {
			size_t l = i, r = i + 1;
			while (l > lo && local_char((unsigned char)t[l - 1]))
				l--;
			while (r < hi && domain_char((unsigned char)t[r]))
				r++;
			while (r > i + 1 && (t[r - 1] == '.' || t[r - 1] == '-'))
				r--;
			if (l < i && r > i + 1)
				rc = spans_add(s, l, r, TRAWL_SEG_HIDDEN, TRAWL_TYPE_EMAIL, NULL);
			continue;
		}
		if (boundary && i + 3 < hi && trawl_is_alpha(c) && trawl_is_alpha((unsigned char)t[i + 1]) &&
		    trawl_is_digit((unsigned char)t[i + 2]) && trawl_is_digit((unsigned char)t[i + 3])) {
			size_t j = i + 4, alnum = 4;
			while (j < hi) {
				if (trawl_is_alnum((unsigned char)t[j]))
					alnum++, j++;
				else if (t[j] == ' ' && j + 1 < hi && trawl_is_alnum((unsigned char)t[j + 1]) &&
				         iban_group(t, j + 1, hi))
					j++;
				else
					break;
			}
			if (alnum >= 12) {
				rc = spans_add(s, i, j, TRAWL_SEG_HIDDEN, TRAWL_TYPE_IBAN, NULL);
				i = j - 1;
				continue;
			}
		}
		if (trawl_is_digit(c) || (c == '+' && i + 1 < hi && trawl_is_digit((unsigned char)t[i + 1]))) {
			size_t j = c == '+' ? i + 1 : i, last = j, digits = 0, run = 0, max_run = 0;
			while (j < hi) {
				if (trawl_is_digit((unsigned char)t[j])) {
					digits++, run++, j++, last = j;
					if (run > max_run)
						max_run = run;
					continue;
				}
				size_t k = j;
				while (k < hi && k - j < 3 && number_sep((unsigned char)t[k]))
					k++;
				if (k == j || k - j > 2 || k >= hi || !trawl_is_digit((unsigned char)t[k]))
					break;
				run = 0;
				j = k;
			}
			if (digits >= 6 || max_run >= 4)
				rc = spans_add(s, i, last, TRAWL_SEG_HIDDEN, TRAWL_TYPE_COUNT, NULL);
			i = last - 1;
		}
	}
	return rc;
}

static int
by_start(const void *a, const void *b)
{
	const trawl_evidence__span_t *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end > y->end ? -1 : x->end < y->end;
}

typedef struct {
	trawl_seg_t *v;
	size_t n, cap;
} segs_t;

static trawl_status_t
seg_add(segs_t *s, trawl_seg_kind_t kind, trawl_type_t type, const char *text, size_t len)
{
	char *copy = NULL;
	if (text && len == SIZE_MAX)
		len = strlen(text);
	if (text && !(copy = trawl_strndup(text, len)))
		return TRAWL_ENOMEM;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		trawl_seg_t *v = realloc(s->v, cap * sizeof *v);
		if (!v) {
			free(copy);
			return TRAWL_ENOMEM;
		}
		s->v = v, s->cap = cap;
	}
	s->v[s->n++] = (trawl_seg_t){kind, type, copy};
	return TRAWL_OK;
}

/* The text between spans: blanks and control characters folded into one
 * space. */
static trawl_status_t
seg_text(segs_t *s, const char *t, size_t len)
{
	trawl_buf_t b = {0};
	trawl_status_t rc = TRAWL_OK;
	bool space = false;
	for (size_t i = 0; i < len && rc == TRAWL_OK; i++) {
		unsigned char c = (unsigned char)t[i];
		if (is_blank(c) || c < 0x20 || c == 0x7F) {
			space = true;
			continue;
		}
		if (space)
			rc = trawl_buf_putc(&b, ' ');
		space = false;
		if (rc == TRAWL_OK)
			rc = trawl_buf_putc(&b, (char)c);
	}
	if (rc == TRAWL_OK && space)
		rc = trawl_buf_putc(&b, ' ');
	if (rc == TRAWL_OK && b.len)
		rc = seg_add(s, TRAWL_SEG_TEXT, TRAWL_TYPE_COUNT, b.data, b.len);
	trawl_buf_free(&b);
	return rc;
}

/* A run of spans that overlap, shown as one thing: the finding itself when
 * it is among them, else the subject's own identifier, else the longest
 * other's placeholder, else a number with its letters and digits as
 * bullets. */
static trawl_status_t
seg_cluster(segs_t *s, const char *t, const trawl_evidence__span_t *v, size_t n, size_t cs, size_t ce)
{
	const trawl_evidence__span_t *focus = NULL, *own = NULL, *other = NULL;
	for (size_t i = 0; i < n; i++) {
		const trawl_evidence__span_t *p = &v[i];
		size_t len = p->end - p->start;
		if (p->kind == TRAWL_SEG_FOCUS && !focus)
			focus = p;
		else if (p->kind == TRAWL_SEG_OWN && (!own || len > own->end - own->start))
			own = p;
		else if ((p->kind == TRAWL_SEG_LINK || (p->kind == TRAWL_SEG_HIDDEN && p->type != TRAWL_TYPE_COUNT)) &&
		         (!other || len > other->end - other->start))
			other = p;
	}
	if (focus)
		return seg_add(s, TRAWL_SEG_FOCUS, focus->type, focus->mask ? focus->mask : DOT DOT DOT, SIZE_MAX);
	if (own)
		return seg_add(s, TRAWL_SEG_OWN, own->type, own->mask ? own->mask : DOT DOT DOT, SIZE_MAX);
	if (other)
		return seg_add(s, other->kind, other->type, NULL, 0);
	trawl_buf_t b = {0};
	trawl_status_t rc = TRAWL_OK;
	for (size_t i = cs; i < ce && rc == TRAWL_OK; i++) {
		unsigned char c = (unsigned char)t[i];
		if (trawl_is_alnum(c))
			rc = trawl_buf_puts(&b, DOT);
		else if (!is_cont(c) && c >= 0x20)
			rc = trawl_buf_putc(&b, c >= 0x80 ? '?' : (char)c);
	}
	if (rc == TRAWL_OK)
		rc = seg_add(s, TRAWL_SEG_HIDDEN, TRAWL_TYPE_COUNT, trawl_buf_cstr(&b), b.len);
	trawl_buf_free(&b);
	return rc;
}

void
trawl_evidence__snippet_clear(trawl_snippet_t *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_segs; i++)
		free(s->segs[i].text);
	free(s->segs);
	memset(s, 0, sizeof *s);
}

trawl_status_t
trawl_evidence__cut(trawl_snippet_t *out, const char *t, size_t len, size_t start, size_t end,
                    const trawl_evidence__span_t *given, size_t n_given, size_t context, size_t *ws_out,
                    size_t *we_out)
{
	spans_t s = {0};
	segs_t segs = {0};
	trawl_status_t rc = TRAWL_OK;
	memset(out, 0, sizeof *out);
	if (end > len || start > end) {
		rc = TRAWL_EINVAL;
		goto done;
	}

	/* the window: context characters either side, to a word boundary
	 * when one is near (never past the finding) */
	size_t ws = back_chars(t, start, 0, context), we = fwd_chars(t, end, len, context);
	if (ws > 0 && trawl_is_wordish((unsigned char)t[ws - 1]))
		for (size_t i = ws; i < start && i < ws + 16; i++)
			if (!trawl_is_wordish((unsigned char)t[i])) {
				ws = i + 1;
				break;
			}
	if (we < len && trawl_is_wordish((unsigned char)t[we]))
		for (size_t i = we; i > end && i + 16 > we; i--)
			if (!trawl_is_wordish((unsigned char)t[i - 1])) {
				we = i - 1;
				break;
			}

	/* the patterns over a margin round it, so that a number or an address
	 * that crosses the window's edge is seen whole */
	size_t lo = back_chars(t, ws, 0, 256), hi = fwd_chars(t, we, len, 256);
	for (size_t i = 0; i < n_given && rc == TRAWL_OK; i++)
		if (given[i].end <= len && given[i].start < given[i].end)
			rc = spans_add(&s, given[i].start, given[i].end, given[i].kind, given[i].type, given[i].mask);
	if (rc == TRAWL_OK)
		rc = patterns(&s, t, lo, hi);
	if (rc < 0)
		goto done;

	/* widen the window over every span it cuts */
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t i = 0; i < s.n; i++) {
			const trawl_evidence__span_t *p = &s.v[i];
			if (p->start < we && p->end > ws && (p->start < ws || p->end > we)) {
				ws = p->start < ws ? p->start : ws;
				we = p->end > we ? p->end : we;
				changed = true;
			}
		}
	}

	/* the spans in it, by start; overlapping ones make one cluster */
	size_t n = 0;
	for (size_t i = 0; i < s.n; i++)
		if (s.v[i].start < we && s.v[i].end > ws)
			s.v[n++] = s.v[i];
	qsort(s.v, n, sizeof *s.v, by_start);
	size_t pos = ws;
	for (size_t i = 0; i < n && rc == TRAWL_OK;) {
		size_t j = i + 1, ce = s.v[i].end;
		while (j < n && s.v[j].start < ce) {
			if (s.v[j].end > ce)
				ce = s.v[j].end;
			j++;
		}
		size_t cs = s.v[i].start;
		if (cs > pos)
			rc = seg_text(&segs, t + pos, cs - pos);
		if (rc == TRAWL_OK)
			rc = seg_cluster(&segs, t, s.v + i, j - i, cs, ce);
		pos = ce;
		i = j;
	}
	if (rc == TRAWL_OK && pos < we)
		rc = seg_text(&segs, t + pos, we - pos);
	if (rc < 0)
		goto done;

	/* no blank at either end */
	if (segs.n && segs.v[0].kind == TRAWL_SEG_TEXT && segs.v[0].text[0] == ' ')
		memmove(segs.v[0].text, segs.v[0].text + 1, strlen(segs.v[0].text));
	if (segs.n && segs.v[segs.n - 1].kind == TRAWL_SEG_TEXT) {
		char *x = segs.v[segs.n - 1].text;
		size_t l = strlen(x);
		if (l && x[l - 1] == ' ')
			x[l - 1] = '\0';
	}
	out->found = true;
	out->cut_before = ws > 0;
	out->cut_after = we < len;
	out->segs = segs.v;
	out->n_segs = segs.n;
	segs.v = NULL, segs.n = 0;
	if (ws_out)
		*ws_out = ws;
	if (we_out)
		*we_out = we;
done:
	for (size_t i = 0; i < segs.n; i++)
		free(segs.v[i].text);
	free(segs.v);
	free(s.v);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Reading the messages again                                         */

/* One decoded text the scanner handed the detectors. */
typedef struct {
	char *part;
	char *text;
	size_t len;
} rtext_t;

/* The detector set of the second reading: the caller's detectors and the
 * recorder. The scanner hands the detectors &set, which is how the
 * recorder finds its list: set must stay the first member. Used by one
 * thread, on one message at a time. */
typedef struct {
	struct trawl_detector_set set;
	const trawl_detector_t **list;
	rtext_t *texts;
	size_t n_texts, cap;
} recset_t;

static trawl_status_t
record_text(const trawl_detector_set_t *set, trawl_findings_t *out, const trawl_text_t *t)
{
	recset_t *r = (recset_t *)set;
	(void)out;
	if (r->n_texts == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		rtext_t *v = realloc(r->texts, cap * sizeof *v);
		if (!v)
			return TRAWL_ENOMEM;
		r->texts = v, r->cap = cap;
	}
	rtext_t *x = &r->texts[r->n_texts];
	x->part = strdup(t->part ? t->part : "");
	x->text = trawl_strndup(t->text ? t->text : "", t->len);
	x->len = t->len;
	if (!x->part || !x->text) {
		free(x->part);
		free(x->text);
		return TRAWL_ENOMEM;
	}
	r->n_texts++;
	return TRAWL_OK;
}

static const trawl_detector_t recorder = {"evidence.recorder", TRAWL_TYPE_CUSTOM, record_text};

static void
texts_clear(recset_t *r)
{
	for (size_t i = 0; i < r->n_texts; i++) {
		free(r->texts[i].part);
		free(r->texts[i].text);
	}
	r->n_texts = 0;
}

typedef struct {
	const trawl_access_t *a;
	const trawl_evidence_opts_t *opts;
	trawl_evidence_t *ev;
	GHashTable *by_location; /* location of the source being read -> message index + 1 */
	recset_t rec;
	trawl_findings_t fresh;  /* what the detectors found in the message this time */
	GHashTable *names;       /* name norm -> KNOWN_OTHER or KNOWN_OWN */
	size_t max_snippets, context;
} collect_t;

static trawl_status_t
keep_findings(trawl_message_t *msg, void *payload)
{
	collect_t *c = payload;
	trawl_status_t rc = trawl_findings_take(&c->fresh, &msg->findings);
	trawl_message_free(msg);
	return rc;
}

/* Is the header part ("header:To", "2:header:Cc") one of the address
 * headers, whose findings the scanner takes from the parsed mailboxes
 * rather than from a text? Then no text was recorded for it. */
static const char *
header_name(const char *part)
{
	const char *h = part, *p;
	while ((p = strstr(h, "header:")))
		h = p + 7;
	return h == part ? NULL : h;
}

static bool
same_identity(trawl_type_t type, const char *a, const char *b)
{
	if (type != TRAWL_TYPE_CARD && type != TRAWL_TYPE_IBAN)
		return strcmp(a, b) == 0;
	/* the index keeps a masked form only: compare what both mask to */
	char *x = trawl_mask(type, a), *y = trawl_mask(type, b);
	bool same = x && y && strcmp(x, y) == 0;
	free(x);
	free(y);
	return same;
}

/* Is a finding made again one of the subject's identifiers? */
static bool
is_subjects(const trawl_access_t *a, const trawl_finding_t *g)
{
	for (size_t i = 0; i < a->n_identifiers; i++)
		if (a->identifiers[i].type == g->type && g->norm &&
		    same_identity(g->type, g->norm, a->identifiers[i].norm))
			return true;
	return false;
}

/* One finding of the subject, found again in a text. */
typedef struct {
	size_t fi; /* in the message's findings */
	const rtext_t *x;
	size_t start, end;
} loc_t;

/* Where the index's finding f stands in the texts read again: the text and
 * the offsets, checked against the detectors' second reading when there is
 * one (a finding of the same type at the same place, or else the same
 * identifier elsewhere in the part: the scanner changed). */
static const rtext_t *
locate(collect_t *c, const trawl_index_finding_t *f, size_t *start, size_t *end)
{
	const recset_t *r = &c->rec;
	bool check = c->opts->detectors != NULL;
	for (size_t i = 0; i < r->n_texts; i++) {
		const rtext_t *x = &r->texts[i];
		if (strcmp(x->part, f->part) != 0 || f->end > x->len || f->start >= f->end)
			continue;
		bool ok = !check;
		for (size_t j = 0; j < c->fresh.len && !ok; j++) {
			const trawl_finding_t *g = &c->fresh.items[j];
			ok = g->type == f->type && g->start == f->start && g->end == f->end &&
			     strcmp(g->part, f->part) == 0;
		}
		if (ok) {
			*start = f->start, *end = f->end;
			return x;
		}
	}
	for (size_t j = 0; j < c->fresh.len; j++) {
		const trawl_finding_t *g = &c->fresh.items[j];
		if (g->type != f->type || strcmp(g->part, f->part) != 0 || !g->norm ||
		    !same_identity(f->type, g->norm, f->value))
			continue;
		for (size_t i = 0; i < r->n_texts; i++) {
			const rtext_t *x = &r->texts[i];
			if (strcmp(x->part, f->part) == 0 && g->end <= x->len && g->start < g->end) {
				*start = g->start, *end = g->end;
				return x;
			}
		}
	}
	return NULL;
}

enum { KNOWN_OTHER = 1, KNOWN_OWN = 2 };

static bool
name_char(unsigned char c)
{
	return trawl_is_alpha(c) || c >= 0x80 || c == '-' || c == '\'';
}

/* Spans for what is known to be someone's wherever it stands in t[lo, hi),
 * whether or not a detector saw it there: names of people of the archive
 * and the subject's own names (two or three words, compared lower-case),
 * and the subject's own addresses. */
static trawl_status_t
known(collect_t *c, const char *t, size_t lo, size_t hi, spans_t *s, GPtrArray *masks)
{
	typedef struct {
		size_t s, e;
	} word_t;
	word_t *w = NULL;
	size_t n = 0, cap = 0;
	trawl_buf_t b = {0};
	trawl_status_t rc = TRAWL_OK;

	while (lo > 0 && is_cont((unsigned char)t[lo]))
		lo--;
	for (size_t i = lo; i < hi && rc == TRAWL_OK;) {
		if (!name_char((unsigned char)t[i]) || t[i] == '-' || t[i] == '\'') {
			i++;
			continue;
		}
		size_t j = i;
		while (j < hi && name_char((unsigned char)t[j]))
			j++;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			word_t *v = realloc(w, cap * sizeof *v);
			if (!v) {
				rc = TRAWL_ENOMEM;
				break;
			}
			w = v;
		}
		w[n++] = (word_t){i, j};
		i = j;
	}
	for (size_t i = 0; i < n && rc == TRAWL_OK && c->names; i++) {
		for (size_t len = 3; len >= 2; len--) {
			if (i + len > n)
				continue;
			bool blanks = true; /* the words stand apart by blanks only */
			for (size_t k = i; k + 1 < i + len && blanks; k++)
				for (size_t p = w[k].e; p < w[k + 1].s && blanks; p++)
					blanks = is_blank((unsigned char)t[p]);
			if (!blanks || w[i + len - 1].e - w[i].s > 120)
				continue;
			trawl_buf_reset(&b);
			for (size_t k = i; k < i + len && rc == TRAWL_OK; k++) {
				if (k > i)
					rc = trawl_buf_putc(&b, ' ');
				if (rc == TRAWL_OK)
					rc = trawl_buf_put(&b, t + w[k].s, w[k].e - w[k].s);
			}
			if (rc < 0 || !g_utf8_validate(trawl_buf_cstr(&b), -1, NULL))
				break;
			gchar *lower = g_utf8_strdown(trawl_buf_cstr(&b), -1);
			int who = GPOINTER_TO_INT(g_hash_table_lookup(c->names, lower));
			if (who == KNOWN_OWN) {
				char *mk = trawl_mask(TRAWL_TYPE_NAME, lower);
				if (mk) {
					g_ptr_array_add(masks, mk);
					rc = spans_add(s, w[i].s, w[i + len - 1].e, TRAWL_SEG_OWN, TRAWL_TYPE_NAME, mk);
				} else {
					rc = TRAWL_ENOMEM;
				}
			} else if (who == KNOWN_OTHER) {
				rc = spans_add(s, w[i].s, w[i + len - 1].e, TRAWL_SEG_HIDDEN, TRAWL_TYPE_NAME, NULL);
			}
			g_free(lower);
			if (who)
				break;
		}
	}
	/* the subject's addresses, in any case */
	for (size_t k = 0; k < c->a->n_identifiers && rc == TRAWL_OK; k++) {
		const trawl_identifier_t *id = &c->a->identifiers[k];
		size_t l = id->type == TRAWL_TYPE_EMAIL ? strlen(id->norm) : 0;
		for (size_t i = lo; l && i + l <= hi && rc == TRAWL_OK; i++)
			if (g_ascii_strncasecmp(t + i, id->norm, l) == 0) {
				char *mk = trawl_mask(TRAWL_TYPE_EMAIL, id->norm);
				if (!mk) {
					rc = TRAWL_ENOMEM;
					break;
				}
				g_ptr_array_add(masks, mk);
				rc = spans_add(s, i, i + l, TRAWL_SEG_OWN, TRAWL_TYPE_EMAIL, mk);
				i += l - 1;
			}
	}
	trawl_buf_free(&b);
	free(w);
	return rc;
}

/* The snippet of findings that stand close together in one text (loc, n
 * of them, by start): each is the focus; every other finding of the index
 * and of the second reading in the same part is a span. */
static trawl_status_t
text_snippet(collect_t *c, const trawl_index_message_t *m, const loc_t *loc, size_t n, trawl_snippet_t *out)
{
	const rtext_t *x = loc[0].x;
	const char *part = m->findings[loc[0].fi].part;
	spans_t s = {0};
	GPtrArray *masks = g_ptr_array_new_with_free_func(free); /* what the spans point to */
	size_t start = loc[0].start, end = loc[0].end;
	trawl_status_t rc = TRAWL_OK;

	for (size_t k = 0; k < n && rc == TRAWL_OK; k++) {
		const trawl_index_finding_t *f = &m->findings[loc[k].fi];
		char *mk = trawl_mask(f->type, f->value);
		if (!mk) {
			rc = TRAWL_ENOMEM;
			break;
		}
		g_ptr_array_add(masks, mk);
		rc = spans_add(&s, loc[k].start, loc[k].end, TRAWL_SEG_FOCUS, f->type, mk);
		start = loc[k].start < start ? loc[k].start : start;
		end = loc[k].end > end ? loc[k].end : end;
	}
	for (size_t j = 0; j < m->n_findings && rc == TRAWL_OK; j++) {
		const trawl_index_finding_t *g = &m->findings[j];
		bool focus = false;
		for (size_t k = 0; k < n && !focus; k++)
			focus = loc[k].fi == j;
		if (focus || strcmp(g->part, part) != 0)
			continue;
		if (g->subject) {
			char *mk = trawl_mask(g->type, g->value);
			if (!mk) {
				rc = TRAWL_ENOMEM;
				break;
			}
			g_ptr_array_add(masks, mk);
			rc = spans_add(&s, g->start, g->end, TRAWL_SEG_OWN, g->type, mk);
		} else {
			rc = spans_add(&s, g->start, g->end, TRAWL_SEG_HIDDEN, g->type, NULL);
		}
	}
	for (size_t j = 0; j < c->fresh.len && rc == TRAWL_OK; j++) {
		const trawl_finding_t *g = &c->fresh.items[j];
		if (strcmp(g->part, part) != 0)
			continue;
		if (g->norm && is_subjects(c->a, g)) {
			char *mk = trawl_mask(g->type, g->norm);
			if (!mk) {
				rc = TRAWL_ENOMEM;
				break;
			}
			g_ptr_array_add(masks, mk);
			rc = spans_add(&s, g->start, g->end, TRAWL_SEG_OWN, g->type, mk);
		} else {
			rc = spans_add(&s, g->start, g->end, TRAWL_SEG_HIDDEN, g->type, NULL);
		}
	}
	if (rc == TRAWL_OK) {
		/* the names and addresses known from elsewhere, in reach of the window */
		size_t lo = start > 6 * c->context ? start - 6 * c->context : 0;
		size_t hi = end + 6 * c->context < x->len ? end + 6 * c->context : x->len;
		rc = known(c, x->text, lo, hi, &s, masks);
	}
	if (rc == TRAWL_OK)
		rc = trawl_evidence__cut(out, x->text, x->len, start, end, s.v, s.n, c->context, NULL, NULL);
	out->finding = loc[0].fi;
	g_ptr_array_free(masks, TRUE);
	free(s.v);
	return rc;
}

/* An address header line, rebuilt from the index: "To: <name> <address>,
 * ...", the subject's masked, everyone else's a placeholder, at most
 * eight mailboxes and then how many more. */
static trawl_status_t
header_snippet(const trawl_index_message_t *m, size_t fi, trawl_snippet_t *out)
{
	const trawl_index_finding_t *f = &m->findings[fi];
	segs_t segs = {0};
	trawl_status_t rc = TRAWL_OK;
	size_t *order = malloc((m->n_findings ? m->n_findings : 1) * sizeof *order), n = 0, shown = 0, more = 0;
	trawl_buf_t b = {0};
	memset(out, 0, sizeof *out);
	if (!order)
		return TRAWL_ENOMEM;
	/* the mailboxes of the part, by where they stand: each address, and
	 * each name that stands beside none */
	for (size_t j = 0; j < m->n_findings; j++) {
		const trawl_index_finding_t *g = &m->findings[j];
		if (strcmp(g->part, f->part) != 0)
			continue;
		if (g->type == TRAWL_TYPE_NAME && g->pair < m->n_findings)
			continue;
		size_t k = n++;
		while (k > 0 && m->findings[order[k - 1]].start > g->start)
			order[k] = order[k - 1], k--;
		order[k] = j;
	}
	rc = trawl_buf_printf(&b, "%s: ", header_name(f->part));
	if (rc == TRAWL_OK)
		rc = seg_add(&segs, TRAWL_SEG_TEXT, TRAWL_TYPE_COUNT, b.data, b.len);
	for (size_t k = 0; k < n && rc == TRAWL_OK; k++) {
		const trawl_index_finding_t *g = &m->findings[order[k]], *name = NULL;
		bool mine = g->subject;
		for (size_t j = 0; j < m->n_findings && g->type != TRAWL_TYPE_NAME; j++)
			if (m->findings[j].type == TRAWL_TYPE_NAME && m->findings[j].pair == order[k] &&
			    strcmp(m->findings[j].part, f->part) == 0)
				name = &m->findings[j];
		mine |= name && name->subject;
		if (!mine && shown >= 8) {
			more++;
			continue;
		}
		if (shown++)
			rc = seg_add(&segs, TRAWL_SEG_TEXT, TRAWL_TYPE_COUNT, ", ", 2);
		const trawl_index_finding_t *parts[2] = {name, g};
		for (int p = 0; p < 2 && rc == TRAWL_OK; p++) {
			const trawl_index_finding_t *h = parts[p];
			if (!h)
				continue;
			if (p == 1 && name)
				rc = seg_add(&segs, TRAWL_SEG_TEXT, TRAWL_TYPE_COUNT, " <", 2);
			if (rc < 0)
				break;
			if (mine) {
				/* a name beside the subject's address is how they were addressed */
				char *mk = trawl_mask(h->type, h->value);
				trawl_seg_kind_t kind = h->subject ? TRAWL_SEG_FOCUS : TRAWL_SEG_OWN;
				rc = mk ? seg_add(&segs, kind, h->type, mk, SIZE_MAX) : TRAWL_ENOMEM;
				free(mk);
			} else {
				rc = seg_add(&segs, TRAWL_SEG_HIDDEN, h->type, NULL, 0);
			}
			if (rc == TRAWL_OK && p == 1 && name)
				rc = seg_add(&segs, TRAWL_SEG_TEXT, TRAWL_TYPE_COUNT, ">", 1);
		}
	}
	if (rc == TRAWL_OK && more) {
		trawl_buf_reset(&b);
		rc = trawl_buf_printf(&b, ", +%zu", more);
		if (rc == TRAWL_OK)
			rc = seg_add(&segs, TRAWL_SEG_TEXT, TRAWL_TYPE_COUNT, b.data, b.len);
	}
	if (rc == TRAWL_OK) {
		out->finding = fi;
		out->found = true;
		out->header = true;
		out->segs = segs.v;
		out->n_segs = segs.n;
	} else {
		for (size_t i = 0; i < segs.n; i++)
			free(segs.v[i].text);
		free(segs.v);
	}
	trawl_buf_free(&b);
	free(order);
	return rc;
}

static bool
has_text(const recset_t *r, const char *part)
{
	for (size_t i = 0; i < r->n_texts; i++)
		if (strcmp(r->texts[i].part, part) == 0)
			return true;
	return false;
}

static trawl_status_t
snippet_push(trawl_message_evidence_t *me, trawl_snippet_t *s)
{
	trawl_snippet_t *v = realloc(me->snippets, (me->n_snippets + 1) * sizeof *v);
	if (!v) {
		trawl_evidence__snippet_clear(s);
		return TRAWL_ENOMEM;
	}
	me->snippets = v;
	me->snippets[me->n_snippets++] = *s;
	return TRAWL_OK;
}

static int
loc_order(const void *a, const void *b)
{
	const loc_t *x = a, *y = b;
	if (x->x != y->x)
		return x->x < y->x ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->fi < y->fi ? -1 : x->fi > y->fi;
}

/* The snippets of one message read again: its listed findings, header
 * parts first. An address header is one line, however many of the
 * subject's findings it holds; findings close together in one text (a
 * signature, a row of a table) share one excerpt. */
static trawl_status_t
message_snippets(collect_t *c, size_t mi)
{
	const trawl_index_message_t *m = &c->a->messages[mi];
	trawl_message_evidence_t *me = &c->ev->messages[mi];
	size_t n, *v = trawl_report__listed(m, true, &n);
	loc_t *loc = calloc(n ? n : 1, sizeof *loc);
	const char **lines = calloc(n ? n : 1, sizeof *lines); /* address header parts shown */
	size_t n_lines = 0;
	trawl_status_t rc = v && loc && lines ? TRAWL_OK : TRAWL_ENOMEM;

	for (int pass = 0; pass < 2 && rc == TRAWL_OK; pass++) {
		size_t n_loc = 0;
		for (size_t k = 0; k < n && rc == TRAWL_OK; k++) {
			const trawl_index_finding_t *f = &m->findings[v[k]];
			if ((f->where == TRAWL_WHERE_HEADER) != (pass == 0))
				continue;
			trawl_snippet_t s = {0};
			/* the headers of a forwarded message ("2:header:To") are in an attachment */
			if (header_name(f->part) && !has_text(&c->rec, f->part)) {
				bool shown = false;
				for (size_t i = 0; i < n_lines && !shown; i++)
					shown = strcmp(lines[i], f->part) == 0;
				if (shown)
					continue;
				if (me->n_snippets >= c->max_snippets) {
					me->n_more++;
					continue;
				}
				lines[n_lines++] = f->part;
				rc = header_snippet(m, v[k], &s);
			} else {
				size_t start, end;
				const rtext_t *x = locate(c, f, &start, &end);
				if (x) {
					loc[n_loc++] = (loc_t){v[k], x, start, end};
					continue;
				}
				if (me->n_snippets >= c->max_snippets) {
					me->n_more++;
					continue;
				}
				s.finding = v[k]; /* not found again: said so */
			}
			if (rc == TRAWL_OK)
				rc = snippet_push(me, &s);
		}
		/* the text findings, in reading order, grouped while their
		 * windows would overlap */
		qsort(loc, n_loc, sizeof *loc, loc_order);
		for (size_t i = 0; i < n_loc && rc == TRAWL_OK;) {
			size_t j = i + 1, end = loc[i].end;
			while (j < n_loc && loc[j].x == loc[i].x && loc[j].start <= end + 2 * c->context &&
			       loc[j].end <= loc[i].start + 8 * c->context) {
				end = loc[j].end > end ? loc[j].end : end;
				j++;
			}
			if (me->n_snippets >= c->max_snippets) {
				me->n_more += j - i;
			} else {
				trawl_snippet_t s = {0};
				rc = text_snippet(c, m, loc + i, j - i, &s);
				if (rc == TRAWL_OK)
					rc = snippet_push(me, &s);
				else
					trawl_evidence__snippet_clear(&s);
			}
			i = j;
		}
	}
	free(lines);
	free(loc);
	free(v);
	return rc;
}

static trawl_status_t
on_fetched(const char *location, const char *raw, size_t len, trawl_status_t status, void *payload)
{
	collect_t *c = payload;
	size_t mi = GPOINTER_TO_SIZE(g_hash_table_lookup(c->by_location, location));
	if (!mi--)
		return TRAWL_OK;
	const trawl_index_message_t *m = &c->a->messages[mi];
	trawl_message_evidence_t *me = &c->ev->messages[mi];
	if (status == TRAWL_EUNSUPPORTED) {
		me->status = TRAWL_EVIDENCE_NO_TEXT;
		return TRAWL_OK;
	}
	if (status < 0) {
		me->status = TRAWL_EVIDENCE_GONE;
		return TRAWL_OK;
	}
	if (m->content_hash && *m->content_hash) {
		char hash[65];
		trawl_sha256_hex(hash, raw, len);
		if (strcmp(hash, m->content_hash) != 0) {
			/* what stands there now may be someone else's */
			me->status = TRAWL_EVIDENCE_CHANGED;
			return TRAWL_OK;
		}
	}
	texts_clear(&c->rec);
	trawl_findings_clear(&c->fresh);
	trawl_scan_opts_t so = {.detectors = &c->rec.set, .limits = c->opts->limits, .stop = c->opts->stop};
	trawl_status_t rc = trawl_scan_buffer(&so, location, raw, len, keep_findings, NULL, c);
	if (rc == TRAWL_EINTR || rc == TRAWL_ENOMEM)
		return rc;
	/* anything else: what could be read is there; what could not, is not found */
	me->status = TRAWL_EVIDENCE_READ;
	rc = message_snippets(c, mi);
	texts_clear(&c->rec);
	trawl_findings_clear(&c->fresh);
	return rc;
}

void
trawl_evidence_free(trawl_evidence_t *ev)
{
	if (!ev)
		return;
	for (size_t i = 0; i < ev->n_messages; i++) {
		trawl_message_evidence_t *me = &ev->messages[i];
		for (size_t j = 0; j < me->n_snippets; j++)
			trawl_evidence__snippet_clear(&me->snippets[j]);
		free(me->snippets);
	}
	free(ev->messages);
	free(ev);
}

trawl_status_t
trawl_evidence_collect(trawl_evidence_t **out, const trawl_access_t *a, const trawl_evidence_opts_t *opts)
{
	static const trawl_evidence_opts_t defaults = {0};
	collect_t c = {.a = a, .opts = opts ? opts : &defaults};
	const char **locations = NULL;
	GHashTable *sources = NULL; /* source -> 1 once read */
	trawl_status_t rc = TRAWL_OK;
	size_t n_det = 0;

	*out = NULL;
	c.max_snippets = c.opts->max_snippets ? c.opts->max_snippets : 5;
	c.context = c.opts->context ? c.opts->context : 40;
	if (!(c.ev = calloc(1, sizeof *c.ev)) ||
	    !(c.ev->messages = calloc(a->n_messages ? a->n_messages : 1, sizeof *c.ev->messages)) ||
	    !(locations = calloc(a->n_messages ? a->n_messages : 1, sizeof *locations))) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	c.ev->n_messages = a->n_messages;

	/* the caller's detectors, then the recorder */
	if (c.opts->detectors) {
		c.rec.set = *c.opts->detectors;
		while (c.opts->detectors->detectors[n_det])
			n_det++;
	}
	if (!(c.rec.list = calloc(n_det + 2, sizeof *c.rec.list))) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < n_det; i++)
		c.rec.list[i] = c.opts->detectors->detectors[i];
	c.rec.list[n_det] = &recorder;
	c.rec.set.detectors = c.rec.list;

	c.by_location = g_hash_table_new(g_str_hash, g_str_equal);
	sources = g_hash_table_new(g_str_hash, g_str_equal);
	c.names = g_hash_table_new(g_str_hash, g_str_equal);
	for (size_t i = 0; i < c.opts->n_names; i++)
		if (c.opts->names[i] && strchr(c.opts->names[i], ' '))
			g_hash_table_insert(c.names, (gpointer)c.opts->names[i], GINT_TO_POINTER(KNOWN_OTHER));
	for (size_t i = 0; i < a->n_identifiers; i++)
		if (a->identifiers[i].type == TRAWL_TYPE_NAME && strchr(a->identifiers[i].norm, ' '))
			g_hash_table_insert(c.names, a->identifiers[i].norm, GINT_TO_POINTER(KNOWN_OWN));
	trawl_scan_opts_t so = {.limits = c.opts->limits, .stop = c.opts->stop};
	/* one walk per source, in the order the messages come */
	for (size_t i = 0; i < a->n_messages && rc == TRAWL_OK; i++) {
		const char *source = a->messages[i].source;
		if (g_hash_table_contains(sources, source))
			continue;
		g_hash_table_add(sources, (gpointer)source);
		g_hash_table_remove_all(c.by_location);
		size_t n = 0;
		for (size_t j = i; j < a->n_messages; j++)
			if (strcmp(a->messages[j].source, source) == 0 &&
			    !g_hash_table_contains(c.by_location, a->messages[j].location)) {
				g_hash_table_insert(c.by_location, a->messages[j].location, GSIZE_TO_POINTER(j + 1));
				locations[n++] = a->messages[j].location;
			}
		rc = trawl_scan_fetch(&so, source, locations, n, on_fetched, &c);
		if (rc == TRAWL_ENOTFOUND || rc == TRAWL_EIO)
			rc = TRAWL_OK; /* the source is gone: its messages say so below */
		for (size_t j = i; j < a->n_messages && rc == TRAWL_OK; j++)
			if (strcmp(a->messages[j].source, source) == 0 &&
			    c.ev->messages[j].status == TRAWL_EVIDENCE_NOT_READ)
				c.ev->messages[j].status = TRAWL_EVIDENCE_GONE;
	}
	for (size_t i = 0; i < a->n_messages; i++) {
		switch (c.ev->messages[i].status) {
		case TRAWL_EVIDENCE_READ: c.ev->n_read++; break;
		case TRAWL_EVIDENCE_GONE: c.ev->n_gone++; break;
		case TRAWL_EVIDENCE_CHANGED: c.ev->n_changed++; break;
		case TRAWL_EVIDENCE_NO_TEXT: c.ev->n_no_text++; break;
		default: break;
		}
	}
done:
	if (rc == TRAWL_OK || rc == TRAWL_EINTR) {
		*out = c.ev;
		c.ev = NULL;
	}
	trawl_evidence_free(c.ev);
	texts_clear(&c.rec);
	free(c.rec.texts);
	free(c.rec.list);
	trawl_findings_clear(&c.fresh);
	if (c.by_location)
		g_hash_table_destroy(c.by_location);
	if (c.names)
		g_hash_table_destroy(c.names);
	if (sources)
		g_hash_table_destroy(sources);
	free(locations);
	return rc;
}
