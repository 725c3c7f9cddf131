/* The index: the folder, its secret, what a document holds, and the queries.
 *
 * Layout of DIR (mode 0700):
 *   secret   32 random bytes (mode 0600), the key of every identifier term
 *   xapian/  the Xapian database (index/xdb.cc)
 *
 * Documents (terms by prefix):
 *   message record  S<sha256(source)>               drop a source's records on rescan
 *                   K<kind>                         Kmessage, Kcontact, Kappointment
 *                   X?<hmac>                        one per distinct identifier
 *                   A<X term>                       the anchors of its links (index/link.c)
 *   source record   R<sha256(source)>               unique; its record in its own
 *                                                   value slot, listed by that slot;
 *                                                   it counts the findings of the
 *                                                   source's records by type (stats)
 *
 * A message record has no unique term: a scan adds the records of a source
 * whose old ones it has just deleted (by its S term), and what changes a
 * record later finds it by its document id.
 *
 * An identifier term is a type prefix (XE email, XP phone, XC card, XB iban,
 * XI ip, XM mac, XN name, XA address, XU custom) and the first 78 bits of
 * HMAC-SHA256(secret, "type:norm") in base64url: without the secret the
 * terms say nothing, and a copied index cannot be searched by guessing. The
 * S, R terms hold 78 bits of SHA-256 the same way. The database's
 * metadata "trawl.format" says which form of terms and records it holds
 * (INDEX_FORMAT); an index of another is refused, not misread.
 *
 * A document's record (a message's in its data, a source's in a value slot:
 * index/xdb.h) is a compact record of length-prefixed fields (pack_*
 * below) holding what the reports print. Each finding keeps its norm, except
 * cards and IBANs which keep only a masked form; so no full card number or
 * IBAN is anywhere in the index, and card and IBAN findings in a Subject are
 * masked there too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
/* SHA256_Init() and friends, deprecated in OpenSSL 3 for the EVP calls,
 * are what lets an HMAC key's padded state be computed once (id_term()). */
#define OPENSSL_API_COMPAT 10101
#include "trawl/index.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib.h>
#include <openssl/sha.h>
#include "index/internal.h"
#include "index/link.h"
#include "index/xdb.h"
#include "util/util.h"

#define SECRET_LEN 32
#define HASH_CHARS TRAWL_INDEX__HASH_CHARS
#define TERM_LEN (2 + HASH_CHARS + 1)
#define DOC_TERM_LEN (1 + HASH_CHARS + 1) /* Q, S, V, R, Z terms */
#define READ_RETRIES 4            /* reruns of a query that a writer overtook */

/* A source record being written: kept while the source is being read, so
 * that every event of this run adds to the same record, and until the
 * commit after its end (evict_sources()). */
typedef struct {
	trawl_index_source_t s;
	size_t skip_cap;
	bool dirty;  /* changed since last written */
	bool fresh;  /* read again in this session: its old documents are deleted */
	bool stored; /* its record was written in this session */
	bool ended;  /* its SOURCE_END came */
} srcrec_t;

/* The sources whose records left memory (evict_sources()): a Bloom filter
 * of EVICTED_BITS bits, EVICTED_HASHES a source. Fixed in size whatever
 * the number of sources (a maildir has a source a message); a false
 * "maybe" only costs the lookups an index that was not empty always
 * makes. */
#define EVICTED_BITS (1u << 25) /* 4 MiB */
#define EVICTED_HASHES 4

struct trawl_index {
	char *dir;
	bool writable;
	/* writable, and the database held no document when it was opened: a
	 * source not seen in this session has nothing in it to replace */
	bool was_empty;
	unsigned char secret[SECRET_LEN];
	trawl_xdb_t *db;
	GHashTable *sources; /* writable: source -> srcrec_t */
	uint64_t *evicted;   /* writable: EVICTED_BITS, or NULL before the first eviction */
	trawl_buf_t err;
	/* HMAC-SHA256 under secret: the states after the inner and the outer
	 * padded key (hmac_key()); read-only once the index is open */
	SHA256_CTX hmac_in, hmac_out;
};

static const char *const id_prefix[TRAWL_TYPE_COUNT] = {
	[TRAWL_TYPE_EMAIL] = "XE", [TRAWL_TYPE_PHONE] = "XP", [TRAWL_TYPE_CARD] = "XC",
	[TRAWL_TYPE_IBAN] = "XB",  [TRAWL_TYPE_IP] = "XI",    [TRAWL_TYPE_MAC] = "XM",
	[TRAWL_TYPE_NAME] = "XN",  [TRAWL_TYPE_ADDRESS] = "XA", [TRAWL_TYPE_CUSTOM] = "XU",
};

static const char *const kind_term[] = {
	[TRAWL_ITEM_MESSAGE] = "Kmessage",
	[TRAWL_ITEM_CONTACT] = "Kcontact",
	[TRAWL_ITEM_APPOINTMENT] = "Kappointment",
};

/* ------------------------------------------------------------------ */
/* Errors                                                             */

/* The index's own message for rc (trawl_index__seterr(), internal.h). */
#define seterr trawl_index__seterr

/* Takes over the Xapian wrapper's message for a failed call. */
static trawl_status_t
xerr(trawl_index_t *idx, trawl_status_t rc)
{
	const char *m = trawl_xdb__last_error(idx->db);
	return seterr(idx, rc, "%s", *m ? m : trawl_status_str(rc));
}

const char *
trawl_index_last_error(const trawl_index_t *idx)
{
	return idx && idx->err.data ? idx->err.data : "";
}

/* ------------------------------------------------------------------ */
/* Terms                                                              */

/* The first 78 bits of a hash as HASH_CHARS base64url characters and a
 * NUL: fewer bytes than hex in every posting and term list, which Xapian
 * compresses on the writer's thread, and identifier terms of 15 characters,
 * which std::string holds without allocating (Xapian copies each posting's
 * term into one on the writer's thread). Two of ten million identifiers
 * share a term with odds of about 1 in 10^10 (a billion: 1 in 600,000). */
static void
hash_chars(char out[HASH_CHARS + 1], const unsigned char md[SHA256_DIGEST_LENGTH])
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	uint64_t bits = 0;
	unsigned have = 0, i = 0;
	for (unsigned o = 0; o < HASH_CHARS; o++) {
		if (have < 6) {
			bits = bits << 8 | md[i++];
			have += 8;
		}
		have -= 6;
		out[o] = b64[(bits >> have) & 63];
	}
	out[HASH_CHARS] = '\0';
}

/* The term of an identifier: its prefix and HMAC-SHA256(secret,
 * "type:norm") in hex. The key's inner and outer SHA-256 states are
 * computed once when the index opens (hmac_key()), so one term costs two
 * SHA-256 compressions with the CPU's SHA extensions, no allocation and no
 * lock: the workers of a scan make the terms of their own records. */
static void
id_term(const trawl_index_t *idx, trawl_type_t type, const char *norm, char out[TERM_LEN])
{
	const char *tn = trawl_type_name(type);
	const char *prefix = (unsigned)type < TRAWL_TYPE_COUNT ? id_prefix[type] : "XU";
	unsigned char md[SHA256_DIGEST_LENGTH];
	SHA256_CTX c = idx->hmac_in;
	SHA256_Update(&c, tn, strlen(tn));
	SHA256_Update(&c, ":", 1);
	SHA256_Update(&c, norm, strlen(norm));
	SHA256_Final(md, &c);
	c = idx->hmac_out;
	SHA256_Update(&c, md, sizeof md);
	SHA256_Final(md, &c);
	memcpy(out, prefix, 2);
	hash_chars(out + 2, md);
	explicit_bzero(&c, sizeof c);
}

/* The inner and outer states of HMAC-SHA256 under the index's secret
 * (RFC 2104; the secret is shorter than SHA-256's block). */
static void
hmac_key(trawl_index_t *idx)
{
	unsigned char pad[SHA256_CBLOCK];
	memset(pad, 0x36, sizeof pad);
	for (size_t i = 0; i < SECRET_LEN; i++)
		pad[i] ^= idx->secret[i];
	SHA256_Init(&idx->hmac_in);
	SHA256_Update(&idx->hmac_in, pad, sizeof pad);
	memset(pad, 0x5c, sizeof pad);
	for (size_t i = 0; i < SECRET_LEN; i++)
		pad[i] ^= idx->secret[i];
	SHA256_Init(&idx->hmac_out);
	SHA256_Update(&idx->hmac_out, pad, sizeof pad);
	explicit_bzero(pad, sizeof pad);
}

/* prefix + the hash_chars() of SHA-256 of the n bytes of s. The low-level
 * SHA-256 calls, as id_term(): OpenSSL 3's one-shot SHA256() looks the
 * digest's provider up again on every call, which cost more than the
 * hashing. */
static void
doc_term(char out[DOC_TERM_LEN], char prefix, const void *s, size_t n)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	SHA256_CTX c;
	SHA256_Init(&c);
	SHA256_Update(&c, s, n);
	SHA256_Final(md, &c);
	out[0] = prefix;
	hash_chars(out + 1, md);
}

static void
source_term(char out[DOC_TERM_LEN], char prefix, const char *source)
{
	doc_term(out, prefix, source, strlen(source));
}


/* ------------------------------------------------------------------ */
/* Normalising and masking what is stored                             */

/* Card numbers and IBANs: digits and letters only, upper case. Used when a
 * detector left norm empty, so that the hash is the same either way. */
static char *
alnum_upper(const char *s)
{
	char *out = malloc(strlen(s) + 1), *w = out;
	if (!out)
		return NULL;
	for (; *s; s++) {
		char c = *s;
		if (c >= 'a' && c <= 'z')
			*w++ = (char)(c - 'a' + 'A');
		else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			*w++ = c;
	}
	*w = '\0';
	return out;
}

#define DOT "\xE2\x80\xA2" /* U+2022 BULLET */

/* What the index keeps of a card number or IBAN: a fixed pattern, so that
 * not even the length is kept, and the last four characters. */
static char *
mask_account(trawl_type_t type, const char *norm)
{
	size_t n = strlen(norm);
	const char *last = n > 4 ? norm + n - 4 : "";
	if (type == TRAWL_TYPE_CARD)
		return g_strdup_printf(DOT DOT DOT DOT " " DOT DOT DOT DOT " " DOT DOT DOT DOT " %s", last);
	/* the country code is kept: it says which bank system, not whose account */
	char cc[3] = {0};
	if (n >= 2 && g_ascii_isalpha(norm[0]) && g_ascii_isalpha(norm[1]))
		cc[0] = norm[0], cc[1] = norm[1];
	return g_strdup_printf("%s" DOT DOT " " DOT DOT DOT DOT " " DOT DOT DOT DOT " " DOT DOT DOT DOT " %s",
	                       cc[0] ? cc : DOT DOT, last);
}

static bool
is_account(trawl_type_t t)
{
	return t == TRAWL_TYPE_CARD || t == TRAWL_TYPE_IBAN;
}

/* Replaces every occurrence of needle in *s by repl. */
static trawl_status_t
replace_all(char **s, const char *needle, const char *repl)
{
	size_t nl = strlen(needle);
	if (!*s || nl == 0 || !strstr(*s, needle))
		return TRAWL_OK;
	trawl_buf_t b = {0};
	trawl_status_t rc = TRAWL_OK;
	const char *p = *s, *q;
	while ((q = strstr(p, needle))) {
		if ((rc = trawl_buf_put(&b, p, (size_t)(q - p))) < 0 || (rc = trawl_buf_puts(&b, repl)) < 0)
			goto done;
		p = q + nl;
	}
	if ((rc = trawl_buf_puts(&b, p)) < 0)
		goto done;
	free(*s);
	*s = trawl_buf_detach(&b);
done:
	trawl_buf_free(&b);
	return rc;
}

/* The subject line with every card number and IBAN found in it masked:
 * by the finding's offsets when it was found in the Subject header, and by
 * its text wherever it stands (a detector may have read the subject from a
 * different decoding). Caller frees. */
static trawl_status_t
masked_subject(const trawl_message_t *msg, char **out)
{
	trawl_status_t rc = TRAWL_OK;
	char *s = NULL;
	*out = NULL;
	if (!msg->subject)
		goto done;
	if (!(s = strdup(msg->subject))) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < msg->findings.len; i++) {
		const trawl_finding_t *f = &msg->findings.items[i];
		if (!is_account(f->type))
			continue;
		char *norm = alnum_upper(f->norm ? f->norm : f->value ? f->value : "");
		char *mask = norm ? mask_account(f->type, norm) : NULL;
		free(norm);
		if (!mask) {
			rc = TRAWL_ENOMEM;
			goto done;
		}
		if (f->value && f->value[0])
			rc = replace_all(&s, f->value, mask);
		if (rc == TRAWL_OK && f->norm && f->norm[0])
			rc = replace_all(&s, f->norm, mask);
		g_free(mask);
		if (rc < 0)
			goto done;
	}
	*out = s;
	s = NULL;
