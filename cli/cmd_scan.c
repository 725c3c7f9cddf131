/* trawl scan: read mail under PATHs into the index.
 *
 * This thread owns the index writer: the scanner's workers, this thread
 * among them while no record waits, hand it records through
 * trawl_scan_run()'s callbacks, and it commits in batches. On Ctrl-C
 * or an error nothing after the last commit is kept, so the index answers as
 * of its last commit; sources finished by then need not be read again.
 *
 * Scans are incremental: what the index knows of every source (size and
 * mtime when it was read to its end) is loaded into a hash table before the
 * scan starts and only read afterwards, so the workers can ask it, all at
 * once, whether a file changed; unchanged files are not opened beyond a
 * stat. After the scan, every source under the PATHs that the walk did not
 * meet and that is gone from the disk is dropped from the index.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <glib.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli/cli.h"
#include "trawl/trawl.h"

/* Between commits Xapian keeps the changes in memory, in sorted maps that
 * grow with the batch; a commit costs the more the larger the index
 * (identifier terms are keyed hashes, spread over the whole posting table,
 * so a commit rewrites blocks all over it), and while it runs no record is
 * stored. A commit every COMMIT_EVERY messages or COMMIT_FINDINGS findings,
 * whichever comes first, bounds memory whatever the mail. trawl scan of
 * the short bench mbox (210 MB, 1.8 million findings), two threads, three
 * runs each, on a quiet host: every 625 messages 6.9-7.3 s (fsync), 1250
 * 6.0-6.3 s, 2500 6.0-6.1 s (10.3-10.6 s user CPU, 99-113 MB peak RSS),
 * 5000 6.4-6.6 s (11.1-11.3 s), 20,000 6.5-6.7 s (11.0-11.4 s). Since the
 * workers got faster (af8d4ac) the writer is the narrowest part, and fewer
 * commits pay: 44 commits of 2,500 took 2.1 s of its CPU, 22 of 5,000 1.6
 * s; with QUEUE_RECORDS 4096, twelve alternating runs against 2,500 and
 * 2048: faster in ten, 5.11-5.38 s against 5.37-5.78 s in the last four
 * (writer CPU 3.11-3.25 s against 3.20-3.50 s); the 2 GB mbox in 60 s
 * (77 s in af8d4ac's flatness check, on a slower host); peak RSS 94 -> 118
 * MB, as flat as before (1.04x from 200 MB to 2 GB). */
#define COMMIT_EVERY 5000
#define COMMIT_FINDINGS 100000

/* Records that may wait for this thread (trawl_scan_opts_t.queue_records):
 * enough for the workers to go on through a commit. With the default 256
 * they waited through every one (the short bench mbox, 210 MB, two
 * threads: 8.2-9.1 s); with 1024 7.7-8.1 s, 2048 6.8-7.0 s, 4096 6.5-7.2 s
 * (peak anonymous RSS 49, 60, 63, 67 MB). 4096 since commits come every
 * 5,000 messages, each longer (COMMIT_EVERY). */
#define QUEUE_RECORDS 4096

static void
usage(FILE *f)
{
	fprintf(f, "usage: trawl scan [--index DIR] [OPTIONS] PATH...\n"
	           "\n"
	           "Reads every mbox, EML, maildir and archive under PATHs, finds personal data in\n"
	           "every part and writes it to the index (default " TRAWL_DEFAULT_INDEX ").\n"
	           "A file read by an earlier scan is read again only when its size or\n"
	           "modification time changed, and then replaces what it gave; files under\n"
	           "PATHs that are gone are dropped from the index.\n"
	           "\n"
	           "  --index DIR           the index folder (created mode 0700)\n"
	           "  --full                read every file again, changed or not (after new\n"
	           "                        rules or a new trawl)\n"
	           "  --quiet               no progress line and no summary\n"
	           "%s",
	        trawl_cli_scan_options_help);
}

/* What the index knew of a source before this scan. */
typedef struct {
	uint64_t size;
	int64_t mtime;
	bool complete; /* read to its end: size and mtime can be trusted */
} stored_t;

