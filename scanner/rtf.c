/* RTF to text, for the RTF bodies of Outlook items (libpff hands them over
 * decompressed) and for any other RTF the scanner meets.
 *
 * This is not a renderer: it keeps the characters a reader would see and
 * drops the rest. Control words are dropped; \par, \line, \row, \page and
 * \sect become line breaks, \tab and \cell tabs; \'hh bytes are decoded in
 * the code page in force (\ansicpg, or the \fcharset / \cpg of the current
 * font from the font table), \uN in Unicode with its \ucN fallback skipped;
 * destinations that hold no running text (\fonttbl, \colortbl,
 * \stylesheet, \pict, \objdata and every \* group we do not know) are
 * skipped whole, and \bin data is stepped over. The \info fields (title,
 * author, ...) and field instructions (HYPERLINK "mailto:...") are kept,
 * each set apart, since they name people as much as the text does.
 *
 * An RTF body that encapsulates HTML (\fromhtml1, MS-OXRTFEX) gives back
 * the HTML: the contents of {\*\htmltag ...} groups and the text outside
 * \htmlrtf ... \htmlrtf0 runs, with *html set so that the caller turns it
 * into text as it does any HTML.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "scanner/scanner.h"

#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GROUP_DEPTH 256
#define MAX_FONTS 4096

/* What a group inherits from its parent and gets back at its end. */
typedef struct {
	bool skip;      /* a destination whose text is not shown */
	bool fonttbl;   /* inside the font table: read \f, \fcharset, \cpg */
	bool htmlrtf;   /* inside \htmlrtf: the RTF rendering of encapsulated HTML */
	bool htmltag;   /* inside \*\htmltag: HTML to keep */
	bool info;      /* inside \info: each field on a line of its own */
	char sep;       /* written when the group ends: keeps fields apart */
	unsigned uc;    /* bytes of fallback after \uN */
	unsigned cp;    /* code page of the current font, 0 = the document's */
} group_t;

typedef struct {
	unsigned num, cp;
} font_t;

typedef struct {
	trawl_buf_t *out;
	group_t st;
	group_t stack[MAX_GROUP_DEPTH];
	size_t depth;          /* groups open, including those over the limit */
	bool star;             /* \* seen: the next control word is an ignorable destination */
	bool group_start;      /* no text or control word yet in this group */
	bool fromhtml;
	unsigned ansicpg;
	unsigned skip_fallback; /* fallback bytes still to drop after \uN */
	uint32_t high_surrogate;
	font_t *fonts;
	size_t n_fonts, cap_fonts;
	/* bytes in a code page waiting to be decoded */
	trawl_buf_t pending;
	unsigned pending_cp;
	GIConv cd;
	unsigned cd_cp;
	trawl_status_t rc;
} rtf_t;

const char *
trawl_scan__codepage_charset(unsigned cp, char buf[24])
{
	switch (cp) {
	case 0: return "windows-1252";
	case 65001: return "UTF-8";
	case 1200: return "UTF-16LE";
	case 1201: return "UTF-16BE";
	case 20127: return "US-ASCII";
	case 10000: return "MACINTOSH";
	case 20866: return "KOI8-R";
	case 21866: return "KOI8-U";
	case 1361: return "JOHAB";
	case 50220: case 50221: case 50222: return "ISO-2022-JP";
	case 50225: return "ISO-2022-KR";
	case 51932: return "EUC-JP";
	case 51936: return "GB2312";
	case 51949: return "EUC-KR";
	case 52936: return "HZ-GB-2312";
	case 54936: return "GB18030";
	default: break;
	}
	if (cp >= 28591 && cp <= 28606)
		snprintf(buf, 24, "ISO-8859-%u", cp - 28590);
	else
		snprintf(buf, 24, "CP%u", cp);
	return buf;
}

