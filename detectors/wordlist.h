/* detectors/wordlist.h: the word lists of rules/ (given names, street
 * types, salutations, ...) loaded once into hash sets, and the tokenizer the
 * name and address detectors share (internal to the detectors module).
 *
 * The lists are plain UTF-8 text, one entry a line, '#' starting a comment
 * line; rules/README.md describes each and where it came from. They are read
 * on first use, once per process (pthread_once), from the directory named by
 * the environment variable TRAWL_RULES_DIR, else the compile-time
 * TRAWL_RULES_DIR, else "rules"; read-only afterwards, so any number of
 * threads may use them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_DETECTORS_WORDLIST_H
#define TRAWL_DETECTORS_WORDLIST_H

#include <stdbool.h>
#include <string.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include "trawl/detect.h"
#include "trawl/status.h"

/* A table of lower-cased words (multi-word entries with single spaces),
 * each with a value that is not 0: open addressing with the hash of every
 * entry kept, so that a look-up hashes the word asked about once and
 * compares strings only when the hashes agree. Built once, read-only
 * afterwards. */
typedef struct {
	const char *key; /* NULL: an empty slot */
	uint32_t len;
	uint32_t hash;
	uint32_t value;
} trawl_wordtab_slot_t;

typedef struct {
	trawl_wordtab_slot_t *slots;
	size_t mask;         /* the number of slots (a power of two) less one */
	size_t n;            /* entries */
	GStringChunk *keys;  /* the entries' text */
} trawl_wordtab_t;

/* The hash of s[0, len) that trawl_wordtab_t keeps (32-bit FNV-1a). */
static inline uint32_t
trawl_word_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/* Lower-cases s[0, n), ASCII letters and digits alone, into buf (each
 * byte with 0x20 set, which digits have already; no NUL added) and returns
 * its trawl_word_hash(): one loop for both. */
static inline uint32_t
trawl_word_lower_hash(char *buf, const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t j = 0; j < n; j++) {
		unsigned char ch = (unsigned char)s[j] | 0x20;
		buf[j] = (char)ch;
		h = (h ^ ch) * 16777619u;
	}
	return h;
}

/* The value of the lower-cased s[0, len), whose trawl_word_hash() is hash;
 * 0 when absent. */
uint32_t trawl_wordtab__get(const trawl_wordtab_t *t, const char *s, size_t len, uint32_t hash);

/* One word list: lower-cased entries (multi-word entries with single
 * spaces) mapped to a small integer value (1 unless the file gives one).
 * The lexicon keeps the lists that detectors ask about only word by word
 * (given names, surnames, common words) in its word table alone: their
 * set is NULL and their entries are those of table with the bit bit. */
typedef struct {
	GHashTable *set; /* char * -> GINT_TO_POINTER(value) */
	size_t max_words; /* the most words an entry has */
	const trawl_wordtab_t *table; /* when set is NULL */
	uint32_t bit;
} trawl_wordlist_t;

/* The languages whose function words rules/phone/ holds (ISO 639-1). */
#define TRAWL_LEXICON_LANGS 8
extern const char *const trawl_lexicon_langs[TRAWL_LEXICON_LANGS];

