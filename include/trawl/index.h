/* trawl/index.h: the per-message, per-subject index (Xapian underneath).
 *
 * One document per message record; a term per identifier found in it, looked
 * up by keyed hash (HMAC-SHA256 with a per-index secret kept in DIR/secret,
 * mode 0600); one document per source with its kind, counts and skips.
 * The index folder is created mode 0700. Full card numbers and IBANs never
 * enter it in clear: a keyed hash plus the last four characters.
 *
 * Exactly one thread may use a writable handle. A read-only handle may be
 * used by one thread at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_INDEX_H
#define TRAWL_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "trawl/scan.h"
#include "trawl/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct trawl_index trawl_index_t;

typedef enum {
	TRAWL_INDEX_READ,  /* fails with TRAWL_ENOTFOUND when there is no index */
	TRAWL_INDEX_WRITE  /* creates DIR (0700) and the secret (0600) when absent */
} trawl_index_mode_t;

/* Opens the index in dir. *out is owned by the caller, closed with
 * trawl_index_free(). On failure *out is still set when a handle could be
 * made, so that trawl_index_last_error() can say why; free it all the same. */
trawl_status_t trawl_index_open(trawl_index_t **out, const char *dir, trawl_index_mode_t mode);

/* Closes the index. Changes of a writable handle since the last
 * trawl_index_commit() are discarded. NULL is a no-op. */
void trawl_index_free(trawl_index_t *idx);

/* Detail of the last error on this handle; owned by the handle, valid until
 * the next call on it. Never NULL ("" when there was none). */
const char *trawl_index_last_error(const trawl_index_t *idx);

/* Writing. Records are buffered by Xapian until trawl_index_commit(). */

/* Adds (or replaces: same source and location) one message record. */
trawl_status_t trawl_index_add_message(trawl_index_t *idx, const trawl_message_t *msg);

/* The same in two steps, so that the work of a record (its keyed terms,
 * its data, its links, its Xapian documents) is done by the thread that
 * made it and the one thread owning the writer only stores it.
 *
 * trawl_index_prepare() is thread-safe: it reads nothing of idx but its
 * secret, and may run on any number of threads while another adds or
 * commits. On success *out is owned by the caller (free with
 * trawl_index_prepared_free()), or handed to trawl_index_add_prepared(),
 * which takes it whatever it returns. It sets no error text: its status
 * says what failed (TRAWL_EINVAL without a source and a location,
 * TRAWL_ENOMEM). */
typedef struct trawl_index_prepared trawl_index_prepared_t;
trawl_status_t trawl_index_prepare(const trawl_index_t *idx, const trawl_message_t *msg,
                                   trawl_index_prepared_t **out);
trawl_status_t trawl_index_add_prepared(trawl_index_t *idx, const trawl_message_t *msg,
                                        trawl_index_prepared_t *prep);
void trawl_index_prepared_free(trawl_index_prepared_t *prep);

/* Records a scan event: SOURCE_BEGIN drops what an earlier scan indexed from
 * that source (it is being read again), SKIP adds to the source's skip list,
 * SOURCE_END stores the source's kind and counts. */
trawl_status_t trawl_index_add_event(trawl_index_t *idx, const trawl_event_t *event);

/* Makes everything added so far durable. */
trawl_status_t trawl_index_commit(trawl_index_t *idx);

/* Reading. Every function below works on a read-only or a writable handle;
 * a writable handle also sees what it has not committed yet. */

/* The data subject as a request describes them: raw strings, as given
 * (normalised by the index: e-mail addresses and names as the contract's
 * "norm"; phone numbers by dropping spaces, dashes, dots, parentheses and a
 * "(0)" after the country code, "00" read as "+"). Borrowed by the call. */
typedef struct {
	const char *const *emails;
	size_t n_emails;
	const char *const *names;
	size_t n_names;
	const char *const *phones;
	size_t n_phones;
} trawl_selector_t;

