/* IP addresses: dotted-quad IPv4 and every textual form of IPv6.
 *
 * One pass from left to right. IPv6 candidates are the maximal runs of hex
 * digits, ':' and '.', looked at once each from where they start; IPv4
 * candidates start at a digit and read at most 15 bytes. Runs without a
 * ':' or a digit followed by '.' can hold neither and are jumped over, 16
 * bytes at a time where SSE2 is there. inet_pton() decides what is an IPv6
 * address and format_v6() writes its norm as glibc's inet_ntop() would (the
 * RFC 5952 form).
 *
 * What is not taken: dotted version numbers ("version 10.2.3.4",
 * "1.2.3.4.5"), times (12:30:45) and MAC addresses, which inet_pton would
 * accept or nearly so, and the short hex pairs of C++ scopes ("a::b").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "detectors/detector.h"
#include "detectors/skip.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>

/* The bytes of an address: hex digits, ':' and '.'. Every byte of a text
 * is looked up, so a table answers. */
static const bool v6_bytes[256] = {
	['0'] = true, ['1'] = true, ['2'] = true, ['3'] = true, ['4'] = true, ['5'] = true, ['6'] = true,
	['7'] = true, ['8'] = true, ['9'] = true, ['a'] = true, ['b'] = true, ['c'] = true, ['d'] = true,
	['e'] = true, ['f'] = true, ['A'] = true, ['B'] = true, ['C'] = true, ['D'] = true, ['E'] = true,
	['F'] = true, [':'] = true, ['.'] = true,
};

static bool
is_v6char(unsigned char c)
{
	return v6_bytes[c];
}

#define MIN_IP 3 /* bytes of the shortest address, "::1" */

/* Words after which a dotted number is a version, not an address. */
static const char *const version_words[] = {
	"version", "versions", "ver", "vers", "v", "build", "release", "rel", "rev", "revision",
	"firmware", "fw", "patch", "oid", "identifier", NULL,
};

static bool
after_version_word(const unsigned char *t, size_t i)
{
	size_t j = i, skipped = 0;
	while (j > 0 && skipped < 3 &&
	       (t[j - 1] == ' ' || t[j - 1] == '\t' || t[j - 1] == ':' || t[j - 1] == '=' || t[j - 1] == '#' ||
	        t[j - 1] == '-' || t[j - 1] == '('))
		j--, skipped++;
	size_t e = j;
	while (j > 0 && e - j < 12 && trawl_is_alpha(t[j - 1]))
		j--;
	if (j == e || (j > 0 && trawl_is_wordish(t[j - 1])))
		return false;
	for (const char *const *w = version_words; *w; w++)
		if (strlen(*w) == e - j && strncasecmp((const char *)t + j, *w, e - j) == 0)
			return true;
	return false;
}

typedef struct {
	double conf;
	const char *rule;
} ip_class_t;

static ip_class_t
class_v4(const unsigned char *a, const char *plain)
{
	if ((a[0] == 192 && a[1] == 0 && a[2] == 2) || (a[0] == 198 && a[1] == 51 && a[2] == 100) ||
	    (a[0] == 203 && a[1] == 0 && a[2] == 113))
		return (ip_class_t){0.3, "ip.doc"};
	/* this network, loopback, multicast, reserved and broadcast: no host's */
	if (a[0] == 0 || a[0] == 127 || a[0] >= 224)
		return (ip_class_t){0.3, "ip.reserved"};
	/* private networks still point at someone's machine */
	if (a[0] == 10 || (a[0] == 172 && (a[1] & 0xF0) == 16) || (a[0] == 192 && a[1] == 168) ||
	    (a[0] == 169 && a[1] == 254) || (a[0] == 100 && (a[1] & 0xC0) == 64))
		return (ip_class_t){0.85, plain};
	return (ip_class_t){0.9, plain};
}

static ip_class_t
class_v6(const unsigned char *a)
{
	static const unsigned char zero[16];
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
	if (memcmp(a, mapped, 12) == 0)
		return class_v4(a + 12, "ip.v6");
	if ((a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0D && a[3] == 0xB8) ||
	    (a[0] == 0x3F && a[1] == 0xFF && (a[2] & 0xF0) == 0))
		return (ip_class_t){0.3, "ip.doc"}; /* 2001:db8::/32, 3fff::/20 */
	if (memcmp(a, zero, 15) == 0 && a[15] <= 1)
		return (ip_class_t){0.3, "ip.reserved"}; /* :: and ::1 */
	if (a[0] == 0xFF)
		return (ip_class_t){0.3, "ip.reserved"}; /* multicast */
	if ((a[0] & 0xFE) == 0xFC || (a[0] == 0xFE && (a[1] & 0xC0) == 0x80))
		return (ip_class_t){0.85, "ip.v6"}; /* unique local, link-local */
	return (ip_class_t){0.9, "ip.v6"};
}

