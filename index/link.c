/* Subject linking: which identifiers in a message belong to whom, and
 * keeping that in the index.
 *
 * The rules (trawl_index__links()) read one message record: the findings,
 * each with its type, MIME part, offsets and norm, and the sender. They see
 * no text, only where the findings stand, so every rule rests on order and
 * distance within one part, and on the sender's name as the headers give it:
 *
 *   header     In an address header, a display name followed by its address
 *              ("Erika M. <erika@...>"): address -> name.
 *   signature  In a body or attachment part of mail from address E (the
 *              message's own From, or the From of a forwarded message for
 *              its parts), the last place where the sender's name stands
 *              starts the signature; the phone numbers, postal addresses,
 *              accounts and custom identifiers after it, each within
 *              TRAWL_LINK_SIG_GAP bytes of the one before and all within
 *              TRAWL_LINK_SIG_SPAN of the name, are E's. The signature ends
 *              at another person's name, or at an address that does not bear
 *              the sender's name (a second address of theirs does:
 *              "mona.grun36@..." for Mona Grün). The last occurrence, not
 *              the first: earlier in the text the sender writes about others
 *              ("the new address of Mona ...").
 *   record     A full name, an address right after it, then more fields
 *              right after that, each within TRAWL_LINK_NEAR_GAP bytes (a
 *              separator and a short label): a contact record, as in a
 *              signature block, a CSV row or a vCard. address -> phone,
 *              postal address, account, custom.
 *   near       The same chain after a full name (two words or more), address
 *              or not: name -> identifier (no addresses: a name must never
 *              lead to another person's mail). Prose says "the card of Anna
 *              Schmidt: ..." as often as "... belongs to Anna Schmidt", so
 *              one such sentence proves little; the link counts for a
 *              request only when TRAWL_LINK_NEAR_MIN messages show it.
 *
 * Every chain stops where the next finding stands closer to the following
 * name than to the chain ("... IBAN DE.. (holder: Sofia K.)"): it is more
 * likely the next person's. Names are never a link's target except in
 * headers, and never lead to addresses, so two people of the same name
 * stay two subjects.
 *
 * The store: the links of a message ride on its own record.
 *   A<anchor term>                  on the record, one per anchor: found by it
 *   value slot TRAWL_XDB_SLOT_LINKS the links (below)
 * The identifiers' own terms are the record's anyway: forgetting a subject
 * finds the links by the record that holds them or by their anchor (A).
 * Header links are not stored: the message record pairs names with
 * addresses when it is read (index.c, pair_names()). Until index format 4
 * the links were a document of their own (V, S, Klink and A terms), which
 * doubled the documents a scan stores: a third of the writer thread's time.
 * The value: 'L', a version byte (2), then in the record codec of
 * index/internal.h the Message-ID (links are counted by distinct
 * Message-IDs, so copies of one message in two archives are one witness),
 * the number of links, and per link the anchor's type and norm, the kind,
 * and the target's type, norm and term. Card numbers and IBANs are kept
 * masked, as in message records, with their terms (the keyed hashes of the
 * full numbers); any other term is made again from the norm on reading.
 * Forgetting a subject takes the links that touch them out of the value
 * (trawl_index__forget_links()): everyone else's stay.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "index/link.h"

#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "trawl/report.h"
#include "util/util.h"

#define TERM_LEN TRAWL_INDEX__TERM_LEN
#define DOC_TERM_LEN TRAWL_INDEX__DOC_TERM_LEN
#define REC_LINK 'L'
/* Version 2: the index's record codec (index/internal.h): Message-ID, the
 * number of links, then per link anchor type, anchor norm, kind, target
 * type, target norm (masked for cards and IBANs), target term (NULL but for
 * cards and IBANs: made again from the norm). Version 1 was a GVariant. */
#define REC_LINK_VERSION 2
#define READ_RETRIES 4

const char *
trawl_link_kind_name(trawl_link_kind_t kind)
{
	switch (kind) {
	case TRAWL_LINK_HEADER: return "header";
	case TRAWL_LINK_SIGNATURE: return "signature";
	case TRAWL_LINK_RECORD: return "record";
	case TRAWL_LINK_NEAR: return "near";
	default: return NULL;
	}
}

/* ------------------------------------------------------------------ */
/* The rules                                                          */

static const char *
fnorm(const trawl_finding_t *f)
{
	return f->norm && *f->norm ? f->norm : f->value ? f->value : "";
}

/* "header:To", "2:header:From": a header, of the message or of one inside. */
static bool
is_header_part(const char *part)
{
	return part && (strncmp(part, "header:", 7) == 0 || strstr(part, ":header:"));
}

