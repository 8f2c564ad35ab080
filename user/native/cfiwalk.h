/* SPDX-License-Identifier: MIT */
/*
 * The fast path of --native: walk a sample's copied user stack with the
 * cached per-pc unwind rules of modfile (CFA = rsp/rbp + offset, return
 * address and rbp saved at CFA + offset: what compilers emit for nearly
 * every x86-64 frame). A frame whose rule is anything else (a PLT stub's
 * expression, a signal frame, the vdso, code in no file) makes the whole
 * sample go to libdw's general unwinder instead, so the result is libdw's.
 * Per process it keeps only its executable file mappings.
 */
#ifndef PYSTROBE_CFIWALK_H
#define PYSTROBE_CFIWALK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "ps_pystack.h"
#include "native/modfile.h"

/* An executable file mapping; its file is opened on first use. */
struct cfiwalk_map {
	struct procmap m;
	struct modfile *file;
	bool tried; /* file looked up (NULL: unusable) */
};

/* One process's executable file mappings, sorted by address. */
struct cfiwalk_proc {
	pid_t pid;
	struct cfiwalk_map *maps;
	size_t nr_maps;
	uint64_t read_ns; /* when /proc/PID/maps was read (0: never) */
};

/* (Re)read p's mappings from /proc/PID/maps. 0 or -errno. */
int cfiwalk_read_maps(struct cfiwalk_proc *p);
void cfiwalk_proc_free(struct cfiwalk_proc *p);

/* The file of pc in p and pc's ELF vaddr in it; NULL if none. */
struct modfile *cfiwalk_file(struct cfiwalk_proc *p, struct modfiles *fs, uint64_t pc,
			     uint64_t *vaddr);

/* Why a walk gave up (pcs then undefined). */
#define CFIWALK_SLOW (-1) /* a frame's rule needs libdw */
#define CFIWALK_NO_FILE (-2) /* a pc in no known file mapping (re-read the maps, or libdw) */

/*
 * Unwind xs into pcs (at most max; the first is the sampled ip, the others
 * call sites: return address - 1). The count, or CFIWALK_SLOW / _NO_FILE.
 */
int cfiwalk_unwind(struct cfiwalk_proc *p, struct modfiles *fs, const struct ps_xstack *xs,
		   uint64_t *pcs, size_t max);

#endif /* PYSTROBE_CFIWALK_H */
