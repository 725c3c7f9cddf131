/* Rule files: loading, checking, one vectorscan database for all their
 * patterns, and the detector that runs it.
 *
 * Matching is vectorscan's (Hyperscan's port to more CPUs): automata built
 * from every pattern at once, run once over each text in time linear in
 * its length, whatever the patterns are; no backtracking engine ever sees
 * untrusted text. Patterns are compiled with HS_FLAG_SOM_LEFTMOST so that a
 * match says where it starts; the few that vectorscan cannot track starts
 * for (large bounded repeats) are compiled without it and their start is
 * found afterwards, from their width, or by an anchored re-match over at
 * most their maximum width.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "detectors/rules.h"
#include "detectors/detector.h"

#include <errno.h>
#include <glib.h>
#include <hs/hs.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "util/util.h"

/* The widest match a pattern without start tracking may have: its start is
 * searched for over that many bytes before its end; and how many tries
 * that search may take in one text, so many a byte and a few more. */
#define MAX_NOSOM_WIDTH 1024
#define START_TRIES_PER_BYTE 8
#define START_TRIES_MIN 65536
/* The longest compact form (letters and digits) a check is run on. */
#define MAX_CHECK 256
#define DEFAULT_CONFIDENCE 0.8
#define DEFAULT_CONTEXT_CONFIDENCE 0.95
#define DEFAULT_WINDOW 40

/* ---- check digits and number validators ---- */

static bool
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!trawl_is_digit((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* The digit algorithms run on the digits of a match, so that a rule for
 * "M-1234-5678" can check 12345678: letters are left out, except an X
 * that ends the match where it can stand for 10. s holds upper-case
 * letters and digits; buf (MAX_CHECK + 1 bytes) receives the digits. */
static size_t
digits_of(char *buf, const char *s, size_t n, bool x_last)
{
	size_t k = 0;
	if (n > MAX_CHECK)
		n = MAX_CHECK;
	for (size_t i = 0; i < n; i++)
		if (trawl_is_digit((unsigned char)s[i]) || (x_last && i == n - 1 && s[i] == 'X'))
			buf[k++] = s[i];
	buf[k] = '\0';
	return k;
}

/* Luhn (ISO/IEC 7812-1 annex B): cards, IMEI, many national numbers. */
static bool
ck_luhn(const char *s, size_t n)
{
	char d[MAX_CHECK + 1];
	n = digits_of(d, s, n, false);
	return n >= 2 && trawl_detect__luhn(d, n);
}

/* ISO 7064 MOD 97-10 over the whole string, letters as 10..35 (A..Z): the
 * string read as a number is 1 modulo 97. (IBANs move their first four
 * characters to the end first; the iban detector does that.) */
static bool
ck_mod97(const char *s, size_t n)
{
	if (n < 3)
		return false;
	unsigned r = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (trawl_is_digit(c))
			r = (r * 10 + (unsigned)(c - '0')) % 97;
		else if (c >= 'A' && c <= 'Z')
			r = (r * 100 + (unsigned)(c - 'A' + 10)) % 97;
		else
			return false;
	}
	return r == 1;
}

/* Weighted modulus 11: weights 1, 2, 3, ... from the right (the check
 * digit weighs 1), 'X' standing for 10 in the check position; the sum is a
 * multiple of 11. ISBN-10, the NHS number and others. */
static bool
ck_mod11(const char *s, size_t n)
{
	char d[MAX_CHECK + 1];
	n = digits_of(d, s, n, true);
	s = d;
	if (n < 2)
		return false;
	unsigned sum = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[n - 1 - i];
		unsigned v;
		if (trawl_is_digit(c))
			v = (unsigned)(c - '0');
		else if (i == 0 && c == 'X')
			v = 10;
		else
			return false;
		sum += v * (unsigned)(i + 1);
	}
	return sum % 11 == 0;
}

/* ISO 7064 MOD 11,10 (hybrid system): the German tax ID and others. */
static bool
ck_iso7064_11_10(const char *s, size_t n)
{
	char d[MAX_CHECK + 1];
	n = digits_of(d, s, n, false);
	s = d;
	if (n < 2)
		return false;
	unsigned p = 5;
	for (size_t i = 0; i < n; i++)
		p = ((p ? p : 10) * 2 % 11 + (unsigned)(s[i] - '0')) % 10;
	return p == 1;
}

/* ISO 7064 MOD 11-2 (pure system), 'X' = 10 as the check character: ORCID,
 * the Chinese resident ID. */
static bool
ck_iso7064_11_2(const char *s, size_t n)
{
	char d[MAX_CHECK + 1];
	n = digits_of(d, s, n, true);
	s = d;
	if (n < 2)
		return false;
	unsigned p = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned v;
		if (trawl_is_digit(c))
			v = (unsigned)(c - '0');
		else if (i == n - 1 && c == 'X')
			v = 10;
		else
			return false;
		p = (2 * p + v) % 11;
	}
	return p == 1;
}

/* German tax ID (steuerliche Identifikationsnummer, § 139b AO): 11 digits,
 * the first not 0; among the first ten exactly one digit occurs twice or
 * three times and every other at most once. The check digit is ISO 7064
 * MOD 11,10 (a rule names that as its checksum). */
static bool
v_de_idnr(const char *s, size_t n)
{
	if (n != 11 || !all_digits(s, n) || s[0] == '0')
		return false;
	unsigned count[10] = {0}, repeated = 0, times = 0;
	for (size_t i = 0; i < 10; i++)
		count[s[i] - '0']++;
	for (size_t d = 0; d < 10; d++)
		if (count[d] > 1) {
			repeated++;
			times = count[d];
		}
	return repeated == 1 && (times == 2 || times == 3);
}

