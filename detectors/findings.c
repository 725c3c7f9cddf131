/* Findings lists, type names and the detector-set driver.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "detectors/detector.h"

#include <stdlib.h>
#include <string.h>
#include "util/util.h"

static const char *const type_names[TRAWL_TYPE_COUNT] = {
	"email", "phone", "card", "iban", "ip", "mac", "name", "address", "custom",
};

const char *
trawl_type_name(trawl_type_t type)
{
	return (unsigned)type < TRAWL_TYPE_COUNT ? type_names[type] : "unknown";
}

int
trawl_type_from_name(const char *name)
{
	for (int i = 0; i < TRAWL_TYPE_COUNT; i++)
		if (name && strcmp(name, type_names[i]) == 0)
			return i;
	return -1;
}

const char *
trawl_where_name(trawl_where_t where)
{
	switch (where) {
	case TRAWL_WHERE_HEADER: return "header";
	case TRAWL_WHERE_BODY: return "body";
	case TRAWL_WHERE_ATTACHMENT: return "attachment";
	}
	return "body";
}

void
trawl_findings_init(trawl_findings_t *list)
{
	memset(list, 0, sizeof *list);
}

/* A finding's strings are one allocation (one malloc() and one free() a
 * finding rather than four, for the tens of thousands a run makes): value,
 * part, norm and rule in that order, each with its NUL, the block starting
 * at the first of them the finding has. */
static char *
strings_of(const trawl_finding_t *f)
{
	return f->value ? f->value : f->part ? f->part : f->norm ? f->norm : f->rule;
}

static void
finding_free(trawl_finding_t *f)
{
	free(strings_of(f));
}

void
trawl_findings_clear(trawl_findings_t *list)
{
	for (size_t i = 0; i < list->len; i++)
		finding_free(&list->items[i]);
	free(list->items);
	trawl_findings_init(list);
}

static trawl_status_t
reserve(trawl_findings_t *list, size_t extra)
{
	if (list->len + extra <= list->cap)
		return TRAWL_OK;
	size_t cap = list->cap ? list->cap * 2 : 16;
	while (cap < list->len + extra)
		cap *= 2;
	trawl_finding_t *p = realloc(list->items, cap * sizeof *p);
	if (!p)
		return TRAWL_ENOMEM;
	list->items = p;
	list->cap = cap;
	return TRAWL_OK;
}

/* Copies s (n bytes, or none when s is NULL) and a NUL to *at, moving *at
 * on; the copy, or NULL. */
static char *
put_string(char **at, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *copy = *at;
	memcpy(copy, s, n);
	copy[n] = '\0';
	*at += n + 1;
	return copy;
}

/* Appends f with copies of its strings, its value being value[0, value_len)
 * (none when value is NULL) rather than f->value. */
static trawl_status_t
add_copy(trawl_findings_t *list, const trawl_finding_t *f, const char *value, size_t value_len)
{
	size_t part_len = f->part ? strlen(f->part) : 0, norm_len = f->norm ? strlen(f->norm) : 0,
	       rule_len = f->rule ? strlen(f->rule) : 0;
	size_t size = (value ? value_len + 1 : 0) + (f->part ? part_len + 1 : 0) + (f->norm ? norm_len + 1 : 0) +
	              (f->rule ? rule_len + 1 : 0);
	char *block = NULL;
	if (reserve(list, 1) < 0 || (size && !(block = malloc(size))))
		return TRAWL_ENOMEM;
	trawl_finding_t c = *f;
	c.value = put_string(&block, value, value_len);
	c.part = put_string(&block, f->part, part_len);
	c.norm = put_string(&block, f->norm, norm_len);
	c.rule = put_string(&block, f->rule, rule_len);
	list->items[list->len++] = c;
	return TRAWL_OK;
}

trawl_status_t
trawl_findings_add(trawl_findings_t *list, const trawl_finding_t *f)
{
	return add_copy(list, f, f->value, f->value ? strlen(f->value) : 0);
}

trawl_status_t
trawl_findings_take(trawl_findings_t *dst, trawl_findings_t *src)
{
	trawl_status_t rc = reserve(dst, src->len);
	if (rc < 0)
		return rc;
	if (src->len)
		memcpy(dst->items + dst->len, src->items, src->len * sizeof *src->items);
	dst->len += src->len;
	free(src->items);
	trawl_findings_init(src);
	return TRAWL_OK;
}

