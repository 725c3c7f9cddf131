/* Mailboxes of address headers (From, To, Cc, ...), which the message
 * parser has already split into display name and addr-spec, and the
 * normalisers for email addresses and names.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "detectors/detector.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <glib.h>
#include "util/util.h"

/* g_malloc'd string -> malloc'd string (the contract of the normalisers). */
static char *
to_malloc(gchar *g)
{
	if (!g)
		return NULL;
	char *s = strdup(g);
	g_free(g);
	return s;
}

static bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* What a byte of an address is to trawl_norm_email(): one it refuses
 * (blanks and controls, < > , ; and DEL), an ASCII capital, or one from
 * 0x80. */
enum { EB_BAD = 1, EB_UPPER = 2, EB_HIGH = 4 };
static const uint8_t email_byte[256] = {
#define EB4(x) x, x, x, x
#define EB16(x) EB4(x), EB4(x), EB4(x), EB4(x)
	/* 0x00 - 0x1F */ EB16(EB_BAD), EB16(EB_BAD),
	/* ' ' */ EB_BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* ',' */ EB_BAD, 0, 0, 0,
	/* 0x30 - 0x3F: digits : ; < = > ? */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, EB_BAD, EB_BAD, 0, EB_BAD, 0,
	/* '@' */ 0,
	/* 'A' - 'Z' */ EB16(EB_UPPER), EB4(EB_UPPER), EB4(EB_UPPER), EB_UPPER, EB_UPPER,
	/* [ \ ] ^ _ ` a - z { | } ~ */ 0, 0, 0, 0, 0, 0, EB16(0), EB4(0), EB4(0), 0, 0, 0, 0, 0, 0,
	/* DEL */ EB_BAD,
	/* 0x80 - 0xFF */ EB16(EB_HIGH), EB16(EB_HIGH), EB16(EB_HIGH), EB16(EB_HIGH),
	EB16(EB_HIGH), EB16(EB_HIGH), EB16(EB_HIGH), EB16(EB_HIGH),
#undef EB16
#undef EB4
};

char *
trawl_norm_email(const char *s, size_t len)
{
	if (!s)
		return NULL;
	while (len && is_space((unsigned char)*s))
		s++, len--;
	while (len && is_space((unsigned char)s[len - 1]))
		len--;
	if (len >= 2 && s[0] == '<' && s[len - 1] == '>')
		s++, len -= 2;
	if (len > 7 && (s[0] | 0x20) == 'm' && strncasecmp(s, "mailto:", 7) == 0) /* 'm' first: no call */
		s += 7, len -= 7;
	while (len && s[len - 1] == '.')
		len--;
	const char *at = len ? memchr(s, '@', len) : NULL;
	if (!at || at == s || at == s + len - 1)
		return NULL;
	if (memchr(at + 1, '@', len - (size_t)(at + 1 - s)))
		return NULL;
	/* checked, copied and lower-cased in one pass: most addresses are
	 * ASCII and good */
	char *out = malloc(len + 1);
	if (!out)
		return NULL;
	unsigned seen = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned k = email_byte[c];
		if (k & EB_BAD) {
			free(out);
			return NULL;
		}
		seen |= k;
		out[i] = (char)(k & EB_UPPER ? c + 32 : c);
	}
	out[len] = '\0';
	/* ASCII without a NUL (taken out above) is valid UTF-8 */
	if (seen & EB_HIGH) {
		free(out);
		if (!g_utf8_validate(s, (gssize)len, NULL))
			return NULL;
		return to_malloc(g_utf8_strdown(s, (gssize)len));
	}
	return out;
}

/* Display names are mostly ASCII, and glib's classes of a code point are
 * table look-ups behind a call: ASCII is answered here, as glib would.
 * The code point at p (valid UTF-8) and where the next one starts. */
static gunichar
next_cp(const char *p, const char **next)
{
	if ((unsigned char)*p < 0x80) {
		*next = p + 1;
		return (unsigned char)*p;
	}
	*next = g_utf8_next_char(p);
	return g_utf8_get_char(p);
}

/* g_unichar_isspace(): of ASCII, the blank and \t \n \r \f (not \v). */
static bool
cp_is_space(gunichar c)
{
	if (c < 0x80)
		return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
	return g_unichar_isspace(c);
}

/* g_unichar_isalpha(): of ASCII, the letters. */
static bool
cp_is_alpha(gunichar c)
{
	if (c < 0x80)
		return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
	return g_unichar_isalpha(c);
}

