/* The one table of detectors, and the detector set built from it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "detectors/detector.h"
#include "detectors/rules.h"
#include "detectors/wordlist.h"

#include <stdlib.h>
#include <string.h>

extern const trawl_detector_t trawl_detector_email;
extern const trawl_detector_t trawl_detector_card;
extern const trawl_detector_t trawl_detector_iban;
extern const trawl_detector_t trawl_detector_ip;
extern const trawl_detector_t trawl_detector_mac;
extern const trawl_detector_t trawl_detector_phone;
extern const trawl_detector_t trawl_detector_name;
extern const trawl_detector_t trawl_detector_address;
extern const trawl_detector_t trawl_detector_rules;

/* Adding a detector: one line here and one file beside this one. */
static const trawl_detector_t *const registry[] = {
	&trawl_detector_email,
	&trawl_detector_card,
	&trawl_detector_iban,
	&trawl_detector_ip,
	&trawl_detector_mac,
	&trawl_detector_phone,
	&trawl_detector_name,
	&trawl_detector_address,
	&trawl_detector_rules,
	NULL,
};

trawl_status_t
trawl_detector_set_new(trawl_detector_set_t **out, const trawl_detect_opts_t *opts, char **errmsg)
{
	*out = NULL;
	if (errmsg)
		*errmsg = NULL;
	/* The built-in word lists: a broken or missing list is a set-up error
	 * said once, here, rather than on every text scanned. */
	const char *why = NULL;
	if (!trawl_detect__lexicon(&why)) {
		if (errmsg)
			*errmsg = strdup(why ? why : "cannot load the built-in rules");
		return TRAWL_ERULES;
	}
	trawl_detector_set_t *set = calloc(1, sizeof *set);
	if (!set)
		return TRAWL_ENOMEM;
	if (opts)
		set->opts = *opts;
	set->min_confidence = set->opts.min_confidence > 0 ? set->opts.min_confidence
	                                                   : TRAWL_DEFAULT_MIN_CONFIDENCE;
	set->detectors = registry;
	/* the *.rules of rules/ and the user's --rules, in one compiled database */
	trawl_rules_t *rules = NULL;
	trawl_status_t rc = trawl_rules__load(&rules, trawl_detect__rules_dir(), set->opts.rules_dir, errmsg);
	if (rc < 0) {
		free(set);
		return rc;
	}
	set->rules = rules;
	*out = set;
	return TRAWL_OK;
}

void
trawl_detector_set_free(trawl_detector_set_t *set)
{
	if (!set)
		return;
	trawl_rules__free(set->rules);
	free(set);
}

const char *
trawl_detector_set_rule_label(const trawl_detector_set_t *set, const char *rule)
{
	return set ? trawl_rules__label(set->rules, rule) : NULL;
}

trawl_status_t
trawl_detect_text(const trawl_detector_set_t *set, trawl_findings_t *out, const trawl_text_t *text)
{
	trawl_status_t rc = TRAWL_OK;
	trawl_detect__text_begin(); /* the name and address detectors share the tokens */
	for (const trawl_detector_t *const *d = set->detectors; *d; d++)
		if ((rc = (*d)->scan(set, out, text)) < 0)
			break;
	trawl_detect__text_end();
	return rc < 0 ? rc : TRAWL_OK;
}
