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

#include <glib.h>
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
	TRAWL_KIND_TNEF,     /* winmail.dat: Outlook's Transport Neutral Encapsulation Format */
	TRAWL_KIND_OXMSG,    /* an Outlook .msg: an OLE compound file of one message */
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
	/* Converters to UTF-8 kept open between parts (trawl_scan__convert()),
	 * by the charset name they were opened for. */
	struct {
		char *from;
		GIConv cd;
	} conv[4];
	unsigned conv_next; /* the slot to reuse next */
	/* Set by trawl_scan_fetch() (fetch.c): messages are not parsed, only
	 * looked for by location. NULL when scanning. */
	struct trawl_fetch *fetch;
} trawl_worker_t;

/* Has the caller asked the scan to stop? The flag is set by a signal
 * handler or by the caller's thread while the workers read it, so it is
 * read (and written, trawl_scan__stop()) with atomic builtins: a plain
 * volatile access is a data race between threads. */
static inline bool
trawl_scan__stopped(const trawl_scan_opts_t *opts)
{
	return opts && opts->stop && __atomic_load_n(opts->stop, __ATOMIC_RELAXED);
}

static inline void
trawl_scan__stop(const trawl_scan_opts_t *opts)
{
	if (opts && opts->stop)
		__atomic_store_n(opts->stop, 1, __ATOMIC_RELAXED);
}

trawl_status_t trawl_scan__worker_init(trawl_worker_t *w, const trawl_scan_opts_t *opts);
void trawl_scan__worker_fini(trawl_worker_t *w);

/* len bytes of data in charset `from` (an iconv name) converted to UTF-8,
 * as g_convert() converts them: a newly allocated, NUL-terminated string
 * (the caller g_free()s it) of *written bytes, or NULL when iconv does not
 * know the charset or the bytes are not in it. The worker keeps the last
 * few converters open: opening one for every part was 1% of a scan. */
char *trawl_scan__convert(trawl_worker_t *w, const char *data, size_t len, const char *from, gsize *written);

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
/* Message n (counted from 1) of the mbox at location, as trawl_scan__mbox()
 * reads each: located "<location>#<n>", >From lines unquoted, parsed and
 * emitted. raw and loc are the caller's scratch buffers. Returns an error
 * only for what ends the mbox (TRAWL_ENOMEM, TRAWL_EINTR). */
trawl_status_t trawl_scan__mbox_message(trawl_worker_t *w, const char *msg, size_t len, const char *location,
                                        unsigned long n, unsigned depth, trawl_buf_t *raw, trawl_buf_t *loc);

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

/* A message reached while fetching (w->fetch set): hands its raw bytes to
 * the fetch callback when location is one asked for. Nothing is parsed. */
trawl_status_t trawl_scan__fetch_message(trawl_worker_t *w, const char *data, size_t len, const char *location);

/* A message's header block split into its headers as GMime's parser splits
 * it (header.c), for a block plain enough to be sure of that. */
typedef struct {
	const char *name; /* the field name, as GMime's header has it */
	const char *raw;  /* the raw value, as GMime's header has it: all after the
	                     colon up to and including the line break that ends it,
	                     folds kept */
} trawl_header_t;

typedef struct {
	trawl_header_t *items; /* in the order of the block */
	size_t len;
	const char *body;      /* the bytes after the blank line, in the caller's data */
	size_t body_len;
	char *store;           /* the names and values, each NUL-terminated */
} trawl_headers_t;

/* Splits the header block at the start of data (a message) into out; the
 * caller frees out with trawl_scan__headers_free(). false (out empty) when
 * the block is not one every line of which is a field or a fold, ended by
 * a blank line, without NUL bytes, or when out of memory: the message is
 * GMime's to read. */
bool trawl_scan__headers_split(trawl_headers_t *out, const char *data, size_t len);
void trawl_scan__headers_free(trawl_headers_t *h);

/* A Date header's value (unfolded) as the instant, in Unix seconds,
 * that g_mime_utils_header_decode_date() reads in it, for the common form
 * "Tue, 1 Jan 2024 10:00:00 +0100" (date.c); false for anything else,
 * which is GMime's to read. */
bool trawl_scan__date_parse(int64_t *out, const char *value);

/* t as "%d-%02d-%02dT%02d:%02d:%02dZ" of its UTC date and time, the year
 * unpadded (years 1 to 9999). */
void trawl_scan__date_format(char out[32], int64_t t);

/* Parses one RFC 822 message and emits its record. */
trawl_status_t trawl_scan__message(trawl_worker_t *w, const char *data, size_t len, const char *location,
                                   unsigned depth);