/* The prefix of a From header's part ("" or "2"), or NULL for another part. */
static char *
from_scope(const char *part)
{
	static const char from[] = "header:From";
	size_t n = part ? strlen(part) : 0, k = sizeof from - 1;
	if (n < k || g_ascii_strcasecmp(part + n - k, from) != 0)
		return NULL;
	if (n == k)
		return g_strdup("");
	if (part[n - k - 1] != ':')
		return NULL;
	return g_strndup(part, n - k - 1);
}

/* A part within a scope: the scope itself or any part under it. */
static bool
in_scope(const char *part, const char *prefix)
{
	size_t n = strlen(prefix);
	if (n == 0)
		return true;
	return strncmp(part, prefix, n) == 0 && (part[n] == '\0' || part[n] == '.' || part[n] == '!');
}

static bool
linkable(trawl_type_t t, bool devices)
{
	switch (t) {
	case TRAWL_TYPE_PHONE:
	case TRAWL_TYPE_ADDRESS:
	case TRAWL_TYPE_IBAN:
	case TRAWL_TYPE_CARD:
	case TRAWL_TYPE_CUSTOM: return true;
	case TRAWL_TYPE_IP:
	case TRAWL_TYPE_MAC: return devices;
	default: return false;
	}
}

static bool
full_name(const char *norm)
{
	const char *sp = strchr(norm, ' ');
	return sp && sp != norm && sp[1];
}

/* One finding, in order. */
typedef struct {
	const trawl_finding_t *f;
	size_t i;
} slot_t;

