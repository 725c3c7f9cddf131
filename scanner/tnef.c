/* TNEF: Outlook's Transport Neutral Encapsulation Format (MS-OXTNEF), the
 * winmail.dat that Outlook and Exchange attach as application/ms-tnef (or
 * application/vnd.ms-tnef) to carry a message's rich body, its properties
 * and its attachments; and the same stream met as a file of its own.
 * Both are recognised by their signature (0x223E9F78, little-endian), not
 * by a content type or file name: sniff.c finds it wherever it is.
 *
 * Read here, not with libytnef. Debian's libytnef (2.0, the one packaged
 * TNEF library) was tried first and left for these reasons, each seen on
 * this project's fixtures:
 * - it prints its errors with printf() to standard output, where
 *   `trawl detect` writes its JSON lines;
 * - it gives up on the whole stream, bodies and attachments included, at a
 *   subject longer than 100 bytes (a Unicode subject of 50 characters), a
 *   body longer than 100,000 bytes, an attachment title longer than 100
 *   bytes or any property value over 512 KiB (an attached message);
 * - its DecompressRTF() copies as many bytes as the stream declares
 *   without checking that they are there;
 * - it skips the recipient table.
 * The format is small: a signature and a key, then attributes (level, id,
 * length, bytes, checksum), three of which hold MAPI property lists.
 *
 * What is read, without copying (values point into the blob, every length
 * checked against what is left):
 * - the sender (PR_SENDER_*, PR_SENT_REPRESENTING_*, else the legacy
 *   attFrom), the recipient table, the subject, the Message-ID and the
 *   date, written out as the address headers they stand for and read as
 *   such (trawl_scan__msg_headers(), as pst.c does);
 * - the bodies: PR_BODY (else the legacy attBody), PR_HTML and
 *   PR_RTF_COMPRESSED (decompressed, then RTF to text, rtf.c);
 * - every other string property of the message, one a line ("props");
 * - the attachments, by value (attAttachData, else PR_ATTACH_DATA_BIN) or
 *   as objects (PR_ATTACH_DATA_OBJ: an attached message is a TNEF stream
 *   of its own, an OLE object a compound file), each passed down the path
 *   of MIME attachments (message.c), so that a zip, a document or another
 *   TNEF inside is read in turn.
 *
 * Parts. A TNEF attached as MIME part P is read into the record of the
 * message that carries it: "P:header:From", "P.body", "P.html", "P.rtf",
 * "P.props", and its attachments "P!/<file name>" (an archive inside one:
 * "P!/<file name>!/<member>"), all where: attachment. A TNEF file read on
 * its own is one record of its own, its parts named the same with P
 * empty ("header:Subject", "body", "!/kontakt.txt"), its headers where:
 * header and its bodies where: body. An attachment without a name is
 * "att<N>", N counted from 1.
 *
 * Limits: a TNEF in a TNEF is nested as MIME is (message.c counts the
 * depth); attachments over max_part_bytes and past max_members are
 * reported and not read; the decompressed RTF is bounded by max_part_bytes.
 *
 * Damage: what comes before it is read and scanned, and the damage is
 * reported with trawl_scan__skip(). A tail too short to hold an attribute
 * (some writers pad) is ignored. Checksums are not checked, lengths are: a
 * wrong checksum loses nothing that can be read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "scanner/scanner.h"

#include <glib.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TNEF_SIGNATURE 0x223E9F78u
#define MAX_PROP_BLOCKS 8 /* attMAPIProps attributes of one message that are read */

enum { LVL_MESSAGE = 1, LVL_ATTACHMENT = 2 };

/* Attribute ids (MS-OXTNEF 2.1.3.1), the low word only: the high word is
 * the attribute's type, which some writers get wrong. */
enum {
	ATT_FROM = 0x8000,
	ATT_SUBJECT = 0x8004,
	ATT_DATE_SENT = 0x8005,
	ATT_BODY = 0x800C,
	ATT_ATTACH_DATA = 0x800F,
	ATT_ATTACH_TITLE = 0x8010,
	ATT_ATTACH_REND_DATA = 0x9002,
	ATT_MSG_PROPS = 0x9003,
	ATT_RECIP_TABLE = 0x9004,
	ATT_ATTACHMENT = 0x9005,
	ATT_OEM_CODEPAGE = 0x9007,
};

/* Property types (MS-OXCDATA 2.11.1). */
enum {
	PT_I2 = 0x0002,
	PT_LONG = 0x0003,
	PT_R4 = 0x0004,
	PT_DOUBLE = 0x0005,
	PT_CURRENCY = 0x0006,
	PT_APPTIME = 0x0007,
	PT_ERROR = 0x000A,
	PT_BOOLEAN = 0x000B,
	PT_OBJECT = 0x000D,
	PT_I8 = 0x0014,
	PT_STRING8 = 0x001E,
	PT_UNICODE = 0x001F,
	PT_SYSTIME = 0x0040,
	PT_CLSID = 0x0048,
	PT_SVREID = 0x00FB,
	PT_SRESTRICT = 0x00FD,
	PT_ACTIONS = 0x00FE,
	PT_BINARY = 0x0102,
	MV_FLAG = 0x1000,
};

