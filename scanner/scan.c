/* The pipeline: a walker thread finds files, N workers read them, and the
 * caller's thread receives every record and event, in the order the workers
 * finish them. Every queue is bounded: a slow consumer (the index writer)
 * holds the workers back, and the workers hold the walker back, so memory
 * stays flat whatever the size of the input.
 *
 * The caller's thread is one of the N: it hands over what is waiting first
 * (on_message, on_event: for trawl scan the index writer, which only this
 * thread touches), and reads files and batches itself while nothing is. So
 * N threads keep N cores busy, a consumer that takes a third of the CPU
 * included, and --threads 1 is one thread: no core stands idle waiting
 * for the other. What it makes itself goes through the same queue, so the
 * order of events below holds for it too; where a worker would wait for
 * room there, it hands over the oldest instead.
 *
 * One large mbox would keep one worker busy while the others idle, so the
 * worker that opens one splits it at message boundaries into batches of
 * consecutive messages and queues them; every worker takes batches before
 * new files. The file stays mapped until its last batch is done, and
 * whichever worker finishes that one reports the end of the file, so the
 * caller still sees a file's BEGIN, its records, then its END.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "scanner/scanner.h"

#include <dirent.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define GiB (1024ull * 1024 * 1024)
#define MiB (1024ull * 1024)

/* A top-level mbox larger than this is split into batches of about
 * BATCH_BYTES (or BATCH_MESSAGES) for the workers to share. */
#define SPLIT_MIN_BYTES (4 * MiB)
#define BATCH_BYTES (1 * MiB)
#define BATCH_MESSAGES 4096

static void
fill_limits(trawl_limits_t *l, const trawl_limits_t *in)
{
	*l = *in;
	if (!l->max_depth)
		l->max_depth = 16;
	if (!l->max_part_bytes)
		l->max_part_bytes = 64 * MiB;
	if (!l->max_expanded_bytes)
		l->max_expanded_bytes = 4 * GiB;
	if (l->max_ratio <= 0)
		l->max_ratio = 200;
	if (!l->max_members)
		l->max_members = 100000;
	if (!l->max_message_bytes)
		l->max_message_bytes = 256 * MiB;
}

trawl_status_t
trawl_scan__worker_init(trawl_worker_t *w, const trawl_scan_opts_t *opts)
{
	memset(w, 0, sizeof *w);
	w->opts = opts;
	fill_limits(&w->limits, &opts->limits);
	w->magic = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ELF |
	                      MAGIC_NO_CHECK_TAR | MAGIC_ERROR);
	if (!w->magic)
		return TRAWL_ENOMEM;
	if (magic_load(w->magic, NULL) != 0) {
		magic_close(w->magic);
		w->magic = NULL; /* sniffing falls back to magic numbers and headers */
	}
	return TRAWL_OK;
}

void
trawl_scan__worker_fini(trawl_worker_t *w)
{
	if (w->magic)
		magic_close(w->magic);
	trawl_buf_free(&w->scratch);
	for (size_t i = 0; i < G_N_ELEMENTS(w->conv); i++) {
		if (w->conv[i].from)
			g_iconv_close(w->conv[i].cd);
		g_free(w->conv[i].from);
	}
}

char *
trawl_scan__convert(trawl_worker_t *w, const char *data, size_t len, const char *from, gsize *written)
{
	size_t n = G_N_ELEMENTS(w->conv), i;
	*written = 0;
	for (i = 0; i < n && !(w->conv[i].from && strcmp(w->conv[i].from, from) == 0); i++)
		;
	if (i == n) {
		GIConv cd = g_iconv_open("UTF-8", from);
		if (cd == (GIConv)-1)
			return NULL;
		i = w->conv_next;
		w->conv_next = (w->conv_next + 1) % n;
		if (w->conv[i].from)
			g_iconv_close(w->conv[i].cd);
		g_free(w->conv[i].from);
		w->conv[i].from = g_strdup(from);
		w->conv[i].cd = cd;
	}
	/* a conversion that failed halfway may have left a shift state */
	g_iconv(w->conv[i].cd, NULL, NULL, NULL, NULL);
	return g_convert_with_iconv(data, (gssize)len, w->conv[i].cd, NULL, written, NULL);
}

/* ---- queues ---------------------------------------------------------- */

typedef struct {
	char *path;
	trawl_kind_t hint;
	const char *kind; /* what the walker knows the file is part of ("maildir") */
} job_t;

typedef struct {
	trawl_message_t *msg; /* or an event: */
	trawl_event_t ev;
	char *strings[4];
	size_t weight; /* what it counts for in the queue (queue_t) */
} out_t;

/* A bounded FIFO of pointers; the caller holds whatever lock guards it. */
typedef struct {
	void **items;
	size_t cap, head, len;
} ring_t;

static int
ring_init(ring_t *r, size_t cap)
{
	memset(r, 0, sizeof *r);
	r->items = calloc(cap, sizeof *r->items);
	r->cap = cap;
	return r->items ? 0 : -1;
}

/* The caller has checked that there is room. */
static void
ring_push(ring_t *r, void *item)
{
	r->items[(r->head + r->len++) % r->cap] = item;
}

static void *
ring_pop(ring_t *r)
{
	if (!r->len)
		return NULL;
	void *item = r->items[r->head];
	r->head = (r->head + 1) % r->cap;
	r->len--;
	return item;
}

