/* detectors/phonelib.h: a C face for libphonenumber (C++), internal to the
 * detectors module.
 *
 * libphonenumber holds the numbering plans of every country, kept current by
 * Google from the ITU and national regulators: which prefixes exist, how long
 * numbers are, how each country groups them, and (its geocoding part) which
 * area codes belong to which places. Checking a candidate against them is
 * what turns "a run of digits" into "a telephone number".
 *
 * Everything here is stateless from the caller's side: the library keeps one
 * process-wide PhoneNumberUtil, built on first use, whose parsing, validation
 * and formatting are thread-safe. So there is no handle, and so no place for
 * error text: the status code is all a caller gets (libphonenumber reports
 * bad input by return values; the only exceptions expected are allocation
 * failures).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_DETECTORS_PHONELIB_H
#define TRAWL_DETECTORS_PHONELIB_H

#include <stdbool.h>
#include <stddef.h>
#include "trawl/status.h"

#ifdef __cplusplus
#define TRAWL_PHONELIB_NOEXCEPT noexcept
extern "C" {
#else
#define TRAWL_PHONELIB_NOEXCEPT
#endif

/* One parsed number. Plain storage, no ownership. */
typedef struct {
	char e164[32];          /* "+493012345678" */
	char national[48];      /* as the country writes it at home: "030 12345678"
	                         * (national input only; "" for +CC input) */
	char region[3];         /* "DE"; "" for non-geographic codes (+800 ...) */
	int country_code;       /* 49 */
	bool from_region;       /* a national format: the country code is the
	                         * region's, not written with + or 00 (NANP's
	                         * leading trunk 1 counts as national) */
} trawl_phonelib_number_t;

/* Parses text[0, len) (digits with or without formatting; a leading '+' or
 * the region's international prefix makes it international) and validates it
 * against the numbering plan.
 *
 * region is an ISO 3166-1 alpha-2 code ("DE") for numbers written without a
 * country code, or NULL (international numbers only). A national number must
 * be valid for that region itself; an international one for its own country.
 *
 * Returns TRAWL_OK with *out filled when the number is valid; TRAWL_ENOTFOUND
 * when it parses but no such number can exist (*out then holds only e164,
 * country_code and from_region); TRAWL_EFORMAT when it is not a telephone number
 * at all (or needs a region and has none); TRAWL_EINVAL for a NULL argument;
 * TRAWL_ENOMEM when memory ran out; TRAWL_EINTERNAL for any other failure
 * inside the library. Thread-safe. */
trawl_status_t trawl_phonelib__parse(trawl_phonelib_number_t *out, const char *text, size_t len,
                                     const char *region) TRAWL_PHONELIB_NOEXCEPT;

/* Whether a valid number (E.164 "+4930...") is one the numbering plan
 * places: a mobile or other non-geographic line, or a fixed line whose area
 * code the geocoding data knows ("Hamburg", "Manchester"). A fixed line that
 * only validates because the plan's pattern is broad ("+49 7900 ...", an
 * area code Germany never assigned) is not placed. *out is false for an
 * invalid number. Returns TRAWL_OK, TRAWL_EINVAL, TRAWL_ENOMEM or
 * TRAWL_EINTERNAL. Thread-safe. */
trawl_status_t trawl_phonelib__placed(bool *out, const char *e164) TRAWL_PHONELIB_NOEXCEPT;

/* The country calling code of a region ("DE" -> 49), or 0 when libphonenumber
 * does not know the region. Thread-safe; never fails. */
int trawl_phonelib__country_code(const char *region) TRAWL_PHONELIB_NOEXCEPT;

/* For tests: holds the shortcut trawl_phonelib__parse() takes for the
 * countries it asks about most (their plans read from libphonenumber's
 * metadata and matched with PCRE2) against libphonenumber itself, on
 * variants of every example number of those plans (digits changed, cut,
 * added; national, with the trunk prefix, with +CC). Returns how many
 * answers differed; *asked counts the questions the shortcut answered, and
 * first (cap bytes, may be NULL) describes the first difference. */
size_t trawl_phonelib__selfcheck(size_t *asked, unsigned long variants, unsigned seed, char *first,
                                 size_t cap) TRAWL_PHONELIB_NOEXCEPT;

#ifdef __cplusplus
}
#endif
#endif
