/* SPDX-License-Identifier: MIT */
/*
 * Code objects named by the symbol records BPF sends (struct ps_symbol),
 * kept after the process is gone, keyed by (pid, gen, code address, code tag).
 */
#ifndef PYSTROBE_SYMTAB_H
#define PYSTROBE_SYMTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/hashmap.h"
#include "lib/strpool.h"
#include "ps_pystack.h"

struct pysym {
	uint32_t pid, gen;
	uint64_t code_addr;
	uint16_t code_tag; /* ps_code_fingerprint of the code object */
	const char *filename; /* pooled UTF-8 */
	const char *name; /* co_qualname where it exists, else co_name; pooled */
	int32_t firstlineno;
	int32_t firsttraceable;
	uint32_t flags; /* PS_SYM_* */
	uint32_t lt_len; /* bytes in linetable */
	uint8_t *linetable; /* owned */
};

struct symtab {
	struct hashmap map;
	struct strpool *pool; /* shared with the caller */
	uint64_t nr_records; /* symbol records received (incl. duplicates) */
};

/* Names are interned in pool. */
void symtab_init(struct symtab *st, struct strpool *pool);
void symtab_free(struct symtab *st);

/*
 * Add a record of size bytes (bounds-checked against its own counts).
 * bytes_names: names are 2.7 byte strings (UTF-8 already). 0, -EINVAL, -ENOMEM.
 * A record for a key already present replaces nothing (first wins).
 */
int symtab_add(struct symtab *st, const struct ps_symbol *rec, size_t size, bool bytes_names);

/* Replace the line table of sym (userspace re-read it in full). 0 or -ENOMEM. */
int symtab_set_linetable(struct pysym *sym, const uint8_t *tab, size_t len);

struct pysym *symtab_find(const struct symtab *st, uint32_t pid, uint32_t gen, uint64_t code,
			  uint16_t tag);

/* Drop the symbols of processes for which gone(pid, gen, ctx) holds. Removed, or -ENOMEM. */
int symtab_prune(struct symtab *st, bool (*gone)(uint32_t pid, uint32_t gen, void *ctx), void *ctx);
/* Re-intern every name into np (to free the old pool afterwards). 0 or -ENOMEM. */
int symtab_repool(struct symtab *st, struct strpool *np);

#endif /* PYSTROBE_SYMTAB_H */
