/* Outlook PST and OST files, read with libpff.
 *
 * Why libpff: it is the one maintained C reader of the format (MS-PST) that
 * distributions package (Debian's libpff-dev); it reads ANSI (32-bit) and
 * Unicode (64-bit, also 4k-page) PSTs and OSTs, both encryption schemes,
 * and password-protected files (the password only guards Outlook's UI).
 * pffexport, its command-line tool, is what the test corpus was counted
 * with, so our counts and its counts come from the same reading.
 *
 * In memory only. Every PST the scanner meets is a byte range already in
 * memory: a file on disk (mmapped by the pipeline), an archive member or an
 * attachment. libpff reads it through a libbfio handle over that memory
 * (bfio_mem.c), so a PST is never written to disk and all three cases take
 * the same path.
 *
 * Locations. An item is found at
 *     <location of the PST>#<folder path>#<N>
 * for instance "archive/outlook.pst#/Top of Personal Folders/Inbox#3": "#"
 * enters the PST, the folder path is the names of the folders from the
 * root as Outlook shows them, joined by "/" (the unnamed root folder is
 * "/"), and "#N" is the Nth item of that folder, from 1, in the store's
 * order. Parts within an item: "header:From" ... (transport headers, or
 * the address headers an item made in Outlook would have had, rebuilt
 * from its properties), "body" (plain text), "html", "rtf", "fields" (the
 * properties of a contact or appointment as "Label: value" lines),
 * "header:Email1" ... and "header:Member1" ... (a contact's addresses, a
 * distribution list's members), "att1", "att2" ... (attachments). An
 * attached item's own parts are prefixed with its attachment's name
 * ("att2:header:From", "att2.body", its attachments "att2.1" ...).
 *
 * Records. Every item of the folder tree is one record: e-mails, posts,
 * notes, tasks and the like as messages, contacts and distribution lists
 * as contacts, appointments and meeting requests as appointments. Items
 * attached to items (a forwarded message, the exceptions of a recurring
 * appointment) belong to the record of the item that carries them, as a
 * forwarded message/rfc822 part does in MIME. Outlook's bookkeeping items
 * (free/busy data and other classes libpff does not know) are kept only
 * when they hold personal data. Folder-associated (hidden) items, orphans
 * and deleted items are not read.
 *
 * Counts. The source's messages, contacts and appointments are counted as
 * libpff's pffexport counts them, so that a PST can be checked against it:
 * e-mails (IPM.Note*, S/MIME, conflict messages, REPORT.IPM.Note*),
 * contacts (IPM.Contact; not distribution lists) and appointments
 * (IPM.Appointment and meetings, IPM.Schedule.Meeting*), each wherever it
 * stands, in a folder or attached to another item. Other items are read
 * and scanned but not counted. So a PST can count more messages than it
 * yields records: an attached message is counted, and scanned as part of
 * the record of the message that carries it.
 *
 * Errors: a file libpff cannot open is a TRAWL_EFORMAT skip; an item, a
 * body or an attachment that cannot be read is a skip with libpff's
 * message, and the walk goes on with the next.
 *
 * Threads: each call opens its own libpff file and handles; libpff keeps no
 * shared state that we touch (no libpff_set_codepage()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "scanner/scanner.h"
#include "scanner/bfio_mem.h"

#include <libbfio.h>
#include <glib.h>
#include <libpff.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_FOLDER_DEPTH 128 /* folders in folders */
#define MAX_ITEM_NESTING 16  /* items attached to items attached to ... */
#define MAX_STRING (16u << 20)

/* MAPI property tags not named in libpff's mapi.h. */
enum {
	TAG_INTERNET_MESSAGE_ID = 0x1035,
	TAG_SENDER_SMTP_ADDRESS = 0x5d01,
	TAG_SENT_REPRESENTING_SMTP_ADDRESS = 0x5d02,
	TAG_SMTP_ADDRESS = 0x39fe,
	TAG_ATTACH_MIME_TAG = 0x370e,
	TAG_INTERNET_CPID = 0x3fde,
	TAG_BIRTHDAY = 0x3a42,
	TAG_WEDDING_ANNIVERSARY = 0x3a41,
	/* named properties (PSETID_Address, PSETID_Appointment) by their LID */
	TAG_EMAIL1_DISPLAY_NAME = 0x8080,
	TAG_HOME_ADDRESS = 0x801a,
	TAG_WORK_ADDRESS = 0x801b,
	TAG_OTHER_ADDRESS = 0x801c,
	TAG_IM_ADDRESS = 0x8062,
	TAG_DIST_LIST_ONE_OFF_MEMBERS = 0x8054,
};

typedef struct {
	trawl_worker_t *w;
	libpff_file_t *file;
	const char *location; /* the PST's own */
	unsigned depth;       /* containers around the PST */
	trawl_msg_t *into;    /* an attached PST: the carrying record */
	const char *part;     /* an attached PST: its part name */
	const char *skip_at;  /* where skips of the current item are reported */
	trawl_buf_t path;     /* the folder path being walked */
	trawl_buf_t loc;      /* the current item's location */
	trawl_buf_t raw;      /* the current record's item(s), serialised for its hash */
	trawl_buf_t text;     /* text being put together */
	trawl_buf_t conv;     /* RTF turned into text */
	uint64_t counted[3];  /* items in the current record, by trawl_item_kind_t */
	char err[512];
} pst_t;

static uint32_t
le32(const uint8_t *d)
{
	return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
}

static bool
stopped(const pst_t *p)
{
	return trawl_scan__stopped(p->w->opts);
}

/* Copies a libpff error's message into p->err, frees it and returns the
 * message: what failed, and why in the innermost call. */
static const char *
pff_error(pst_t *p, libpff_error_t **e)
{
	p->err[0] = 0;
	if (e && *e) {
		/* libcerror writes the chain innermost first, one call a line */
		char buf[4096];
		if (libpff_error_backtrace_sprint(*e, buf, sizeof buf) > 0) {
			buf[sizeof buf - 1] = 0;
			size_t n = strlen(buf);
			while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' || buf[n - 1] == '.'))
				buf[--n] = 0;
			char *nl = strchr(buf, '\n');
			char *last = strrchr(buf, '\n');
			if (nl) {
				*nl = 0;
				while (nl > buf && (nl[-1] == '.' || nl[-1] == '\r'))
					*--nl = 0;
				snprintf(p->err, sizeof p->err, "%s (%s)", last + 1, buf);
			} else {
				snprintf(p->err, sizeof p->err, "%s", buf);
			}
		}
		libpff_error_free(e);
	}
	if (!p->err[0])
		snprintf(p->err, sizeof p->err, "libpff gave no reason");
	return p->err;
}

/* ---- reading properties ---------------------------------------------- */

/* The property `tag` of record set `set` (set 0 is the item's own; a
 * recipient table has one set per recipient), or NULL when it is absent.
 * The entry belongs to the item and lives as long as it. */
