/* Outlook .msg files (MS-OXMSG): one message saved from Outlook, or
 * attached to a message ("FW: ..." as an attachment), an OLE compound file
 * (MS-CFB).
 *
 * The compound file is read here, not with libolecf (Debian's
 * libolecf-dev, tried first): a truncated file makes it leak a sector and
 * an error and report success (libolecf_io_handle_read_ssat()'s clean-up
 * frees its buffer only when it is NULL), a directory with entries no
 * storage reaches leaks them, and, linked beside libpff, its calls into
 * its private copies of libcdata and libcerror bind to libpff's copies
 * (LD_DEBUG=bindings shows 911 of them), two versions of structures no
 * header promises to keep alike. Reading a compound file from memory is
 * small: a header, a sector allocation table, a directory of 128-byte
 * entries, a mini stream for the streams under 4096 bytes. Every chain is
 * followed at most as many steps as the file has sectors, every sector
 * checked against the end of the blob, the directory tree walked with a
 * visited mark, so no loop or cycle in a damaged file runs away.
 *
 * A .msg holds the same MAPI properties a TNEF stream does, one stream or
 * one fixed-size entry each: "__substg1.0_IIIITTTT" streams (property id,
 * type) for strings and binaries, "__properties_version1.0" for the fixed
 * ones, a storage per recipient ("__recip_version1.0_#N") and per
 * attachment ("__attach_version1.0_#N"), an attached message as the
 * attachment's "__substg1.0_3701000D" storage. So the message is written
 * out as the TNEF stream Outlook would send for it (the message's
 * properties, its recipient table, each attachment's properties with its
 * data; an attached message as IID_IMessage and a TNEF stream of its own,
 * as Outlook writes PR_ATTACH_DATA_OBJ) and read by tnef.c: one reading of
 * MAPI for both, the same part names ("body", "rtf", "header:From",
 * "!/<file name>"), the same limits. Named properties (ids from 0x8000)
 * go over under their ids, without the names of __nameid_version1.0:
 * tnef.c reads their strings as "props" whatever they are called.
 * Multi-valued properties (streams of lengths and "-0000000N" parts) are
 * not read.
 *
 * Errors: a file whose header, allocation table or directory cannot be
 * read is a TRAWL_EFORMAT skip; a stream that cannot be read or is over
 * max_part_bytes is a skip and the rest goes on; attached messages nest
 * at most MAX_NEST deep.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "scanner/scanner.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NEST 16          /* messages attached to messages attached to ... */

enum { ENDOFCHAIN = 0xFFFFFFFEu, NOSTREAM = 0xFFFFFFFFu };
enum { ENTRY_STORAGE = 1, ENTRY_STREAM = 2, ENTRY_ROOT = 5 };

static const uint8_t ole_magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
static const uint8_t iid_imessage[16] = {0x07, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
                                         0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};

/* ---- the compound file (MS-CFB) ----------------------------------------- */

/* An allocation table (the FAT, the mini FAT), grown by doubling. */
typedef struct {
	uint32_t *v;
	size_t n, cap;
} table_t;

typedef struct {
	char name[96];   /* UTF-8; what is not ASCII is '?' (no name we look for has any) */
	uint8_t type;
	uint32_t left, right, child, start;
	uint64_t size;
} entry_t;

typedef struct {
	const uint8_t *d;
	size_t n;
	size_t ssz;           /* sector size: 512 or 4096 */
	uint32_t nsec;        /* sectors the blob holds (a last partial one counts) */
	uint32_t cutoff;      /* streams under it live in the mini stream */
	table_t fat, minifat;
	uint8_t *mini;        /* the mini stream (the root entry's stream) */
	size_t nmini;
	entry_t *ents;
	size_t nents, cap_ents;
	/* each storage's children, in directory order: kids[first[i] ..
	 * first[i] + count[i]) for entry i; every entry is some storage's
	 * child once at most, however the tree of a damaged file is linked */
	uint32_t *kids, *first, *count;
} cfb_t;

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t
le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* Sector s, and how many of its bytes the blob has (0: none). */
static const uint8_t *
sector(const cfb_t *f, uint32_t s, size_t *len)
{
	size_t off = ((size_t)s + 1) * f->ssz;
	if (s >= f->nsec || off >= f->n) {
		*len = 0;
		return NULL;
	}
	*len = f->n - off < f->ssz ? f->n - off : f->ssz;
	return f->d + off;
}

