/* trawl/status.h: status codes shared by every trawl module.
 *
 * Every fallible trawl function returns a trawl_status_t. TRAWL_OK is 0;
 * errors are negative so that "if (rc < 0)" reads naturally. Detail text
 * for an error lives on the handle that produced it (trawl_x_last_error()),
 * never in a global.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_STATUS_H
#define TRAWL_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	TRAWL_OK = 0,
	TRAWL_ENOMEM = -1,       /* out of memory */
	TRAWL_EIO = -2,          /* read or write failed (errno kept on the handle) */
	TRAWL_EINVAL = -3,       /* bad argument or usage */
	TRAWL_ENOTFOUND = -4,    /* no such file, index, subject or entry */
	TRAWL_EFORMAT = -5,      /* input is not what it claims to be / cannot be parsed */
	TRAWL_ELIMIT = -6,       /* a configured limit (depth, size, ratio, members) was hit */
	TRAWL_EENCRYPTED = -7,   /* encrypted or password protected input */
	TRAWL_EUNSUPPORTED = -8, /* a format or feature trawl does not read */
	TRAWL_EINTR = -9,        /* interrupted (Ctrl-C) */
	TRAWL_ELOCKED = -10,     /* the index is locked by another writer */
	TRAWL_ECORRUPT = -11,    /* the index is corrupt */
	TRAWL_EMODIFIED = -12,   /* the index was modified underneath a reader */
	TRAWL_EINDEX = -13,      /* any other index (Xapian) error */
	TRAWL_ERULES = -14,      /* a rule file is invalid */
	TRAWL_EEXISTS = -15,     /* already exists */
	TRAWL_EINTERNAL = -16    /* a bug: an unexpected exception or state */
} trawl_status_t;

/* A short English description of a status code. Static storage; never NULL. */
const char *trawl_status_str(trawl_status_t status);

#ifdef __cplusplus
}
#endif
#endif
