/* trawl detect: print findings as JSONL, write no index.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "trawl/trawl.h"
#include "util/util.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: trawl detect [OPTIONS] PATH... | -\n"
	           "\n"
	           "Prints every finding under PATHs (files or folders, walked recursively; - reads\n"
	           "one message or mbox from standard input) as one JSON object a line.\n"
	           "\n"
	           "  --format jsonl        the only format (default)\n"
	           "  -o FILE               write to FILE instead of standard output\n"
	           "  --quiet               no skip messages on standard error\n"
	           "%s",
	        trawl_cli_scan_options_help);
}

typedef struct {
	trawl_cli_scan_t *s;
	FILE *out;
	trawl_buf_t line;
	trawl_buf_t head; /* what every line of one message begins with */
	/* "%.2f" of the confidences seen, by their bits: a handful of values
	 * make up every finding, and printf is most of the cost of a line */
	struct {
		double v;
		char s[8];
	} conf[64];
} detect_t;

static void
put_uint(trawl_buf_t *b, size_t v)
{
	char num[24];
	size_t k = sizeof num;
	do
		num[--k] = (char)('0' + v % 10);
	while ((v /= 10) && k);
	trawl_buf_put(b, num + k, sizeof num - k);
}

static void
put_confidence(detect_t *d, trawl_buf_t *b, double v)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	unsigned slot = (unsigned)((bits ^ bits >> 29 ^ bits >> 47) & 63);
	if (d->conf[slot].s[0] == '\0' || memcmp(&d->conf[slot].v, &v, sizeof v) != 0) {
		char s[64];
		snprintf(s, sizeof s, "%.2f", v);
		if (strlen(s) >= sizeof d->conf[slot].s) { /* not a confidence as we know them */
			trawl_buf_puts(b, s);
			return;
		}
		d->conf[slot].v = v;
		strcpy(d->conf[slot].s, s);
	}
	trawl_buf_puts(b, d->conf[slot].s);
}

static trawl_status_t
on_message(trawl_message_t *m, void *payload)
{
	detect_t *d = payload;
	trawl_buf_t *b = &d->line, *h = &d->head;
	trawl_buf_reset(h);
	trawl_buf_puts(h, "{\"source\":");
	trawl_json_str(h, m->source, (size_t)-1);
	trawl_buf_puts(h, ",\"location\":");
	trawl_json_str(h, m->location, (size_t)-1);
	trawl_buf_puts(h, ",\"message_id\":");
	trawl_json_str(h, m->message_id, (size_t)-1);
	trawl_buf_puts(h, ",\"part\":");
	/* every line of the message, written at once */
	trawl_buf_reset(b);
	for (size_t i = 0; i < m->findings.len; i++) {
		const trawl_finding_t *f = &m->findings.items[i];
		trawl_buf_put(b, h->data, h->len);
		trawl_json_str(b, f->part, (size_t)-1);
		trawl_buf_puts(b, ",\"where\":\"");
		trawl_buf_puts(b, trawl_where_name(f->where));
		trawl_buf_puts(b, "\",\"type\":\"");
		trawl_buf_puts(b, trawl_type_name(f->type));
		trawl_buf_puts(b, "\",\"value\":");
		trawl_json_str(b, f->value, (size_t)-1);
		trawl_buf_puts(b, ",\"norm\":");
		trawl_json_str(b, f->norm, (size_t)-1);
		trawl_buf_puts(b, ",\"start\":");
		put_uint(b, f->start);
		trawl_buf_puts(b, ",\"end\":");
		put_uint(b, f->end);
		trawl_buf_puts(b, ",\"confidence\":");
		put_confidence(d, b, f->confidence);
		trawl_buf_puts(b, ",\"rule\":");
		trawl_json_str(b, f->rule, (size_t)-1);
		const char *label = trawl_detector_set_rule_label(d->s->scan.detectors, f->rule);
		if (label) {
			trawl_buf_puts(b, ",\"label\":");
			trawl_json_str(b, label, (size_t)-1);
		}
		trawl_buf_puts(b, "}\n");
		if ((unsigned)f->type < TRAWL_TYPE_COUNT)
			d->s->by_type[f->type]++;
	}
	if (b->len)
		fwrite(b->data, 1, b->len, d->out);
	trawl_message_free(m);
	return ferror(d->out) ? TRAWL_EIO : TRAWL_OK;
}

static void
on_event(const trawl_event_t *ev, void *payload)
{
	detect_t *d = payload;
	if (d->s->quiet && ev->type == TRAWL_EVENT_SKIP) {
		d->s->skipped++;
		d->s->unreadable += ev->status != TRAWL_EUNSUPPORTED;
		return;
	}
	trawl_cli_count_event(d->s, ev, "detect");
}

int
trawl_cmd_detect(int argc, char **argv)
{
	static const struct option longopts[] = {
		TRAWL_CLI_SCAN_OPTIONS,
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	trawl_cli_scan_t s = {0};
	const char *output = NULL;
	int opt, status = TRAWL_EXIT_OK;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (strcmp(optarg, "jsonl") != 0) {
				fprintf(stderr, "trawl detect: unknown format '%s' (jsonl)\n", optarg);
				return TRAWL_EXIT_USAGE;
			}
			break;
		case 'o': output = optarg; break;
		case 'q': s.quiet = true; break;
		case 'h': usage(stdout); return TRAWL_EXIT_OK;
		default:
			if (opt >= 1000 && trawl_cli_scan_option(&s, opt, optarg, "detect") == 0)
				break;
			usage(stderr);
			return TRAWL_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "trawl detect: no PATH given\n");
		usage(stderr);
		return TRAWL_EXIT_USAGE;
	}
	trawl_detector_set_t *set = trawl_cli_detectors(&s, "detect");
	if (!set)
		return TRAWL_EXIT_FATAL;
	FILE *out = trawl_cli_open_output(output);
	if (!out) {
		trawl_detector_set_free(set);
		return TRAWL_EXIT_FATAL;
	}
	trawl_cli_catch_signals();
	detect_t d = {.s = &s, .out = out};
	trawl_status_t rc = trawl_scan_run(&s.scan, (const char *const *)argv + optind, (size_t)(argc - optind),
	                                   on_message, on_event, &d);
	if (trawl_cli_close_output(out, output) < 0 || (rc < 0 && rc != TRAWL_EINTR)) {
		if (rc < 0)
			fprintf(stderr, "trawl detect: %s\n", trawl_status_str(rc));
		status = TRAWL_EXIT_FATAL;
	} else if (rc == TRAWL_EINTR) {
		fprintf(stderr, "trawl detect: interrupted\n");
		status = TRAWL_EXIT_FATAL;
	} else if (s.unreadable) {
		status = TRAWL_EXIT_PARTIAL;
	}
	trawl_buf_free(&d.line);
	trawl_buf_free(&d.head);
	trawl_detector_set_free(set);
	return status;
}