/* Appends the uint32 entries of sector s to t. */
static bool
append_table(const cfb_t *f, uint32_t s, table_t *t)
{
	size_t len;
	const uint8_t *p = sector(f, s, &len);
	if (!p || len < f->ssz)
		return false;
	if (t->n + f->ssz / 4 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		while (cap < t->n + f->ssz / 4)
			cap *= 2;
		uint32_t *grown = realloc(t->v, cap * sizeof *grown);
		if (!grown)
			return false;
		t->v = grown, t->cap = cap;
	}
	for (size_t i = 0; i < f->ssz / 4; i++)
		t->v[t->n++] = le32(p + 4 * i);
	return true;
}

/* Follows a chain of the allocation table from start, calling fn for each
 * sector; at most as many steps as there are sectors (a loop ends there).
 * false when the chain leaves the table or the blob. */
typedef bool (*sector_fn)(const uint8_t *p, size_t len, void *payload);

static bool
chain(const cfb_t *f, uint32_t start, sector_fn fn, void *payload)
{
	uint32_t s = start;
	for (uint32_t steps = 0; s != ENDOFCHAIN; steps++) {
		if (steps >= f->nsec || s >= f->fat.n)
			return false;
		size_t len;
		const uint8_t *p = sector(f, s, &len);
		if (!p || !fn(p, len, payload))
			return false;
		s = f->fat.v[s];
	}
	return true;
}

typedef struct {
	trawl_buf_t *out;
	size_t want; /* bytes still wanted */
} collect_t;

static bool
collect(const uint8_t *p, size_t len, void *payload)
{
	collect_t *c = payload;
	size_t k = len < c->want ? len : c->want;
	if (trawl_buf_put(c->out, p, k) < 0)
		return false;
	c->want -= k;
	return c->want > 0;
}

static bool
dir_sector(const uint8_t *p, size_t len, void *payload)
{
	cfb_t *f = payload;
	for (size_t o = 0; o + 128 <= len; o += 128) {
		if (f->nents == f->cap_ents) {
			size_t cap = f->cap_ents ? f->cap_ents * 2 : 64;
			entry_t *grown = realloc(f->ents, cap * sizeof *grown);
			if (!grown)
				return false;
			f->ents = grown, f->cap_ents = cap;
		}
		entry_t *e = &f->ents[f->nents++];
		memset(e, 0, sizeof *e);
		size_t nlen = le16(p + o + 64), k = 0;
		for (size_t i = 0; i + 1 < nlen && i + 1 < 64 && k + 1 < sizeof e->name; i += 2) {
			uint16_t u = le16(p + o + i);
			if (!u)
				break;
			e->name[k++] = u < 0x80 ? (char)u : '?';
		}
		e->type = p[o + 66];
		e->left = le32(p + o + 68);
		e->right = le32(p + o + 72);
		e->child = le32(p + o + 76);
		e->start = le32(p + o + 116);
		e->size = (uint64_t)le32(p + o + 120) | (f->ssz == 512 ? 0 : (uint64_t)le32(p + o + 124) << 32);
	}
	return true;
}

static void
cfb_close(cfb_t *f)
{
	free(f->fat.v);
	free(f->minifat.v);
	free(f->mini);
	free(f->ents);
	free(f->kids);
	free(f->first);
	free(f->count);
	memset(f, 0, sizeof *f);
}

