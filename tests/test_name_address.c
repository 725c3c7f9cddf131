/* Unit tests of the name and address detectors and their word lists.
 * Every person, street and company here is made up; towns and postcodes are
 * real places' formats.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "detectors/detector.h"
#include "detectors/wordlist.h"
#include "trawl/detect.h"

extern const trawl_detector_t trawl_detector_name;
extern const trawl_detector_t trawl_detector_address;

static trawl_findings_t found;

/* The built-in lists of the source tree, wherever the tests run from. */
static void
setup(void)
{
	const char *src = getenv("TRAWL_SRC");
	if (src && !getenv("TRAWL_RULES_DIR")) {
		char buf[4096];
		snprintf(buf, sizeof buf, "%s/rules", src);
		setenv("TRAWL_RULES_DIR", buf, 1);
	}
	trawl_findings_init(&found);
}

static void
teardown(void)
{
	trawl_findings_clear(&found);
}

/* Runs both detectors over s as a body part, with what the message's
 * headers revealed (may be NULL), and keeps what passes the default
 * confidence threshold. */
static void
run_with(const char *s, const trawl_findings_t *message)
{
	trawl_findings_clear(&found);
	trawl_text_t t = {
		.text = s,
		.len = strlen(s),
		.where = TRAWL_WHERE_BODY,
		.part = "1",
		.message = message,
	};
	cr_assert_eq(trawl_detector_name.scan(NULL, &found, &t), TRAWL_OK);
	cr_assert_eq(trawl_detector_address.scan(NULL, &found, &t), TRAWL_OK);
	trawl_findings_finish(NULL, &found);
}

