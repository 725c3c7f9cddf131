/* mbox: split at From_ lines, honour Content-Length (mboxcl/cl2), unquote
 * >From lines (mboxrd, mboxo), LF or CRLF.
 *
 * A message starts after a line "From <sender> <date>" whose rest carries a
 * time and a year: a line such as "From the desk of ..." inside a body does
 * not cut a message in two. When a message declares Content-Length and the
 * next From_ line (or the end) stands exactly there, that boundary wins, so a
 * From_-looking line inside an mboxcl body is not a boundary either.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "scanner/scanner.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The length of the line at p (including its newline). */
static size_t
line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
}

/* "From " + sender + a time hh:mm and a four-digit year somewhere after. */
static bool
is_from_line(const char *p, size_t n)
{
	if (n < 5 || memcmp(p, "From ", 5) != 0)
		return false;
	size_t i = 5;
	while (i < n && p[i] == ' ')
		i++;
	size_t s = i;
	while (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
		i++;
	if (i == s)
		return false;
	bool time = false, year = false;
	for (; i < n; i++) {
		if (i + 2 < n && is_digit(p[i]) && p[i + 1] == ':' && is_digit(p[i + 2]))
			time = true;
		if (i + 3 < n && is_digit(p[i]) && is_digit(p[i + 1]) && is_digit(p[i + 2]) && is_digit(p[i + 3]) &&
		    (i + 4 >= n || !is_digit(p[i + 4])) && (i == 0 || !is_digit(p[i - 1])) &&
		    (p[i] == '1' || p[i] == '2'))
			year = true;
	}
	return time && year;
}

/* A header line "Name: value" (or a continuation-free "Name:" line). */
static bool
is_header_line(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && p[i] != ':' && (unsigned char)p[i] > 32 && (unsigned char)p[i] < 127)
		i++;
	return i > 0 && i < n && p[i] == ':';
}

/* A From_ line that starts a message: one with a date, or any "From " line
 * at the start or after a blank line that headers follow ("From - " as
 * Mozilla writes it, or a bare "From sender"). */
static bool
starts_message(const char *p, const char *end, bool after_blank)
{
	size_t n = line_len(p, end);
	if (n < 5 || memcmp(p, "From ", 5) != 0)
		return false;
	if (is_from_line(p, n))
		return true;
	if (!after_blank || p + n >= end)
		return false;
	return is_header_line(p + n, line_len(p + n, end));
}

static bool
is_blank(const char *p, size_t n)
{
	return n == 1 || (n == 2 && p[0] == '\r');
}

/* The Content-Length declared in the headers at p, or -1. Also sets
 * *body to where the body starts. */
static long long
content_length(const char *p, const char *end, const char **body)
{
	long long cl = -1;
	*body = NULL;
	while (p < end) {
		size_t n = line_len(p, end);
		if (n == 1 || (n == 2 && p[0] == '\r')) {
			*body = p + n;
			return cl;
		}
		if (n > 15 && strncasecmp(p, "Content-Length:", 15) == 0) {
			const char *q = p + 15;
			while (q < p + n && (*q == ' ' || *q == '\t'))
				q++;
			/* Digits within the line: the text is not NUL-terminated, and
			 * strtoll() would read on past the end of a last line. */
			const char *d = q;
			long long v = 0;
			while (q < p + n && is_digit(*q) && v <= (LLONG_MAX - 9) / 10)
				v = v * 10 + (*q++ - '0');
			if (q > d && !(q < p + n && is_digit(*q))) /* else too long for any file */
				cl = v;
		}
		p += n;
	}
	return -1;
}

/* Skips blank lines at p; true when a From_ line or the end follows. */
static bool
boundary_at(const char *p, const char *end)
{
	while (p < end && (*p == '\n' || *p == '\r'))
		p++;
	return p == end || starts_message(p, end, true);
}

bool
trawl_scan__is_mbox(const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end && (*p == '\n' || *p == '\r'))
		p++;
	return p < end && starts_message(p, end, true);
}

