/* index/xdb.h: the thin C face of Xapian (internal to the index module).
 *
 * index/xdb.cc is the only C++ behind it: every function here is noexcept,
 * maps Xapian's exceptions to trawl status codes and copies the message onto
 * the handle. No Xapian type crosses this header; documents go in and come
 * out as plain bytes, terms as NUL-terminated strings.
 *
 * A writable handle works inside a Xapian transaction from the moment it is
 * opened: trawl_xdb__commit() commits it and starts the next one, and
 * trawl_xdb__free() cancels whatever was not committed. (Without that, the
 * WritableDatabase destructor, and Xapian's own flush threshold, would
 * commit half a scan behind our back.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_INDEX_XDB_H
#define TRAWL_INDEX_XDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "trawl/status.h"

#ifdef __cplusplus
#define TRAWL_XDB_NOEXCEPT noexcept
extern "C" {
#else
#define TRAWL_XDB_NOEXCEPT
#endif

typedef struct trawl_xdb trawl_xdb_t;

/* Slot 0 held a message's date until index format 6, for range queries
 * and sorting no query made (the record holds the date): 2% of the writer
 * thread's instructions. */
/* A message record (trawl_xdb_doc_t.data) is Xapian's document data,
 * stored as it is: glass deflates data over 18 bytes by default, so a new
 * database is made with that threshold at 0 (trawl_xdb__open()). Slot 1
 * held it in index formats 3 to 5: a value goes through a map of pending
 * changes and into glass's value chunks at each commit, the data straight
 * into its table (the writer thread's instructions, trawl scan of 20 MB:
 * 1,625 M in slot 1, 1,547 M as data; deflated, 4,635 M). */
/* The value slot holding the links of a message record
 * (trawl_xdb_doc_t.links, index/link.c): on the record itself rather than
 * a document of their own, which doubled the documents the writer thread
 * stores (each one a term list glass deflates, with a 128 KB table reset
 * for each). Empty on documents that link nothing. */
#define TRAWL_XDB_SLOT_LINKS 2
/* The value slot holding a source record (trawl_xdb_doc_t.data when
 * source_record is set), listed by the slot's value stream: a document
 * with no term but its unique one has a term list of at most 18 bytes,
 * which glass stores without deflating (a maildir has a source a message). */
#define TRAWL_XDB_SLOT_SOURCE 3

/* One term of a document. wdf 0 makes a boolean term (a filter, no weight). */
typedef struct {
	const char *name;
	unsigned wdf;
} trawl_xdb_term_t;

/* A document to store. Everything is borrowed for the call. */
typedef struct {
	const void *data; /* the document data, or in TRAWL_XDB_SLOT_SOURCE */
	size_t data_len;
	bool source_record; /* data goes to TRAWL_XDB_SLOT_SOURCE */
	const void *links; /* stored in TRAWL_XDB_SLOT_LINKS when links_len > 0 */
	size_t links_len;
	const trawl_xdb_term_t *terms;
	size_t n_terms;
} trawl_xdb_doc_t;

/* Opens the database at path: writable (created when absent) or read-only.
 * *out is set whenever a handle could be allocated, also on failure, so
 * that trawl_xdb__last_error() can say why; free it all the same. */
trawl_status_t trawl_xdb__open(trawl_xdb_t **out, const char *path, bool writable) TRAWL_XDB_NOEXCEPT;

/* The glass tables a new database stores undeflated (their numbers in
 * glass_defs.h's Glass::table_type). */
typedef enum {
	TRAWL_XDB_DOCDATA = 1,
	TRAWL_XDB_TERMLIST = 2,
} trawl_xdb_table_t;

/* The compress_min of one table of the database at path (0: stored as it
 * is, xdb.cc's create_undeflated()), or -1 when it cannot be read. For
 * tests. */
long trawl_xdb__compress_min(const char *path, trawl_xdb_table_t table) TRAWL_XDB_NOEXCEPT;

/* The database's metadata value for key into *out (malloc'd, "" when it
 * has none; the caller frees it) and its number of documents. */
trawl_status_t trawl_xdb__get_meta(trawl_xdb_t *db, const char *key, char **out,
                                   uint64_t *doccount) TRAWL_XDB_NOEXCEPT;
/* Sets a metadata value, committed with the transaction. Writable handles. */
trawl_status_t trawl_xdb__set_meta(trawl_xdb_t *db, const char *key, const char *value) TRAWL_XDB_NOEXCEPT;

/* Closes the database; a writable handle's uncommitted changes are
 * discarded. NULL is a no-op. */
void trawl_xdb__free(trawl_xdb_t *db) TRAWL_XDB_NOEXCEPT;

/* The message of the last error; owned by the handle, valid until the next
 * call on it; "" when there was none. */
const char *trawl_xdb__last_error(const trawl_xdb_t *db) TRAWL_XDB_NOEXCEPT;

/* Stores doc as a new document, replacing none. Writable handles only. */
trawl_status_t trawl_xdb__add(trawl_xdb_t *db, const trawl_xdb_doc_t *doc) TRAWL_XDB_NOEXCEPT;

