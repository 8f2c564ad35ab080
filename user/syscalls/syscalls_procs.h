/* SPDX-License-Identifier: MIT */
/*
 * The syscall audit's processes: one entry per counted process (a target, the
 * command and its children) with its stack-sampling state, found by pid in
 * O(1), bounded; processes refused past the bound are counted for the report.
 * And the index of exited threads by process, so the report reads sys_done
 * once instead of once per process.
 */
#ifndef PYSTROBE_SYSCALLS_PROCS_H
#define PYSTROBE_SYSCALLS_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/hashmap.h"

#define SYS_PROCS_MAX \
	16384 /* processes reported (= exited threads sys_done keeps); beyond: counted */

struct sys_proc {
	uint32_t pid;
	uint32_t every; /* current N */
	uint64_t window_samples; /* stacks received since the last tuning */
	bool counting; /* its sys_targets entry is set */
	bool exited;
	bool unsupported; /* a CPython with no layout: counted, no Python lines */
	char python[24], label[64]; /* of an unsupported one (no target names it) */
};

struct sys_procs {
	struct hashmap map; /* pid -> struct sys_proc */
	size_t max; /* entries at most */
	uint64_t nr_full; /* processes refused: table full */
};

/* An empty table of at most max entries (0: SYS_PROCS_MAX). */
void sys_procs_init(struct sys_procs *t, size_t max);
void sys_procs_free(struct sys_procs *t);
/* The entry of pid, created when asked (NULL and counted in nr_full past max, or on ENOMEM). */
struct sys_proc *sys_procs_get(struct sys_procs *t, uint32_t pid, bool create);
/* Drop exited entries, calling gone(pid, ctx) for each (ctx for the caller). */
void sys_procs_prune(struct sys_procs *t, void (*gone)(uint32_t pid, void *ctx), void *ctx);
static inline size_t sys_procs_nr(const struct sys_procs *t)
{
	return t->map.nr;
}

/* Exited threads (tid) by process (pid), sorted by pid. */
struct sys_done_index {
	struct sys_done_ent {
		uint32_t pid, tid;
	} * ents;
	size_t nr, cap;
};

/* Add one exited thread. 0 or -ENOMEM. */
int sys_done_index_add(struct sys_done_index *x, uint32_t pid, uint32_t tid);
/* Sort once, after the last add. */
void sys_done_index_sort(struct sys_done_index *x);
/* The threads of pid (after sort): *nr of them from the returned entry. */
const struct sys_done_ent *sys_done_index_of(const struct sys_done_index *x, uint32_t pid,
					     size_t *nr);
void sys_done_index_free(struct sys_done_index *x);

#endif /* PYSTROBE_SYSCALLS_PROCS_H */
