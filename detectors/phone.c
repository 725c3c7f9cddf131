/* The telephone-number detector.
 *
 * A linear scan picks out runs that look like numbers as people write them
 * (digits with spaces, dashes, dots, slashes, parentheses; a leading + or
 * 00), throws out what has the shape of something else (dates, times,
 * versions, addresses, card numbers, ISBNs, amounts) or stands after a word
 * that names something else (order, invoice, customer number ...), and hands
 * the rest to libphonenumber (detectors/phonelib.h), which knows every
 * country's numbering plan.
 *
 * A number written with +CC or 00CC says which country it is. A national one
 * ("030 1234567", "(415) 555-0134") does not, so it is tried against a short
 * list of countries and every reading the plan allows is kept; the way the
 * digits are grouped (each country has its own habits, which libphonenumber
 * knows too) and then the evidence around the text (the same number written
 * internationally, the sender's country domain, the language, the configured
 * region) choose among the readings. Confidence says how much was proven.
 *
 * The word lists are static arrays for now; they move to rules/ later.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "detectors/detector.h"

#include <ctype.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "detectors/phonelib.h"
#include "detectors/wordlist.h"
#include "util/util.h"

#define MIN_DIGITS 7
#define MAX_DIGITS 20      /* a run with more is no single number */
#define MAX_GROUPS 16
#define CONTEXT_BYTES 64   /* how far back a context word may stand */
#define CONTEXT_WORDS 8
#define LANG_SAMPLE 8192   /* bytes of text read to guess its language */

/* ---- word lists ---------------------------------------------------------
 * rules/phone/ (detectors/wordlist.c loads them with the other lists):
 * hotwords.txt announce a telephone number, not-phone.txt name some other
 * number, number-words.txt ("nr", "no", "nummer") side with the word before
 * them, function-words-<lang>.txt tell the language of a text. Lower-case;
 * a trailing '*' matches any word that begins so (German compounds:
 * "Telefonnummer", "Kundennummer"). */

/* Single letters that announce a number when a colon or dot follows
 * ("T: ...", "M. ...") or, as a capital, stand right before it ("T +41 ..."):
 * telephone, mobile, fax, handy, phone, office, cell, direct. */
static const char hot_letters[] = "tmfhpocd";

/* The languages of rules/phone/function-words-*.txt and where national
 * numbers of a text in each are most likely from: its region comes first. */
typedef struct {
	const char *lang;
	const char *regions[3];
} lang_words_t;

static const lang_words_t languages[] = {
	{"de", {"DE", "AT", "CH"}}, {"en", {"GB", "US", "IE"}}, {"fr", {"FR", "BE", "CH"}},
	{"nl", {"NL", "BE", NULL}}, {"it", {"IT", "CH", NULL}}, {"es", {"ES", NULL, NULL}},
	{"pt", {"PT", NULL, NULL}}, {"pl", {"PL", NULL, NULL}},
};
#define NLANG (sizeof languages / sizeof *languages)

/* The countries whose national formats are tried when nothing says where a
 * number is from, in the order used to break a tie no evidence settles.
 * Italy comes last: its plan takes 6 to 11 digits after any 0 area code, so
 * nearly every national number of the others also reads as Italian. */
typedef struct {
	const char *region;
	char trunk; /* '0' when national numbers start with the trunk prefix 0 */
	unsigned char min_len, max_len;
	const char *first; /* first digits allowed (NULL = any) when there is no trunk prefix */
} region_info_t;

static const region_info_t regions[] = {
	{"DE", '0', 5, 16, NULL},  {"GB", '0', 7, 12, NULL}, {"US", 0, 10, 11, "123456789"},
	{"CA", 0, 10, 11, "123456789"}, {"FR", '0', 10, 10, NULL}, {"AT", '0', 5, 15, NULL},
	{"CH", '0', 10, 10, NULL}, {"NL", '0', 10, 10, NULL}, {"BE", '0', 9, 10, NULL},
	{"IE", '0', 7, 11, NULL},  {"ES", 0, 9, 9, "6789"},    {"PT", 0, 9, 9, "29"},
	{"PL", 0, 9, 9, "123456789"}, {"IT", 0, 6, 12, "03"},
};
#define NREGIONS (sizeof regions / sizeof *regions)

/* Country-code top-level domains that are sold as generic names and say
 * nothing about where the sender lives. */
static const char *const vanity_tlds[] = {"io", "co", "tv", "me", "ai", "fm", "ly", "to", "cc", "ws",
                                          "nu", "tk", "gg", "ac", "sh", "la", "am", "im", "is", "vc",
                                          "ms", "gd", "cx", "so", "st", "sx", "eu", NULL};

/* ---- small helpers ------------------------------------------------------ */

/* Separator characters inside a number: returns the byte length of the one
 * at p (0 if none) and its class. */
enum { SEP_NONE, SEP_SPACE, SEP_PUNCT, SEP_OPEN, SEP_CLOSE };

static size_t
sep_at(const char *p, size_t avail, int *cls)
{
	unsigned char c = (unsigned char)p[0];
	switch (c) {
	case ' ': *cls = SEP_SPACE; return 1;
	case '-': case '.': case '/': *cls = SEP_PUNCT; return 1;
	case '(': *cls = SEP_OPEN; return 1;
	case ')': *cls = SEP_CLOSE; return 1;
	}
	if (avail >= 2 && c == 0xc2 && (unsigned char)p[1] == 0xa0) { /* no-break space */
		*cls = SEP_SPACE;
		return 2;
	}
	if (avail >= 3 && c == 0xe2 && (unsigned char)p[1] == 0x80) {
		unsigned char d = (unsigned char)p[2];
		if (d == 0x89 || d == 0xaf || d == 0x8a) { /* thin, narrow no-break, hair space */
			*cls = SEP_SPACE;
			return 3;
		}
		if (d == 0x90 || d == 0x91 || d == 0x93) { /* hyphen, no-break hyphen, en dash */
			*cls = SEP_PUNCT;
			return 3;
		}
	}
	*cls = SEP_NONE;
	return 0;
}

static bool
word_matches(const char *word, size_t wl, const char *pattern)
{
	/* the first byte settles most comparisons, before any strlen */
	unsigned char w0 = (unsigned char)word[0], p0 = (unsigned char)pattern[0];
	if (w0 != p0 && (!trawl_is_alpha(w0) || (w0 | 0x20) != p0))
		return false;
	size_t pl = strlen(pattern);
	if (pl && pattern[pl - 1] == '*')
		return wl >= pl - 1 && strncasecmp(word, pattern, pl - 1) == 0;
	return wl == pl && strncasecmp(word, pattern, pl) == 0;
}

/* A word list indexed by first letter, built once: every word of a text
 * is looked up, so each look-up should read only the few words that could
 * match. */
#define WORDSET_MAX 1024 /* entries of one list: rules/phone/ may grow */
typedef struct {
	const char *const *src;
	const char *by_letter[WORDSET_MAX];
	/* of each by_letter[] entry: its length without a trailing '*', and
	 * whether it has one */
	unsigned char len[WORDSET_MAX];
	bool prefix[WORDSET_MAX];
	unsigned short first[28]; /* by_letter[first[k], first[k + 1]): letter k ('a'..'z'; 26 other) */
} wordset_t;

static wordset_t ws_hot, ws_neg, ws_number;
static pthread_once_t wordsets_once = PTHREAD_ONCE_INIT;
static bool wordsets_ok; /* the lists of rules/phone/ were read */

/* The entries of ws_number, ws_neg and ws_hot in one set, each with the
 * CW_* bits of the lists it is in: context_before() asks about every word
 * before every number in all three, and so reads the entries of the word's
 * first letter once, not once per list. ctx_ok is false when the three
 * hold more than one set can (then each list is asked as before). */
enum { CW_NUMBER = 1, CW_NEG = 2, CW_HOT = 4 };
static const char *ctx_all_src[WORDSET_MAX + 1];
static unsigned char ctx_all_bits[WORDSET_MAX];
static wordset_t ws_ctx = {.src = ctx_all_src};
static bool ctx_ok;
/* The entries of ws_ctx again, by the letter_of() of the first two bytes
 * of the words they can match (27 for the second of a word of one byte):
 * a word is compared only with the entries of its pair, not with every
 * entry of its first letter. An entry of one letter and a '*' is in every
 * pair of that letter. ctx_pairs_ok is false when an entry is empty (or
 * the pairs would not fit); ws_ctx is then read by first letter. */
#define CTX_PAIRS (27 * 28)
static unsigned short ctx_pair_first[CTX_PAIRS + 1]; /* ctx_pair_entry[first[k], first[k + 1]): pair k */
static unsigned short ctx_pair_entry[2 * WORDSET_MAX];
static bool ctx_pairs_ok;

/* The function words of every language in one set, each with the languages
 * it belongs to (bits of languages[]): a word of a text is looked up once,
 * not once per language. */
#define LANG_WORDS_MAX WORDSET_MAX
static const char *lang_all_src[LANG_WORDS_MAX + 1];
static unsigned lang_all_bits[LANG_WORDS_MAX];
static wordset_t ws_lang_all = {.src = lang_all_src};

/* guess_language() looks up every word of the first LANG_SAMPLE bytes of
 * nearly every text, most of them no function word: the entries of
 * ws_lang_all are also in an open-addressing table by the hash of their
 * text, with the bits of their languages, so that a word costs one hash
 * and (mostly) one empty slot rather than a comparison with each entry of
 * its first letter. Entries that end in '*' (none yet) are not in it and
 * are tried one by one. */
