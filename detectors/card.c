/* Payment card numbers: 13 to 19 digits, grouped as cards are printed,
 * passing the Luhn check and starting with the issuer prefix of a major
 * brand at a length that brand issues.
 *
 * Anchored on runs of digit groups; each run is read once. A run that does
 * not make a card as a whole may still start with one ("4111 1111 1111
 * 1111 12/25"), unless what follows reads as more of the same number.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "detectors/detector.h"
#include "detectors/skip.h"

#include <string.h>

#define MAX_GROUPS 8

typedef struct {
	size_t start, end;
} group_t;

/* Separator at i: ' ', '-' or a no-break space (U+00A0, U+202F); its
 * length and a code for it, or 0. */
static size_t
sep_at(const unsigned char *t, size_t len, size_t i, int *kind)
{
	if (t[i] == ' ' || t[i] == '-') {
		*kind = t[i];
		return 1;
	}
	if (t[i] == 0xC2 && i + 1 < len && t[i + 1] == 0xA0) {
		*kind = 0xA0;
		return 2;
	}
	if (t[i] == 0xE2 && i + 2 < len && t[i + 1] == 0x80 && t[i + 2] == 0xAF) {
		*kind = 0x202F;
		return 3;
	}
	return 0;
}

static unsigned
prefix(const char *d, size_t k)
{
	unsigned v = 0;
	for (size_t i = 0; i < k; i++)
		v = v * 10 + (unsigned)(d[i] - '0');
	return v;
}

/* Does a brand issue numbers of n digits starting so? */
static bool
brand_ok(const char *d, size_t n)
{
	unsigned p1 = prefix(d, 1), p2 = prefix(d, 2), p3 = prefix(d, 3), p4 = prefix(d, 4),
	         p6 = prefix(d, 6);
	/* Visa */
	if (p1 == 4)
		return n == 13 || n == 16 || n == 19;
	/* Mastercard */
	if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720))
		return n == 16;
	/* American Express */
	if (p2 == 34 || p2 == 37)
		return n == 15;
	/* JCB */
	if (p4 >= 3528 && p4 <= 3589)
		return n >= 16 && n <= 19;
	/* Diners Club */
	if (p2 == 36 || (p3 >= 300 && p3 <= 305) || p2 == 38 || p2 == 39)
		return n >= 14 && n <= 19;
	/* Discover */
	if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 || (p6 >= 622126 && p6 <= 622925))
		return n >= 16 && n <= 19;
	/* UnionPay */
	if (p2 == 62)
		return n >= 16 && n <= 19;
	/* Maestro (12 digits exist but are too rare to outweigh the noise) */
	if (p2 == 50 || (p2 >= 56 && p2 <= 69))
		return n >= 13 && n <= 19;
	return false;
}

/* Numbers the card schemes and payment providers publish for testing. */
static const char *const test_numbers[] = {
	"4111111111111111", "4242424242424242", "4012888888881881", "4222222222222",
	"4000056655665556", "4000000000000002", "4000000000000077", "4000000000009995",
	"4000002500003155", "4000000000003220", "4917610000000000", "4462030000000000",
	"5555555555554444", "5105105105105100", "5200828282828210", "5454545454545454",
	"2223003122003222", "2221000000000009", "378282246310005",  "371449635398431",
	"378734493671000",  "6011111111111117", "6011000990139424", "6011000400000000",
	"30569309025904",   "38520000023237",   "36227206271667",   "3056930009020004",
	"3530111333300000", "3566002020360505", "3566111111111113", "6200000000000005",
	"6250941006528599", "5019717010103742", "6331101999990016", "6759649826438453",
	NULL,
};

static bool
is_test_number(const char *d)
{
	for (const char *const *p = test_numbers; *p; p++)
		if (strcmp(d, *p) == 0)
			return true;
	return false;
}

static const char *const hotwords[] = {
	"card", "credit", "karte", "visa", "mastercard", "amex", "debit", "carte", "tarjeta",
	"kreditkarte", "cc#", "cc no", NULL,
};

