/* Text of document attachments: office documents (OOXML: docx, xlsx, pptx;
 * ODF: odt, ods, odp and the rest) and PDF, for the detectors to scan.
 *
 * What a blob is comes from its content, never its name: a zip holding
 * [Content_Types].xml is OOXML, one holding a "mimetype" member that names
 * an OpenDocument type is ODF, "%PDF-" near the start is PDF, and an OLE
 * compound file holding an "EncryptedPackage" stream is a password-protected
 * OOXML document.
 *
 * Office documents are zips of XML. The zip is read from memory with
 * libarchive (zip only, within the worker's limits, as archive.c reads
 * archives), and only the members that hold text are decompressed. They are
 * parsed with libxml2's xmlReader, which streams (memory stays bounded by
 * the member, not its tree) and reads without the network and without
 * substituting entities: XML_PARSE_NOENT is deliberately not set, so an
 * entity bomb yields entity references we skip, not gigabytes of "lol"; and
 * no DTD is loaded. Elements are matched by namespace URI and local name, so
 * prefixes don't matter (strict OOXML has other URIs; both are known).
 *
 * Layout of the text: paragraphs end lines; table cells are separated by
 * tabs and rows end lines (paragraphs inside a cell are joined by spaces),
 * so a row reads like a CSV line. For spreadsheets, cell values are taken
 * by type: shared strings looked up, inline and formula strings as they are,
 * numbers as digits (a phone number stored as a number in E notation is
 * written out in full). Text that the user sees only on request is kept
 * too, since it is personal data just the same: headers and footers,
 * footnotes, comments with their authors, tracked deletions, speaker notes,
 * and the document's author and last editor from its properties
 * ("Author: ..." lines at the end).
 *
 * PDF goes through poppler-glib: page text as poppler lays it out, then the
 * values of filled-in text fields and the contents of annotations (sticky
 * notes), then the author. Poppler is the PDF library Debian's desktop
 * relies on; its GLib binding is plain C, which keeps C++ out of this file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "scanner/scanner.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <glib.h>
#include <limits.h>
#include <libxml/xmlreader.h>
#include <poppler.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the output: text within the part limit ---- */

typedef struct {
	trawl_buf_t *out;
	size_t cap;          /* w->limits.max_part_bytes */
	trawl_status_t rc;   /* TRAWL_ELIMIT once full, TRAWL_ENOMEM */
	unsigned in_cell;    /* table cells open: paragraphs inside join with spaces */
	bool collapse;       /* ODF: runs of white space in text are one space */
} sink_t;

static bool
sink_full(const sink_t *s)
{
	return s->rc < 0;
}

static char
last_char(const sink_t *s)
{
	return s->out->len ? s->out->data[s->out->len - 1] : '\n';
}

static void
put(sink_t *s, const char *p, size_t n)
{
	if (sink_full(s) || n == 0)
		return;
	if (s->out->len + n > s->cap) {
		/* keep what fits, cut at a character boundary */
		n = s->cap > s->out->len ? s->cap - s->out->len : 0;
		while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
			n--;
		s->rc = TRAWL_ELIMIT;
	}
	if (n && trawl_buf_put(s->out, p, n) < 0)
		s->rc = TRAWL_ENOMEM;
}

static void
putc_(sink_t *s, char c)
{
	put(s, &c, 1);
}

static void
trim(sink_t *s, const char *what)
{
	trawl_buf_t *b = s->out;
	while (b->len && strchr(what, b->data[b->len - 1]))
		b->data[--b->len] = '\0';
}

/* Text of an element: as it is, or with white space collapsed (ODF). */
static void
put_text(sink_t *s, const char *p, size_t n)
{
	if (!s->collapse) {
		put(s, p, n);
		return;
	}
	size_t i = 0;
	while (i < n && !sink_full(s)) {
		if (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r') {
			while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
				i++;
			char c = last_char(s);
			if (c != ' ' && c != '\n' && c != '\t')
				putc_(s, ' ');
			continue;
		}
		size_t j = i;
		while (j < n && p[j] != ' ' && p[j] != '\t' && p[j] != '\n' && p[j] != '\r')
			j++;
		put(s, p + i, j - i);
		i = j;
	}
}

static void
end_line(sink_t *s)
{
	trim(s, " ");
	if (last_char(s) != '\n')
		putc_(s, '\n');
}

static void
end_para(sink_t *s)
{
	if (s->in_cell) {
		trim(s, " ");
		char c = last_char(s);
		if (c != '\n' && c != '\t')
			putc_(s, ' ');
	} else {
		end_line(s);
	}
}

static void
end_cell(sink_t *s)
{
	trim(s, " ");
	putc_(s, '\t');
}

static void
end_row(sink_t *s)
{
	trim(s, " \t");
	if (last_char(s) != '\n')
		putc_(s, '\n');
}

/* ---- XML ---- */

/* The namespaces whose elements carry text, strict and transitional OOXML alike. */
typedef enum {
	NS_OTHER,
	NS_W,      /* WordprocessingML */
	NS_A,      /* DrawingML (pptx text, text boxes) */
	NS_S,      /* SpreadsheetML */
	NS_M,      /* Office Math */
	NS_MC,     /* markup compatibility (AlternateContent) */
	NS_CP,     /* OPC core properties */
	NS_DC,     /* Dublin Core */
	NS_TEXT,   /* ODF text */
	NS_TABLE,  /* ODF table */
	NS_META,   /* ODF meta */
	NS_CT,     /* OPC content types */
} ns_t;

