/* Unit tests of the detectors: email, card, iban, ip, mac, and the mailbox
 * and name normalisers. Every number and address here is made up or a
 * published example (SWIFT registry IBANs, the card schemes' test numbers,
 * the documentation ranges of RFC 5737 and RFC 3849).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>
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

/* Runs every detector over s as a text of the given header (or body). */
static void
run_header(const char *s, const char *header)
{
	trawl_findings_clear(&found);
	trawl_text_t t = {
		.text = s,
		.len = strlen(s),
		.where = header ? TRAWL_WHERE_HEADER : TRAWL_WHERE_BODY,
		.part = header ? "header:X" : "1",
		.header = header,
	};
	cr_assert_eq(trawl_detect_text(set, &found, &t), TRAWL_OK);
}

static void
run(const char *s)
{
	run_header(s, NULL);
}

static const trawl_finding_t *
find(trawl_type_t type, const char *norm)
{
	for (size_t i = 0; i < found.len; i++)
		if (found.items[i].type == type && strcmp(found.items[i].norm, norm) == 0)
			return &found.items[i];
	return NULL;
}

static size_t
count(trawl_type_t type)
{
	size_t n = 0;
	for (size_t i = 0; i < found.len; i++)
		n += found.items[i].type == type;
	return n;
}

/* The finding of type with norm exists and stands as value in the text. */
static const trawl_finding_t *
expect(const char *text, trawl_type_t type, const char *norm, const char *value)
{
	const trawl_finding_t *f = find(type, norm);
	cr_assert_not_null(f, "no %s with norm \"%s\" in \"%s\"", trawl_type_name(type), norm, text);
	cr_assert_str_eq(f->value, value);
	cr_assert_eq(f->end - f->start, strlen(value));
	cr_assert(memcmp(text + f->start, value, strlen(value)) == 0, "offsets do not point at the value");
	return f;
}

/* ------------------------------------------------------------------ email */

TestSuite(email, .init = setup, .fini = teardown);

Test(email, finds_address_and_lower_cases_norm)
{
	const char *s = "Bitte an Erika.Mustermann@Firma-Beispiel.DE schreiben.";
	run(s);
	const trawl_finding_t *f =
		expect(s, TRAWL_TYPE_EMAIL, "erika.mustermann@firma-beispiel.de", "Erika.Mustermann@Firma-Beispiel.DE");
	cr_assert_str_eq(f->rule, "email.addr");
	cr_assert_float_eq(f->confidence, 0.95, 1e-9);
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 1);
}

/* Written against harvesters: the "at" in brackets, the dots as dots or
 * as "dot"; not a time or a price with "(at)" in it. */
Test(email, spelt_out_at_and_dot)
{
	const char *s = "Kontakt: jan.kowalski(at)firma-mueller.de, Lena [AT] acme-corp [dot] com, "
	                "or max_b {at} posteo {dot} de; jo [at] lab dot uni-koeln dot de";
	run(s);
	const trawl_finding_t *f =
		expect(s, TRAWL_TYPE_EMAIL, "jan.kowalski@firma-mueller.de", "jan.kowalski(at)firma-mueller.de");
	cr_assert_str_eq(f->rule, "email.spelt-out");
	expect(s, TRAWL_TYPE_EMAIL, "lena@acme-corp.com", "Lena [AT] acme-corp [dot] com");
	expect(s, TRAWL_TYPE_EMAIL, "max_b@posteo.de", "max_b {at} posteo {dot} de");
	expect(s, TRAWL_TYPE_EMAIL, "jo@lab.uni-koeln.de", "jo [at] lab dot uni-koeln dot de");
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 4);
	run("Meeting (at) 10.30, price [at] 5.99 EUR, see (at) home.");
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 0);
	run("(at)x.de [at] a.b (at)");
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 0);
}

Test(email, strips_trailing_dots_and_brackets)
{
	const char *s = "Mail me at jan.k@posteo.de. Or (lena_b+news@gmx.net).";
	run(s);
	expect(s, TRAWL_TYPE_EMAIL, "jan.k@posteo.de", "jan.k@posteo.de");
	expect(s, TRAWL_TYPE_EMAIL, "lena_b+news@gmx.net", "lena_b+news@gmx.net");
}