/* Building one record from pieces, for sources that are not RFC 822 (PST
 * items): begin, add headers, mailboxes, texts and attachments, end.
 * Everything added lands in the one record; trawl_scan__msg_end() finishes
 * the findings, counts the item by its kind, emits the record and frees the
 * builder (raw: the bytes to hash for content_hash and a missing
 * Message-ID); trawl_scan__msg_abort() frees it without emitting. */
typedef struct trawl_msg trawl_msg_t;
trawl_status_t trawl_scan__msg_begin(trawl_msg_t **out, trawl_worker_t *w, trawl_item_kind_t kind,
                                     const char *location, unsigned depth);
/* The record being built: set message_id, date, time, from, subject on it
 * directly (malloc'd strings; the record owns them). */
trawl_message_t *trawl_scan__msg_record(trawl_msg_t *c);
/* An RFC 822 header block (transport headers): every header scanned, and
 * date, sender, Message-ID and subject taken when not set yet. prefix as for
 * part names ("" for the item's own headers). */
/* trawl_scan__msg_headers() fills in a record's date, sender, Message-ID
 * and subject when they are missing: right for an item's own headers,
 * wrong for those of an item attached to it (a PST item's attachment, a
 * TNEF stream inside a message). Between guard(rec, true) and
 * guard(rec, false), placeholders keep the carrier's empty fields empty. */
void trawl_scan__msg_guard(trawl_message_t *rec, bool on);
/* Appends one mailbox to an address header line being built from item
 * properties (PST, TNEF): ", " after the ones before, "name" (quoted, line
 * breaks and other control bytes as spaces) and <addr> without the bytes
 * that would end it. */
void trawl_scan__put_mailbox(trawl_buf_t *b, const char *name, const char *addr);
void trawl_scan__msg_headers(trawl_msg_t *c, const char *headers, size_t len, const char *prefix,
                             trawl_where_t where);
/* One sender or recipient: header is the role ("From", "To", "Cc", "Bcc"). */
void trawl_scan__msg_mailbox(trawl_msg_t *c, const char *header, const char *name, const char *addr,
                             trawl_where_t where);
/* A body or field text in charset (NULL: UTF-8 or sniffed), HTML or not. */
void trawl_scan__msg_text(trawl_msg_t *c, const char *text, size_t len, const char *charset, bool html,
                          trawl_where_t where, const char *part);
/* An attachment's bytes; mime may be NULL (sniffed). Archives, mail and text
 * inside are walked as for MIME attachments. */
void trawl_scan__msg_attachment(trawl_msg_t *c, const void *data, size_t len, const char *part,
                                const char *mime);
/* The same for an attachment inside a container that is itself inside the
 * message (a TNEF in a TNEF): depth counts those containers as MIME nesting
 * is counted, so that nesting is bounded alike. */
void trawl_scan__msg_attachment_at(trawl_msg_t *c, const void *data, size_t len, const char *part,
                                   const char *mime, unsigned depth);
/* An embedded RFC 822 message (e.g. an attached message in a PST). */
void trawl_scan__msg_mime(trawl_msg_t *c, const char *data, size_t len, const char *part);
trawl_status_t trawl_scan__msg_end(trawl_msg_t *c, const void *raw, size_t raw_len);
void trawl_scan__msg_abort(trawl_msg_t *c);

/* Splits an mbox: calls fn for each message with its raw byte range (From_
 * line excluded, still quoted). Exposed for tests and fuzzing. */
typedef trawl_status_t (*trawl_mbox_fn)(const char *msg, size_t len, void *payload);
trawl_status_t trawl_scan__mbox_split(const char *data, size_t len, trawl_mbox_fn fn, void *payload);
/* Does the blob start with a From_ line that begins a message? */
bool trawl_scan__is_mbox(const char *data, size_t len);
/* mboxrd/mboxo unquoting: ">From " -> "From ", ">>From " -> ">From ".
 * Writes into out (reset first). */
trawl_status_t trawl_scan__mbox_unquote(trawl_buf_t *out, const char *msg, size_t len);

/* HTML to text: entities decoded, tags removed, block elements become line
 * breaks, table cells tabs, mailto:/tel: link targets kept. out is reset. */
trawl_status_t trawl_scan__html_to_text(trawl_buf_t *out, const char *html, size_t len);

/* A vCard (text that starts with BEGIN:VCARD) into out (emptied first): the
 * text as it is, then each ADR property's address as the lines of a
 * letter (scanner/vcard.c). TRAWL_EUNSUPPORTED when text is no vCard. */
trawl_status_t trawl_scan__vcard_text(const char *text, size_t len, trawl_buf_t *out);