/* German health insurance number, the lifelong part (Krankenversicherten-
 * nummer, § 290 SGB V): a letter and nine digits, the last a check digit.
 * The letter counts as two digits (A = 01 ... Z = 26); those and the next
 * eight digits are weighted 1, 2, 1, 2, ..., the digit sums of the products
 * added, and the check digit is that sum modulo 10. */
static bool
v_de_kvnr(const char *s, size_t n)
{
	if (n != 10 || s[0] < 'A' || s[0] > 'Z' || !all_digits(s + 1, 9))
		return false;
	unsigned letter = (unsigned)(s[0] - 'A' + 1), d[10], sum = 0;
	d[0] = letter / 10;
	d[1] = letter % 10;
	for (size_t i = 0; i < 8; i++)
		d[2 + i] = (unsigned)(s[1 + i] - '0');
	for (size_t i = 0; i < 10; i++) {
		unsigned p = d[i] * (i % 2 ? 2 : 1);
		sum += p / 10 + p % 10;
	}
	return sum % 10 == (unsigned)(s[9] - '0');
}

/* US Social Security number: area, group, serial (AAA-GG-SSSS). Never
 * issued: area 000, 666 and 900-999, group 00, serial 0000 (SSA, "Social
 * Security Number Randomization", 2011), nor the numbers SSA lists as
 * misused from specimen cards (078-05-1120, 219-09-9999). */