/* Lists every storage's children (cfb_t.kids), from the root down: the
 * red-black tree of a storage's children walked in order, each entry taken
 * once (a damaged file may link one from two places, or in a cycle), so
 * the whole walk is linear in the entries. */
static bool
cfb_tree(cfb_t *f)
{
	bool ok = false;
	size_t n = f->nents, nk = 0, head = 0, tail = 0;
	uint8_t *seen = calloc(n, 1);
	uint32_t *stack = malloc(n * sizeof *stack), *queue = malloc(n * sizeof *queue);
	f->kids = malloc(n * sizeof *f->kids);
	f->first = calloc(n, sizeof *f->first);
	f->count = calloc(n, sizeof *f->count);
	if (!seen || !stack || !queue || !f->kids || !f->first || !f->count)
		goto done;
	seen[0] = 1;
	queue[tail++] = 0;
	while (head < tail) {
		uint32_t s = queue[head++];
		size_t depth = 0;
		uint32_t cur = f->ents[s].child;
		f->first[s] = (uint32_t)nk;
		for (;;) {
			while (cur < n && !seen[cur]) {
				seen[cur] = 1;
				stack[depth++] = cur;
				cur = f->ents[cur].left;
			}
			if (!depth)
				break;
			cur = stack[--depth];
			f->kids[nk++] = cur;
			if (f->ents[cur].type == ENTRY_STORAGE)
				queue[tail++] = cur;
			cur = f->ents[cur].right;
		}
		f->count[s] = (uint32_t)(nk - f->first[s]);
	}
	ok = true;
done:
	free(seen);
	free(stack);
	free(queue);
	return ok;
}

/* Reads the header, the allocation tables, the directory and the mini
 * stream. false, with why set, when the file cannot be read. */
static bool
cfb_open(cfb_t *f, const uint8_t *d, size_t n, const char **why)
{
	memset(f, 0, sizeof *f);
	f->d = d, f->n = n;
	if (n < 512 || memcmp(d, ole_magic, 8) != 0) {
		*why = "no compound file header";
		return false;
	}
	unsigned shift = le16(d + 30);
	if ((shift != 9 && shift != 12) || le16(d + 32) != 6) {
		*why = "unknown sector size";
		return false;
	}
	f->ssz = (size_t)1 << shift;
	f->nsec = (uint32_t)((n - 1) / f->ssz); /* the header fills sector -1 */
	f->cutoff = le32(d + 56);
	uint32_t nfatsec = le32(d + 44), dir_start = le32(d + 48), minifat_start = le32(d + 60);
	uint32_t difat = le32(d + 68);
	/* the FAT's sectors: 109 in the header, the rest in the DIFAT chain */
	uint32_t max_fat = (uint32_t)(((uint64_t)f->nsec * 4 + f->ssz - 1) / f->ssz) + 1;
	if (nfatsec > max_fat)
		nfatsec = max_fat; /* more than the blob can need: the rest are not there */
	uint32_t got = 0;
	for (uint32_t i = 0; i < 109 && got < nfatsec; i++, got++)
		if (!append_table(f, le32(d + 76 + 4 * i), &f->fat))
			goto bad_fat;
	for (uint32_t steps = 0; got < nfatsec && difat != ENDOFCHAIN && steps < f->nsec; steps++) {
		size_t len;
		const uint8_t *p = sector(f, difat, &len);
		if (!p || len < f->ssz)
			goto bad_fat;
		for (size_t i = 0; i + 1 < f->ssz / 4 && got < nfatsec; i++, got++)
			if (!append_table(f, le32(p + 4 * i), &f->fat))
				goto bad_fat;
		difat = le32(p + f->ssz - 4);
	}
	if (!chain(f, dir_start, dir_sector, f) || f->nents == 0 ||
	    f->ents[0].type != ENTRY_ROOT) {
		*why = "unreadable directory";
		return false;
	}
	if (!cfb_tree(f)) {
		*why = "out of memory";
		return false;
	}
	/* the mini FAT and the mini stream; a file with no small stream has neither */
	uint32_t steps = 0;
	for (uint32_t s = minifat_start; s != ENDOFCHAIN && s < f->fat.n && steps < f->nsec; s = f->fat.v[s], steps++)
		if (!append_table(f, s, &f->minifat))
			break;
	const entry_t *root = &f->ents[0];
	if (root->size && root->start != ENDOFCHAIN) {
		trawl_buf_t b = {0};
		collect_t c = {&b, root->size < n ? (size_t)root->size : n};
		chain(f, root->start, collect, &c);
		f->nmini = b.len;
		f->mini = (uint8_t *)trawl_buf_detach(&b);
	}
	return true;
bad_fat:
	*why = "unreadable sector allocation table";
	return false;
}

