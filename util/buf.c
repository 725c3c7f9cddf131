/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "util/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <openssl/evp.h>
#include <pthread.h>

trawl_status_t
trawl_buf_grow(trawl_buf_t *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return TRAWL_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1) {
		if (cap > SIZE_MAX / 2)
			return TRAWL_ENOMEM;
		cap *= 2;
	}
	char *p = realloc(b->data, cap);
	if (!p)
		return TRAWL_ENOMEM;
	b->data = p;
	b->cap = cap;
	return TRAWL_OK;
}

trawl_status_t
trawl_buf_put(trawl_buf_t *b, const void *p, size_t n)
{
	trawl_status_t rc;
	/* the room is mostly there: a reused buffer, a line written piece by piece */
	if (b->len + n + 1 > b->cap && (rc = trawl_buf_grow(b, n)) < 0)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return TRAWL_OK;
}

trawl_status_t
trawl_buf_puts(trawl_buf_t *b, const char *s)
{
	return trawl_buf_put(b, s, strlen(s));
}

trawl_status_t
trawl_buf_putc(trawl_buf_t *b, char c)
{
	trawl_status_t rc;
	if (b->len + 2 > b->cap && (rc = trawl_buf_grow(b, 1)) < 0)
		return rc;
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
	return TRAWL_OK;
}

trawl_status_t
trawl_buf_printf(trawl_buf_t *b, const char *fmt, ...)
{
	/* Written straight into the room there is; measured and written again
	 * only when it does not fit (the buffers are reused, so it mostly does). */
	size_t room = b->cap - b->len;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		if (room)
			b->data[b->len] = '\0';
		return TRAWL_EINVAL;
	}
	if ((size_t)n >= room) {
		trawl_status_t rc = trawl_buf_grow(b, (size_t)n);
		if (rc < 0) {
			if (room)
				b->data[b->len] = '\0';
			return rc;
		}
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
	return TRAWL_OK;
}

const char *
trawl_buf_cstr(trawl_buf_t *b)
{
	return b->data ? b->data : "";
}

char *
trawl_buf_detach(trawl_buf_t *b)
{
	char *p = b->data ? b->data : strdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void
trawl_buf_reset(trawl_buf_t *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
trawl_buf_free(trawl_buf_t *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

size_t
trawl_utf8_seq_len(const unsigned char *s, size_t avail)
{
	if (avail == 0)
		return 0;
	unsigned char c = s[0];
	size_t n;
	uint32_t min;
	if (c < 0x80)
		return 1;
	else if ((c & 0xE0) == 0xC0)
		n = 2, min = 0x80;
	else if ((c & 0xF0) == 0xE0)
		n = 3, min = 0x800;
	else if ((c & 0xF8) == 0xF0)
		n = 4, min = 0x10000;
	else
		return 0;
	if (n > avail)
		return 0;
	uint32_t cp = c & (0xFF >> (n + 1));
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

trawl_status_t
trawl_json_str(trawl_buf_t *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	if (!s)
		return trawl_buf_puts(b, "null");
	if (n == (size_t)-1)
		n = strlen(s);
	/* Written in place, every finding's strings come through here: there
	 * is always room for the rest of the input as it is and the closing
	 * quote; an escape or a replacement, longer than its byte, makes room
	 * for itself first. */
	trawl_status_t rc = trawl_buf_grow(b, n + 2);
	if (rc < 0)
		return rc;
	char *out = b->data + b->len;
	*out++ = '"';
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		unsigned char c = *p;
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			*out++ = (char)c;
			p++;
			continue;
		}
		size_t l = c >= 0x80 ? trawl_utf8_seq_len(p, (size_t)(end - p)) : 0;
		if (l) {
			memcpy(out, p, l);
			out += l;
			p += l;
			continue;
		}
		b->len = (size_t)(out - b->data);
		if ((rc = trawl_buf_grow(b, (size_t)(end - p) + 6)) < 0)
			return rc;
		out = b->data + b->len;
		if (c >= 0x80) {
			memcpy(out, "\xEF\xBF\xBD", 3); /* U+FFFD for a byte that is not UTF-8 */
			out += 3;
			p++;
			continue;
		}
		*out++ = '\\';
		switch (c) {
		case '"': *out++ = '"'; break;
		case '\\': *out++ = '\\'; break;
		case '\n': *out++ = 'n'; break;
		case '\r': *out++ = 'r'; break;
		case '\t': *out++ = 't'; break;
		default:
			*out++ = 'u', *out++ = '0', *out++ = '0';
			*out++ = hex[c >> 4], *out++ = hex[c & 15];
		}
		p++;
	}
	*out++ = '"';
	*out = '\0';
	b->len = (size_t)(out - b->data);
	return TRAWL_OK;
}

void
trawl_json_fputs(FILE *f, const char *s)
{
	trawl_buf_t b = {0};
	if (trawl_json_str(&b, s, (size_t)-1) == TRAWL_OK)
		fwrite(b.data, 1, b.len, f);
	trawl_buf_free(&b);
}

char *
trawl_strndup(const char *p, size_t n)
{
	if (!p)
		return NULL;
	char *s = malloc(n + 1);
	if (!s)
		return NULL;
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

char *
trawl_ascii_lower(char *s)
{
	for (char *p = s; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

/* The digest fetched once: EVP_sha256() has OpenSSL look its provider up
 * again on every message. Kept to the end of the process. */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void
sha256_fetch(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

void
trawl_sha256_hex(char out[65], const void *data, size_t len)
{
	/* OpenSSL's: it uses the CPU's SHA extensions where there are any, a
	 * tenth of the time of GLib's over the raw bytes of every message. */
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	pthread_once(&sha256_once, sha256_fetch);
	if (sha256_md && EVP_Digest(data, len, md, &n, sha256_md, NULL) && n == 32) {
		for (unsigned i = 0; i < 32; i++) {
			out[2 * i] = hex[md[i] >> 4];
			out[2 * i + 1] = hex[md[i] & 15];
		}
		out[64] = '\0';
		return;
	}
	/* OpenSSL out of memory: GLib's then */
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(c, data, (gssize)len);
	g_strlcpy(out, g_checksum_get_string(c), 65);
	g_checksum_free(c);
}
