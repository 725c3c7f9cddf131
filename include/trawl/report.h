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
 * by_type counts those. TRAWL_EUNSUPPORTED for any other format,
 * TRAWL_EIO when writing fails. */
trawl_status_t trawl_report_access(FILE *out, const trawl_access_t *access, trawl_format_t format);

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
