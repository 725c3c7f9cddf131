/* People's names in free text.
 *
 * The text is split into tokens once (wordlist.h). A candidate is a run of
 * two to six capitalised (or all-capital) words on one line, with surname
 * particles ("van der", "de la") and initials between them, or a
 * "Last, First" pair. No word of a candidate may be one that is never part
 * of a name here (months, weekdays, greetings, pronouns, company forms,
 * large places: rules/names/not-names.txt, company-words.txt). A candidate is
 * kept on evidence, strongest first:
 *
 *   name.header-recurring  the same words as a name the message's headers (or
 *                          an earlier part) revealed, in either order
 *   name.salutation        after "Dear", "Sehr geehrte Frau", "Hola", ...
 *   name.signature         alone on a line after "Best regards", "Viele
 *                          Grüße", ... or a "-- " separator
 *   name.label             after "Name:", "Kontoinhaber", "account holder", ...
 *   name.table             in a CSV / HTML table column headed "Name",
 *                          "Vorname" + "Nachname", "first name", ...
 *   name.given-list        its first word is a given name of the public name
 *                          statistics in rules/names/given-*.txt, and the
 *                          next is surname-like: not an ordinary word (unless
 *                          a census surname), not a street type, not followed
 *                          by a company form or a house number
 *
 * A given name that is also an ordinary English word ("Joy", "Will",
 * "Grant") needs a surname that is not one. The parts of email local parts
 * seen in the message (erika.mustermann@) only raise the confidence of a
 * candidate that has other evidence, or admit one whose both words they hold.
 * Lone given names ("Hallo Nancy,") are not reported: alone they rarely
 * identify anyone and are mostly ordinary words elsewhere.
 *
 * Every token is looked at a bounded number of times; there are no regular
 * expressions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "detectors/detector.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "detectors/wordlist.h"
#include "util/util.h"

#define MAX_WORDS 6 /* name words in one candidate */
#define WBUF 128

typedef struct {
	size_t start, end; /* bytes */
	char *norm;
	double conf;
	const char *rule;
} cand_t;

typedef struct scratch scratch_t;
typedef trawl_wordbits_t word_bits_t;

/* ---- a set of strings for one message ---- */

/* Short strings kept one after the other in one buffer (each with its NUL)
 * and found through an open-addressing table of their hashes: what the
 * names and local parts of a message are asked about. Emptied for the next
 * message without a free: a slot is in use when it carries the set's
 * generation. */
typedef struct {
	uint32_t gen; /* the set's generation when in use */
	uint32_t hash;
	uint32_t off, len; /* of the string in buf */
} strset_slot_t;

typedef struct {
	char *buf;
	size_t len, cap;   /* bytes of buf */
	strset_slot_t *slots;
	size_t mask;       /* slots less one (slots a power of two), or 0 */
	uint32_t *order;   /* offsets of the strings in the order they came */
	size_t n, ncap;    /* strings; room in order */
	uint32_t gen;
} strset_t;

static uint32_t
strset_hash(const char *s, size_t len)
{
	return trawl_word_hash(s, len);
}

/* The slot of s[0, len) (hash h) in set, or the empty slot where it would go. */
static strset_slot_t *
strset_slot(const strset_t *set, const char *s, size_t len, uint32_t h)
{
	for (size_t k = h & set->mask;; k = (k + 1) & set->mask) {
		strset_slot_t *e = &set->slots[k];
		if (e->gen != set->gen)
			return e;
		if (e->hash == h && e->len == len && memcmp(set->buf + e->off, s, len) == 0)
			return e;
	}
}

static bool
strset_has(const strset_t *set, const char *s, size_t len)
{
	if (!set || !set->n)
		return false;
	return strset_slot(set, s, len, strset_hash(s, len))->gen == set->gen;
}

/* The i-th string added (in the order they came). */
static const char *
strset_at(const strset_t *set, size_t i)
{
	return set->buf + set->order[i];
}

static void
strset_clear(strset_t *set)
{
	set->len = 0;
	set->n = 0;
	if (++set->gen == 0) { /* wrapped: no slot may look in use */
		if (set->slots)
			memset(set->slots, 0, (set->mask + 1) * sizeof *set->slots);
		set->gen = 1;
	}
}

/* Doubles the slots of set (the first time: makes them). */
static void
strset_grow(strset_t *set)
{
	size_t cap = set->slots ? (set->mask + 1) * 2 : 64;
	strset_slot_t *v = g_new0(strset_slot_t, cap);
	for (size_t i = 0; set->slots && i <= set->mask; i++) {
		if (set->slots[i].gen != set->gen)
			continue;
		size_t k = set->slots[i].hash & (cap - 1);
		while (v[k].gen == set->gen)
			k = (k + 1) & (cap - 1);
		v[k] = set->slots[i];
	}
	g_free(set->slots);
	set->slots = v;
	set->mask = cap - 1;
}

/* Adds s[0, len) (without a NUL in it) unless it is there already. */
static void
strset_add(strset_t *set, const char *s, size_t len)
{
	if (set->gen == 0)
		set->gen = 1; /* a zeroed set: gen 0 marks free slots */
	if (!set->slots || (set->n + 1) * 4 > (set->mask + 1) * 3)
		strset_grow(set);
	uint32_t h = strset_hash(s, len);
	strset_slot_t *e = strset_slot(set, s, len, h);
	if (e->gen == set->gen)
		return;
	if (set->len + len + 1 > set->cap) {
		set->cap = set->cap ? set->cap * 2 : 1024;
		while (set->len + len + 1 > set->cap)
			set->cap *= 2;
		set->buf = g_realloc(set->buf, set->cap);
	}
	if (set->n == set->ncap) {
		set->ncap = set->ncap ? set->ncap * 2 : 32;
		set->order = g_renew(uint32_t, set->order, set->ncap);
	}
	memcpy(set->buf + set->len, s, len);
	set->buf[set->len + len] = '\0';
	*e = (strset_slot_t){ set->gen, h, (uint32_t)set->len, (uint32_t)len };
	set->order[set->n++] = (uint32_t)set->len;
	set->len += len + 1;
}

static void
strset_free(strset_t *set)
{
	g_free(set->buf);
	g_free(set->slots);
	g_free(set->order);
}

typedef struct {
	const trawl_lexicon_t *lx;
	scratch_t *scratch;   /* the calling thread's */
	const trawl_text_t *text;
	const trawl_toks_t *toks;
	const trawl_tok_t *t; /* toks->v */
	size_t n;
	const uint32_t *line_first; /* index of the first token of each token's line */
	uint32_t *memo;       /* per token: LX_DONE and the lists it is in, LX_NAME_* */
	GHashTable *unaccented; /* the thread's answers of given_unaccented() */
	/* from the message's findings, once read_message() has run */
	bool message_read;
	const strset_t *known;    /* sorted-token keys of names seen in the message */
	const strset_t *known_words; /* the words of those names */
	const word_bits_t *known_word_bits; /* ... as word bits */
	const strset_t *locals;   /* ASCII-folded email local parts of the message */
	GArray *cands;        /* cand_t */
	struct cells *cells;  /* of a line of a table */
} ctx_t;

/* ---- token helpers ---- */

static size_t tok_lower(const ctx_t *c, size_t i, char *buf);

static bool
tok_len_ok(const ctx_t *c, size_t i)
{
	return c->t[i].end - c->t[i].start < WBUF / 2;
}

/* Token i lower-cased into buf (WBUF bytes) as trawl_detect__lower() has
 * it: the phrases of the lists are looked up so, possessives and all. */
static size_t
word_lower(const ctx_t *c, size_t i, char *buf)
{
	return trawl_detect__lower_tok(buf, WBUF, c->text->text, &c->t[i]);
}

static size_t
tok_lower(const ctx_t *c, size_t i, char *buf)
{
	size_t len = trawl_detect__lower_tok(buf, WBUF, c->text->text, &c->t[i]);
	/* possessive: "Erika's" */
	if (len > 3 && buf[len - 2] == '\'' && buf[len - 1] == 's')
		buf[len -= 2] = '\0';
	else if (len > 5 && memcmp(buf + len - 4, "\xe2\x80\x99s", 4) == 0)
		buf[len -= 4] = '\0';
	return len;
}

/* The lists a token is in, looked up once per token (lower-casing is the
 * cost): bits of LX_*, which are the lexicon's TRAWL_LX_* moved up one. */
