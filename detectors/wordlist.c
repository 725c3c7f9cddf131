/* Word lists from rules/ in hash sets, and the tokenizer the name and
 * address detectors share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "detectors/wordlist.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/util.h"

#ifndef TRAWL_RULES_DIR
#define TRAWL_RULES_DIR "rules"
#endif

/* ---- word lists ---- */

size_t
trawl_detect__lower(char *buf, size_t cap, const char *s, size_t len)
{
	/* ASCII and Latin-1 letters, the bulk of the words of Western mail,
	 * without an allocation: U+00C0..U+00DE (but U+00D7) lower-case to 32
	 * code points on, as g_utf8_strdown() has it; nothing else below
	 * U+0100 changes. */
	if (len + 1 <= cap) {
		size_t i = 0;
		while (i < len) {
			unsigned char c = (unsigned char)s[i];
			if (c < 0x80) {
				buf[i++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
				continue;
			}
			if ((c != 0xC2 && c != 0xC3) || i + 1 >= len || ((unsigned char)s[i + 1] & 0xC0) != 0x80)
				break;
			unsigned char d = (unsigned char)s[i + 1];
			buf[i] = (char)c;
			buf[i + 1] = (char)(c == 0xC3 && d >= 0x80 && d <= 0x9E && d != 0x97 ? d + 0x20 : d);
			i += 2;
		}
		if (i == len) {
			buf[len] = '\0';
			return len;
		}
	}
	if (!g_utf8_validate(s, (gssize)len, NULL))
		return 0;
	char *d = g_utf8_strdown(s, (gssize)len);
	size_t dl = d ? strlen(d) : 0;
	if (!d || dl + 1 > cap) {
		g_free(d);
		return 0;
	}
	memcpy(buf, d, dl + 1);
	g_free(d);
	return dl;
}

/* ---- the word table ---- */

uint32_t
trawl_wordtab__get(const trawl_wordtab_t *t, const char *s, size_t len, uint32_t hash)
{
	if (!t->slots)
		return 0;
	for (size_t k = hash & t->mask; t->slots[k].key; k = (k + 1) & t->mask) {
		const trawl_wordtab_slot_t *e = &t->slots[k];
		if (e->hash == hash && e->len == len && memcmp(e->key, s, len) == 0)
			return e->value;
	}
	return 0;
}

/* Gives t at least cap slots (a power of two, and more than it has). */
static bool
wordtab_resize(trawl_wordtab_t *t, size_t cap)
{
	trawl_wordtab_slot_t *v = calloc(cap, sizeof *v);
	if (!v)
		return false;
	for (size_t i = 0; t->slots && i <= t->mask; i++) {
		if (!t->slots[i].key)
			continue;
		size_t k = t->slots[i].hash & (cap - 1);
		while (v[k].key)
			k = (k + 1) & (cap - 1);
		v[k] = t->slots[i];
	}
	free(t->slots);
	t->slots = v;
	t->mask = cap - 1;
	return true;
}

/* Doubles the slots of t (the first time: makes them). */
static bool
wordtab_grow(trawl_wordtab_t *t)
{
	return wordtab_resize(t, t->slots ? (t->mask + 1) * 2 : 1024);
}

/* Makes room in t for more entries at once, so that adding a list of
 * them does not rehash the table at every doubling. */
static bool
wordtab_reserve(trawl_wordtab_t *t, size_t more)
{
	size_t have = t->slots ? t->mask + 1 : 0, cap = have ? have : 1024;
	while ((t->n + more) * 4 > cap * 3)
		cap *= 2;
	return cap == have || wordtab_resize(t, cap);
}

/* ORs value into the entry low[0, len) of t, whose trawl_word_hash() is
 * h, which is added when new. */
static trawl_status_t
wordtab_add_hashed(trawl_wordtab_t *t, const char *low, size_t len, uint32_t h, uint32_t value)
{
	/* at most three quarters full, so that a look-up of a word that is
	 * no entry ends soon on an empty slot */
	if ((!t->slots || (t->n + 1) * 4 > (t->mask + 1) * 3) && !wordtab_grow(t))
		return TRAWL_ENOMEM;
	size_t k = h & t->mask;
	for (; t->slots[k].key; k = (k + 1) & t->mask) {
		trawl_wordtab_slot_t *e = &t->slots[k];
		if (e->hash == h && e->len == len && memcmp(e->key, low, len) == 0) {
			e->value |= value;
			return TRAWL_OK;
		}
	}
	if (!t->keys)
		t->keys = g_string_chunk_new(64 * 1024);
	t->slots[k].key = g_string_chunk_insert_len(t->keys, low, (gssize)len);
	t->slots[k].len = (uint32_t)len;
	t->slots[k].hash = h;
	t->slots[k].value = value;
	t->n++;
	return TRAWL_OK;
}

/* wordtab_add_hashed() of low[0, len) with its hash. */
static trawl_status_t
wordtab_add(trawl_wordtab_t *t, const char *low, size_t len, uint32_t value)
{
	return wordtab_add_hashed(t, low, len, trawl_word_hash(low, len), value);
}

/* ---- word lists ---- */

int
trawl_wordlist__get(const trawl_wordlist_t *wl, const char *s, size_t len)
{
	char buf[256];
	if ((!wl->set && !wl->table) || !len)
		return 0;
	size_t l = trawl_detect__lower(buf, sizeof buf, s, len);
	if (!l)
		return 0;
	if (!wl->set)
		return (trawl_wordtab__get(wl->table, buf, l, trawl_word_hash(buf, l)) & wl->bit) != 0;
	return GPOINTER_TO_INT(g_hash_table_lookup(wl->set, buf));
}

/* Adds the entries of wl to the lexicon's word table with bit. */
static trawl_status_t
add_word_lists(trawl_wordtab_t *t, const trawl_wordlist_t *wl, unsigned bit)
{
	GHashTableIter it;
	gpointer key;
	trawl_status_t rc = TRAWL_OK;
	g_hash_table_iter_init(&it, wl->set);
	while (rc == TRAWL_OK && g_hash_table_iter_next(&it, &key, NULL))
		rc = wordtab_add(t, key, strlen(key), bit);
	return rc;
}

void
trawl_wordlist__free(trawl_wordlist_t *wl)
{
	if (wl->set)
		g_hash_table_destroy(wl->set);
	wl->set = NULL;
	wl->max_words = 0;
	wl->table = NULL;
	wl->bit = 0;
}

static char *
errf(const char *path, size_t line, const char *what)
{
	trawl_buf_t b = {0};
	if (line)
		trawl_buf_printf(&b, "%s:%zu: %s", path, line, what);
	else
		trawl_buf_printf(&b, "%s: %s", path, what);
	return trawl_buf_detach(&b);
}

/* trawl_wordlist__load(), but with table not NULL the entries go to table
 * with wl->bit, not to wl->set. */
static trawl_status_t
load_entries(trawl_wordlist_t *wl, const char *path, int (*map_value)(const char *word),
             trawl_wordtab_t *table, char **errmsg)
{
	trawl_status_t rc = TRAWL_OK;
	char *buf = NULL;
	size_t blen = 0, bcap = 0, lineno = 0;
	FILE *f = fopen(path, "r");
	if (!f) {
		*errmsg = errf(path, 0, strerror(errno));
		return errno == ENOENT ? TRAWL_ENOTFOUND : TRAWL_EIO;
	}
	if (table)
		wl->table = table;
	else if (!wl->set)
		wl->set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* the whole file at once (the lists are a few hundred KB at most),
	 * split at its newlines as getline() would: getline() was a good
	 * part of the cost of loading the large lists */
	for (;;) {
		if (bcap - blen < 4096 + 1) {
			size_t nc = bcap ? bcap * 2 : 64 * 1024;
			char *nb = realloc(buf, nc);
			if (!nb) {
				rc = TRAWL_ENOMEM;
				goto done;
			}
			buf = nb;
			bcap = nc;
		}
		size_t got = fread(buf + blen, 1, bcap - blen - 1, f);
		blen += got;
		if (got == 0)
			break;
	}
	if (table) {
		size_t lines = 1;
		for (const char *q = buf; (q = memchr(q, '\n', (size_t)(buf + blen - q))); q++)
			lines++;
		if (!wordtab_reserve(table, lines)) {
			rc = TRAWL_ENOMEM;
			goto done;
		}
	}
	for (size_t at = 0; at < blen;) {
		char *line = buf + at;
		const char *eol = memchr(line, '\n', blen - at);
		size_t len = eol ? (size_t)(eol - line) + 1 : blen - at;
		at += len;
		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ' ||
		               line[len - 1] == '\t'))
			len--;
		size_t s = 0;
		while (s < len && (line[s] == ' ' || line[s] == '\t'))
			s++;
		if (s == len || line[s] == '#')
			continue;
		char lbuf[256];
		if (!map_value && len - s < sizeof lbuf) {
			/* an entry of bytes 1 to 0x7F (most are), lower-cased,
			 * its blanks made single spaces and its words counted in
			 * one pass, as the steps below do it */
			size_t w = 0, words = 1, r = s;
			uint32_t h = 2166136261u; /* trawl_word_hash() of lbuf[0, w) */
			for (; r < len; r++) {
				unsigned char c = (unsigned char)line[r];
				if (c - 1u >= 0x7Fu)
					break;
				c = c == '\t' ? ' ' : c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
				if (c == ' ' && w && lbuf[w - 1] == ' ')
					continue;
				if (c == ' ')
					words++;
				lbuf[w++] = (char)c;
				h = (h ^ c) * 16777619u;
			}
			if (r == len) {
				lbuf[w] = '\0';
				if (words > wl->max_words)
					wl->max_words = words;
				if (table) {
					if ((rc = wordtab_add_hashed(table, lbuf, w, h, wl->bit)) != TRAWL_OK)
						goto done;
				} else {
					g_hash_table_replace(wl->set, g_memdup2(lbuf, w + 1), GINT_TO_POINTER(1));
				}
				continue;
			}
		}
		/* trawl_detect__lower() takes valid UTF-8 only, so an entry
		 * alone on its line that it lower-cases needs no other check */
		size_t ll = map_value ? 0 : trawl_detect__lower(lbuf, sizeof lbuf, line + s, len - s);
		if (!ll && !g_utf8_validate(line + s, (gssize)(len - s), NULL)) {
			*errmsg = errf(path, lineno, "not valid UTF-8");
			rc = TRAWL_ERULES;
			goto done;
		}
		int value = 1;
		if (map_value) {
			size_t sp = len;
			while (sp > s && line[sp - 1] != ' ' && line[sp - 1] != '\t')
				sp--;
			if (sp == s) {
				*errmsg = errf(path, lineno, "expected an entry and a kind after it");
				rc = TRAWL_ERULES;
				goto done;
			}
			line[len] = '\0';
			value = map_value(line + sp);
			if (value <= 0) {
				*errmsg = errf(path, lineno, "unknown kind after the entry");
				rc = TRAWL_ERULES;
				goto done;
			}
			len = sp;
			while (len > s && (line[len - 1] == ' ' || line[len - 1] == '\t'))
				len--;
		}
		/* lower-case, single spaces; as the detectors lower-case their
		 * words, which spares g_utf8_strdown() for most entries */
		if (!ll)
			ll = trawl_detect__lower(lbuf, sizeof lbuf, line + s, len - s);
		char *low = ll ? lbuf : g_utf8_strdown(line + s, (gssize)(len - s));
		if (!low) {
			rc = TRAWL_ENOMEM;
			goto done;
		}
		size_t w = 0, words = 1;
		for (size_t r = 0; low[r]; r++) {
			char c = low[r] == '\t' ? ' ' : low[r];
			if (c == ' ' && w && low[w - 1] == ' ')
				continue;
			if (c == ' ')
				words++;
			low[w++] = c;
		}
		low[w] = '\0';
		if (words > wl->max_words)
			wl->max_words = words;
		if (table) {
			rc = wordtab_add(table, low, w, wl->bit);
			if (low != lbuf)
				g_free(low);
			if (rc != TRAWL_OK)
				goto done;
			continue;
		}
		if (low == lbuf)
			low = g_memdup2(lbuf, w + 1);
		g_hash_table_replace(wl->set, low, GINT_TO_POINTER(value));
	}
	if (ferror(f)) {
		*errmsg = errf(path, lineno, "read error");
		rc = TRAWL_EIO;
	}