done:
	free(s);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Records: length-prefixed fields                                    */

/* Formats of document data: a tag byte and a version byte, then fields.
 * Unsigned numbers are LEB128; signed ones zigzag first; a string is its
 * length + 1 as a number and its bytes, 0 standing for NULL. */
#define REC_MESSAGE 'M'
#define REC_SOURCE 'S'
#define REC_VERSION 1

static trawl_status_t
pack_u(trawl_buf_t *b, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;
	if (v < 0x80) /* most are: types, positions, short lengths */
		return trawl_buf_putc(b, (char)v);
	do {
		unsigned char c = v & 0x7F;
		v >>= 7;
		tmp[n++] = (unsigned char)(c | (v ? 0x80 : 0));
	} while (v);
	return trawl_buf_put(b, tmp, n);
}

static trawl_status_t
pack_i(trawl_buf_t *b, int64_t v)
{
	return pack_u(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static trawl_status_t
pack_s(trawl_buf_t *b, const char *s)
{
	if (!s)
		return pack_u(b, 0);
	size_t n = strlen(s);
	trawl_status_t rc = pack_u(b, (uint64_t)n + 1);
	return rc < 0 ? rc : trawl_buf_put(b, s, n);
}

typedef trawl_index__cursor_t cursor_t;

static uint64_t
take_u(cursor_t *c)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (c->p >= c->end) {
			c->bad = true;
			return 0;
		}
		unsigned char x = *c->p++;
		v |= (uint64_t)(x & 0x7F) << shift;
		if (!(x & 0x80))
			return v;
	}
	c->bad = true;
	return 0;
}

static int64_t
take_i(cursor_t *c)
{
	uint64_t u = take_u(c);
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/* A malloc'd copy of the next string, or NULL (for a NULL field, on
 * malformed data: c->bad, or when memory is short: *oom). */
static char *
take_s(cursor_t *c, bool *oom)
{
	uint64_t n = take_u(c);
	if (c->bad || n == 0)
		return NULL;
	n--;
	if (n > (uint64_t)(c->end - c->p)) {
		c->bad = true;
		return NULL;
	}
	char *s = trawl_strndup((const char *)c->p, (size_t)n);
	if (!s)
		*oom = true;
	c->p += n;
	return s;
}

static bool
take_header(cursor_t *c, char tag)
{
	if (c->end - c->p < 2 || c->p[0] != (unsigned char)tag || c->p[1] != REC_VERSION)
		return false;
	c->p += 2;
	return true;
}

/* --- source records --- */

static void
source_clear(trawl_index_source_t *s)
{
	free(s->source);
	free(s->kind);
	for (size_t i = 0; i < s->n_skipped; i++) {
		free(s->skipped[i].location);
		free(s->skipped[i].reason);
	}
	free(s->skipped);
	memset(s, 0, sizeof *s);
}

void
trawl_index_source_free(trawl_index_source_t *src)
{
	if (!src)
		return;
	source_clear(src);
	free(src);
}

static trawl_status_t
pack_source(trawl_buf_t *b, const trawl_index_source_t *s)
{
	trawl_status_t rc;
	if ((rc = trawl_buf_putc(b, REC_SOURCE)) < 0 || (rc = trawl_buf_putc(b, REC_VERSION)) < 0 ||
	    (rc = pack_s(b, s->source)) < 0 || (rc = pack_s(b, s->kind)) < 0 || (rc = pack_u(b, s->size)) < 0 ||
	    (rc = pack_i(b, s->mtime)) < 0 || (rc = pack_u(b, s->messages)) < 0 ||
	    (rc = pack_u(b, s->contacts)) < 0 || (rc = pack_u(b, s->appointments)) < 0 ||
	    (rc = pack_u(b, s->n_skipped)) < 0)
		return rc;
	for (size_t i = 0; i < s->n_skipped; i++)
		if ((rc = pack_s(b, s->skipped[i].location)) < 0 || (rc = pack_s(b, s->skipped[i].reason)) < 0)
			return rc;
	if ((rc = pack_u(b, TRAWL_TYPE_COUNT)) < 0)
		return rc;
	for (int t = 0; t < TRAWL_TYPE_COUNT; t++)
		if ((rc = pack_u(b, s->findings[t])) < 0)
			return rc;
	return TRAWL_OK;
}

/* Fills *s (zeroed by the caller) from data. */
static trawl_status_t
unpack_source(trawl_index_source_t *s, const void *data, size_t len)
{
	cursor_t c = {data, (const unsigned char *)data + len, false};
	bool oom = false;
	trawl_status_t rc = TRAWL_OK;
	if (!take_header(&c, REC_SOURCE)) {
		rc = TRAWL_ECORRUPT;
		goto done;
	}
	s->source = take_s(&c, &oom);
	s->kind = take_s(&c, &oom);
	s->size = take_u(&c);
	s->mtime = take_i(&c);
	s->messages = take_u(&c);
	s->contacts = take_u(&c);
	s->appointments = take_u(&c);
	uint64_t n = take_u(&c);
	if (c.bad || n > (uint64_t)(c.end - c.p)) {
		rc = TRAWL_ECORRUPT;
		goto done;
	}
	if (n && !(s->skipped = calloc((size_t)n, sizeof *s->skipped))) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	for (; s->n_skipped < n && !c.bad; s->n_skipped++) {
		s->skipped[s->n_skipped].location = take_s(&c, &oom);
		s->skipped[s->n_skipped].reason = take_s(&c, &oom);
	}
	/* the findings by type, as many types as the trawl that wrote it knew */
	uint64_t types = take_u(&c);
	for (uint64_t t = 0; t < types && !c.bad; t++) {
		uint64_t v = take_u(&c);
		if (t < TRAWL_TYPE_COUNT)
			s->findings[t] = v;
	}
	if (c.bad || !s->source)
		rc = TRAWL_ECORRUPT;
	else if (oom)
		rc = TRAWL_ENOMEM;
done:
	if (rc < 0)
		source_clear(s);
	return rc;
}

/* --- message records --- */

static void
message_clear(trawl_index_message_t *m)
{
	free(m->source);
	free(m->location);
	free(m->message_id);
	free(m->date);
	free(m->from);
	free(m->from_name);
	free(m->subject);
	free(m->content_hash);
	for (size_t i = 0; i < m->n_findings; i++) {
		free(m->findings[i].part);
		free(m->findings[i].value);
	}
	free(m->findings);
	memset(m, 0, sizeof *m);
}

/* An identifier term of the subject? (sorted array of TERM_LEN strings;
 * idx makes the terms a record does not keep) */
typedef struct {
	char (*terms)[TERM_LEN];
	size_t n;
	const trawl_index_t *idx;
} termset_t;

static int
cmp_term(const void *a, const void *b)
{
	return strcmp(a, b);
}

static bool
termset_has(const termset_t *set, const char *term)
{
	return set && set->n && bsearch(term, set->terms, set->n, TERM_LEN, cmp_term);
}

/* An address header of the message or of a message inside it ("header:To",
 * "2:header:Cc"). */
static bool
is_address_header(const char *part)
{
	static const char *const h[] = {"From", "To", "Cc", "Bcc", "Reply-To", "Sender", NULL};
	const char *p = part ? strstr(part, "header:") : NULL;
	if (!p || (p != part && p[-1] != ':'))
		return false;
	p += strlen("header:");
	for (const char *const *n = h; *n; n++)
		if (g_ascii_strcasecmp(p, *n) == 0)
			return true;
	return false;
}

/* Links every name in an address header to the address it names: the next
 * finding in the same header, when that is an address at or after the
 * name's end ("Erika Mustermann <erika@example.net>"). Sorting first keeps
 * this n log n for messages with thousands of recipients. */
typedef struct {
	const char *part;
	size_t start, end, i;
	bool email;
} slot_t;

static int
cmp_slot(const void *a, const void *b)
{
	const slot_t *x = a, *y = b;
	int c = strcmp(x->part, y->part);
	if (c)
		return c;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->email != y->email)
		return x->email ? 1 : -1; /* a name before the address it stands at */
	return x->i < y->i ? -1 : x->i > y->i;
}

static trawl_status_t
pair_names(trawl_index_message_t *m)
{
	size_t n = 0;
	slot_t *v = NULL;
	for (size_t i = 0; i < m->n_findings; i++)
		m->findings[i].pair = SIZE_MAX;
	if (m->n_findings < 2)
		return TRAWL_OK;
	if (!(v = malloc(m->n_findings * sizeof *v)))
		return TRAWL_ENOMEM;
	for (size_t i = 0; i < m->n_findings; i++) {
		const trawl_index_finding_t *f = &m->findings[i];
		if ((f->type == TRAWL_TYPE_NAME || f->type == TRAWL_TYPE_EMAIL) && is_address_header(f->part))
			v[n++] = (slot_t){f->part, f->start, f->end, i, f->type == TRAWL_TYPE_EMAIL};
	}
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_slot);
	for (size_t k = 0; k + 1 < n; k++) {
		if (!v[k].email && v[k + 1].email && strcmp(v[k].part, v[k + 1].part) == 0 &&
		    v[k + 1].start >= v[k].end)
			m->findings[v[k].i].pair = v[k + 1].i;
	}
	free(v);
	return TRAWL_OK;
}

/* Fills *m (zeroed by the caller) from data, marking the findings whose
 * term is in subject (may be NULL). */