#define LANG_WORD_LEN 14 /* longer words are not looked up */
#define LANG_SLOTS (2 * LANG_WORDS_MAX)
typedef struct {
	char key[LANG_WORD_LEN]; /* ASCII lower case, as strncasecmp() compares */
	unsigned char len;       /* 0: an empty slot */
	unsigned bits;
} lang_slot_t;
static lang_slot_t lang_slots[LANG_SLOTS];
static size_t lang_mask; /* slots in use less one, a power of two less one */
static unsigned short lang_prefix[LANG_WORDS_MAX]; /* entries of ws_lang_all that end in '*' */
static size_t nlang_prefix;
/* What a byte is to guess_language(): trawl_is_wordish() and not a digit
 * (LC_WORD, a word starts with one), a digit (LC_DIGIT), or neither (0). */
enum { LC_WORD = 1, LC_DIGIT = 2 };
static unsigned char lang_class[256];
/* The shapes of the entries in lang_slots[]: their length and the
 * letter_of() their first two bytes (27 for none), one bit each. A word of
 * a shape no entry has is no function word, and need not be hashed. */
#define LANG_SHAPES (27 * 28 * (LANG_WORD_LEN + 1))
static unsigned char lang_shapes[(LANG_SHAPES + 7) / 8];

static int
letter_of(unsigned char c)
{
	c |= 0x20;
	return c >= 'a' && c <= 'z' ? c - 'a' : 26;
}

/* Builds the index of ws; index_of[] (if not NULL) receives, for each
 * by_letter[] entry, the position of its word in ws->src. */
static void
wordset_build(wordset_t *ws, unsigned short *index_of)
{
	unsigned short count[27] = {0};
	size_t n = 0;
	for (const char *const *p = ws->src; *p && n < WORDSET_MAX; p++, n++)
		count[letter_of((unsigned char)**p)]++;
	ws->first[0] = 0;
	for (int k = 0; k < 27; k++)
		ws->first[k + 1] = (unsigned short)(ws->first[k] + count[k]);
	unsigned short fill[27];
	memcpy(fill, ws->first, sizeof fill);
	for (size_t i = 0; i < n; i++) {
		int k = letter_of((unsigned char)ws->src[i][0]);
		if (index_of)
			index_of[fill[k]] = (unsigned short)i;
		size_t l = strlen(ws->src[i]);
		if (l > UCHAR_MAX)
			l = UCHAR_MAX; /* no word of a text is that long */
		ws->prefix[fill[k]] = l && ws->src[i][l - 1] == '*';
		ws->len[fill[k]] = (unsigned char)(l - ws->prefix[fill[k]]);
		ws->by_letter[fill[k]++] = ws->src[i];
	}
}

/* word_matches() for entry e of ws, its length known. */
static bool
entry_matches(const wordset_t *ws, unsigned e, const char *word, size_t wl)
{
	size_t pl = ws->len[e];
	if (ws->prefix[e] ? wl < pl : wl != pl)
		return false;
	return strncasecmp(word, ws->by_letter[e], pl) == 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The entries of wl, sorted, NULL-terminated: the array is the caller's
 * (kept for the process here), the strings the lexicon's. */
static const char **
list_words(const trawl_wordlist_t *wl)
{
	guint n = 0;
	const char **v = (const char **)g_hash_table_get_keys_as_array(wl->set, &n);
	qsort(v, n, sizeof *v, cmp_str);
	return v;
}

/* ASCII lower case of w[0, wl) (wl <= LANG_WORD_LEN) into low, and the
 * hash of that. */
static uint32_t
lang_lower(const char *w, size_t wl, char *low)
{
	for (size_t k = 0; k < wl; k++) {
		unsigned char ch = (unsigned char)w[k];
		low[k] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
	}
	return trawl_word_hash(low, wl);
}

static int letter_of(unsigned char c);

/* The bit of lang_shapes[] for w[0, wl) (1 <= wl <= LANG_WORD_LEN): a word
 * that matches an entry has the entry's, for letter_of() folds case as
 * strncasecmp() does. */
static size_t
lang_shape(const char *w, size_t wl)
{
	int second = wl > 1 ? letter_of((unsigned char)w[1]) : 27;
	return ((size_t)letter_of((unsigned char)w[0]) * 28 + (size_t)second) * (LANG_WORD_LEN + 1) + wl;
}

/* Fills lang_slots[] and lang_prefix[] from ws_lang_all. */
static void
lang_table_build(void)
{
	size_t n = ws_lang_all.first[27], slots = 16;
	while (slots < 2 * n)
		slots *= 2;
	lang_mask = slots - 1;
	for (unsigned c = 0; c < 256; c++)
		lang_class[c] = trawl_is_digit((unsigned char)c)    ? LC_DIGIT
		                : trawl_is_wordish((unsigned char)c) ? LC_WORD
		                                                     : 0;
	for (unsigned e = 0; e < n; e++) {
		if (ws_lang_all.prefix[e]) {
			lang_prefix[nlang_prefix++] = (unsigned short)e;
			continue;
		}
		size_t l = ws_lang_all.len[e];
		if (l == 0 || l > LANG_WORD_LEN)
			continue; /* no word looked up can equal it */
		char low[LANG_WORD_LEN];
		size_t k = lang_lower(ws_lang_all.by_letter[e], l, low) & lang_mask;
		/* the entries are distinct, and lower case: one slot each */
		while (lang_slots[k].len)
			k = (k + 1) & lang_mask;
		memcpy(lang_slots[k].key, low, l);
		lang_slots[k].len = (unsigned char)l;
		lang_slots[k].bits = lang_all_bits[e];
		size_t b = lang_shape(ws_lang_all.by_letter[e], l);
		lang_shapes[b / 8] |= (unsigned char)(1u << (b % 8));
	}
}

/* The bits of every language whose function words hold w[0, wl) (wl <=
 * LANG_WORD_LEN): what comparing it with each entry of ws_lang_all by
 * entry_matches() gives. low is w in ASCII lower case, hash its
 * trawl_word_hash(). */
static unsigned
lang_bits(const char *w, const char *low, size_t wl, uint32_t hash)
{
	size_t k = hash & lang_mask;
	unsigned bits = 0;
	for (; lang_slots[k].len; k = (k + 1) & lang_mask) {
		if (lang_slots[k].len == wl && memcmp(lang_slots[k].key, low, wl) == 0) {
			bits = lang_slots[k].bits;
			break;
		}
	}
	for (size_t p = 0; p < nlang_prefix; p++)
		if (entry_matches(&ws_lang_all, lang_prefix[p], w, wl))
			bits |= lang_all_bits[lang_prefix[p]];
	return bits;
}

static void ctx_set_build(void);

static void
wordsets_build(void)
{
	const trawl_lexicon_t *lx = trawl_detect__lexicon(NULL);
	if (!lx)
		return; /* scan() says so */
	ws_hot.src = list_words(&lx->phone_hot);
	ws_neg.src = list_words(&lx->phone_not);
	ws_number.src = list_words(&lx->phone_number);
	wordset_build(&ws_hot, NULL);
	wordset_build(&ws_neg, NULL);
	wordset_build(&ws_number, NULL);
	ctx_set_build();
	/* one entry per word, with the bits of every language that has it */
	size_t n = 0;
	unsigned bits[LANG_WORDS_MAX];
	for (size_t l = 0; l < NLANG; l++) {
		const trawl_wordlist_t *fw = NULL;
		for (size_t k = 0; k < TRAWL_LEXICON_LANGS; k++)
			if (strcmp(trawl_lexicon_langs[k], languages[l].lang) == 0)
				fw = &lx->function_words[k];
		if (!fw)
			continue;
		const char **words = list_words(fw);
		for (const char *const *w = words; *w; w++) {
			size_t k = 0;
			while (k < n && strcmp(lang_all_src[k], *w) != 0)
				k++;
			if (k == n && n < LANG_WORDS_MAX) {
				lang_all_src[n] = *w;
				bits[n++] = 0;
			}
			if (k < n)
				bits[k] |= 1u << l;
		}
		g_free(words); /* the strings stay: the lexicon's */
	}
	lang_all_src[n] = NULL;
	unsigned short index_of[WORDSET_MAX];
	wordset_build(&ws_lang_all, index_of);
	for (size_t i = 0; i < n; i++)
		lang_all_bits[i] = bits[index_of[i]];
	lang_table_build();
	wordsets_ok = true;
}

static bool
word_in(const char *word, size_t wl, const wordset_t *ws)
{
	int k = letter_of((unsigned char)word[0]);
	for (unsigned i = ws->first[k]; i < ws->first[k + 1]; i++)
		if (entry_matches(ws, i, word, wl))
			return true;
	return false;
}

/* The pairs ctx_lists() reads entry e of ws_ctx in: [*lo, *hi]. */
static void
ctx_pair_range(unsigned e, size_t *lo, size_t *hi)
{
	const char *w = ws_ctx.by_letter[e];
	size_t base = (size_t)letter_of((unsigned char)w[0]) * 28;
	if (ws_ctx.len[e] >= 2)
		*lo = *hi = base + (size_t)letter_of((unsigned char)w[1]);
	else if (ws_ctx.prefix[e])
		*lo = base, *hi = base + 27; /* "x*": whatever comes second */
	else
		*lo = *hi = base + 27; /* a word of one byte */
}

/* Fills ctx_pair_first[] and ctx_pair_entry[] from ws_ctx, as built. */
static void
ctx_pairs_build(void)
{
	unsigned count[CTX_PAIRS] = {0};
	size_t n = ws_ctx.first[27], total = 0, lo, hi;
	for (unsigned e = 0; e < n; e++) {
		if (ws_ctx.len[e] == 0)
			return; /* "*" would be in every pair */
		ctx_pair_range(e, &lo, &hi);
		for (size_t k = lo; k <= hi; k++)
			count[k]++;
		total += hi - lo + 1;
	}
	if (total > sizeof ctx_pair_entry / sizeof *ctx_pair_entry)
		return;
	ctx_pair_first[0] = 0;
	for (size_t k = 0; k < CTX_PAIRS; k++)
		ctx_pair_first[k + 1] = (unsigned short)(ctx_pair_first[k] + count[k]);
	unsigned short fill[CTX_PAIRS];
	memcpy(fill, ctx_pair_first, sizeof fill);
	for (unsigned e = 0; e < n; e++) {
		ctx_pair_range(e, &lo, &hi);
		for (size_t k = lo; k <= hi; k++)
			ctx_pair_entry[fill[k]++] = (unsigned short)e;
	}
	ctx_pairs_ok = true;
}

/* Fills ws_ctx from the three lists, as built. */
static void
ctx_set_build(void)
{
	const struct {
		const wordset_t *ws;
		unsigned char bit;
	} lists[] = {{&ws_number, CW_NUMBER}, {&ws_neg, CW_NEG}, {&ws_hot, CW_HOT}};
	unsigned char bits[WORDSET_MAX];
	size_t n = 0;
	for (size_t l = 0; l < sizeof lists / sizeof *lists; l++) {
		const wordset_t *ws = lists[l].ws;
		for (unsigned e = 0; e < ws->first[27]; e++) {
			size_t k = 0;
			while (k < n && strcmp(ctx_all_src[k], ws->by_letter[e]) != 0)
				k++;
			if (k == n) {
				if (n == WORDSET_MAX)
					return; /* ctx_ok stays false */
				ctx_all_src[n] = ws->by_letter[e];
				bits[n++] = 0;
			}
			bits[k] |= lists[l].bit;
		}
	}
	ctx_all_src[n] = NULL;
	unsigned short index_of[WORDSET_MAX];
	wordset_build(&ws_ctx, index_of);
	for (size_t i = 0; i < n; i++)
		ctx_all_bits[i] = bits[index_of[i]];
	ctx_ok = true;
	ctx_pairs_build();
}

/* strncasecmp(a, b, n) == 0 in the C locale, for a and b without a NUL in
 * their first n bytes: ASCII letters compared without their case, every
 * other byte as it is. */
static bool
same_folded(const char *a, const char *b, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		unsigned char x = (unsigned char)a[k], y = (unsigned char)b[k];
		if (x != y && ((x | 0x20) != (y | 0x20) || !trawl_is_alpha(x)))
			return false;
	}
	return true;
}

