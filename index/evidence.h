/* index/evidence.h: what the report files of the index module share
 * (index/report.c, index/evidence.c). Not public API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_INDEX_EVIDENCE_H
#define TRAWL_INDEX_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include "trawl/report.h"

/* The findings of a message a report lists: of the subject (or not), each
 * (type, where, value) once, in the message's order. Indexes into
 * m->findings, *n_out of them; the caller frees the array. NULL when
 * memory is short. */
size_t *trawl_report__listed(const trawl_index_message_t *m, bool subject, size_t *n_out);

/* One stretch of the text that a snippet must not show as it stands. */
typedef struct {
	size_t start, end;     /* byte offsets into the text */
	trawl_seg_kind_t kind; /* FOCUS, OWN (with mask), HIDDEN (type), LINK */
	trawl_type_t type;
	const char *mask;      /* FOCUS, OWN: what stands in its place */
} trawl_evidence__span_t;

/* Cuts the snippet around text[start, end): about `context` characters
 * either side, moved to word boundaries and widened so that no span is cut
 * in two; then every span in it, and everything the patterns of report.h
 * match, is replaced. The window is returned in *ws, *we (may be NULL).
 * out is filled (zeroed first) with found set; free its contents with
 * trawl_evidence__snippet_clear(). */
trawl_status_t trawl_evidence__cut(trawl_snippet_t *out, const char *text, size_t len, size_t start, size_t end,
                                   const trawl_evidence__span_t *spans, size_t n_spans, size_t context, size_t *ws,
                                   size_t *we);

void trawl_evidence__snippet_clear(trawl_snippet_t *s);

#endif