static int
cmp_slot(const void *a, const void *b)
{
	const slot_t *x = a, *y = b;
	int c = strcmp(x->f->part ? x->f->part : "", y->f->part ? y->f->part : "");
	if (c)
		return c;
	if (x->f->start != y->f->start)
		return x->f->start < y->f->start ? -1 : 1;
	bool xe = x->f->type == TRAWL_TYPE_EMAIL, ye = y->f->type == TRAWL_TYPE_EMAIL;
	if (xe != ye)
		return xe ? 1 : -1; /* a name before the address at the same place */
	if (x->f->end != y->f->end)
		return x->f->end < y->f->end ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* The sender of one scope: the message, or a message forwarded inside it. */
typedef struct {
	char *prefix;
	char *email;      /* norm, or NULL */
	GPtrArray *names; /* norms of the sender's name */
} scope_t;

static void
scope_free(void *p)
{
	scope_t *s = p;
	g_free(s->prefix);
	g_free(s->email);
	g_ptr_array_unref(s->names);
	g_free(s);
}

static bool
strv_has(GPtrArray *v, const char *s)
{
	for (guint i = 0; v && i < v->len; i++)
		if (strcmp(g_ptr_array_index(v, i), s) == 0)
			return true;
	return false;
}

static scope_t *
scope_get(GPtrArray *scopes, const char *prefix)
{
	for (guint i = 0; i < scopes->len; i++) {
		scope_t *s = g_ptr_array_index(scopes, i);
		if (strcmp(s->prefix, prefix) == 0)
			return s;
	}
	scope_t *s = g_new0(scope_t, 1);
	s->prefix = g_strdup(prefix);
	s->names = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(scopes, s);
	return s;
}

static void
scope_add_name(scope_t *s, const char *norm)
{
	if (norm && *norm && !strv_has(s->names, norm))
		g_ptr_array_add(s->names, g_strdup(norm));
}

/* The longest scope that part is in, or NULL. */
static const scope_t *
scope_of(GPtrArray *scopes, const char *part)
{
	const scope_t *best = NULL;
	for (guint i = 0; i < scopes->len; i++) {
		const scope_t *s = g_ptr_array_index(scopes, i);
		if (in_scope(part, s->prefix) && (!best || strlen(s->prefix) > strlen(best->prefix)))
			best = s;
	}
	return best;
}

/* Lower-case ASCII forms of a word: "grün" -> "grun" and "gruen". */
static void
fold_word(const char *w, char *out[2])
{
	static const char *const de[][2] = {{"ä", "ae"}, {"ö", "oe"}, {"ü", "ue"}, {"Ä", "ae"},
	                                    {"Ö", "oe"}, {"Ü", "ue"}, {"ß", "ss"}};
	char *plain = g_str_to_ascii(w, "C");
	out[0] = g_ascii_strdown(plain, -1);
	g_free(plain);
	char *s = g_strdup(w);
	for (size_t i = 0; i < sizeof de / sizeof *de; i++) {
		char **parts = g_strsplit(s, de[i][0], -1);
		g_free(s);
		s = g_strjoinv(de[i][1], parts);
		g_strfreev(parts);
	}
	plain = g_str_to_ascii(s, "C");
	out[1] = g_ascii_strdown(plain, -1);
	g_free(plain);
	g_free(s);
}

/* Does the address bear one of the names: a word of three letters or more
 * of a name in its local part ("mona.grun36@", "mgruen@", "m.gruen@")? */
static bool
address_bears_name(const char *email, GPtrArray *names)
{
	const char *at = strrchr(email, '@');
	char *local = g_ascii_strdown(email, at ? at - email : -1);
	bool yes = false;
	for (guint i = 0; i < names->len && !yes; i++) {
		char **words = g_strsplit_set(g_ptr_array_index(names, i), " -'", -1);
		for (char **w = words; *w && !yes; w++) {
			char *forms[2];
			fold_word(*w, forms);
			for (int k = 0; k < 2 && !yes; k++)
				yes = strlen(forms[k]) >= 3 && strstr(local, forms[k]);
			g_free(forms[0]);
			g_free(forms[1]);
		}
		g_strfreev(words);
	}
	g_free(local);
	return yes;
}

void
trawl_index__links_clear(trawl_links_t *l)
{
	for (size_t i = 0; i < l->len; i++)
		free(l->items[i].anchor);
	free(l->items);
	memset(l, 0, sizeof *l);
}

typedef struct {
	const trawl_message_t *msg;
	trawl_links_t *out;
	GHashTable *seen; /* "kind type anchor -> target type norm" */
} linker_t;

static trawl_status_t
add_link(linker_t *lk, trawl_link_kind_t kind, trawl_type_t anchor_type, const char *anchor, size_t target)
{
	const trawl_finding_t *t = &lk->msg->findings.items[target];
	/* kind, anchor type, target type (each a byte past the control
	 * characters), anchor, 0x1f, target norm: built by hand, as
	 * g_strdup_printf() cost more than the rest of the link */
	const char *norm = fnorm(t);
	size_t an = strlen(anchor), nn = strlen(norm);
	char *key = g_malloc(3 + an + 1 + nn + 1);
	key[0] = (char)('0' + kind);
	key[1] = (char)('0' + anchor_type);
	key[2] = (char)('0' + t->type);
	memcpy(key + 3, anchor, an);
	key[3 + an] = '\x1f';
	memcpy(key + 4 + an, norm, nn + 1);
	if (g_hash_table_contains(lk->seen, key)) {
		g_free(key);
		return TRAWL_OK;
	}
	g_hash_table_add(lk->seen, key);
	trawl_links_t *l = lk->out;
	if (l->len == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		trawl_link_t *p = realloc(l->items, cap * sizeof *p);
		if (!p)
			return TRAWL_ENOMEM;
		l->items = p;
		l->cap = cap;
	}
	char *a = strdup(anchor);
	if (!a)
		return TRAWL_ENOMEM;
	l->items[l->len++] = (trawl_link_t){kind, anchor_type, a, target};
	return TRAWL_OK;
}

/* Would the finding at k rather go with the next name than with the chain
 * before it? True when some name that is not the chain's own (owners)
 * begins after it closer than it stands to the chain. */
static bool
closer_to_next_name(const slot_t *run, size_t n, size_t k, size_t prev_end, GPtrArray *owners,
                    const char *owner)
{
	const trawl_finding_t *g = run[k].f;
	size_t before = g->start > prev_end ? g->start - prev_end : 0;
	for (size_t j = k + 1; j < n; j++) {
		const trawl_finding_t *h = run[j].f;
		if (h->type != TRAWL_TYPE_NAME || h->start < g->end)
			continue;
		const char *hn = fnorm(h);
		if ((owners && strv_has(owners, hn)) || (owner && strcmp(owner, hn) == 0))
			continue;
		return h->start - g->end < before;
	}
	return false;
}

/* The signature of the sender of scope s in one part (run of n findings). */
static trawl_status_t
signature(linker_t *lk, const scope_t *s, const slot_t *run, size_t n)
{
	size_t last = SIZE_MAX;
	if (!s->email || !s->names->len)
		return TRAWL_OK;
	for (size_t k = 0; k < n; k++)
		if (run[k].f->type == TRAWL_TYPE_NAME && strv_has(s->names, fnorm(run[k].f)))
			last = k;
	if (last == SIZE_MAX)
		return TRAWL_OK;
	const trawl_finding_t *name = run[last].f;
	size_t prev_end = name->end;
	for (size_t k = last + 1; k < n; k++) {
		const trawl_finding_t *g = run[k].f;
		if (g->start > prev_end + TRAWL_LINK_SIG_GAP || g->start > name->end + TRAWL_LINK_SIG_SPAN)
			break;
		if (g->type == TRAWL_TYPE_NAME) {
			if (!strv_has(s->names, fnorm(g)))
				break; /* someone else's block: a quote, a forwarded header */
		} else if (closer_to_next_name(run, n, k, prev_end, s->names, NULL)) {
			break;
		} else if (g->type == TRAWL_TYPE_EMAIL) {
			if (strcmp(fnorm(g), s->email) != 0) {
				if (!address_bears_name(fnorm(g), s->names))
					break; /* "x@y wrote:", a colleague, a shared mailbox */
				trawl_status_t rc = add_link(lk, TRAWL_LINK_SIGNATURE, TRAWL_TYPE_EMAIL, s->email, run[k].i);
				if (rc < 0)
					return rc;
			}
		} else if (linkable(g->type, false)) {
			trawl_status_t rc = add_link(lk, TRAWL_LINK_SIGNATURE, TRAWL_TYPE_EMAIL, s->email, run[k].i);
			if (rc < 0)
				return rc;
		}
		if (g->end > prev_end)
			prev_end = g->end;
	}
	return TRAWL_OK;
}

/* Records and what stands right after a full name, in one part. */
static trawl_status_t
records(linker_t *lk, const slot_t *run, size_t n)
{
	trawl_status_t rc = TRAWL_OK;
	for (size_t i = 0; i < n && rc == TRAWL_OK; i++) {
		const trawl_finding_t *f = run[i].f;
		const char *name = fnorm(f);
		if (f->type != TRAWL_TYPE_NAME || !full_name(name))
			continue;
		size_t prev_end = f->end;
		const char *email = NULL;
		for (size_t k = i + 1; k < n && rc == TRAWL_OK; k++) {
			const trawl_finding_t *g = run[k].f;
			if (g->start > prev_end + TRAWL_LINK_NEAR_GAP || g->type == TRAWL_TYPE_NAME)
				break;
			if (closer_to_next_name(run, n, k, prev_end, NULL, name))
				break;
			if (k == i + 1 && g->type == TRAWL_TYPE_EMAIL) {
				email = fnorm(g);
			} else if (linkable(g->type, true)) {
				rc = add_link(lk, TRAWL_LINK_NEAR, TRAWL_TYPE_NAME, name, run[k].i);
				if (rc == TRAWL_OK && email && linkable(g->type, false))
					rc = add_link(lk, TRAWL_LINK_RECORD, TRAWL_TYPE_EMAIL, email, run[k].i);
			}
			if (g->end > prev_end)
				prev_end = g->end;
		}
	}
	return rc;
}

/* Header pairs in one address header: each name right before an address. */
static trawl_status_t
header_pairs(linker_t *lk, const slot_t *run, size_t n)
{
	for (size_t k = 0; k + 1 < n; k++) {
		const trawl_finding_t *a = run[k].f, *b = run[k + 1].f;
		if (a->type != TRAWL_TYPE_NAME || b->type != TRAWL_TYPE_EMAIL || b->start < a->end)
			continue;
		trawl_status_t rc = add_link(lk, TRAWL_LINK_HEADER, TRAWL_TYPE_EMAIL, fnorm(b), run[k].i);
		if (rc < 0)
			return rc;
	}
	return TRAWL_OK;
}

trawl_status_t
trawl_index__links(trawl_links_t *out, const trawl_message_t *msg, bool headers)
{
	trawl_status_t rc = TRAWL_OK;
	size_t n = msg->findings.len;
	slot_t *v = NULL;
	GPtrArray *scopes = g_ptr_array_new_with_free_func(scope_free);
	linker_t lk = {msg, out, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};

	if (n == 0)
		goto done;
	if (!(v = malloc(n * sizeof *v))) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = (slot_t){&msg->findings.items[i], i};
	qsort(v, n, sizeof *v, cmp_slot);

	/* the senders: each From header, the message's own first */
	if (msg->from && *msg->from) {
		scope_t *s = scope_get(scopes, "");
		s->email = trawl_norm_email(msg->from, strlen(msg->from));
		if (!s->email)
			s->email = g_ascii_strdown(msg->from, -1);
		if (msg->from_name && *msg->from_name) {
			char *nn = trawl_norm_name(msg->from_name, strlen(msg->from_name));
			scope_add_name(s, nn);
			free(nn);
		}
	}
	for (size_t k = 0; k < n; k++) {
		char *prefix = from_scope(v[k].f->part);
		if (!prefix)
			continue;
		scope_t *s = scope_get(scopes, prefix);
		g_free(prefix);
		if (v[k].f->type == TRAWL_TYPE_NAME)
			scope_add_name(s, fnorm(v[k].f));
		else if (v[k].f->type == TRAWL_TYPE_EMAIL && !s->email)
			s->email = g_strdup(fnorm(v[k].f));
	}

	for (size_t a = 0, b; a < n && rc == TRAWL_OK; a = b) {
		const char *part = v[a].f->part ? v[a].f->part : "";
		for (b = a + 1; b < n && strcmp(v[b].f->part ? v[b].f->part : "", part) == 0; b++)
			;
		if (is_header_part(part)) {
			if (headers)
				rc = header_pairs(&lk, v + a, b - a);
			continue;
		}
		const scope_t *s = scope_of(scopes, part);
		if (s)
			rc = signature(&lk, s, v + a, b - a);
		if (rc == TRAWL_OK)
			rc = records(&lk, v + a, b - a);
	}
done:
	free(v);
	g_ptr_array_unref(scopes);
	g_hash_table_destroy(lk.seen);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The store                                                          */

static bool
is_link_data(const void *data, size_t len)
{
	return len >= 1 && ((const unsigned char *)data)[0] == REC_LINK;
}

static bool
is_account(trawl_type_t t)
{
	return t == TRAWL_TYPE_CARD || t == TRAWL_TYPE_IBAN;
}

/* What a link document shows of a target: its norm, masked for accounts
 * (the same form as the message record keeps). */
static char *
shown(const trawl_finding_t *f)
{
	const char *src = fnorm(f);
	if (!is_account(f->type))
		return g_strdup(src);
	char *an = g_malloc(strlen(src) + 1), *w = an;
	for (const char *p = src; *p; p++)
		if (g_ascii_isalnum(*p))
			*w++ = g_ascii_toupper(*p);
	*w = '\0';
	char *m = trawl_mask(f->type, an);
	explicit_bzero(an, strlen(an));
	g_free(an);
	char *r = g_strdup(m ? m : "");
	free(m);
	return r;
}


/* One link in the link document's codec (see the top of this file). */
static trawl_status_t
pack_link(trawl_buf_t *b, trawl_type_t atype, const char *anchor, trawl_link_kind_t kind, trawl_type_t type,
          const char *norm, const char *stored_term)
{
	trawl_status_t rc;
	if ((rc = trawl_index__pack_u(b, (uint64_t)atype)) == TRAWL_OK && (rc = trawl_index__pack_s(b, anchor)) == TRAWL_OK &&
	    (rc = trawl_index__pack_u(b, (uint64_t)kind)) == TRAWL_OK && (rc = trawl_index__pack_u(b, (uint64_t)type)) == TRAWL_OK &&
	    (rc = trawl_index__pack_s(b, norm)) == TRAWL_OK)
		rc = trawl_index__pack_s(b, stored_term);
	return rc;
}

/* A link document's data into *out: its head (tag, version, Message-ID,
 * the number of links) and the n links packed in links. */
static trawl_status_t
link_doc_data(trawl_buf_t *out, const char *mid, size_t n, const trawl_buf_t *links)
{
	trawl_status_t rc;
	if ((rc = trawl_buf_putc(out, REC_LINK)) == TRAWL_OK && (rc = trawl_buf_putc(out, REC_LINK_VERSION)) == TRAWL_OK &&
	    (rc = trawl_index__pack_s(out, mid ? mid : "")) == TRAWL_OK && (rc = trawl_index__pack_u(out, n)) == TRAWL_OK)
		rc = trawl_buf_put(out, links->data, links->len);
	return rc;
}

static int
cmp_aterm(const void *a, const void *b)
{
	return strcmp(a, b);
}

trawl_status_t
trawl_index__prepare_links(const trawl_index_t *idx, const trawl_message_t *msg,
                           const char (*idterms)[TERM_LEN], trawl_buf_t *data, trawl_index__aterm_t **aterms,
                           size_t *n_aterms)
{
	trawl_status_t rc;
	trawl_links_t links = {0};
	trawl_buf_t lb = {0};
	trawl_index__aterm_t *at = NULL;
	size_t stored = 0;

	*aterms = NULL;
	*n_aterms = 0;
	/* header links are not stored: the record pairs names with addresses
	 * when it is read */
	if ((rc = trawl_index__links(&links, msg, false)) < 0 || !links.len)
		goto done;
	if (!(at = malloc(links.len * sizeof *at))) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < links.len && rc == TRAWL_OK; i++) {
		const trawl_link_t *l = &links.items[i];
		const trawl_finding_t *f = &msg->findings.items[l->target];
		trawl_type_t type = (unsigned)f->type < TRAWL_TYPE_COUNT ? f->type : TRAWL_TYPE_CUSTOM;
		char *shown_norm = shown(f);
		/* the target's term only when its norm is masked: any other is made
		 * again from the norm on reading */
		rc = pack_link(&lb, l->anchor_type, l->anchor, l->kind, type, shown_norm,
		               is_account(type) ? idterms[l->target] : NULL);
		g_free(shown_norm);
		/* the anchor is found by its A term; the record holds the
		 * identifiers' own terms */
		at[stored][0] = 'A';
		trawl_index__id_term(idx, l->anchor_type, l->anchor, at[stored] + 1);
		stored++;
	}
	if (rc < 0 || !stored)
		goto done;
	if ((rc = link_doc_data(data, msg->message_id, stored, &lb)) < 0)
		goto done;
	/* one A term per anchor */
	qsort(at, stored, sizeof *at, cmp_aterm);
	size_t w = 0;
	for (size_t i = 0; i < stored; i++)
		if (w == 0 || strcmp(at[i], at[w - 1]) != 0)
			memmove(at[w++], at[i], sizeof *at);
	*aterms = at;
	*n_aterms = w;
	at = NULL;
done:
	free(at);
	trawl_buf_free(&lb);
	trawl_index__links_clear(&links);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Reading links back                                                 */

/* One (kind, anchor, target) while gathering, with the Message-IDs seen. */
typedef struct {
	trawl_index__linked_t l;
	GHashTable *ids; /* Message-IDs, owned */
} acc_t;

static void
acc_free(void *p)
{
	acc_t *a = p;
	g_free(a->l.anchor);
	g_free(a->l.norm);
	g_hash_table_destroy(a->ids);
	g_free(a);
}

typedef struct {
	trawl_index_t *idx;
	GHashTable *by_key; /* "kind anchor-term target-term" -> acc_t */
	GHashTable *aterms; /* "type norm" of an anchor -> its term: one HMAC each */
	const char (*anchors)[TERM_LEN];
	size_t n;
} gather_t;

static bool
wanted_anchor(const gather_t *g, const char *term)
{
	if (!g->anchors)
		return true;
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->anchors[i], term) == 0)
			return true;
	return false;
}

