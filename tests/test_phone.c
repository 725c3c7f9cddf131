/* Unit tests of the phone-number detector and its libphonenumber wrapper.
 * The numbers are libphonenumber's own example numbers for each country
 * (PhoneNumberUtil::GetExampleNumberForType), or made up; the card number is
 * the schemes' published test number, the IBAN the SWIFT registry example.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "detectors/phonelib.h"
#include "trawl/detect.h"

static trawl_detector_set_t *set;
static trawl_findings_t found;

static void
setup(void)
{
	cr_assert_eq(trawl_detector_set_new(&set, NULL, NULL), TRAWL_OK);
	trawl_findings_init(&found);
}

static void
teardown(void)
{
	trawl_findings_clear(&found);
	trawl_detector_set_free(set);
}

/* Runs every detector over s, written by sender (may be NULL), and keeps
 * what the set's confidence threshold lets through. */
static void
run_from(const char *s, const char *sender)
{
	trawl_findings_clear(&found);
	trawl_text_t t = {
		.text = s,
		.len = strlen(s),
		.where = TRAWL_WHERE_BODY,
		.part = "1",
		.sender = sender,
	};
	cr_assert_eq(trawl_detect_text(set, &found, &t), TRAWL_OK);
	trawl_findings_finish(set, &found);
}

static void
run(const char *s)
{
	run_from(s, NULL);
}

static const trawl_finding_t *
phone(const char *norm)
{
	for (size_t i = 0; i < found.len; i++)
		if (found.items[i].type == TRAWL_TYPE_PHONE && strcmp(found.items[i].norm, norm) == 0)
			return &found.items[i];
	return NULL;
}

static size_t
phones(void)
{
	size_t n = 0;
	for (size_t i = 0; i < found.len; i++)
		n += found.items[i].type == TRAWL_TYPE_PHONE;
	return n;
}

/* Fails with every phone found, for a readable message. */
static void
assert_no_phone(const char *text)
{
	for (size_t i = 0; i < found.len; i++)
		if (found.items[i].type == TRAWL_TYPE_PHONE)
			cr_assert_fail("phone \"%s\" (%s, %.2f, %s) in: %s", found.items[i].value, found.items[i].norm,
			               found.items[i].confidence, found.items[i].rule, text);
}

static void
assert_phone(const char *text, const char *norm)
{
	const trawl_finding_t *f = phone(norm);
	if (!f) {
		char got[512] = "";
		for (size_t i = 0; i < found.len; i++)
			if (found.items[i].type == TRAWL_TYPE_PHONE && strlen(got) + 64 < sizeof got)
				snprintf(got + strlen(got), sizeof got - strlen(got), " %s=%s", found.items[i].value,
				         found.items[i].norm);
		cr_assert_fail("no %s in: %s (found:%s)", norm, text, got);
	}
}

TestSuite(phone, .init = setup, .fini = teardown);

/* ---- international formats ---------------------------------------------- */

typedef struct {
	const char *text;
	const char *norm;
} vec_t;

