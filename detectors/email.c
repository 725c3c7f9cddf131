/* Email addresses in running text: local@domain.tld.
 *
 * Anchored on '@' and expanded both ways over the characters an address
 * can hold, never more than an address's length, so every byte is looked
 * at a bounded number of times. The local part is the unquoted dot-atom of
 * RFC 5322, started after anything that in running text joins an address
 * to a URL or markup before it ("?email=", "smtp.mailfrom="); the domain is
 * labels of letters, digits and '-', internationalised letters included,
 * ending in an alphabetic top-level label.
 *
 * Message identifiers have the same shape (id@host) and are no one's
 * address: texts from Message-ID-like headers are skipped, and so are
 * <id@host> in body lines that quote such a header. Ids quoted elsewhere
 * are told by their local parts (numbers and dots, long random tokens,
 * hex) and reported below the default confidence.
 *
 * Addresses written against harvesters, "jane.doe(at)firma.de", "jane
 * [at] acme-corp [dot] com", are read too (obfuscated()): the "at" in
 * brackets, the dots as dots or as "dot" in brackets or between blanks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "detectors/detector.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <glib.h>
#include "detectors/skip.h"
#include "util/util.h"

#define MAX_LOCAL 64   /* characters, RFC 5321 */
#define MAX_DOMAIN 253 /* bytes */
#define MAX_LABEL 63

/* A valid UTF-8 sequence starting at p, decoded, or -1. */
static gunichar
utf8_at(const unsigned char *p, size_t avail, size_t *n)
{
	size_t l = trawl_utf8_seq_len(p, avail);
	if (l < 2) {
		*n = l;
		return (gunichar)-1;
	}
	*n = l;
	return g_utf8_get_char((const char *)p);
}

/* The character ending just before pos (not before lo), if it is a
 * non-ASCII letter or digit: its length in bytes, else 0. */
static size_t
utf8_alnum_before(const unsigned char *t, size_t lo, size_t pos)
{
	size_t s = pos;
	while (s > lo && pos - s < 4 && (t[s - 1] & 0xC0) == 0x80)
		s--;
	if (s == lo || s == pos || t[s - 1] < 0xC0)
		return 0;
	s--;
	size_t n;
	gunichar c = utf8_at(t + s, pos - s, &n);
	if (c == (gunichar)-1 || n != pos - s || !g_unichar_isalnum(c))
		return 0;
	return n;
}

/* Length of the non-ASCII letter or digit at p, or 0. */
static size_t
utf8_alnum_at(const unsigned char *p, size_t avail, bool *alpha)
{
	size_t n;
	gunichar c = utf8_at(p, avail, &n);
	if (c == (gunichar)-1 || !g_unichar_isalnum(c))
		return 0;
	*alpha = g_unichar_isalpha(c);
	return n;
}

/* Length of the letter or digit at p (ASCII or not), or 0. Inline: domains
 * are read a character at a time, and nearly all of them are ASCII. */
static inline size_t
alnum_at(const unsigned char *p, size_t avail, bool *alpha)
{
	if (*p < 0x80) {
		if (!trawl_is_alnum(*p))
			return 0;
		*alpha = trawl_is_alpha(*p);
		return 1;
	}
	return utf8_alnum_at(p, avail, alpha);
}

/* RFC 5322 atext besides letters and digits, and the dot of a dot-atom:
 * .!#$%&'*+-/=?^_`{|}~ (a table, as these are asked of every byte of a
 * local part). */
static const bool atext_punct[256] = {
	['.'] = true, ['!'] = true, ['#'] = true, ['$'] = true, ['%'] = true, ['&'] = true, ['\''] = true,
	['*'] = true, ['+'] = true, ['-'] = true, ['/'] = true, ['='] = true, ['?'] = true, ['^'] = true,
	['_'] = true, ['`'] = true, ['{'] = true, ['|'] = true, ['}'] = true, ['~'] = true,
};

static bool
is_atext_punct(unsigned char c)
{
	return atext_punct[c];
}

/* Of those, the ones that in running text join an address to a URL or to
 * markup before it far more often than they stand in one: the address
 * starts after the last of them. */
static const bool breakers[256] = {
	['!'] = true, ['#'] = true, ['$'] = true, ['&'] = true, ['*'] = true, ['/'] = true, ['?'] = true,
	['^'] = true, ['`'] = true, ['{'] = true, ['|'] = true, ['}'] = true, ['~'] = true,
};