/* The bytes of a stream entry into out (reset first), up to max: false
 * when its chain is broken (out holds what could be read). */
static bool
cfb_read(const cfb_t *f, const entry_t *e, size_t max, trawl_buf_t *out)
{
	trawl_buf_reset(out);
	size_t want = e->size < max ? (size_t)e->size : max;
	if (!want)
		return true;
	if (e->size >= f->cutoff) {
		collect_t c = {out, want};
		chain(f, e->start, collect, &c);
		return c.want == 0;
	}
	/* the mini stream, in 64-byte sectors chained by the mini FAT */
	uint32_t s = e->start;
	for (uint32_t steps = 0; want && s != ENDOFCHAIN; steps++) {
		size_t off = (size_t)s * 64;
		if (steps > f->minifat.n || s >= f->minifat.n || off >= f->nmini)
			return false;
		size_t k = f->nmini - off < 64 ? f->nmini - off : 64;
		if (k > want)
			k = want;
		if (trawl_buf_put(out, f->mini + off, k) < 0)
			return false;
		want -= k;
		s = f->minifat.v[s];
	}
	return want == 0;
}

/* ---- the message, written out as TNEF ----------------------------------- */

typedef struct {
	trawl_worker_t *w;
	cfb_t f;
	const char *skip_at; /* where skips are reported */
	const char *label;   /* the .msg in skip reasons: "" or "attachment 2: " */
	trawl_buf_t stream;  /* the stream being read */
} ox_t;

/* A property list being written (its count goes in front at the end). */
typedef struct {
	trawl_buf_t props;
	uint32_t n_props;
} plist_t;

static void
put_le(trawl_buf_t *b, uint32_t v, int n)
{
	for (int i = 0; i < n; i++)
		trawl_buf_putc(b, (char)(v >> (8 * i)));
}

/* A property's tag and, for a named one, the name TNEF wants: a GUID (none
 * known here) and the id as its number. */
static void
put_tag(plist_t *l, uint16_t type, uint16_t id)
{
	put_le(&l->props, type, 2);
	put_le(&l->props, id, 2);
	if (id >= 0x8000) {
		static const char no_guid[16] = {0};
		trawl_buf_put(&l->props, no_guid, 16);
		put_le(&l->props, 0, 4);
		put_le(&l->props, id, 4);
	}
	l->n_props++;
}

static void
put_variable(plist_t *l, uint16_t type, uint16_t id, const void *prefix, size_t prefix_len, const void *data,
             size_t len)
{
	static const char pad[4] = {0};
	size_t n = prefix_len + len;
	put_tag(l, type, id);
	put_le(&l->props, 1, 4);
	put_le(&l->props, (uint32_t)n, 4);
	trawl_buf_put(&l->props, prefix, prefix_len);
	trawl_buf_put(&l->props, data, len);
	trawl_buf_put(&l->props, pad, -n & 3);
}