typedef struct {
	trawl_cli_scan_t *s;
	trawl_index_t *idx;
	const char *dir;
	unsigned long long since_commit, findings_since_commit;
	/* progress: bytes of the files done, of those begun, of the messages
	 * read so far, and of every file (once the walker is done) */
	unsigned long long bytes, begun_bytes, msg_bytes, total_bytes, msgs;
	bool total_known;
	bool tty, full;
	struct timespec t0, last;
	trawl_status_t error;
	GHashTable *stored;       /* source -> stored_t; read-only while the scan runs */
	GHashTable *seen;         /* sources the scan read (SOURCE_BEGIN), this thread only */
	atomic_ullong unchanged;  /* files left out by unchanged() */
	unsigned long long gone;  /* sources dropped */
} scan_t;

/* The skip callback: called from the worker threads, at once; reads only. */
static int
unchanged(const char *source, uint64_t size, int64_t mtime, void *payload)
{
	scan_t *sc = payload;
	const stored_t *st = g_hash_table_lookup(sc->stored, source);
	if (!st || !st->complete || st->size != size || st->mtime != mtime)
		return 0;
	atomic_fetch_add(&sc->unchanged, 1);
	return 1;
}

/* Loads what the index knows of every source. */
static trawl_status_t
load_stored(scan_t *sc)
{
	trawl_stats_t *stats = NULL;
	trawl_status_t rc = trawl_index_stats(sc->idx, &stats);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < stats->n_sources; i++) {
		const trawl_index_source_t *src = &stats->sources[i];
		stored_t *st = g_new0(stored_t, 1);
		st->size = src->size;
		st->mtime = src->mtime;
		/* a file that could not be opened is tried again each time */
		st->complete = src->kind && strcmp(src->kind, "unreadable") != 0 && (src->size || src->mtime);
		g_hash_table_insert(sc->stored, g_strdup(src->source), st);
	}
	trawl_stats_free(stats);
	return TRAWL_OK;
}

/* Is source the file path or under the folder path? */
static bool
under(const char *source, const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (strncmp(source, path, n) != 0)
		return false;
	return source[n] == '\0' || source[n] == '/' || (n == 1 && path[0] == '/');
}

/* Drops every source the index knew under the PATHs that the scan did not
 * read and that is no longer on the disk (a PATH given that is gone
 * included: the walker could only report it missing). */
static trawl_status_t
drop_gone(scan_t *sc, const char *const *paths, size_t n_paths)
{
	GHashTableIter it;
	gpointer key;
	trawl_status_t rc = TRAWL_OK;
	g_hash_table_iter_init(&it, sc->stored);
	while (rc == TRAWL_OK && g_hash_table_iter_next(&it, &key, NULL)) {
		const char *source = key;
		struct stat st;
		if (g_hash_table_contains(sc->seen, source) || strcmp(source, "-") == 0)
			continue;
		bool in = false;
		for (size_t i = 0; i < n_paths && !in; i++)
			in = under(source, paths[i]);
		if (!in || lstat(source, &st) == 0 || (errno != ENOENT && errno != ENOTDIR))
			continue;
		if ((rc = trawl_index_drop_source(sc->idx, source)) < 0)
			fprintf(stderr, "trawl scan: %s: %s\n", sc->dir, trawl_index_last_error(sc->idx));
		else
			sc->gone++;
	}
	return rc;
}

static double
seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void
progress(scan_t *sc, bool force)
{
	if (!sc->tty)
		return;
	if (!force && seconds_since(&sc->last) < 0.25)
		return;
	clock_gettime(CLOCK_MONOTONIC, &sc->last);
	/* the files done, and within the files being read what their messages
	 * come to (an estimate: a compressed archive holds more than its size) */
	unsigned long long done = sc->msg_bytes < sc->begun_bytes ? sc->msg_bytes : sc->begun_bytes;
	if (done < sc->bytes)
		done = sc->bytes;
	double el = seconds_since(&sc->t0), mb = (double)done / 1e6, rate = el > 0 ? mb / el : 0;
	fprintf(stderr, "\r\033[Kscan: %llu files, %llu messages, %.1f MB, %.1f MB/s, %.0fs", sc->s->sources, sc->msgs,
	        mb, rate, el);
	if (sc->total_known && rate > 0 && sc->total_bytes > done)
		fprintf(stderr, ", ETA %.0fs", ((double)(sc->total_bytes - done) / 1e6) / rate);
}

static trawl_status_t
commit(scan_t *sc)
{
	trawl_status_t rc = trawl_index_commit(sc->idx);
	if (rc < 0)
		fprintf(stderr, "\ntrawl scan: %s: commit failed: %s\n", sc->dir, trawl_index_last_error(sc->idx));
	sc->since_commit = sc->findings_since_commit = 0;
	return rc;
}