Test(email, takes_address_after_mailto_prefix)
{
	const char *s = "<a href=\"mailto:Kontakt@Tischlerei-Holz.de?subject=Hi\">schreiben</a>";
	run(s);
	expect(s, TRAWL_TYPE_EMAIL, "kontakt@tischlerei-holz.de", "Kontakt@Tischlerei-Holz.de");
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 1);
}

Test(email, finds_internationalised_address)
{
	const char *s = "Adresse: Jürgen@Müller-Bäder.de, danke";
	run(s);
	expect(s, TRAWL_TYPE_EMAIL, "jürgen@müller-bäder.de", "Jürgen@Müller-Bäder.de");
}

Test(email, finds_several_addresses_in_a_list)
{
	const char *s = "a.b@c-d.org;e.f@g-h.com, i@j.info";
	run(s);
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 3);
	expect(s, TRAWL_TYPE_EMAIL, "i@j.info", "i@j.info");
}

Test(email, skips_message_id_header)
{
	run_header("<1fszihq00w4a.1727@muddy-nephew.org>", "Message-ID");
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 0);
	run_header("<a1@mail.firma.de> <b2@mail.firma.de>", "References");
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 0);
	run_header("<c3@mail.firma.de>", "in-reply-to");
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 0);
	run_header("<d4@mail.firma.de>", "Resent-Message-Id");
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 0);
	run_header("<part1.abc@mail.firma.de>", "Content-ID");
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 0);
}

Test(email, skips_message_ids_quoted_in_a_body)
{
	const char *s = "-------- Forwarded Message --------\n"
	                "Message-ID: <x1.99@host.firma.de>\n"
	                "References: <r1@host.firma.de>\n"
	                " <r2@host.firma.de>\n"
	                "From: Bob <bob.meier@firma.de>\n";
	run(s);
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 1);
	expect(s, TRAWL_TYPE_EMAIL, "bob.meier@firma.de", "bob.meier@firma.de");
}

Test(email, reports_example_domains_with_low_confidence)
{
	const char *s = "e.g. user@example.com or info@shop.example.org or x@host.test";
	run(s);
	const trawl_finding_t *f = expect(s, TRAWL_TYPE_EMAIL, "user@example.com", "user@example.com");
	cr_assert_float_eq(f->confidence, 0.3, 1e-9);
	cr_assert_str_eq(f->rule, "email.example");
	f = expect(s, TRAWL_TYPE_EMAIL, "info@shop.example.org", "info@shop.example.org");
	cr_assert_str_eq(f->rule, "email.example");
	f = expect(s, TRAWL_TYPE_EMAIL, "x@host.test", "x@host.test");
	cr_assert_str_eq(f->rule, "email.example");
	/* a domain that merely ends in "example.com" is no reserved one */
	run("sales@myexample.com");
	cr_assert_str_eq(find(TRAWL_TYPE_EMAIL, "sales@myexample.com")->rule, "email.addr");
}

Test(email, rejects_domains_without_alphabetic_tld)
{
	run("root@localhost, admin@10.0.0.1, x@host.c, y@[192.168.1.1]");
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 0);
}

Test(email, rejects_content_id_references_and_url_logins)
{
	run("<img src=\"cid:image001.png@01D6E1F3.4B5A2C10\"> and cid:logo@mail.firma.de");
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 0);
	run("clone https://deploy@git.firma.de/repo.git or ftp://user:pw@files.firma.de/");
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 0);
}

Test(email, rejects_empty_local_part_and_handles)
{
	run("follow @erika on social media, https://medium.com/@erika.m/post, a.@b.de");
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 0);
}

Test(email, separates_address_from_key_and_query)
{
	const char *s = "smtp.mailfrom=list-bounces+erika=firma.de@lists.gnu.org; "
	                "https://x.de/unsub?email=jan@posteo.de&x=1";
	run(s);
	expect(s, TRAWL_TYPE_EMAIL, "list-bounces+erika=firma.de@lists.gnu.org",
	       "list-bounces+erika=firma.de@lists.gnu.org");
	expect(s, TRAWL_TYPE_EMAIL, "jan@posteo.de", "jan@posteo.de");
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 2);
}