/* The CW_* bits of the lists in which word_in() finds word[0, wl) (no NUL
 * in it). */
static unsigned
ctx_lists(const char *word, size_t wl)
{
	if (!ctx_ok)
		return (word_in(word, wl, &ws_number) ? CW_NUMBER : 0) | (word_in(word, wl, &ws_neg) ? CW_NEG : 0) |
		       (word_in(word, wl, &ws_hot) ? CW_HOT : 0);
	unsigned bits = 0;
	if (ctx_pairs_ok && wl) {
		/* a word that matches an entry has the entry's pair, for letter_of()
		 * folds case as same_folded() does */
		size_t k = (size_t)letter_of((unsigned char)word[0]) * 28 +
		           (size_t)(wl > 1 ? letter_of((unsigned char)word[1]) : 27);
		for (unsigned j = ctx_pair_first[k]; j < ctx_pair_first[k + 1]; j++) {
			unsigned e = ctx_pair_entry[j];
			size_t pl = ws_ctx.len[e];
			if ((ws_ctx.prefix[e] ? wl >= pl : wl == pl) && same_folded(word, ws_ctx.by_letter[e], pl))
				bits |= ctx_all_bits[e];
		}
		return bits;
	}
	int k = letter_of((unsigned char)word[0]);
	for (unsigned e = ws_ctx.first[k]; e < ws_ctx.first[k + 1]; e++) {
		size_t pl = ws_ctx.len[e];
		if ((ws_ctx.prefix[e] ? wl >= pl : wl == pl) && same_folded(word, ws_ctx.by_letter[e], pl))
			bits |= ctx_all_bits[e];
	}
	return bits;
}

/* ---- language and sender ------------------------------------------------ */

/* The index in languages[] of the text's language, or -1 when no language
 * stands out. Counts function words in the first LANG_SAMPLE bytes. */
static int
guess_language(const trawl_text_t *text)
{
	if (text->lang) {
		for (size_t l = 0; l < NLANG; l++)
			if (strncasecmp(text->lang, languages[l].lang, 2) == 0)
				return (int)l;
		return -1;
	}
	unsigned counts[NLANG] = {0};
	size_t n = text->len < LANG_SAMPLE ? text->len : LANG_SAMPLE;
	const char *s = text->text;
	for (size_t i = 0; i < n;) {
		if (lang_class[(unsigned char)s[i]] != LC_WORD) {
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < n && lang_class[(unsigned char)s[j]])
			j++;
		size_t wl = j - i, b;
		if (wl <= LANG_WORD_LEN &&
		    (nlang_prefix || (b = lang_shape(s + i, wl), lang_shapes[b / 8] & (1u << (b % 8))))) {
			char low[LANG_WORD_LEN];
			uint32_t h = lang_lower(s + i, wl, low);
			/* every language whose list has the word counts it once */
			unsigned bits = lang_bits(s + i, low, wl, h);
			for (size_t l = 0; bits && l < NLANG; l++)
				counts[l] += (bits >> l) & 1;
		}
		i = j;
	}
	int best = -1;
	unsigned best_n = 0, second = 0;
	for (size_t l = 0; l < NLANG; l++) {
		if (counts[l] > best_n) {
			second = best_n;
			best_n = counts[l];
			best = (int)l;
		} else if (counts[l] > second) {
			second = counts[l];
		}
	}
	/* a clear lead, not one stray word */
	return best_n >= 3 && best_n >= second * 3 / 2 + 1 ? best : -1;
}

/* The region of the sender's country domain ("web.de" -> "DE", ".co.uk" ->
 * "GB") into out[3], or false. */
static bool
sender_region(const trawl_text_t *text, char out[3])
{
	if (!text->sender)
		return false;
	const char *at = strrchr(text->sender, '@');
	const char *dom = at ? at + 1 : text->sender;
	size_t dl = strlen(dom);
	while (dl && (dom[dl - 1] == '>' || dom[dl - 1] == '.' || dom[dl - 1] == ' '))
		dl--;
	size_t k = dl;
	while (k && dom[k - 1] != '.')
		k--;
	if (dl - k != 2 || k == 0)
		return false;
	char tld[3] = {(char)(dom[k] | 0x20), (char)(dom[k + 1] | 0x20), 0};
	if (!trawl_is_alpha((unsigned char)tld[0]) || !trawl_is_alpha((unsigned char)tld[1]))
		return false;
	/* strcmp(tld, *v) == 0, for a tld of two letters, without a call for
	 * each entry: asked for every text with a national number in it */
	for (const char *const *v = vanity_tlds; *v; v++)
		if ((*v)[0] == tld[0] && (*v)[1] == tld[1] && (*v)[2] == '\0')
			return false;
	if (strcmp(tld, "uk") == 0)
		strcpy(tld, "gb");
	out[0] = (char)(tld[0] & ~0x20);
	out[1] = (char)(tld[1] & ~0x20);
	out[2] = 0;
	return trawl_phonelib__country_code(out) > 0;
}

/* ---- context before a number -------------------------------------------- */

enum { CTX_NONE, CTX_HOT, CTX_NEG, CTX_NUMBERWORD };

/* Reads the words before pos, nearest first, until one settles the matter:
 * a phone word (CTX_HOT), a word naming another kind of number (CTX_NEG), or
 * none (CTX_NONE; CTX_NUMBERWORD when only "No."/"Nr."-like words stood
 * there). A blank line ends the search. */