/* Property ids (MS-OXPROPS). */
enum {
	PR_MESSAGE_CLASS = 0x001A,
	PR_SUBJECT = 0x0037,
	PR_CLIENT_SUBMIT_TIME = 0x0039,
	PR_SUBJECT_PREFIX = 0x003D,
	PR_SENT_REPRESENTING_NAME = 0x0042,
	PR_SENT_REPRESENTING_ADDRTYPE = 0x0064,
	PR_SENT_REPRESENTING_EMAIL = 0x0065,
	PR_CONVERSATION_TOPIC = 0x0070,
	PR_RECEIVED_BY_ADDRTYPE = 0x0075,
	PR_RCVD_REPRESENTING_ADDRTYPE = 0x0077,
	PR_TRANSPORT_MESSAGE_HEADERS = 0x007D,
	PR_RECIPIENT_TYPE = 0x0C15,
	PR_SENDER_NAME = 0x0C1A,
	PR_SENDER_ADDRTYPE = 0x0C1E,
	PR_SENDER_EMAIL = 0x0C1F,
	PR_DELIVERY_TIME = 0x0E06,
	PR_NORMALIZED_SUBJECT = 0x0E1D,
	PR_BODY = 0x1000,
	PR_RTF_SYNC_BODY_TAG = 0x1008,
	PR_RTF_COMPRESSED = 0x1009,
	PR_HTML = 0x1013,
	PR_INTERNET_MESSAGE_ID = 0x1035,
	PR_INTERNET_REFERENCES = 0x1039,
	PR_IN_REPLY_TO_ID = 0x1042,
	PR_DISPLAY_NAME = 0x3001,
	PR_EMAIL_ADDRESS = 0x3003,
	PR_ATTACH_DATA = 0x3701,
	PR_ATTACH_FILENAME = 0x3704,
	PR_ATTACH_METHOD = 0x3705,
	PR_ATTACH_LONG_FILENAME = 0x3707,
	PR_ATTACH_MIME_TAG = 0x370E,
	PR_SMTP_ADDRESS = 0x39FE,
	PR_INTERNET_CPID = 0x3FDE,
	PR_MESSAGE_CODEPAGE = 0x3FFD,
	PR_SENDER_SMTP = 0x5D01,
	PR_SENT_REPRESENTING_SMTP = 0x5D02,
};

/* A value inside the blob; type 0: absent. Legacy attributes are
 * PT_STRING8 in the OEM code page. */
typedef struct {
	const uint8_t *p;
	size_t n;
	uint16_t type;
} val_t;

/* One value of a property list. */
typedef struct {
	uint16_t id;    /* the tag's id; >= 0x8000: a named property */
	uint16_t type;  /* without MV_FLAG */
	bool named;
	uint32_t index; /* of the value in a multi-valued property */
	val_t v;        /* PT_OBJECT: without its leading IID */
} prop_t;

typedef struct {
	val_t title, data;                          /* attAttachTitle, attAttachData */
	val_t long_name, file_name, display, mime;  /* from its property list */
	val_t object;                               /* PR_ATTACH_DATA_BIN / _OBJ */
} att_t;

typedef struct {
	trawl_worker_t *w;
	trawl_msg_t *c;
	const char *prefix;  /* "" for a TNEF file; the MIME part otherwise */
	const char *what;    /* the format named in skips: "TNEF", "Outlook .msg" */
	bool top;
	unsigned depth;      /* as message.c counts attachments in the record */
	const char *skip_at; /* the record's location */
	bool read_any;       /* an attribute was read */

	/* legacy attributes */
	val_t subject8, body8, from8, date8;
	unsigned oem_cp;
	val_t blocks[MAX_PROP_BLOCKS]; /* attMAPIProps */
	size_t n_blocks;
	val_t recips;                  /* attRecipTable */

	/* from the message's property list */
	val_t subject, normalized_subject, topic, sender_name, sender_email, sender_smtp, rep_name, rep_email, rep_smtp;
	val_t message_id, body, html, rtf, transport_headers;
	uint64_t submit_time, delivery_time;
	unsigned cpid;

	att_t *atts;
	size_t n_atts, cap_atts;
	att_t discard;       /* where attributes of attachments past the limit go */
	bool over_limit;
	uint64_t n_seen;     /* attachments, including those past the limit */

	trawl_buf_t a, b, hdr, part;
	trawl_buf_t roles[4]; /* From, To, Cc, Bcc: mailboxes with an address */
	unsigned name_only[4];
} tnef_t;

static const char *const role_names[4] = {"From", "To", "Cc", "Bcc"};

