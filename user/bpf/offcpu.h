/* SPDX-License-Identifier: MIT */
/*
 * Loads bpf/offcpu.bpf.c (the sched_switch program of --wall, sharing the
 * maps of bpf/maps.bpf.h) and reads its in-kernel totals back.
 */
#ifndef PYSTROBE_OFFCPU_LOADER_H
#define PYSTROBE_OFFCPU_LOADER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "ps_offcpu.h" /* include/: the types shared with BPF */

struct shared_maps;
struct offcpu;

/*
 * Open with the syscall table (enum ps_sys_wait per number) and the run's
 * start (CLOCK_MONOTONIC ns), share the maps, load, attach.
 */
struct offcpu *offcpu__open(struct shared_maps *maps, const uint8_t sys_class[PS_OFFCPU_SYS_MAX],
			    uint64_t start_ns);
void offcpu__free(struct offcpu *m); /* accepts NULL */

/* Time pid's threads (on) or not: the filter of every switch. 0 or -errno. */
int offcpu__set_target(struct offcpu *m, pid_t pid, bool on);
/* Where pid's GIL struct is (<= 3.11); 0 or -errno. */
int offcpu__set_gil(struct offcpu *m, pid_t pid, uint64_t gil_addr);
void offcpu__forget(struct offcpu *m, pid_t pid); /* not a target, no GIL address */
/* Time 1 in every `every` switch-outs of target threads (1: all). */
void offcpu__set_every(struct offcpu *m, uint32_t every);

typedef int (*offcpu_time_fn)(const struct ps_offcpu_key *k, const struct ps_offcpu_val *v,
			      void *ctx);
typedef int (*offcpu_open_fn)(const struct ps_offcpu_open *o, void *ctx);
/* Call fn for every (thread, stack, reason) bucket; stops at fn's first non-zero. */
int offcpu__each_time(const struct offcpu *m, offcpu_time_fn fn, void *ctx);
/* Delete the in-kernel totals of every pid gone() says is gone. 0 or -ENOMEM. */
int offcpu__drop_pids(struct offcpu *m, bool (*gone)(uint32_t pid, void *ctx), void *ctx);
typedef int (*offcpu_cpu_fn)(uint32_t tid, const struct ps_offcpu_cpu *c, void *ctx);
/* Call fn for every target thread's CPU time. */
int offcpu__each_cpu(const struct offcpu *m, offcpu_cpu_fn fn, void *ctx);
/* Call fn for every interval still open (start_ns != 0). */
int offcpu__each_open(const struct offcpu *m, offcpu_open_fn fn, void *ctx);

/* Switch-outs of target threads so far (PS_STAT_OFFCPU_SWITCHES, all CPUs). */
uint64_t offcpu__nr_switches(const struct offcpu *m);
/* Timed switch-outs that reused the thread's last stack (no walk). */
uint64_t offcpu__nr_same_place(const struct offcpu *m);

/* BPF run time of the sched_switch program (kernel.bpf_stats_enabled=1). */
void offcpu__prog_stats(const struct offcpu *m, uint64_t *runs, uint64_t *run_ns);

#endif /* PYSTROBE_OFFCPU_LOADER_H */