done:
	free(buf);
	fclose(f);
	return rc;
}

trawl_status_t
trawl_wordlist__load(trawl_wordlist_t *wl, const char *path, int (*map_value)(const char *word),
                     char **errmsg)
{
	return load_entries(wl, path, map_value, NULL, errmsg);
}

/* ---- the lexicon ---- */

static trawl_lexicon_t lexicon;
static char *lexicon_error;
static bool lexicon_ok;
static pthread_once_t lexicon_once = PTHREAD_ONCE_INIT;

static int
column_kind(const char *w)
{
	if (strcmp(w, "full") == 0)
		return TRAWL_COL_FULL;
	if (strcmp(w, "given") == 0)
		return TRAWL_COL_GIVEN;
	if (strcmp(w, "family") == 0)
		return TRAWL_COL_FAMILY;
	return 0;
}

const char *
trawl_detect__rules_dir(void)
{
	const char *d = getenv("TRAWL_RULES_DIR");
	return d && *d ? d : TRAWL_RULES_DIR;
}

/* Loads dir/sub/name (into table when not NULL); a missing file is an
 * error. */
static trawl_status_t
load_one(trawl_wordlist_t *wl, const char *dir, const char *sub, const char *name,
         int (*map_value)(const char *), trawl_wordtab_t *table)
{
	char *path = g_build_filename(dir, sub, name, NULL);
	trawl_status_t rc = load_entries(wl, path, map_value, table, &lexicon_error);
	g_free(path);
	return rc;
}

