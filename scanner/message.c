/* One RFC 822 message: parsed with GMime, every header and every leaf part
 * decoded to UTF-8 text and handed to the detectors; forwarded messages and
 * attachments (text, HTML, CSV, archives, mail) walked into. Everything found
 * belongs to the one record of the top-level message. A message of a single
 * part is read without GMime's object tree (see "the fast path" below), to
 * the same result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "scanner/scanner.h"

#include <gmime/gmime.h>
#include <libxml/parser.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static GMimeParserOptions *parser_options; /* built once, read-only after */
static pthread_key_t parser_key;           /* each thread's GMimeParser */

static void
free_parser(void *parser)
{
	g_object_unref(parser);
}

static void
global_init(void)
{
	static const char *fallback[] = {"UTF-8", "windows-1252", NULL};
	g_mime_init();
	xmlInitParser();
	parser_options = g_mime_parser_options_new();
	g_mime_parser_options_set_rfc2047_compliance_mode(parser_options, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode(parser_options, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(parser_options, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_fallback_charsets(parser_options, fallback);
	pthread_key_create(&parser_key, free_parser);
}

void
trawl_scan__global_init(void)
{
	pthread_once(&init_once, global_init);
}

/* A message parsed from bytes the caller keeps. */
typedef struct {
	GMimeStream *stream;
	GMimeMessage *message; /* NULL when GMime read no message */
} mime_input_t;

/* The thread's parser, made once and set to one stream after another: a
 * new one costs as much as parsing the headers of a short message (its
 * read buffer is allocated large), and nothing built by a parser refers to
 * it once built. Unreffed when the thread ends. */
static GMimeParser *
thread_parser(void)
{
	GMimeParser *parser = pthread_getspecific(parser_key);
	if (!parser) {
		parser = g_mime_parser_new();
		pthread_setspecific(parser_key, parser);
	}
	return parser;
}

static void
give_back(gpointer array, GObject *stream)
{
	(void)stream;
	g_byte_array_free(array, FALSE); /* the array only: the bytes are the caller's */
}

/* Parses the message in data, which must outlive in->message: the stream
 * reads data in place, where g_mime_stream_mem_new_with_buffer() would copy
 * every message first. The byte array only lends data to the stream (not
 * its owner; GMime's parser never writes to its input) and is freed
 * without the bytes when the stream is, which may be as late as the
 * thread's parser takes the next stream. Returns in->message. */
static GMimeMessage *
mime_open(mime_input_t *in, const char *data, size_t len)
{
	if (len <= G_MAXUINT) {
		GByteArray *lent = g_byte_array_new_take((guint8 *)data, len);
		in->stream = g_mime_stream_mem_new_with_byte_array(lent);
		g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(in->stream), FALSE);
		g_object_weak_ref(G_OBJECT(in->stream), give_back, lent);
	} else {
		in->stream = g_mime_stream_mem_new_with_buffer(data, len);
	}
	GMimeParser *parser = thread_parser();
	g_mime_parser_init_with_stream(parser, in->stream);
	in->message = g_mime_parser_construct_message(parser, parser_options);
	return in->message;
}

static void
mime_close(mime_input_t *in)
{
	if (in->message)
		g_object_unref(in->message);
	g_object_unref(in->stream);
}

/* The state of one top-level message while its parts are walked. */
typedef struct trawl_msg {
	trawl_worker_t *w;
	trawl_message_t *msg;
	const char *location;
	unsigned depth;     /* containers around the message */
	unsigned parts;     /* leaf parts seen, against runaway nesting */
	trawl_buf_t text;   /* the current part's UTF-8 text */
	trawl_buf_t conv;
	trawl_buf_t path;
} msg_ctx_t;

#define MAX_PARTS 20000
#define MAX_MIME_DEPTH 64

/* What scan_headers() does with a header: its mailboxes, nothing (values
 * that identify messages or machinery, not people: nothing in them is
 * personal data worth reporting), or, for any header not listed, its value
 * as free text. */
enum { HEADER_TEXT, HEADER_ADDRESS, HEADER_SKIP };

typedef struct {
	const char *name;
	size_t len;
	int kind;
	int list; /* the GMimeAddressType GMime parses the header into, or -1 */
} header_kind_t;

#define HK(name, kind, list) {name, sizeof name - 1, kind, list}
static const header_kind_t header_kinds[] = {
	HK("From", HEADER_ADDRESS, GMIME_ADDRESS_TYPE_FROM),
	HK("To", HEADER_ADDRESS, GMIME_ADDRESS_TYPE_TO),
	HK("Cc", HEADER_ADDRESS, GMIME_ADDRESS_TYPE_CC),
	HK("Bcc", HEADER_ADDRESS, GMIME_ADDRESS_TYPE_BCC),
	HK("Reply-To", HEADER_ADDRESS, GMIME_ADDRESS_TYPE_REPLY_TO),
	HK("Sender", HEADER_ADDRESS, GMIME_ADDRESS_TYPE_SENDER),
	HK("Resent-From", HEADER_ADDRESS, -1),
	HK("Resent-To", HEADER_ADDRESS, -1),
	HK("Resent-Cc", HEADER_ADDRESS, -1),
	HK("Resent-Sender", HEADER_ADDRESS, -1),
	HK("Delivered-To", HEADER_ADDRESS, -1),
	HK("Return-Path", HEADER_ADDRESS, -1),
	HK("Disposition-Notification-To", HEADER_ADDRESS, -1),
	HK("Message-ID", HEADER_SKIP, -1),
	HK("References", HEADER_SKIP, -1),
	HK("In-Reply-To", HEADER_SKIP, -1),
	HK("Content-ID", HEADER_SKIP, -1),
	HK("Resent-Message-ID", HEADER_SKIP, -1),
	HK("Content-Type", HEADER_SKIP, -1),
	HK("Content-Transfer-Encoding", HEADER_SKIP, -1),
	HK("Content-Disposition", HEADER_SKIP, -1),
	HK("MIME-Version", HEADER_SKIP, -1),
	HK("Date", HEADER_SKIP, -1),
	HK("DKIM-Signature", HEADER_SKIP, -1),
	HK("ARC-Seal", HEADER_SKIP, -1),
	HK("ARC-Message-Signature", HEADER_SKIP, -1),
	HK("Thread-Index", HEADER_SKIP, -1),
	HK("X-Google-DKIM-Signature", HEADER_SKIP, -1),
	HK("Domainkey-Signature", HEADER_SKIP, -1),
	HK("X-MS-Exchange-Organization-Network-Message-Id", HEADER_SKIP, -1),
	HK("List-Id", HEADER_SKIP, -1),
	HK("Content-Language", HEADER_SKIP, -1),
	HK("Accept-Language", HEADER_SKIP, -1),
	HK("X-Mailer", HEADER_SKIP, -1),
	HK("User-Agent", HEADER_SKIP, -1),
};
#undef HK

static const header_kind_t text_header = {NULL, 0, HEADER_TEXT, -1};

/* header_kinds[] by the length of their names, built once: each message
 * asks header_kind() of every one of its headers. At each length up to
 * MAX_SAME_LEN entries (1 + their index), then 0. */
#define MAX_KIND_LEN 48
#define MAX_SAME_LEN 4
static uint8_t kinds_by_len[MAX_KIND_LEN][MAX_SAME_LEN + 1];
static pthread_once_t kinds_once = PTHREAD_ONCE_INIT;

static void
index_kinds(void)
{
	for (size_t i = 0; i < sizeof header_kinds / sizeof *header_kinds; i++) {
		g_assert(header_kinds[i].len < MAX_KIND_LEN);
		uint8_t *at = kinds_by_len[header_kinds[i].len];
		while (*at)
			at++;
		g_assert(at < kinds_by_len[header_kinds[i].len] + MAX_SAME_LEN); /* else raise it */
		*at = (uint8_t)(i + 1);
	}
}

static char
ascii_lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
}

/* g_ascii_strcasecmp(a, b) == 0 and g_ascii_strncasecmp(a, b, n) == 0
 * without a call into glib: asked of header names, of every header. */
static bool
ascii_case_equal(const char *a, const char *b)
{
	/* names mostly come as the table spells them: folded only where
	 * the bytes differ */
	for (; *a == *b || ascii_lower(*a) == ascii_lower(*b); a++, b++)
		if (!*a)
			return true;
	return false;
}

static bool
ascii_case_equal_n(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n && (a[i] || b[i]); i++)
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return false;
	return true;
}

/* Case-blind equality of two ASCII letters, or of anything else that
 * differs from another only in bit 0x20: a test before the comparison. */
static bool
same_letter(char a, char b)
{
	return ((a ^ b) & ~0x20) == 0;
}