enum {
	LX_DONE = 1 << 0,
	LX_NOT_NAME = TRAWL_LX_NOT_NAME << 1,
	LX_COMPANY = TRAWL_LX_COMPANY << 1,
	LX_TITLE = TRAWL_LX_TITLE << 1,
	LX_PARTICLE = TRAWL_LX_PARTICLE << 1,
	LX_GIVEN = TRAWL_LX_GIVEN << 1,
	LX_COMMON = TRAWL_LX_COMMON << 1,
	LX_SURNAME = TRAWL_LX_SURNAME << 1,
	LX_CALENDAR = TRAWL_LX_CALENDAR << 1,
	LX_STREET = TRAWL_LX_STREET_WORD << 1,
	/* is_name_word() of the token: known, and its answer */
	LX_NAME_KNOWN = 1 << 16,
	LX_NAME_WORD = 1 << 17,
};
_Static_assert((TRAWL_LX_ADDRESS_HOT << 1) < LX_NAME_KNOWN, "the lexicon's bits overlap LX_NAME_*");

static bool given_word_parts(const ctx_t *c, char *buf);

/* lists_of() when the token was not looked up yet. */
static uint32_t
lists_lookup(const ctx_t *c, size_t i)
{
	uint32_t m = LX_DONE;
	const trawl_tok_t *k = &c->t[i];
	size_t n = k->end - k->start;
	if (n == k->ncp && !(k->flags & TRAWL_TOK_JOINED) && n < WBUF) {
		/* ASCII letters and digits alone, the most of mail: what
		 * tok_lower() makes of them (no apostrophe, so no possessive)
		 * lower-cased and hashed in one loop; no hyphen nor accent for
		 * given_word_parts() to find */
		char buf[WBUF];
		uint32_t h = trawl_word_lower_hash(buf, c->text->text + k->start, n);
		unsigned lists = n ? trawl_wordtab__get(&c->lx->words, buf, n, h) : 0;
		/* the same as trawl_toks__lists() would find: kept for the
		 * address detector, which asks about many of these words */
		c->toks->lists[i] = TRAWL_TOKS_LISTS_KNOWN | lists;
		m |= lists << 1;
	} else {
		char buf[WBUF];
		size_t len = tok_lower(c, i, buf);
		if (len) {
			m |= trawl_lexicon__lists_accented(c->lx, buf, len) << 1;
			if (!(m & LX_GIVEN) && given_word_parts(c, buf))
				m |= LX_GIVEN;
		}
	}
	c->memo[i] = m | (c->memo[i] & (LX_NAME_KNOWN | LX_NAME_WORD));
	return c->memo[i];
}

/* The lists token i is in (LX_*), looked up on first need. */
static inline uint32_t
lists_of(const ctx_t *c, size_t i)
{
	uint32_t m = c->memo[i];
	return m & LX_DONE ? m : lists_lookup(c, i);
}

static bool
same_line(const ctx_t *c, size_t i)
{
	return i < c->n && c->t[i].nl == 0;
}

/* A capitalised or all-capital word of letters. */
static bool
is_word_shape(const trawl_tok_t *k)
{
	/* first what rules out most tokens (lower-case words, numbers) */
	if (!(k->flags & (TRAWL_TOK_CAP | TRAWL_TOK_UPPER)))
		return false;
	if ((k->flags & (TRAWL_TOK_ALPHA | TRAWL_TOK_DIGIT)) != TRAWL_TOK_ALPHA)
		return false;
	if (k->ncp > 40)
		return false;
	if (k->flags & TRAWL_TOK_CAP)
		return true;
	return (k->flags & TRAWL_TOK_UPPER) && k->ncp >= 2;
}

static bool
is_initial(const ctx_t *c, size_t i)
{
	const trawl_tok_t *k = &c->t[i];
	return (k->flags & TRAWL_TOK_UPPER) && !(k->flags & TRAWL_TOK_DIGIT) && k->ncp == 1 &&
	       (k->flags & TRAWL_TOK_DOT);
}

static bool
is_title(const ctx_t *c, size_t i)
{
	return lists_of(c, i) & LX_TITLE;
}

/* is_name_word() when not known yet: the answer noted in the token's memo. */
static bool
name_word_lookup(const ctx_t *c, size_t i)
{
	bool yes = is_word_shape(&c->t[i]) && !(lists_of(c, i) & (LX_NOT_NAME | LX_COMPANY | LX_TITLE)) &&
	           tok_len_ok(c, i);
	c->memo[i] |= LX_NAME_KNOWN | (yes ? LX_NAME_WORD : 0);
	return yes;
}

/* A word that may be part of a name at all (asked many times of a token:
 * by every run and "Last, First" pair it could be in). */
static inline bool
is_name_word(const ctx_t *c, size_t i)
{
	uint32_t m = c->memo[i];
	return m & LX_NAME_KNOWN ? (m & LX_NAME_WORD) != 0 : name_word_lookup(c, i);
}

/* The particles of rules/names/particles.txt of one to five ASCII letters,
 * one bit for each length, first and last letter: a token of ASCII
 * letters alone is a particle only if its bit is set, which spares the
 * look-up of most short words ("the", "and") that follow a capitalised
 * one. Built once; particle_ok is false when it could not be. */
#define PARTICLE_BIT(len, first, last) (((size_t)(len) - 1) * 676 + (size_t)((first) - 'a') * 26 + (size_t)((last) - 'a'))
static uint8_t particle_bits[(5 * 676 + 7) / 8];
static bool particle_ok;
static pthread_once_t particle_once = PTHREAD_ONCE_INIT;

static void
particle_bits_build(void)
{
	const trawl_lexicon_t *lx = trawl_detect__lexicon(NULL);
	if (!lx || !lx->particles.set)
		return;
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, lx->particles.set);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		const char *w = key;
		size_t len = strlen(w), j = 0;
		while (j < len && w[j] >= 'a' && w[j] <= 'z')
			j++;
		if (j == len && len >= 1 && len <= 5) {
			size_t b = PARTICLE_BIT(len, w[0], w[len - 1]);
			particle_bits[b / 8] |= (uint8_t)(1u << (b % 8));
		}
	}
	particle_ok = true;
}

/* Token k (of letters alone, at most five) may be a particle: false only
 * when it is ASCII letters that no particle's length, first and last
 * letter fit. */
static bool
maybe_particle(const ctx_t *c, const trawl_tok_t *k)
{
	size_t n = k->end - k->start;
	if (n != k->ncp || (k->flags & TRAWL_TOK_JOINED))
		return true; /* not ASCII letters alone: look it up */
	pthread_once(&particle_once, particle_bits_build);
	if (!particle_ok)
		return true;
	const char *s = c->text->text + k->start;
	size_t b = PARTICLE_BIT(n, s[0] | 0x20, s[n - 1] | 0x20);
	return (particle_bits[b / 8] >> (b % 8)) & 1;
}

static bool
is_particle(const ctx_t *c, size_t i)
{
	const trawl_tok_t *k = &c->t[i];
	if ((k->flags & (TRAWL_TOK_ALPHA | TRAWL_TOK_DIGIT)) != TRAWL_TOK_ALPHA || k->ncp > 5)
		return false;
	if (!(c->memo[i] & LX_DONE) && !maybe_particle(c, k))
		return false;
	return lists_of(c, i) & LX_PARTICLE;
}

/* The answers kept of given_unaccented(), at most so many. */
#define UNACCENTED_KEPT 4096

/* buf (lower case, not ASCII) spelt without its accents is a given name of
 * the lists. g_str_to_ascii() is slow, and the words of a mailbox repeat
 * (231 distinct of 13,390 asked in the short bench corpus), so the thread
 * keeps its answers: 2 for yes, 1 for no (NULL is a word not asked yet). */
static bool
given_unaccented(const ctx_t *c, const char *buf)
{
	gpointer kept = g_hash_table_lookup(c->unaccented, buf);
	if (kept)
		return GPOINTER_TO_INT(kept) == 2;
	gchar *a = g_str_to_ascii(buf, "C");
	bool hit = a && !strchr(a, '?') && (trawl_lexicon__lists(c->lx, a, strlen(a)) & TRAWL_LX_GIVEN);
	g_free(a);
	if (g_hash_table_size(c->unaccented) >= UNACCENTED_KEPT)
		g_hash_table_remove_all(c->unaccented);
	g_hash_table_insert(c->unaccented, g_strdup(buf), GINT_TO_POINTER(hit ? 2 : 1));
	return hit;
}

/* buf (lower case, modified), which is not a given name of the lists as
 * it stands, is one spelt without its accents, or every part of a
 * hyphenated one is one. */
static bool
given_word_parts(const ctx_t *c, char *buf)
{
	/* "Mónica", "Søren": the lists of one country may spell it without accents */
	bool ascii = true;
	for (const char *p = buf; *p; p++)
		if ((unsigned char)*p >= 0x80)
			ascii = false;
	if (!ascii && given_unaccented(c, buf))
		return true;
	if (!strchr(buf, '-'))
		return false;
	char *save = NULL;
	size_t parts = 0;
	for (char *p = strtok_r(buf, "-", &save); p; p = strtok_r(NULL, "-", &save)) {
		if (!(trawl_lexicon__lists(c->lx, p, strlen(p)) & TRAWL_LX_GIVEN))
			return false;
		parts++;
	}
	return parts >= 2;
}