static bool
v_us_ssn(const char *s, size_t n)
{
	if (n != 9 || !all_digits(s, n))
		return false;
	unsigned area = (unsigned)((s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0'));
	if (area == 0 || area == 666 || area >= 900)
		return false;
	if (memcmp(s + 3, "00", 2) == 0 || memcmp(s + 5, "0000", 4) == 0)
		return false;
	return memcmp(s, "078051120", 9) != 0 && memcmp(s, "219099999", 9) != 0;
}

/* UK National Insurance number (HMRC National Insurance Manual NIM39110):
 * two prefix letters, six digits, a suffix A-D. D, F, I, Q, U and V are
 * used as neither prefix letter, O not as the second, and the prefixes BG,
 * GB, KN, NK, NT, TN and ZZ are not used. */
static bool
v_uk_nino(const char *s, size_t n)
{
	static const char *const unused[] = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"};
	if (n != 9 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' || !all_digits(s + 2, 6) ||
	    s[8] < 'A' || s[8] > 'D')
		return false;
	if (strchr("DFIQUV", s[0]) || strchr("DFIOQUV", s[1]))
		return false;
	for (size_t i = 0; i < sizeof unused / sizeof *unused; i++)
		if (memcmp(s, unused[i], 2) == 0)
			return false;
	return true;
}

typedef bool (*check_fn)(const char *s, size_t n);

static const struct {
	const char *name;
	check_fn fn;
	bool validator; /* a `validate =` name rather than a `checksum =` one */
} checks[] = {
	{"luhn", ck_luhn, false},
	{"mod97", ck_mod97, false},
	{"mod11", ck_mod11, false},
	{"iso7064-11-10", ck_iso7064_11_10, false},
	{"iso7064-11-2", ck_iso7064_11_2, false},
	{"de-idnr", v_de_idnr, true},
	{"de-kvnr", v_de_kvnr, true},
	{"us-ssn", v_us_ssn, true},
	{"uk-nino", v_uk_nino, true},
};

int
trawl_rules__check(const char *name, const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof checks / sizeof *checks; i++)
		if (strcmp(name, checks[i].name) == 0)
			return checks[i].fn(s, n) ? 1 : 0;
	return -1;
}

/* ---- rules ---- */

enum { NORM_NONE, NORM_UPPER_ALNUM, NORM_DIGITS, NORM_LOWER, NORM_UPPER };
static const char *const norm_names[] = {"none", "upper-alnum", "digits", "lower", "upper", NULL};

/* The keys a rule may have; a bit each, to catch one given twice. */
enum {
	K_TYPE, K_LABEL, K_PATTERN, K_CHECKSUM, K_VALIDATE, K_CONTEXT, K_WINDOW, K_REQUIRE,
	K_CONFIDENCE, K_CONTEXT_CONFIDENCE, K_NORM, K_BOUNDARY, K_COUNT
};
static const char *const key_names[K_COUNT + 1] = {
	"type", "label", "pattern", "checksum", "validate", "context", "context_window", "require_context",
	"confidence", "context_confidence", "norm", "boundary", NULL,
};

typedef struct {
	char *id;
	char *name;  /* "<type>.<id>", the findings' rule */
	char *label; /* or NULL */
	char *file;  /* where it was defined */
	size_t line;
	trawl_type_t type;
	check_fn checksum, validate; /* or NULL */
	int norm;
	char **context; /* lower-cased, NULL-terminated, or NULL */
	size_t window;
	bool require_context, boundary;
	double confidence, context_confidence;
	unsigned seen; /* 1 << K_* */
} rule_t;

typedef struct {
	char *expr;
	size_t rule;
	size_t line;
	bool som;                 /* compiled with HS_FLAG_SOM_LEFTMOST */
	unsigned min_w, max_w;    /* bytes a match can span (max UINT_MAX: unbounded) */
	hs_database_t *anchored;  /* !som and min_w != max_w: "^(?:expr)", to find the start */
} pattern_t;

/* A thread's scratch space, on the list of its rules so that freeing the
 * rules frees the scratch of threads still running. */
typedef struct tls {
	struct threads *owner;
	hs_scratch_t *scratch;
	struct tls *prev, *next;
} tls_t;

struct threads {
	pthread_mutex_t lock;
	pthread_key_t key;
	tls_t *list;
};

struct trawl_rules {
	rule_t *rules;
	size_t n_rules;
	pattern_t *patterns;
	size_t n_patterns;
	hs_database_t *db;
	hs_scratch_t *proto; /* cloned for each thread */
	struct threads *threads;
};

static void
rule_free(rule_t *r)
{
	free(r->id);
	free(r->name);
	free(r->label);
	free(r->file);
	if (r->context)
		for (char **w = r->context; *w; w++)
			free(*w);
	free(r->context);
}

/* ---- thread scratch ---- */

static void
tls_unlink(struct threads *th, tls_t *t)
{
	if (t->prev)
		t->prev->next = t->next;
	else
		th->list = t->next;
	if (t->next)
		t->next->prev = t->prev;
}

/* pthread_key destructor: the thread is exiting. */
static void
tls_release(void *p)
{
	tls_t *t = p;
	pthread_mutex_lock(&t->owner->lock);
	tls_unlink(t->owner, t);
	pthread_mutex_unlock(&t->owner->lock);
	hs_free_scratch(t->scratch);
	free(t);
}

static hs_scratch_t *
thread_scratch(const trawl_rules_t *r)
{
	struct threads *th = r->threads;
	tls_t *t = pthread_getspecific(th->key);
	if (t)
		return t->scratch;
	t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	if (hs_clone_scratch(r->proto, &t->scratch) != HS_SUCCESS) {
		free(t);
		return NULL;
	}
	t->owner = th;
	pthread_mutex_lock(&th->lock);
	t->next = th->list;
	if (th->list)
		th->list->prev = t;
	th->list = t;
	pthread_mutex_unlock(&th->lock);
	if (pthread_setspecific(th->key, t) != 0) {
		pthread_mutex_lock(&th->lock);
		tls_unlink(th, t);
		pthread_mutex_unlock(&th->lock);
		hs_free_scratch(t->scratch);
		free(t);
		return NULL;
	}
	return t->scratch;
}

static void
threads_free(struct threads *th)
{
	if (!th)
		return;
	/* No destructor runs for a deleted key: the scratch of threads still
	 * alive (the main thread, a pool) is freed here. */
	pthread_key_delete(th->key);
	pthread_mutex_lock(&th->lock);
	for (tls_t *t = th->list, *next; t; t = next) {
		next = t->next;
		hs_free_scratch(t->scratch);
		free(t);
	}
	th->list = NULL;
	pthread_mutex_unlock(&th->lock);
	pthread_mutex_destroy(&th->lock);
	free(th);
}

void
trawl_rules__free(trawl_rules_t *r)
{
	if (!r)
		return;
	threads_free(r->threads);
	for (size_t i = 0; i < r->n_rules; i++)
		rule_free(&r->rules[i]);
	free(r->rules);
	for (size_t i = 0; i < r->n_patterns; i++) {
		free(r->patterns[i].expr);
		if (r->patterns[i].anchored)
			hs_free_database(r->patterns[i].anchored);
	}
	free(r->patterns);
	if (r->proto)
		hs_free_scratch(r->proto);
	if (r->db)
		hs_free_database(r->db);
	free(r);
}

/* ---- loading ---- */

typedef struct {
	trawl_rules_t *r;
	size_t cap_rules, cap_patterns;
	GHashTable *ids; /* id -> rule index + 1 */
	char **errmsg;
	rule_t *cur; /* the rule being read, or NULL */
	const char *file;
	size_t line;
} loader_t;

static trawl_status_t
fail(loader_t *L, size_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static trawl_status_t
fail(loader_t *L, size_t line, const char *fmt, ...)
{
	if (L->errmsg && !*L->errmsg) {
		trawl_buf_t b = {0};
		if (line)
			trawl_buf_printf(&b, "%s:%zu: ", L->file, line);
		else
			trawl_buf_printf(&b, "%s: ", L->file);
		char tmp[1024];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(tmp, sizeof tmp, fmt, ap);
		va_end(ap);
		trawl_buf_puts(&b, tmp);
		*L->errmsg = trawl_buf_detach(&b);
	}
	return TRAWL_ERULES;
}

static char *
trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* A '#' at the start of a line or after a blank starts a comment. */
static void
strip_comment(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
}

static bool
id_ok(const char *id)
{
	if (!trawl_is_alnum((unsigned char)id[0]) || strlen(id) > 64)
		return false;
	for (const char *p = id; *p; p++)
		if (!trawl_is_alnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			return false;
	return true;
}

static bool
parse_unit(const char *v, double *out)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (errno || end == v || *end || !(d >= 0 && d <= 1))
		return false;
	*out = d;
	return true;
}

static int
lookup(const char *const *names, const char *v)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], v) == 0)
			return i;
	return -1;
}

static check_fn
lookup_check(const char *v, bool validator, bool *ok)
{
	*ok = true;
	if (strcmp(v, "none") == 0)
		return NULL;
	for (size_t i = 0; i < sizeof checks / sizeof *checks; i++)
		if (checks[i].validator == validator && strcmp(checks[i].name, v) == 0)
			return checks[i].fn;
	*ok = false;
	return NULL;
}

static const char *
check_list(bool validator)
{
	return validator ? "none, de-idnr, de-kvnr, us-ssn, uk-nino"
	                 : "none, luhn, mod97, mod11, iso7064-11-10, iso7064-11-2";
}

