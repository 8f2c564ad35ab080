// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for linetable_line(). Input: byte 0 picks the format
 * (modulo PY_LT__COUNT + 1, so an unknown format is tried too), bytes 1-4 are
 * firstlineno (s32 little-endian), bytes 5-8 the position (u32 LE), and the
 * rest is the table, copied to a buffer of exactly its size so that ASan
 * catches any read past it. Seeds: tests/fuzz/corpus/linetable/ (real tables,
 * written by scripts/gen-linetable-fixtures.sh).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "python/linetable.h"

#define HDR_BYTES 9

/* Little-endian u32 at p (the header is not aligned). */
static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Reference line delta of the 3.11+ entry at tab[i] (see reference_311). */
static int64_t reference_delta(const uint8_t *tab, size_t len, size_t i)
{
	int code = (tab[i] >> 3) & 15;
	uint64_t u = 0;

	if (code >= 10 && code <= 12)
		return code - 10;
	if (code != 13 && code != 14)
		return 0;
	for (size_t j = i + 1; j < len && j - i <= 6; j++) {
		u |= (uint64_t)(tab[j] & 63) << (6 * (j - i - 1));
		if (!(tab[j] & 64))
			break;
	}
	return u & 1 ? -(int64_t)(u >> 1) : (int64_t)(u >> 1);
}

/*
 * An independent 3.11+ reference in CPython's own style: an entry runs up to
 * the next byte with bit 7 set. Used only where linetable_line() accepted the
 * table, where the two must agree. Returns the line or -1 for none.
 */
static int64_t reference_311(const uint8_t *tab, size_t len, int64_t line, uint32_t pos)
{
	uint64_t addr = 0;
	size_t i = 0;

	while (i < len) {
		line += reference_delta(tab, len, i);
		addr += (tab[i] & 7) + 1;
		if (pos < addr)
			return ((tab[i] >> 3) & 15) == 15 ? -1 : line;
		for (i++; i < len && !(tab[i] & 0x80); i++)
			;
	}
	return -1;
}

/*
 * Results must be a line (>= 0), LINETABLE_NO_LINE or LINETABLE_BAD; the
 * lnotab formats never give NO_LINE, and an unknown format is always BAD.
 */
static int result_ok(unsigned int fmt, int line)
{
	if (fmt >= PY_LT__COUNT)
		return line == LINETABLE_BAD;
	if (fmt == PY_LT_LNOTAB27 || fmt == PY_LT_LNOTAB)
		return line >= 0 || line == LINETABLE_BAD;
	return line >= 0 || line == LINETABLE_NO_LINE || line == LINETABLE_BAD;
}

/* Decode the input's table at its position, then at the position plus one. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int fmt;
	int firstlineno;
	uint32_t pos;
	uint8_t *tab;
	size_t len;

	if (size < HDR_BYTES)
		return 0;
	fmt = data[0] % (PY_LT__COUNT + 1);
	firstlineno = (int32_t)le32(data + 1);
	pos = le32(data + 5);
	len = size - HDR_BYTES;
	tab = malloc(len ? len : 1);
	if (!tab)
		return 0;
	memcpy(tab, data + HDR_BYTES, len);
	for (uint32_t i = 0; i < 2; i++) {
		int line = linetable_line((enum py_linetable_fmt)fmt, len ? tab : NULL, len,
					  firstlineno, pos + i);

		if (!result_ok(fmt, line))
			abort();
		if (fmt == PY_LT_311 && line != LINETABLE_BAD &&
		    reference_311(tab, len, firstlineno, pos + i) != line)
			abort();
	}
	free(tab);
	return 0;
}