/* The entry for a header name: those of its length, where its first
 * letter matches, compared. */
static const header_kind_t *
header_kind(const char *name)
{
	pthread_once(&kinds_once, index_kinds);
	size_t len = strlen(name);
	if (len >= MAX_KIND_LEN)
		return &text_header;
	for (const uint8_t *at = kinds_by_len[len]; *at; at++) {
		const header_kind_t *k = &header_kinds[*at - 1];
		if (same_letter(name[0], k->name[0]) && ascii_case_equal(name, k->name))
			return k;
	}
	return &text_header;
}

/* g_utf8_validate(data, len, NULL), which checks byte by byte: most text
 * is ASCII, so ASCII is passed over here, eight bytes at a time where it
 * can be (a NUL or a byte from 0x80 sets a top bit of v or of v - 0x01...;
 * the lowest such byte borrows from no other), and glib is asked about
 * each other character alone: the bytes its lead byte says it has (one
 * for a byte that leads none, or a NUL), which glib takes as valid only
 * where it would take them so within the whole. */
static bool
utf8_valid(const char *data, size_t len)
{
	size_t i = 0;
	while (i < len) {
		uint64_t v;
		if (i + 8 <= len && (memcpy(&v, data + i, sizeof v),
		                     !((v | (v - 0x0101010101010101u)) & 0x8080808080808080u))) {
			i += 8;
			continue;
		}
		unsigned char b = (unsigned char)data[i];
		if (b != 0 && b < 0x80) {
			i++;
			continue;
		}
		size_t n = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
		if (n > len - i)
			n = len - i;
		if (!g_utf8_validate(data + i, (gssize)n, NULL))
			return false;
		i += n;
	}
	return true;
}

/* Is name (an iconv name from g_mime_charset_iconv_name()) ISO-8859-1? */
static bool
is_latin1(const char *name)
{
	return name && (g_ascii_strcasecmp(name, "iso-8859-1") == 0 || g_ascii_strcasecmp(name, "latin1") == 0);
}

/* ISO-8859-1 to UTF-8 in out, as iconv converts it (never failing: each
 * byte is the code point of its value), without a call a character
 * through g_convert_with_iconv(). */
static trawl_status_t
put_latin1(trawl_buf_t *out, const char *data, size_t len)
{
	trawl_status_t rc = trawl_buf_grow(out, 2 * len);
	if (rc < 0)
		return rc;
	char *d = out->data + out->len;
	for (size_t i = 0; i < len; i++) {
		/* eight ASCII bytes (no top bit set) stay as they are */
		uint64_t v;
		if (len - i >= 8 && (memcpy(&v, data + i, sizeof v), !(v & 0x8080808080808080u))) {
			memcpy(d, &v, sizeof v);
			d += sizeof v, i += sizeof v - 1;
			continue;
		}
		unsigned char b = (unsigned char)data[i];
		if (b < 0x80) {
			*d++ = (char)b;
		} else {
			*d++ = (char)(0xC0 | b >> 6);
			*d++ = (char)(0x80 | (b & 0x3F));
		}
	}
	out->len = (size_t)(d - out->data);
	*d = '\0';
	return TRAWL_OK;
}

/* Converts bytes in charset to UTF-8 in out. Mislabelled and unknown
 * charsets fall back: valid UTF-8 is kept as it is, anything else is read
 * as windows-1252 (a superset of ISO-8859-1 that maps every byte but five). */
static trawl_status_t
to_utf8(trawl_worker_t *w, trawl_buf_t *out, const char *charset, const char *data, size_t len)
{
	trawl_buf_reset(out);
	bool declared_utf8 = !charset || !g_ascii_strcasecmp(charset, "utf-8") ||
	                     !g_ascii_strcasecmp(charset, "utf8") || !g_ascii_strcasecmp(charset, "us-ascii");
	bool valid = utf8_valid(data, len);
	if (declared_utf8 || valid) {
		if (valid)
			return trawl_buf_put(out, data, len);
		if (charset && g_ascii_strcasecmp(charset, "us-ascii") != 0) {
			/* declared UTF-8 but broken: keep what is valid */
			char *v = g_utf8_make_valid(data, (gssize)len);
			trawl_status_t rc = trawl_buf_puts(out, v);
			g_free(v);
			return rc;
		}
		charset = "windows-1252";
	}
	const char *name = g_mime_charset_iconv_name(charset);
	if (is_latin1(name))
		return put_latin1(out, data, len);
	gsize written = 0;
	char *conv = trawl_scan__convert(w, data, len, name, &written);
	if (!conv)
		conv = trawl_scan__convert(w, data, len, "windows-1252", &written);
	if (!conv)
		conv = trawl_scan__convert(w, data, len, "ISO-8859-1", &written);
	if (!conv)
		return trawl_buf_put(out, data, len);
	trawl_status_t rc = trawl_buf_put(out, conv, written);
	g_free(conv);
	return rc;
}

static trawl_status_t
detect(msg_ctx_t *c, const char *text, size_t len, trawl_where_t where, const char *part, const char *header)
{
	trawl_text_t t = {
		.text = text,
		.len = len,
		.where = where,
		.part = part,
		.header = header,
		.sender = c->msg->from,
		.message = &c->msg->findings,
	};
	return trawl_detect_text(c->w->opts->detectors, &c->msg->findings, &t);
}

/* The part name for a header: "header:From", or "2:header:From" for the
 * headers of a message forwarded as part 2. */
static void
header_part(trawl_buf_t *b, const char *prefix, const char *name)
{
	trawl_buf_reset(b);
	if (prefix && *prefix) {
		trawl_buf_puts(b, prefix);
		trawl_buf_putc(b, ':');
	}
	trawl_buf_puts(b, "header:");
	trawl_buf_puts(b, name);
}

static void
add_mailboxes(msg_ctx_t *c, InternetAddressList *list, const trawl_text_t *t, unsigned depth)
{
	int n = list ? internet_address_list_length(list) : 0;
	for (int i = 0; i < n && depth < 8; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			add_mailboxes(c, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), t, depth + 1);
			continue;
		}
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
			continue;
		const char *name = internet_address_get_name(ia);
		const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
		trawl_detect_mailbox(c->w->opts->detectors, &c->msg->findings, t, name, addr);
	}
}

static bool
is_lwsp(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* ---- plain address lists, read as GMime's parser reads them ----
 *
 * internet_address_list_parse() makes a GObject of the list and of each
 * mailbox, and freeing them costs as much again: for the few address
 * headers of a message, more than splitting all its headers. Most lists
 * are plain: "addr@domain", "Name <addr@domain>", "\"Last, First\"
 * <addr@domain>", separated by commas. For those the mailboxes are read
 * here, each as address_parse() in GMime 3.2's internet-address.c reads
 * it: the address as it stands, the name from the same bytes of the
 * phrase by decode_name()'s steps. Anything else (comments, groups, route
 * addresses, domain literals, IDN "xn--" labels GMime decodes, backslashes,
 * 8-bit bytes, a phrase with a bare comma or '@', angle brackets doubled
 * or missing, white space inside an address) is GMime's to parse. */

#define MAX_PLAIN_MAILBOXES 64

typedef struct {
	const char *phrase, *addr; /* in the raw value */
	size_t phrase_len, addr_len;
} plain_mailbox_t;

/* GMime's is_atom() for ASCII: no special, space or control. */
static bool
is_atom_char(unsigned char ch)
{
	switch (ch) { /* the specials, and '.' */
	case '(': case ')': case '<': case '>': case '@': case ',': case ';':
	case ':': case '\\': case '"': case '.': case '[': case ']':
		return false;
	default:
		return ch > ' ' && ch < 0x7f;
	}
}

/* Atoms joined by single dots at p; the end, or NULL. An IDN label in a
 * domain ("xn--"), which GMime decodes to UTF-8, is left to GMime. */
static const char *
dot_atom(const char *p, bool domain)
{
	for (;;) {
		const char *atom = p;
		while (is_atom_char((unsigned char)*p))
			p++;
		if (p == atom || (domain && ascii_case_equal_n(atom, "xn--", 4)))
			return NULL;
		if (*p != '.')
			return p;
		p++;
	}
}

static const char *
addr_spec(const char *p)
{
	p = dot_atom(p, false);
	return p && *p == '@' ? dot_atom(p + 1, true) : NULL;
}

/* The phrase before an angle address at *in: words (atoms, quoted strings
 * of printable ASCII without backslashes) with blanks and dots between,
 * up to the '<'; its length, and *in at the '<'. -1 when not that. GMime
 * takes the phrase from its first word to the end of its last word or
 * dot. */