static trawl_status_t
add_pattern(loader_t *L, const char *expr)
{
	hs_expr_info_t *info = NULL;
	hs_compile_error_t *cerr = NULL;
	if (hs_expression_info(expr, HS_FLAG_SOM_LEFTMOST, &info, &cerr) != HS_SUCCESS) {
		trawl_status_t rc = fail(L, L->line, "bad pattern: %s", cerr ? cerr->message : "cannot be compiled");
		if (cerr)
			hs_free_compile_error(cerr);
		return rc;
	}
	trawl_rules_t *r = L->r;
	if (r->n_patterns == L->cap_patterns) {
		size_t cap = L->cap_patterns ? L->cap_patterns * 2 : 16;
		pattern_t *p = realloc(r->patterns, cap * sizeof *p);
		if (!p) {
			free(info);
			return TRAWL_ENOMEM;
		}
		r->patterns = p;
		L->cap_patterns = cap;
	}
	pattern_t *p = &r->patterns[r->n_patterns];
	memset(p, 0, sizeof *p);
	p->expr = strdup(expr);
	if (!p->expr) {
		free(info);
		return TRAWL_ENOMEM;
	}
	p->rule = (size_t)(L->cur - r->rules);
	p->line = L->line;
	p->som = true;
	p->min_w = info->min_width;
	p->max_w = info->max_width;
	free(info); /* hs_expression_info allocates with the default allocator */
	r->n_patterns++;
	return TRAWL_OK;
}

static trawl_status_t
set_context(loader_t *L, rule_t *rule, const char *v)
{
	size_t n = 1;
	for (const char *p = v; *p; p++)
		n += *p == ',';
	char **words = calloc(n + 1, sizeof *words);
	if (!words)
		return TRAWL_ENOMEM;
	rule->context = words;
	char *copy = strdup(v);
	if (!copy)
		return TRAWL_ENOMEM;
	size_t k = 0;
	for (char *save = NULL, *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		w = trim(w);
		if (!*w)
			continue;
		if (!(words[k] = strdup(w))) {
			free(copy);
			return TRAWL_ENOMEM;
		}
		trawl_ascii_lower(words[k++]);
	}
	free(copy);
	if (!k)
		return fail(L, L->line, "context has no words");
	return TRAWL_OK;
}

static trawl_status_t
set_key(loader_t *L, const char *key, const char *v)
{
	rule_t *rule = L->cur;
	int k = lookup(key_names, key);
	if (k < 0 || k >= K_COUNT)
		return fail(L, L->line,
		            "unknown key '%s' (type, label, pattern, checksum, validate, context, context_window, "
		            "require_context, confidence, context_confidence, norm, boundary)",
		            key);
	if (!*v)
		return fail(L, L->line, "'%s' has no value", key);
	if (k != K_PATTERN && (rule->seen & (1u << k)))
		return fail(L, L->line, "'%s' given twice in rule '%s'", key, rule->id);
	rule->seen |= 1u << k;
	bool ok = true;
	switch (k) {
	case K_TYPE: {
		int t = trawl_type_from_name(v);
		if (t < 0)
			return fail(L, L->line,
			            "unknown type '%s' (email, phone, card, iban, ip, mac, name, address, custom)", v);
		rule->type = (trawl_type_t)t;
		return TRAWL_OK;
	}
	case K_LABEL:
		return (rule->label = strdup(v)) ? TRAWL_OK : TRAWL_ENOMEM;
	case K_PATTERN:
		return add_pattern(L, v);
	case K_CHECKSUM:
	case K_VALIDATE: {
		bool validator = k == K_VALIDATE;
		check_fn fn = lookup_check(v, validator, &ok);
		if (!ok)
			return fail(L, L->line, "unknown %s '%s' (%s)", validator ? "validator" : "checksum", v,
			            check_list(validator));
		if (validator)
			rule->validate = fn;
		else
			rule->checksum = fn;
		return TRAWL_OK;
	}
	case K_CONTEXT:
		return set_context(L, rule, v);
	case K_WINDOW: {
		char *end;
		errno = 0;
		long w = strtol(v, &end, 10);
		if (errno || end == v || *end || w < 1 || w > 1000)
			return fail(L, L->line, "context_window must be a whole number of bytes from 1 to 1000");
		rule->window = (size_t)w;
		return TRAWL_OK;
	}
	case K_REQUIRE:
		if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
			rule->require_context = true;
		else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
			rule->require_context = false;
		else
			return fail(L, L->line, "require_context must be yes or no");
		return TRAWL_OK;
	case K_CONFIDENCE:
	case K_CONTEXT_CONFIDENCE:
		if (!parse_unit(v, k == K_CONFIDENCE ? &rule->confidence : &rule->context_confidence))
			return fail(L, L->line, "%s must be a number from 0 to 1, not '%s'", key, v);
		return TRAWL_OK;
	case K_NORM: {
		int n = lookup(norm_names, v);
		if (n < 0)
			return fail(L, L->line, "unknown norm '%s' (none, upper-alnum, digits, lower, upper)", v);
		rule->norm = n;
		return TRAWL_OK;
	}
	case K_BOUNDARY:
		if (strcmp(v, "word") == 0)
			rule->boundary = true;
		else if (strcmp(v, "none") == 0)
			rule->boundary = false;
		else
			return fail(L, L->line, "boundary must be word or none");
		return TRAWL_OK;
	}
	return TRAWL_EINTERNAL;
}