/* The Windows code page of an RTF \fcharset, 0 when it is the document's. */
static unsigned
charset_cp(long charset)
{
	switch (charset) {
	case 77: return 10000;
	case 128: return 932;
	case 129: return 949;
	case 130: return 1361;
	case 134: return 936;
	case 136: return 950;
	case 161: return 1253;
	case 162: return 1254;
	case 163: return 1258;
	case 177: return 1255;
	case 178: return 1256;
	case 186: return 1257;
	case 204: return 1251;
	case 222: return 874;
	case 238: return 1250;
	case 254: return 437;
	case 255: return 850;
	default: return 0; /* 0 ANSI, 1 default, 2 symbol, ...: the document's */
	}
}

static void
put(rtf_t *r, const void *p, size_t n)
{
	if (r->rc == TRAWL_OK)
		r->rc = trawl_buf_put(r->out, p, n);
}

static bool
open_cd(rtf_t *r, unsigned cp)
{
	if (r->cd != (GIConv)-1 && r->cd_cp == cp)
		return true;
	if (r->cd != (GIConv)-1)
		g_iconv_close(r->cd);
	char buf[24];
	r->cd = g_iconv_open("UTF-8", trawl_scan__codepage_charset(cp, buf));
	if (r->cd == (GIConv)-1)
		r->cd = g_iconv_open("UTF-8", "windows-1252");
	if (r->cd == (GIConv)-1)
		r->cd = g_iconv_open("UTF-8", "ISO-8859-1");
	r->cd_cp = cp;
	return r->cd != (GIConv)-1;
}

/* Decodes the pending bytes; a byte the code page cannot take becomes
 * U+FFFD and decoding goes on after it. */
static void
flush(rtf_t *r)
{
	if (!r->pending.len)
		return;
	if (!open_cd(r, r->pending_cp)) {
		put(r, r->pending.data, r->pending.len);
		trawl_buf_reset(&r->pending);
		return;
	}
	g_iconv(r->cd, NULL, NULL, NULL, NULL);
	char *in = r->pending.data;
	gsize in_left = r->pending.len;
	char tmp[4096];
	while (in_left > 0 && r->rc == TRAWL_OK) {
		char *o = tmp;
		gsize o_left = sizeof tmp;
		gsize res = g_iconv(r->cd, &in, &in_left, &o, &o_left);
		put(r, tmp, (size_t)(o - tmp));
		if (res == (gsize)-1 && errno != E2BIG) {
			/* EILSEQ, or EINVAL for a sequence cut short at the end */
			put(r, "\xEF\xBF\xBD", 3);
			in++, in_left--;
			g_iconv(r->cd, NULL, NULL, NULL, NULL);
		}
	}
	trawl_buf_reset(&r->pending);
}

static bool
shown(const rtf_t *r)
{
	if (r->st.skip)
		return false;
	return !r->fromhtml || r->st.htmltag || !r->st.htmlrtf;
}

/* A byte of text in the current code page (raw or \'hh). */
static void
text_byte(rtf_t *r, unsigned char c)
{
	if (r->skip_fallback) {
		r->skip_fallback--;
		return;
	}
	if (!shown(r))
		return;
	unsigned cp = r->st.cp ? r->st.cp : r->ansicpg;
	if (r->pending.len && cp != r->pending_cp)
		flush(r);
	r->pending_cp = cp;
	if (r->rc == TRAWL_OK)
		r->rc = trawl_buf_putc(&r->pending, (char)c);
}

static void
text_unichar(rtf_t *r, uint32_t u)
{
	if (!shown(r))
		return;
	flush(r);
	if (u >= 0xD800 && u <= 0xDBFF) {
		r->high_surrogate = u;
		return;
	}
	if (u >= 0xDC00 && u <= 0xDFFF) {
		if (!r->high_surrogate)
			return;
		u = 0x10000 + ((r->high_surrogate - 0xD800) << 10) + (u - 0xDC00);
	}
	r->high_surrogate = 0;
	if (u == 0 || u > 0x10FFFF)
		return;
	char buf[6];
	put(r, buf, (size_t)g_unichar_to_utf8((gunichar)u, buf));
}

static void
text_str(rtf_t *r, const char *s)
{
	if (!shown(r))
		return;
	flush(r);
	put(r, s, strlen(s));
}