static bool
is_given(const ctx_t *c, size_t i)
{
	return lists_of(c, i) & LX_GIVEN;
}

static bool
is_common(const ctx_t *c, size_t i)
{
	return lists_of(c, i) & LX_COMMON;
}

static bool
is_calendar(const ctx_t *c, size_t i)
{
	return lists_of(c, i) & LX_CALENDAR;
}

static bool
is_surname(const ctx_t *c, size_t i)
{
	return lists_of(c, i) & LX_SURNAME;
}

static bool
is_street_word(const ctx_t *c, size_t i)
{
	return lists_of(c, i) & LX_STREET;
}

/* ---- candidates ---- */

typedef struct {
	size_t first, last;      /* token range */
	size_t words[MAX_WORDS]; /* name words (not particles, not initials) */
	size_t nwords;
} run_t;

/* The longest run of name words from i on one line. */
static bool
parse_run(const ctx_t *c, size_t i, run_t *r)
{
	if (!is_name_word(c, i))
		return false;
	r->first = r->last = i;
	r->words[0] = i;
	r->nwords = 1;
	size_t k = i + 1;
	while (k < c->n && r->nwords < MAX_WORDS && same_line(c, k)) {
		const trawl_tok_t *t = &c->t[k];
		/* only spaces between, or the full stop of an initial */
		bool after_initial = is_initial(c, r->last) && t->gap == TRAWL_GAP_DOT;
		if (t->gap != 0 && !after_initial)
			break;
		if (is_initial(c, k)) {
			if (k + 1 < c->n && same_line(c, k + 1) && c->t[k + 1].gap == TRAWL_GAP_DOT &&
			    is_name_word(c, k + 1)) {
				r->last = k++;
				continue;
			}
			break;
		}
		if (is_particle(c, k)) {
			/* particles only inside: "van der Berg" */
			size_t m = k;
			while (m < c->n && same_line(c, m) && c->t[m].gap == 0 && is_particle(c, m) && m - k < 3)
				m++;
			if (m < c->n && same_line(c, m) && c->t[m].gap == 0 && is_name_word(c, m) &&
			    !is_particle(c, m)) {
				r->words[r->nwords++] = m;
				r->last = m;
				k = m + 1;
				continue;
			}
			break;
		}
		if (!is_name_word(c, k))
			break;
		r->words[r->nwords++] = k;
		r->last = k;
		k++;
	}
	return true;
}

/* Word-shaped token i can be no more than a run of one word, and no
 * "Last, First" pair can start at it: what follows on its line cannot
 * go on a run (is_initial(), is_particle(), is_name_word() would all say
 * no) nor be a first name after a comma. eval_reversed() would give 0
 * and eval_run() i + 1 whether i is a name word or not, so the most
 * capitalised words of prose ("The cat", "Thanks,") need no look-up. */
static bool
alone(const ctx_t *c, size_t i)
{
	if (i + 1 >= c->n)
		return true;
	const trawl_tok_t *k = &c->t[i + 1];
	if (k->nl)
		return true;
	if (k->gap == TRAWL_GAP_COMMA)
		return !is_word_shape(k);
	if (k->gap != 0)
		return true;
	if (is_word_shape(k) || is_initial(c, i + 1))
		return false;
	return (k->flags & (TRAWL_TOK_ALPHA | TRAWL_TOK_DIGIT)) != TRAWL_TOK_ALPHA || k->ncp > 5 ||
	       !((c->memo[i + 1] & LX_DONE) ? (c->memo[i + 1] & LX_PARTICLE) : maybe_particle(c, k));
}

static void
add_cand(ctx_t *c, size_t start, size_t end, char *norm, double conf, const char *rule)
{
	if (!norm)
		return;
	if (!*norm || !strchr(norm, ' ')) {
		free(norm);
		return;
	}
	cand_t x = { start, end, norm, conf > 0.99 ? 0.99 : conf, rule };
	g_array_append_val(c->cands, x);
}

/* "first ... last" of tokens a..b, lower-cased, single spaces; initials
 * without their full stop. */
static void
put_tokens(const ctx_t *c, GString *s, size_t a, size_t b)
{
	char buf[WBUF];
	for (size_t k = a; k <= b; k++) {
		size_t l = tok_lower(c, k, buf);
		if (!l)
			continue;
		if (s->len)
			g_string_append_c(s, ' ');
		g_string_append_len(s, buf, (gssize)l);
	}
}

/* put_tokens() into buf[0, *len) of cap bytes, each token lower-cased in
 * place; false when a token might not fit (then the caller builds the
 * norm with put_tokens()). */
static bool
put_tokens_buf(const ctx_t *c, char *buf, size_t cap, size_t *len, size_t a, size_t b)
{
	for (size_t k = a; k <= b; k++) {
		size_t at = *len ? *len + 1 : 0;
		if (at + WBUF > cap)
			return false;
		size_t l = tok_lower(c, k, buf + at);
		if (!l)
			continue;
		if (*len)
			buf[*len] = ' ';
		*len = at + l;
	}
	return true;
}

/* The norm of tokens fa..fb then la..lb (la > lb: none), malloc'd: built
 * on the stack, without a GString, when it fits there. */
static char *
norm_of(const ctx_t *c, size_t fa, size_t fb, size_t la, size_t lb)
{
	char buf[16 * WBUF];
	size_t len = 0;
	if (put_tokens_buf(c, buf, sizeof buf, &len, fa, fb) &&
	    (la > lb || put_tokens_buf(c, buf, sizeof buf, &len, la, lb))) {
		buf[len] = '\0';
		return strdup(buf);
	}
	GString *s = g_string_new(NULL);
	put_tokens(c, s, fa, fb);
	if (la <= lb)
		put_tokens(c, s, la, lb);
	char *r = strdup(s->str);
	g_string_free(s, TRUE);
	return r;
}

static char *
norm_range(const ctx_t *c, size_t a, size_t b)
{
	return norm_of(c, a, b, 1, 0);
}

static char *
norm_reversed(const ctx_t *c, size_t la, size_t lb, size_t fa, size_t fb)
{
	return norm_of(c, fa, fb, la, lb);
}

/* Order-free key of a norm: its words sorted, one space between, written to
 * key (strlen(norm) + 1 bytes). */
static void
sort_words(const char *norm, char *key)
{
	size_t len = strlen(norm);
	char copy_buf[256];
	const char *word_buf[32];
	char *copy = len < sizeof copy_buf ? copy_buf : g_malloc(len + 1);
	/* no more words than every other byte */
	const char **words = len / 2 + 1 <= G_N_ELEMENTS(word_buf) ? word_buf : g_new(const char *, len / 2 + 1);
	size_t n = 0;
	memcpy(copy, norm, len + 1);
	for (char *p = copy; *p;) {
		char *sp = strchr(p, ' ');
		if (sp)
			*sp = '\0';
		if (*p)
			words[n++] = p;
		if (!sp)
			break;
		p = sp + 1;
	}
	/* a name has a few words: an insertion sort, without qsort()'s
	 * set-up (strings equal under strcmp() are the same, so the order is
	 * qsort()'s) */
	for (size_t i = 1; i < n; i++) {
		const char *w = words[i];
		size_t j = i;
		for (; j > 0 && strcmp(words[j - 1], w) > 0; j--)
			words[j] = words[j - 1];
		words[j] = w;
	}
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(words[i]);
		if (w)
			key[w++] = ' ';
		memcpy(key + w, words[i], l);
		w += l;
	}
	key[w] = '\0';
	if (copy != copy_buf)
		g_free(copy);
	if (words != word_buf)
		g_free(words);
}

static bool
is_known(const ctx_t *c, const char *norm)
{
	if (!c->known || !norm)
		return false;
	char buf[256];
	size_t len = strlen(norm);
	char *k = len < sizeof buf ? buf : g_malloc(len + 1);
	sort_words(norm, k);
	bool r = strset_has(c->known, k, strlen(k));
	if (k != buf)
		g_free(k);
	return r;
}

/* Keeps the ASCII letters of s, lower-cased, in place. */
static void
keep_letters(char *s)
{
	size_t w = 0;
	for (size_t r = 0; s[r]; r++) {
		char ch = s[r];
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch + 32);
		if (ch >= 'a' && ch <= 'z')
			s[w++] = ch;
	}
	s[w] = '\0';
}

static bool
is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/* ASCII letters of s, lower-cased ("Görlich" -> "gorlich"). */
static gchar *
ascii_fold(const char *s)
{
	gchar *a = g_str_to_ascii(s, "C");
	keep_letters(a);
	return a;
}

/* ascii_fold() of buf, in buf itself when it is ASCII (which
 * g_str_to_ascii() gives back as it is), else in a copy for the caller to
 * g_free() in *copy. */
static const char *
fold_in_place(char *buf, gchar **copy)
{
	*copy = NULL;
	if (!is_ascii(buf))
		return *copy = ascii_fold(buf);
	keep_letters(buf);
	return buf;
}

