/* The subject's lifecycle in the index: restriction of processing,
 * retention, forgetting a subject after an erasure, and dropping sources
 * that are gone.
 *
 * Restriction records (one document each):
 *   Z<sha256 of the sorted identifier terms>  unique
 *   Krestriction
 *   Y<identifier term>                        one per identifier, while in force
 * Their data is 'Z', a version byte and a GVariant "(xsmsxmsas)": time,
 * since, reason, lifted time, lifted, identifier terms. Only keyed terms are
 * kept, never an identifier: a restriction says nothing to someone without
 * the index's secret, and nothing at all once the subject is forgotten.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "trawl/index.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <glib.h>
#include "index/internal.h"
#include "index/link.h"
#include "index/xdb.h"
#include "util/util.h"

#define TERM_LEN TRAWL_INDEX__TERM_LEN
#define DOC_TERM_LEN TRAWL_INDEX__DOC_TERM_LEN
#define REC_RESTRICTION 'Z'
#define REC_RESTRICTION_VERSION 1
#define RESTRICTION_KIND "Krestriction"
#define RESTRICTION_TYPE "(xsmsxmsas)"
#define READ_RETRIES 4

typedef char term_t[TERM_LEN];

static int
cmp_term(const void *a, const void *b)
{
	return strcmp(a, b);
}

static bool
has_term(const term_t *terms, size_t n, const char *t)
{
	return n && strlen(t) == TERM_LEN - 1 && bsearch(t, terms, n, TERM_LEN, cmp_term);
}

static void
iso_time(char out[32], int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The keyed terms of every identifier of the subject (links and names
 * recognised beside their address included), sorted and distinct: a
 * restriction is made on all of them, so that a later request by any one
 * finds it. Caller frees. */
static trawl_status_t
subject_terms(trawl_index_t *idx, const trawl_selector_t *sel, term_t **out, size_t *n_out)
{
	term_t *searched = NULL;
	size_t n_searched = 0;
	trawl_status_t rc = trawl_index__subject_terms(idx, sel, out, n_out, &searched, &n_searched);
	free(searched);
	return rc;
}


/* ------------------------------------------------------------------ */
/* Restriction records                                                */

typedef struct {
	uint32_t docid;
	int64_t time, lifted_time;
	char *since, *reason, *lifted;
	term_t *terms; /* sorted */
	size_t n;
} restr_t;

static void
restr_clear(restr_t *r)
{
	g_free(r->since);
	g_free(r->reason);
	g_free(r->lifted);
	free(r->terms);
	memset(r, 0, sizeof *r);
}

typedef struct {
	restr_t *items;
	size_t len, cap;
} restr_list_t;

static void
restr_list_clear(restr_list_t *l)
{
	for (size_t i = 0; i < l->len; i++)
		restr_clear(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof *l);
}

static trawl_status_t
restr_parse(restr_t *r, const void *data, size_t len)
{
	const unsigned char *p = data;
	trawl_status_t rc = TRAWL_OK;
	memset(r, 0, sizeof *r);
	if (len < 2 || p[0] != REC_RESTRICTION || p[1] != REC_RESTRICTION_VERSION)
		return TRAWL_ECORRUPT;
	/* a copy: GVariant wants its data aligned, Xapian's is not */
	GBytes *bytes = g_bytes_new(p + 2, len - 2);
	GVariant *v = g_variant_new_from_bytes(G_VARIANT_TYPE(RESTRICTION_TYPE), bytes, FALSE);
	g_bytes_unref(bytes);
	g_variant_ref_sink(v);
	if (!g_variant_is_normal_form(v)) {
		rc = TRAWL_ECORRUPT;
		goto done;
	}
	GVariantIter *it = NULL;
	g_variant_get(v, "(xsmsxmsas)", &r->time, &r->since, &r->reason, &r->lifted_time, &r->lifted, &it);
	size_t n = g_variant_iter_n_children(it);
	r->terms = calloc(n ? n : 1, sizeof *r->terms);
	const char *t;
	while (r->terms && g_variant_iter_next(it, "&s", &t))
		if (strlen(t) == TERM_LEN - 1)
			memcpy(r->terms[r->n++], t, TERM_LEN);
	g_variant_iter_free(it);
	if (!r->terms) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	qsort(r->terms, r->n, sizeof *r->terms, cmp_term);
done:
	g_variant_unref(v);
	if (rc < 0)
		restr_clear(r);
	return rc;
}