static gint
cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Loads every dir/sub/<prefix>*.txt into the lexicon's word table, as the
 * entries of wl; at least one must exist. */
static trawl_status_t
load_glob(trawl_wordlist_t *wl, const char *dir, const char *sub, const char *prefix)
{
	char *d = g_build_filename(dir, sub, NULL);
	DIR *dh = opendir(d);
	trawl_status_t rc = TRAWL_OK;
	size_t found = 0;
	if (!dh) {
		lexicon_error = errf(d, 0, strerror(errno));
		rc = TRAWL_ENOTFOUND;
		goto done;
	}
	/* sorted, so that a later list's value wins the same way every time */
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	struct dirent *e;
	while ((e = readdir(dh))) {
		size_t l = strlen(e->d_name);
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 && l > 4 &&
		    strcmp(e->d_name + l - 4, ".txt") == 0)
			g_ptr_array_add(names, g_strdup(e->d_name));
	}
	closedir(dh);
	g_ptr_array_sort(names, cmp_names);
	for (guint i = 0; i < names->len && rc == TRAWL_OK; i++) {
		const char *nm = g_ptr_array_index(names, i);
		rc = load_one(wl, dir, sub, nm, NULL, &lexicon.words);
		found++;
	}
	g_ptr_array_free(names, TRUE);
	if (rc == TRAWL_OK && !found) {
		trawl_buf_t b = {0};
		trawl_buf_printf(&b, "no list %s*.txt", prefix);
		lexicon_error = errf(d, 0, trawl_buf_cstr(&b));
		trawl_buf_free(&b);
		rc = TRAWL_ENOTFOUND;
	}
