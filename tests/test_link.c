/* Subject linking: the rules on records built by hand (index/link.c), what
 * an access request makes of the links in an index, `trawl subjects`, and
 * access and erase on fixtures/sample with the built binary.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* nftw */
#endif
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "index/link.h"
#include "trawl/trawl.h"
#include "util/util.h"
#include "tests/helpers.h"

/* ---- records by hand ---- */

static trawl_message_t *
msg_new(const char *location, const char *from, const char *from_name)
{
	trawl_message_t *m = calloc(1, sizeof *m);
	m->kind = TRAWL_ITEM_MESSAGE;
	m->source = strdup("link.mbox");
	m->location = strdup(location);
	char id[256];
	snprintf(id, sizeof id, "%s@test", location);
	m->message_id = strdup(id);
	m->date = strdup("2022-01-01T00:00:00Z");
	m->time = 1640995200;
	m->from = from ? strdup(from) : NULL;
	m->from_name = from_name ? strdup(from_name) : NULL;
	m->content_hash = strdup("00");
	m->size = 100;
	return m;
}

/* A finding of value at start in part; where follows from the part. */
static void
put(trawl_message_t *m, trawl_type_t type, const char *part, const char *value, const char *norm, size_t start)
{
	trawl_finding_t f = {
		.type = type,
		.where = strstr(part, "header:") ? TRAWL_WHERE_HEADER : TRAWL_WHERE_BODY,
		.part = (char *)part,
		.value = (char *)value,
		.norm = (char *)(norm ? norm : value),
		.start = start,
		.end = start + strlen(value),
		.confidence = 0.9,
		.rule = (char *)"test",
	};
	cr_assert_eq(trawl_findings_add(&m->findings, &f), TRAWL_OK);
}

/* "Name <addr>" in a header */
static void
mailbox(trawl_message_t *m, const char *header, const char *name, const char *name_norm, const char *addr)
{
	size_t at = 0;
	if (name) {
		put(m, TRAWL_TYPE_NAME, header, name, name_norm, 1);
		at = strlen(name) + 4;
	}
	put(m, TRAWL_TYPE_EMAIL, header, addr, NULL, at);
}

/* Erika's own mail to John: her signature at the end of part 1. */
static trawl_message_t *
erika_mail(const char *location)
{
	trawl_message_t *m = msg_new(location, "erika@example.net", "Erika Mustermann");
	mailbox(m, "header:From", "Erika Mustermann", "erika mustermann", "erika@example.net");
	mailbox(m, "header:To", "John Doe", "john doe", "john@example.com");
	/* "Hello John, ... Best regards\nErika Mustermann\nTel. +49 30 901820\nMusterweg 1, 10115 Berlin" */
	put(m, TRAWL_TYPE_NAME, "1", "Erika Mustermann", "erika mustermann", 300);
	put(m, TRAWL_TYPE_PHONE, "1", "+49 30 901820", "+4930901820", 322);
	put(m, TRAWL_TYPE_ADDRESS, "1", "Musterweg 1, 10115 Berlin", "musterweg 1 10115 berlin", 336);
	return m;
}

/* The links of one kind to a finding with norm, from anchor (NULL: any). */
static size_t
count_links(const trawl_links_t *l, const trawl_message_t *m, trawl_link_kind_t kind, const char *anchor,
            const char *norm)
{
	size_t n = 0;
	for (size_t i = 0; i < l->len; i++) {
		const trawl_link_t *k = &l->items[i];
		const trawl_finding_t *f = &m->findings.items[k->target];
		if (k->kind == kind && (!anchor || strcmp(k->anchor, anchor) == 0) && strcmp(f->norm, norm) == 0)
			n++;
	}
	return n;
}

static trawl_links_t
links_of(const trawl_message_t *m)
{
	trawl_links_t l = {0};
	cr_assert_eq(trawl_index__links(&l, m, true), TRAWL_OK);
	return l;
}

/* ---- the rules ---- */

Test(link, signature_phone_and_address_are_the_senders)
{
	trawl_message_t *m = erika_mail("a#1");
	trawl_links_t l = links_of(m);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_SIGNATURE, "erika@example.net", "+4930901820"), 1);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_SIGNATURE, "erika@example.net", "musterweg 1 10115 berlin"), 1);
	/* nothing of the signature is John's */
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_SIGNATURE, "john@example.com", "+4930901820"), 0);
	trawl_index__links_clear(&l);
	trawl_message_free(m);
}

