/* The Date of a message as g_mime_utils_header_decode_date() reads it
 * (gmime-utils.c, 3.2: datetok(), parse_rfc822_date()), for the form
 * nearly all mail has, "Tue, 1 Jan 2024 10:00:00 +0100", without its
 * list of tokens, GTimeZone and GDateTime: those cost a message more than
 * splitting all its headers, and a date of this form comes to the same
 * instant by plain arithmetic.
 *
 * Only what GMime surely reads this way is taken: a numeric zone of hours
 * below 24 and minutes below 60 right after the time (or no zone: GMime
 * takes UTC), and a date GDateTime accepts (a day the month has, seconds
 * below 60, a year of four digits from 1969 to 9998 so that the instant
 * in UTC has one too). Anything else (zone names, two-digit years, a date
 * GMime's rfc822 reading fails on and it then reads as a broken one) is
 * left to GMime.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "scanner/scanner.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* As many tokens as parse_rfc822_date() reads up to the zone, and one. */
#define MAX_TOKENS 7

typedef struct {
	const char *s;
	size_t len;
} date_token_t;

static bool
is_token_end(char ch)
{
	return ch == '\0' || ch == '-' || ch == '/' || ch == ',' || ch == '\t' || ch == '\r' || ch == '\n' ||
	       ch == ' ';
}

/* datetok(): tokens end at a separator (or the end); one separator after
 * a token is skipped, then blanks and tabs. A token's first byte is taken
 * whatever it is, a separator too. The number of tokens (up to max). */
static size_t
tokenize(date_token_t *out, size_t max, const char *p)
{
	size_t n = 0;
	while (*p && n < max) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *end = p + 1;
		while (!is_token_end(*end))
			end++;
		out[n++] = (date_token_t){p, (size_t)(end - p)};
		if (!*end)
			break;
		p = end + 1;
	}
	return n;
}

/* decode_int(): digits only, or -1. */
static int
decode_int(const date_token_t *t)
{
	int val = 0;
	for (size_t i = 0; i < t->len; i++) {
		char ch = t->s[i];
		if (ch < '0' || ch > '9' || val > (INT32_MAX - (ch - '0')) / 10)
			return -1;
		val = val * 10 + (ch - '0');
	}
	return val;
}

static char
lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
}

/* The index of the name whose first three letters the token starts with
 * (g_ascii_strncasecmp(token, name, 3)), or -1. */
static int
name_index(const date_token_t *t, const char *const names[], int n)
{
	if (t->len < 3)
		return -1;
	for (int i = 0; i < n; i++)
		if (lower(t->s[0]) == names[i][0] && lower(t->s[1]) == names[i][1] && lower(t->s[2]) == names[i][2])
			return i;
	return -1;
}

/* get_time(): "h:m:s" or shorter, each field of digits up to its largest
 * value (the second 60 included, which GDateTime then refuses). */
static bool
get_time(const date_token_t *t, int *hour, int *min, int *sec)
{
	int *val = hour, max = 23, colons = 0;
	*hour = *min = *sec = 0;
	for (size_t i = 0; i < t->len; i++) {
		char ch = t->s[i];
		if (ch == ':') {
			if (++colons > 2)
				return false;
			val = colons == 1 ? min : sec;
			max = colons == 1 ? 59 : 60;
		} else if (ch < '0' || ch > '9') {
			return false;
		} else if ((*val = *val * 10 + (ch - '0')) > max) {
			return false;
		}
	}
	return true;
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar, and
 * back (Howard Hinnant's days_from_civil() and civil_from_days()). */
static int64_t
days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

bool
trawl_scan__date_parse(int64_t *out, const char *value)
{
	static const char *const days[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
	static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
	                                     "jul", "aug", "sep", "oct", "nov", "dec"};
	date_token_t t[MAX_TOKENS];
	size_t n = tokenize(t, MAX_TOKENS, value), i = 0;
	int day, month, year, hour, min, sec, offset = 0;

	if (n > 0 && name_index(&t[0], days, 7) >= 0)
		i++; /* the weekday, which GMime does not check */
	if (i + 4 > n)
		return false;
	day = decode_int(&t[i++]);
	month = name_index(&t[i++], months, 12) + 1;
	year = decode_int(&t[i++]);
	if (day < 1 || day > 31 || month < 1 || year < 1969 || year > 9998 || t[i - 1].len != 4 ||
	    !get_time(&t[i++], &hour, &min, &sec) || sec > 59 || day > days_in_month(year, month))
		return false;
	if (i < n) {
		/* get_tzone(): only "+hhmm" or "-hhmm" as the first token taken */
		const date_token_t *z = &t[i];
		if (z->len != 5 || (z->s[0] != '+' && z->s[0] != '-'))
			return false;
		date_token_t digits = {z->s + 1, 4};
		int hhmm = decode_int(&digits);
		if (hhmm < 0 || hhmm / 100 >= 24 || hhmm % 100 >= 60)
			return false;
		offset = (hhmm / 100) * 3600 + (hhmm % 100) * 60;
		if (z->s[0] == '-')
			offset = -offset;
	}
	*out = days_from_civil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec - offset;
	return true;
}

void
trawl_scan__date_format(char out[32], int64_t t)
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t secs = t - days * 86400;
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	/* "%d-%02d-%02dT%02d:%02d:%02dZ" of a year from 1 to 9999 */
	char *p = out;
	if (y >= 1000)
		*p++ = (char)('0' + y / 1000);
	if (y >= 100)
		*p++ = (char)('0' + y / 100 % 10);
	if (y >= 10)
		*p++ = (char)('0' + y / 10 % 10);
	*p++ = (char)('0' + y % 10);
	int fields[5] = {m, d, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60)};
	const char seps[5] = {'-', '-', 'T', ':', ':'};
	for (int i = 0; i < 5; i++) {
		*p++ = seps[i];
		*p++ = (char)('0' + fields[i] / 10);
		*p++ = (char)('0' + fields[i] % 10);
	}
	*p++ = 'Z';
	*p = '\0';
}
