/* index/link.h: subject linking, inside the index module (index/link.c).
 * Not public API.
 *
 * Linking has two halves. The rules read one message record (its findings
 * and its sender) and say which identifiers in it belong to which anchor,
 * an e-mail address or a full name; they need nothing but the record, so
 * tests can feed them records built by hand. The store keeps those links
 * in the index beside the message and reads them back for a request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_INDEX_LINK_H
#define TRAWL_INDEX_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "index/internal.h"
#include "trawl/index.h"
#include "trawl/scan.h"

/* ---- the rules ---- */

/* One link found in a message: anchor -> the finding at target. */
typedef struct {
	trawl_link_kind_t kind;
	trawl_type_t anchor_type; /* EMAIL, or NAME for TRAWL_LINK_NEAR */
	char *anchor;             /* its norm; owned */
	size_t target;            /* index into msg->findings.items */
} trawl_link_t;

typedef struct {
	trawl_link_t *items;
	size_t len, cap;
} trawl_links_t;

/* The distances the rules allow, in bytes of decoded text. */
#define TRAWL_LINK_SIG_GAP 200  /* between one signature line's data and the next */
#define TRAWL_LINK_SIG_SPAN 400 /* from the sender's name to the end of the signature */
#define TRAWL_LINK_NEAR_GAP 16  /* between the fields of a record: separators and
                                 * a short label (", ", "\nTel.: ", " (mobile: ") */
#define TRAWL_LINK_NEAR_MIN 2   /* messages that must show a NEAR link */

/* Appends every link of msg to out (see index/link.c for the rules), the
 * header links only when headers is set. Each (kind, anchor, target) once. */
trawl_status_t trawl_index__links(trawl_links_t *out, const trawl_message_t *msg, bool headers);
void trawl_index__links_clear(trawl_links_t *links);

/* ---- the store ---- */

/* The links of msg, for its record: into data (appended) the value of the
 * record's TRAWL_XDB_SLOT_LINKS, nothing when msg links nothing; into
 * *aterms (malloc'd, for the caller to free; NULL when none) the A terms
 * of their anchors, *n_aterms of them, sorted and distinct. idterms: the
 * identifier term of each of msg's findings, as trawl_index_prepare() made
 * them. Thread-safe: any thread, any handle, while the writer works. */
trawl_status_t trawl_index__prepare_links(const trawl_index_t *idx, const trawl_message_t *msg,
                                          const char (*idterms)[TRAWL_INDEX__TERM_LEN], trawl_buf_t *data,
                                          trawl_index__aterm_t **aterms, size_t *n_aterms);

/* What is left of a record's links once a subject is taken out. */
typedef struct {
	trawl_buf_t links;               /* the links kept, as the slot holds them; empty when none */
	size_t n_kept, n_dropped;        /* links kept, links that were the subject's */
	trawl_index__aterm_t *keep;      /* the A terms the links kept stand on (n_keep, sorted) */
	size_t n_keep;
	trawl_index__aterm_t *remove;    /* the A terms none of them does (n_remove, sorted) */
	size_t n_remove;
} trawl_index__links_left_t;

/* Takes the subject out of one record's links (data, len: its
 * TRAWL_XDB_SLOT_LINKS): the links whose anchor or target is one of
 * subject's identifier terms (n, sorted) go, the others stay, in *out
 * (free with trawl_index__links_left_clear(), also on failure). Changes
 * nothing in the index: the caller writes the record. */
trawl_status_t trawl_index__forget_links(trawl_index_t *idx, const void *data, size_t len,
                                         const char (*subject)[TRAWL_INDEX__TERM_LEN], size_t n_subject,
                                         trawl_index__links_left_t *out);
void trawl_index__links_left_clear(trawl_index__links_left_t *left);

/* One identifier linked to an anchor, gathered from the index. */
typedef struct {
	trawl_link_kind_t kind;
	trawl_type_t anchor_type;
	char *anchor;                        /* the anchor's norm */
	char anchor_term[TRAWL_INDEX__TERM_LEN];
	trawl_type_t type;
	char *norm;                          /* masked for card and iban */
	char term[TRAWL_INDEX__TERM_LEN];
	uint64_t messages;                   /* distinct Message-IDs */
} trawl_index__linked_t;

typedef struct {
	trawl_index__linked_t *items;
	size_t len;
} trawl_index__linked_list_t;

/* Every link anchored at one of the n anchor terms, or at any anchor when
 * anchors is NULL, one entry per (kind, anchor, target) with its count;
 * ordered by anchor, kind, type, norm. Retries by itself when a writer
 * overtakes the reader. Free with trawl_index__linked_clear(). */
trawl_status_t trawl_index__linked(trawl_index_t *idx, const char (*anchors)[TRAWL_INDEX__TERM_LEN], size_t n,
                                   trawl_index__linked_list_t *out);
void trawl_index__linked_clear(trawl_index__linked_list_t *l);

#endif