static const strset_t *message_locals(const ctx_t *c);

/* An email local part of the message holds both the first and the last
 * word (or the first's initial right before the last). */
static bool
local_supports(const ctx_t *c, size_t first, size_t last)
{
	const strset_t *locals = message_locals(c);
	if (!locals || !locals->n)
		return false;
	char b1[WBUF], b2[WBUF];
	if (!tok_lower(c, first, b1) || !tok_lower(c, last, b2))
		return false;
	gchar *fc, *lc;
	const char *f = fold_in_place(b1, &fc), *l = fold_in_place(b2, &lc);
	bool ok = false;
	if (strlen(f) >= 2 && strlen(l) >= 3) {
		for (size_t i = 0; i < locals->n && !ok; i++) {
			const char *loc = strset_at(locals, i);
			const char *p = strstr(loc, l);
			if (!p)
				continue;
			if (strstr(loc, f) || (p > loc && p[-1] == f[0] && (p - 1 == loc)))
				ok = true;
		}
	}
	/* (most words are ASCII, folded in place: no copy to free) */
	if (fc)
		g_free(fc);
	if (lc)
		g_free(lc);
	return ok;
}

/* ---- context ---- */

/* Lower-cased words of tokens a..b joined by single spaces into buf, if they
 * stand with only spaces between them. */
static bool
phrase(const ctx_t *c, size_t a, size_t b, char *buf, size_t cap)
{
	size_t w = 0;
	for (size_t k = a; k <= b; k++) {
		if (k > a && (c->t[k].gap != 0 || c->t[k].nl))
			return false;
		char tb[WBUF];
		size_t l = word_lower(c, k, tb);
		if (!l || w + l + 2 > cap)
			return false;
		if (k > a)
			buf[w++] = ' ';
		memcpy(buf + w, tb, l);
		w += l;
	}
	buf[w] = '\0';
	return true;
}

static bool
phrase_in(const ctx_t *c, const trawl_wordlist_t *wl, size_t a, size_t b)
{
	char buf[256];
	return phrase(c, a, b, buf, sizeof buf) && g_hash_table_contains(wl->set, buf);
}

/* Token k may be one of the words of e: false only when it is ASCII
 * letters and digits whose bit is not set. */
static bool
word_bits_maybe(const word_bits_t *e, const ctx_t *c, size_t k)
{
	const trawl_tok_t *t = &c->t[k];
	size_t n = t->end - t->start;
	if (n != t->ncp || (t->flags & TRAWL_TOK_JOINED))
		return true;
	const char *s = c->text->text + t->start;
	return trawl_wordbits__maybe(e, (unsigned char)(s[0] | 0x20), (unsigned char)(s[n - 1] | 0x20), n);
}

/* Adds the first (last) words of the entries of set to e: the words a
 * phrase of the list can start (end) with, so that no phrase starting
 * (ending) with another needs building and looking up. */
static void
word_bits_add_edges(word_bits_t *e, GHashTable *set, bool last)
{
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, set);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		const char *w = key, *sp = last ? strrchr(w, ' ') : strchr(w, ' ');
		size_t len = strlen(w);
		if (last && sp) {
			len -= (size_t)(sp + 1 - w);
			w = sp + 1;
		} else if (!last && sp) {
			len = (size_t)(sp - w);
		}
		trawl_wordbits__add(e, w, len);
	}
}

static word_bits_t greeting_first, closing_first, label_last;
static bool edges_ok;
static pthread_once_t edges_once = PTHREAD_ONCE_INIT;

static void
edges_build(void)
{
	const trawl_lexicon_t *lx = trawl_detect__lexicon(NULL);
	if (!lx || !lx->greetings.set || !lx->closings.set || !lx->labels.set)
		return;
	word_bits_add_edges(&greeting_first, lx->greetings.set, false);
	word_bits_add_edges(&closing_first, lx->closings.set, false);
	word_bits_add_edges(&label_last, lx->labels.set, true);
	edges_ok = true;
}

/* Token k may be a word of e, one of the edge words above. */
static bool
maybe_edge(const ctx_t *c, const word_bits_t *e, size_t k)
{
	pthread_once(&edges_once, edges_build);
	return !edges_ok || word_bits_maybe(e, c, k);
}

/* Skips titles ("Frau", "Dr.") forward from k up to limit. */
static size_t
skip_titles(const ctx_t *c, size_t k, size_t limit)
{
	while (k < limit && same_line(c, k) && is_title(c, k))
		k++;
	return k;
}

/* The candidate starting at token i follows a greeting that opens its line. */
static bool
after_salutation(const ctx_t *c, size_t i)
{
	size_t ls = c->line_first[i];
	if (ls == i || !maybe_edge(c, &greeting_first, ls))
		return false;
	size_t maxw = c->lx->greetings.max_words;
	/* the phrases from ls, longer by a word each time: built in buf as
	 * phrase() builds them, each token lower-cased once. Where phrase()
	 * would fail for one it fails for all longer ones. */
	char buf[256];
	size_t w = 0;
	for (size_t g = 1; g <= maxw && ls + g <= i; g++) {
		size_t k = ls + g - 1;
		if (k > ls && (c->t[k].gap != 0 || c->t[k].nl))
			break;
		char tb[WBUF];
		size_t l = word_lower(c, k, tb);
		if (!l || w + l + 2 > sizeof buf)
			break;
		if (k > ls)
			buf[w++] = ' ';
		memcpy(buf + w, tb, l);
		w += l;
		buf[w] = '\0';
		if (!g_hash_table_contains(c->lx->greetings.set, buf))
			continue;
		if (skip_titles(c, ls + g, i) == i)
			return true;
	}
	return false;
}

/* The line of token i, less punctuation, is a closing ("Best regards,"). */
static bool
line_is_closing(const ctx_t *c, size_t ls, size_t le)
{
	if (le - ls + 1 > c->lx->closings.max_words || !maybe_edge(c, &closing_first, ls))
		return false;
	char buf[256];
	size_t w = 0;
	for (size_t k = ls; k <= le; k++) {
		char tb[WBUF];
		size_t l = word_lower(c, k, tb);
		if (!l || w + l + 2 > sizeof buf)
			return false;
		if (k > ls)
			buf[w++] = ' ';
		memcpy(buf + w, tb, l);
		w += l;
	}
	buf[w] = '\0';
	return g_hash_table_contains(c->lx->closings.set, buf);
}

/* The candidate tokens a..b fill their line (titles before it, punctuation
 * after it aside) and a closing line or a "-- " separator comes before. */
static bool
is_signature(const ctx_t *c, size_t a, size_t b)
{
	size_t ls = c->line_first[a];
	if (skip_titles(c, ls, a) != a)
		return false;
	if (b + 1 < c->n && c->t[b + 1].nl == 0)
		return false;
	if (ls == 0)
		return false;
	/* "-- " on a line of its own right before */
	const char *txt = c->text->text;
	size_t gs = c->t[ls - 1].end, ge = c->t[ls].start;
	for (size_t p = gs; p + 1 < ge; p++)
		if (txt[p] == '-' && txt[p + 1] == '-' && (p == 0 || txt[p - 1] == '\n'))
			return true;
	/* one of the two lines before is a closing */
	size_t prev_end = ls - 1;
	for (int back = 0; back < 2; back++) {
		size_t pls = c->line_first[prev_end];
		if (line_is_closing(c, pls, prev_end))
			return true;
		if (pls == 0)
			break;
		/* a short line between ("Ihr", "i.A.") */
		if (prev_end - pls > 1)
			break;
		prev_end = pls - 1;
	}
	return false;
}

/* A label ("Name:", "Kontoinhaber", "account holder") right before token i
 * on its line, or alone on the line before with a colon. */
