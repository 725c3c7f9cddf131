/* RTF to text (scanner/rtf.c): what a reader sees is kept, the rest dropped;
 * code pages, Unicode escapes, skipped destinations and RTF-encapsulated
 * HTML.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "scanner/scanner.h"

static char *
rtf(const char *in, bool *html)
{
	trawl_buf_t out = {0};
	bool h = false;
	cr_assert_eq(trawl_scan__rtf_to_text(&out, in, strlen(in), &h), TRAWL_OK);
	if (html)
		*html = h;
	char *s = strdup(trawl_buf_cstr(&out));
	trawl_buf_free(&out);
	return s;
}

#define ASSERT_RTF(in, want)                                                                                   \
	do {                                                                                                   \
		char *got_ = rtf(in, NULL);                                                                    \
		cr_assert_str_eq(got_, want);                                                                  \
		free(got_);                                                                                    \
	} while (0)

Test(rtf, control_words_dropped_paragraphs_become_lines)
{
	ASSERT_RTF("{\\rtf1\\ansi\\deff0 Hello \\b world\\b0 .\\par Next\\line line\\tab tab}",
	           "Hello world.\nNext\nline\ttab");
}

Test(rtf, hex_escapes_decoded_in_the_declared_code_page)
{
	ASSERT_RTF("{\\rtf1\\ansi\\ansicpg1252 caf\\'e9 M\\'fcller}", "café Müller");
	ASSERT_RTF("{\\rtf1\\ansi\\ansicpg1251 \\'cf\\'f0\\'e8\\'e2\\'e5\\'f2}", "Привет");
}

Test(rtf, font_charset_overrides_the_document_code_page)
{
	/* Shift-JIS in a font with \fcharset128, ANSI text around it */
	ASSERT_RTF("{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0\\fswiss Arial;}{\\f1\\fcharset128 MS Mincho;}}"
	           "\\f0 caf\\'e9 {\\f1 \\'93\\'fa\\'96\\'7b} caf\\'e9}",
	           "café 日本 café");
}

Test(rtf, unicode_escapes_with_fallback_skipped)
{
	ASSERT_RTF("{\\rtf1\\ansi 10 \\u8364? net}", "10 € net");
	ASSERT_RTF("{\\rtf1\\ansi\\uc2 \\u8364\\'80\\'80x}", "€x");
	ASSERT_RTF("{\\rtf1\\ansi\\uc0 \\u8364 x}", "€x");
	/* negative values and a surrogate pair */
	ASSERT_RTF("{\\rtf1\\ansi \\u-10179?\\u-8704?}", "\xF0\x9F\x98\x80");
	/* the fallback count is scoped to the group */
	ASSERT_RTF("{\\rtf1\\ansi {\\uc3 \\u8364abc}\\u8364?d}", "€€d");
}

Test(rtf, non_text_destinations_skipped)
{
	ASSERT_RTF("{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}{\\colortbl;\\red0\\green0\\blue0;}"
	           "{\\stylesheet{\\s0 Normal;}}{\\*\\generator Riched20 10.0;}"
	           "{\\pict\\pngblip 89504e47}{\\*\\themedata 0102}Text}",
	           "Text");
	/* an unknown ignorable destination goes, its neighbours stay */
	ASSERT_RTF("{\\rtf1 a{\\*\\unknownthing hidden {nested}}b}", "ab");
}

Test(rtf, binary_data_stepped_over)
{
	ASSERT_RTF("{\\rtf1 a\\bin5 {}}\\x b}", "a b");
	/* a length past the end does not read past it */
	ASSERT_RTF("{\\rtf1 a\\bin999999 xyz", "a");
}

Test(rtf, control_symbols)
{
	ASSERT_RTF("{\\rtf1 \\{braces\\} back\\\\slash a\\~b x\\-y non\\_break}",
	           "{braces} back\\slash a\xC2\xA0" "b xy non-break");
	ASSERT_RTF("{\\rtf1 \\lquote q\\rquote  \\ldblquote d\\rdblquote  \\emdash\\endash\\bullet}",
	           "\xE2\x80\x98q\xE2\x80\x99 \xE2\x80\x9C" "d\xE2\x80\x9D \xE2\x80\x94\xE2\x80\x93\xE2\x80\xA2");
}