Test(link, header_pair_links_each_name_to_its_address)
{
	trawl_message_t *m = erika_mail("a#1");
	trawl_links_t l = links_of(m);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_HEADER, "erika@example.net", "erika mustermann"), 1);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_HEADER, "john@example.com", "john doe"), 1);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_HEADER, "john@example.com", "erika mustermann"), 0);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_HEADER, "erika@example.net", "john doe"), 0);
	trawl_index__links_clear(&l);
	trawl_message_free(m);
}

Test(link, sender_known_only_from_the_record_still_signs)
{
	/* no finding in the From header (a PST item, say): msg->from and
	 * from_name say who sent it, "Mustermann, Erika" turned round */
	trawl_message_t *m = msg_new("a#1", "Erika@Example.NET", "Mustermann, Erika");
	put(m, TRAWL_TYPE_NAME, "1", "Erika Mustermann", "erika mustermann", 40);
	put(m, TRAWL_TYPE_PHONE, "1", "030 901820", "+4930901820", 60);
	trawl_links_t l = links_of(m);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_SIGNATURE, "erika@example.net", "+4930901820"), 1);
	trawl_index__links_clear(&l);
	trawl_message_free(m);
}

Test(link, signature_ends_at_another_persons_name)
{
	/* "Erika Mustermann\nTel ...\n\nOn Monday Gina Stief wrote:\n> ...\n> Tel ..." */
	trawl_message_t *m = erika_mail("a#1");
	put(m, TRAWL_TYPE_NAME, "1", "Gina Stief", "gina stief", 400);
	put(m, TRAWL_TYPE_PHONE, "1", "+49 40 123456", "+4940123456", 430);
	trawl_links_t l = links_of(m);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_SIGNATURE, "erika@example.net", "+4930901820"), 1);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_SIGNATURE, NULL, "+4940123456"), 0);
	trawl_index__links_clear(&l);
	trawl_message_free(m);
}

Test(link, signature_starts_at_the_last_place_the_sender_is_named)
{
	/* "I, Erika Mustermann, paid into DE89 ... (holder: Max Beispiel)" early
	 * in the text; the signature below */
	trawl_message_t *m = erika_mail("a#1");
	put(m, TRAWL_TYPE_NAME, "1", "Erika Mustermann", "erika mustermann", 10);
	put(m, TRAWL_TYPE_IBAN, "1", "DE89 3704 0044 0532 0130 00", "DE89370400440532013000", 50);
	trawl_links_t l = links_of(m);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_SIGNATURE, NULL, "DE89370400440532013000"), 0);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_SIGNATURE, "erika@example.net", "+4930901820"), 1);
	trawl_index__links_clear(&l);
	trawl_message_free(m);
}

Test(link, signature_takes_a_second_address_only_when_it_bears_the_name)
{
	trawl_message_t *m = msg_new("a#1", "mona.grun@example.net", "Mona Grün");
	mailbox(m, "header:From", "Mona Grün", "mona grün", "mona.grun@example.net");
	put(m, TRAWL_TYPE_NAME, "1", "Mona Grün", "mona grün", 200);
	put(m, TRAWL_TYPE_EMAIL, "1", "m.gruen@private.example", NULL, 215);
	put(m, TRAWL_TYPE_PHONE, "1", "+49 40 0175275", "+49400175275", 245);
	trawl_links_t l = links_of(m);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_SIGNATURE, "mona.grun@example.net", "m.gruen@private.example"), 1);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_SIGNATURE, "mona.grun@example.net", "+49400175275"), 1);
	trawl_index__links_clear(&l);
	trawl_message_free(m);

	/* "Mona Grün\n\nsupport@shop.example wrote:\n> ... +49 ..." */
	m = msg_new("a#2", "mona.grun@example.net", "Mona Grün");
	put(m, TRAWL_TYPE_NAME, "1", "Mona Grün", "mona grün", 200);
	put(m, TRAWL_TYPE_EMAIL, "1", "support@shop.example", NULL, 215);
	put(m, TRAWL_TYPE_PHONE, "1", "+49 40 555000", "+4940555000", 260);
	l = links_of(m);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_SIGNATURE, NULL, "support@shop.example"), 0);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_SIGNATURE, NULL, "+4940555000"), 0);
	trawl_index__links_clear(&l);
	trawl_message_free(m);
}