done:
	g_free(d);
	return rc;
}

const char *const trawl_lexicon_langs[TRAWL_LEXICON_LANGS] = {"de", "en", "fr", "nl", "it", "es", "pt", "pl"};

static void
lexicon_load(void)
{
	const char *dir = trawl_detect__rules_dir();
	trawl_lexicon_t *x = &lexicon;
	trawl_status_t rc = TRAWL_OK;
#define ONE(wl, sub, file, map)                                    \
	do {                                                        \
		if (rc == TRAWL_OK)                                 \
			rc = load_one(&x->wl, dir, sub, file, map, NULL); \
	} while (0)
#define GLOB(wl, sub, prefix)                             \
	do {                                               \
		if (rc == TRAWL_OK)                        \
			rc = load_glob(&x->wl, dir, sub, prefix); \
	} while (0)
	/* the large lists, asked about word by word only: without sets of
	 * their own (most of the cost of loading was in those) */
	x->given.bit = TRAWL_LX_GIVEN;
	x->surnames.bit = TRAWL_LX_SURNAME;
	x->common.bit = TRAWL_LX_COMMON;
	GLOB(given, "names", "given-");
	GLOB(surnames, "names", "surnames-");
	GLOB(common, "names", "common-words-");
	ONE(not_name, "names", "not-names.txt", NULL);
	ONE(calendar, "names", "calendar-words.txt", NULL);
	ONE(company, "names", "company-words.txt", NULL);
	ONE(titles, "names", "titles.txt", NULL);
	ONE(particles, "names", "particles.txt", NULL);
	ONE(greetings, "names", "greetings.txt", NULL);
	ONE(closings, "names", "closings.txt", NULL);
	ONE(labels, "names", "labels.txt", NULL);
	ONE(columns, "names", "columns.txt", column_kind);
	ONE(street_suffix, "address", "street-suffixes.txt", NULL);
	ONE(street_word, "address", "street-words.txt", NULL);
	ONE(us_states, "address", "us-states.txt", NULL);
	ONE(hotwords, "address", "hotwords.txt", NULL);
	ONE(po_box, "address", "po-box.txt", NULL);
	ONE(not_street, "address", "not-street.txt", NULL);
	ONE(phone_hot, "phone", "hotwords.txt", NULL);
	ONE(phone_not, "phone", "not-phone.txt", NULL);
	ONE(phone_number, "phone", "number-words.txt", NULL);
	for (size_t l = 0; l < TRAWL_LEXICON_LANGS && rc == TRAWL_OK; l++) {
		char name[64];
		snprintf(name, sizeof name, "function-words-%s.txt", trawl_lexicon_langs[l]);
		rc = load_one(&x->function_words[l], dir, "phone", name, NULL, NULL);
	}
#undef ONE
#undef GLOB
	/* the small lists keep their sets, and are in the word table too */
	const struct {
		const trawl_wordlist_t *wl;
		unsigned bit;
	} also[] = {
		{ &x->not_name, TRAWL_LX_NOT_NAME },
		{ &x->calendar, TRAWL_LX_CALENDAR },
		{ &x->company, TRAWL_LX_COMPANY },
		{ &x->titles, TRAWL_LX_TITLE },
		{ &x->particles, TRAWL_LX_PARTICLE },
		{ &x->street_word, TRAWL_LX_STREET_WORD },
		{ &x->us_states, TRAWL_LX_US_STATE },
		{ &x->not_street, TRAWL_LX_NOT_STREET },
		{ &x->hotwords, TRAWL_LX_ADDRESS_HOT },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(also) && rc == TRAWL_OK; i++)
		rc = add_word_lists(&x->words, also[i].wl, also[i].bit);
	lexicon_ok = rc == TRAWL_OK;
	if (!lexicon_ok && !lexicon_error)
		lexicon_error = strdup("rules: out of memory");
}

const trawl_lexicon_t *
trawl_detect__lexicon(const char **errmsg)
{
	pthread_once(&lexicon_once, lexicon_load);
	if (errmsg)
		*errmsg = lexicon_ok ? NULL : lexicon_error;
	return lexicon_ok ? &lexicon : NULL;
}

/* ---- tokens ---- */

void
trawl_toks_free(trawl_toks_t *toks)
{
	free(toks->v);
	free(toks->line_first);
	free(toks->lists);
	toks->v = NULL;
	toks->line_first = NULL;
	toks->lists = NULL;
	toks->n = toks->cap = 0;
}

