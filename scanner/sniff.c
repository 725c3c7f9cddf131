/* What a blob is, from its content: libmagic decides, with the magic numbers
 * of the containers we read checked first (cheap, and libmagic names some of
 * them differently between versions) and a header check for messages that
 * libmagic calls plain text. Then the blob goes to its reader.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "scanner/scanner.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const kind_names[] = {
	[TRAWL_KIND_UNKNOWN] = "unknown", [TRAWL_KIND_EML] = "eml",    [TRAWL_KIND_MBOX] = "mbox",
	[TRAWL_KIND_PST] = "pst",         [TRAWL_KIND_ZIP] = "zip",    [TRAWL_KIND_TAR] = "tar",
	[TRAWL_KIND_GZIP] = "gz",         [TRAWL_KIND_BZIP2] = "bz2",  [TRAWL_KIND_XZ] = "xz",
	[TRAWL_KIND_ZSTD] = "zst",        [TRAWL_KIND_7Z] = "7z",      [TRAWL_KIND_COMPRESS] = "Z",
	[TRAWL_KIND_LZMA] = "lzma",       [TRAWL_KIND_RAR] = "rar",    [TRAWL_KIND_TEXT] = "text",
	[TRAWL_KIND_OTHER] = "other",     [TRAWL_KIND_TNEF] = "tnef",  [TRAWL_KIND_OXMSG] = "msg",
};

const char *
trawl_scan__kind_name(trawl_kind_t kind)
{
	return (unsigned)kind < sizeof kind_names / sizeof *kind_names ? kind_names[kind] : "unknown";
}

bool
trawl_scan__kind_is_archive(trawl_kind_t kind)
{
	return kind >= TRAWL_KIND_ZIP && kind <= TRAWL_KIND_RAR;
}

static bool
is_mail_header(const char *p, size_t n)
{
	static const char *const names[] = {
		"From", "To", "Cc", "Date", "Subject", "Message-ID", "Received", "Return-Path", "MIME-Version",
		"Reply-To", "Sender", "Delivered-To", "X-Mailer", "In-Reply-To", "References", "Content-Type",
		"X-Sender", "Envelope-to", "Resent-From", NULL,
	};
	for (const char *const *h = names; *h; h++)
		if (strlen(*h) == n && strncasecmp(p, *h, n) == 0)
			return true;
	return false;
}

/* Does the blob start like RFC 822 headers: "Name: value" lines, among
 * them one a mail message has (a bare MIME entity with only Content-Type
 * counts), up to a blank line; or two such when the blob ends early? */
static bool
looks_like_headers(const char *p, size_t len)
{
	size_t i = 0, lines = 0, known = 0;
	while (i < len && lines < 40) {
		size_t s = i;
		while (i < len && p[i] != ':' && p[i] != '\n' && (unsigned char)p[i] > 32 && (unsigned char)p[i] < 127)
			i++;
		if (i == s || i >= len || p[i] != ':')
			return known >= 1 && (p[s] == '\n' || p[s] == '\r');
		known += is_mail_header(p + s, i - s);
		lines++;
		/* skip to the next line that is not a continuation */
		do {
			const char *nl = memchr(p + i, '\n', len - i);
			if (!nl)
				return known >= 2;
			i = (size_t)(nl - p) + 1;
		} while (i < len && (p[i] == ' ' || p[i] == '\t'));
		if (i < len && (p[i] == '\n' || p[i] == '\r'))
			return known >= 1; /* end of headers */
	}
	return known >= 2;
}