static libpff_record_entry_t *
get_entry(libpff_item_t *item, int set, uint32_t tag)
{
	libpff_error_t *e = NULL;
	libpff_record_set_t *rs = NULL;
	libpff_record_entry_t *re = NULL;
	if (libpff_item_get_record_set_by_index(item, set, &rs, &e) != 1 ||
	    libpff_record_set_get_entry_by_type(rs, tag, 0, &re, LIBPFF_ENTRY_VALUE_FLAG_MATCH_ANY_VALUE_TYPE, &e) != 1)
		re = NULL;
	libpff_error_free(&e);
	libpff_record_set_free(&rs, NULL);
	return re;
}

/* A string property as malloc'd UTF-8, or NULL when it is absent or
 * empty. A property that is there but is no string (a writer's odd type)
 * counts as absent. */
static char *
get_string(libpff_item_t *item, int set, uint32_t tag)
{
	libpff_error_t *e = NULL;
	libpff_record_entry_t *re = get_entry(item, set, tag);
	uint8_t *s = NULL;
	size_t n = 0;
	if (!re || libpff_record_entry_get_data_as_utf8_string_size(re, &n, &e) != 1 || n < 2 || n > MAX_STRING)
		goto done;
	if (!(s = malloc(n)))
		goto done;
	if (libpff_record_entry_get_data_as_utf8_string(re, s, n, &e) != 1) {
		free(s);
		s = NULL;
		goto done;
	}
	s[n - 1] = 0;
	if (!s[0]) {
		free(s);
		s = NULL;
	}
done:
	libpff_error_free(&e);
	libpff_record_entry_free(&re, NULL);
	return (char *)s;
}

static bool
get_u32(libpff_item_t *item, int set, uint32_t tag, uint32_t *out)
{
	libpff_error_t *e = NULL;
	libpff_record_entry_t *re = get_entry(item, set, tag);
	bool ok = re && libpff_record_entry_get_data_as_32bit_integer(re, out, &e) == 1;
	libpff_error_free(&e);
	libpff_record_entry_free(&re, NULL);
	return ok;
}

/* A FILETIME property as Unix seconds; false when absent or out of range. */
static bool
get_time(libpff_item_t *item, uint32_t tag, int64_t *out)
{
	libpff_error_t *e = NULL;
	libpff_record_entry_t *re = get_entry(item, 0, tag);
	uint64_t ft = 0;
	bool ok = re && libpff_record_entry_get_data_as_filetime(re, &ft, &e) == 1;
	libpff_error_free(&e);
	libpff_record_entry_free(&re, NULL);
	/* 100 ns ticks since 1601; keep 1970 .. 9999 */
	const uint64_t epoch = 116444736000000000ull, max = 2650467743990000000ull;
	if (!ok || ft <= epoch || ft >= max)
		return false;
	*out = (int64_t)((ft - epoch) / 10000000ull);
	return true;
}