Test(email, gives_machine_identifiers_low_confidence)
{
	run("ids 325993.29502.qm@web28416.mail.yahoo.com 1utaf3eftt1agbnisfcc3a5ps0@google.com "
	    "calendar-7791cb16-a4f3-43ae-a9a0-ed4003535ae7@google.com 1234567890@qq.com");
	cr_assert_str_eq(find(TRAWL_TYPE_EMAIL, "325993.29502.qm@web28416.mail.yahoo.com")->rule, "email.id");
	cr_assert_str_eq(find(TRAWL_TYPE_EMAIL, "1utaf3eftt1agbnisfcc3a5ps0@google.com")->rule, "email.id");
	cr_assert_lt(find(TRAWL_TYPE_EMAIL, "calendar-7791cb16-a4f3-43ae-a9a0-ed4003535ae7@google.com")->confidence,
	             0.5);
	/* numeric mailboxes are common (QQ): not an id */
	cr_assert_str_eq(find(TRAWL_TYPE_EMAIL, "1234567890@qq.com")->rule, "email.addr");
}

Test(email, rejects_top_level_label_of_mixed_scripts)
{
	run("Õ7ë@5täJ.ÌÇw"); /* binary junk read as Latin-1 */
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 0);
	const char *s = "почта: иван@пример.рф";
	run(s);
	expect(s, TRAWL_TYPE_EMAIL, "иван@пример.рф", "иван@пример.рф");
}

Test(email, starts_after_doubled_dots)
{
	const char *s = "see..anna@firma.de";
	run(s);
	expect(s, TRAWL_TYPE_EMAIL, "anna@firma.de", "anna@firma.de");
}

Test(email, scans_pathological_input_in_linear_time, .timeout = 5)
{
	size_t n = 2000000;
	char *s = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		s[i] = "a@a."[i % 4];
	s[n] = '\0';
	run(s);
	memset(s, 'a', n);
	s[n / 2] = '@';
	run(s);
	free(s);
}

/* ------------------------------------------------------------------- card */

TestSuite(card, .init = setup, .fini = teardown);

Test(card, finds_unseparated_visa_and_norms_digits)
{
	const char *s = "Nummer 4556737586899855 bitte";
	run(s);
	const trawl_finding_t *f = expect(s, TRAWL_TYPE_CARD, "4556737586899855", "4556737586899855");
	cr_assert_str_eq(f->rule, "card.luhn");
	cr_assert_float_eq(f->confidence, 0.9, 1e-9);
}

Test(card, raises_confidence_after_a_hotword)
{
	const char *s = "Meine Kreditkarte: 4556 7375 8689 9855, gültig bis 12/27";
	run(s);
	const trawl_finding_t *f = expect(s, TRAWL_TYPE_CARD, "4556737586899855", "4556 7375 8689 9855");
	cr_assert_float_eq(f->confidence, 0.97, 1e-9);
}

Test(card, finds_mastercard_2_series)
{
	const char *s = "MC 2221 0012 3456 7896 and 2720-1390-9960-3087";
	run(s);
	expect(s, TRAWL_TYPE_CARD, "2221001234567896", "2221 0012 3456 7896");
	expect(s, TRAWL_TYPE_CARD, "2720139099603087", "2720-1390-9960-3087");
}

Test(card, finds_amex_with_spaces)
{
	const char *s = "Amex 3752 601815 90834.";
	run(s);
	expect(s, TRAWL_TYPE_CARD, "375260181590834", "3752 601815 90834");
}

Test(card, finds_card_with_dashes)
{
	const char *s = "card=5124-6281-9482-1995;";
	run(s);
	expect(s, TRAWL_TYPE_CARD, "5124628194821995", "5124-6281-9482-1995");
}

Test(card, finds_diners_4_6_4_and_19_digit_visa)
{
	const char *s = "3601-661318-6091 / 4601895559797114711";
	run(s);
	expect(s, TRAWL_TYPE_CARD, "36016613186091", "3601-661318-6091");
	expect(s, TRAWL_TYPE_CARD, "4601895559797114711", "4601895559797114711");
}

Test(card, rejects_luhn_invalid_number)
{
	run("Reference no. 4610 5585 6286 8707 was attached. 4556737586899856");
	cr_assert_eq(count(TRAWL_TYPE_CARD), 0);
}

Test(card, rejects_digits_inside_longer_run)
{
	run("id 124556737586899855, x4556737586899855, 4556737586899855x, 4556737586899855.50");
	cr_assert_eq(count(TRAWL_TYPE_CARD), 0);
}