Test(phone, international_formats_of_every_listed_country_are_found)
{
	static const vec_t v[] = {
		{"Das ist +49 30 123456 gewesen.", "+4930123456"},
		{"Das ist +49 (0)30 123456 gewesen.", "+4930123456"},
		{"Das ist 0049 30 123456 gewesen.", "+4930123456"},
		{"Das ist +49 1512 3456789 gewesen.", "+4915123456789"},
		{"Das ist +4915123456789 gewesen.", "+4915123456789"},
		{"Das ist +49-30-123456 gewesen.", "+4930123456"},
		{"Das ist +43 1 234567890 gewesen.", "+431234567890"},
		{"Das ist +43 664 123456 gewesen.", "+43664123456"},
		{"Das ist +41 21 234 56 78 gewesen.", "+41212345678"},
		{"Das ist 0041 78 123 45 67 gewesen.", "+41781234567"},
		{"It is +44 121 234 5678 now.", "+441212345678"},
		{"It is +44 (0)121 234 5678 now.", "+441212345678"},
		{"It is +44 7400 123456 now.", "+447400123456"},
		{"It is +353 85 012 3456 now.", "+353850123456"},
		{"It is +1 201-555-0123 now.", "+12015550123"},
		{"It is +1 (506) 234-5678 now.", "+15062345678"},
		{"It is +1.201.555.0123 now.", "+12015550123"},
		{"C'est +33 1 23 45 67 89 ici.", "+33123456789"},
		{"C'est 0033 6 12 34 56 78 ici.", "+33612345678"},
		{"Het is +32 470 12 34 56 hier.", "+32470123456"},
		{"Het is +31 6 12345678 hier.", "+31612345678"},
		{"Het is +31 10 123 4567 hier.", "+31101234567"},
		{"È +39 02 1234 5678 qui.", "+390212345678"},
		{"È +39 312 345 6789 qui.", "+393123456789"},
		{"Es +34 612 34 56 78 aquí.", "+34612345678"},
		{"É +351 912 345 678 aqui.", "+351912345678"},
		{"To +48 512 345 678 tu.", "+48512345678"},
		{"Это +7 495 123-45-67 здесь.", "+74951234567"},
	};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		run(v[i].text);
		assert_phone(v[i].text, v[i].norm);
		cr_expect_eq(phones(), 1, "%s", v[i].text);
		cr_expect_geq(phone(v[i].norm)->confidence, 0.85, "%s", v[i].text);
		cr_expect_str_eq(phone(v[i].norm)->rule, "phone.intl", "%s", v[i].text);
	}
}

Test(phone, international_number_after_a_hotword_is_near_certain)
{
	run("Tel.: +49 30 123456\nFax: +49 30 1234567");
	assert_phone("Tel.", "+4930123456");
	assert_phone("Fax", "+49301234567");
	cr_expect_geq(phone("+4930123456")->confidence, 0.95);
	cr_expect_str_eq(phone("+4930123456")->rule, "phone.hotword");
}

Test(phone, value_and_offsets_cover_the_number_as_written)
{
	const char *s = "Tel.: +49 (0)30 123456.";
	run(s);
	const trawl_finding_t *f = phone("+4930123456");
	cr_assert(f);
	cr_expect_str_eq(f->value, "+49 (0)30 123456");
	cr_expect_eq(f->start, 6);
	cr_expect_eq(f->end, 22);
	cr_expect_eq(memcmp(s + f->start, f->value, f->end - f->start), 0);
}

Test(phone, parentheses_around_the_whole_number_are_not_part_of_it)
{
	run("Ruf an (+49 30 123456) oder schreib.");
	cr_assert(phone("+4930123456"));
	cr_expect_str_eq(phone("+4930123456")->value, "+49 30 123456");
}

/* ---- national formats ------------------------------------------------------ */

typedef struct {
	const char *text;
	const char *sender;
	const char *norm;
} nvec_t;