static trawl_status_t
restr_cb(uint32_t docid, const void *data, size_t len, void *payload)
{
	restr_list_t *l = payload;
	if (l->len == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		restr_t *p = realloc(l->items, cap * sizeof *p);
		if (!p)
			return TRAWL_ENOMEM;
		l->items = p;
		l->cap = cap;
	}
	trawl_status_t rc = restr_parse(&l->items[l->len], data, len);
	if (rc == TRAWL_ECORRUPT)
		return TRAWL_OK; /* not one of ours: leave it be */
	if (rc == TRAWL_OK)
		l->items[l->len++].docid = docid;
	return rc;
}

/* Every restriction record holding any of the terms (with prefix
 * prepended: "Y" for those in force), or every one when n is 0. */
static trawl_status_t
restr_find(trawl_index_t *idx, const term_t *terms, size_t n, restr_list_t *out)
{
	trawl_status_t rc = TRAWL_OK;
	char(*y)[TERM_LEN + 1] = NULL;
	const char **tv = NULL;
	memset(out, 0, sizeof *out);
	if (n) {
		y = calloc(n, sizeof *y);
		tv = calloc(n, sizeof *tv);
		if (!y || !tv) {
			rc = TRAWL_ENOMEM;
			goto done;
		}
		for (size_t i = 0; i < n; i++) {
			y[i][0] = 'Y';
			memcpy(y[i] + 1, terms[i], TERM_LEN);
			tv[i] = y[i];
		}
	} else {
		static const char *const all[] = {RESTRICTION_KIND};
		tv = malloc(sizeof *tv);
		if (!tv) {
			rc = TRAWL_ENOMEM;
			goto done;
		}
		tv[0] = all[0];
		n = 1;
	}
	for (int attempt = 0;; attempt++) {
		restr_list_clear(out);
		rc = trawl_xdb__each_id(trawl_index__db(idx), tv, n, restr_cb, out);
		if (rc != TRAWL_EMODIFIED || attempt >= READ_RETRIES)
			break;
	}
	if (rc < 0 && rc != TRAWL_ENOMEM)
		rc = trawl_index__xerr(idx, rc);
done:
	if (rc < 0)
		restr_list_clear(out);
	free(y);
	free(tv);
	return rc;
}