/* Is this grouping one that cards are printed in? */
static bool
grouping_ok(const group_t *g, size_t k)
{
	if (k == 1)
		return true;
	size_t l[MAX_GROUPS];
	for (size_t i = 0; i < k; i++)
		l[i] = g[i].end - g[i].start;
	if (k == 3 && l[0] == 4 && l[1] == 6 && (l[2] == 5 || l[2] == 4))
		return true; /* Amex 4-6-5, Diners 4-6-4 */
	for (size_t i = 0; i + 1 < k; i++)
		if (l[i] != 4)
			return false;
	return l[k - 1] >= 1 && l[k - 1] <= 4;
}

static bool
is_decimal_mark(const unsigned char *t, size_t len, size_t i)
{
	/* "1.234" or "1,5": a digit either side of '.' or ',' */
	return (t[i] == '.' || t[i] == ',') && i + 1 < len && trawl_is_digit(t[i + 1]);
}

static size_t
glen(const group_t *g, size_t i)
{
	return g[i].end - g[i].start;
}

/* Finds the cards in a run of ng digit groups. A card may take part of the
 * run: it may end early, and start late, when the group next to it cannot
 * belong to it (a group of four would: that is more of a longer number). */
static trawl_status_t
find_cards(trawl_findings_t *out, const trawl_text_t *text, const group_t *g, size_t ng)
{
	const unsigned char *t = (const unsigned char *)text->text;
	bool after_card = false;
	for (size_t s = 0; s < ng;) {
		size_t hit = 0;
		if (s > 0 && !after_card && glen(g, s - 1) == 4) {
			s++;
			continue;
		}
		for (size_t k = ng; k > s && !hit; k--) {
			if (k < ng && glen(g, k) == 4)
				continue;
			char d[20];
			size_t n = 0;
			bool fits = true;
			for (size_t i = s; i < k && fits; i++) {
				if (n + glen(g, i) > 19) {
					fits = false;
				} else {
					memcpy(d + n, t + g[i].start, glen(g, i));
					n += glen(g, i);
				}
			}
			if (!fits || n < 13 || !grouping_ok(g + s, k - s))
				continue;
			d[n] = '\0';
			if (!trawl_detect__luhn(d, n) || !brand_ok(d, n))
				continue;
			size_t start = g[s].start, end = g[k - 1].end;
			trawl_status_t rc;
			if (is_test_number(d)) {
				rc = trawl_detect__emit(out, text, TRAWL_TYPE_CARD, start, end, d, 0.3, "card.test");
			} else {
				bool hot = trawl_detect__context_before(text, start, 40, hotwords);
				rc = trawl_detect__emit(out, text, TRAWL_TYPE_CARD, start, end, d, hot ? 0.97 : 0.9,
				                        "card.luhn");
			}
			if (rc < 0)
				return rc;
			hit = k;
		}
		after_card = hit != 0;
		s = hit ? hit : s + 1;
	}
	return TRAWL_OK;
}

/* Does the run at i continue the space-separated groups of an IBAN
 * ("GB60 LOYD 6010 9633 9040 61")? Walks back over groups of four letters
 * and digits to one of the form CCdd. */
static bool
continues_iban(const unsigned char *t, size_t i)
{
	for (int groups = 0; groups < 8; groups++) {
		if (i < 5 || t[i - 1] != ' ')
			return false;
		size_t s = i - 5;
		for (size_t k = s; k < i - 1; k++)
			if (!trawl_is_digit(t[k]) && !(t[k] >= 'A' && t[k] <= 'Z'))
				return false;
		if (s > 0 && trawl_is_wordish(t[s - 1]))
			return false;
		if (trawl_is_alpha(t[s]) && trawl_is_alpha(t[s + 1]) && trawl_is_digit(t[s + 2]) &&
		    trawl_is_digit(t[s + 3]))
			return true;
		i = s;
	}
	return false;
}

#define MIN_CARD 13 /* digits */

/* The bytes of a run of digit groups: digits and those of sep_at(). */
static bool
is_run_byte(unsigned char c)
{
	return trawl_is_digit(c) || c == ' ' || c == '-' || c == 0xC2 || c == 0xA0 || c == 0xE2 || c == 0x80 ||
	       c == 0xAF;
}

/* Can a card start at k? It starts with four digits, and the byte three
 * after them is a digit too: one of its 13 or more in a row, or one of the
 * second group, which has at least four digits (only a last group has
 * fewer, and two groups make no more than eight) and begins one to three
 * bytes on, after the separator. */
