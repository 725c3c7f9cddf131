/* HTML to text (libxml2's parser and our walk over its tree).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz/fuzz.h"

#include <stdlib.h>
#include "scanner/scanner.h"

int
trawl_fuzz_html(const uint8_t *data, size_t size)
{
	trawl_buf_t out = {0};
	trawl_status_t rc = trawl_scan__html_to_text(&out, (const char *)data, size);
	if (rc == TRAWL_OK && out.len && out.data[out.len] != '\0')
		abort(); /* the text is handed on as a C string */
	trawl_buf_free(&out);
	return 0;
}

TRAWL_FUZZ_ENTRY(trawl_fuzz_html)