static bool
after_label(const ctx_t *c, size_t i)
{
	if (i == 0)
		return false;
	size_t maxw = c->lx->labels.max_words;
	uint16_t gap = c->t[i].gap;
	if (c->t[i].nl) {
		if (!(gap & TRAWL_GAP_COLON))
			return false;
		size_t pe = i - 1, pls = c->line_first[pe];
		return pe - pls + 1 <= maxw && maybe_edge(c, &label_last, pe) && phrase_in(c, &c->lx->labels, pls, pe);
	}
	/* (every phrase tried below ends at token i - 1) */
	if ((gap & ~(TRAWL_GAP_COLON | TRAWL_GAP_DASH)) || !maybe_edge(c, &label_last, i - 1))
		return false;
	size_t ls = c->line_first[i];
	/* the phrases ending before i, longer by a word at their front each
	 * time: built right-aligned in buf, each token lower-cased once.
	 * Where phrase() would fail for one (a gap inside, a token it cannot
	 * lower-case, more than 255 bytes) it fails for all longer ones. */
	char buf[256];
	size_t pos = sizeof buf - 1; /* the phrase is buf[pos, 255) */
	buf[pos] = '\0';
	for (size_t g = 1; g <= maxw && g <= i - ls; g++) {
		size_t k = i - g;
		if (g > 1 && (c->t[k + 1].gap != 0 || c->t[k + 1].nl))
			break;
		char tb[WBUF];
		size_t l = word_lower(c, k, tb);
		size_t need = l + (g > 1);
		if (!l || need > pos)
			break;
		pos -= need;
		memcpy(buf + pos, tb, l);
		if (g > 1)
			buf[pos + l] = ' ';
		if (!g_hash_table_contains(c->lx->labels.set, buf + pos))
			continue;
		/* "From:", "An:", "De :": header lines quoted in a body, colon required */
		if (g == 1 && c->t[i - 1].ncp <= 4 && !(gap & TRAWL_GAP_COLON)) {
			char buf[WBUF];
			size_t l = tok_lower(c, i - 1, buf);
			static const char *const need_colon[] = { "from", "to", "cc", "bcc", "von", "an", "de", "à", "a",
			                                          "da", "van", "aan", "od", "do", "para", "per", NULL };
			bool need = false;
			for (const char *const *p = need_colon; *p && l; p++)
				if (strcmp(buf, *p) == 0)
					need = true;
			if (need)
				continue;
		}
		return true;
	}
	return false;
}

/* A title right before token i on its line: "Frau Dr. Erika Mustermann",
 * "Mme Camille Durand". */
static bool
after_title(const ctx_t *c, size_t i)
{
	if (i == 0 || c->t[i].nl || (c->t[i].gap & ~TRAWL_GAP_DOT))
		return false;
	if ((c->t[i].gap & TRAWL_GAP_DOT) && !(c->t[i - 1].flags & TRAWL_TOK_DOT))
		return false;
	return is_title(c, i - 1);
}

/* ---- the surname test of the given-list rule ---- */

/* Capitals inside a word only after the prefixes of names: McDonald,
 * MacGyver, O'Brien, DeShawn, VonRueden, LeBlanc, DiCaprio (not
 * "FreePhone", "PayPal", "iPhone"). */
static bool
inner_caps_ok(const ctx_t *c, size_t k)
{
	const trawl_tok_t *t = &c->t[k];
	if (!(t->flags & TRAWL_TOK_CAP))
		return true;
	const char *s = c->text->text + t->start;
	size_t len = t->end - t->start;
	bool seen_lower = false;
	size_t seg = 0; /* start of the current hyphen/apostrophe part */
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '-' || ch == '\'') {
			seg = i + 1;
			seen_lower = false;
			continue;
		}
		if (ch >= 'a' && ch <= 'z')
			seen_lower = true;
		else if (ch >= 'A' && ch <= 'Z' && seen_lower) {
			static const char *const pre[] = { "mc", "mac", "de", "di", "da", "du", "le", "la", "van", "von",
			                                   "del", "della", "st", "fitz", NULL };
			size_t pl = i - seg;
			bool ok = false;
			for (const char *const *p = pre; *p && !ok; p++)
				ok = strlen(*p) == pl && g_ascii_strncasecmp(s + seg, *p, pl) == 0;
			if (!ok)
				return false;
		}
	}
	return true;
}

static bool
surname_like(const ctx_t *c, size_t k)
{
	if (c->t[k].ncp < 2 || !inner_caps_ok(c, k))
		return false;
	bool sur = is_surname(c, k);
	if (is_calendar(c, k))
		return false;
	if (!sur && is_street_word(c, k))
		return false;
	if (!sur && is_common(c, k) && !is_given(c, k))
		return false;
	return true;
}

/* Around a run: a house number or postcode-like token right before or after
 * on the line ("229 Jennifer Park", "Graham Green BT68 8SD"), or a company
 * form after ("Schmidt & Partner GmbH"). */
static bool
bad_surroundings(const ctx_t *c, size_t a, size_t b)
{
	if (a > 0 && same_line(c, a) && (c->t[a].gap & ~TRAWL_GAP_COMMA) == 0 &&
	    (c->t[a - 1].flags & TRAWL_TOK_DIGIT) && c->t[a - 1].ncp <= 6)
		return true;
	size_t k = b + 1;
	if (k < c->n && same_line(c, k)) {
		const trawl_tok_t *t = &c->t[k];
		if (t->gap == 0 && (t->flags & TRAWL_TOK_DIGIT) && t->ncp <= 5)
			return true;
		if ((t->gap & ~(TRAWL_GAP_COMMA | TRAWL_GAP_AMP | TRAWL_GAP_DOT)) == 0 &&
		    (lists_of(c, k) & LX_COMPANY))
			return true;
		if ((t->gap & TRAWL_GAP_AMP) && is_word_shape(t))
			return true;
		if (t->gap == 0 && is_street_word(c, k))
			return true;
		/* a US town: "Lake Bridie, KS 50850" */
		if (t->gap == TRAWL_GAP_COMMA && t->ncp == 2 && (t->flags & TRAWL_TOK_UPPER) && k + 1 < c->n &&
		    same_line(c, k + 1) && (c->t[k + 1].flags & TRAWL_TOK_ALL_DIGITS) && c->t[k + 1].ncp == 5)
			return true;
	}
	return false;
}

/* ---- evaluation ---- */

static void read_message(ctx_t *c);

/* local_supports() of the first and last word of run r, kept in *known
 * (-1: not asked yet): its strstr() over the message's local parts is
 * needed by few runs. */
static bool
run_supported(const ctx_t *c, const run_t *r, int *known)
{
	if (*known < 0)
		*known = local_supports(c, r->words[0], r->words[r->nwords - 1]);
	return *known;
}