/* How the index came to tie an identifier to a person (index/link.c).
 * Links are made per message when it is indexed, from its findings alone;
 * a link goes from an anchor (an e-mail address, or a full name) to one
 * identifier, and an access request follows them one hop from what it
 * gives, never on from there. */
typedef enum {
	TRAWL_LINK_NONE = 0,   /* not linked: the request gave it */
	TRAWL_LINK_HEADER,     /* a display name beside the address in an address
	                        * header, "Erika M. <erika@...>" (address -> name) */
	TRAWL_LINK_SIGNATURE,  /* in the signature of mail the address sent: after
	                        * the sender's name, near the end of a part
	                        * (address -> phone, postal address, account, a
	                        * second address that bears their name) */
	TRAWL_LINK_RECORD,     /* a contact record: a full name, the address right
	                        * after it, then the fields that follow it
	                        * ("Erika M., erika@..., +49 30 ..., Street 1, ...") */
	TRAWL_LINK_NEAR        /* right after a full name ("card of Erika M.: ...")
	                        * in two messages or more (name -> identifier) */
} trawl_link_kind_t;

/* "header", "signature", "record", "near"; NULL for TRAWL_LINK_NONE. Static. */
const char *trawl_link_kind_name(trawl_link_kind_t kind);

/* One identifier of the subject. */
typedef struct {
	trawl_type_t type;
	char *norm;            /* for card and iban the masked form the index keeps */
	trawl_link_kind_t via; /* TRAWL_LINK_NONE: from the request */
	bool searched;         /* messages holding it are the subject's. Names
	                        * linked through headers are not searched, only
	                        * recognised as the subject's where they stand:
	                        * two people may share a name, never an address */
} trawl_identifier_t;

/* One finding of a message as the index keeps it. */
typedef struct {
	trawl_type_t type;
	trawl_where_t where;
	char *part;        /* "header:From", "2.1", ... */
	char *value;       /* the norm; for card and iban only a masked form
	                    * ("•••• •••• •••• 1111"): the index never holds more */
	size_t start, end; /* as in trawl_finding_t */
	double confidence;
	bool subject;      /* one of the subject's identifiers */
	size_t pair;       /* a name in an address header: the index (in the
	                    * message's findings) of the address it stands
	                    * beside, "Erika M. <erika@...>"; SIZE_MAX otherwise */
} trawl_index_finding_t;

/* One message record as the index keeps it (cf. trawl_message_t). */
typedef struct {
	trawl_item_kind_t kind;
	char *source, *location, *message_id;
	char *date;         /* or NULL */
	int64_t time;       /* 0 when unknown */
	char *from;         /* or NULL */
	char *from_name;    /* or NULL */
	char *subject;      /* or NULL; card numbers and IBANs in it are masked */
	char *content_hash; /* or NULL */
	uint64_t size;
	trawl_index_finding_t *findings; /* every finding of the message */
	size_t n_findings;
} trawl_index_message_t;

typedef struct {
	char *location, *reason;
} trawl_index_skip_t;

/* What the index knows of one source file. */
typedef struct {
	char *source;
	char *kind;         /* "mbox", "pst", ..., "unreadable", "unknown" */
	uint64_t size;      /* bytes on disk when read */
	int64_t mtime;      /* modification time when read */
	uint64_t messages, contacts, appointments;
	uint64_t findings[TRAWL_TYPE_COUNT]; /* in its records, by type */
	trawl_index_skip_t *skipped;
	size_t n_skipped;
} trawl_index_source_t;

/* A restriction of processing (GDPR Art. 18) on a data subject, as
 * trawl_index_restrict() recorded it. */
typedef struct {
	char *since;  /* ISO 8601 UTC "2024-05-01T09:30:00Z": when it was recorded */
	int64_t time; /* the same as Unix seconds */
	char *reason; /* as given, or NULL */
	char *lifted; /* ISO 8601 UTC when it was lifted; NULL while in force */
} trawl_restriction_t;