static ssize_t
phrase_len(const char **in)
{
	const char *p = *in, *end = p;
	while (*p != '<') {
		if (*p == '"') {
			for (p++; *p != '"'; p++)
				if (*p == '\\' || (*p != '\t' && ((unsigned char)*p < ' ' || (unsigned char)*p >= 0x7f)))
					return -1;
			p++;
		} else if (is_atom_char((unsigned char)*p)) {
			while (is_atom_char((unsigned char)*p))
				p++;
		} else {
			return -1;
		}
		end = p;
		for (;;) {
			while (is_lwsp(*p))
				p++;
			if (*p != '.')
				break;
			end = ++p;
		}
	}
	ssize_t n = end - *in;
	*in = p;
	return n;
}

/* The mailboxes of a plain address list into out; their number, or -1
 * when raw is not plain (or holds more than max). */
static int
plain_mailboxes(const char *raw, plain_mailbox_t *out, int max)
{
	const char *p = raw;
	int n = 0;
	while (is_lwsp(*p))
		p++;
	while (*p) {
		if (n == max)
			return -1;
		plain_mailbox_t *mb = &out[n++];
		const char *end = addr_spec(p), *after = end;
		while (after && is_lwsp(*after))
			after++;
		if (after && (*after == ',' || !*after)) {
			/* a bare address: no name */
			*mb = (plain_mailbox_t){.phrase = p, .phrase_len = 0, .addr = p, .addr_len = (size_t)(end - p)};
			p = after;
		} else {
			mb->phrase = p;
			ssize_t len = phrase_len(&p);
			if (len < 0)
				return -1;
			mb->phrase_len = (size_t)len;
			mb->addr = ++p; /* after the '<' */
			if (!(end = addr_spec(p)) || *end != '>' || end[1] == '>')
				return -1;
			mb->addr_len = (size_t)(end - p);
			p = end + 1;
			while (is_lwsp(*p))
				p++;
			if (*p && *p != ',')
				return -1;
		}
		while (*p == ',' || is_lwsp(*p)) /* GMime skips empty entries */
			p++;
	}
	return n;
}

/* The name GMime gives a mailbox with this phrase (decode_name()): the
 * bytes unquoted, encoded words decoded, blanks trimmed. g_free() it. */
static char *
mailbox_name(const plain_mailbox_t *mb)
{
	char *buf = g_strndup(mb->phrase, mb->phrase_len);
	/* A phrase without a quoted word (most names) has nothing to unquote
	 * (atoms hold no backslash), and starts and ends with a word
	 * (phrase_len()): nothing to strip unless decoded. */
	bool quoted = memchr(mb->phrase, '"', mb->phrase_len) != NULL;
	if (quoted)
		g_mime_utils_unquote_string(buf);
	if (strstr(buf, "=?")) {
		char *decoded = g_mime_utils_header_decode_phrase(parser_options, buf);
		g_free(buf);
		buf = decoded;
	} else if (!quoted) {
		return buf;
	}
	return g_strstrip(buf);
}

/* The mailboxes of an address header's raw value, each handed to the
 * detectors as add_mailboxes() hands those of GMime's list. */
static void
scan_mailboxes(msg_ctx_t *c, const char *raw, const trawl_text_t *t)
{
	plain_mailbox_t mbs[MAX_PLAIN_MAILBOXES];
	int n = plain_mailboxes(raw, mbs, MAX_PLAIN_MAILBOXES);
	if (n < 0) {
		InternetAddressList *list = internet_address_list_parse(parser_options, raw);
		add_mailboxes(c, list, t, 0);
		if (list)
			g_object_unref(list);
		return;
	}
	for (int i = 0; i < n; i++) {
		char *name = mailbox_name(&mbs[i]);
		char *addr = g_strndup(mbs[i].addr, mbs[i].addr_len);
		trawl_detect_mailbox(c->w->opts->detectors, &c->msg->findings, t, name, addr);
		g_free(name);
		g_free(addr);
	}
}

/* The mailboxes of one address header as GMime parsed them into the
 * message, or NULL. GMime keeps one list for all the headers of a name, so
 * the list is this header's only when no other header has its name. And
 * where a comment is left open, internet_address_list_parse() drops the
 * whole header while GMime's list keeps what came before; a header with
 * any '(' is parsed anew. */
static InternetAddressList *
parsed_mailboxes(GMimeMessage *m, const header_kind_t *k, const int *seen, const char *raw)
{
	if (!m || k->list < 0 || seen[k->list] != 1 || !raw || strchr(raw, '('))
		return NULL;
	return g_mime_message_get_addresses(m, (GMimeAddressType)k->list);
}

/* Has v a byte 0x00 (haszero(): the lowest zero byte of v borrows from
 * no other, so its top bit is set in v - 0x01... and not in v)? */
static uint64_t
has_zero_byte(uint64_t v)
{
	return (v - 0x0101010101010101u) & ~v & 0x8080808080808080u;
}

/* Does unfolded_value() have to look at one of the eight bytes in v: a
 * byte from 0x80, a '?', a CR or an LF? */
static bool
needs_a_look(uint64_t v)
{
	return (v & 0x8080808080808080u) || has_zero_byte(v ^ 0x3F3F3F3F3F3F3F3Fu) ||
	       has_zero_byte(v ^ 0x0D0D0D0D0D0D0D0Du) || has_zero_byte(v ^ 0x0A0A0A0A0A0A0A0Au);
}

/* The value of a header as g_mime_header_get_value() gives it, made in buf
 * from its raw value; NULL when it needs GMime's decoder. GMime decodes a
 * value by splitting it into words for RFC 2047, which costs more than
 * anything else done with most headers; but a value of ASCII without "=?"
 * decodes to itself unfolded, so that is unfolded here as
 * g_mime_utils_header_unfold() does: blanks trimmed, line breaks dropped. */
static const char *
unfolded_value(const char *p, trawl_buf_t *buf)
{
	while (is_lwsp(*p))
		p++;
	const char *end = p + strlen(p);
	while (end > p && is_lwsp(end[-1]))
		end--;
	trawl_buf_reset(buf);
	if (trawl_buf_grow(buf, (size_t)(end - p)) < 0)
		return NULL;
	char *out = buf->data;
	while (p < end) {
		/* eight bytes at a time while none of them is one looked at below */
		uint64_t v;
		if (end - p >= 8 && (memcpy(&v, p, sizeof v), !needs_a_look(v))) {
			memcpy(out, p, sizeof v);
			out += sizeof v, p += sizeof v;
			continue;
		}
		for (const char *stop = end - p >= 8 ? p + 8 : end; p < stop; p++) {
			unsigned char ch = (unsigned char)*p;
			if (ch >= 0x80 || (ch == '?' && out > buf->data && out[-1] == '='))
				return NULL;
			if (ch != '\r' && ch != '\n')
				*out++ = (char)ch;
		}
	}
	*out = '\0';
	buf->len = (size_t)(out - buf->data);
	return buf->data;
}

/* The value of a header of GMime's: unfolded here when it can be, else
 * decoded by GMime (and kept on the header). */
static const char *
header_value(GMimeHeader *h, trawl_buf_t *buf)
{
	const char *raw = g_mime_header_get_raw_value(h);
	const char *value = raw ? unfolded_value(raw, buf) : NULL;
	return value ? value : g_mime_header_get_value(h);
}

/* The value of a header split here (header.c), in buf: what
 * g_mime_header_get_value() makes of the same raw value, by its own
 * steps when it cannot be merely unfolded. NULL when out of memory. */
static const char *
split_value(const char *raw, trawl_buf_t *buf)
{
	const char *value = unfolded_value(raw, buf);
	if (value)
		return value;
	char *unfolded = g_mime_utils_header_unfold(raw);
	char *decoded = g_mime_utils_header_decode_text(parser_options, unfolded);
	trawl_buf_reset(buf);
	trawl_status_t rc = trawl_buf_puts(buf, decoded);
	g_free(unfolded);
	g_free(decoded);
	return rc < 0 ? NULL : trawl_buf_cstr(buf);
}

/* Scans one header's value: its mailboxes (list: as parsed, or NULL to
 * parse raw here) or its text. */
static void
scan_header(msg_ctx_t *c, const header_kind_t *k, const char *name, const char *value, const char *raw,
            InternetAddressList *list, trawl_buf_t *part, const char *prefix, trawl_where_t where)
{
	header_part(part, prefix, name);
	if (k->kind == HEADER_ADDRESS) {
		trawl_text_t t = {
			.text = value,
			.len = strlen(value),
			.where = where,
			.part = part->data,
			.header = name,
			.message = &c->msg->findings,
		};
		if (list)
			add_mailboxes(c, list, &t, 0);
		else
			scan_mailboxes(c, raw ? raw : value, &t);
		return;
	}
	detect(c, value, strlen(value), where, part->data, name);
}