static bool
is_breaker(unsigned char c)
{
	return breakers[c];
}

static bool
ieq_tail(const char *s, size_t len, const char *tail)
{
	size_t tl = strlen(tail);
	return len >= tl && strncasecmp(s + len - tl, tail, tl) == 0;
}

/* Headers that carry message identifiers, not addresses. */
static bool
is_msgid_header(const char *name, size_t len)
{
	static const char *const exact[] = {"content-id", "references", "in-reply-to", "supersedes", NULL};
	for (const char *const *p = exact; *p; p++)
		if (len == strlen(*p) && strncasecmp(name, *p, len) == 0)
			return true;
	/* Message-ID, Resent-Message-ID, X-Original-Message-ID, ... */
	return ieq_tail(name, len, "message-id");
}

/* Which line of the text an '@' stands on, and whether that line (or the
 * header it continues) is a quoted Message-ID/References header. Advanced
 * monotonically, so the whole text is walked once. */
typedef struct {
	size_t pos;   /* bytes before pos have been looked at */
	bool started; /* the first line has been classified */
	bool msgid;   /* the current line belongs to a message-id header */
} line_state_t;

static bool
line_is_msgid(const unsigned char *t, size_t len, size_t start, bool prev)
{
	size_t i = start;
	while (i < len && (t[i] == '>' || t[i] == ' ' || t[i] == '\t'))
		i++;
	if (i < len && t[i] == '<')
		return prev; /* a folded continuation: <id1> <id2> ... */
	size_t n = i;
	while (n < len && n - i < 40 && (trawl_is_alpha(t[n]) || t[n] == '-'))
		n++;
	if (n == i || n >= len || t[n] != ':')
		return false;
	return is_msgid_header((const char *)t + i, n - i);
}

static void
line_advance(line_state_t *ls, const unsigned char *t, size_t len, size_t upto)
{
	if (!ls->started) {
		ls->msgid = line_is_msgid(t, len, 0, false);
		ls->started = true;
	}
	while (ls->pos < upto) {
		const unsigned char *nl = memchr(t + ls->pos, '\n', upto - ls->pos);
		if (!nl) {
			ls->pos = upto;
			break;
		}
		ls->pos = (size_t)(nl - t) + 1;
		ls->msgid = line_is_msgid(t, len, ls->pos, ls->msgid);
	}
}

static bool
is_example_domain(const char *d)
{
	static const char *const tails[] = {".example", ".test", ".invalid", ".localhost", NULL};
	static const char *const sld[] = {"example.com", "example.org", "example.net", NULL};
	size_t len = strlen(d);
	if (strcmp(d, "localhost") == 0)
		return true;
	for (const char *const *p = tails; *p; p++)
		if (ieq_tail(d, len, *p))
			return true;
	for (const char *const *p = sld; *p; p++) {
		size_t l = strlen(*p);
		if (len == l ? strcmp(d, *p) == 0 : (len > l && d[len - l - 1] == '.' && ieq_tail(d, len, *p)))
			return true;
	}
	return false;
}

/* The domain after '@' at at: its end, or 0 when it is not a domain. */
static size_t
scan_domain(const unsigned char *t, size_t len, size_t at)
{
	size_t i = at + 1, labels = 0, last = i, end = i;
	bool alpha;
	for (;;) {
		size_t s = i;
		while (i < len && i - (at + 1) <= MAX_DOMAIN) {
			size_t n = alnum_at(t + i, len - i, &alpha);
			if (n)
				i += n;
			else if (t[i] == '-')
				i++;
			else
				break;
		}
		size_t e = i;
		/* trailing hyphens belong to the text ("mail foo@bar.com--") */
		while (e > s && t[e - 1] == '-')
			e--;
		if (e == s || t[s] == '-' || e - s > MAX_LABEL)
			return 0;
		labels++;
		last = s;
		end = e;
		if (e != i)
			break;
		if (i + 1 < len && t[i] == '.' && alnum_at(t + i + 1, len - i - 1, &alpha)) {
			i++;
			continue;
		}
		break;
	}
	if (labels < 2 || end - (at + 1) > MAX_DOMAIN)
		return 0;
	/* the top-level label: letters only, or an IDNA "xn--" label */
	if (end - last > 4 && strncasecmp((const char *)t + last, "xn--", 4) == 0)
		return end;
	/* letters of one kind: ASCII ("com") or not ("рф"), never a mixture,
	 * which is what binary junk decoded as Latin-1 looks like */
	size_t letters = 0, ascii = 0;
	for (size_t k = last; k < end;) {
		size_t n = alnum_at(t + k, end - k, &alpha);
		if (!n || !alpha)
			return 0;
		ascii += n == 1;
		k += n;
		letters++;
	}
	return letters >= 2 && (ascii == 0 || ascii == letters) ? end : 0;
}