static int
context_before(const trawl_text_t *text, size_t pos, bool *number_word_is_no)
{
	const char *s = text->text;
	size_t limit = pos > CONTEXT_BYTES ? pos - CONTEXT_BYTES : 0;
	size_t i = pos;
	int words = 0, newlines = 0;
	bool saw_number_word = false;
	*number_word_is_no = false;
	while (i > limit && words < CONTEXT_WORDS) {
		unsigned char c = (unsigned char)s[i - 1];
		if (c == '\n') {
			if (++newlines >= 2)
				break;
			i--;
			continue;
		}
		if (c == '#') {
			saw_number_word = true;
			*number_word_is_no = true;
			i--;
			continue;
		}
		if (!trawl_is_wordish(c)) {
			if (c != ' ' && c != '\t' && c != '\r')
				newlines = 0;
			i--;
			continue;
		}
		newlines = 0;
		size_t end = i;
		while (i > 0 && trawl_is_wordish((unsigned char)s[i - 1]))
			i--;
		const char *w = s + i;
		size_t wl = end - i;
		words++;
		/* "T:", "M.", and a capital right before the number ("T +41 ...") */
		if (wl == 1 && trawl_is_alpha((unsigned char)w[0]) && end < text->len &&
		    strchr(hot_letters, w[0] | 0x20) &&
		    (s[end] == ':' || s[end] == '.' || (words == 1 && w[0] >= 'A' && w[0] <= 'Z')))
			return CTX_HOT;
		if (wl > 24 || trawl_is_digit((unsigned char)w[0]))
			continue;
		unsigned lists = ctx_lists(w, wl);
		if (lists & CW_NUMBER) {
			if (!saw_number_word)
				*number_word_is_no = !word_matches(w, wl, "number") && !word_matches(w, wl, "nummer");
			saw_number_word = true;
			continue;
		}
		if (lists & CW_NEG)
			return CTX_NEG;
		if (lists & CW_HOT)
			return CTX_HOT;
	}
	return saw_number_word ? CTX_NUMBERWORD : CTX_NONE;
}

/* The words of a header's name ("X-Mobile-Phone") as context for a number
 * that stands alone in its value. */
static int
header_context(const char *name)
{
	int ctx = CTX_NONE;
	for (const char *p = name; p && *p;) {
		if (!trawl_is_alpha((unsigned char)*p)) {
			p++;
			continue;
		}
		const char *q = p;
		while (trawl_is_alpha((unsigned char)*q))
			q++;
		if (word_in(p, (size_t)(q - p), &ws_neg))
			return CTX_NEG;
		if (word_in(p, (size_t)(q - p), &ws_hot))
			ctx = CTX_HOT;
		p = q;
	}
	return ctx;
}

/* ---- a run of digits and separators -------------------------------------- */

typedef struct {
	size_t start, end;                   /* bytes of the value */
	size_t gstart[MAX_GROUPS];           /* digit groups: offset and length */
	unsigned char glen[MAX_GROUPS];
	unsigned char sep_after[MAX_GROUPS]; /* after group i: '.', '-', '/', ' ', '(' */
	bool list_sep[MAX_GROUPS];           /* " / " after group i: may list two numbers */
	int ngroups;
	int ndigits;
	bool plus; /* written with '+' */
	bool idd;  /* written with 00 */
} run_t;

/* The bytes sep_at() finds a separator at (an ASCII one, or the first
 * byte of a UTF-8 space or dash). */
static const bool starts_sep[256] = {
	[' '] = true, ['-'] = true, ['.'] = true, ['/'] = true, ['('] = true, [')'] = true,
	[0xc2] = true, [0xe2] = true,
};

/* Whether a number may start at i: not inside a word or a longer figure. */
static bool
may_start_at(const char *s, size_t len, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	if (c == '+' || c == '(') {
		size_t k = i + 1;
		if (c == '(' && k < len && s[k] == '+')
			k++;
		if (k >= len || !trawl_is_digit((unsigned char)s[k]))
			return false;
	} else if (!trawl_is_digit(c)) {
		return false;
	}
	if (i == 0)
		return true;
	unsigned char p = (unsigned char)s[i - 1];
	if (trawl_is_alnum(p) || p == '_' || p == '@' || p == '=' || p == '&' || p == '%' || p == '+' ||
	    p == '$' || p == '\\' || p == '|' || p == '~' || p == '#')
		return false;
	if (i >= 2) {
		unsigned char pp = (unsigned char)s[i - 2];
		/* "1.2", "12:34", "12,5", "ab-12", "x/12": a continuation */
		if ((p == '.' || p == ',' || p == ':' || p == '-' || p == '/') && trawl_is_digit(pp))
			return false;
		if ((p == '-' || p == '/') && trawl_is_alnum(pp))
			return false;
	}
	return true;
}

/* Reads the run at i (where may_start_at() holds) into *r. Returns the
 * offset where scanning goes on (past the run, at least i + 1). */
static size_t
read_run(const char *s, size_t len, size_t i, run_t *r)
{
	/* A run is read wherever a number may start, most of them a figure
	 * or two; run_t is some 200 bytes. Not cleared: the scalars are set
	 * here, and the entries of each group as it is added. */
	r->ngroups = 0;
	r->ndigits = 0;
	r->plus = r->idd = false;
	size_t p = i;
	int depth = 0;
	if (s[p] == '(') {
		depth = 1;
		p++;
	}
	if (s[p] == '+') {
		r->plus = true;
		p++;
	}
	r->start = i;
	size_t last_end = p; /* end of the last digit group (and a closing paren) */
	for (;;) {
		size_t g = p;
		while (p < len && trawl_is_digit((unsigned char)s[p]))
			p++;
		if (p == g)
			break;
		if (r->ngroups == MAX_GROUPS || r->ndigits + (int)(p - g) > MAX_DIGITS) {
			r->ndigits = MAX_DIGITS + 1; /* too long: no single number */
			break;
		}
		r->gstart[r->ngroups] = g;
		r->glen[r->ngroups] = (unsigned char)(p - g);
		r->sep_after[r->ngroups] = 0;
		r->list_sep[r->ngroups] = false;
		r->ndigits += (int)(p - g);
		r->ngroups++;
		last_end = p;
		/* most runs end at a byte that starts no separator (a year, a
		 * time, an amount): nothing to read for the next group */
		if (p >= len || !starts_sep[(unsigned char)s[p]])
			break;
		/* the separators up to the next digit */
		size_t q = p;
		int spaces = 0, punct = 0, opens = 0, closes = 0, cls;
		char punct_ch = 0;
		bool ok = true;
		while (q < len && ok && q - p <= 8) {
			size_t k = sep_at(s + q, len - q, &cls);
			if (!k)
				break;
			switch (cls) {
			case SEP_SPACE: spaces++; break;
			case SEP_PUNCT:
				punct++;
				punct_ch = k == 1 ? s[q] : '-';
				break;
			case SEP_OPEN:
				opens++;
				ok = depth++ == 0;
				break;
			case SEP_CLOSE:
				closes++;
				ok = depth-- > 0;
				if (ok && q == p)
					last_end = p + 1; /* "(030)" keeps its paren */
				break;
			}
			q += k;
		}
		if (!ok || q >= len || !trawl_is_digit((unsigned char)s[q]))
			break;
		/* one punctuation mark, spaces around it, one pair of parens; two
		 * bare spaces part columns, not digit groups */
		if (punct > 1 || spaces > 2 || opens > 1 || closes > 1 ||
		    (spaces == 2 && punct == 0 && !opens && !closes))
			break;
		/* " / " after a whole number starts the next one ("030 123456 /
		 * 0151 2345678"); after an area code it only sets that apart */
		if (punct_ch == '/' && spaces == 2 && r->ndigits >= MIN_DIGITS)
			break;
		r->sep_after[r->ngroups - 1] = (unsigned char)(punct ? punct_ch : spaces ? ' ' : '(');
		r->list_sep[r->ngroups - 1] = punct_ch == '/' && spaces == 2;
		p = q;
	}
	r->end = last_end;
	if (r->ngroups == 0) {
		r->end = r->start;
		return i + 1;
	}
	/* a leading '(' that never closed is no part of the number */
	if (s[i] == '(') {
		int d = 0;
		for (size_t k = i; k < r->end; k++)
			d += s[k] == '(' ? 1 : s[k] == ')' ? -1 : 0;
		if (d > 0)
			r->start = i + 1;
	}
	/* "(030 1234567)": a parenthesis around the whole number */
	if (s[r->start] == '(' && r->end > r->start + 1 && s[r->end - 1] == ')') {
		int d = 0;
		bool whole = true;
		for (size_t k = r->start; k < r->end; k++) {
			if (s[k] == '(')
				d++;
			else if (s[k] == ')' && --d == 0 && k + 1 < r->end)
				whole = false;
		}
		if (whole) {
			r->start++;
			r->end--;
		}
	}
	r->idd = !r->plus && r->glen[0] >= 2 && s[r->gstart[0]] == '0' && s[r->gstart[0] + 1] == '0' &&
	         (r->glen[0] < 3 || s[r->gstart[0] + 2] != '0');
	return p > i ? p : i + 1;
}

/* The digits of groups [a, b) into out (NUL-terminated), '+' first when
 * international (00 turned into +). Returns the count of digits. */
static int
run_digits(const char *s, const run_t *r, int a, int b, char *out, size_t outsz)
{
	size_t n = 0;
	bool intl = a == 0 && (r->plus || r->idd);
	if (intl)
		out[n++] = '+';
	for (int g = a; g < b; g++) {
		size_t from = r->gstart[g], l = r->glen[g];
		if (intl && g == 0 && r->idd) {
			from += 2;
			l -= 2;
		}
		for (size_t k = 0; k < l && n + 1 < outsz; k++)
			out[n++] = s[from + k];
	}
	out[n] = '\0';
	return (int)(n - intl);
}

/* ---- shapes of other things -------------------------------------------- */

static unsigned
group_value(const char *s, const run_t *r, int g)
{
	unsigned v = 0;
	for (int k = 0; k < r->glen[g] && k < 9; k++)
		v = v * 10 + (unsigned)(s[r->gstart[g] + k] - '0');
	return v;
}