/* g_unichar_ismark(): no ASCII character is a mark. */
static bool
cp_is_mark(gunichar c)
{
	return c >= 0x80 && g_unichar_ismark(c);
}

/* Quotes and other marks that may stand round a name. */
static bool
is_trim_char(gunichar c)
{
	if (c < 0x80)
		return !cp_is_alpha(c) && !(c >= '0' && c <= '9');
	return !g_unichar_isalnum(c) && !g_unichar_ismark(c);
}

/* g_utf8_strdown(s, -1) (s valid UTF-8): ASCII lower-cases to ASCII, in
 * the C locale trawl runs in, so a string of ASCII is lowered here. */
static gchar *
utf8_strdown(const gchar *s)
{
	const char *p = s;
	while (*p && (unsigned char)*p < 0x80)
		p++;
	if (*p)
		return g_utf8_strdown(s, -1);
	gchar *d = g_strdup(s);
	for (char *q = d; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q + 32);
	return d;
}

/* Titles dropped from the front of a name ("Dr. Erika Mustermann"). */
static bool
is_title(const char *w, size_t n)
{
	/* compared by length first: asked of the first word of every name */
	static const struct {
		char s[5];
		uint8_t n;
	} titles[] = {{"dr", 2}, {"prof", 4}, {"mr", 2}, {"mrs", 3}, {"ms", 2}, {"mx", 2}, {"herr", 4},
	              {"frau", 4}, {"mme", 3}, {"mlle", 4}, {"sir", 3}, {"dame", 4}};
	if (n && w[n - 1] == '.')
		n--;
	if (n < 2 || n > 4)
		return false;
	for (size_t i = 0; i < sizeof titles / sizeof *titles; i++)
		if (titles[i].n == n && memcmp(w, titles[i].s, n) == 0)
			return true;
	return false;
}

/* Appends the words of s (lower-cased already) to b, single-spaced, and
 * counts them. Text in parentheses or brackets is a comment, not a name. */
static void
put_words(GString *b, const char *s, size_t *words)
{
	int depth = 0;
	bool in_word = false;
	const char *next;
	for (const char *p = s; *p; p = next) {
		gunichar c = next_cp(p, &next);
		if (c == '(' || c == '[') {
			depth++;
			in_word = false;
			continue;
		}
		if ((c == ')' || c == ']') && depth > 0) {
			depth--;
			continue;
		}
		if (depth > 0)
			continue;
		if (cp_is_space(c) || c == ',' || c == '"' || c == 0x201C || c == 0x201D || c == 0x201E ||
		    c == 0xAB || c == 0xBB) {
			in_word = false;
			continue;
		}
		if (!in_word) {
			if (b->len)
				g_string_append_c(b, ' ');
			(*words)++;
			in_word = true;
		}
		if (c < 0x80)
			g_string_append_c(b, (gchar)c);
		else
			g_string_append_unichar(b, c);
	}
}

/* Truncates s before the first word made of dashes only, if any word
 * stands before it. */
static void
cut_at_dash(char *s)
{
	bool seen_word = false;
	char *w = s;
	const char *next;
	while (*w) {
		while (*w && cp_is_space(next_cp(w, &next)))
			w = (char *)next;
		if (!*w)
			break;
		char *e = w;
		bool dashes = true;
		gunichar c;
		while (*e && !cp_is_space(c = next_cp(e, &next))) {
			dashes &= c == '-' || c == 0x2013 || c == 0x2014;
			e = (char *)next;
		}
		if (dashes && seen_word) {
			*w = '\0';
			return;
		}
		seen_word |= !dashes;
		w = e;
	}
}

/* ---- trawl_norm_name() of ASCII ---- */

/* put_words() of s[0, n) (ASCII, lower case already), appended to
 * out[0, *olen), which has room for n more bytes: a space only ever stands
 * for at least one separator of s. */
