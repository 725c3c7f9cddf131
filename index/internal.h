/* index/internal.h: what index/index.c shares with the other files of the
 * index module (index/lifecycle.c). Not public API.
 *
 * index.c keeps the handle, the secret, the term scheme and the record
 * codec; these functions let the rest of the module use them without a
 * second copy of any of it. Every function takes a handle checked by the
 * caller (trawl_index__check()) unless it says otherwise, and sets the
 * handle's error on failure like the public functions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_INDEX_INTERNAL_H
#define TRAWL_INDEX_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include "index/xdb.h"
#include "util/util.h"
#include "trawl/index.h"

/* The base64url characters of a term's hash: its first 78 bits. */
#define TRAWL_INDEX__HASH_CHARS 13
/* An identifier term: "XE" and TRAWL_INDEX__HASH_CHARS characters of
 * HMAC-SHA256, NUL: 15 characters, as many as std::string holds without
 * allocating, which Xapian's writer does with each posting it is given. */
#define TRAWL_INDEX__TERM_LEN (2 + TRAWL_INDEX__HASH_CHARS + 1)
/* A document term: a prefix letter and TRAWL_INDEX__HASH_CHARS characters
 * of SHA-256, NUL. */
#define TRAWL_INDEX__DOC_TERM_LEN (1 + TRAWL_INDEX__HASH_CHARS + 1)

/* The tag byte that starts a record's data. */
#define TRAWL_INDEX__REC_MESSAGE 'M'
#define TRAWL_INDEX__REC_SOURCE 'S'

/* Clears the handle's error and checks it is open (and writable when
 * write): TRAWL_EINVAL otherwise. */
trawl_status_t trawl_index__check(trawl_index_t *idx, bool write);

/* The Xapian wrapper of the handle; owned by the handle. */
trawl_xdb_t *trawl_index__db(trawl_index_t *idx);

/* Sets the handle's error text and returns rc. */
trawl_status_t trawl_index__seterr(trawl_index_t *idx, trawl_status_t rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Takes the Xapian wrapper's message for a failed call; returns rc. */
trawl_status_t trawl_index__xerr(trawl_index_t *idx, trawl_status_t rc);

/* The keyed term of one identifier (type, norm). */
void trawl_index__id_term(const trawl_index_t *idx, trawl_type_t type, const char *norm,
                          char out[TRAWL_INDEX__TERM_LEN]);
/* The codec of document data (index/index.c): LEB128 numbers, strings as
 * length + 1 and bytes (0 for NULL). A cursor reads data of unknown
 * origin: a read past its end or a malformed number sets bad and yields 0
 * or NULL; take_s() returns a malloc'd copy (NULL also on out of memory,
 * *oom then set). */
typedef struct {
	const unsigned char *p, *end;
	bool bad;
} trawl_index__cursor_t;
trawl_status_t trawl_index__pack_u(trawl_buf_t *b, uint64_t v);
trawl_status_t trawl_index__pack_s(trawl_buf_t *b, const char *s);
uint64_t trawl_index__take_u(trawl_index__cursor_t *c);
char *trawl_index__take_s(trawl_index__cursor_t *c, bool *oom);

/* prefix + 78 bits of SHA-256 of len bytes of data, in base64url. */
void trawl_index__doc_term(char out[TRAWL_INDEX__DOC_TERM_LEN], char prefix, const void *data, size_t len);

/* Fills *m (zeroed by the caller) from a message record's data, marking
 * the findings whose term is one of terms (n, sorted with strcmp; may be
 * NULL; idx makes the terms a record does not keep). Free with
 * trawl_index__message_clear(). */
trawl_status_t trawl_index__unpack_message(const trawl_index_t *idx, trawl_index_message_t *m, const void *data, size_t len,
                                           const char (*terms)[TRAWL_INDEX__TERM_LEN], size_t n);
void trawl_index__message_clear(trawl_index_message_t *m);

/* An A term: 'A' and an identifier term (index/link.c). */
typedef char trawl_index__aterm_t[1 + TRAWL_INDEX__TERM_LEN];

/* Stores message record docid (data, len) again without the findings marked in drop (one
 * flag per finding, as trawl_index__unpack_message() lists them), with the
 * sender (from, from_name) and the subject line cleared when asked, and
 * with the links given (links_len bytes of index/link.c's value, standing
 * on the n_aterms A terms; none when links_len is 0). A record left with
 * no finding is deleted instead (*deleted set) and its source's count
 * lowered. Writable handles. */
trawl_status_t trawl_index__rewrite_message(trawl_index_t *idx, uint32_t docid, const void *data, size_t len, const bool *drop,
                                            bool clear_sender, bool clear_subject, const void *links,
                                            size_t links_len, const trawl_index__aterm_t *aterms,
                                            size_t n_aterms, bool *deleted);

/* Deletes a source's message records and its source record, and forgets
 * what this session kept of it. Writable handles. */
trawl_status_t trawl_index__drop_source(trawl_index_t *idx, const char *source);

/* The keyed terms of the subject's identifiers, as trawl_index_access()
 * expands the selector (links included), each list sorted and distinct:
 * every one into *all (they mark findings as the subject's), the searched
 * ones into *searched (they choose the subject's messages). Both malloc'd,
 * for the caller to free. */
trawl_status_t trawl_index__subject_terms(trawl_index_t *idx, const trawl_selector_t *sel,
                                          char (**all)[TRAWL_INDEX__TERM_LEN], size_t *n_all,
                                          char (**searched)[TRAWL_INDEX__TERM_LEN], size_t *n_searched);

/* The restriction in force for any of the n identifier terms (sorted or
 * not), or *out NULL; lives in index/lifecycle.c, used by
 * trawl_index_access(). */
trawl_status_t trawl_index__restriction(trawl_index_t *idx, const char (*terms)[TRAWL_INDEX__TERM_LEN], size_t n,
                                        trawl_restriction_t **out);

#endif