/* The code point at p (len bytes left) and its length; a byte that starts no
 * valid sequence is taken as one symbol. */
static gunichar
cp_at(const unsigned char *p, size_t avail, size_t *n)
{
	if (p[0] < 0x80) {
		*n = 1;
		return p[0];
	}
	size_t l = trawl_utf8_seq_len(p, avail);
	if (l < 2) {
		*n = 1;
		return 0xFFFD;
	}
	*n = l;
	return g_utf8_get_char((const char *)p);
}

static bool
is_letter(gunichar c)
{
	if (c < 0x80)
		return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
	return g_unichar_isalpha(c) || g_unichar_ismark(c);
}

static bool
is_digit(gunichar c)
{
	return c >= '0' && c <= '9';
}

static bool
is_joiner(gunichar c)
{
	return c == '-' || c == '\'' || c == 0x2019 || c == '/' || c == 0x2010 || c == 0x2011;
}

static uint16_t
gap_class(gunichar c)
{
	switch (c) {
	case ',': return TRAWL_GAP_COMMA;
	case ';': return TRAWL_GAP_SEMI;
	case ':': return TRAWL_GAP_COLON;
	case '\t': return TRAWL_GAP_TAB;
	case '"': case 0x201C: case 0x201D: case 0x201E: case 0xAB: case 0xBB: case '\'': case 0x2018:
	case 0x2019: case '`':
		return TRAWL_GAP_QUOTE;
	case '(': case '[': case '{': case '<': return TRAWL_GAP_OPEN;
	case ')': case ']': case '}': case '>': return TRAWL_GAP_CLOSE;
	case '.': return TRAWL_GAP_DOT;
	case '-': case 0x2013: case 0x2014: case 0x2010: case 0x2011: return TRAWL_GAP_DASH;
	case '&': case '+': return TRAWL_GAP_AMP;
	case '|': return TRAWL_GAP_PIPE;
	case '/': case '\\': return TRAWL_GAP_SLASH;
	case ' ': case '\r': case '\n': case 0xA0: case 0x202F: case 0x2009: case '\f': case '\v': return 0;
	default: return TRAWL_GAP_OTHER;
	}
}

/* What an ASCII byte is to the tokenizer: a letter (lower-case ones
 * have C_LOWER too) or a digit; 0 for the rest and for bytes from 0x80,
 * which are decoded. */
enum { C_LETTER = 1 << 0, C_LOWER = 1 << 1, C_DIGIT = 1 << 2 };

static const uint8_t byte_class[256] = {
	['0'] = C_DIGIT, ['1'] = C_DIGIT, ['2'] = C_DIGIT, ['3'] = C_DIGIT, ['4'] = C_DIGIT,
	['5'] = C_DIGIT, ['6'] = C_DIGIT, ['7'] = C_DIGIT, ['8'] = C_DIGIT, ['9'] = C_DIGIT,
	['A'] = C_LETTER, ['B'] = C_LETTER, ['C'] = C_LETTER, ['D'] = C_LETTER, ['E'] = C_LETTER,
	['F'] = C_LETTER, ['G'] = C_LETTER, ['H'] = C_LETTER, ['I'] = C_LETTER, ['J'] = C_LETTER,
	['K'] = C_LETTER, ['L'] = C_LETTER, ['M'] = C_LETTER, ['N'] = C_LETTER, ['O'] = C_LETTER,
	['P'] = C_LETTER, ['Q'] = C_LETTER, ['R'] = C_LETTER, ['S'] = C_LETTER, ['T'] = C_LETTER,
	['U'] = C_LETTER, ['V'] = C_LETTER, ['W'] = C_LETTER, ['X'] = C_LETTER, ['Y'] = C_LETTER,
	['Z'] = C_LETTER,
	['a'] = C_LETTER | C_LOWER, ['b'] = C_LETTER | C_LOWER, ['c'] = C_LETTER | C_LOWER,
	['d'] = C_LETTER | C_LOWER, ['e'] = C_LETTER | C_LOWER, ['f'] = C_LETTER | C_LOWER,
	['g'] = C_LETTER | C_LOWER, ['h'] = C_LETTER | C_LOWER, ['i'] = C_LETTER | C_LOWER,
	['j'] = C_LETTER | C_LOWER, ['k'] = C_LETTER | C_LOWER, ['l'] = C_LETTER | C_LOWER,
	['m'] = C_LETTER | C_LOWER, ['n'] = C_LETTER | C_LOWER, ['o'] = C_LETTER | C_LOWER,
	['p'] = C_LETTER | C_LOWER, ['q'] = C_LETTER | C_LOWER, ['r'] = C_LETTER | C_LOWER,
	['s'] = C_LETTER | C_LOWER, ['t'] = C_LETTER | C_LOWER, ['u'] = C_LETTER | C_LOWER,
	['v'] = C_LETTER | C_LOWER, ['w'] = C_LETTER | C_LOWER, ['x'] = C_LETTER | C_LOWER,
	['y'] = C_LETTER | C_LOWER, ['z'] = C_LETTER | C_LOWER,
};