static void
scan_headers(msg_ctx_t *c, GMimeObject *obj, const char *prefix, trawl_where_t where)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	GMimeMessage *m = GMIME_IS_MESSAGE(obj) ? GMIME_MESSAGE(obj) : NULL;
	int n = hl ? g_mime_header_list_get_count(hl) : 0;
	int seen[GMIME_ADDRESS_TYPE_BCC + 1] = {0}; /* headers of each of GMime's address lists */
	for (int i = 0; i < n; i++) {
		const char *name = g_mime_header_get_name(g_mime_header_list_get_header_at(hl, i));
		const header_kind_t *k = name ? header_kind(name) : &text_header;
		if (k->list >= 0)
			seen[k->list]++;
	}
	trawl_buf_t part = {0}, unfolded = {0};
	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *name = g_mime_header_get_name(h);
		if (!name)
			continue;
		const header_kind_t *k = header_kind(name);
		if (k->kind == HEADER_SKIP)
			continue; /* before its value: GMime decodes a value when asked for it */
		const char *value = header_value(h, &unfolded);
		if (!value || !*value)
			continue;
		const char *raw = g_mime_header_get_raw_value(h);
		scan_header(c, k, name, value, raw, parsed_mailboxes(m, k, seen, raw), &part, prefix, where);
	}
	trawl_buf_free(&part);
	trawl_buf_free(&unfolded);
}

static bool
is_content_header(const char *name)
{
	return same_letter(name[0], 'C') && ascii_case_equal_n(name, "Content-", 8);
}

/* scan_headers() for the headers of a top-level message split here: those
 * GMime gives the message, not its part (the Content-* ones). Their
 * mailboxes are parsed from each header's raw value, which is what the
 * message's own list holds where scan_headers() takes that (one header of
 * its name, no comment in it). */
static void
scan_split_headers(msg_ctx_t *c, const trawl_headers_t *hs)
{
	trawl_buf_t part = {0}, value = {0};
	for (size_t i = 0; i < hs->len; i++) {
		const trawl_header_t *h = &hs->items[i];
		if (is_content_header(h->name))
			continue;
		const header_kind_t *k = header_kind(h->name);
		if (k->kind == HEADER_SKIP)
			continue;
		const char *v = split_value(h->raw, &value);
		if (!v || !*v)
			continue;
		scan_header(c, k, h->name, v, h->raw, NULL, &part, "", TRAWL_WHERE_HEADER);
	}
	trawl_buf_free(&part);
	trawl_buf_free(&value);
}

/* Scans one decoded attachment or body whose type we know. */
static void scan_blob_as_attachment(msg_ctx_t *c, const char *data, size_t len, const char *part,
                                    const char *mime, const char *charset, trawl_where_t where,
                                    unsigned depth);

static void walk(msg_ctx_t *c, GMimeObject *obj, const char *path, bool attached, unsigned depth);

static void
walk_message(msg_ctx_t *c, GMimeMessage *m, const char *path, unsigned depth)
{
	scan_headers(c, GMIME_OBJECT(m), path, TRAWL_WHERE_ATTACHMENT);
	GMimeObject *body = g_mime_message_get_mime_part(m);
	if (body)
		walk(c, body, path, true, depth + 1);
}

/* The bytes of a part's content as they stand, still transfer-encoded, in
 * the memory stream it was parsed from (mime_open() parses so): the bounds
 * as the stream reads them. */
static bool
raw_content(GMimeDataWrapper *dw, const char **data, size_t *len)
{
	GMimeStream *s = g_mime_data_wrapper_get_stream(dw);
	if (!s || !GMIME_IS_STREAM_MEM(s))
		return false;
	GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(s));
	if (!ba)
		return false;
	gint64 end = s->bound_end == -1 ? (gint64)ba->len : MIN(s->bound_end, (gint64)ba->len);
	gint64 start = MIN(MAX(s->bound_start, 0), end);
	*data = (const char *)ba->data + start;
	*len = (size_t)(end - start);
	return true;
}

/* The value of each byte in base64 (RFC 4648's alphabet: 'A' to 'Z' 0 to
 * 25, 'a' to 'z' 26 to 51, '0' to '9' 52 to 61, '+' 62, '/' 63), 255 for a
 * byte outside it. */
static const unsigned char base64_value[256] = {
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,  62, 255, 255, 255,  63,
	 52,  53,  54,  55,  56,  57,  58,  59,  60,  61, 255, 255, 255, 255, 255, 255,
	255,   0,   1,   2,   3,   4,   5,   6,   7,   8,   9,  10,  11,  12,  13,  14,
	 15,  16,  17,  18,  19,  20,  21,  22,  23,  24,  25, 255, 255, 255, 255, 255,
	255,  26,  27,  28,  29,  30,  31,  32,  33,  34,  35,  36,  37,  38,  39,  40,
	 41,  42,  43,  44,  45,  46,  47,  48,  49,  50,  51, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
};

/* Base64 decoded from out of in[0, len) as GMime 3.2's decoder does it in
 * one step from its first state: bytes outside the alphabet are passed
 * over, every four in it make three bytes, a '=' ends the data (with two
 * or three in the last quartet, the one or two bytes they hold), a quartet
 * left unfinished without one is dropped. Here four in a row are taken at
 * once, as most of every line is. The number of bytes written (at most
 * len * 3 / 4). */
static size_t
base64_decode(unsigned char *out, const unsigned char *in, size_t len)
{
	unsigned char *o = out;
	uint32_t saved = 0;
	int n = 0;
	for (size_t i = 0; i < len; i++) {
		while (n == 0 && len - i >= 4) {
			unsigned a = base64_value[in[i]], b = base64_value[in[i + 1]], c = base64_value[in[i + 2]],
			         d = base64_value[in[i + 3]];
			if ((a | b | c | d) >= 64)
				break;
			uint32_t quartet = a << 18 | b << 12 | c << 6 | d;
			o[0] = (unsigned char)(quartet >> 16);
			o[1] = (unsigned char)(quartet >> 8);
			o[2] = (unsigned char)quartet;
			o += 3, i += 4;
		}
		if (i == len)
			break;
		unsigned v = base64_value[in[i]];
		if (v < 64) {
			saved = saved << 6 | v;
			if (++n == 4) {
				*o++ = (unsigned char)(saved >> 16);
				*o++ = (unsigned char)(saved >> 8);
				*o++ = (unsigned char)saved;
				saved = 0, n = 0;
			}
		} else if (in[i] == '=') {
			if (n > 1) {
				saved <<= 6 * (4 - n);
				*o++ = (unsigned char)(saved >> 16);
				if (n > 2)
					*o++ = (unsigned char)(saved >> 8);
			}
			break;
		}
	}
	return (size_t)(o - out);
}

