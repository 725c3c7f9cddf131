/* The header block of a message split into headers as GMime's parser
 * splits it (gmime-parser.c, 3.2: step_headers(), header_buffer_parse()),
 * without a GObject per header: message.c reads most messages, a single
 * text part, from these and the body alone (see plain_message() there).
 *
 * Only a block read the same way by any reader is taken: every line a
 * field ("Name:" with the name of printable ASCII and the colon right
 * after it) or the fold of one (a line that starts with a space or tab),
 * no NUL byte, and a blank line ("\n" or "\r\n") at its end. Anything
 * else is left to GMime, where the parser has ways of its own: a line
 * that is no field is dropped, or ends the message when it comes first
 * (save a From_ line); a NUL cuts the value it is in short; blanks before
 * the colon are dropped from the name, though not where its 4 KB read
 * buffer ends between them; a block without its blank line ends with the
 * data or fails in the middle of a name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "scanner/scanner.h"

#include <stdlib.h>
#include <string.h>

/* Longer names are left to GMime: its parser needs a field name and what
 * comes before it within its read buffer. */
#define MAX_NAME 256

static bool
is_name_char(unsigned char ch)
{
	return ch > ' ' && ch < 0x7f && ch != ':';
}

/* The length of a field name at p (line up to nl), or 0 when the line is
 * not "Name:" as this file takes it. */
static size_t
name_len(const char *p, const char *nl)
{
	/* no further than a name of MAX_NAME bytes and its colon: one bound */
	const char *limit = nl - p > MAX_NAME ? p + MAX_NAME + 1 : nl, *q = p;
	while (q < limit && is_name_char((unsigned char)*q))
		q++;
	return q > p && q < nl && q - p <= MAX_NAME && *q == ':' ? (size_t)(q - p) : 0;
}

static bool
is_blank_line(const char *p, const char *nl)
{
	return p == nl || (p + 1 == nl && *p == '\r');
}

void
trawl_scan__headers_free(trawl_headers_t *h)
{
	free(h->items);
	free(h->store);
	memset(h, 0, sizeof *h);
}

bool
trawl_scan__headers_split(trawl_headers_t *out, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	size_t cap = 0;
	bool ok = false;

	memset(out, 0, sizeof *out);
	/* First the block is checked and its fields found, each item pointing
	 * into data for now (name: where the field starts, raw: its colon),
	 * then the names and values copied. */
	for (;;) {
		const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
		if (!nl)
			goto done; /* no blank line before the end */
		if (is_blank_line(p, nl))
			break;
		size_t k = 0;
		if (*p == ' ' || *p == '\t') {
			if (out->len == 0)
				goto done; /* a fold of nothing: the parser fails on it */
		} else if ((k = name_len(p, nl))) {
			if (out->len == cap) {
				cap = cap ? 2 * cap : 32;
				trawl_header_t *items = realloc(out->items, cap * sizeof *items);
				if (!items)
					goto done;
				out->items = items;
			}
			out->items[out->len++] = (trawl_header_t){.name = p, .raw = p + k};
		} else {
			goto done;
		}
		p = nl + 1;
	}
	const char *block_end = p;
	if (memchr(data, '\0', (size_t)(block_end - data)))
		goto done;
	out->body = memchr(p, '\n', (size_t)(end - p)) + 1;
	out->body_len = (size_t)(end - out->body);

	/* Each field's name and value, each with a NUL after it: the block's
	 * bytes with its colons made NULs, and one more NUL a field. A value
	 * runs from its colon to the next field (its folds with it). */
	size_t n = out->len;
	if ((!out->items && !(out->items = malloc(sizeof *out->items))) ||
	    !(out->store = malloc((size_t)(block_end - data) + n + 1)))
		goto done;
	char *s = out->store;
	for (size_t i = 0; i < n; i++) {
		trawl_header_t *h = &out->items[i];
		const char *field = h->name, *colon = h->raw;
		const char *next = i + 1 < n ? out->items[i + 1].name : block_end;
		h->name = s;
		memcpy(s, field, (size_t)(colon - field));
		s += colon - field;
		*s++ = '\0';
		h->raw = s;
		memcpy(s, colon + 1, (size_t)(next - (colon + 1)));
		s += next - (colon + 1);
		*s++ = '\0';
	}
	*s = '\0';
	ok = true;
done:
	if (!ok)
		trawl_scan__headers_free(out);
	return ok;
}