/* The code point at t[j] (of len bytes) is a letter or a digit. */
static bool
alnum_at(const unsigned char *t, size_t j, size_t len)
{
	if (t[j] < 0x80)
		return byte_class[t[j]] != 0;
	size_t n;
	gunichar c = cp_at(t + j, len - j, &n);
	return is_letter(c) || is_digit(c);
}

/* The TRAWL_TOK_* flags of a token from those its first code point gave
 * (flags) and the C_* of its letters and digits (seen). */
static uint16_t
finish_flags(uint16_t flags, unsigned seen)
{
	if (seen & C_LETTER)
		flags |= TRAWL_TOK_ALPHA;
	if (seen & C_DIGIT)
		flags |= TRAWL_TOK_DIGIT;
	if (!(seen & C_LOWER)) {
		flags &= (uint16_t)~TRAWL_TOK_CAP;
		if (seen & C_LETTER)
			flags |= TRAWL_TOK_UPPER;
	}
	/* without letters a token is ASCII digits and joiners */
	if (!(flags & (TRAWL_TOK_ALPHA | TRAWL_TOK_JOINED)))
		flags |= TRAWL_TOK_ALL_DIGITS;
	return flags;
}

/* The flags a token's first ASCII letter or digit of byte_class cls gives. */
static uint16_t
first_flags(unsigned cls)
{
	return cls & C_DIGIT ? TRAWL_TOK_LEAD_DIGIT : cls & C_LOWER ? TRAWL_TOK_LOWER : TRAWL_TOK_CAP;
}

/* Tables the tokenizer reads instead of deciding byte by byte, built once
 * from the functions above (so they cannot disagree with them):
 * gap_class() of every ASCII byte, and the finished flags of a token of
 * ASCII letters and digits alone by the class of its first byte and the
 * C_* it holds. */
static uint16_t ascii_gap[128];
static uint16_t ascii_flags[8][8];
static pthread_once_t tok_tables_once = PTHREAD_ONCE_INIT;

static void
tok_tables_build(void)
{
	for (unsigned b = 0; b < 128; b++)
		ascii_gap[b] = gap_class(b);
	for (unsigned cls = 1; cls < 8; cls++)
		for (unsigned seen = 0; seen < 8; seen++)
			ascii_flags[cls][seen] = finish_flags(first_flags(cls), seen | cls);
}