/* Extracts the text of an office document or PDF into out (reset first), UTF-8.
 * Returns TRAWL_EUNSUPPORTED when data is not a document this build reads, TRAWL_EENCRYPTED for
 * password-protected documents, TRAWL_EFORMAT for corrupt ones, TRAWL_ELIMIT when past w->limits.
 * On TRAWL_EFORMAT, TRAWL_ELIMIT, TRAWL_EENCRYPTED and TRAWL_EINTR out keeps what could be
 * read (worth scanning); on TRAWL_EUNSUPPORTED and TRAWL_ENOMEM it is empty. mime (may be NULL)
 * is a hint only: what the data is comes from its content. */
trawl_status_t trawl_scan__document_text(trawl_worker_t *w, const void *data, size_t len, const char *mime,
                                         trawl_buf_t *out);

/* Outlook PST/OST (pst.c, libpff): every item of the folder tree becomes a
 * record of its own (message, contact or appointment), located
 * "<location>#<folder path>#N". Unreadable files and items are skips. */
trawl_status_t trawl_scan__pst(trawl_worker_t *w, const void *data, size_t len, const char *location,
                               unsigned depth);
/* A PST/OST attached to a message (or in an archive attached to it): every
 * item is walked into the carrying record c instead, its parts named
 * "<part>#<folder path>#N...". depth: containers around the PST. */
void trawl_scan__pst_attached(trawl_worker_t *w, trawl_msg_t *c, const void *data, size_t len,
                              const char *part, unsigned depth);

/* TNEF (tnef.c): a winmail.dat read as a file of its own is one record,
 * located at location: its sender, recipients, subject and date as
 * headers, its bodies, its other string properties ("props") and its
 * attachments ("!/<file name>", each read as a MIME attachment is). Damage
 * is a skip; what was read before it is kept. */
trawl_status_t trawl_scan__tnef(trawl_worker_t *w, const void *data, size_t len, const char *location,
                                unsigned depth);
/* A TNEF attached to a message as part (application/ms-tnef, found by its
 * signature): read into the carrying record c, its parts named
 * "<part>:header:From", "<part>.body", "<part>!/<file name>" ... depth: as
 * message.c counts the attachment's nesting in the message. */
void trawl_scan__tnef_attached(trawl_worker_t *w, trawl_msg_t *c, const void *data, size_t len, const char *part,
                               unsigned depth);
/* What both are made of: the stream read into record c, either as the
 * record itself (top: headers where header, bodies where body, the
 * record's own fields filled in; prefix "") or as attached under prefix.
 * what names the format in skips ("TNEF"; "Outlook .msg" for a stream
 * oxmsg.c made). false when the stream had nothing to read. */
bool trawl_scan__tnef_into(trawl_worker_t *w, trawl_msg_t *c, const void *data, size_t len, const char *prefix,
                           bool top, unsigned depth, const char *what);

/* Outlook .msg files (oxmsg.c: MS-OXMSG in an OLE compound file): the
 * properties, recipients and attachments of the compound file written out
 * as the TNEF stream Outlook would send for the message, then read as TNEF
 * is, so parts are named alike ("body", "!/<file name>"). A .msg file of its
 * own is one record at location; one attached to a message (or in an
 * archive attached to it) is read into the carrier's record under part. */
trawl_status_t trawl_scan__oxmsg(trawl_worker_t *w, const void *data, size_t len, const char *location,
                                 unsigned depth);
void trawl_scan__oxmsg_attached(trawl_worker_t *w, trawl_msg_t *c, const void *data, size_t len, const char *part,
                                unsigned depth);
/* Is the blob an OLE compound file whose directory names .msg streams? */
bool trawl_scan__is_oxmsg(const void *data, size_t len);

/* RTF to text (rtf.c): control words dropped, \'hh and \uN decoded, non-text
 * destinations skipped. RTF that encapsulates HTML (\fromhtml) gives back
 * the HTML and sets *html (may be NULL). out is reset. */
trawl_status_t trawl_scan__rtf_to_text(trawl_buf_t *out, const char *rtf, size_t len, bool *html);
/* PR_RTF_COMPRESSED (MS-OXRTFCP, "LZFu" or "MELA") decompressed: NULL when
 * it is neither or declares more than max bytes. The result is malloc'd,
 * *out_len bytes (not NUL-terminated); the caller frees it. */
uint8_t *trawl_scan__rtf_decompress(const uint8_t *d, size_t n, size_t max, size_t *out_len);
/* A charset name iconv knows for a Windows code page (932 -> "CP932",
 * 28591 -> "ISO-8859-1", 65001 -> "UTF-8"); buf holds it when needed. */
const char *trawl_scan__codepage_charset(unsigned cp, char buf[24]);

#endif