static uint16_t
le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t
le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void
damaged(tnef_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
damaged(tnef_t *t, const char *fmt, ...)
{
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	if (t->top)
		trawl_scan__skip(t->w, t->skip_at, TRAWL_EFORMAT, "damaged %s: %s", t->what, why);
	else
		trawl_scan__skip(t->w, t->skip_at, TRAWL_EFORMAT, "attachment %s: damaged %s: %s", t->prefix, t->what,
		                 why);
}

/* ---- property lists ------------------------------------------------- */

/* The bytes of one value of a fixed-size type, -1 for the types whose
 * values carry their length, -2 for types TNEF does not define (their
 * size is unknown, so the list cannot be read past them). Every fixed
 * value is padded to 4 bytes. */
static int
fixed_size(uint16_t type)
{
	switch (type) {
	case PT_I2:
	case PT_LONG:
	case PT_R4:
	case PT_ERROR:
	case PT_BOOLEAN:
		return 4;
	case PT_DOUBLE:
	case PT_CURRENCY:
	case PT_APPTIME:
	case PT_I8:
	case PT_SYSTIME:
		return 8;
	case PT_CLSID:
		return 16;
	case PT_STRING8:
	case PT_UNICODE:
	case PT_BINARY:
	case PT_OBJECT:
	case PT_SVREID:
	case PT_SRESTRICT:
	case PT_ACTIONS:
		return -1;
	default:
		return -2;
	}
}

typedef void (*prop_fn)(tnef_t *t, const prop_t *p, void *payload);

/* Reads a property list (MS-OXTNEF 2.1.3.4: a count, then each property's
 * tag, its name if named, and its value or values), calling fn for every
 * value. *used: the bytes read. Returns false when the list is damaged;
 * fn has had every value before the damage. Each loop step reads at least
 * 4 bytes, so no count in the data can make it run longer than n / 4. */
static bool
props_each(tnef_t *t, const uint8_t *d, size_t n, size_t *used, prop_fn fn, void *payload)
{
	size_t o = 0;
	bool ok = false;
	if (n < 4)
		goto done;
	uint32_t count = le32(d);
	o = 4;
	for (uint32_t i = 0; i < count; i++) {
		prop_t p = {0};
		if (n - o < 4)
			goto done;
		uint16_t type = le16(d + o);
		p.id = le16(d + o + 2);
		p.type = type & (uint16_t)~MV_FLAG;
		o += 4;
		if (p.id >= 0x8000) {
			/* a GUID, then a number or a UTF-16 name */
			p.named = true;
			if (n - o < 24)
				goto done;
			uint32_t kind = le32(d + o + 16);
			o += 20;
			if (kind == 0) {
				o += 4;
			} else if (kind == 1) {
				size_t len = le32(d + o);
				o += 4;
				if (len > n - o)
					goto done;
				o += len;
				o += (-len & 3) < n - o ? (-len & 3) : n - o;
			} else {
				goto done;
			}
		}
		int size = fixed_size(p.type);
		if (size == -2)
			goto done;
		uint32_t values = 1;
		if ((type & MV_FLAG) || size < 0) {
			/* multi-valued, or of a type with lengths: a count comes first */
			if (n - o < 4)
				goto done;
			values = le32(d + o);
			o += 4;
		}
		for (uint32_t k = 0; k < values; k++) {
			p.index = k;
			if (size > 0) {
				if ((size_t)size > n - o)
					goto done;
				p.v = (val_t){d + o, (size_t)size, p.type};
				o += (size_t)size;
			} else {
				if (n - o < 4)
					goto done;
				size_t len = le32(d + o);
				o += 4;
				if (len > n - o)
					goto done;
				p.v = (val_t){d + o, len, p.type};
				o += len;
				o += (-len & 3) < n - o ? (-len & 3) : n - o; /* the last padding may be cut */
				if (p.type == PT_OBJECT) {
					/* an IID says what the object is; the data follows it */
					size_t iid = p.v.n < 16 ? p.v.n : 16;
					p.v.p += iid;
					p.v.n -= iid;
				}
			}
			fn(t, &p, payload);
		}
	}
	ok = true;
done:
	if (used)
		*used = o;
	return ok;
}

static bool
is_string(uint16_t type)
{
	return type == PT_STRING8 || type == PT_UNICODE;
}

/* ---- text ----------------------------------------------------------- */

/* UTF-16LE up to its first NUL as UTF-8; a lone surrogate is U+FFFD. */
static void
utf16_to_utf8(trawl_buf_t *out, const uint8_t *p, size_t n)
{
	if (trawl_buf_grow(out, n / 2 * 3 + 1) < 0)
		return;
	out->data[out->len] = 0; /* grown, not written: a string that ends at once is "" */
	for (size_t i = 0; i + 1 < n; i += 2) {
		uint32_t u = le16(p + i);
		if (!u)
			break;
		if (u >= 0xD800 && u < 0xDC00 && i + 3 < n && le16(p + i + 2) >= 0xDC00 && le16(p + i + 2) < 0xE000) {
			u = 0x10000 + ((u - 0xD800) << 10) + (le16(p + i + 2) - 0xDC00u);
			i += 2;
		} else if (u >= 0xD800 && u < 0xE000) {
			u = 0xFFFD;
		}
		char b[6];
		trawl_buf_put(out, b, (size_t)g_unichar_to_utf8(u, b));
	}
}

/* Bytes in Windows code page cp, up to the first NUL, as UTF-8: valid
 * UTF-8 is kept as it is; what the code page cannot take falls back to
 * windows-1252, then ISO-8859-1 (which takes every byte). */
static void
bytes_to_utf8(trawl_buf_t *out, const uint8_t *p, size_t n, unsigned cp)
{
	const uint8_t *nul = memchr(p, 0, n);
	if (nul)
		n = (size_t)(nul - p);
	if (g_utf8_validate((const char *)p, (gssize)n, NULL)) {
		trawl_buf_put(out, p, n);
		return;
	}
	char buf[24];
	const char *from[] = {trawl_scan__codepage_charset(cp ? cp : 1252, buf), "windows-1252", "ISO-8859-1"};
	for (size_t i = 0; i < sizeof from / sizeof *from; i++) {
		gsize written = 0;
		char *conv = g_convert((const char *)p, (gssize)n, "UTF-8", from[i], NULL, &written, NULL);
		if (conv) {
			trawl_buf_put(out, conv, written);
			g_free(conv);
			return;
		}
	}
}

/* A string value as UTF-8 in out (reset first); "" when absent or not a
 * string. cp: the code page of PT_STRING8. The result is owned by out. */
static const char *
text_of(trawl_buf_t *out, const val_t *v, unsigned cp)
{
	trawl_buf_reset(out);
	if (v->type == PT_UNICODE)
		utf16_to_utf8(out, v->p, v->n);
	else if (v->type == PT_STRING8)
		bytes_to_utf8(out, v->p, v->n, cp);
	return trawl_buf_cstr(out);
}

/* The code page of the message's 8-bit properties, and of its legacy
 * attributes. */
static unsigned
prop_cp(const tnef_t *t)
{
	return t->cpid ? t->cpid : t->oem_cp ? t->oem_cp : 1252;
}

static unsigned
oem_cp(const tnef_t *t)
{
	return t->oem_cp ? t->oem_cp : prop_cp(t);
}

/* A part name under the TNEF's prefix: "body", or "2.body". Owned by t. */
static const char *
part_name(tnef_t *t, const char *name)
{
	trawl_buf_reset(&t->part);
	trawl_buf_printf(&t->part, "%s%s%s", t->prefix, *t->prefix ? "." : "", name);
	return trawl_buf_cstr(&t->part);
}

/* ---- the attributes ------------------------------------------------- */

static void
message_prop(tnef_t *t, const prop_t *p, void *payload)
{
	(void)payload;
	if (p->named || p->index)
		return;
	val_t *slot = NULL;
	switch (p->id) {
	case PR_SUBJECT: slot = &t->subject; break;
	case PR_NORMALIZED_SUBJECT: slot = &t->normalized_subject; break;
	case PR_CONVERSATION_TOPIC: slot = &t->topic; break;
	case PR_SENDER_NAME: slot = &t->sender_name; break;
	case PR_SENDER_EMAIL: slot = &t->sender_email; break;
	case PR_SENDER_SMTP: slot = &t->sender_smtp; break;
	case PR_SENT_REPRESENTING_NAME: slot = &t->rep_name; break;
	case PR_SENT_REPRESENTING_EMAIL: slot = &t->rep_email; break;
	case PR_SENT_REPRESENTING_SMTP: slot = &t->rep_smtp; break;
	case PR_INTERNET_MESSAGE_ID: slot = &t->message_id; break;
	case PR_TRANSPORT_MESSAGE_HEADERS: slot = &t->transport_headers; break;
	case PR_BODY: slot = &t->body; break;
	case PR_HTML:
		if (p->type == PT_BINARY || is_string(p->type))
			t->html = p->v;
		return;
	case PR_RTF_COMPRESSED:
		if (p->type == PT_BINARY)
			t->rtf = p->v;
		return;
	case PR_CLIENT_SUBMIT_TIME:
	case PR_DELIVERY_TIME:
		if (p->type == PT_SYSTIME)
			*(p->id == PR_CLIENT_SUBMIT_TIME ? &t->submit_time : &t->delivery_time) = le64(p->v.p);
		return;
	case PR_INTERNET_CPID:
	case PR_MESSAGE_CODEPAGE:
		if (p->type == PT_LONG && (!t->cpid || p->id == PR_INTERNET_CPID))
			t->cpid = le32(p->v.p);
		return;
	default:
		return;
	}
	if (is_string(p->type))
		*slot = p->v;
}

static void
attachment_prop(tnef_t *t, const prop_t *p, void *payload)
{
	att_t *a = payload;
	if (p->named || p->index)
		return;
	switch (p->id) {
	case PR_ATTACH_LONG_FILENAME:
		if (is_string(p->type))
			a->long_name = p->v;
		break;
	case PR_ATTACH_FILENAME:
		if (is_string(p->type))
			a->file_name = p->v;
		break;
	case PR_DISPLAY_NAME:
		if (is_string(p->type))
			a->display = p->v;
		break;
	case PR_ATTACH_MIME_TAG:
		if (is_string(p->type))
			a->mime = p->v;
		break;
	case PR_ATTACH_DATA:
		if (p->type == PT_BINARY || p->type == PT_OBJECT)
			a->object = p->v;
		break;
	default:
		break;
	}
}

/* The attachment that attachment attributes go to: attAttachRendData
 * starts one (new set), the others add to the last. Past max_members
 * they go nowhere. */
static att_t *
attachment(tnef_t *t, bool new)
{
	if (!new && t->n_atts)
		return t->over_limit ? &t->discard : &t->atts[t->n_atts - 1];
	t->n_seen++;
	if (t->over_limit || t->n_atts >= t->w->limits.max_members) {
		t->over_limit = true;
		memset(&t->discard, 0, sizeof t->discard);
		return &t->discard;
	}
	if (t->n_atts == t->cap_atts) {
		size_t cap = t->cap_atts ? t->cap_atts * 2 : 8;
		att_t *grown = realloc(t->atts, cap * sizeof *grown);
		if (!grown) {
			t->over_limit = true;
			return &t->discard;
		}
		t->atts = grown;
		t->cap_atts = cap;
	}
	att_t *a = &t->atts[t->n_atts++];
	memset(a, 0, sizeof *a);
	return a;
}

static void
attribute(tnef_t *t, uint8_t level, uint16_t id, const uint8_t *d, size_t n, size_t at)
{
	val_t v = {d, n, PT_STRING8};
	size_t used = 0;
	switch (id) {
	case ATT_SUBJECT:
		if (level == LVL_MESSAGE)
			t->subject8 = v;
		break;
	case ATT_BODY:
		t->body8 = v;
		break;
	case ATT_FROM:
		t->from8 = v;
		break;
	case ATT_DATE_SENT:
		t->date8 = v;
		break;
	case ATT_OEM_CODEPAGE:
		if (n >= 4)
			t->oem_cp = le32(d);
		break;
	case ATT_RECIP_TABLE:
		t->recips = v;
		break;
	case ATT_MSG_PROPS:
		if (t->n_blocks < MAX_PROP_BLOCKS)
			t->blocks[t->n_blocks++] = v;
		if (!props_each(t, d, n, &used, message_prop, NULL))
			damaged(t, "the message's properties at byte %zu (those before read)", at + 9 + used);
		break;
	case ATT_ATTACH_REND_DATA:
		attachment(t, true);
		break;
	case ATT_ATTACH_TITLE:
		attachment(t, false)->title = v;
		break;
	case ATT_ATTACH_DATA:
		attachment(t, false)->data = (val_t){d, n, PT_BINARY};
		break;
	case ATT_ATTACHMENT: {
		att_t *a = attachment(t, false);
		if (!props_each(t, d, n, &used, attachment_prop, a))
			damaged(t, "the properties of attachment %llu at byte %zu (those before read)",
			        (unsigned long long)t->n_seen, at + 9 + used);
		break;
	}
	default:
		break;
	}
}

/* Walks the attributes (first pass: nothing is scanned yet, so that the
 * headers are read before the bodies, as for any message). */
static void
read_attributes(tnef_t *t, const uint8_t *d, size_t n)
{
	size_t o = 6; /* signature, legacy key */
	while (o < n) {
		if (trawl_scan__stopped(t->w->opts))
			return;
		if (n - o < 11)
			return; /* padding: too short for an attribute */
		uint8_t level = d[o];
		uint16_t id = le16(d + o + 1);
		size_t len = le32(d + o + 5);
		if (level != LVL_MESSAGE && level != LVL_ATTACHMENT) {
			damaged(t, "no attribute at byte %zu (the rest not read)", o);
			return;
		}
		if (len > n - o - 11) {
			damaged(t, "attribute 0x%04x at byte %zu runs past the end (the rest not read)", id, o);
			return;
		}
		t->read_any = true;
		attribute(t, level, id, d + o + 9, len, o);
		o += 11 + len;
	}
}

/* ---- what is scanned ------------------------------------------------ */

/* Appends s to b with line breaks and other control bytes as spaces: a
 * value in a header block cannot start a header of its own. */
static void
put_flat(trawl_buf_t *b, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		trawl_buf_putc(b, ch < 0x20 || ch == 0x7f ? ' ' : (char)ch);
	}
}