/* What a worker made of a record for on_message: its index documents and
 * the counts of its findings, which the worker then frees itself. The one
 * thread that writes the index is the narrowest part of a scan: what need
 * not be done there is not (and freeing memory on the thread that took it
 * is cheaper too). */
typedef struct {
	trawl_index_prepared_t *prep;
	size_t findings;
	unsigned long long by_type[TRAWL_TYPE_COUNT];
} prepared_t;

static void
prepared_free(void *p)
{
	prepared_t *pr = p;
	if (pr)
		trawl_index_prepared_free(pr->prep);
	free(pr);
}

/* On a worker thread: the record's index documents, built there. A
 * failure leaves it unprepared, and on_message tries again and says why. */
static void
prepare(trawl_message_t *m, void *payload)
{
	const scan_t *sc = payload;
	prepared_t *pr = calloc(1, sizeof *pr);
	if (!pr || trawl_index_prepare(sc->idx, m, &pr->prep) != TRAWL_OK) {
		free(pr);
		return;
	}
	pr->findings = m->findings.len;
	for (size_t i = 0; i < m->findings.len; i++)
		if ((unsigned)m->findings.items[i].type < TRAWL_TYPE_COUNT)
			pr->by_type[m->findings.items[i].type]++;
	trawl_findings_clear(&m->findings);
	m->prepared = pr;
	m->prepared_free = prepared_free;
}

static trawl_status_t
on_message(trawl_message_t *m, void *payload)
{
	scan_t *sc = payload;
	trawl_status_t rc;
	prepared_t *pr = m->prepared;
	if (pr) {
		rc = trawl_index_add_prepared(sc->idx, m, pr->prep);
		pr->prep = NULL;
		for (int t = 0; t < TRAWL_TYPE_COUNT; t++)
			sc->s->by_type[t] += pr->by_type[t];
		sc->findings_since_commit += pr->findings;
	} else {
		rc = trawl_index_add_message(sc->idx, m);
		for (size_t i = 0; i < m->findings.len; i++)
			if ((unsigned)m->findings.items[i].type < TRAWL_TYPE_COUNT)
				sc->s->by_type[m->findings.items[i].type]++;
		sc->findings_since_commit += m->findings.len;
	}
	if (rc < 0) {
		fprintf(stderr, "\ntrawl scan: %s: %s\n", sc->dir, trawl_index_last_error(sc->idx));
		sc->error = rc;
	}
	sc->msg_bytes += m->size;
	sc->msgs++;
	trawl_message_free(m);
	if (rc == TRAWL_OK && (++sc->since_commit >= COMMIT_EVERY || sc->findings_since_commit >= COMMIT_FINDINGS))
		rc = commit(sc);
	progress(sc, false);
	return rc;
}

static void
on_event(const trawl_event_t *ev, void *payload)
{
	scan_t *sc = payload;
	if (sc->error)
		return;
	if (ev->type == TRAWL_EVENT_SKIP && sc->tty && !sc->s->quiet)
		fputs("\r\033[K", stderr);
	if (sc->s->quiet && ev->type == TRAWL_EVENT_SKIP) {
		sc->s->skipped++;
		sc->s->unreadable += ev->status != TRAWL_EUNSUPPORTED;
	} else {
		trawl_cli_count_event(sc->s, ev, "scan");
	}
	if (ev->type == TRAWL_EVENT_WALK_END) {
		sc->total_bytes = ev->bytes;
		sc->total_known = true;
		return;
	}
	if (ev->type == TRAWL_EVENT_SOURCE_END)
		sc->bytes += ev->bytes;
	if (ev->type == TRAWL_EVENT_SOURCE_BEGIN)
		sc->begun_bytes += ev->bytes;
	if (ev->type == TRAWL_EVENT_SOURCE_BEGIN && ev->source && !g_hash_table_contains(sc->seen, ev->source))
		g_hash_table_add(sc->seen, g_strdup(ev->source));
	trawl_status_t rc = trawl_index_add_event(sc->idx, ev);
	if (rc < 0) {
		fprintf(stderr, "\ntrawl scan: %s: %s\n", sc->dir, trawl_index_last_error(sc->idx));
		sc->error = rc;
		/* atomic: the scanner's workers read it meanwhile */
		__atomic_store_n(&trawl_cli_stop, 1, __ATOMIC_RELAXED);
	}
}