static trawl_status_t
unpack_message(trawl_index_message_t *m, const void *data, size_t len, const termset_t *subject)
{
	cursor_t c = {data, (const unsigned char *)data + len, false};
	bool oom = false;
	trawl_status_t rc = TRAWL_OK;
	if (!take_header(&c, REC_MESSAGE)) {
		rc = TRAWL_ECORRUPT;
		goto done;
	}
	m->kind = (trawl_item_kind_t)take_u(&c);
	m->source = take_s(&c, &oom);
	m->location = take_s(&c, &oom);
	m->message_id = take_s(&c, &oom);
	m->date = take_s(&c, &oom);
	m->time = take_i(&c);
	m->from = take_s(&c, &oom);
	m->from_name = take_s(&c, &oom);
	m->subject = take_s(&c, &oom);
	m->content_hash = take_s(&c, &oom);
	m->size = take_u(&c);
	uint64_t n = take_u(&c);
	if (c.bad || n > (uint64_t)(c.end - c.p)) {
		rc = TRAWL_ECORRUPT;
		goto done;
	}
	if (n && !(m->findings = calloc((size_t)n, sizeof *m->findings))) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	for (; m->n_findings < n && !c.bad; m->n_findings++) {
		trawl_index_finding_t *f = &m->findings[m->n_findings];
		uint64_t type = take_u(&c), where = take_u(&c);
		f->type = type < TRAWL_TYPE_COUNT ? (trawl_type_t)type : TRAWL_TYPE_CUSTOM;
		f->where = where <= TRAWL_WHERE_ATTACHMENT ? (trawl_where_t)where : TRAWL_WHERE_BODY;
		f->part = take_s(&c, &oom);
		f->value = take_s(&c, &oom);
		f->start = (size_t)take_u(&c);
		f->end = (size_t)take_u(&c);
		f->confidence = (double)take_u(&c) / 1000.0;
		char *term = take_s(&c, &oom);
		if (!f->part && !c.bad && !(f->part = strdup("")))
			oom = true;
		if (!f->value && !c.bad && !(f->value = strdup("")))
			oom = true;
		if (term) {
			f->subject = termset_has(subject, term);
		} else if (subject && subject->n && subject->idx && f->value) {
			char t[TERM_LEN];
			id_term(subject->idx, f->type, f->value, t);
			f->subject = termset_has(subject, t);
		}
		free(term);
	}
	if (c.bad || !m->source || !m->location)
		rc = TRAWL_ECORRUPT;
	else if (oom)
		rc = TRAWL_ENOMEM;
	else
		rc = pair_names(m);
done:
	if (rc < 0)
		message_clear(m);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Opening                                                            */

static trawl_status_t
errno_status(int e)
{
	switch (e) {
	case ENOENT: return TRAWL_ENOTFOUND;
	case ENOMEM: return TRAWL_ENOMEM;
	case EEXIST: return TRAWL_EEXISTS;
	default: return TRAWL_EIO;
	}
}

static trawl_status_t
read_secret(trawl_index_t *idx, const char *path)
{
	trawl_status_t rc = TRAWL_OK;
	unsigned char buf[SECRET_LEN + 1];
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		int e = errno;
		rc = seterr(idx, e == ENOENT ? TRAWL_ECORRUPT : errno_status(e), "%s: %s%s", path, strerror(e),
		            e == ENOENT ? " (without it the index cannot be searched)" : "");
		goto done;
	}
	while (got < sizeof buf) {
		ssize_t n = read(fd, buf + got, sizeof buf - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = seterr(idx, TRAWL_EIO, "%s: %s", path, strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got != SECRET_LEN) {
		rc = seterr(idx, TRAWL_ECORRUPT, "%s: not a trawl index secret (%zu bytes)", path, got);
		goto done;
	}
	memcpy(idx->secret, buf, SECRET_LEN);
done:
	if (fd >= 0)
		close(fd);
	explicit_bzero(buf, sizeof buf);
	return rc;
}

/* Creates the secret, or reads it when it is already there. */
static trawl_status_t
make_secret(trawl_index_t *idx, const char *path, const char *xapian_path)
{
	trawl_status_t rc = TRAWL_OK;
	unsigned char buf[SECRET_LEN];
	struct stat st;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 && errno == EEXIST) {
		/* someone's chmod or copy may have loosened it */
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
		    (st.st_mode & 07777) != 0600 && chmod(path, 0600) < 0) {
			rc = seterr(idx, TRAWL_EIO, "%s: chmod: %s", path, strerror(errno));
			goto done;
		}
		rc = read_secret(idx, path);
		goto done;
	}
	if (fd < 0) {
		rc = seterr(idx, errno_status(errno), "%s: %s", path, strerror(errno));
		goto done;
	}
	/* A database whose secret is gone cannot be searched; a fresh secret
	 * would silently make every old term unfindable. */
	if (stat(xapian_path, &st) == 0) {
		unlink(path);
		rc = seterr(idx, TRAWL_ECORRUPT, "%s: missing, but the index has records keyed with it", path);
		goto done;
	}
	for (size_t got = 0; got < SECRET_LEN;) {
		ssize_t n = getrandom(buf + got, SECRET_LEN - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = seterr(idx, TRAWL_EIO, "getrandom: %s", strerror(errno));
			unlink(path);
			goto done;
		}
		got += (size_t)n;
	}
	for (size_t put = 0; put < SECRET_LEN;) {
		ssize_t n = write(fd, buf + put, SECRET_LEN - put);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = seterr(idx, TRAWL_EIO, "%s: %s", path, strerror(errno));
			unlink(path);
			goto done;
		}
		put += (size_t)n;
	}
	if (fsync(fd) < 0) {
		rc = seterr(idx, TRAWL_EIO, "%s: %s", path, strerror(errno));
		unlink(path);
		goto done;
	}
	memcpy(idx->secret, buf, SECRET_LEN);
done:
	if (fd >= 0)
		close(fd);
	explicit_bzero(buf, sizeof buf);
	return rc;
}

/* DIR: created 0700, or made 0700 when it is ours and laxer. */
static trawl_status_t
make_dir(trawl_index_t *idx, const char *dir)
{
	struct stat st;
	if (g_mkdir_with_parents(dir, 0700) < 0)
		return seterr(idx, errno_status(errno), "%s: %s", dir, strerror(errno));
	if (stat(dir, &st) < 0)
		return seterr(idx, errno_status(errno), "%s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return seterr(idx, TRAWL_EEXISTS, "%s: exists and is not a folder", dir);
	if (st.st_uid == geteuid() && (st.st_mode & 07777) != 0700 && chmod(dir, 0700) < 0)
		return seterr(idx, TRAWL_EIO, "%s: chmod: %s", dir, strerror(errno));
	return TRAWL_OK;
}

static void
srcrec_free(void *p)
{
	srcrec_t *r = p;
	if (!r)
		return;
	source_clear(&r->s);
	free(r);
}

/* Which form of terms and records the index holds: 6 since a message's
 * record is its document's data again, stored undeflated, and its date in
 * no value slot of its own (index/xdb.h); 5
 * since a source's
 * record counts the findings of its records by type and message records
 * have no unique term (4 had a T term with that count, and a Q term, on
 * every message record: a quarter of its postings); 4 put a
 * message's links on its record and terms of 78 bits (3 kept links in a
 * document of their own, and terms of 96 bits; records were in a value
 * slot from 3 to 5, 2 kept them in Xapian's document data, deflated; terms
 * have been in base64url since 2; 1, unmarked, had hex). */
#define INDEX_FORMAT "6"
#define INDEX_FORMAT_KEY "trawl.format"

/* An index of another format is refused: its terms would not match. A new
 * (empty) one is marked when it is writable. */
static trawl_status_t
check_format(trawl_index_t *idx, const char *dir)
{
	char *fmt = NULL;
	uint64_t docs = 0;
	trawl_status_t rc = trawl_xdb__get_meta(idx->db, INDEX_FORMAT_KEY, &fmt, &docs);
	if (rc < 0)
		return fmt ? rc : xerr(idx, rc);
	idx->was_empty = idx->writable && docs == 0;
	if (strcmp(fmt, INDEX_FORMAT) == 0) {
		rc = TRAWL_OK;
	} else if (!*fmt && docs == 0) {
		rc = idx->writable ? trawl_xdb__set_meta(idx->db, INDEX_FORMAT_KEY, INDEX_FORMAT) : TRAWL_OK;
		if (rc < 0)
			rc = xerr(idx, rc);
	} else {
		rc = seterr(idx, TRAWL_EINDEX,
		            "made by another version of trawl (index format %s, this trawl reads %s): remove %s and "
		            "scan again",
		            *fmt ? fmt : "1", INDEX_FORMAT, dir);
	}
	free(fmt);
	return rc;
}

trawl_status_t
trawl_index_open(trawl_index_t **out, const char *dir, trawl_index_mode_t mode)
{
	trawl_status_t rc = TRAWL_OK;
	char *secret_path = NULL, *xapian_path = NULL;
	trawl_index_t *idx = calloc(1, sizeof *idx);
	*out = idx;
	if (!idx)
		return TRAWL_ENOMEM;
	idx->writable = mode == TRAWL_INDEX_WRITE;
	if (!dir || !*dir) {
		rc = seterr(idx, TRAWL_EINVAL, "no index folder given");
		goto done;
	}
	idx->dir = g_strdup(dir);
	secret_path = g_build_filename(dir, "secret", NULL);
	xapian_path = g_build_filename(dir, "xapian", NULL);
	if (idx->writable) {
		if ((rc = make_dir(idx, dir)) < 0 || (rc = make_secret(idx, secret_path, xapian_path)) < 0)
			goto done;
		idx->sources = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, srcrec_free);
	} else {
		struct stat st;
		if (stat(dir, &st) < 0) {
			int e = errno;
			rc = seterr(idx, errno_status(e), "%s%s", strerror(e),
			            e == ENOENT ? " (no index here; run trawl scan first)" : "");
			goto done;
		}
		if (stat(secret_path, &st) < 0 && errno == ENOENT && stat(xapian_path, &st) < 0 && errno == ENOENT) {
			rc = seterr(idx, TRAWL_ENOTFOUND, "not a trawl index (no secret, no database)");
			goto done;
		}
		if ((rc = read_secret(idx, secret_path)) < 0)
			goto done;
	}
	hmac_key(idx);
	if ((rc = trawl_xdb__open(&idx->db, xapian_path, idx->writable)) < 0) {
		rc = idx->db ? xerr(idx, rc) : seterr(idx, rc, "%s", trawl_status_str(rc));
		goto done;
	}
	rc = check_format(idx, dir);
done:
	g_free(secret_path);
	g_free(xapian_path);
	return rc;
}

void
trawl_index_free(trawl_index_t *idx)
{
	if (!idx)
		return;
	/* The uncommitted source records go with the cancelled transaction. */
	if (idx->sources)
		g_hash_table_destroy(idx->sources);
	free(idx->evicted);
	trawl_xdb__free(idx->db);
	explicit_bzero(idx->secret, sizeof idx->secret);
	explicit_bzero(&idx->hmac_in, sizeof idx->hmac_in);
	explicit_bzero(&idx->hmac_out, sizeof idx->hmac_out);
	g_free(idx->dir);
	trawl_buf_free(&idx->err);
	free(idx);
}

static trawl_status_t
check_writer(trawl_index_t *idx)
{
	trawl_buf_reset(&idx->err);
	if (!idx->db)
		return seterr(idx, TRAWL_EINVAL, "the index is not open");
	if (!idx->writable)
		return seterr(idx, TRAWL_EINVAL, "the index is open read-only");
	return TRAWL_OK;
}

/* ------------------------------------------------------------------ */
/* Writing                                                            */

static trawl_status_t
write_source(trawl_index_t *idx, srcrec_t *r)
{
	trawl_buf_t b = {0};
	char rterm[DOC_TERM_LEN];
	trawl_status_t rc = pack_source(&b, &r->s);
	if (rc < 0)
		goto done;
	source_term(rterm, 'R', r->s.source);
	trawl_xdb_term_t terms[] = {{rterm, 0}};
	trawl_xdb_doc_t doc = {.data = b.data, .data_len = b.len, .source_record = true, .terms = terms, .n_terms = 1};
	/* in an index that was empty, the first record of a source is new:
	 * Xapian need not look for one to replace (a maildir is a source a
	 * message) */
	if (idx->was_empty && !r->stored)
		rc = trawl_xdb__add(idx->db, &doc);
	else
		rc = trawl_xdb__replace(idx->db, rterm, &doc);
	if (rc < 0) {
		rc = xerr(idx, rc);
		goto done;
	}
	r->dirty = false;
	r->stored = true;
done:
	trawl_buf_free(&b);
	return rc;
}

/* Reads the stored record of a source into *out (zeroed by the caller). */
static trawl_status_t
load_source_once(trawl_index_t *idx, const char *source, trawl_index_source_t *out);

/* The bits of source in the Bloom filter: from two independent 64-bit
 * hashes of it (FNV-1a, then splitmix64's finaliser twice), h1 + i h2. */
static void
evicted_bits(const char *source, uint64_t bits[EVICTED_HASHES])
{
	uint64_t h = 0xcbf29ce484222325ull, hh[2];
	for (const unsigned char *p = (const unsigned char *)source; *p; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	for (int i = 0; i < 2; i++) {
		h += 0x9e3779b97f4a7c15ull;
		uint64_t z = h;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		hh[i] = z ^ (z >> 31);
	}
	for (uint64_t i = 0; i < EVICTED_HASHES; i++)
		bits[i] = (hh[0] + i * hh[1]) % EVICTED_BITS;
}

/* Whether source may have had a record this session that left memory. */
static bool
maybe_evicted(const trawl_index_t *idx, const char *source)
{
	uint64_t bits[EVICTED_HASHES];
	if (!idx->evicted)
		return false;
	evicted_bits(source, bits);
	for (size_t i = 0; i < EVICTED_HASHES; i++)
		if (!(idx->evicted[bits[i] / 64] & (1ull << (bits[i] % 64))))
			return false;
	return true;
}

/* After a commit: the records of the sources that have ended and are
 * written leave memory, noted in the Bloom filter so that a source read
 * again in the same session still replaces what it had. Without this the
 * records of a maildir stayed for the whole scan, memory growing with the
 * number of files (109,488 files of the bench's maildir: peak RSS 144-152
 * MB, against 127 MB for the same mail as one mbox). */
static trawl_status_t
evict_sources(trawl_index_t *idx)
{
	GHashTableIter it;
	gpointer key, val;
	g_hash_table_iter_init(&it, idx->sources);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		srcrec_t *r = val;
		if (!r->ended || r->dirty)
			continue;
		if (!idx->evicted && !(idx->evicted = calloc(EVICTED_BITS / 64, sizeof *idx->evicted)))
			return TRAWL_ENOMEM;
		uint64_t bits[EVICTED_HASHES];
		evicted_bits(r->s.source, bits);
		for (size_t i = 0; i < EVICTED_HASHES; i++)
			idx->evicted[bits[i] / 64] |= 1ull << (bits[i] % 64);
		g_hash_table_iter_remove(&it);
	}
	return TRAWL_OK;
}

