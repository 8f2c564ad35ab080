/* SPDX-License-Identifier: MIT */
/*
 * Loads bpf/procs.bpf.c: exec / exit events for new and ending processes,
 * and fork-following of a command's descendants. It writes to the sampler's
 * ring buffer and reads the sampler's procs map (shared before load).
 */
#ifndef PYSTROBE_PROCS_CTL_H
#define PYSTROBE_PROCS_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include "ps_procs.h" /* include/: the types shared with BPF */

struct sampler;
struct procs_mon;

/*
 * Open, share the sampler's maps, load and attach. sys_targets sizes the
 * pid -> "count its syscalls" array (pid_max entries) for the syscalls
 * program. NULL with errno (reported).
 */
struct procs_mon *procs__open(const struct sampler *s, bool all_execs, bool sys_targets);

/* The pid -> PS_SYS_TARGET array (shared with the syscalls program). */
int procs__sys_targets_fd(const struct procs_mon *p);
/*
 * Set pid's entry (PS_SYS_TARGET: count its syscalls now; PS_SYS_AT_EXEC:
 * from its next exec; 0: stop). Future children inherit it. 0 or -errno.
 */
int procs__set_sys_target(struct procs_mon *p, uint32_t pid, uint8_t flags);
void procs__free(struct procs_mon *p); /* accepts NULL */

/* Follow pid and, through fork, all its future descendants. 0 or -errno. */
int procs__track(struct procs_mon *p, uint32_t pid);

#endif /* PYSTROBE_PROCS_CTL_H */
