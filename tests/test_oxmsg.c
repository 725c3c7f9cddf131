/* Outlook .msg (scanner/oxmsg.c): fixtures/msg (planted data, see its
 * README) read as a file of its own and attached to a message; what the
 * sniffer takes for one; damaged files; and what trawl_scan_fetch()
 * answers for a .msg or TNEF file (not RFC 822: no bytes handed over).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scanner/scanner.h"
#include "trawl/trawl.h"
#include "tests/helpers.h"

Test(oxmsg, file_is_one_record_with_its_headers_bodies_and_attachments)
{
	size_t len;
	char *data = t_read_src("fixtures/msg/vertrag.msg", &len);
	cr_assert_eq(trawl_scan__sniff(&(trawl_worker_t){0}, data, len, NULL), TRAWL_KIND_OXMSG);
	t_got_t g;
	t_scan(&g, NULL, "vertrag.msg", data, len);
	cr_assert_eq(g.n, 1);
	cr_assert_eq(g.n_skips, 0, "%s", g.skips);
	const trawl_message_t *m = g.msgs[0];
	cr_assert_str_eq(m->location, "vertrag.msg");
	cr_assert_str_eq(m->message_id, "msg-1@kontor-demo.de");
	cr_assert_str_eq(m->subject, "Vertragsunterlagen und Bankverbindung für Erika Mustermann");
	cr_assert_str_eq(m->from, "erika.mustermann@kontor-demo.de");
	cr_assert_str_eq(m->date, "2024-03-14T09:30:00Z");
	char hash[65];
	trawl_sha256_hex(hash, data, len);
	cr_assert_str_eq(m->content_hash, hash, "the hash of the .msg, not of the TNEF made from it");

	cr_assert(t_has(m, "header:From", TRAWL_WHERE_HEADER, TRAWL_TYPE_EMAIL, "erika.mustermann@kontor-demo.de"));
	cr_assert(t_has(m, "header:To", TRAWL_WHERE_HEADER, TRAWL_TYPE_EMAIL, "max.beispiel@kontor-demo.de"));
	cr_assert(t_has(m, "body", TRAWL_WHERE_BODY, TRAWL_TYPE_IBAN, "DE89370400440532013000"));
	cr_assert(t_has(m, "rtf", TRAWL_WHERE_BODY, TRAWL_TYPE_EMAIL, "jane.roe@trawl-demo.org"));
	cr_assert(t_has(m, "html", TRAWL_WHERE_BODY, TRAWL_TYPE_PHONE, "+49301234567"));
	cr_assert(t_has(m, "props", TRAWL_WHERE_BODY, TRAWL_TYPE_PHONE, "+49301234567"));
	cr_assert(t_has(m, "!/kontakt.txt", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_IBAN, "GB82WEST12345698765432"));
	cr_assert(t_has(m, "!/Kontoauszug.body", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_EMAIL, "jane.doe@trawl-demo.org"));
	/* a stream of 5 KB: in sectors of its own, not in the mini stream */
	cr_assert(t_has(m, "!/notiz.txt", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_EMAIL, "max.beispiel@kontor-demo.de"));
	t_got_free(&g);
	free(data);
}

Test(oxmsg, attached_to_mail_is_read_into_the_carrying_message)
{
	size_t len;
	char *data = t_read_src("fixtures/msg/forward.eml", &len);
	t_got_t g;
	t_scan(&g, NULL, "forward.eml", data, len);
	cr_assert_eq(g.n, 1);
	cr_assert_eq(g.n_skips, 0, "%s", g.skips);
	const trawl_message_t *m = g.msgs[0];
	cr_assert_str_eq(m->message_id, "msg-eml-1@kontor-demo.de");
	cr_assert_str_eq(m->subject, "FW: Vertragsunterlagen");
	cr_assert(t_has(m, "2:header:From", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_EMAIL, "erika.mustermann@kontor-demo.de"));
	cr_assert(t_has(m, "2.body", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_IBAN, "DE89370400440532013000"));
	cr_assert(t_has(m, "2!/kontakt.txt", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_IBAN, "GB82WEST12345698765432"));
	cr_assert(t_has(m, "2!/Kontoauszug.body", TRAWL_WHERE_ATTACHMENT, TRAWL_TYPE_EMAIL, "jane.doe@trawl-demo.org"));
	t_got_free(&g);
	free(data);
}