/* An address worth writing into a header: one with an @ (not an Exchange
 * X.500 name). */
static bool
is_smtp(const char *s)
{
	return strchr(s, '@') && *s != '/';
}

/* One mailbox of a role. With an address it joins the role's header line;
 * a name alone (an Exchange sender) goes in by itself, its role numbered
 * when it is not the first ("To.2"), as pst.c does. */
static void
add_mailbox(tnef_t *t, int role, const char *name, const char *addr)
{
	if (!*name && !*addr)
		return;
	if (!*addr) {
		char header[300];
		unsigned k = ++t->name_only[role];
		if (k > 1)
			snprintf(header, sizeof header, "%s%s%s.%u", t->prefix, *t->prefix ? ":" : "", role_names[role], k);
		else
			snprintf(header, sizeof header, "%s%s%s", t->prefix, *t->prefix ? ":" : "", role_names[role]);
		trawl_scan__msg_mailbox(t->c, header, name, NULL, t->top ? TRAWL_WHERE_HEADER : TRAWL_WHERE_ATTACHMENT);
		return;
	}
	trawl_scan__put_mailbox(&t->roles[role], name, addr);
}

/* The sender from the legacy attFrom: a TRP header (8 bytes), then the
 * display name and the address ("SMTP:..." or a bare one), each NUL-ended. */
