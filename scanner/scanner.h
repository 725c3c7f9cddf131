/* scanner/scanner.h: what the files of the scanner module share.
 *
 * Every byte range the scanner meets (a file, an archive member, a MIME
 * attachment) is a blob. trawl_scan__blob() sniffs it with libmagic and hands
 * it to the reader for its kind: an mbox is split into messages, an archive
 * is streamed member by member (each member a blob again), a message is
 * parsed and its parts walked. Readers report what they yield through the
 * worker's sink, never to the caller directly: the pipeline (scan.c) carries
 * records to the caller's thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_SCANNER_H
#define TRAWL_SCANNER_H

#include <magic.h>
#include <stdbool.h>
#include <stddef.h>
#include "trawl/scan.h"
#include "util/util.h"

/* What a blob was taken for. */
typedef enum {
	TRAWL_KIND_UNKNOWN,
	TRAWL_KIND_EML,
	TRAWL_KIND_MBOX,
	TRAWL_KIND_PST,
	TRAWL_KIND_ZIP,
	TRAWL_KIND_TAR,
	TRAWL_KIND_GZIP,
	TRAWL_KIND_BZIP2,
	TRAWL_KIND_XZ,
	TRAWL_KIND_ZSTD,
	TRAWL_KIND_7Z,
	TRAWL_KIND_COMPRESS, /* .Z */
	TRAWL_KIND_LZMA,
	TRAWL_KIND_RAR,
	TRAWL_KIND_TEXT,     /* text that is not mail */
	TRAWL_KIND_OTHER     /* anything else: not mail */
} trawl_kind_t;

/* "eml", "mbox", "zip", ... Static storage. */
const char *trawl_scan__kind_name(trawl_kind_t kind);
bool trawl_scan__kind_is_archive(trawl_kind_t kind);

/* Per-worker state: owned by one thread, never shared. */
typedef struct trawl_worker {
	const trawl_scan_opts_t *opts;
	trawl_limits_t limits;          /* opts->limits with defaults filled in */
	magic_t magic;                  /* this worker's own libmagic cookie */
	/* The sink: where records and events go (the pipeline's queue, or the
	 * caller directly in trawl_scan_buffer()). */
	trawl_status_t (*emit_message)(struct trawl_worker *w, trawl_message_t *msg);
	void (*emit_event)(struct trawl_worker *w, const trawl_event_t *ev);
	void *sink;
	/* The file being read. */
	const char *source;
	const char *source_kind;        /* set by the first sniff of the file */
	uint64_t n_messages, n_contacts, n_appointments;
	bool had_error;                 /* something under this source was skipped */
	trawl_buf_t scratch;            /* reusable text buffer */
} trawl_worker_t;

trawl_status_t trawl_scan__worker_init(trawl_worker_t *w, const trawl_scan_opts_t *opts);
void trawl_scan__worker_fini(trawl_worker_t *w);

/* Reports a skipped input under the current source and goes on. */
void trawl_scan__skip(trawl_worker_t *w, const char *location, trawl_status_t status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* What the blob is, from its content. */
trawl_kind_t trawl_scan__sniff(trawl_worker_t *w, const void *data, size_t len, const char **mime_out);

/* Reads one blob of any kind. location names it (the chain so far); depth
 * is how many containers it sits in. hint: a kind the caller knows better
 * (a maildir file is a message), or TRAWL_KIND_UNKNOWN to sniff. */
trawl_status_t trawl_scan__blob(trawl_worker_t *w, const void *data, size_t len, const char *location,
                                unsigned depth, trawl_kind_t hint);

/* Readers. */
trawl_status_t trawl_scan__mbox(trawl_worker_t *w, const char *data, size_t len, const char *location,
                                unsigned depth);

/* Streams the members of an archive (or the one stream of a gz/bz2/xz/zst/Z
 * file) from memory, within the worker's limits, calling fn for each regular
 * member with its location (location "!/" name). Encrypted members, members
 * over a limit and read errors are reported with trawl_scan__skip() under
 * location and the walk goes on where the format allows. */
typedef trawl_status_t (*trawl_member_fn)(trawl_worker_t *w, const char *location, const void *data,
                                          size_t len, void *payload);
trawl_status_t trawl_scan__archive_each(trawl_worker_t *w, const void *data, size_t len,
                                        const char *location, trawl_kind_t kind, trawl_member_fn fn,
                                        void *payload);

/* One-time global set-up (GMime, libxml2) before any thread starts. */
void trawl_scan__global_init(void);

/* Parses one RFC 822 message and emits its record. */
trawl_status_t trawl_scan__message(trawl_worker_t *w, const char *data, size_t len, const char *location,
                                   unsigned depth);

/* Splits an mbox: calls fn for each message with its raw byte range (From_
 * line excluded, still quoted). Exposed for tests and fuzzing. */
typedef trawl_status_t (*trawl_mbox_fn)(const char *msg, size_t len, void *payload);
trawl_status_t trawl_scan__mbox_split(const char *data, size_t len, trawl_mbox_fn fn, void *payload);
/* mboxrd/mboxo unquoting: ">From " -> "From ", ">>From " -> ">From ".
 * Writes into out (reset first). */
trawl_status_t trawl_scan__mbox_unquote(trawl_buf_t *out, const char *msg, size_t len);

/* HTML to text: entities decoded, tags removed, block elements become line
 * breaks, table cells tabs, mailto:/tel: link targets kept. out is reset. */
trawl_status_t trawl_scan__html_to_text(trawl_buf_t *out, const char *html, size_t len);

#endif
