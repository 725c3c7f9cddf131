/* util/util.h: small helpers shared by every module (not public API).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_UTIL_H
#define TRAWL_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "trawl/status.h"

/* A growable byte buffer, always NUL-terminated when len > 0 or after
 * trawl_buf_cstr(). Zero-initialise; free with trawl_buf_free(). */
typedef struct {
	char *data;
	size_t len, cap;
} trawl_buf_t;

trawl_status_t trawl_buf_grow(trawl_buf_t *b, size_t extra);
trawl_status_t trawl_buf_put(trawl_buf_t *b, const void *p, size_t n);
trawl_status_t trawl_buf_puts(trawl_buf_t *b, const char *s);
trawl_status_t trawl_buf_putc(trawl_buf_t *b, char c);
trawl_status_t trawl_buf_printf(trawl_buf_t *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The contents as a C string (never NULL; "" when empty); owned by the buffer. */
const char *trawl_buf_cstr(trawl_buf_t *b);
/* Hands the contents to the caller (free() it); the buffer is left empty. */
char *trawl_buf_detach(trawl_buf_t *b);
void trawl_buf_reset(trawl_buf_t *b);
void trawl_buf_free(trawl_buf_t *b);

/* JSON: appends s (n bytes, or strlen when n == (size_t)-1) as a quoted,
 * escaped JSON string. Invalid UTF-8 bytes become U+FFFD. NULL becomes null. */
trawl_status_t trawl_json_str(trawl_buf_t *b, const char *s, size_t n);
/* The same, written to a stream. */
void trawl_json_fputs(FILE *f, const char *s);

/* strndup that returns NULL only when p is NULL or memory is short. */
char *trawl_strndup(const char *p, size_t n);

/* Lower-cases ASCII letters in place; returns s. */
char *trawl_ascii_lower(char *s);

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
size_t trawl_utf8_seq_len(const unsigned char *s, size_t avail);

/* Hex of the SHA-256 of data: 64 chars + NUL written to out. */
void trawl_sha256_hex(char out[65], const void *data, size_t len);

#endif