trawl_status_t
trawl_detect__tokenize(trawl_toks_t *out, const char *text, size_t len)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i = 0;
	uint16_t gap = TRAWL_GAP_START, nl = 0;
	pthread_once(&tok_tables_once, tok_tables_build);
	out->n = 0;
	while (i < len) {
		size_t n;
		unsigned char b = t[i];
		if (b == ' ') {
			i++;
			continue;
		}
		unsigned cls = 0;
		if (b < 0x80) {
			cls = byte_class[b];
			n = 1;
			if (!cls) {
				if (b == '\n' && nl < UINT16_MAX)
					nl++;
				gap |= ascii_gap[b];
				i++;
				continue;
			}
		} else {
			gunichar c = cp_at(t + i, len - i, &n);
			if (!is_letter(c) && !is_digit(c)) {
				gap |= gap_class(c);
				i += n;
				continue;
			}
		}
		/* a token */
		if (out->n == out->cap) {
			size_t cap = out->cap ? out->cap * 2 : 256;
			trawl_tok_t *v = realloc(out->v, cap * sizeof *v);
			if (!v)
				return TRAWL_ENOMEM;
			out->v = v;
			uint32_t *lf = realloc(out->line_first, cap * sizeof *lf);
			if (!lf)
				return TRAWL_ENOMEM;
			out->line_first = lf;
			uint32_t *ls = realloc(out->lists, cap * sizeof *ls);
			if (!ls)
				return TRAWL_ENOMEM;
			out->lists = ls;
			out->cap = cap;
		}

		/* C_* of its letters and digits: non-ASCII letters count as
		 * C_LETTER, and C_LOWER too when lower case */
		unsigned seen = 0;
		size_t j = i, extra = 0; /* bytes of its code points past their first */
		uint16_t flags = 0;
		if (b < 0x80) {
			/* ASCII letters and digits, the bulk of mail, a run at a
			 * time; a run that ends the token (at the end of the text,
			 * or at an ASCII byte that joins nothing) is finished here,
			 * as the loop below would finish it */
			unsigned k;
			seen = cls;
			j = i + 1;
			while (j < len && (k = byte_class[t[j]]) != 0) {
				seen |= k;
				j++;
			}
			unsigned char e = j < len ? t[j] : 0;
			if (e < 0x80 && e != '-' && e != '\'' && e != '/') {
				/* written field by field: a copy of tok cost more */
				trawl_tok_t *o = &out->v[out->n++];
				o->start = (uint32_t)i;
				o->end = (uint32_t)j;
				o->flags = ascii_flags[cls][seen] | (e == '.' ? TRAWL_TOK_DOT : 0);
				o->gap = gap;
				o->nl = nl;
				o->ncp = j - i >= UINT16_MAX ? UINT16_MAX : (uint16_t)(j - i);
				gap = 0;
				nl = 0;
				/* the blank after most words: no gap, no newline */
				i = e == ' ' ? j + 1 : j;
				continue;
			}
			flags = first_flags(cls);
		}
		trawl_tok_t tok = { .start = (uint32_t)i, .flags = flags, .gap = gap, .nl = nl };
		while (j < len) {
			/* ASCII letters and digits a run at a time */
			while (j < len && (cls = byte_class[t[j]]) != 0) {
				seen |= cls;
				j++;
			}
			if (j == len)
				break;
			b = t[j];
			if (b == '-' || b == '\'' || b == '/') {
				/* kept only between letters or digits */
				if (j == i || j + 1 == len || !alnum_at(t, j + 1, len))
					break;
				tok.flags |= TRAWL_TOK_JOINED;
				j++;
				continue;
			}
			if (b < 0x80)
				break;
			size_t m;
			gunichar d = cp_at(t + j, len - j, &m);
			if (is_letter(d)) {
				bool lo = g_unichar_islower(d);
				if (j == i)
					tok.flags = g_unichar_isupper(d) || g_unichar_istitle(d) ? TRAWL_TOK_CAP
					            : lo ? TRAWL_TOK_LOWER : 0;
				seen |= lo ? C_LETTER | C_LOWER : C_LETTER;
			} else if (is_joiner(d) && j != i) {
				if (j + m == len || !alnum_at(t, j + m, len))
					break;
				tok.flags |= TRAWL_TOK_JOINED;
			} else {
				break;
			}
			extra += m - 1;
			j += m;
		}
		tok.end = (uint32_t)j;
		tok.ncp = j - i - extra >= UINT16_MAX ? UINT16_MAX : (uint16_t)(j - i - extra);
		tok.flags = finish_flags(tok.flags, seen);
		if (j < len && t[j] == '.')
			tok.flags |= TRAWL_TOK_DOT;
		out->v[out->n++] = tok;
		gap = 0;
		nl = 0;
		i = j;
	}
	/* in a loop of its own: kept out of the one above, it costs less */
	uint32_t line = 0;
	for (size_t k = 0; k < out->n; k++) {
		if (out->v[k].nl)
			line = (uint32_t)k;
		out->line_first[k] = line;
	}
	if (out->n)
		memset(out->lists, 0, out->n * sizeof *out->lists);
	return TRAWL_OK;
}

/* The lower-cased word w[0, len) with the accents of Latin-1's letters
 * taken off ("sánchez" -> "sanchez", "müller" -> "muller") into out
 * (size cap): its length, or 0 when it holds another letter outside
 * ASCII, or no accent at all. */
static size_t
fold_latin1(char *out, size_t cap, const char *w, size_t len)
{
	/* U+00E0 to U+00FF; 0: no ASCII form */
	static const char plain[32] = {'a', 'a', 'a', 'a', 'a', 'a', 0,   'c', 'e', 'e', 'e',
	                               'e', 'i', 'i', 'i', 'i', 0,   'n', 'o', 'o', 'o', 'o',
	                               'o', 0,   'o', 'u', 'u', 'u', 'u', 'y', 0,   'y'};
	size_t n = 0;
	bool folded = false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)w[i];
		if (ch < 0x80) {
			if (n + 1 >= cap)
				return 0;
			out[n++] = (char)ch;
			continue;
		}
		unsigned char nx = i + 1 < len ? (unsigned char)w[i + 1] : 0;
		if (ch != 0xC3 || nx < 0xA0 || nx > 0xBF || !plain[nx - 0xA0] || n + 1 >= cap)
			return 0;
		out[n++] = plain[nx - 0xA0];
		folded = true;
		i++;
	}
	return folded ? n : 0;
}

unsigned
trawl_lexicon__lists_accented(const trawl_lexicon_t *lx, const char *lower, size_t len)
{
	unsigned m = trawl_lexicon__lists(lx, lower, len);
	char plain[128];
	size_t pl = m & (TRAWL_LX_GIVEN | TRAWL_LX_SURNAME) ? 0 : fold_latin1(plain, sizeof plain, lower, len);
	if (pl)
		m |= trawl_lexicon__lists(lx, plain, pl) & (TRAWL_LX_GIVEN | TRAWL_LX_SURNAME);
	return m;
}

unsigned
trawl_toks__lists_lookup(const trawl_toks_t *toks, const trawl_lexicon_t *lx, const char *text, size_t i)
{
	const trawl_tok_t *k = &toks->v[i];
	size_t n = k->end - k->start;
	char buf[128];
	unsigned m;
	if (n == k->ncp && !(k->flags & TRAWL_TOK_JOINED) && n < sizeof buf) {
		/* ASCII letters and digits alone, the most of mail: lower-cased
		 * as trawl_detect__lower_tok() does and hashed in one loop */
		uint32_t h = trawl_word_lower_hash(buf, text + k->start, n);
		m = trawl_wordtab__get(&lx->words, buf, n, h);
	} else {
		size_t len = trawl_detect__lower_tok(buf, sizeof buf, text, k);
		m = len ? trawl_lexicon__lists_accented(lx, buf, len) : 0;
	}
	toks->lists[i] = TRAWL_TOKS_LISTS_KNOWN | m;
	return m;
}