/* Every list the name, address and phone detectors use. */
typedef struct {
	/* names/ */
	trawl_wordlist_t given;     /* given-*.txt: given names from public statistics */
	trawl_wordlist_t surnames;  /* surnames-*.txt */
	trawl_wordlist_t common;    /* common-words-*.txt: ordinary lower-case words */
	trawl_wordlist_t not_name;  /* not-names.txt */
	trawl_wordlist_t calendar;  /* calendar-words.txt: months, weekdays */
	trawl_wordlist_t company;   /* company-words.txt */
	trawl_wordlist_t titles;    /* titles.txt */
	trawl_wordlist_t particles; /* particles.txt */
	trawl_wordlist_t greetings; /* greetings.txt */
	trawl_wordlist_t closings;  /* closings.txt */
	trawl_wordlist_t labels;    /* labels.txt */
	trawl_wordlist_t columns;   /* columns.txt: value = TRAWL_COL_* */
	/* address/ */
	trawl_wordlist_t street_suffix; /* street-suffixes.txt */
	trawl_wordlist_t street_word;   /* street-words.txt */
	trawl_wordlist_t us_states;     /* us-states.txt */
	trawl_wordlist_t hotwords;      /* hotwords.txt */
	trawl_wordlist_t po_box;        /* po-box.txt */
	trawl_wordlist_t not_street;    /* not-street.txt */
	/* phone/ */
	trawl_wordlist_t phone_hot;     /* hotwords.txt: words before a phone number */
	trawl_wordlist_t phone_not;     /* not-phone.txt: words before some other number */
	trawl_wordlist_t phone_number;  /* number-words.txt: "nr", "no", "nummer" */
	/* function-words-<lang>.txt, one per language of trawl_lexicon_langs[] */
	trawl_wordlist_t function_words[TRAWL_LEXICON_LANGS];
	/* Every entry of the lists above that detectors ask about word by
	 * word (or phrase by phrase), mapped to the TRAWL_LX_* bits of the
	 * lists it is in: one look-up per word instead of one per list. */
	trawl_wordtab_t words;
} trawl_lexicon_t;

enum {
	TRAWL_LX_GIVEN = 1 << 0,
	TRAWL_LX_SURNAME = 1 << 1,
	TRAWL_LX_COMMON = 1 << 2,
	TRAWL_LX_NOT_NAME = 1 << 3,
	TRAWL_LX_CALENDAR = 1 << 4,
	TRAWL_LX_COMPANY = 1 << 5,
	TRAWL_LX_TITLE = 1 << 6,
	TRAWL_LX_PARTICLE = 1 << 7,
	TRAWL_LX_STREET_WORD = 1 << 8,
	TRAWL_LX_US_STATE = 1 << 9,
	TRAWL_LX_NOT_STREET = 1 << 10,
	TRAWL_LX_ADDRESS_HOT = 1 << 11, /* address/hotwords.txt */
};

/* The TRAWL_LX_* bits of the lists the lower-cased lower[0, len) is in; 0
 * for none. */
static inline unsigned
trawl_lexicon__lists(const trawl_lexicon_t *lx, const char *lower, size_t len)
{
	return trawl_wordtab__get(&lx->words, lower, len, trawl_word_hash(lower, len));
}

/* trawl_lexicon__lists(), and for a word written with Latin-1 accents
 * ("sánchez", "josé") the given-name and surname bits of the word without
 * them: the name lists come mostly from ASCII sources (the US census and
 * Social Security). A word that holds other letters outside ASCII is
 * looked up as it is. */
unsigned trawl_lexicon__lists_accented(const trawl_lexicon_t *lx, const char *lower, size_t len);

/* Does the lower-cased word follow a house number as part of it ("3 bis",
 * "12 ter": France, Italy)? Asked by the address detector, which reads
 * the number, and the name detector, which must not read the street
 * after it as a person. */
static inline bool
trawl_is_house_number_suffix(const char *lower)
{
	return strcmp(lower, "bis") == 0 || strcmp(lower, "ter") == 0 || strcmp(lower, "quater") == 0;
}

enum { TRAWL_COL_FULL = 1, TRAWL_COL_GIVEN = 2, TRAWL_COL_FAMILY = 3 };

/* The folder of the built-in rules and word lists: $TRAWL_RULES_DIR, else
 * the compile-time TRAWL_RULES_DIR, else "rules". Static or environment
 * storage. */
const char *trawl_detect__rules_dir(void);

/* The built-in lexicon, loaded on the first call. Returns NULL when a list
 * could not be read or is malformed; then *errmsg (if not NULL) points to
 * "file:line: what is wrong" (static storage, valid for the process). */
const trawl_lexicon_t *trawl_detect__lexicon(const char **errmsg);

/* Loads one list file into wl (created if wl->set is NULL). Lines hold an
 * entry, optionally followed by a space and a value word that map_value turns
 * into a number (NULL: the whole line is the entry). On error returns
 * TRAWL_ERULES or TRAWL_EIO with a malloc'd "file:line: ..." in *errmsg. */
