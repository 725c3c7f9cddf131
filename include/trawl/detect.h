/* trawl/detect.h: detectors find personal data in decoded text.
 *
 * A detector is a small module behind one interface (trawl_detector_t in
 * detectors/detector.h) listed in one table (detectors/registry.c). The
 * public face of the module is a detector set, built once from the rules,
 * read-only afterwards and so shared by every worker thread, and a findings
 * list that detectors append to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_DETECT_H
#define TRAWL_DETECT_H

#include <stddef.h>
#include "trawl/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What kind of personal data a finding is. Names as in the contract. */
typedef enum {
	TRAWL_TYPE_EMAIL,
	TRAWL_TYPE_PHONE,
	TRAWL_TYPE_CARD,
	TRAWL_TYPE_IBAN,
	TRAWL_TYPE_IP,
	TRAWL_TYPE_MAC,
	TRAWL_TYPE_NAME,
	TRAWL_TYPE_ADDRESS,
	TRAWL_TYPE_CUSTOM, /* user rules (--rules DIR) */
	TRAWL_TYPE_COUNT
} trawl_type_t;

/* "email", "phone", ... Static storage. */
const char *trawl_type_name(trawl_type_t type);
/* The type of a contract name, or -1. */
int trawl_type_from_name(const char *name);

/* Where in a message the text stood. */
typedef enum {
	TRAWL_WHERE_HEADER,
	TRAWL_WHERE_BODY,       /* a text part that is not an attachment */
	TRAWL_WHERE_ATTACHMENT
} trawl_where_t;

/* "header", "body", "attachment". Static storage. */
const char *trawl_where_name(trawl_where_t where);

/* One piece of personal data found in one text.
 * Every string is owned by the trawl_findings_t the finding sits in. */
typedef struct {
	trawl_type_t type;
	trawl_where_t where;
	char *part;        /* MIME part path "1", "2.1", or "header:From" */
	char *value;       /* the text as it stands in the decoded part */
	char *norm;        /* canonical form (see CONTRACT.md) */
	size_t start, end; /* byte offsets of value in the decoded UTF-8 text */
	double confidence; /* 0..1 */
	char *rule;        /* which rule fired, e.g. "card.luhn" */
} trawl_finding_t;

/* A growable list of findings. Zero-initialise or trawl_findings_init(). */
typedef struct {
	trawl_finding_t *items;
	size_t len, cap;
} trawl_findings_t;

void trawl_findings_init(trawl_findings_t *list);
/* Frees every finding and the array; the list is empty and reusable after. */
void trawl_findings_clear(trawl_findings_t *list);
/* Appends a copy of *f (all strings duplicated). */
trawl_status_t trawl_findings_add(trawl_findings_t *list, const trawl_finding_t *f);
/* Moves every finding of src to the end of dst; src is left empty. */
trawl_status_t trawl_findings_take(trawl_findings_t *dst, trawl_findings_t *src);

/* A decoded text handed to the detectors, with what is known around it.
 * Nothing here is owned by the detectors; all of it outlives the call. */
typedef struct {
	const char *text;   /* UTF-8, len bytes, need not be NUL-terminated */
	size_t len;
	trawl_where_t where;
	const char *part;   /* as in trawl_finding_t.part */
	const char *header; /* header name when where == HEADER, else NULL */
	const char *lang;   /* "en", "de", ... when known, else NULL */
	const char *sender; /* the message's sender address when known, else NULL */
	/* Findings made so far in the same message (headers come first), so that
	 * a detector can recognise in a body what the headers revealed. May be NULL. */
	const trawl_findings_t *message;
} trawl_text_t;

/* Options for building a detector set. Zero-initialised means defaults. */
typedef struct {
	const char *rules_dir;      /* extra user rules (--rules DIR), or NULL */
	double min_confidence;      /* findings below are dropped; 0 = default */
	const char *default_region; /* "DE", "US" ... for national phone numbers; NULL = none */
} trawl_detect_opts_t;

/* The default --min-confidence. */
#define TRAWL_DEFAULT_MIN_CONFIDENCE 0.5

typedef struct trawl_detector_set trawl_detector_set_t;

/* Builds the detector set: every registered detector and the rules.
 * *out is owned by the caller, freed with trawl_detector_set_free(); it is
 * read-only once built and may be shared by any number of threads.
 * On TRAWL_ERULES, *errmsg (if errmsg is not NULL) receives a malloc'd
 * "file:line: what is wrong" for the caller to free. */
trawl_status_t trawl_detector_set_new(trawl_detector_set_t **out, const trawl_detect_opts_t *opts,
                                      char **errmsg);
void trawl_detector_set_free(trawl_detector_set_t *set);

/* The label a rule file gives the rule that made findings with this
 * `rule` ("custom.employee-id"), or NULL when it gives none or the rule is
 * not from a rule file. Owned by the set, valid while it lives. */
const char *trawl_detector_set_rule_label(const trawl_detector_set_t *set, const char *rule);

/* Runs every detector over one text and appends what they find to out.
 * Thread-safe for a shared set. */
trawl_status_t trawl_detect_text(const trawl_detector_set_t *set, trawl_findings_t *out,
                                 const trawl_text_t *text);

/* Records one mailbox of an address header (From, To, Cc, Bcc, Reply-To,
 * Sender): its display name (already RFC 2047-decoded, may be NULL or empty)
 * and its addr-spec (may be NULL). text is the decoded header value, which
 * both should stand in, for their offsets. */
trawl_status_t trawl_detect_mailbox(const trawl_detector_set_t *set, trawl_findings_t *out,
                                    const trawl_text_t *text, const char *display_name,
                                    const char *addr);

/* Drops findings below the set's min_confidence and exact duplicates
 * (same type, part, start, end and value), keeping the most confident. */
void trawl_findings_finish(const trawl_detector_set_t *set, trawl_findings_t *list);

/* Normalisers, as the contract defines "norm". Each returns a malloc'd
 * string for the caller to free, or NULL when the input is not valid. */
char *trawl_norm_email(const char *s, size_t len);
char *trawl_norm_name(const char *s, size_t len); /* "Last, First" turned round */

#ifdef __cplusplus
}
#endif
#endif
