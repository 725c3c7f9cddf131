/* PST/OST bytes through trawl_scan_buffer() (libpff over a memory range,
 * then every item's record). Seeds are the small PSTs of the shared corpus,
 * named at run time by `make fuzz`, never copied here.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz/fuzz.h"

int
trawl_fuzz_pst(const uint8_t *data, size_t size)
{
	trawl_fuzz__scan(data, size, "fuzz.pst");
	return 0;
}

TRAWL_FUZZ_ENTRY(trawl_fuzz_pst)
