/* SPDX-License-Identifier: MIT */
/*
 * Kernel symbols from /proc/kallsyms: a table sorted by address, looked up
 * by binary search, to name the frames of --kernel stacks.
 */
#ifndef PYSTROBE_KALLSYMS_H
#define PYSTROBE_KALLSYMS_H

#include <stddef.h>
#include <stdint.h>

struct kallsym {
	uint64_t addr;
	const char *name; /* in ksyms.names; "name [module]" for module symbols */
};

struct kallsyms {
	struct kallsym *syms; /* sorted by addr */
	size_t nr, cap;
	char *names; /* all names, NUL-separated */
	size_t names_len, names_cap;
};

/*
 * Parse kallsyms text ("ADDR TYPE NAME [MODULE]" lines) into k (empty or
 * already holding symbols) and sort it. Malformed lines and zero addresses
 * (hidden by kptr_restrict) are skipped. 0, -ENOENT (no usable symbol) or -ENOMEM.
 */
int kallsyms_parse(struct kallsyms *k, const char *text, size_t len);

/* Read and parse path (normally /proc/kallsyms). 0 or -errno. */
int kallsyms_load(struct kallsyms *k, const char *path);

/* The symbol containing addr (the last one at or below it), or NULL. */
const struct kallsym *kallsyms_find(const struct kallsyms *k, uint64_t addr);

void kallsyms_free(struct kallsyms *k);

#endif /* PYSTROBE_KALLSYMS_H */
