/* trawl/scan.h: walk paths, read every message in every container, and
 * run the detectors over every part.
 *
 * trawl_scan_run() drives a pipeline: a walker, and N threads that read,
 * parse, extract text and detect. One of the N is the caller's thread,
 * which also receives every message record and every event through
 * callbacks, before it reads anything more itself. The callbacks are only
 * ever called from the thread that called trawl_scan_run(), one at a time,
 * so that thread can own the index writer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_SCAN_H
#define TRAWL_SCAN_H

#include <signal.h>
#include <stdint.h>
#include "trawl/detect.h"
#include "trawl/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	TRAWL_ITEM_MESSAGE,
	TRAWL_ITEM_CONTACT,     /* PST contact */
	TRAWL_ITEM_APPOINTMENT  /* PST calendar item */
} trawl_item_kind_t;

/* One message (or PST contact / appointment) and what was found in it.
 * All strings are owned by the record and freed by trawl_message_free(). */
typedef struct {
	trawl_item_kind_t kind;
	char *source;       /* the file on disk, as given or found under PATH */
	char *location;     /* source, then "!/member" per archive level, "#N" per mbox message */
	char *message_id;   /* without <>, or "sha256:<hex>" of the raw bytes */
	char *date;         /* ISO 8601 UTC "2021-03-17T22:55:54Z", or NULL */
	int64_t time;       /* the same as Unix seconds, 0 when unknown */
	char *from;         /* sender addr-spec, lower-cased, or NULL */
	char *from_name;    /* sender display name, or NULL */
	char *subject;      /* decoded Subject, or NULL */
	char *content_hash; /* sha256 hex of the raw message bytes */
	uint64_t size;      /* raw message bytes */
	trawl_findings_t findings;
	void *prepared;                 /* what opts->prepare made of it, or NULL */
	void (*prepared_free)(void *);  /* frees prepared if the record is freed with it */
} trawl_message_t;

/* Frees every field and the record itself. NULL is a no-op. */
void trawl_message_free(trawl_message_t *msg);

typedef enum {
	TRAWL_EVENT_SOURCE_BEGIN, /* a file under PATH is about to be read; kind set */
	TRAWL_EVENT_SKIP,         /* something was skipped or unreadable: location and reason */
	TRAWL_EVENT_SOURCE_END,   /* a file is done: counts set */
	TRAWL_EVENT_WALK_END      /* trawl_scan_run()'s walker found every file: bytes is their total
	                           * size on disk (for progress); source NULL */
} trawl_event_type_t;

/* Strings are owned by the scanner and valid during the callback only. */
typedef struct {
	trawl_event_type_t type;
	const char *source;
	const char *kind;     /* "mbox", "eml", "maildir", "pst", "zip", "tar", ... */
	const char *location; /* SKIP: what was skipped */
	const char *reason;   /* SKIP: why, in a few words */
	trawl_status_t status;/* SKIP: the status behind the reason */
	uint64_t messages, contacts, appointments; /* SOURCE_END */
	uint64_t bytes;       /* SOURCE_BEGIN: size on disk */
	int64_t mtime;        /* SOURCE_BEGIN: modification time on disk */
} trawl_event_t;

/* Receives one record and takes ownership of it (free it with
 * trawl_message_free()). Return TRAWL_OK to go on; anything else stops the
 * scan and is returned by trawl_scan_run(). */
typedef trawl_status_t (*trawl_message_fn)(trawl_message_t *msg, void *payload);
typedef void (*trawl_event_fn)(const trawl_event_t *event, void *payload);
/* Asked before a file is read: return nonzero to leave it out (incremental
 * scans: unchanged since the last one). NULL means read everything.
 * Unlike the other callbacks it is called from the worker threads, at the
 * same time from several: it must be thread-safe (read-only data). */
typedef int (*trawl_skip_fn)(const char *source, uint64_t size, int64_t mtime, void *payload);
typedef void (*trawl_prepare_fn)(trawl_message_t *msg, void *payload);

