/* trawl/report.h: what the index answers, written for people and scripts.
 *
 * Every report takes a result of a trawl_index_*() query (trawl/index.h) and
 * writes it to a stream in one format. The JSON shapes are fixed by
 * CONTRACT.md (access, erase, stats); fields may be added, never renamed.
 * Nothing is ever written in the index's place: reports only read.
 *
 * Personal data in reports is masked (trawl_mask()), except the subject's
 * own identifiers as the query gave them, sender addresses ("from") and
 * subject lines, which the person asking is entitled to see anyway.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_REPORT_H
#define TRAWL_REPORT_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "trawl/index.h"
#include "trawl/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	TRAWL_FORMAT_JSON,
	TRAWL_FORMAT_CSV,  /* RFC 4180: header row, CRLF, quoted where needed */
	TRAWL_FORMAT_HTML, /* one self-contained page: inline CSS, no external requests */
	TRAWL_FORMAT_TEXT,
	TRAWL_FORMAT_MBOX
} trawl_format_t;

/* The format of a name ("json", "csv", ...), or -1. */
int trawl_format_from_name(const char *name);
/* "json", "csv", ... Static storage. */
const char *trawl_format_name(trawl_format_t format);

/* Masks one identifier for display. value is a norm (or, for card and IBAN,
 * either the full number or the masked form the index keeps). The rules:
 *   email    first character of the local part, then •••: "e•••@example.net"
 *   phone    a leading + and the next two digits, •••, the last four: "+49•••7132"
 *   card     "•••• •••• •••• " and the last four
 *   iban     the country code, "•• •••• •••• •••• " and the last four
 *   name     the first letter of each word, upper-cased: "E••• M•••"
 *   ip       the first group: "192.•••", "2001:•••"
 *   mac      the first three octets (the maker): "00:1a:2b:••:••:••"
 *   address  the first word: "musterstraße •••"
 *   other    the first character and •••
 * Bullets are U+2022. Returns a malloc'd string for the caller to free(),
 * NULL only when memory is short. */
char *trawl_mask(trawl_type_t type, const char *value);

/* The access report of CONTRACT.md: JSON (query, subject.identifiers,
 * messages with their findings of the subject, summary), CSV (one row a
 * message) or HTML. In each message only the findings that are the
 * subject's are listed, each (type, where, masked value) once; summary
 * by_type counts those. HTML as trawl_report_access_html() with no options.
 * TRAWL_EUNSUPPORTED for any other format,
 * TRAWL_EIO when writing fails. */
trawl_status_t trawl_report_access(FILE *out, const trawl_access_t *access, trawl_format_t format);

/* ------------------------------------------------------------------ */
/* Evidence in context, for the HTML access report.
 *
 * The index keeps no text, so the words around a finding are read again
 * from the message itself (trawl_evidence_collect()). A snippet is never
 * raw text: the finding is masked (trawl_mask()), the subject's other
 * identifiers too, and everything that is, or merely looks like, someone
 * else's data (what the index found, what the detectors find again, and any
 * e-mail address, link, run of four digits or more, six digits in a
 * number, or IBAN-like string) is replaced by a placeholder. */

/* What one piece of a snippet is. */
typedef enum {
	TRAWL_SEG_TEXT,   /* the message's words (blanks folded into single spaces) */
	TRAWL_SEG_FOCUS,  /* the finding the snippet is about, masked */
	TRAWL_SEG_OWN,    /* another identifier of the subject, masked */
	TRAWL_SEG_HIDDEN, /* someone else's data (type) or a number (type
	                   * TRAWL_TYPE_COUNT, text its digits as bullets) */
	TRAWL_SEG_LINK    /* a web address, left out */
} trawl_seg_kind_t;

typedef struct {
	trawl_seg_kind_t kind;
	trawl_type_t type; /* FOCUS, OWN, HIDDEN */
	char *text;        /* TEXT, FOCUS, OWN, a HIDDEN number; NULL otherwise */
} trawl_seg_t;

/* The text around one finding of the subject. */
typedef struct {
	size_t finding;             /* index into the message's findings */
	bool found;                 /* false: the text could not be found again
	                             * where the index says (no segments) */
	bool header;                /* an address header line ("To: ..."), rebuilt
	                             * from the index: every address and name in it */
	bool cut_before, cut_after; /* the text goes on before / after */
	trawl_seg_t *segs;
	size_t n_segs;
} trawl_snippet_t;

typedef enum {
	TRAWL_EVIDENCE_NOT_READ, /* not asked for (or interrupted) */
	TRAWL_EVIDENCE_READ,     /* read again: the snippets are below */
	TRAWL_EVIDENCE_GONE,     /* the source, or the message in it, is not there any more */
	TRAWL_EVIDENCE_CHANGED,  /* the message's bytes changed since the scan */
	TRAWL_EVIDENCE_NO_TEXT   /* an Outlook item: no RFC 822 form to read again */
} trawl_evidence_status_t;

