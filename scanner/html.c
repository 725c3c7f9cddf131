/* HTML to text with libxml2's HTML parser (error-tolerant, decodes every
 * named and numeric entity) rather than a hand-written tag stripper.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "scanner/scanner.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <string.h>
#include <strings.h>

static bool
is_block(const char *n)
{
	static const char *const blocks[] = {
		"p", "div", "br", "tr", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table",
		"blockquote", "pre", "hr", "address", "section", "article", "header", "footer", "dd",
		"dt", "dl", "form", "fieldset", "center", "title", "body", "thead", "tbody", NULL,
	};
	for (const char *const *b = blocks; *b; b++)
		if (strcasecmp(n, *b) == 0)
			return true;
	return false;
}

static void
newline(trawl_buf_t *out)
{
	/* trailing spaces off, one line break between blocks */
	while (out->len && out->data[out->len - 1] == ' ')
		out->len--;
	if (out->len && out->data[out->len - 1] != '\n')
		trawl_buf_putc(out, '\n');
}

/* Appends text with runs of white space folded to one space. */
static void
put_text(trawl_buf_t *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	/* at most as long as it is: room once, then bytes without a call each */
	if (trawl_buf_grow(out, n) < 0)
		return;
	char *d = out->data;
	size_t w = out->len;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
		/* U+00A0 no-break space as a space too */
		if (c == 0xC2 && p[i + 1] == 0xA0) {
			space = true;
			i++;
		}
		if (space) {
			if (w && d[w - 1] != ' ' && d[w - 1] != '\n' && d[w - 1] != '\t')
				d[w++] = ' ';
		} else {
			d[w++] = (char)c;
		}
	}
	out->len = w;
	d[w] = '\0';
}

static void
walk(trawl_buf_t *out, xmlNode *node, unsigned depth)
{
	for (xmlNode *n = node; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				put_text(out, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *name = (const char *)n->name;
		if (strcasecmp(name, "script") == 0 || strcasecmp(name, "style") == 0 ||
		    strcasecmp(name, "head") == 0)
			continue;
		bool block = is_block(name);
		if (block)
			newline(out);
		if (strcasecmp(name, "td") == 0 || strcasecmp(name, "th") == 0) {
			if (out->len && out->data[out->len - 1] != '\n')
				trawl_buf_putc(out, '\t');
		}
		if (depth < 256)
			walk(out, n->children, depth + 1);
		if (strcasecmp(name, "a") == 0) {
			/* keep mailto: and tel: targets the link text does not show */
			xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
			if (href) {
				const char *h = (const char *)href, *t = NULL;
				if (strncasecmp(h, "mailto:", 7) == 0)
					t = h + 7;
				else if (strncasecmp(h, "tel:", 4) == 0)
					t = h + 4;
				if (t) {
					size_t tl = strcspn(t, "?");
					/* tl first: with nothing out yet, out->data is NULL */
					bool shown = tl && out->len >= tl &&
					             memmem(out->data + (out->len > 512 ? out->len - 512 : 0),
					                    out->len > 512 ? 512 : out->len, t, tl);
					if (tl && !shown) {
						trawl_buf_puts(out, " (");
						trawl_buf_put(out, t, tl);
						trawl_buf_puts(out, ")");
					}
				}
				xmlFree(href);
			}
		}
		if (block)
			newline(out);
	}
}

trawl_status_t
trawl_scan__html_to_text(trawl_buf_t *out, const char *html, size_t len)
{
	trawl_buf_reset(out);
	if (len > INT32_MAX)
		return TRAWL_ELIMIT;
	htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
	                                HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	                                	HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_NOIMPLIED);
	if (!doc)
		return trawl_buf_put(out, html, len) < 0 ? TRAWL_ENOMEM : TRAWL_OK;
	walk(out, doc->children, 0);
	xmlFreeDoc(doc);
	newline(out);
	trawl_buf_grow(out, 1);
	if (out->data)
		out->data[out->len] = '\0';
	return TRAWL_OK;
}
