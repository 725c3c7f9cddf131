/* HTML to text with libxml2's HTML parser (error-tolerant, decodes every
 * named and numeric entity) rather than a hand-written tag stripper.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "scanner/scanner.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <stdlib.h>
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
put_text(trawl_buf_t *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	/* at most as long as it is: room once, then bytes without a call each */
	if (trawl_buf_grow(out, n) < 0)
		return;
	char *d = out->data;
	size_t w = out->len;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
		/* U+00A0 no-break space as a space too */
		if (c == 0xC2 && i + 1 < n && p[i + 1] == 0xA0) {
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

/* The text of the HTML comes from the parser's SAX events, the way the
 * tree libxml2 would build from the same events would give it, without
 * building it (the tree took a third of the time):
 *  - an element is known by its local name (libxml2 splits "o:p" into a
 *    prefix and "p");
 *  - text outside every element is dropped (the tree has nowhere for it);
 *  - the first top-level element, when no comment or processing
 *    instruction came before it, is the document's first child, and every
 *    later top-level element becomes its child: what it does at its end (a
 *    line break, a link's target) comes after all of them; a doctype,
 *    wherever it stands, becomes the first child instead, and top-level
 *    elements after it are the document's own;
 *  - text that arrives in pieces is one text node until an element, a
 *    comment or a processing instruction comes between (it matters: a
 *    byte that is not UTF-8 may end a piece);
 *  - script, style and head are skipped with what is in them, and nothing
 *    deeper than MAX_DEPTH is read, as the walk over the tree did. */
#define MAX_DEPTH 256

typedef struct {
	bool block, skip, inert;
	char *href; /* an <a>'s href, for its end */
} frame_t;

typedef struct {
	trawl_buf_t *out;
	frame_t *stack;
	size_t depth, cap; /* in the tree: the first element stays open when it has adopted the rest */
	size_t open;       /* elements the parser has open */
	size_t skipping;   /* elements open inside script, style or head (and that one) */
	enum { TOP_NONE, TOP_ELEMENT, TOP_OTHER } first_top;
	bool adopting; /* the first element's end is deferred: later top-level elements are its children */
	bool halted;   /* deeper than the tree may grow: libxml2 stops there, so do we */
	bool failed;
	trawl_buf_t text; /* the text node being built */
	bool text_cdata;  /* ... of CDATA, which is a node of its own */
	htmlParserCtxtPtr ctxt;
} sax_t;

/* xmlSplitQName()'s local part of an element name. */
static const char *
local_name(const xmlChar *name)
{
	const char *n = (const char *)name, *colon = strchr(n, ':');
	if (n[0] == ':' || !colon || colon[1] == '\0')
		return n;
	return colon + 1;
}

static bool
is_named(const char *name, const char *s)
{
	return strcasecmp(name, s) == 0;
}

static void close_frame(sax_t *x);

/* The text node built so far is complete: into the output with it. */
static void
flush_text(sax_t *x)
{
	if (x->text.len)
		put_text(x->out, x->text.data, x->text.len);
	trawl_buf_reset(&x->text);
}

static void
on_start(void *ctx, const xmlChar *qname, const xmlChar **atts)
{
	sax_t *x = ctx;
	if (x->halted)
		return;
	flush_text(x);
	if (x->open > xmlParserMaxDepth) {
		/* the tree builder's nodePush() refuses the element and halts the parser */
		x->halted = true;
		xmlStopParser(x->ctxt);
		return;
	}
	if (x->open == 0) {
		if (x->first_top == TOP_NONE)
			x->first_top = TOP_ELEMENT;
		else if (x->first_top == TOP_OTHER && x->adopting) {
			/* the first element adopts no more: it ends before this one */
			x->adopting = false;
			close_frame(x);
		}
	}
	x->open++;
	if (x->depth == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 32;
		frame_t *p = realloc(x->stack, cap * sizeof *p);
		if (!p) {
			x->failed = true;
			xmlStopParser(x->ctxt);
			return;
		}
		x->stack = p;
		x->cap = cap;
	}
	size_t depth = x->depth++; /* of this element in the tree: the elements around it */
	frame_t *f = &x->stack[depth];
	memset(f, 0, sizeof *f);
	if (x->skipping) {
		x->skipping++;
		f->inert = true;
		return;
	}
	if (depth > MAX_DEPTH) {
		f->inert = true;
		return;
	}
	const char *name = local_name(qname);
	if (is_named(name, "script") || is_named(name, "style") || is_named(name, "head")) {
		x->skipping = 1;
		f->inert = f->skip = true;
		return;
	}
	trawl_buf_t *out = x->out;
	f->block = is_block(name);
	if (f->block)
		newline(out);
	if (is_named(name, "td") || is_named(name, "th")) {
		if (out->len && out->data[out->len - 1] != '\n')
			trawl_buf_putc(out, '\t');
	}
	if (is_named(name, "a")) {
		/* the first href (the parser drops repeated attributes); one
		 * without a value reads as "" */
		for (const xmlChar **a = atts; a && a[0]; a += 2) {
			if (strcmp((const char *)a[0], "href") == 0) {
				f->href = strdup(a[1] ? (const char *)a[1] : "");
				break;
			}
		}
	}
}

/* What the end of the innermost element in the tree does. */
static void
close_frame(sax_t *x)
{
	frame_t *f = &x->stack[--x->depth];
	if (x->skipping)
		x->skipping--;
	if (f->inert) {
		free(f->href);
		return;
	}
	trawl_buf_t *out = x->out;
	if (f->href) {
		/* keep mailto: and tel: targets the link text does not show */
		const char *h = f->href, *t = NULL;
		if (strncasecmp(h, "mailto:", 7) == 0)
			t = h + 7;
		else if (strncasecmp(h, "tel:", 4) == 0)
			t = h + 4;
		if (t) {
			size_t tl = strcspn(t, "?");
			/* (tl first: with nothing written yet out->data is NULL) */
			bool shown = tl && out->len >= tl && memmem(out->data + (out->len > 512 ? out->len - 512 : 0),
			                                      out->len > 512 ? 512 : out->len, t, tl);
			if (tl && !shown) {
				trawl_buf_puts(out, " (");
				trawl_buf_put(out, t, tl);
				trawl_buf_puts(out, ")");
			}
		}
		free(f->href);
	}
	if (f->block)
		newline(out);
}

static void
on_end(void *ctx, const xmlChar *name)
{
	(void)name;
	sax_t *x = ctx;
	if (x->halted || !x->open || !x->depth)
		return;
	flush_text(x);
	if (--x->open == 0 && x->first_top == TOP_ELEMENT && !x->adopting) {
		x->adopting = true; /* the first element: its end comes last */
		return;
	}
	close_frame(x);
}

static void
add_text(sax_t *x, const xmlChar *ch, int len, bool cdata)
{
	/* the tree has no text outside an element, nor below MAX_DEPTH */
	if (x->halted || !x->open || x->skipping || x->depth > MAX_DEPTH || x->stack[x->depth - 1].inert || len <= 0)
		return;
	if (cdata != x->text_cdata)
		flush_text(x);
	x->text_cdata = cdata;
	if (trawl_buf_put(&x->text, ch, (size_t)len) < 0) {
		x->failed = true;
		xmlStopParser(x->ctxt);
	}
}

static void
on_text(void *ctx, const xmlChar *ch, int len)
{
	add_text(ctx, ch, len, false);
}

static void
on_cdata(void *ctx, const xmlChar *ch, int len)
{
	add_text(ctx, ch, len, true);
}

/* A comment, processing instruction or doctype before any element: the
 * document's first child is then not an element. */
static void
on_other(sax_t *x)
{
	if (x->halted)
		return;
	flush_text(x); /* a node between: the text after it is another */
	if (!x->open && x->first_top == TOP_NONE)
		x->first_top = TOP_OTHER;
}

static void
on_comment(void *ctx, const xmlChar *value)
{
	(void)value;
	on_other(ctx);
}

static void
on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	(void)target, (void)data;
	on_other(ctx);
}

