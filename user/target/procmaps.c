// SPDX-License-Identifier: MIT
/* Parser of /proc/PID/maps: "start-end perms offset major:minor inode   path". */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "target/procmaps.h"

/* Parse hex digits at *p (at least one) into *out; advance *p. */
static int take_hex(const char **p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0;

	while (*p < end && n < 17) {
		char c = **p;
		int d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 :
					       -1;
		if (d < 0)
			break;
		v = v << 4 | (uint64_t)d;
		(*p)++;
		n++;
	}
	if (n == 0 || n > 16)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Parse decimal digits at *p (at least one). */
static int take_dec(const char **p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0;

	while (*p < end && **p >= '0' && **p <= '9' && n < 20) {
		v = v * 10 + (uint64_t)(**p - '0');
		(*p)++;
		n++;
	}
	if (n == 0 || n >= 20)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Expect character c at *p and step over it. */
static int take_char(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return -EINVAL;
	(*p)++;
	return 0;
}

static void skip_spaces(const char **p, const char *end)
{
	while (*p < end && **p == ' ')
		(*p)++;
}

int procmaps_parse_line(const char *line, size_t len, struct procmap *out)
{
	const char *p = line, *end = line + len;
	uint64_t maj, min;
	size_t n;

	while (end > p && (end[-1] == '\n' || end[-1] == '\0'))
		end--;
	if (take_hex(&p, end, &out->start) || take_char(&p, end, '-') ||
	    take_hex(&p, end, &out->end) || take_char(&p, end, ' '))
		return -EINVAL;
	if (end - p < 5 || p[4] != ' ')
		return -EINVAL;
	memcpy(out->perms, p, 4);
	out->perms[4] = '\0';
	p += 5;
	if (take_hex(&p, end, &out->offset) || take_char(&p, end, ' ') || take_hex(&p, end, &maj) ||
	    take_char(&p, end, ':') || take_hex(&p, end, &min) || take_char(&p, end, ' ') ||
	    take_dec(&p, end, &out->inode))
		return -EINVAL;
	if (out->end < out->start || maj > UINT32_MAX || min > UINT32_MAX)
		return -EINVAL;
	out->dev_major = maj;
	out->dev_minor = min;
	skip_spaces(&p, end);
	n = (size_t)(end - p);
	if (n >= sizeof(out->path))
		n = sizeof(out->path) - 1;
	memcpy(out->path, p, n);
	out->path[n] = '\0';
	return 0;
}

int procmaps_each(pid_t pid, procmaps_cb cb, void *ctx)
{
	char path[64], line[PROCMAP_PATH_MAX + 128];
	struct procmap m;
	int ret = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (!ret && fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);

		/* a path too long for the buffer: skip the rest of that line */
		if (len && line[len - 1] != '\n' && !feof(f)) {
			int c;

			while ((c = fgetc(f)) != EOF && c != '\n')
				;
		}
		if (procmaps_parse_line(line, len, &m) == 0)
			ret = cb(&m, ctx);
	}
	fclose(f);
	return ret;
}
