/* Postal addresses, on one line or several, found by their structure rather
 * than by a list of places.
 *
 * An address is anchored on its postcode, in the forms of the countries it
 * knows: five digits (DE, FR, IT, ES; also "D-10115"), four digits (AT, CH,
 * BE, DK; "A-1010", "CH-8001"), "1234 AB" (NL), "12-345" (PL), "1234-567"
 * (PT, after a street word or a hotword only), the outward
 * and inward codes of the UK ("SW1A 1AA") and a US state and ZIP code
 * ("NY 10001", "CA 94105-1234"). The town stands after the postcode, or
 * before it in the UK and the US. Before that, on the same line after a comma
 * or on the line above (a line "Apt 5" or "c/o ..." may stand between, and
 * a floor and door: "3º B", "2º izq.", "3. OG", "3e étage"), comes the
 * street:
 *
 *   name then number   Ahornweg 70, Am Frankenberg 108, Via Roma 12,
 *                      ul. Długa 5/7, Calle Mayor, 5
 *   number then name   221B Baker Street, 7802 W South Street Apt. 4,
 *                      12 rue de la Paix, 12, rue de la Paix
 *   a post-office box  PO Box 123, Postfach 10 20 30
 *
 * Street-type words and endings (rules/address/street-*.txt: Straße, -str.,
 * -weg, Gasse, Street, Rd, rue, via, calle, straat, ul., ...) raise the
 * confidence, and so do words announcing an address ("Anschrift", "lives
 * at", rules/address/hotwords.txt). A word before a number that never names
 * a street ("Version 5", "Seite 12": not-street.txt) is no street. Rules:
 *
 *   address.street-postcode  street, number, postcode and town
 *   address.po-box           post-office box, postcode and town
 *   address.postcode-city    postcode and town after a hotword only (US and
 *                            UK forms without a hotword, at lower confidence)
 *   address.street           street and number after a hotword, no postcode
 *
 * norm: the text from street to town, lower-cased, commas, quotes and line
 * breaks folded to single spaces.
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

#define WBUF 128
#define MAX_STREET 8 /* tokens of a street name */
#define MAX_CITY 5   /* words of a town */

typedef struct {
	const trawl_lexicon_t *lx;
	const trawl_text_t *text;
	const trawl_toks_t *toks;
	const trawl_tok_t *t; /* toks->v */
	size_t n;
	const uint32_t *line_first;
	/* per token: whether a hotword phrase ends there (HOT_*, found out
	 * on first need by hotword_before()); malloc'd */
	uint8_t *hot_end;
} actx_t;

enum { PC_NONE, PC_5, PC_4, PC_NL, PC_PL, PC_PT, PC_US, PC_GB };

typedef struct {
	int kind;
	size_t first;    /* first token of postcode and town */
	size_t last;     /* last token */
	size_t end;      /* byte after the town (a closing parenthesis included) */
	bool year_like;  /* a four-digit code that could be a year */
	bool prefixed;   /* "D-", "CH-": the country said so */
} anchor_t;

typedef struct {
	size_t start, end; /* bytes of an address found */
} span_t;

typedef struct {
	size_t first, last; /* tokens */
	bool typed;         /* a street-type word or ending */
	bool pobox;
} street_t;

/* ---- token helpers ---- */

static const char *
tok_text(const actx_t *c, size_t i, size_t *len)
{
	*len = c->t[i].end - c->t[i].start;
	return c->text->text + c->t[i].start;
}

static size_t
tok_lower(const actx_t *c, size_t i, char *buf)
{
	return trawl_detect__lower_tok(buf, WBUF, c->text->text, &c->t[i]);
}

/* Token i is in the list of the lexicon's word table with the TRAWL_LX_* bit. */
static bool
in_list(const actx_t *c, unsigned bit, size_t i)
{
	/* kept with the tokens (the walks back from every number ask about
	 * the same words again, and the name detector has looked up many) */
	return trawl_toks__lists(c->toks, c->lx, c->text->text, i) & bit;
}

static bool
same_line(const actx_t *c, size_t i)
{
	return i < c->n && c->t[i].nl == 0;
}

static bool
is_cap_word(const trawl_tok_t *k)
{
	return (k->flags & TRAWL_TOK_ALPHA) && !(k->flags & TRAWL_TOK_LEAD_DIGIT) &&
	       (k->flags & (TRAWL_TOK_CAP | TRAWL_TOK_UPPER)) && k->ncp <= 40;
}

static bool
is_lower_word(const trawl_tok_t *k)
{
	return (k->flags & TRAWL_TOK_LOWER) && !(k->flags & TRAWL_TOK_DIGIT);
}

/* Connecting words inside street and town names. */
static bool
is_connector(const actx_t *c, size_t i)
{
	static const char *const extra[] = { "am", "an", "auf", "im", "bei", "ob", "sur", "sous", "upon",
	                                     "on", "under", "aan", "nad", "pod", "the", "of", "en", "sul",
	                                     "sulla", "dem", "dels", "d'", NULL };
	if (!is_lower_word(&c->t[i]) || c->t[i].ncp > 5)
		return false;
	/* the particles are in the word table too, and the token's lists
	 * are kept */
	if (in_list(c, TRAWL_LX_PARTICLE, i))
		return true;
	char buf[WBUF];
	if (!tok_lower(c, i, buf))
		return false;
	for (const char *const *p = extra; *p; p++)
		if (buf[0] == (*p)[0] && strcmp(buf, *p) == 0)
			return true;
	return false;
}

static bool
digits_only(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return len > 0;
}

/* A house number: 12, 12a, 221B, 12-14, 10/12, 3/1a. Returns its last token
 * ("12 a" is two), or (size_t)-1. */
