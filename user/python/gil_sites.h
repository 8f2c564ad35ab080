/* SPDX-License-Identifier: MIT */
/*
 * Where to put the GIL uprobes in one CPython runtime ELF: every entry of
 * take_gil (out-of-line copies such as take_gil.constprop.0 included) and
 * every place drop_gil's body starts, out-of-line or inlined (found in the
 * DWARF of the file or of its build-id debug file, e.g. python3.11-dbg).
 */
#ifndef PYSTROBE_GILSITES_H
#define PYSTROBE_GILSITES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "target/procmaps.h"

struct elfsym;

#define GIL_SITES_TAKE_MAX 8 /* take_gil copies; beyond: not probed, noted */
#define GIL_SITES_DROP_MAX 128 /* drop_gil copies and inlined sites; beyond: not probed */

struct gil_sites {
	uint64_t take[GIL_SITES_TAKE_MAX]; /* file offsets of take_gil entries */
	size_t nr_take;
	uint64_t drop[GIL_SITES_DROP_MAX]; /* file offsets where a drop_gil body starts */
	uint8_t drop_inlined[GIL_SITES_DROP_MAX]; /* 1: inlined copy (no return to probe) */
	size_t nr_drop;
	size_t nr_drop_inlined; /* how many of drop[] are inlined copies */
	size_t nr_dropped_sites; /* sites beyond the arrays (not probed) */
	char symbols_from[256]; /* "symtab" or the debug file's path */
};

/*
 * Find the sites in the ELF that mapping m of pid maps (opened through
 * tfile, like its build-id debug file, which is looked up inside pid's
 * root). Returns 0, -ENOENT with a reason in why when take_gil or drop_gil
 * cannot be found (stripped and no debug file), other -errno.
 */
int gil_sites_find(pid_t pid, const struct procmap *m, struct gil_sites *out, char *why,
		   size_t why_len);

/* The build-id debug file's path of e (/usr/lib/debug/.build-id/xx/yyyy.debug) into buf. */
int gil_sites_debug_path(struct elfsym *e, char *buf, size_t len);

#endif /* PYSTROBE_GILSITES_H */