/* One link as a link document holds it. */
typedef struct {
	const char *mid;       /* the message's Message-ID */
	trawl_type_t atype;
	const char *anchor;    /* the anchor's norm */
	trawl_link_kind_t kind;
	trawl_type_t type;
	const char *norm;      /* the target's norm, masked for cards and IBANs */
	const char *stored;    /* the target's term as stored (cards, IBANs), or NULL */
	const char *term;      /* the target's term, stored or made again */
} stored_link_t;

typedef trawl_status_t (*link_fn)(const stored_link_t *l, void *payload);

/* Calls fn for each link of a link document's data (every string valid
 * during the call only). TRAWL_ECORRUPT for data that is not a link
 * document of this version. */
static trawl_status_t
each_link(const trawl_index_t *idx, const void *data, size_t len, link_fn fn, void *payload)
{
	const unsigned char *p = data;
	if (!is_link_data(data, len) || len < 2 || p[1] != REC_LINK_VERSION)
		return TRAWL_ECORRUPT; /* version 1 too: trawl scan --full makes them again */
	trawl_index__cursor_t c = {p + 2, p + len, false};
	trawl_status_t rc = TRAWL_OK;
	bool oom = false;
	char *mid = trawl_index__take_s(&c, &oom), *anchor = NULL, *norm = NULL, *term = NULL;
	uint64_t n = trawl_index__take_u(&c);
	if (c.bad || !mid || n > len) {
		rc = oom ? TRAWL_ENOMEM : TRAWL_ECORRUPT;
		goto done;
	}
	for (uint64_t i = 0; i < n && rc == TRAWL_OK; i++) {
		free(anchor), free(norm), free(term);
		uint64_t atype = trawl_index__take_u(&c);
		anchor = trawl_index__take_s(&c, &oom);
		uint64_t kind = trawl_index__take_u(&c), type = trawl_index__take_u(&c);
		norm = trawl_index__take_s(&c, &oom);
		term = trawl_index__take_s(&c, &oom);
		if (oom) {
			rc = TRAWL_ENOMEM;
			break;
		}
		if (c.bad || !anchor || !norm || (term ? strlen(term) != TERM_LEN - 1 : is_account((trawl_type_t)type)) ||
		    atype >= TRAWL_TYPE_COUNT || type >= TRAWL_TYPE_COUNT || kind > TRAWL_LINK_NEAR ||
		    kind == TRAWL_LINK_NONE) {
			rc = TRAWL_ECORRUPT;
			break;
		}
		char made[TERM_LEN];
		if (!term)
			trawl_index__id_term(idx, (trawl_type_t)type, norm, made);
		stored_link_t l = {mid, (trawl_type_t)atype, anchor, (trawl_link_kind_t)kind, (trawl_type_t)type,
		                   norm, term, term ? term : made};
		rc = fn(&l, payload);
	}
done:
	free(mid), free(anchor), free(norm), free(term);
	return rc;
}