static void
run(const char *s)
{
	run_with(s, NULL);
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

static void
dump(void)
{
	for (size_t i = 0; i < found.len; i++)
		fprintf(stderr, "  %s [%s] %s %.2f %s\n", trawl_type_name(found.items[i].type), found.items[i].value,
		        found.items[i].norm, found.items[i].confidence, found.items[i].rule);
}

#define NAME(s) find(TRAWL_TYPE_NAME, s)
#define ADDR(s) find(TRAWL_TYPE_ADDRESS, s)

#define EXPECT_NAME(text, norm)                                         \
	do {                                                            \
		run(text);                                              \
		if (!NAME(norm))                                        \
			dump();                                         \
		cr_expect(NAME(norm) != NULL, "%s: no name %s", text, norm); \
	} while (0)

#define EXPECT_NO_NAME(text)                                            \
	do {                                                            \
		run(text);                                              \
		if (count(TRAWL_TYPE_NAME))                             \
			dump();                                         \
		cr_expect_eq(count(TRAWL_TYPE_NAME), 0, "%s: a name found", text); \
	} while (0)

#define EXPECT_ADDR(text, norm)                                          \
	do {                                                             \
		run(text);                                               \
		if (!ADDR(norm))                                         \
			dump();                                          \
		cr_expect(ADDR(norm) != NULL, "%s: no address %s", text, norm); \
	} while (0)

#define EXPECT_NO_ADDR(text)                                            \
	do {                                                            \
		run(text);                                              \
		if (count(TRAWL_TYPE_ADDRESS))                          \
			dump();                                         \
		cr_expect_eq(count(TRAWL_TYPE_ADDRESS), 0, "%s: an address found", text); \
	} while (0)

TestSuite(wordlist, .init = setup, .fini = teardown);
TestSuite(name, .init = setup, .fini = teardown);
TestSuite(address, .init = setup, .fini = teardown);

/* ---- word lists ---- */

Test(wordlist, builtin_lists_load_and_hold_given_names_of_several_countries)
{
	const char *err = NULL;
	const trawl_lexicon_t *lx = trawl_detect__lexicon(&err);
	cr_assert_not_null(lx, "%s", err ? err : "");
	cr_expect(trawl_wordlist__has(&lx->given, "Erika", 5));
	cr_expect(trawl_wordlist__has(&lx->given, "JOHN", 4));
	cr_expect(trawl_wordlist__has(&lx->given, "Mehmet", 6));
	cr_expect(trawl_wordlist__has(&lx->surnames, "smith", 5));
	cr_expect(!trawl_wordlist__has(&lx->given, "gmbh", 4));
	cr_expect(trawl_wordlist__get(&lx->columns, "Nachname", 8) == TRAWL_COL_FAMILY);
	cr_expect(trawl_wordlist__has(&lx->closings, "mit freundlichen grüßen", strlen("mit freundlichen grüßen")));
}

static int
column_kind_for_test(const char *w)
{
	return strcmp(w, "full") == 0 ? 1 : 0;
}

Test(wordlist, malformed_list_is_reported_with_file_and_line)
{
	char path[] = "/tmp/trawl-wl-XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("# a comment\nname full\nvorname\n", f);
	fclose(f);
	trawl_wordlist_t wl = {0};
	char *err = NULL;
	cr_expect_eq(trawl_wordlist__load(&wl, path, NULL, &err), TRAWL_OK);
	cr_expect(trawl_wordlist__has(&wl, "Name Full", 9));
	trawl_wordlist__free(&wl);
	/* with kinds: "vorname" has none */
	cr_expect_neq(trawl_wordlist__load(&wl, path, column_kind_for_test, &err), TRAWL_OK);
	cr_assert_not_null(err);
	char want[64];
	snprintf(want, sizeof want, "%s:3:", path);
	cr_expect(strncmp(err, want, strlen(want)) == 0, "error was: %s", err);
	free(err);
	trawl_wordlist__free(&wl);
	unlink(path);
}

Test(wordlist, tokens_keep_hyphens_apostrophes_and_house_number_ranges_inside)
{
	trawl_toks_t tk = {0};
	const char *s = "O'Brien, Otto-Hahn-Str. 12-14 Zürich";
	cr_assert_eq(trawl_detect__tokenize(&tk, s, strlen(s)), TRAWL_OK);
	cr_assert_eq(tk.n, 4);
	cr_expect_eq(tk.v[0].end - tk.v[0].start, 7);
	cr_expect(tk.v[1].gap & TRAWL_GAP_COMMA);
	cr_expect(tk.v[1].flags & TRAWL_TOK_DOT);
	cr_expect(tk.v[2].flags & TRAWL_TOK_LEAD_DIGIT);
	cr_expect(tk.v[3].flags & TRAWL_TOK_CAP);
	trawl_toks_free(&tk);
}

Test(wordlist, tokens_know_the_first_token_of_their_line)
{
	trawl_toks_t tk = {0};
	const char *s = "Erika Mustermann\nAhornweg 70\n\n  10115 Berlin, Germany";
	cr_assert_eq(trawl_detect__tokenize(&tk, s, strlen(s)), TRAWL_OK);
	cr_assert_eq(tk.n, 7);
	static const uint32_t want[] = { 0, 0, 2, 2, 4, 4, 4 };
	for (size_t i = 0; i < tk.n; i++)
		cr_expect_eq(tk.line_first[i], want[i], "token %zu", i);
	trawl_toks_free(&tk);
}

/* Display names of ASCII take a path of their own in trawl_norm_name();
 * these answers are those of the general path. */
Test(wordlist, ascii_display_names_normalised_as_any_other)
{
	struct {
		const char *in, *out;
	} v[] = {
		{ "Mustermann, Erika (Sales)", "erika mustermann" },
		{ "[ext] Erika Mustermann", "erika mustermann" },
		{ "Prof. Dr. Erika Mustermann", "erika mustermann" },
		{ "Erika Mustermann - Vertrieb", "erika mustermann" },
		{ "Mustermann, Erika, Extra", "mustermann erika extra" },
		{ "-- Erika", "erika" },
		{ "Dr.", "dr" },
		{ "Erika-Maria Muster", "erika-maria muster" },
		{ "  ,Erika", "erika" },
		{ "MR SMITH", "smith" },
		{ "\"Mustermann, Erika\" (via List)", "erika mustermann" },
		{ "Erika (Mustermann", "erika" },
		{ "Ms. -", "ms" },
	};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		char *n = trawl_norm_name(v[i].in, strlen(v[i].in));
		cr_assert_not_null(n, "%s", v[i].in);
		cr_expect_str_eq(n, v[i].out, "%s", v[i].in);
		free(n);
	}
	/* longer than the stack buffers */
	char big[700] = "";
	for (int i = 0; i < 60; i++)
		strcat(big, "Abcdefghij ");
	strcat(big, ", Zed");
	char *n = trawl_norm_name(big, strlen(big));
	cr_assert_not_null(n);
	cr_expect_eq(strlen(n), 663);
	cr_expect(strncmp(n, "zed abcdefghij abcdefghij", 25) == 0, "%.30s", n);
	free(n);
}