/* Forward candidate at run r. Returns the token after what it used. */
static size_t
eval_run(ctx_t *c, const run_t *r)
{
	const trawl_text_t *tx = c->text;
	(void)tx;
	if (r->nwords >= 2)
		read_message(c);
	/* 1. the name of a header, as a whole or inside the run */
	if (c->known && r->nwords >= 2) {
		bool in_known[MAX_WORDS];
		size_t nk = 0;
		for (size_t w = 0; w < r->nwords; w++) {
			char buf[WBUF];
			size_t l = 0;
			if (word_bits_maybe(c->known_word_bits, c, r->words[w]))
				l = tok_lower(c, r->words[w], buf);
			in_known[w] = l && strset_has(c->known_words, buf, l);
			nk += in_known[w];
		}
		for (size_t len = nk >= 2 ? r->nwords : 1; len >= 2; len--) {
			for (size_t a = 0; a + len <= r->nwords; a++) {
				size_t ta = r->words[a], tb = r->words[a + len - 1];
				if (!in_known[a] || !in_known[a + len - 1])
					continue;
				char *norm = norm_range(c, ta, tb);
				if (is_known(c, norm)) {
					add_cand(c, c->t[ta].start, c->t[tb].end, norm, 0.95, "name.header-recurring");
					return tb + 1;
				}
				free(norm);
			}
		}
	}
	if (r->nwords < 2)
		return r->last + 1;
	size_t a = r->first, b = r->last;
	bool given = is_given(c, r->words[0]);
	/* local_supports(), asked only where the answer counts: -1 until then */
	int support = -1;
	/* no word of a name (outside the given names) is an ordinary English word */
	bool plain = true;
	for (size_t w = 1; w < r->nwords; w++)
		if (!surname_like(c, r->words[w]))
			plain = false;
	bool first_common = is_common(c, r->words[0]) || is_calendar(c, r->words[0]);
	bool surround = bad_surroundings(c, a, b);

	/* 2. salutation, signature, label, title: the whole run */
	const char *rule = NULL;
	double conf = 0;
	if (r->nwords <= 4) {
		if (after_title(c, a)) {
			rule = "name.title";
			conf = 0.8;
		} else if (after_salutation(c, a)) {
			rule = "name.salutation";
			conf = 0.85;
		} else if (is_signature(c, a, b)) {
			rule = "name.signature";
			conf = 0.85;
		} else if (after_label(c, a)) {
			rule = "name.label";
			conf = 0.8;
		}
	}
	if (rule && !surround && (given || run_supported(c, r, &support) || (plain && !first_common))) {
		conf += given ? 0.07 : 0;
		conf += run_supported(c, r, &support) ? 0.05 : 0;
		add_cand(c, c->t[a].start, c->t[b].end, norm_range(c, a, b), conf, rule);
		return b + 1;
	}

	/* 3. a given name of the lists and a surname-like word after it ("Calle
	 * Mayor", "Via Roma" are streets) */
	bool streetish = false;
	if (is_street_word(c, r->words[0])) {
		size_t k = r->words[r->nwords > 1 ? 1 : 0] + 1;
		streetish = k < c->n && same_line(c, k) && (c->t[k].flags & TRAWL_TOK_LEAD_DIGIT) &&
		            (c->t[k].gap & ~TRAWL_GAP_COMMA) == 0;
	}
	/* "8 avenue Jean Jaurès", "3 bis rue Victor Hugo": a house number (and
	 * bis, ter) and a street word before the run name a street after a
	 * person */
	if (a >= 2 && same_line(c, a) && same_line(c, a - 1) && c->t[a].gap == 0 && c->t[a - 1].gap == 0 &&
	    is_street_word(c, a - 1)) {
		size_t h = a - 2;
		if (h > 0 && same_line(c, h + 1) && c->t[h + 1].gap == 0 && c->t[h].ncp <= 6 &&
		    !(c->t[h].flags & TRAWL_TOK_DIGIT) && (c->t[h - 1].flags & TRAWL_TOK_LEAD_DIGIT)) {
			char w[WBUF];
			size_t l = tok_lower(c, h, w);
			if (l && trawl_is_house_number_suffix(w))
				h--;
		}
		streetish |= (c->t[h].flags & TRAWL_TOK_LEAD_DIGIT) && c->t[h].ncp <= 6;
	}
	/* "EULA Online", "DE FreePhone": an acronym before a word is no given name */
	bool acronym = (c->t[r->words[0]].flags & TRAWL_TOK_UPPER) &&
	               ((c->t[r->words[1]].flags & TRAWL_TOK_CAP) || c->t[r->words[0]].ncp <= 2);
	if (given && !surround && !streetish && !acronym) {
		/* two words, or three when the second is a given name too */
		size_t use = 2;
		if (r->nwords >= 3 && is_given(c, r->words[1]) && surname_like(c, r->words[2]))
			use = 3;
		size_t last = r->words[use - 1];
		bool ok = true, weak = false;
		for (size_t w = 1; w < use; w++) {
			size_t k = r->words[w];
			if (surname_like(c, k))
				continue;
			/* "Alicia Fried", "Paul Freitag": an ordinary word or a weekday as a
			 * surname, after a given name that is no ordinary word itself */
			if (!first_common && (c->t[k].flags & TRAWL_TOK_CAP) && c->t[k].ncp >= 3 &&
			    !is_street_word(c, k))
				weak = true;
			else
				ok = false;
		}
		/* "Will", "Joy", "Grant": the surname must not be an ordinary word at all */
		if (ok && first_common && is_common(c, last) && !is_surname(c, last))
			ok = false;
		/* a second surname of the list right after the first ("María José
		 * Martín Sánchez", "Ana Isabel García López"): Spain and Portugal
		 * give two */
		if (ok && !weak && r->nwords > use) {
			size_t k2 = r->words[use];
			if (k2 == last + 1 && c->t[k2].gap == 0 && is_surname(c, k2) && !is_street_word(c, k2) &&
			    !(k2 + 1 < c->n && same_line(c, k2 + 1) && (c->t[k2 + 1].flags & TRAWL_TOK_LEAD_DIGIT)))
				last = k2;
		}
		if (ok) {
			double cf = weak ? 0.6 : first_common ? 0.62 : 0.72;
			if (is_surname(c, last))
				cf += 0.1;
			if (run_supported(c, r, &support))
				cf += 0.2;
			add_cand(c, c->t[a].start, c->t[last].end, norm_range(c, a, last), cf, "name.given-list");
			return last + 1;
		}
	}
	/* 4. both words in an email local part of the message */
	if (!surround && r->nwords == 2 && plain && run_supported(c, r, &support)) {
		add_cand(c, c->t[a].start, c->t[b].end, norm_range(c, a, b), 0.75, "name.email-local");
		return b + 1;
	}
	return r->words[1];
}

/* "Last, First" at token i: returns the token after it, or 0 if none. */
static size_t
eval_reversed(ctx_t *c, size_t i)
{
	/* last name: name words and particles, at most three tokens */
	size_t k = i, lw = 0;
	if (!is_name_word(c, i))
		return 0;
	while (k < c->n && k - i < 3) {
		if (k > i && (!same_line(c, k) || c->t[k].gap != 0))
			break;
		if (is_name_word(c, k) || (k > i && is_particle(c, k)))
			lw += is_name_word(c, k), k++;
		else
			break;
	}
	size_t le = k - 1;
	if (k >= c->n || !same_line(c, k) || c->t[k].gap != TRAWL_GAP_COMMA || !is_name_word(c, le))
		return 0;
	/* first names: one or two words */
	size_t fa = k, fb = k;
	if (!is_name_word(c, fa))
		return 0;
	if (fa + 1 < c->n && same_line(c, fa + 1) && c->t[fa + 1].gap == 0 && is_name_word(c, fa + 1) &&
	    is_given(c, fa + 1))
		fb = fa + 1;
	char *norm = norm_reversed(c, i, le, fa, fb);
	read_message(c);
	if (is_known(c, norm)) {
		add_cand(c, c->t[i].start, c->t[fb].end, norm, 0.95, "name.header-recurring");
		return fb + 1;
	}
	bool given = is_given(c, fa);
	bool ctx_label = after_label(c, i);
	/* what follows the first name ends the name: line end, a separator */
	bool ends = fb + 1 >= c->n || c->t[fb + 1].nl || (c->t[fb + 1].gap & ~TRAWL_GAP_DOT) != 0;
	/* what comes before the last name starts it: line start, a separator */
	bool starts = i == 0 || c->t[i].nl || c->t[i].gap != 0;
	if (given && ends && starts && lw >= 1) {
		bool last_given = is_given(c, le) && !is_surname(c, le);
		bool ok = surname_like(c, le) && !is_common(c, fa) && !last_given;
		if (ctx_label || (ok && !bad_surroundings(c, i, fb))) {
			double cf = ctx_label ? 0.85 : 0.7;
			if (is_surname(c, le))
				cf += 0.1;
			if (local_supports(c, fa, le))
				cf += 0.15;
			add_cand(c, c->t[i].start, c->t[fb].end, norm, cf, ctx_label ? "name.label" : "name.given-list");
			return fb + 1;
		}
	}
	free(norm);
	return 0;
}

/* ---- tables: CSV, TSV and HTML tables (cells joined by tabs) ---- */

typedef struct {
	size_t s, e; /* cell bytes, quotes and blanks trimmed */
} cell_t;

/* The cells of a line: an array of the thread's scratch, grown by
 * doubling (a GArray's append was a call per cell of every line with a
 * comma). */
struct cells {
	cell_t *v;
	size_t len, cap;
};

/* Splits line [s, e) at sep, quote-aware. */
static void
split_cells(const char *t, size_t s, size_t e, char sep, struct cells *cells)
{
	cells->len = 0;
	/* without a quote on the line every sep ends a cell: found by
	 * memchr(), not byte by byte (the most lines asked about are prose
	 * with a comma or two) */
	bool quotes = memchr(t + s, '"', e - s) != NULL;
	size_t p = s;
	while (p <= e) {
		size_t cs = p;
		bool q = false;
		if (!quotes) {
			const char *x = memchr(t + p, sep, e - p);
			p = x ? (size_t)(x - t) : e;
		}
		while (p < e && (t[p] != sep || q)) {
			if (t[p] == '"')
				q = !q;
			p++;
		}
		size_t a = cs, b = p;
		while (a < b && (t[a] == ' ' || t[a] == '"' || t[a] == '\r'))
			a++;
		while (b > a && (t[b - 1] == ' ' || t[b - 1] == '"' || t[b - 1] == '\r'))
			b--;
		if (cells->len == cells->cap) {
			cells->cap = cells->cap ? cells->cap * 2 : 64;
			cells->v = g_renew(cell_t, cells->v, cells->cap);
		}
		cells->v[cells->len++] = (cell_t){ a, b };
		p++;
	}
}

/* First token starting at or after byte pos. */
static size_t
tok_at(const ctx_t *c, size_t pos)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->t[mid].start < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The tokens of a cell, if they are name words and particles only:
 * [*a, *b], the number of name words, and "Last, First" when a comma splits it. */
static size_t
cell_words(const ctx_t *c, const cell_t *cl, size_t *a, size_t *b, size_t *comma_at)
{
	size_t k = tok_at(c, cl->s), words = 0;
	*a = k;
	*comma_at = 0;
	if (k >= c->n || c->t[k].start >= cl->e)
		return 0;
	for (; k < c->n && c->t[k].end <= cl->e; k++) {
		if (k > *a) {
			uint16_t g = c->t[k].gap;
			if (g == TRAWL_GAP_COMMA && !*comma_at)
				*comma_at = k;
			else if (g != 0 && !(g == TRAWL_GAP_DOT && is_initial(c, k - 1)))
				return 0;
		}
		if (is_name_word(c, k))
			words++;
		else if (!is_particle(c, k) && !is_initial(c, k))
			return 0;
	}
	*b = k - 1;
	return words;
}