static void
put_words_ascii(char *out, size_t *olen, const char *s, size_t n, size_t *words)
{
	/* what put_words() makes of a byte: an opening or closing bracket,
	 * a separator (cp_is_space(), ',' and '"'), or (0) part of a word */
	enum { PW_OPEN = 1, PW_CLOSE, PW_SEP };
	static const uint8_t pw_class[128] = {
		['('] = PW_OPEN, ['['] = PW_OPEN, [')'] = PW_CLOSE, [']'] = PW_CLOSE,
		[' '] = PW_SEP, ['\t'] = PW_SEP, ['\n'] = PW_SEP, ['\r'] = PW_SEP, ['\f'] = PW_SEP,
		[','] = PW_SEP, ['"'] = PW_SEP,
	};
	int depth = 0;
	bool in_word = false;
	size_t w = *olen;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		unsigned k = pw_class[(unsigned char)c & 0x7F];
		if (k == PW_OPEN) {
			depth++;
			in_word = false;
			continue;
		}
		if (k == PW_CLOSE && depth > 0) {
			depth--;
			continue;
		}
		if (depth > 0)
			continue;
		if (k == PW_SEP) {
			in_word = false;
			continue;
		}
		if (!in_word) {
			if (w)
				out[w++] = ' ';
			(*words)++;
			in_word = true;
		}
		out[w++] = c;
	}
	*olen = w;
}

static bool
is_ascii_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* trawl_norm_name() of s[0, len), bytes 0x01 to 0x7F only, which is valid
 * UTF-8 that g_utf8_make_valid() copies as it is and whose code points
 * are its bytes: the same steps on bytes, in two buffers, without glib's
 * strings (display names are mostly ASCII; this was 3,000 instructions a
 * name). */