static void
add_font(rtf_t *r, unsigned num)
{
	if (r->n_fonts == r->cap_fonts) {
		if (r->cap_fonts >= MAX_FONTS)
			return;
		size_t cap = r->cap_fonts ? r->cap_fonts * 2 : 16;
		font_t *f = realloc(r->fonts, cap * sizeof *f);
		if (!f)
			return;
		r->fonts = f, r->cap_fonts = cap;
	}
	r->fonts[r->n_fonts].num = num;
	r->fonts[r->n_fonts].cp = 0;
	r->n_fonts++;
}

static unsigned
font_cp(const rtf_t *r, unsigned num)
{
	for (size_t i = r->n_fonts; i-- > 0;)
		if (r->fonts[i].num == num)
			return r->fonts[i].cp;
	return 0;
}

/* Destinations whose contents are not running text. */
static bool
skipped_destination(const char *w)
{
	static const char *const list[] = {
		"fonttbl", "colortbl", "stylesheet", "pict", "objdata", "themedata",
		"colorschememapping", "latentstyles", "datastore", "xmlnstbl", "rsidtbl", "listtable",
		"listoverridetable", "generator", "filetbl", "revtbl", "pgdsctbl", "private",
		"xe", "tc", "bkmkstart", "bkmkend", "userprops", "docvar", "mmathPr", "pn", NULL,
	};
	for (const char *const *p = list; *p; p++)
		if (strcmp(w, *p) == 0)
			return true;
	return false;
}

static void
control_word(rtf_t *r, const char *w, bool has_param, long param)
{
	bool star = r->star;
	r->star = false;
	bool at_start = r->group_start;
	r->group_start = false;

	if (star && at_start) {
		if (r->fromhtml && strcmp(w, "htmltag") == 0) {
			r->st.htmltag = true;
			r->st.skip = false;
		} else if (strcmp(w, "fldinst") == 0) {
			/* field instructions: HYPERLINK "mailto:..." names an address */
			r->st.sep = ' ';
		} else {
			r->st.skip = true; /* an ignorable destination we do not read */
		}
		return;
	}
	if (strcmp(w, "fonttbl") == 0) {
		r->st.fonttbl = true;
		r->st.skip = true;
		return;
	}
	if (r->st.fonttbl) {
		if (strcmp(w, "f") == 0 && has_param && param >= 0)
			add_font(r, (unsigned)param);
		else if (strcmp(w, "fcharset") == 0 && has_param && r->n_fonts)
			r->fonts[r->n_fonts - 1].cp = charset_cp(param);
		else if (strcmp(w, "cpg") == 0 && has_param && param > 0 && param < 100000 && r->n_fonts)
			r->fonts[r->n_fonts - 1].cp = (unsigned)param;
		return;
	}
	if (at_start && skipped_destination(w)) {
		r->st.skip = true;
		return;
	}
	if (at_start && strcmp(w, "info") == 0) {
		/* title, author, company, ...: personal data as much as the text */
		r->st.info = true;
		r->st.sep = '\n';
		return;
	}

	switch (w[0]) {
	case 'a':
		if (strcmp(w, "ansicpg") == 0 && has_param && param > 0 && param < 100000)
			r->ansicpg = (unsigned)param;
		else if (strcmp(w, "ansi") == 0)
			r->ansicpg = 1252;
		return;
	case 'b':
		if (strcmp(w, "bullet") == 0)
			text_str(r, "\xE2\x80\xA2");
		return;
	case 'c':
		if (strcmp(w, "cell") == 0)
			text_str(r, "\t");
		return;
	case 'e':
		if (strcmp(w, "emdash") == 0)
			text_str(r, "\xE2\x80\x94");
		else if (strcmp(w, "endash") == 0)
			text_str(r, "\xE2\x80\x93");
		else if (strcmp(w, "emspace") == 0 || strcmp(w, "enspace") == 0)
			text_str(r, " ");
		return;
	case 'f':
		if (strcmp(w, "f") == 0 && has_param && param >= 0)
			r->st.cp = font_cp(r, (unsigned)param);
		else if (strcmp(w, "fromhtml") == 0)
			r->fromhtml = !has_param || param != 0;
		return;
	case 'h':
		if (strcmp(w, "htmlrtf") == 0)
			r->st.htmlrtf = !has_param || param != 0;
		return;
	case 'l':
		if (strcmp(w, "line") == 0)
			text_str(r, "\n");
		else if (strcmp(w, "lquote") == 0)
			text_str(r, "\xE2\x80\x98");
		else if (strcmp(w, "ldblquote") == 0)
			text_str(r, "\xE2\x80\x9C");
		return;
	case 'm':
		if (strcmp(w, "mac") == 0)
			r->ansicpg = 10000;
		return;
	case 'p':
		if (strcmp(w, "par") == 0 || strcmp(w, "page") == 0)
			text_str(r, "\n");
		else if (strcmp(w, "pc") == 0)
			r->ansicpg = 437;
		else if (strcmp(w, "pca") == 0)
			r->ansicpg = 850;
		return;
	case 'r':
		if (strcmp(w, "row") == 0)
			text_str(r, "\n");
		else if (strcmp(w, "rquote") == 0)
			text_str(r, "\xE2\x80\x99");
		else if (strcmp(w, "rdblquote") == 0)
			text_str(r, "\xE2\x80\x9D");
		return;
	case 's':
		if (strcmp(w, "sect") == 0)
			text_str(r, "\n");
		return;
	case 't':
		if (strcmp(w, "tab") == 0)
			text_str(r, "\t");
		return;
	case 'u':
		if (strcmp(w, "u") == 0 && has_param) {
			text_unichar(r, (uint32_t)(param < 0 ? param + 65536 : param) & 0xFFFFu);
			r->skip_fallback = r->st.uc;
		} else if (strcmp(w, "uc") == 0 && has_param && param >= 0 && param < 16) {
			r->st.uc = (unsigned)param;
		}
		return;
	default:
		return;
	}
}