Test(card, rejects_digits_that_continue_an_iban)
{
	/* both IBANs hold 14 to 16 digits that pass Luhn and a brand's prefix */
	run("GB60 LOYD 6010 9633 9040 61 and DE13 2436 4557 3062 8209 07");
	cr_assert_eq(count(TRAWL_TYPE_CARD), 0);
	cr_assert_eq(count(TRAWL_TYPE_IBAN), 2);
}

Test(card, rejects_card_prefix_of_longer_grouped_number)
{
	run("4556 7375 8689 9855 1234 and 1234 4556 7375 8689 9855");
	cr_assert_eq(count(TRAWL_TYPE_CARD), 0);
}

Test(card, finds_card_between_other_numbers)
{
	const char *s = "Nr. 5 4556737586899855 12/27";
	run(s);
	expect(s, TRAWL_TYPE_CARD, "4556737586899855", "4556737586899855");
}

Test(card, rejects_inconsistent_separators_and_groupings)
{
	run("4556-7375 8689-9855 and 45567 37586 89985 5");
	cr_assert_eq(count(TRAWL_TYPE_CARD), 0);
}

Test(card, rejects_length_the_brand_does_not_issue)
{
	/* Luhn-valid, but Amex numbers have 15 digits and no brand starts with 1 */
	run("3782822463100052 and 1423667127684267");
	cr_assert_eq(count(TRAWL_TYPE_CARD), 0);
}

Test(card, marks_published_test_numbers)
{
	const char *s = "Use 4111 1111 1111 1111 or 378282246310005 in the sandbox.";
	run(s);
	const trawl_finding_t *f = expect(s, TRAWL_TYPE_CARD, "4111111111111111", "4111 1111 1111 1111");
	cr_assert_str_eq(f->rule, "card.test");
	cr_assert_float_eq(f->confidence, 0.3, 1e-9);
	cr_assert_str_eq(find(TRAWL_TYPE_CARD, "378282246310005")->rule, "card.test");
}

/* ------------------------------------------------------------------- iban */

TestSuite(iban, .init = setup, .fini = teardown);

Test(iban, finds_german_iban_with_and_without_spaces)
{
	const char *s = "IBAN: DE89 3704 0044 0532 0130 00, alt DE89370400440532013000.";
	run(s);
	cr_assert_eq(count(TRAWL_TYPE_IBAN), 2);
	const trawl_finding_t *f =
		expect(s, TRAWL_TYPE_IBAN, "DE89370400440532013000", "DE89 3704 0044 0532 0130 00");
	cr_assert_str_eq(f->rule, "iban.mod97");
	cr_assert_float_eq(f->confidence, 0.95, 1e-9);
	size_t compact = 0;
	for (size_t i = 0; i < found.len; i++)
		if (found.items[i].type == TRAWL_TYPE_IBAN && strcmp(found.items[i].value, found.items[i].norm) == 0)
			compact = found.items[i].start;
	cr_assert_eq(compact, (size_t)(strstr(s, "DE89370400440532013000") - s));
}

/* As forms and people write them: hyphens or dots between the groups,
 * lower case; the norm is the compact capitals. Separators must be one
 * kind throughout, and the code must end where the IBAN does. */
Test(iban, hyphens_dots_and_lower_case)
{
	const char *s = "IBAN de44 5001 0517 5407 3249 31; DE62-3704-0044-0532-0130-01; gb29.nwbk.6016.1331.9268.19.";
	run(s);
	cr_assert_eq(count(TRAWL_TYPE_IBAN), 3);
	expect(s, TRAWL_TYPE_IBAN, "DE44500105175407324931", "de44 5001 0517 5407 3249 31");
	expect(s, TRAWL_TYPE_IBAN, "DE62370400440532013001", "DE62-3704-0044-0532-0130-01");
	expect(s, TRAWL_TYPE_IBAN, "GB29NWBK60161331926819", "gb29.nwbk.6016.1331.9268.19");
	run("DE44-5001 0517.5407-3249-31 and DE44-5001-0517-5407-3249-31-77");
	cr_assert_eq(count(TRAWL_TYPE_IBAN), 0);
}