Test(phone, national_formats_of_every_listed_country_are_found)
{
	static const nvec_t v[] = {
		/* Germany, in German */
		{"Sie erreichen mich unter 030 123456, bitte rufen Sie an.", NULL, "+4930123456"},
		{"Bitte rufen Sie mich unter 030/123456 zurück, danke.", NULL, "+4930123456"},
		{"Mit freundlichen Grüßen\nErika Mustermann\nMobil: 01512 3456789", NULL, "+4915123456789"},
		{"Die Zentrale ist unter (030) 123456 für Sie da.", NULL, "+4930123456"},
		/* Austria and Switzerland: the sender's domain says which */
		{"Bitte rufen Sie mich unter 01 234567890 zurück.", "a@firma.at", "+431234567890"},
		{"Sie erreichen mich mobil unter 0664 123456.", "a@firma.at", "+43664123456"},
		{"Sie erreichen uns unter 021 234 56 78 oder 078 123 45 67.", "a@firma.ch", "+41212345678"},
		{"Sie erreichen uns unter 021 234 56 78 oder 078 123 45 67.", "a@firma.ch", "+41781234567"},
		/* United Kingdom and Ireland, in English */
		{"Please call me on 0121 234 5678 or 07400 123456, kind regards.", NULL, "+441212345678"},
		{"Please call me on 0121 234 5678 or 07400 123456, kind regards.", NULL, "+447400123456"},
		{"You can reach the office on 085 012 3456 all week.", "a@firma.ie", "+353850123456"},
		/* United States and Canada */
		{"Please call (201) 555-0123 and ask for the manager.", NULL, "+12015550123"},
		{"Please call 201.555.0123 and ask for the manager.", NULL, "+12015550123"},
		{"Please call 1-201-555-0123 and ask for the manager.", NULL, "+12015550123"},
		{"Please call (506) 234-5678 and ask for the manager.", NULL, "+15062345678"},
		/* France, Belgium, the Netherlands */
		{"Merci de me rappeler au 01 23 45 67 89, cordialement.", NULL, "+33123456789"},
		{"Vous pouvez me joindre au 06.12.34.56.78 avec plaisir.", NULL, "+33612345678"},
		{"Bel me op 0470 12 34 56, met vriendelijke groeten.", "a@firma.be", "+32470123456"},
		{"Bel me op 010 123 4567 of 06 12345678, met vriendelijke groeten.", NULL, "+31101234567"},
		{"Bel me op 010 123 4567 of 06 12345678, met vriendelijke groeten.", NULL, "+31612345678"},
		/* Italy, Spain, Portugal, Poland: their language or domain */
		{"Per favore chiamami al 02 1234 5678. Cordiali saluti e grazie per il tempo.", NULL, "+390212345678"},
		{"Per favore chiamami al 312 345 6789. Cordiali saluti e grazie per il tempo.", NULL, "+393123456789"},
		{"Por favor llámeme al 612 34 56 78. Muchas gracias, saludos.", NULL, "+34612345678"},
		{"Ligue-me para o 912 345 678, muito obrigado.", "a@empresa.pt", "+351912345678"},
		{"Proszę zadzwonić pod 12 345 67 89. Pozdrawiam i dziękuję, że nie", NULL, "+48123456789"},
	};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		run_from(v[i].text, v[i].sender);
		assert_phone(v[i].text, v[i].norm);
		cr_expect_geq(phone(v[i].norm)->confidence, 0.6, "%s", v[i].text);
	}
}

Test(phone, national_number_in_an_english_sentence)
{
	const char *s = "Thanks for your message. Please call Julia on 030 123456 about the order.";
	run(s);
	assert_phone(s, "+4930123456");
	cr_expect_str_eq(phone("+4930123456")->value, "030 123456");
	cr_expect_str_eq(phone("+4930123456")->rule, "phone.hotword");
}

Test(phone, national_number_in_a_german_sentence)
{
	const char *s = "Hallo Herr Meier, ich bin morgen unter 0121 234 5678 erreichbar. Viele Grüße";
	run(s);
	/* grouped as in Britain, and only Britain's plan places it: British */
	assert_phone(s, "+441212345678");
}

Test(phone, country_grouping_decides_between_readings)
{
	/* 089 1234567 reads as Munich, but Ireland, France and Italy take the
	 * digits as well; only Germany writes them 089 1234567 */
	const char *s = "Please call 089 1234567 tomorrow.";
	run(s);
	assert_phone(s, "+49891234567");
	cr_expect_eq(phones(), 1);
}

Test(phone, same_number_written_internationally_decides_the_country)
{
	const char *s = "Bitte rufen Sie Tom unter 07400 123456 an.\n\nTom\nMobile: +44 7400 123456";
	run(s);
	cr_assert(phone("+447400123456"));
	cr_expect_eq(phones(), 2);
	cr_expect_null(phone("+497400123456"));
}