static ns_t
ns_of(const char *uri)
{
	static const struct {
		const char *uri;
		ns_t ns;
	} map[] = {
		{"http://schemas.openxmlformats.org/wordprocessingml/2006/main", NS_W},
		{"http://purl.oclc.org/ooxml/wordprocessingml/main", NS_W},
		{"http://schemas.openxmlformats.org/drawingml/2006/main", NS_A},
		{"http://purl.oclc.org/ooxml/drawingml/main", NS_A},
		{"http://schemas.openxmlformats.org/spreadsheetml/2006/main", NS_S},
		{"http://purl.oclc.org/ooxml/spreadsheetml/main", NS_S},
		{"http://schemas.openxmlformats.org/officeDocument/2006/math", NS_M},
		{"http://purl.oclc.org/ooxml/officeDocument/math", NS_M},
		{"http://schemas.openxmlformats.org/markup-compatibility/2006", NS_MC},
		{"http://schemas.openxmlformats.org/package/2006/metadata/core-properties", NS_CP},
		{"http://purl.org/dc/elements/1.1/", NS_DC},
		{"urn:oasis:names:tc:opendocument:xmlns:text:1.0", NS_TEXT},
		{"urn:oasis:names:tc:opendocument:xmlns:table:1.0", NS_TABLE},
		{"urn:oasis:names:tc:opendocument:xmlns:meta:1.0", NS_META},
		{"http://schemas.openxmlformats.org/package/2006/content-types", NS_CT},
	};
	if (!uri)
		return NS_OTHER;
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (strcmp(uri, map[i].uri) == 0)
			return map[i].ns;
	return NS_OTHER;
}

enum {
	F_TEXT = 1 << 0,   /* text nodes inside are kept */
	F_PARA = 1 << 1,   /* ends a line (a space inside a table cell) */
	F_CELL = 1 << 2,   /* a table cell: a tab after it */
	F_ROW = 1 << 3,    /* a table row: ends a line */
	F_TAB = 1 << 4,    /* a tab character */
	F_BREAK = 1 << 5,  /* a line break */
	F_SKIP = 1 << 6,   /* nothing inside is text */
	F_SPACES = 1 << 7, /* ODF <text:s text:c="n"/>: n spaces */
	F_HYPHEN = 1 << 8, /* a non-breaking hyphen */
	F_AUTHOR = 1 << 9, /* a comment: its author attribute first */
	F_APART = 1 << 10, /* a space after: not glued to the next word */
};

typedef struct {
	ns_t ns;
	const char *name;
	unsigned flags;
	const char *label; /* written before the element's text */
} role_t;

static const role_t wml_roles[] = {
	{NS_W, "t", F_TEXT, NULL},
	{NS_W, "delText", F_TEXT, NULL},   /* tracked deletions */
	{NS_W, "del", F_APART, NULL},
	{NS_W, "p", F_PARA, NULL},
	{NS_W, "tab", F_TAB, NULL},
	{NS_W, "ptab", F_TAB, NULL},
	{NS_W, "tabs", F_SKIP, NULL},      /* tab stop definitions, not tabs */
	{NS_W, "br", F_BREAK, NULL},
	{NS_W, "cr", F_BREAK, NULL},
	{NS_W, "noBreakHyphen", F_HYPHEN, NULL},
	{NS_W, "tc", F_CELL, NULL},
	{NS_W, "tr", F_ROW, NULL},
	{NS_W, "comment", F_AUTHOR, NULL},
	{NS_M, "t", F_TEXT, NULL},
	{NS_MC, "Fallback", F_SKIP, NULL}, /* a second copy of what mc:Choice holds */
	{0, NULL, 0, NULL},
};

static const role_t dml_roles[] = {
	{NS_A, "t", F_TEXT, NULL},
	{NS_A, "p", F_PARA, NULL},
	{NS_A, "br", F_BREAK, NULL},
	{NS_A, "tc", F_CELL, NULL},
	{NS_A, "tr", F_ROW, NULL},
	{NS_MC, "Fallback", F_SKIP, NULL},
	{0, NULL, 0, NULL},
};

static const role_t sml_comment_roles[] = {
	{NS_S, "author", F_TEXT | F_PARA, "Author: "},
	{NS_S, "t", F_TEXT, NULL},
	{NS_S, "comment", F_PARA, NULL},
	{NS_S, "rPh", F_SKIP, NULL},       /* phonetic reading of East Asian text */
	{0, NULL, 0, NULL},
};

static const role_t odf_roles[] = {
	{NS_TEXT, "p", F_TEXT | F_PARA, NULL},
	{NS_TEXT, "h", F_TEXT | F_PARA, NULL},
	{NS_TEXT, "s", F_SPACES, NULL},
	{NS_TEXT, "tab", F_TAB, NULL},
	{NS_TEXT, "line-break", F_BREAK, NULL},
	{NS_TABLE, "table-cell", F_CELL, NULL},
	{NS_TABLE, "covered-table-cell", F_CELL, NULL},
	{NS_TABLE, "table-row", F_ROW, NULL},
	{NS_TEXT, "note-citation", F_SKIP, NULL}, /* a footnote's number */
	{NS_DC, "creator", F_TEXT | F_PARA, NULL}, /* the author of a comment or change */
	{NS_DC, "date", F_SKIP, NULL},
	{0, NULL, 0, NULL},
};

static const role_t opc_core_roles[] = {
	{NS_DC, "creator", F_TEXT | F_PARA, "Author: "},
	{NS_CP, "lastModifiedBy", F_TEXT | F_PARA, "Last modified by: "},
	{0, NULL, 0, NULL},
};