trawl_status_t
trawl_scan__mbox_split(const char *data, size_t len, trawl_mbox_fn fn, void *payload)
{
	const char *end = data + len, *p = data;
	trawl_status_t rc = TRAWL_OK;

	/* A byte-order mark, leading blank lines, then the first From_ line. */
	if (!trawl_scan__is_mbox(data, len))
		return TRAWL_EFORMAT;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end && (*p == '\n' || *p == '\r'))
		p++;

	while (p < end) {
		p += line_len(p, end); /* the From_ line */
		const char *start = p, *body, *stop = NULL;

		long long cl = content_length(start, end, &body);
		if (cl >= 0 && body && (unsigned long long)cl <= (unsigned long long)(end - body) &&
		    boundary_at(body + cl, end))
			stop = body + cl;

		if (!stop) {
			/* The next From_ line at the start of a line. */
			const char *q = start;
			bool blank = false;
			while (q < end) {
				size_t n = line_len(q, end);
				if (q > start && starts_message(q, end, blank))
					break;
				blank = is_blank(q, n);
				q += n;
			}
			stop = q;
		}
		/* The blank line before the next From_ belongs to the format. */
		const char *mend = stop;
		if (mend < end || (mend == end && mend > start)) {
			if (mend - start >= 2 && mend[-1] == '\n' && mend[-2] == '\n')
				mend -= 1;
			else if (mend - start >= 4 && memcmp(mend - 4, "\r\n\r\n", 4) == 0)
				mend -= 2;
		}
		if ((rc = fn(start, (size_t)(mend - start), payload)) < 0)
			return rc;
		p = stop;
		while (p < end && (*p == '\n' || *p == '\r'))
			p++;
	}
	return rc;
}

trawl_status_t
trawl_scan__mbox_unquote(trawl_buf_t *out, const char *msg, size_t len)
{
	trawl_buf_reset(out);
	trawl_status_t rc = trawl_buf_grow(out, len);
	if (rc < 0)
		return rc;
	const char *p = msg, *end = msg + len;
	while (p < end) {
		size_t n = line_len(p, end);
		size_t k = 0;
		while (k < n && p[k] == '>')
			k++;
		if (k > 0 && n - k >= 5 && memcmp(p + k, "From ", 5) == 0)
			trawl_buf_put(out, p + 1, n - 1);
		else
			trawl_buf_put(out, p, n);
		p += n;
	}
	return TRAWL_OK;
}

trawl_status_t
trawl_scan__mbox_message(trawl_worker_t *w, const char *msg, size_t len, const char *location,
                         unsigned long n, unsigned depth, trawl_buf_t *raw, trawl_buf_t *loc)
{
	/* "<location>#<n>" without printf: one per message adds up */
	char num[24];
	size_t k = sizeof num;
	do
		num[--k] = (char)('0' + n % 10);
	while ((n /= 10) && k);
	trawl_buf_reset(loc);
	trawl_status_t rc;
	if ((rc = trawl_buf_puts(loc, location)) < 0 || (rc = trawl_buf_putc(loc, '#')) < 0 ||
	    (rc = trawl_buf_put(loc, num + k, sizeof num - k)) < 0)
		return rc;
	const char *data = msg;
	/* Only copy when there is something to unquote. */
	if (memmem(msg, len, ">From ", 6)) {
		if ((rc = trawl_scan__mbox_unquote(raw, msg, len)) < 0)
			return rc;
		data = raw->data, len = raw->len;
	}
	rc = trawl_scan__message(w, data, len, loc->data, depth);
	/* A message that cannot be read is reported by the message reader; the
	 * mbox goes on. Only running out of memory or a stop ends it. */
	if (rc == TRAWL_ENOMEM || rc == TRAWL_EINTR)
		return rc;
	return TRAWL_OK;
}

typedef struct {
	trawl_worker_t *w;
	const char *location;
	unsigned depth;
	unsigned long n;
	trawl_buf_t raw;
	trawl_buf_t loc;
} mbox_state_t;

static trawl_status_t
on_message(const char *msg, size_t len, void *payload)
{
	mbox_state_t *st = payload;
	st->n++;
	if (trawl_scan__stopped(st->w->opts))
		return TRAWL_EINTR;
	return trawl_scan__mbox_message(st->w, msg, len, st->location, st->n, st->depth, &st->raw, &st->loc);
}

trawl_status_t
trawl_scan__mbox(trawl_worker_t *w, const char *data, size_t len, const char *location, unsigned depth)
{
	mbox_state_t st = {.w = w, .location = location, .depth = depth};
	trawl_status_t rc = trawl_scan__mbox_split(data, len, on_message, &st);
	if (rc == TRAWL_EFORMAT)
		trawl_scan__skip(w, location, rc, "not an mbox: no From_ line at the start");
	trawl_buf_free(&st.raw);
	trawl_buf_free(&st.loc);
	return rc;
}
