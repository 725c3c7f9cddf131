/* Every detector on raw bytes, one at a time, as trawl_detect_text() runs
 * them. The first byte chooses how the text is presented (where, header
 * name, language); with its low bit set, the first line is a From header
 * (detectors, then the mailbox recorder) whose findings the rest, a body,
 * sees as the message's so far.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz/fuzz.h"

#include <stdlib.h>
#include <string.h>
#include "detectors/detector.h"

/* Every finding lies inside its text and carries its strings. */
static void
check(const trawl_findings_t *list, size_t from, const trawl_text_t *t)
{
	for (size_t i = from; i < list->len; i++) {
		const trawl_finding_t *f = &list->items[i];
		if (f->start > f->end || f->end > t->len || !f->value || !f->norm || !f->rule || !f->part ||
		    (unsigned)f->type >= TRAWL_TYPE_COUNT)
			abort();
	}
}

static void
each_detector(const trawl_detector_set_t *set, trawl_findings_t *out, const trawl_text_t *t)
{
	for (const trawl_detector_t *const *d = set->detectors; *d; d++) {
		size_t before = out->len;
		if ((*d)->scan(set, out, t) != TRAWL_OK)
			abort(); /* only memory can run short */
		check(out, before, t);
	}
}

int
trawl_fuzz_detectors(const uint8_t *data, size_t size)
{
	static const char *const langs[] = {NULL, "en", "de", "fr"};
	static const char *const headers[] = {"Subject", "To", "Cc", "X-Note"};
	const trawl_detector_set_t *set = trawl_fuzz__detectors();
	if (size < 1)
		return 0;
	unsigned flags = data[0];
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	trawl_findings_t head = {0}, body = {0};

	if (flags & 1) {
		const char *nl = memchr(text, '\n', len);
		size_t hl = nl ? (size_t)(nl - text) : len;
		trawl_text_t h = {.text = text, .len = hl, .where = TRAWL_WHERE_HEADER, .part = "header:From",
		                  .header = "From", .lang = langs[(flags >> 1) & 3]};
		each_detector(set, &head, &h);
		/* the display name is whatever stands before '<', the address after */
		const char *lt = memchr(text, '<', hl);
		char *name = lt ? strndup(text, (size_t)(lt - text)) : NULL;
		char *addr = lt ? strndup(lt + 1, hl - (size_t)(lt - text) - 1) : strndup(text, hl);
		size_t before = head.len;
		if (trawl_detect_mailbox(set, &head, &h, name, addr) != TRAWL_OK)
			abort();
		check(&head, before, &h);
		free(name);
		free(addr);
		text += nl ? hl + 1 : hl;
		len -= nl ? hl + 1 : hl;
	}
	unsigned w = (flags >> 3) & 3;
	trawl_text_t b = {.text = text, .len = len, .lang = langs[(flags >> 1) & 3],
	                  .sender = (flags & 0x20) ? "erika.mustermann@kontor-demo.de" : NULL,
	                  .message = (flags & 1) ? &head : NULL};
	if (w == 0) {
		b.where = TRAWL_WHERE_HEADER;
		b.header = headers[(flags >> 6) & 3];
		b.part = "header:Subject";
	} else {
		b.where = w == 1 ? TRAWL_WHERE_BODY : TRAWL_WHERE_ATTACHMENT;
		b.part = "1";
	}
	each_detector(set, &body, &b);
	trawl_findings_finish(set, &body);
	trawl_findings_clear(&head);
	trawl_findings_clear(&body);
	return 0;
}

TRAWL_FUZZ_ENTRY(trawl_fuzz_detectors)