static const role_t odf_meta_roles[] = {
	{NS_META, "initial-creator", F_TEXT | F_PARA, "Author: "},
	{NS_DC, "creator", F_TEXT | F_PARA, "Last modified by: "},
	{0, NULL, 0, NULL},
};

static const role_t *
role_of(const role_t *roles, ns_t ns, const char *name)
{
	if (ns == NS_OTHER || !name)
		return NULL;
	for (const role_t *r = roles; r->name; r++)
		if (r->ns == ns && strcmp(r->name, name) == 0)
			return r;
	return NULL;
}

#if LIBXML_VERSION >= 21200
static void
quiet(void *payload, const xmlError *err)
#else
static void
quiet(void *payload, xmlErrorPtr err)
#endif
{
	/* Parse errors end up as TRAWL_EFORMAT; libxml2 must not print them. */
	(void)payload, (void)err;
}

/* No network, no DTD loading, no entity substitution (NOENT stays unset:
 * entity references are reported as such and skipped), no XInclude, and the
 * default size limits kept (no XML_PARSE_HUGE). */
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA)

static xmlTextReaderPtr
open_xml(const char *data, size_t len, const char *name)
{
	if (len > INT_MAX)
		return NULL;
	xmlTextReaderPtr r = xmlReaderForMemory(data, (int)len, name, NULL, XML_OPTIONS);
	if (r)
		xmlTextReaderSetStructuredErrorHandler(r, quiet, NULL);
	return r;
}

static const char *
local_name(xmlTextReaderPtr r)
{
	return (const char *)xmlTextReaderConstLocalName(r);
}

static ns_t
node_ns(xmlTextReaderPtr r)
{
	return ns_of((const char *)xmlTextReaderConstNamespaceUri(r));
}

/* The value of the attribute with this local name, whatever its prefix;
 * xmlFree() it. */
