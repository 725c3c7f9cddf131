/* What the harnesses share: one detector set, and a scan of one blob whose
 * records are checked and freed.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz/fuzz.h"
#include "scanner/scanner.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const trawl_detector_set_t *
trawl_fuzz__detectors(void)
{
	static trawl_detector_set_t *set;
	if (!set) {
		char *why = NULL;
		if (trawl_detector_set_new(&set, NULL, &why) != TRAWL_OK) {
			fprintf(stderr, "fuzz: cannot build the detectors: %s\n", why ? why : "?");
			abort();
		}
	}
	return set;
}

/* A record must hold what the contract promises whatever the input: the
 * strings every consumer prints unchecked, and findings that point inside
 * their text. A broken promise is a crash here, so the fuzzer keeps it. */
static trawl_status_t
check_message(trawl_message_t *msg, void *payload)
{
	(void)payload;
	if (!msg->source || !msg->location || !msg->message_id)
		abort();
	for (size_t i = 0; i < msg->findings.len; i++) {
		const trawl_finding_t *f = &msg->findings.items[i];
		if (f->start > f->end || !f->value || !f->norm || !f->part || !f->rule ||
		    (unsigned)f->type >= TRAWL_TYPE_COUNT)
			abort();
	}
	trawl_message_free(msg);
	return TRAWL_OK;
}

static void
check_event(const trawl_event_t *ev, void *payload)
{
	(void)payload;
	if (ev->type == TRAWL_EVENT_SKIP && (!ev->location || !ev->reason))
		abort();
}

static trawl_status_t
emit_message(trawl_worker_t *w, trawl_message_t *msg)
{
	return check_message(msg, w->sink);
}

static void
emit_event(trawl_worker_t *w, const trawl_event_t *ev)
{
	check_event(ev, w->sink);
}

/* trawl_scan_buffer() opens a libmagic cookie and loads its database for
 * every call, which is most of the time of a small input: here the worker
 * is made once and copied fresh for each input, and the blob read as
 * trawl_scan_buffer() reads it. */
void
trawl_fuzz__scan(const uint8_t *data, size_t size, const char *name)
{
	trawl_fuzz__scan_as(data, size, name, TRAWL_KIND_UNKNOWN);
}

void
trawl_fuzz__scan_as(const uint8_t *data, size_t size, const char *name, int kind)
{
	static trawl_scan_opts_t opts;
	static trawl_worker_t proto;
	static bool ready;
	if (!ready) {
		opts.threads = 1;
		opts.detectors = trawl_fuzz__detectors();
		trawl_scan__global_init();
		if (trawl_scan__worker_init(&proto, &opts) != TRAWL_OK)
			abort();
		proto.emit_message = emit_message;
		proto.emit_event = emit_event;
		ready = true;
	}
	trawl_worker_t w = proto;
	w.source = name;
	trawl_scan__blob(&w, size ? (const char *)data : "", size, name, 0, (trawl_kind_t)kind);
	trawl_buf_free(&w.scratch);
	/* the converters this input opened (the prototype has none): what
	 * trawl_scan__worker_fini() closes, but for the shared libmagic cookie */
	for (size_t i = 0; i < sizeof w.conv / sizeof *w.conv; i++) {
		if (w.conv[i].from) {
			g_iconv_close(w.conv[i].cd);
			g_free(w.conv[i].from);
		}
	}
}