/* The rule just read is complete: check what needs all its keys. */
static trawl_status_t
end_rule(loader_t *L)
{
	rule_t *rule = L->cur;
	if (!rule)
		return TRAWL_OK;
	L->cur = NULL;
	if (!(rule->seen & (1u << K_PATTERN)))
		return fail(L, rule->line, "rule '%s' has no pattern", rule->id);
	if (rule->require_context && !rule->context)
		return fail(L, rule->line, "rule '%s' requires context but names no context words", rule->id);
	if (!(rule->seen & (1u << K_CONTEXT_CONFIDENCE)))
		rule->context_confidence =
			rule->confidence > DEFAULT_CONTEXT_CONFIDENCE ? rule->confidence : DEFAULT_CONTEXT_CONFIDENCE;
	trawl_buf_t b = {0};
	trawl_buf_printf(&b, "%s.%s", trawl_type_name(rule->type), rule->id);
	if (!(rule->name = trawl_buf_detach(&b)))
		return TRAWL_ENOMEM;
	return TRAWL_OK;
}

static trawl_status_t
begin_rule(loader_t *L, const char *id)
{
	trawl_status_t rc = end_rule(L);
	if (rc < 0)
		return rc;
	if (!id_ok(id))
		return fail(L, L->line,
		            "bad rule id '%s' (letters, digits, '-', '_' and '.', starting with a letter or digit)", id);
	size_t prev = GPOINTER_TO_SIZE(g_hash_table_lookup(L->ids, id));
	if (prev) {
		const rule_t *p = &L->r->rules[prev - 1];
		return fail(L, L->line, "duplicate rule id '%s' (first defined at %s:%zu)", id, p->file, p->line);
	}
	trawl_rules_t *r = L->r;
	if (r->n_rules == L->cap_rules) {
		size_t cap = L->cap_rules ? L->cap_rules * 2 : 8;
		rule_t *p = realloc(r->rules, cap * sizeof *p);
		if (!p)
			return TRAWL_ENOMEM;
		r->rules = p;
		L->cap_rules = cap;
	}
	rule_t *rule = &r->rules[r->n_rules];
	memset(rule, 0, sizeof *rule);
	rule->type = TRAWL_TYPE_CUSTOM;
	rule->confidence = DEFAULT_CONFIDENCE;
	rule->window = DEFAULT_WINDOW;
	rule->boundary = true;
	rule->line = L->line;
	rule->id = strdup(id);
	rule->file = strdup(L->file);
	r->n_rules++;
	if (!rule->id || !rule->file)
		return TRAWL_ENOMEM;
	g_hash_table_insert(L->ids, rule->id, GSIZE_TO_POINTER(r->n_rules));
	L->cur = rule;
	return TRAWL_OK;
}

static trawl_status_t
parse_line(loader_t *L, char *s)
{
	strip_comment(s);
	s = trim(s);
	if (!*s)
		return TRAWL_OK;
	if (*s == '[') {
		size_t n = strlen(s);
		if (s[n - 1] != ']')
			return fail(L, L->line, "a section header is '[rule-id]'");
		s[n - 1] = '\0';
		return begin_rule(L, trim(s + 1));
	}
	char *eq = strchr(s, '=');
	if (!eq)
		return fail(L, L->line, "expected 'key = value' or '[rule-id]'");
	*eq = '\0';
	char *key = trim(s), *value = trim(eq + 1);
	if (!L->cur)
		return fail(L, L->line, "'%s' before any [rule-id] section", key);
	return set_key(L, key, value);
}

static trawl_status_t
parse_file(loader_t *L, const char *path)
{
	gchar *data = NULL;
	gsize len = 0;
	GError *gerr = NULL;
	trawl_status_t rc = TRAWL_OK;
	L->file = path;
	L->line = 0;
	L->cur = NULL;
	if (!g_file_get_contents(path, &data, &len, &gerr)) {
		rc = fail(L, 0, "cannot read: %s", gerr ? gerr->message : "error");
		g_clear_error(&gerr);
		goto done;
	}
	const gchar *bad = NULL;
	if (!g_utf8_validate(data, (gssize)len, &bad)) {
		size_t line = 1;
		for (const gchar *p = data; p < bad; p++)
			line += *p == '\n';
		rc = fail(L, line, "not UTF-8 text");
		goto done;
	}
	char *p = data, *end = data + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		if (nl)
			*nl = '\0';
		L->line++;
		if ((rc = parse_line(L, p)) < 0)
			goto done;
		p = nl ? nl + 1 : end;
	}
	L->line++;
	rc = end_rule(L);
done:
	L->cur = NULL;
	g_free(data);
	return rc;
}

static gint
cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.rules in dir, sorted. A missing folder is no error when
 * missing_ok (the built-in one). */
