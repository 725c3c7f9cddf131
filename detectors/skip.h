/* detectors/skip.h: tests on 16 bytes at once, for the detectors that skip
 * ahead to the next byte where a match can start (internal to the
 * detectors module).
 *
 * A detector using these defines what every one of its matches must hold
 * (IPv4 a digit followed by '.', a card four digits in a row, ...), finds
 * the next such place with a loop over 16 bytes at a time, and says in a
 * comment why the bytes it jumps over can hold no match. The loop finds
 * exactly the byte a plain loop would: the first set bit of the mask is the
 * first byte of the 16 that qualifies. Each user also keeps that plain loop,
 * for the tail of a text and for builds without SSE2 (which every x86-64
 * has; other machines take the plain loop throughout).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_DETECTORS_SKIP_H
#define TRAWL_DETECTORS_SKIP_H

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

/* Bytes in [lo, hi], for ASCII bounds with lo > 0. SSE2 compares bytes as
 * signed, which is what makes that work: every byte from 0x80 up is
 * negative, so below lo, and never in. */
static inline trawl_v16_t
trawl_v16_in(trawl_v16_t v, unsigned char lo, unsigned char hi)
{
	return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)(lo - 1))),
	                     _mm_cmplt_epi8(v, _mm_set1_epi8((char)(hi + 1))));
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

/* Bit k set for a true lane k: the first qualifying byte is the lowest set
 * bit (__builtin_ctz of a non-zero mask). */
static inline unsigned
trawl_v16_mask(trawl_v16_t v)
{
	return (unsigned)_mm_movemask_epi8(v);
}
#endif

#endif