static trawl_status_t
restr_write(trawl_index_t *idx, const restr_t *r)
{
	trawl_status_t rc = TRAWL_OK;
	GVariantBuilder terms_b;
	g_variant_builder_init(&terms_b, G_VARIANT_TYPE("as"));
	for (size_t i = 0; i < r->n; i++)
		g_variant_builder_add(&terms_b, "s", r->terms[i]);
	GVariant *v = g_variant_ref_sink(g_variant_new("(xsmsxmsas)", r->time, r->since ? r->since : "", r->reason,
	                                               r->lifted_time, r->lifted, &terms_b));
	size_t vlen = g_variant_get_size(v);
	unsigned char *data = malloc(vlen + 2);
	char zterm[DOC_TERM_LEN];
	char(*y)[TERM_LEN + 1] = calloc(r->n ? r->n : 1, sizeof *y);
	trawl_xdb_term_t *terms = calloc(r->n + 2, sizeof *terms);
	trawl_buf_t key = {0};
	size_t nt = 0;
	if (!data || !y || !terms) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	data[0] = REC_RESTRICTION;
	data[1] = REC_RESTRICTION_VERSION;
	memcpy(data + 2, g_variant_get_data(v), vlen); /* g_variant_store() wants aligned memory */
	/* the unique term: the identifier set the restriction was made for */
	for (size_t i = 0; i < r->n && rc == TRAWL_OK; i++)
		rc = trawl_buf_printf(&key, "%s\n", r->terms[i]);
	if (rc < 0)
		goto done;
	trawl_index__doc_term(zterm, 'Z', key.data ? key.data : "", key.len);
	terms[nt++] = (trawl_xdb_term_t){zterm, 0};
	terms[nt++] = (trawl_xdb_term_t){RESTRICTION_KIND, 0};
	for (size_t i = 0; i < r->n && !r->lifted; i++) {
		y[i][0] = 'Y';
		memcpy(y[i] + 1, r->terms[i], TERM_LEN);
		terms[nt++] = (trawl_xdb_term_t){y[i], 0};
	}
	trawl_xdb_doc_t doc = {.data = data, .data_len = vlen + 2, .terms = terms, .n_terms = nt};
	if ((rc = trawl_xdb__replace(trawl_index__db(idx), zterm, &doc)) < 0)
		rc = trawl_index__xerr(idx, rc);
done:
	g_variant_unref(v);
	trawl_buf_free(&key);
	free(data);
	free(y);
	free(terms);
	return rc;
}

static trawl_status_t
restr_export(const restr_t *r, trawl_restriction_t **out)
{
	trawl_restriction_t *x = calloc(1, sizeof *x);
	if (!x)
		return TRAWL_ENOMEM;
	x->time = r->time;
	x->since = strdup(r->since ? r->since : "");
	x->reason = r->reason ? strdup(r->reason) : NULL;
	x->lifted = r->lifted ? strdup(r->lifted) : NULL;
	if (!x->since || (r->reason && !x->reason) || (r->lifted && !x->lifted)) {
		trawl_restriction_free(x);
		return TRAWL_ENOMEM;
	}
	*out = x;
	return TRAWL_OK;
}

/* The earliest of the list, or NULL. */
static const restr_t *
restr_earliest(const restr_list_t *l)
{
	const restr_t *best = NULL;
	for (size_t i = 0; i < l->len; i++)
		if (!l->items[i].lifted && (!best || l->items[i].time < best->time))
			best = &l->items[i];
	return best;
}

void
trawl_restriction_free(trawl_restriction_t *r)
{
	if (!r)
		return;
	free(r->since);
	free(r->reason);
	free(r->lifted);
	free(r);
}

trawl_status_t
trawl_index__restriction(trawl_index_t *idx, const char (*terms)[TERM_LEN], size_t n, trawl_restriction_t **out)
{
	restr_list_t l = {0};
	trawl_status_t rc = TRAWL_OK;
	*out = NULL;
	if (n == 0)
		return TRAWL_OK;
	if ((rc = restr_find(idx, (const term_t *)terms, n, &l)) < 0)
		goto done;
	const restr_t *r = restr_earliest(&l);
	if (r)
		rc = restr_export(r, out);
done:
	restr_list_clear(&l);
	return rc;
}