trawl_status_t trawl_wordlist__load(trawl_wordlist_t *wl, const char *path,
                                    int (*map_value)(const char *word), char **errmsg);
void trawl_wordlist__free(trawl_wordlist_t *wl);

/* The value of s[0, len) in wl, compared lower-cased, or 0 when absent. */
int trawl_wordlist__get(const trawl_wordlist_t *wl, const char *s, size_t len);
static inline bool
trawl_wordlist__has(const trawl_wordlist_t *wl, const char *s, size_t len)
{
	return trawl_wordlist__get(wl, s, len) != 0;
}

/* Lower-cases s[0, len) into buf (NUL-terminated); returns the length, or 0
 * when it does not fit in cap bytes or is not valid UTF-8. */
size_t trawl_detect__lower(char *buf, size_t cap, const char *s, size_t len);

/* Tokens: runs of letters and digits (any script), with '-', '\'', U+2019
 * and '/' kept inside when letters or digits stand on both sides, so that
 * "Otto-Hahn-Str", "O'Brien", "12-14", "10/12" and "00-590" are one token. */
enum {
	TRAWL_TOK_ALPHA = 1 << 0,  /* holds a letter */
	TRAWL_TOK_DIGIT = 1 << 1,  /* holds a digit */
	TRAWL_TOK_LEAD_DIGIT = 1 << 2, /* starts with a digit */
	TRAWL_TOK_CAP = 1 << 3,    /* starts with an upper-case letter and holds a lower-case one */
	TRAWL_TOK_UPPER = 1 << 4,  /* letters all upper case (at least one) */
	TRAWL_TOK_LOWER = 1 << 5,  /* starts with a lower-case letter */
	TRAWL_TOK_JOINED = 1 << 6, /* holds '-', '/' or an apostrophe */
	TRAWL_TOK_DOT = 1 << 7,    /* a '.' follows at once */
	TRAWL_TOK_ALL_DIGITS = 1 << 8, /* ASCII digits only */
};

/* What stands between a token and the one before it (besides spaces). */
enum {
	TRAWL_GAP_COMMA = 1 << 0,
	TRAWL_GAP_SEMI = 1 << 1,
	TRAWL_GAP_COLON = 1 << 2,
	TRAWL_GAP_TAB = 1 << 3,
	TRAWL_GAP_QUOTE = 1 << 4,
	TRAWL_GAP_OPEN = 1 << 5,   /* ( [ { < */
	TRAWL_GAP_CLOSE = 1 << 6,  /* ) ] } > */
	TRAWL_GAP_DOT = 1 << 7,
	TRAWL_GAP_DASH = 1 << 8,   /* a free-standing - or dash */
	TRAWL_GAP_AMP = 1 << 9,    /* & or + */
	TRAWL_GAP_PIPE = 1 << 10,
	TRAWL_GAP_SLASH = 1 << 11,
	TRAWL_GAP_OTHER = 1 << 12, /* any other punctuation or symbol */
	TRAWL_GAP_START = 1 << 13, /* the first token of the text */
};

typedef struct {
	uint32_t start, end; /* byte offsets */
	uint16_t flags;      /* TRAWL_TOK_* */
	uint16_t gap;        /* TRAWL_GAP_* between the previous token and this one */
	uint16_t nl;         /* newlines in that gap (capped) */
	uint16_t ncp;        /* code points in the token (capped) */
} trawl_tok_t;

typedef struct {
	trawl_tok_t *v;
	/* per token: the index of the first token of its line (one whose nl
	 * is not 0, or the first), which both detectors ask about */
	uint32_t *line_first;
	/* per token: 0 until the lexicon's lists of the token are looked up
	 * (trawl_toks__lists()), then TRAWL_TOKS_LISTS_KNOWN and their bits:
	 * kept for every detector of the text, which ask about many of the
	 * same words */
	uint32_t *lists;
	size_t n, cap; /* of the three arrays */
} trawl_toks_t;

#define TRAWL_TOKS_LISTS_KNOWN (1u << 31)

/* trawl_toks__lists() when token i was not looked up yet. */
unsigned trawl_toks__lists_lookup(const trawl_toks_t *toks, const trawl_lexicon_t *lx, const char *text, size_t i);

