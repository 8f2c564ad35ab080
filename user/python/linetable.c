// SPDX-License-Identifier: MIT
/*
 * CPython line tables -> source line, one small decoder per format, written
 * from the algorithm descriptions in docs/cpython-internals.md section 4 and
 * checked at every position against PyCode_Addr2Line() of real interpreters
 * (tests/data/linetable/, tests/unit/test_linetable.c).
 *
 * What each decoder returns when pos lies beyond the last entry is what
 * PyCode_Addr2Line() returns there (verified on 2.7.18, 3.6.15-3.13.0 and
 * Debian 3.11.2 by scripts/linetable_dump.py, the fixtures' "past" lines):
 *   - PY_LT_LNOTAB27, PY_LT_LNOTAB: the line after every increment (the last
 *     line applies; an lnotab does not record where the code ends);
 *   - PY_LT_310, PY_LT_311: LINETABLE_NO_LINE (CPython returns -1).
 * LINETABLE_BAD means the table cannot be trusted up to pos: an odd length
 * (lnotab, 3.10: a pair cut in half), an entry that is cut, or that is not
 * shaped like one, anywhere up to and including the entry covering pos
 * (3.11+; entries after it are not read), or a line outside 0..INT_MAX.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>

#include "python/linetable.h"

#define LT310_NO_LINE (-128) /* 3.10 ldelta meaning "this range has no line" */
#define LT311_NO_LOCATION 15 /* 3.11+ entry code meaning "no location" */
#define LT311_LONG 14 /* long form: svarint line delta then 3 varints */
#define LT311_NO_COLUMN 13 /* svarint line delta, no column data */
#define LT311_ONE_LINE 10 /* codes 10..12: line delta code-10, 2 bytes */
#define VARINT_MAX_GROUPS 6 /* 36 bits: more than any real line or column */

/* A read position in a 3.11+ location table. */
struct lt_cursor {
	const uint8_t *tab;
	size_t len;
	size_t off;
};

/* One decoded 3.11+ location entry. */
struct lt_entry {
	int64_t line_delta;
	uint32_t nr_units; /* code units the entry covers: 1..8 */
	bool no_line; /* code 15: the units map to no line */
};

/* Add delta to the running line; false once it leaves int's range. */
static bool line_add(int64_t *line, int64_t delta)
{
	*line += delta;
	return *line >= INT_MIN && *line <= INT_MAX;
}

/* The decoded line as a result: negative lines would read as sentinels. */
static int line_result(int64_t line)
{
	return line < 0 || line > INT_MAX ? LINETABLE_BAD : (int)line;
}

/*
 * co_lnotab (2.7 with u8 line increments, 3.6-3.9 with s8 ones): add each
 * pair's line increment until the running address passes pos.
 */
static int decode_lnotab(const uint8_t *tab, size_t len, int firstlineno, uint32_t pos,
			 bool signed_incr)
{
	int64_t line = firstlineno;
	uint64_t addr = 0;

	if (len % 2)
		return LINETABLE_BAD;
	for (size_t i = 0; i < len; i += 2) {
		addr += tab[i];
		if (addr > pos)
			break;
		if (!line_add(&line, signed_incr ? (int8_t)tab[i + 1] : tab[i + 1]))
			return LINETABLE_BAD;
	}
	return line_result(line);
}

/*
 * 3.10 co_linetable: (u8 byte count, s8 line delta) ranges from offset 0;
 * delta -128 gives its range no line and leaves the running line alone.
 */
static int decode_310(const uint8_t *tab, size_t len, int firstlineno, uint32_t pos)
{
	int64_t line = firstlineno;
	uint64_t end = 0;

	if (len % 2)
		return LINETABLE_BAD;
	for (size_t i = 0; i < len; i += 2) {
		int ldelta = (int8_t)tab[i + 1];

		end += tab[i];
		if (ldelta != LT310_NO_LINE && !line_add(&line, ldelta))
			return LINETABLE_BAD;
		if (pos < end)
			return ldelta == LT310_NO_LINE ? LINETABLE_NO_LINE : line_result(line);
	}
	return LINETABLE_NO_LINE;
}