/* ---- names: English ---- */

Test(name, english_salutation_with_full_name)
{
	EXPECT_NAME("Dear Margaret Thornbury,\n\nthanks for the files.", "margaret thornbury");
	EXPECT_NAME("Hello Dr. Kevin Ashworth!\nHow are you?", "kevin ashworth");
}

Test(name, english_signature_after_closing)
{
	EXPECT_NAME("See attached.\n\nBest regards,\nOliver Pennington\n", "oliver pennington");
	EXPECT_NAME("Thanks!\n\nCheers\n\nZoltan Quibbleworth", "zoltan quibbleworth");
}

Test(name, signature_line_of_a_name_not_in_any_list)
{
	/* neither word is in the statistics: the closing line is the evidence */
	EXPECT_NAME("Kind regards,\nXandrine Vollmerhausen\n", "xandrine vollmerhausen");
}

Test(name, last_comma_first_is_turned_round)
{
	EXPECT_NAME("Participants:\nThornbury, Margaret\n", "margaret thornbury");
	EXPECT_NAME("Name: Kowalski, Jan", "jan kowalski");
}

Test(name, account_holder_label)
{
	EXPECT_NAME("Refund to IBAN DE12 (account holder Ximena Quarrington).", "ximena quarrington");
}

Test(name, names_in_running_text_from_given_name_statistics)
{
	EXPECT_NAME("Please call Jennifer Holloway on Monday about the order.", "jennifer holloway");
	EXPECT_NAME("The device was registered to Mehmet Yilmaz yesterday.", "mehmet yilmaz");
}

Test(name, capitals_are_names_too)
{
	EXPECT_NAME("PASSENGER: JOHN SMITH\nSEAT 12A", "john smith");
}

Test(name, particles_apostrophes_and_mc)
{
	EXPECT_NAME("Dear Ludwig van Beethoven,", "ludwig van beethoven");
	EXPECT_NAME("We met Ursula von der Leyen in Brussels.", "ursula von der leyen");
	EXPECT_NAME("Regards,\nSean O'Brien", "sean o'brien");
	EXPECT_NAME("Please ask Fiona McAllister for the keys.", "fiona mcallister");
	EXPECT_NAME("Saludos,\nMaría de la Cruz", "maría de la cruz");
}

Test(name, hyphenated_surnames_and_given_names)
{
	EXPECT_NAME("Card on file for Lucile Grant-Hessel: expired.", "lucile grant-hessel");
	EXPECT_NAME("Mit freundlichen Grüßen\nHans-Peter Müller", "hans-peter müller");
}

Test(name, csv_column_headed_name)
{
	EXPECT_NAME("id,name,email\n1,Quentin Abernathy-Loos,q@example.org\n", "quentin abernathy-loos");
}

Test(name, csv_given_and_family_columns_are_joined)
{
	run("Vorname;Nachname;Ort\nErika;Mustermann;Köln\nXaver;Quirrenbach;Bonn\n");
	cr_expect(NAME("erika mustermann") != NULL);
	cr_expect(NAME("xaver quirrenbach") != NULL);
}

Test(name, html_table_cells_joined_by_tabs)
{
	EXPECT_NAME("Name\tE-Mail\tTelefon\nWendelin Strobelmeier\tw@example.de\t0221 1234\n", "wendelin strobelmeier");
}

Test(name, header_names_recur_in_the_body_in_either_order)
{
	trawl_findings_t msg = {0};
	trawl_text_t h = { .text = "Zuzanna Przybyszewska", .len = 21, .where = TRAWL_WHERE_HEADER, .part = "header:From" };
	cr_assert_eq(trawl_detect__emit(&msg, &h, TRAWL_TYPE_NAME, 0, h.len, "zuzanna przybyszewska", 0.9, "name.header"), TRAWL_OK);
	run_with("Hi all,\nas PRZYBYSZEWSKA, ZUZANNA wrote, Zuzanna Przybyszewska agrees.", &msg);
	size_t n = 0;
	for (size_t i = 0; i < found.len; i++)
		if (found.items[i].type == TRAWL_TYPE_NAME && strcmp(found.items[i].norm, "zuzanna przybyszewska") == 0) {
			cr_expect_str_eq(found.items[i].rule, "name.header-recurring");
			n++;
		}
	cr_expect_eq(n, 2);
	trawl_findings_clear(&msg);
}

