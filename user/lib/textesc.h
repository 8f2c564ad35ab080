/* SPDX-License-Identifier: MIT */
/*
 * Terminal-safe text: C0 controls, DEL and C1 controls (raw bytes 0x80-0x9f
 * outside a valid UTF-8 sequence, or U+0080-U+009F encoded in UTF-8) become
 * visible escapes, so names a target process chose (function names, comm,
 * paths) cannot drive the operator's terminal (ESC [, OSC 52, CSI 0x9b).
 */
#ifndef PYSTROBE_TEXTESC_H
#define PYSTROBE_TEXTESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* With TEXTESC_LINES, '\n' and '\t' pass (a report's own line structure); names escape all. */
#define TEXTESC_LINES 1u

/* Bytes s[0..len) to f, escaped: "\x1b" for a control byte, "\u009b" for an encoded C1. */
void textesc_write(FILE *f, const char *s, size_t len, unsigned flags);
/*
 * NUL-terminated s escaped into out[cap] (NUL-terminated, cut before an
 * escape or UTF-8 sequence that would not fit). Returns the length written.
 */
size_t textesc_str(char *out, size_t cap, const char *s, unsigned flags);
/* textesc_str(buf, cap, s, 0), returning buf: a name for a printf argument. */
const char *textesc_name(const char *s, char *buf, size_t cap);
/* True when s holds a byte textesc would change (flags as above). */
bool textesc_needed(const char *s, unsigned flags);

/*
 * A text report built in memory, then copied out escaped: textesc_begin()
 * gives the FILE to print to (NULL with errno set), textesc_end() writes it
 * to dst with flags and frees it; 0 or -errno.
 */
struct textesc_buf {
	FILE *f;
	char *data;
	size_t len;
};
FILE *textesc_begin(struct textesc_buf *tb);
int textesc_end(struct textesc_buf *tb, FILE *dst, unsigned flags);

#endif /* PYSTROBE_TEXTESC_H */
