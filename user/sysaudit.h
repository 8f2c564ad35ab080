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
#include "agg.h"
#include "sys_report.h"

struct session;
struct target;
struct sysaudit;

struct sysaudit_opts {
	bool latency; /* sys_exit too: time, errors, bytes transferred */
	uint32_t sample_every; /* fixed N (1 in N syscalls sends its stack); 0: automatic */
	uint32_t stacks_per_s; /* automatic N aims at this many stacks per second per process */
};

#define SYSAUDIT_TUNE_MS 100 /* call sysaudit__on_tick at least this often */

/* Load and attach the syscall programs on session s (opened with syscall_targets). */
struct sysaudit *sysaudit__open(struct session *s, const struct sysaudit_opts *o);
void sysaudit__free(struct sysaudit *a); /* accepts NULL */

/* Hooks: a forked command (counted from its exec), a found Python, an exit, a record, a tick. */
void sysaudit__on_child(struct sysaudit *a, pid_t pid);
void sysaudit__on_add(struct sysaudit *a, struct target *t);
void sysaudit__on_exit(struct sysaudit *a, uint32_t pid);
int sysaudit__on_record(struct sysaudit *a, __u32 type, const void *data, size_t size);
void sysaudit__on_tick(struct sysaudit *a, uint64_t now_ns);

/* Every process's table and every finding. 0 or -errno. */
int sysaudit__result(struct sysaudit *a, struct sys_result *r);
/* Sampled Python stacks weighted by calls / by kernel time (--latency). */
struct agg *sysaudit__calls(struct sysaudit *a);
struct agg *sysaudit__times(struct sysaudit *a);
/*
 * Start a new period (a long-running agent): drop the sampled stacks, call
 * sites and exited threads' counters read so far, and forget exited processes.
 */
void sysaudit__new_period(struct sysaudit *a);
/* Runs and run time of the syscall programs (kernel.bpf_stats_enabled=1, else 0). */
void sysaudit__prog_stats(const struct sysaudit *a, uint64_t *runs, uint64_t *run_ns);
/* "cost:" line: BPF ns per syscall (kernel.bpf_stats_enabled=1). */
void sysaudit__print_cost(const struct sysaudit *a);

#endif /* PYSTROBE_SYSAUDIT_H */
