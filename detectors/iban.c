/* International bank account numbers (ISO 13616): country code, two check
 * digits and the national account number (BBAN), at the length the SWIFT
 * IBAN registry fixes for the country, written either unbroken or in
 * groups of four (the print format's spaces, or hyphens or dots as forms
 * and people write them), in capitals or not, and passing the ISO 7064
 * mod-97 check.
 *
 * Anchored on "CCdd" (or "ccdd") at the start of a word, found 16 bytes at
 * a time; each anchor reads at most one IBAN's length ahead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "detectors/detector.h"
#include "detectors/skip.h"

#include <stdlib.h>
#include <string.h>

/* IBAN lengths by country, from the SWIFT IBAN registry (as of 2024),
 * which lists the countries that have adopted the standard. The
 * territories that use the French format (GF, GP, MQ, RE, PF, TF, YT, NC,
 * PM, WF, BL, MF) write FR and need no entry. */
static const struct {
	char cc[3];
	unsigned char len;
} countries[] = {
	{"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
	{"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
	{"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
	{"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
	{"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26},
	{"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20},
	{"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20},
	{"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
	{"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24},
	{"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25},
	{"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
	{"YE", 30},
};

#define MIN_IBAN 15 /* Norway's */
#define MAX_IBAN 34

static size_t
country_len(const unsigned char *cc)
{
	size_t lo = 0, hi = sizeof countries / sizeof *countries;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = memcmp(cc, countries[mid].cc, 2);
		if (c == 0)
			return countries[mid].len;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

static bool
is_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool
is_lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

static char
upper(unsigned char c)
{
	return (char)(is_lower(c) ? c - 'a' + 'A' : c);
}

static bool
is_bban_char(unsigned char c)
{
	return is_upper(c) || is_lower(c) || trawl_is_digit(c);
}

static bool
is_group_sep(unsigned char c)
{
	return c == ' ' || c == '-' || c == '.';
}

/* ISO 7064 MOD 97-10 over the rearranged IBAN: BBAN, country, check. */
static bool
mod97_ok(const char *s, size_t n)
{
	unsigned r = 0;
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[(k + 4) % n];
		if (trawl_is_digit(c))
			r = (r * 10 + (unsigned)(c - '0')) % 97;
		else
			r = (r * 100 + (unsigned)(c - 'A' + 10)) % 97;
	}
	return r == 1;
}

/* The IBAN starting at i, if there is one: its end in the text, the
 * compact form in out. */
static size_t
read_iban(const unsigned char *t, size_t len, size_t i, size_t want, char *out)
{
	size_t n = 0, j = i;
	for (; n < 4; n++)
		out[n] = upper(t[i + n]);
	j = i + 4;
	/* groups of four, each after the same single separator: the print
	 * format's space, or a hyphen or a dot */
	unsigned char sep = j + 1 < len && is_group_sep(t[j]) && is_bban_char(t[j + 1]) ? t[j] : 0;
	while (n < want) {
		if (sep && n % 4 == 0) {
			if (j + 1 >= len || t[j] != sep)
				return 0;
			j++;
		}
		if (j >= len || !is_bban_char(t[j]))
			return 0;
		out[n++] = upper(t[j]);
		j++;
	}
	out[n] = '\0';
	/* "DE44-5001-...-31-77": a hyphen or dot then more is a longer code */
	if (sep && sep != ' ' && j + 1 < len && t[j] == sep && trawl_is_wordish(t[j + 1]))
		return 0;
	/* lower case only in groups: "de89370400440532013000" unbroken is
	 * as likely a token of some machine's */
	if (!sep && (is_lower(t[i]) || is_lower(t[i + 1])))
		return 0;
	/* and then the word must end */
	if (j < len && trawl_is_wordish(t[j]))
		return 0;
	return j;
}

/* Does "CCdd" or "ccdd" (two letters of one case, two digits), with which
 * every IBAN starts, stand at k? */
static inline bool
is_anchor(const unsigned char *t, size_t len, size_t k)
{
	return k + 4 <= len && ((is_upper(t[k]) && is_upper(t[k + 1])) || (is_lower(t[k]) && is_lower(t[k + 1]))) &&
	       trawl_is_digit(t[k + 2]) && trawl_is_digit(t[k + 3]);
}

#ifdef __SSE2__
static inline trawl_v16_t
v16_letter(trawl_v16_t v)
{
	return trawl_v16_or(trawl_v16_upper(v), trawl_v16_in(v, 'a', 'z'));
}

static inline unsigned
anchor_mask(const unsigned char *p)
{
	/* letters with digits two bytes on first, which text seldom has;
	 * the rest only where it does */
	unsigned m = trawl_v16_mask(trawl_v16_and(v16_letter(trawl_v16_load(p)), trawl_v16_digit(trawl_v16_load(p + 2))));
	if (m) {
		trawl_v16_t a = trawl_v16_load(p), b = trawl_v16_load(p + 1);
		trawl_v16_t same_case = trawl_v16_or(trawl_v16_and(trawl_v16_upper(a), trawl_v16_upper(b)),
		                                     trawl_v16_and(trawl_v16_in(a, 'a', 'z'), trawl_v16_in(b, 'a', 'z')));
		m &= trawl_v16_mask(trawl_v16_and(same_case, trawl_v16_digit(trawl_v16_load(p + 3))));
	}
	return m;
}
#endif

/* The first anchor at or after from, or len. */
static size_t
next_anchor(const unsigned char *t, size_t len, size_t from)
{
	return trawl_detect__skip_to(t, len, from, 0, 3, TRAWL_V16_FN(anchor_mask), is_anchor);
}

static trawl_status_t
scan(const trawl_detector_set_t *set, trawl_findings_t *out, const trawl_text_t *text)
{
	(void)set;
	const unsigned char *t = (const unsigned char *)text->text;
	size_t len = text->len, anchor = next_anchor(t, len, 0);
	for (size_t i = 0; i + MIN_IBAN <= len; i++) {
		/* no IBAN starts before the next anchor */
		if (anchor < i)
			anchor = next_anchor(t, len, i);
		if (anchor + MIN_IBAN > len)
			break;
		i = anchor;
		if (i > 0 && trawl_is_wordish(t[i - 1]))
			continue;
		unsigned char cc[2] = {(unsigned char)upper(t[i]), (unsigned char)upper(t[i + 1])};
		size_t want = country_len(cc);
		if (!want)
			continue;
		char iban[MAX_IBAN + 1];
		size_t end = read_iban(t, len, i, want, iban);
		if (!end || !mod97_ok(iban, want))
			continue;
		trawl_status_t rc =
			trawl_detect__emit(out, text, TRAWL_TYPE_IBAN, i, end, iban, 0.95, "iban.mod97");
		if (rc < 0)
			return rc;
		i = end - 1;
	}
	return TRAWL_OK;
}

const trawl_detector_t trawl_detector_iban = {"iban", TRAWL_TYPE_IBAN, scan};