Test(link, forwarded_message_signs_for_its_own_sender)
{
	trawl_message_t *m = erika_mail("a#1");
	mailbox(m, "2:header:From", "Jane Roe", "jane roe", "jane@example.org");
	put(m, TRAWL_TYPE_NAME, "2", "Jane Roe", "jane roe", 500);
	put(m, TRAWL_TYPE_PHONE, "2", "+44 20 7946 0000", "+442079460000", 512);
	trawl_links_t l = links_of(m);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_SIGNATURE, "jane@example.org", "+442079460000"), 1);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_SIGNATURE, "erika@example.net", "+442079460000"), 0);
	trawl_index__links_clear(&l);
	trawl_message_free(m);
}

/* A CSV attachment of two people:
 * "Jane Roe,jane@example.org,+44 20 7946 0000\nMax Beispiel,max@..." */
static trawl_message_t *
customer_list(const char *location)
{
	trawl_message_t *m = msg_new(location, "someone@example.com", NULL);
	put(m, TRAWL_TYPE_NAME, "2", "Jane Roe", "jane roe", 0);
	put(m, TRAWL_TYPE_EMAIL, "2", "jane@example.org", NULL, 9);
	put(m, TRAWL_TYPE_PHONE, "2", "+44 20 7946 0000", "+442079460000", 26);
	put(m, TRAWL_TYPE_NAME, "2", "Max Beispiel", "max beispiel", 43);
	put(m, TRAWL_TYPE_EMAIL, "2", "max@example.org", NULL, 56);
	put(m, TRAWL_TYPE_PHONE, "2", "+49 30 1234567", "+49301234567", 72);
	return m;
}

Test(link, contact_record_links_its_fields_to_its_address)
{
	trawl_message_t *m = customer_list("a#1");
	trawl_links_t l = links_of(m);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_RECORD, "jane@example.org", "+442079460000"), 1);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_RECORD, "max@example.org", "+49301234567"), 1);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_RECORD, "jane@example.org", "+49301234567"), 0);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_NEAR, "jane roe", "+442079460000"), 1);
	/* a name never leads to an address */
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_NEAR, "jane roe", "jane@example.org"), 0);
	trawl_index__links_clear(&l);
	trawl_message_free(m);
}

Test(link, identifier_far_from_any_name_is_not_linked)
{
	trawl_message_t *m = msg_new("a#1", "max@example.org", "Max Beispiel");
	put(m, TRAWL_TYPE_NAME, "1", "Jane Roe", "jane roe", 0);
	put(m, TRAWL_TYPE_PHONE, "1", "+44 20 7946 0000", "+442079460000", 120);
	put(m, TRAWL_TYPE_CARD, "1", "4111 1111 1111 1111", "4111111111111111", 900);
	trawl_links_t l = links_of(m);
	cr_assert_eq(l.len, 0, "%zu links", l.len);
	trawl_index__links_clear(&l);
	trawl_message_free(m);
}

Test(link, chain_stops_where_the_next_name_stands_closer)
{
	/* "Rick Kettenis (+49 89 5866309).\n\nAccount DE89 ... (holder: Sofia Kummle)" */
	trawl_message_t *m = msg_new("a#1", "max@example.org", NULL);
	put(m, TRAWL_TYPE_NAME, "1", "Rick Kettenis", "rick kettenis", 0);
	put(m, TRAWL_TYPE_PHONE, "1", "+49 89 5866309", "+49895866309", 15);
	put(m, TRAWL_TYPE_IBAN, "1", "DE89 3704 0044 0532 0130 00", "DE89370400440532013000", 43);
	put(m, TRAWL_TYPE_NAME, "1", "Sofia Kummle", "sofia kummle", 80);
	trawl_links_t l = links_of(m);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_NEAR, "rick kettenis", "+49895866309"), 1);
	cr_assert_eq(count_links(&l, m, TRAWL_LINK_NEAR, NULL, "DE89370400440532013000"), 0);
	trawl_index__links_clear(&l);
	trawl_message_free(m);
}

/* ---- in an index ---- */