static char *
attr(xmlTextReaderPtr r, const char *name)
{
	char *value = NULL;
	if (xmlTextReaderMoveToFirstAttribute(r) != 1)
		return NULL;
	do {
		const char *ln = (const char *)xmlTextReaderConstLocalName(r);
		if (ln && strcmp(ln, name) == 0) {
			value = (char *)xmlTextReaderValue(r);
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(r) == 1);
	xmlTextReaderMoveToElement(r);
	return value;
}

static bool
is_text_node(int type)
{
	return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
	       type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

static void
role_start(sink_t *s, xmlTextReaderPtr r, const role_t *role)
{
	unsigned f = role->flags;
	if (f & F_CELL)
		s->in_cell++;
	if (role->label)
		put(s, role->label, strlen(role->label));
	if (f & F_TAB)
		putc_(s, '\t');
	if (f & F_BREAK) {
		if (s->in_cell)
			putc_(s, ' ');
		else
			end_line(s);
	}
	if (f & F_HYPHEN)
		putc_(s, '-');
	if (f & F_SPACES) {
		char *c = attr(r, "c");
		long n = c ? strtol(c, NULL, 10) : 1;
		xmlFree(c);
		/* a count, not text: bounded so it cannot amplify */
		for (long i = 0; i < (n < 1 ? 1 : n > 64 ? 64 : n); i++)
			putc_(s, ' ');
	}
	if (f & F_AUTHOR) {
		char *a = attr(r, "author");
		if (a && *a) {
			put(s, a, strlen(a));
			put(s, ": ", 2);
		}
		xmlFree(a);
	}
}

static void
role_end(sink_t *s, const role_t *role)
{
	unsigned f = role->flags;
	if (f & F_PARA)
		end_para(s);
	if (f & F_CELL) {
		if (s->in_cell)
			s->in_cell--;
		end_cell(s);
	}
	if (f & F_ROW)
		end_row(s);
	if ((f & F_APART) && !strchr(" \t\n", last_char(s)))
		putc_(s, ' ');
}

/* Walks one XML part with a table of roles, writing its text. */
static trawl_status_t
xml_text(sink_t *s, const char *data, size_t len, const char *name, const role_t *roles)
{
	trawl_status_t rc = TRAWL_OK;
	xmlTextReaderPtr r = open_xml(data, len, name);
	if (!r)
		return len > INT_MAX ? TRAWL_ELIMIT : TRAWL_EFORMAT;
	unsigned in_text = 0;
	s->in_cell = 0;
	int ret = xmlTextReaderRead(r);
	while (ret == 1 && !sink_full(s)) {
		int type = xmlTextReaderNodeType(r);
		if (type == XML_READER_TYPE_ELEMENT) {
			const role_t *role = role_of(roles, node_ns(r), local_name(r));
			if (role && (role->flags & F_SKIP)) {
				ret = xmlTextReaderNext(r);
				continue;
			}
			if (role) {
				role_start(s, r, role);
				if (xmlTextReaderIsEmptyElement(r))
					role_end(s, role);
				else if (role->flags & F_TEXT)
					in_text++;
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			const role_t *role = role_of(roles, node_ns(r), local_name(r));
			if (role) {
				if ((role->flags & F_TEXT) && in_text)
					in_text--;
				role_end(s, role);
			}
		} else if (in_text && is_text_node(type)) {
			const char *v = (const char *)xmlTextReaderConstValue(r);
			if (v)
				put_text(s, v, strlen(v));
		}
		ret = xmlTextReaderRead(r);
	}
	if (ret < 0)
		rc = TRAWL_EFORMAT;
	end_line(s);
	xmlFreeTextReader(r);
	return rc;
}

/* ---- spreadsheets ---- */

typedef struct {
	trawl_buf_t pool;   /* the shared strings, one after another */
	size_t *off;        /* start of string i in pool; off[n] is the end */
	size_t n, cap;
} strings_t;

static void
strings_free(strings_t *t)
{
	trawl_buf_free(&t->pool);
	free(t->off);
	memset(t, 0, sizeof *t);
}

static trawl_status_t
strings_mark(strings_t *t)
{
	if (t->n + 2 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		size_t *p = realloc(t->off, cap * sizeof *p);
		if (!p)
			return TRAWL_ENOMEM;
		t->off = p, t->cap = cap;
	}
	t->off[t->n] = t->pool.len;
	return TRAWL_OK;
}

/* xl/sharedStrings.xml: <si> items of <t>, or of rich-text runs <r><t>;
 * phonetic readings (<rPh>) are not the text. */
static trawl_status_t
xlsx_strings(strings_t *t, const char *data, size_t len, const char *name)
{
	trawl_status_t rc = TRAWL_OK;
	xmlTextReaderPtr r = open_xml(data, len, name);
	if (!r)
		return len > INT_MAX ? TRAWL_ELIMIT : TRAWL_EFORMAT;
	bool in_si = false;
	unsigned in_t = 0;
	int ret = xmlTextReaderRead(r);
	while (ret == 1 && rc == TRAWL_OK) {
		int type = xmlTextReaderNodeType(r);
		bool s_ns = type == XML_READER_TYPE_ELEMENT || type == XML_READER_TYPE_END_ELEMENT
		                    ? node_ns(r) == NS_S
		                    : false;
		const char *ln = s_ns ? local_name(r) : "";
		if (type == XML_READER_TYPE_ELEMENT && s_ns) {
			bool empty = xmlTextReaderIsEmptyElement(r);
			if (strcmp(ln, "rPh") == 0) {
				ret = xmlTextReaderNext(r);
				continue;
			}
			if (strcmp(ln, "si") == 0) {
				rc = strings_mark(t);
				in_si = !empty;
				if (empty)
					t->n++;
			} else if (strcmp(ln, "t") == 0 && in_si && !empty) {
				in_t++;
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT && s_ns) {
			if (strcmp(ln, "si") == 0 && in_si) {
				in_si = false;
				in_t = 0;
				t->n++;
			} else if (strcmp(ln, "t") == 0 && in_t) {
				in_t--;
			}
		} else if (in_t && is_text_node(type)) {
			const char *v = (const char *)xmlTextReaderConstValue(r);
			if (v)
				rc = trawl_buf_puts(&t->pool, v);
		}
		ret = xmlTextReaderRead(r);
	}
	if (rc == TRAWL_OK && (rc = strings_mark(t)) == TRAWL_OK)
		t->off[t->n] = t->pool.len;
	if (rc == TRAWL_OK && ret < 0)
		rc = TRAWL_EFORMAT;
	xmlFreeTextReader(r);
	return rc;
}

/* A number cell's value as a person would read it: Excel writes large
 * integers in E notation (4.42079460123E+11), which hides a phone number. */
static void
put_number(sink_t *s, const char *v, size_t n)
{
	if (memchr(v, 'E', n) || memchr(v, 'e', n)) {
		char tmp[64], *end;
		if (n < sizeof tmp) {
			memcpy(tmp, v, n);
			tmp[n] = '\0';
			double d = g_ascii_strtod(tmp, &end); /* '.' whatever the locale */
			if (*end == '\0' && d > -1e18 && d < 1e18 && d == (double)(long long)d) {
				int k = snprintf(tmp, sizeof tmp, "%lld", (long long)d);
				put(s, tmp, (size_t)k);
				return;
			}
		}
	}
	put(s, v, n);
}

/* xl/worksheets/sheetN.xml: a row a line, cells separated by tabs. */
static trawl_status_t
xlsx_sheet(sink_t *s, const strings_t *t, const char *data, size_t len, const char *name)
{
	trawl_status_t rc = TRAWL_OK;
	trawl_buf_t value = {0};
	char ctype[16] = "";
	bool in_c = false;
	unsigned in_v = 0, in_is = 0, in_t = 0;
	xmlTextReaderPtr r = open_xml(data, len, name);
	if (!r)
		return len > INT_MAX ? TRAWL_ELIMIT : TRAWL_EFORMAT;
	int ret = xmlTextReaderRead(r);
	while (ret == 1 && !sink_full(s) && rc == TRAWL_OK) {
		int type = xmlTextReaderNodeType(r);
		bool s_ns = (type == XML_READER_TYPE_ELEMENT || type == XML_READER_TYPE_END_ELEMENT) &&
		            node_ns(r) == NS_S;
		const char *ln = s_ns ? local_name(r) : "";
		bool empty = type == XML_READER_TYPE_ELEMENT && xmlTextReaderIsEmptyElement(r);
		if (type == XML_READER_TYPE_ELEMENT && s_ns) {
			if (strcmp(ln, "c") == 0 && !empty) {
				char *tp = attr(r, "t");
				snprintf(ctype, sizeof ctype, "%s", tp ? tp : "n");
				xmlFree(tp);
				trawl_buf_reset(&value);
				in_c = true;
			} else if (strcmp(ln, "row") == 0 && empty) {
				/* nothing in it */
			} else if (in_c && (strcmp(ln, "f") == 0 || strcmp(ln, "rPh") == 0)) {
				ret = xmlTextReaderNext(r); /* formulas and phonetics are not the value */
				continue;
			} else if (in_c && !empty) {
				in_v += strcmp(ln, "v") == 0;
				in_is += strcmp(ln, "is") == 0;
				in_t += in_is && strcmp(ln, "t") == 0;
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT && s_ns) {
			if (strcmp(ln, "c") == 0 && in_c) {
				in_c = false;
				in_v = in_is = in_t = 0;
				const char *v = trawl_buf_cstr(&value);
				size_t n = value.len;
				if (n == 0 || strcmp(ctype, "e") == 0)
					goto next; /* empty, or an error such as #N/A */
				if (strcmp(ctype, "s") == 0) {
					char *end;
					unsigned long i = strtoul(v, &end, 10);
					if (*end || i >= t->n)
						goto next;
					put(s, t->pool.data + t->off[i], t->off[i + 1] - t->off[i]);
				} else if (strcmp(ctype, "b") == 0) {
					put(s, v[0] == '1' ? "TRUE" : "FALSE", v[0] == '1' ? 4 : 5);
				} else if (strcmp(ctype, "n") == 0) {
					put_number(s, v, n);
				} else {
					put(s, v, n); /* inlineStr, str (a formula's text), d (a date) */
				}
				end_cell(s);
			} else if (strcmp(ln, "row") == 0) {
				end_row(s);
			} else if (strcmp(ln, "v") == 0 && in_v) {
				in_v--;
			} else if (strcmp(ln, "is") == 0 && in_is) {
				in_is--;
			} else if (strcmp(ln, "t") == 0 && in_t) {
				in_t--;
			}
		} else if (in_c && (in_v || in_t) && is_text_node(type)) {
			const char *v = (const char *)xmlTextReaderConstValue(r);
			if (v && value.len < s->cap)
				rc = trawl_buf_puts(&value, v);
		}
	next:
		ret = xmlTextReaderRead(r);
	}
	if (rc == TRAWL_OK && ret < 0)
		rc = TRAWL_EFORMAT;
	end_line(s);
	xmlFreeTextReader(r);
	trawl_buf_free(&value);
	return rc;
}

/* ---- office documents: the zip ---- */

/* The members we read, in the order their text is written. */
typedef enum {
	P_NONE,
	P_CONTENT_TYPES,
	P_MIMETYPE,
	P_MANIFEST,
	P_WORD,          /* word/NAME.xml: which one, [Content_Types].xml says */
	P_DOCX_MAIN,
	P_DOCX_HEADER,   /* headers and footers */
	P_DOCX_NOTES,    /* footnotes and endnotes */
	P_DOCX_COMMENTS,
	P_XLSX_STRINGS,
	P_XLSX_SHEET,
	P_XLSX_COMMENTS,
	P_PPTX_SLIDE,
	P_PPTX_NOTES,
	P_ODF_CONTENT,
	P_ODF_STYLES,    /* ODF headers and footers live in styles.xml */
	P_CORE,          /* docProps/core.xml */
	P_ODF_META,
} part_t;

typedef struct {
	char *name;
	part_t kind;
	trawl_buf_t data;
} member_t;

typedef struct {
	member_t *items;
	size_t n, cap;
} members_t;

static void
members_free(members_t *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->items[i].name);
		trawl_buf_free(&m->items[i].data);
	}
	free(m->items);
	memset(m, 0, sizeof *m);
}

static bool
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* "dir/NAME.xml", nothing deeper. */
static bool
xml_in(const char *name, const char *dir)
{
	return has_prefix(name, dir) && !strchr(name + strlen(dir), '/') && has_suffix(name, ".xml");
}

static part_t
part_by_name(const char *name)
{
	if (strcmp(name, "[Content_Types].xml") == 0)
		return P_CONTENT_TYPES;
	if (strcmp(name, "mimetype") == 0)
		return P_MIMETYPE;
	if (strcmp(name, "META-INF/manifest.xml") == 0)
		return P_MANIFEST;
	if (xml_in(name, "word/"))
		return P_WORD;
	if (strcmp(name, "xl/sharedStrings.xml") == 0)
		return P_XLSX_STRINGS;
	if (xml_in(name, "xl/worksheets/"))
		return P_XLSX_SHEET;
	if (xml_in(name, "xl/") && has_prefix(name, "xl/comments"))
		return P_XLSX_COMMENTS;
	if (xml_in(name, "ppt/slides/"))
		return P_PPTX_SLIDE;
	if (xml_in(name, "ppt/notesSlides/"))
		return P_PPTX_NOTES;
	if (strcmp(name, "content.xml") == 0)
		return P_ODF_CONTENT;
	if (strcmp(name, "styles.xml") == 0)
		return P_ODF_STYLES;
	if (strcmp(name, "meta.xml") == 0)
		return P_ODF_META;
	if (strcmp(name, "docProps/core.xml") == 0)
		return P_CORE;
	return P_NONE;
}

/* A word/ part by its content type, or by its usual name when
 * [Content_Types].xml does not list it. */
static part_t
word_part(const char *name, const char *content_type)
{
	if (content_type) {
		if (!strstr(content_type, "wordprocessingml") && !strstr(content_type, "ms-word"))
			return P_NONE;
		if (has_suffix(content_type, ".main+xml"))
			return P_DOCX_MAIN;
		if (has_suffix(content_type, ".header+xml") || has_suffix(content_type, ".footer+xml"))
			return P_DOCX_HEADER;
		if (has_suffix(content_type, ".footnotes+xml") || has_suffix(content_type, ".endnotes+xml"))
			return P_DOCX_NOTES;
		if (has_suffix(content_type, ".comments+xml"))
			return P_DOCX_COMMENTS;
		return P_NONE;
	}
	const char *base = name + strlen("word/");
	if (strcmp(base, "document.xml") == 0)
		return P_DOCX_MAIN;
	if (has_prefix(base, "header") || has_prefix(base, "footer"))
		return P_DOCX_HEADER;
	if (strcmp(base, "footnotes.xml") == 0 || strcmp(base, "endnotes.xml") == 0)
		return P_DOCX_NOTES;
	if (strcmp(base, "comments.xml") == 0)
		return P_DOCX_COMMENTS;
	return P_NONE;
}

/* The content types [Content_Types].xml gives the word/ parts: part name
 * (lower case, without the leading slash) to type. Read once: a package
 * may have many parts. */
static GHashTable *
word_content_types(const member_t *ct)
{
	GHashTable *types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	xmlTextReaderPtr r = ct ? open_xml(ct->data.data ? ct->data.data : "", ct->data.len, ct->name) : NULL;
	while (r && xmlTextReaderRead(r) == 1) {
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT || node_ns(r) != NS_CT ||
		    strcmp(local_name(r), "Override") != 0)
			continue;
		char *part = attr(r, "PartName");
		char *type = part ? attr(r, "ContentType") : NULL;
		const char *name = part ? part + (*part == '/') : "";
		if (type && g_ascii_strncasecmp(name, "word/", 5) == 0)
			g_hash_table_replace(types, g_ascii_strdown(name, -1), g_strdup(type));
		xmlFree(part);
		xmlFree(type);
	}
	if (r)
		xmlFreeTextReader(r);
	return types;
}

/* Orders names with numbers by value: slide2 before slide10. */
static int
natural_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			size_t la = 0, lb = 0;
			while (isdigit((unsigned char)a[la]))
				la++;
			while (isdigit((unsigned char)b[lb]))
				lb++;
			if (la != lb)
				return la < lb ? -1 : 1;
			int c = strncmp(a, b, la);
			if (c)
				return c;
			a += la, b += lb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++, b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static int
member_cmp(const void *pa, const void *pb)
{
	const member_t *a = pa, *b = pb;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return natural_cmp(a->name, b->name);
}

static bool
stopped(const trawl_worker_t *w)
{
	return trawl_scan__stopped(w->opts);
}

/* Worse outcomes win: out of memory, then encrypted, limit, corrupt. */
static trawl_status_t
worse(trawl_status_t a, trawl_status_t b)
{
	static const trawl_status_t order[] = {TRAWL_ENOMEM, TRAWL_EINTR, TRAWL_EENCRYPTED, TRAWL_ELIMIT,
	                                       TRAWL_EFORMAT};
	for (size_t i = 0; i < sizeof order / sizeof *order; i++)
		if (a == order[i] || b == order[i])
			return order[i];
	return a < 0 ? a : b;
}

/* Reads the members that hold text into m. Returns TRAWL_EFORMAT when the
 * zip breaks off (what was read before is kept), TRAWL_ELIMIT past a limit,
 * TRAWL_EENCRYPTED for an encrypted member we need. */
static trawl_status_t
read_members(trawl_worker_t *w, const void *data, size_t len, members_t *m)
{
	trawl_status_t rc = TRAWL_OK;
	const trawl_limits_t *lim = &w->limits;
	uint64_t expanded = 0, entries = 0;
	struct archive *a = archive_read_new();
	if (!a)
		return TRAWL_ENOMEM;
	archive_read_support_format_zip(a);
	archive_read_set_options(a, "zip:ignorecrc32");
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		rc = TRAWL_EFORMAT;
		goto done;
	}
	for (;;) {
		struct archive_entry *e;
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			rc = TRAWL_EFORMAT;
			break;
		}
		if (stopped(w)) {
			rc = TRAWL_EINTR;
			break;
		}
		if (++entries > lim->max_members) {
			rc = TRAWL_ELIMIT;
			break;
		}
		const char *name = archive_entry_pathname_utf8(e);
		if (!name)
			name = archive_entry_pathname(e);
		part_t kind = name ? part_by_name(name) : P_NONE;
		if (kind == P_NONE)
			continue;
		if (archive_entry_is_encrypted(e)) {
			rc = worse(rc, TRAWL_EENCRYPTED);
			continue;
		}
		if (m->n == m->cap) {
			size_t cap = m->cap ? m->cap * 2 : 16;
			member_t *p = realloc(m->items, cap * sizeof *p);
			if (!p) {
				rc = TRAWL_ENOMEM;
				goto done;
			}
			m->items = p, m->cap = cap;
		}
		member_t *mb = &m->items[m->n];
		memset(mb, 0, sizeof *mb);
		if (!(mb->name = strdup(name))) {
			rc = TRAWL_ENOMEM;
			goto done;
		}
		mb->kind = kind;
		m->n++;
		for (;;) {
			if (trawl_buf_grow(&mb->data, 65536) < 0) {
				rc = TRAWL_ENOMEM;
				goto done;
			}
			la_ssize_t n = archive_read_data(a, mb->data.data + mb->data.len, 65536);
			if (n == 0)
				break;
			if (n < 0) {
				const char *why = archive_error_string(a);
				bool enc = why && (strstr(why, "ncrypt") || strstr(why, "assphrase"));
				rc = worse(rc, enc ? TRAWL_EENCRYPTED : TRAWL_EFORMAT);
				m->n--; /* not a member we can use */
				free(mb->name);
				trawl_buf_free(&mb->data);
				if (n == ARCHIVE_FATAL)
					goto done;
				break;
			}
			mb->data.len += (size_t)n;
			mb->data.data[mb->data.len] = '\0';
			expanded += (uint64_t)n;
			if (mb->data.len > lim->max_message_bytes || expanded > lim->max_expanded_bytes ||
			    (expanded > (1u << 20) && (double)expanded > lim->max_ratio * (double)(len ? len : 1))) {
				rc = TRAWL_ELIMIT;
				m->n--;
				free(mb->name);
				trawl_buf_free(&mb->data);
				goto done;
			}
		}
	}
done:
	archive_read_free(a);
	return rc;
}