static trawl_status_t
parse_dir(loader_t *L, const char *dir, bool missing_ok, size_t *n_files)
{
	GError *gerr = NULL;
	GDir *d = g_dir_open(dir, 0, &gerr);
	trawl_status_t rc = TRAWL_OK;
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	if (!d) {
		if (!missing_ok || !g_error_matches(gerr, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			L->file = dir;
			rc = fail(L, 0, "cannot open: %s", gerr ? gerr->message : "error");
		}
		g_clear_error(&gerr);
		goto done;
	}
	for (const char *name; (name = g_dir_read_name(d));)
		if (g_str_has_suffix(name, ".rules") && name[0] != '.')
			g_ptr_array_add(names, g_strdup(name));
	g_dir_close(d);
	g_ptr_array_sort(names, cmp_str);
	for (guint i = 0; i < names->len && rc == TRAWL_OK; i++) {
		char *path = g_build_filename(dir, (char *)names->pdata[i], NULL);
		rc = parse_file(L, path);
		/* rules keep their own copy of the file name; an error message too */
		g_free(path);
	}
	*n_files = names->len;
done:
	g_ptr_array_free(names, TRUE);
	return rc;
}

/* Compiles every pattern into one database. A pattern vectorscan cannot
 * track match starts for loses HS_FLAG_SOM_LEFTMOST and is compiled again;
 * it must then be bounded, so that its start can be found. */
static trawl_status_t
compile(loader_t *L)
{
	trawl_rules_t *r = L->r;
	size_t n = r->n_patterns;
	const char **exprs = calloc(n, sizeof *exprs);
	unsigned *flags = calloc(n, sizeof *flags), *ids = calloc(n, sizeof *ids);
	trawl_status_t rc = TRAWL_OK;
	hs_compile_error_t *cerr = NULL;
	if (!exprs || !flags || !ids) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		exprs[i] = r->patterns[i].expr;
		ids[i] = (unsigned)i;
	}
	for (size_t attempt = 0; attempt <= n; attempt++) {
		for (size_t i = 0; i < n; i++)
			flags[i] = r->patterns[i].som ? HS_FLAG_SOM_LEFTMOST : 0;
		if (hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &r->db, &cerr) == HS_SUCCESS)
			break;
		/* Which pattern failed, and would it compile without SOM? An error
		 * not tied to one pattern: try each that still has SOM. */
		bool retry = false;
		for (size_t i = 0; i < n; i++) {
			pattern_t *p = &r->patterns[i];
			if (!p->som || (cerr->expression >= 0 && (size_t)cerr->expression != i))
				continue;
			hs_database_t *one = NULL;
			hs_compile_error_t *e1 = NULL;
			if (hs_compile(p->expr, HS_FLAG_SOM_LEFTMOST, HS_MODE_BLOCK, NULL, &one, &e1) == HS_SUCCESS) {
				hs_free_database(one);
				continue;
			}
			if (e1)
				hs_free_compile_error(e1);
			e1 = NULL;
			if (hs_compile(p->expr, 0, HS_MODE_BLOCK, NULL, &one, &e1) == HS_SUCCESS) {
				hs_free_database(one);
				p->som = false;
				retry = true;
			} else if (e1) {
				hs_free_compile_error(e1);
			}
		}
		if (!retry) {
			if (cerr->expression >= 0 && (size_t)cerr->expression < n) {
				const pattern_t *p = &r->patterns[cerr->expression];
				L->file = r->rules[p->rule].file;
				rc = fail(L, p->line, "bad pattern: %s", cerr->message);
			} else {
				L->file = n ? r->rules[r->patterns[0].rule].file : "rules";
				rc = fail(L, 0, "the rules cannot be compiled together: %s", cerr->message);
			}
			goto done;
		}
		hs_free_compile_error(cerr);
		cerr = NULL;
	}
	if (!r->db) {
		rc = TRAWL_EINTERNAL;
		goto done;
	}
	if (hs_alloc_scratch(r->db, &r->proto) != HS_SUCCESS) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		pattern_t *p = &r->patterns[i];
		if (p->som || p->min_w == p->max_w)
			continue;
		/* Its start is searched for by trying each word start before its
		 * end in turn: bounded, and only where a match may start. */
		if (p->max_w > MAX_NOSOM_WIDTH || !r->rules[p->rule].boundary) {
			L->file = r->rules[p->rule].file;
			rc = fail(L, p->line,
			          "bad pattern: too complex for vectorscan to tell where its matches start; use "
			          "shorter repeats (up to about 100)%s",
			          r->rules[p->rule].boundary ? "" : " or boundary = word");
			goto done;
		}
		trawl_buf_t b = {0};
		trawl_buf_printf(&b, "^(?:%s)", p->expr);
		hs_error_t he = hs_compile(trawl_buf_cstr(&b), 0, HS_MODE_BLOCK, NULL, &p->anchored, &cerr);
		trawl_buf_free(&b);
		if (he != HS_SUCCESS) {
			L->file = r->rules[p->rule].file;
			rc = fail(L, p->line, "bad pattern: %s", cerr ? cerr->message : "cannot be compiled");
			goto done;
		}
		if (hs_alloc_scratch(p->anchored, &r->proto) != HS_SUCCESS) {
			rc = TRAWL_ENOMEM;
			goto done;
		}
	}
done:
	if (cerr)
		hs_free_compile_error(cerr);
	free(exprs);
	free(flags);
	free(ids);
	return rc;
}

trawl_status_t
trawl_rules__load(trawl_rules_t **out, const char *builtin_dir, const char *user_path, char **errmsg)
{
	*out = NULL;
	if (errmsg)
		*errmsg = NULL;
	trawl_status_t rc = TRAWL_OK;
	loader_t L = {.errmsg = errmsg};
	L.ids = g_hash_table_new(g_str_hash, g_str_equal);
	L.r = calloc(1, sizeof *L.r);
	if (!L.r || !L.ids) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	size_t n_files = 0;
	if (builtin_dir && (rc = parse_dir(&L, builtin_dir, true, &n_files)) < 0)
		goto done;
	if (user_path) {
		struct stat st;
		if (stat(user_path, &st) != 0) {
			L.file = user_path;
			rc = fail(&L, 0, "cannot open: %s", strerror(errno));
			goto done;
		}
		if (S_ISDIR(st.st_mode)) {
			n_files = 0;
			if ((rc = parse_dir(&L, user_path, false, &n_files)) < 0)
				goto done;
			if (!n_files) {
				L.file = user_path;
				rc = fail(&L, 0, "no *.rules files in this folder");
				goto done;
			}
		} else if ((rc = parse_file(&L, user_path)) < 0) {
			goto done;
		}
	}
	if (!L.r->n_rules)
		goto done; /* nothing to match */
	if ((rc = compile(&L)) < 0)
		goto done;
	struct threads *th = calloc(1, sizeof *th);
	if (!th) {
		rc = TRAWL_ENOMEM;
		goto done;
	}
	if (pthread_key_create(&th->key, tls_release) != 0) {
		free(th);
		L.file = "rules";
		rc = fail(&L, 0, "no thread-specific key left for the scratch space");
		goto done;
	}
	pthread_mutex_init(&th->lock, NULL);
	L.r->threads = th;
	*out = L.r;
	L.r = NULL;
done:
	if (rc == TRAWL_ENOMEM && errmsg && !*errmsg)
		*errmsg = strdup("out of memory while loading the rules");
	if (L.ids)
		g_hash_table_destroy(L.ids);
	trawl_rules__free(L.r);
	return rc;
}