typedef struct {
	trawl_evidence_status_t status;
	trawl_snippet_t *snippets; /* in the order of the message's findings, headers first */
	size_t n_snippets;
	size_t n_more;             /* findings of the subject not shown (over max_snippets) */
} trawl_message_evidence_t;

typedef struct {
	trawl_message_evidence_t *messages; /* one per access->messages, in that order */
	size_t n_messages;
	size_t n_read, n_gone, n_changed, n_no_text; /* messages by status */
} trawl_evidence_t;

typedef struct {
	/* Detectors run again over the texts, so that whatever they find in a
	 * snippet is masked even when the index did not keep it. Borrowed;
	 * NULL: only the index's findings and the patterns above are masked. */
	const trawl_detector_set_t *detectors;
	/* Names of people (norms: lower case, single spaces, two words or
	 * more) hidden wherever they stand in an excerpt, found there or not:
	 * say, every display name of the archive (trawl_index_people()).
	 * Borrowed; may be NULL. The subject's own names are masked likewise. */
	const char *const *names;
	size_t n_names;
	size_t max_snippets;         /* a message: 0 = 5 */
	size_t context;              /* characters either side: 0 = 40 */
	trawl_limits_t limits;       /* as for trawl_scan_fetch() */
	volatile sig_atomic_t *stop; /* may be NULL */
} trawl_evidence_opts_t;

/* Reads the messages of the access report again from their sources
 * (trawl_scan_fetch(), one walk per source), checks each against the hash
 * the scan kept and cuts the snippets of the subject's findings (each
 * (type, where, value) once, as in the report). Unreadable or changed
 * sources are not errors: the message's status says so. *out is owned by
 * the caller, freed with trawl_evidence_free() (NULL is a no-op).
 * TRAWL_EINTR when *opts->stop was set (*out holds what was read so far),
 * TRAWL_ENOMEM. */
trawl_status_t trawl_evidence_collect(trawl_evidence_t **out, const trawl_access_t *access,
                                      const trawl_evidence_opts_t *opts);
void trawl_evidence_free(trawl_evidence_t *evidence);

/* How the HTML access report is written. Zero-initialised: English, no
 * evidence, no date. */
typedef struct {
	const char *lang;                  /* "en" (default) or "de" */
	const trawl_evidence_t *evidence;  /* from trawl_evidence_collect() for the
	                                    * same access result, or NULL */
	int64_t generated;                 /* Unix seconds shown as the report's date; 0: none */
} trawl_html_opts_t;

/* The access report as one self-contained HTML page for the person it is
 * about: who was searched for, their data by category and source, a
 * timeline of the messages, and each message with its findings and,
 * when evidence is given, masked text around them. Inline CSS (with a
 * print style sheet), a Content-Security-Policy that forbids any request,
 * no script. TRAWL_EINVAL for an unknown language or evidence of another
 * result, TRAWL_EIO when writing fails. */
trawl_status_t trawl_report_access_html(FILE *out, const trawl_access_t *access, const trawl_html_opts_t *opts);

/* What erasing the subject would touch, changing nothing: JSON or TEXT.
 * Each message of the access report gets an action: "redact" when it also
 * holds other people's e-mail addresses or names ("other_subjects", masked),
 * else "delete". A name counts as the subject's when the query gave it or it
 * stands beside one of the subject's addresses in an address header of the
 * same message. Each source gets the number of its messages affected and
 * "in_place": whether trawl could change it where it lies (mbox, eml,
 * maildir) or not (PST, archives: they must be rewritten). */
trawl_status_t trawl_report_erase(FILE *out, const trawl_access_t *access, trawl_format_t format);

/* Index statistics as in CONTRACT.md: TEXT or JSON. */
trawl_status_t trawl_report_stats(FILE *out, const trawl_stats_t *stats, trawl_format_t format);

/* The people of the address headers: JSON ({"subjects": [{"email", "names",
 * "messages", "sent"}]}) or CSV (email, names, messages, sent). */
trawl_status_t trawl_report_people(FILE *out, const trawl_people_t *people, trawl_format_t format);

/* What is held beyond a retention period (trawl_index_retention()): JSON
 * ({"before", "summary": {"messages", "sources", "by_type", "undated"},
 * "sources": [{"source", "kind", "messages", "oldest", "newest", "by_type"}],
 * "messages": [{"date", "message_id", "source", "location", "kind",
 * "by_type"}]}) or CSV (a row a message, a column per finding type). */
trawl_status_t trawl_report_retention(FILE *out, const trawl_retention_t *retention, trawl_format_t format);

#ifdef __cplusplus
}
#endif
#endif