/* An IPv4 address at i: its end, or 0. */
static size_t
read_v4(const unsigned char *t, size_t len, size_t i, unsigned char out[4])
{
	size_t j = i;
	for (int k = 0; k < 4; k++) {
		if (k > 0) {
			if (j >= len || t[j] != '.')
				return 0;
			j++;
		}
		size_t s = j;
		unsigned v = 0;
		while (j < len && trawl_is_digit(t[j]) && j - s < 4)
			v = v * 10 + (unsigned)(t[j++] - '0');
		if (j == s || j - s > 3 || v > 255 || (j - s > 1 && t[s] == '0'))
			return 0;
		out[k] = (unsigned char)v;
	}
	return j;
}

static trawl_status_t
try_v4(trawl_findings_t *out, const trawl_text_t *text, size_t i, size_t *end)
{
	const unsigned char *t = (const unsigned char *)text->text;
	size_t len = text->len;
	*end = 0;
	if (i > 0) {
		unsigned char p = t[i - 1];
		if (trawl_is_wordish(p))
			return TRAWL_OK;
		/* the tail of a longer dotted run: 1.2.3.4.5 */
		if (p == '.' && i >= 2 && trawl_is_alnum(t[i - 2]))
			return TRAWL_OK;
	}
	unsigned char a[4];
	size_t e = read_v4(t, len, i, a);
	if (!e)
		return TRAWL_OK;
	if (e < len && (trawl_is_wordish(t[e]) || (t[e] == '.' && e + 1 < len && trawl_is_digit(t[e + 1]))))
		return TRAWL_OK;
	if (after_version_word(t, i))
		return TRAWL_OK;
	/* read_v4() takes four numbers up to 255 without leading zeros, so the
	 * text is already the dotted decimal that inet_ntop() would write (and
	 * at most 15 bytes) */
	char norm[INET_ADDRSTRLEN];
	memcpy(norm, t + i, e - i);
	norm[e - i] = '\0';
	ip_class_t c = class_v4(a, "ip.v4");
	*end = e;
	return trawl_detect__emit(out, text, TRAWL_TYPE_IP, i, e, norm, c.conf, c.rule);
}

/* Is s (n bytes of hex digits, ':' and '.') shaped like an IPv6 address
 * rather than a time, a MAC address or a C++ scope? */
static bool
v6_shape_ok(const unsigned char *s, size_t n)
{
	size_t colons = 0, groups = 0, hex = 0;
	bool dbl = false, in_group = false, v4 = false;
	for (size_t k = 0; k < n; k++) {
		if (s[k] == ':') {
			colons++;
			if (k + 1 < n && s[k + 1] == ':')
				dbl = true;
			in_group = false;
		} else if (s[k] == '.') {
			v4 = true;
		} else {
			hex++;
			if (!in_group)
				groups++;
			in_group = true;
		}
	}
	if (v4)
		groups++; /* a.b.c.d stands for two groups and was counted once */
	if (colons < 2 || !(dbl || groups == 8))
		return false;
	return groups >= 2 && hex >= 5;
}

/* Writes a (16 bytes) as glibc's inet_ntop() does, which takes some 5000
 * instructions with sprintf() for the groups: lower-case hex groups
 * without leading zeros, the longest run of two or more zero groups (the
 * first of equal ones) as "::", and the last 32 bits as an IPv4 address
 * after six zero groups or five and ffff. out has INET6_ADDRSTRLEN bytes. */
static void
format_v6(const unsigned char *a, char *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned words[8];
	int best = -1, best_len = 0, cur = -1, cur_len = 0;
	for (int i = 0; i < 8; i++) {
		words[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		if (words[i] == 0) {
			if (cur == -1)
				cur = i, cur_len = 0;
			cur_len++;
			if (cur_len > best_len)
				best = cur, best_len = cur_len;
		} else {
			cur = -1;
		}
	}
	if (best_len < 2)
		best = -1;
	char *o = out;
	for (int i = 0; i < 8; i++) {
		if (best != -1 && i >= best && i < best + best_len) {
			if (i == best)
				*o++ = ':';
			continue;
		}
		if (i != 0)
			*o++ = ':';
		if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && words[5] == 0xffff))) {
			o += sprintf(o, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
			break;
		}
		bool digits = false;
		for (int shift = 12; shift >= 0; shift -= 4) {
			unsigned d = words[i] >> shift & 15;
			if (d || digits || shift == 0) {
				*o++ = hex[d];
				digits = true;
			}
		}
	}
	if (best != -1 && best + best_len == 8)
		*o++ = ':';
	*o = '\0';
}

/* An IPv6 address in [s, e) of a run; emits it and returns its end in
 * *end, or leaves *end 0. */
