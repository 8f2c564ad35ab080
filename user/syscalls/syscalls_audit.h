/* SPDX-License-Identifier: MIT */
/*
 * The syscall audit, usable by any command (`syscalls`, `record --syscalls`,
 * `top`): the command's session and runner hooks call these.
 */
#ifndef PYSTROBE_SYSAUDIT_H
#define PYSTROBE_SYSAUDIT_H

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
};

#define SYSCALLS_AUDIT_TUNE_MS 100 /* call syscalls_audit__on_tick at least this often */

/* Load and attach the syscall programs on session s (opened with syscall_targets). */
struct syscalls_audit *syscalls_audit__open(struct session *s, const struct syscalls_audit_opts *o);
void syscalls_audit__free(struct syscalls_audit *a); /* accepts NULL */

/* Hooks: a forked command (counted from its exec), a found Python, an exit, a record, a tick. */
void syscalls_audit__on_child(struct syscalls_audit *a, pid_t pid);
void syscalls_audit__on_add(struct syscalls_audit *a, struct target *t);
void syscalls_audit__on_exit(struct syscalls_audit *a, uint32_t pid);
int syscalls_audit__on_record(struct syscalls_audit *a, __u32 type, const void *data, size_t size);
void syscalls_audit__on_tick(struct syscalls_audit *a, uint64_t now_ns);

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

#endif /* PYSTROBE_SYSAUDIT_H */
