/* SPDX-License-Identifier: MIT */
/*
 * --native's knowledge of one mapped ELF file, shared by every process that
 * maps it: a pre-fork server's workers (and any processes of one build) map
 * the same files, so each file is opened, its symbols loaded and its CFI
 * decoded once, keyed by (device, inode), not once per process. Per
 * instruction address (ELF virtual address) it caches the frame's unwind
 * rule, reduced to what a fast x86-64 unwinder applies, and the function's
 * name. Files are opened through tfile and read, never mapped (dwfl_files.h).
 */
#ifndef PYSTROBE_MODFILE_H
#define PYSTROBE_MODFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "lib/hashmap.h"
#include "lib/strpool.h"
#include "target/procmaps.h"

#define MODFILE_MAX_LOADS 8 /* PT_LOAD segments kept; a pc in a further one is not unwound fast */

/* How the caller's registers follow from a frame's (x86-64, DWARF numbering). */
enum modfile_rule_kind {
	MODFILE_RULE_SLOW, /* not a simple rule (expression, signal frame): ask libdw */
	MODFILE_RULE_NONE, /* no CFI covers the pc (an IBT .plt.sec stub, code without CFI) */
	MODFILE_RULE_END, /* return address undefined: the outermost frame */
	MODFILE_RULE_CFA, /* CFA = reg + cfa_off; ra at CFA + ra_off; rbp at CFA + bp_off or same */
};

struct modfile_rule {
	uint8_t kind; /* enum modfile_rule_kind */
	uint8_t cfa_reg; /* 6 (rbp) or 7 (rsp) */
	bool bp_saved; /* rbp restored from CFA + bp_off, else unchanged */
	int32_t cfa_off, ra_off, bp_off;
};

/* A pc's cached name. */
struct modfile_name {
	const char *name; /* pooled */
	bool is_eval; /* a CPython eval-loop function */
};

struct modfile;

/* Every file seen, by (device, inode). */
struct modfiles {
	struct hashmap files; /* struct modfile */
	struct strpool *pool;
	uint64_t open_ns; /* CPU time spent opening files and loading their tables, once per file */
};

/*
 * The file of mapping m of pid, opened (through pid's view of it) on first
 * use; NULL when it cannot be read as an ELF. A file that failed is not
 * retried (its entry says so).
 */
struct modfile *modfiles_get(struct modfiles *fs, pid_t pid, const struct procmap *m);
void modfiles_free(struct modfiles *fs);

/* Is name a CPython eval-loop function (or a compiler-split part such as ".cold")? */
bool modfile_is_eval_name(const char *name);

/* The ELF virtual address of file offset off; false if no kept segment has it. */
bool modfile_vaddr(const struct modfile *f, uint64_t off, uint64_t *vaddr);

/* The unwind rule at vaddr (cached). */
struct modfile_rule modfile_rule(struct modfile *f, uint64_t vaddr);

/* The name at vaddr: "symbol (module)", else "[module]" (cached, modlabel.h); NULL on ENOMEM. */
const struct modfile_name *modfile_name(struct modfile *f, uint64_t vaddr);

#endif /* PYSTROBE_MODFILE_H */