static void
legacy_sender(tnef_t *t)
{
	const uint8_t *p = t->from8.p;
	size_t n = t->from8.n;
	if (n <= 8)
		return;
	p += 8, n -= 8;
	const uint8_t *nul = memchr(p, 0, n);
	size_t first = nul ? (size_t)(nul - p) : n;
	val_t name = {p, first, PT_STRING8};
	trawl_buf_t addr = {0};
	while (nul && nul + 1 < p + n && !nul[1])
		nul++; /* padding */
	if (nul && nul + 1 < p + n) {
		val_t rest = {nul + 1, (size_t)(p + n - nul - 1), PT_STRING8};
		text_of(&addr, &rest, oem_cp(t));
	}
	const char *a = trawl_buf_cstr(&addr);
	const char *colon = strchr(a, ':');
	if (colon && strchr(colon, '@'))
		a = colon + 1;
	add_mailbox(t, 0, text_of(&t->a, &name, oem_cp(t)), is_smtp(a) ? a : "");
	trawl_buf_free(&addr);
}

static void
sender(tnef_t *t)
{
	unsigned cp = prop_cp(t);
	const char *name = text_of(&t->a, t->sender_name.type ? &t->sender_name : &t->rep_name, cp);
	const val_t *cands[] = {&t->sender_smtp, &t->rep_smtp, &t->sender_email, &t->rep_email};
	const char *addr = "";
	for (size_t i = 0; i < sizeof cands / sizeof *cands && !*addr; i++) {
		addr = text_of(&t->b, cands[i], cp);
		if (!is_smtp(addr))
			addr = "";
	}
	if (*name || *addr)
		add_mailbox(t, 0, name, addr);
	else if (t->from8.n)
		legacy_sender(t);
}