static void
format_time(char out[32], int64_t t, bool date_only)
{
	struct tm tm;
	time_t tt = (time_t)t;
	out[0] = 0;
	if (gmtime_r(&tt, &tm))
		strftime(out, 32, date_only ? "%Y-%m-%d" : "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
set_record_time(trawl_message_t *rec, int64_t t)
{
	char buf[32];
	format_time(buf, t, false);
	if (!buf[0] || !(rec->date = strdup(buf)))
		return;
	rec->time = t;
}

/* The first of the tags that holds an SMTP address (Exchange items carry
 * X.500 names in the plain address properties; the SMTP one is beside it). */
static char *
get_address(libpff_item_t *item, int set, const uint32_t *tags, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *s = get_string(item, set, tags[i]);
		if (s && strchr(s, '@'))
			return s;
		free(s);
	}
	return NULL;
}

/* An address-book entry's date: when it was made, else last changed. */
static void
record_date(trawl_message_t *rec, libpff_item_t *item, bool top)
{
	int64_t t;
	if (top && !rec->date &&
	    (get_time(item, LIBPFF_ENTRY_TYPE_MESSAGE_CREATION_TIME, &t) ||
	     get_time(item, LIBPFF_ENTRY_TYPE_MESSAGE_MODIFICATION_TIME, &t)))
		set_record_time(rec, t);
}

/* ---- what goes into the record --------------------------------------- */

static void
raw_add(pst_t *p, const char *label, const void *data, size_t len)
{
	if (!data || !len)
		return;
	trawl_buf_puts(&p->raw, label);
	trawl_buf_put(&p->raw, data, len);
	trawl_buf_putc(&p->raw, '\n');
}

/* A part name under prefix: "body" at the top, "att2.body" inside att2. */
static void
part_name(char *out, size_t n, const char *prefix, const char *name)
{
	snprintf(out, n, "%s%s%s", prefix, *prefix ? "." : "", name);
}

/* A mailbox: the role gets the prefix of an attached item ("att2:From"),
 * so that its findings stay apart from the carrying item's. */
static void
mailbox(pst_t *p, trawl_msg_t *c, const char *prefix, const char *role, const char *name, const char *addr,
        trawl_where_t where)
{
	if (!(name && *name) && !(addr && *addr))
		return;
	char header[256];
	snprintf(header, sizeof header, "%s%s%s", prefix, *prefix ? ":" : "", role);
	trawl_scan__msg_mailbox(c, header, name, addr, where);
	raw_add(p, role, name, name ? strlen(name) : 0);
	raw_add(p, role, addr, addr ? strlen(addr) : 0);
}

static void
headers(pst_t *p, trawl_msg_t *c, const char *text, const char *prefix, bool top)
{
	trawl_message_t *rec = trawl_scan__msg_record(c);
	int64_t t = rec->time;
	if (!top)
		trawl_scan__msg_guard(rec, true);
	trawl_scan__msg_headers(c, text, strlen(text), prefix, top ? TRAWL_WHERE_HEADER : TRAWL_WHERE_ATTACHMENT);
	if (!top) {
		trawl_scan__msg_guard(rec, false);
		rec->time = t;
	}
	raw_add(p, "", text, strlen(text));
}

/* A field scanned as a header would be: "header:Subject". */
static void
header_text(pst_t *p, trawl_msg_t *c, const char *prefix, const char *name, const char *value, bool top)
{
	if (!value)
		return;
	char part[256];
	snprintf(part, sizeof part, "%s%sheader:%s", prefix, *prefix ? ":" : "", name);
	trawl_scan__msg_text(c, value, strlen(value), "UTF-8", false, top ? TRAWL_WHERE_HEADER : TRAWL_WHERE_ATTACHMENT,
	                     part);
	raw_add(p, name, value, strlen(value));
}

/* The sender and recipients of an item without transport headers (sent
 * and draft items, items made in Outlook) are written out as the address
 * headers they would have had and read as such: one header a role, each
 * mailbox at its own offset. A mailbox with no SMTP address (an Exchange
 * X.500 name only) cannot be written so; it goes in alone, its role
 * numbered ("To.2") so that its findings stay apart from its neighbours'. */
typedef struct {
	trawl_buf_t role[4]; /* From, To, Cc, Bcc */
	unsigned name_only[4];
} addresses_t;

static const char *const role_names[4] = {"From", "To", "Cc", "Bcc"};

static void
add_address(pst_t *p, trawl_msg_t *c, addresses_t *a, int role, const char *prefix, const char *name,
            const char *addr, trawl_where_t where)
{
	if (!(name && *name) && !(addr && *addr))
		return;
	if (!addr || !*addr) {
		char r[32];
		if (a->name_only[role]++)
			snprintf(r, sizeof r, "%s.%u", role_names[role], a->name_only[role]);
		else
			snprintf(r, sizeof r, "%s", role_names[role]);
		mailbox(p, c, prefix, r, name, NULL, where);
		return;
	}
	trawl_scan__put_mailbox(&a->role[role], name, addr);
}

/* Reads the block as the item's headers and frees it. */
static void
address_headers(pst_t *p, trawl_msg_t *c, addresses_t *a, const char *prefix, bool top)
{
	trawl_buf_t h = {0};
	for (int i = 0; i < 4; i++) {
		if (a->role[i].len)
			trawl_buf_printf(&h, "%s: %s\n", role_names[i], trawl_buf_cstr(&a->role[i]));
		trawl_buf_free(&a->role[i]);
	}
	if (h.len) {
		trawl_buf_putc(&h, '\n');
		headers(p, c, trawl_buf_cstr(&h), prefix, top);
	}
	trawl_buf_free(&h);
}

static void
recipients(pst_t *p, trawl_msg_t *c, addresses_t *a, libpff_item_t *item, const char *prefix, bool had_headers,
           trawl_where_t where)
{
	static const uint32_t addr_tags[] = {TAG_SMTP_ADDRESS, LIBPFF_ENTRY_TYPE_EMAIL_ADDRESS};
	libpff_error_t *e = NULL;
	libpff_item_t *list = NULL;
	int r = libpff_message_get_recipients(item, &list, &e);
	if (r != 1) {
		if (r < 0)
			trawl_scan__skip(p->w, p->skip_at, TRAWL_EFORMAT, "%s%srecipients unreadable: %s", prefix,
			                 *prefix ? ": " : "", pff_error(p, &e));
		return;
	}
	int n = 0;
	if (libpff_item_get_number_of_record_sets(list, &n, &e) != 1) {
		trawl_scan__skip(p->w, p->skip_at, TRAWL_EFORMAT, "%s%srecipients unreadable: %s", prefix,
		                 *prefix ? ": " : "", pff_error(p, &e));
		n = 0;
	}
	for (int i = 0; i < n; i++) {
		uint32_t type = LIBPFF_RECIPIENT_TYPE_TO;
		get_u32(list, i, LIBPFF_ENTRY_TYPE_RECIPIENT_TYPE, &type);
		type &= 0xf;
		int role = type == LIBPFF_RECIPIENT_TYPE_CC           ? 2
		           : type == LIBPFF_RECIPIENT_TYPE_BCC        ? 3
		           : type == LIBPFF_RECIPIENT_TYPE_ORIGINATOR ? 0
		                                                      : 1;
		/* transport headers hold every recipient but the blind ones */
		if (had_headers && role != 3)
			continue;
		char *name = get_string(list, i, LIBPFF_ENTRY_TYPE_DISPLAY_NAME);
		if (!name)
			name = get_string(list, i, LIBPFF_ENTRY_TYPE_RECIPIENT_DISPLAY_NAME);
		char *addr = get_address(list, i, addr_tags, sizeof addr_tags / sizeof *addr_tags);
		add_address(p, c, a, role, prefix, name, addr, where);
		free(name);
		free(addr);
	}
	libpff_item_free(&list, NULL);
}

/* Reads a body with one of libpff's getters into a malloc'd buffer; *len
 * excludes trailing NULs. NULL when absent, over the limit or unreadable
 * (the last two reported). */
typedef int (*size_fn)(libpff_item_t *, size_t *, libpff_error_t **);
typedef int (*body_fn)(libpff_item_t *, uint8_t *, size_t, libpff_error_t **);

static uint8_t *
read_body(pst_t *p, libpff_item_t *item, size_fn size, body_fn get, const char *part, size_t *len)
{
	libpff_error_t *e = NULL;
	size_t n = 0;
	int r = size(item, &n, &e);
	if (r < 0) {
		trawl_scan__skip(p->w, p->skip_at, TRAWL_EFORMAT, "%s unreadable: %s", part, pff_error(p, &e));
		return NULL;
	}
	if (r == 0 || n == 0)
		return NULL;
	if (n > p->w->limits.max_part_bytes) {
		trawl_scan__skip(p->w, p->skip_at, TRAWL_ELIMIT, "%s larger than %llu bytes", part,
		                 (unsigned long long)p->w->limits.max_part_bytes);
		return NULL;
	}
	uint8_t *buf = malloc(n + 2);
	if (!buf) {
		trawl_scan__skip(p->w, p->skip_at, TRAWL_ENOMEM, "%s: out of memory", part);
		return NULL;
	}
	if (get(item, buf, n, &e) != 1) {
		trawl_scan__skip(p->w, p->skip_at, TRAWL_EFORMAT, "%s unreadable: %s", part, pff_error(p, &e));
		free(buf);
		return NULL;
	}
	buf[n] = buf[n + 1] = 0;
	while (n && !buf[n - 1])
		n--;
	*len = n;
	return buf;
}

/* The RTF body, decompressed: libpff's, else our own reading of the
 * property when libpff could not decompress it. */
static uint8_t *
read_rtf(pst_t *p, libpff_item_t *item, const char *part, size_t *len)
{
	libpff_error_t *e = NULL;
	size_t n = 0;
	uint8_t *b = NULL;
	int r = libpff_message_get_rtf_body_size(item, &n, &e);
	if (r == 0 || (r == 1 && n == 0))
		return NULL;
	if (r == 1 && n > p->w->limits.max_part_bytes) {
		trawl_scan__skip(p->w, p->skip_at, TRAWL_ELIMIT, "%s larger than %llu bytes", part,
		                 (unsigned long long)p->w->limits.max_part_bytes);
		return NULL;
	}
	if (r == 1 && (b = malloc(n + 1))) {
		if (libpff_message_get_rtf_body(item, b, n, &e) == 1) {
			while (n && !b[n - 1])
				n--;
			*len = n;
			return b;
		}
		free(b);
		b = NULL;
	}
	/* libpff gave up: read the compressed property ourselves */
	libpff_error_t *e2 = NULL;
	libpff_record_entry_t *re = get_entry(item, 0, LIBPFF_ENTRY_TYPE_MESSAGE_BODY_COMPRESSED_RTF);
	size_t size = 0;
	uint8_t *raw = NULL;
	if (re && libpff_record_entry_get_data_size(re, &size, &e2) == 1 && size >= 16 &&
	    size <= p->w->limits.max_part_bytes && (raw = malloc(size)) &&
	    libpff_record_entry_get_data(re, raw, size, &e2) == 1)
		b = trawl_scan__rtf_decompress(raw, size, p->w->limits.max_part_bytes, len);
	libpff_error_free(&e2);
	libpff_record_entry_free(&re, NULL);
	free(raw);
	if (!b)
		trawl_scan__skip(p->w, p->skip_at, TRAWL_EFORMAT, "%s unreadable: %s", part, pff_error(p, &e));
	libpff_error_free(&e);
	return b;
}

static int
html_size(libpff_item_t *i, size_t *n, libpff_error_t **e)
{
	return libpff_message_get_html_body_size(i, n, e);
}

static void
bodies(pst_t *p, trawl_msg_t *c, libpff_item_t *item, const char *prefix, trawl_where_t where)
{
	char part[256];
	size_t n = 0;
	uint8_t *b;

	part_name(part, sizeof part, prefix, "body");
	if ((b = read_body(p, item, libpff_message_get_plain_text_body_size, libpff_message_get_plain_text_body, part,
	                   &n))) {
		/* UTF-8 from libpff, or the raw bytes of a body stored as binary */
		trawl_scan__msg_text(c, (const char *)b, n, NULL, false, where, part);
		raw_add(p, "body", b, n);
		free(b);
	}

	part_name(part, sizeof part, prefix, "html");
	if ((b = read_body(p, item, html_size, libpff_message_get_html_body, part, &n))) {
		/* PR_HTML is bytes in the item's Internet code page; a writer that
		 * stored it as a Unicode string left UTF-16LE */
		char buf[24];
		const char *charset = NULL;
		uint32_t cpid = 0;
		if (n >= 4 && b[0] && !b[1] && b[2] && !b[3])
			charset = "UTF-16LE";
		else if (get_u32(item, 0, TAG_INTERNET_CPID, &cpid) && cpid)
			charset = trawl_scan__codepage_charset(cpid, buf);
		trawl_scan__msg_text(c, (const char *)b, n, charset, true, where, part);
		raw_add(p, "html", b, n);
		free(b);
	}

	part_name(part, sizeof part, prefix, "rtf");
	if ((b = read_rtf(p, item, part, &n))) {
		bool html = false;
		if (trawl_scan__rtf_to_text(&p->conv, (const char *)b, n, &html) == TRAWL_OK && p->conv.len)
			trawl_scan__msg_text(c, p->conv.data, p->conv.len, "UTF-8", html, where, part);
		raw_add(p, "rtf", b, n);
		free(b);
	}
}

/* ---- kinds of item ---------------------------------------------------- */

/* How pffexport counts an item type; -1: not counted. */
static int
counted_kind(uint8_t type)
{
	switch (type) {
	case LIBPFF_ITEM_TYPE_EMAIL:
	case LIBPFF_ITEM_TYPE_EMAIL_SMIME:
	case LIBPFF_ITEM_TYPE_CONFLICT_MESSAGE:
		return TRAWL_ITEM_MESSAGE;
	case LIBPFF_ITEM_TYPE_CONTACT:
		return TRAWL_ITEM_CONTACT;
	case LIBPFF_ITEM_TYPE_APPOINTMENT:
	case LIBPFF_ITEM_TYPE_MEETING:
		return TRAWL_ITEM_APPOINTMENT;
	default:
		return -1;
	}
}

static trawl_item_kind_t
record_kind(uint8_t type)
{
	int k = counted_kind(type);
	if (k >= 0)
		return (trawl_item_kind_t)k;
	return type == LIBPFF_ITEM_TYPE_DISTRIBUTION_LIST ? TRAWL_ITEM_CONTACT : TRAWL_ITEM_MESSAGE;
}

/* "Label: value\n" when the property is there. */
static bool
field(trawl_buf_t *b, libpff_item_t *item, const char *label, uint32_t tag)
{
	char *v = get_string(item, 0, tag);
	if (!v)
		return false;
	/* one field a line: multi-line values (postal addresses) joined by ", " */
	trawl_buf_printf(b, "%s: ", label);
	bool sep = false;
	for (char *s = v; *s; s++) {
		if (*s == '\r' || *s == '\n') {
			sep = true;
			continue;
		}
		if (sep && b->len && b->data[b->len - 1] != ' ')
			trawl_buf_puts(b, ", ");
		sep = false;
		trawl_buf_putc(b, *s);
	}
	trawl_buf_putc(b, '\n');
	free(v);
	return true;
}

static void
time_field(trawl_buf_t *b, libpff_item_t *item, const char *label, uint32_t tag, bool date_only)
{
	int64_t t;
	char buf[32];
	if (!get_time(item, tag, &t))
		return;
	format_time(buf, t, date_only);
	if (buf[0])
		trawl_buf_printf(b, "%s: %s\n", label, buf);
}

/* An address from its parts, when the whole one is missing. */
static void
address_parts(trawl_buf_t *b, libpff_item_t *item, const uint32_t tags[5])
{
	trawl_buf_t a = {0};
	for (int i = 0; i < 5; i++) {
		char *v = get_string(item, 0, tags[i]);
		if (!v)
			continue;
		if (a.len)
			trawl_buf_puts(&a, i == 2 ? " " : ", "); /* "street, postcode city, state, country" */
		trawl_buf_puts(&a, v);
		free(v);
	}
	if (a.len)
		trawl_buf_printf(b, "Address: %s\n", trawl_buf_cstr(&a));
	trawl_buf_free(&a);
}

static void
fields_text(pst_t *p, trawl_msg_t *c, const char *prefix, trawl_where_t where)
{
	if (!p->text.len)
		return;
	char part[256];
	part_name(part, sizeof part, prefix, "fields");
	trawl_scan__msg_text(c, p->text.data, p->text.len, "UTF-8", false, where, part);
	raw_add(p, "fields", p->text.data, p->text.len);
}

static void
contact(pst_t *p, trawl_msg_t *c, libpff_item_t *item, const char *prefix, bool top, trawl_where_t where)
{
	static const struct {
		const char *label;
		uint32_t tag;
	} fields[] = {
		{"Name", LIBPFF_ENTRY_TYPE_DISPLAY_NAME},
		{"Title", LIBPFF_ENTRY_TYPE_CONTACT_TITLE},
		{"Given name", LIBPFF_ENTRY_TYPE_CONTACT_GIVEN_NAME},
		{"Middle name", 0x3a44},
		{"Surname", LIBPFF_ENTRY_TYPE_CONTACT_SURNAME},
		{"Suffix", LIBPFF_ENTRY_TYPE_CONTACT_GENERATIONAL_ABBREVIATION},
		{"Nickname", 0x3a4f},
		{"File as", LIBPFF_ENTRY_TYPE_ADDRESS_FILE_UNDER},
		{"Company", LIBPFF_ENTRY_TYPE_CONTACT_COMPANY_NAME},
		{"Job title", LIBPFF_ENTRY_TYPE_CONTACT_JOB_TITLE},
		{"Department", LIBPFF_ENTRY_TYPE_CONTACT_DEPARTMENT_NAME},
		{"Office", LIBPFF_ENTRY_TYPE_CONTACT_OFFICE_LOCATION},
		{"Manager", 0x3a4e},
		{"Assistant", 0x3a30},
		{"Spouse", 0x3a48},
		{"Phone", LIBPFF_ENTRY_TYPE_CONTACT_PRIMARY_PHONE_NUMBER},
		{"Phone", LIBPFF_ENTRY_TYPE_CONTACT_BUSINESS_PHONE_NUMBER_1},
		{"Phone", LIBPFF_ENTRY_TYPE_CONTACT_BUSINESS_PHONE_NUMBER_2},
		{"Phone", LIBPFF_ENTRY_TYPE_CONTACT_HOME_PHONE_NUMBER},
		{"Phone", 0x3a2f}, /* home 2 */
		{"Phone", LIBPFF_ENTRY_TYPE_CONTACT_MOBILE_PHONE_NUMBER},
		{"Phone", 0x3a1f}, /* other */
		{"Phone", 0x3a1e}, /* car */
		{"Phone", 0x3a21}, /* pager */
		{"Phone", LIBPFF_ENTRY_TYPE_CONTACT_CALLBACK_PHONE_NUMBER},
		{"Phone", 0x3a2e}, /* assistant */
		{"Phone", 0x3a57}, /* company main */
		{"Phone", 0x3a1d}, /* radio */
		{"Phone", 0x3a2d}, /* ISDN */
		{"Phone", 0x3a4b}, /* TTY/TDD */
		{"Phone", 0x3a2c}, /* telex */
		{"Fax", LIBPFF_ENTRY_TYPE_CONTACT_BUSINESS_FAX_NUMBER},
		{"Fax", 0x3a25}, /* home */
		{"Fax", 0x3a23}, /* primary */
		{"IM", TAG_IM_ADDRESS},
		{"Web", 0x3a50},
		{"Web", 0x3a51},
	};
	/* street, postcode, city, state, country */
	static const uint32_t home[5] = {0x3a5d, 0x3a5b, 0x3a59, 0x3a5c, 0x3a5a};
	static const uint32_t work[5] = {0x3a29, 0x3a2a, 0x3a27, 0x3a28, 0x3a26};
	static const uint32_t other[5] = {0x3a63, 0x3a61, 0x3a5f, 0x3a62, 0x3a60};
	trawl_message_t *rec = trawl_scan__msg_record(c);

	trawl_buf_reset(&p->text);
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		field(&p->text, item, fields[i].label, fields[i].tag);
	if (!field(&p->text, item, "Address", TAG_HOME_ADDRESS))
		address_parts(&p->text, item, home);
	if (!field(&p->text, item, "Address", TAG_WORK_ADDRESS))
		address_parts(&p->text, item, work);
	if (!field(&p->text, item, "Address", TAG_OTHER_ADDRESS))
		address_parts(&p->text, item, other);
	field(&p->text, item, "Address", LIBPFF_ENTRY_TYPE_CONTACT_POSTAL_ADDRESS);
	time_field(&p->text, item, "Birthday", TAG_BIRTHDAY, true);
	time_field(&p->text, item, "Anniversary", TAG_WEDDING_ANNIVERSARY, true);
	fields_text(p, c, prefix, where);

	char *name = get_string(item, 0, LIBPFF_ENTRY_TYPE_DISPLAY_NAME);
	if (top && name && !rec->subject)
		rec->subject = strdup(name);
	record_date(rec, item, top);
	/* e-mail 1, 2 and 3: address at +3 from the display name, type at +2 */
	for (uint32_t k = 0; k < 3; k++) {
		uint32_t base = TAG_EMAIL1_DISPLAY_NAME + 0x10 * k;
		char *addr = get_string(item, 0, base + 3);
		if (addr && strchr(addr, '@')) {
			char role[16];
			snprintf(role, sizeof role, "Email%u", k + 1);
			mailbox(p, c, prefix, role, name, addr, where);
			if (top && !rec->from)
				rec->from = trawl_ascii_lower(strdup(addr));
			if (top && !rec->from_name && name)
				rec->from_name = strdup(name);
		}
		free(addr);
	}
	free(name);
}

/* A one-off entry ID (MS-OXCDATA 2.2.5.1): flags, the one-off provider's
 * UID, version, flags, then display name, address type and address, as
 * UTF-16LE when the MAPI_UNICODE flag is set, else 8-bit. */
static void
one_off_member(pst_t *p, trawl_msg_t *c, const char *prefix, const uint8_t *d, size_t n, unsigned index,
               trawl_where_t where)
{
	static const uint8_t uid[16] = {0x81, 0x2b, 0x1f, 0xa4, 0xbe, 0xa3, 0x10, 0x19,
	                                0x9d, 0x6e, 0x00, 0xdd, 0x01, 0x0f, 0x54, 0x02};
	if (n < 24 || memcmp(d + 4, uid, 16) != 0)
		return;
	bool unicode = (d[22] | (d[23] << 8)) & 0x8000;
	size_t pos = 24;
	char *s[3] = {NULL, NULL, NULL};
	for (int k = 0; k < 3 && pos < n; k++) {
		size_t start = pos;
		if (unicode) {
			while (pos + 1 < n && (d[pos] || d[pos + 1]))
				pos += 2;
			/* copied out: the string need not be 2-byte aligned */
			size_t units = (pos - start) / 2;
			gunichar2 *u = g_new(gunichar2, units + 1);
			memcpy(u, d + start, units * 2);
			s[k] = g_utf16_to_utf8(u, (glong)units, NULL, NULL, NULL);
			g_free(u);
			pos += 2;
		} else {
			while (pos < n && d[pos])
				pos++;
			s[k] = g_convert((const char *)d + start, (gssize)(pos - start), "UTF-8", "windows-1252", NULL,
			                 NULL, NULL);
			pos++;
		}
	}
	const char *addr = s[2] && strchr(s[2], '@') ? s[2] : NULL;
	char role[32];
	snprintf(role, sizeof role, "Member%u", index);
	mailbox(p, c, prefix, role, s[0], addr, where);
	for (int k = 0; k < 3; k++)
		g_free(s[k]);
}

static void
distribution_list(pst_t *p, trawl_msg_t *c, libpff_item_t *item, const char *prefix, bool top,
                  trawl_where_t where)
{
	trawl_message_t *rec = trawl_scan__msg_record(c);
	trawl_buf_reset(&p->text);
	field(&p->text, item, "Name", LIBPFF_ENTRY_TYPE_DISPLAY_NAME);
	field(&p->text, item, "Name", LIBPFF_ENTRY_TYPE_DISTRIBUTION_LIST_NAME);
	fields_text(p, c, prefix, where);
	char *name = get_string(item, 0, LIBPFF_ENTRY_TYPE_DISPLAY_NAME);
	if (top && name && !rec->subject)
		rec->subject = strdup(name);
	free(name);
	record_date(rec, item, top);

	/* a multi-valued binary property (MS-PST 2.3.3.4.2): a count, the
	 * offset of each value, the values; libpff 20180714 reads no values
	 * out of it, so it is read here */
	libpff_error_t *e = NULL;
	libpff_record_entry_t *re = get_entry(item, 0, TAG_DIST_LIST_ONE_OFF_MEMBERS);
	size_t size = 0;
	uint8_t *d = NULL;
	if (!re)
		return;
	if (libpff_record_entry_get_data_size(re, &size, &e) != 1 || size < 4 || size > MAX_STRING ||
	    !(d = malloc(size)) || libpff_record_entry_get_data(re, d, size, &e) != 1) {
		if (e)
			trawl_scan__skip(p->w, p->skip_at, TRAWL_EFORMAT, "distribution list members unreadable: %s",
			                 pff_error(p, &e));
		goto done;
	}
	uint32_t count = le32(d);
	if (count > (size - 4) / 4)
		goto done;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t start = le32(d + 4 + 4 * i);
		uint32_t end = i + 1 < count ? le32(d + 8 + 4 * i) : (uint32_t)size;
		if (start <= end && end <= size)
			one_off_member(p, c, prefix, d + start, end - start, i + 1, where);
	}
done:
	free(d);
	libpff_error_free(&e);
	libpff_record_entry_free(&re, NULL);
}

