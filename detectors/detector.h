/* detectors/detector.h: the interface every detector implements (internal
 * to the detectors module). To add a detector: write detectors/<name>.c
 * defining a `const trawl_detector_t trawl_detector_<name>` and list it in
 * detectors/registry.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_DETECTORS_DETECTOR_H
#define TRAWL_DETECTORS_DETECTOR_H

#include <stdbool.h>
#include "trawl/detect.h"

typedef struct trawl_detector trawl_detector_t;

struct trawl_detector {
	const char *name;  /* "email", "card", ... */
	trawl_type_t type; /* what it finds */
	/* Scans one text and appends findings with trawl_detect__emit().
	 * Must be thread-safe: no state but the arguments. */
	trawl_status_t (*scan)(const trawl_detector_set_t *set, trawl_findings_t *out,
	                       const trawl_text_t *text);
};

/* The set: built once, read-only afterwards. */
struct trawl_detector_set {
	trawl_detect_opts_t opts;
	double min_confidence;
	const trawl_detector_t *const *detectors; /* NULL-terminated */
	void *rules;                              /* rules/ data, owned by the set */
};

/* Appends one finding for text->text[start, end) with the text's where and
 * part; norm is copied. */
trawl_status_t trawl_detect__emit(trawl_findings_t *out, const trawl_text_t *text, trawl_type_t type,
                                  size_t start, size_t end, const char *norm, double confidence,
                                  const char *rule);

/* Character classes on bytes (ASCII only; UTF-8 continuation bytes are never
 * word characters here, so a match never starts inside a multibyte letter). */
static inline bool trawl_is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline bool trawl_is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static inline bool trawl_is_alnum(unsigned char c) { return trawl_is_digit(c) || trawl_is_alpha(c); }
static inline bool trawl_is_xdigit(unsigned char c)
{
	return trawl_is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}
/* A byte that can be part of a word in any script: ASCII alnum or any
 * non-ASCII byte (letters of other scripts are UTF-8 multibyte). */
static inline bool trawl_is_wordish(unsigned char c) { return trawl_is_alnum(c) || c >= 0x80 || c == '_'; }

/* Luhn (ISO/IEC 7812-1 annex B) over n ASCII digits: cards, IMEI, many
 * national numbers. */
static inline bool
trawl_detect__luhn(const char *digits, size_t n)
{
	unsigned sum = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned v = (unsigned)(digits[n - 1 - i] - '0');
		if (i & 1) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	return sum % 10 == 0;
}

/* True when one of the words (lower-case ASCII, NULL-terminated list) stands
 * within `window` bytes before pos in text, compared case-insensitively. */
bool trawl_detect__context_before(const trawl_text_t *text, size_t pos, size_t window,
                                  const char *const *words);

#endif