static inline bool
can_start(const unsigned char *t, size_t len, size_t k)
{
	return k + 8 <= len && trawl_is_digit(t[k]) && trawl_is_digit(t[k + 1]) && trawl_is_digit(t[k + 2]) &&
	       trawl_is_digit(t[k + 3]) && trawl_is_digit(t[k + 7]);
}

#ifdef __SSE2__
static inline unsigned
start_mask(const unsigned char *p)
{
	/* the first and the last digit first, which text seldom has; the
	 * others only where it does */
	unsigned m = trawl_v16_mask(trawl_v16_and(trawl_v16_digit(trawl_v16_load(p)),
	                                          trawl_v16_digit(trawl_v16_load(p + 7))));
	if (m) {
		trawl_v16_t mid = trawl_v16_and(trawl_v16_digit(trawl_v16_load(p + 1)),
		                                trawl_v16_digit(trawl_v16_load(p + 2)));
		m &= trawl_v16_mask(trawl_v16_and(mid, trawl_v16_digit(trawl_v16_load(p + 3))));
	}
	return m;
}
#endif

/* The first place at or after from where a card can start, or len. */
static size_t
next_start(const unsigned char *t, size_t len, size_t from)
{
	return trawl_detect__skip_to(t, len, from, 0, 7, TRAWL_V16_FN(start_mask), can_start);
}

static trawl_status_t
scan(const trawl_detector_set_t *set, trawl_findings_t *out, const trawl_text_t *text)
{
	(void)set;
	const unsigned char *t = (const unsigned char *)text->text;
	size_t len = text->len, i = 0, start = next_start(t, len, 0);
	while (i < len) {
		/* i is where the last run ended or after a byte that is neither
		 * digit nor separator, which no run takes in; so is the last such
		 * byte before the next place a card can start. The runs that
		 * start between the two end before that byte and hold no card:
		 * on to it. */
		if (start < i)
			start = next_start(t, len, i);
		if (start == len)
			break;
		if (i < start) {
			size_t from = i;
			for (i = start; i > from && is_run_byte(t[i - 1]); i--)
				;
		}
		/* A run that starts at i, i + 1, ... or i + MIN_CARD - 1 and holds
		 * a card takes in the byte at i + MIN_CARD - 1: when that is neither
		 * digit nor separator, those runs are all too short, and the next
		 * one starts after it. */
		if (i + MIN_CARD <= len && !is_run_byte(t[i + MIN_CARD - 1])) {
			i += MIN_CARD;
			continue;
		}
		if (!trawl_is_digit(t[i])) {
			i++;
			continue;
		}
		/* the run of digit groups starting here */
		group_t g[MAX_GROUPS];
		size_t ng = 0;
		bool overflow = false;
		int sep = 0;
		size_t j = i;
		for (;;) {
			size_t s = j;
			while (j < len && trawl_is_digit(t[j]))
				j++;
			if (ng < MAX_GROUPS)
				g[ng++] = (group_t){s, j};
			else
				overflow = true;
			int kind = 0;
			size_t sl = j < len ? sep_at(t, len, j, &kind) : 0;
			if (!sl || (sep && kind != sep) || j + sl >= len || !trawl_is_digit(t[j + sl]))
				break;
			sep = kind;
			j += sl;
		}
		size_t run_end = j;
		unsigned char prev = i ? t[i - 1] : ' ';
		bool left_ok = !trawl_is_wordish(prev) && prev != '+' &&
		               !(i >= 2 && (prev == '.' || prev == ',') && trawl_is_digit(t[i - 2])) &&
		               !continues_iban(t, i);
		/* a letter or a decimal part right after the run joins it to more */
		bool right_ok = run_end == len || (!trawl_is_wordish(t[run_end]) && !is_decimal_mark(t, len, run_end));
		/* A run glued to a word at its start is part of something longer
		 * (an IBAN's "DE13 2436 ...", a reference "ID4556..."). One glued
		 * at its end loses its last group, which must then not be one of
		 * four ("... 1111 12abc"). */
		size_t last = ng;
		if (!right_ok)
			last = glen(g, ng - 1) == 4 ? 0 : ng - 1;
		if (left_ok && !overflow && last > 0) {
			trawl_status_t rc = find_cards(out, text, g, last);
			if (rc < 0)
				return rc;
		}
		i = run_end;
	}
	return TRAWL_OK;
}

const trawl_detector_t trawl_detector_card = {"card", TRAWL_TYPE_CARD, scan};