Test(oxmsg, only_ole_files_that_name_msg_streams_are_taken_for_msg)
{
	size_t len;
	char *data = t_read_src("fixtures/msg/vertrag.msg", &len);
	cr_assert(trawl_scan__is_oxmsg(data, len));
	/* the same compound file with its .msg names gone (a Word file, say) */
	char *other = malloc(len);
	memcpy(other, data, len);
	for (size_t i = 0; i + 2 <= len; i++)
		if (memcmp(other + i, "_\0_\0s\0u\0b", 10) == 0)
			other[i] = 'X';
	cr_assert_not(trawl_scan__is_oxmsg(other, len));
	cr_assert_neq(trawl_scan__sniff(&(trawl_worker_t){0}, other, len, NULL), TRAWL_KIND_OXMSG);
	free(other);
	free(data);
}

Test(oxmsg, damaged_files_are_skips_and_never_crash)
{
	size_t len;
	char *data = t_read_src("fixtures/msg/vertrag.msg", &len);
	/* cut short: the header survives, the directory or streams do not */
	for (size_t n = 600; n < len; n += 257) {
		char *copy = malloc(n); /* exact size: a read past its end shows under ASan */
		memcpy(copy, data, n);
		t_got_t g;
		t_scan(&g, NULL, "cut.msg", copy, n);
		cr_assert_leq(g.n, 1);
		cr_assert(g.n == 1 || g.n_skips >= 1, "%zu bytes: neither read nor reported", n);
		t_got_free(&g);
		free(copy);
	}
	/* every byte of the FAT, directory and mini FAT sectors flipped in turn */
	char *copy = malloc(len);
	for (size_t i = 512; i < 512 + 3 * 512 && i < len; i += 3) {
		memcpy(copy, data, len);
		copy[i] ^= 0x5a;
		t_got_t g;
		t_scan(&g, NULL, "flip.msg", copy, len);
		cr_assert_leq(g.n, 1);
		t_got_free(&g);
	}
	free(copy);
	free(data);
}

static uint32_t
le32_at(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

static void
put32_at(char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (char)(v >> (8 * i));
}

/* Loops a damaged file may hold: a sector chain that comes back to itself,
 * a directory entry that is its own sibling. Each ends, and what can be
 * read is read. */
Test(oxmsg, loops_in_chains_and_in_the_directory_end)
{
	size_t len;
	char *data = t_read_src("fixtures/msg/vertrag.msg", &len);
	uint32_t fat0 = le32_at(data + 76), dir = le32_at(data + 48);
	char *copy = malloc(len);

	/* the directory's chain: its first sector points to itself */
	memcpy(copy, data, len);
	put32_at(copy + 512 * (fat0 + 1) + 4 * dir, dir);
	t_got_t g;
	t_scan(&g, NULL, "loop.msg", copy, len);
	cr_assert_leq(g.n, 1);
	t_got_free(&g);

	/* the root's first child is its own right sibling: its siblings are cut
	 * off, but what it reaches is read, once */
	memcpy(copy, data, len);
	char *root = copy + 512 * (dir + 1);
	uint32_t child = le32_at(root + 76);
	/* make.py writes the directory's sectors one after the other */
	cr_assert_lt(512 * (dir + 1) + 128 * (child + 1), len);
	char *entry = copy + 512 * (dir + 1) + 128 * child;
	cr_assert(entry[66] == 1 || entry[66] == 2, "entry %u is not a storage or stream", child);
	put32_at(entry + 72, child);
	t_scan(&g, NULL, "cycle.msg", copy, len);
	cr_assert_leq(g.n, 1);
	t_got_free(&g);

	free(copy);
	free(data);
}

typedef struct {
	trawl_status_t status;
	size_t calls, bytes;
} fetched_t;

static trawl_status_t
fetched(const char *location, const char *raw, size_t len, trawl_status_t status, void *payload)
{
	fetched_t *f = payload;
	(void)location, (void)raw;
	f->calls++;
	f->status = status;
	f->bytes += len;
	return TRAWL_OK;
}

/* A .msg or TNEF file is one record located at the file, but not RFC 822:
 * fetching it (trawl access --format mbox) hands no bytes over. */
Test(oxmsg, fetching_a_msg_or_tnef_file_hands_over_no_bytes)
{
	static const char *const files[] = {"fixtures/msg/vertrag.msg", "fixtures/tnef/winmail.dat"};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", t_src(), files[i]);
		const char *locations[] = {path};
		trawl_scan_opts_t o = {.detectors = t_detectors()};
		fetched_t f = {0};
		cr_assert_eq(trawl_scan_fetch(&o, path, locations, 1, fetched, &f), TRAWL_OK);
		cr_assert_eq(f.calls, 1, "%s", files[i]);
		cr_assert_eq(f.status, TRAWL_EUNSUPPORTED, "%s: %d", files[i], f.status);
		cr_assert_eq(f.bytes, 0);
	}
}