static int
hex_value(unsigned char ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
	       : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Quoted-printable decoded into out from in[0, len) as GMime 3.2's
 * decoder does it in one step from its first state: "=XY" of two hex
 * digits (either case) the byte, "=\n" and "=\r\n" nothing, '=' and the
 * two bytes after it as they stand when they are neither, an '=' with less
 * than that after it at the end dropped, every other byte as it is. Here
 * the runs between the '='s are copied whole. The number of bytes written
 * (at most len). */
static size_t
quoted_decode(unsigned char *out, const unsigned char *in, size_t len)
{
	unsigned char *o = out;
	const unsigned char *p = in, *end = in + len;
	while (p < end) {
		const unsigned char *eq = memchr(p, '=', (size_t)(end - p));
		size_t run = (size_t)((eq ? eq : end) - p);
		memcpy(o, p, run);
		o += run;
		if (!eq || end - eq < 2)
			break;
		p = eq + 1;
		if (*p == '\n') {
			p++;
			continue;
		}
		if (end - p < 2)
			break;
		int hi = hex_value(p[0]), lo = hex_value(p[1]);
		if (hi >= 0 && lo >= 0) {
			*o++ = (unsigned char)(hi << 4 | lo);
		} else if (!(p[0] == '\r' && p[1] == '\n')) {
			*o++ = '=';
			*o++ = p[0];
			*o++ = p[1];
		}
		p += 2;
	}
	return (size_t)(o - out);
}

/* The decoded content of a part, as g_mime_data_wrapper_write_to_stream()
 * gives it, without its streams and filters: 7bit, 8bit and binary content
 * where it stands, base64 and quoted-printable decoded into buf in one
 * step as GMime's decoders do it (they carry their state from block to
 * block, so one step over all is what its filter makes of the blocks). *data and *len:
 * the content as it stands before, decoded after. False when out of memory. */
static bool
decode_content(GMimeContentEncoding enc, trawl_buf_t *buf, const char **data, size_t *len)
{
	if (enc != GMIME_CONTENT_ENCODING_BASE64 && enc != GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE)
		return true;
	if (trawl_buf_grow(buf, *len) < 0)
		return false;
	const unsigned char *in = (const unsigned char *)*data;
	unsigned char *out = (unsigned char *)buf->data;
	buf->len = enc == GMIME_CONTENT_ENCODING_BASE64 ? base64_decode(out, in, *len) : quoted_decode(out, in, *len);
	buf->data[buf->len] = '\0';
	*data = buf->data, *len = buf->len;
	return true;
}

/* decode_content() of a part of GMime's. False for what is left to GMime
 * (uuencode, with its begin line, and parts not in memory). */
static bool
content_of(GMimeDataWrapper *dw, trawl_buf_t *buf, const char **data, size_t *len)
{
	GMimeContentEncoding enc = g_mime_data_wrapper_get_encoding(dw);
	if (enc == GMIME_CONTENT_ENCODING_UUENCODE || !raw_content(dw, data, len))
		return false;
	return decode_content(enc, buf, data, len);
}

/* snprintf(mime, 128, "%.*s/%.*s", type_len, type, sub_len, sub) without
 * its format parser: cut at 127 bytes as snprintf() cuts. */
static void
put_mime(char mime[128], const char *type, size_t type_len, const char *sub, size_t sub_len)
{
	size_t n = 0;
	for (size_t i = 0; i < type_len && n < 127; i++)
		mime[n++] = type[i];
	if (n < 127)
		mime[n++] = '/';
	for (size_t i = 0; i < sub_len && n < 127; i++)
		mime[n++] = sub[i];
	mime[n] = '\0';
}

/* "type/subtype" of a part, as leaf() names it. */
static void
mime_name(char mime[128], GMimeContentType *ct)
{
	const char *type = ct ? g_mime_content_type_get_media_type(ct) : "text";
	const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : "plain";
	type = type ? type : "application", sub = sub ? sub : "octet-stream";
	put_mime(mime, type, strlen(type), sub, strlen(sub));
}

/* The decoded content of a leaf part, scanned unless over the limit. */
static void
scan_content(msg_ctx_t *c, const char *data, size_t len, const char *path, const char *mime,
             const char *charset, trawl_where_t where, unsigned depth)
{
	if (len > c->w->limits.max_part_bytes) {
		trawl_scan__skip(c->w, c->location, TRAWL_ELIMIT, "part %s larger than %llu bytes", path,
		                 (unsigned long long)c->w->limits.max_part_bytes);
	} else {
		scan_blob_as_attachment(c, data, len, path, mime, charset, where, depth);
	}
}

static void
leaf(msg_ctx_t *c, GMimePart *part, const char *path, bool attached, unsigned depth)
{
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
	char mime[128];
	mime_name(mime, ct);
	const char *charset = ct ? g_mime_content_type_get_parameter(ct, "charset") : NULL;
	trawl_where_t where = attached || g_mime_part_is_attachment(part) ? TRAWL_WHERE_ATTACHMENT
	                                                                   : TRAWL_WHERE_BODY;

	GMimeDataWrapper *dw = g_mime_part_get_content(part);
	if (!dw)
		return;
	const char *data;
	size_t len;
	trawl_buf_t decoded = {0}; /* not the context's: an attached message is read from it */
	GMimeStream *out = NULL;
	if (!content_of(dw, &decoded, &data, &len)) {
		out = g_mime_stream_mem_new();
		g_mime_data_wrapper_write_to_stream(dw, out);
		GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
		data = (const char *)ba->data, len = ba->len;
	}
	scan_content(c, data, len, path, mime, charset, where, depth);
	if (out)
		g_object_unref(out);
	trawl_buf_free(&decoded);
}

static void
walk(msg_ctx_t *c, GMimeObject *obj, const char *path, bool attached, unsigned depth)
{
	if (depth > MAX_MIME_DEPTH) {
		trawl_scan__skip(c->w, c->location, TRAWL_ELIMIT, "MIME nested deeper than %d at part %s",
		                 MAX_MIME_DEPTH, path);
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);
		char child[256];
		for (int i = 0; i < n; i++) {
			if (c->parts >= MAX_PARTS) {
				trawl_scan__skip(c->w, c->location, TRAWL_ELIMIT, "more than %d parts: the rest not read",
				                 MAX_PARTS);
				return;
			}
			snprintf(child, sizeof child, "%s%s%d", path, *path ? "." : "", i + 1);
			walk(c, g_mime_multipart_get_part(mp, i), child, attached, depth + 1);
		}
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		if (m)
			walk_message(c, m, *path ? path : "1", depth + 1);
	} else if (GMIME_IS_PART(obj)) {
		c->parts++;
		leaf(c, GMIME_PART(obj), *path ? path : "1", attached, depth);
	}
}

static bool
is_text_mime(const char *mime)
{
	return g_ascii_strncasecmp(mime, "text/", 5) == 0;
}

typedef struct {
	msg_ctx_t *c;
	const char *part;
	unsigned depth;
} member_ctx_t;

static trawl_status_t
attached_member(trawl_worker_t *w, const char *location, const void *data, size_t len, void *payload)
{
	member_ctx_t *m = payload;
	/* location is "<part>!/<member>": the part path of what is inside */
	scan_blob_as_attachment(m->c, data, len, location, NULL, NULL, TRAWL_WHERE_ATTACHMENT, m->depth + 1);
	return TRAWL_OK;
}

typedef struct {
	msg_ctx_t *c;
	const char *part;
	unsigned depth;
	unsigned n;
} mbox_att_t;

static trawl_status_t parse_and_walk(msg_ctx_t *c, const char *data, size_t len, const char *part,
                                     unsigned depth);

static trawl_status_t
attached_mbox_message(const char *msg, size_t len, void *payload)
{
	mbox_att_t *a = payload;
	char part[512];
	snprintf(part, sizeof part, "%s#%u", a->part, ++a->n);
	return parse_and_walk(a->c, msg, len, part, a->depth + 1);
}

static void
scan_blob_as_attachment(msg_ctx_t *c, const char *data, size_t len, const char *part, const char *mime,
                        const char *charset, trawl_where_t where, unsigned depth)
{
	if (len == 0)
		return;
	if (depth > MAX_MIME_DEPTH || c->depth + depth > c->w->limits.max_depth + MAX_MIME_DEPTH) {
		trawl_scan__skip(c->w, c->location, TRAWL_ELIMIT, "attachment %s nested too deep", part);
		return;
	}
	/* Declared text is taken at its word; anything else is sniffed. */
	trawl_kind_t kind = TRAWL_KIND_TEXT;
	const char *sniffed = NULL;
	bool html = false;
	if (mime && is_text_mime(mime)) {
		html = g_ascii_strcasecmp(mime, "text/html") == 0;
	} else if (mime && (g_ascii_strcasecmp(mime, "message/rfc822") == 0 ||
	                    g_ascii_strcasecmp(mime, "message/global") == 0)) {
		kind = TRAWL_KIND_EML;
	} else {
		kind = trawl_scan__sniff(c->w, data, len, &sniffed);
		html = sniffed && strcmp(sniffed, "text/html") == 0;
	}

	switch (kind) {
	case TRAWL_KIND_TEXT: {
		if (to_utf8(c->w, &c->conv, charset, data, len) < 0)
			return;
		const char *text = c->conv.data ? c->conv.data : "";
		size_t tlen = c->conv.len;
		if (html) {
			if (trawl_scan__html_to_text(&c->text, text, tlen) < 0)
				return;
			text = c->text.data ? c->text.data : "", tlen = c->text.len;
		} else if (trawl_scan__vcard_text(text, tlen, &c->text) == TRAWL_OK) {
			text = c->text.data ? c->text.data : "", tlen = c->text.len;
		}
		detect(c, text, tlen, where, part, NULL);
		return;
	}
	case TRAWL_KIND_EML:
		parse_and_walk(c, data, len, part, depth + 1);
		return;
	case TRAWL_KIND_MBOX: {
		mbox_att_t a = {.c = c, .part = part, .depth = depth};
		trawl_scan__mbox_split(data, len, attached_mbox_message, &a);
		return;
	}
	case TRAWL_KIND_PST:
		trawl_scan__pst_attached(c->w, c, data, len, part, c->depth + depth);
		return;
	case TRAWL_KIND_TNEF: /* winmail.dat, whatever its declared type or name */
		trawl_scan__tnef_attached(c->w, c, data, len, part, depth);
		return;
	case TRAWL_KIND_OXMSG: /* an Outlook .msg: a message attached as a file */
		trawl_scan__oxmsg_attached(c->w, c, data, len, part, depth);
		return;
	default:
		break;
	}
	if (kind == TRAWL_KIND_OTHER || kind == TRAWL_KIND_ZIP) {
		/* Office documents and PDF: their text, if this is one. A zip
		 * that is not a document falls through to the archive walk. */
		trawl_status_t rc = trawl_scan__document_text(c->w, data, len, mime ? mime : sniffed, &c->text);
		if (rc != TRAWL_EUNSUPPORTED) {
			if (rc < 0)
				trawl_scan__skip(c->w, c->location, rc, "attachment %s: %s document%s", part,
				                 rc == TRAWL_EENCRYPTED ? "encrypted" : rc == TRAWL_ELIMIT ? "over a limit in a" : "unreadable",
				                 c->text.len ? " (the text read so far was scanned)" : "");
			if (c->text.len)
				detect(c, c->text.data, c->text.len, TRAWL_WHERE_ATTACHMENT, part, NULL);
			return;
		}
	}
	if (trawl_scan__kind_is_archive(kind)) {
		member_ctx_t m = {.c = c, .part = part, .depth = depth};
		trawl_buf_t loc = {0};
		/* members are named "<part>!/<name>"; skips are reported under the message */
		trawl_buf_printf(&loc, "%s", part);
		trawl_scan__archive_each(c->w, data, len, loc.data, kind, attached_member, &m);
		trawl_buf_free(&loc);
		return;
	}
	/* Images, audio and the like hold no text to scan. */
}