Test(name, email_local_part_supports_a_name)
{
	trawl_findings_t msg = {0};
	trawl_text_t h = { .text = "x", .len = 1, .where = TRAWL_WHERE_HEADER, .part = "header:From" };
	cr_assert_eq(trawl_detect__emit(&msg, &h, TRAWL_TYPE_EMAIL, 0, 1, "quillon.barraclough@example.org", 0.99,
	                                "email.header"), TRAWL_OK);
	run_with("I forwarded it to Quillon Barraclough today.", &msg);
	cr_expect(NAME("quillon barraclough") != NULL);
	trawl_findings_clear(&msg);
}

/* ---- names: German ---- */

Test(name, german_salutations)
{
	EXPECT_NAME("Sehr geehrte Frau Dr. Erika Mustermann,\n", "erika mustermann");
	EXPECT_NAME("Sehr geehrter Herr Klaus Wendeburg,\n", "klaus wendeburg");
	EXPECT_NAME("Liebe Annegret Schwarzkopf,\nwie geht's?", "annegret schwarzkopf");
}

Test(name, german_signatures)
{
	EXPECT_NAME("Danke.\n\nViele Grüße\nJörg Obermeier\nTel. 030 1234", "jörg obermeier");
	EXPECT_NAME("Mit freundlichen Grüßen\n\ni.A.\nSabine Krawinkel", "sabine krawinkel");
}

Test(name, german_labels)
{
	EXPECT_NAME("Kontoinhaber: Gisbert Lautenschläger\nIBAN: DE89", "gisbert lautenschläger");
	EXPECT_NAME("Überweisung auf das Konto (Inhaber: Markus Komoll).", "markus komoll");
}

Test(name, weekday_as_surname_after_a_clear_given_name)
{
	EXPECT_NAME("Bitte rufen Sie Semih Sonnabend zurück.", "semih sonnabend");
}

/* ---- names: other languages, titles, quoted headers ---- */

Test(name, salutations_and_signatures_in_other_languages)
{
	EXPECT_NAME("Bonjour Camille Durand,\nvoici les documents.", "camille durand");
	EXPECT_NAME("Cordialement,\nGaëlle Lefèvre", "gaëlle lefèvre");
	EXPECT_NAME("Ciao Giulia Bianchi,\ncome stai?", "giulia bianchi");
	EXPECT_NAME("Un saludo,\nIñigo Etxeberria", "iñigo etxeberria");
	EXPECT_NAME("Met vriendelijke groet,\nJeroen van den Berg", "jeroen van den berg");
	EXPECT_NAME("Szanowny Panie Krzysztof Nowak,\n", "krzysztof nowak");
	EXPECT_NAME("Pozdrawiam,\nMałgorzata Wiśniewska", "małgorzata wiśniewska");
}

Test(name, accented_spelling_of_a_listed_given_name)
{
	EXPECT_NAME("La tarjeta de Mónica Fernández caduca.", "mónica fernández");
}

Test(name, title_before_a_name)
{
	EXPECT_NAME("Frau Xenia Quirrenbach hat angerufen.", "xenia quirrenbach");
	EXPECT_NAME("Please ask Mrs. Wilhelmina Featherstonehaugh.", "wilhelmina featherstonehaugh");
}

Test(name, header_lines_quoted_in_a_body)
{
	EXPECT_NAME("-----Original Message-----\nFrom: Xaver Quirrenbach <xq@example.com>\nSent: Monday", "xaver quirrenbach");
	EXPECT_NO_NAME("Welcome to New York, says Apple Inc.");
}

/* ---- not names ---- */

Test(name, single_given_names_are_not_reported)
{
	EXPECT_NO_NAME("Hallo Nancy,\nbis morgen.");
	EXPECT_NO_NAME("Dear Ms. Torp,\nplease see below.");
}

Test(name, weekdays_and_months_are_not_names)
{
	EXPECT_NO_NAME("See you on Monday Morning at the office.");
	EXPECT_NO_NAME("Der Termin ist am Freitag, 12. Mai.");
	EXPECT_NO_NAME("Project Hermes kicks off in London next June.");
}