/* The start of the local part before '@' at at, or at when there is none.
 * lo is where the previous address ended. */
static size_t
scan_local(const unsigned char *t, size_t lo, size_t at, bool *too_long)
{
	size_t j = at, chars = 0;
	*too_long = false;
	while (j > lo) {
		size_t n = 0;
		if (t[j - 1] < 0x80) {
			if (!trawl_is_alnum(t[j - 1]) && !is_atext_punct(t[j - 1]))
				break;
			n = 1;
		} else if (!(n = utf8_alnum_before(t, lo, j))) {
			break;
		}
		if (++chars > MAX_LOCAL) {
			*too_long = true;
			return at;
		}
		j -= n;
	}
	for (size_t k = at; k > j; k--)
		if (is_breaker(t[k - 1])) {
			j = k;
			break;
		}
	/* key=value: "smtp.mailfrom=user@host", "?email=user@host"; a '='
	 * after a longer or more varied part is the address's own, as in the
	 * VERP "list-bounces+user=host.org@lists.org" */
	for (size_t k = j; k < at && k - j <= 20; k++) {
		if (t[k] == '=') {
			j = k + 1;
			break;
		}
		if (!trawl_is_alnum(t[k]) && t[k] != '.' && t[k] != '-' && t[k] != '_')
			break;
	}
	/* "a..b" is no dot-atom: the address can only start after the pair */
	for (size_t k = at; k > j + 1; k--)
		if (t[k - 1] == '.' && t[k - 2] == '.') {
			j = k;
			break;
		}
	/* what starts an address: a letter, a digit or '_' */
	while (j < at && t[j] < 0x80 && is_atext_punct(t[j]) && t[j] != '_')
		j++;
	if (j < at && t[at - 1] == '.')
		return at;
	return j;
}

/* Does the local part read as a machine's identifier (a message or
 * calendar id quoted in a body, a tracking token) rather than a mailbox? */
static bool
looks_machine_made(const unsigned char *t, size_t start, size_t at)
{
	size_t len = at - start, digits = 0, seps = 0, numeric_pieces = 0, hexrun = 0, hexrun_digits = 0;
	bool piece_numeric = true, piece_empty = true, long_hex = false;
	for (size_t k = start; k <= at; k++) {
		unsigned char c = k < at ? t[k] : '.';
		if (c == '.') {
			numeric_pieces += !piece_empty && piece_numeric;
			piece_numeric = true;
			piece_empty = true;
		} else {
			piece_empty = false;
			piece_numeric &= trawl_is_digit(c);
		}
		if (k < at && trawl_is_digit(c))
			digits++;
		if (k < at && (c == '.' || c == '-' || c == '_' || c == '+' || c == '='))
			seps++;
		if (k < at && trawl_is_xdigit(c)) {
			hexrun++;
			hexrun_digits += trawl_is_digit(c);
			if (hexrun >= 12 && hexrun_digits >= 3)
				long_hex = true;
		} else {
			hexrun = hexrun_digits = 0;
		}
	}
	/* "778995.62909.bm", "1603201234.5678" */
	if (numeric_pieces >= 2)
		return true;
	/* "1utaf3eftt1agbnisfcc3a5ps0", "BUedpiSJ22k9KJibNOeWYn..." */
	if (len >= 20 && digits >= 2 && seps == 0)
		return true;
	/* uuids and hashes: "7791cb16-a4f3-43ae-a9a0-ed4003535ae7" */
	return long_hex;
}

/* user@host in a URL ("https://user@host/", "ftp://u:pw@host") is a login,
 * not an address. */