trawl_status_t
trawl_index_restrict(trawl_index_t *idx, const trawl_selector_t *sel, const char *reason, trawl_restriction_t **out)
{
	trawl_status_t rc;
	term_t *terms = NULL;
	size_t n = 0;
	restr_list_t l = {0};
	restr_t fresh = {0};
	if (out)
		*out = NULL;
	if ((rc = trawl_index__check(idx, true)) < 0)
		goto done;
	if ((rc = subject_terms(idx, sel, &terms, &n)) < 0 || (rc = restr_find(idx, terms, n, &l)) < 0)
		goto done;
	restr_t *r = (restr_t *)restr_earliest(&l);
	if (r) {
		/* in force already: it keeps its date; a new reason replaces the old */
		if (reason && *reason) {
			g_free(r->reason);
			r->reason = g_strdup(reason);
			if ((rc = restr_write(idx, r)) < 0)
				goto done;
		}
	} else {
		char since[32];
		fresh.time = (int64_t)time(NULL);
		iso_time(since, fresh.time);
		fresh.since = g_strdup(since);
		fresh.reason = reason && *reason ? g_strdup(reason) : NULL;
		fresh.terms = terms;
		fresh.n = n;
		terms = NULL;
		if ((rc = restr_write(idx, &fresh)) < 0)
			goto done;
		r = &fresh;
	}
	if (out)
		rc = restr_export(r, out);
done:
	if (rc == TRAWL_ENOMEM)
		trawl_index__seterr(idx, rc, "out of memory");
	restr_clear(&fresh);
	restr_list_clear(&l);
	free(terms);
	return rc;
}

trawl_status_t
trawl_index_lift(trawl_index_t *idx, const trawl_selector_t *sel, trawl_restriction_t **out)
{
	trawl_status_t rc;
	term_t *terms = NULL;
	size_t n = 0;
	restr_list_t l = {0};
	if (out)
		*out = NULL;
	if ((rc = trawl_index__check(idx, true)) < 0)
		goto done;
	if ((rc = subject_terms(idx, sel, &terms, &n)) < 0 || (rc = restr_find(idx, terms, n, &l)) < 0)
		goto done;
	const restr_t *first = restr_earliest(&l);
	if (!first) {
		rc = trawl_index__seterr(idx, TRAWL_ENOTFOUND, "no restriction is in force for this subject");
		goto done;
	}
	if (out && (rc = restr_export(first, out)) < 0)
		goto done;
	char now[32];
	int64_t t = (int64_t)time(NULL);
	iso_time(now, t);
	for (size_t i = 0; i < l.len; i++) {
		restr_t *r = &l.items[i];
		if (r->lifted)
			continue;
		r->lifted = g_strdup(now);
		r->lifted_time = t;
		if ((rc = restr_write(idx, r)) < 0)
			goto done;
	}
	if (out && *out && !((*out)->lifted = strdup(now)))
		rc = TRAWL_ENOMEM;
done:
	if (rc < 0 && out) {
		trawl_restriction_free(*out);
		*out = NULL;
	}
	if (rc == TRAWL_ENOMEM)
		trawl_index__seterr(idx, rc, "out of memory");
	restr_list_clear(&l);
	free(terms);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Retention                                                          */

typedef struct {
	int64_t before;
	GArray *messages; /* trawl_retention_message_t */
	uint64_t undated;
} ret_acc_t;

static void
ret_message_clear(trawl_retention_message_t *m)
{
	free(m->source);
	free(m->location);
	free(m->message_id);
	free(m->date);
}

static trawl_status_t
ret_cb(const void *data, size_t len, void *payload)
{
	ret_acc_t *acc = payload;
	trawl_index_message_t m = {0};
	trawl_status_t rc = trawl_index__unpack_message(NULL, &m, data, len, NULL, 0);
	if (rc < 0)
		return rc;
	if (m.n_findings == 0 || (m.time != 0 && m.time >= acc->before))
		goto done;
	if (m.time == 0) {
		acc->undated++;
		goto done;
	}
	trawl_retention_message_t r = {.kind = m.kind, .time = m.time};
	r.source = m.source, m.source = NULL;
	r.location = m.location, m.location = NULL;
	r.message_id = m.message_id, m.message_id = NULL;
	r.date = m.date, m.date = NULL;
	for (size_t i = 0; i < m.n_findings; i++)
		r.by_type[(unsigned)m.findings[i].type < TRAWL_TYPE_COUNT ? m.findings[i].type : TRAWL_TYPE_CUSTOM]++;
	g_array_append_val(acc->messages, r);
done:
	trawl_index__message_clear(&m);
	return TRAWL_OK;
}

static int
cmp_ret_message(const void *a, const void *b)
{
	const trawl_retention_message_t *x = a, *y = b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	int c = strcmp(x->source, y->source);
	return c ? c : strcmp(x->location, y->location);
}

static int
cmp_ret_source(const void *a, const void *b)
{
	const trawl_retention_source_t *x = a, *y = b;
	return strcmp(x->source, y->source);
}

void
trawl_retention_free(trawl_retention_t *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_messages; i++)
		ret_message_clear(&r->messages[i]);
	free(r->messages);
	for (size_t i = 0; i < r->n_sources; i++) {
		free(r->sources[i].source);
		free(r->sources[i].kind);
	}
	free(r->sources);
	free(r);
}