static bool
ean13_ok(const char *digits)
{
	unsigned sum = 0;
	for (int i = 0; i < 12; i++)
		sum += (unsigned)(digits[i] - '0') * (i & 1 ? 3 : 1);
	return (10 - sum % 10) % 10 == (unsigned)(digits[12] - '0');
}

/* A date at group g of [a, b): d.m.y, m/d/y or y-m-d, three groups joined
 * by one kind of punctuation, with a plausible day and month. */
static bool
is_date_at(const char *s, const run_t *r, int g, int a, int b)
{
	if (g + 2 >= b)
		return false;
	unsigned char sep = r->sep_after[g];
	if ((sep != '.' && sep != '/' && sep != '-') || r->sep_after[g + 1] != sep)
		return false;
	/* the lengths rule out most groups before their values are read */
	unsigned l0 = r->glen[g], l1 = r->glen[g + 1], l2 = r->glen[g + 2];
	if (l0 == 4 && l1 <= 2 && l2 <= 2) { /* 2024-10-15 */
		unsigned v0 = group_value(s, r, g), v1 = group_value(s, r, g + 1), v2 = group_value(s, r, g + 2);
		return v0 >= 1900 && v0 <= 2099 && v1 >= 1 && v1 <= 12 && v2 >= 1 && v2 <= 31;
	}
	if (l0 > 2 || l1 > 2 || (l2 != 4 && l2 != 2))
		return false;
	/* two-digit years only when the date is all there is: French numbers
	 * are written 01.23.45.67.89 */
	if (l2 == 2 && !(g == a && b - a == 3))
		return false;
	unsigned v0 = group_value(s, r, g), v1 = group_value(s, r, g + 1);
	bool dm = v0 >= 1 && v0 <= 31 && v1 >= 1 && v1 <= 12;
	bool md = v0 >= 1 && v0 <= 12 && v1 >= 1 && v1 <= 31;
	if (l2 == 4) {
		unsigned v2 = group_value(s, r, g + 2);
		return (dm || md) && v2 >= 1900 && v2 <= 2099;
	}
	return dm || md;
}

static size_t
skip_spaces(const char *s, size_t len, size_t p)
{
	for (;;) {
		if (p < len && (s[p] == ' ' || s[p] == '\t'))
			p++;
		else if (p + 1 < len && (unsigned char)s[p] == 0xc2 && (unsigned char)s[p + 1] == 0xa0)
			p += 2;
		else
			return p;
	}
}

static bool
starts_with_word(const char *s, size_t avail, const char *w, size_t wl)
{
	return avail >= wl && strncasecmp(s, w, wl) == 0 &&
	       (avail == wl || !trawl_is_alpha((unsigned char)s[wl]) || !trawl_is_alpha((unsigned char)w[0]));
}

/* Something right after the run that makes it an amount, a time, a
 * decimal, a measure or part of a longer token. */
static bool
bad_after(const char *s, size_t len, const run_t *r)
{
	size_t end = r->end;
	if (end >= len)
		return false;
	unsigned char c = (unsigned char)s[end];
	if (trawl_is_alpha(c) || c == '_' || c == '@' || c == '%')
		return true;
	bool digit_next = end + 1 < len && trawl_is_digit((unsigned char)s[end + 1]);
	/* "0578.9558.f1ac", "1234567-ab": a longer token goes on */
	if ((c == '.' || c == '-' || c == '/') && end + 1 < len && trawl_is_alnum((unsigned char)s[end + 1]) &&
	    !digit_next)
		return true;
	if (c == ':' && digit_next)
		return true; /* a time */
	if ((c == ',' || c == '.') && digit_next && !r->plus) {
		/* decimals of an amount written in thousands ("35.623,96"); a comma
		 * after "+44 161 333 8006" is the next field of a CSV line */
		bool thousands = true;
		for (int g = 1; g < r->ngroups; g++)
			thousands &= r->glen[g] == 3;
		if (thousands)
			return true;
	}
	size_t p = skip_spaces(s, len, end);
	if (p >= len)
		return false;
	static const struct {
		const char *w;
		unsigned char len;
	} units[] = {{"eur", 3}, {"euro", 4}, {"euros", 5}, {"usd", 3}, {"gbp", 3}, {"chf", 3}, {"pln", 3},
	             {"dkk", 3}, {"sek", 3}, {"\xe2\x82\xac", 3}, {"$", 1}, {"\xc2\xa3", 2}, {"\xc2\xa5", 2},
	             {"%", 1}, {"kg", 2}, {"km", 2}, {"kb", 2}, {"mb", 2}, {"gb", 2}, {"bytes", 5}};
	/* The first byte of a unit in either case (strncasecmp() folds ASCII
	 * only in the C locale trawl runs in): most runs are followed by
	 * none, and need not be compared with each unit. */
	static const bool unit_first[256] = {
		['e'] = true, ['E'] = true, ['u'] = true, ['U'] = true, ['g'] = true, ['G'] = true,
		['c'] = true, ['C'] = true, ['p'] = true, ['P'] = true, ['d'] = true, ['D'] = true,
		['s'] = true, ['S'] = true, ['k'] = true, ['K'] = true, ['m'] = true, ['M'] = true,
		['b'] = true, ['B'] = true, ['$'] = true, ['%'] = true, [0xe2] = true, [0xc2] = true,
	};
	if (!unit_first[(unsigned char)s[p]])
		return false;
	/* the first byte rules out most, folded as strncasecmp() folds it */
	int c0 = tolower((unsigned char)s[p]);
	for (size_t u = 0; u < sizeof units / sizeof *units; u++)
		if (tolower((unsigned char)units[u].w[0]) == c0 && starts_with_word(s + p, len - p, units[u].w, units[u].len))
			return true;
	return false;
}

/* A currency sign right before the number. */
static bool
bad_before(const char *s, size_t start)
{
	size_t p = start;
	while (p > 0 && (s[p - 1] == ' ' || s[p - 1] == '\t'))
		p--;
	if (p >= 1 && (s[p - 1] == '$' || s[p - 1] == '#'))
		return true;
	if (p >= 2 && (unsigned char)s[p - 2] == 0xc2 &&
	    ((unsigned char)s[p - 1] == 0xa3 || (unsigned char)s[p - 1] == 0xa5))
		return true; /* £ ¥ */
	if (p >= 3 && memcmp(s + p - 3, "\xe2\x82\xac", 3) == 0)
		return true; /* € */
	return false;
}

/* Whether groups [a, b) have the shape of something that is not a phone
 * number, whatever libphonenumber would say. */
static bool
looks_like_other(const char *s, const run_t *r, int a, int b, const char *digits, int nd)
{
	bool intl = a == 0 && (r->plus || r->idd);
	for (int g = a; g < b; g++)
		if (is_date_at(s, r, g, a, b))
			return true;
	if (intl)
		return false;
	int ng = b - a, dots = 0, one_digit = 0;
	for (int g = a; g < b; g++) {
		if (g + 1 < b)
			dots += r->sep_after[g] == '.';
		one_digit += r->glen[g] == 1;
	}
	/* IP address, version string: dotted groups, some tiny */
	if (dots >= 2) {
		bool ip = ng == 4;
		for (int g = a; g < b && ip; g++)
			ip = r->glen[g] <= 3 && group_value(s, r, g) <= 255;
		if (ip || one_digit)
			return true;
	}
	/* card numbers: Luhn-valid, 13 to 19 digits, plain or in fours */
	if (nd >= 13 && nd <= 19 && trawl_detect__luhn(digits, strlen(digits))) {
		bool fours = ng >= 3;
		for (int g = a; g < b - 1; g++)
			fours &= r->glen[g] == 4 || (ng == 3 && r->glen[g] == 6);
		if (ng == 1 || fours)
			return true;
	}
	/* four groups of four: a card or a reference, never how a phone is written */
	if (ng == 4 && nd == 16) {
		bool fours = true;
		for (int g = a; g < b; g++)
			fours &= r->glen[g] == 4;
		if (fours)
			return true;
	}
	/* ISBN-13, EAN-13 */
	if (nd == 13 && (strncmp(digits, "978", 3) == 0 || strncmp(digits, "979", 3) == 0) && ean13_ok(digits))
		return true;
	/* Unix time in seconds or milliseconds */
	if (ng == 1 && (nd == 10 || nd == 13) && digits[0] == '1')
		return true;
	return false;
}

/* ---- reading national numbers ------------------------------------------- */

/* Lengths of the digit groups of a formatted number; returns their count. */
static int
groups_of(const char *f, unsigned char *lens, int max)
{
	int n = 0;
	for (const char *p = f; *p;) {
		if (!trawl_is_digit((unsigned char)*p)) {
			p++;
			continue;
		}
		const char *q = p;
		while (trawl_is_digit((unsigned char)*q))
			q++;
		if (n < max)
			lens[n] = (unsigned char)(q - p);
		n++;
		p = q;
	}
	return n;
}

static void
digits_only(const char *f, char *out, size_t outsz)
{
	size_t n = 0;
	for (; *f && n + 1 < outsz; f++)
		if (trawl_is_digit((unsigned char)*f))
			out[n++] = *f;
	out[n] = '\0';
}

/* How well groups [a, b) as written agree with the country's own grouping:
 * 2 every group, 1 the area code set apart, 0 written in one piece, -1 split
 * where the country would not. */