typedef struct {
	int role;
	val_t name, email, smtp;
} recip_t;

static void
recipient_prop(tnef_t *t, const prop_t *p, void *payload)
{
	recip_t *r = payload;
	if (p->named || p->index)
		return;
	if (p->id == PR_RECIPIENT_TYPE && p->type == PT_LONG) {
		uint32_t type = le32(p->v.p) & 0xf;
		r->role = type == 2 ? 2 : type == 3 ? 3 : type == 0 ? 0 : 1;
	} else if (is_string(p->type)) {
		if (p->id == PR_DISPLAY_NAME)
			r->name = p->v;
		else if (p->id == PR_EMAIL_ADDRESS)
			r->email = p->v;
		else if (p->id == PR_SMTP_ADDRESS)
			r->smtp = p->v;
	}
}

/* attRecipTable: a row count, then each row a property list. Blind copies
 * only when the transport headers (which hold the others) were read. */
static void
recipients(tnef_t *t, bool bcc_only)
{
	const uint8_t *d = t->recips.p;
	size_t n = t->recips.n, o = 4;
	if (n < 4)
		return;
	uint32_t rows = le32(d);
	unsigned cp = prop_cp(t);
	for (uint32_t i = 0; i < rows && o < n; i++) {
		recip_t r = {.role = 1};
		size_t used = 0;
		bool ok = props_each(t, d + o, n - o, &used, recipient_prop, &r);
		o += used;
		if (!bcc_only || r.role == 3) {
			const char *addr = text_of(&t->b, r.smtp.type ? &r.smtp : &r.email, cp);
			add_mailbox(t, r.role, text_of(&t->a, &r.name, cp), is_smtp(addr) ? addr : "");
		}
		if (!ok) {
			damaged(t, "recipient %u of the recipient table (the rest not read)", i + 1);
			return;
		}
	}
}

/* "14 Mar 2024 09:30:00 +0000" (RFC 5322, the day of the week left out)
 * from seconds since 1970; "" when out of range. */