/* The answer to a subject access request. */
typedef struct {
	trawl_selector_t query;             /* a copy of the selector (raw strings) */
	trawl_identifier_t *identifiers;    /* what was searched for */
	size_t n_identifiers;
	trawl_index_message_t *messages;    /* every message holding any of them, by date,
	                                     * then source and location */
	size_t n_messages;
	trawl_index_source_t *sources;      /* the sources of those messages, by name */
	size_t n_sources;
	trawl_restriction_t *restricted;    /* the restriction in force on any of the
	                                     * identifiers (the earliest), or NULL */
} trawl_access_t;

/* Finds every message holding any identifier of the subject: the
 * selector's own, normalised, and those the index links to them one hop
 * away (trawl_link_kind_t: from a given address, the names beside it, the
 * identifiers of its signature and of contact records; from a given name,
 * what stands right after it in two messages or more). Every identifier is
 * listed in identifiers, the request's first. *out is owned by the caller
 * and freed with trawl_access_free(); NULL is a no-op. TRAWL_EINVAL when the
 * selector is empty or a phone number is not one. */
trawl_status_t trawl_index_access(trawl_index_t *idx, const trawl_selector_t *sel, trawl_access_t **out);
void trawl_access_free(trawl_access_t *access);

/* Index statistics. */
typedef struct {
	uint64_t messages, contacts, appointments;
	uint64_t findings[TRAWL_TYPE_COUNT]; /* over every record, by type */
	trawl_index_source_t *sources;       /* by name */
	size_t n_sources;
} trawl_stats_t;

/* *out is owned by the caller, freed with trawl_stats_free() (NULL is a
 * no-op). */
trawl_status_t trawl_index_stats(trawl_index_t *idx, trawl_stats_t **out);
void trawl_stats_free(trawl_stats_t *stats);

/* What the index knows of one source, for incremental scans (compare size
 * and mtime). *out is owned by the caller, freed with
 * trawl_index_source_free() (NULL is a no-op); TRAWL_ENOTFOUND when the
 * source is unknown. */
trawl_status_t trawl_index_source(trawl_index_t *idx, const char *source, trawl_index_source_t **out);
void trawl_index_source_free(trawl_index_source_t *src);

/* An identifier linked to a person's address, and how many messages say so. */
typedef struct {
	trawl_type_t type;
	char *norm;               /* for card and iban the masked form the index keeps */
	trawl_link_kind_t via;    /* SIGNATURE or RECORD (the strongest seen) */
	uint64_t messages;        /* distinct messages (by Message-ID) linking it */
} trawl_linked_t;

/* One person met in address headers: a subject, as clustered around one
 * address. Two addresses are never merged on a shared name. */
typedef struct {
	char *email;              /* norm */
	char **names;             /* display names seen with it (norms), sorted,
	                           * NULL-terminated; NULL when none */
	size_t n_names;
	uint64_t messages;        /* messages it appears in */
	uint64_t sent;            /* messages it sent (From) */
	trawl_linked_t *linked;   /* identifiers linked to the address (signature,
	                           * record), by type then norm; NULL when none */
	size_t n_linked;
} trawl_person_t;

typedef struct {
	trawl_person_t *items;    /* by messages, most first; then by email */
	size_t len;
} trawl_people_t;

/* Every distinct address in From/To/Cc/... headers (of forwarded messages
 * too), with the names beside it and the identifiers linked to it.
 * *out is owned by the caller, freed with trawl_people_free() (NULL is a
 * no-op). */
trawl_status_t trawl_index_people(trawl_index_t *idx, trawl_people_t **out);
void trawl_people_free(trawl_people_t *people);

/* ------------------------------------------------------------------ */
/* The subject's lifecycle: restriction, retention, forgetting, and
 * sources that are gone (index/lifecycle.c). */