static trawl_status_t
gather_link(const stored_link_t *l, void *payload)
{
	gather_t *g = payload;
	char *akey = g_strdup_printf("%u %s", (unsigned)l->atype, l->anchor);
	const char *aterm = g_hash_table_lookup(g->aterms, akey);
	if (!aterm) {
		char *t = g_malloc(TERM_LEN);
		trawl_index__id_term(g->idx, l->atype, l->anchor, t);
		g_hash_table_insert(g->aterms, akey, t);
		aterm = t;
	} else {
		g_free(akey);
	}
	if (!wanted_anchor(g, aterm))
		return TRAWL_OK;
	char *key = g_strdup_printf("%u %s %s", (unsigned)l->kind, aterm, l->term);
	acc_t *a = g_hash_table_lookup(g->by_key, key);
	if (!a) {
		a = g_new0(acc_t, 1);
		a->l.kind = l->kind;
		a->l.anchor_type = l->atype;
		a->l.anchor = g_strdup(l->anchor);
		memcpy(a->l.anchor_term, aterm, TERM_LEN);
		a->l.type = l->type;
		a->l.norm = g_strdup(l->norm);
		memcpy(a->l.term, l->term, TERM_LEN);
		a->ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		g_hash_table_insert(g->by_key, key, a);
	} else {
		g_free(key);
	}
	if (!g_hash_table_contains(a->ids, l->mid))
		g_hash_table_add(a->ids, g_strdup(l->mid));
	return TRAWL_OK;
}