Test(name, companies_are_not_names)
{
	EXPECT_NO_NAME("Die Rechnung kommt von Schmidt GmbH.");
	EXPECT_NO_NAME("Contact Baker & Sons Ltd for details.");
	EXPECT_NO_NAME("Our supplier is Jordan Brothers Inc.");
}

/* Spain and Portugal give two surnames; the lists (US census and Social
 * Security, in ASCII) hold "sanchez" and "jose", the mail "Sánchez" and
 * "José". */
Test(name, two_surnames_and_accents_the_lists_do_not_write)
{
	EXPECT_NAME("Contacto: María José Martín Sánchez", "maría josé martín sánchez");
	EXPECT_NAME("Titular de la cuenta: Ana Isabel García López", "ana isabel garcía lópez");
	EXPECT_NAME("Contacto: Maria Jose Martin Sanchez", "maria jose martin sanchez");
}

/* A relation or role word before a name in no list ("my husband ..."),
 * in the languages of rules/names/labels.txt. */
Test(name, after_a_relation_word)
{
	EXPECT_NAME("Please add my husband Oluwaseun Adeyemi to the policy.", "oluwaseun adeyemi");
	EXPECT_NAME("Mi hermana Itziar Etxeberria llamará mañana.", "itziar etxeberria");
	EXPECT_NO_NAME("Our partner Acme Solutions will deliver.");
}

Test(name, products_and_places_are_not_names)
{
	EXPECT_NO_NAME("Following up on Ergonomic Bamboo Computer, the team agreed.");
	EXPECT_NO_NAME("Flights from New York to Berlin Hamburg are booked.");
	EXPECT_NO_NAME("Die Abteilung Computers übernimmt.");
}

Test(name, greetings_and_sentence_initial_words_are_not_names)
{
	EXPECT_NO_NAME("Hello World!\nBitte Prüfen Sie die Zahlen.");
	EXPECT_NO_NAME("Dear Valued Customer,\nThank you.");
	EXPECT_NO_NAME("Best Regards\nThe Support Team");
	EXPECT_NO_NAME("Will Send the report tomorrow.");
}

Test(name, acronyms_brands_place_prefixes_and_header_words_are_not_names)
{
	EXPECT_NO_NAME("Please accept the EULA Online before you start.");
	EXPECT_NO_NAME("Call DE FreePhone today.");
	EXPECT_NO_NAME("Our office in San Diego is closed.");
	EXPECT_NO_NAME("Bitte Vorname Nachname eintragen.");
	EXPECT_NO_NAME("He switched from America Online years ago.");
}

Test(name, streets_and_towns_are_not_names)
{
	EXPECT_NO_NAME("Ship to 229 Jennifer Park, Lowe Hill CF79 1ZZ.");
	EXPECT_NO_NAME("Lake Bridie, MN 35680");
	EXPECT_NO_NAME("Dirección: Calle Mayor, 5, 28013 Madrid");
	EXPECT_NO_NAME("Adresse : 8 avenue Jean Jaurès, 69007 Lyon");
	EXPECT_NO_NAME("Adresse : 3 bis rue Victor Hugo, 75016 Paris");
}

/* ---- addresses, country by country: one line and several ---- */

static void
expect_both_ways(const char *street, const char *town, const char *norm)
{
	char buf[512];
	snprintf(buf, sizeof buf, "Die neue Anschrift lautet: %s, %s. Danke!", street, town);
	EXPECT_ADDR(buf, norm);
	snprintf(buf, sizeof buf, "Mit freundlichen Grüßen\nErika Mustermann\n%s\n%s\n", street, town);
	EXPECT_ADDR(buf, norm);
}

Test(address, germany)
{
	expect_both_ways("Heidestraße 17", "51147 Köln", "heidestraße 17 51147 köln");
	expect_both_ways("Otto-Hahn-Str. 144a", "41333 Neuss", "otto-hahn-str. 144a 41333 neuss");
	expect_both_ways("Am Frankenberg 108", "03010 Cottbus", "am frankenberg 108 03010 cottbus");
	expect_both_ways("Auf dem Weiherhahn 28", "95530 Frankfurt am Main", "auf dem weiherhahn 28 95530 frankfurt am main");
}