/* The records on their way to the caller's thread, bounded in number
 * (opts->queue_records, OUT_RECORDS when 0) and in weight (OUT_WEIGHT_PER
 * times that): a record or an event weighs one, and one more for each
 * finding the record was made from (what it holds is about that many terms
 * and fields). A record heavier than the bound alone still goes, alone. */
#define OUT_RECORDS 256
#define OUT_WEIGHT_PER 16
typedef struct {
	ring_t ring;
	size_t weight, max_weight;
	bool closed;
	pthread_mutex_t *mu; /* the pipeline's (pipeline_t.mu): one lock for work and records */
	pthread_cond_t not_empty, not_full;
} queue_t;

static int
queue_init(queue_t *q, size_t cap, size_t max_weight, pthread_mutex_t *mu)
{
	memset(q, 0, sizeof *q);
	q->max_weight = max_weight;
	q->mu = mu;
	pthread_cond_init(&q->not_empty, NULL);
	pthread_cond_init(&q->not_full, NULL);
	return ring_init(&q->ring, cap);
}

static void
queue_destroy(queue_t *q)
{
	free(q->ring.items);
	pthread_cond_destroy(&q->not_empty);
	pthread_cond_destroy(&q->not_full);
}

/* Whether o must wait for room; under q->mu. */
static bool
queue_full(const queue_t *q, const out_t *o)
{
	return q->ring.len == q->ring.cap || (q->weight && q->weight + o->weight > q->max_weight);
}

/* Under q->mu, with room. */
static void
queue_put(queue_t *q, out_t *o)
{
	ring_push(&q->ring, o);
	q->weight += o->weight;
}

static void
queue_push(queue_t *q, out_t *o)
{
	pthread_mutex_lock(q->mu);
	while (queue_full(q, o))
		pthread_cond_wait(&q->not_full, q->mu);
	queue_put(q, o);
	pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(q->mu);
}

/* NULL when the queue is closed and empty. */
static out_t *
queue_pop(queue_t *q)
{
	pthread_mutex_lock(q->mu);
	while (q->ring.len == 0 && !q->closed)
		pthread_cond_wait(&q->not_empty, q->mu);
	out_t *o = ring_pop(&q->ring);
	if (o) {
		q->weight -= o->weight;
		pthread_cond_signal(&q->not_full);
	}
	pthread_mutex_unlock(q->mu);
	return o;
}

static void
queue_close(queue_t *q)
{
	pthread_mutex_lock(q->mu);
	q->closed = true;
	pthread_cond_broadcast(&q->not_empty);
	pthread_mutex_unlock(q->mu);
}

/* ---- the pipeline ---------------------------------------------------- */

#define DONE_RING 512

/* A file whose messages several workers read: mapped (or read from
 * standard input) once, freed by whoever drops the last reference. */
typedef struct {
	char *path;
	const char *kind;        /* the job's ("maildir"), for BEGIN */
	const char *source_kind; /* what it was sniffed as, for END */
	char *map;               /* mmap()ed, or NULL */
	trawl_buf_t in;          /* standard input, read */
	size_t len;
	int fd;
	int64_t mtime;
	/* under pipeline_t.mu: */
	unsigned refs; /* the splitting worker's and one per batch not yet done */
	uint64_t messages, contacts, appointments;
	/* batch_t.seq + 1 of the batches done, at seq % DONE_RING (0: none):
	 * whether the neighbour of a batch that ends is done (run_batch()).
	 * Far fewer batches than that are ever read at once (the batch queue
	 * holds 2 a worker, each worker reads one). */
	unsigned long done[DONE_RING];
} shared_src_t;

typedef struct {
	const char *data;
	size_t len;
} span_t;

/* Consecutive messages of a shared file, the first one numbered first. */
typedef struct {
	shared_src_t *src;
	unsigned long first;
	unsigned long seq; /* 0 for the file's first batch, 1 for the next, ... */
	bool last;         /* the file's last */
	span_t *msgs;
	size_t n, cap, bytes;
} batch_t;

typedef struct {
	const trawl_scan_opts_t *opts;
	const char *const *paths;
	size_t n_paths;
	trawl_skip_fn skip;
	trawl_message_fn on_message;
	trawl_event_fn on_event;
	void *payload;
	trawl_status_t rc; /* the first error of on_message; the caller's thread only */
	queue_t out;
	/* Work for the workers, under mu: files from the walker, and batches
	 * of messages from a worker splitting a large mbox. work is signalled
	 * when either arrives or when nothing more can come, and so is
	 * out.not_empty, on which the caller's thread waits for both. */
	pthread_mutex_t mu;
	pthread_cond_t work, job_room;
	ring_t jobs, batches;
	bool jobs_closed;   /* the walker is done */
	unsigned reading;   /* workers reading a file now: any may yet split it into batches */
	unsigned workers_left;
	/* directories seen, against symlink loops */
	struct {
		dev_t dev;
		ino_t ino;
	} *seen;
	size_t n_seen, cap_seen;
	uint64_t walk_bytes; /* walker only: sizes of the files queued */
} pipeline_t;

static bool
stopped(const trawl_scan_opts_t *o)
{
	return trawl_scan__stopped(o);
}

