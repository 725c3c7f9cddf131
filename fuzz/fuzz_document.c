/* Office documents and PDF to text (document.c: OOXML and ODF through
 * libarchive and libxml2, PDF through poppler), within the default limits.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz/fuzz.h"

#include <stdlib.h>
#include "scanner/scanner.h"

int
trawl_fuzz_document(const uint8_t *data, size_t size)
{
	static trawl_worker_t w;
	static trawl_scan_opts_t opts;
	static bool ready;
	if (!ready) {
		opts.threads = 1;
		opts.detectors = trawl_fuzz__detectors();
		trawl_scan__global_init();
		if (trawl_scan__worker_init(&w, &opts) != TRAWL_OK)
			abort();
		w.source = "fuzz.doc";
		ready = true;
	}
	trawl_buf_t out = {0};
	trawl_scan__document_text(&w, data, size, NULL, &out);
	trawl_buf_free(&out);
	return 0;
}

TRAWL_FUZZ_ENTRY(trawl_fuzz_document)