/* A fresh in-memory record for source, replacing any this session had;
 * stored: a record of it may be in the index already (replace, not add). */
static trawl_status_t
new_srcrec(trawl_index_t *idx, const char *source, const char *kind, bool stored, srcrec_t **out)
{
	srcrec_t *r = calloc(1, sizeof *r);
	*out = NULL;
	if (!r)
		return TRAWL_ENOMEM;
	r->s.source = strdup(source);
	r->s.kind = strdup(kind && *kind ? kind : "unknown");
	if (!r->s.source || !r->s.kind) {
		srcrec_free(r);
		return TRAWL_ENOMEM;
	}
	r->dirty = true;
	r->stored = stored;
	g_hash_table_replace(idx->sources, r->s.source, r);
	*out = r;
	return TRAWL_OK;
}

/* The record this session keeps for source; on first use, what an earlier
 * scan stored, or a fresh one of kind `kind`. */
static trawl_status_t
get_srcrec(trawl_index_t *idx, const char *source, const char *kind, srcrec_t **out)
{
	srcrec_t *r = g_hash_table_lookup(idx->sources, source);
	trawl_status_t rc;
	*out = r;
	if (r)
		return TRAWL_OK;
	trawl_index_source_t old = {0};
	rc = load_source_once(idx, source, &old);
	if (rc == TRAWL_ENOTFOUND)
		return new_srcrec(idx, source, kind, maybe_evicted(idx, source), out);
	if (rc < 0)
		return rc;
	if (!(r = calloc(1, sizeof *r))) {
		source_clear(&old);
		return TRAWL_ENOMEM;
	}
	r->s = old;
	r->skip_cap = old.n_skipped;
	g_hash_table_replace(idx->sources, r->s.source, r);
	*out = r;
	return TRAWL_OK;
}

/* A record made ready for the writer: its documents built (index/xdb.h). */
struct trawl_index_prepared {
	trawl_xdb_built_t *doc; /* the message record, its links on it */
	unsigned per_type[TRAWL_TYPE_COUNT]; /* its findings, for its source's record */
};

void
trawl_index_prepared_free(trawl_index_prepared_t *prep)
{
	if (!prep)
		return;
	trawl_xdb__built_free(prep->doc);
	free(prep);
}

trawl_status_t
trawl_index_prepare(const trawl_index_t *idx, const trawl_message_t *msg, trawl_index_prepared_t **out)
{
	trawl_status_t rc;
	trawl_buf_t b = {0}, links = {0};
	char sterm[DOC_TERM_LEN];
	char (*idterms)[TERM_LEN] = NULL;
	trawl_index__aterm_t *aterms = NULL;
	size_t n_aterms = 0;
	trawl_xdb_term_t *terms = NULL;
	char *subject = NULL;
	size_t nf = msg->findings.len, nt = 0;
	trawl_index_prepared_t *p = NULL;

	*out = NULL;
	if (!idx || !msg->source || !msg->location)
		return TRAWL_EINVAL;
	if (!(p = calloc(1, sizeof *p))) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	source_term(sterm, 'S', msg->source);
	if ((rc = masked_subject(msg, &subject)) < 0)
		goto done;
	idterms = calloc(nf ? nf : 1, sizeof *idterms);
	if (!idterms) {
		rc = TRAWL_ENOMEM;
		goto done;
	}

	unsigned kind = (unsigned)msg->kind <= TRAWL_ITEM_APPOINTMENT ? (unsigned)msg->kind : 0;
	if ((rc = trawl_buf_putc(&b, REC_MESSAGE)) < 0 || (rc = trawl_buf_putc(&b, REC_VERSION)) < 0 ||
	    (rc = pack_u(&b, kind)) < 0 || (rc = pack_s(&b, msg->source)) < 0 ||
	    (rc = pack_s(&b, msg->location)) < 0 || (rc = pack_s(&b, msg->message_id)) < 0 ||
	    (rc = pack_s(&b, msg->date)) < 0 || (rc = pack_i(&b, msg->time)) < 0 ||
	    (rc = pack_s(&b, msg->from)) < 0 || (rc = pack_s(&b, msg->from_name)) < 0 ||
	    (rc = pack_s(&b, subject)) < 0 || (rc = pack_s(&b, msg->content_hash)) < 0 ||
	    (rc = pack_u(&b, msg->size)) < 0 || (rc = pack_u(&b, nf)) < 0)
		goto done;
	for (size_t i = 0; i < nf; i++) {
		const trawl_finding_t *f = &msg->findings.items[i];
		trawl_type_t type = (unsigned)f->type < TRAWL_TYPE_COUNT ? f->type : TRAWL_TYPE_CUSTOM;
		const char *src = f->norm && *f->norm ? f->norm : f->value ? f->value : "";
		char *norm = is_account(type) ? alnum_upper(src) : strdup(src);
		char *shown = norm && is_account(type) ? mask_account(type, norm) : NULL;
		if (!norm || (is_account(type) && !shown)) {
			free(norm);
			g_free(shown);
			rc = TRAWL_ENOMEM;
			goto done;
		}
		id_term(idx, type, norm, idterms[i]);
		double conf = f->confidence < 0 ? 0 : f->confidence > 1 ? 1 : f->confidence;
		rc = pack_u(&b, (uint64_t)type);
		if (rc == TRAWL_OK)
			rc = pack_u(&b, (uint64_t)f->where);
		if (rc == TRAWL_OK)
			rc = pack_s(&b, f->part);
		if (rc == TRAWL_OK)
			rc = pack_s(&b, shown ? shown : norm);
		if (rc == TRAWL_OK)
			rc = pack_u(&b, f->start);
		if (rc == TRAWL_OK)
			rc = pack_u(&b, f->end);
		if (rc == TRAWL_OK)
			rc = pack_u(&b, (uint64_t)(conf * 1000.0 + 0.5));
		/* the term of a masked value cannot be made again from it: kept;
		 * any other is, on reading (half of a record's bytes otherwise) */
		if (rc == TRAWL_OK)
			rc = pack_s(&b, is_account(type) ? idterms[i] : NULL);
		/* the cleartext of a card or IBAN is wiped, not just freed */
		if (is_account(type))
			explicit_bzero(norm, strlen(norm));
		free(norm);
		g_free(shown);
		if (rc < 0)
			goto done;
		p->per_type[type]++;
	}
	/* the identifiers it ties to people (index/link.c) */
	if ((rc = trawl_index__prepare_links(idx, msg, (const char(*)[TERM_LEN])idterms, &links, &aterms, &n_aterms)) < 0)
		goto done;
	if (!(terms = calloc(nf + n_aterms + 2, sizeof *terms))) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < nf; i++)
		terms[nt++] = (trawl_xdb_term_t){idterms[i], 0};
	for (size_t i = 0; i < n_aterms; i++)
		terms[nt++] = (trawl_xdb_term_t){aterms[i], 0};
	terms[nt++] = (trawl_xdb_term_t){sterm, 0};
	terms[nt++] = (trawl_xdb_term_t){kind_term[kind], 0};
	trawl_xdb_doc_t doc = {
		.data = b.data,
		.data_len = b.len,
		.links = links.data,
		.links_len = links.len,
		.terms = terms,
		.n_terms = nt,
	};
	rc = trawl_xdb__build(&doc, &p->doc);
done:
	if (rc == TRAWL_OK) {
		*out = p;
		p = NULL;
	}
	trawl_index_prepared_free(p);
	trawl_buf_free(&b);
	trawl_buf_free(&links);
	free(idterms);
	free(aterms);
	free(terms);
	free(subject);
	return rc;
}

/* The record of one location among a source's (trawl_xdb__each_id()). */
typedef struct {
	const char *location;
	uint32_t docid; /* 0 until found */
	trawl_item_kind_t kind;
	uint64_t per_type[TRAWL_TYPE_COUNT];
} same_location_t;

static trawl_status_t
same_location_cb(uint32_t docid, const void *data, size_t len, void *payload)
{
	same_location_t *o = payload;
	trawl_index_message_t m = {0};
	trawl_status_t rc = unpack_message(&m, data, len, NULL);
	if (rc == TRAWL_ECORRUPT)
		return TRAWL_OK; /* not a message record: not the one */
	if (rc < 0)
		return rc;
	if (!o->docid && m.location && strcmp(m.location, o->location) == 0) {
		o->docid = docid;
		o->kind = m.kind;
		for (size_t i = 0; i < m.n_findings; i++)
			if ((unsigned)m.findings[i].type < TRAWL_TYPE_COUNT)
				o->per_type[m.findings[i].type]++;
	}
	message_clear(&m);
	return TRAWL_OK;
}

trawl_status_t
trawl_index_add_prepared(trawl_index_t *idx, const trawl_message_t *msg, trawl_index_prepared_t *prep)
{
	trawl_status_t rc;
	srcrec_t *r;

	if ((rc = check_writer(idx)) < 0)
		goto done;
	if (!msg->source || !prep) {
		rc = seterr(idx, TRAWL_EINVAL, "a message record needs a source and a location");
		goto done;
	}
	if ((rc = get_srcrec(idx, msg->source, "unknown", &r)) < 0)
		goto done;
	if (r->fresh) {
		/* its SOURCE_BEGIN deleted every document of the source: nothing to
		 * replace */
		rc = trawl_xdb__add_built(idx->db, prep->doc);
	} else {
		/* a message of a source this session did not begin (only
		 * trawl_index_add_message() alone does that): the record of its
		 * location, if there is one, is replaced, found among its
		 * source's (records have no unique term: a scan never needs one) */
		same_location_t old = {.location = msg->location};
		char sterm[DOC_TERM_LEN];
		const char *terms[] = {sterm};
		source_term(sterm, 'S', msg->source);
		rc = trawl_xdb__each_id(idx->db, terms, 1, same_location_cb, &old);
		if (rc == TRAWL_OK && old.docid) {
			rc = trawl_xdb__replace_built_id(idx->db, old.docid, prep->doc);
			uint64_t *count = old.kind == TRAWL_ITEM_CONTACT       ? &r->s.contacts
			                  : old.kind == TRAWL_ITEM_APPOINTMENT ? &r->s.appointments
			                                                       : &r->s.messages;
			if (*count)
				(*count)--;
			for (int t = 0; t < TRAWL_TYPE_COUNT; t++)
				r->s.findings[t] -= old.per_type[t] < r->s.findings[t] ? old.per_type[t] : r->s.findings[t];
		} else if (rc == TRAWL_OK) {
			rc = trawl_xdb__add_built(idx->db, prep->doc);
		}
	}
	if (rc < 0) {
		rc = xerr(idx, rc);
		goto done;
	}
	if (msg->kind == TRAWL_ITEM_CONTACT)
		r->s.contacts++;
	else if (msg->kind == TRAWL_ITEM_APPOINTMENT)
		r->s.appointments++;
	else
		r->s.messages++;
	for (int t = 0; t < TRAWL_TYPE_COUNT; t++)
		r->s.findings[t] += prep->per_type[t];
	r->dirty = true;
done:
	if (rc == TRAWL_ENOMEM && !idx->err.len)
		seterr(idx, rc, "out of memory");
	trawl_index_prepared_free(prep);
	return rc;
}

trawl_status_t
trawl_index_add_message(trawl_index_t *idx, const trawl_message_t *msg)
{
	trawl_index_prepared_t *prep = NULL;
	trawl_status_t rc = check_writer(idx);
	if (rc < 0)
		return rc;
	if (!msg->source || !msg->location)
		return seterr(idx, TRAWL_EINVAL, "a message record needs a source and a location");
	if ((rc = trawl_index_prepare(idx, msg, &prep)) < 0)
		return seterr(idx, rc, "%s", rc == TRAWL_ENOMEM ? "out of memory" : trawl_status_str(rc));
	return trawl_index_add_prepared(idx, msg, prep);
}

static trawl_status_t
add_skip(srcrec_t *r, const char *location, const char *reason)
{
	trawl_index_source_t *s = &r->s;
	if (s->n_skipped == r->skip_cap) {
		size_t cap = r->skip_cap ? r->skip_cap * 2 : 4;
		trawl_index_skip_t *p = realloc(s->skipped, cap * sizeof *p);
		if (!p)
			return TRAWL_ENOMEM;
		s->skipped = p;
		r->skip_cap = cap;
	}
	trawl_index_skip_t *k = &s->skipped[s->n_skipped];
	k->location = strdup(location ? location : s->source);
	k->reason = strdup(reason ? reason : "skipped");
	if (!k->location || !k->reason) {
		free(k->location);
		free(k->reason);
		return TRAWL_ENOMEM;
	}
	s->n_skipped++;
	r->dirty = true;
	return TRAWL_OK;
}

