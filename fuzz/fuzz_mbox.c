/* The mbox splitter and the >From unquoting, on raw bytes.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz/fuzz.h"

#include <stdlib.h>
#include <string.h>
#include "scanner/scanner.h"

typedef struct {
	const char *data;
	size_t len;
	const char *last_end; /* messages come in order and never overlap */
	trawl_buf_t out;
} split_t;

static trawl_status_t
on_message(const char *msg, size_t len, void *payload)
{
	split_t *s = payload;
	if (msg < s->data || len > s->len || msg + len > s->data + s->len || msg < s->last_end)
		abort();
	s->last_end = msg + len;
	if (trawl_scan__mbox_unquote(&s->out, msg, len) != TRAWL_OK || s->out.len > len)
		abort();
	return TRAWL_OK;
}

int
trawl_fuzz_mbox(const uint8_t *data, size_t size)
{
	split_t s = {.data = (const char *)data, .len = size, .last_end = (const char *)data};
	bool is = trawl_scan__is_mbox(s.data, size);
	trawl_status_t rc = trawl_scan__mbox_split(s.data, size, on_message, &s);
	if (is != (rc != TRAWL_EFORMAT))
		abort(); /* the splitter refuses exactly what is_mbox refuses */
	trawl_buf_free(&s.out);
	return 0;
}

TRAWL_FUZZ_ENTRY(trawl_fuzz_mbox)