/* "__substg1.0_IIIITTTT": the id and type, or false. */
static bool
substg_name(const char *name, uint16_t *id, uint16_t *type)
{
	if (strncmp(name, "__substg1.0_", 12) != 0 || strlen(name) != 20 || strspn(name + 12, "0123456789abcdefABCDEF") != 8)
		return false;
	unsigned long v = strtoul(name + 12, NULL, 16);
	*id = (uint16_t)(v >> 16);
	*type = (uint16_t)v;
	return true;
}

/* The fixed-size properties of "__properties_version1.0": a header (32
 * bytes for the message, 24 for an attached message, 8 for a recipient or
 * an attachment), then 16 bytes each: tag, flags, value. */
static void
fixed_props(plist_t *l, const uint8_t *d, size_t n, size_t header)
{
	for (size_t o = header; o + 16 <= n; o += 16) {
		uint32_t tag = le32(d + o);
		uint16_t type = (uint16_t)tag, id = (uint16_t)(tag >> 16);
		size_t size;
		switch (type) {
		case 0x0002: case 0x0003: case 0x0004: case 0x000A: case 0x000B:
			size = 4; /* I2, LONG, R4, ERROR, BOOLEAN: padded to 4 */
			break;
		case 0x0005: case 0x0006: case 0x0007: case 0x0014: case 0x0040:
			size = 8; /* DOUBLE, CURRENCY, APPTIME, I8, SYSTIME */
			break;
		default:
			continue; /* variable-length: their streams say it */
		}
		put_tag(l, type, id);
		trawl_buf_put(&l->props, d + o + 8, size);
	}
}

/* Reads a stream whole into x->stream: false (reported) when its chain is
 * broken or it is over the limit. */
static bool
read_stream(ox_t *x, const entry_t *e)
{
	if (e->size > x->w->limits.max_part_bytes) {
		trawl_scan__skip(x->w, x->skip_at, TRAWL_ELIMIT, "%sOutlook .msg stream %s larger than %llu bytes",
		                 x->label, e->name, (unsigned long long)x->w->limits.max_part_bytes);
		return false;
	}
	if (!cfb_read(&x->f, e, (size_t)e->size, &x->stream)) {
		trawl_scan__skip(x->w, x->skip_at, TRAWL_EFORMAT, "%sOutlook .msg stream %s unreadable: %s", x->label,
		                 e->name, "its sectors run past the file or loop");
		return false;
	}
	return true;
}

/* The children of storage id (owned by x->f); *n: how many. */
static const uint32_t *
children(const ox_t *x, uint32_t id, size_t *n)
{
	*n = x->f.count[id];
	return x->f.kids + x->f.first[id];
}

/* Does the storage hold a message (its properties stream)? */
static bool
is_message(ox_t *x, uint32_t id)
{
	size_t n;
	const uint32_t *ids = children(x, id, &n);
	bool yes = false;
	for (size_t i = 0; i < n && !yes; i++)
		yes = strcmp(x->f.ents[ids[i]].name, "__properties_version1.0") == 0;
	return yes;
}

static trawl_status_t message_tnef(ox_t *x, uint32_t id, trawl_buf_t *out, size_t header, unsigned nest);

/* Reads the properties of one storage into l. For an attachment, an
 * attached message ("__substg1.0_3701000D", a storage) goes in as the
 * object TNEF gives it. header: of its "__properties_version1.0". */