static const member_t *
find_kind(const members_t *m, part_t kind)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->items[i].kind == kind)
			return &m->items[i];
	return NULL;
}

static bool
hint_is_office(const char *mime)
{
	return mime && (strstr(mime, "officedocument") || strstr(mime, "opendocument") || strstr(mime, "ms-word") ||
	                strstr(mime, "ms-excel") || strstr(mime, "ms-powerpoint"));
}

static trawl_status_t
office_text(trawl_worker_t *w, const void *data, size_t len, const char *mime, sink_t *s)
{
	members_t m = {0};
	strings_t strings = {0};
	trawl_status_t rc = read_members(w, data, len, &m), prc;
	if (rc == TRAWL_ENOMEM)
		goto done;

	const member_t *ct = find_kind(&m, P_CONTENT_TYPES);
	const member_t *mt = find_kind(&m, P_MIMETYPE);
	bool odf = mt && mt->data.len && has_prefix(mt->data.data, "application/vnd.oasis.opendocument.");
	if (!ct && !odf) {
		/* A zip that is no document, or one too broken to say. */
		if (rc == TRAWL_OK)
			rc = hint_is_office(mime) ? TRAWL_EFORMAT : TRAWL_EUNSUPPORTED;
		else if (rc != TRAWL_ELIMIT && rc != TRAWL_EINTR && rc != TRAWL_EENCRYPTED)
			rc = TRAWL_EFORMAT; /* too broken to say; EENCRYPTED: a zip with a password */
		goto done;
	}
	if (odf) {
		const member_t *mf = find_kind(&m, P_MANIFEST);
		if (mf && mf->data.len && memmem(mf->data.data, mf->data.len, "encryption-data", 15)) {
			rc = TRAWL_EENCRYPTED; /* the XML parts are encrypted streams */
			goto done;
		}
	}
	/* Which word/ parts are what: the content types decide. */
	if (!odf && find_kind(&m, P_WORD)) {
		GHashTable *types = word_content_types(ct);
		for (size_t i = 0; i < m.n; i++) {
			if (m.items[i].kind != P_WORD)
				continue;
			char *lower = g_ascii_strdown(m.items[i].name, -1);
			m.items[i].kind = word_part(m.items[i].name, g_hash_table_lookup(types, lower));
			g_free(lower);
		}
		g_hash_table_destroy(types);
	}
	bool main_part = odf ? find_kind(&m, P_ODF_CONTENT) != NULL
	                     : find_kind(&m, P_DOCX_MAIN) || find_kind(&m, P_XLSX_SHEET) ||
	                           find_kind(&m, P_PPTX_SLIDE);
	if (!main_part) {
		/* OOXML that is not a text document (XPS, Visio), or a package
		 * without its main part */
		if (rc == TRAWL_OK)
			rc = odf ? TRAWL_EFORMAT : TRAWL_EUNSUPPORTED;
		goto done;
	}

	qsort(m.items, m.n, sizeof *m.items, member_cmp);
	for (size_t i = 0; i < m.n && !sink_full(s); i++) {
		const member_t *mb = &m.items[i];
		const char *d = mb->data.data ? mb->data.data : "";
		size_t n = mb->data.len;
		if (stopped(w)) {
			rc = TRAWL_EINTR;
			break;
		}
		s->collapse = false;
		switch (mb->kind) {
		case P_DOCX_MAIN:
		case P_DOCX_HEADER:
		case P_DOCX_NOTES:
		case P_DOCX_COMMENTS:
			prc = odf ? TRAWL_OK : xml_text(s, d, n, mb->name, wml_roles);
			break;
		case P_XLSX_STRINGS:
			prc = odf ? TRAWL_OK : xlsx_strings(&strings, d, n, mb->name);
			break;
		case P_XLSX_SHEET:
			prc = odf ? TRAWL_OK : xlsx_sheet(s, &strings, d, n, mb->name);
			break;
		case P_XLSX_COMMENTS:
			prc = odf ? TRAWL_OK : xml_text(s, d, n, mb->name, sml_comment_roles);
			break;
		case P_PPTX_SLIDE:
		case P_PPTX_NOTES:
			prc = odf ? TRAWL_OK : xml_text(s, d, n, mb->name, dml_roles);
			break;
		case P_CORE:
			prc = odf ? TRAWL_OK : xml_text(s, d, n, mb->name, opc_core_roles);
			break;
		case P_ODF_CONTENT:
		case P_ODF_STYLES:
			s->collapse = true;
			prc = odf ? xml_text(s, d, n, mb->name, odf_roles) : TRAWL_OK;
			break;
		case P_ODF_META:
			s->collapse = true;
			prc = odf ? xml_text(s, d, n, mb->name, odf_meta_roles) : TRAWL_OK;
			break;
		default:
			prc = TRAWL_OK;
			break;
		}
		if (prc < 0)
			rc = worse(rc, prc);
		if (rc == TRAWL_ENOMEM)
			break;
	}
done:
	strings_free(&strings);
	members_free(&m);
	return rc;
}

