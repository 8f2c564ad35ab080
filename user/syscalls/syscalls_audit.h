/* SPDX-License-Identifier: MIT */
/*
 * The syscall audit, a session listener any command can add (`syscalls`,
 * `record --syscalls`, `top`, `agent`): exact per-thread counters in the
 * kernel, 1 in N calls with its Python stack, findings at the end.
 */
#ifndef PYSTROBE_SYSCALLS_AUDIT_H
#define PYSTROBE_SYSCALLS_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "core/agg.h"
#include "syscalls/syscalls_report.h"

struct session;
struct target;
struct syscalls_audit;

struct syscalls_audit_opts {
	bool latency; /* sys_exit too: time, errors, bytes transferred */
	uint32_t sample_every; /* fixed N (1 in N syscalls sends its stack); 0: automatic */
	uint32_t stacks_per_s; /* automatic N aims at this many stacks per second per process */
	bool no_paths; /* no exact counts per path: no repeated-path findings (top, agent) */
};

/*
 * Load and attach the syscall programs on session s (opened with
 * syscall_targets) and listen to it: the command's child, every target and
 * exit, the sampled stacks, a retune of the 1-in-N rate every 100 ms.
 * NULL with errno.
 */
struct syscalls_audit *syscalls_audit__open(struct session *s, const struct syscalls_audit_opts *o);
void syscalls_audit__free(struct syscalls_audit *a); /* accepts NULL */

/* Every process's table and every finding. 0 or -errno. */
int syscalls_audit__result(struct syscalls_audit *a, struct syscalls_result *r);
/* Sampled Python stacks weighted by calls / by kernel time (--latency). */
struct agg *syscalls_audit__calls(struct syscalls_audit *a);
struct agg *syscalls_audit__times(struct syscalls_audit *a);
/*
 * Start a new period (a long-running agent): drop the sampled stacks, call
 * sites and exited threads' counters read so far, and forget exited processes.
 */
void syscalls_audit__new_period(struct syscalls_audit *a);
/* Runs and run time of the syscall programs (kernel.bpf_stats_enabled=1, else 0). */
void syscalls_audit__prog_stats(const struct syscalls_audit *a, uint64_t *runs, uint64_t *run_ns);
/* "cost:" line: BPF ns per syscall (kernel.bpf_stats_enabled=1). */
void syscalls_audit__print_cost(const struct syscalls_audit *a);

#endif /* PYSTROBE_SYSCALLS_AUDIT_H */