static bool
in_url_userinfo(const unsigned char *t, size_t start)
{
	if (start == 0 || (t[start - 1] != '/' && t[start - 1] != ':'))
		return false;
	size_t lo = start > 256 ? start - 256 : 0;
	for (size_t i = start; i > lo + 2; i--) {
		unsigned char c = t[i - 1];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '<' || c == '"')
			return false;
		if (c == '/' && t[i - 2] == '/' && t[i - 3] == ':')
			return true;
	}
	return false;
}

/* ---- "jane(at)firma.de" ---- */

static bool
is_open(unsigned char c)
{
	return c == '(' || c == '[' || c == '{' || c == '<';
}

static unsigned char
closing(unsigned char c)
{
	return c == '(' ? ')' : c == '[' ? ']' : c == '{' ? '}' : '>';
}

/* Is k the 'a' of "(at)", "[at]", "{at}" or "<at>", any case? Every
 * obfuscated address has one. */
static bool
is_at_word(const unsigned char *t, size_t len, size_t k)
{
	return k > 0 && k + 2 < len && (t[k] | 0x20) == 'a' && (t[k + 1] | 0x20) == 't' && is_open(t[k - 1]) &&
	       t[k + 2] == closing(t[k - 1]);
}

/* Is k a 't' or 'T' before a closing bracket? Where is_at_word() holds
 * for k - 1 this does for k: looked for first, with half the tests. */
static inline bool
is_t_bracket(const unsigned char *t, size_t len, size_t k)
{
	return k + 1 < len && (t[k] | 0x20) == 't' &&
	       (t[k + 1] == ')' || t[k + 1] == ']' || t[k + 1] == '}' || t[k + 1] == '>');
}

#ifdef __SSE2__
static inline unsigned
t_bracket_mask(const unsigned char *p)
{
	trawl_v16_t t = trawl_v16_load(p), c = trawl_v16_load(p + 1);
	trawl_v16_t m = trawl_v16_or(trawl_v16_eq(t, 't'), trawl_v16_eq(t, 'T'));
	return trawl_v16_mask(trawl_v16_and(m, trawl_v16_or(trawl_v16_or(trawl_v16_eq(c, ')'), trawl_v16_eq(c, ']')),
	                                                    trawl_v16_or(trawl_v16_eq(c, '}'), trawl_v16_eq(c, '>')))));
}
#endif

/* The length of a spelt-out separator word at i ("(dot)", " [dot] ",
 * " dot ", with word "dot"), blanks around included, or 0. Bare " dot "
 * only when bare is true. */
static size_t
word_sep_at(const unsigned char *t, size_t len, size_t i, const char *word, bool bare)
{
	size_t j = i, wl = strlen(word);
	while (j < len && t[j] == ' ')
		j++;
	bool spaced = j > i;
	unsigned char open = j < len ? t[j] : 0;
	bool bracket = is_open(open);
	if (bracket)
		j++;
	else if (!bare || !spaced)
		return 0;
	if (j + wl > len || strncasecmp((const char *)t + j, word, wl) != 0)
		return 0;
	j += wl;
	if (bracket) {
		if (j >= len || t[j] != closing(open))
			return 0;
		j++;
	} else if (j >= len || t[j] != ' ') {
		return 0;
	}
	while (j < len && t[j] == ' ')
		j++;
	return j - i;
}

/* The obfuscated address around the at-word whose 'a' is at k: appends
 * "local@domain" to b and sets [*start, *end), or false. */
static bool
obfuscated(const unsigned char *t, size_t len, size_t lo, size_t k, trawl_buf_t *b, size_t *start, size_t *end)
{
	/* the local part right before, blanks between: read as before an '@' */
	size_t e = k - 1;
	bool too_long;
	while (e > lo && t[e - 1] == ' ')
		e--;
	size_t s = scan_local(t, lo, e, &too_long);
	if (s == e)
		return false;
	b->len = 0;
	if (trawl_buf_put(b, (const char *)t + s, e - s) < 0 || trawl_buf_putc(b, '@') < 0)
		return false;
	/* the domain: labels, each after a dot or a spelt-out one */
	size_t i = k + 3, labels = 0, last = 0, dend = 0;
	while (i < len && t[i] == ' ')
		i++;
	/* "jane [at] acme dot com": blanks around the at-word, so the dots may be too */
	bool bare = k >= 2 && t[k - 2] == ' ' && k + 3 < len && t[k + 3] == ' ';
	for (;;) {
		size_t ls = i;
		while (i < len && i - ls <= MAX_LABEL && (trawl_is_alnum(t[i]) || t[i] == '-'))
			i++;
		if (i == ls || t[ls] == '-' || t[i - 1] == '-')
			break;
		if (labels && trawl_buf_putc(b, '.') < 0)
			return false;
		if (trawl_buf_put(b, (const char *)t + ls, i - ls) < 0)
			return false;
		labels++;
		last = ls;
		dend = i;
		size_t n;
		if (i + 1 < len && t[i] == '.' && trawl_is_alnum(t[i + 1]))
			i++;
		else if ((n = word_sep_at(t, len, i, "dot", bare)) && i + n < len && trawl_is_alnum(t[i + n]))
			i += n;
		else
			break;
	}
	if (labels < 2)
		return false;
	for (size_t j = last; j < dend; j++)
		if (!trawl_is_alpha(t[j]))
			return false;
	if (dend - last < 2)
		return false;
	*start = s;
	*end = dend;
	return true;
}