/* The column headings of rules/names/columns.txt that are ASCII, one bit
 * for each length, first and last byte (a trawl_wordbits_t): a cell
 * of ASCII whose bit is not set is no heading, without lower-casing and
 * looking it up (the cells of every line with a comma are asked). A cell
 * of ASCII (bytes 1 to 0x7F) lower-cases to ASCII of its length, so it
 * can only be one of these headings. Built once; column_ok is false when it could not be. */
static trawl_wordbits_t column_bits;
static bool column_ok;
static pthread_once_t column_once = PTHREAD_ONCE_INIT;

static void
column_bits_build(void)
{
	const trawl_lexicon_t *lx = trawl_detect__lexicon(NULL);
	if (!lx || !lx->columns.set)
		return;
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, lx->columns.set);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		const unsigned char *w = key;
		size_t len = strlen(key);
		bool ascii = len > 0;
		for (size_t i = 0; i < len; i++)
			ascii &= w[i] < 0x80;
		if (ascii)
			trawl_wordbits__add(&column_bits, key, len);
	}
	column_ok = true;
}

static unsigned char
ascii_lower(unsigned char b)
{
	return (unsigned char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
}

static int
column_of(const ctx_t *c, const cell_t *cl)
{
	if (cl->e - cl->s > 40 || cl->e == cl->s)
		return 0;
	const unsigned char *s = (const unsigned char *)c->text->text + cl->s;
	size_t len = cl->e - cl->s;
	pthread_once(&column_once, column_bits_build);
	if (column_ok) {
		/* (a NUL would end the string looked up early: not here) */
		bool ascii = true;
		for (size_t i = 0; i < len; i++)
			ascii &= s[i] - 1u < 0x7Fu;
		if (ascii && !trawl_wordbits__maybe(&column_bits, ascii_lower(s[0]), ascii_lower(s[len - 1]), len))
			return 0;
	}
	return trawl_wordlist__get(&c->lx->columns, c->text->text + cl->s, cl->e - cl->s);
}

/* The offset of the first ch in t[p, len), or len. */
static size_t
next_at(const char *t, size_t len, size_t p, char ch)
{
	const char *q = memchr(t + p, ch, len - p);
	return q ? (size_t)(q - t) : len;
}

static void
scan_tables(ctx_t *c)
{
	const char *t = c->text->text;
	size_t len = c->text->len;
	struct cells *cells = c->cells;
	int kinds[64];
	size_t ncols = 0;
	char sep = 0;
	size_t p = 0;
	/* where each of seps[] next stands at or after p (len: nowhere), found
	 * by one memchr() per occurrence rather than one per line */
	static const char seps[] = { '\t', ';', ',', '|' };
	size_t next_sep[sizeof seps];
	for (size_t si = 0; si < sizeof seps; si++)
		next_sep[si] = next_at(t, len, 0, seps[si]);
	while (p < len) {
		if (!sep) {
			/* outside a table only a line holding a separator can be
			 * a header row: on to the line of the next one, past the
			 * lines between without a look at each */
			size_t m = len;
			for (size_t si = 0; si < sizeof seps; si++) {
				if (next_sep[si] < p)
					next_sep[si] = next_at(t, len, p, seps[si]);
				if (next_sep[si] < m)
					m = next_sep[si];
			}
			if (m == len)
				break;
			const char *ls = memrchr(t + p, '\n', m - p);
			if (ls)
				p = (size_t)(ls - t) + 1;
		}
		const char *nl = memchr(t + p, '\n', len - p);
		size_t e = nl ? (size_t)(nl - t) : len;
		if (sep) {
			/* a data row of the table found above, until a blank line */
			bool blank = true;
			for (size_t q = p; q < e; q++)
				if (t[q] != ' ' && t[q] != '\r' && t[q] != '\t')
					blank = false;
			if (blank) {
				sep = 0;
			} else {
				split_cells(t, p, e, sep, cells);
				size_t gi = 0, fi = 0;
				const cell_t *gc = NULL, *fc = NULL;
				for (size_t i = 0; i < cells->len && i < ncols; i++) {
					const cell_t *cl = &cells->v[i];
					size_t a, b, comma;
					size_t w = cell_words(c, cl, &a, &b, &comma);
					if (!w)
						continue;
					if (kinds[i] == TRAWL_COL_FULL && w >= 2 && w <= 5) {
						char *norm = comma ? norm_reversed(c, a, comma - 1, comma, b) : norm_range(c, a, b);
						bool g = is_given(c, comma ? comma : a);
						add_cand(c, c->t[a].start, c->t[b].end, norm, g ? 0.9 : 0.8, "name.table");
					} else if (kinds[i] == TRAWL_COL_GIVEN && w <= 3) {
						gc = cl;
						gi = a;
						(void)b;
					} else if (kinds[i] == TRAWL_COL_FAMILY && w <= 3) {
						fc = cl;
						fi = a;
					}
				}
				if (gc && fc) {
					size_t ga, gb, fa, fb, cm;
					cell_words(c, gc, &ga, &gb, &cm);
					cell_words(c, fc, &fa, &fb, &cm);
					char *norm = norm_reversed(c, fa, fb, ga, gb);
					size_t s = gc->s < fc->s ? gc->s : fc->s, en = gc->e > fc->e ? gc->e : fc->e;
					add_cand(c, s, en, norm, is_given(c, gi) ? 0.9 : 0.8, "name.table");
					(void)fi;
				}
			}
		}
		if (!sep && e > p) {
			/* a header row? */
			for (size_t si = 0; si < sizeof seps; si++) {
				/* (known already, unless a blank line just ended a table) */
				if (next_sep[si] < p)
					next_sep[si] = next_at(t, len, p, seps[si]);
				if (next_sep[si] >= e)
					continue;
				split_cells(t, p, e, seps[si], cells);
				if (cells->len < 2 || cells->len > 64)
					continue;
				bool any = false;
				for (size_t i = 0; i < cells->len; i++) {
					kinds[i] = column_of(c, &cells->v[i]);
					any = any || kinds[i];
				}
				if (any) {
					sep = seps[si];
					ncols = cells->len;
					break;
				}
			}
		}
		p = e + 1;
	}
}

/* ---- known names and local parts from the message ---- */

/* Only the first findings of the message are read (its headers come
 * first): enough for any real message, and a message of 10,000 parts does
 * not make each part read every finding of the parts before it, which took
 * quadratic time (8 s for 10,000 parts of one address each). */
#define MESSAGE_FINDINGS_READ 256

/* What a finding of the message is to this detector. */
enum { USE_NONE, USE_NAME, USE_LOCAL };

static int
finding_use(const trawl_finding_t *f)
{
	if (!f->norm)
		return USE_NONE;
	if (f->type == TRAWL_TYPE_NAME && f->confidence >= 0.85 && strchr(f->norm, ' '))
		return USE_NAME;
	if (f->type == TRAWL_TYPE_EMAIL) {
		const char *at = strchr(f->norm, '@');
		if (at && at != f->norm)
			return USE_LOCAL;
	}
	return USE_NONE;
}

typedef struct {
	int use;      /* USE_* */
	uint32_t off; /* of a copy of the finding's norm in norms, when it is of use */
} read_t;

/* The names and local parts of a message, read from its findings once and
 * kept by the thread from one text of the message to the next: the detector
 * runs once per header and MIME part, and building these afresh from every
 * finding each time was a good part of its cost on short mail. What was read
 * is compared with the findings before it is trusted (each finding's use and
 * norm), so that another message, or findings changed, start afresh. */
typedef struct {
	strset_t known;       /* sorted-token keys of names seen in the message */
	strset_t known_words; /* the words of those names */
	word_bits_t known_word_bits; /* ... as word bits */
	strset_t locals;      /* ASCII-folded email local parts of the message */
	size_t locals_read;   /* the first of read whose local part is not in locals yet */
	read_t *read;         /* of each finding read, in order */
	size_t nread, capread;
	char *norms;          /* the norms read_t point to */
	size_t normlen, normcap;
} msg_memo_t;

/* What a thread keeps from one call to the next: the message's names and
 * local parts, and the arrays of a call, which every call would otherwise
 * allocate and free again. */
struct scratch {
	msg_memo_t msg;
	uint32_t *memo; /* cap entries */
	size_t cap;
	GArray *cands;
	struct cells cells;
	GHashTable *unaccented; /* see given_unaccented() */
};

static void
msg_memo_reset(msg_memo_t *mm)
{
	strset_clear(&mm->known);
	strset_clear(&mm->known_words);
	memset(&mm->known_word_bits, 0, sizeof mm->known_word_bits);
	strset_clear(&mm->locals);
	mm->locals_read = 0;
	mm->nread = 0;
	mm->normlen = 0;
}

static void
msg_memo_free(msg_memo_t *mm)
{
	strset_free(&mm->known);
	strset_free(&mm->known_words);
	strset_free(&mm->locals);
	g_free(mm->read);
	g_free(mm->norms);
}

/* Whether what mm read is still what the first findings of m say. */
static bool
msg_memo_valid(const msg_memo_t *mm, const trawl_findings_t *m)
{
	if (mm->nread > m->len)
		return false;
	for (size_t i = 0; i < mm->nread; i++) {
		const read_t *r = &mm->read[i];
		const trawl_finding_t *f = &m->items[i];
		if (finding_use(f) != r->use || (r->use != USE_NONE && strcmp(f->norm, mm->norms + r->off) != 0))
			return false;
	}
	return true;
}

/* Adds the ASCII-folded s[0, len) to set. */
static void
add_folded(strset_t *set, const char *s, size_t len)
{
	char buf[256];
	char *loc = len < sizeof buf ? buf : g_malloc(len + 1);
	memcpy(loc, s, len);
	loc[len] = '\0';
	if (is_ascii(loc)) {
		keep_letters(loc);
		strset_add(set, loc, strlen(loc));
	} else {
		gchar *a = ascii_fold(loc);
		strset_add(set, a, strlen(a));
		g_free(a);
	}
	if (loc != buf)
		g_free(loc);
}

static void
msg_memo_add(msg_memo_t *mm, const trawl_finding_t *f)
{
	read_t r = { finding_use(f), 0 };
	if (r.use == USE_NAME) {
		char buf[256];
		size_t len = strlen(f->norm);
		char *key = len < sizeof buf ? buf : g_malloc(len + 1);
		sort_words(f->norm, key);
		strset_add(&mm->known, key, strlen(key));
		if (key != buf)
			g_free(key);
		for (const char *p = f->norm; *p;) {
			size_t l = strcspn(p, " ");
			if (l) {
				strset_add(&mm->known_words, p, l);
				trawl_wordbits__add(&mm->known_word_bits, p, l);
			}
			p += l;
			if (*p)
				p++;
		}
	}
	/* a local part goes into locals only when message_locals() is asked */
	if (r.use != USE_NONE) {
		size_t len = strlen(f->norm);
		if (mm->normlen + len + 1 > mm->normcap) {
			mm->normcap = mm->normcap ? mm->normcap * 2 : 1024;
			while (mm->normlen + len + 1 > mm->normcap)
				mm->normcap *= 2;
			mm->norms = g_realloc(mm->norms, mm->normcap);
		}
		memcpy(mm->norms + mm->normlen, f->norm, len + 1);
		r.off = (uint32_t)mm->normlen;
		mm->normlen += len + 1;
	}
	if (mm->nread == mm->capread) {
		mm->capread = mm->capread ? mm->capread * 2 : 64;
		mm->read = g_renew(read_t, mm->read, mm->capread);
	}
	mm->read[mm->nread++] = r;
}

/* Sets c->known, c->known_words and c->locals from the message, once per
 * call and only when a candidate asks. */
static void
read_message(ctx_t *c)
{
	const trawl_findings_t *m = c->text->message;
	if (c->message_read)
		return;
	c->message_read = true;
	if (!m)
		return;
	msg_memo_t *mm = &c->scratch->msg;
	size_t n = m->len < MESSAGE_FINDINGS_READ ? m->len : MESSAGE_FINDINGS_READ;
	if (!msg_memo_valid(mm, m))
		msg_memo_reset(mm);
	for (size_t i = mm->nread; i < n; i++)
		msg_memo_add(mm, &m->items[i]);
	if (mm->known.n) {
		c->known = &mm->known;
		c->known_words = &mm->known_words;
		c->known_word_bits = &mm->known_word_bits;
	}
	c->locals = &mm->locals;
}

/* The ASCII-folded email local parts of the message (NULL when it was not
 * read, or has no findings): folded on first need, from the norms kept in
 * the memo, since most texts ask about none (local_supports() is asked
 * only where its answer counts). */
static const strset_t *
message_locals(const ctx_t *c)
{
	if (!c->locals)
		return NULL;
	msg_memo_t *mm = &c->scratch->msg;
	for (; mm->locals_read < mm->nread; mm->locals_read++) {
		const read_t *r = &mm->read[mm->locals_read];
		if (r->use != USE_LOCAL)
			continue;
		const char *norm = mm->norms + r->off;
		add_folded(&mm->locals, norm, (size_t)(strchr(norm, '@') - norm));
	}
	return c->locals;
}

/* ---- driver ---- */

static int
cmp_cand(const void *a, const void *b)
{
	const cand_t *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->conf < y->conf) - (x->conf > y->conf);
}