trawl_status_t
trawl_index_retention(trawl_index_t *idx, int64_t before, trawl_retention_t **out)
{
	static const char *const kinds[] = {"Kmessage", "Kcontact", "Kappointment"};
	trawl_status_t rc;
	trawl_retention_t *r = NULL;
	ret_acc_t acc = {.before = before};
	GHashTable *by_source = NULL;
	*out = NULL;
	if ((rc = trawl_index__check(idx, false)) < 0)
		goto done;
	for (int attempt = 0;; attempt++) {
		if (acc.messages) {
			for (guint i = 0; i < acc.messages->len; i++)
				ret_message_clear(&g_array_index(acc.messages, trawl_retention_message_t, i));
			g_array_free(acc.messages, TRUE);
		}
		acc.messages = g_array_new(FALSE, TRUE, sizeof(trawl_retention_message_t));
		acc.undated = 0;
		rc = trawl_xdb__each(trawl_index__db(idx), kinds, 3, ret_cb, &acc);
		if (rc != TRAWL_EMODIFIED || attempt >= READ_RETRIES)
			break;
	}
	if (rc < 0) {
		rc = rc == TRAWL_ECORRUPT ? trawl_index__seterr(idx, rc, "a message record in the index cannot be read")
		                          : trawl_index__xerr(idx, rc);
		goto done;
	}
	if (!(r = calloc(1, sizeof *r))) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	r->before = before;
	r->undated = acc.undated;
	r->n_messages = acc.messages->len;
	r->messages = (trawl_retention_message_t *)(void *)g_array_free(acc.messages, FALSE);
	acc.messages = NULL;
	if (r->n_messages > 1)
		qsort(r->messages, r->n_messages, sizeof *r->messages, cmp_ret_message);

	/* per source */
	by_source = g_hash_table_new(g_str_hash, g_str_equal);
	r->sources = calloc(r->n_messages ? r->n_messages : 1, sizeof *r->sources);
	if (!r->sources) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < r->n_messages; i++) {
		const trawl_retention_message_t *m = &r->messages[i];
		trawl_retention_source_t *s = g_hash_table_lookup(by_source, m->source);
		if (!s) {
			s = &r->sources[r->n_sources++];
			if (!(s->source = strdup(m->source))) {
				rc = TRAWL_ENOMEM;
				goto done;
			}
			s->oldest = s->newest = m->time;
			g_hash_table_insert(by_source, s->source, s);
		}
		s->messages++;
		if (m->time < s->oldest)
			s->oldest = m->time;
		if (m->time > s->newest)
			s->newest = m->time;
		for (int t = 0; t < TRAWL_TYPE_COUNT; t++) {
			s->by_type[t] += m->by_type[t];
			r->by_type[t] += m->by_type[t];
		}
	}
	/* the hash table points into the array: done with it before sorting */
	g_hash_table_destroy(by_source);
	by_source = NULL;
	for (size_t i = 0; i < r->n_sources; i++) {
		trawl_index_source_t *src = NULL;
		trawl_status_t src_rc = trawl_index_source(idx, r->sources[i].source, &src);
		if (src_rc < 0 && src_rc != TRAWL_ENOTFOUND) {
			rc = src_rc;
			goto done;
		}
		r->sources[i].kind = strdup(src && src->kind ? src->kind : "unknown");
		trawl_index_source_free(src);
		if (!r->sources[i].kind) {
			rc = TRAWL_ENOMEM;
			goto done;
		}
	}
	if (r->n_sources > 1)
		qsort(r->sources, r->n_sources, sizeof *r->sources, cmp_ret_source);
	*out = r;
	r = NULL;