Test(iban, finds_british_iban_with_letters)
{
	const char *s = "GB29 NWBK 6016 1331 9268 19 and GB29NWBK60161331926819";
	run(s);
	cr_assert_eq(count(TRAWL_TYPE_IBAN), 2);
	expect(s, TRAWL_TYPE_IBAN, "GB29NWBK60161331926819", "GB29 NWBK 6016 1331 9268 19");
}

Test(iban, finds_french_iban_with_spaces_and_without)
{
	const char *s = "FR14 2004 1010 0505 0001 3M02 606 / FR1420041010050500013M02606";
	run(s);
	cr_assert_eq(count(TRAWL_TYPE_IBAN), 2);
	expect(s, TRAWL_TYPE_IBAN, "FR1420041010050500013M02606", "FR14 2004 1010 0505 0001 3M02 606");
}

Test(iban, knows_shortest_and_longest_countries)
{
	const char *s = "NO93 8601 1117 947, MT84MALT011000012345MTLCAST001S, AD1200012030200359100100, "
	                "YE15CBYE0001018861234567891234";
	run(s);
	cr_assert_eq(count(TRAWL_TYPE_IBAN), 4);
	expect(s, TRAWL_TYPE_IBAN, "NO9386011117947", "NO93 8601 1117 947");
	expect(s, TRAWL_TYPE_IBAN, "YE15CBYE0001018861234567891234", "YE15CBYE0001018861234567891234");
}

Test(iban, rejects_wrong_check_digits)
{
	run("DE88 3704 0044 0532 0130 00 and GB28NWBK60161331926819");
	cr_assert_eq(count(TRAWL_TYPE_IBAN), 0);
}

Test(iban, rejects_wrong_length)
{
	run("DE89 3704 0044 0532 0130 0 and DE89 3704 0044 0532 0130 001 and DE8937040044053201300");
	cr_assert_eq(count(TRAWL_TYPE_IBAN), 0);
}

Test(iban, rejects_lower_case_country_glued_word_and_unknown_country)
{
	run("de89370400440532013000 XDE89370400440532013000 QQ89370400440532013000");
	cr_assert_eq(count(TRAWL_TYPE_IBAN), 0);
}

Test(iban, rejects_broken_grouping)
{
	run("DE89 37040044 0532 0130 00 and DE89  3704 0044 0532 0130 00");
	cr_assert_eq(count(TRAWL_TYPE_IBAN), 0);
}

/* --------------------------------------------------------------------- ip */

TestSuite(ip, .init = setup, .fini = teardown);

Test(ip, finds_ipv4_address)
{
	const char *s = "Login from 81.107.66.116 at 10:22, then from [94.98.145.29].";
	run(s);
	const trawl_finding_t *f = expect(s, TRAWL_TYPE_IP, "81.107.66.116", "81.107.66.116");
	cr_assert_str_eq(f->rule, "ip.v4");
	cr_assert_float_eq(f->confidence, 0.9, 1e-9);
	expect(s, TRAWL_TYPE_IP, "94.98.145.29", "94.98.145.29");
	cr_assert_eq(count(TRAWL_TYPE_IP), 2);
}

Test(ip, finds_ipv4_at_end_of_sentence_and_with_port_or_prefix)
{
	const char *s = "connect to 8.8.4.4. Or 10.1.2.3:8080 or 172.20.0.0/16";
	run(s);
	expect(s, TRAWL_TYPE_IP, "8.8.4.4", "8.8.4.4");
	const trawl_finding_t *f = expect(s, TRAWL_TYPE_IP, "10.1.2.3", "10.1.2.3");
	cr_assert_float_eq(f->confidence, 0.85, 1e-9);
	expect(s, TRAWL_TYPE_IP, "172.20.0.0", "172.20.0.0");
}

Test(ip, rejects_octet_above_255)
{
	run("host 256.1.2.3 and 1.2.3.256 and 1.2.300.4");
	cr_assert_eq(count(TRAWL_TYPE_IP), 0);
}

Test(ip, rejects_leading_zero)
{
	run("01.2.3.4 and 192.168.001.1");
	cr_assert_eq(count(TRAWL_TYPE_IP), 0);
}

Test(ip, rejects_version_numbers)
{
	run("Upgraded the firmware to version 10.2.3.4 last night; v1.2.3.4; Version: 8.3.6.17; build 7.11.4.85");
	cr_assert_eq(count(TRAWL_TYPE_IP), 0);
}

