/* A libbfio handle over memory whose reads stop at the end (bfio_mem.h).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "scanner/bfio_mem.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const uint8_t *data;
	size_t len;
	size_t off;
	bool open;
} mem_t;

/* libbfio's callbacks cannot set its (opaque) error; it reports the failing
 * call itself. */

static int
mem_free(intptr_t **h, libbfio_error_t **e)
{
	(void)e;
	free(*h);
	*h = NULL;
	return 1;
}

static int
mem_clone(intptr_t **dst, intptr_t *src, libbfio_error_t **e)
{
	(void)e;
	mem_t *m = malloc(sizeof *m);
	if (!m)
		return -1;
	*m = *(const mem_t *)src;
	m->off = 0;
	m->open = false;
	*dst = (intptr_t *)m;
	return 1;
}

static int
mem_open(intptr_t *h, int access, libbfio_error_t **e)
{
	(void)e;
	mem_t *m = (mem_t *)h;
	if (access & LIBBFIO_ACCESS_FLAG_WRITE)
		return -1; /* the range is read-only */
	m->open = true;
	m->off = 0;
	return 1;
}

static int
mem_close(intptr_t *h, libbfio_error_t **e)
{
	(void)e;
	((mem_t *)h)->open = false;
	return 0;
}

static ssize_t
mem_read(intptr_t *h, uint8_t *buf, size_t size, libbfio_error_t **e)
{
	(void)e;
	mem_t *m = (mem_t *)h;
	if (!m->open || !buf)
		return -1;
	if (m->off >= m->len)
		return 0;
	size_t n = m->len - m->off;
	if (n > size)
		n = size;
	if (n > (size_t)SSIZE_MAX)
		n = (size_t)SSIZE_MAX;
	memcpy(buf, m->data + m->off, n);
	m->off += n;
	return (ssize_t)n;
}

static ssize_t
mem_write(intptr_t *h, const uint8_t *buf, size_t size, libbfio_error_t **e)
{
	(void)h, (void)buf, (void)size, (void)e;
	return -1;
}

static off64_t
mem_seek(intptr_t *h, off64_t offset, int whence, libbfio_error_t **e)
{
	(void)e;
	mem_t *m = (mem_t *)h;
	off64_t base;
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (off64_t)m->off; break;
	case SEEK_END: base = (off64_t)m->len; break;
	default: return -1;
	}
	if ((offset < 0 && base + offset < 0) || (offset > 0 && offset > INT64_MAX - base))
		return -1;
	/* past the end is allowed, as for a file: reads there give 0 bytes */
	m->off = (size_t)(base + offset);
	return base + offset;
}

static int
mem_exists(intptr_t *h, libbfio_error_t **e)
{
	(void)h, (void)e;
	return 1;
}

static int
mem_is_open(intptr_t *h, libbfio_error_t **e)
{
	(void)e;
	return ((mem_t *)h)->open ? 1 : 0;
}

static int
mem_get_size(intptr_t *h, size64_t *size, libbfio_error_t **e)
{
	(void)e;
	*size = ((mem_t *)h)->len;
	return 1;
}

trawl_status_t
trawl_scan__bfio_memory(libbfio_handle_t **out, const void *data, size_t len)
{
	*out = NULL;
	mem_t *m = calloc(1, sizeof *m);
	if (!m)
		return TRAWL_ENOMEM;
	m->data = data;
	m->len = len;
	libbfio_error_t *e = NULL;
	/* MANAGED: libbfio_handle_free() frees m through mem_free */
	if (libbfio_handle_initialize(out, (intptr_t *)m, mem_free, mem_clone, mem_open, mem_close, mem_read,
	                              mem_write, mem_seek, mem_exists, mem_is_open, mem_get_size,
	                              LIBBFIO_FLAG_IO_HANDLE_MANAGED | LIBBFIO_FLAG_IO_HANDLE_CLONE_BY_FUNCTION,
	                              &e) != 1) {
		libbfio_error_free(&e);
		free(m);
		*out = NULL;
		return TRAWL_ENOMEM;
	}
	return TRAWL_OK;
}