done:
	if (rc == TRAWL_ENOMEM)
		trawl_index__seterr(idx, rc, "out of memory");
	if (by_source)
		g_hash_table_destroy(by_source);
	if (acc.messages) {
		for (guint i = 0; i < acc.messages->len; i++)
			ret_message_clear(&g_array_index(acc.messages, trawl_retention_message_t, i));
		g_array_free(acc.messages, TRUE);
	}
	trawl_retention_free(r);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Forgetting a subject                                               */

typedef struct {
	GPtrArray *messages; /* GBytes: raw message records */
	GArray *message_ids; /* uint32_t: their docids */
	GArray *others;      /* uint32_t docids */
	GHashTable *links;   /* docid -> GBytes: the links of a record */
} gather_t;

static trawl_status_t
gather_cb(uint32_t docid, const void *data, size_t len, void *payload)
{
	gather_t *g = payload;
	const unsigned char *p = data;
	if (len && p[0] == TRAWL_INDEX__REC_MESSAGE) {
		g_ptr_array_add(g->messages, g_bytes_new(data, len));
		g_array_append_val(g->message_ids, docid);
	} else if (len) {
		g_array_append_val(g->others, docid); /* anything else about them */
	}
	return TRAWL_OK;
}

static trawl_status_t
gather_links_cb(uint32_t docid, const void *data, size_t len, void *payload)
{
	gather_t *g = payload;
	g_hash_table_insert(g->links, GUINT_TO_POINTER(docid), g_bytes_new(data, len));
	return TRAWL_OK;
}

/* Takes the subject (the n_all terms of all) out of one record's links
 * (docid, link) and counts what became of them in *out. A record rewritten
 * by trawl_index__rewrite_message() gets them from *left; any other is
 * rewritten here (write). */
static trawl_status_t
forget_record_links(trawl_index_t *idx, uint32_t docid, GBytes *link, const term_t *all, size_t n_all, bool write,
                    trawl_index__links_left_t *left, trawl_forget_t *out)
{
	size_t len;
	const void *data = g_bytes_get_data(link, &len);
	trawl_status_t rc = trawl_index__forget_links(idx, data, len, all, n_all, left);
	if (rc < 0)
		return rc;
	if (write && left->n_dropped) {
		const char **remove = calloc(left->n_remove + 1, sizeof *remove);
		if (!remove)
			return trawl_index__seterr(idx, TRAWL_ENOMEM, "out of memory");
		for (size_t i = 0; i < left->n_remove; i++)
			remove[i] = left->remove[i];
		rc = trawl_xdb__rewrite_id(trawl_index__db(idx), docid, TRAWL_XDB_SLOT_LINKS, left->links.data,
		                           left->links.len, remove, left->n_remove);
		free(remove);
		if (rc < 0)
			return trawl_index__xerr(idx, rc);
	}
	/* counted as when links were documents of their own: gone, or kept
	 * for the others in the message */
	if (left->n_kept)
		out->links_kept++;
	else
		out->other_docs++;
	return TRAWL_OK;
}

static bool
ends_with_subject_header(const char *part)
{
	size_t n = part ? strlen(part) : 0, k = strlen("header:Subject");
	return n >= k && g_ascii_strcasecmp(part + n - k, "header:Subject") == 0 &&
	       (n == k || part[n - k - 1] == ':');
}