/* ---- PDF ---- */

/* Poppler keeps process-wide state behind its documents (GlobalParams, font
 * and CMap caches, the builtin font tables) and has had races in them
 * across releases; poppler-glib documents are independent objects, but
 * nothing promises that two of them may be read at once on two threads.
 * PDFs are a small share of attachments: one at a time costs little. */
static pthread_mutex_t pdf_lock = PTHREAD_MUTEX_INITIALIZER;

/* Pages read from one PDF at most: a small file can declare millions of
 * empty pages that share one content stream. */
#define MAX_PDF_PAGES 100000

static void
put_line(sink_t *s, const char *label, const char *text)
{
	if (!text || !*text)
		return;
	end_line(s);
	if (label)
		put(s, label, strlen(label));
	put(s, text, strlen(text));
	end_line(s);
}

static trawl_status_t
pdf_text(trawl_worker_t *w, const void *data, size_t len, sink_t *s)
{
	trawl_status_t rc = TRAWL_OK;
	GError *err = NULL;
	GBytes *bytes = g_bytes_new_static(data, len);
	PopplerDocument *doc = NULL;

	pthread_mutex_lock(&pdf_lock);
	doc = poppler_document_new_from_bytes(bytes, NULL, &err);
	if (!doc) {
		rc = err && g_error_matches(err, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED) ? TRAWL_EENCRYPTED
		                                                                       : TRAWL_EFORMAT;
		goto done;
	}
	int pages = poppler_document_get_n_pages(doc);
	if (pages <= 0) {
		rc = TRAWL_EFORMAT;
		goto done;
	}
	if (pages > MAX_PDF_PAGES) {
		pages = MAX_PDF_PAGES;
		rc = TRAWL_ELIMIT;
	}
	for (int i = 0; i < pages && !sink_full(s); i++) {
		if (stopped(w)) {
			rc = TRAWL_EINTR;
			goto done;
		}
		PopplerPage *page = poppler_document_get_page(doc, i);
		if (!page)
			continue;
		char *text = poppler_page_get_text(page);
		if (text && *text) {
			put(s, text, strlen(text));
			end_line(s);
		}
		g_free(text);

		/* Filled-in text fields: their values are not in the page's text. */
		GList *fields = poppler_page_get_form_field_mapping(page);
		for (GList *l = fields; l && !sink_full(s); l = l->next) {
			PopplerFormField *f = ((PopplerFormFieldMapping *)l->data)->field;
			if (poppler_form_field_get_field_type(f) != POPPLER_FORM_FIELD_TEXT)
				continue;
			char *value = poppler_form_field_text_get_text(f);
			char *fname = poppler_form_field_get_partial_name(f);
			if (value && *value) {
				end_line(s);
				if (fname && *fname) {
					put(s, fname, strlen(fname));
					put(s, ": ", 2);
				}
				put(s, value, strlen(value));
				end_line(s);
			}
			g_free(value);
			g_free(fname);
		}
		poppler_page_free_form_field_mapping(fields);

		/* Comments and sticky notes. */
		GList *annots = poppler_page_get_annot_mapping(page);
		for (GList *l = annots; l && !sink_full(s); l = l->next) {
			PopplerAnnot *an = ((PopplerAnnotMapping *)l->data)->annot;
			if (poppler_annot_get_annot_type(an) == POPPLER_ANNOT_WIDGET)
				continue;
			char *contents = poppler_annot_get_contents(an);
			put_line(s, NULL, contents);
			g_free(contents);
		}
		poppler_page_free_annot_mapping(annots);
		g_object_unref(page);
	}
	char *author = poppler_document_get_author(doc);
	put_line(s, "Author: ", author);
	g_free(author);

done:
	if (doc)
		g_object_unref(doc);
	pthread_mutex_unlock(&pdf_lock);
	g_bytes_unref(bytes);
	if (err)
		g_error_free(err);
	return rc;
}