/* Stores doc, replacing every document that holds unique_term (which must
 * also be among doc's terms). Writable handles only. */
trawl_status_t trawl_xdb__replace(trawl_xdb_t *db, const char *unique_term,
                                  const trawl_xdb_doc_t *doc) TRAWL_XDB_NOEXCEPT;

/* A document built ahead of storing, on any thread: the worker that made a
 * record builds it, so that the one thread owning the writer only stores
 * it. Not shared between threads at the same time. */
typedef struct trawl_xdb_built trawl_xdb_built_t;

/* Builds doc (borrowed for the call) into *out: owned by the caller, freed
 * with trawl_xdb__built_free(). Needs no database handle. */
trawl_status_t trawl_xdb__build(const trawl_xdb_doc_t *doc, trawl_xdb_built_t **out) TRAWL_XDB_NOEXCEPT;
void trawl_xdb__built_free(trawl_xdb_built_t *built) TRAWL_XDB_NOEXCEPT;

/* Adds a built document (borrowed) without looking for one to replace:
 * for documents whose unique term no document can hold. */
trawl_status_t trawl_xdb__add_built(trawl_xdb_t *db, const trawl_xdb_built_t *built) TRAWL_XDB_NOEXCEPT;

/* Deletes every document holding term. Writable handles only. */
trawl_status_t trawl_xdb__delete(trawl_xdb_t *db, const char *term) TRAWL_XDB_NOEXCEPT;

/* Commits the transaction in progress and begins the next. */
trawl_status_t trawl_xdb__commit(trawl_xdb_t *db) TRAWL_XDB_NOEXCEPT;

/* How many documents hold term (*out), and the sum of term's wdf over all
 * documents (*coll, may be NULL). */
trawl_status_t trawl_xdb__term_freq(trawl_xdb_t *db, const char *term, uint64_t *out,
                                    uint64_t *coll) TRAWL_XDB_NOEXCEPT;

/* Receives the data of one document; data is owned by the caller of the
 * callback and valid during the call only. Return TRAWL_OK to go on. */
typedef trawl_status_t (*trawl_xdb_data_fn)(const void *data, size_t len, void *payload);

/* Calls fn, in document id order, with the data of every document holding
 * any of the n terms (each document once). When a writer's commits outrun
 * this reader (Xapian::DatabaseModifiedError), the handle is reopened at the
 * newest revision and TRAWL_EMODIFIED returned: whatever fn gathered is from
 * two revisions, so the caller throws it away and asks again. */
trawl_status_t trawl_xdb__each(trawl_xdb_t *db, const char *const *terms, size_t n, trawl_xdb_data_fn fn,
                               void *payload) TRAWL_XDB_NOEXCEPT;

/* Receives one document: its id and data (valid during the call only).
 * Return TRAWL_OK to go on. */
typedef trawl_status_t (*trawl_xdb_doc_fn)(uint32_t docid, const void *data, size_t len, void *payload);

/* As trawl_xdb__each(), with each document's id: for changing or deleting
 * documents that have no unique term (gather first, change after: the
 * database must not change while this runs). */
trawl_status_t trawl_xdb__each_id(trawl_xdb_t *db, const char *const *terms, size_t n, trawl_xdb_doc_fn fn,
                                  void *payload) TRAWL_XDB_NOEXCEPT;

/* Calls fn, in document id order, with the id and the value in slot (as
 * data) of every document holding any of the n terms, or of every document
 * of the database when terms is NULL; documents with nothing in slot are
 * passed over. Reopens and returns TRAWL_EMODIFIED as trawl_xdb__each()
 * does. */
trawl_status_t trawl_xdb__each_value(trawl_xdb_t *db, unsigned slot, const char *const *terms, size_t n,
                                     trawl_xdb_doc_fn fn, void *payload) TRAWL_XDB_NOEXCEPT;

/* Gives document docid a new value in slot (len 0 clears it) and takes the
 * n terms of remove off it (those it does not hold are no error); its
 * other terms and values stay. Writable handles only. */
trawl_status_t trawl_xdb__rewrite_id(trawl_xdb_t *db, uint32_t docid, unsigned slot, const void *value, size_t len,
                                     const char *const *remove, size_t n) TRAWL_XDB_NOEXCEPT;

/* Deletes one document by id (no error when it is gone). Writable handles only. */
trawl_status_t trawl_xdb__delete_id(trawl_xdb_t *db, uint32_t docid) TRAWL_XDB_NOEXCEPT;

/* Stores doc (borrowed) as document docid, in place of what it held.
 * Writable handles only. */
trawl_status_t trawl_xdb__replace_id(trawl_xdb_t *db, uint32_t docid, const trawl_xdb_doc_t *doc) TRAWL_XDB_NOEXCEPT;
/* The same with a built document (borrowed). */
trawl_status_t trawl_xdb__replace_built_id(trawl_xdb_t *db, uint32_t docid,
                                           const trawl_xdb_built_t *built) TRAWL_XDB_NOEXCEPT;

#ifdef __cplusplus
}
#endif
#endif