trawl_status_t
trawl_index_add_event(trawl_index_t *idx, const trawl_event_t *ev)
{
	trawl_status_t rc;
	char sterm[DOC_TERM_LEN];
	srcrec_t *r = NULL;
	const char *source = ev->source ? ev->source : ev->location;

	if ((rc = check_writer(idx)) < 0)
		goto done;
	if (!source && ev->type != TRAWL_EVENT_WALK_END) {
		rc = seterr(idx, TRAWL_EINVAL, "an event needs a source");
		goto done;
	}
	switch (ev->type) {
	case TRAWL_EVENT_SOURCE_BEGIN:
		/* The source is read again: what an earlier scan found in it goes
		 * (nothing, in an index that was empty, unless this session began
		 * the source before). */
		r = g_hash_table_lookup(idx->sources, source);
		bool seen = r || maybe_evicted(idx, source);
		bool stored = r ? r->stored : seen; /* its record is replaced, not added again */
		if (!idx->was_empty || seen) {
			source_term(sterm, 'S', source);
			if ((rc = trawl_xdb__delete(idx->db, sterm)) < 0) {
				rc = xerr(idx, rc);
				goto done;
			}
		}
		/* size and mtime wait for SOURCE_END: a record committed halfway
		 * through a source must not look unchanged to an incremental scan */
		if ((rc = new_srcrec(idx, source, ev->kind, stored, &r)) < 0)
			goto done;
		r->fresh = true;
		break;
	case TRAWL_EVENT_SKIP:
		/* A file that could not be opened at all has no BEGIN: its record
		 * starts here. Records an earlier scan made of it stay: the data may
		 * well still be in there. */
		r = g_hash_table_lookup(idx->sources, source);
		if (!r && (rc = new_srcrec(idx, source, "unreadable", maybe_evicted(idx, source), &r)) < 0)
			goto done;
		if ((rc = add_skip(r, ev->location, ev->reason)) < 0)
			goto done;
		break;
	case TRAWL_EVENT_WALK_END:
		break; /* nothing of any source */
	case TRAWL_EVENT_SOURCE_END:
		r = g_hash_table_lookup(idx->sources, source);
		if (!r && (rc = new_srcrec(idx, source, ev->kind, maybe_evicted(idx, source), &r)) < 0)
			goto done;
		if (ev->kind && *ev->kind) {
			char *k = strdup(ev->kind);
			if (!k) {
				rc = TRAWL_ENOMEM;
				goto done;
			}
			free(r->s.kind);
			r->s.kind = k;
		}
		r->s.messages = ev->messages;
		r->s.contacts = ev->contacts;
		r->s.appointments = ev->appointments;
		r->s.size = ev->bytes;
		r->s.mtime = ev->mtime;
		r->ended = true;
		rc = write_source(idx, r);
		break;
	default:
		rc = seterr(idx, TRAWL_EINVAL, "unknown event type %d", (int)ev->type);
	}
done:
	if (rc == TRAWL_ENOMEM && !idx->err.len)
		seterr(idx, rc, "out of memory");
	return rc;
}

trawl_status_t
trawl_index_commit(trawl_index_t *idx)
{
	trawl_status_t rc;
	GHashTableIter it;
	gpointer key, val;

	if ((rc = check_writer(idx)) < 0)
		goto done;
	g_hash_table_iter_init(&it, idx->sources);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		srcrec_t *r = val;
		if (r->dirty && (rc = write_source(idx, r)) < 0)
			goto done;
	}
	if ((rc = trawl_xdb__commit(idx->db)) < 0)
		rc = xerr(idx, rc);
	else
		rc = evict_sources(idx);
done:
	if (rc == TRAWL_ENOMEM && !idx->err.len)
		seterr(idx, rc, "out of memory");
	return rc;
}

/* ------------------------------------------------------------------ */
/* Reading                                                            */

static trawl_status_t
check_reader(trawl_index_t *idx)
{
	trawl_buf_reset(&idx->err);
	if (!idx->db)
		return seterr(idx, TRAWL_EINVAL, "the index is not open");
	return TRAWL_OK;
}

static trawl_status_t
source_cb(uint32_t docid, const void *data, size_t len, void *payload)
{
	(void)docid;
	trawl_index_source_t *s = payload;
	source_clear(s);
	return unpack_source(s, data, len);
}

static trawl_status_t
load_source_once(trawl_index_t *idx, const char *source, trawl_index_source_t *out)
{
	char rterm[DOC_TERM_LEN];
	const char *terms[] = {rterm};
	source_term(rterm, 'R', source);
	trawl_status_t rc = trawl_xdb__each_value(idx->db, TRAWL_XDB_SLOT_SOURCE, terms, 1, source_cb, out);
	if (rc < 0)
		return rc == TRAWL_ECORRUPT ? seterr(idx, rc, "%s: unreadable source record", source) : xerr(idx, rc);
	if (!out->source)
		return TRAWL_ENOTFOUND;
	return TRAWL_OK;
}

trawl_status_t
trawl_index_source(trawl_index_t *idx, const char *source, trawl_index_source_t **out)
{
	trawl_status_t rc;
	trawl_index_source_t *s = NULL;
	*out = NULL;
	if ((rc = check_reader(idx)) < 0)
		goto done;
	if (!(s = calloc(1, sizeof *s))) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	for (int attempt = 0;; attempt++) {
		rc = load_source_once(idx, source, s);
		if (rc != TRAWL_EMODIFIED || attempt >= READ_RETRIES)
			break;
		source_clear(s);
	}
	if (rc == TRAWL_ENOTFOUND)
		seterr(idx, rc, "%s: not in the index", source);
	if (rc < 0)
		goto done;
	*out = s;
	s = NULL;
done:
	trawl_index_source_free(s);
	return rc;
}

/* --- the subject --- */

/* One identifier of the subject, with its term. */
typedef struct {
	trawl_identifier_t id;
	char term[TERM_LEN];
} subject_id_t;

typedef struct {
	subject_id_t *items;
	size_t len, cap;
} subject_ids_t;

static void
subject_ids_clear(subject_ids_t *ids)
{
	for (size_t i = 0; i < ids->len; i++)
		free(ids->items[i].id.norm);
	free(ids->items);
	memset(ids, 0, sizeof *ids);
}

/* Adds an identifier with its term unless the term is there already (the
 * first way it came in stays); takes norm. */
static trawl_status_t
subject_ids_put(subject_ids_t *ids, trawl_type_t type, char *norm, const char term[TERM_LEN],
                trawl_link_kind_t via, bool searched)
{
	for (size_t i = 0; i < ids->len; i++) {
		if (strcmp(ids->items[i].term, term) == 0) {
			free(norm);
			return TRAWL_OK;
		}
	}
	if (ids->len == ids->cap) {
		size_t cap = ids->cap ? ids->cap * 2 : 8;
		subject_id_t *p = realloc(ids->items, cap * sizeof *p);
		if (!p) {
			free(norm);
			return TRAWL_ENOMEM;
		}
		ids->items = p;
		ids->cap = cap;
	}
	subject_id_t *s = &ids->items[ids->len++];
	s->id.type = type;
	s->id.norm = norm;
	s->id.via = via;
	s->id.searched = searched;
	memcpy(s->term, term, TERM_LEN);
	return TRAWL_OK;
}

/* Adds one identifier the request gives; takes norm. */
static trawl_status_t
subject_ids_add(trawl_index_t *idx, subject_ids_t *ids, trawl_type_t type, char *norm)
{
	char term[TERM_LEN];
	id_term(idx, type, norm, term);
	return subject_ids_put(ids, type, norm, term, TRAWL_LINK_NONE, true);
}

/* Adds what the index links to the request's own identifiers, one hop
 * (index/link.c): from an address, the identifiers of its signatures and
 * contact records; from a name, what stands right after it in
 * TRAWL_LINK_NEAR_MIN messages or more. Nothing is followed further, and a
 * name never leads to an address. (The names beside an address come from
 * the messages found: header_names().) */
static trawl_status_t
add_linked(trawl_index_t *idx, subject_ids_t *ids)
{
	trawl_status_t rc = TRAWL_OK;
	trawl_index__linked_list_t links = {0};
	size_t n = 0, given = ids->len;
	char(*anchors)[TERM_LEN] = calloc(given ? given : 1, TERM_LEN);
	if (!anchors)
		return TRAWL_ENOMEM;
	for (size_t i = 0; i < given; i++)
		if (ids->items[i].id.type == TRAWL_TYPE_EMAIL || ids->items[i].id.type == TRAWL_TYPE_NAME)
			memcpy(anchors[n++], ids->items[i].term, TERM_LEN);
	if ((rc = trawl_index__linked(idx, (const char(*)[TERM_LEN])anchors, n, &links)) < 0)
		goto done;
	for (size_t i = 0; i < links.len && rc == TRAWL_OK; i++) {
		const trawl_index__linked_t *l = &links.items[i];
		bool from_address = l->anchor_type == TRAWL_TYPE_EMAIL &&
		                    (l->kind == TRAWL_LINK_SIGNATURE || l->kind == TRAWL_LINK_RECORD);
		bool from_name = l->anchor_type == TRAWL_TYPE_NAME && l->kind == TRAWL_LINK_NEAR &&
		                 l->messages >= TRAWL_LINK_NEAR_MIN;
		if ((!from_address && !from_name) || l->type == TRAWL_TYPE_NAME ||
		    (from_name && l->type == TRAWL_TYPE_EMAIL))
			continue;
		char *norm = strdup(l->norm);
		rc = norm ? subject_ids_put(ids, l->type, norm, l->term, l->kind, true) : TRAWL_ENOMEM;
	}
done:
	trawl_index__linked_clear(&links);
	free(anchors);
	return rc;
}

/* Lower case, spaces collapsed and trimmed: for what a normaliser refused. */
static char *
plain_lower(const char *s)
{
	char *out = malloc(strlen(s) + 1), *w = out;
	if (!out)
		return NULL;
	bool space = false;
	for (; *s; s++) {
		if (g_ascii_isspace(*s)) {
			space = w != out;
			continue;
		}
		if (space)
			*w++ = ' ';
		space = false;
		*w++ = g_ascii_tolower(*s);
	}
	*w = '\0';
	return out;
}

/* A phone number as a request gives it, in the form the phone detector
 * writes E.164 numbers: "+" and digits. Spaces, dashes, dots, slashes and
 * parentheses go, "(0)" after a country code goes, a leading "00" is "+".
 * NULL when there are no digits or there is anything else. */
static char *
norm_phone(const char *s)
{
	char *out = malloc(strlen(s) + 2), *w = out;
	if (!out)
		return NULL;
	while (g_ascii_isspace(*s))
		s++;
	bool plus = false;
	if (*s == '+')
		plus = true, s++;
	else if (s[0] == '0' && s[1] == '0')
		plus = true, s += 2;
	if (plus)
		*w++ = '+';
	char *digits = w;
	for (; *s; s++) {
		if (plus && w > digits && strncmp(s, "(0)", 3) == 0) {
			s += 2;
			continue;
		}
		if (g_ascii_isdigit(*s))
			*w++ = *s;
		else if (!strchr(" \t-./()", *s)) {
			free(out);
			return NULL;
		}
	}
	*w = '\0';
	if (w == digits) {
		free(out);
		return NULL;
	}
	return out;
}

/* Turns a selector into the subject's identifiers: the selector's own,
 * normalised, then what the index links to them (add_linked()), so that
 * access, erase and every report follow. */
static trawl_status_t
expand_subject(trawl_index_t *idx, const trawl_selector_t *sel, subject_ids_t *out)
{
	trawl_status_t rc = TRAWL_OK;
	for (size_t i = 0; i < sel->n_emails && rc == TRAWL_OK; i++) {
		const char *e = sel->emails[i];
		char *n = trawl_norm_email(e, strlen(e));
		if (!n)
			n = plain_lower(e);
		rc = !n ? TRAWL_ENOMEM : *n ? subject_ids_add(idx, out, TRAWL_TYPE_EMAIL, n) : (free(n), TRAWL_OK);
	}
	for (size_t i = 0; i < sel->n_names && rc == TRAWL_OK; i++) {
		const char *e = sel->names[i];
		char *n = trawl_norm_name(e, strlen(e));
		if (!n)
			n = plain_lower(e);
		rc = !n ? TRAWL_ENOMEM : *n ? subject_ids_add(idx, out, TRAWL_TYPE_NAME, n) : (free(n), TRAWL_OK);
	}
	for (size_t i = 0; i < sel->n_phones && rc == TRAWL_OK; i++) {
		char *n = norm_phone(sel->phones[i]);
		if (n)
			rc = subject_ids_add(idx, out, TRAWL_TYPE_PHONE, n);
		else
			rc = seterr(idx, TRAWL_EINVAL, "%s: not a phone number", sel->phones[i]);
	}
	if (rc == TRAWL_OK && out->len == 0)
		rc = seterr(idx, TRAWL_EINVAL, "nothing to search for: give --email, --name or --phone");
	if (rc == TRAWL_OK)
		rc = add_linked(idx, out);
	return rc;
}

