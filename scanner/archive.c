/* Archives through libarchive, streamed from memory, never extracted to
 * disk: zip, tar, 7z, and gz/bz2/xz/zst/Z/lzma single streams (tar or not).
 *
 * Each member is read into memory up to the limits and handed to the
 * caller's function. What cannot be read is reported, never skipped
 * silently: encrypted members, members over the size limit, archives that
 * expand past the byte or ratio limit (zip bombs), too many members.
 *
 * A zip is read twice when it must be. From memory (which can seek)
 * libarchive reads a zip by its central directory; a zip whose central
 * directory is wrong, as some streaming writers leave it (offsets that
 * leave the data descriptors out: Apache Tika's
 * testZip_with_DataDescriptor.zip), fails there ("Damaged Zip archive")
 * although every member is intact. Then the zip is read again with
 * libarchive's streaming zip reader, which walks the local headers from
 * the start, and the members the first pass handed over are passed by.
 * Only when that fails too is the zip reported corrupt.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "scanner/scanner.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

static bool
is_single_stream(trawl_kind_t kind)
{
	switch (kind) {
	case TRAWL_KIND_GZIP:
	case TRAWL_KIND_BZIP2:
	case TRAWL_KIND_XZ:
	case TRAWL_KIND_ZSTD:
	case TRAWL_KIND_COMPRESS:
	case TRAWL_KIND_LZMA:
		return true;
	default:
		return false;
	}
}

/* The member's name as UTF-8 when libarchive can say it, else its raw bytes. */
static const char *
member_name(struct archive_entry *e)
{
	const char *n = archive_entry_pathname_utf8(e);
	if (!n)
		n = archive_entry_pathname(e);
	return n && *n ? n : "data";
}

/* One walk over an archive, across the passes of a zip read twice. */
typedef struct {
	trawl_worker_t *w;
	const void *data;
	size_t len;
	const char *location;
	trawl_kind_t kind;
	trawl_member_fn fn;
	void *payload;
	uint64_t expanded, members; /* over both passes */
	uint64_t handed;            /* regular members the first pass went past */
	trawl_buf_t member, loc;
	char broken[512];           /* libarchive's words when it gave up */
	bool unopened;              /* ... before the first header */
} walk_t;

static struct archive *
new_reader(const walk_t *s, bool streaming)
{
	struct archive *a = archive_read_new();
	if (!a)
		return NULL;
	archive_read_support_filter_all(a);
	if (streaming) {
		archive_read_support_format_zip_streamable(a);
	} else {
		archive_read_support_format_all(a);
		if (is_single_stream(s->kind))
			archive_read_support_format_raw(a); /* a lone .gz of an mbox: one member */
	}
	/* zip names that are not UTF-8: take them as CP437/local bytes, don't fail */
	archive_read_set_options(a, "zip:ignorecrc32");
	return a;
}

/* One pass with reader a. skip: regular members to pass by unread (what
 * the first pass handed over). Sets s->broken when libarchive gives up at
 * a header (the caller decides whether to report it); everything else is
 * reported here. Returns TRAWL_ENOMEM or TRAWL_EINTR to end the walk. */