Test(rtf, tables_cells_become_tabs_rows_lines)
{
	ASSERT_RTF("{\\rtf1 \\trowd\\cellx1000\\cellx2000 A\\cell B\\cell\\row C\\cell D\\cell\\row}",
	           "A\tB\t\nC\tD\t\n");
}

Test(rtf, document_info_and_hyperlinks_kept)
{
	char *s = rtf("{\\rtf1{\\info{\\title Offer}{\\author Erika Mustermann}{\\*\\company ACME}}"
	              "Call {\\field{\\*\\fldinst HYPERLINK \"mailto:erika@example.net\"}{\\fldrslt Erika}}.}",
	              NULL);
	cr_assert(strstr(s, "Offer\n"), "%s", s);
	cr_assert(strstr(s, "Erika Mustermann\n"), "%s", s);
	cr_assert(strstr(s, "mailto:erika@example.net"), "%s", s);
	cr_assert(strstr(s, "\" Erika."), "%s", s);
	free(s);
}

Test(rtf, encapsulated_html_comes_back_as_html)
{
	bool html = false;
	char *s = rtf("{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl{\\f0\\fswiss Arial;}}"
	              "{\\*\\htmltag19 <html>}{\\*\\htmltag34 <body>}{\\*\\htmltag64 <p>}"
	              "\\htmlrtf {\\b\\htmlrtf0 Gr\\'fc\\'dfe \\{x\\}\\htmlrtf }\\htmlrtf0 "
	              "\\htmlrtf RTF only\\par\\htmlrtf0 "
	              "{\\*\\htmltag72 </p>}{\\*\\htmltag244 <a href=\"mailto:a@b.example\">}x"
	              "{\\*\\htmltag252 </a>}{\\*\\htmltag41 </body>}{\\*\\htmltag27 </html>}}",
	              &html);
	cr_assert(html);
	cr_assert(strstr(s, "<html><body><p>"), "%s", s);
	cr_assert(strstr(s, "Grüße {x}"), "%s", s);
	cr_assert(strstr(s, "</p><a href=\"mailto:a@b.example\">x</a></body></html>"), "%s", s);
	cr_assert_null(strstr(s, "RTF only"), "%s", s);
	free(s);
}

Test(rtf, plain_rtf_is_not_html)
{
	bool html = true;
	char *s = rtf("{\\rtf1\\ansi hi}", &html);
	cr_assert_not(html);
	free(s);
}

Test(rtf, broken_input_does_not_crash)
{
	static const char *const inputs[] = {
		"", "{", "}", "}}}}{{{", "\\", "{\\rtf1 \\'", "{\\rtf1 \\'4", "{\\rtf1 \\u", "{\\rtf1 \\u-",
		"{\\rtf1 \\uc99999999999999999 x}", "{\\rtf1 \\verylongcontrolwordthatgoesonandonandonandonandon12345 x}",
		"{\\rtf1 \\ansicpg99999 \\'ff}", "{\\rtf1{\\*}x}", "{\\*\\htmltag", "{\\rtf1\\fromhtml1{\\*\\htmltag",
	};
	for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++)
		free(rtf(inputs[i], NULL));
	/* deep nesting: far past the state stack, braces still balanced */
	size_t n = 100000;
	char *deep = malloc(2 * n + 16);
	memset(deep, '{', n);
	memcpy(deep + n, "x", 1);
	memset(deep + n + 1, '}', n);
	strcpy(deep + 2 * n + 1, "y");
	char *s = rtf(deep, NULL);
	cr_assert_str_eq(s, "xy");
	free(s);
	free(deep);
}

Test(rtf, invalid_bytes_in_a_multibyte_code_page_become_replacement_characters)
{
	/* 0x81 0x20 is no Shift-JIS character: U+FFFD, then decoding goes on */
	ASSERT_RTF("{\\rtf1\\ansi\\ansicpg932 a\\'81 b\\'93\\'fa}", "a\xEF\xBF\xBD b日");
}

Test(rtf, code_page_names)
{
	char buf[24];
	cr_assert_str_eq(trawl_scan__codepage_charset(1252, buf), "CP1252");
	cr_assert_str_eq(trawl_scan__codepage_charset(65001, buf), "UTF-8");
	cr_assert_str_eq(trawl_scan__codepage_charset(28592, buf), "ISO-8859-2");
	cr_assert_str_eq(trawl_scan__codepage_charset(50220, buf), "ISO-2022-JP");
	cr_assert_str_eq(trawl_scan__codepage_charset(932, buf), "CP932");
}