void
trawl_rules__stats(const trawl_rules_t *r, size_t *n_rules, size_t *n_patterns, size_t *n_databases)
{
	if (n_rules)
		*n_rules = r ? r->n_rules : 0;
	if (n_patterns)
		*n_patterns = r ? r->n_patterns : 0;
	if (n_databases)
		*n_databases = r && r->db ? 1 : 0;
}

const char *
trawl_rules__label(const trawl_rules_t *r, const char *rule)
{
	if (!r || !rule)
		return NULL;
	for (size_t i = 0; i < r->n_rules; i++)
		if (strcmp(r->rules[i].name, rule) == 0)
			return r->rules[i].label;
	return NULL;
}

/* ---- scanning ---- */

typedef struct {
	size_t rule, start, end;
	double confidence;
} hit_t;

typedef struct {
	size_t pattern, end;
} pending_t;

typedef struct {
	const trawl_rules_t *r;
	const trawl_text_t *text;
	hit_t *hits;
	size_t n_hits, cap_hits;
	pending_t *pend;
	size_t n_pend, cap_pend;
	trawl_status_t rc;
} scan_t;

static bool
grow(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return true;
	size_t c = *cap ? *cap * 2 : 16;
	void *p = realloc(*v, c * size);
	if (!p)
		return false;
	*v = p;
	*cap = c;
	return true;
}

/* Not inside a word at either end (where the match itself begins or ends
 * with a word character). */
static bool
start_ok(const unsigned char *t, size_t start)
{
	return start == 0 || !trawl_is_wordish(t[start]) || !trawl_is_wordish(t[start - 1]);
}

static bool
end_ok(const unsigned char *t, size_t len, size_t end)
{
	return end >= len || end == 0 || !trawl_is_wordish(t[end]) || !trawl_is_wordish(t[end - 1]);
}

/* Does word w (lower case) start at t[i], not inside a longer word? It may
 * go on into one ("employee" in "employees"). */
static bool
word_at(const unsigned char *t, size_t i, size_t limit, const char *w)
{
	if (i > 0 && trawl_is_wordish(t[i - 1]) && trawl_is_wordish((unsigned char)w[0]))
		return false;
	size_t k = 0;
	for (; w[k]; k++) {
		if (i + k >= limit)
			return false;
		unsigned char c = t[i + k];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		if (c != (unsigned char)w[k])
			return false;
	}
	return true;
}

static bool
context_near(const rule_t *rule, const trawl_text_t *text, size_t pos)
{
	const unsigned char *t = (const unsigned char *)text->text;
	size_t from = pos > rule->window ? pos - rule->window : 0;
	for (size_t i = from; i < pos; i++)
		for (char **w = rule->context; *w; w++)
			if (word_at(t, i, pos, *w))
				return true;
	/* the header the text is the value of ("X-Employee-Id") */
	if (text->header) {
		const unsigned char *h = (const unsigned char *)text->header;
		size_t hl = strlen(text->header);
		for (size_t i = 0; i < hl; i++)
			for (char **w = rule->context; *w; w++)
				if (word_at(h, i, hl, *w))
					return true;
	}
	return false;
}

/* The letters and digits of t[start, end), upper-cased; 0 when there are
 * too many. */
static size_t
compact(char *buf, const unsigned char *t, size_t start, size_t end)
{
	size_t n = 0;
	for (size_t i = start; i < end; i++) {
		unsigned char c = t[i];
		if (!trawl_is_alnum(c))
			continue;
		if (n + 1 >= MAX_CHECK)
			return 0;
		buf[n++] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
	}
	buf[n] = '\0';
	return n;
}

/* One match of pattern p at [start, end): checked, and kept as a hit. */
static int
consider(scan_t *s, const pattern_t *p, size_t start, size_t end)
{
	const rule_t *rule = &s->r->rules[p->rule];
	const unsigned char *t = (const unsigned char *)s->text->text;
	if (rule->boundary && !start_ok(t, start))
		return 0;
	if (rule->checksum || rule->validate) {
		char c[MAX_CHECK];
		size_t n = compact(c, t, start, end);
		if (!n || (rule->checksum && !rule->checksum(c, n)) || (rule->validate && !rule->validate(c, n)))
			return 0;
	}
	bool ctx = rule->context && context_near(rule, s->text, start);
	if (rule->require_context && !ctx)
		return 0;
	if (!grow((void **)&s->hits, &s->cap_hits, s->n_hits, sizeof *s->hits)) {
		s->rc = TRAWL_ENOMEM;
		return 1;
	}
	s->hits[s->n_hits++] = (hit_t){p->rule, start, end, ctx ? rule->context_confidence : rule->confidence};
	return 0;
}

