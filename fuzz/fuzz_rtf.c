/* RTF to text (rtf.c: PST bodies), including \fromhtml encapsulation.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz/fuzz.h"

#include "scanner/scanner.h"

int
trawl_fuzz_rtf(const uint8_t *data, size_t size)
{
	trawl_buf_t out = {0};
	bool html = false;
	trawl_scan__rtf_to_text(&out, (const char *)data, size, &html);
	trawl_buf_free(&out);
	return 0;
}

TRAWL_FUZZ_ENTRY(trawl_fuzz_rtf)