static void
summary(scan_t *sc)
{
	trawl_cli_scan_t *s = sc->s;
	double el = seconds_since(&sc->t0);
	fprintf(stderr, "scanned %llu files, %llu messages, %.1f MB in %.1fs", s->sources, s->messages,
	        (double)sc->bytes / 1e6, el);
	unsigned long long same = atomic_load(&sc->unchanged);
	if (same)
		fprintf(stderr, "; %llu unchanged file%s not read again", same, same == 1 ? "" : "s");
	if (sc->gone)
		fprintf(stderr, "; %llu gone, dropped from the index", sc->gone);
	bool any = false;
	for (int t = 0; t < TRAWL_TYPE_COUNT; t++) {
		if (!s->by_type[t])
			continue;
		fprintf(stderr, "%s %s %llu", any ? "," : "; found", trawl_type_name((trawl_type_t)t), s->by_type[t]);
		any = true;
	}
	if (s->skipped)
		fprintf(stderr, "; %llu skipped (%llu unreadable): see trawl stats", s->skipped, s->unreadable);
	fputc('\n', stderr);
}

int
trawl_cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		TRAWL_CLI_SCAN_OPTIONS,
		{"index", required_argument, NULL, 'i'},
		{"quiet", no_argument, NULL, 'q'},
		{"full", no_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	trawl_cli_scan_t s = {0};
	const char *dir = TRAWL_DEFAULT_INDEX;
	bool full = false;
	int opt, status = TRAWL_EXIT_OK;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'i': dir = optarg; break;
		case 'q': s.quiet = true; break;
		case 'F': full = true; break;
		case 'h': usage(stdout); return TRAWL_EXIT_OK;
		default:
			if (opt >= 1000 && trawl_cli_scan_option(&s, opt, optarg, "scan") == 0)
				break;
			usage(stderr);
			return TRAWL_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "trawl scan: no PATH given\n");
		usage(stderr);
		return TRAWL_EXIT_USAGE;
	}
	trawl_detector_set_t *set = trawl_cli_detectors(&s, "scan");
	if (!set)
		return TRAWL_EXIT_FATAL;

	scan_t sc = {.s = &s, .dir = dir, .tty = !s.quiet && isatty(2), .full = full};
	sc.stored = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	sc.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	trawl_status_t rc = trawl_index_open(&sc.idx, dir, TRAWL_INDEX_WRITE);
	if (rc == TRAWL_OK)
		rc = load_stored(&sc);
	if (rc < 0) {
		fprintf(stderr, "trawl scan: %s: %s\n", dir,
		        sc.idx && *trawl_index_last_error(sc.idx) ? trawl_index_last_error(sc.idx)
		                                                   : trawl_status_str(rc));
		status = TRAWL_EXIT_FATAL;
		goto done;
	}
	if (!full)
		s.scan.skip = unchanged;
	s.scan.prepare = prepare;
	s.scan.queue_records = QUEUE_RECORDS;
	trawl_cli_catch_signals();
	clock_gettime(CLOCK_MONOTONIC, &sc.t0);
	sc.last = sc.t0;
	rc = trawl_scan_run(&s.scan, (const char *const *)argv + optind, (size_t)(argc - optind), on_message,
	                    on_event, &sc);
	if (sc.error)
		rc = sc.error;
	if (rc == TRAWL_OK)
		rc = drop_gone(&sc, (const char *const *)argv + optind, (size_t)(argc - optind));
	if (rc == TRAWL_OK)
		rc = commit(&sc);
	progress(&sc, true);
	if (sc.tty)
		fputc('\n', stderr);
	if (rc == TRAWL_EINTR) {
		fprintf(stderr, "trawl scan: interrupted: the index holds what was committed before\n");
		status = TRAWL_EXIT_FATAL;
	} else if (rc < 0) {
		fprintf(stderr, "trawl scan: %s: %s: the index holds what was committed before\n", dir,
		        trawl_status_str(rc));
		status = TRAWL_EXIT_FATAL;
	} else {
		if (sc.tty) /* a terminal, not --quiet: as the progress line */
			summary(&sc);
		if (s.unreadable)
			status = TRAWL_EXIT_PARTIAL;
	}

done:
	trawl_index_free(sc.idx);
	if (sc.stored)
		g_hash_table_destroy(sc.stored);
	if (sc.seen)
		g_hash_table_destroy(sc.seen);
	trawl_detector_set_free(set);
	return status;
}