/* Next byte inside a 3.11+ entry; -EINVAL at the end or at an entry start. */
static int cursor_byte(struct lt_cursor *c, uint8_t *b)
{
	if (c->off >= c->len)
		return -EINVAL;
	*b = c->tab[c->off++];
	return *b & 0x80 ? -EINVAL : 0;
}

/* 3.11+ varint: 6-bit little-endian groups, 0x40 meaning "more follows". */
static int cursor_varint(struct lt_cursor *c, uint64_t *val)
{
	uint64_t v = 0;
	uint8_t b;

	for (int shift = 0; shift < 6 * VARINT_MAX_GROUPS; shift += 6) {
		if (cursor_byte(c, &b))
			return -EINVAL;
		v |= (uint64_t)(b & 0x3f) << shift;
		if (!(b & 0x40)) {
			*val = v;
			return 0;
		}
	}
	return -EINVAL;
}

/* 3.11+ svarint: a varint whose low bit is the sign. */
static int cursor_svarint(struct lt_cursor *c, int64_t *val)
{
	uint64_t u;

	if (cursor_varint(c, &u))
		return -EINVAL;
	*val = u & 1 ? -(int64_t)(u >> 1) : (int64_t)(u >> 1);
	return 0;
}

/* Skip n varints (the long form's end line, column and end column). */
static int cursor_skip_varints(struct lt_cursor *c, int n)
{
	uint64_t ignored;

	for (int i = 0; i < n; i++)
		if (cursor_varint(c, &ignored))
			return -EINVAL;
	return 0;
}

/* Skip n column bytes (short and one-line forms). */
static int cursor_skip_bytes(struct lt_cursor *c, int n)
{
	uint8_t ignored;

	for (int i = 0; i < n; i++)
		if (cursor_byte(c, &ignored))
			return -EINVAL;
	return 0;
}

/*
 * Decode the 3.11+ entry at the cursor: a first byte with bit 7 set,
 * code = bits 3-6, length = bits 0-2 plus one, then the code's own bytes.
 */
static int cursor_entry(struct lt_cursor *c, struct lt_entry *e)
{
	uint8_t first = c->tab[c->off++];
	int code = (first >> 3) & 15;

	if (!(first & 0x80))
		return -EINVAL;
	e->nr_units = (first & 7) + 1;
	e->no_line = code == LT311_NO_LOCATION;
	e->line_delta = 0;
	if (code == LT311_NO_LOCATION)
		return 0;
	if (code == LT311_LONG) {
		if (cursor_svarint(c, &e->line_delta))
			return -EINVAL;
		return cursor_skip_varints(c, 3);
	}
	if (code == LT311_NO_COLUMN)
		return cursor_svarint(c, &e->line_delta);
	if (code >= LT311_ONE_LINE) {
		e->line_delta = code - LT311_ONE_LINE;
		return cursor_skip_bytes(c, 2);
	}
	return cursor_skip_bytes(c, 1);
}

/*
 * 3.11+ location table (PEP 657): entries cover consecutive code units from
 * index 0; each adds its line delta, and code 15 entries have no line.
 */
static int decode_311(const uint8_t *tab, size_t len, int firstlineno, uint32_t pos)
{
	struct lt_cursor c = { .tab = tab, .len = len, .off = 0 };
	struct lt_entry e;
	int64_t line = firstlineno;
	uint64_t addr = 0;

	while (c.off < len) {
		if (cursor_entry(&c, &e) || !line_add(&line, e.line_delta))
			return LINETABLE_BAD;
		addr += e.nr_units;
		if (pos < addr)
			return e.no_line ? LINETABLE_NO_LINE : line_result(line);
	}
	return LINETABLE_NO_LINE;
}

/* Dispatch on the format; see the top of this file for the edge cases. */
int linetable_line(enum py_linetable_fmt fmt, const uint8_t *tab, size_t len, int firstlineno,
		   uint32_t pos)
{
	if (!tab && len)
		return LINETABLE_BAD;
	switch (fmt) {
	case PY_LT_LNOTAB27:
		return decode_lnotab(tab, len, firstlineno, pos, false);
	case PY_LT_LNOTAB:
		return decode_lnotab(tab, len, firstlineno, pos, true);
	case PY_LT_310:
		return decode_310(tab, len, firstlineno, pos);
	case PY_LT_311:
		return decode_311(tab, len, firstlineno, pos);
	default:
		return LINETABLE_BAD;
	}
}