/* ---- which kind of document ---- */

/* "%PDF-" first; readers also accept junk before it within the first KiB,
 * which we do only when the sender said PDF (a text may mention "%PDF-"). */
static bool
is_pdf(const char *p, size_t len, const char *mime)
{
	size_t n = len < 1024 ? len : 1024;
	if (len >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return true;
	return mime && g_ascii_strcasecmp(mime, "application/pdf") == 0 && n >= 5 && memmem(p, n, "%PDF-", 5);
}

static bool
is_zip(const unsigned char *p, size_t len)
{
	return len >= 4 && p[0] == 'P' && p[1] == 'K' && ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6));
}

/* A password-protected OOXML file is no zip: it is an OLE compound file
 * with the encrypted package in a stream named "EncryptedPackage". */
static bool
is_encrypted_ooxml(const unsigned char *p, size_t len)
{
	static const char ole[8] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
	static const char name[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
	return len >= 512 && memcmp(p, ole, 8) == 0 && memmem(p, len, name, sizeof name - 1) != NULL;
}

trawl_status_t
trawl_scan__document_text(trawl_worker_t *w, const void *data, size_t len, const char *mime, trawl_buf_t *out)
{
	trawl_status_t rc;
	sink_t s = {.out = out, .cap = w->limits.max_part_bytes ? w->limits.max_part_bytes : SIZE_MAX};
	trawl_buf_reset(out);
	if (!data || len == 0)
		return TRAWL_EUNSUPPORTED;

	if (is_zip(data, len)) {
		trawl_scan__global_init(); /* xmlInitParser() before any thread parses */
		rc = office_text(w, data, len, mime, &s);
	} else if (is_pdf(data, len, mime)) {
		rc = pdf_text(w, data, len, &s);
	} else if (is_encrypted_ooxml(data, len)) {
		rc = TRAWL_EENCRYPTED;
	} else {
		rc = TRAWL_EUNSUPPORTED;
	}
	rc = worse(rc, s.rc);
	if (rc == TRAWL_EUNSUPPORTED || rc == TRAWL_ENOMEM)
		trawl_buf_reset(out);
	return rc;
}