Test(address, austria_and_switzerland)
{
	expect_both_ways("Stephansplatz 1", "1010 Wien", "stephansplatz 1 1010 wien");
	expect_both_ways("Bahnhofstrasse 12", "8001 Zürich", "bahnhofstrasse 12 8001 zürich");
	EXPECT_ADDR("Lindengasse 5, A-1070 Wien", "lindengasse 5 a-1070 wien");
}

Test(address, united_kingdom)
{
	expect_both_ways("221B Baker Street", "London NW1 6XE", "221b baker street london nw1 6xe");
	EXPECT_ADDR("Flat 3, 12 High St, Oxford OX1 4AB", "12 high st oxford ox1 4ab");
	EXPECT_ADDR("10 Downing Street\nLondon\nSW1A 2AA", "10 downing street london sw1a 2aa");
}

Test(address, united_states)
{
	expect_both_ways("1600 Pennsylvania Avenue NW", "Washington, DC 20500",
	                 "1600 pennsylvania avenue nw washington dc 20500");
	EXPECT_ADDR("Her new address is 7802 W South Street Apt. 4, East Alethatown, NC 32045-1234.",
	            "7802 w south street apt. 4 east alethatown nc 32045-1234");
	EXPECT_ADDR("PO Box 123, Springfield, IL 62704", "po box 123 springfield il 62704");
}

Test(address, france_italy_spain)
{
	expect_both_ways("12 rue de la Paix", "75002 Paris", "12 rue de la paix 75002 paris");
	EXPECT_ADDR("Adresse : 12, rue de la Paix, 75002 Paris", "12 rue de la paix 75002 paris");
	expect_both_ways("Via Roma 12", "00184 Roma (RM)", "via roma 12 00184 roma (rm)");
	expect_both_ways("Calle Mayor 5", "28013 Madrid", "calle mayor 5 28013 madrid");
	EXPECT_ADDR("Dirección: Calle Mayor, 5, 28013 Madrid", "calle mayor 5 28013 madrid");
}

/* A floor and door between the street and the town, as Spain, France,
 * Germany and Britain write them. */
Test(address, floor_and_door_between_street_and_town)
{
	EXPECT_ADDR("Dirección: Calle de Alcalá 45, 3º B, 28014 Madrid", "calle de alcalá 45 3º b 28014 madrid");
	EXPECT_ADDR("Contacto: María, calle Mayor 5, 2º izq., 28013 Madrid", "calle mayor 5 2º izq. 28013 madrid");
	EXPECT_ADDR("Neue Anschrift: Hauptstraße 5, 3. OG, 10115 Berlin", "hauptstraße 5 3. og 10115 berlin");
	EXPECT_ADDR("Nouvelle adresse : 12 rue des Lilas, 3e étage, 69003 Lyon",
	            "12 rue des lilas 3e étage 69003 lyon");
	EXPECT_ADDR("New address: 22 Kingsley Road, 2nd floor, Manchester M14 6QT",
	            "22 kingsley road 2nd floor manchester m14 6qt");
	/* an ordinal street name is a street, not a floor */
	EXPECT_ADDR("Ship to 350 5th Ave, New York, NY 10118", "350 5th ave new york ny 10118");
	EXPECT_NO_ADDR("Wir treffen uns am 3. Mai, 10115 Berlin ist schön.");
}

/* House numbers and separators of other countries: "3 bis", "123-A",
 * " - " before the postcode, Portugal's "1234-567". */
Test(address, house_number_forms_and_separators_of_other_countries)
{
	EXPECT_ADDR("Sede: Piazza del Duomo, 1 - 50122 Firenze (FI)", "piazza del duomo 1 - 50122 firenze (fi)");
	EXPECT_ADDR("Adresse : 3 bis rue Victor Hugo, 75016 Paris", "3 bis rue victor hugo 75016 paris");
	EXPECT_ADDR("Adres: Keizersgracht 123-A, 1015 CJ Amsterdam", "keizersgracht 123-a 1015 cj amsterdam");
	EXPECT_ADDR("Morada: Rua Augusta 100, 1100-053 Lisboa", "rua augusta 100 1100-053 lisboa");
	EXPECT_ADDR("Dirección: Av. Diagonal 640, 6ª planta, 08017 Barcelona",
	            "av. diagonal 640 6ª planta 08017 barcelona");
	EXPECT_NO_ADDR("Seite 12 - 12345 Exemplare wurden gedruckt.");
	EXPECT_NO_ADDR("Artikel 123-A kostet 5 EUR, 1100-053 Stück.");
	EXPECT_NO_ADDR("Termin 2 bis 3 Uhr, Raum 4 ter Stock.");
}

