/* fuzz/fuzz.h: the libFuzzer harnesses, one entry point each.
 *
 * Every harness is a function trawl_fuzz_<name>(data, size) in
 * fuzz/fuzz_<name>.c. Built for fuzzing (`make fuzz`), each file also
 * defines LLVMFuzzerTestOneInput() calling it; built into the test suite
 * (TRAWL_FUZZ_NO_MAIN), tests/test_regressions.c calls the same functions
 * on every input kept under fuzz/regressions/<name>/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_FUZZ_H
#define TRAWL_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "trawl/detect.h"
#include "trawl/scan.h"

int trawl_fuzz_mbox(const uint8_t *data, size_t size);
int trawl_fuzz_message(const uint8_t *data, size_t size);
int trawl_fuzz_detectors(const uint8_t *data, size_t size);
int trawl_fuzz_html(const uint8_t *data, size_t size);
int trawl_fuzz_archive(const uint8_t *data, size_t size);
int trawl_fuzz_pst(const uint8_t *data, size_t size);
int trawl_fuzz_document(const uint8_t *data, size_t size);
int trawl_fuzz_rtf(const uint8_t *data, size_t size);
int trawl_fuzz_tnef(const uint8_t *data, size_t size);
int trawl_fuzz_oxmsg(const uint8_t *data, size_t size);

/* The detector set every harness shares: built on first use, never freed
 * (the process ends with the fuzzer). Aborts when the rules cannot load. */
const trawl_detector_set_t *trawl_fuzz__detectors(void);

/* One blob read as trawl_scan_buffer() reads it (sniffed, then the reader
 * for its kind), with the default limits, every record checked (strings
 * set, offsets in order) and freed. The worker is made once per process. */
void trawl_fuzz__scan(const uint8_t *data, size_t size, const char *name);
/* The same, read as the kind given (a trawl_kind_t of scanner/scanner.h)
 * instead of the kind it sniffs as. */
void trawl_fuzz__scan_as(const uint8_t *data, size_t size, const char *name, int kind);

#ifdef TRAWL_FUZZ_NO_MAIN
#define TRAWL_FUZZ_ENTRY(fn)
#else
#define TRAWL_FUZZ_ENTRY(fn)                                               \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);      \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fn(data, size); }
#endif

#endif