static int
grouping_score(const run_t *r, int a, int b, const trawl_phonelib_number_t *num)
{
	int ng = b - a;
	if (ng == 1)
		return 0;
	unsigned char want[MAX_GROUPS];
	int nw = groups_of(num->national, want, MAX_GROUPS);
	if (nw > MAX_GROUPS)
		return -1;
	/* "1-415-555-0134": the NANP trunk 1 stands in a group of its own */
	int off = num->country_code == 1 && r->glen[a] == 1 ? 1 : 0;
	if (ng - off == nw) {
		bool same = true;
		for (int k = 0; k < nw; k++)
			same &= r->glen[a + off + k] == want[k];
		if (same)
			return 2;
	}
	return nw >= 2 && ng - off >= 2 && r->glen[a + off] == want[0] ? 1 : -1;
}

typedef struct {
	char e164[32];
	char region[3];
	int grouping;
} reading_t;

/* snprintf(dst, cap, "%s", src) (cap > 0), which is asked often enough
 * here for its format parser to show. */
static void
copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Whether a region's plan could take the digits as a national number at all:
 * a cheap test before asking libphonenumber. */
static bool
region_allows(const region_info_t *ri, const char *d, int nd)
{
	if (nd < ri->min_len || nd > ri->max_len)
		return false;
	if (ri->trunk)
		return d[0] == ri->trunk && d[1] != ri->trunk;
	if (strchr(ri->first, d[0]) == NULL)
		return false;
	/* NANP: ten digits, or eleven after the trunk 1 */
	if (ri->min_len == 10 && ri->max_len == 11)
		return nd == 10 ? d[0] != '1' : d[0] == '1' && d[1] != '0' && d[1] != '1';
	return true;
}

/* Tries one region: adds a reading when the nd digits d are a valid
 * national number there, in the country's own national form. */
static trawl_status_t
try_region(const char *region, const char *d, int nd, const run_t *r, int a, int b, reading_t *out, int *nout,
           int max)
{
	trawl_phonelib_number_t num;
	trawl_status_t rc = trawl_phonelib__parse(&num, d, (size_t)nd, region);
	if (rc == TRAWL_ENOMEM || rc == TRAWL_EINTERNAL)
		return rc;
	if (rc != TRAWL_OK || !num.from_region)
		return TRAWL_OK;
	/* every digit written must be the national form: no country code passed
	 * off as national digits, no trunk prefix left out or invented */
	char nat[48];
	digits_only(num.national, nat, sizeof nat);
	if (strcmp(nat, d) != 0 && !(num.country_code == 1 && d[0] == '1' && strcmp(nat, d + 1) == 0))
		return TRAWL_OK;
	int gs = grouping_score(r, a, b, &num);
	for (int k = 0; k < *nout; k++) {
		if (strcmp(out[k].e164, num.e164) == 0) {
			if (gs > out[k].grouping)
				out[k].grouping = gs;
			return TRAWL_OK;
		}
	}
	if (*nout >= max)
		return TRAWL_OK;
	reading_t *rd = &out[(*nout)++];
	memcpy(rd->e164, num.e164, sizeof rd->e164);
	copy_str(rd->region, sizeof rd->region, region);
	rd->grouping = gs;
	return TRAWL_OK;
}

/* ---- the scan ----------------------------------------------------------- */

/* Room for one more element in items (n in use, *cap allocated, of size
 * bytes each): the array, moved perhaps, or NULL when memory ran out (items
 * is then still the caller's). */
static void *
grow(void *items, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return items;
	size_t c = *cap ? *cap * 2 : 8;
	void *p = realloc(items, c * size);
	if (p)
		*cap = c;
	return p;
}

/* A verdict on one stretch of a run. */
typedef enum { V_NONE, V_FOUND, V_VETO } verdict_kind_t;

typedef struct {
	verdict_kind_t kind;
	char e164[32];
	double confidence;
	const char *rule;
} verdict_t;

/* An international stretch judged in the first pass, kept for the second. */
typedef struct {
	size_t start;
	int b;
	verdict_t v;
} judged_t;

/* A run of a number's count of digits, as the first pass read it, and
 * where scanning went on after it. */
typedef struct {
	run_t r;
	size_t next;
} kept_run_t;

/* How many runs of a text the first pass keeps as read (some 200 bytes
 * each; a text has a few): past that, only where they start (8 bytes),
 * so that a text of nothing but numbers does not take 25 times the
 * memory its runs' starts take. */
#define KEPT_RUNS 512

/* What is known around the numbers of one text, worked out on first need. */
typedef struct {
	const trawl_detector_set_t *set;
	const trawl_text_t *text;
	bool collecting; /* first pass: only note the international numbers */
	bool base_done, lang_done;
	int lang;
	const char *ev[8]; /* evidence regions, strongest first */
	int nev;
	char sender[3], dflt[3];
	/* international numbers of this text, for "the same number written
	 * nationally"; once the first pass is over, those of the earlier parts
	 * of the message too, sorted (intl_final) */
	char (*intl)[32];
	size_t nintl, capintl;
	bool intl_final;
	judged_t *judged;
	size_t njudged, capjudged;
	/* the context before the last start asked about (tries of one run share it) */
	size_t ctx_at;
	int ctx;
	bool ctx_no, ctx_known;
	/* the runs of MIN_DIGITS to MAX_DIGITS digits, noted by the first
	 * pass so that the second need not read every byte, nor every other
	 * run, again (runs_known): the first KEPT_RUNS as read, which it need
	 * not read again either, and where the others start */
	kept_run_t *kept;
	size_t nkept, capkept;
	size_t *starts;
	size_t nstarts, capstarts;
	bool runs_known;
} scan_ctx_t;

static trawl_status_t
remember_intl(scan_ctx_t *c, const char *e164)
{
	void *p = grow(c->intl, c->nintl, &c->capintl, sizeof *c->intl);
	if (!p)
		return TRAWL_ENOMEM;
	c->intl = p;
	copy_str(c->intl[c->nintl++], sizeof *c->intl, e164);
	return TRAWL_OK;
}