static void
format_date(char out[64], int64_t secs)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t tt = (time_t)secs;
	struct tm tm;
	out[0] = 0;
	if (secs < 0 || secs > 253402300799 /* 9999-12-31 */ || !gmtime_r(&tt, &tm))
		return;
	snprintf(out, 64, "%d %s %04d %02d:%02d:%02d +0000", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
	         tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void
message_date(tnef_t *t, char out[64])
{
	uint64_t ft = t->submit_time ? t->submit_time : t->delivery_time;
	out[0] = 0;
	if (ft) {
		/* FILETIME: 100 ns ticks since 1601 */
		format_date(out, (int64_t)(ft / 10000000u) - 11644473600);
	} else if (t->date8.n >= 12) {
		/* attDateSent: year, month, day, hour, minute, second (WORDs) */
		const uint8_t *p = t->date8.p;
		struct tm tm = {.tm_year = le16(p) - 1900, .tm_mon = le16(p + 2) - 1, .tm_mday = le16(p + 4),
		                .tm_hour = le16(p + 6), .tm_min = le16(p + 8), .tm_sec = le16(p + 10)};
		if (tm.tm_year > 0 && tm.tm_mon >= 0 && tm.tm_mon < 12 && tm.tm_mday >= 1 && tm.tm_mday <= 31 &&
		    tm.tm_hour < 24 && tm.tm_min < 60 && tm.tm_sec < 61)
			format_date(out, (int64_t)timegm(&tm));
	}
}

/* Does the header block h have a header called name? */
static bool
has_header(const char *h, const char *name)
{
	size_t n = strlen(name);
	for (const char *line = h; line; line = strchr(line, '\n')) {
		while (*line == '\n' || *line == '\r')
			line++;
		if (g_ascii_strncasecmp(line, name, n) == 0 && line[n] == ':')
			return true;
	}
	return false;
}

/* The sender, recipients, subject, date and Message-ID, written out as the
 * headers they stand for and read as such; those the transport headers
 * (PR_TRANSPORT_MESSAGE_HEADERS, when the message has them) already gave
 * are left out. */
static void
headers(tnef_t *t)
{
	trawl_message_t *rec = trawl_scan__msg_record(t->c);
	trawl_where_t where = t->top ? TRAWL_WHERE_HEADER : TRAWL_WHERE_ATTACHMENT;
	int64_t time = rec->time;
	if (!t->top)
		trawl_scan__msg_guard(rec, true);

	bool transport = false, has_subject = false, has_date = false, has_mid = false;
	if (t->transport_headers.type) {
		const char *h = text_of(&t->a, &t->transport_headers, prop_cp(t));
		if (*h) {
			trawl_buf_reset(&t->hdr);
			trawl_buf_printf(&t->hdr, "%s\n\n", h);
			trawl_scan__msg_headers(t->c, t->hdr.data, t->hdr.len, t->prefix, where);
			transport = true;
			has_subject = has_header(h, "Subject");
			has_date = has_header(h, "Date");
			has_mid = has_header(h, "Message-ID");
		}
	}
	if (!transport)
		sender(t);
	recipients(t, transport);

	trawl_buf_reset(&t->hdr);
	for (int i = 0; i < 4; i++) {
		if (t->roles[i].len)
			trawl_buf_printf(&t->hdr, "%s: %s\n", role_names[i], trawl_buf_cstr(&t->roles[i]));
		trawl_buf_free(&t->roles[i]);
	}
	/* the subject; else the legacy one; else what the subject was made from */
	const char *subject = has_subject ? "" : text_of(&t->a, &t->subject, prop_cp(t));
	if (!*subject && !has_subject)
		subject = text_of(&t->a, &t->subject8, oem_cp(t));
	if (!*subject && !has_subject)
		subject = text_of(&t->a, &t->normalized_subject, prop_cp(t));
	if (!*subject && !has_subject)
		subject = text_of(&t->a, &t->topic, prop_cp(t));
	if (*subject) {
		trawl_buf_puts(&t->hdr, "Subject: ");
		put_flat(&t->hdr, subject);
		trawl_buf_putc(&t->hdr, '\n');
	}
	char date[64] = "";
	if (!has_date)
		message_date(t, date);
	if (*date)
		trawl_buf_printf(&t->hdr, "Date: %s\n", date);
	const char *mid = has_mid ? "" : text_of(&t->a, &t->message_id, prop_cp(t));
	if (*mid) {
		trawl_buf_puts(&t->hdr, "Message-ID: ");
		put_flat(&t->hdr, mid);
		trawl_buf_putc(&t->hdr, '\n');
	}
	if (t->hdr.len) {
		trawl_buf_putc(&t->hdr, '\n');
		trawl_scan__msg_headers(t->c, t->hdr.data, t->hdr.len, t->prefix, where);
	}
	if (!t->top) {
		trawl_scan__msg_guard(rec, false);
		rec->time = time;
	}
}

static void
bodies(tnef_t *t)
{
	trawl_where_t where = t->top ? TRAWL_WHERE_BODY : TRAWL_WHERE_ATTACHMENT;
	const val_t *body = t->body.type ? &t->body : t->body8.n ? &t->body8 : NULL;
	if (body) {
		text_of(&t->a, body, body == &t->body ? prop_cp(t) : oem_cp(t));
		if (t->a.len)
			trawl_scan__msg_text(t->c, t->a.data, t->a.len, "UTF-8", false, where, part_name(t, "body"));
	}
	if (t->html.type) {
		/* PR_HTML is bytes in the message's Internet code page, or a string */
		char buf[24];
		const char *charset = trawl_scan__codepage_charset(prop_cp(t), buf);
		const char *html = (const char *)t->html.p;
		size_t n = t->html.n;
		if (is_string(t->html.type)) {
			text_of(&t->a, &t->html, prop_cp(t));
			html = t->a.data ? t->a.data : "", n = t->a.len, charset = "UTF-8";
		}
		if (n)
			trawl_scan__msg_text(t->c, html, n, charset, true, where, part_name(t, "html"));
	}
	if (t->rtf.type) {
		size_t n = 0;
		uint8_t *rtf = trawl_scan__rtf_decompress(t->rtf.p, t->rtf.n, t->w->limits.max_part_bytes, &n);
		bool html = false;
		while (rtf && n && !rtf[n - 1])
			n--; /* writers end it with a NUL */
		if (!rtf)
			damaged(t, "the compressed RTF body is unreadable or larger than %llu bytes",
			        (unsigned long long)t->w->limits.max_part_bytes);
		else if (trawl_scan__rtf_to_text(&t->a, (const char *)rtf, n, &html) == TRAWL_OK && t->a.len)
			trawl_scan__msg_text(t->c, t->a.data, t->a.len, "UTF-8", html, where, part_name(t, "rtf"));
		free(rtf);
	}
}

/* String properties already read for what they are, or identifiers of
 * messages and machinery rather than of people. */
static bool
props_skipped(uint16_t id)
{
	switch (id) {
	case PR_MESSAGE_CLASS:
	case PR_SUBJECT:
	case PR_SUBJECT_PREFIX:
	case PR_NORMALIZED_SUBJECT:
	case PR_CONVERSATION_TOPIC:
	case PR_RECEIVED_BY_ADDRTYPE:
	case PR_RCVD_REPRESENTING_ADDRTYPE:
	case PR_RTF_SYNC_BODY_TAG:
	case PR_SENT_REPRESENTING_NAME:
	case PR_SENT_REPRESENTING_ADDRTYPE:
	case PR_SENT_REPRESENTING_EMAIL:
	case PR_SENT_REPRESENTING_SMTP:
	case PR_SENDER_NAME:
	case PR_SENDER_ADDRTYPE:
	case PR_SENDER_EMAIL:
	case PR_SENDER_SMTP:
	case PR_TRANSPORT_MESSAGE_HEADERS:
	case PR_BODY:
	case PR_HTML:
	case PR_INTERNET_MESSAGE_ID:
	case PR_INTERNET_REFERENCES:
	case PR_IN_REPLY_TO_ID:
		return true;
	default:
		return false;
	}
}

static void
props_line(tnef_t *t, const prop_t *p, void *payload)
{
	trawl_buf_t *text = payload;
	if (!is_string(p->type) || (!p->named && props_skipped(p->id)))
		return;
	const char *s = text_of(&t->b, &p->v, prop_cp(t));
	if (!*s)
		return;
	put_flat(text, s);
	trawl_buf_putc(text, '\n');
}

/* Every other string property of the message (named ones included: an
 * appointment's location, a contact's fields), one a line. */
static void
props_text(tnef_t *t)
{
	trawl_buf_reset(&t->a);
	for (size_t i = 0; i < t->n_blocks; i++)
		props_each(t, t->blocks[i].p, t->blocks[i].n, NULL, props_line, &t->a);
	if (t->a.len)
		trawl_scan__msg_text(t->c, t->a.data, t->a.len, "UTF-8", false,
		                     t->top ? TRAWL_WHERE_BODY : TRAWL_WHERE_ATTACHMENT, part_name(t, "props"));
}

static void
attachments(tnef_t *t)
{
	const trawl_limits_t *lim = &t->w->limits;
	for (size_t i = 0; i < t->n_atts && !trawl_scan__stopped(t->w->opts); i++) {
		const att_t *a = &t->atts[i];
		/* the name: the long file name, the legacy title, the 8.3 name, the display name */
		const val_t *names[] = {&a->long_name, &a->title, &a->file_name, &a->display};
		const char *name = "";
		for (size_t k = 0; k < sizeof names / sizeof *names && !*name; k++)
			name = text_of(&t->a, names[k], names[k] == &a->title ? oem_cp(t) : prop_cp(t));
		trawl_buf_reset(&t->part);
		trawl_buf_printf(&t->part, "%s!/", t->prefix);
		if (*name)
			put_flat(&t->part, name);
		else
			trawl_buf_printf(&t->part, "att%zu", i + 1);
		const char *part = trawl_buf_cstr(&t->part);

		const val_t *data = a->data.n ? &a->data : &a->object;
		if (!data->n)
			continue; /* by reference, or empty */
		if (data->n > lim->max_part_bytes) {
			trawl_scan__skip(t->w, t->skip_at, TRAWL_ELIMIT, "attachment %s larger than %llu bytes", part,
			                 (unsigned long long)lim->max_part_bytes);
			continue;
		}
		const char *mime = a->mime.type ? text_of(&t->b, &a->mime, prop_cp(t)) : NULL;
		trawl_scan__msg_attachment_at(t->c, data->p, data->n, part, mime && *mime ? mime : NULL, t->depth + 1);
	}
	if (t->over_limit && t->top)
		trawl_scan__skip(t->w, t->skip_at, TRAWL_ELIMIT, "%s: more than %llu attachments: the rest not read",
		                 t->what, (unsigned long long)lim->max_members);
	else if (t->over_limit)
		trawl_scan__skip(t->w, t->skip_at, TRAWL_ELIMIT, "attachment %s: more than %llu attachments: the rest not read",
		                 t->prefix, (unsigned long long)lim->max_members);
}

/* Reads the stream into t->c. false when there was no attribute to read. */
static bool
read_tnef(tnef_t *t, const uint8_t *d, size_t n)
{
	if (n < 6 || le32(d) != TNEF_SIGNATURE) {
		damaged(t, "no TNEF signature");
		goto done;
	}
	read_attributes(t, d, n);
	if (!t->read_any) {
		damaged(t, "no attributes");
		goto done;
	}
	headers(t);
	bodies(t);
	props_text(t);
	attachments(t);
done:
	free(t->atts);
	for (int i = 0; i < 4; i++)
		trawl_buf_free(&t->roles[i]);
	trawl_buf_free(&t->a);
	trawl_buf_free(&t->b);
	trawl_buf_free(&t->hdr);
	trawl_buf_free(&t->part);
	return t->read_any;
}

bool
trawl_scan__tnef_into(trawl_worker_t *w, trawl_msg_t *c, const void *data, size_t len, const char *prefix, bool top,
                      unsigned depth, const char *what)
{
	tnef_t t = {.w = w, .c = c, .prefix = prefix, .what = what, .top = top, .depth = depth,
	            .skip_at = trawl_scan__msg_record(c)->location};
	return read_tnef(&t, data, len);
}

trawl_status_t
trawl_scan__tnef(trawl_worker_t *w, const void *data, size_t len, const char *location, unsigned depth)
{
	trawl_status_t rc = TRAWL_OK;
	trawl_msg_t *c = NULL;
	if (len > w->limits.max_message_bytes) {
		trawl_scan__skip(w, location, TRAWL_ELIMIT, "TNEF larger than %llu bytes",
		                 (unsigned long long)w->limits.max_message_bytes);
		goto done;
	}
	if ((rc = trawl_scan__msg_begin(&c, w, TRAWL_ITEM_MESSAGE, location, depth)) < 0)
		goto done;
	if (!trawl_scan__tnef_into(w, c, data, len, "", true, 0, "TNEF")) {
		trawl_scan__msg_abort(c);
		goto done;
	}
	if (trawl_scan__stopped(w->opts)) {
		trawl_scan__msg_abort(c);
		rc = TRAWL_EINTR;
		goto done;
	}
	rc = trawl_scan__msg_end(c, data, len);
done:
	return rc;
}

void
trawl_scan__tnef_attached(trawl_worker_t *w, trawl_msg_t *c, const void *data, size_t len, const char *part,
                          unsigned depth)
{
	trawl_scan__tnef_into(w, c, data, len, part, false, depth, "TNEF");
}