static trawl_kind_t
by_magic_number(const unsigned char *p, size_t len)
{
	if (len >= 4 && memcmp(p, "!BDN", 4) == 0)
		return TRAWL_KIND_PST;
	/* TNEF (winmail.dat): 0x223E9F78 little-endian, then a 2-byte key */
	if (len >= 6 && memcmp(p, "\x78\x9f\x3e\x22", 4) == 0)
		return TRAWL_KIND_TNEF;
	if (len >= 4 && p[0] == 'P' && p[1] == 'K' && (p[2] == 3 || p[2] == 5 || p[2] == 7))
		return TRAWL_KIND_ZIP;
	if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return TRAWL_KIND_GZIP;
	if (len >= 3 && memcmp(p, "BZh", 3) == 0)
		return TRAWL_KIND_BZIP2;
	if (len >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
		return TRAWL_KIND_XZ;
	if (len >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
		return TRAWL_KIND_ZSTD;
	if (len >= 6 && memcmp(p, "7z\xbc\xaf\x27\x1c", 6) == 0)
		return TRAWL_KIND_7Z;
	if (len >= 2 && p[0] == 0x1f && p[1] == 0x9d)
		return TRAWL_KIND_COMPRESS;
	if (len >= 4 && memcmp(p, "Rar!", 4) == 0)
		return TRAWL_KIND_RAR;
	if (len >= 262 && memcmp(p + 257, "ustar", 5) == 0)
		return TRAWL_KIND_TAR;
	return TRAWL_KIND_UNKNOWN;
}

static trawl_kind_t
by_mime(const char *mime)
{
	static const struct {
		const char *mime;
		trawl_kind_t kind;
	} map[] = {
		{"message/rfc822", TRAWL_KIND_EML},
		{"message/news", TRAWL_KIND_EML},
		{"application/mbox", TRAWL_KIND_MBOX},
		{"application/vnd.ms-outlook", TRAWL_KIND_PST},
		{"application/zip", TRAWL_KIND_ZIP},
		{"application/x-tar", TRAWL_KIND_TAR},
		{"application/gzip", TRAWL_KIND_GZIP},
		{"application/x-gzip", TRAWL_KIND_GZIP},
		{"application/x-bzip2", TRAWL_KIND_BZIP2},
		{"application/x-xz", TRAWL_KIND_XZ},
		{"application/zstd", TRAWL_KIND_ZSTD},
		{"application/x-7z-compressed", TRAWL_KIND_7Z},
		{"application/x-compress", TRAWL_KIND_COMPRESS},
		{"application/x-lzma", TRAWL_KIND_LZMA},
		{"application/x-rar", TRAWL_KIND_RAR},
		{"application/vnd.rar", TRAWL_KIND_RAR},
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (strcmp(mime, map[i].mime) == 0)
			return map[i].kind;
	if (strncmp(mime, "text/", 5) == 0)
		return TRAWL_KIND_TEXT;
	return TRAWL_KIND_OTHER;
}

/* A zip whose first member says it is an office document or ODF. */
static bool
zip_is_document(const unsigned char *p, size_t len)
{
	if (len < 30 || memcmp(p, "PK\3\4", 4) != 0)
		return false;
	size_t n = (size_t)p[26] | (size_t)p[27] << 8;
	if (30 + n > len)
		return false;
	const char *name = (const char *)p + 30;
	return (n == 19 && memcmp(name, "[Content_Types].xml", 19) == 0) || (n == 8 && memcmp(name, "mimetype", 8) == 0);
}

/* Text: no NUL and no control bytes but white space in the head. */
static bool
looks_like_text(const unsigned char *p, size_t len)
{
	size_t n = len < 4096 ? len : 4096;
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t' && p[i] != '\f' && p[i] != 0x1b)
			return false;
	return true;
}

/* The decisions that need no libmagic: containers by their magic numbers,
 * and mail, mbox and plain text by their first bytes. libmagic costs about
 * a millisecond a call, more than parsing a small message; it is kept for
 * what these cannot tell. */
static trawl_kind_t
sniff_fast(const void *data, size_t len, const char **mime)
{
	const unsigned char *p = data;
	trawl_kind_t num = by_magic_number(p, len);
	if (num == TRAWL_KIND_ZIP && zip_is_document(p, len)) {
		*mime = "application/vnd.openxmlformats-officedocument";
		return TRAWL_KIND_OTHER;
	}
	if (num != TRAWL_KIND_UNKNOWN && num != TRAWL_KIND_TAR) {
		*mime = trawl_scan__kind_name(num);
		return num;
	}
	if (trawl_scan__is_oxmsg(data, len)) {
		/* an Outlook .msg, whatever CLSID its writer gave its root
		 * (libmagic goes by that CLSID, which not every writer sets) */
		*mime = "application/vnd.ms-outlook";
		return TRAWL_KIND_OXMSG;
	}
	if (len >= 5 && memcmp(p, "%PDF-", 5) == 0) {
		*mime = "application/pdf";
		return TRAWL_KIND_OTHER;
	}
	if (num == TRAWL_KIND_UNKNOWN && len && looks_like_text(p, len)) {
		size_t i = 0;
		if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
			i = 3;
		while (i < len && (p[i] == '\n' || p[i] == '\r'))
			i++;
		if (trawl_scan__is_mbox(data, len)) {
			*mime = "application/mbox";
			return TRAWL_KIND_MBOX;
		}
		if (looks_like_headers((const char *)p + i, len - i)) {
			*mime = "message/rfc822";
			return TRAWL_KIND_EML;
		}
		while (i < len && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (len - i >= 5 && (strncasecmp((const char *)p + i, "<html", 5) == 0 ||
		                     strncasecmp((const char *)p + i, "<!doctype html", len - i < 14 ? len - i : 14) == 0)) {
			*mime = "text/html";
			return TRAWL_KIND_TEXT;
		}
		*mime = "text/plain";
		return TRAWL_KIND_TEXT;
	}
	return TRAWL_KIND_UNKNOWN;
}

trawl_kind_t
trawl_scan__sniff(trawl_worker_t *w, const void *data, size_t len, const char **mime_out)
{
	const char *mime = NULL;
	trawl_kind_t fast = sniff_fast(data, len, &mime);
	if (fast != TRAWL_KIND_UNKNOWN) {
		if (mime_out)
			*mime_out = mime;
		return fast;
	}
	/* libmagic reads at most its buffer size; give it the head only. */
	if (w->magic)
		mime = magic_buffer(w->magic, data, len < 256 * 1024 ? len : 256 * 1024);
	if (!mime)
		mime = "application/octet-stream";
	if (mime_out)
		*mime_out = mime;

	trawl_kind_t kind = by_mime(mime);
	trawl_kind_t num = by_magic_number(data, len);
	/* Office documents are zips, but documents, not archives of mail. */
	bool document = strncmp(mime, "application/vnd.", 16) == 0 && strstr(mime, "office");
	if (document || strstr(mime, "opendocument") || strcmp(mime, "application/epub+zip") == 0 ||
	    strcmp(mime, "application/java-archive") == 0)
		return TRAWL_KIND_OTHER;
	if (num != TRAWL_KIND_UNKNOWN && (kind == TRAWL_KIND_OTHER || kind == TRAWL_KIND_TEXT || kind == num))
		return num;
	if (kind == TRAWL_KIND_TEXT || kind == TRAWL_KIND_OTHER || kind == TRAWL_KIND_EML ||
	    kind == TRAWL_KIND_MBOX) {
		/* libmagic is easily misled by a message's binary parts or an
		 * unusual first header; the headers themselves decide. */
		const char *p = data;
		size_t i = 0;
		if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
			i = 3;
		while (i < len && (p[i] == '\n' || p[i] == '\r'))
			i++;
		if (len - i >= 5 && memcmp(p + i, "From ", 5) == 0 && trawl_scan__is_mbox(p, len))
			return TRAWL_KIND_MBOX;
		if (looks_like_headers(p + i, len - i))
			return TRAWL_KIND_EML;
		if (kind == TRAWL_KIND_EML || kind == TRAWL_KIND_MBOX)
			return TRAWL_KIND_TEXT; /* libmagic said mail, but it has no headers */
	}
	return kind;
}

void
trawl_scan__skip(trawl_worker_t *w, const char *location, trawl_status_t status, const char *fmt, ...)
{
	char reason[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	w->had_error = true;
	trawl_event_t ev = {
		.type = TRAWL_EVENT_SKIP,
		.source = w->source,
		.kind = w->source_kind,
		.location = location,
		.reason = reason,
		.status = status,
	};
	w->emit_event(w, &ev);
}

static trawl_status_t
top_member(trawl_worker_t *w, const char *location, const void *data, size_t len, void *payload)
{
	unsigned depth = *(const unsigned *)payload;
	return trawl_scan__blob(w, data, len, location, depth, TRAWL_KIND_UNKNOWN);
}

trawl_status_t
trawl_scan__blob(trawl_worker_t *w, const void *data, size_t len, const char *location, unsigned depth,
                 trawl_kind_t hint)
{
	const char *mime = NULL;
	trawl_kind_t kind = hint != TRAWL_KIND_UNKNOWN ? hint : trawl_scan__sniff(w, data, len, &mime);
	if (depth == 0 && !w->source_kind)
		w->source_kind = trawl_scan__kind_name(kind);
	if (depth > w->limits.max_depth) {
		trawl_scan__skip(w, location, TRAWL_ELIMIT, "nested deeper than %u containers", w->limits.max_depth);
		return TRAWL_OK;
	}
	if (len == 0) {
		trawl_scan__skip(w, location, TRAWL_EFORMAT, "empty file");
		return TRAWL_OK;
	}

	switch (kind) {
	case TRAWL_KIND_EML:
		return trawl_scan__message(w, data, len, location, depth);
	case TRAWL_KIND_MBOX:
		return trawl_scan__mbox(w, data, len, location, depth);
	case TRAWL_KIND_PST:
		return trawl_scan__pst(w, data, len, location, depth);
	case TRAWL_KIND_TNEF:
		return trawl_scan__tnef(w, data, len, location, depth);
	case TRAWL_KIND_OXMSG:
		return trawl_scan__oxmsg(w, data, len, location, depth);
	default:
		if (trawl_scan__kind_is_archive(kind)) {
			unsigned d = depth + 1;
			return trawl_scan__archive_each(w, data, len, location, kind, top_member, &d);
		}
		trawl_scan__skip(w, location, TRAWL_EUNSUPPORTED, "not mail (%s)", mime ? mime : trawl_scan__kind_name(kind));
		return TRAWL_OK;
	}
}
