/* Archives through libarchive, streamed from memory, never extracted to
 * disk: zip, tar, 7z, and gz/bz2/xz/zst/Z/lzma single streams (tar or not).
 *
 * Each member is read into memory up to the limits and handed to the
 * caller's function. What cannot be read is reported, never skipped
 * silently: encrypted members, members over the size limit, archives that
 * expand past the byte or ratio limit (zip bombs), too many members.
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

trawl_status_t
trawl_scan__archive_each(trawl_worker_t *w, const void *data, size_t len, const char *location,
                         trawl_kind_t kind, trawl_member_fn fn, void *payload)
{
	trawl_status_t rc = TRAWL_OK;
	trawl_buf_t member = {0}, loc = {0};
	uint64_t expanded = 0, members = 0;
	const trawl_limits_t *lim = &w->limits;
	struct archive *a = archive_read_new();
	if (!a)
		return TRAWL_ENOMEM;

	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	if (is_single_stream(kind))
		archive_read_support_format_raw(a); /* a lone .gz of an mbox: one member */
	/* zip names that are not UTF-8: take them as CP437/local bytes, don't fail */
	archive_read_set_options(a, "zip:ignorecrc32");

	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		trawl_scan__skip(w, location, TRAWL_EFORMAT, "unreadable %s: %s", trawl_scan__kind_name(kind),
		                 archive_error_string(a) ? archive_error_string(a) : "unknown format");
		goto done;
	}

	for (;;) {
		struct archive_entry *e;
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_FATAL) {
			const char *why = archive_error_string(a) ? archive_error_string(a) : "read error";
			/* a 7z whose header is encrypted cannot even be listed */
			if (strstr(why, "ncrypt") || strstr(why, "assphrase"))
				trawl_scan__skip(w, location, TRAWL_EENCRYPTED, "encrypted %s: %s", trawl_scan__kind_name(kind), why);
			else
				trawl_scan__skip(w, location, TRAWL_EFORMAT, "corrupt %s: %s", trawl_scan__kind_name(kind), why);
			break;
		}
		if (trawl_scan__stopped(w->opts)) {
			rc = TRAWL_EINTR;
			break;
		}
		if (archive_entry_filetype(e) != AE_IFREG && archive_entry_filetype(e) != 0)
			continue;
		if (members == 0 && is_single_stream(kind) && archive_format(a) != ARCHIVE_FORMAT_RAW &&
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
		trawl_buf_reset(&loc);
		if (is_single_stream(kind) && archive_format(a) == ARCHIVE_FORMAT_RAW)
			trawl_buf_printf(&loc, "%s", location); /* the stream is the file itself */
		else
			trawl_buf_printf(&loc, "%s!/%s", location, name);

		if (++members > lim->max_members) {
			trawl_scan__skip(w, location, TRAWL_ELIMIT, "more than %llu members: the rest not read",
			                 (unsigned long long)lim->max_members);
			break;
		}
		if (archive_entry_is_encrypted(e)) {
			trawl_scan__skip(w, loc.data, TRAWL_EENCRYPTED, "encrypted member");
			continue;
		}

		/* Read the member, watching the limits as it expands. */
		trawl_buf_reset(&member);
		bool over = false;
		for (;;) {
			if (trawl_buf_grow(&member, 65536) < 0) {
				rc = TRAWL_ENOMEM;
				goto done;
			}
			la_ssize_t n = archive_read_data(a, member.data + member.len, 65536);
			if (n == 0)
				break;
			if (n < 0) {
				const char *why = archive_error_string(a) ? archive_error_string(a) : "read error";
				if (archive_entry_is_encrypted(e) || strstr(why, "ncrypt") || strstr(why, "assphrase"))
					trawl_scan__skip(w, loc.data, TRAWL_EENCRYPTED, "encrypted member: %s", why);
				else
					trawl_scan__skip(w, loc.data, TRAWL_EFORMAT, "corrupt member: %s", why);
				over = true;
				if (n == ARCHIVE_FATAL)
					goto done;
				break;
			}
			member.len += (size_t)n;
			expanded += (uint64_t)n;
			if (member.len > lim->max_message_bytes) {
				trawl_scan__skip(w, loc.data, TRAWL_ELIMIT, "member larger than %llu bytes",
				                 (unsigned long long)lim->max_message_bytes);
				over = true;
				break;
			}
			if (expanded > lim->max_expanded_bytes) {
				trawl_scan__skip(w, location, TRAWL_ELIMIT, "expands past %llu bytes: the rest not read",
				                 (unsigned long long)lim->max_expanded_bytes);
				goto done;
			}
			if (expanded > (1u << 20) && (double)expanded > lim->max_ratio * (double)(len ? len : 1)) {
				trawl_scan__skip(w, location, TRAWL_ELIMIT,
				                 "expansion ratio over %.0f (a compression bomb?): the rest not read",
				                 lim->max_ratio);
				goto done;
			}
		}
		if (over)
			continue;
		rc = fn(w, loc.data, member.data ? member.data : "", member.len, payload);
		if (rc == TRAWL_ENOMEM || rc == TRAWL_EINTR)
			goto done;
		rc = TRAWL_OK;
	}

done:
	archive_read_free(a);
	trawl_buf_free(&member);
	trawl_buf_free(&loc);
	return rc;
}