static trawl_status_t
gather_cb(uint32_t docid, const void *data, size_t len, void *payload)
{
	(void)docid;
	gather_t *g = payload;
	return each_link(g->idx, data, len, gather_link, g);
}

/* ---- forgetting a subject ---- */

typedef struct {
	const trawl_index_t *idx;
	const char (*subject)[TERM_LEN]; /* sorted */
	size_t n_subject;
	trawl_buf_t kept;      /* the links kept, encoded */
	size_t n_kept, n_dropped;
	GHashTable *a_kept, *a_dropped; /* A terms of the anchors of the links kept / dropped */
	char *mid; /* the document's Message-ID, malloc'd */
} forget_t;

static int
cmp_term(const void *a, const void *b)
{
	return strcmp(a, b);
}

static trawl_status_t
forget_link(const stored_link_t *l, void *payload)
{
	forget_t *f = payload;
	char aterm[1 + TERM_LEN];
	aterm[0] = 'A';
	trawl_index__id_term(f->idx, l->atype, l->anchor, aterm + 1);
	if (!f->mid && !(f->mid = g_strdup(l->mid)))
		return TRAWL_ENOMEM;
	bool theirs = (f->n_subject && bsearch(aterm + 1, f->subject, f->n_subject, TERM_LEN, cmp_term)) ||
	              (f->n_subject && bsearch(l->term, f->subject, f->n_subject, TERM_LEN, cmp_term));
	if (theirs) {
		g_hash_table_add(f->a_dropped, g_strdup(aterm));
		f->n_dropped++;
		return TRAWL_OK;
	}
	g_hash_table_add(f->a_kept, g_strdup(aterm));
	f->n_kept++;
	return pack_link(&f->kept, l->atype, l->anchor, l->kind, l->type, l->norm, l->stored);
}

