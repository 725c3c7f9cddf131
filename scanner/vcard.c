/* vCards (RFC 6350, and the 2.1 and 3.0 of older mail programs): the
 * postal addresses of their ADR properties as the lines a letter would
 * carry, for the address detector, which reads addresses by their layout
 * and cannot read "ADR;TYPE=HOME:;;ul. Długa 5/7;Gdańsk;;80-827;Poland".
 * The other properties (FN, TEL, EMAIL) read as they stand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "scanner/scanner.h"

#include <string.h>
#include <strings.h>

/* ADR's components, in order */
enum { ADR_POBOX, ADR_EXT, ADR_STREET, ADR_LOCALITY, ADR_REGION, ADR_CODE, ADR_COUNTRY, ADR_N };
#define FIELD_MAX 256

/* Appends one component of an unfolded value v[0, n) (from a ';' to the
 * next, "\," "\;" "\n" unescaped, a ',' list joined by blanks) to field. */
static size_t
component(const char *v, size_t n, size_t i, char *field)
{
	size_t f = 0;
	for (; i < n && v[i] != ';'; i++) {
		char ch = v[i];
		if (ch == '\\' && i + 1 < n) {
			ch = v[++i];
			if (ch == 'n' || ch == 'N')
				ch = ' ';
		} else if (ch == ',' || ch == '\r' || ch == '\n') {
			ch = ' ';
		}
		if (f + 1 < FIELD_MAX)
			field[f++] = ch;
	}
	while (f && field[f - 1] == ' ')
		f--;
	field[f] = '\0';
	return i < n ? i + 1 : n;
}

static bool
is_us(const char *country, const char *region, const char *code)
{
	if (*country)
		return strcasecmp(country, "US") == 0 || strcasecmp(country, "USA") == 0 ||
		       strcasecmp(country, "United States") == 0 || strcasecmp(country, "United States of America") == 0;
	return strlen(region) == 2 && strlen(code) >= 5;
}

static bool
is_gb(const char *country)
{
	return strcasecmp(country, "GB") == 0 || strcasecmp(country, "UK") == 0 ||
	       strcasecmp(country, "United Kingdom") == 0 || strcasecmp(country, "Great Britain") == 0 ||
	       strcasecmp(country, "England") == 0 || strcasecmp(country, "Scotland") == 0 ||
	       strcasecmp(country, "Wales") == 0;
}

/* One ADR value as lines: the street (after a PO box or extended line),
 * then the town and code in the country's order, then the country. */
static trawl_status_t
render_adr(const char *v, size_t n, trawl_buf_t *out)
{
	char f[ADR_N][FIELD_MAX];
	size_t i = 0;
	for (int k = 0; k < ADR_N; k++)
		i = component(v, n, i, f[k]);
	if (!f[ADR_STREET][0] && !f[ADR_POBOX][0])
		return TRAWL_OK;
	trawl_status_t rc = trawl_buf_putc(out, '\n');
	for (int k = ADR_POBOX; rc == TRAWL_OK && k <= ADR_STREET; k++)
		if (f[k][0])
			rc = trawl_buf_printf(out, "%s\n", f[k]);
	if (rc < 0)
		return rc;
	const char *town = f[ADR_LOCALITY], *region = f[ADR_REGION], *code = f[ADR_CODE];
	if (is_us(f[ADR_COUNTRY], region, code))
		rc = trawl_buf_printf(out, "%s, %s %s\n", town, region, code);
	else if (is_gb(f[ADR_COUNTRY]))
		rc = trawl_buf_printf(out, "%s %s\n", town, code);
	else
		rc = trawl_buf_printf(out, "%s %s\n", code, town);
	if (rc == TRAWL_OK && f[ADR_COUNTRY][0])
		rc = trawl_buf_printf(out, "%s\n", f[ADR_COUNTRY]);
	return rc;
}

trawl_status_t
trawl_scan__vcard_text(const char *text, size_t len, trawl_buf_t *out)
{
	size_t s = 0;
	while (s < len && (text[s] == ' ' || text[s] == '\t' || text[s] == '\r' || text[s] == '\n'))
		s++;
	if (len - s < 11 || strncasecmp(text + s, "BEGIN:VCARD", 11) != 0)
		return TRAWL_EUNSUPPORTED;
	out->len = 0;
	trawl_status_t rc = trawl_buf_put(out, text, len);
	trawl_buf_t line = {0};
	for (size_t i = s; rc == TRAWL_OK && i < len;) {
		/* one logical line: folded lines go on after CRLF and a blank */
		line.len = 0;
		while (i < len) {
			size_t e = i;
			while (e < len && text[e] != '\n')
				e++;
			size_t l = e > i && text[e - 1] == '\r' ? e - 1 - i : e - i;
			if ((rc = trawl_buf_put(&line, text + i, l)) < 0)
				break;
			i = e < len ? e + 1 : len;
			if (i >= len || (text[i] != ' ' && text[i] != '\t'))
				break;
			i++; /* the fold's blank */
		}
		const char *ln = line.data;
		size_t ll = line.len;
		/* "ADR", "item1.ADR", with parameters after ';' and the value after ':' */
		const char *colon = ll ? memchr(ln, ':', ll) : NULL;
		if (!colon)
			continue;
		size_t nl = (size_t)(colon - ln);
		const char *semi = memchr(ln, ';', nl);
		size_t name_end = semi ? (size_t)(semi - ln) : nl;
		const char *dot = memchr(ln, '.', name_end);
		size_t name_start = dot ? (size_t)(dot - ln) + 1 : 0;
		if (name_end - name_start == 3 && strncasecmp(ln + name_start, "ADR", 3) == 0)
			rc = render_adr(colon + 1, ll - nl - 1, out);
	}
	trawl_buf_free(&line);
	return rc;
}