Test(ip, rejects_longer_dotted_runs)
{
	run("OID 1.3.6.1.4.1.311 and 1.2.3.4.5 and x.1.2.3.4");
	cr_assert_eq(count(TRAWL_TYPE_IP), 0);
}

Test(ip, marks_documentation_and_reserved_ranges)
{
	run("192.0.2.10 127.0.0.1 0.0.0.0 255.255.255.0 203.0.113.7");
	cr_assert_str_eq(find(TRAWL_TYPE_IP, "192.0.2.10")->rule, "ip.doc");
	cr_assert_str_eq(find(TRAWL_TYPE_IP, "203.0.113.7")->rule, "ip.doc");
	cr_assert_str_eq(find(TRAWL_TYPE_IP, "127.0.0.1")->rule, "ip.reserved");
	cr_assert_str_eq(find(TRAWL_TYPE_IP, "0.0.0.0")->rule, "ip.reserved");
	cr_assert_float_eq(find(TRAWL_TYPE_IP, "255.255.255.0")->confidence, 0.3, 1e-9);
}

Test(ip, norms_full_ipv6_to_rfc5952)
{
	const char *s = "addr 2001:0db8:0000:0000:0000:ff00:0042:8329 here";
	run(s);
	const trawl_finding_t *f =
		expect(s, TRAWL_TYPE_IP, "2001:db8::ff00:42:8329", "2001:0db8:0000:0000:0000:ff00:0042:8329");
	cr_assert_str_eq(f->rule, "ip.doc");
}

Test(ip, norms_compressed_ipv6)
{
	const char *s = "from 2a01:b921:c7a:0:0:0:78e4:95a and 2607:B77C:5A::1BAE:BB86.";
	run(s);
	const trawl_finding_t *f =
		expect(s, TRAWL_TYPE_IP, "2a01:b921:c7a::78e4:95a", "2a01:b921:c7a:0:0:0:78e4:95a");
	cr_assert_str_eq(f->rule, "ip.v6");
	cr_assert_float_eq(f->confidence, 0.9, 1e-9);
	expect(s, TRAWL_TYPE_IP, "2607:b77c:5a::1bae:bb86", "2607:B77C:5A::1BAE:BB86");
	cr_assert_eq(count(TRAWL_TYPE_IP), 2);
}

Test(ip, norms_ipv6_with_embedded_ipv4)
{
	const char *s = "client ::ffff:81.107.66.116 connected";
	run(s);
	expect(s, TRAWL_TYPE_IP, "::ffff:81.107.66.116", "::ffff:81.107.66.116");
	cr_assert_eq(count(TRAWL_TYPE_IP), 1);
}

Test(ip, finds_bracketed_and_labelled_ipv6)
{
	const char *s = "http://[2a02:ee2:ad2::d3da:bf]:8080/ and from [IPv6:2a01:4f8:1c1c::5]";
	run(s);
	expect(s, TRAWL_TYPE_IP, "2a02:ee2:ad2::d3da:bf", "2a02:ee2:ad2::d3da:bf");
	expect(s, TRAWL_TYPE_IP, "2a01:4f8:1c1c::5", "2a01:4f8:1c1c::5");
}

Test(ip, leaves_zone_index_out_of_ipv6)
{
	const char *s = "ping fe80::1ff:fe23:4567:890a%eth0 now";
	run(s);
	const trawl_finding_t *f = expect(s, TRAWL_TYPE_IP, "fe80::1ff:fe23:4567:890a", "fe80::1ff:fe23:4567:890a");
	cr_assert_float_eq(f->confidence, 0.85, 1e-9);
}

Test(ip, rejects_times_mac_addresses_and_scopes_as_ipv6)
{
	run("The batch ran on 2021-03-11 at 11:48:14. MAC cc:eb:41:cc:63:01. std::vector a::b :: "
	    "12:30:45 2021-03-11T11:48:14Z");
	cr_assert_eq(count(TRAWL_TYPE_IP), 0);
}

Test(ip, rejects_invalid_ipv6)
{
	run("1:2:3:4:5:6:7:8:9 and 2001:db8:::1 and 12345::1 and gggg::1");
	cr_assert_eq(count(TRAWL_TYPE_IP), 0);
}

/* -------------------------------------------------------------------- mac */

TestSuite(mac, .init = setup, .fini = teardown);

