/* Rule files (detectors/rules.c): the errors a broken file gets, check
 * digits, context words, one database for many rules, the built-in rules,
 * threads sharing one set, and `trawl detect/scan --rules` with a broken
 * file. Every number here is made up or a published example (the Luhn
 * example of ISO/IEC 7812, ISBN 0-306-40615-2, ORCID's documented iD, the
 * German tax ID of python-stdnum's documentation, gematik's test health
 * insurance number X110411675, HMRC's and SSA's format descriptions).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <criterion/criterion.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "detectors/rules.h"
#include "trawl/detect.h"
#include "util/util.h"

static char dir[64];
static trawl_findings_t found;

static void
builtin_dir(void)
{
	const char *src = getenv("TRAWL_SRC");
	if (src && !getenv("TRAWL_RULES_DIR")) {
		char buf[4096];
		snprintf(buf, sizeof buf, "%s/rules", src);
		setenv("TRAWL_RULES_DIR", buf, 1);
	}
}

static void
setup(void)
{
	builtin_dir();
	strcpy(dir, "/tmp/trawl-rules-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	trawl_findings_init(&found);
}

static void
teardown(void)
{
	trawl_findings_clear(&found);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

TestSuite(rules, .init = setup, .fini = teardown);

static void
write_file(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

/* Loads only the files of dir (no built-in rules); the error text or NULL. */
static char *
load_error(trawl_rules_t **out)
{
	char *err = NULL;
	trawl_rules_t *r = NULL;
	trawl_status_t rc = trawl_rules__load(&r, NULL, dir, &err);
	if (out)
		*out = r;
	else
		trawl_rules__free(r);
	if (rc == TRAWL_OK) {
		cr_assert_null(err);
		return NULL;
	}
	cr_assert_eq(rc, TRAWL_ERULES, "%d", rc);
	cr_assert_not_null(err);
	return err;
}

/* The message a file gets, without the folder name in front. */
static void
expect_error(const char *text, const char *want)
{
	write_file("t.rules", text);
	char *err = load_error(NULL);
	cr_assert_not_null(err, "no error for: %s", text);
	size_t dl = strlen(dir);
	cr_assert(strncmp(err, dir, dl) == 0 && err[dl] == '/', "%s", err);
	/* want is either the whole "t.rules:N: ..." or the part after ": " */
	if (strncmp(want, "t.rules:", 8) == 0)
		cr_expect_str_eq(err + dl + 1, want);
	else
		cr_expect(strstr(err, want) && strcmp(strstr(err, want), want) == 0, "%s", err);
	free(err);
}