/* Parses an attached message (forwarded, or inside an archive attached to
 * the message) and walks it as part of the carrying message. */
static trawl_status_t
parse_and_walk(msg_ctx_t *c, const char *data, size_t len, const char *part, unsigned depth)
{
	mime_input_t in;
	if (mime_open(&in, data, len))
		walk_message(c, in.message, part, depth);
	mime_close(&in);
	return TRAWL_OK;
}

static void
put_date(trawl_message_t *msg, GDateTime *dt)
{
	if (!dt)
		return;
	GDateTime *utc = g_date_time_to_utc(dt);
	if (!utc)
		return;
	/* g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ"), without its format
	 * parser: the year unpadded, the rest two digits */
	char s[32];
	snprintf(s, sizeof s, "%d-%02d-%02dT%02d:%02d:%02dZ", g_date_time_get_year(utc),
	         g_date_time_get_month(utc), g_date_time_get_day_of_month(utc), g_date_time_get_hour(utc),
	         g_date_time_get_minute(utc), g_date_time_get_second(utc));
	msg->date = strdup(s);
	msg->time = g_date_time_to_unix(utc);
	g_date_time_unref(utc);
}

static void
set_date(trawl_message_t *msg, GMimeMessage *m)
{
	put_date(msg, g_mime_message_get_date(m));
}

static void
put_mailbox(trawl_message_t *msg, const char *addr, const char *name)
{
	if (addr && *addr)
		msg->from = trawl_ascii_lower(strdup(addr));
	if (name && *name)
		msg->from_name = strdup(name);
}

/* The first mailbox of From, or else of Sender. */
static void
set_sender(trawl_message_t *msg, GMimeMessage *m)
{
	InternetAddressList *from = g_mime_message_get_from(m);
	if (!from || internet_address_list_length(from) < 1)
		from = g_mime_message_get_sender(m);
	if (!from || internet_address_list_length(from) < 1)
		return;
	InternetAddress *ia = internet_address_list_get_address(from, 0);
	if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
		return;
	put_mailbox(msg, internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)),
	            internet_address_get_name(ia));
}

/* ---- the fast path: a message of one text part, without GMime's tree ----
 *
 * Most mail is a single part: its headers, a blank line, a body. GMime
 * makes an object of every header (and frees them all again), which costs
 * a message more than anything but the detectors. For a message whose
 * headers split plainly (header.c) and whose Content-Type is no multipart
 * or message, GMime's parser would make a message of the headers not
 * named Content-*, with one leaf part of the others holding all bytes after
 * the blank line; what trawl reads of that is read here from the split
 * headers, each value with the very function GMime's objects use on it. */

/* What is read of such a message before anything is scanned: its one part,
 * as leaf() reads it, and the mailbox set_sender() takes. */
typedef struct {
	char *sender, *sender_name; /* the first mailbox of From, or else Sender (g_malloc'd) */
	char mime[128];        /* its Content-Type's media type, or text/plain */
	char *charset;         /* its charset parameter (g_malloc'd), or NULL */
	bool attachment;       /* Content-Disposition: attachment */
	const char *data;      /* its content decoded (in decoded, or the message's bytes) */
	size_t len;
	trawl_buf_t decoded;
} plain_t;

static void
plain_free(plain_t *pm)
{
	g_free(pm->sender);
	g_free(pm->sender_name);
	g_free(pm->charset);
	trawl_buf_free(&pm->decoded);
}

static bool
is_token_char(unsigned char ch)
{
	switch (ch) { /* RFC 2045's tspecials */
	case '(': case ')': case '<': case '>': case '@': case ',': case ';': case ':':
	case '\\': case '"': case '/': case '[': case ']': case '?': case '=':
		return false;
	default:
		return ch > ' ' && ch < 0x7f;
	}
}

/* Would GMime's parser make the message with this Content-Type (raw value)
 * a leaf part? It takes the media type the way g_mime_parse_content_type()
 * does (not exported): a type "multipart" makes a multipart, "message" a
 * message part for rfc822 and its kin; a value it cannot read, text/plain.
 * Taken here only where the type is a token right before its '/'. */
static bool
is_leaf_type(const char *raw)
{
	while (is_lwsp(*raw))
		raw++;
	const char *p = raw;
	while (is_token_char((unsigned char)*p))
		p++;
	size_t n = (size_t)(p - raw);
	if (n == 0 || *p != '/')
		return false;
	return !(n == 9 && ascii_case_equal_n(raw, "multipart", 9)) && !(n == 7 && ascii_case_equal_n(raw, "message", 7));
}

/* The end of a token at p (ASCII: GMime takes 8-bit bytes as token bytes
 * too; those are left to it). */
static const char *
token_end(const char *p, bool param_name)
{
	while (is_token_char((unsigned char)*p) && !(param_name && *p == '*'))
		p++;
	return p;
}

/* A Content-Type value (unfolded, decoded) as g_mime_content_type_parse()
 * reads it, for the plain forms only: "type/subtype", then parameters
 * "name=value" or "name=\"value\"" separated by ';'. The media type into
 * mime as mime_name() writes it, the first charset parameter's value into
 * *charset (g_malloc'd; NULL without one). false for anything else:
 * comments, anything between the subtype and the first ';', RFC 2231
 * ("name*="), values GMime decodes (with "=?" or 8-bit bytes), quoted
 * values with a backslash or left open, empty names or values. Where a
 * token value goes on past blanks, GMime (parameter compliance loose)
 * takes all up to the next ';' without the blanks at its end, as here. */
static bool
plain_content_type(const char *v, char mime[128], char **charset)
{
	const char *p = v, *type, *sub, *name, *value;
	size_t type_len, sub_len, name_len, value_len;
	bool ok = false;
	*charset = NULL;
	while (is_lwsp(*p))
		p++;
	type = p, p = token_end(p, false), type_len = (size_t)(p - type);
	if (!type_len || *p++ != '/')
		goto done;
	sub = p, p = token_end(p, false), sub_len = (size_t)(p - sub);
	if (!sub_len)
		goto done;
	while (is_lwsp(*p))
		p++;
	while (*p == ';') {
		for (p++; is_lwsp(*p); p++)
			;
		if (!*p)
			break; /* a ';' at the end */
		name = p, p = token_end(p, true), name_len = (size_t)(p - name);
		while (is_lwsp(*p))
			p++;
		if (!name_len || *p++ != '=')
			goto done;
		while (is_lwsp(*p))
			p++;
		if (*p == '"') {
			value = ++p;
			while (*p && *p != '"' && *p != '\\')
				p++;
			if (*p != '"')
				goto done;
			value_len = (size_t)(p++ - value);
			while (is_lwsp(*p))
				p++;
			if (*p && *p != ';')
				goto done;
		} else {
			if (!is_token_char((unsigned char)*p))
				goto done;
			value = p;
			while (*p && *p != ';')
				p++;
			const char *end = p;
			while (end > value && is_lwsp(end[-1]))
				end--;
			value_len = (size_t)(end - value);
		}
		for (const char *q = value; q < value + value_len; q++)
			if ((unsigned char)*q >= 0x80 || (*q == '=' && q[1] == '?'))
				goto done;
		if (!*charset && name_len == 7 && ascii_case_equal_n(name, "charset", 7))
			*charset = g_strndup(value, value_len);
	}
	if (*p)
		goto done;
	put_mime(mime, type, type_len, sub, sub_len);
	ok = true;
done:
	if (!ok) {
		g_free(*charset);
		*charset = NULL;
	}
	return ok;
}

