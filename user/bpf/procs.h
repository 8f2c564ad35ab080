/* SPDX-License-Identifier: MIT */
/*
 * Loads bpf/procs.bpf.c: exec / exit events for new and ending processes,
 * and fork-following of a command's descendants. It shares the maps of
 * bpf/maps.bpf.h (ring buffer, procs, sys_targets) with the other objects.
 */
#ifndef PYSTROBE_PROCS_LOADER_H
#define PYSTROBE_PROCS_LOADER_H

#include <stdbool.h>
#include <stdint.h>
#include "ps_procs.h" /* include/: the types shared with BPF */

struct shared_maps;
struct procs_mon;

/*
 * Before any BPF object loads: make the shared pid -> "count its syscalls"
 * array pid_max entries long (else it has 1). 0 or -errno.
 */
int procs__size_sys_targets(struct shared_maps *m);

/* Open, share the maps of m, load and attach. NULL with errno (reported). */
struct procs_mon *procs__open(struct shared_maps *m, bool all_execs);

/*
 * Set pid's entry (PS_SYS_TARGET: count its syscalls now; PS_SYS_AT_EXEC:
 * from its next exec; 0: stop). Future children inherit it. 0 or -errno.
 */
int procs__set_sys_target(struct procs_mon *p, uint32_t pid, uint8_t flags);
void procs__free(struct procs_mon *p); /* accepts NULL */

/* Follow pid and, through fork, all its future descendants. 0 or -errno. */
int procs__track(struct procs_mon *p, uint32_t pid);

/* --all: stop sending the execs of this executable (not Python). 0 or -errno. */
int procs__skip_exe(struct procs_mon *p, const struct ps_exe_key *exe);

/* Send the execs of every executable again (a skipped file may have been replaced). */
void procs__clear_skips(struct procs_mon *p);

#endif /* PYSTROBE_PROCS_LOADER_H */
