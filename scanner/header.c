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
	size_t n = 0;
	bool ok = false;

	memset(out, 0, sizeof *out);
	/* First the block is checked and its fields counted, then copied. */
	for (;;) {
		const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
		if (!nl)
			return false; /* no blank line before the end */
		if (is_blank_line(p, nl))
			break;
		if (*p == ' ' || *p == '\t') {
			if (n == 0)
				return false; /* a fold of nothing: the parser fails on it */
		} else if (name_len(p, nl)) {
			n++;
		} else {
			return false;
		}
		p = nl + 1;
	}
	const char *block_end = p;
	if (memchr(data, '\0', (size_t)(block_end - data)))
		return false;
	out->body = memchr(p, '\n', (size_t)(end - p)) + 1;
	out->body_len = (size_t)(end - out->body);

	/* Each field's name and value, each with a NUL after it: the block's
	 * bytes with its colons made NULs, and one more NUL a field. */
	if (!(out->items = malloc((n ? n : 1) * sizeof *out->items)) ||
	    !(out->store = malloc((size_t)(block_end - data) + n + 1)))
		goto done;
	char *s = out->store;
	for (p = data; p < block_end;) {
		const char *nl = memchr(p, '\n', (size_t)(block_end - p));
		if (*p != ' ' && *p != '\t') {
			if (out->len)
				*s++ = '\0'; /* the end of the value before */
			/* a field, as the first pass found: its name ends at the first colon */
			size_t k = (size_t)((const char *)memchr(p, ':', (size_t)(nl - p)) - p);
			trawl_header_t *h = &out->items[out->len++];
			h->name = s;
			memcpy(s, p, k);
			s += k;
			*s++ = '\0';
			h->raw = s;
			p += k + 1;
		}
		memcpy(s, p, (size_t)(nl + 1 - p));
		s += nl + 1 - p;
		p = nl + 1;
	}
	*s = '\0';
	ok = true;
done:
	if (!ok)
		trawl_scan__headers_free(out);
	return ok;
}
