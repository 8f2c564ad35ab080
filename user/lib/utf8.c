// SPDX-License-Identifier: MIT
/* CPython string bytes to UTF-8, never producing invalid UTF-8. */
#include <string.h>
#include "lib/utf8.h"

#define REPLACEMENT 0xfffd

/* Encode cp into out[*pos..cap-1); false (nothing written) if it does not fit. */
static int put_cp(uint32_t cp, char *out, size_t cap, size_t *pos)
{
	unsigned char b[4];
	size_t n;

	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = REPLACEMENT;
	if (cp < 0x80) {
		b[0] = cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = 0xc0 | cp >> 6;
		b[1] = 0x80 | (cp & 0x3f);
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = 0xe0 | cp >> 12;
		b[1] = 0x80 | (cp >> 6 & 0x3f);
		b[2] = 0x80 | (cp & 0x3f);
		n = 3;
	} else {
		b[0] = 0xf0 | cp >> 18;
		b[1] = 0x80 | (cp >> 12 & 0x3f);
		b[2] = 0x80 | (cp >> 6 & 0x3f);
		b[3] = 0x80 | (cp & 0x3f);
		n = 4;
	}
	if (*pos + n >= cap)
		return 0;
	memcpy(out + *pos, b, n);
	*pos += n;
	return 1;
}

/* Decode one UTF-8 sequence at p[0..n); returns its length, *cp = U+FFFD if invalid. */
static size_t utf8_next(const uint8_t *p, size_t n, uint32_t *cp)
{
	size_t len = p[0] < 0x80	   ? 1 :
		     (p[0] & 0xe0) == 0xc0 ? 2 :
		     (p[0] & 0xf0) == 0xe0 ? 3 :
		     (p[0] & 0xf8) == 0xf0 ? 4 :
					     0;
	uint32_t v;

	*cp = REPLACEMENT;
	if (len == 0 || len > n)
		return 1;
	v = len == 1 ? p[0] : p[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 1;
		v = v << 6 | (p[i] & 0x3f);
	}
	/* reject overlong forms */
	if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000))
		return len;
	*cp = v;
	return len;
}

size_t utf8_from_units(const uint8_t *data, size_t n, unsigned kind, char *out, size_t cap)
{
	size_t pos = 0, i = 0, step = kind ? kind : 1;
	uint32_t cp;

	if (cap == 0)
		return 0;
	if (kind != 0 && kind != 1 && kind != 2 && kind != 4)
		kind = 1;
	while (i + step <= n) {
		if (kind == 0) {
			step = utf8_next(data + i, n - i, &cp);
		} else if (kind == 1) {
			cp = data[i];
		} else if (kind == 2) {
			cp = data[i] | (uint32_t)data[i + 1] << 8;
		} else {
			cp = data[i] | (uint32_t)data[i + 1] << 8 | (uint32_t)data[i + 2] << 16 |
			     (uint32_t)data[i + 3] << 24;
		}
		if (!put_cp(cp, out, cap, &pos))
			break;
		i += step;
		if (kind == 0)
			step = 1;
	}
	out[pos] = '\0';
	return pos;
}
