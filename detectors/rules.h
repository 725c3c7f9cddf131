/* detectors/rules.h: rule files (the *.rules of rules/ and of --rules DIR)
 * compiled into one vectorscan database, and the detector that runs it (internal to
 * the detectors module; the format is described in rules/README.md).
 *
 * Every pattern of every rule goes into a single block-mode database that
 * is scanned once per text, so that the scan time does not grow with the
 * number of rules; the checks a rule asks for (word boundaries, check
 * digits, number-specific validity, context words) run on the candidates
 * only. Each thread gets its own scratch space, cloned on first use from
 * one made when the rules were compiled and freed when the thread exits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_DETECTORS_RULES_H
#define TRAWL_DETECTORS_RULES_H

#include <stddef.h>
#include "trawl/detect.h"

typedef struct trawl_rules trawl_rules_t;

/* Reads every *.rules file in builtin_dir (sorted by name; a missing folder
 * holds no rules) and then user_path (a folder of *.rules, or one file;
 * NULL for none), checks them and compiles their patterns. *out is NULL
 * when no file holds a rule. On TRAWL_ERULES *errmsg receives a malloc'd
 * "file:line: what is wrong" for the caller to free. The result is
 * read-only and may be shared by any number of threads; free it with
 * trawl_rules__free(). */
trawl_status_t trawl_rules__load(trawl_rules_t **out, const char *builtin_dir, const char *user_path,
                                 char **errmsg);
void trawl_rules__free(trawl_rules_t *rules);

/* Runs the rules over one text; appends what they find to out. */
trawl_status_t trawl_rules__scan(const trawl_rules_t *rules, trawl_findings_t *out, const trawl_text_t *text);

/* How many rules, patterns and compiled scanning databases there are (the
 * last is 1 whenever there is a rule: every pattern is in the same one). */
void trawl_rules__stats(const trawl_rules_t *rules, size_t *n_rules, size_t *n_patterns, size_t *n_databases);

/* The label of the rule whose findings carry `rule` ("custom.employee-id"),
 * or NULL; owned by rules. */
const char *trawl_rules__label(const trawl_rules_t *rules, const char *rule);

/* The check-digit algorithms and number validators a rule may name, by
 * name ("luhn", "mod97", ..., "de-idnr"), applied to s[0, n): ASCII letters
 * (upper case) and digits only. Exposed for the tests. Returns -1 when the
 * name is unknown, else 1 for valid and 0 for invalid. */
int trawl_rules__check(const char *name, const char *s, size_t n);

#endif
