/* Archive bytes (zip, tar, gzip and the rest libarchive reads) through
 * trawl_scan_buffer(): members streamed from memory within the limits, and
 * whatever they hold read in turn. The same entry point as fuzz_message;
 * a harness of its own for its seeds (fixtures' zip and tar.gz files).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz/fuzz.h"

int
trawl_fuzz_archive(const uint8_t *data, size_t size)
{
	trawl_fuzz__scan(data, size, "fuzz.zip");
	return 0;
}

TRAWL_FUZZ_ENTRY(trawl_fuzz_archive)
