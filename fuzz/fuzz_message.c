/* One input through trawl_scan_buffer(): sniffing, the message parser, the
 * MIME walk, text extraction and every detector.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz/fuzz.h"

int
trawl_fuzz_message(const uint8_t *data, size_t size)
{
	trawl_fuzz__scan(data, size, "fuzz.eml");
	return 0;
}

TRAWL_FUZZ_ENTRY(trawl_fuzz_message)