static out_t *
out_event(const trawl_event_t *ev)
{
	out_t *o = calloc(1, sizeof *o);
	if (!o)
		return NULL;
	o->ev = *ev;
	o->weight = 1;
	const char *src[4] = {ev->source, ev->kind, ev->location, ev->reason};
	for (int i = 0; i < 4; i++)
		o->strings[i] = src[i] ? strdup(src[i]) : NULL;
	o->ev.source = o->strings[0];
	o->ev.kind = o->strings[1];
	o->ev.location = o->strings[2];
	o->ev.reason = o->strings[3];
	return o;
}

static void
out_free(out_t *o)
{
	if (!o)
		return;
	trawl_message_free(o->msg);
	for (int i = 0; i < 4; i++)
		free(o->strings[i]);
	free(o);
}

/* Work for the workers arrived (or the end of it): the caller's thread,
 * which waits for records and work at once, is told too. Under p->mu. */
static void
work_arrived(pipeline_t *p, bool all)
{
	if (all)
		pthread_cond_broadcast(&p->work);
	else
		pthread_cond_signal(&p->work);
	pthread_cond_signal(&p->out.not_empty);
}

/* On the caller's thread: hands one record or event to the callbacks. */
static void
deliver(pipeline_t *p, out_t *o)
{
	if (p->rc == TRAWL_OK && !stopped(p->opts)) {
		if (o->msg) {
			trawl_message_t *m = o->msg;
			o->msg = NULL;
			p->rc = p->on_message(m, p->payload);
		} else if (p->on_event) {
			p->on_event(&o->ev, p->payload);
		}
	}
	out_free(o);
	if (p->rc != TRAWL_OK)
		trawl_scan__stop(p->opts); /* let the threads wind down */
}

/* On the caller's thread, under q->mu (unlocked meanwhile): hands over
 * what waits, DRAIN_MAX at a time, until nothing does. */
#define DRAIN_MAX 64
static void
drain_locked(queue_t *q, pipeline_t *p)
{
	out_t *got[DRAIN_MAX];
	while (q->ring.len) {
		size_t n = 0;
		while (n < DRAIN_MAX && (got[n] = ring_pop(&q->ring)))
			q->weight -= got[n++]->weight;
		pthread_cond_broadcast(&q->not_full);
		pthread_mutex_unlock(q->mu);
		for (size_t i = 0; i < n; i++)
			deliver(p, got[i]);
		pthread_mutex_lock(q->mu);
	}
}

/* A worker of the pipeline: its reader state, scratch space for the
 * messages of batches, and its records not yet queued. */
#define OUT_BATCH 32
typedef struct {
	trawl_worker_t w;
	pipeline_t *p;
	bool caller; /* the caller's thread: hands over instead of waiting */
	trawl_buf_t raw, loc;
	trawl_buf_t file; /* the content of a small file (READ_MAX), reused */
	out_t *pending[OUT_BATCH];
	size_t n_pending;
} pworker_t;

/* Queues the records held back, under one lock and with one wake-up of
 * the caller's thread instead of one each: with messages of a few
 * kilobytes the hand-over cost as much as a detector. The caller's thread
 * then hands over everything waiting (its own records last, in order), so
 * that the other workers find room. */
static void
flush_out(pworker_t *pw)
{
	queue_t *q = &pw->p->out;
	if (!pw->n_pending)
		return;
	pthread_mutex_lock(q->mu);
	for (size_t i = 0; i < pw->n_pending; i++) {
		while (queue_full(q, pw->pending[i])) {
			if (pw->caller) {
				drain_locked(q, pw->p);
				continue;
			}
			pthread_cond_signal(&q->not_empty);
			pthread_cond_wait(&q->not_full, q->mu);
		}
		queue_put(q, pw->pending[i]);
	}
	if (pw->caller)
		drain_locked(q, pw->p);
	else
		pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(q->mu);
	pw->n_pending = 0;
}

static trawl_status_t
queue_message(trawl_worker_t *w, trawl_message_t *msg)
{
	pworker_t *pw = w->sink;
	out_t *o = calloc(1, sizeof *o);
	if (!o) {
		trawl_message_free(msg);
		return TRAWL_ENOMEM;
	}
	o->weight = 1 + msg->findings.len; /* before prepare() frees them */
	if (pw->p->opts->prepare)
		pw->p->opts->prepare(msg, pw->p->payload);
	o->msg = msg;
	pw->pending[pw->n_pending++] = o;
	if (pw->n_pending == OUT_BATCH)
		flush_out(pw);
	return TRAWL_OK;
}

/* Events wait with the records, in order: a worker sends what it holds
 * when its buffer is full, before it waits for work, after each batch of
 * a shared file, and before the batches of a file it splits go to the
 * others (split_mbox()): so BEGIN comes before any worker's records of the
 * file, and END (from whoever finishes last, src_release()) after all of
 * them. A maildir, three items a file, hands them over 32 at a time. */
static void
queue_event(trawl_worker_t *w, const trawl_event_t *ev)
{
	pworker_t *pw = w->sink;
	out_t *o = out_event(ev);
	if (!o) {
		flush_out(pw);
		return;
	}
	pw->pending[pw->n_pending++] = o;
	if (pw->n_pending == OUT_BATCH)
		flush_out(pw);
}