/* Header texts worth reading for names: the subject and the like (address
 * headers go through trawl_detect_mailbox). */
static bool
header_wanted(const char *h)
{
	static const char *const ok[] = { "Subject", "Thread-Topic", "Comments", "Keywords", "Summary", NULL };
	for (const char *const *p = ok; *p; p++)
		if (g_ascii_strcasecmp(h, *p) == 0)
			return true;
	return false;
}

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void
scratch_free(void *p)
{
	scratch_t *s = p;
	msg_memo_free(&s->msg);
	free(s->memo);
	g_array_free(s->cands, TRUE);
	g_free(s->cells.v);
	g_hash_table_destroy(s->unaccented);
	free(s);
}

static void
scratch_key_init(void)
{
	pthread_key_create(&scratch_key, scratch_free);
}

/* The calling thread's scratch (freed when the thread ends), with room for
 * n tokens, or NULL when memory is short. */
static scratch_t *
scratch_get(size_t n)
{
	pthread_once(&scratch_once, scratch_key_init);
	scratch_t *s = pthread_getspecific(scratch_key);
	if (!s) {
		if (!(s = calloc(1, sizeof *s)))
			return NULL;
		s->cands = g_array_new(FALSE, FALSE, sizeof(cand_t));
		s->unaccented = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		if (pthread_setspecific(scratch_key, s) != 0) {
			scratch_free(s);
			return NULL;
		}
	}
	if (n > s->cap) {
		uint32_t *memo = realloc(s->memo, n * sizeof *memo);
		if (!memo)
			return NULL;
		s->memo = memo;
		s->cap = n;
	}
	return s;
}

static trawl_status_t
name_scan(const trawl_detector_set_t *set, trawl_findings_t *out, const trawl_text_t *text)
{
	(void)set;
	trawl_status_t rc = TRAWL_OK;
	const char *err = NULL;
	const trawl_lexicon_t *lx = trawl_detect__lexicon(&err);
	if (!lx)
		return TRAWL_ERULES;
	if (text->header && !header_wanted(text->header))
		return TRAWL_OK;
	if (!text->len)
		return TRAWL_OK;
	const trawl_toks_t *toks = NULL;
	if ((rc = trawl_detect__tokens(&toks, text)) < 0)
		return rc;
	if (!toks->n)
		return TRAWL_OK;
	ctx_t c = { .lx = lx, .text = text, .toks = toks, .t = toks->v, .n = toks->n };
	if (!(c.scratch = scratch_get(c.n)))
		return TRAWL_ENOMEM;
	c.line_first = toks->line_first;
	c.memo = c.scratch->memo;
	c.cands = c.scratch->cands;
	c.cells = &c.scratch->cells;
	c.unaccented = c.scratch->unaccented;
	memset(c.memo, 0, c.n * sizeof *c.memo);

	/* (is_word_shape() rules out a token without these flags first) */
	for (size_t i = 0; (i = trawl_toks__next(c.t, i, c.n, TRAWL_TOK_CAP | TRAWL_TOK_UPPER)) < c.n;) {
		if (!is_word_shape(&c.t[i]) || alone(&c, i)) {
			i++;
			continue;
		}
		size_t next = eval_reversed(&c, i);
		if (next) {
			i = next;
			continue;
		}
		run_t r;
		if (!parse_run(&c, i, &r)) {
			i++;
			continue;
		}
		next = eval_run(&c, &r);
		i = next > i ? next : i + 1;
	}
	scan_tables(&c);

	/* overlapping candidates: the most confident (then the earliest) wins */
	if (c.cands->len > 1)
		qsort(c.cands->data, c.cands->len, sizeof(cand_t), cmp_cand);
	size_t last_end = 0;
	double last_conf = 0;
	for (guint i = 0; i < c.cands->len; i++) {
		cand_t *x = &g_array_index(c.cands, cand_t, i);
		bool overlap = i > 0 && x->start < last_end;
		if (overlap && x->conf <= last_conf)
			continue;
		if (rc == TRAWL_OK)
			rc = trawl_detect__emit(out, text, TRAWL_TYPE_NAME, x->start, x->end, x->norm, x->conf, x->rule);
		if (x->end > last_end) {
			last_end = x->end;
			last_conf = x->conf;
		}
	}

	for (guint i = 0; i < c.cands->len; i++)
		free(g_array_index(c.cands, cand_t, i).norm);
	g_array_set_size(c.cands, 0);
	return rc;
}

const trawl_detector_t trawl_detector_name = {
	.name = "name",
	.type = TRAWL_TYPE_NAME,
	.scan = name_scan,
};