trawl_status_t
trawl_detect__emit(trawl_findings_t *out, const trawl_text_t *text, trawl_type_t type, size_t start,
                   size_t end, const char *norm, double confidence, const char *rule)
{
	if (end > text->len || start > end)
		return TRAWL_EINVAL;
	trawl_finding_t f = {
		.type = type,
		.where = text->where,
		.part = (char *)(text->part ? text->part : ""),
		.norm = (char *)norm,
		.start = start,
		.end = end,
		.confidence = confidence,
		.rule = (char *)rule,
	};
	return add_copy(out, &f, text->text + start, end - start);
}

bool
trawl_detect__context_before(const trawl_text_t *text, size_t pos, size_t window,
                             const char *const *words)
{
	size_t from = pos > window ? pos - window : 0;
	for (const char *const *w = words; *w; w++) {
		size_t wl = strlen(*w);
		if (wl > pos - from)
			continue;
		for (size_t i = from; i + wl <= pos; i++) {
			if (strncasecmp(text->text + i, *w, wl) == 0)
				return true;
		}
	}
	return false;
}

static int
cmp_finding(const void *a, const void *b)
{
	/* by part, then position, then type; the most confident first */
	const trawl_finding_t *x = a, *y = b;
	int c = strcmp(x->part ? x->part : "", y->part ? y->part : "");
	if (c)
		return c;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	if (x->type != y->type)
		return (int)x->type - (int)y->type;
	return (x->confidence < y->confidence) - (x->confidence > y->confidence);
}

/* Sorts ptrs[0, n) by cmp_finding(), equal ones kept in their order, with
 * tmp room for n / 2. Two halves already in order are not merged: the
 * findings of one detector in one text mostly are. */
static void
merge_sort(const trawl_finding_t **ptrs, const trawl_finding_t **tmp, size_t n)
{
	if (n <= 8) {
		for (size_t i = 1; i < n; i++) {
			const trawl_finding_t *x = ptrs[i];
			size_t j = i;
			for (; j > 0 && cmp_finding(ptrs[j - 1], x) > 0; j--)
				ptrs[j] = ptrs[j - 1];
			ptrs[j] = x;
		}
		return;
	}
	size_t h = n / 2;
	merge_sort(ptrs, tmp, h);
	merge_sort(ptrs + h, tmp, n - h);
	if (cmp_finding(ptrs[h - 1], ptrs[h]) <= 0)
		return;
	memcpy(tmp, ptrs, h * sizeof *ptrs);
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n) /* the right one first only when it sorts before */
		ptrs[k++] = cmp_finding(ptrs[j], tmp[i]) < 0 ? ptrs[j++] : tmp[i++];
	while (i < h)
		ptrs[k++] = tmp[i++];
}

/* Sorts the list by cmp_finding() as glibc's qsort() does for elements of
 * this size: a merge sort (stable) of pointers to them, then the elements
 * put in that order. Here the comparisons are inlined, merges of halves in
 * order skipped, and small lists sorted on the stack. False when out of
 * memory. */
static bool
sort_findings(trawl_findings_t *list)
{
	enum { ON_STACK = 64 };
	const trawl_finding_t *stack[ON_STACK + ON_STACK / 2];
	size_t n = list->len;
	const trawl_finding_t **ptrs = n <= ON_STACK ? stack : malloc((n + n / 2) * sizeof *ptrs);
	trawl_finding_t *sorted = malloc(list->cap * sizeof *sorted);
	bool ok = ptrs && sorted;
	if (ok) {
		for (size_t i = 0; i < n; i++)
			ptrs[i] = &list->items[i];
		merge_sort(ptrs, ptrs + n, n);
		for (size_t i = 0; i < n; i++)
			sorted[i] = *ptrs[i];
		free(list->items);
		list->items = sorted;
		sorted = NULL;
	}
	if (ptrs != stack)
		free(ptrs);
	free(sorted);
	return ok;
}

void
trawl_findings_finish(const trawl_detector_set_t *set, trawl_findings_t *list)
{
	double min = set ? set->min_confidence : TRAWL_DEFAULT_MIN_CONFIDENCE;
	if (list->len > 1 && !sort_findings(list))
		qsort(list->items, list->len, sizeof *list->items, cmp_finding);
	size_t w = 0;
	for (size_t i = 0; i < list->len; i++) {
		trawl_finding_t *f = &list->items[i];
		bool dup = w > 0 && list->items[w - 1].type == f->type && list->items[w - 1].start == f->start &&
		           list->items[w - 1].end == f->end &&
		           strcmp(list->items[w - 1].part ? list->items[w - 1].part : "", f->part ? f->part : "") == 0 &&
		           strcmp(list->items[w - 1].value ? list->items[w - 1].value : "", f->value ? f->value : "") == 0;
		if (dup || f->confidence < min) {
			finding_free(f);
			continue;
		}
		list->items[w++] = *f;
	}
	list->len = w;
}