Test(mac, finds_colon_form_and_lower_cases_norm)
{
	const char *s = "Das Gerät mit der MAC-Adresse CC:EB:41:CC:63:01 gehört Salih.";
	run(s);
	const trawl_finding_t *f = expect(s, TRAWL_TYPE_MAC, "cc:eb:41:cc:63:01", "CC:EB:41:CC:63:01");
	cr_assert_str_eq(f->rule, "mac.colon");
	cr_assert_float_eq(f->confidence, 0.9, 1e-9);
}

Test(mac, finds_dash_form)
{
	const char *s = "HW 8F-EB-c3-47-14-E2;";
	run(s);
	const trawl_finding_t *f = expect(s, TRAWL_TYPE_MAC, "8f:eb:c3:47:14:e2", "8F-EB-c3-47-14-E2");
	cr_assert_str_eq(f->rule, "mac.dash");
}

Test(mac, finds_cisco_dotted_form)
{
	const char *s = "show mac C883.4799.DC09 on Gi0/1";
	run(s);
	const trawl_finding_t *f = expect(s, TRAWL_TYPE_MAC, "c8:83:47:99:dc:09", "C883.4799.DC09");
	cr_assert_str_eq(f->rule, "mac.cisco");
}

Test(mac, finds_mac_after_a_label)
{
	const char *s = "MAC:aa:bb:cc:dd:ee:01, HWaddr=aa-bb-cc-dd-ee-02";
	run(s);
	expect(s, TRAWL_TYPE_MAC, "aa:bb:cc:dd:ee:01", "aa:bb:cc:dd:ee:01");
	expect(s, TRAWL_TYPE_MAC, "aa:bb:cc:dd:ee:02", "aa-bb-cc-dd-ee-02");
}

Test(mac, rejects_mixed_separators)
{
	run("aa:bb-cc:dd:ee:ff and aa-bb-cc-dd-ee:ff");
	cr_assert_eq(count(TRAWL_TYPE_MAC), 0);
}

Test(mac, rejects_part_of_longer_hex_run)
{
	run("fe80::aa:bb:cc:dd:ee:ff, 1:aa:bb:cc:dd:ee:ff, aa:bb:cc:dd:ee:ff:11, "
	    "aabb.ccdd.eeff.0011, xaa:bb:cc:dd:ee:ff, aa:bb:cc:dd:ee:ffx");
	cr_assert_eq(count(TRAWL_TYPE_MAC), 0);
}

Test(mac, lowers_confidence_of_zero_and_broadcast_addresses)
{
	run("00:00:00:00:00:00 ff:ff:ff:ff:ff:ff");
	cr_assert_float_eq(find(TRAWL_TYPE_MAC, "00:00:00:00:00:00")->confidence, 0.3, 1e-9);
	cr_assert_float_eq(find(TRAWL_TYPE_MAC, "ff:ff:ff:ff:ff:ff")->confidence, 0.3, 1e-9);
}

/* --------------------------------------------------- mailbox and normalisers */

TestSuite(mailbox, .init = setup, .fini = teardown);

static void
mailbox(const char *header_value, const char *name, const char *addr)
{
	trawl_findings_clear(&found);
	trawl_text_t t = {
		.text = header_value,
		.len = strlen(header_value),
		.where = TRAWL_WHERE_HEADER,
		.part = "header:From",
		.header = "From",
	};
	cr_assert_eq(trawl_detect_mailbox(set, &found, &t, name, addr), TRAWL_OK);
}

Test(mailbox, emits_address_and_display_name)
{
	const char *s = "\"Erika Mustermann\" <Erika.Mustermann@Firma.de>";
	mailbox(s, "Erika Mustermann", "Erika.Mustermann@Firma.de");
	const trawl_finding_t *e =
		expect(s, TRAWL_TYPE_EMAIL, "erika.mustermann@firma.de", "Erika.Mustermann@Firma.de");
	cr_assert_str_eq(e->rule, "email.header");
	cr_assert_float_eq(e->confidence, 0.99, 1e-9);
	cr_assert_eq(e->where, TRAWL_WHERE_HEADER);
	cr_assert_str_eq(e->part, "header:From");
	const trawl_finding_t *n = expect(s, TRAWL_TYPE_NAME, "erika mustermann", "Erika Mustermann");
	cr_assert_str_eq(n->rule, "name.header");
	cr_assert_float_eq(n->confidence, 0.9, 1e-9);
}