static trawl_status_t
storage_props(ox_t *x, uint32_t id, plist_t *l, size_t header, unsigned nest)
{
	trawl_status_t rc = TRAWL_OK;
	size_t n;
	const uint32_t *ids = children(x, id, &n);
	for (size_t i = 0; i < n && rc == TRAWL_OK && !trawl_scan__stopped(x->w->opts); i++) {
		const entry_t *e = &x->f.ents[ids[i]];
		uint16_t pid, ptype;
		if (e->type == ENTRY_STREAM && strcmp(e->name, "__properties_version1.0") == 0) {
			if (read_stream(x, e))
				fixed_props(l, (const uint8_t *)x->stream.data, x->stream.len, header);
		} else if (e->type == ENTRY_STREAM && substg_name(e->name, &pid, &ptype) &&
		           (ptype == 0x001F || ptype == 0x001E || ptype == 0x0102)) {
			if (read_stream(x, e))
				put_variable(l, ptype, pid, NULL, 0, x->stream.data, x->stream.len);
		} else if (e->type == ENTRY_STORAGE && strcmp(e->name, "__substg1.0_3701000D") == 0 &&
		           is_message(x, ids[i])) {
			/* an attached message (an OLE object's storage is not one) */
			if (nest + 1 > MAX_NEST) {
				trawl_scan__skip(x->w, x->skip_at, TRAWL_ELIMIT,
				                 "%sOutlook .msg: attached messages nested deeper than %d", x->label, MAX_NEST);
			} else {
				trawl_buf_t inner = {0};
				rc = message_tnef(x, ids[i], &inner, 24, nest + 1);
				if (rc == TRAWL_OK && inner.len)
					put_variable(l, 0x000D, 0x3701, iid_imessage, sizeof iid_imessage, inner.data, inner.len);
				trawl_buf_free(&inner);
			}
		}
	}
	return rc;
}

/* One TNEF attribute: level, id, length, data, checksum. */
static void
attribute(trawl_buf_t *out, uint8_t level, uint32_t id, const void *data, size_t len)
{
	uint16_t sum = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint16_t)(sum + ((const uint8_t *)data)[i]);
	trawl_buf_putc(out, (char)level);
	put_le(out, id, 4);
	put_le(out, (uint32_t)len, 4);
	trawl_buf_put(out, data, len);
	put_le(out, sum, 2);
}

/* A property list with its count in front. */
static void
plist_attribute(trawl_buf_t *out, uint8_t level, uint32_t id, const plist_t *l)
{
	trawl_buf_t b = {0};
	put_le(&b, l->n_props, 4);
	trawl_buf_put(&b, l->props.data ? l->props.data : "", l->props.len);
	attribute(out, level, id, b.data, b.len);
	trawl_buf_free(&b);
}

/* Writes the message in storage id as a TNEF stream into out. header: of
 * the message's "__properties_version1.0" (32 at the top, 24 attached). */
static trawl_status_t
message_tnef(ox_t *x, uint32_t id, trawl_buf_t *out, size_t header, unsigned nest)
{
	static const uint8_t rend[14] = {1, 0, 0xff, 0xff, 0xff, 0xff};
	trawl_status_t rc = TRAWL_OK;
	plist_t msg = {0};
	trawl_buf_t rows = {0}, atts = {0};
	uint32_t n_rows = 0;
	uint64_t n_atts = 0;
	size_t n = 0;
	const uint32_t *ids = children(x, id, &n);

	put_le(out, 0x223E9F78, 4);
	put_le(out, 0, 2);
	if ((rc = storage_props(x, id, &msg, header, nest)) != TRAWL_OK)
		goto done;
	for (size_t i = 0; i < n && rc == TRAWL_OK && !trawl_scan__stopped(x->w->opts); i++) {
		const entry_t *e = &x->f.ents[ids[i]];
		if (e->type != ENTRY_STORAGE)
			continue;
		plist_t l = {0};
		if (strncmp(e->name, "__recip_version1.0_#", 20) == 0) {
			rc = storage_props(x, ids[i], &l, 8, nest);
			put_le(&rows, l.n_props, 4);
			trawl_buf_put(&rows, l.props.data ? l.props.data : "", l.props.len);
			n_rows++;
		} else if (strncmp(e->name, "__attach_version1.0_#", 21) == 0) {
			if (++n_atts > x->w->limits.max_members) {
				trawl_scan__skip(x->w, x->skip_at, TRAWL_ELIMIT,
				                 "%sOutlook .msg: more than %llu attachments: the rest not read", x->label,
				                 (unsigned long long)x->w->limits.max_members);
				break;
			}
			rc = storage_props(x, ids[i], &l, 8, nest);
			attribute(&atts, 2, 0x00069002, rend, sizeof rend);
			plist_attribute(&atts, 2, 0x00069005, &l);
		}
		trawl_buf_free(&l.props);
	}
	plist_attribute(out, 1, 0x00069003, &msg);
	if (n_rows) {
		trawl_buf_t table = {0};
		put_le(&table, n_rows, 4);
		trawl_buf_put(&table, rows.data, rows.len);
		attribute(out, 1, 0x00069004, table.data, table.len);
		trawl_buf_free(&table);
	}
	trawl_buf_put(out, atts.data ? atts.data : "", atts.len);
done:
	trawl_buf_free(&msg.props);
	trawl_buf_free(&rows);
	trawl_buf_free(&atts);
	return rc;
}