Test(phone, sender_domain_decides_between_equal_readings)
{
	/* 0161 234 5678: Manchester, and Vercelli in Italy, written alike */
	const char *s = "T: 0161 234 5678";
	run_from(s, "someone@example.it");
	assert_phone(s, "+3901612345678");
	run_from(s, "someone@example.co.uk");
	assert_phone(s, "+441612345678");
}

Test(phone, default_region_decides_when_nothing_else_does)
{
	trawl_detector_set_free(set);
	trawl_detect_opts_t opts = {.default_region = "it"};
	cr_assert_eq(trawl_detector_set_new(&set, &opts, NULL), TRAWL_OK);
	const char *s = "T: 0161 234 5678";
	run_from(s, "someone@example.com");
	assert_phone(s, "+3901612345678");
}

Test(phone, generic_domains_say_nothing_about_the_country)
{
	const char *s = "T: 0161 234 5678";
	run_from(s, "someone@example.io");
	cr_expect_null(phone("+3901612345678")); /* the short list's order: Britain first */
	assert_phone(s, "+441612345678");
}

Test(phone, plain_digit_run_needs_a_hotword)
{
	run("Die Zahl 0301234567 steht hier.");
	cr_expect_eq(phones(), 0);
	run("Tel. 0301234567");
	assert_phone("Tel. 0301234567", "+49301234567");
	run("Rückruf bitte: 0301234567");
	assert_phone("Rückruf", "+49301234567");
}

Test(phone, a_list_of_numbers_is_split)
{
	const char *s = "Tel. 030 123456 / 01512 3456789";
	run(s);
	assert_phone(s, "+4930123456");
	assert_phone(s, "+4915123456789");
}

Test(phone, csv_field_followed_by_digits_is_found)
{
	const char *s = "name,phone,street\r\nErika,+44 121 234 5678,79 Long Road\r\n";
	run(s);
	assert_phone(s, "+441212345678");
}

Test(phone, header_name_serves_as_hotword)
{
	trawl_findings_clear(&found);
	const char *s = "01512 3456789";
	trawl_text_t t = {.text = s, .len = strlen(s), .where = TRAWL_WHERE_HEADER, .part = "header:X-Mobile",
	                  .header = "X-Mobile"};
	cr_assert_eq(trawl_detect_text(set, &found, &t), TRAWL_OK);
	trawl_findings_finish(set, &found);
	assert_phone(s, "+4915123456789");
}

Test(phone, number_glued_to_a_unit_keeps_its_number)
{
	const char *s = "Hotline 030 123456 24h erreichbar";
	run(s);
	assert_phone(s, "+4930123456");
	cr_expect_str_eq(phone("+4930123456")->value, "030 123456");
}

/* ---- what is not a phone number ------------------------------------------- */

static void
assert_none(const char *const *texts)
{
	for (const char *const *t = texts; *t; t++) {
		run(*t);
		assert_no_phone(*t);
	}
}

Test(phone, dates_are_not_phones)
{
	static const char *const t[] = {
		"Geliefert am 2024-10-15.", "Geliefert am 15.10.2024.", "Shipped on 10/15/2024.",
		"Tel. 15.10.2024", "Termin 15.10.24", "Stand 2024/10/15 und 15-10-2024", NULL,
	};
	assert_none(t);
}

Test(phone, times_are_not_phones)
{
	static const char *const t[] = {
		"The batch ran on 2025-09-14 at 20:28:56.",
		"Start 13:42:56, Ende 14:02:11",
		"Logged 2024-10-15 13:42:56.123",
		NULL,
	};
	assert_none(t);
}