/* The keys of set (A terms) into a malloc'd array, *n of them. */
static trawl_index__aterm_t *
aterms_of(GHashTable *set, GHashTable *except, size_t *n)
{
	trawl_index__aterm_t *v = malloc((g_hash_table_size(set) + 1) * sizeof *v);
	GHashTableIter it;
	gpointer key;
	*n = 0;
	if (!v)
		return NULL;
	g_hash_table_iter_init(&it, set);
	while (g_hash_table_iter_next(&it, &key, NULL))
		if (!except || !g_hash_table_contains(except, key))
			g_strlcpy(v[(*n)++], key, sizeof *v);
	qsort(v, *n, sizeof *v, cmp_aterm);
	return v;
}

trawl_status_t
trawl_index__forget_links(trawl_index_t *idx, const void *data, size_t len,
                          const char (*subject)[TERM_LEN], size_t n_subject, trawl_index__links_left_t *out)
{
	forget_t f = {idx, subject, n_subject, {0}, 0, 0, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
	              g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL), NULL};
	trawl_status_t rc = each_link(idx, data, len, forget_link, &f);
	memset(out, 0, sizeof *out);
	if (rc < 0)
		goto done;
	out->n_kept = f.n_kept;
	out->n_dropped = f.n_dropped;
	if (f.n_kept && (rc = link_doc_data(&out->links, f.mid, f.n_kept, &f.kept)) < 0)
		goto done;
	/* the A terms of anchors that no link kept stands on go */
	if (!(out->keep = aterms_of(f.a_kept, NULL, &out->n_keep)) ||
	    !(out->remove = aterms_of(f.a_dropped, f.a_kept, &out->n_remove)))
		rc = TRAWL_ENOMEM;