static int
cmp_intl(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Completes the list of international numbers for the second pass: adds
 * those the earlier parts of the message wrote with their country code, and
 * sorts it. Every national reading is looked up in it, so this is done once,
 * not once per reading. */
static trawl_status_t
finish_intl(scan_ctx_t *c)
{
	const trawl_findings_t *m = c->text->message;
	double min = c->set ? c->set->min_confidence : TRAWL_DEFAULT_MIN_CONFIDENCE;
	for (size_t k = 0; m && k < m->len; k++) {
		const trawl_finding_t *f = &m->items[k];
		const char *val = f->value ? f->value : "";
		val += *val == '(';
		/* a longer norm can equal no E.164 number */
		if (f->type == TRAWL_TYPE_PHONE && f->norm && f->confidence >= min &&
		    (val[0] == '+' || (val[0] == '0' && val[1] == '0')) && strlen(f->norm) < 32) {
			trawl_status_t rc = remember_intl(c, f->norm);
			if (rc < 0)
				return rc;
		}
	}
	if (c->nintl > 1)
		qsort(c->intl, c->nintl, sizeof *c->intl, cmp_intl);
	c->intl_final = true;
	return TRAWL_OK;
}

/* Whether e164 was written with its country code in this text or earlier in
 * the message (finish_intl() done). */
static bool
seen_intl(const scan_ctx_t *c, const char *e164)
{
	return c->nintl && bsearch(e164, c->intl, c->nintl, sizeof *c->intl, cmp_intl) != NULL;
}

/* The regions the text points to, strongest first: the sender's country
 * domain, the language of the text (only when need_lang: guessing it reads
 * the text), the configured default. */
static void
gather_evidence(scan_ctx_t *c, bool need_lang)
{
	if (!c->base_done) {
		c->base_done = true;
		if (!sender_region(c->text, c->sender))
			c->sender[0] = 0;
		const char *d = c->set ? c->set->opts.default_region : NULL;
		if (d && trawl_is_alpha((unsigned char)d[0]) && trawl_is_alpha((unsigned char)d[1]) && !d[2]) {
			c->dflt[0] = (char)(d[0] & ~0x20);
			c->dflt[1] = (char)(d[1] & ~0x20);
		}
	}
	if (need_lang && !c->lang_done) {
		c->lang_done = true;
		c->lang = guess_language(c->text);
	}
	c->nev = 0;
	if (c->sender[0])
		c->ev[c->nev++] = c->sender;
	for (int k = 0; c->lang_done && c->lang >= 0 && k < 3 && languages[c->lang].regions[k]; k++)
		c->ev[c->nev++] = languages[c->lang].regions[k];
	if (c->dflt[0])
		c->ev[c->nev++] = c->dflt;
}


#define MAX_READINGS 24

/* Keeps the readings rd[0, n) for which keep() says true, if any does;
 * returns the new count. */
static int
filter_readings(reading_t *rd, int n, const bool *keep)
{
	int kept = 0;
	for (int k = 0; k < n; k++)
		kept += keep[k];
	if (kept == 0 || kept == n)
		return n;
	int w = 0;
	for (int k = 0; k < n; k++)
		if (keep[k])
			rd[w++] = rd[k];
	return w;
}

static bool
is_nanp(const char *region)
{
	return strcmp(region, "US") == 0 || strcmp(region, "CA") == 0;
}

/* Whether the language of the text cannot change what resolve_national()
 * makes of the readings rd[0, n) left at its choice of evidence (guessing
 * the language reads up to LANG_SAMPLE bytes of the text): a lone reading
 * of the NANP, whose confidence does not ask for evidence, or one whose
 * region the sender's domain or the configured default already names; or
 * several of which the sender's names one, which the evidence, sender
 * first, picks before any region of a language. A later number that asks
 * for the language still has it guessed then: a number that does not ask
 * makes nothing of the evidence in the first place. */
static bool
language_moot(const scan_ctx_t *c, const reading_t *rd, int n)
{
	if (n == 1 && is_nanp(rd[0].region))
		return true;
	for (int k = 0; k < n; k++) {
		if (c->sender[0] && strcmp(rd[k].region, c->sender) == 0)
			return true;
		if (n == 1 && c->dflt[0] && strcmp(rd[k].region, c->dflt) == 0)
			return true;
	}
	return false;
}

/* Reads groups [a, b) as a national number: every country of the short list
 * (and of the evidence) whose plan takes it; then the country's own grouping,
 * the same number written internationally, a plan that places the number,
 * and the evidence choose. */
static trawl_status_t
resolve_national(scan_ctx_t *c, const run_t *r, int a, int b, const char *d, int nd, int ctx,
                 verdict_t *v)
{
	reading_t rd[MAX_READINGS];
	bool keep[MAX_READINGS];
	int n = 0;
	trawl_status_t rc = TRAWL_OK;

	gather_evidence(c, false);
	for (size_t k = 0; k < NREGIONS; k++) {
		if (region_allows(&regions[k], d, nd) &&
		    (rc = try_region(regions[k].region, d, nd, r, a, b, rd, &n, MAX_READINGS)) < 0)
			return rc;
	}
	for (int e = 0; e < c->nev; e++) {
		/* a region of the list was tried above */
		const char *ev = c->ev[e];
		size_t k = 0;
		while (k < NREGIONS && !(regions[k].region[0] == ev[0] && regions[k].region[1] == ev[1] && !ev[2]))
			k++;
		if (k == NREGIONS && (rc = try_region(ev, d, nd, r, a, b, rd, &n, MAX_READINGS)) < 0)
			return rc;
	}
	if (n == 0)
		return TRAWL_OK;

	/* the country's own way of grouping comes first */
	int best_g = -2;
	for (int k = 0; k < n; k++)
		best_g = rd[k].grouping > best_g ? rd[k].grouping : best_g;
	for (int k = 0; k < n; k++)
		keep[k] = rd[k].grouping == best_g;
	n = filter_readings(rd, n, keep);

	bool same_number = false, strong = n == 1;
	if (!c->intl_final && (rc = finish_intl(c)) < 0)
		return rc;
	for (int k = 0; k < n; k++)
		keep[k] = seen_intl(c, rd[k].e164);
	int m = filter_readings(rd, n, keep);
	if (m < n || (n == 1 && keep[0])) {
		same_number = strong = true;
		n = m;
	}
	if (n > 1) {
		/* a fixed line in an area the plan does not know loses to any
		 * reading the plan places */
		for (int k = 0; k < n; k++)
			if ((rc = trawl_phonelib__placed(&keep[k], rd[k].e164)) < 0)
				return rc;
		n = filter_readings(rd, n, keep);
		strong = n == 1;
	}
	int pick = 0;
	bool evidence = false;
	if (((n > 1 && !strong) || d[0] != '0') && !language_moot(c, rd, n))
		gather_evidence(c, true);
	for (int e = 0; e < c->nev && !evidence; e++) {
		for (int k = 0; k < n; k++) {
			if (strcmp(rd[k].region, c->ev[e]) == 0 && (n == 1 || !strong)) {
				pick = k;
				strong = evidence = true;
				break;
			}
		}
	}
	/* otherwise the first reading, in regions[] order */

	/* How much was proven. A valid reading alone is not enough for digits
	 * written in one piece or split where no country splits them, nor where
	 * national numbers have no trunk prefix (Spain, Portugal, Poland,
	 * Italian mobiles: nine or ten digits fit those plans whatever they
	 * count) and nothing in the text points to the country. */
	bool nanp = is_nanp(rd[pick].region);
	bool trunkless_guess = d[0] != '0' && !nanp && !evidence;
	double conf;
	const char *rule = "phone.national";
	if (ctx == CTX_HOT) {
		conf = strong && !trunkless_guess ? 0.95 : 0.85;
		rule = "phone.hotword";
	} else if (same_number) {
		conf = 0.85;
	} else if (best_g <= 0 || trunkless_guess) {
		conf = 0.45;
	} else {
		conf = (strong ? 0.75 : 0.6) + (best_g == 2 ? 0.05 : 0.0);
	}
	v->kind = V_FOUND;
	memcpy(v->e164, rd[pick].e164, sizeof v->e164);
	v->confidence = conf;
	v->rule = rule;
	return TRAWL_OK;
}

/* Judges a number written with its country code. */
static trawl_status_t
judge_intl(bool plus, const char *d, int ctx, verdict_t *v)
{
	trawl_phonelib_number_t num;
	trawl_status_t rc = trawl_phonelib__parse(&num, d, strlen(d), NULL);
	if (rc == TRAWL_ENOMEM || rc == TRAWL_EINTERNAL)
		return rc;
	if (rc != TRAWL_OK)
		return TRAWL_OK;
	v->kind = V_FOUND;
	memcpy(v->e164, num.e164, sizeof v->e164);
	v->confidence = plus ? 0.9 : 0.85;
	v->rule = "phone.intl";
	if (ctx == CTX_HOT) {
		v->confidence = 0.95;
		v->rule = "phone.hotword";
	}
	return TRAWL_OK;
}

/* Judges groups [a, b) of a run, which stand from byte start. International
 * stretches are judged in the first pass and their verdicts kept for the
 * second. */
static trawl_status_t
judge(scan_ctx_t *c, const run_t *r, int a, int b, size_t start, verdict_t *v)
{
	const char *s = c->text->text;
	char d[MAX_DIGITS + 8];
	memset(v, 0, sizeof *v);
	bool intl = a == 0 && (r->plus || r->idd);
	if (c->collecting && !intl)
		return TRAWL_OK;
	if (intl && !c->collecting) {
		for (size_t k = 0; k < c->njudged; k++) {
			if (c->judged[k].start == start && c->judged[k].b == b) {
				*v = c->judged[k].v;
				return TRAWL_OK;
			}
		}
	}
	int nd = run_digits(s, r, a, b, d, sizeof d);
	if (nd < MIN_DIGITS || nd > (intl ? 17 : 16))
		return TRAWL_OK;
	const char *digits = intl ? d + 1 : d;
	/* The shape or a currency sign vetoes a run whatever words stand
	 * before it (dates, addresses and amounts are common): the words are
	 * read only when they can matter. */
	bool veto = looks_like_other(s, r, a, b, digits, nd) || bad_before(s, start);
	if (!veto && (!c->ctx_known || c->ctx_at != start)) {
		c->ctx = context_before(c->text, start, &c->ctx_no);
		if (c->ctx == CTX_NONE && c->text->header)
			c->ctx = header_context(c->text->header);
		c->ctx_at = start;
		c->ctx_known = true;
	}
	int ctx = c->ctx;
	trawl_status_t rc = TRAWL_OK;
	if (veto || ctx == CTX_NEG || (ctx == CTX_NUMBERWORD && c->ctx_no))
		v->kind = V_VETO;
	else if (!intl)
		return resolve_national(c, r, a, b, d, nd, ctx, v);
	else if ((rc = judge_intl(r->plus, d, ctx, v)) < 0)
		return rc;
	void *p = grow(c->judged, c->njudged, &c->capjudged, sizeof *c->judged);
	if (!p)
		return TRAWL_ENOMEM;
	c->judged = p;
	c->judged[c->njudged++] = (judged_t){start, b, *v};
	return TRAWL_OK;
}

/* Where the number stands: a header, or the tail of a text where the
 * signature is, adds a little. */
static double
position_bonus(const trawl_text_t *text, size_t start)
{
	if (text->where == TRAWL_WHERE_HEADER)
		return 0.02;
	size_t tail = text->len > 600 ? text->len - 600 : 0;
	if (start >= tail && start * 10 >= text->len * 6)
		return 0.02;
	return 0.0;
}

typedef struct {
	size_t start, end;
	verdict_t v;
} hit_t;

typedef struct {
	hit_t *items;
	size_t len, cap;
} hits_t;

static trawl_status_t
add_hit(hits_t *h, size_t start, size_t end, const verdict_t *v)
{
	void *p = grow(h->items, h->len, &h->cap, sizeof *h->items);
	if (!p)
		return TRAWL_ENOMEM;
	h->items = p;
	h->items[h->len++] = (hit_t){start, end, *v};
	return TRAWL_OK;
}

/* Judges a run: the whole of it; failing that, the piece up to a list
 * separator (" / "), or the whole without its last group, and on. A run
 * that has the shape of something else is dropped entire. */
static trawl_status_t
judge_run(scan_ctx_t *c, const run_t *r, hits_t *hits)
{
	int from = 0;
	while (from < r->ngroups) {
		int piece_end = from + 1;
		while (piece_end < r->ngroups && !r->list_sep[piece_end - 1])
			piece_end++;
		int tries[3] = {r->ngroups, piece_end, piece_end - 1};
		verdict_t v = {0};
		int found = -1;
		for (int t = 0; t < 3 && found < 0; t++) {
			int b = tries[t];
			if (b <= from || (t > 0 && b == tries[t - 1]) || (t == 2 && b == tries[0]))
				continue;
			/* only whitespace or a list separator may cut a run short */
			if (b < r->ngroups && r->sep_after[b - 1] != ' ' && !r->list_sep[b - 1])
				continue;
			size_t start = from == 0 ? r->start : r->gstart[from];
			trawl_status_t rc = judge(c, r, from, b, start, &v);
			if (rc < 0)
				return rc;
			if (v.kind == V_VETO)
				return TRAWL_OK;
			if (v.kind == V_FOUND)
				found = b;
		}
		if (found < 0) {
			from = piece_end; /* the next number of a list */
			continue;
		}
		size_t start = from == 0 ? r->start : r->gstart[from];
		size_t end = r->gstart[found - 1] + r->glen[found - 1];
		if (found == r->ngroups && r->end > end)
			end = r->end;
		trawl_status_t rc = c->collecting ? remember_intl(c, v.e164) : add_hit(hits, start, end, &v);
		if (rc < 0)
			return rc;
		from = found;
	}
	return TRAWL_OK;
}

/* The bytes a run may start with: a digit, '+' and '('. */
static const bool starts_run[256] = {
	['0'] = true, ['1'] = true, ['2'] = true, ['3'] = true, ['4'] = true, ['5'] = true,
	['6'] = true, ['7'] = true, ['8'] = true, ['9'] = true, ['+'] = true, ['('] = true,
};

#ifndef __SSE2__
/* Whether any of the eight bytes at p is one that starts_run[] holds. A
 * word at a time (the bit tricks of "determine if a word has a byte less
 * than n"): a byte b is a digit when b ^ '0' is less than 10, and '+' or
 * '(' when b ^ '+' or b ^ '(' is 0; the lowest byte that is so always
 * shows, and no byte shows when none is. */
static bool
starts_in8(const char *p)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	uint64_t x;
	memcpy(&x, p, sizeof x);
	uint64_t d = x ^ (ones * '0'), plus = x ^ (ones * '+'), open = x ^ (ones * '(');
	uint64_t m = ((d - ones * 10) & ~d) | ((plus - ones) & ~plus) | ((open - ones) & ~open);
	return (m & high) != 0;
}
#endif

