/* Fetching messages again: the index keeps no bodies, so writing a
 * subject's messages out means reading each source once more and walking
 * it, exactly as the scan did (same sniffing, same archive and mbox readers,
 * so the same locations), to the messages asked for.
 *
 * The walk runs on a worker whose `fetch` is set: trawl_scan__message()
 * then hands the raw bytes over here instead of parsing, so no detector
 * runs on RFC 822 mail. Outlook items are not RFC 822: a PST, a TNEF or a
 * .msg file found at the top is answered at once; a PST inside an archive is
 * walked (with an empty detector set, so nothing is detected) only to
 * learn which of its items were asked for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "scanner/scanner.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "detectors/detector.h"

struct trawl_fetch {
	GHashTable *wanted; /* location (borrowed) -> GINT_TO_POINTER(1) once handed over */
	size_t left;
	trawl_fetch_fn fn;
	void *payload;
	volatile sig_atomic_t stop;        /* the walk's own: everything found, or fn failed */
	volatile sig_atomic_t *outer_stop; /* the caller's */
	trawl_status_t error;              /* fn's */
};

/* No detector at all: PST items are walked to be recognised, not read. */
static const trawl_detector_t *const no_detectors[] = {NULL};
static const struct trawl_detector_set empty_set = {.detectors = no_detectors};

/* Hands one location over (once); raw NULL with a status for failures. */
static trawl_status_t
deliver(struct trawl_fetch *f, const char *location, const char *raw, size_t len, trawl_status_t status)
{
	gpointer key, done;
	if (!g_hash_table_lookup_extended(f->wanted, location, &key, &done) || done)
		return TRAWL_OK;
	g_hash_table_insert(f->wanted, key, GINT_TO_POINTER(1));
	f->left--;
	trawl_status_t rc = f->fn(key, raw, len, status, f->payload);
	if (rc != TRAWL_OK && f->error == TRAWL_OK)
		f->error = rc;
	if (rc != TRAWL_OK || f->left == 0 || (f->outer_stop && *f->outer_stop))
		f->stop = 1;
	return rc;
}

trawl_status_t
trawl_scan__fetch_message(trawl_worker_t *w, const char *data, size_t len, const char *location)
{
	return deliver(w->fetch, location, data, len, TRAWL_OK);
}

/* Records reach the sink only from readers that are not RFC 822: PST. */
static trawl_status_t
fetch_emit(trawl_worker_t *w, trawl_message_t *msg)
{
	trawl_status_t rc = deliver(w->fetch, msg->location, NULL, 0, TRAWL_EUNSUPPORTED);
	trawl_message_free(msg);
	return rc;
}

static void
fetch_event(trawl_worker_t *w, const trawl_event_t *ev)
{
	(void)w, (void)ev; /* what is unreadable now shows as not found */
}

trawl_status_t
trawl_scan_fetch(const trawl_scan_opts_t *opts, const char *source, const char *const *locations, size_t n,
                 trawl_fetch_fn fn, void *payload)
{
	trawl_status_t rc = TRAWL_OK;
	struct trawl_fetch f = {.fn = fn, .payload = payload, .outer_stop = opts->stop};
	trawl_scan_opts_t o = *opts;
	trawl_worker_t w;
	bool worker = false;
	int fd = -1;
	void *map = NULL;
	size_t len = 0;
	struct stat st;

	f.wanted = g_hash_table_new(g_str_hash, g_str_equal);
	for (size_t i = 0; i < n; i++)
		if (locations[i] && !g_hash_table_contains(f.wanted, locations[i]))
			g_hash_table_insert(f.wanted, (gpointer)locations[i], GINT_TO_POINTER(0));
	f.left = g_hash_table_size(f.wanted);
	if (!f.left)
		goto done;

	fd = open(source, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) != 0) {
		rc = errno == ENOENT || errno == ENOTDIR ? TRAWL_ENOTFOUND : TRAWL_EIO;
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = TRAWL_EIO;
		goto done;
	}
	len = (size_t)st.st_size;
	if (len) {
		map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			map = NULL;
			rc = TRAWL_EIO;
			goto done;
		}
		madvise(map, len, MADV_SEQUENTIAL);
	}

	trawl_scan__global_init();
	o.stop = &f.stop;
	o.detectors = &empty_set;
	if ((rc = trawl_scan__worker_init(&w, &o)) < 0)
		goto done;
	worker = true;
	w.fetch = &f;
	w.emit_message = fetch_emit;
	w.emit_event = fetch_event;
	w.sink = &f;
	w.source = source;

	if (len) {
		trawl_kind_t kind = trawl_scan__sniff(&w, map, len, NULL);
		if (kind == TRAWL_KIND_PST || kind == TRAWL_KIND_TNEF || kind == TRAWL_KIND_OXMSG) { /* not RFC 822 */
			GHashTableIter it;
			gpointer key;
			g_hash_table_iter_init(&it, f.wanted);
			GPtrArray *all = g_ptr_array_new();
			while (g_hash_table_iter_next(&it, &key, NULL))
				g_ptr_array_add(all, key);
			for (guint i = 0; i < all->len && !f.stop; i++)
				deliver(&f, all->pdata[i], NULL, 0, TRAWL_EUNSUPPORTED);
			g_ptr_array_free(all, TRUE);
		} else {
			/* What the scan took for a message without sniffing (a maildir
			 * file) may sniff as text: a file is a message when one was
			 * indexed at its own name. */
			bool mail = kind == TRAWL_KIND_EML || kind == TRAWL_KIND_MBOX || trawl_scan__kind_is_archive(kind);
			trawl_kind_t hint = !mail && g_hash_table_contains(f.wanted, source) ? TRAWL_KIND_EML : kind;
			rc = trawl_scan__blob(&w, map, len, source, 0, hint);
		}
	}
	if (f.error) {
		rc = f.error;
		goto done;
	}
	if (opts->stop && *opts->stop) {
		rc = TRAWL_EINTR;
		goto done;
	}
	rc = TRAWL_OK; /* our own stop, or what the readers said of a damaged file */
	if (f.left) {
		GHashTableIter it;
		gpointer key, done;
		GPtrArray *missing = g_ptr_array_new();
		g_hash_table_iter_init(&it, f.wanted);
		while (g_hash_table_iter_next(&it, &key, &done))
			if (!done)
				g_ptr_array_add(missing, key);
		for (guint i = 0; i < missing->len && rc == TRAWL_OK; i++)
			rc = deliver(&f, missing->pdata[i], NULL, 0, TRAWL_ENOTFOUND);
		g_ptr_array_free(missing, TRUE);
	}
done:
	if (worker)
		trawl_scan__worker_fini(&w);
	if (map)
		munmap(map, len);
	if (fd >= 0)
		close(fd);
	g_hash_table_destroy(f.wanted);
	return rc;
}