Test(rules, errors_name_file_and_line)
{
	expect_error("[a]\npattern = A[0-9]{3}\ncolour = red\n",
	             "t.rules:3: unknown key 'colour' (type, label, pattern, checksum, validate, context, "
	             "context_window, require_context, confidence, context_confidence, norm, boundary)");
	/* vectorscan's own words say what is wrong with a pattern */
	expect_error("# comment\n\n[a]\npattern = A([0-9]{3}\n",
	             "t.rules:4: bad pattern: Missing close parenthesis for group started at index 1.");
	expect_error("[a]\npattern = foo(?=bar)\n", "t.rules:2: bad pattern: Zero-width assertions are not supported.");
	expect_error("[a]\nlabel = no pattern here\n\n[b]\npattern = B\n", "t.rules:1: rule 'a' has no pattern");
	expect_error("[a]\npattern = A[0-9]{3}\nconfidence = 1.5\n",
	             "t.rules:3: confidence must be a number from 0 to 1, not '1.5'");
	expect_error("[a]\npattern = A\ncontext_confidence = -0.1\n",
	             "t.rules:3: context_confidence must be a number from 0 to 1, not '-0.1'");
	expect_error("[a]\npattern = A[0-9]{3}\nchecksum = crc32\n",
	             "t.rules:3: unknown checksum 'crc32' (none, luhn, mod97, mod11, iso7064-11-10, iso7064-11-2)");
	expect_error("[a]\npattern = A\nvalidate = luhn\n",
	             "t.rules:3: unknown validator 'luhn' (none, de-idnr, de-kvnr, us-ssn, uk-nino)");
	expect_error("[a]\npattern = A\ntype = passport\n",
	             "t.rules:3: unknown type 'passport' (email, phone, card, iban, ip, mac, name, address, custom)");
	expect_error("[a]\npattern = A\nnorm = title\n",
	             "t.rules:3: unknown norm 'title' (none, upper-alnum, digits, lower, upper)");
	expect_error("pattern = A\n", "t.rules:1: 'pattern' before any [rule-id] section");
	expect_error("[a b]\npattern = A\n",
	             "t.rules:1: bad rule id 'a b' (letters, digits, '-', '_' and '.', starting with a letter or digit)");
	expect_error("[a]\npattern A\n", "t.rules:2: expected 'key = value' or '[rule-id]'");
	expect_error("[a]\npattern = A\nlabel = x\nlabel = y\n", "t.rules:4: 'label' given twice in rule 'a'");
	expect_error("[a]\npattern =\n", "t.rules:2: 'pattern' has no value");
	expect_error("[a]\npattern = A\nrequire_context = yes\n",
	             "t.rules:1: rule 'a' requires context but names no context words");
	expect_error("[a]\npattern = A\ncontext_window = 0\n",
	             "t.rules:3: context_window must be a whole number of bytes from 1 to 1000");
	expect_error("[a]\npattern = x*\n",
	             "t.rules:2: bad pattern: Pattern matches empty buffer; use HS_FLAG_ALLOWEMPTY to enable support.");
}

