// SPDX-License-Identifier: MIT
/* Escaping of control characters in text bound for a terminal (see textesc.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lib/textesc.h"

/*
 * Length of the valid UTF-8 sequence at p[0..n) (2..4), or 0 when p[0]
 * does not start one (a lone continuation byte, a cut or overlong form).
 */
static size_t utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t len = (p[0] & 0xe0) == 0xc0 ? 2 :
		     (p[0] & 0xf0) == 0xe0 ? 3 :
		     (p[0] & 0xf8) == 0xf0 ? 4 :
					     0;
	uint32_t v;

	if (len == 0 || len > n)
		return 0;
	v = p[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3f);
	}
	if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
	    v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/*
 * One step over s[0..n): *take bytes are consumed; returns the escape to
 * print in esc (NUL-terminated), or "" when the bytes pass as they are.
 */
static void step(const unsigned char *s, size_t n, unsigned flags, size_t *take, char esc[8])
{
	uint32_t cp = 0;
	size_t len;

	esc[0] = '\0';
	*take = 1;
	if (s[0] < 0x80) {
		if ((s[0] < 0x20 || s[0] == 0x7f) &&
		    !((flags & TEXTESC_LINES) && (s[0] == '\n' || s[0] == '\t')))
			snprintf(esc, 8, "\\x%02x", s[0]);
		return;
	}
	len = utf8_seq(s, n, &cp);
	if (len == 0) {
		snprintf(esc, 8, "\\x%02x", s[0]); /* raw 0x9b is CSI to an 8-bit terminal */
		return;
	}
	*take = len;
	if (cp <= 0x9f)
		snprintf(esc, 8, "\\u%04x", (unsigned)cp);
}

void textesc_write(FILE *f, const char *s, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0, take;
	char esc[8];

	while (i + run < len) {
		step(p + i + run, len - i - run, flags, &take, esc);
		if (!esc[0]) {
			run += take;
			continue;
		}
		fwrite(p + i, 1, run, f);
		fputs(esc, f);
		i += run + take;
		run = 0;
	}
	fwrite(p + i, 1, run, f);
}

size_t textesc_str(char *out, size_t cap, const char *s, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), pos = 0, take, add;
	char esc[8];

	if (cap == 0)
		return 0;
	for (size_t i = 0; i < n; i += take) {
		step(p + i, n - i, flags, &take, esc);
		add = esc[0] ? strlen(esc) : take;
		if (pos + add >= cap)
			break;
		memcpy(out + pos, esc[0] ? esc : s + i, add);
		pos += add;
	}
	out[pos] = '\0';
	return pos;
}

const char *textesc_name(const char *s, char *buf, size_t cap)
{
	textesc_str(buf, cap, s ? s : "", 0);
	return buf;
}

bool textesc_needed(const char *s, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), take;
	char esc[8];

	for (size_t i = 0; i < n; i += take) {
		step(p + i, n - i, flags, &take, esc);
		if (esc[0])
			return true;
	}
	return false;
}

FILE *textesc_begin(struct textesc_buf *tb)
{
	memset(tb, 0, sizeof(*tb));
	tb->f = open_memstream(&tb->data, &tb->len);
	return tb->f;
}

int textesc_end(struct textesc_buf *tb, FILE *dst, unsigned flags)
{
	int err = 0;

	if (!tb->f)
		return -EINVAL;
	if (fclose(tb->f))
		err = errno ? -errno : -ENOMEM;
	tb->f = NULL;
	if (!err && tb->data)
		textesc_write(dst, tb->data, tb->len, flags);
	free(tb->data);
	tb->data = NULL;
	return err;
}