/* The walker's report of something it could not read. */
static void
walker_skip(pipeline_t *p, const char *path, trawl_status_t status, const char *reason)
{
	trawl_event_t ev = {.type = TRAWL_EVENT_SKIP, .source = path, .kind = "unreadable",
	                    .location = path, .reason = reason, .status = status};
	out_t *o = out_event(&ev);
	if (o)
		queue_push(&p->out, o);
}

static bool
seen_dir(pipeline_t *p, const struct stat *st)
{
	for (size_t i = 0; i < p->n_seen; i++)
		if (p->seen[i].dev == st->st_dev && p->seen[i].ino == st->st_ino)
			return true;
	if (p->n_seen == p->cap_seen) {
		size_t cap = p->cap_seen ? p->cap_seen * 2 : 64;
		void *n = realloc(p->seen, cap * sizeof *p->seen);
		if (!n)
			return true;
		p->seen = n;
		p->cap_seen = cap;
	}
	p->seen[p->n_seen].dev = st->st_dev;
	p->seen[p->n_seen].ino = st->st_ino;
	p->n_seen++;
	return false;
}

static void
push_job(pipeline_t *p, const char *path, trawl_kind_t hint, const char *kind)
{
	job_t *j = calloc(1, sizeof *j);
	if (!j || !(j->path = strdup(path))) {
		free(j);
		walker_skip(p, path, TRAWL_ENOMEM, "out of memory");
		return;
	}
	j->hint = hint;
	j->kind = kind;
	pthread_mutex_lock(&p->mu);
	while (p->jobs.len == p->jobs.cap)
		pthread_cond_wait(&p->job_room, &p->mu);
	ring_push(&p->jobs, j);
	work_arrived(p, false);
	pthread_mutex_unlock(&p->mu);
}

static bool
is_maildir(const char *dir)
{
	char buf[4096];
	struct stat st;
	snprintf(buf, sizeof buf, "%s/cur", dir);
	if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
		return false;
	snprintf(buf, sizeof buf, "%s/new", dir);
	return stat(buf, &st) == 0 && S_ISDIR(st.st_mode);
}

static void walk_path(pipeline_t *p, const char *path, trawl_kind_t hint, const char *kind, unsigned depth);

/* A folder's entries. hint and kind are inherited by the files of a
 * maildir's cur/ and new/. */
static void
walk_dir(pipeline_t *p, const char *path, trawl_kind_t hint, const char *kind, unsigned depth)
{
	struct dirent **names = NULL;
	int n = scandir(path, &names, NULL, alphasort);
	if (n < 0) {
		walker_skip(p, path, TRAWL_EIO, strerror(errno));
		return;
	}
	bool maildir = is_maildir(path);
	size_t plen = strlen(path);
	for (int i = 0; i < n; i++) {
		const char *nm = names[i]->d_name;
		/* in a maildir's cur/ and new/, dot files are not messages */
		bool skip = strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0 || (kind && nm[0] == '.');
		if (!stopped(p->opts) && !skip) {
			char *child = malloc(plen + strlen(nm) + 2);
			if (child) {
				sprintf(child, "%s%s%s", path, plen && path[plen - 1] == '/' ? "" : "/", nm);
				if (maildir && (strcmp(nm, "cur") == 0 || strcmp(nm, "new") == 0))
					walk_path(p, child, TRAWL_KIND_EML, "maildir", depth + 1);
				else if (maildir && strcmp(nm, "tmp") == 0)
					; /* messages being delivered: not yet mail */
				else
					walk_path(p, child, hint, kind, depth + 1);
				free(child);
			}
		}
		free(names[i]);
	}
	free(names);
}

