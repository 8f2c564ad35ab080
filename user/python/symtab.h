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

/*
 * Byte budgets: what one process (pid, gen) and all of them together may
 * cost in line tables and in symbols (the record, its names). A hostile
 * process can make many code objects share one 1 MiB line table: tables are
 * stored once per (process, table object) and counted once. Beyond a
 * budget, a symbol is not kept (its frames show as [unknown code]) or a line
 * table is not kept (its frames show at the def line), counted in refusals.
 */
#define SYMTAB_LT_PROC_MAX_BYTES (16ULL << 20)
#define SYMTAB_LT_TOTAL_MAX_BYTES (32ULL << 20)
#define SYMTAB_SYM_PROC_MAX_BYTES (16ULL << 20)
#define SYMTAB_SYM_TOTAL_MAX_BYTES (48ULL << 20)

/* pysym.flags bits above the PS_SYM_* ones: userspace-only */
#define SYMTAB_LT_TRIED (1U << 16) /* the whole table was asked for once: never again */

struct ltblob;

struct pysym {
	uint32_t pid, gen;
	uint64_t code_addr;
	uint16_t code_tag; /* ps_code_fingerprint of the code object */
	const char *filename; /* pooled UTF-8 */
	const char *name; /* co_qualname where it exists, else co_name; pooled */
	int32_t firstlineno;
	int32_t firsttraceable;
	uint32_t flags; /* PS_SYM_*, SYMTAB_* */
	uint32_t lt_len; /* bytes in linetable */
	const uint8_t *linetable; /* lt's bytes, or NULL */
	struct ltblob *lt; /* the (maybe shared) line table, one reference */
};

struct symtab {
	struct hashmap map;
	struct hashmap blobs; /* shared line tables by (pid, gen, table object) */
	struct hashmap budgets; /* bytes charged per (pid, gen) */
	struct strpool *pool; /* shared with the caller */
	uint64_t nr_records; /* symbol records received (incl. duplicates) */
	uint64_t lt_bytes, sym_bytes; /* charged in total */
};

/* Names are interned in pool. */
void symtab_init(struct symtab *st, struct strpool *pool);
void symtab_free(struct symtab *st);

/*
 * Add a record of size bytes (bounds-checked against its own counts).
 * bytes_names: names are 2.7 byte strings (UTF-8 already). 0, -EINVAL,
 * -ENOMEM, -ENOSPC (over the symbol budget, counted). A record for a key
 * already present replaces nothing (first wins).
 */
int symtab_add(struct symtab *st, const struct ps_symbol *rec, size_t size, bool bytes_names);

/* Reads len bytes of a line table into buf: 0 or -errno. */
typedef int (*symtab_fill_fn)(void *ctx, uint8_t *buf, size_t len);

/*
 * Replace the line table of sym with the whole table object obj (len bytes)
 * of its process: shared with every symbol of that process already using
 * obj, else read once by fill. 0, -ENOSPC (over budget, counted), -ENOMEM
 * or fill's error (sym keeps its table then).
 */
int symtab_set_linetable(struct symtab *st, struct pysym *sym, uint64_t obj, size_t len,
			 symtab_fill_fn fill, void *ctx);

struct pysym *symtab_find(const struct symtab *st, uint32_t pid, uint32_t gen, uint64_t code,
			  uint16_t tag);

/* Drop the symbols of processes for which gone(pid, gen, ctx) holds. Removed, or -ENOMEM. */
int symtab_prune(struct symtab *st, bool (*gone)(uint32_t pid, uint32_t gen, void *ctx), void *ctx);
/* Re-intern every name into np (to free the old pool afterwards). 0 or -ENOMEM. */
int symtab_repool(struct symtab *st, struct strpool *np);

#endif /* PYSTROBE_SYMTAB_H */
