/* MAC (EUI-48) addresses in their three common spellings: six pairs of hex
 * digits joined by ':' or by '-' (one separator throughout), and Cisco's
 * three dotted groups of four. A match may not be part of a longer run of
 * the same kind, such as an IPv6 address written with two-digit groups.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "detectors/detector.h"
#include "detectors/skip.h"

#include <string.h>

static int
hexval(unsigned char c)
{
	return trawl_is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* Does the text before i, ending in the separator at i - 1, hold another
 * group of the same run (a standalone group of hex digits, or a second
 * separator)? */
static bool
continues_left(const unsigned char *t, size_t i, unsigned char sep)
{
	if (i == 0 || t[i - 1] != sep)
		return false;
	size_t j = i - 1, k = 0;
	if (j > 0 && t[j - 1] == sep)
		return true; /* "::aa:bb:..." */
	while (j > 0 && k < 5 && trawl_is_xdigit(t[j - 1]))
		j--, k++;
	return k >= 1 && k <= 4 && (j == 0 || !trawl_is_alnum(t[j - 1]));
}

/* Does the run go on after e with the same separator and more hex? */
static bool
continues_right(const unsigned char *t, size_t len, size_t e, unsigned char sep)
{
	return e + 1 < len && t[e] == sep && trawl_is_xdigit(t[e + 1]);
}

static bool
pairs_at(const unsigned char *t, size_t len, size_t i, unsigned char sep)
{
	if (i + 17 > len)
		return false;
	for (size_t g = 0; g < 6; g++) {
		size_t p = i + g * 3;
		if (!trawl_is_xdigit(t[p]) || !trawl_is_xdigit(t[p + 1]))
			return false;
		if (g < 5 && t[p + 2] != sep)
			return false;
	}
	return true;
}

static bool
cisco_at(const unsigned char *t, size_t len, size_t i)
{
	if (i + 14 > len)
		return false;
	for (size_t g = 0; g < 3; g++) {
		size_t p = i + g * 5;
		for (size_t k = 0; k < 4; k++)
			if (!trawl_is_xdigit(t[p + k]))
				return false;
		if (g < 2 && t[p + 4] != '.')
			return false;
	}
	return true;
}

/* The bytes of every spelling: hex digits and the separators. */
static bool
is_mac_byte(unsigned char c)
{
	return trawl_is_xdigit(c) || c == ':' || c == '-' || c == '.';
}

#define MIN_MAC 14 /* bytes of the shortest spelling, Cisco's */

/* Is the byte at k a first separator: ':' or '-' with the same three bytes
 * on (two pairs of hex digits joined so start two bytes before it), or
 * '.' with another five bytes on (Cisco's groups start four before it)?
 * Every address has one, two or four bytes in. */
static inline bool
is_first_sep(const unsigned char *t, size_t len, size_t k)
{
	if (t[k] == ':' || t[k] == '-')
		return k + 3 < len && t[k + 3] == t[k];
	return t[k] == '.' && k + 5 < len && t[k + 5] == '.';
}

#ifdef __SSE2__
static inline unsigned
first_sep_mask(const unsigned char *p)
{
	trawl_v16_t c = trawl_v16_load(p);
	trawl_v16_t pairs = trawl_v16_and(trawl_v16_or(trawl_v16_eq(c, ':'), trawl_v16_eq(c, '-')),
	                                  trawl_v16_same(c, trawl_v16_load(p + 3)));
	trawl_v16_t cisco = trawl_v16_and(trawl_v16_eq(c, '.'), trawl_v16_eq(trawl_v16_load(p + 5), '.'));
	return trawl_v16_mask(trawl_v16_or(pairs, cisco));
}
#endif

/* The first such separator at or after from, or len. */
static size_t
next_first_sep(const unsigned char *t, size_t len, size_t from)
{
	return trawl_detect__skip_to(t, len, from, 0, 5, TRAWL_V16_FN(first_sep_mask), is_first_sep);
}

static trawl_status_t
scan(const trawl_detector_set_t *set, trawl_findings_t *out, const trawl_text_t *text)
{
	(void)set;
	const unsigned char *t = (const unsigned char *)text->text;
	size_t len = text->len, sep_at = 0;
	for (size_t i = 0; i + MIN_MAC <= len; i++) {
		/* an address from i on has its first separator at i + 2 or i + 4:
		 * when the next one that can be is further on, the starts before
		 * it - 4 are out */
		if (sep_at < i + 2)
			sep_at = next_first_sep(t, len, i + 2);
		if (sep_at == len)
			break;
		if (i + 4 < sep_at) {
			i = sep_at - 4;
			if (i + MIN_MAC > len)
				break;
		}
		/* an address from i, i + 1, ... or i + MIN_MAC - 1 on would take in
		 * the byte at i + MIN_MAC - 1: when that is none of its bytes, all
		 * those starts are out at once */
		if (!is_mac_byte(t[i + MIN_MAC - 1])) {
			i += MIN_MAC - 1;
			continue;
		}
		if (!trawl_is_xdigit(t[i]) || (i > 0 && trawl_is_wordish(t[i - 1])))
			continue;
		size_t e = 0;
		unsigned char sep = 0;
		const char *rule = NULL;
		if (i + 2 < len && (t[i + 2] == ':' || t[i + 2] == '-') && pairs_at(t, len, i, t[i + 2])) {
			sep = t[i + 2];
			e = i + 17;
			rule = sep == ':' ? "mac.colon" : "mac.dash";
		} else if (cisco_at(t, len, i)) {
			sep = '.';
			e = i + 14;
			rule = "mac.cisco";
		} else {
			continue;
		}
		if (continues_left(t, i, sep) || continues_right(t, len, e, sep) ||
		    (e < len && trawl_is_wordish(t[e])))
			continue;

		unsigned char b[6];
		bool decimal = true;
		size_t n = 0;
		for (size_t k = i; k < e && n < 12; k++) {
			if (!trawl_is_xdigit(t[k]))
				continue;
			decimal &= trawl_is_digit(t[k]);
			if (n % 2 == 0)
				b[n / 2] = (unsigned char)(hexval(t[k]) << 4);
			else
				b[n / 2] |= (unsigned char)hexval(t[k]);
			n++;
		}
		char norm[18];
		static const char hex[] = "0123456789abcdef";
		for (size_t k = 0; k < 6; k++) {
			norm[k * 3] = hex[b[k] >> 4];
			norm[k * 3 + 1] = hex[b[k] & 15];
			norm[k * 3 + 2] = k < 5 ? ':' : '\0';
		}
		static const unsigned char zero[6], ones[6] = {255, 255, 255, 255, 255, 255};
		double conf = 0.9;
		if (memcmp(b, zero, 6) == 0 || memcmp(b, ones, 6) == 0)
			conf = 0.3; /* unset or broadcast: no device's */
		else if (decimal && sep != ':')
			conf = 0.4; /* 12-34-56-78-90-12, 1234.5678.9012: more likely a number */
		trawl_status_t rc = trawl_detect__emit(out, text, TRAWL_TYPE_MAC, i, e, norm, conf, rule);
		if (rc < 0)
			return rc;
		i = e - 1;
	}
	return TRAWL_OK;
}

const trawl_detector_t trawl_detector_mac = {"mac", TRAWL_TYPE_MAC, scan};