/* The offset in p[0, 16) of the first byte that starts_run[] holds, or 16.
 * With SSE2 (every x86-64) the sixteen bytes are tested at once and the
 * first found from the mask, instead of two words tested and the one with
 * a hit then read a byte at a time. */
static unsigned
first_start16(const char *p)
{
#ifdef __SSE2__
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	/* a digit: b - '0' is at most 9, unsigned */
	__m128i t = _mm_sub_epi8(x, _mm_set1_epi8('0'));
	__m128i m = _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(9)), t);
	m = _mm_or_si128(m, _mm_cmpeq_epi8(x, _mm_set1_epi8('+')));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(x, _mm_set1_epi8('(')));
	unsigned bits = (unsigned)_mm_movemask_epi8(m);
	return bits ? (unsigned)__builtin_ctz(bits) : 16;
#else
	for (unsigned k = 0; k < 16; k += 8) {
		if (!starts_in8(p + k))
			continue;
		while (!starts_run[(unsigned char)p[k]])
			k++; /* starts_in8() found one: it stops within the eight */
		return k;
	}
	return 16;
#endif
}

/* The first place from i on where a run starts, or len. */
static size_t
next_start(const char *s, size_t len, size_t i)
{
	while (i < len) {
		/* most bytes of a text start nothing: sixteen of them are
		 * passed over at once when none does */
		if (len - i >= 16) {
			unsigned k = first_start16(s + i);
			i += k;
			if (k == 16)
				continue;
		} else {
			while (i < len && !starts_run[(unsigned char)s[i]])
				i++;
			if (i == len)
				break;
		}
		if (may_start_at(s, len, i))
			return i;
		/* step over the whole word or figure */
		i++;
		while (i < len && trawl_is_alnum((unsigned char)s[i]))
			i++;
	}
	return len;
}

/* One pass over the text: every run judged. The first pass keeps the runs
 * with a number's count of digits as it read them; the second takes them
 * from there. */
static trawl_status_t
scan_runs(scan_ctx_t *c, hits_t *hits)
{
	const char *s = c->text->text;
	size_t len = c->text->len;
	run_t r;
	size_t k = 0;
	for (size_t i = 0;;) {
		size_t next;
		if (c->runs_known) {
			if (k < c->nkept) {
				r = c->kept[k].r;
				next = c->kept[k].next;
			} else if (k - c->nkept < c->nstarts) {
				i = c->starts[k - c->nkept];
				next = read_run(s, len, i, &r);
			} else {
				break;
			}
			k++;
		} else {
			i = next_start(s, len, i);
			if (i >= len)
				break;
			next = read_run(s, len, i, &r);
		}
		bool candidate = r.ngroups && r.ndigits >= MIN_DIGITS && r.ndigits <= MAX_DIGITS;
		/* the second pass does nothing with a run of too few or too many
		 * digits (most of them: years, times, amounts): it is given only
		 * the others, which it would read again the same way */
		if (c->collecting && candidate) {
			void *p;
			if (c->nkept < KEPT_RUNS) {
				if (!(p = grow(c->kept, c->nkept, &c->capkept, sizeof *c->kept)))
					return TRAWL_ENOMEM;
				c->kept = p;
				c->kept[c->nkept++] = (kept_run_t){r, next};
			} else {
				if (!(p = grow(c->starts, c->nstarts, &c->capstarts, sizeof *c->starts)))
					return TRAWL_ENOMEM;
				c->starts = p;
				c->starts[c->nstarts++] = i;
			}
		}
		/* collecting, only international numbers matter */
		bool wanted = !c->collecting || r.plus || r.idd;
		if (wanted && candidate) {
			/* a run glued to letters, a unit or a decimal part: drop its last
			 * group when a space sets that apart ("030 1234567 24h"), else
			 * the whole run */
			size_t gend = r.gstart[r.ngroups - 1] + r.glen[r.ngroups - 1];
			bool bad = bad_after(s, len, &r);
			if (bad && r.ngroups > 1 && r.end == gend && r.sep_after[r.ngroups - 2] == ' ' &&
			    trawl_is_alpha((unsigned char)s[gend])) {
				r.ngroups--;
				r.ndigits -= r.glen[r.ngroups];
				r.end = r.gstart[r.ngroups - 1] + r.glen[r.ngroups - 1];
				r.list_sep[r.ngroups - 1] = false;
				bad = false;
			}
			trawl_status_t rc;
			if (!bad && r.ndigits >= MIN_DIGITS && (rc = judge_run(c, &r, hits)) < 0)
				return rc;
		}
		/* on past the run and anything glued to its end */
		i = next;
		while (i < len && trawl_is_alnum((unsigned char)s[i]))
			i++;
	}
	return TRAWL_OK;
}

/* memmem(s, len, "00", 2) != NULL, by memchr() from one '0' to the next
 * (glibc's memmem() reads a two-byte needle a byte at a time). */
static bool
has_double_zero(const char *s, size_t len)
{
	const char *end = s + len, *p = s;
	while (end - p >= 2 && (p = memchr(p, '0', (size_t)(end - p) - 1))) {
		if (p[1] == '0')
			return true;
		p += 2; /* p[1] is no '0', so no pair starts there either */
	}
	return false;
}

/* free(p) without the call when p is NULL: most texts leave most of the
 * arrays of a scan unallocated, and jemalloc's free(NULL) costs some 80
 * instructions. */
static void
free_some(void *p)
{
	if (p)
		free(p);
}

static trawl_status_t
scan(const trawl_detector_set_t *set, trawl_findings_t *out, const trawl_text_t *text)
{
	scan_ctx_t c = {.set = set, .text = text, .lang = -1};
	pthread_once(&wordsets_once, wordsets_build);
	if (!wordsets_ok)
		return TRAWL_ERULES; /* the name detector's check says which file */
	hits_t hits = {0};
	trawl_status_t rc;

	/* first the international numbers, so that a national one earlier in
	 * the text can be recognised as the same number (none without a '+'
	 * or a "00" in the text) */
	c.collecting = true;
	if (memchr(text->text, '+', text->len) || has_double_zero(text->text, text->len)) {
		if ((rc = scan_runs(&c, &hits)) < 0)
			goto done;
		c.runs_known = true;
	}
	c.collecting = false;
	if ((rc = scan_runs(&c, &hits)) < 0)
		goto done;
	for (size_t k = 0; k < hits.len; k++) {
		const hit_t *h = &hits.items[k];
		double conf = h->v.confidence + position_bonus(text, h->start);
		if (conf > 0.97)
			conf = 0.97;
		if ((rc = trawl_detect__emit(out, text, TRAWL_TYPE_PHONE, h->start, h->end, h->v.e164, conf,
		                             h->v.rule)) < 0)
			goto done;
	}
done:
	free_some(hits.items);
	free_some(c.intl);
	free_some(c.judged);
	free_some(c.kept);
	free_some(c.starts);
	return rc;
}

const trawl_detector_t trawl_detector_phone = {
	.name = "phone",
	.type = TRAWL_TYPE_PHONE,
	.scan = scan,
};