Test(phone, version_strings_are_not_phones)
{
	static const char *const t[] = {
		"Upgraded the firmware to version 1.2.3.4 last night.",
		"Upgraded the firmware to version 11.3.8.46 last night.",
		"running 10.15.7.1234567 now",
		NULL,
	};
	assert_none(t);
}

Test(phone, reference_numbers_after_their_words_are_not_phones)
{
	static const char *const t[] = {
		"Order 0301234567 has shipped.",
		"Ihre Bestellung 0891234567 ist unterwegs.",
		"Rechnung Nr. 030 1234567 vom Mai",
		"Invoice 030 1234567 attached",
		"Ref 0171 1234567",
		"Ticket #0301234567 closed",
		"Kundennummer 030 123456, bitte angeben",
		"Kundennummer 732905439, Rechnung 2024/36990.",
		"No. 030 1234567",
		"Order #20150319-081379 shipped, tracking 1ZDPMCYW8486964730.",
		"Your customer number is 0161 234 5678.",
		NULL,
	};
	assert_none(t);
}

Test(phone, isbns_are_not_phones)
{
	static const char *const t[] = {
		"ISBN 978-3-16-148410-0 is on the reading list.",
		"See 978-3-16-148410-0 for details.",
		"ISBN 3-16-148410-0",
		NULL,
	};
	assert_none(t);
}

Test(phone, card_numbers_are_not_phones)
{
	static const char *const t[] = {
		"Card 4111 1111 1111 1111 exp 12/25",
		"pay with 4111111111111111 please",
		"Amex 3782 822463 10005 ok",
		"Reference no. 5295 3000 6878 6771 was attached to the ticket.",
		NULL,
	};
	assert_none(t);
}

Test(phone, ibans_are_not_phones)
{
	static const char *const t[] = {
		"IBAN DE89 3704 0044 0532 0130 00 bitte",
		"Konto GB29 NWBK 6016 1331 9268 19",
		"DE89370400440532013000",
		NULL,
	};
	assert_none(t);
}

Test(phone, timestamps_are_not_phones)
{
	static const char *const t[] = {"ts=1697371234", "created 1697371234 and 1697371234567 ms", NULL};
	assert_none(t);
}

Test(phone, ip_addresses_are_not_phones)
{
	static const char *const t[] = {"from 192.168.100.200 and 10.0.0.1", "Host 203.0.113.254.", NULL};
	assert_none(t);
}

Test(phone, postal_codes_are_not_phones)
{
	static const char *const t[] = {"Marienplatz 8, 80331 München", "Postfach 10 20 30, 80331 München",
	                                NULL};
	assert_none(t);
}

Test(phone, prices_are_not_phones)
{
	static const char *const t[] = {
		"Total: EUR 35.623,96 incl. VAT 14%.",
		"Das Budget beträgt 16.935,46 EUR.",
		"Preis € 1.234.567",
		"1 234 567 EUR",
		"$1,234,567 and 4 123 456,78",
		"Summe 0301234567",
		NULL,
	};
	assert_none(t);
}

Test(phone, ids_and_hardware_addresses_are_not_phones)
{
	static const char *const t[] = {
		"Device 0578.9558.f1ac was registered to Sina yesterday.",
		"Build id 1e60f7c4-b09a-4f28-8bfa-ef354c7fb707 / commit c155fbb7ca2bbdee0ed1f744f89ec155eafb1fc7.",
		"https://example.com/u/0301234567/profile",
		"user0301234567@example.com",
		"Project Orion kicks off in Berlin next March.",
		NULL,
	};
	assert_none(t);
}

/* ---- the wrapper ---------------------------------------------------------- */

Test(phonelib, international_number_is_parsed_and_validated)
{
	trawl_phonelib_number_t n;
	const char *s = "+49 (0)30 123456";
	cr_assert_eq(trawl_phonelib__parse(&n, s, strlen(s), NULL), TRAWL_OK);
	cr_expect_str_eq(n.e164, "+4930123456");
	cr_expect_str_eq(n.region, "DE");
	cr_expect_eq(n.country_code, 49);
	cr_expect_not(n.from_region);
}