/* The raw value of the last header named name, or NULL. */
static const char *
last_header(const trawl_headers_t *hs, const char *name)
{
	for (size_t i = hs->len; i > 0; i--)
		if (same_letter(hs->items[i - 1].name[0], name[0]) && ascii_case_equal(hs->items[i - 1].name, name))
			return hs->items[i - 1].raw;
	return NULL;
}

/* The first address of the list GMime's message keeps for the headers
 * named name: all their addresses, header after header (each parsed as
 * internet_address_list_append_parse() would, which 3.2 does not
 * declare). *count: 0 when there is none, else more; the first one's
 * address and name (g_malloc'd) when it is a mailbox. false for a header
 * internet_address_list_parse() may read differently (it gives nothing
 * for a comment left open, where the message's list keeps the mailboxes
 * before it), to leave the message to GMime. */
static bool
first_mailbox(const trawl_headers_t *hs, const char *name, int *count, char **addr_out, char **name_out)
{
	plain_mailbox_t mb[MAX_PLAIN_MAILBOXES];
	*count = 0;
	for (size_t i = 0; i < hs->len && *count == 0; i++) {
		const char *raw = hs->items[i].raw;
		if (!same_letter(hs->items[i].name[0], name[0]) || !ascii_case_equal(hs->items[i].name, name))
			continue;
		int n = plain_mailboxes(raw, mb, MAX_PLAIN_MAILBOXES);
		if (n >= 0) {
			if ((*count = n) > 0) {
				*addr_out = g_strndup(mb[0].addr, mb[0].addr_len);
				*name_out = mailbox_name(&mb[0]);
			}
			continue;
		}
		InternetAddressList *list = internet_address_list_parse(parser_options, raw);
		if (!list) {
			if (strchr(raw, '('))
				return false;
			continue;
		}
		*count = internet_address_list_length(list);
		InternetAddress *ia = *count > 0 ? internet_address_list_get_address(list, 0) : NULL;
		if (ia && INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			*addr_out = g_strdup(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)));
			*name_out = g_strdup(internet_address_get_name(ia));
		}
		g_object_unref(list);
	}
	return true;
}

/* Fills pm for a message whose split headers make it one leaf part under
 * the message, with all that can fail read before anything is scanned;
 * false (pm freed) to leave the message to GMime. Of headers of one name
 * GMime reads the last: its parser looks the Content-Type up from the end,
 * each later header replaces what the part or message took from the one
 * before. */
static bool
plain_message(plain_t *pm, const trawl_headers_t *hs)
{
	const char *type = NULL, *encoding = NULL, *disposition = NULL;
	trawl_buf_t value = {0};
	bool ok = false;

	memset(pm, 0, sizeof *pm);
	for (size_t i = 0; i < hs->len; i++) {
		const trawl_header_t *h = &hs->items[i];
		if (!is_content_header(h->name))
			continue;
		if (ascii_case_equal(h->name + 8, "Type"))
			type = h->raw;
		else if (ascii_case_equal(h->name + 8, "Transfer-Encoding"))
			encoding = h->raw;
		else if (ascii_case_equal(h->name + 8, "Disposition"))
			disposition = h->raw;
	}
	if (type && !is_leaf_type(type))
		goto done;
	GMimeContentEncoding enc = GMIME_CONTENT_ENCODING_DEFAULT;
	if (encoding) {
		const char *v = split_value(encoding, &value);
		if (!v)
			goto done;
		enc = g_mime_content_encoding_from_string(v);
		if (enc == GMIME_CONTENT_ENCODING_UUENCODE)
			goto done; /* content_of() leaves it to GMime too */
	}
	int n;
	if (!first_mailbox(hs, "From", &n, &pm->sender, &pm->sender_name) ||
	    (n < 1 && !first_mailbox(hs, "Sender", &n, &pm->sender, &pm->sender_name)))
		goto done;
	if (type) {
		const char *v = split_value(type, &value);
		if (!v)
			goto done;
		if (!plain_content_type(v, pm->mime, &pm->charset)) {
			GMimeContentType *ct = g_mime_content_type_parse(parser_options, v);
			mime_name(pm->mime, ct);
			pm->charset = g_strdup(g_mime_content_type_get_parameter(ct, "charset"));
			g_object_unref(ct);
		}
	} else {
		mime_name(pm->mime, NULL);
	}
	if (disposition) {
		const char *v = split_value(disposition, &value);
		if (!v)
			goto done;
		GMimeContentDisposition *d = g_mime_content_disposition_parse(parser_options, v);
		pm->attachment = g_mime_content_disposition_is_attachment(d);
		g_object_unref(d);
	}
	pm->data = hs->body, pm->len = hs->body_len;
	ok = decode_content(enc, &pm->decoded, &pm->data, &pm->len);
done:
	trawl_buf_free(&value);
	if (!ok)
		plain_free(pm);
	return ok;
}

/* The Message-ID of a message without one: "sha256:" and the hex SHA-256
 * of its bytes (65 characters with the NUL). malloc'd, NULL when out of
 * memory. */
static char *
hash_message_id(const char hash[65])
{
	char *mid = malloc(7 + 65);
	if (mid)
		snprintf(mid, 7 + 65, "sha256:%s", hash);
	return mid;
}

/* g_mime_utils_decode_message_id() of the plain form most messages have,
 * "<local@domain>", dot-atoms of ASCII with nothing between their words
 * (as addr_spec() reads them): the bytes between the brackets, which is
 * what GMime's decode_addrspec() joins from the words and dots. NULL for
 * anything else (comments, quoted words, blanks, a bracket missing, 8-bit
 * bytes), which is GMime's to read. malloc'd. */
static char *
plain_message_id(const char *v)
{
	while (is_lwsp(*v))
		v++;
	if (*v != '<')
		return NULL;
	const char *end = addr_spec(v + 1);
	return end && *end == '>' ? trawl_strndup(v + 1, (size_t)(end - (v + 1))) : NULL;
}

/* Message-ID, subject, date and sender of a message split here, as
 * g_mime_message_get_*() give them: each Message-Id, Subject and Date
 * header replaces what the message took from one before it. */
static void
set_split_fields(trawl_message_t *msg, const trawl_headers_t *hs, const plain_t *pm, const char *hash)
{
	trawl_buf_t value = {0};
	const char *raw, *v;
	if ((raw = last_header(hs, "Message-Id")) && (v = split_value(raw, &value)) &&
	    !(msg->message_id = plain_message_id(v))) {
		char *mid = g_mime_utils_decode_message_id(v);
		if (mid && *mid)
			msg->message_id = strdup(mid);
		g_free(mid);
	}
	if (!msg->message_id)
		msg->message_id = hash_message_id(hash);
	if ((raw = last_header(hs, "Subject")) && (v = split_value(raw, &value)))
		msg->subject = strdup(v);
	if ((raw = last_header(hs, "Date")) && (v = split_value(raw, &value))) {
		/* the common form by arithmetic, the rest by GMime's GDateTime */
		int64_t t;
		if (trawl_scan__date_parse(&t, v)) {
			char s[32];
			trawl_scan__date_format(s, t);
			msg->date = strdup(s);
			msg->time = t;
		} else {
			GDateTime *dt = g_mime_utils_header_decode_date(v);
			put_date(msg, dt);
			if (dt)
				g_date_time_unref(dt);
		}
	}
	put_mailbox(msg, pm->sender, pm->sender_name);
	trawl_buf_free(&value);
}


/* ---- building a record from parts (PST items use this too) ---- */

trawl_status_t
trawl_scan__msg_begin(trawl_msg_t **out, trawl_worker_t *w, trawl_item_kind_t kind, const char *location,
                      unsigned depth)
{
	*out = NULL;
	msg_ctx_t *c = calloc(1, sizeof *c);
	trawl_message_t *msg = calloc(1, sizeof *msg);
	if (!c || !msg || !(msg->source = strdup(w->source)) || !(msg->location = strdup(location))) {
		free(c);
		trawl_message_free(msg);
		return TRAWL_ENOMEM;
	}
	msg->kind = kind;
	c->w = w;
	c->msg = msg;
	c->location = msg->location;
	c->depth = depth;
	*out = c;
	return TRAWL_OK;
}

trawl_message_t *
trawl_scan__msg_record(trawl_msg_t *c)
{
	return c->msg;
}