/* Reads the .msg and writes it out as TNEF into out. false (reported)
 * when it cannot be read. */
static bool
to_tnef(ox_t *x, const void *data, size_t len, trawl_buf_t *out)
{
	const char *why = NULL;
	bool ok = false;
	if (!cfb_open(&x->f, data, len, &why)) {
		trawl_scan__skip(x->w, x->skip_at, TRAWL_EFORMAT, "%snot a readable Outlook .msg: %s", x->label, why);
		goto done;
	}
	ok = message_tnef(x, 0, out, 32, 0) == TRAWL_OK;
done:
	cfb_close(&x->f);
	trawl_buf_free(&x->stream);
	return ok;
}

trawl_status_t
trawl_scan__oxmsg(trawl_worker_t *w, const void *data, size_t len, const char *location, unsigned depth)
{
	trawl_status_t rc = TRAWL_OK;
	trawl_buf_t tnef = {0};
	trawl_msg_t *c = NULL;
	ox_t x = {.w = w, .skip_at = location, .label = ""};

	if (len > w->limits.max_message_bytes) {
		trawl_scan__skip(w, location, TRAWL_ELIMIT, "Outlook .msg larger than %llu bytes",
		                 (unsigned long long)w->limits.max_message_bytes);
		goto done;
	}
	if (!to_tnef(&x, data, len, &tnef))
		goto done;
	if ((rc = trawl_scan__msg_begin(&c, w, TRAWL_ITEM_MESSAGE, location, depth)) < 0)
		goto done;
	trawl_scan__tnef_into(w, c, tnef.data, tnef.len, "", true, 0, "Outlook .msg");
	if (trawl_scan__stopped(w->opts)) {
		trawl_scan__msg_abort(c);
		rc = TRAWL_EINTR;
		goto done;
	}
	rc = trawl_scan__msg_end(c, data, len); /* the hash of the .msg, not of its TNEF */
done:
	trawl_buf_free(&tnef);
	return rc;
}

void
trawl_scan__oxmsg_attached(trawl_worker_t *w, trawl_msg_t *c, const void *data, size_t len, const char *part,
                           unsigned depth)
{
	trawl_buf_t tnef = {0}, label = {0};
	trawl_buf_printf(&label, "attachment %s: ", part);
	ox_t x = {.w = w, .skip_at = trawl_scan__msg_record(c)->location, .label = trawl_buf_cstr(&label)};
	if (to_tnef(&x, data, len, &tnef))
		trawl_scan__tnef_into(w, c, tnef.data, tnef.len, part, false, depth, "Outlook .msg");
	trawl_buf_free(&tnef);
	trawl_buf_free(&label);
}

bool
trawl_scan__is_oxmsg(const void *data, size_t len)
{
	/* "__substg1.0_" in UTF-16LE, as a directory entry names it */
	static const char substg[] = "_\0_\0s\0u\0b\0s\0t\0g\0" "1\0.\0" "0\0_\0";
	return len >= 512 && memcmp(data, ole_magic, sizeof ole_magic) == 0 &&
	       memmem(data, len, substg, sizeof substg - 1) != NULL;
}