static trawl_status_t
try_v6(trawl_findings_t *out, const trawl_text_t *text, size_t s, size_t e, size_t *end)
{
	const unsigned char *t = (const unsigned char *)text->text;
	size_t len = text->len;
	*end = 0;
	size_t run_end = e;
	/* what ends a sentence or a label is not part of the address */
	while (e > s && t[e - 1] == '.')
		e--;
	if (e - s >= 2 && t[e - 1] == ':' && t[e - 2] != ':')
		e--;
	if (e - s < 3 || e - s >= INET6_ADDRSTRLEN)
		return TRAWL_OK;
	if (e == run_end && e < len && trawl_is_wordish(t[e]))
		return TRAWL_OK;
	if (!v6_shape_ok(t + s, e - s))
		return TRAWL_OK;
	char buf[INET6_ADDRSTRLEN];
	memcpy(buf, t + s, e - s);
	buf[e - s] = '\0';
	unsigned char a[16];
	char norm[INET6_ADDRSTRLEN];
	if (inet_pton(AF_INET6, buf, a) != 1)
		return TRAWL_OK;
	format_v6(a, norm);
	ip_class_t c = class_v6(a);
	*end = e;
	/* a zone index (fe80::1%eth0) is the machine's own business: skipped */
	if (e == run_end && e < len && t[e] == '%') {
		size_t z = e + 1;
		while (z < len && (trawl_is_alnum(t[z]) || t[z] == '_' || t[z] == '-' || t[z] == '.'))
			z++;
		*end = z;
	}
	return trawl_detect__emit(out, text, TRAWL_TYPE_IP, s, e, norm, c.conf, c.rule);
}

/* Every address holds a mark: an IPv6 one its colons, an IPv4 one a digit
 * followed by '.'. Is there one at k? */
static inline bool
is_mark(const unsigned char *t, size_t len, size_t k)
{
	(void)len;
	return t[k] == ':' || (t[k] == '.' && k > 0 && trawl_is_digit(t[k - 1]));
}

#ifdef __SSE2__
static inline unsigned
mark_mask(const unsigned char *p)
{
	trawl_v16_t c = trawl_v16_load(p);
	trawl_v16_t dot = trawl_v16_and(trawl_v16_eq(c, '.'), trawl_v16_digit(trawl_v16_load(p - 1)));
	return trawl_v16_mask(trawl_v16_or(trawl_v16_eq(c, ':'), dot));
}
#endif

/* The first mark at or after from, or len. */
static size_t
next_mark(const unsigned char *t, size_t len, size_t from)
{
	return trawl_detect__skip_to(t, len, from, 1, 0, TRAWL_V16_FN(mark_mask), is_mark);
}

static trawl_status_t
scan(const trawl_detector_set_t *set, trawl_findings_t *out, const trawl_text_t *text)
{
	(void)set;
	const unsigned char *t = (const unsigned char *)text->text;
	size_t len = text->len;
	size_t i = 0, mark = next_mark(t, len, 0);
	while (i < len) {
		size_t end = 0;
		trawl_status_t rc;
		if (i == 0 || !is_v6char(t[i - 1])) {
			/* Between runs. An address lies inside one run and holds a
			 * mark, so the runs before the one holding the next mark have
			 * none: on to the start of that run. */
			if (mark < i)
				mark = next_mark(t, len, i);
			if (mark == len)
				break;
			size_t from = i;
			for (i = mark; i > from && is_v6char(t[i - 1]); i--)
				;
			size_t re = i, colons = 0, first_colon = 0, dots = 0;
			while (re < len && is_v6char(t[re])) {
				if (t[re] == ':' && colons++ == 0)
					first_colon = re;
				dots += t[re] == '.';
				re++;
			}
			if (colons >= 2) {
				if (i == 0 || !trawl_is_wordish(t[i - 1])) {
					rc = try_v6(out, text, i, re, &end);
				} else if (first_colon + 1 < re && t[first_colon + 1] != ':') {
					/* glued to a label: "[IPv6:2001:db8::1]" */
					rc = try_v6(out, text, first_colon + 1, re, &end);
				} else {
					rc = TRAWL_OK;
				}
				if (rc < 0)
					return rc;
				if (end) {
					i = end;
					continue;
				}
			}
			/* No IPv6 address: IPv4 ones start at i or after a ':' or '.'
			 * of the run (after a hex digit try_v4() takes none), and each
			 * ends inside it, so the run needs three dots for one (times
			 * such as 12:30:45 have none). */
			for (size_t j = i; dots >= 3 && j < re;) {
				if (trawl_is_digit(t[j]) && (j == i || t[j - 1] == ':' || t[j - 1] == '.')) {
					if ((rc = try_v4(out, text, j, &end)) < 0)
						return rc;
					if (end) {
						j = end;
						continue;
					}
				}
				j++;
			}
			i = re;
			continue;
		}
		/* inside a run, where an address that was found ended: an address
		 * from i, i + 1, ... or i + MIN_IP - 1 on would take in the byte
		 * at i + MIN_IP - 1, so when that is none of its bytes, all those
		 * starts are out at once */
		if (i + MIN_IP <= len && !is_v6char(t[i + MIN_IP - 1])) {
			i += MIN_IP;
			continue;
		}
		if (trawl_is_digit(t[i])) {
			rc = try_v4(out, text, i, &end);
			if (rc < 0)
				return rc;
			if (end) {
				i = end;
				continue;
			}
		}
		i++;
	}
	return TRAWL_OK;
}

const trawl_detector_t trawl_detector_ip = {"ip", TRAWL_TYPE_IP, scan};
