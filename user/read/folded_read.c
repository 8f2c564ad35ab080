// SPDX-License-Identifier: MIT
/*
 * Folded stacks back into memory: "frame;frame;frame COUNT" per line, root
 * first, `#` lines are comments. Any malformed line is an error at its offset.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "read/profdata.h"

/* The count after the last space: digits only, no overflow. */
static int parse_count(const char *s, size_t len, size_t off, uint64_t *out,
		       struct profdata_error *e)
{
	uint64_t v = 0;

	if (!len)
		return profdata_fail(e, off, "no count after the stack");
	if (s[0] < '0' || s[0] > '9')
		return profdata_fail(e, off, "no count at the end of the line (found '%.*s')",
				     (int)(len > 20 ? 20 : len), s);
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return profdata_fail(e, off + i, "count '%.*s' is not a number",
					     (int)(len > 20 ? 20 : len), s);
		if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return profdata_fail(e, off, "count '%.*s' is too large",
					     (int)(len > 24 ? 24 : len), s);
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Frame pointers of one line, grown on demand (up to PR_MAX_FRAMES). */
struct frame_buf {
	char **v;
	size_t cap;
};

/* Room for n frames; 0 or -ENOMEM. */
static int reserve(struct frame_buf *fb, size_t n)
{
	size_t cap = fb->cap ? fb->cap : 64;
	char **grown;

	if (n <= fb->cap)
		return 0;
	while (cap < n)
		cap *= 2;
	grown = realloc(fb->v, cap * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	fb->v = grown;
	fb->cap = cap;
	return 0;
}

/* Split the stack part s[0..len) on ';' into NUL-terminated frames in fb. */
static int split_frames(char *s, size_t len, size_t off, struct frame_buf *fb, size_t *nr,
			struct profdata_error *e)
{
	size_t n = 0, start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != ';')
			continue;
		if (i == start)
			return profdata_fail(e, off + i, "empty frame name");
		if (n == PR_MAX_FRAMES)
			return profdata_fail(e, off + i, "stack deeper than %d frames",
					     PR_MAX_FRAMES);
		if (reserve(fb, n + 1))
			return -ENOMEM;
		s[i] = 0;
		fb->v[n++] = s + start;
		start = i + 1;
	}
	*nr = n;
	return 0;
}

/* One stack line (without its newline) at offset off. */
static int parse_line(struct profdata *p, char *line, size_t len, size_t off, struct frame_buf *fb,
		      struct profdata_error *e)
{
	size_t sp, nr = 0;
	uint64_t count = 0;
	int err;

	if (len && line[len - 1] == '\r')
		len--;
	for (sp = len; sp > 0 && line[sp - 1] != ' '; sp--)
		;
	if (sp == 0)
		return profdata_fail(e, off, "line has no ' COUNT' after the stack");
	err = parse_count(line + sp, len - sp, off + sp, &count, e);
	if (err)
		return err;
	if (sp == 1)
		return profdata_fail(e, off, "empty stack");
	err = split_frames(line, sp - 1, off, fb, &nr, e);
	return err ?: profdata_add(p, (const char *const *)fb->v, nr, count);
}

/* Is the line blank (spaces, tabs, CR only)? */
static int blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* Parse a copy line by line; the first bad line stops with its offset. */
/* The sampling period of "# frequency_hz: N" (our header), 0 when not a frequency. */
static uint64_t period_of(const char *s, size_t n)
{
	char buf[24];
	unsigned long long hz;

	snprintf(buf, sizeof(buf), "%.*s", (int)(n < 23 ? n : 23), s);
	hz = strtoull(buf, NULL, 10);
	return hz ? 1000000000ull / hz : 0;
}

int folded_read(const char *data, size_t len, struct profdata *p, struct profdata_error *e)
{
	char *copy = malloc(len + 1);
	struct frame_buf fb = {};
	const char *nul = memchr(data, 0, len);
	size_t off = 0, n;
	int err = 0;

	if (!copy) {
		err = -ENOMEM;
		goto out;
	}
	if (nul) {
		err = profdata_fail(e, (size_t)(nul - data), "NUL byte in a text profile");
		goto out;
	}
	memcpy(copy, data, len);
	while (off < len && !err) {
		char *eol = memchr(copy + off, '\n', len - off);

		n = eol ? (size_t)(eol - (copy + off)) : len - off;
		if (n > 8 && !strncmp(copy + off, "# unit: ", 8))
			snprintf(p->unit, sizeof(p->unit), "%.*s", (int)(n - 8 > 60 ? 60 : n - 8),
				 copy + off + 8);
		else if (n > 16 && !strncmp(copy + off, "# frequency_hz: ", 16))
			p->period_ns = period_of(copy + off + 16, n - 16);
		else if (copy[off] != '#' && !blank(copy + off, n))
			err = parse_line(p, copy + off, n, off, &fb, e);
		off += n + 1;
	}
	if (!err && !p->unit[0])
		snprintf(p->unit, sizeof(p->unit), "samples");
out:
	free(copy);
	free(fb.v);
	return err;
}