static void
walk_path(pipeline_t *p, const char *path, trawl_kind_t hint, const char *kind, unsigned depth)
{
	struct stat st;
	if (stopped(p->opts))
		return;
	if (strcmp(path, "-") == 0) {
		push_job(p, path, TRAWL_KIND_UNKNOWN, NULL);
		return;
	}
	if (stat(path, &st) != 0) {
		struct stat lst;
		if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
			walker_skip(p, path, TRAWL_ENOTFOUND, "dangling symbolic link");
		else
			walker_skip(p, path, errno == ENOENT ? TRAWL_ENOTFOUND : TRAWL_EIO, strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		if (depth > 256 || seen_dir(p, &st))
			return; /* a symlink loop or a directory reached twice: read once */
		walk_dir(p, path, hint, kind, depth);
	} else if (S_ISREG(st.st_mode)) {
		p->walk_bytes += (uint64_t)st.st_size;
		push_job(p, path, hint, kind);
	} else {
		walker_skip(p, path, TRAWL_EUNSUPPORTED,
		            S_ISFIFO(st.st_mode) ? "a FIFO, not a file" : "a device or socket, not a file");
	}
}

static void *
walker_main(void *arg)
{
	pipeline_t *p = arg;
	for (size_t i = 0; i < p->n_paths && !stopped(p->opts); i++)
		walk_path(p, p->paths[i], TRAWL_KIND_UNKNOWN, NULL, 0);
	if (!stopped(p->opts)) {
		trawl_event_t ev = {.type = TRAWL_EVENT_WALK_END, .bytes = p->walk_bytes};
		out_t *o = out_event(&ev);
		if (o)
			queue_push(&p->out, o);
	}
	pthread_mutex_lock(&p->mu);
	p->jobs_closed = true;
	work_arrived(p, true);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static trawl_status_t
read_all_fd(int fd, trawl_buf_t *b)
{
	for (;;) {
		if (trawl_buf_grow(b, 65536) < 0)
			return TRAWL_ENOMEM;
		ssize_t n = read(fd, b->data + b->len, 65536);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return TRAWL_EIO;
		if (n == 0)
			return TRAWL_OK;
		b->len += (size_t)n;
	}
}

/* Reads the len bytes of the file fd into b (emptied first). TRAWL_EIO when
 * it cannot, or when the file ends sooner (it shrank since fstat()). */
static trawl_status_t
read_file_fd(int fd, size_t len, trawl_buf_t *b)
{
	b->len = 0;
	if (trawl_buf_grow(b, len + 1) < 0)
		return TRAWL_ENOMEM;
	while (b->len < len) {
		ssize_t n = read(fd, b->data + b->len, len - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return TRAWL_EIO;
		if (n == 0) {
			errno = 0; /* not an error of read(): the file shrank */
			return TRAWL_EIO;
		}
		b->len += (size_t)n;
	}
	return TRAWL_OK;
}

/* Files up to this size are read into the worker's buffer rather than
 * mapped: unmapping a file makes the kernel flush the TLB of every core that
 * ran the process, which for a maildir of 100,000 small messages cost more
 * than parsing them (perf: native_write_msr and smp_call_function_many_cond
 * among a worker's top five). */
#define READ_MAX (1u << 20)

/* The next thing to do: a batch first (its file is open already and its
 * pages are in memory), else a file. false when nothing is left. A worker
 * that could not start takes files only, to report them. What the worker
 * holds for the caller's thread goes before it waits, or when its buffer
 * is full: not after every file (a maildir is a file a message). The
 * caller's thread hands over what waits before it takes anything, and
 * waits for records as well as work. */
static bool
take_work(pworker_t *pw, bool files_only, batch_t **b, job_t **j)
{
	pipeline_t *p = pw->p;
	*b = NULL;
	*j = NULL;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		if (pw->caller)
			drain_locked(&p->out, p);
		if (!files_only && (*b = ring_pop(&p->batches)))
			break;
		if ((*j = ring_pop(&p->jobs))) {
			p->reading++;
			/* the walker, waiting on a full queue, fills half of it at a
			 * time: not a wake-up a file */
			if (p->jobs.len <= p->jobs.cap / 2)
				pthread_cond_signal(&p->job_room);
			break;
		}
		/* a worker still reading a file may queue batches of it: the
		 * others wait for those rather than leave it to read alone */
		if (p->jobs_closed && (files_only || p->reading == 0))
			break;
		if (pw->n_pending) {
			/* nothing to do at once: what is held goes first, then look again */
			pthread_mutex_unlock(&p->mu);
			flush_out(pw);
			pthread_mutex_lock(&p->mu);
			continue;
		}
		pthread_cond_wait(pw->caller ? &p->out.not_empty : &p->work, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	return *b || *j;
}

static void
src_free(shared_src_t *s)
{
	if (s->map)
		munmap(s->map, s->len);
	if (s->fd >= 0)
		close(s->fd);
	trawl_buf_free(&s->in);
	free(s->path);
	free(s);
}

/* Drops one reference; the last one reports the end of the file (after
 * every record of it went out) and frees it. */
static void
src_release(pworker_t *pw, shared_src_t *s)
{
	pipeline_t *p = pw->p;
	pthread_mutex_lock(&p->mu);
	bool last = --s->refs == 0;
	pthread_mutex_unlock(&p->mu);
	if (!last)
		return;
	trawl_event_t end = {.type = TRAWL_EVENT_SOURCE_END, .source = s->path, .kind = s->source_kind,
	                     .messages = s->messages, .contacts = s->contacts,
	                     .appointments = s->appointments, .bytes = (uint64_t)s->len, .mtime = s->mtime};
	pw->w.emit_event(&pw->w, &end);
	src_free(s);
}

static void
batch_free(batch_t *b)
{
	if (b) {
		free(b->msgs);
		free(b);
	}
}

/* The kernel maps the pages around one that a read faults in, within
 * an aligned block of this size (fault_around_bytes, 64 KiB by default). */
#define FAULT_AROUND (64 * 1024)

/* Gives the pages of a batch done back: nothing reads them again, and a
 * file read once should not stay resident (peak memory would grow with
 * the file). From the page it starts in, which may hold the end of the
 * batch before, whose worker then reads it back from the page cache (the
 * map is private and never written, so the bytes are the same): keeping
 * each batch's first page kept one page a batch, 7 MB of a 2 GB mbox's
 * peak RSS. The page it ends in is the next batch's to give back, unless
 * that one is done already: the last of two neighbours to finish also
 * gives back the block around the page they share, which the other's
 * reads may have mapped again after it was given back (fault-around).
 * Without that a 2 GB mbox kept a few pages a batch, ~8 MB with two
 * threads; giving back the last page every time (which the next batch's
 * worker, still reading it, maps again with the block around it) made the
 * peak 138 MB instead of 99. */
static void
give_back(const shared_src_t *s, const batch_t *b, bool prev_done, bool next_done)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)s->map, end = (start + s->len + page - 1) & ~(page - 1);
	uintptr_t lo = (uintptr_t)b->msgs[0].data & ~(page - 1);
	uintptr_t hi = (uintptr_t)(b->msgs[b->n - 1].data + b->msgs[b->n - 1].len) & ~(page - 1);
	/* the block that holds the page shared with a neighbour done */
	if (prev_done) {
		lo &= ~(uintptr_t)(FAULT_AROUND - 1);
		if (lo < start)
			lo = start;
	}
	if (next_done) {
		hi = (hi & ~(uintptr_t)(FAULT_AROUND - 1)) + FAULT_AROUND;
		if (hi > end)
			hi = end;
	}
	if (hi > lo)
		madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

/* Reads the messages of a batch and adds their counts to the file's, then
 * gives its pages back (give_back()). */
static void
run_batch(pworker_t *pw, batch_t *b)
{
	trawl_worker_t *w = &pw->w;
	pipeline_t *p = pw->p;
	shared_src_t *s = b->src;
	/* the worker may be splitting a file of its own: its state comes back after */
	const char *source = w->source, *source_kind = w->source_kind;
	uint64_t nm = w->n_messages, nc = w->n_contacts, na = w->n_appointments;
	bool had_error = w->had_error;

	w->source = s->path;
	w->source_kind = s->source_kind;
	w->n_messages = w->n_contacts = w->n_appointments = 0;
	for (size_t i = 0; i < b->n && !stopped(p->opts); i++) {
		trawl_status_t rc = trawl_scan__mbox_message(w, b->msgs[i].data, b->msgs[i].len, s->path,
		                                             b->first + i, 0, &pw->raw, &pw->loc);
		if (rc == TRAWL_ENOMEM)
			trawl_scan__skip(w, s->path, rc, "out of memory: messages #%lu to #%lu not read",
			                 b->first + i, b->first + b->n - 1);
		if (rc < 0)
			break;
	}
	pthread_mutex_lock(&p->mu);
	s->messages += w->n_messages;
	s->contacts += w->n_contacts;
	s->appointments += w->n_appointments;
	s->done[b->seq % DONE_RING] = b->seq + 1;
	bool prev_done = b->seq == 0 || s->done[(b->seq - 1) % DONE_RING] == b->seq;
	bool next_done = b->last || s->done[(b->seq + 1) % DONE_RING] == b->seq + 2;
	pthread_mutex_unlock(&p->mu);
	if (s->map && b->n)
		give_back(s, b, prev_done, next_done);
	w->source = source;
	w->source_kind = source_kind;
	w->n_messages = nm, w->n_contacts = nc, w->n_appointments = na;
	w->had_error = had_error;
	flush_out(pw); /* the file's END may come next, from any worker */
	src_release(pw, s);
	batch_free(b);
}

/* Splitting: the messages found so far go into the current batch. */
typedef struct {
	pworker_t *pw;
	shared_src_t *src;
	batch_t *cur;
	unsigned long n;       /* messages so far */
	unsigned long batches; /* batches so far */
} splitter_t;

/* Queues a full batch. When the queue is full the splitting worker reads
 * the oldest batch itself (never waits: only workers empty the queue, and
 * they may all be splitting), which also keeps the messages in file order
 * for a single worker. */
static void
submit_batch(splitter_t *sp)
{
	pipeline_t *p = sp->pw->p;
	batch_t *b = sp->cur, *mine = NULL;
	sp->cur = NULL;
	pthread_mutex_lock(&p->mu);
	sp->src->refs++;
	if (p->batches.len == p->batches.cap)
		mine = ring_pop(&p->batches);
	ring_push(&p->batches, b);
	work_arrived(p, false);
	pthread_mutex_unlock(&p->mu);
	if (mine)
		run_batch(sp->pw, mine);
}

static trawl_status_t
split_message(const char *msg, size_t len, void *payload)
{
	splitter_t *sp = payload;
	if (stopped(sp->pw->p->opts))
		return TRAWL_EINTR;
	sp->n++;
	batch_t *b = sp->cur;
	if (!b) {
		if (!(b = calloc(1, sizeof *b)))
			return TRAWL_ENOMEM;
		b->src = sp->src;
		b->first = sp->n;
		b->seq = sp->batches++;
		sp->cur = b;
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		span_t *m = realloc(b->msgs, cap * sizeof *m);
		if (!m)
			return TRAWL_ENOMEM;
		b->msgs = m;
		b->cap = cap;
	}
	b->msgs[b->n++] = (span_t){msg, len};
	b->bytes += len;
	if (b->bytes >= BATCH_BYTES || b->n >= BATCH_MESSAGES)
		submit_batch(sp);
	return TRAWL_OK;
}

/* Splits a large mbox into batches for every worker; the file is the
 * shared source's now. Its END comes from whoever finishes last. */
static void
split_mbox(pworker_t *pw, shared_src_t *src)
{
	splitter_t sp = {.pw = pw, .src = src};
	flush_out(pw); /* the file's BEGIN, before any other worker's records of it */
	trawl_status_t rc = trawl_scan__mbox_split(src->map ? src->map : src->in.data, src->len, split_message, &sp);
	if (sp.cur && sp.cur->n) {
		sp.cur->last = true;
		submit_batch(&sp);
	}
	batch_free(sp.cur);
	if (rc == TRAWL_EFORMAT)
		trawl_scan__skip(&pw->w, src->path, rc, "not an mbox: no From_ line at the start");
	else if (rc == TRAWL_ENOMEM)
		trawl_scan__skip(&pw->w, src->path, rc, "out of memory: messages from #%lu on not read", sp.n);
	src_release(pw, src);
}

/* Reads one file: begin, the blob, end. A large mbox is split instead. */
static void
process_job(pworker_t *pw, const job_t *j)
{
	trawl_worker_t *w = &pw->w;
	pipeline_t *p = pw->p;
	trawl_buf_t in = {0};
	const char *data = NULL;
	size_t len = 0;
	void *map = NULL;
	int fd = -1;
	struct stat st = {0};

	w->source = j->path;
	w->source_kind = j->kind;
	w->n_messages = w->n_contacts = w->n_appointments = 0;
	w->had_error = false;

	if (strcmp(j->path, "-") == 0) {
		if (read_all_fd(0, &in) < 0) {
			trawl_scan__skip(w, "-", TRAWL_EIO, "cannot read standard input");
			goto done;
		}
		data = in.data, len = in.len;
	} else {
		fd = open(j->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (fd < 0 || fstat(fd, &st) != 0) {
			w->source_kind = "unreadable";
			trawl_scan__skip(w, j->path, errno == EACCES ? TRAWL_EIO : TRAWL_ENOTFOUND, "%s", strerror(errno));
			goto done;
		}
		if (!S_ISREG(st.st_mode)) {
			trawl_scan__skip(w, j->path, TRAWL_EUNSUPPORTED, "not a regular file");
			goto done;
		}
		if (p->skip && p->skip(j->path, (uint64_t)st.st_size, (int64_t)st.st_mtime, p->payload))
			goto done; /* unchanged since the last scan */
		len = (size_t)st.st_size;
		if (len && len <= READ_MAX) {
			if (read_file_fd(fd, len, &pw->file) < 0) {
				trawl_scan__skip(w, j->path, TRAWL_EIO, "cannot read: %s", errno ? strerror(errno) : "it shrank");
				goto done;
			}
			data = pw->file.data;
		} else if (len) {
			map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
			if (map == MAP_FAILED) {
				map = NULL;
				trawl_scan__skip(w, j->path, TRAWL_EIO, "cannot map: %s", strerror(errno));
				goto done;
			}
			madvise(map, len, MADV_SEQUENTIAL);
			data = map;
		}
	}

	trawl_event_t begin = {.type = TRAWL_EVENT_SOURCE_BEGIN, .source = j->path, .kind = j->kind,
	                       .bytes = (uint64_t)len, .mtime = (int64_t)st.st_mtime};
	w->emit_event(w, &begin);
	if (len > SPLIT_MIN_BYTES && (j->hint == TRAWL_KIND_UNKNOWN || j->hint == TRAWL_KIND_MBOX) &&
	    (j->hint == TRAWL_KIND_MBOX || trawl_scan__sniff(w, data, len, NULL) == TRAWL_KIND_MBOX)) {
		shared_src_t *src = calloc(1, sizeof *src);
		if (src && (src->path = strdup(j->path))) {
			src->kind = j->kind;
			src->source_kind = w->source_kind ? w->source_kind : trawl_scan__kind_name(TRAWL_KIND_MBOX);
			src->map = map;
			src->in = in;
			src->len = len;
			src->fd = fd;
			src->mtime = (int64_t)st.st_mtime;
			src->refs = 1;
			map = NULL, fd = -1, in = (trawl_buf_t){0};
			split_mbox(pw, src);
			goto done;
		}
		free(src); /* out of memory: read it here, as a small one */
	}
	trawl_scan__blob(w, data ? data : "", len, j->path, 0, j->hint);
	trawl_event_t end = {.type = TRAWL_EVENT_SOURCE_END, .source = j->path,
	                     .kind = w->source_kind ? w->source_kind : "unknown",
	                     .messages = w->n_messages, .contacts = w->n_contacts,
	                     .appointments = w->n_appointments, .bytes = (uint64_t)len,
	                     .mtime = (int64_t)st.st_mtime};
	w->emit_event(w, &end);

done:
	if (map)
		munmap(map, len);
	if (fd >= 0)
		close(fd);
	trawl_buf_free(&in);
}

/* A worker's life, on a thread of its own or on the caller's. */
static void
work(pipeline_t *p, bool caller)
{
	pworker_t pw = {.p = p, .caller = caller};
	bool ok = trawl_scan__worker_init(&pw.w, p->opts) == TRAWL_OK;
	pw.w.emit_message = queue_message;
	pw.w.emit_event = queue_event;
	pw.w.sink = &pw;
	batch_t *b;
	job_t *j;
	/* A worker that could not start reports the files it takes, so that
	 * the walker is not blocked forever. */
	while (take_work(&pw, !ok, &b, &j)) {
		if (b) {
			run_batch(&pw, b);
			flush_out(&pw); /* the file's END, when this batch was its last */
			continue;
		}
		if (!ok) {
			/* through this worker's own hand-over: the caller's thread
			 * must not wait for room that only it makes */
			trawl_event_t ev = {.type = TRAWL_EVENT_SKIP, .source = j->path, .kind = "unreadable",
			                    .location = j->path, .reason = "worker could not start",
			                    .status = TRAWL_ENOMEM};
			queue_event(&pw.w, &ev);
		} else if (!stopped(p->opts))
			process_job(&pw, j);
		free(j->path);
		free(j);
		pthread_mutex_lock(&p->mu);
		if (--p->reading == 0)
			work_arrived(p, true); /* the workers waiting for batches may be done */
		pthread_mutex_unlock(&p->mu);
	}
	flush_out(&pw);
	if (ok)
		trawl_scan__worker_fini(&pw.w);
	trawl_buf_free(&pw.raw);
	trawl_buf_free(&pw.loc);
	trawl_buf_free(&pw.file);
	pthread_mutex_lock(&p->mu);
	bool last = --p->workers_left == 0;
	pthread_mutex_unlock(&p->mu);
	if (last)
		queue_close(&p->out);
}

static void *
worker_main(void *arg)
{
	work(arg, false);
	return NULL;
}

static unsigned
default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)(n > 64 ? 64 : n) : 1;
}

trawl_status_t
trawl_scan_run(const trawl_scan_opts_t *opts, const char *const *paths, size_t n_paths,
               trawl_message_fn on_message, trawl_event_fn on_event, void *payload)
{
	trawl_status_t rc;
	pipeline_t p = {.opts = opts, .paths = paths, .n_paths = n_paths, .skip = opts->skip,
	                .on_message = on_message, .on_event = on_event, .payload = payload};
	unsigned n = opts->threads ? opts->threads : default_threads();
	/* n - 1 of their own, and this one */
	pthread_t walker, *workers = calloc(n, sizeof *workers);
	if (!workers)
		return TRAWL_ENOMEM;

	unsigned out_records = opts->queue_records ? opts->queue_records : OUT_RECORDS;
	trawl_scan__global_init();
	/* batches: enough that no worker waits for the splitting one, few
	 * enough that the pages they pin stay a few megabytes */
	if (ring_init(&p.jobs, 64) < 0 || ring_init(&p.batches, 2 * n) < 0 ||
	    queue_init(&p.out, out_records, (size_t)out_records * OUT_WEIGHT_PER, &p.mu) < 0) {
		free(p.jobs.items);
		free(p.batches.items);
		free(workers);
		return TRAWL_ENOMEM;
	}
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.work, NULL);
	pthread_cond_init(&p.job_room, NULL);
	p.workers_left = n;
	pthread_create(&walker, NULL, walker_main, &p);
	for (unsigned i = 1; i < n; i++)
		pthread_create(&workers[i], NULL, worker_main, &p);

	/* The caller's thread: every record and event passes through here,
	 * and while none waits it reads as the others do; when nothing is
	 * left to read, it hands over the rest. */
	work(&p, true);
	out_t *o;
	while ((o = queue_pop(&p.out)))
		deliver(&p, o);

	pthread_join(walker, NULL);
	for (unsigned i = 1; i < n; i++)
		pthread_join(workers[i], NULL);
	rc = p.rc;
	if (rc == TRAWL_OK && stopped(opts))
		rc = TRAWL_EINTR;

	free(p.jobs.items);
	free(p.batches.items);
	queue_destroy(&p.out);
	pthread_cond_destroy(&p.work);
	pthread_cond_destroy(&p.job_room);
	pthread_mutex_destroy(&p.mu);
	free(p.seen);
	free(workers);
	return rc;
}

/* ---- single-threaded, in memory -------------------------------------- */

typedef struct {
	trawl_message_fn on_message;
	trawl_event_fn on_event;
	void *payload;
} direct_t;

static trawl_status_t
direct_message(trawl_worker_t *w, trawl_message_t *msg)
{
	direct_t *d = w->sink;
	return d->on_message(msg, d->payload);
}

static void
direct_event(trawl_worker_t *w, const trawl_event_t *ev)
{
	direct_t *d = w->sink;
	if (d->on_event)
		d->on_event(ev, d->payload);
}

trawl_status_t
trawl_scan_buffer(const trawl_scan_opts_t *opts, const char *name, const void *data, size_t len,
                  trawl_message_fn on_message, trawl_event_fn on_event, void *payload)
{
	trawl_worker_t w;
	direct_t d = {on_message, on_event, payload};
	trawl_scan__global_init();
	trawl_status_t rc = trawl_scan__worker_init(&w, opts);
	if (rc < 0)
		return rc;
	w.emit_message = direct_message;
	w.emit_event = direct_event;
	w.sink = &d;
	w.source = name;
	trawl_event_t begin = {.type = TRAWL_EVENT_SOURCE_BEGIN, .source = name, .bytes = len};
	direct_event(&w, &begin);
	rc = trawl_scan__blob(&w, data, len, name, 0, TRAWL_KIND_UNKNOWN);
	trawl_event_t end = {.type = TRAWL_EVENT_SOURCE_END, .source = name,
	                     .kind = w.source_kind ? w.source_kind : "unknown", .messages = w.n_messages,
	                     .contacts = w.n_contacts, .appointments = w.n_appointments, .bytes = len};
	direct_event(&w, &end);
	trawl_scan__worker_fini(&w);
	return rc;
}