Test(phonelib, national_number_needs_its_region)
{
	trawl_phonelib_number_t n;
	const char *s = "01512 3456789";
	cr_expect_eq(trawl_phonelib__parse(&n, s, strlen(s), NULL), TRAWL_EFORMAT);
	cr_assert_eq(trawl_phonelib__parse(&n, s, strlen(s), "DE"), TRAWL_OK);
	cr_expect_str_eq(n.e164, "+4915123456789");
	cr_expect_str_eq(n.national, "01512 3456789");
	cr_expect(n.from_region);
}

Test(phonelib, impossible_number_is_not_found)
{
	trawl_phonelib_number_t n;
	const char *s = "+49 30";
	cr_expect_neq(trawl_phonelib__parse(&n, s, strlen(s), NULL), TRAWL_OK);
	s = "+1 011 555 0123";
	cr_expect_eq(trawl_phonelib__parse(&n, s, strlen(s), NULL), TRAWL_ENOTFOUND);
	s = "hello";
	cr_expect_eq(trawl_phonelib__parse(&n, s, strlen(s), "DE"), TRAWL_EFORMAT);
	cr_expect_eq(trawl_phonelib__parse(NULL, s, strlen(s), "DE"), TRAWL_EINVAL);
}

/* What the library says of international numbers that are not valid (the
 * national number Parse() keeps: without a trunk prefix after the code
 * when the rest has a possible length) or that start with no country code
 * is said without it; a non-geographic code (+888) is still the library's
 * to answer, and so are digits after "+0". */
Test(phonelib, invalid_international_numbers_get_the_libraries_answers)
{
	trawl_phonelib_number_t n;
	const char *s = "+4903169604556";
	cr_expect_eq(trawl_phonelib__parse(&n, s, strlen(s), NULL), TRAWL_ENOTFOUND);
	cr_expect_str_eq(n.e164, "+493169604556");
	cr_expect_eq(n.country_code, 49);
	cr_expect_not(n.from_region);
	s = "+4800208429164524";
	cr_expect_eq(trawl_phonelib__parse(&n, s, strlen(s), NULL), TRAWL_ENOTFOUND);
	cr_expect_str_eq(n.e164, "+4800208429164524");
	s = "+2812345678";
	cr_expect_eq(trawl_phonelib__parse(&n, s, strlen(s), NULL), TRAWL_EFORMAT);
	s = "+019432190";
	cr_expect_eq(trawl_phonelib__parse(&n, s, strlen(s), NULL), TRAWL_EFORMAT);
	s = "+88894281838165";
	cr_assert_eq(trawl_phonelib__parse(&n, s, strlen(s), NULL), TRAWL_OK);
	cr_expect_str_eq(n.e164, "+88894281838165");
	cr_expect_eq(n.country_code, 888);
}

Test(phonelib, nanp_trunk_one_counts_as_national)
{
	trawl_phonelib_number_t n;
	const char *s = "1-201-555-0123";
	cr_assert_eq(trawl_phonelib__parse(&n, s, strlen(s), "US"), TRAWL_OK);
	cr_expect(n.from_region);
	cr_expect_str_eq(n.e164, "+12015550123");
}

Test(phonelib, placed_tells_known_areas_from_broad_patterns)
{
	bool placed = false;
	cr_assert_eq(trawl_phonelib__placed(&placed, "+49891234567"), TRAWL_OK);
	cr_expect(placed); /* Munich */
	cr_assert_eq(trawl_phonelib__placed(&placed, "+447400123456"), TRAWL_OK);
	cr_expect(placed); /* a British mobile */
	cr_assert_eq(trawl_phonelib__placed(&placed, "+497400123456"), TRAWL_OK);
	cr_expect_not(placed); /* valid by pattern, but no German area 07400 */
	cr_assert_eq(trawl_phonelib__placed(&placed, "+4930"), TRAWL_OK);
	cr_expect_not(placed);
}

