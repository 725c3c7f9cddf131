/* Options and event reporting shared by `trawl scan` and `trawl detect`.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

volatile sig_atomic_t trawl_cli_stop;

static void
on_signal(int sig)
{
	(void)sig;
	__atomic_store_n(&trawl_cli_stop, 1, __ATOMIC_RELAXED); /* workers read it */
}

void
trawl_cli_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

const char trawl_cli_scan_options_help[] =
	"  --threads N           threads that read mail (default: number of cores);\n"
	"                        one of them also hands records to the index or output\n"
	"  --rules DIR           extra rule files (see rules/README.md)\n"
	"  --min-confidence X    drop findings below X, 0..1 (default 0.5)\n"
	"  --default-region CC   region for national phone numbers without other evidence\n"
	"  --max-depth N         containers nested in containers (default 16)\n"
	"  --max-part-size BYTES largest decoded part or member (default 64 MiB)\n"
	"  --max-expanded BYTES  bytes one archive may expand to (default 4 GiB)\n"
	"  --max-ratio X         expanded/compressed ratio of one archive (default 200)\n"
	"  --max-members N       members of one archive (default 100000)\n";

static int
parse_u64(const char *arg, unsigned long long *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(arg, &end, 10);
	if (errno || end == arg)
		return -1;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

int
trawl_cli_scan_option(trawl_cli_scan_t *s, int opt, const char *arg, const char *cmd)
{
	unsigned long long v = 0;
	char *end;
	switch (opt) {
	case 1000:
		if (parse_u64(arg, &v) < 0 || v == 0 || v > 256)
			goto bad;
		s->scan.threads = (unsigned)v;
		return 0;
	case 1001:
		s->detect.rules_dir = arg;
		return 0;
	case 1002:
		s->detect.min_confidence = strtod(arg, &end);
		if (*end || s->detect.min_confidence < 0 || s->detect.min_confidence > 1)
			goto bad;
		if (s->detect.min_confidence == 0)
			s->detect.min_confidence = 1e-9; /* 0 means "everything", not "default" */
		return 0;
	case 1003:
		if (parse_u64(arg, &v) < 0 || v == 0 || v > 1000)
			goto bad;
		s->scan.limits.max_depth = (unsigned)v;
		return 0;
	case 1004:
		if (parse_u64(arg, &v) < 0 || v == 0)
			goto bad;
		s->scan.limits.max_part_bytes = v;
		s->scan.limits.max_message_bytes = v > s->scan.limits.max_message_bytes ? v : s->scan.limits.max_message_bytes;
		return 0;
	case 1005:
		if (parse_u64(arg, &v) < 0 || v == 0)
			goto bad;
		s->scan.limits.max_expanded_bytes = v;
		return 0;
	case 1006:
		s->scan.limits.max_ratio = strtod(arg, &end);
		if (*end || s->scan.limits.max_ratio < 1)
			goto bad;
		return 0;
	case 1007:
		if (parse_u64(arg, &v) < 0 || v == 0)
			goto bad;
		s->scan.limits.max_members = v;
		return 0;
	case 1008:
		if (strlen(arg) != 2)
			goto bad;
		s->detect.default_region = arg;
		return 0;
	}
	return -1;
bad:
	fprintf(stderr, "trawl %s: invalid value '%s'\n", cmd, arg);
	return -1;
}

void
trawl_cli_count_event(trawl_cli_scan_t *s, const trawl_event_t *ev, const char *cmd)
{
	switch (ev->type) {
	case TRAWL_EVENT_SOURCE_BEGIN:
		s->sources++;
		break;
	case TRAWL_EVENT_SKIP:
		s->skipped++;
		/* "not mail" is a finding about the file, not a failure to read it */
		if (ev->status != TRAWL_EUNSUPPORTED)
			s->unreadable++;
		fprintf(stderr, "trawl %s: %s: %s\n", cmd, ev->location ? ev->location : ev->source, ev->reason);
		break;
	case TRAWL_EVENT_SOURCE_END:
		s->messages += ev->messages;
		break;
	case TRAWL_EVENT_WALK_END:
		break;
	}
}

trawl_detector_set_t *
trawl_cli_detectors(trawl_cli_scan_t *s, const char *cmd)
{
	trawl_detector_set_t *set = NULL;
	char *err = NULL;
	trawl_status_t rc = trawl_detector_set_new(&set, &s->detect, &err);
	if (rc < 0) {
		fprintf(stderr, "trawl %s: %s\n", cmd, err ? err : trawl_status_str(rc));
		free(err);
		trawl_detector_set_free(set);
		return NULL;
	}
	s->scan.detectors = set;
	s->scan.stop = &trawl_cli_stop;
	return set;
}
