/* Containers within containers: documents attached to mail inside a zip
 * inside a tar.gz (fixtures/attachments), read in memory end to end.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trawl/trawl.h"

typedef struct {
	trawl_message_t *msg;
	int n;
} one_t;

static trawl_status_t
keep(trawl_message_t *m, void *payload)
{
	one_t *o = payload;
	o->n++;
	if (o->msg)
		trawl_message_free(o->msg);
	o->msg = m;
	return TRAWL_OK;
}

static bool
has(const trawl_message_t *m, const char *part, trawl_type_t type, const char *norm)
{
	for (size_t i = 0; i < m->findings.len; i++) {
		const trawl_finding_t *f = &m->findings.items[i];
		if (f->type == type && strcmp(f->part, part) == 0 && strcmp(f->norm, norm) == 0 &&
		    f->where == TRAWL_WHERE_ATTACHMENT)
			return true;
	}
	return false;
}

Test(archive, documents_attached_to_mail_in_zip_in_tar_gz)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/fixtures/attachments/backup.tar.gz", getenv("TRAWL_SRC") ? getenv("TRAWL_SRC") : ".");
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f);
	static char data[1 << 20];
	size_t len = fread(data, 1, sizeof data, f);
	fclose(f);

	trawl_detector_set_t *set = NULL;
	cr_assert_eq(trawl_detector_set_new(&set, NULL, NULL), TRAWL_OK);
	trawl_scan_opts_t opts = {.detectors = set};
	one_t o = {0};
	cr_assert_eq(trawl_scan_buffer(&opts, "backup.tar.gz", data, len, keep, NULL, &o), TRAWL_OK);
	cr_assert_eq(o.n, 1);
	const trawl_message_t *m = o.msg;
	cr_assert_str_eq(m->location, "backup.tar.gz!/export.zip!/mail/letters.eml");
	cr_assert_str_eq(m->message_id, "attachments-1@trawl-demo.org");
	/* part 2: letter.docx */
	cr_assert(has(m, "2", TRAWL_TYPE_IBAN, "DE89370400440532013000"));
	cr_assert(has(m, "2", TRAWL_TYPE_PHONE, "+49301234567"));
	cr_assert(has(m, "2", TRAWL_TYPE_EMAIL, "max.beispiel@kontor-demo.de"));
	/* part 3: contacts.xlsx, labelled application/octet-stream */
	cr_assert(has(m, "3", TRAWL_TYPE_EMAIL, "jane.roe@trawl-demo.org"));
	cr_assert(has(m, "3", TRAWL_TYPE_IBAN, "DE89370400440532013000"));
	/* part 4: minutes.odt */
	cr_assert(has(m, "4", TRAWL_TYPE_IBAN, "GB82WEST12345698765432"));
	cr_assert(has(m, "4", TRAWL_TYPE_EMAIL, "jane.doe@trawl-demo.org"));
	/* part 5: invoice.pdf */
	cr_assert(has(m, "5", TRAWL_TYPE_IBAN, "DE89370400440532013000"));
	cr_assert(has(m, "5", TRAWL_TYPE_PHONE, "+49301234567"));
	trawl_message_free(o.msg);
	trawl_detector_set_free(set);
}