Test(phonelib, country_code_of_region)
{
	cr_expect_eq(trawl_phonelib__country_code("DE"), 49);
	cr_expect_eq(trawl_phonelib__country_code("GB"), 44);
	cr_expect_eq(trawl_phonelib__country_code("XX"), 0);
	cr_expect_eq(trawl_phonelib__country_code(NULL), 0);
}

/* The shortcut past libphonenumber's ICU regular expressions (the plans of
 * the countries asked about most, matched with PCRE2) answers exactly as
 * the library does. */
Test(phone, fast_plans_agree_with_libphonenumber)
{
	char first[512];
	size_t asked = 0;
	size_t differ = trawl_phonelib__selfcheck(&asked, 200, 1, first, sizeof first);
	cr_assert_eq(differ, 0, "%zu of %zu answers differ, first: %s", differ, asked, first);
	cr_assert_gt(asked, 10000, "the shortcut answered only %zu questions", asked);
}

/* ---- the word lists are rules/phone/, not code ---------------------------- */

static char rules_copy[] = "/tmp/trawl-phone-rules-XXXXXX";

/* A copy of rules/ whose hotwords.txt also holds Czech "zavolej*" ("call"):
 * the lexicon is read once per process, and Criterion runs each test in
 * its own, so TRAWL_RULES_DIR set here is what it reads. */
static void
setup_rules_copy(void)
{
	cr_assert_not_null(mkdtemp(rules_copy));
	const char *src = getenv("TRAWL_SRC") ? getenv("TRAWL_SRC") : ".";
	char cmd[8192];
	snprintf(cmd, sizeof cmd, "cp -r '%s/rules/.' '%s/' && echo 'zavolej*' >> '%s/phone/hotwords.txt'", src,
	         rules_copy, rules_copy);
	cr_assert_eq(system(cmd), 0);
	setenv("TRAWL_RULES_DIR", rules_copy, 1);
	setup();
}

static void
teardown_rules_copy(void)
{
	teardown();
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", rules_copy);
	cr_assert_eq(system(cmd), 0);
}

Test(phone_rules, a_hot_word_added_to_rules_phone_announces_a_number, .init = setup_rules_copy,
     .fini = teardown_rules_copy)
{
	const char *s = "Zavolejte mi: 0301234567";
	run(s);
	assert_phone(s, "+49301234567");
	cr_expect_str_eq(phone("+49301234567")->rule, "phone.hotword");
	run("Die Zahl 0301234567 steht hier.");
	cr_expect_eq(phones(), 0);
}

Test(phone_rules, a_missing_list_stops_detection_with_a_rules_error, .init = setup_rules_copy,
     .fini = teardown_rules_copy)
{
	/* the set was made in setup; a fresh process reads the lists anew */
	char cmd[8192];
	snprintf(cmd, sizeof cmd,
	         "rm '%s/phone/not-phone.txt' && echo 'Tel. 0301234567' | TRAWL_RULES_DIR='%s' '%s' detect - "
	         ">/dev/null 2>'%s/err'; echo $? > '%s/rc'",
	         rules_copy, rules_copy, getenv("TRAWL_BIN") ? getenv("TRAWL_BIN") : "build/trawl", rules_copy,
	         rules_copy);
	cr_assert_eq(system(cmd), 0);
	char path[4200], buf[512] = "";
	snprintf(path, sizeof path, "%s/rc", rules_copy);
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(buf, sizeof buf, f));
	fclose(f);
	cr_expect_neq(atoi(buf), 0, "detect went on without rules/phone/not-phone.txt");
	snprintf(path, sizeof path, "%s/err", rules_copy);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	cr_expect(strstr(buf, "not-phone.txt"), "the message does not name the file: %s", buf);
}
