/* detectors/skip.h: finding the next place where a match can start, 16
 * bytes at a time (internal to the detectors module).
 *
 * A detector using this defines a test that a place in every one of its
 * matches passes (IP: a ':', or a '.' after a digit; cards: four digits and
 * one more three bytes on; ...), and says in a comment why. It gives that
 * test twice: as a plain function of one place, and as a function of 16
 * places at once built from the trawl_v16_*() tests below, returning a bit
 * for each place that passes. trawl_detect__skip_to() then finds the first
 * place that passes, exactly as a plain loop would, since the lowest set
 * bit of a block's mask is its first place that passes. Builds without SSE2
 * (which every x86-64 has) run the plain loop.
 *
 * Both tests are best declared static inline: without it GCC calls the
 * 16-place one for every block (it did so in ip.c, card.c, mac.c and
 * iban.c), which costs more than the test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_DETECTORS_SKIP_H
#define TRAWL_DETECTORS_SKIP_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __SSE2__
#include <emmintrin.h>

/* 16 bytes; every lane of a test's result is 0xFF (true) or 0 (false). */
typedef __m128i trawl_v16_t;

/* The 16 bytes from p, which need not be aligned. */
static inline trawl_v16_t
trawl_v16_load(const unsigned char *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}

static inline trawl_v16_t
trawl_v16_eq(trawl_v16_t v, unsigned char c)
{
	return _mm_cmpeq_epi8(v, _mm_set1_epi8((char)c));
}

/* Lanes where a and b hold the same byte. */
static inline trawl_v16_t
trawl_v16_same(trawl_v16_t a, trawl_v16_t b)
{
	return _mm_cmpeq_epi8(a, b);
}

/* Bytes in [lo, hi] (lo <= hi; not all of [0, 255]). SSE2 compares bytes
 * only as signed numbers, so the range is first moved to end at 127, the
 * largest: adding 127 - hi maps [lo, hi] on [127 - (hi - lo), 127], the
 * bytes below lo below that, and those above hi past 127, where they wrap
 * around to -128 and rise to at most 126 - hi, below it too. One compare
 * then tells: two instructions where a pair of compares takes five. */
static inline trawl_v16_t
trawl_v16_in(trawl_v16_t v, unsigned char lo, unsigned char hi)
{
	trawl_v16_t moved = _mm_add_epi8(v, _mm_set1_epi8((char)(unsigned char)(127 - hi)));
	return _mm_cmpgt_epi8(moved, _mm_set1_epi8((char)(126 - (hi - lo))));
}

static inline trawl_v16_t
trawl_v16_and(trawl_v16_t a, trawl_v16_t b)
{
	return _mm_and_si128(a, b);
}

static inline trawl_v16_t
trawl_v16_or(trawl_v16_t a, trawl_v16_t b)
{
	return _mm_or_si128(a, b);
}

/* trawl_is_digit(), trawl_is_xdigit() and 'A'-'Z' on 16 bytes. */
static inline trawl_v16_t
trawl_v16_digit(trawl_v16_t v)
{
	return trawl_v16_in(v, '0', '9');
}

static inline trawl_v16_t
trawl_v16_xdigit(trawl_v16_t v)
{
	/* as trawl_is_xdigit(): letters folded to lower case by the 0x20 bit */
	trawl_v16_t lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
	return _mm_or_si128(trawl_v16_digit(v), trawl_v16_in(lower, 'a', 'f'));
}

static inline trawl_v16_t
trawl_v16_upper(trawl_v16_t v)
{
	return trawl_v16_in(v, 'A', 'Z');
}

/* Bit k set for a true lane k. */
static inline unsigned
trawl_v16_mask(trawl_v16_t v)
{
	return (unsigned)_mm_movemask_epi8(v);
}

/* A detector's 16-place test, or NULL without SSE2. */
#define TRAWL_V16_FN(fn) (fn)
#else
#define TRAWL_V16_FN(fn) NULL
#endif

/* A detector's test of the place k in t (len bytes). */
typedef bool (*trawl_skip_test_t)(const unsigned char *t, size_t len, size_t k);
/* The same test of the 16 places from p: bit j for the place p + j. It
 * reads the bytes from p - before to p + 15 + after (the numbers given to
 * trawl_detect__skip_to()) and no others, and is used only where those are
 * all in the text. */
typedef unsigned (*trawl_skip_mask_t)(const unsigned char *p);

/* The first place k at or after from that passes test, or len. mask
 * (TRAWL_V16_FN(fn)) must agree with test wherever it is used. Inlined
 * with constant functions, so that the compiler inlines those too. */
static inline size_t
trawl_detect__skip_to(const unsigned char *t, size_t len, size_t from, size_t before, size_t after,
                      trawl_skip_mask_t mask, trawl_skip_test_t test)
{
	size_t k = from;
#ifdef __SSE2__
	/* the places a block cannot look back from */
	for (; k < before && k < len; k++)
		if (test(t, len, k))
			return k;
	for (; k + 16 + after <= len; k += 16) {
		unsigned m = mask(t + k);
		if (m)
			return k + (size_t)__builtin_ctz(m);
	}
	/* The places left but the last `after`, fewer than 16, in one block
	 * that ends where the text does: it starts at b, before k, and the
	 * bits of the places before k, looked at already, are shifted out. */
	if (k + after < len && len >= before + 16 + after) {
		size_t b = len - 16 - after;
		unsigned m = mask(t + b) >> (k - b);
		if (m)
			return k + (size_t)__builtin_ctz(m);
		k = len - after;
	}
#else
	(void)before;
	(void)after;
	(void)mask;
#endif
	for (; k < len; k++)
		if (test(t, len, k))
			return k;
	return len;
}

#endif