static char tmpdir[64];
static char idxdir[128];

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void
setup(void)
{
	strcpy(tmpdir, "/tmp/trawl-test-link-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	snprintf(idxdir, sizeof idxdir, "%s/idx", tmpdir);
}

static void
teardown(void)
{
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(link_index, .init = setup, .fini = teardown);

static trawl_index_t *
writer(void)
{
	trawl_index_t *idx = NULL;
	cr_assert_eq(trawl_index_open(&idx, idxdir, TRAWL_INDEX_WRITE), TRAWL_OK, "%s", trawl_index_last_error(idx));
	return idx;
}

static void
add(trawl_index_t *idx, trawl_message_t *m)
{
	cr_assert_eq(trawl_index_add_message(idx, m), TRAWL_OK, "%s", trawl_index_last_error(idx));
	trawl_message_free(m);
}

static trawl_access_t *
access_of(trawl_index_t *idx, const char *email, const char *name)
{
	const char *emails[] = {email}, *names[] = {name};
	trawl_selector_t sel = {.emails = emails, .n_emails = email ? 1 : 0, .names = names, .n_names = name ? 1 : 0};
	trawl_access_t *a = NULL;
	cr_assert_eq(trawl_index_access(idx, &sel, &a), TRAWL_OK, "%s", trawl_index_last_error(idx));
	return a;
}

static bool
has(const trawl_access_t *a, const char *location)
{
	for (size_t i = 0; i < a->n_messages; i++)
		if (strcmp(a->messages[i].location, location) == 0)
			return true;
	return false;
}

static const trawl_identifier_t *
identifier(const trawl_access_t *a, const char *norm)
{
	for (size_t i = 0; i < a->n_identifiers; i++)
		if (strcmp(a->identifiers[i].norm, norm) == 0)
			return &a->identifiers[i];
	return NULL;
}

/* "Die neue Anschrift von Erika lautet: Musterweg 1, 10115 Berlin":
 * only her first name and her address, in mail someone else sent. */
static trawl_message_t *
mentions_address(const char *location)
{
	trawl_message_t *m = msg_new(location, "max@example.org", "Max Beispiel");
	mailbox(m, "header:From", "Max Beispiel", "max beispiel", "max@example.org");
	mailbox(m, "header:To", "Jane Roe", "jane roe", "jane@example.org");
	put(m, TRAWL_TYPE_ADDRESS, "1", "Musterweg 1, 10115 Berlin", "musterweg 1 10115 berlin", 37);
	return m;
}

Test(link_index, access_follows_the_signature_to_mail_with_only_the_address)
{
	trawl_index_t *idx = writer();
	add(idx, erika_mail("a#1"));
	add(idx, mentions_address("a#2"));
	trawl_access_t *a = access_of(idx, "erika@example.net", NULL);
	cr_assert(has(a, "a#1"));
	cr_assert(has(a, "a#2"), "the address from her signature finds it");
	const trawl_identifier_t *addr = identifier(a, "musterweg 1 10115 berlin");
	cr_assert_not_null(addr);
	cr_assert_eq(addr->via, TRAWL_LINK_SIGNATURE);
	cr_assert(addr->searched);
	/* the finding in the other mail is marked as hers */
	for (size_t i = 0; i < a->n_messages; i++)
		for (size_t j = 0; j < a->messages[i].n_findings; j++)
			if (a->messages[i].findings[j].type == TRAWL_TYPE_ADDRESS)
				cr_assert(a->messages[i].findings[j].subject);
	trawl_access_free(a);
	trawl_index_free(idx);
}

Test(link_index, expansion_is_one_hop)
{
	trawl_index_t *idx = writer();
	add(idx, erika_mail("a#1"));
	/* a contact record ties her phone to another address; that address's
	 * own mail is not hers */
	trawl_message_t *m = msg_new("a#2", "max@example.org", NULL);
	put(m, TRAWL_TYPE_NAME, "2", "Erika Mustermann", "erika mustermann", 0);
	put(m, TRAWL_TYPE_EMAIL, "2", "old.erika@example.com", NULL, 18);
	put(m, TRAWL_TYPE_PHONE, "2", "+49 30 901820", "+4930901820", 41);
	add(idx, m);
	m = msg_new("a#3", "old.erika@example.com", NULL);
	mailbox(m, "header:From", NULL, NULL, "old.erika@example.com");
	add(idx, m);
	trawl_access_t *a = access_of(idx, "erika@example.net", NULL);
	cr_assert(has(a, "a#1"));
	cr_assert(has(a, "a#2"), "holds her phone");
	cr_assert_not(has(a, "a#3"), "reached only through her phone: two hops");
	cr_assert_null(identifier(a, "old.erika@example.com"));
	trawl_access_free(a);
	trawl_index_free(idx);
}

/* Two people called Anna Schmidt, each with her own address and phone. */
static void
two_annas(trawl_index_t *idx)
{
	const char *who[][3] = {{"anna.schmidt@one.example", "+49 30 1111111", "+49301111111"},
	                        {"anna.schmidt@two.example", "+49 40 2222222", "+49402222222"}};
	for (int k = 0; k < 2; k++) {
		for (int n = 0; n < 2; n++) {
			char loc[32];
			snprintf(loc, sizeof loc, "anna%d#%d", k + 1, n + 1);
			trawl_message_t *m = msg_new(loc, who[k][0], "Anna Schmidt");
			mailbox(m, "header:From", "Anna Schmidt", "anna schmidt", who[k][0]);
			mailbox(m, "header:To", "Jane Roe", "jane roe", "jane@example.org");
			put(m, TRAWL_TYPE_NAME, "1", "Anna Schmidt", "anna schmidt", 200);
			put(m, TRAWL_TYPE_PHONE, "1", who[k][1], who[k][2], 218);
			add(idx, m);
		}
	}
}

Test(link_index, two_people_of_the_same_name_stay_two_subjects)
{
	trawl_index_t *idx = writer();
	two_annas(idx);
	cr_assert_eq(trawl_index_commit(idx), TRAWL_OK);
	trawl_access_t *a = access_of(idx, "anna.schmidt@one.example", NULL);
	cr_assert_eq(a->n_messages, 2);
	cr_assert(has(a, "anna1#1") && has(a, "anna1#2"));
	cr_assert_not_null(identifier(a, "+49301111111"));
	cr_assert_null(identifier(a, "+49402222222"), "the other Anna's phone");
	cr_assert_null(identifier(a, "anna.schmidt@two.example"));
	const trawl_identifier_t *name = identifier(a, "anna schmidt");
	cr_assert_not_null(name);
	cr_assert_not(name->searched, "a shared name must not pull in the other Anna's mail");
	trawl_access_free(a);

	trawl_people_t *p = NULL;
	cr_assert_eq(trawl_index_people(idx, &p), TRAWL_OK, "%s", trawl_index_last_error(idx));
	int annas = 0;
	for (size_t i = 0; i < p->len; i++) {
		const trawl_person_t *x = &p->items[i];
		if (strncmp(x->email, "anna.schmidt@", 13) != 0)
			continue;
		annas++;
		cr_assert_eq(x->n_linked, 1, "%s: %zu", x->email, x->n_linked);
		const char *mine = strstr(x->email, "one") ? "+49301111111" : "+49402222222";
		cr_assert_str_eq(x->linked[0].norm, mine);
		cr_assert_eq(x->linked[0].via, TRAWL_LINK_SIGNATURE);
		cr_assert_eq(x->linked[0].messages, 2);
	}
	cr_assert_eq(annas, 2);
	trawl_people_free(p);
	trawl_index_free(idx);
}

Test(link_index, near_link_counts_only_from_two_messages)
{
	trawl_index_t *idx = writer();
	/* "Card of Jane Roe: 4111 ...", in mail from Max; then mail that only
	 * holds the card */
	for (int n = 1; n <= 3; n++) {
		char loc[16];
		snprintf(loc, sizeof loc, "c#%d", n);
		trawl_message_t *m = msg_new(loc, "max@example.org", NULL);
		if (n == 3) {
			put(m, TRAWL_TYPE_CARD, "1", "4111 1111 1111 1111", "4111111111111111", 20);
		} else if (n == 1 || n == 2) {
			put(m, TRAWL_TYPE_NAME, "1", "Jane Roe", "jane roe", 8);
			put(m, TRAWL_TYPE_CARD, "1", "4111 1111 1111 1111", "4111111111111111", 18);
		}
		add(idx, m);
		trawl_access_t *a = access_of(idx, NULL, "Jane Roe");
		if (n == 1) {
			for (size_t i = 0; i < a->n_identifiers; i++)
				cr_assert_neq(a->identifiers[i].type, TRAWL_TYPE_CARD, "one sentence proves little");
		} else {
			const trawl_identifier_t *card = NULL;
			for (size_t i = 0; i < a->n_identifiers; i++)
				if (a->identifiers[i].type == TRAWL_TYPE_CARD)
					card = &a->identifiers[i];
			cr_assert_not_null(card);
			cr_assert_eq(card->via, TRAWL_LINK_NEAR);
			cr_assert_null(strstr(card->norm, "4111111111111111"), "masked: %s", card->norm);
			cr_assert(strstr(card->norm, "1111"));
		}
		if (n == 3)
			cr_assert(has(a, "c#3"), "the card alone finds it");
		trawl_access_free(a);
	}
	trawl_index_free(idx);
}

Test(link_index, rescanning_a_source_drops_its_links)
{
	trawl_index_t *idx = writer();
	trawl_event_t begin = {.type = TRAWL_EVENT_SOURCE_BEGIN, .source = "link.mbox", .kind = "mbox"};
	cr_assert_eq(trawl_index_add_event(idx, &begin), TRAWL_OK);
	add(idx, erika_mail("a#1"));
	add(idx, mentions_address("a#2"));
	trawl_access_t *a = access_of(idx, "erika@example.net", NULL);
	cr_assert(has(a, "a#2"));
	trawl_access_free(a);
	/* read again: her mail is gone from it */
	cr_assert_eq(trawl_index_add_event(idx, &begin), TRAWL_OK);
	add(idx, mentions_address("a#2"));
	a = access_of(idx, "erika@example.net", NULL);
	cr_assert_eq(a->n_messages, 0);
	cr_assert_null(identifier(a, "musterweg 1 10115 berlin"));
	trawl_access_free(a);
	trawl_index_free(idx);
}

Test(link_index, adding_a_record_again_replaces_its_links)
{
	trawl_index_t *idx = writer();
	add(idx, erika_mail("a#1"));
	/* the same location again, now without a signature */
	trawl_message_t *m = msg_new("a#1", "erika@example.net", "Erika Mustermann");
	mailbox(m, "header:From", "Erika Mustermann", "erika mustermann", "erika@example.net");
	add(idx, m);
	add(idx, mentions_address("a#2"));
	trawl_access_t *a = access_of(idx, "erika@example.net", NULL);
	cr_assert_not(has(a, "a#2"));
	trawl_access_free(a);
	trawl_index_free(idx);
}

Test(link_index, no_full_card_number_in_the_links)
{
	trawl_index_t *idx = writer();
	trawl_message_t *m = erika_mail("a#1");
	put(m, TRAWL_TYPE_CARD, "1", "5413 3300 8909 9130", "5413330089099130", 362);
	add(idx, m);
	cr_assert_eq(trawl_index_commit(idx), TRAWL_OK);
	trawl_access_t *a = access_of(idx, "erika@example.net", NULL);
	bool card = false;
	for (size_t i = 0; i < a->n_identifiers; i++) {
		cr_assert_null(strstr(a->identifiers[i].norm, "5413330089099130"));
		card |= a->identifiers[i].type == TRAWL_TYPE_CARD;
	}
	cr_assert(card, "her signature's card is linked");
	trawl_access_free(a);
	trawl_index_free(idx);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "grep -r -a -q -e 5413330089099130 -e '5413 3300' '%s'", idxdir);
	cr_assert_neq(system(cmd), 0, "a full card number is in the index files");
}

/* ---- the built binary on fixtures/sample ---- */

static char sample_index[] = "/tmp/trawl-link-e2e-XXXXXX";

static void
scan_sample(void)
{
	char *out = NULL;
	cr_assert_not_null(mkdtemp(sample_index));
	rmdir(sample_index);
	int rc = t_run(&out, "'%s' scan --quiet --index '%s' '%s/fixtures/sample' 2>/dev/null", t_bin(), sample_index, t_src());
	free(out);
	cr_assert_eq(rc, 0, "scan exit status %d", rc);
}

static void
remove_sample(void)
{
	char *out = NULL;
	t_run(&out, "rm -rf '%s'", sample_index);
	free(out);
}

TestSuite(link_e2e, .init = scan_sample, .fini = remove_sample, .timeout = 60);

Test(link_e2e, access_lists_erikas_signature_phone_as_linked)
{
	char *got = NULL;
	int rc = t_run(&got,
	             "'%s' access --index '%s' --email erika.mustermann@kontor-demo.de --format json | python3 -c '"
	             "import json,sys; r=json.load(sys.stdin)\n"
	             "[print(i[\"type\"], i[\"norm\"], i[\"via\"]) for i in r[\"subject\"][\"identifiers\"]]'",
	             t_bin(), sample_index);
	cr_assert_eq(rc, 0);
	cr_assert(strstr(got, "phone +4930901820 signature\n"), "%s", got);
	cr_assert(strstr(got, "email erika.mustermann@kontor-demo.de query\n"), "%s", got);
	free(got);
}

Test(link_e2e, erase_lists_exactly_the_messages_access_lists)
{
	const char *selectors[] = {
		"--email erika.mustermann@kontor-demo.de",
		"--name 'Erika Mustermann'",
		"--email jane.roe@trawl-demo.org --name 'Jane Roe'",
		"--email max.beispiel@trawl-demo.org",
	};
	static const char ids[] = "python3 -c 'import json,sys; [print(m[\"location\"], m[\"message_id\"]) for m in "
	                          "sorted(json.load(sys.stdin)[\"messages\"], key=lambda m: m[\"location\"])]'";
	for (size_t i = 0; i < sizeof selectors / sizeof *selectors; i++) {
		char *acc = NULL, *era = NULL, *split = NULL;
		cr_assert_eq(t_run(&acc, "'%s' access --index '%s' %s --format json | %s", t_bin(), sample_index, selectors[i], ids),
		             0);
		cr_assert_eq(t_run(&era, "'%s' erase --index '%s' %s --format json | %s", t_bin(), sample_index, selectors[i], ids),
		             0);
		cr_assert(*acc, "%s: no message", selectors[i]);
		cr_assert_str_eq(era, acc, "%s", selectors[i]);
		/* every message gets an action, redact exactly when others' data is named */
		cr_assert_eq(t_run(&split,
		                 "'%s' erase --index '%s' %s --format json | python3 -c 'import json,sys\n"
		                 "r=json.load(sys.stdin)\n"
		                 "bad=[m[\"location\"] for m in r[\"messages\"] if m[\"action\"] != (\"redact\" if "
		                 "m[\"other_subjects\"] else \"delete\")]\n"
		                 "s=r[\"summary\"]; ok=s[\"delete\"]+s[\"redact\"]==s[\"messages\"]==len(r[\"messages\"])\n"
		                 "print(bad, ok)'",
		                 t_bin(), sample_index, selectors[i]),
		             0);
		cr_assert_str_eq(split, "[] True\n", "%s: %s", selectors[i], split);
		free(acc);
		free(era);
		free(split);
	}
}

/* A customer list holding two people: forgetting one takes her links out
 * of the message's link record and keeps the other's. */
Test(link_index, forgetting_one_person_keeps_the_links_of_the_others)
{
	trawl_index_t *idx = writer();
	add(idx, customer_list("a#1"));
	/* mail with only Max's phone, which his record links to his address */
	trawl_message_t *m = msg_new("a#2", "someone@example.com", NULL);
	put(m, TRAWL_TYPE_PHONE, "1", "+49 30 1234567", "+49301234567", 10);
	add(idx, m);
	cr_assert_eq(trawl_index_commit(idx), TRAWL_OK);

	const char *emails[] = {"jane@example.org"};
	trawl_selector_t sel = {.emails = emails, .n_emails = 1};
	trawl_forget_t done = {0};
	cr_assert_eq(trawl_index_forget(idx, &sel, &done), TRAWL_OK, "%s", trawl_index_last_error(idx));
	cr_assert_eq(trawl_index_commit(idx), TRAWL_OK);
	cr_assert_eq(done.links_kept, 1, "the link record of a#1 stays for Max");
	cr_assert_eq(done.other_docs, 0);

	trawl_access_t *a = access_of(idx, "max@example.org", NULL);
	const trawl_identifier_t *ph = identifier(a, "+49301234567");
	cr_assert_not_null(ph, "Max's phone is still linked to him");
	cr_assert_eq(ph->via, TRAWL_LINK_RECORD);
	cr_assert(has(a, "a#2"), "and still finds the mail holding only his phone");
	trawl_access_free(a);
	a = access_of(idx, "jane@example.org", NULL);
	cr_assert_null(identifier(a, "+442079460000"), "Jane's phone is linked to nobody now");
	cr_assert_eq(a->n_messages, 0);
	trawl_access_free(a);
	trawl_index_free(idx);
}