/* A street word that comes before the name starts the street; one that
 * ends it does not cut what stands before. */
Test(address, street_word_before_the_name_starts_the_street)
{
	EXPECT_ADDR("Vive en Avenida de la Constitución 12, 41001 Sevilla.",
	            "avenida de la constitución 12 41001 sevilla");
	expect_both_ways("Auf dem Markt 5", "24103 Kiel", "auf dem markt 5 24103 kiel");
}

Test(address, netherlands_and_poland)
{
	expect_both_ways("Damrak 1", "1012 LG Amsterdam", "damrak 1 1012 lg amsterdam");
	expect_both_ways("ul. Marszałkowska 10/12", "00-590 Warszawa", "ul. marszałkowska 10/12 00-590 warszawa");
}

Test(address, csv_cells_street_then_postcode_and_town)
{
	run("name,street,postcode_city,country\nX Y,Lerchengasse 49,10929 Berlin,DE\nA B,7139 Barry Corner,\"Fort Kobestead, NC 40776\",US\n");
	cr_expect(ADDR("lerchengasse 49 10929 berlin") != NULL);
	cr_expect(ADDR("7139 barry corner fort kobestead nc 40776") != NULL);
}

Test(address, care_of_and_post_office_box)
{
	EXPECT_ADDR("c/o Müller GmbH\nHauptstr. 5\n80331 München", "c/o müller gmbh hauptstr. 5 80331 münchen");
	EXPECT_ADDR("Postfach 10 20 30, 50667 Köln", "postfach 10 20 30 50667 köln");
}

Test(address, street_after_hotword_without_postcode)
{
	run("He lives at 10 Downing Street.");
	const trawl_finding_t *f = ADDR("10 downing street");
	cr_expect(f != NULL);
	cr_expect(f && f->confidence < 0.8);
}

Test(address, confidence_grows_with_evidence)
{
	run("Hauptstraße 5, 10115 Berlin");
	const trawl_finding_t *plain = ADDR("hauptstraße 5 10115 berlin");
	cr_assert_not_null(plain);
	double c1 = plain->confidence;
	run("Anschrift: Hauptstraße 5, 10115 Berlin");
	const trawl_finding_t *hot = ADDR("hauptstraße 5 10115 berlin");
	cr_assert_not_null(hot);
	cr_expect_gt(hot->confidence, c1);
}

Test(address, value_and_offsets_are_the_text_as_it_stands)
{
	const char *s = "Wohnt: Ahornweg 70,\n07226 Süd Summerdorf\n";
	run(s);
	const trawl_finding_t *f = ADDR("ahornweg 70 07226 süd summerdorf");
	cr_assert_not_null(f);
	cr_expect_str_eq(f->value, "Ahornweg 70,\n07226 Süd Summerdorf");
	cr_expect_eq(f->start, 7);
	cr_expect_eq(f->end, strlen(s) - 1);
}

/* ---- not addresses ---- */

Test(address, prices_dates_and_numbers_in_sentences_are_not_addresses)
{
	EXPECT_NO_ADDR("Total: EUR 5.058,55 incl. VAT 14%.");
	EXPECT_NO_ADDR("Das Budget beträgt 35.623,96 EUR.");
	EXPECT_NO_ADDR("The batch ran on 2025-09-14 at 20:28:56.");
	EXPECT_NO_ADDR("Am 12. März 2024 treffen wir uns in Berlin.");
	EXPECT_NO_ADDR("We shipped 12 boxes in 2023 Berlin was great.");
	EXPECT_NO_ADDR("Version 5, 2024 Release Notes");
	EXPECT_NO_ADDR("Seite 12, 12345 Exemplare wurden gedruckt.");
	EXPECT_NO_ADDR("Kundennummer 732905439, Rechnung 2024/36990.");
	EXPECT_NO_ADDR("Meet me at Gate 5 tomorrow.");
}