/* Records that processing of the subject's data is restricted: a document
 * holding the keyed terms of the subject's identifiers (those
 * trawl_index_access() searches for; never the identifiers themselves),
 * the time and the reason (may be NULL). When a restriction is already in
 * force for any of them it stays, since its first date; a reason given
 * replaces its reason. Writable handles; commit with trawl_index_commit().
 * *out (may be NULL) receives the restriction now in force, owned by the
 * caller, freed with trawl_restriction_free(). */
trawl_status_t trawl_index_restrict(trawl_index_t *idx, const trawl_selector_t *sel, const char *reason,
                                    trawl_restriction_t **out);

/* Lifts every restriction in force on any of the subject's identifiers.
 * The record stays, with the date it was lifted, but no longer matches the
 * subject. TRAWL_ENOTFOUND when none was in force. *out (may be NULL): the
 * restriction lifted (the earliest), caller frees with
 * trawl_restriction_free(). Writable handles; commit after. */
trawl_status_t trawl_index_lift(trawl_index_t *idx, const trawl_selector_t *sel, trawl_restriction_t **out);

/* NULL is a no-op. */
void trawl_restriction_free(trawl_restriction_t *r);

/* One message record held beyond a retention period. */
typedef struct {
	trawl_item_kind_t kind;
	char *source, *location, *message_id, *date;
	int64_t time;
	uint64_t by_type[TRAWL_TYPE_COUNT]; /* its findings by type */
} trawl_retention_message_t;

/* One source holding such records. */
typedef struct {
	char *source, *kind;
	uint64_t messages;                  /* records of it listed */
	int64_t oldest, newest;             /* their dates, Unix seconds */
	uint64_t by_type[TRAWL_TYPE_COUNT];
} trawl_retention_source_t;

typedef struct {
	int64_t before;                     /* the cut-off asked for, Unix seconds */
	trawl_retention_message_t *messages; /* by date, oldest first */
	size_t n_messages;
	trawl_retention_source_t *sources;  /* by name */
	size_t n_sources;
	uint64_t by_type[TRAWL_TYPE_COUNT]; /* over the listed records */
	uint64_t undated;                   /* records with findings but no date: not
	                                     * listed, since their age is unknown */
} trawl_retention_t;

/* Every message record (contacts and appointments too) dated before
 * `before` that holds any personal data, with counts by finding type, and
 * the sources holding them. *out is owned by the caller, freed with
 * trawl_retention_free() (NULL is a no-op). */
trawl_status_t trawl_index_retention(trawl_index_t *idx, int64_t before, trawl_retention_t **out);
void trawl_retention_free(trawl_retention_t *r);

/* What trawl_index_forget() changed. */
typedef struct {
	uint64_t rewritten;    /* message records kept, the subject's findings removed */
	uint64_t deleted;      /* message records deleted: nothing of anyone left in them */
	uint64_t findings;     /* findings removed */
	uint64_t other_docs;   /* messages whose links all went (they were all the subject's) */
	uint64_t links_kept;   /* messages whose links stay for other people, the subject's taken out */
	uint64_t restrictions; /* restriction records deleted */
} trawl_forget_t;

/* Purges the subject from the index, after their data was erased from the
 * archives: from every message record holding any of their identifiers
 * (those trawl_index_access() finds), the findings that are theirs (and
 * the names that stand beside their addresses), their address as sender
 * and, when it held theirs, the subject line; records left with no
 * finding are deleted. Every other document holding their identifier
 * terms (subject links) and every restriction on them goes too. Other
 * people's findings stay as they were. Writable handles; nothing is
 * durable before trawl_index_commit(). *out is filled (zeroed first). */
trawl_status_t trawl_index_forget(trawl_index_t *idx, const trawl_selector_t *sel, trawl_forget_t *out);

/* Deletes what the index holds of one source (its message records and its
 * source record): for a file that is gone. Writable handles; commit after. */
trawl_status_t trawl_index_drop_source(trawl_index_t *idx, const char *source);

#ifdef __cplusplus
}
#endif
#endif