trawl_status_t
trawl_scan__rtf_to_text(trawl_buf_t *out, const char *rtf, size_t len, bool *html)
{
	rtf_t r = {.out = out, .ansicpg = 1252, .cd = (GIConv)-1, .group_start = true};
	r.st.uc = 1;
	trawl_buf_reset(out);
	if (html)
		*html = false;

	size_t i = 0;
	while (i < len && r.rc == TRAWL_OK) {
		unsigned char c = (unsigned char)rtf[i];
		if (c == '{') {
			if (r.depth < MAX_GROUP_DEPTH)
				r.stack[r.depth] = r.st;
			r.depth++;
			r.st.sep = r.st.info ? '\n' : 0;
			r.group_start = true;
			r.star = false;
			r.skip_fallback = 0;
			i++;
			continue;
		}
		if (c == '}') {
			if (r.depth > 0) {
				char sep[2] = {r.st.sep, 0};
				r.depth--;
				if (r.depth < MAX_GROUP_DEPTH)
					r.st = r.stack[r.depth];
				if (sep[0])
					text_str(&r, sep);
			}
			r.group_start = false;
			r.star = false;
			r.skip_fallback = 0;
			i++;
			continue;
		}
		if (c == '\r' || c == '\n') {
			i++;
			continue;
		}
		if (c != '\\') {
			r.group_start = false;
			text_byte(&r, c);
			i++;
			continue;
		}
		/* a control word or symbol */
		if (++i >= len)
			break;
		c = (unsigned char)rtf[i];
		if (g_ascii_isalpha(c)) {
			char word[33];
			size_t n = 0;
			while (i < len && g_ascii_isalpha(rtf[i])) {
				if (n < sizeof word - 1)
					word[n++] = rtf[i];
				i++;
			}
			word[n] = 0;
			bool has_param = false, neg = false;
			long param = 0;
			if (i < len && rtf[i] == '-' && i + 1 < len && g_ascii_isdigit(rtf[i + 1]))
				neg = true, i++;
			for (int digits = 0; i < len && g_ascii_isdigit(rtf[i]); i++, digits++) {
				if (digits < 10)
					param = param * 10 + (rtf[i] - '0');
				has_param = true;
			}
			if (neg)
				param = -param;
			if (i < len && rtf[i] == ' ')
				i++;
			if (strcmp(word, "bin") == 0) {
				/* binary data: step over it */
				size_t n_bin = has_param && param > 0 ? (size_t)param : 0;
				i = n_bin > len - i ? len : i + n_bin;
				r.group_start = false;
				continue;
			}
			control_word(&r, word, has_param, param);
			continue;
		}
		i++;
		bool at_start = r.group_start;
		r.group_start = false;
		switch (c) {
		case '\'': {
			int hi = i < len ? g_ascii_xdigit_value(rtf[i]) : -1;
			int lo = i + 1 < len ? g_ascii_xdigit_value(rtf[i + 1]) : -1;
			if (hi >= 0 && lo >= 0) {
				text_byte(&r, (unsigned char)(hi * 16 + lo));
				i += 2;
			}
			break;
		}
		case '*':
			r.star = true;
			r.group_start = at_start;
			break;
		case '\\': case '{': case '}':
			text_byte(&r, c);
			break;
		case '~':
			text_str(&r, "\xC2\xA0");
			break;
		case '_':
			text_str(&r, "-");
			break;
		case '\r': case '\n':
			text_str(&r, "\n");
			break;
		case '\t':
			text_str(&r, "\t");
			break;
		default:
			break; /* \- optional hyphen, \| \: formulas and index entries */
		}
	}
	flush(&r);
	if (r.cd != (GIConv)-1)
		g_iconv_close(r.cd);
	trawl_buf_free(&r.pending);
	free(r.fonts);
	if (html)
		*html = r.fromhtml;
	return r.rc;
}

