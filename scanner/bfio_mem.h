/* scanner/bfio_mem.h: a read-only libbfio handle over a byte range.
 *
 * Debian's libbfio (20170123) has libbfio_memory_range_read() copy the size
 * asked for rather than the bytes left, so libpff reading near the end of a
 * PST held in memory reads past it: a heap overflow on an archive member, a
 * fault past the end of an mmap'd file (found by fuzz/fuzz_message.c). This
 * handle does what the memory range should.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TRAWL_SCANNER_BFIO_MEM_H
#define TRAWL_SCANNER_BFIO_MEM_H

#include <libbfio.h>
#include <stddef.h>
#include "trawl/status.h"

/* *out reads data[0, len), which the caller keeps alive and unchanged until
 * the handle is freed with libbfio_handle_free(). */
trawl_status_t trawl_scan__bfio_memory(libbfio_handle_t **out, const void *data, size_t len);

#endif