/* E-mail, appointment, meeting and everything that is not a contact:
 * transport headers when the item came by Internet mail, else the
 * sender and recipients from its properties. */
static void
message(pst_t *p, trawl_msg_t *c, libpff_item_t *item, uint8_t type, const char *prefix, bool top,
        trawl_where_t where_hdr, trawl_where_t where_body)
{
	static const uint32_t sender_tags[] = {TAG_SENDER_SMTP_ADDRESS, LIBPFF_ENTRY_TYPE_MESSAGE_SENDER_EMAIL_ADDRESS,
	                                       TAG_SENT_REPRESENTING_SMTP_ADDRESS,
	                                       LIBPFF_ENTRY_TYPE_MESSAGE_SENT_REPRESENTING_EMAIL_ADDRESS};
	trawl_message_t *rec = trawl_scan__msg_record(c);
	bool appointment = type == LIBPFF_ITEM_TYPE_APPOINTMENT || type == LIBPFF_ITEM_TYPE_MEETING;
	char *subject = get_string(item, 0, LIBPFF_ENTRY_TYPE_MESSAGE_SUBJECT);
	if (subject && subject[0] == 0x01 && subject[1]) {
		/* a prefix marker: 0x01 and the length of "RE: " or the like */
		memmove(subject, subject + 2, strlen(subject + 2) + 1);
		if (!subject[0]) {
			free(subject);
			subject = NULL;
		}
	}
	char *transport = get_string(item, 0, LIBPFF_ENTRY_TYPE_MESSAGE_TRANSPORT_HEADERS);
	int64_t t;

	if (top) {
		char *mid = get_string(item, 0, TAG_INTERNET_MESSAGE_ID);
		if (mid && !rec->message_id) {
			char *s = mid;
			size_t n = strlen(s);
			if (n >= 2 && s[0] == '<' && s[n - 1] == '>')
				s++, n -= 2;
			rec->message_id = trawl_strndup(s, n);
		}
		free(mid);
		if (subject && !rec->subject)
			rec->subject = strdup(subject);
		/* when it was sent (the Date: header), else when it arrived; an
		 * appointment's date is when it takes place */
		if (!rec->date && ((appointment && get_time(item, LIBPFF_ENTRY_TYPE_APPOINTMENT_START_TIME, &t)) ||
		                   get_time(item, LIBPFF_ENTRY_TYPE_MESSAGE_CLIENT_SUBMIT_TIME, &t) ||
		                   get_time(item, LIBPFF_ENTRY_TYPE_MESSAGE_DELIVERY_TIME, &t)))
			set_record_time(rec, t);
	}

	if (transport)
		headers(p, c, transport, prefix, top);
	else
		header_text(p, c, prefix, "Subject", subject, top);

	char *name = get_string(item, 0, LIBPFF_ENTRY_TYPE_MESSAGE_SENDER_NAME);
	if (!name)
		name = get_string(item, 0, LIBPFF_ENTRY_TYPE_MESSAGE_SENT_REPRESENTING_NAME);
	char *addr = get_address(item, 0, sender_tags, sizeof sender_tags / sizeof *sender_tags);
	if (top && !rec->from && addr)
		rec->from = trawl_ascii_lower(strdup(addr));
	if (top && !rec->from_name && name)
		rec->from_name = strdup(name);
	addresses_t a = {0};
	if (!transport)
		add_address(p, c, &a, 0, prefix, name, addr, where_hdr);
	free(name);
	free(addr);
	recipients(p, c, &a, item, prefix, transport != NULL, where_hdr);
	address_headers(p, c, &a, prefix, top);

	if (top && !rec->date && get_time(item, LIBPFF_ENTRY_TYPE_MESSAGE_CREATION_TIME, &t))
		set_record_time(rec, t);

	if (appointment) {
		trawl_buf_reset(&p->text);
		field(&p->text, item, "Location", LIBPFF_ENTRY_TYPE_APPOINTMENT_LOCATION);
		time_field(&p->text, item, "Start", LIBPFF_ENTRY_TYPE_APPOINTMENT_START_TIME, false);
		time_field(&p->text, item, "End", LIBPFF_ENTRY_TYPE_APPOINTMENT_END_TIME, false);
		fields_text(p, c, prefix, where_body);
	}
	free(subject);
	free(transport);
}