/* --- access --- */

static void
strv_free(const char *const *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free((char *)v[i]);
	free((void *)v);
}

static void
selector_clear(trawl_selector_t *s)
{
	strv_free(s->emails, s->n_emails);
	strv_free(s->names, s->n_names);
	strv_free(s->phones, s->n_phones);
	memset(s, 0, sizeof *s);
}

static trawl_status_t
copy_strv(const char *const *src, size_t n, const char *const **dst)
{
	*dst = NULL;
	if (!n)
		return TRAWL_OK;
	char **v = calloc(n, sizeof *v);
	if (!v)
		return TRAWL_ENOMEM;
	*dst = (const char *const *)v;
	for (size_t i = 0; i < n; i++)
		if (!(v[i] = strdup(src[i] ? src[i] : "")))
			return TRAWL_ENOMEM;
	return TRAWL_OK;
}

void
trawl_access_free(trawl_access_t *a)
{
	if (!a)
		return;
	selector_clear(&a->query);
	for (size_t i = 0; i < a->n_identifiers; i++)
		free(a->identifiers[i].norm);
	free(a->identifiers);
	for (size_t i = 0; i < a->n_messages; i++)
		message_clear(&a->messages[i]);
	free(a->messages);
	for (size_t i = 0; i < a->n_sources; i++)
		source_clear(&a->sources[i]);
	free(a->sources);
	trawl_restriction_free(a->restricted);
	free(a);
}

/* Messages gathered by a query. */
typedef struct {
	trawl_index_message_t *items;
	size_t len, cap;
	const termset_t *subject;
} msglist_t;

static void
msglist_clear(msglist_t *l)
{
	for (size_t i = 0; i < l->len; i++)
		message_clear(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->len = l->cap = 0;
}

static trawl_status_t
message_cb(const void *data, size_t len, void *payload)
{
	msglist_t *l = payload;
	if (l->len == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		trawl_index_message_t *p = realloc(l->items, cap * sizeof *p);
		if (!p)
			return TRAWL_ENOMEM;
		l->items = p;
		l->cap = cap;
	}
	memset(&l->items[l->len], 0, sizeof *l->items);
	trawl_status_t rc = unpack_message(&l->items[l->len], data, len, l->subject);
	if (rc == TRAWL_OK)
		l->len++;
	return rc;
}

static int
strcmp0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int
cmp_message(const void *a, const void *b)
{
	const trawl_index_message_t *x = a, *y = b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	int c = strcmp0(x->source, y->source);
	return c ? c : strcmp0(x->location, y->location);
}

static int
cmp_source(const void *a, const void *b)
{
	const trawl_index_source_t *x = a, *y = b;
	return strcmp0(x->source, y->source);
}

/* One run of the access query; *out filled from one revision. */
static trawl_status_t
access_once(trawl_index_t *idx, const subject_ids_t *ids, trawl_access_t *a)
{
	trawl_status_t rc = TRAWL_OK;
	termset_t set = {0};
	const char **terms = NULL;
	size_t n_terms = 0;
	msglist_t list = {0};
	GHashTable *seen = NULL;

	set.terms = calloc(ids->len ? ids->len : 1, TERM_LEN);
	terms = calloc(ids->len ? ids->len : 1, sizeof *terms);
	if (!set.terms || !terms) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	/* every identifier marks findings as the subject's; the searched ones
	 * choose the messages */
	for (size_t i = 0; i < ids->len; i++) {
		memcpy(set.terms[i], ids->items[i].term, TERM_LEN);
		if (ids->items[i].id.searched)
			terms[n_terms++] = ids->items[i].term;
	}
	set.n = ids->len;
	set.idx = idx;
	qsort(set.terms, set.n, TERM_LEN, cmp_term);
	list.subject = &set;
	if ((rc = trawl_xdb__each(idx->db, terms, n_terms, message_cb, &list)) < 0)
		goto done;
	if (list.len > 1)
		qsort(list.items, list.len, sizeof *list.items, cmp_message);

	/* the sources of those messages, each with what the index knows of it */
	seen = g_hash_table_new(g_str_hash, g_str_equal);
	a->sources = calloc(list.len ? list.len : 1, sizeof *a->sources);
	if (!a->sources) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < list.len; i++) {
		const char *src = list.items[i].source;
		if (g_hash_table_contains(seen, src))
			continue;
		g_hash_table_add(seen, (char *)src);
		trawl_index_source_t *s = &a->sources[a->n_sources];
		rc = load_source_once(idx, src, s);
		if (rc == TRAWL_ENOTFOUND) {
			source_clear(s);
			s->source = strdup(src);
			s->kind = strdup("unknown");
			rc = s->source && s->kind ? TRAWL_OK : TRAWL_ENOMEM;
		}
		a->n_sources++;
		if (rc < 0)
			goto done;
	}
	if (a->n_sources > 1)
		qsort(a->sources, a->n_sources, sizeof *a->sources, cmp_source);
	a->messages = list.items;
	a->n_messages = list.len;
	list.items = NULL;
	list.len = 0;
done:
	if (rc < 0 && rc != TRAWL_EMODIFIED && rc != TRAWL_ENOMEM && rc != TRAWL_ECORRUPT)
		xerr(idx, rc);
	else if (rc == TRAWL_ECORRUPT && !idx->err.len)
		seterr(idx, rc, "a record in the index cannot be read");
	if (seen)
		g_hash_table_destroy(seen);
	msglist_clear(&list);
	free(set.terms);
	free(terms);
	return rc;
}

static trawl_status_t restriction_of(trawl_index_t *idx, const subject_ids_t *ids, trawl_restriction_t **out);

static int cmp_strp(const void *a, const void *b);

/* The names beside the request's own addresses in address headers (header
 * links, read from the records found: pair_names()) are the subject's
 * wherever they stand in those messages; they join the identifiers,
 * unsearched, since two people may share a name but not an address. */
static trawl_status_t
header_names(trawl_index_t *idx, trawl_access_t *a, subject_ids_t *ids)
{
	trawl_status_t rc = TRAWL_OK;
	size_t given = ids->len;
	GHashTable *names = g_hash_table_new(g_str_hash, g_str_equal); /* borrowed from the messages */
	for (size_t i = 0; i < a->n_messages; i++) {
		const trawl_index_message_t *m = &a->messages[i];
		for (size_t j = 0; j < m->n_findings; j++) {
			const trawl_index_finding_t *f = &m->findings[j];
			if (f->type != TRAWL_TYPE_NAME || f->pair >= m->n_findings || !*f->value)
				continue;
			const char *email = m->findings[f->pair].value;
			for (size_t k = 0; k < given; k++)
				if (ids->items[k].id.via == TRAWL_LINK_NONE && ids->items[k].id.type == TRAWL_TYPE_EMAIL &&
				    strcmp(ids->items[k].id.norm, email) == 0)
					g_hash_table_add(names, f->value);
		}
	}
	if (!g_hash_table_size(names))
		goto done;
	for (size_t i = 0; i < a->n_messages; i++) {
		trawl_index_message_t *m = &a->messages[i];
		for (size_t j = 0; j < m->n_findings; j++)
			if (m->findings[j].type == TRAWL_TYPE_NAME && g_hash_table_contains(names, m->findings[j].value))
				m->findings[j].subject = true;
	}
	/* in a stable order: sorted */
	guint n = 0;
	const char **v = (const char **)g_hash_table_get_keys_as_array(names, &n);
	qsort(v, n, sizeof *v, cmp_strp);
	for (guint i = 0; i < n && rc == TRAWL_OK; i++) {
		char term[TERM_LEN], *norm = strdup(v[i]);
		if (!norm) {
			rc = TRAWL_ENOMEM;
			break;
		}
		id_term(idx, TRAWL_TYPE_NAME, norm, term);
		rc = subject_ids_put(ids, TRAWL_TYPE_NAME, norm, term, TRAWL_LINK_HEADER, false);
	}
	g_free(v);
done:
	g_hash_table_destroy(names);
	return rc;
}

trawl_status_t
trawl_index_access(trawl_index_t *idx, const trawl_selector_t *sel, trawl_access_t **out)
{
	trawl_status_t rc;
	subject_ids_t ids = {0};
	trawl_access_t *a = NULL;
	*out = NULL;

	if ((rc = check_reader(idx)) < 0)
		goto done;
	if (!sel) {
		rc = seterr(idx, TRAWL_EINVAL, "no selector");
		goto done;
	}
	if ((rc = expand_subject(idx, sel, &ids)) < 0)
		goto done;
	for (int attempt = 0;; attempt++) {
		trawl_access_free(a);
		if (!(a = calloc(1, sizeof *a))) {
			rc = TRAWL_ENOMEM;
			goto done;
		}
		trawl_buf_reset(&idx->err);
		rc = access_once(idx, &ids, a);
		if (rc != TRAWL_EMODIFIED || attempt >= READ_RETRIES)
			break;
	}
	if (rc < 0 || (rc = header_names(idx, a, &ids)) < 0)
		goto done;
	/* counts first: copy_strv() leaves unfilled slots NULL for the free */
	a->query.n_emails = sel->n_emails;
	a->query.n_names = sel->n_names;
	a->query.n_phones = sel->n_phones;
	if ((rc = copy_strv(sel->emails, sel->n_emails, &a->query.emails)) < 0 ||
	    (rc = copy_strv(sel->names, sel->n_names, &a->query.names)) < 0 ||
	    (rc = copy_strv(sel->phones, sel->n_phones, &a->query.phones)) < 0)
		goto done;
	if (!(a->identifiers = calloc(ids.len, sizeof *a->identifiers))) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < ids.len; i++) {
		a->identifiers[i] = ids.items[i].id;
		ids.items[i].id.norm = NULL;
	}
	a->n_identifiers = ids.len;
	if ((rc = restriction_of(idx, &ids, &a->restricted)) < 0) /* index/lifecycle.c */
		goto done;
	*out = a;
	a = NULL;
done:
	if (rc == TRAWL_ENOMEM && !idx->err.len)
		seterr(idx, rc, "out of memory");
	trawl_access_free(a);
	subject_ids_clear(&ids);
	return rc;
}

/* --- stats --- */

typedef struct {
	trawl_index_source_t *items;
	size_t len, cap;
} srclist_t;

static trawl_status_t
srclist_cb(uint32_t docid, const void *data, size_t len, void *payload)
{
	(void)docid;
	srclist_t *l = payload;
	if (l->len == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		trawl_index_source_t *p = realloc(l->items, cap * sizeof *p);
		if (!p)
			return TRAWL_ENOMEM;
		l->items = p;
		l->cap = cap;
	}
	memset(&l->items[l->len], 0, sizeof *l->items);
	trawl_status_t rc = unpack_source(&l->items[l->len], data, len);
	if (rc == TRAWL_OK)
		l->len++;
	return rc;
}

void
trawl_stats_free(trawl_stats_t *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n_sources; i++)
		source_clear(&st->sources[i]);
	free(st->sources);
	free(st);
}