/* Which findings of m are the subject's: those the query matched, and the
 * names that stand beside one of the subject's addresses in an address
 * header (anywhere in the message, by value), as the erase report counts
 * them. */
static void
subject_findings(const trawl_index_message_t *m, bool *drop)
{
	for (size_t i = 0; i < m->n_findings; i++)
		drop[i] = m->findings[i].subject;
	for (size_t i = 0; i < m->n_findings; i++) {
		const trawl_index_finding_t *g = &m->findings[i];
		if (g->type != TRAWL_TYPE_NAME || g->pair >= m->n_findings || !m->findings[g->pair].subject)
			continue;
		for (size_t j = 0; j < m->n_findings; j++)
			if (m->findings[j].type == TRAWL_TYPE_NAME && strcmp(m->findings[j].value, g->value) == 0)
				drop[j] = true;
	}
}

/* Is a restriction (its terms) the subject's, for forgetting it? When it
 * shares an identifier with the messages' searched ones; a name only counts
 * when the restriction has nothing but names (a name may be two people's). */
static bool
restr_is_theirs(const restr_t *r, const term_t *searched, size_t n)
{
	bool names_only = true, shares_name = false;
	for (size_t j = 0; j < r->n; j++) {
		bool name = strncmp(r->terms[j], "XN", 2) == 0;
		names_only &= name;
		if (has_term(searched, n, r->terms[j])) {
			if (!name)
				return true;
			shares_name = true;
		}
	}
	return names_only && shares_name;
}