Test(rules, duplicate_across_files_names_the_first)
{
	write_file("1.rules", "[emp]\npattern = EMP-[0-9]{6}\n");
	write_file("2.rules", "\n[emp]\npattern = E[0-9]{6}\n");
	char *err = load_error(NULL);
	cr_assert_not_null(err);
	char want[512];
	snprintf(want, sizeof want, "%s/2.rules:2: duplicate rule id 'emp' (first defined at %s/1.rules:1)", dir, dir);
	cr_expect_str_eq(err, want);
	free(err);
	/* and within one file */
	char path[256];
	snprintf(path, sizeof path, "%s/1.rules", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/2.rules", dir);
	unlink(path);
	snprintf(want, sizeof want, "duplicate rule id 'a' (first defined at %s/t.rules:1)", dir);
	expect_error("[a]\npattern = A[0-9]{3}\n[b]\npattern = B\n[a]\npattern = C\n", want);
	cr_expect(strstr(want, "t.rules:1)") != NULL);
}

Test(rules, detector_set_reports_broken_user_rules)
{
	write_file("x.rules", "[a]\npattern = A[0-9]{3}\nconfidence = high\n");
	trawl_detect_opts_t opts = {.rules_dir = dir};
	trawl_detector_set_t *set = (void *)1;
	char *err = NULL;
	cr_assert_eq(trawl_detector_set_new(&set, &opts, &err), TRAWL_ERULES);
	cr_assert_null(set);
	char want[512];
	snprintf(want, sizeof want, "%s/x.rules:3: confidence must be a number from 0 to 1, not 'high'", dir);
	cr_expect_str_eq(err, want);
	free(err);
}

Test(rules, missing_or_empty_rules_folder_is_an_error)
{
	trawl_rules_t *r = NULL;
	char *err = NULL;
	cr_assert_eq(trawl_rules__load(&r, NULL, dir, &err), TRAWL_ERULES);
	cr_expect(strstr(err, "no *.rules files in this folder") != NULL, "%s", err);
	free(err);
	char missing[128];
	snprintf(missing, sizeof missing, "%s/nope", dir);
	cr_assert_eq(trawl_rules__load(&r, NULL, missing, &err), TRAWL_ERULES);
	cr_expect(strstr(err, "/nope: cannot open: ") != NULL, "%s", err);
	free(err);
	/* a missing built-in folder is no error: no rules */
	cr_assert_eq(trawl_rules__load(&r, missing, NULL, &err), TRAWL_OK);
	cr_expect_null(r);
}

/* Runs the rules of dir (only those) over s. */
static void
scan_with(trawl_rules_t *r, const char *s, const char *header)
{
	trawl_findings_clear(&found);
	trawl_text_t t = {.text = s, .len = strlen(s), .part = "1", .header = header,
	                  .where = header ? TRAWL_WHERE_HEADER : TRAWL_WHERE_BODY};
	cr_assert_eq(trawl_rules__scan(r, &found, &t), TRAWL_OK);
}

static trawl_rules_t *
load(const char *text)
{
	write_file("t.rules", text);
	trawl_rules_t *r = NULL;
	char *err = load_error(&r);
	cr_assert_null(err, "%s", err);
	cr_assert_not_null(r);
	return r;
}

static const trawl_finding_t *
find(const char *value)
{
	for (size_t i = 0; i < found.len; i++)
		if (strcmp(found.items[i].value, value) == 0)
			return &found.items[i];
	return NULL;
}

Test(rules, check_digit_algorithms)
{
	cr_expect_eq(trawl_rules__check("luhn", "79927398713", 11), 1);
	cr_expect_eq(trawl_rules__check("luhn", "79927398710", 11), 0);
	/* ISO 7064 MOD 97-10 over the whole string; an IBAN rearranged */
	cr_expect_eq(trawl_rules__check("mod97", "WEST12345698765432GB82", 22), 1);
	cr_expect_eq(trawl_rules__check("mod97", "WEST12345698765432GB83", 22), 0);
	cr_expect_eq(trawl_rules__check("mod97", "1234567889", 10), 1);
	/* ISBN-10 */
	cr_expect_eq(trawl_rules__check("mod11", "0306406152", 10), 1);
	cr_expect_eq(trawl_rules__check("mod11", "0306406153", 10), 0);
	cr_expect_eq(trawl_rules__check("mod11", "080442957X", 10), 1);
	/* ORCID */
	cr_expect_eq(trawl_rules__check("iso7064-11-2", "0000000218250097", 16), 1);
	cr_expect_eq(trawl_rules__check("iso7064-11-2", "0000000218250096", 16), 0);
	cr_expect_eq(trawl_rules__check("iso7064-11-10", "36574261809", 11), 1);
	cr_expect_eq(trawl_rules__check("iso7064-11-10", "36574261890", 11), 0);
	cr_expect_eq(trawl_rules__check("de-idnr", "36574261809", 11), 1);
	cr_expect_eq(trawl_rules__check("de-idnr", "36554266806", 11), 0); /* two digits repeated */
	cr_expect_eq(trawl_rules__check("de-idnr", "06574261809", 11), 0);
	cr_expect_eq(trawl_rules__check("de-kvnr", "X110411675", 10), 1);
	cr_expect_eq(trawl_rules__check("de-kvnr", "A123456780", 10), 1);
	cr_expect_eq(trawl_rules__check("de-kvnr", "A123456781", 10), 0);
	cr_expect_eq(trawl_rules__check("us-ssn", "536225012", 9), 1);
	cr_expect_eq(trawl_rules__check("us-ssn", "666225012", 9), 0);
	cr_expect_eq(trawl_rules__check("us-ssn", "936225012", 9), 0);
	cr_expect_eq(trawl_rules__check("us-ssn", "536005012", 9), 0);
	cr_expect_eq(trawl_rules__check("us-ssn", "536220000", 9), 0);
	cr_expect_eq(trawl_rules__check("us-ssn", "078051120", 9), 0);
	cr_expect_eq(trawl_rules__check("uk-nino", "AB123456C", 9), 1);
	cr_expect_eq(trawl_rules__check("uk-nino", "QQ123456A", 9), 0);
	cr_expect_eq(trawl_rules__check("uk-nino", "AO123456A", 9), 0);
	cr_expect_eq(trawl_rules__check("uk-nino", "GB123456A", 9), 0);
	cr_expect_eq(trawl_rules__check("uk-nino", "AB123456E", 9), 0);
	cr_expect_eq(trawl_rules__check("crc32", "1", 1), -1);
}

Test(rules, luhn_rule_keeps_valid_and_drops_invalid)
{
	trawl_rules_t *r = load("[member]\n"
	                        "label = loyalty card\n"
	                        "pattern = M[0-9]{11}   # a comment after a blank\n"
	                        "checksum = luhn\n"
	                        "confidence = 0.7\n"
	                        "norm = digits\n");
	scan_with(r, "cards M79927398713 and M79927398710, M799273987134 too long", NULL);
	cr_assert_eq(found.len, 1);
	const trawl_finding_t *f = &found.items[0];
	cr_expect_str_eq(f->value, "M79927398713");
	cr_expect_str_eq(f->norm, "79927398713");
	cr_expect_str_eq(f->rule, "custom.member");
	cr_expect_eq(f->type, TRAWL_TYPE_CUSTOM);
	cr_expect_eq(f->start, 6);
	cr_expect_eq(f->end, 18);
	cr_expect_float_eq(f->confidence, 0.7, 1e-9);
	cr_expect_str_eq(trawl_rules__label(r, "custom.member"), "loyalty card");
	cr_expect_null(trawl_rules__label(r, "card.luhn"));
	trawl_rules__free(r);
}

Test(rules, mod97_rule_keeps_valid_and_drops_invalid)
{
	trawl_rules_t *r = load("[contract]\n"
	                        "pattern = [0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{2}\n"
	                        "checksum = mod97\n"
	                        "norm = digits\n");
	scan_with(r, "Vertrag 1234-5678-89, 1234 5678 88, 8765432161.", NULL);
	cr_assert_eq(found.len, 2);
	cr_expect_not_null(find("1234-5678-89"));
	cr_expect_not_null(find("8765432161"));
	cr_expect_null(find("1234 5678 88"));
	cr_expect_str_eq(find("1234-5678-89")->norm, "1234567889");
	trawl_rules__free(r);
}

Test(rules, context_words_raise_confidence)
{
	trawl_rules_t *r = load("[employee-id]\n"
	                        "type = custom\n"
	                        "label = employee number\n"
	                        "pattern = (?i)emp-[0-9]{6}\n"
	                        "context = employee, Personalnummer, Mitarbeiter\n"
	                        "confidence = 0.6\n"
	                        "context_confidence = 0.9\n"
	                        "norm = upper-alnum\n");
	scan_with(r, "Ticket EMP-123456 closed.\n"
	             "Ihre Personalnummer lautet emp-654321.\n"
	             "The EMPLOYEES list: EMP-111111 ... and then after more than forty bytes of other text EMP-222222",
	          NULL);
	cr_assert_eq(found.len, 4);
	cr_expect_float_eq(find("EMP-123456")->confidence, 0.6, 1e-9);
	cr_expect_float_eq(find("emp-654321")->confidence, 0.9, 1e-9);
	cr_expect_str_eq(find("emp-654321")->norm, "EMP654321");
	cr_expect_float_eq(find("EMP-111111")->confidence, 0.9, 1e-9); /* "employees" starts with "employee" */
	cr_expect_float_eq(find("EMP-222222")->confidence, 0.6, 1e-9); /* out of the window */
	/* a word inside another word is no context */
	scan_with(r, "unemployee EMP-333333", NULL);
	cr_expect_float_eq(find("EMP-333333")->confidence, 0.6, 1e-9);
	/* the header the value stands in counts */
	scan_with(r, "EMP-444444", "X-Employee-Id");
	cr_expect_float_eq(find("EMP-444444")->confidence, 0.9, 1e-9);
	trawl_rules__free(r);
}

Test(rules, require_context_and_word_boundaries)
{
	trawl_rules_t *r = load("[case]\n"
	                        "pattern = [0-9]{3}-[0-9]{3}\n"
	                        "context = case no, aktenzeichen\n"
	                        "require_context = yes\n"
	                        "norm = none\n");
	scan_with(r, "Tel 123-456. Case no. 234-567; Aktenzeichen: 1345-678, Aktenzeichen 345-6789 and x345-678",
	          NULL);
	cr_assert_eq(found.len, 1);
	cr_expect_str_eq(found.items[0].value, "234-567");
	cr_expect_float_eq(found.items[0].confidence, 0.95, 1e-9); /* the default with context */
	trawl_rules__free(r);
}

Test(rules, one_rule_one_finding_per_stretch)
{
	/* several matches end inside one number: the longest from the left wins */
	trawl_rules_t *r = load("[ref]\n"
	                        "pattern = REF[0-9]{2}(-[0-9]{2})?(-[0-9]{2})?\n"
	                        "norm = upper\n");
	scan_with(r, "see REF12-34-56 and REF77", NULL);
	cr_assert_eq(found.len, 2);
	cr_expect_not_null(find("REF12-34-56"));
	cr_expect_not_null(find("REF77"));
	trawl_rules__free(r);
}

Test(rules, contract_type_and_literal_hash)
{
	trawl_rules_t *r = load("[staff-mail]\n"
	                        "type = email\n"
	                        "pattern = [a-z]+@staff\\.example\n"
	                        "norm = lower\n"
	                        "[ticket]\n"
	                        "pattern = T \\#[0-9]{4}\n");
	scan_with(r, "Mail JOE@staff.example about T #1234", NULL);
	cr_assert_eq(found.len, 1); /* [a-z] is case-sensitive: joe only in (?i) */
	cr_expect_str_eq(found.items[0].value, "T #1234");
	scan_with(r, "Mail joe@staff.example", NULL);
	cr_assert_eq(found.len, 1);
	cr_expect_eq(found.items[0].type, TRAWL_TYPE_EMAIL);
	cr_expect_str_eq(found.items[0].rule, "email.staff-mail");
	trawl_rules__free(r);
}

Test(rules, patterns_without_start_tracking)
{
	/* vectorscan cannot track starts for a large bounded repeat without a
	 * literal: such a pattern is compiled without, and its start found
	 * afterwards by an anchored match over at most its width */
	trawl_rules_t *r = load("[token]\n"
	                        "pattern = [A-Za-z0-9]{20,200}\n"
	                        "[block]\n"
	                        "pattern = B[A-Z]{300}\n");
	char text[1024];
	char block[302];
	block[0] = 'B';
	memset(block + 1, 'Q', 300);
	block[301] = '\0';
	snprintf(text, sizeof text, "key: %s, short abc, %s.", "0123456789abcdefghijKLMNOP", block);
	scan_with(r, text, NULL);
	cr_assert_not_null(find("0123456789abcdefghijKLMNOP"));
	cr_expect_eq(find("0123456789abcdefghijKLMNOP")->start, 5);
	cr_expect_str_eq(find("0123456789abcdefghijKLMNOP")->rule, "custom.token");
	cr_assert_not_null(find(block));
	cr_expect_str_eq(find(block)->rule, "custom.block");
	cr_expect_eq(found.len, 2); /* the block is too long a token */
	trawl_rules__free(r);
	write_file("t.rules", "[huge]\npattern = X[A-Z0-9]{10,5000}\n");
	char *err = load_error(NULL);
	cr_assert_not_null(err);
	cr_expect(strstr(err, "t.rules:2: bad pattern: too complex for vectorscan to tell where its matches start; "
	                      "use shorter repeats (up to about 100)") != NULL,
	          "%s", err);
	free(err);
	write_file("t.rules", "[token]\npattern = [A-Za-z0-9]{20,200}\nboundary = none\n");
	err = load_error(NULL);
	cr_assert_not_null(err);
	cr_expect(strstr(err, "t.rules:2: bad pattern: too complex for vectorscan to tell where its matches start; "
	                      "use shorter repeats (up to about 100) or boundary = word") != NULL,
	          "%s", err);
	free(err);
}

/* 50 rules: prefix RnnX, nnn digits. */
static void
write_fifty(void)
{
	trawl_buf_t b = {0};
	for (int i = 0; i < 50; i++)
		trawl_buf_printf(&b,
		                 "[rule-%02d]\nlabel = number kind %d\npattern = R%02dX[0-9]{%d}\n"
		                 "context = kind%d\nconfidence = 0.6\nnorm = upper-alnum\n\n",
		                 i, i, i, 4 + i % 5, i);
	write_file("fifty.rules", trawl_buf_cstr(&b));
	trawl_buf_free(&b);
}

static char *
fifty_text(void)
{
	trawl_buf_t b = {0};
	for (int i = 0; i < 50; i++)
		if (i % 2)
			trawl_buf_printf(&b, "item %d (kind%d) R%02dX%0*d; ", i, i, i, 4 + i % 5, i);
		else
			trawl_buf_printf(&b, "item %d: R%02dX%0*d; ", i, i, 4 + i % 5, i);
	return trawl_buf_detach(&b);
}

Test(rules, fifty_rules_compile_into_one_database)
{
	write_fifty();
	trawl_rules_t *r = NULL;
	char *err = load_error(&r);
	cr_assert_null(err, "%s", err);
	size_t n_rules, n_patterns, n_db;
	trawl_rules__stats(r, &n_rules, &n_patterns, &n_db);
	cr_expect_eq(n_rules, 50);
	cr_expect_eq(n_patterns, 50);
	cr_expect_eq(n_db, 1);
	char *text = fifty_text();
	scan_with(r, text, NULL);
	cr_assert_eq(found.len, 50);
	for (size_t i = 0; i < found.len; i++) {
		char want[32];
		int k;
		cr_assert_eq(sscanf(found.items[i].rule, "custom.rule-%d", &k), 1);
		snprintf(want, sizeof want, "R%02dX%0*d", k, 4 + k % 5, k);
		cr_expect_str_eq(found.items[i].norm, want);
		cr_expect_float_eq(found.items[i].confidence, k % 2 ? 0.95 : 0.6, 1e-9, "%s", want);
	}
	free(text);
	trawl_rules__free(r);
}

typedef struct {
	const trawl_detector_set_t *set;
	const char *text;
	size_t rounds, found;
	bool ok;
} worker_t;

static void *
worker(void *p)
{
	worker_t *w = p;
	w->ok = true;
	for (size_t i = 0; i < w->rounds; i++) {
		trawl_findings_t out = {0};
		trawl_text_t t = {.text = w->text, .len = strlen(w->text), .part = "1"};
		if (trawl_detect_text(w->set, &out, &t) != TRAWL_OK)
			w->ok = false;
		size_t n = 0;
		for (size_t k = 0; k < out.len; k++)
			n += out.items[k].type == TRAWL_TYPE_CUSTOM;
		if (i == 0)
			w->found = n;
		else if (n != w->found)
			w->ok = false;
		trawl_findings_clear(&out);
	}
	return NULL;
}

Test(rules, threads_share_one_set)
{
	write_fifty();
	trawl_detect_opts_t opts = {.rules_dir = dir};
	trawl_detector_set_t *set = NULL;
	char *err = NULL;
	cr_assert_eq(trawl_detector_set_new(&set, &opts, &err), TRAWL_OK, "%s", err);
	char *text = fifty_text();
	/* the main thread first (its scratch lives until the set is freed),
	 * then two threads at once, twice (their scratch goes with them) */
	worker_t main_w = {.set = set, .text = text, .rounds = 1};
	worker(&main_w);
	cr_assert(main_w.ok);
	cr_assert_eq(main_w.found, 50);
	for (int round = 0; round < 2; round++) {
		worker_t w[2] = {{.set = set, .text = text, .rounds = 200}, {.set = set, .text = text, .rounds = 200}};
		pthread_t th[2];
		for (int i = 0; i < 2; i++)
			cr_assert_eq(pthread_create(&th[i], NULL, worker, &w[i]), 0);
		for (int i = 0; i < 2; i++) {
			pthread_join(th[i], NULL);
			cr_expect(w[i].ok);
			cr_expect_eq(w[i].found, 50);
		}
	}
	free(text);
	trawl_detector_set_free(set);
}

/* ---- the built-in rules (rules/ *.rules) ---- */

static trawl_detector_set_t *
builtin_set(void)
{
	trawl_detector_set_t *set = NULL;
	char *err = NULL;
	cr_assert_eq(trawl_detector_set_new(&set, NULL, &err), TRAWL_OK, "%s", err);
	return set;
}

static void
detect(trawl_detector_set_t *set, const char *s)
{
	trawl_findings_clear(&found);
	trawl_text_t t = {.text = s, .len = strlen(s), .part = "1"};
	cr_assert_eq(trawl_detect_text(set, &found, &t), TRAWL_OK);
	trawl_findings_finish(set, &found);
}

static const trawl_finding_t *
find_rule(const char *rule, const char *norm)
{
	for (size_t i = 0; i < found.len; i++)
		if (strcmp(found.items[i].rule, rule) == 0 && strcmp(found.items[i].norm, norm) == 0)
			return &found.items[i];
	return NULL;
}

Test(rules, builtin_german_tax_id)
{
	trawl_detector_set_t *set = builtin_set();
	detect(set, "Steuer-ID: 36 574 261 809\nIdNr 36574261890\nSteuerliche Identifikationsnummer 36554266806");
	const trawl_finding_t *f = find_rule("custom.de-tax-id", "36574261809");
	cr_assert_not_null(f);
	cr_expect_str_eq(f->value, "36 574 261 809");
	cr_expect_float_eq(f->confidence, 0.95, 1e-9);
	cr_expect_str_eq(trawl_detector_set_rule_label(set, f->rule), "German tax ID (Steuer-IdNr)");
	cr_expect_null(find_rule("custom.de-tax-id", "36574261890")); /* check digit */
	cr_expect_null(find_rule("custom.de-tax-id", "36554266806")); /* digits repeated */
	/* eleven digits alone stay below the default threshold */
	detect(set, "Bestellung 36574261809 versandt");
	cr_expect_null(find_rule("custom.de-tax-id", "36574261809"));
	trawl_detector_set_free(set);
}

Test(rules, builtin_health_insurance_ssn_nino)
{
	trawl_detector_set_t *set = builtin_set();
	detect(set, "Versichertennummer X110411675, KVNR X110411676");
	cr_expect_not_null(find_rule("custom.de-health-insurance-number", "X110411675"));
	cr_expect_null(find_rule("custom.de-health-insurance-number", "X110411676"));
	detect(set, "Artikel X110411675");
	cr_expect_null(find_rule("custom.de-health-insurance-number", "X110411675"));

	detect(set, "SSN: 536-22-5012\n\nThe order number of last week was 536-22-5013.\n"
	            "SSN 666-22-5012, social security no. 536225014, SSN 536-22-50123");
	cr_expect_not_null(find_rule("custom.us-ssn", "536225012"));
	cr_expect_not_null(find_rule("custom.us-ssn", "536225014"));
	size_t n_ssn = 0;
	for (size_t i = 0; i < found.len; i++)
		n_ssn += strcmp(found.items[i].rule, "custom.us-ssn") == 0;
	cr_expect_eq(n_ssn, 2);

	detect(set, "NI number: AB 12 34 56 C, QQ 12 34 56 A (example), GB123456A, AB123456C");
	cr_expect_float_eq(find_rule("custom.uk-nino", "AB123456C")->confidence, 0.95, 1e-9);
	cr_expect_null(find_rule("custom.uk-nino", "QQ123456A"));
	cr_expect_null(find_rule("custom.uk-nino", "GB123456A"));
	size_t n = 0;
	for (size_t i = 0; i < found.len; i++)
		n += strcmp(found.items[i].rule, "custom.uk-nino") == 0;
	cr_expect_eq(n, 2);
	trawl_detector_set_free(set);
}

/* ---- the command line ---- */

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return strdup("");
	trawl_buf_t b = {0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		trawl_buf_put(&b, chunk, n);
	fclose(f);
	char *s = trawl_buf_detach(&b);
	return s ? s : strdup("");
}

/* Runs trawl with args; its exit status, standard output and error. */
static int
run_cli(const char *args, char **out, char **err)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "%s %s >'%s/stdout' 2>'%s/stderr'", getenv("TRAWL_BIN"), args, dir, dir);
	int st = system(cmd);
	snprintf(cmd, sizeof cmd, "%s/stdout", dir);
	*out = slurp(cmd);
	snprintf(cmd, sizeof cmd, "%s/stderr", dir);
	*err = slurp(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(rules, cli_broken_rules_are_fatal)
{
	if (!getenv("TRAWL_BIN") || !getenv("TRAWL_SRC"))
		cr_skip_test("TRAWL_BIN and TRAWL_SRC are set by make check");
	const char *src = getenv("TRAWL_SRC");
	char rules[256], path[300], idx[300], args[1024], *out, *err;
	snprintf(rules, sizeof rules, "%s/mine", dir);
	cr_assert_eq(mkdir(rules, 0700), 0);
	snprintf(path, sizeof path, "%s/bad.rules", rules);
	FILE *f = fopen(path, "w");
	fputs("[a]\npattern = A[0-9]{3}\nchecksum = md5\n", f);
	fclose(f);
	snprintf(args, sizeof args, "detect --rules '%s' '%s/fixtures/sample'", rules, src);
	cr_expect_eq(run_cli(args, &out, &err), 3);
	cr_expect(strstr(err, "trawl detect: ") && strstr(err, "/bad.rules:3: unknown checksum 'md5'"), "%s", err);
	cr_expect_str_empty(out);
	free(out);
	free(err);
	/* scan writes nothing */
	snprintf(idx, sizeof idx, "%s/idx", dir);
	snprintf(args, sizeof args, "scan --quiet --index '%s' --rules '%s' '%s/fixtures/sample'", idx, rules, src);
	cr_expect_eq(run_cli(args, &out, &err), 3);
	cr_expect(strstr(err, "trawl scan: ") && strstr(err, "/bad.rules:3: unknown checksum 'md5'"), "%s", err);
	free(out);
	free(err);
	struct stat st;
	cr_expect_neq(stat(idx, &st), 0, "an index was created");
	/* a good rule: its findings are printed with the rule's label */
	f = fopen(path, "w");
	fputs("[kontor]\nlabel = Kontor domain\npattern = kontor-demo\\.de\nnorm = lower\n", f);
	fclose(f);
	snprintf(args, sizeof args, "detect --rules '%s' '%s/fixtures/sample'", rules, src);
	cr_expect_eq(run_cli(args, &out, &err), 0, "%s", err);
	cr_expect(strstr(out, "\"type\":\"custom\",\"value\":\"kontor-demo.de\",\"norm\":\"kontor-demo.de\"") != NULL);
	cr_expect(strstr(out, "\"rule\":\"custom.kontor\",\"label\":\"Kontor domain\"}") != NULL);
	free(out);
	free(err);
}