static void fill(pst_t *p, trawl_msg_t *c, libpff_item_t *item, const char *prefix, unsigned nest);

static void
attachment_data(pst_t *p, trawl_msg_t *c, libpff_item_t *att, const char *part)
{
	libpff_error_t *e = NULL;
	size64_t size = 0;
	int r = libpff_attachment_get_data_size(att, &size, &e);
	if (r < 0) {
		trawl_scan__skip(p->w, p->skip_at, TRAWL_EFORMAT, "attachment %s unreadable: %s", part, pff_error(p, &e));
		return;
	}
	if (r == 0 || size == 0)
		return;
	if (size > p->w->limits.max_part_bytes) {
		trawl_scan__skip(p->w, p->skip_at, TRAWL_ELIMIT, "attachment %s larger than %llu bytes", part,
		                 (unsigned long long)p->w->limits.max_part_bytes);
		return;
	}
	uint8_t *buf = malloc((size_t)size);
	if (!buf) {
		trawl_scan__skip(p->w, p->skip_at, TRAWL_ENOMEM, "attachment %s: out of memory", part);
		return;
	}
	size_t got = 0;
	if (libpff_attachment_data_seek_offset(att, 0, SEEK_SET, &e) < 0) {
		trawl_scan__skip(p->w, p->skip_at, TRAWL_EFORMAT, "attachment %s unreadable: %s", part, pff_error(p, &e));
		goto done;
	}
	while (got < (size_t)size) {
		ssize_t n = libpff_attachment_data_read_buffer(att, buf + got, (size_t)size - got, &e);
		if (n < 0) {
			trawl_scan__skip(p->w, p->skip_at, TRAWL_EFORMAT, "attachment %s unreadable: %s", part,
			                 pff_error(p, &e));
			goto done;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	char *mime = get_string(att, 0, TAG_ATTACH_MIME_TAG);
	trawl_scan__msg_attachment(c, buf, got, part, mime);
	free(mime);
	char hash[65];
	trawl_sha256_hex(hash, buf, got);
	raw_add(p, part, hash, 64);
done:
	free(buf);
}

static void
attachments(pst_t *p, trawl_msg_t *c, libpff_item_t *item, const char *prefix, unsigned nest)
{
	libpff_error_t *e = NULL;
	int n = 0;
	if (libpff_message_get_number_of_attachments(item, &n, &e) != 1) {
		trawl_scan__skip(p->w, p->skip_at, TRAWL_EFORMAT, "%s%sattachments unreadable: %s", prefix,
		                 *prefix ? ": " : "", pff_error(p, &e));
		return;
	}
	for (int i = 0; i < n && !stopped(p); i++) {
		char part[256];
		if (*prefix)
			snprintf(part, sizeof part, "%s.%d", prefix, i + 1);
		else
			snprintf(part, sizeof part, "att%d", i + 1);
		libpff_item_t *att = NULL;
		int type = 0;
		if (libpff_message_get_attachment(item, i, &att, &e) != 1 || libpff_attachment_get_type(att, &type, &e) != 1) {
			trawl_scan__skip(p->w, p->skip_at, TRAWL_EFORMAT, "attachment %s unreadable: %s", part,
			                 pff_error(p, &e));
			libpff_item_free(&att, NULL);
			continue;
		}
		if (type == LIBPFF_ATTACHMENT_TYPE_DATA) {
			attachment_data(p, c, att, part);
		} else if (type == LIBPFF_ATTACHMENT_TYPE_ITEM) {
			libpff_item_t *sub = NULL;
			int r = libpff_attachment_get_item(att, &sub, &e);
			if (r < 0)
				trawl_scan__skip(p->w, p->skip_at, TRAWL_EFORMAT, "attached item %s unreadable: %s", part,
				                 pff_error(p, &e));
			else if (r == 1 && nest + 1 > MAX_ITEM_NESTING)
				trawl_scan__skip(p->w, p->skip_at, TRAWL_ELIMIT, "attached item %s nested deeper than %d",
				                 part, MAX_ITEM_NESTING);
			else if (r == 1)
				fill(p, c, sub, part, nest + 1);
			libpff_item_free(&sub, NULL);
		}
		/* LIBPFF_ATTACHMENT_TYPE_REFERENCE: a link to a file elsewhere */
		libpff_item_free(&att, NULL);
	}
}

/* Puts one item into record c: at the top (nest 0) or attached to
 * another (prefix: the attachment's part name). */
static void
fill(pst_t *p, trawl_msg_t *c, libpff_item_t *item, const char *prefix, unsigned nest)
{
	libpff_error_t *e = NULL;
	uint8_t type = 0;
	if (libpff_item_get_type(item, &type, &e) != 1) {
		/* libpff could not read the item's properties: nothing to read */
		trawl_scan__skip(p->w, p->skip_at, TRAWL_EFORMAT, "%s%sitem unreadable: %s", *prefix ? "attached " : "",
		                 prefix, pff_error(p, &e));
		return;
	}
	int k = counted_kind(type);
	if (k >= 0 && !p->into)
		p->counted[k]++;
	bool top = nest == 0;
	trawl_where_t where_hdr = top ? TRAWL_WHERE_HEADER : TRAWL_WHERE_ATTACHMENT;
	trawl_where_t where_body = top ? TRAWL_WHERE_BODY : TRAWL_WHERE_ATTACHMENT;

	if (type == LIBPFF_ITEM_TYPE_CONTACT)
		contact(p, c, item, prefix, top, where_body);
	else if (type == LIBPFF_ITEM_TYPE_DISTRIBUTION_LIST)
		distribution_list(p, c, item, prefix, top, where_body);
	else
		message(p, c, item, type, prefix, top, where_hdr, where_body);
	bodies(p, c, item, prefix, where_body);
	attachments(p, c, item, prefix, nest);
}

/* ---- the folder tree --------------------------------------------------- */

static trawl_status_t
read_item(pst_t *p, libpff_item_t *item, int index)
{
	trawl_worker_t *w = p->w;
	trawl_status_t rc = TRAWL_OK;
	const char *path = p->path.len ? p->path.data : "/";

	trawl_buf_reset(&p->raw);
	if (p->into) {
		/* an attached PST: the item is part of the carrying message */
		trawl_buf_reset(&p->loc);
		trawl_buf_printf(&p->loc, "%s#%s#%d", p->part, path, index);
		char *prefix = trawl_buf_detach(&p->loc);
		if (!prefix)
			return TRAWL_ENOMEM;
		fill(p, p->into, item, prefix, 1);
		free(prefix);
		return TRAWL_OK;
	}

	trawl_buf_reset(&p->loc);
	if (trawl_buf_printf(&p->loc, "%s#%s#%d", p->location, path, index) < 0)
		return TRAWL_ENOMEM;
	p->skip_at = p->loc.data;

	libpff_error_t *e = NULL;
	uint8_t type = 0;
	if (libpff_item_get_type(item, &type, &e) != 1) {
		/* libpff could not read the item's properties: nothing to read */
		trawl_scan__skip(w, p->skip_at, TRAWL_EFORMAT, "item unreadable: %s", pff_error(p, &e));
		p->skip_at = p->location;
		return TRAWL_OK;
	}
	trawl_msg_t *c = NULL;
	if ((rc = trawl_scan__msg_begin(&c, w, record_kind(type), p->loc.data, p->depth + 1)) < 0)
		return rc;
	memset(p->counted, 0, sizeof p->counted);
	trawl_buf_printf(&p->raw, "pst item %d\n", type);
	fill(p, c, item, "", 0);

	/* Items of no class libpff knows (free/busy data and the like) are
	 * Outlook's bookkeeping: kept only when they hold personal data. */
	bool bookkeeping = type == LIBPFF_ITEM_TYPE_UNDEFINED || type == LIBPFF_ITEM_TYPE_COMMON ||
	                   type == LIBPFF_ITEM_TYPE_CONFIGURATION || type == LIBPFF_ITEM_TYPE_UNKNOWN;
	if (bookkeeping && trawl_scan__msg_record(c)->findings.len == 0) {
		trawl_scan__msg_abort(c);
		p->skip_at = p->location;
		return TRAWL_OK;
	}

	/* msg_end counts the record by its kind; the source counts what
	 * pffexport counts (see the top of the file) */
	uint64_t m = w->n_messages, k = w->n_contacts, a = w->n_appointments;
	rc = trawl_scan__msg_end(c, p->raw.data, p->raw.len);
	w->n_messages = m + p->counted[TRAWL_ITEM_MESSAGE];
	w->n_contacts = k + p->counted[TRAWL_ITEM_CONTACT];
	w->n_appointments = a + p->counted[TRAWL_ITEM_APPOINTMENT];
	p->skip_at = p->location;
	return rc;
}

static trawl_status_t
walk_folder(pst_t *p, libpff_item_t *folder, unsigned level)
{
	trawl_status_t rc = TRAWL_OK;
	libpff_error_t *e = NULL;
	const char *path = p->path.len ? p->path.data : "/";
	int n = 0;

	if (libpff_folder_get_number_of_sub_messages(folder, &n, &e) != 1) {
		trawl_scan__skip(p->w, p->location, TRAWL_EFORMAT, "folder %s: items unreadable: %s", path,
		                 pff_error(p, &e));
		n = 0;
	}
	for (int i = 0; i < n && rc >= 0 && !stopped(p); i++) {
		libpff_item_t *item = NULL;
		if (libpff_folder_get_sub_message(folder, i, &item, &e) != 1) {
			trawl_scan__skip(p->w, p->location, TRAWL_EFORMAT, "folder %s: item %d unreadable: %s", path, i + 1,
			                 pff_error(p, &e));
			libpff_item_free(&item, NULL);
			continue;
		}
		rc = read_item(p, item, i + 1);
		libpff_item_free(&item, NULL);
	}

	n = 0;
	if (rc >= 0 && libpff_folder_get_number_of_sub_folders(folder, &n, &e) != 1) {
		trawl_scan__skip(p->w, p->location, TRAWL_EFORMAT, "folder %s: sub-folders unreadable: %s", path,
		                 pff_error(p, &e));
		n = 0;
	}
	for (int i = 0; i < n && rc >= 0 && !stopped(p); i++) {
		libpff_item_t *sub = NULL;
		size_t len = p->path.len;
		if (libpff_folder_get_sub_folder(folder, i, &sub, &e) != 1) {
			trawl_scan__skip(p->w, p->location, TRAWL_EFORMAT, "folder %s: sub-folder %d unreadable: %s",
			                 p->path.len ? p->path.data : "/", i + 1, pff_error(p, &e));
			libpff_item_free(&sub, NULL);
			continue;
		}
		size_t name_size = 0;
		char *name = NULL;
		if (libpff_folder_get_utf8_name_size(sub, &name_size, &e) == 1 && name_size > 1 && name_size < 65536 &&
		    (name = malloc(name_size)) &&
		    libpff_folder_get_utf8_name(sub, (uint8_t *)name, name_size, &e) == 1) {
			name[name_size - 1] = 0;
		} else {
			libpff_error_free(&e);
			free(name);
			name = NULL;
		}
		if (trawl_buf_printf(&p->path, "/%s", name ? name : "(unnamed)") < 0)
			rc = TRAWL_ENOMEM;
		free(name);
		if (rc < 0) {
		} else if (level + 1 > MAX_FOLDER_DEPTH) {
			trawl_scan__skip(p->w, p->location, TRAWL_ELIMIT, "folder %s nested deeper than %d", p->path.data,
			                 MAX_FOLDER_DEPTH);
		} else {
			rc = walk_folder(p, sub, level + 1);
		}
		libpff_item_free(&sub, NULL);
		p->path.len = len;
		if (p->path.data)
			p->path.data[len] = 0;
	}
	return rc;
}

static trawl_status_t
read_pst(pst_t *p, const void *data, size_t len)
{
	trawl_status_t rc = TRAWL_OK;
	libbfio_handle_t *io = NULL;
	libpff_error_t *e = NULL;
	libpff_item_t *root = NULL;
	bool opened = false;

	p->skip_at = p->location;
	if (len < 4 || memcmp(data, "!BDN", 4) != 0) {
		/* libmagic calls .msg files (OLE) Outlook too */
		trawl_scan__skip(p->w, p->location, TRAWL_EUNSUPPORTED,
		                 "Outlook item that is not a PST/OST (a .msg file?): not read");
		goto done;
	}
	/* not libbfio's memory range, which reads past its end (bfio_mem.h) */
	if (trawl_scan__bfio_memory(&io, data, len) != TRAWL_OK) {
		trawl_scan__skip(p->w, p->location, TRAWL_ENOMEM, "cannot read the PST from memory");
		goto done;
	}
	if (libpff_file_initialize(&p->file, &e) != 1) {
		trawl_scan__skip(p->w, p->location, TRAWL_ENOMEM, "cannot start libpff: %s", pff_error(p, &e));
		goto done;
	}
	if (libpff_file_open_file_io_handle(p->file, io, LIBPFF_OPEN_READ, &e) != 1) {
		trawl_scan__skip(p->w, p->location, TRAWL_EFORMAT, "not a readable PST/OST: %s", pff_error(p, &e));
		goto done;
	}
	opened = true;
	int r = libpff_file_get_root_folder(p->file, &root, &e);
	if (r != 1) {
		trawl_scan__skip(p->w, p->location, TRAWL_EFORMAT, "PST/OST without a folder tree: %s",
		                 r < 0 ? pff_error(p, &e) : "no root folder");
		goto done;
	}
	rc = walk_folder(p, root, 0);

done:
	libpff_item_free(&root, NULL);
	if (opened)
		libpff_file_close(p->file, NULL);
	libpff_file_free(&p->file, NULL);
	libbfio_handle_free(&io, NULL);
	trawl_buf_free(&p->path);
	trawl_buf_free(&p->loc);
	trawl_buf_free(&p->raw);
	trawl_buf_free(&p->text);
	trawl_buf_free(&p->conv);
	return rc;
}

trawl_status_t
trawl_scan__pst(trawl_worker_t *w, const void *data, size_t len, const char *location, unsigned depth)
{
	pst_t p = {.w = w, .location = location, .depth = depth};
	return read_pst(&p, data, len);
}

void
trawl_scan__pst_attached(trawl_worker_t *w, trawl_msg_t *c, const void *data, size_t len, const char *part,
                         unsigned depth)
{
	trawl_message_t *rec = trawl_scan__msg_record(c);
	pst_t p = {.w = w, .location = rec->location, .depth = depth, .into = c, .part = part};
	if (depth > w->limits.max_depth) {
		trawl_scan__skip(w, rec->location, TRAWL_ELIMIT, "attachment %s: PST nested deeper than %u containers",
		                 part, w->limits.max_depth);
		return;
	}
	read_pst(&p, data, len);
}