static trawl_status_t
stats_once(trawl_index_t *idx, trawl_stats_t *st)
{
	trawl_status_t rc;
	srclist_t list = {0};

	if ((rc = trawl_xdb__each_value(idx->db, TRAWL_XDB_SLOT_SOURCE, NULL, 0, srclist_cb, &list)) < 0)
		goto done;
	if ((rc = trawl_xdb__term_freq(idx->db, kind_term[TRAWL_ITEM_MESSAGE], &st->messages, NULL)) < 0 ||
	    (rc = trawl_xdb__term_freq(idx->db, kind_term[TRAWL_ITEM_CONTACT], &st->contacts, NULL)) < 0 ||
	    (rc = trawl_xdb__term_freq(idx->db, kind_term[TRAWL_ITEM_APPOINTMENT], &st->appointments, NULL)) < 0)
		goto done;
	/* the findings by type: each source record counts its own */
	memset(st->findings, 0, sizeof st->findings);
	for (size_t i = 0; i < list.len; i++)
		for (int t = 0; t < TRAWL_TYPE_COUNT; t++)
			st->findings[t] += list.items[i].findings[t];
	if (list.len > 1)
		qsort(list.items, list.len, sizeof *list.items, cmp_source);
	st->sources = list.items;
	st->n_sources = list.len;
	list.items = NULL;
	list.len = 0;
done:
	if (rc == TRAWL_ECORRUPT && !*trawl_xdb__last_error(idx->db))
		seterr(idx, rc, "a source record in the index cannot be read");
	else if (rc < 0 && rc != TRAWL_ENOMEM)
		xerr(idx, rc);
	for (size_t i = 0; i < list.len; i++)
		source_clear(&list.items[i]);
	free(list.items);
	return rc;
}

trawl_status_t
trawl_index_stats(trawl_index_t *idx, trawl_stats_t **out)
{
	trawl_status_t rc;
	trawl_stats_t *st = NULL;
	*out = NULL;
	if ((rc = check_reader(idx)) < 0)
		goto done;
	for (int attempt = 0;; attempt++) {
		trawl_stats_free(st);
		if (!(st = calloc(1, sizeof *st))) {
			rc = TRAWL_ENOMEM;
			goto done;
		}
		rc = stats_once(idx, st);
		if (rc != TRAWL_EMODIFIED || attempt >= READ_RETRIES)
			break;
	}
	if (rc < 0)
		goto done;
	*out = st;
	st = NULL;
done:
	if (rc == TRAWL_ENOMEM && !idx->err.len)
		seterr(idx, rc, "out of memory");
	trawl_stats_free(st);
	return rc;
}

/* --- people --- */

typedef struct {
	trawl_person_t p;
	GHashTable *names; /* set of name norms, owned */
	unsigned stamp;    /* the last message counted, so each counts once */
	unsigned sent_stamp;
} person_acc_t;

typedef struct {
	GHashTable *by_email; /* email -> person_acc_t, owned */
	unsigned stamp;
} people_acc_t;

static void
person_acc_free(void *p)
{
	person_acc_t *a = p;
	if (!a)
		return;
	free(a->p.email);
	if (a->names)
		g_hash_table_destroy(a->names);
	free(a);
}

static person_acc_t *
person_get(people_acc_t *acc, const char *email)
{
	person_acc_t *a = g_hash_table_lookup(acc->by_email, email);
	if (a)
		return a;
	if (!(a = calloc(1, sizeof *a)))
		return NULL;
	if (!(a->p.email = strdup(email))) {
		free(a);
		return NULL;
	}
	a->names = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	g_hash_table_insert(acc->by_email, a->p.email, a);
	return a;
}

static void
person_count(person_acc_t *a, unsigned stamp, bool sender)
{
	if (a->stamp != stamp) {
		a->stamp = stamp;
		a->p.messages++;
	}
	if (sender && a->sent_stamp != stamp) {
		a->sent_stamp = stamp;
		a->p.sent++;
	}
}

static trawl_status_t
person_name(person_acc_t *a, const char *name)
{
	if (!name || !*name || g_hash_table_contains(a->names, name))
		return TRAWL_OK;
	char *n = strdup(name);
	if (!n)
		return TRAWL_ENOMEM;
	g_hash_table_add(a->names, n);
	return TRAWL_OK;
}

/* The From of the message itself, not of one forwarded inside it. */
static bool
is_sender_header(const char *part)
{
	return g_ascii_strcasecmp(part, "header:From") == 0;
}

static trawl_status_t
people_cb(const void *data, size_t len, void *payload)
{
	people_acc_t *acc = payload;
	trawl_index_message_t m = {0};
	trawl_status_t rc = unpack_message(&m, data, len, NULL);
	bool from_named = false;
	if (rc < 0)
		goto done;
	acc->stamp++;
	if (acc->stamp == 0)
		acc->stamp = 1;
	for (size_t i = 0; i < m.n_findings; i++) {
		trawl_index_finding_t *f = &m.findings[i];
		if (f->type != TRAWL_TYPE_EMAIL || !is_address_header(f->part))
			continue;
		person_acc_t *a = person_get(acc, f->value);
		if (!a) {
			rc = TRAWL_ENOMEM;
			goto done;
		}
		person_count(a, acc->stamp, is_sender_header(f->part));
	}
	for (size_t i = 0; i < m.n_findings; i++) {
		trawl_index_finding_t *f = &m.findings[i];
		if (f->type != TRAWL_TYPE_NAME || f->pair >= m.n_findings)
			continue;
		const trawl_index_finding_t *e = &m.findings[f->pair];
		person_acc_t *a = person_get(acc, e->value);
		if (!a || (rc = person_name(a, f->value)) < 0) {
			rc = a ? rc : TRAWL_ENOMEM;
			goto done;
		}
		if (is_sender_header(e->part) && m.from && strcmp(e->value, m.from) == 0)
			from_named = true;
	}
	/* The sender as the message record has it, should no finding say so. */
	if (m.from && *m.from) {
		person_acc_t *a = person_get(acc, m.from);
		if (!a) {
			rc = TRAWL_ENOMEM;
			goto done;
		}
		person_count(a, acc->stamp, true);
		if (!from_named && m.from_name && *m.from_name) {
			char *n = trawl_norm_name(m.from_name, strlen(m.from_name));
			if (!n)
				n = plain_lower(m.from_name);
			rc = n ? person_name(a, n) : TRAWL_ENOMEM;
			free(n);
		}
	}
done:
	message_clear(&m);
	return rc;
}

void
trawl_people_free(trawl_people_t *people)
{
	if (!people)
		return;
	for (size_t i = 0; i < people->len; i++) {
		trawl_person_t *p = &people->items[i];
		free(p->email);
		for (size_t j = 0; j < p->n_names; j++)
			free(p->names[j]);
		free(p->names);
		for (size_t j = 0; j < p->n_linked; j++)
			free(p->linked[j].norm);
		free(p->linked);
	}
	free(people->items);
	free(people);
}

static int cmp_linked_id(const void *a, const void *b);

/* Gives each person the identifiers linked to their address (signature
 * and record links; names come from the message records). */
static trawl_status_t
people_linked(trawl_index_t *idx, trawl_people_t *people)
{
	trawl_status_t rc;
	trawl_index__linked_list_t links = {0};
	GHashTable *by_email = g_hash_table_new(g_str_hash, g_str_equal);
	if ((rc = trawl_index__linked(idx, NULL, 0, &links)) < 0)
		goto done;
	for (size_t i = 0; i < people->len; i++)
		g_hash_table_insert(by_email, people->items[i].email, &people->items[i]);
	/* links come ordered by anchor, kind, type, norm */
	for (size_t i = 0; i < links.len; i++) {
		const trawl_index__linked_t *l = &links.items[i];
		if (l->anchor_type != TRAWL_TYPE_EMAIL ||
		    (l->kind != TRAWL_LINK_SIGNATURE && l->kind != TRAWL_LINK_RECORD))
			continue;
		trawl_person_t *p = g_hash_table_lookup(by_email, l->anchor);
		if (!p)
			continue; /* an address only met in text, not in headers */
		trawl_linked_t *same = NULL;
		for (size_t j = 0; j < p->n_linked && !same; j++)
			if (p->linked[j].type == l->type && strcmp(p->linked[j].norm, l->norm) == 0)
				same = &p->linked[j];
		if (same) {
			/* seen as signature and as record: the larger count, the
			 * signature (the person's own word) first */
			if (l->messages > same->messages)
				same->messages = l->messages;
			if (l->kind < same->via)
				same->via = l->kind;
			continue;
		}
		trawl_linked_t *v = realloc(p->linked, (p->n_linked + 1) * sizeof *v);
		if (!v) {
			rc = TRAWL_ENOMEM;
			goto done;
		}
		p->linked = v;
		if (!(v[p->n_linked].norm = strdup(l->norm))) {
			rc = TRAWL_ENOMEM;
			goto done;
		}
		v[p->n_linked].type = l->type;
		v[p->n_linked].via = l->kind;
		v[p->n_linked].messages = l->messages;
		p->n_linked++;
	}
	for (size_t i = 0; i < people->len; i++)
		if (people->items[i].n_linked > 1)
			qsort(people->items[i].linked, people->items[i].n_linked, sizeof(trawl_linked_t), cmp_linked_id);
done:
	g_hash_table_destroy(by_email);
	trawl_index__linked_clear(&links);
	return rc;
}

static int
cmp_linked_id(const void *a, const void *b)
{
	const trawl_linked_t *x = a, *y = b;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return strcmp(x->norm, y->norm);
}

static int
cmp_person(const void *a, const void *b)
{
	const trawl_person_t *x = a, *y = b;
	if (x->messages != y->messages)
		return x->messages > y->messages ? -1 : 1;
	return strcmp(x->email, y->email);
}

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Moves what acc gathered into *out. */
static trawl_status_t
people_take(people_acc_t *acc, trawl_people_t *out)
{
	GHashTableIter it;
	gpointer key, val;
	size_t n = g_hash_table_size(acc->by_email);
	if (!(out->items = calloc(n ? n : 1, sizeof *out->items)))
		return TRAWL_ENOMEM;
	g_hash_table_iter_init(&it, acc->by_email);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		person_acc_t *a = val;
		trawl_person_t *p = &out->items[out->len++];
		*p = a->p;
		a->p.email = NULL;
		size_t nn = g_hash_table_size(a->names);
		if (!nn)
			continue;
		if (!(p->names = calloc(nn + 1, sizeof *p->names)))
			return TRAWL_ENOMEM;
		GHashTableIter ni;
		gpointer name;
		g_hash_table_iter_init(&ni, a->names);
		while (g_hash_table_iter_next(&ni, &name, NULL))
			p->names[p->n_names++] = name;
		/* the strings have moved: the set must not free them */
		g_hash_table_steal_all(a->names);
		qsort(p->names, p->n_names, sizeof *p->names, cmp_strp);
	}
	return TRAWL_OK;
}

trawl_status_t
trawl_index_people(trawl_index_t *idx, trawl_people_t **out)
{
	trawl_status_t rc;
	trawl_people_t *people = NULL;
	people_acc_t acc = {0};
	const char *terms[] = {kind_term[TRAWL_ITEM_MESSAGE]};
	*out = NULL;
	if ((rc = check_reader(idx)) < 0)
		goto done;
	for (int attempt = 0;; attempt++) {
		if (acc.by_email)
			g_hash_table_destroy(acc.by_email);
		acc.by_email = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, person_acc_free);
		acc.stamp = 0;
		rc = trawl_xdb__each(idx->db, terms, 1, people_cb, &acc);
		if (rc != TRAWL_EMODIFIED || attempt >= READ_RETRIES)
			break;
	}
	if (rc < 0) {
		if (rc == TRAWL_ECORRUPT && !*trawl_xdb__last_error(idx->db))
			seterr(idx, rc, "a message record in the index cannot be read");
		else if (rc != TRAWL_ENOMEM)
			xerr(idx, rc);
		goto done;
	}
	if (!(people = calloc(1, sizeof *people))) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	if ((rc = people_take(&acc, people)) < 0 || (rc = people_linked(idx, people)) < 0)
		goto done;
	if (people->len > 1)
		qsort(people->items, people->len, sizeof *people->items, cmp_person);
	*out = people;
	people = NULL;
done:
	if (rc == TRAWL_ENOMEM && !idx->err.len)
		seterr(idx, rc, "out of memory");
	if (acc.by_email)
		g_hash_table_destroy(acc.by_email);
	trawl_people_free(people);
	return rc;
}

/* ------------------------------------------------------------------ */
/* For the rest of the module (index/internal.h)                      */

_Static_assert(TRAWL_INDEX__TERM_LEN == TERM_LEN, "identifier term length");
_Static_assert(TRAWL_INDEX__DOC_TERM_LEN == DOC_TERM_LEN, "document term length");
_Static_assert(TRAWL_INDEX__REC_MESSAGE == REC_MESSAGE && TRAWL_INDEX__REC_SOURCE == REC_SOURCE, "record tags");

/* The terms of ids, sorted and distinct; only the searched ones when
 * searched_only. */
