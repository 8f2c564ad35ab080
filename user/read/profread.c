// SPDX-License-Identifier: MIT
/* Profiles read back: which reader a file needs. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "read/profread.h"

#define PR_MAX_FILE (1u << 30) /* bigger profile files are refused */

/*
 * Does the input look like a protobuf rather than text? It starts with the
 * tag of a Profile field (1..14, varint or length-delimited; Go writes
 * time_nanos first) and holds bytes no folded file has (control characters
 * other than tab, CR, LF) in its first 4 KiB.
 */
static int looks_binary(const uint8_t *d, size_t len)
{
	size_t n = len < 4096 ? len : 4096;

	if (!len || (d[0] >> 3) < 1 || (d[0] >> 3) > 14 || ((d[0] & 7) != 0 && (d[0] & 7) != 2))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (d[i] < 0x20 && d[i] != '\t' && d[i] != '\n' && d[i] != '\r')
			return 1;
	return 0;
}

/* Is this an SVG (a flame graph given by mistake)? Its text starts with "<". */
static int looks_svg(const uint8_t *d, size_t len)
{
	size_t i = 0;

	while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
		i++;
	return i < len && d[i] == '<' && memmem(d, len < 4096 ? len : 4096, "<svg", 4);
}

/* Pick the reader by content: gzip -> pprof, protobuf -> pprof, SVG refused, else folded. */
int profread_buf(const uint8_t *data, size_t len, struct profdata *p, struct profdata_error *e)
{
	uint8_t *raw;
	size_t raw_len;
	int err;

	if (looks_svg(data, len))
		return profdata_fail(e, 0,
				     "this is an SVG flame graph; give folded or pprof "
				     "(pystrobe record -f folded or -f pprof)");
	if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
		err = profdata_gunzip(data, len, &raw, &raw_len, e);
		if (err)
			return err;
		err = pprof_read(raw, raw_len, p, e);
		if (err == -EINVAL)
			e->in_inflated = 1;
		free(raw);
		return err;
	}
	if (looks_binary(data, len))
		return pprof_read(data, len, p, e);
	return folded_read((const char *)data, len, p, e);
}

/* The whole of fd into a malloc'ed buffer (at most PR_MAX_FILE bytes). */
static int slurp(int fd, uint8_t **out, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap), *grown;
	ssize_t r;

	while (buf) {
		if (n == cap) {
			if (cap >= PR_MAX_FILE)
				break;
			grown = realloc(buf, cap * 2);
			if (!grown)
				break;
			buf = grown;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			free(buf);
			return -errno;
		}
		if (r == 0) {
			*out = buf;
			*len = n;
			return 0;
		}
		n += (size_t)r;
	}
	free(buf);
	return n >= PR_MAX_FILE ? -EFBIG : -ENOMEM;
}

/* Slurp path ("-" = stdin) and parse it with profread_buf. */
int profread_file(const char *path, struct profdata *p, struct profdata_error *e)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : dup(0);
	uint8_t *buf = NULL;
	size_t len = 0;
	int err;

	if (fd < 0) {
		err = -errno;
		snprintf(e->what, sizeof(e->what), "cannot open: %s", strerror(-err));
		return err;
	}
	err = slurp(fd, &buf, &len);
	close(fd);
	if (err) {
		snprintf(e->what, sizeof(e->what), "cannot read: %s", strerror(-err));
		return err;
	}
	err = profread_buf(buf, len, p, e);
	free(buf);
	return err;
}
