/* TNEF (winmail.dat) bytes through trawl_scan_buffer(): the attribute walk,
 * the MAPI property lists, the recipient table, the bodies and every
 * attachment read as a MIME attachment is (tnef.c). The first four bytes
 * are made the TNEF signature, so that every input is read as TNEF; the
 * same bytes also go through the compressed-RTF decompressor alone.
 * Seeds: fixtures/tnef and the TNEF files of ../shared/corpora/real,
 * linked by path into build-fuzz/tnef-seeds/ at run time, never copied here.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz/fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "scanner/scanner.h"

int
trawl_fuzz_tnef(const uint8_t *data, size_t size)
{
	/* an exact-size copy, so that a read past the end is caught */
	uint8_t *copy = calloc(size ? size : 1, 1);
	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	memcpy(copy, "\x78\x9f\x3e\x22", size < 4 ? size : 4);
	trawl_fuzz__scan(copy, size, "fuzz.dat");

	size_t n = 0;
	uint8_t *rtf = trawl_scan__rtf_decompress(data, size, 1u << 20, &n);
	if (rtf && n > (size < 16 ? 0 : (size - 16) * 9))
		abort(); /* more than the input can expand to */
	free(rtf);
	free(copy);
	return 0;
}

TRAWL_FUZZ_ENTRY(trawl_fuzz_tnef)
