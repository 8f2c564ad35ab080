/* SPDX-License-Identifier: MIT */
/* Decoders of CPython's line tables: instruction position -> source line. */
#ifndef PYSTROBE_LINETABLE_H
#define PYSTROBE_LINETABLE_H

#include <stddef.h>
#include <stdint.h>

/* The format of a code object's line table, by CPython version. */
enum py_linetable_fmt {
	PY_LT_LNOTAB27 = 0, /* 2.7: co_lnotab, (u8 addr incr, u8 line incr) */
	PY_LT_LNOTAB, /* 3.6-3.9: co_lnotab, (u8 addr incr, s8 line incr) */
	PY_LT_310, /* 3.10: co_linetable, (u8 bytes, s8 line delta; -128 = none) */
	PY_LT_311, /* 3.11+: location table (PEP 657) */
	PY_LT__COUNT
};

#define LINETABLE_NO_LINE (-1) /* the position maps to no line (artificial code) */
#define LINETABLE_BAD (-2) /* table malformed or cut before the position */

/*
 * Line executing at `pos`: a byte offset for PY_LT_LNOTAB27, PY_LT_LNOTAB and
 * PY_LT_310, a code-unit index (2-byte units) for PY_LT_311. Reads no byte
 * outside tab[0..len). Returns the line, LINETABLE_NO_LINE or LINETABLE_BAD.
 */
int linetable_line(enum py_linetable_fmt fmt, const uint8_t *tab, size_t len, int firstlineno,
		   uint32_t pos);

#endif /* PYSTROBE_LINETABLE_H */
