/* SPDX-License-Identifier: MIT */
/* Text code units (latin-1, UCS-2, UCS-4, as CPython stores a str and BPF copies it) to UTF-8. */
#ifndef PYSTROBE_UTF8_H
#define PYSTROBE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Convert n bytes of kind 1 (latin-1), 2 (UCS-2) or 4 (UCS-4) code units,
 * or, with kind 0, bytes that should already be UTF-8 (2.7 str), into
 * NUL-terminated UTF-8 in out[cap]. Invalid input becomes U+FFFD; output is
 * cut at a character boundary. Returns the bytes written (without the NUL).
 */
size_t utf8_from_units(const uint8_t *data, size_t n, unsigned kind, char *out, size_t cap);

#endif /* PYSTROBE_UTF8_H */
