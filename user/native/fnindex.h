/* SPDX-License-Identifier: MIT */
/*
 * The functions of one libdwfl module sorted by address, for naming pcs by
 * binary search: libdwfl's dwfl_module_addrname scans the whole symbol
 * table on every call (~100 us for CPython's 10k+ symbols), and a server's
 * samples keep bringing new return addresses.
 */
#ifndef PYSTROBE_FNINDEX_H
#define PYSTROBE_FNINDEX_H

#include <elfutils/libdwfl.h>
#include <stddef.h>
#include <stdint.h>

struct fnindex_entry {
	uint64_t addr; /* module address */
	uint64_t size; /* 0: up to the next function (sizeless ones get their section's rest) */
	const char *name; /* libdwfl's, alive as long as the module */
	uint8_t rank; /* binding: global 0, weak 1, local 2 (the lowest names an address) */
};

struct fnindex {
	struct fnindex_entry *fns;
	size_t nr;
};

/* Index mod's function symbols. 0 or -ENOMEM (an empty index when it has none). */
int fnindex_build(struct fnindex *ix, Dwfl_Module *mod);
void fnindex_free(struct fnindex *ix);

/* The name of the function holding module address addr, or NULL. */
const char *fnindex_lookup(const struct fnindex *ix, uint64_t addr);

/* Sort and deduplicate ix->fns (by address, the best-ranked first). For tests too. */
void fnindex_sort(struct fnindex *ix);

#endif /* PYSTROBE_FNINDEX_H */