/* The TRAWL_LX_* bits of the lists that token i of toks (the tokens of
 * text), lower-cased as trawl_detect__lower_tok() does with room for 128
 * bytes, is in; 0 for none, or when it cannot be lower-cased so. */
static inline unsigned
trawl_toks__lists(const trawl_toks_t *toks, const trawl_lexicon_t *lx, const char *text, size_t i)
{
	uint32_t m = toks->lists[i];
	return m ? m & ~TRAWL_TOKS_LISTS_KNOWN : trawl_toks__lists_lookup(toks, lx, text, i);
}

/* The first of the tokens t[i, n) with any of the TRAWL_TOK_* flags, or n:
 * what a detector's walk over every token of a text uses to step over
 * those it never asks about (the most) in a loop of its own. */
static inline size_t
trawl_toks__next(const trawl_tok_t *t, size_t i, size_t n, unsigned flags)
{
	while (i < n && !(t[i].flags & flags))
		i++;
	return i;
}

/* trawl_detect__lower() of token k of text: a token of ASCII letters and
 * digits alone (the most) lower-cases without a call, each byte with 0x20
 * set (which digits have already). */
static inline size_t
trawl_detect__lower_tok(char *buf, size_t cap, const char *text, const trawl_tok_t *k)
{
	size_t n = k->end - k->start;
	if (n != k->ncp || (k->flags & TRAWL_TOK_JOINED) || n + 1 > cap)
		return trawl_detect__lower(buf, cap, text + k->start, n);
	for (size_t j = 0; j < n; j++)
		buf[j] = (char)(text[k->start + j] | 0x20);
	buf[n] = '\0';
	return n;
}

/* Splits text[0, len) into tokens, appended to out (reset first). */
trawl_status_t trawl_detect__tokenize(trawl_toks_t *out, const char *text, size_t len);
void trawl_toks_free(trawl_toks_t *toks);

/* The tokens of text, split once for every detector that asks while
 * trawl_detect_text() runs them over it (and afresh when asked outside
 * such a run). *out is owned by the calling thread and valid until its next
 * call here. */
trawl_status_t trawl_detect__tokens(const trawl_toks_t **out, const trawl_text_t *text);
/* Bracket the detectors' run over one text (registry.c), so that the
 * tokens of the one cannot be taken for those of the next. */
void trawl_detect__text_begin(void);
void trawl_detect__text_end(void);

/* The lower-cased text[start, end) with every run of white space and of the
 * separators , ; " | folded to one space, trimmed: a malloc'd string for the
 * caller to free, or NULL when memory is short. */
char *trawl_detect__fold(const char *text, size_t start, size_t end);

/* A set of words as one bit for each length, first and last byte, hashed
 * into TRAWL_WORDBITS bits: a word whose bit is not set is none of them,
 * which spares it lower-casing and a look-up (a set bit says "maybe").
 * Callers lower-case the two bytes as their set's entries are. */
#define TRAWL_WORDBITS 4096
typedef struct {
	uint8_t bits[TRAWL_WORDBITS / 8];
} trawl_wordbits_t;

static inline unsigned
trawl_wordbits__bit(unsigned char first, unsigned char last, size_t len)
{
	return (unsigned)(((first * 131u + last) * 41u + len) % TRAWL_WORDBITS);
}

/* Adds the word w[0, len) (nothing when len is 0). */
static inline void
trawl_wordbits__add(trawl_wordbits_t *e, const char *w, size_t len)
{
	if (len) {
		unsigned b = trawl_wordbits__bit((unsigned char)w[0], (unsigned char)w[len - 1], len);
		e->bits[b / 8] |= (uint8_t)(1u << (b % 8));
	}
}

/* Whether a word of len bytes from first to last may be in e. */
static inline bool
trawl_wordbits__maybe(const trawl_wordbits_t *e, unsigned char first, unsigned char last, size_t len)
{
	unsigned b = trawl_wordbits__bit(first, last, len);
	return (e->bits[b / 8] >> (b % 8)) & 1;
}

#endif