static trawl_status_t
walk_pass(walk_t *s, struct archive *a, uint64_t skip)
{
	trawl_status_t rc = TRAWL_OK;
	trawl_worker_t *w = s->w;
	const trawl_limits_t *lim = &w->limits;
	const char *location = s->location;
	trawl_kind_t kind = s->kind;
	uint64_t seen = 0;

	if (archive_read_open_memory(a, s->data, s->len) != ARCHIVE_OK) {
		snprintf(s->broken, sizeof s->broken, "%s",
		         archive_error_string(a) ? archive_error_string(a) : "unknown format");
		s->unopened = true;
		return TRAWL_OK;
	}
	for (;;) {
		struct archive_entry *e;
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_FATAL) {
			snprintf(s->broken, sizeof s->broken, "%s",
			         archive_error_string(a) ? archive_error_string(a) : "read error");
			break;
		}
		if (trawl_scan__stopped(w->opts))
			return TRAWL_EINTR;
		if (archive_entry_filetype(e) != AE_IFREG && archive_entry_filetype(e) != 0)
			continue;
		if (seen++ < skip)
			continue;
		s->handed = seen;
		if (s->members == 0 && is_single_stream(kind) && archive_format(a) != ARCHIVE_FORMAT_RAW &&
		    w->source_kind && strcmp(w->source_kind, trawl_scan__kind_name(kind)) == 0 &&
		    strcmp(location, w->source) == 0) {
			/* a compressed tar: say so in the source's kind */
			static const char *const tar_kinds[] = {
				[TRAWL_KIND_GZIP] = "tar.gz", [TRAWL_KIND_BZIP2] = "tar.bz2", [TRAWL_KIND_XZ] = "tar.xz",
				[TRAWL_KIND_ZSTD] = "tar.zst", [TRAWL_KIND_COMPRESS] = "tar.Z", [TRAWL_KIND_LZMA] = "tar.lzma",
			};
			if (archive_format(a) & ARCHIVE_FORMAT_TAR)
				w->source_kind = tar_kinds[kind];
		}
		const char *name = member_name(e);
		trawl_buf_reset(&s->loc);
		if (is_single_stream(kind) && archive_format(a) == ARCHIVE_FORMAT_RAW)
			trawl_buf_printf(&s->loc, "%s", location); /* the stream is the file itself */
		else
			trawl_buf_printf(&s->loc, "%s!/%s", location, name);

		if (++s->members > lim->max_members) {
			trawl_scan__skip(w, location, TRAWL_ELIMIT, "more than %llu members: the rest not read",
			                 (unsigned long long)lim->max_members);
			return TRAWL_OK;
		}
		if (archive_entry_is_encrypted(e)) {
			trawl_scan__skip(w, s->loc.data, TRAWL_EENCRYPTED, "encrypted member");
			continue;
		}

		/* Read the member, watching the limits as it expands. */
		trawl_buf_reset(&s->member);
		bool over = false;
		for (;;) {
			if (trawl_buf_grow(&s->member, 65536) < 0)
				return TRAWL_ENOMEM;
			la_ssize_t n = archive_read_data(a, s->member.data + s->member.len, 65536);
			if (n == 0)
				break;
			if (n < 0) {
				const char *why = archive_error_string(a) ? archive_error_string(a) : "read error";
				if (archive_entry_is_encrypted(e) || strstr(why, "ncrypt") || strstr(why, "assphrase"))
					trawl_scan__skip(w, s->loc.data, TRAWL_EENCRYPTED, "encrypted member: %s", why);
				else
					trawl_scan__skip(w, s->loc.data, TRAWL_EFORMAT, "corrupt member: %s", why);
				over = true;
				if (n == ARCHIVE_FATAL)
					return TRAWL_OK;
				break;
			}
			s->member.len += (size_t)n;
			s->expanded += (uint64_t)n;
			if (s->member.len > lim->max_message_bytes) {
				trawl_scan__skip(w, s->loc.data, TRAWL_ELIMIT, "member larger than %llu bytes",
				                 (unsigned long long)lim->max_message_bytes);
				over = true;
				break;
			}
			if (s->expanded > lim->max_expanded_bytes) {
				trawl_scan__skip(w, location, TRAWL_ELIMIT, "expands past %llu bytes: the rest not read",
				                 (unsigned long long)lim->max_expanded_bytes);
				return TRAWL_OK;
			}
			if (s->expanded > (1u << 20) &&
			    (double)s->expanded > lim->max_ratio * (double)(s->len ? s->len : 1)) {
				trawl_scan__skip(w, location, TRAWL_ELIMIT,
				                 "expansion ratio over %.0f (a compression bomb?): the rest not read",
				                 lim->max_ratio);
				return TRAWL_OK;
			}
		}
		if (over)
			continue;
		rc = s->fn(w, s->loc.data, s->member.data ? s->member.data : "", s->member.len, s->payload);
		if (rc == TRAWL_ENOMEM || rc == TRAWL_EINTR)
			return rc;
		rc = TRAWL_OK;
	}
	return rc;
}

trawl_status_t
trawl_scan__archive_each(trawl_worker_t *w, const void *data, size_t len, const char *location,
                         trawl_kind_t kind, trawl_member_fn fn, void *payload)
{
	trawl_status_t rc = TRAWL_OK;
	walk_t s = {.w = w, .data = data, .len = len, .location = location, .kind = kind, .fn = fn,
	            .payload = payload};
	struct archive *a = new_reader(&s, false);
	if (!a)
		return TRAWL_ENOMEM;
	rc = walk_pass(&s, a, 0);
	archive_read_free(a);
	a = NULL;

	if (rc == TRAWL_OK && s.broken[0] && kind == TRAWL_KIND_ZIP) {
		/* the central directory failed: the local headers, from the start,
		 * past the members the first pass handed over */
		uint64_t first = s.handed;
		bool first_unopened = s.unopened;
		char first_broken[sizeof s.broken];
		memcpy(first_broken, s.broken, sizeof first_broken);
		s.broken[0] = 0, s.unopened = false;
		if (!(a = new_reader(&s, true))) {
			rc = TRAWL_ENOMEM;
			goto done;
		}
		rc = walk_pass(&s, a, first);
		if (s.broken[0] && s.handed == first) {
			/* no further than the first pass: its words */
			memcpy(s.broken, first_broken, sizeof s.broken);
			s.unopened = first_unopened;
		}
	}
	if (rc == TRAWL_OK && s.broken[0]) {
		const char *why = s.broken;
		/* a 7z whose header is encrypted cannot even be listed */
		if (strstr(why, "ncrypt") || strstr(why, "assphrase"))
			trawl_scan__skip(w, location, TRAWL_EENCRYPTED, "encrypted %s: %s", trawl_scan__kind_name(kind), why);
		else if (s.unopened)
			trawl_scan__skip(w, location, TRAWL_EFORMAT, "unreadable %s: %s", trawl_scan__kind_name(kind), why);
		else
			trawl_scan__skip(w, location, TRAWL_EFORMAT, "corrupt %s: %s", trawl_scan__kind_name(kind), why);
	}
done:
	archive_read_free(a);
	trawl_buf_free(&s.member);
	trawl_buf_free(&s.loc);
	return rc;
}
