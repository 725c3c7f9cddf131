/* trawl access --format mbox: the subject's messages themselves, for data
 * portability. The index keeps no bodies, so every message is read again
 * from its source (trawl_scan_fetch(), one walk per source) and written as
 * mboxrd: a From_ line, the message with LF line ends and every line that
 * starts with ">*From " given one more '>', a blank line.
 *
 * A message whose bytes no longer hash to what the scan saw is left out:
 * the source changed, and what stands at that location now may be someone
 * else's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/query.h"
#include "trawl/trawl.h"
#include "util/util.h"

typedef struct {
	const trawl_cli_query_t *q;
	FILE *out;
	GHashTable *by_location; /* "source\0location" key -> trawl_index_message_t* */
	const char *source;
	trawl_buf_t buf;
	size_t written, missing, outlook;
} mbox_t;

/* "From sender Thu Mar 17 22:55:54 2021" */
static void
from_line(trawl_buf_t *b, const trawl_index_message_t *m)
{
	char date[64];
	time_t t = (time_t)m->time;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a %b %e %H:%M:%S %Y", &tm);
	const char *from = m->from && *m->from && !strpbrk(m->from, " \t\r\n") ? m->from : "MAILER-DAEMON";
	trawl_buf_printf(b, "From %s %s\n", from, date);
}

static void
put_mboxrd(trawl_buf_t *b, const char *raw, size_t len)
{
	const char *p = raw, *end = raw + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t k = 0;
		while (k < n && p[k] == '>')
			k++;
		if (n - k >= 5 && memcmp(p + k, "From ", 5) == 0)
			trawl_buf_putc(b, '>');
		size_t body = n && p[n - 1] == '\r' ? n - 1 : n;
		trawl_buf_put(b, p, body);
		trawl_buf_putc(b, '\n');
		p += nl ? n + 1 : n;
	}
	trawl_buf_putc(b, '\n'); /* the blank line that ends a message */
}

static char *
key_of(const char *source, const char *location)
{
	return g_strconcat(source, "\n", location, NULL);
}

static trawl_status_t
on_fetched(const char *location, const char *raw, size_t len, trawl_status_t status, void *payload)
{
	mbox_t *mb = payload;
	char *key = key_of(mb->source, location);
	const trawl_index_message_t *m = g_hash_table_lookup(mb->by_location, key);
	g_free(key);
	if (!m)
		return TRAWL_OK;
	if (status == TRAWL_EUNSUPPORTED) {
		fprintf(stderr, "trawl access: %s: an Outlook item has no RFC 822 form: not in the mbox\n", location);
		mb->outlook++;
		return TRAWL_OK;
	}
	if (status < 0) {
		fprintf(stderr, "trawl access: %s: not found in its source any more (changed since the scan?)\n",
		        location);
		mb->missing++;
		return TRAWL_OK;
	}
	if (m->content_hash && *m->content_hash) {
		char hash[65];
		trawl_sha256_hex(hash, raw, len);
		if (strcmp(hash, m->content_hash) != 0) {
			fprintf(stderr, "trawl access: %s: changed since the scan: left out (scan again)\n", location);
			mb->missing++;
			return TRAWL_OK;
		}
	}
	trawl_buf_reset(&mb->buf);
	from_line(&mb->buf, m);
	put_mboxrd(&mb->buf, raw, len);
	if (fwrite(mb->buf.data, 1, mb->buf.len, mb->out) != mb->buf.len)
		return TRAWL_EIO;
	mb->written++;
	return TRAWL_OK;
}

int
trawl_cli_access_mbox(const trawl_cli_query_t *q, const trawl_access_t *a)
{
	int status = TRAWL_EXIT_FATAL;
	trawl_status_t rc = TRAWL_OK;
	mbox_t mb = {.q = q};
	const char **locations = NULL;
	const char *name = q->output && strcmp(q->output, "-") ? q->output : "standard output";

	mb.by_location = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (size_t i = 0; i < a->n_messages; i++)
		g_hash_table_insert(mb.by_location, key_of(a->messages[i].source, a->messages[i].location),
		                    &a->messages[i]);
	if (!(locations = calloc(a->n_messages ? a->n_messages : 1, sizeof *locations)))
		goto done;
	if (!(mb.out = trawl_cli_open_output(q->output)))
		goto done;
	trawl_cli_catch_signals();
	trawl_scan_opts_t opts = {.stop = &trawl_cli_stop};

	/* One walk per source, in the order the report lists them. */
	for (size_t i = 0; i < a->n_sources && rc == TRAWL_OK; i++) {
		size_t n = 0;
		mb.source = a->sources[i].source;
		for (size_t j = 0; j < a->n_messages; j++)
			if (strcmp(a->messages[j].source, mb.source) == 0)
				locations[n++] = a->messages[j].location;
		if (!n)
			continue;
		rc = trawl_scan_fetch(&opts, mb.source, locations, n, on_fetched, &mb);
		if (rc == TRAWL_ENOTFOUND || rc == TRAWL_EIO) {
			fprintf(stderr, "trawl access: %s: cannot read it any more: %zu message%s left out\n", mb.source,
			        n, n == 1 ? "" : "s");
			mb.missing += n;
			rc = TRAWL_OK;
		}
	}
	if (rc == TRAWL_EINTR)
		fprintf(stderr, "trawl access: interrupted\n");
	else if (rc < 0 && rc != TRAWL_EIO)
		fprintf(stderr, "trawl access: %s: %s\n", name, trawl_status_str(rc));
	if (trawl_cli_close_output(mb.out, q->output) < 0 && rc == TRAWL_OK)
		rc = TRAWL_EIO;
	mb.out = NULL;
	if (rc < 0) {
		if (q->output && strcmp(q->output, "-") != 0)
			unlink(q->output); /* no half mbox left behind */
		goto done;
	}
	if (mb.outlook || mb.missing)
		fprintf(stderr, "trawl access: wrote %zu of %zu messages to %s\n", mb.written, a->n_messages, name);
	status = mb.missing ? TRAWL_EXIT_PARTIAL : TRAWL_EXIT_OK;
done:
	if (status == TRAWL_EXIT_FATAL && !locations)
		fprintf(stderr, "trawl access: out of memory\n");
	trawl_buf_free(&mb.buf);
	g_hash_table_destroy(mb.by_location);
	free(locations);
	return status;
}