static trawl_status_t
ids_terms(const subject_ids_t *ids, bool searched_only, char (**out)[TERM_LEN], size_t *n_out)
{
	size_t n = 0;
	char(*terms)[TERM_LEN] = calloc(ids->len ? ids->len : 1, TERM_LEN);
	*out = NULL;
	*n_out = 0;
	if (!terms)
		return TRAWL_ENOMEM;
	for (size_t i = 0; i < ids->len; i++)
		if (ids->items[i].id.searched || !searched_only)
			memcpy(terms[n++], ids->items[i].term, TERM_LEN);
	qsort(terms, n, TERM_LEN, cmp_term);
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (w == 0 || strcmp(terms[w - 1], terms[i]) != 0)
			memmove(terms[w++], terms[i], TERM_LEN);
	*out = terms;
	*n_out = w;
	return TRAWL_OK;
}

/* A restriction is found by every identifier of the subject, the names
 * only recognised beside their address too: a request by name alone must
 * learn that the person is restricted. (Someone else of the same name may
 * be shown as restricted as well; that errs on the side of asking.) */
static trawl_status_t
restriction_of(trawl_index_t *idx, const subject_ids_t *ids, trawl_restriction_t **out)
{
	char(*terms)[TERM_LEN];
	size_t n;
	trawl_status_t rc = ids_terms(ids, false, &terms, &n);
	if (rc == TRAWL_OK)
		rc = trawl_index__restriction(idx, (const char(*)[TERM_LEN])terms, n, out);
	free(terms);
	return rc;
}

trawl_status_t
trawl_index__subject_terms(trawl_index_t *idx, const trawl_selector_t *sel, char (**all)[TERM_LEN], size_t *n_all,
                           char (**searched)[TERM_LEN], size_t *n_searched)
{
	subject_ids_t ids = {0};
	trawl_status_t rc;
	*all = *searched = NULL;
	*n_all = *n_searched = 0;
	if (!sel)
		rc = seterr(idx, TRAWL_EINVAL, "no selector");
	else if ((rc = expand_subject(idx, sel, &ids)) == TRAWL_OK &&
	         (rc = ids_terms(&ids, false, all, n_all)) == TRAWL_OK)
		rc = ids_terms(&ids, true, searched, n_searched);
	if (rc < 0) {
		free(*all);
		free(*searched);
		*all = *searched = NULL;
		*n_all = *n_searched = 0;
		if (rc == TRAWL_ENOMEM)
			seterr(idx, rc, "out of memory");
	}
	subject_ids_clear(&ids);
	return rc;
}

trawl_status_t
trawl_index__check(trawl_index_t *idx, bool write)
{
	return write ? check_writer(idx) : check_reader(idx);
}

trawl_xdb_t *
trawl_index__db(trawl_index_t *idx)
{
	return idx->db;
}

trawl_status_t
trawl_index__seterr(trawl_index_t *idx, trawl_status_t rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	trawl_buf_reset(&idx->err);
	char *s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	trawl_buf_puts(&idx->err, s);
	g_free(s);
	return rc;
}

trawl_status_t
trawl_index__xerr(trawl_index_t *idx, trawl_status_t rc)
{
	return xerr(idx, rc);
}

void
trawl_index__id_term(const trawl_index_t *idx, trawl_type_t type, const char *norm, char out[TERM_LEN])
{
	id_term(idx, type, norm, out);
}

trawl_status_t
trawl_index__pack_u(trawl_buf_t *b, uint64_t v)
{
	return pack_u(b, v);
}

trawl_status_t
trawl_index__pack_s(trawl_buf_t *b, const char *s)
{
	return pack_s(b, s);
}

uint64_t
trawl_index__take_u(trawl_index__cursor_t *c)
{
	return take_u((cursor_t *)c);
}

char *
trawl_index__take_s(trawl_index__cursor_t *c, bool *oom)
{
	return take_s((cursor_t *)c, oom);
}

void
trawl_index__doc_term(char out[DOC_TERM_LEN], char prefix, const void *data, size_t len)
{
	doc_term(out, prefix, data, len);
}


trawl_status_t
trawl_index__unpack_message(const trawl_index_t *idx, trawl_index_message_t *m, const void *data, size_t len,
                            const char (*terms)[TERM_LEN], size_t n)
{
	termset_t set = {(char(*)[TERM_LEN])terms, terms ? n : 0, idx};
	return unpack_message(m, data, len, &set);
}

void
trawl_index__message_clear(trawl_index_message_t *m)
{
	message_clear(m);
}

/* The record is read field by field and written back as it was, less what
 * is dropped; the terms are rebuilt from it as trawl_index_add_message()
 * makes them (each finding keeps its own identifier term). */
trawl_status_t
trawl_index__rewrite_message(trawl_index_t *idx, uint32_t docid, const void *data, size_t len, const bool *drop,
                             bool clear_sender, bool clear_subject, const void *links, size_t links_len,
                             const trawl_index__aterm_t *aterms, size_t n_aterms, bool *deleted)
{
	trawl_status_t rc = TRAWL_OK;
	cursor_t c = {data, (const unsigned char *)data + len, false};
	bool oom = false;
	trawl_buf_t b = {0};
	trawl_index_message_t m = {0};
	char sterm[DOC_TERM_LEN];
	char **idterms = NULL;
	trawl_xdb_term_t *terms = NULL;
	size_t nt = 0, kept = 0;
	uint64_t n = 0;
	srcrec_t *r;

	*deleted = false;
	if ((rc = check_writer(idx)) < 0)
		goto done;
	if (!take_header(&c, REC_MESSAGE)) {
		rc = seterr(idx, TRAWL_ECORRUPT, "a message record in the index cannot be read");
		goto done;
	}
	m.kind = (trawl_item_kind_t)take_u(&c);
	m.source = take_s(&c, &oom);
	m.location = take_s(&c, &oom);
	m.message_id = take_s(&c, &oom);
	m.date = take_s(&c, &oom);
	m.time = take_i(&c);
	m.from = take_s(&c, &oom);
	m.from_name = take_s(&c, &oom);
	m.subject = take_s(&c, &oom);
	m.content_hash = take_s(&c, &oom);
	m.size = take_u(&c);
	n = take_u(&c);
	if (c.bad || oom || !m.source || !m.location || n > (uint64_t)(c.end - c.p)) {
		rc = oom ? TRAWL_ENOMEM : seterr(idx, TRAWL_ECORRUPT, "a message record in the index cannot be read");
		goto done;
	}
	for (uint64_t i = 0; i < n; i++)
		kept += !drop[i];
	/* the findings that go come off their source's counts */
	if ((rc = get_srcrec(idx, m.source, "unknown", &r)) < 0)
		goto done;
	cursor_t types = c;
	for (uint64_t i = 0; i < n && !types.bad && !oom; i++) {
		uint64_t type = take_u(&types);
		take_u(&types);
		free(take_s(&types, &oom));
		free(take_s(&types, &oom));
		take_u(&types), take_u(&types), take_u(&types);
		free(take_s(&types, &oom));
		if (drop[i] && type < TRAWL_TYPE_COUNT && r->s.findings[type])
			r->s.findings[type]--;
	}
	if (types.bad || oom) {
		rc = oom ? TRAWL_ENOMEM : seterr(idx, TRAWL_ECORRUPT, "a message record in the index cannot be read");
		goto done;
	}
	r->dirty = true;
	if (kept == 0) {
		/* nothing of anyone left: the record goes */
		if ((rc = trawl_xdb__delete_id(idx->db, docid)) < 0) {
			rc = xerr(idx, rc);
			goto done;
		}
		uint64_t *count = m.kind == TRAWL_ITEM_CONTACT       ? &r->s.contacts
		                  : m.kind == TRAWL_ITEM_APPOINTMENT ? &r->s.appointments
		                                                     : &r->s.messages;
		if (*count)
			(*count)--;
		r->dirty = true;
		*deleted = true;
		goto done;
	}
	idterms = calloc(kept, sizeof *idterms);
	terms = calloc(kept + n_aterms + 2, sizeof *terms);
	if (!idterms || !terms) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	unsigned kind = (unsigned)m.kind <= TRAWL_ITEM_APPOINTMENT ? (unsigned)m.kind : 0;
	if ((rc = trawl_buf_putc(&b, REC_MESSAGE)) < 0 || (rc = trawl_buf_putc(&b, REC_VERSION)) < 0 ||
	    (rc = pack_u(&b, kind)) < 0 || (rc = pack_s(&b, m.source)) < 0 || (rc = pack_s(&b, m.location)) < 0 ||
	    (rc = pack_s(&b, m.message_id)) < 0 || (rc = pack_s(&b, m.date)) < 0 || (rc = pack_i(&b, m.time)) < 0 ||
	    (rc = pack_s(&b, clear_sender ? NULL : m.from)) < 0 ||
	    (rc = pack_s(&b, clear_sender ? NULL : m.from_name)) < 0 ||
	    (rc = pack_s(&b, clear_subject ? NULL : m.subject)) < 0 || (rc = pack_s(&b, m.content_hash)) < 0 ||
	    (rc = pack_u(&b, m.size)) < 0 || (rc = pack_u(&b, kept)) < 0)
		goto done;
	for (uint64_t i = 0, k = 0; i < n; i++) {
		uint64_t type = take_u(&c), where = take_u(&c);
		char *part = take_s(&c, &oom), *value = take_s(&c, &oom);
		uint64_t start = take_u(&c), end = take_u(&c), conf = take_u(&c);
		char *term = take_s(&c, &oom);
		bool kept_term = term != NULL; /* else made from the value */
		if (!term && !c.bad && !oom && !drop[i] && !(term = malloc(TERM_LEN)))
			oom = true;
		else if (!kept_term && term)
			id_term(idx, type < TRAWL_TYPE_COUNT ? (trawl_type_t)type : TRAWL_TYPE_CUSTOM, value ? value : "",
			        term);
		if (c.bad || oom) {
			free(part), free(value), free(term);
			rc = oom ? TRAWL_ENOMEM : seterr(idx, TRAWL_ECORRUPT, "a message record in the index cannot be read");
			goto done;
		}
		if (drop[i]) {
			free(part), free(value), free(term);
			continue;
		}
		if (type >= TRAWL_TYPE_COUNT)
			type = TRAWL_TYPE_CUSTOM;
		if ((rc = pack_u(&b, type)) == TRAWL_OK && (rc = pack_u(&b, where)) == TRAWL_OK &&
		    (rc = pack_s(&b, part)) == TRAWL_OK && (rc = pack_s(&b, value)) == TRAWL_OK &&
		    (rc = pack_u(&b, start)) == TRAWL_OK && (rc = pack_u(&b, end)) == TRAWL_OK &&
		    (rc = pack_u(&b, conf)) == TRAWL_OK)
			rc = pack_s(&b, kept_term ? term : NULL);
		free(part), free(value);
		idterms[k] = term;
		if (rc < 0)
			goto done;
		if (term)
			terms[nt++] = (trawl_xdb_term_t){idterms[k], 0};
		k++;
	}
	source_term(sterm, 'S', m.source);
	for (size_t i = 0; i < n_aterms; i++)
		terms[nt++] = (trawl_xdb_term_t){aterms[i], 0};
	terms[nt++] = (trawl_xdb_term_t){sterm, 0};
	terms[nt++] = (trawl_xdb_term_t){kind_term[kind], 0};
	trawl_xdb_doc_t doc = {.data = b.data, .data_len = b.len, .links = links, .links_len = links_len,
	                       .terms = terms, .n_terms = nt};
	if ((rc = trawl_xdb__replace_id(idx->db, docid, &doc)) < 0)
		rc = xerr(idx, rc);
done:
	if (rc == TRAWL_ENOMEM && !idx->err.len)
		seterr(idx, rc, "out of memory");
	for (size_t i = 0; idterms && i < kept; i++)
		free(idterms[i]);
	free(idterms);
	free(terms);
	trawl_buf_free(&b);
	message_clear(&m);
	return rc;
}

trawl_status_t
trawl_index__drop_source(trawl_index_t *idx, const char *source)
{
	trawl_status_t rc;
	char sterm[DOC_TERM_LEN], rterm[DOC_TERM_LEN];
	if ((rc = check_writer(idx)) < 0)
		return rc;
	source_term(sterm, 'S', source);
	source_term(rterm, 'R', source);
	if ((rc = trawl_xdb__delete(idx->db, sterm)) < 0 || (rc = trawl_xdb__delete(idx->db, rterm)) < 0)
		return xerr(idx, rc);
	g_hash_table_remove(idx->sources, source);
	return TRAWL_OK;
}