static char *
norm_name_ascii(const char *s, size_t len)
{
	char stack[2][256];
	char *lower = len < sizeof stack[0] ? stack[0] : malloc(len + 1);
	char *b = len < sizeof stack[1] ? stack[1] : malloc(len + 1);
	char *out = NULL;
	if (!lower || !b)
		goto done;
	bool dash = false;
	for (size_t i = 0; i < len; i++) {
		lower[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
		dash |= s[i] == '-';
	}
	lower[len] = '\0';
	/* a word of dashes alone needs a '-' (most names have none) */
	if (dash)
		cut_at_dash(lower);
	size_t n = strlen(lower), blen = 0, words = 0;

	const char *comma = memchr(lower, ',', n);
	if (comma && !memchr(comma + 1, ',', n - (size_t)(comma + 1 - lower))) {
		/* "Last, First": the first names, a space, the last names
		 * (put_words() into two strings, joined) */
		size_t wl = 0, wf = 0, cut;
		put_words_ascii(b, &blen, comma + 1, n - (size_t)(comma + 1 - lower), &wf);
		cut = blen;
		size_t llen = 0;
		char *lb = b + blen + 1; /* room: blen + 1 + (comma - lower) <= n */
		put_words_ascii(lb, &llen, lower, (size_t)(comma - lower), &wl);
		if (wf && wl) {
			b[cut] = ' ';
			blen = cut + 1 + llen;
		} else {
			blen = 0;
			put_words_ascii(b, &blen, lower, n, &words);
		}
	} else {
		put_words_ascii(b, &blen, lower, n, &words);
	}
	b[blen] = '\0';

	/* surrounding quotes and punctuation */
	char *p = b, *e = b + blen;
	while (*p && !is_ascii_alnum((unsigned char)*p))
		p++;
	while (e > p && !is_ascii_alnum((unsigned char)e[-1]))
		e--;
	*e = '\0';

	/* titles, as long as a name remains */
	for (;;) {
		char *sp = strchr(p, ' ');
		if (!sp || !is_title(p, (size_t)(sp - p)))
			break;
		p = sp + 1;
		while (*p && !is_ascii_alnum((unsigned char)*p))
			p++;
	}
	out = *p ? strdup(p) : NULL;
done:
	if (lower != stack[0])
		free(lower);
	if (b != stack[1])
		free(b);
	return out;
}

char *
trawl_norm_name(const char *s, size_t len)
{
	if (!s)
		return NULL;
	size_t i = 0;
	while (i < len && (unsigned char)s[i] - 1u < 0x7Fu)
		i++;
	if (i == len)
		return norm_name_ascii(s, len);
	char *out = NULL;
	gchar *valid = g_utf8_make_valid(s, (gssize)len);
	gchar *lower = utf8_strdown(valid);
	GString *b = g_string_new(NULL);
	size_t words = 0;

	/* "Huang, Mingway -- Mingway Huang", "Diego Rappazzo - Sales": a dash
	 * standing alone ends the name; what follows is a gloss */
	cut_at_dash(lower);

	/* "Last, First" -> "First Last": one comma with words on both sides */
	const char *comma = strchr(lower, ',');
	if (comma && !strchr(comma + 1, ',')) {
		gchar *last = g_strndup(lower, (gsize)(comma - lower));
		size_t wl = 0, wf = 0;
		GString *lb = g_string_new(NULL);
		put_words(b, comma + 1, &wf);
		put_words(lb, last, &wl);
		if (wf && wl) {
			g_string_append_c(b, ' ');
			g_string_append(b, lb->str);
			words = wf + wl;
		} else {
			g_string_truncate(b, 0);
			put_words(b, lower, &words);
		}
		g_string_free(lb, TRUE);
		g_free(last);
	} else {
		put_words(b, lower, &words);
	}

	/* surrounding quotes and punctuation */
	char *p = b->str;
	while (*p && is_trim_char(g_utf8_get_char(p)))
		p = g_utf8_next_char(p);
	char *e = b->str + b->len;
	while (e > p) {
		char *prev = g_utf8_prev_char(e);
		if (!is_trim_char(g_utf8_get_char(prev)))
			break;
		e = prev;
	}
	*e = '\0';

	/* titles, as long as a name remains */
	for (;;) {
		char *sp = strchr(p, ' ');
		if (!sp || !is_title(p, (size_t)(sp - p)))
			break;
		p = sp + 1;
		while (*p && is_trim_char(g_utf8_get_char(p)))
			p = g_utf8_next_char(p);
	}
	if (*p)
		out = strdup(p);

	g_string_free(b, TRUE);
	g_free(lower);
	g_free(valid);
	return out;
}

/* Words that make a display name an organisation, a role or a machine
 * rather than a person. Lower case, in strcmp() order: searched by
 * bsearch(). */
static const char *const not_person[] = {
	"abteilung", "account", "accounts", "admin", "administrator", "ag", "alert", "alerts", "and",
	"bank", "billing", "bot", "calendar", "careers", "co.", "community", "company", "contact",
	"corp", "corp.", "customer", "customers", "daemon", "department", "dev", "digest",
	"do-not-reply", "donotreply", "e-mail", "e.v.", "email", "for", "gmbh", "group", "gruppe",
	"helpdesk", "hotline", "inc", "inc.", "info", "information", "jobs", "kg", "kontakt",
	"kundendienst", "kundenservice", "list", "llc", "ltd", "ltd.", "mail", "mailer-daemon",
	"mailing", "marketing", "members", "news", "newsletter", "no-reply", "nobody", "noreply",
	"notification", "notifications", "of", "office", "ohg", "online", "plc", "postmaster",
	"recipient", "redaktion", "reply", "robot", "s.a.", "sales", "sarl", "security", "sender",
	"server", "service", "services", "shop", "stiftung", "store", "support", "system", "team",
	"test", "the", "und", "university", "universität", "updates", "user", "users", "verein",
	"verwaltung", "via", "webmaster",
};

/* A word of a name: s[0, n), not NUL-terminated. */
typedef struct {
	const char *s;
	size_t n;
} word_t;

/* strcmp() of a word_t key and an entry of not_person[]. */
static int
cmp_word(const void *key, const void *entry)
{
	const word_t *k = key;
	const char *e = *(const char *const *)entry;
	/* the first bytes decide most comparisons: without a call */
	if (k->n && k->s[0] != e[0])
		return (unsigned char)k->s[0] < (unsigned char)e[0] ? -1 : 1;
	int c = strncmp(k->s, e, k->n);
	if (c)
		return c;
	return e[k->n] ? -1 : 0;
}

/* Does a display name read as a person's name? s is the name as given. */
static bool
looks_like_person(const char *s, const char *norm, const char *addr)
{
	const char *next;
	for (const char *p = s; *p; p = next) {
		gunichar c = next_cp(p, &next);
		if (cp_is_alpha(c) || cp_is_mark(c) || cp_is_space(c))
			continue;
		if (c == '-' || c == '\'' || c == 0x2019 || c == '.' || c == ',' || c == '"' || c == '(' ||
		    c == ')' || c == 0x201C || c == 0x201D || c == 0x201E || c == 0xAB || c == 0xBB)
			continue;
		return false; /* digits, '@', '/', '_', '|', ... */
	}
	if (addr) {
		/* "erika.mustermann" <erika.mustermann@...>: the address again */
		const char *at = strchr(addr, '@');
		size_t ll = at ? (size_t)(at - addr) : strlen(addr);
		if (strlen(norm) == ll && strncasecmp(norm, addr, ll) == 0)
			return false;
	}
	size_t words = 0;
	const char *w = norm;
	while (*w) {
		const char *sp = strchr(w, ' ');
		size_t n = sp ? (size_t)(sp - w) : strlen(w);
		const word_t key = {w, n};
		if (bsearch(&key, not_person, sizeof not_person / sizeof *not_person, sizeof *not_person, cmp_word))
			return false;
		words++;
		w += n;
		while (*w == ' ')
			w++;
	}
	return words >= 1 && words <= 6;
}

/* Where needle stands in the text: exactly, else ignoring case. */
static bool
locate(const trawl_text_t *text, const char *needle, size_t *start)
{
	size_t n = strlen(needle);
	if (!n || n > text->len)
		return false;
	/* memmem(), whose set-up costs more than the search in a short
	 * header value: each place of the needle's first byte, compared */
	const char *p = text->text, *last = text->text + (text->len - n);
	while (p <= last && (p = memchr(p, needle[0], (size_t)(last - p) + 1))) {
		if (memcmp(p, needle, n) == 0) {
			*start = (size_t)(p - text->text);
			return true;
		}
		p++;
	}
	/* ignoring case: header values are short, a plain search will do */
	for (size_t i = 0; i + n <= text->len; i++)
		if (strncasecmp(text->text + i, needle, n) == 0) {
			*start = i;
			return true;
		}
	return false;
}

/* Emits value found at its place in the text, or (when the text does not
 * hold it as given) with the value itself at offset 0. */
static trawl_status_t
emit_located(trawl_findings_t *out, const trawl_text_t *text, trawl_type_t type, const char *value,
             const char *alt, const char *norm, double conf, const char *rule)
{
	size_t start;
	if (locate(text, value, &start))
		return trawl_detect__emit(out, text, type, start, start + strlen(value), norm, conf, rule);
	if (alt && locate(text, alt, &start))
		return trawl_detect__emit(out, text, type, start, start + strlen(alt), norm, conf, rule);
	trawl_finding_t f = {
		.type = type,
		.where = text->where,
		.part = (char *)(text->part ? text->part : ""),
		.value = (char *)value,
		.norm = (char *)norm,
		.confidence = conf,
		.rule = (char *)rule,
	};
	return trawl_findings_add(out, &f);
}

/* g_utf8_validate(s, -1, NULL), glib asked only when s is not all ASCII
 * (display names mostly are). */
static bool
is_utf8(const char *s)
{
	const char *p = s;
	while (*p && (unsigned char)*p < 0x80)
		p++;
	return !*p || g_utf8_validate(p, -1, NULL);
}

/* The display name without the blanks and quotes round it. */
static char *
strip_quotes(const char *s)
{
	size_t len = strlen(s);
	size_t a = 0;
	while (a < len && (is_space((unsigned char)s[a]) || s[a] == '"' || s[a] == '\''))
		a++;
	while (len > a && (is_space((unsigned char)s[len - 1]) || s[len - 1] == '"' || s[len - 1] == '\''))
		len--;
	return trawl_strndup(s + a, len - a);
}

trawl_status_t
trawl_detect_mailbox(const trawl_detector_set_t *set, trawl_findings_t *out, const trawl_text_t *text,
                     const char *display_name, const char *addr)
{
	(void)set;
	trawl_status_t rc = TRAWL_OK;
	char *enorm = NULL, *bare = NULL, *nnorm = NULL;

	if (addr && *addr) {
		enorm = trawl_norm_email(addr, strlen(addr));
		if (enorm) {
			rc = emit_located(out, text, TRAWL_TYPE_EMAIL, addr, NULL, enorm, 0.99, "email.header");
			if (rc < 0)
				goto done;
		}
	}
	if (!display_name || !*display_name || strchr(display_name, '@'))
		goto done;
	bare = strip_quotes(display_name);
	if (!bare) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	if (!*bare || !is_utf8(bare))
		goto done;
	nnorm = trawl_norm_name(bare, strlen(bare));
	if (!nnorm || !looks_like_person(bare, nnorm, addr))
		goto done;
	/* one word ("Erika", "Accounting") is a weaker sign than a full name */
	double conf = strchr(nnorm, ' ') ? 0.9 : 0.6;
	rc = emit_located(out, text, TRAWL_TYPE_NAME, display_name, bare, nnorm, conf, "name.header");

done:
	free(enorm);
	free(bare);
	free(nnorm);
	return rc;
}