/* Limits against hostile input; zero means the documented default. */
typedef struct {
	unsigned max_depth;           /* containers inside containers: default 16 */
	uint64_t max_part_bytes;      /* one decoded part: default 64 MiB */
	uint64_t max_expanded_bytes;  /* bytes expanded from one archive: default 4 GiB */
	double max_ratio;             /* expanded / compressed for one archive: default 200 */
	uint64_t max_members;         /* members of one archive: default 100000 */
	uint64_t max_message_bytes;   /* one message: default 256 MiB */
} trawl_limits_t;

typedef struct {
	unsigned threads;                       /* readers, the caller's thread one of them; 0 = number of cores */
	const trawl_detector_set_t *detectors;  /* required; borrowed */
	trawl_limits_t limits;
	volatile sig_atomic_t *stop;            /* set nonzero (e.g. by SIGINT) to stop; may be NULL */
	trawl_skip_fn skip;                     /* may be NULL */
	/* May be NULL. trawl_scan_run() calls it on the worker thread that made
	 * a record, before the record goes to on_message on the caller's thread,
	 * with on_message's payload: the work of a record that need not wait
	 * for that one thread (it sets msg->prepared, and may free what
	 * on_message will not read, such as the findings). Runs on several
	 * threads at once. trawl_scan_buffer() does not call it. */
	trawl_prepare_fn prepare;
	/* How many records may wait for on_message; 0 means 256. Room lets
	 * the workers go on while on_message is busy for a while (trawl scan
	 * commits every few thousand records). The records waiting are also
	 * bounded by their findings, 16 a record on average, so that memory
	 * stays bounded whatever the mail. */
	unsigned queue_records;
} trawl_scan_opts_t;

/* Reads every path ("-" is standard input) and calls on_message for every
 * message record and on_event (may be NULL) for every event. Unreadable input
 * is reported through TRAWL_EVENT_SKIP and the scan goes on.
 * Returns TRAWL_OK when every input was walked (skips included), TRAWL_EINTR
 * when *stop was set, or the first error a callback returned. */
trawl_status_t trawl_scan_run(const trawl_scan_opts_t *opts, const char *const *paths, size_t n_paths,
                              trawl_message_fn on_message, trawl_event_fn on_event, void *payload);

/* Reads one file or an in-memory blob the same way, on the calling thread
 * (tests, fuzzing). name is what appears as source and location. */
trawl_status_t trawl_scan_buffer(const trawl_scan_opts_t *opts, const char *name, const void *data,
                                 size_t len, trawl_message_fn on_message, trawl_event_fn on_event,
                                 void *payload);

/* Receives one message asked of trawl_scan_fetch(), once per distinct
 * location. status TRAWL_OK: raw holds the message's RFC 822 bytes, len of
 * them, as the scanner read them (mbox quoting undone; line ends as in the
 * source); owned by the scanner, valid during the call only. Otherwise raw
 * is NULL and status says why: TRAWL_ENOTFOUND (no message at that
 * location: the source changed since it was scanned, or the way to it is
 * unreadable now), TRAWL_EUNSUPPORTED (an Outlook item, which has no RFC
 * 822 form). Return TRAWL_OK to go on; anything else stops the fetch and
 * is returned by it. */
typedef trawl_status_t (*trawl_fetch_fn)(const char *location, const char *raw, size_t len,
                                         trawl_status_t status, void *payload);

/* Reads one source file again and walks it (archives, mboxes, nested) to the
 * messages at the n locations given (as trawl_message_t.location names
 * them), handing each to fn without running any detector: for writing a
 * subject's messages out (access --format mbox). The walk ends as soon as
 * every location was handed over. opts gives the limits and the stop flag;
 * its detectors and threads are not used (may be NULL and 0).
 * Returns TRAWL_OK when the source was walked (fn was called once for every
 * distinct location), TRAWL_ENOTFOUND or TRAWL_EIO when it cannot be read
 * (fn not called), TRAWL_EINTR when *opts->stop was set, or fn's error. */
trawl_status_t trawl_scan_fetch(const trawl_scan_opts_t *opts, const char *source, const char *const *locations,
                                size_t n, trawl_fetch_fn fn, void *payload);

#ifdef __cplusplus
}
#endif
#endif