static int
on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *ctx)
{
	(void)flags;
	scan_t *s = ctx;
	const pattern_t *p = &s->r->patterns[id];
	const unsigned char *t = (const unsigned char *)s->text->text;
	if (s->r->rules[p->rule].boundary && !end_ok(t, s->text->len, (size_t)to))
		return 0;
	if (p->som)
		return consider(s, p, (size_t)from, (size_t)to);
	if (!p->anchored)
		return consider(s, p, (size_t)to - p->min_w, (size_t)to);
	/* the start is found after the scan, when the scratch is free again */
	if (!grow((void **)&s->pend, &s->cap_pend, s->n_pend, sizeof *s->pend)) {
		s->rc = TRAWL_ENOMEM;
		return 1;
	}
	s->pend[s->n_pend++] = (pending_t){id, (size_t)to};
	return 0;
}

static int
on_full(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *ctx)
{
	(void)id, (void)from, (void)flags;
	const unsigned long long *want = ctx;
	return to == *want; /* stop at a match that spans the whole span */
}

/* The leftmost start of a match of p ending at end, where a word may
 * start (its rule has boundary = word), by an anchored match from each in
 * turn. Each try spends one of *budget: a text cannot make this cost more
 * than a few tries a byte. */
static bool
find_start(const pattern_t *p, const unsigned char *t, size_t end, hs_scratch_t *scratch, size_t *budget,
           size_t *start)
{
	size_t lo = end > p->max_w ? end - p->max_w : 0;
	for (size_t i = lo; i + p->min_w <= end; i++) {
		if (!start_ok(t, i))
			continue;
		if (!*budget)
			return false;
		(*budget)--;
		unsigned long long want = end - i;
		if (hs_scan(p->anchored, (const char *)t + i, (unsigned)(end - i), 0, scratch, on_full, &want) ==
		    HS_SCAN_TERMINATED) {
			*start = i;
			return true;
		}
	}
	return false;
}

static int
cmp_hit(const void *a, const void *b)
{
	const hit_t *x = a, *y = b;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end < y->end) - (x->end > y->end); /* longer first */
}

static char *
normalise(int norm, const char *v, size_t n)
{
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		switch (norm) {
		case NORM_UPPER_ALNUM:
			if (trawl_is_alnum(c))
				out[k++] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
			break;
		case NORM_DIGITS:
			if (trawl_is_digit(c))
				out[k++] = (char)c;
			break;
		case NORM_LOWER:
			out[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			break;
		case NORM_UPPER:
			out[k++] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
			break;
		default:
			out[k++] = (char)c;
		}
	}
	out[k] = '\0';
	return out;
}

trawl_status_t
trawl_rules__scan(const trawl_rules_t *r, trawl_findings_t *out, const trawl_text_t *text)
{
	if (!r || !r->db || !text->len)
		return TRAWL_OK;
	if (text->len > UINT_MAX)
		return TRAWL_ELIMIT; /* vectorscan takes an unsigned length */
	hs_scratch_t *scratch = thread_scratch(r);
	if (!scratch)
		return TRAWL_ENOMEM;
	scan_t s = {.r = r, .text = text};
	const unsigned char *t = (const unsigned char *)text->text;
	trawl_status_t rc = TRAWL_OK;
	hs_error_t he = hs_scan(r->db, text->text, (unsigned)text->len, 0, scratch, on_match, &s);
	if (s.rc < 0) {
		rc = s.rc;
		goto done;
	}
	if (he != HS_SUCCESS && he != HS_SCAN_TERMINATED) {
		rc = he == HS_NOMEM ? TRAWL_ENOMEM : TRAWL_EINTERNAL;
		goto done;
	}
	size_t budget = START_TRIES_PER_BYTE * text->len + START_TRIES_MIN;
	for (size_t i = 0; i < s.n_pend && budget; i++) {
		const pattern_t *p = &r->patterns[s.pend[i].pattern];
		size_t start;
		if (find_start(p, t, s.pend[i].end, scratch, &budget, &start))
			consider(&s, p, start, s.pend[i].end);
		if (s.rc < 0) {
			rc = s.rc;
			goto done;
		}
	}
	/* One rule, one finding for a stretch of text: of overlapping hits
	 * the leftmost, and of those the longest, wins. Different rules do not
	 * compete (like the other detectors). */
	if (s.n_hits > 1)
		qsort(s.hits, s.n_hits, sizeof *s.hits, cmp_hit);
	size_t last_rule = SIZE_MAX, last_end = 0;
	for (size_t i = 0; i < s.n_hits; i++) {
		const hit_t *h = &s.hits[i];
		if (h->rule == last_rule && h->start < last_end)
			continue;
		last_rule = h->rule;
		last_end = h->end;
		const rule_t *rule = &r->rules[h->rule];
		char *norm = normalise(rule->norm, text->text + h->start, h->end - h->start);
		if (!norm) {
			rc = TRAWL_ENOMEM;
			goto done;
		}
		rc = trawl_detect__emit(out, text, rule->type, h->start, h->end, norm, h->confidence, rule->name);
		free(norm);
		if (rc < 0)
			goto done;
	}
done:
	free(s.hits);
	free(s.pend);
	return rc;
}

static trawl_status_t
scan(const trawl_detector_set_t *set, trawl_findings_t *out, const trawl_text_t *text)
{
	return trawl_rules__scan(set->rules, out, text);
}

const trawl_detector_t trawl_detector_rules = {"rules", TRAWL_TYPE_CUSTOM, scan};
