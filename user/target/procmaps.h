/* SPDX-License-Identifier: MIT */
/* Parser of /proc/PID/maps lines (bounds-checked; fuzzed). */
#ifndef PYSTROBE_PROCMAPS_H
#define PYSTROBE_PROCMAPS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PROCMAP_PATH_MAX 512 /* longer paths are cut (and never match a file) */

struct procmap {
	uint64_t start, end; /* [start, end) */
	uint64_t offset; /* file offset of start */
	uint64_t inode;
	uint32_t dev_major, dev_minor;
	char perms[5]; /* "r-xp" */
	char path[PROCMAP_PATH_MAX]; /* "" for anonymous mappings */
};

/* Parse one maps line (with or without newline). 0 or -EINVAL. */
int procmaps_parse_line(const char *line, size_t len, struct procmap *out);

/* Call cb for each mapping of pid until it returns non-zero (which is returned). */
typedef int (*procmaps_cb)(const struct procmap *m, void *ctx);
int procmaps_each(pid_t pid, procmaps_cb cb, void *ctx);

#endif /* PYSTROBE_PROCMAPS_H */