done:
	if (rc == TRAWL_ENOMEM)
		trawl_index__seterr(idx, rc, "out of memory");
	else if (rc == TRAWL_ECORRUPT)
		trawl_index__seterr(idx, rc, "a link record in the index cannot be read");
	if (rc < 0)
		trawl_index__links_left_clear(out);
	g_free(f.mid);
	trawl_buf_free(&f.kept);
	g_hash_table_destroy(f.a_kept);
	g_hash_table_destroy(f.a_dropped);
	return rc;
}

void
trawl_index__links_left_clear(trawl_index__links_left_t *left)
{
	trawl_buf_free(&left->links);
	free(left->keep);
	free(left->remove);
	memset(left, 0, sizeof *left);
}

void
trawl_index__linked_clear(trawl_index__linked_list_t *l)
{
	for (size_t i = 0; i < l->len; i++) {
		g_free(l->items[i].anchor);
		g_free(l->items[i].norm);
	}
	g_free(l->items);
	memset(l, 0, sizeof *l);
}

static int
cmp_linked(const void *a, const void *b)
{
	const trawl_index__linked_t *x = a, *y = b;
	int c = strcmp(x->anchor, y->anchor);
	if (c)
		return c;
	if (x->anchor_type != y->anchor_type)
		return x->anchor_type < y->anchor_type ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	c = strcmp(x->norm, y->norm);
	return c ? c : strcmp(x->term, y->term);
}

trawl_status_t
trawl_index__linked(trawl_index_t *idx, const char (*anchors)[TERM_LEN], size_t n, trawl_index__linked_list_t *out)
{
	trawl_status_t rc = TRAWL_OK;
	gather_t g = {idx, NULL, NULL, anchors, n};
	const char **terms = NULL;
	char (*aterms)[1 + TERM_LEN] = NULL;
	size_t nt = 0;
	memset(out, 0, sizeof *out);
	if (anchors && n == 0)
		return TRAWL_OK;
	g.aterms = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (anchors) {
		aterms = g_malloc0(n * sizeof *aterms);
		terms = g_new0(const char *, n);
		for (size_t i = 0; i < n; i++) {
			aterms[i][0] = 'A';
			memcpy(aterms[i] + 1, anchors[i], TERM_LEN);
			terms[i] = aterms[i];
		}
		nt = n;
	}
	/* without anchors: every record that links anything */
	for (int attempt = 0;; attempt++) {
		if (g.by_key)
			g_hash_table_destroy(g.by_key);
		g.by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, acc_free);
		rc = trawl_xdb__each_value(trawl_index__db(idx), TRAWL_XDB_SLOT_LINKS, terms, nt, gather_cb, &g);
		if (rc != TRAWL_EMODIFIED || attempt >= READ_RETRIES)
			break;
	}
	if (rc < 0) {
		if (rc == TRAWL_ECORRUPT)
			trawl_index__seterr(idx, rc, "a link record in the index cannot be read");
		else if (rc == TRAWL_ENOMEM)
			trawl_index__seterr(idx, rc, "out of memory");
		else
			trawl_index__xerr(idx, rc);
		goto done;
	}
	out->items = g_new0(trawl_index__linked_t, g_hash_table_size(g.by_key) + 1);
	GHashTableIter it;
	gpointer key, val;
	g_hash_table_iter_init(&it, g.by_key);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		acc_t *a = val;
		trawl_index__linked_t *l = &out->items[out->len++];
		*l = a->l;
		l->messages = g_hash_table_size(a->ids);
		a->l.anchor = a->l.norm = NULL; /* moved */
	}
	if (out->len > 1)
		qsort(out->items, out->len, sizeof *out->items, cmp_linked);
done:
	if (g.by_key)
		g_hash_table_destroy(g.by_key);
	g_hash_table_destroy(g.aterms);
	g_free(aterms);
	g_free(terms);
	return rc;
}