trawl_status_t
trawl_index_forget(trawl_index_t *idx, const trawl_selector_t *sel, trawl_forget_t *out)
{
	trawl_status_t rc;
	term_t *all = NULL, *searched = NULL;
	size_t n_all = 0, n_searched = 0;
	gather_t g = {g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref), g_array_new(FALSE, FALSE, 4),
	              g_array_new(FALSE, FALSE, 4),
	              g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)g_bytes_unref)};
	trawl_index__links_left_t left = {0};
	restr_list_t l = {0};
	const char **tv = NULL;
	char (*aterms)[1 + TRAWL_INDEX__TERM_LEN] = NULL;
	bool *drop = NULL;
	memset(out, 0, sizeof *out);

	if ((rc = trawl_index__check(idx, true)) < 0)
		goto done;
	if ((rc = trawl_index__subject_terms(idx, sel, &all, &n_all, &searched, &n_searched)) < 0)
		goto done;
	if (!(tv = calloc(2 * n_searched + 1, sizeof *tv)) || !(aterms = calloc(n_searched + 1, sizeof *aterms))) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	/* The records: those the searched identifiers choose, as access does
	 * (a name only recognised beside their address may be someone else's
	 * elsewhere); and the links of those and of the records holding links
	 * anchored on them (A terms). Gather first, change after: the query
	 * must not see its own changes. */
	for (size_t i = 0; i < n_searched; i++) {
		aterms[i][0] = 'A';
		memcpy(aterms[i] + 1, searched[i], sizeof searched[i]);
		tv[i] = searched[i];
		tv[n_searched + i] = aterms[i];
	}
	if ((rc = trawl_xdb__each_id(trawl_index__db(idx), tv, n_searched, gather_cb, &g)) < 0 ||
	    (rc = trawl_xdb__each_value(trawl_index__db(idx), TRAWL_XDB_SLOT_LINKS, tv, 2 * n_searched, gather_links_cb,
	                                &g)) < 0) {
		rc = trawl_index__xerr(idx, rc);
		goto done;
	}
	for (guint i = 0; i < g.messages->len; i++) {
		size_t len;
		const void *data = g_bytes_get_data(g_ptr_array_index(g.messages, i), &len);
		trawl_index_message_t m = {0};
		/* in them, every identifier of theirs marks findings as theirs */
		if ((rc = trawl_index__unpack_message(idx, &m, data, len, (const term_t *)all, n_all)) < 0) {
			if (rc == TRAWL_ECORRUPT)
				trawl_index__seterr(idx, rc, "a message record in the index cannot be read");
			goto done;
		}
		free(drop);
		if (!(drop = calloc(m.n_findings ? m.n_findings : 1, sizeof *drop))) {
			trawl_index__message_clear(&m);
			rc = TRAWL_ENOMEM;
			goto done;
		}
		subject_findings(&m, drop);
		bool clear_subject = false, clear_sender = false;
		uint64_t dropped = 0;
		for (size_t j = 0; j < m.n_findings; j++) {
			if (!drop[j])
				continue;
			dropped++;
			clear_subject |= ends_with_subject_header(m.findings[j].part);
		}
		if (m.from) {
			char *fn = trawl_norm_email(m.from, strlen(m.from));
			term_t t;
			if (fn) {
				trawl_index__id_term(idx, TRAWL_TYPE_EMAIL, fn, t);
				clear_sender = has_term(all, n_all, t);
			}
			free(fn);
		}
		trawl_index__message_clear(&m);
		/* the links of everyone else in the message stay on it */
		uint32_t docid = g_array_index(g.message_ids, uint32_t, i);
		GBytes *link = g_hash_table_lookup(g.links, GUINT_TO_POINTER(docid));
		trawl_index__links_left_clear(&left);
		if (link && (rc = forget_record_links(idx, docid, link, all, n_all, false, &left, out)) < 0)
			goto done;
		g_hash_table_remove(g.links, GUINT_TO_POINTER(docid)); /* done with */
		bool deleted = false;
		if ((rc = trawl_index__rewrite_message(idx, docid, data, len, drop, clear_sender, clear_subject, left.links.data,
		                                       left.links.len, left.keep, left.n_keep, &deleted)) < 0)
			goto done;
		out->findings += dropped;
		if (deleted)
			out->deleted++;
		else
			out->rewritten++;
	}
	/* what is left: records that hold none of the searched identifiers
	 * but links anchored on them; the links go, the records stay */
	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init(&it, g.links);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		uint32_t docid = GPOINTER_TO_UINT(key);
		trawl_index__links_left_clear(&left);
		if ((rc = forget_record_links(idx, docid, value, all, n_all, true, &left, out)) < 0)
			goto done;
	}
	for (guint i = 0; i < g.others->len; i++) {
		uint32_t docid = g_array_index(g.others, uint32_t, i);
		if ((rc = trawl_xdb__delete_id(trawl_index__db(idx), docid)) < 0) {
			rc = trawl_index__xerr(idx, rc);
			goto done;
		}
		out->other_docs++;
	}
	/* restrictions on them, in force or lifted: every record sharing a term */
	if ((rc = restr_find(idx, NULL, 0, &l)) < 0)
		goto done;
	for (size_t i = 0; i < l.len; i++) {
		if (!restr_is_theirs(&l.items[i], searched, n_searched))
			continue;
		if ((rc = trawl_xdb__delete_id(trawl_index__db(idx), l.items[i].docid)) < 0) {
			rc = trawl_index__xerr(idx, rc);
			goto done;
		}
		out->restrictions++;
	}
done:
	if (rc == TRAWL_ENOMEM)
		trawl_index__seterr(idx, rc, "out of memory");
	restr_list_clear(&l);
	trawl_index__links_left_clear(&left);
	g_ptr_array_free(g.messages, TRUE);
	g_array_free(g.message_ids, TRUE);
	g_array_free(g.others, TRUE);
	g_hash_table_destroy(g.links);
	free(drop);
	free(tv);
	free(aterms);
	free(all);
	free(searched);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Sources that are gone                                              */

trawl_status_t
trawl_index_drop_source(trawl_index_t *idx, const char *source)
{
	if (!source || !*source)
		return trawl_index__seterr(idx, TRAWL_EINVAL, "no source given");
	return trawl_index__drop_source(idx, source);
}