static void
on_doctype(void *ctx, const xmlChar *name, const xmlChar *external, const xmlChar *system)
{
	(void)name, (void)external, (void)system;
	sax_t *x = ctx;
	if (!x->halted)
		x->first_top = TOP_OTHER; /* an HTML document's DTD goes first, whenever it comes */
}

trawl_status_t
trawl_scan__html_to_text(trawl_buf_t *out, const char *html, size_t len)
{
	trawl_status_t rc = TRAWL_OK;
	trawl_buf_reset(out);
	if (len > INT32_MAX)
		return TRAWL_ELIMIT;
	sax_t x = {.out = out};
	/* htmlReadMemory(html, len, NULL, "UTF-8", options) with our handler */
	htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(html, (int)len);
	if (!ctxt || !ctxt->sax) {
		if (ctxt)
			htmlFreeParserCtxt(ctxt);
		return trawl_buf_put(out, html, len) < 0 ? TRAWL_ENOMEM : TRAWL_OK;
	}
	memset(ctxt->sax, 0, sizeof *ctxt->sax);
	ctxt->sax->startElement = on_start;
	ctxt->sax->endElement = on_end;
	ctxt->sax->characters = on_text;
	ctxt->sax->cdataBlock = on_cdata;
	ctxt->sax->comment = on_comment;
	ctxt->sax->processingInstruction = on_pi;
	ctxt->sax->internalSubset = on_doctype;
	ctxt->userData = &x;
	x.ctxt = ctxt;
	htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
	                             HTML_PARSE_COMPACT | HTML_PARSE_NOIMPLIED);
	ctxt->html = 1;
	xmlCharEncodingHandlerPtr utf8 = xmlFindCharEncodingHandler("UTF-8");
	if (utf8) {
		xmlSwitchToEncoding(ctxt, utf8);
		if (ctxt->input->encoding)
			xmlFree((xmlChar *)ctxt->input->encoding);
		ctxt->input->encoding = xmlStrdup((const xmlChar *)"UTF-8");
	}
	htmlParseDocument(ctxt);
	if (ctxt->myDoc)
		xmlFreeDoc(ctxt->myDoc);
	ctxt->myDoc = NULL;
	htmlFreeParserCtxt(ctxt);
	/* what the parser left open (the first element when it adopted the
	 * rest, all of them when it stopped) ends as the tree's nodes would */
	if (!x.failed)
		flush_text(&x);
	while (x.depth && !x.failed)
		close_frame(&x);
	trawl_buf_free(&x.text);
	while (x.depth)
		free(x.stack[--x.depth].href);
	free(x.stack);
	if (x.failed)
		rc = TRAWL_ENOMEM;
	newline(out);
	trawl_buf_grow(out, 1);
	if (out->data)
		out->data[out->len] = '\0';
	return rc;
}