static size_t
house_number(const actx_t *c, size_t i)
{
	const trawl_tok_t *k = &c->t[i];
	if (!(k->flags & TRAWL_TOK_LEAD_DIGIT) || k->ncp > 9)
		return (size_t)-1;
	size_t len;
	const char *s = tok_text(c, i, &len);
	size_t d = 0;
	while (d < len && s[d] >= '0' && s[d] <= '9')
		d++;
	if (d == 0 || d > 5)
		return (size_t)-1;
	size_t rest = len - d;
	if (rest == 0) {
		/* "3 bis", "12 ter" (France, Italy) */
		if (i + 1 < c->n && same_line(c, i + 1) && c->t[i + 1].gap == 0 && is_lower_word(&c->t[i + 1]) &&
		    c->t[i + 1].ncp <= 6) {
			char w[WBUF];
			if (tok_lower(c, i + 1, w) && trawl_is_house_number_suffix(w))
				return i + 1;
		}
		/* "12 a" */
		if (i + 1 < c->n && same_line(c, i + 1) && c->t[i + 1].gap == 0 && c->t[i + 1].ncp == 1 &&
		    (c->t[i + 1].flags & TRAWL_TOK_ALPHA) && !(c->t[i + 1].flags & TRAWL_TOK_DOT) &&
		    (i + 2 >= c->n || c->t[i + 2].nl || c->t[i + 2].gap))
			return i + 1;
		return i;
	}
	/* letters: one or two */
	if (rest <= 2) {
		bool letters = true;
		for (size_t j = d; j < len; j++)
			if (!((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z'))
				letters = false;
		if (letters)
			return i;
	}
	/* "123-A" (the Netherlands) */
	if (s[d] == '-' && len == d + 2 && ((s[d + 1] | 0x20) >= 'a' && (s[d + 1] | 0x20) <= 'z'))
		return i;
	/* ranges and fractions: 12-14, 10/12, 3/1a */
	if (s[d] == '-' || s[d] == '/') {
		size_t e = d + 1, dd = 0;
		while (e < len && s[e] >= '0' && s[e] <= '9')
			e++, dd++;
		if (dd >= 1 && dd <= 5 && (e == len || (e + 1 == len && ((s[e] | 0x20) >= 'a' && (s[e] | 0x20) <= 'z'))))
			return i;
	}
	return (size_t)-1;
}

static bool
is_ordinal(const actx_t *c, size_t i)
{
	size_t len;
	const char *s = tok_text(c, i, &len);
	size_t d = 0;
	while (d < len && s[d] >= '0' && s[d] <= '9')
		d++;
	if (d == 0 || d > 3 || len - d != 2)
		return false;
	char a = (char)(s[d] | 0x20), b = (char)(s[d + 1] | 0x20);
	return (a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') || (a == 't' && b == 'h');
}

static bool
is_direction(const actx_t *c, size_t i)
{
	static const char *const dirs[] = { "N", "S", "E", "W", "NE", "NW", "SE", "SW", NULL };
	size_t len;
	const char *s = tok_text(c, i, &len);
	if (len > 2)
		return false;
	for (const char *const *p = dirs; *p; p++)
		if (strlen(*p) == len && memcmp(*p, s, len) == 0)
			return true;
	return false;
}

static bool
is_unit_word(const actx_t *c, size_t i)
{
	static const char *const units[] = { "apt", "apartment", "suite", "ste", "unit", "flat", "floor", "fl",
	                                     "room", "rm", "bldg", "building", "wohnung", "whg", "top", "stiege",
	                                     "etage", "stock", "app", "appt", "bâtiment", "bat", "escalera",
	                                     "esc", "piso", "puerta", "lok", "lokal", "m", "no", "nr", "interno",
	                                     "int", "scala", "planta", "andar", "piano", "étage", "verdieping",
	                                     "etaż", "geschoss", "obergeschoss", NULL };
	char buf[WBUF];
	if (!tok_lower(c, i, buf))
		return false;
	for (const char *const *p = units; *p; p++)
		if (buf[0] == (*p)[0] && strcmp(buf, *p) == 0)
			return true;
	return false;
}

/* The street suffixes (rules/address/street-suffixes.txt) of two bytes or
 * more by their last two bytes: for each pair, bit L set when a suffix of
 * L bytes ends in it. A word can only end in a suffix that ends as it
 * does and has one of those lengths, so its other endings need no
 * look-up. Built once; suffix_ok is false when it could not be. */
static uint16_t suffix_lens[65536];
static bool suffix_ok;
static pthread_once_t suffix_once = PTHREAD_ONCE_INIT;

static unsigned
last_two(const char *s, size_t len)
{
	return (unsigned)(unsigned char)s[len - 2] << 8 | (unsigned char)s[len - 1];
}

static void
suffix_lens_build(void)
{
	const trawl_lexicon_t *lx = trawl_detect__lexicon(NULL);
	if (!lx || !lx->street_suffix.set)
		return;
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, lx->street_suffix.set);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		size_t len = strlen(key);
		/* (is_street_type() tries no ending of more than 12 bytes) */
		if (len >= 2 && len <= 12)
			suffix_lens[last_two(key, len)] |= (uint16_t)(1u << len);
	}
	suffix_ok = true;
}

/* A street-type word, or a word ending in a street-type ending ("Ahornweg",
 * "Hauptstr", "Keizersgracht"). */
static bool
is_street_type(const actx_t *c, size_t i)
{
	/* the list's entries are in the word table too */
	if (in_list(c, TRAWL_LX_STREET_WORD, i))
		return true;
	if (!(c->t[i].flags & TRAWL_TOK_ALPHA))
		return false;
	char buf[WBUF];
	size_t l = tok_lower(c, i, buf);
	if (l < 2)
		return false;
	pthread_once(&suffix_once, suffix_lens_build);
	/* the lengths of ending worth a look-up (all when not known) */
	unsigned lens = suffix_ok ? suffix_lens[last_two(buf, l)] : ~0u;
	/* endings of 2 to 12 bytes, on a character boundary */
	for (size_t k = l > 12 ? l - 12 : 1; lens && k + 2 <= l; k++) {
		if (!(lens & (1u << (l - k))) || ((unsigned char)buf[k] & 0xC0) == 0x80)
			continue;
		if (g_hash_table_contains(c->lx->street_suffix.set, buf + k))
			return true;
	}
	return false;
}

/* ---- postcodes and towns ---- */

/* Town words after token i (exclusive), on the same line: returns the last
 * token, or (size_t)-1 when none; *end the byte after it. */
static size_t
town_after(const actx_t *c, size_t i, size_t *end)
{
	size_t k = i + 1, last = (size_t)-1, words = 0;
	bool in_paren = false;
	while (k < c->n && same_line(c, k) && words < MAX_CITY) {
		uint16_t g = c->t[k].gap;
		if (g == TRAWL_GAP_OPEN && last != (size_t)-1 && !in_paren) {
			in_paren = true;
		} else if (g == TRAWL_GAP_DOT && last != (size_t)-1 && (c->t[k - 1].flags & TRAWL_TOK_DOT) &&
		           c->t[k - 1].ncp <= 3) {
			/* "St. Gallen", "Frankfurt a. M." */
		} else if (g != 0 && !(g == TRAWL_GAP_DASH && last != (size_t)-1)) {
			break;
		}
		if (is_cap_word(&c->t[k]) && !(c->t[k].flags & TRAWL_TOK_DIGIT)) {
			last = k;
			words++;
		} else if (last != (size_t)-1 && is_connector(c, k) && k + 1 < c->n && same_line(c, k + 1) &&
		           is_cap_word(&c->t[k + 1])) {
			/* "Frankfurt am Main", "Stratford-upon-Avon" */
		} else if (last != (size_t)-1 && c->t[k].ncp == 1 && (c->t[k].flags & TRAWL_TOK_DOT)) {
			/* "a." of "a. M." */
		} else {
			break;
		}
		k++;
	}
	if (last == (size_t)-1)
		return last;
	*end = c->t[last].end;
	const char *t = c->text->text;
	if (in_paren && *end < c->text->len && t[*end] == ')')
		(*end)++;
	else if (in_paren) {
		/* an unclosed parenthesis: stop before it */
		size_t k2 = last;
		while (k2 > i + 1 && c->t[k2].gap != TRAWL_GAP_OPEN)
			k2--;
		last = k2 - 1;
		*end = c->t[last].end;
	}
	return last;
}

/* Town words before token i (exclusive) on its line, back to a separator:
 * returns the first token, or (size_t)-1. */
static size_t
town_before(const actx_t *c, size_t i)
{
	if (i == 0 || c->t[i].nl)
		return (size_t)-1;
	size_t k = i - 1, first = (size_t)-1, words = 0;
	for (;;) {
		if (is_cap_word(&c->t[k]) && !(c->t[k].flags & TRAWL_TOK_DIGIT)) {
			first = k;
			words++;
		} else if (!(first != (size_t)-1 && is_connector(c, k))) {
			break;
		}
		/* the gap before k: only spaces (or a dash) keep the town going */
		uint16_t g = c->t[k].gap;
		if (c->t[k].nl || k == 0 || words >= MAX_CITY || (g != 0 && g != TRAWL_GAP_DASH))
			break;
		k--;
	}
	return first;
}

static bool
upper_letters(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return false;
	return true;
}

/* "SW1A", "M1", "B33", "EC1A": the outward code of a UK postcode. */
static bool
gb_outward(const char *s, size_t len)
{
	if (len < 2 || len > 4)
		return false;
	size_t a = 0;
	while (a < len && s[a] >= 'A' && s[a] <= 'Z')
		a++;
	if (a < 1 || a > 2 || a == len || s[a] < '0' || s[a] > '9')
		return false;
	for (size_t i = a + 1; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z')))
			return false;
	return true;
}

/* "1AA" (also "12A", as some generators and typists write it). */
static bool
gb_inward(const char *s, size_t len)
{
	return len == 3 && s[0] >= '0' && s[0] <= '9' &&
	       ((s[1] >= 'A' && s[1] <= 'Z') || (s[1] >= '0' && s[1] <= '9')) && s[2] >= 'A' && s[2] <= 'Z';
}

/* A postcode at token i, with its town. */
static bool
anchor_at(const actx_t *c, size_t i, anchor_t *a)
{
	const trawl_tok_t *k = &c->t[i];
	size_t len;
	const char *s = tok_text(c, i, &len);
	memset(a, 0, sizeof *a);
	if (!(k->flags & TRAWL_TOK_DIGIT))
		return false;
	/* the digits of a code may be prefixed by a country: "D-10115", "CH-8001" */
	const char *d = s;
	size_t dl = len;
	if (!(k->flags & TRAWL_TOK_LEAD_DIGIT)) {
		const char *h = memchr(s, '-', len);
		if (!h || h - s > 2 || !upper_letters(s, (size_t)(h - s)))
			goto uk;
		d = h + 1;
		dl = len - (size_t)(h - s) - 1;
		a->prefixed = true;
	}
	/* five or four digits, "1234 AB", "12-345" */
	if (digits_only(d, dl) && (dl == 5 || dl == 4)) {
		/* not a part of a longer number: "12 345", "1.234", "4,5" */
		if (i > 0 && same_line(c, i) && (c->t[i].gap & (TRAWL_GAP_DOT | TRAWL_GAP_SLASH)) &&
		    (c->t[i - 1].flags & TRAWL_TOK_ALL_DIGITS) && !(c->t[i].gap & ~(TRAWL_GAP_DOT | TRAWL_GAP_SLASH)))
			return false;
		if (i + 1 < c->n && same_line(c, i + 1) && (c->t[i + 1].flags & TRAWL_TOK_DIGIT) &&
		    (c->t[i + 1].gap & ~TRAWL_GAP_COMMA) == TRAWL_GAP_DOT)
			return false;
		size_t after = i;
		a->kind = dl == 5 ? PC_5 : PC_4;
		if (dl == 4 && !a->prefixed && i + 1 < c->n && same_line(c, i + 1) && c->t[i + 1].gap == 0 &&
		    c->t[i + 1].ncp == 2 && (c->t[i + 1].flags & TRAWL_TOK_UPPER)) {
			size_t l2;
			const char *s2 = tok_text(c, i + 1, &l2);
			if (upper_letters(s2, l2)) {
				a->kind = PC_NL;
				after = i + 1;
			}
		}
		if (a->kind == PC_4 && !a->prefixed) {
			/* the four digits only: the text need not end after them */
			int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
			a->year_like = y >= 1900 && y <= 2099;
		}
		size_t end;
		size_t last = town_after(c, after, &end);
		if (last == (size_t)-1)
			return false;
		/* "1118 Miriam Isle": a house number and a street, not a code and a town */
		if (in_list(c, TRAWL_LX_STREET_WORD, last) || (a->kind == PC_4 && is_street_type(c, last)))
			return false;
		a->first = i;
		a->last = last;
		a->end = end;
		return true;
	}
	/* "12-345" (Poland), "1100-053" (Portugal) */
	if ((dl == 6 && d[2] == '-' && digits_only(d, 2) && digits_only(d + 3, 3)) ||
	    (dl == 8 && d[4] == '-' && digits_only(d, 4) && digits_only(d + 5, 3))) {
		size_t end;
		size_t last = town_after(c, i, &end);
		if (last == (size_t)-1)
			return false;
		a->kind = dl == 6 ? PC_PL : PC_PT;
		a->first = i;
		a->last = last;
		a->end = end;
		return true;
	}
	if (dl == 6 && digits_only(d, 4) && upper_letters(d + 4, 2)) {
		size_t end;
		size_t last = town_after(c, i, &end);
		if (last == (size_t)-1)
			return false;
		a->kind = PC_NL;
		a->first = i;
		a->last = last;
		a->end = end;
		return true;
	}
uk:
	/* UK: outward and inward code, the town before */
	if (gb_outward(s, len) && i + 1 < c->n && same_line(c, i + 1) && c->t[i + 1].gap == 0) {
		size_t l2;
		const char *s2 = tok_text(c, i + 1, &l2);
		if (!gb_inward(s2, l2))
			return false;
		if (i + 2 < c->n && same_line(c, i + 2) && c->t[i + 2].gap == 0)
			return false;
		size_t first = town_before(c, i);
		if (first == (size_t)-1 && c->t[i].nl && i > 0) {
			/* the town on the line above, alone */
			size_t pl = c->line_first[i - 1];
			bool town = i - pl <= MAX_CITY;
			for (size_t m = pl; m < i && town; m++)
				if (!(is_cap_word(&c->t[m]) && !(c->t[m].flags & TRAWL_TOK_DIGIT)) && !is_connector(c, m))
					town = false;
			if (town)
				first = pl;
		}
		if (first == (size_t)-1)
			return false;
		a->kind = PC_GB;
		a->first = first;
		a->last = i + 1;
		a->end = c->t[i + 1].end;
		return true;
	}
	return false;
}

/* US: "Springfield, IL 62704" with the state at token i. */
static bool
anchor_us(const actx_t *c, size_t i, anchor_t *a)
{
	const trawl_tok_t *k = &c->t[i];
	if (k->ncp != 2 || !(k->flags & TRAWL_TOK_UPPER) || (k->flags & TRAWL_TOK_DIGIT))
		return false;
	if (!in_list(c, TRAWL_LX_US_STATE, i))
		return false;
	if (i + 1 >= c->n || !same_line(c, i + 1) || c->t[i + 1].gap != 0)
		return false;
	size_t len;
	const char *s = tok_text(c, i + 1, &len);
	if (!(len >= 5 && digits_only(s, 5) && (len == 5 || (len == 10 && s[5] == '-' && digits_only(s + 6, 4)))))
		return false;
	if (c->t[i].nl || !(c->t[i].gap == TRAWL_GAP_COMMA || c->t[i].gap == 0))
		return false;
	size_t first = town_before(c, i);
	if (first == (size_t)-1)
		return false;
	memset(a, 0, sizeof *a);
	a->kind = PC_US;
	a->first = first;
	a->last = i + 1;
	a->end = c->t[i + 1].end;
	return true;
}

/* ---- streets ---- */

/* The street words ending at token k: name then number, the number ending
 * at k. */
static bool
street_name_number(const actx_t *c, size_t k, size_t floor_tok, street_t *st)
{
	/* the number */
	size_t h = k;
	if (house_number(c, h) != k) {
		if (k > floor_tok && house_number(c, k - 1) == k)
			h = k - 1;
		else
			return false;
	}
	if (h == floor_tok || h == 0 || c->t[h].nl)
		return false;
	uint16_t g = c->t[h].gap;
	bool comma_before_number = g == TRAWL_GAP_COMMA;
	if (g != 0 && g != TRAWL_GAP_DOT && !comma_before_number)
		return false;
	/* the name, backwards */
	size_t m = h - 1, first = (size_t)-1, ntok = 0;
	bool typed = false;
	for (;;) {
		const trawl_tok_t *t = &c->t[m];
		if (is_cap_word(t) && !(t->flags & TRAWL_TOK_DIGIT)) {
			first = m;
		} else if (is_lower_word(t) && (in_list(c, TRAWL_LX_STREET_WORD, m) || is_connector(c, m))) {
			if (first != (size_t)-1 || in_list(c, TRAWL_LX_STREET_WORD, m))
				first = m;
			else
				break;
		} else if (is_ordinal(c, m) && first != (size_t)-1) {
			first = m;
		} else {
			break;
		}
		if (is_street_type(c, m))
			typed = true;
		ntok++;
		uint16_t mg = c->t[m].gap;
		if (m == floor_tok || c->t[m].nl || ntok >= MAX_STREET || (mg != 0 && mg != TRAWL_GAP_DOT))
			break;
		if (mg == TRAWL_GAP_DOT && !(c->t[m - 1].flags & TRAWL_TOK_DOT))
			break;
		m--;
	}
	if (first == (size_t)-1)
		return false;
	/* leading lower-case connectors out ("an Ahornweg 5") */
	while (first < h && is_connector(c, first) && !in_list(c, TRAWL_LX_STREET_WORD, first))
		first++;
	/* leading articles out ("Die Lieferung geht an ...") */
	while (first + 1 < h) {
		char buf[WBUF];
		if (!tok_lower(c, first, buf) || !(strcmp(buf, "die") == 0 || strcmp(buf, "das") == 0 ||
		                                   strcmp(buf, "the") == 0 || strcmp(buf, "la") == 0))
			break;
		if (in_list(c, TRAWL_LX_STREET_WORD, first))
			break;
		first++;
	}
	if (first >= h)
		return false;
	/* a street word that stands before the name, after a lower-case word
	 * of the sentence, starts the street: "Vive en Avenida de la
	 * Constitución 12" (but "Auf dem End 92a", "Auf dem Markt 5": the
	 * street word is the name's last) */
	for (size_t p = first + 1; p + 1 < h; p++) {
		if (in_list(c, TRAWL_LX_STREET_WORD, p) && is_lower_word(&c->t[p - 1]) &&
		    !in_list(c, TRAWL_LX_STREET_WORD, p - 1)) {
			first = p;
			break;
		}
	}
	/* "Version 5", "Seite 12", "März 2024" */
	if (in_list(c, TRAWL_LX_NOT_STREET, h - 1) || in_list(c, TRAWL_LX_NOT_NAME, h - 1)) {
		if (!in_list(c, TRAWL_LX_STREET_WORD, h - 1) && !is_street_type(c, h - 1))
			return false;
	}
	/* "Calle Mayor, 5" only with a street type */
	if (comma_before_number && !typed)
		return false;
	/* without a type, a long run of capitalised words is a sentence: keep the last three */
	if (!typed) {
		size_t words = 0, f2 = h;
		while (f2 > first && words < 3) {
			f2--;
			words++;
		}
		first = f2;
	}
	st->first = first;
	st->last = k;
	st->typed = typed;
	st->pobox = false;
	return true;
}

/* The first token of the segment that ends at k: back to line start or a
 * separator, at most MAX_STREET + 4 tokens. */
static size_t
segment_start(const actx_t *c, size_t k, size_t floor_tok)
{
	size_t m = k;
	for (size_t steps = 0; m > floor_tok && steps < MAX_STREET + 4; steps++) {
		const trawl_tok_t *t = &c->t[m];
		if (t->nl || (t->gap & ~(TRAWL_GAP_DOT | TRAWL_GAP_DASH | TRAWL_GAP_SLASH | TRAWL_GAP_OTHER)))
			break;
		if ((t->gap & TRAWL_GAP_DOT) && !(c->t[m - 1].flags & TRAWL_TOK_DOT))
			break;
		m--;
	}
	return m;
}

/* Number then name: "221B Baker Street", "7802 W South Street Apt. 4",
 * "12 rue de la Paix", "12, rue de la Paix". The segment is [s, k]. */
static bool
street_number_name(const actx_t *c, size_t s, size_t k, size_t floor_tok, street_t *st)
{
	size_t h = s;
	size_t he = house_number(c, h);
	if (he == (size_t)-1 || he >= k) {
		/* "12, rue de la Paix": the number alone before a comma */
		if (s > floor_tok && c->t[s].gap == TRAWL_GAP_COMMA && !c->t[s].nl && house_number(c, s - 1) == s - 1 &&
		    (s - 1 == 0 || c->t[s - 1].nl || c->t[s - 1].gap)) {
			h = s - 1;
			he = h;
			if (!is_street_type(c, s))
				return false;
		} else {
			return false;
		}
	}
	bool typed = false, unit = false;
	size_t words = 0;
	for (size_t m = he + 1; m <= k; m++) {
		const trawl_tok_t *t = &c->t[m];
		if (unit) {
			if (t->flags & TRAWL_TOK_DIGIT)
				continue;
			if (t->ncp <= 2 && (t->flags & TRAWL_TOK_UPPER))
				continue;
			return false;
		}
		if (is_street_type(c, m) && (is_cap_word(t) || is_lower_word(t))) {
			typed = true;
			words++;
		} else if (words > 0 && is_unit_word(c, m)) {
			unit = true;
		} else if (is_cap_word(t) && !(t->flags & TRAWL_TOK_DIGIT)) {
			words++;
		} else if (is_ordinal(c, m) || is_direction(c, m) || is_connector(c, m)) {
			/* "E 10th Street", "rue de la Paix" */
		} else {
			return false;
		}
	}
	if (!words)
		return false;
	st->first = h;
	st->last = k;
	st->typed = typed;
	st->pobox = false;
	return true;
}

/* "PO Box 123", "Postfach 10 20 30" as the segment [s, k]. */
static bool
street_pobox(const actx_t *c, size_t s, size_t k, street_t *st)
{
	size_t maxw = c->lx->po_box.max_words;
	for (size_t w = 1; w <= maxw && s + w <= k; w++) {
		char buf[256];
		size_t p = 0;
		bool ok = true;
		for (size_t m = s; m < s + w && ok; m++) {
			char tb[WBUF];
			size_t l = tok_lower(c, m, tb);
			if (!l || p + l + 2 > sizeof buf || (m > s && c->t[m].nl))
				ok = false;
			else {
				if (m > s)
					buf[p++] = ' ';
				memcpy(buf + p, tb, l);
				p += l;
			}
		}
		if (!ok)
			break;
		buf[p] = '\0';
		if (!g_hash_table_contains(c->lx->po_box.set, buf))
			continue;
		bool nums = true;
		for (size_t m = s + w; m <= k; m++)
			if (!(c->t[m].flags & TRAWL_TOK_ALL_DIGITS))
				nums = false;
		if (nums) {
			st->first = s;
			st->last = k;
			st->typed = true;
			st->pobox = true;
			return true;
		}
	}
	return false;
}

/* A floor or storey: a number of one or two digits with an ordinal mark
 * ("3º", "2ª", "1°", "3e", "2er", "4ème", "1st") or a full stop ("3."). */
static bool
is_floor_number(const actx_t *c, size_t i)
{
	static const char *const marks[] = {"º", "ª", "°", "o", "a", "e", "er", "re", "ème", "eme", NULL};
	size_t len, d = 0;
	const char *s = tok_text(c, i, &len);
	while (d < len && s[d] >= '0' && s[d] <= '9')
		d++;
	if (d == 0 || d > 2)
		return false;
	if (d == len)
		return i + 1 < c->n && (c->t[i].flags & TRAWL_TOK_DOT) && same_line(c, i + 1);
	if (is_ordinal(c, i))
		return true;
	for (const char *const *p = marks; *p; p++)
		if (strlen(*p) == len - d && memcmp(*p, s + d, len - d) == 0)
			return true;
	return false;
}

/* A line or segment holding only a unit: "Apt 5", "Suite 200", "Whg. 3". */
static bool
is_unit_segment(const actx_t *c, size_t s, size_t k)
{
	if (!is_unit_word(c, s) || k - s > 2)
		return false;
	for (size_t m = s + 1; m <= k; m++)
		if (!(c->t[m].flags & TRAWL_TOK_DIGIT) && c->t[m].ncp > 2)
			return false;
	return true;
}

/* A segment holding only a floor and a door or side: "3º B", "2º izq.",
 * "3. OG", "4e étage", "2nd floor"; not "5th Avenue" (a street word). */
static bool
is_floor_segment(const actx_t *c, size_t s, size_t k)
{
	if (k - s > 2 || k == s || !is_floor_number(c, s))
		return false;
	for (size_t m = s + 1; m <= k; m++) {
		if (in_list(c, TRAWL_LX_STREET_WORD, m) || is_street_type(c, m))
			return false;
		if (!is_unit_word(c, m) && !((c->t[m].flags & TRAWL_TOK_ALPHA) && c->t[m].ncp <= 5))
			return false;
	}
	return true;
}

/* The street before anchor token j (which starts the postcode or town). */
static bool
find_street(const actx_t *c, size_t j, size_t floor_tok, street_t *st)
{
	for (int hop = 0; hop < 2; hop++) {
		if (j == 0 || j <= floor_tok)
			return false;
		const trawl_tok_t *t = &c->t[j];
		/* the street ends the line above, or this line before a comma */
		if (t->nl > 1)
			return false;
		if (t->nl == 0 && !(t->gap & TRAWL_GAP_COMMA) && t->gap != 0 && t->gap != TRAWL_GAP_DASH)
			return false; /* (" - ": "Piazza del Duomo, 1 - 50122 Firenze") */
		size_t k = j - 1;
		size_t s = segment_start(c, k, floor_tok);
		if (is_floor_segment(c, s, k)) {
			j = s; /* skip "3º B" and look again before it */
			continue;
		}
		if (street_pobox(c, s, k, st))
			return true;
		if (street_number_name(c, s, k, floor_tok, st))
			return true;
		/* inside a sentence: "... new address is 221B Baker Street, London" */
		for (size_t m = k; m-- > s && k - m <= MAX_STREET;) {
			if (house_number(c, m) == (size_t)-1 || !same_line(c, m + 1) || c->t[m + 1].gap ||
			    !(is_cap_word(&c->t[m + 1]) || is_direction(c, m + 1) || is_lower_word(&c->t[m + 1])))
				continue;
			if (street_number_name(c, m, k, floor_tok, st)) {
				/* "350 5th Ave": the number before an ordinal name */
				street_t st2;
				if (m > s && is_ordinal(c, m) && house_number(c, m - 1) == m - 1 && !c->t[m].gap &&
				    same_line(c, m) && street_number_name(c, m - 1, k, floor_tok, &st2))
					*st = st2;
				return true;
			}
			break;
		}
		if (street_name_number(c, k, floor_tok, st))
			return true;
		if (!is_unit_segment(c, s, k))
			return false;
		j = s; /* skip "Apt 5" and look again above it */
	}
	return false;
}

/* Tokens lower-cased once for the phrases that hotword_before() tries,
 * which share their words: slot m % LOW_SLOTS holds token m, if any. */
#define LOW_SLOTS 16
typedef struct {
	size_t tok[LOW_SLOTS]; /* SIZE_MAX: none */
	size_t len[LOW_SLOTS];
	char low[LOW_SLOTS][WBUF];
} low_cache_t;

/* Token m lower-cased (*len 0 when it cannot be). */
static const char *
cached_lower(const actx_t *c, low_cache_t *lc, size_t m, size_t *len)
{
	size_t k = m % LOW_SLOTS;
	if (lc->tok[k] != m) {
		lc->len[k] = tok_lower(c, m, lc->low[k]);
		lc->tok[k] = m;
	}
	*len = lc->len[k];
	return lc->low[k];
}

enum { HOT_UNKNOWN, HOT_NO, HOT_YES };

/* The last words of the hotword phrases (the lexicon's strings), built
 * once: a phrase can end only at a token that is one of them. NULL when
 * it could not be built. With it, one bit for each length, first and last
 * byte of those words (a trawl_wordbits_t): a token of ASCII letters and
 * digits whose bit is not set is none of them, which spares most tokens
 * before an address their lower-casing and look-up. */
static GHashTable *hot_last;
static trawl_wordbits_t hot_last_bits;
static pthread_once_t hot_last_once = PTHREAD_ONCE_INIT;

static void
hot_last_build(void)
{
	const trawl_lexicon_t *lx = trawl_detect__lexicon(NULL);
	if (!lx || !lx->hotwords.set)
		return;
	GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, lx->hotwords.set);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		const char *last = strrchr(key, ' ');
		last = last ? last + 1 : (const char *)key;
		g_hash_table_add(h, (gpointer)last);
		trawl_wordbits__add(&hot_last_bits, last, strlen(last));
	}
	hot_last = h;
}

/* A word of more than 7 bytes holding an address word: the German
 * compounds ("Lieferadresse", "Rechnungsanschrift"). low is lower case. */
static bool
is_address_compound(const char *low, size_t len)
{
	return len > 7 && (strstr(low, "adresse") || strstr(low, "anschrift") || strstr(low, "address"));
}

/* Whether a hotword phrase ends at token end: one of one to max_words
 * tokens that stand with only spaces between them, or a compound of one. */
static bool
hotword_ends_at(const actx_t *c, low_cache_t *lc, size_t end)
{
	size_t maxw = c->lx->hotwords.max_words;
	size_t l;
	pthread_once(&hot_last_once, hot_last_build);
	const trawl_tok_t *k = &c->t[end];
	size_t n = k->end - k->start;
	if (hot_last && n == k->ncp && !(k->flags & TRAWL_TOK_JOINED) && n <= 7) {
		/* ASCII letters and digits, lower-cased as they stand with
		 * 0x20 set: too short for a compound, so the token must be
		 * the last word of a phrase for any to end here */
		const char *s = c->text->text + k->start;
		if (!trawl_wordbits__maybe(&hot_last_bits, (unsigned char)(s[0] | 0x20), (unsigned char)(s[n - 1] | 0x20), n))
			return false;
	}
	const char *low = cached_lower(c, lc, end, &l);
	if (!l || l + 2 > 256)
		return false; /* as the first phrase below finds */
	if (hot_last && !g_hash_table_contains(hot_last, low)) {
		/* no phrase of the list ends with the token: what is left to
		 * find is a compound in the token alone */
		return is_address_compound(low, l);
	}
	for (size_t w = 1; w <= maxw && w <= end + 1; w++) {
		size_t s = end + 1 - w;
		char buf[256];
		size_t p = 0;
		bool ok = true;
		for (size_t m = s; m <= end && ok; m++) {
			size_t l;
			const char *tb = cached_lower(c, lc, m, &l);
			if (!l || p + l + 2 > sizeof buf || (m > s && (c->t[m].gap || c->t[m].nl)))
				ok = false;
			else {
				if (m > s)
					buf[p++] = ' ';
				memcpy(buf + p, tb, l);
				p += l;
			}
		}
		if (!ok)
			break;
		buf[p] = '\0';
		if (trawl_lexicon__lists(c->lx, buf, p) & TRAWL_LX_ADDRESS_HOT)
			return true;
		if (w == 1 && is_address_compound(buf, p))
			return true;
	}
	return false;
}

/* A hotword ("Anschrift", "lives at") within a few tokens before token i.
 * Candidates close together ask about the same tokens, so what ends at
 * each token is kept for the text. */
static bool
hotword_before(const actx_t *c, size_t i)
{
	size_t lo = i > 8 ? i - 8 : 0;
	low_cache_t lc;
	for (size_t k = 0; k < LOW_SLOTS; k++)
		lc.tok[k] = SIZE_MAX;
	for (size_t e = i; e > lo; e--) {
		size_t end = e - 1;
		uint8_t known = c->hot_end[end];
		if (known == HOT_UNKNOWN) {
			known = hotword_ends_at(c, &lc, end) ? HOT_YES : HOT_NO;
			c->hot_end[end] = known;
		}
		if (known == HOT_YES)
			return true;
		if (c->t[end].nl > 1)
			break;
	}
	return false;
}

/* A c/o line or segment right before the street: included. */
static size_t
care_of_before(const actx_t *c, size_t s)
{
	if (s == 0)
		return s;
	const trawl_tok_t *t = &c->t[s];
	if (t->nl > 1 || (t->nl == 0 && !(t->gap & TRAWL_GAP_COMMA)))
		return s;
	size_t k = s - 1, ls = c->line_first[k];
	if (t->nl == 0)
		ls = segment_start(c, k, 0);
	char buf[WBUF];
	if (!tok_lower(c, ls, buf))
		return s;
	if (strcmp(buf, "c/o") == 0 || strcmp(buf, "z.hd") == 0 || strcmp(buf, "attn") == 0)
		return ls;
	if (strcmp(buf, "c") == 0 && ls + 1 <= k && c->t[ls + 1].gap == TRAWL_GAP_SLASH) {
		char b2[WBUF];
		if (tok_lower(c, ls + 1, b2) && strcmp(b2, "o") == 0)
			return ls;
	}
	return s;
}

static trawl_status_t
emit(const actx_t *c, trawl_findings_t *out, size_t start, size_t end, double conf, const char *rule)
{
	char *norm = trawl_detect__fold(c->text->text, start, end);
	if (!norm)
		return TRAWL_ENOMEM;
	trawl_status_t rc = TRAWL_OK;
	if (*norm)
		rc = trawl_detect__emit(out, c->text, TRAWL_TYPE_ADDRESS, start, end, norm, conf > 0.99 ? 0.99 : conf,
		                        rule);
	free(norm);
	return rc;
}

/* "Ahornweg 70", "221B Baker Street" after a hotword, with no postcode. */
static trawl_status_t
street_only(const actx_t *c, trawl_findings_t *out, size_t h, size_t floor_tok, size_t *next)
{
	street_t st;
	/* name then number: the number at h */
	size_t he = house_number(c, h);
	if (he == (size_t)-1)
		return TRAWL_OK;
	bool found = false;
	if (h > floor_tok && street_name_number(c, he, floor_tok, &st) && st.typed) {
		/* a type word standing alone needs a name with it ("Gate 5" is no street) */
		found = st.first < h - 1 || !in_list(c, TRAWL_LX_STREET_WORD, st.first);
	}
	if (!found) {
		/* number then name: words after h on the line */
		size_t k = he + 1, last = (size_t)-1;
		while (k < c->n && same_line(c, k) && c->t[k].gap == 0 && k - he <= MAX_STREET) {
			if (!(is_cap_word(&c->t[k]) || is_connector(c, k) || is_direction(c, k) || is_ordinal(c, k)))
				break;
			if (is_cap_word(&c->t[k]))
				last = k;
			k++;
		}
		if (last != (size_t)-1 && street_number_name(c, h, last, floor_tok, &st) && st.typed &&
		    (last > he + 1 || !in_list(c, TRAWL_LX_STREET_WORD, last)))
			found = true;
	}
	if (!found)
		return TRAWL_OK;
	double conf = hotword_before(c, st.first) ? 0.7 : 0.45;
	*next = st.last + 1;
	return emit(c, out, c->t[st.first].start, c->t[st.last].end, conf, "address.street");
}

static trawl_status_t
address_scan(const trawl_detector_set_t *set, trawl_findings_t *out, const trawl_text_t *text)
{
	(void)set;
	trawl_status_t rc = TRAWL_OK;
	const char *err = NULL;
	const trawl_lexicon_t *lx = trawl_detect__lexicon(&err);
	if (!lx)
		return TRAWL_ERULES;
	if (text->header && g_ascii_strcasecmp(text->header, "Subject") != 0)
		return TRAWL_OK;
	const trawl_toks_t *toks = NULL;
	actx_t c = { .lx = lx, .text = text };
	/* the addresses found, on the stack while few (most texts have none;
	 * a GArray made and freed per text cost more than the search) */
	span_t span_buf[16];
	span_t *spans = span_buf;
	size_t nspans = 0, capspans = G_N_ELEMENTS(span_buf);
	if (!text->len || (rc = trawl_detect__tokens(&toks, text)) < 0)
		goto done;
	c.t = toks->v;
	c.n = toks->n;
	if (!c.n)
		goto done;
	c.toks = toks;
	c.line_first = toks->line_first;
	c.hot_end = malloc(c.n * sizeof *c.hot_end);
	if (!c.hot_end) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	memset(c.hot_end, HOT_UNKNOWN, c.n * sizeof *c.hot_end);

	size_t floor_tok = 0; /* nothing before this token is looked at again */
	/* what anchor_at() and anchor_us() ask first: a digit, or two
	 * capitals (the flags step over the most tokens, the length after) */
	for (size_t i = 0; rc == TRAWL_OK && (i = trawl_toks__next(c.t, i, c.n, TRAWL_TOK_DIGIT | TRAWL_TOK_UPPER)) < c.n;
	     i++) {
		anchor_t a;
		const trawl_tok_t *k = &c.t[i];
		if (!(k->flags & TRAWL_TOK_DIGIT) && (k->ncp != 2 || !(k->flags & TRAWL_TOK_UPPER)))
			continue;
		if (!(anchor_at(&c, i, &a) || anchor_us(&c, i, &a))) {
			continue;
		}
		if (a.first < floor_tok)
			continue;
		street_t st;
		bool street = find_street(&c, a.first, floor_tok, &st);
		bool hot = hotword_before(&c, street ? st.first : a.first);
		double conf = 0;
		const char *rule = "address.street-postcode";
		size_t start;
		if (street) {
			conf = 0.85 + (st.typed ? 0.05 : 0) + (hot ? 0.05 : 0);
			if (a.kind == PC_4 && !a.prefixed && !st.typed && !hot)
				conf = a.year_like ? 0 : 0.7;
			/* "5 EUR, 1100-053 Stück": four and three digits are a
			 * Portuguese code only after a street word or a hotword */
			if (a.kind == PC_PT && !st.typed && !hot)
				conf = 0;
			if (st.pobox)
				rule = "address.po-box";
			start = c.t[care_of_before(&c, st.first)].start;
		} else {
			rule = "address.postcode-city";
			if (hot && (a.kind != PC_4 || a.prefixed))
				conf = 0.6;
			else if (a.kind == PC_US || a.kind == PC_GB)
				conf = 0.55;
			start = c.t[a.first].start;
		}
		if (conf <= 0)
			continue;
		rc = emit(&c, out, start, a.end, conf, rule);
		span_t sp = { start, a.end };
		if (nspans == capspans) {
			span_t *v = malloc(2 * capspans * sizeof *v);
			if (!v) {
				rc = TRAWL_ENOMEM;
				goto done;
			}
			memcpy(v, spans, nspans * sizeof *v);
			if (spans != span_buf)
				free(spans);
			spans = v;
			capspans *= 2;
		}
		spans[nspans++] = sp;
		floor_tok = a.last + 1;
		i = a.last;
	}
	/* streets with a number and no postcode, where no address was found */
	floor_tok = 0;
	size_t ci = 0; /* the next of the addresses above */
	for (size_t i = 0; rc == TRAWL_OK && (i = trawl_toks__next(c.t, i, c.n, TRAWL_TOK_LEAD_DIGIT)) < c.n; i++) {
		while (ci < nspans && spans[ci].end <= c.t[i].start)
			ci++;
		if (ci < nspans && spans[ci].start <= c.t[i].start) {
			floor_tok = i + 1;
			continue;
		}
		size_t next = 0;
		rc = street_only(&c, out, i, floor_tok, &next);
		if (next > i) {
			floor_tok = next;
			i = next - 1;
		}
	}

done:
	if (spans != span_buf)
		free(spans);
	free(c.hot_end);
	return rc;
}

const trawl_detector_t trawl_detector_address = {
	.name = "address",
	.type = TRAWL_TYPE_ADDRESS,
	.scan = address_scan,
};
