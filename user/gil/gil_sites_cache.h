/* SPDX-License-Identifier: MIT */
/*
 * GIL sites kept across runs, by the runtime file's build-id: reading them
 * from a debug file's DWARF (Debian's python3.11-dbg: 1.5M DIEs) takes up to
 * a second, during which `gil -- CMD` holds the command. The cache directory
 * must be ours (owned by this user, not writable by group or others, not a
 * link), like the agent's spool; files are read only when ours too.
 */
#ifndef PYSTROBE_GIL_SITES_CACHE_H
#define PYSTROBE_GIL_SITES_CACHE_H

#include <sys/types.h>
#include "python/gil_sites.h"
#include "target/procmaps.h"

#define GIL_SITES_CACHE_DIR "/var/cache/pystrobe"

/* gil_sites_find, through the cache when m's file has a build-id. */
int gil_sites_cached(pid_t pid, const struct procmap *m, struct gil_sites *out, char *why,
		     size_t why_len);

#endif /* PYSTROBE_GIL_SITES_CACHE_H */
