/* trawl/index.h: the per-message, per-subject index (Xapian underneath).
 *
 * One document per message record; a term per identifier found in it, looked
 * up by keyed hash (HMAC-SHA256 with a per-index secret kept in DIR/secret,
 * mode 0600); one document per source with its kind, counts and skips.
 * The index folder is created mode 0700. Full card numbers and IBANs never
 * enter it in clear: a keyed hash plus the last four characters.
 *
 * Exactly one thread may use a writable handle. A read-only handle may be
 * used by one thread at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_INDEX_H
#define TRAWL_INDEX_H

#include <stdint.h>
#include "trawl/scan.h"
#include "trawl/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct trawl_index trawl_index_t;

typedef enum {
	TRAWL_INDEX_READ,  /* fails with TRAWL_ENOTFOUND when there is no index */
	TRAWL_INDEX_WRITE  /* creates DIR (0700) and the secret (0600) when absent */
} trawl_index_mode_t;

/* Opens the index in dir. *out is owned by the caller, closed with
 * trawl_index_free(). On failure *out is still set when a handle could be
 * made, so that trawl_index_last_error() can say why; free it all the same. */
trawl_status_t trawl_index_open(trawl_index_t **out, const char *dir, trawl_index_mode_t mode);

/* Closes the index. Changes of a writable handle since the last
 * trawl_index_commit() are discarded. NULL is a no-op. */
void trawl_index_free(trawl_index_t *idx);

/* Detail of the last error on this handle; owned by the handle, valid until
 * the next call on it. Never NULL ("" when there was none). */
const char *trawl_index_last_error(const trawl_index_t *idx);

/* Writing. Records are buffered by Xapian until trawl_index_commit(). */

/* Adds (or replaces: same source and location) one message record. */
trawl_status_t trawl_index_add_message(trawl_index_t *idx, const trawl_message_t *msg);

/* Records a scan event: SOURCE_BEGIN drops what an earlier scan indexed from
 * that source (it is being read again), SKIP adds to the source's skip list,
 * SOURCE_END stores the source's kind and counts. */
trawl_status_t trawl_index_add_event(trawl_index_t *idx, const trawl_event_t *event);

/* Makes everything added so far durable. */
trawl_status_t trawl_index_commit(trawl_index_t *idx);

#ifdef __cplusplus
}
#endif
#endif