void
trawl_scan__msg_headers(trawl_msg_t *c, const char *headers, size_t len, const char *prefix,
                        trawl_where_t where)
{
	mime_input_t in;
	GMimeMessage *m = mime_open(&in, headers, len);
	if (m) {
		scan_headers(c, GMIME_OBJECT(m), prefix, where);
		if (!c->msg->date)
			set_date(c->msg, m);
		if (!c->msg->from)
			set_sender(c->msg, m);
		const char *mid = g_mime_message_get_message_id(m);
		if (!c->msg->message_id && mid && *mid)
			c->msg->message_id = strdup(mid);
		const char *subject = g_mime_message_get_subject(m);
		if (!c->msg->subject && subject)
			c->msg->subject = strdup(subject);
	}
	mime_close(&in);
}

void
trawl_scan__msg_mailbox(trawl_msg_t *c, const char *header, const char *name, const char *addr,
                        trawl_where_t where)
{
	trawl_buf_t part = {0}, value = {0};
	header_part(&part, "", header);
	if (name && *name)
		trawl_buf_printf(&value, "\"%s\" ", name);
	if (addr && *addr)
		trawl_buf_printf(&value, "<%s>", addr);
	trawl_text_t t = {
		.text = trawl_buf_cstr(&value),
		.len = value.len,
		.where = where,
		.part = part.data,
		.header = header,
		.message = &c->msg->findings,
	};
	trawl_detect_mailbox(c->w->opts->detectors, &c->msg->findings, &t, name, addr);
	trawl_buf_free(&part);
	trawl_buf_free(&value);
}

void
trawl_scan__msg_text(trawl_msg_t *c, const char *text, size_t len, const char *charset, bool html,
                     trawl_where_t where, const char *part)
{
	scan_blob_as_attachment(c, text, len, part, html ? "text/html" : "text/plain", charset, where, 0);
}

void
trawl_scan__msg_attachment(trawl_msg_t *c, const void *data, size_t len, const char *part, const char *mime)
{
	scan_blob_as_attachment(c, data, len, part, mime, NULL, TRAWL_WHERE_ATTACHMENT, 1);
}

void
trawl_scan__msg_attachment_at(trawl_msg_t *c, const void *data, size_t len, const char *part, const char *mime,
                              unsigned depth)
{
	scan_blob_as_attachment(c, data, len, part, mime, NULL, TRAWL_WHERE_ATTACHMENT, depth);
}

void
trawl_scan__msg_mime(trawl_msg_t *c, const char *data, size_t len, const char *part)
{
	parse_and_walk(c, data, len, part, 1);
}

trawl_status_t
trawl_scan__msg_end(trawl_msg_t *c, const void *raw, size_t raw_len)
{
	trawl_message_t *msg = c->msg;
	trawl_status_t rc = TRAWL_OK;
	char hash[65];
	trawl_sha256_hex(hash, raw ? raw : "", raw ? raw_len : 0);
	msg->size = raw_len;
	if (!msg->content_hash)
		msg->content_hash = strdup(hash);
	if (!msg->message_id)
		msg->message_id = hash_message_id(hash);
	if (!msg->content_hash || !msg->message_id) {
		trawl_message_free(msg);
		rc = TRAWL_ENOMEM;
		goto done;
	}
	trawl_findings_finish(c->w->opts->detectors, &msg->findings);
	switch (msg->kind) {
	case TRAWL_ITEM_MESSAGE: c->w->n_messages++; break;
	case TRAWL_ITEM_CONTACT: c->w->n_contacts++; break;
	case TRAWL_ITEM_APPOINTMENT: c->w->n_appointments++; break;
	}
	rc = c->w->emit_message(c->w, msg);
done:
	trawl_buf_free(&c->text);
	trawl_buf_free(&c->conv);
	trawl_buf_free(&c->path);
	free(c);
	return rc;
}

void
trawl_scan__msg_abort(trawl_msg_t *c)
{
	if (!c)
		return;
	trawl_message_free(c->msg);
	trawl_buf_free(&c->text);
	trawl_buf_free(&c->conv);
	trawl_buf_free(&c->path);
	free(c);
}

trawl_status_t
trawl_scan__message(trawl_worker_t *w, const char *data, size_t len, const char *location, unsigned depth)
{
	trawl_status_t rc = TRAWL_OK;
	mime_input_t in = {0};
	GMimeMessage *m = NULL;
	msg_ctx_t c = {.w = w, .location = location, .depth = depth};
	trawl_headers_t hs = {0};
	plain_t pm = {0};
	bool plain = false;

	if (w->fetch) /* trawl_scan_fetch(): the raw bytes, when asked for; nothing parsed */
		return trawl_scan__fetch_message(w, data, len, location);
	if (len > w->limits.max_message_bytes) {
		trawl_scan__skip(w, location, TRAWL_ELIMIT, "message larger than %llu bytes",
		                 (unsigned long long)w->limits.max_message_bytes);
		return TRAWL_OK;
	}
	trawl_message_t *msg = calloc(1, sizeof *msg);
	if (!msg)
		return TRAWL_ENOMEM;
	c.msg = msg;

	plain = trawl_scan__headers_split(&hs, data, len) && plain_message(&pm, &hs);
	if (!plain && !(m = mime_open(&in, data, len))) {
		trawl_scan__skip(w, location, TRAWL_EFORMAT, "not a readable message");
		goto done;
	}

	char hash[65];
	trawl_sha256_hex(hash, data, len);
	msg->kind = TRAWL_ITEM_MESSAGE;
	msg->source = strdup(w->source);
	msg->location = strdup(location);
	msg->content_hash = strdup(hash);
	msg->size = len;
	if (plain) {
		set_split_fields(msg, &hs, &pm, hash);
	} else {
		const char *mid = g_mime_message_get_message_id(m);
		msg->message_id = mid && *mid ? strdup(mid) : hash_message_id(hash);
		const char *subject = g_mime_message_get_subject(m);
		if (subject)
			msg->subject = strdup(subject);
		set_date(msg, m);
		set_sender(msg, m);
	}
	if (!msg->source || !msg->location || !msg->content_hash || !msg->message_id) {
		rc = TRAWL_ENOMEM;
		goto done;
	}

	if (plain) {
		/* as walk() and leaf() read the one part: "1", in the body unless attached */
		scan_split_headers(&c, &hs);
		c.parts++;
		scan_content(&c, pm.data, pm.len, "1", pm.mime, pm.charset,
		             pm.attachment ? TRAWL_WHERE_ATTACHMENT : TRAWL_WHERE_BODY, 0);
	} else {
		scan_headers(&c, GMIME_OBJECT(m), "", TRAWL_WHERE_HEADER);
		GMimeObject *body = g_mime_message_get_mime_part(m);
		if (body)
			walk(&c, body, "", false, 0);
	}

	trawl_findings_finish(w->opts->detectors, &msg->findings);
	w->n_messages++;
	rc = w->emit_message(w, msg);
	msg = NULL;

done:
	trawl_message_free(msg);
	if (in.stream)
		mime_close(&in);
	if (plain)
		plain_free(&pm);
	trawl_scan__headers_free(&hs);
	trawl_buf_free(&c.text);
	trawl_buf_free(&c.conv);
	trawl_buf_free(&c.path);
	return rc;
}

void
trawl_scan__put_mailbox(trawl_buf_t *b, const char *name, const char *addr)
{
	if (b->len)
		trawl_buf_puts(b, ", ");
	if (name && *name) {
		trawl_buf_putc(b, '"');
		for (const char *q = name; *q; q++) {
			unsigned char ch = (unsigned char)*q;
			if (ch == '"' || ch == '\\')
				trawl_buf_putc(b, '\\');
			trawl_buf_putc(b, ch < 0x20 || ch == 0x7f ? ' ' : (char)ch);
		}
		trawl_buf_puts(b, "\" ");
	}
	trawl_buf_putc(b, '<');
	for (const char *q = addr; *q; q++)
		if ((unsigned char)*q > ' ' && !strchr("<>,\"", *q))
			trawl_buf_putc(b, *q);
	trawl_buf_putc(b, '>');
}

/* The one placeholder: trawl_scan__msg_guard() knows its own by address. */
static char placeholder[] = "";

void
trawl_scan__msg_guard(trawl_message_t *rec, bool on)
{
	char **fields[] = {&rec->message_id, &rec->date, &rec->from, &rec->from_name, &rec->subject};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		if (on && !*fields[i])
			*fields[i] = placeholder;
		else if (!on && *fields[i] == placeholder)
			*fields[i] = NULL;
	}
}

void
trawl_message_free(trawl_message_t *msg)
{
	if (!msg)
		return;
	free(msg->source);
	free(msg->location);
	free(msg->message_id);
	free(msg->date);
	free(msg->from);
	free(msg->from_name);
	free(msg->subject);
	free(msg->content_hash);
	trawl_findings_clear(&msg->findings);
	if (msg->prepared && msg->prepared_free)
		msg->prepared_free(msg->prepared);
	free(msg);
}