/* PR_RTF_COMPRESSED (MS-OXRTFCP): for the PST bodies libpff gives up on
 * (it refuses the uncompressed "MELA" form some writers use) and for TNEF.
 * The output never exceeds what the header declares, max, or what the input
 * can expand to (a reference of 2 bytes yields at most 17), so a small
 * property cannot make a large allocation. The CRC is not checked. */
uint8_t *
trawl_scan__rtf_decompress(const uint8_t *d, size_t n, size_t max, size_t *out_len)
{
	static const char prebuf[] =
		"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript "
		"\\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par "
		"\\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
	if (n < 16)
		return NULL;
	size_t raw = (size_t)d[4] | (size_t)d[5] << 8 | (size_t)d[6] << 16 | (size_t)d[7] << 24;
	if (raw > max)
		return NULL;
	if (raw > (n - 16) * 9)
		raw = (n - 16) * 9;
	uint8_t *out = malloc(raw + 1);
	if (!out)
		return NULL;
	size_t o = 0, i = 16;
	if (memcmp(d + 8, "MELA", 4) == 0) {
		o = raw < n - 16 ? raw : n - 16;
		memcpy(out, d + 16, o);
	} else if (memcmp(d + 8, "LZFu", 4) == 0) {
		uint8_t dict[4096];
		size_t w = sizeof prebuf - 1;
		memcpy(dict, prebuf, w);
		for (bool end = false; !end && i < n && o < raw;) {
			unsigned flags = d[i++];
			for (int bit = 0; bit < 8 && i < n && o < raw; bit++) {
				if (!(flags & (1u << bit))) {
					dict[w++ % 4096] = out[o++] = d[i++];
					continue;
				}
				if (i + 1 >= n) {
					end = true;
					break;
				}
				unsigned ref = (unsigned)d[i] << 8 | d[i + 1];
				i += 2;
				unsigned off = ref >> 4, len = (ref & 0xf) + 2;
				if (off == w % 4096) {
					end = true;
					break;
				}
				for (unsigned k = 0; k < len && o < raw; k++)
					dict[w++ % 4096] = out[o++] = dict[(off + k) % 4096];
			}
		}
	} else {
		free(out);
		return NULL;
	}
	*out_len = o;
	return out;
}