Test(mailbox, turns_last_comma_first_round)
{
	const char *s = "\"Mustermann, Erika\" <em@firma.de>";
	mailbox(s, "Mustermann, Erika", "em@firma.de");
	expect(s, TRAWL_TYPE_NAME, "erika mustermann", "Mustermann, Erika");
}

Test(mailbox, drops_display_names_that_are_no_person)
{
	mailbox("erika.mustermann@firma.de <erika.mustermann@firma.de>", "erika.mustermann@firma.de",
	        "erika.mustermann@firma.de");
	cr_assert_eq(count(TRAWL_TYPE_NAME), 0);
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 1);
	mailbox("erika.mustermann <erika.mustermann@firma.de>", "erika.mustermann", "erika.mustermann@firma.de");
	cr_assert_eq(count(TRAWL_TYPE_NAME), 0);
	mailbox("\"Team 42\" <t@firma.de>", "Team 42", "t@firma.de");
	cr_assert_eq(count(TRAWL_TYPE_NAME), 0);
	mailbox("\"Kundenservice Firma\" <k@firma.de>", "Kundenservice Firma", "k@firma.de");
	cr_assert_eq(count(TRAWL_TYPE_NAME), 0);
	mailbox("\"\" <k@firma.de>", "\"\"", "k@firma.de");
	cr_assert_eq(count(TRAWL_TYPE_NAME), 0);
	mailbox("<k@firma.de>", NULL, "k@firma.de");
	cr_assert_eq(count(TRAWL_TYPE_NAME), 0);
	cr_assert_eq(count(TRAWL_TYPE_EMAIL), 1);
}

Test(mailbox, keeps_value_when_text_does_not_hold_it)
{
	mailbox("=?utf-8?q?J=C3=BCrgen?= <j@firma.de>", "Jürgen Weiß", "J@FIRMA.DE");
	const trawl_finding_t *n = find(TRAWL_TYPE_NAME, "jürgen weiß");
	cr_assert_not_null(n);
	cr_assert_str_eq(n->value, "Jürgen Weiß");
	cr_assert_eq(n->start, 0);
	cr_assert_eq(n->end, 0);
	/* found ignoring case */
	const trawl_finding_t *e = find(TRAWL_TYPE_EMAIL, "j@firma.de");
	cr_assert_not_null(e);
	cr_assert_str_eq(e->value, "j@firma.de");
}

Test(norm, normalises_names)
{
	struct {
		const char *in, *out;
	} v[] = {
		{"Mustermann, Erika", "erika mustermann"},
		{"  \"Erika   Mustermann\"  ", "erika mustermann"},
		{"'Erika Mustermann'", "erika mustermann"},
		{"ÖZTÜRK, AYŞE", "ayşe öztürk"},
		{"Dr. Erika Mustermann", "erika mustermann"},
		{"Lucile Grant-Hessel (Vertrieb)", "lucile grant-hessel"},
		{"O'Brien, Seán", "seán o'brien"},
		{"Erika\tM.\nMustermann", "erika m. mustermann"},
		{"Huang, Mingway -- Mingway Huang", "mingway huang"},
		{"Diego Rappazzo \xe2\x80\x93 Vertrieb", "diego rappazzo"},
	};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		char *n = trawl_norm_name(v[i].in, strlen(v[i].in));
		cr_assert_not_null(n, "%s", v[i].in);
		cr_assert_str_eq(n, v[i].out);
		free(n);
	}
	cr_assert_null(trawl_norm_name("  \"\" ", 5));
	cr_assert_null(trawl_norm_name("", 0));
}

Test(norm, normalises_email_addresses)
{
	char *n = trawl_norm_email("Mailto:Erika@Firma.DE.", 22);
	cr_assert_str_eq(n, "erika@firma.de");
	free(n);
	n = trawl_norm_email(" <Anna@X.org> ", 14);
	cr_assert_str_eq(n, "anna@x.org");
	free(n);
	cr_assert_null(trawl_norm_email("no address", 10));
	cr_assert_null(trawl_norm_email("a@b@c.de", 8));
	cr_assert_null(trawl_norm_email("@firma.de", 9));
	cr_assert_null(trawl_norm_email("a b@firma.de", 12));
}