/* ---- tokens shared by the detectors of one text ---- */

typedef struct {
	trawl_toks_t toks;
	const char *text; /* what toks are the tokens of */
	size_t len;
	uint64_t serial;  /* ... in the run of that number; 0: of no run */
	uint64_t current; /* the run now, 0 when outside trawl_detect_text() */
	uint64_t runs;
} tok_cache_t;

static pthread_key_t tok_key;
static pthread_once_t tok_once = PTHREAD_ONCE_INIT;

static void
tok_cache_free(void *p)
{
	tok_cache_t *c = p;
	trawl_toks_free(&c->toks);
	free(c);
}

static void
tok_key_init(void)
{
	pthread_key_create(&tok_key, tok_cache_free);
}

/* The calling thread's cache (freed when the thread ends), or NULL. */
static tok_cache_t *
tok_cache(void)
{
	pthread_once(&tok_once, tok_key_init);
	tok_cache_t *c = pthread_getspecific(tok_key);
	if (!c && (c = calloc(1, sizeof *c)) && pthread_setspecific(tok_key, c) != 0) {
		free(c);
		c = NULL;
	}
	return c;
}

void
trawl_detect__text_begin(void)
{
	tok_cache_t *c = tok_cache();
	if (c)
		c->current = ++c->runs;
}

void
trawl_detect__text_end(void)
{
	tok_cache_t *c = tok_cache();
	if (c)
		c->current = 0;
}

trawl_status_t
trawl_detect__tokens(const trawl_toks_t **out, const trawl_text_t *text)
{
	tok_cache_t *c = tok_cache();
	*out = NULL;
	if (!c)
		return TRAWL_ENOMEM;
	if (c->current && c->serial == c->current && c->text == text->text && c->len == text->len) {
		*out = &c->toks;
		return TRAWL_OK;
	}
	c->serial = 0;
	trawl_status_t rc = trawl_detect__tokenize(&c->toks, text->text, text->len);
	if (rc < 0)
		return rc;
	c->serial = c->current;
	c->text = text->text;
	c->len = text->len;
	*out = &c->toks;
	return TRAWL_OK;
}

/* The bytes trawl_detect__fold() folds to a space, besides U+00A0. */
static const bool fold_sep[128] = {
	[' '] = true, ['\t'] = true, ['\n'] = true, ['\r'] = true, [','] = true,
	[';'] = true, ['"'] = true, ['|'] = true, ['\f'] = true, ['\v'] = true,
};

/* trawl_detect__fold() of s[0, len) into out (len + 1 bytes) when s is
 * ASCII without a NUL, the most text: lower-cased and folded in one pass
 * (lower-casing changes no separator, and no letter into one). False,
 * with out to be written afresh, at the first other byte. */
static bool
fold_ascii(char *out, const unsigned char *s, size_t len)
{
	size_t w = 0;
	bool space = true; /* drops leading separators */
	for (size_t r = 0; r < len; r++) {
		unsigned char c = s[r];
		if (c - 1u >= 0x7Fu)
			return false;
		if (fold_sep[c]) {
			if (!space)
				out[w++] = ' ';
			space = true;
			continue;
		}
		out[w++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		space = false;
	}
	while (w && out[w - 1] == ' ')
		w--;
	out[w] = '\0';
	return true;
}

char *
trawl_detect__fold(const char *text, size_t start, size_t end)
{
	size_t len = end - start;
	char *low = malloc(len + 1);
	if (!low)
		return NULL;
	if (fold_ascii(low, (const unsigned char *)text + start, len))
		return low;
	/* lower-cased without glib for Latin-1 text too, then folded */
	if (!trawl_detect__lower(low, len + 1, text + start, len)) {
		free(low);
		gchar *g = g_utf8_strdown(text + start, (gssize)len);
		low = g ? strdup(g) : NULL;
		g_free(g);
		if (!low)
			return NULL;
	}
	size_t w = 0;
	bool space = true; /* drops leading separators */
	for (size_t r = 0; low[r]; r++) {
		unsigned char c = (unsigned char)low[r];
		bool sep = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ';' || c == '"' ||
		           c == '|' || c == '\f' || c == '\v';
		if (c == 0xC2 && (unsigned char)low[r + 1] == 0xA0) {
			sep = true;
			r++;
		}
		if (sep) {
			if (!space)
				low[w++] = ' ';
			space = true;
			continue;
		}
		low[w++] = (char)c;
		space = false;
	}
	while (w && low[w - 1] == ' ')
		w--;
	low[w] = '\0';
	return low;
}