static trawl_status_t
scan_obfuscated(trawl_findings_t *out, const trawl_text_t *text)
{
	const unsigned char *t = (const unsigned char *)text->text;
	size_t len = text->len, lo = 0;
	trawl_buf_t b = {0};
	trawl_status_t rc = TRAWL_OK;
	for (size_t k = 2; rc == TRAWL_OK && k + 1 < len; k++) {
		k = trawl_detect__skip_to(t, len, k, 0, 1, TRAWL_V16_FN(t_bracket_mask), is_t_bracket);
		if (k + 1 >= len)
			break;
		size_t start, end;
		if (!is_at_word(t, len, k - 1) || !obfuscated(t, len, lo, k - 1, &b, &start, &end))
			continue;
		char *norm = trawl_norm_email(b.data, b.len);
		if (!norm)
			continue;
		const char *dom = strrchr(norm, '@') + 1;
		bool example = is_example_domain(dom);
		rc = trawl_detect__emit(out, text, TRAWL_TYPE_EMAIL, start, end, norm, example ? 0.3 : 0.85,
		                        example ? "email.example" : "email.spelt-out");
		free(norm);
		lo = end;
		k = end;
	}
	trawl_buf_free(&b);
	return rc;
}

static trawl_status_t
scan(const trawl_detector_set_t *set, trawl_findings_t *out, const trawl_text_t *text)
{
	(void)set;
	if (text->header && is_msgid_header(text->header, strlen(text->header)))
		return TRAWL_OK;
	const unsigned char *t = (const unsigned char *)text->text;
	size_t len = text->len;
	size_t lo = 0; /* addresses do not overlap */
	line_state_t ls = {0};
	trawl_status_t rc = TRAWL_OK;
	const unsigned char *p = t;
	while (len && (p = memchr(p, '@', len - (size_t)(p - t))) != NULL) {
		size_t at = (size_t)(p - t);
		p++;
		bool too_long;
		size_t start = scan_local(t, lo, at, &too_long);
		if (start == at)
			continue;
		size_t end = scan_domain(t, len, at);
		if (!end)
			continue;
		if (end < len && t[end] == '@')
			continue; /* a@b.c@d: not one address */
		if (start >= 4 && strncasecmp((const char *)t + start - 4, "cid:", 4) == 0)
			continue; /* Content-ID reference in HTML */
		if (in_url_userinfo(t, start))
			continue;
		if (start > 0 && t[start - 1] == '<' && end < len && t[end] == '>') {
			line_advance(&ls, t, len, start);
			if (ls.msgid)
				continue;
		}
		char *norm = trawl_norm_email(text->text + start, end - start);
		if (!norm)
			continue;
		const char *dom = strrchr(norm, '@') + 1;
		double conf = 0.95;
		const char *rule = "email.addr";
		if (is_example_domain(dom))
			conf = 0.3, rule = "email.example";
		else if (looks_machine_made(t, start, at))
			conf = 0.4, rule = "email.id";
		rc = trawl_detect__emit(out, text, TRAWL_TYPE_EMAIL, start, end, norm, conf, rule);
		free(norm);
		if (rc < 0)
			break;
		lo = end;
		p = t + end;
	}
	if (rc == TRAWL_OK)
		rc = scan_obfuscated(out, text);
	return rc;
}

const trawl_detector_t trawl_detector_email = {"email", TRAWL_TYPE_EMAIL, scan};
