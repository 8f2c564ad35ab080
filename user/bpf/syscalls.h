/* SPDX-License-Identifier: MIT */
/*
 * Loads bpf/syscalls.bpf.c (sharing the maps of bpf/maps.bpf.h: ring buffer,
 * counters, walker maps and the pid -> target array) and reads the
 * per-thread counters back: live threads through a pidfd, exited ones from
 * sys_done.
 */
#ifndef PYSTROBE_SYSCALLS_LOADER_H
#define PYSTROBE_SYSCALLS_LOADER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "ps_syscalls.h" /* include/: the types shared with BPF */

struct shared_maps;
struct syscalls;

/*
 * Open, share the maps of maps, load, attach. latency adds sys_exit (time,
 * errors, bytes done); paths counts calls per path (else the path code is not
 * loaded and sys_paths has one slot). NULL with errno.
 */
struct syscalls *syscalls__open(struct shared_maps *maps, bool latency, bool paths);
void syscalls__free(struct syscalls *m); /* accepts NULL */

/* One syscall in every (0: none) of pid sends its Python stack. 0 or -errno. */
int syscalls__set_sample_every(struct syscalls *m, pid_t pid, uint32_t every);

/* Counters of live thread tid (through a pidfd). 0, -ENOENT (no syscall counted) or -errno. */
int syscalls__thread(const struct syscalls *m, pid_t tid, struct ps_sys_task *t);
/* Counters of exited thread tid kept in sys_done. 0 or -errno (-ENOENT: none). */
int syscalls__done(const struct syscalls *m, uint32_t tid, struct ps_sys_task *t);

/* Call fn for every exited thread kept in sys_done. */
typedef int (*syscalls_done_fn)(uint32_t tid, const struct ps_sys_task *t, void *ctx);
int syscalls__each_done(const struct syscalls *m, syscalls_done_fn fn, void *ctx);
/*
 * Call fn (unless NULL) for every (process, syscall, path) counter; *full:
 * the table is full, so paths were recycled and counts are lower bounds.
 */
typedef int (*syscalls_path_fn)(const struct ps_sys_path_key *k, const struct ps_sys_path_val *v,
				void *ctx);
int syscalls__each_path(const struct syscalls *m, syscalls_path_fn fn, void *ctx, bool *full);
/* Delete every path counter (a new period). */
void syscalls__clear_paths(struct syscalls *m);
/* Forget an exited process's sampling rate (its sys_procs slot). */
void syscalls__forget(struct syscalls *m, pid_t pid);
/* Delete the counters of every exited thread (read them first). */
void syscalls__clear_done(struct syscalls *m);

/* BPF run time of the enter / exit programs (kernel.bpf_stats_enabled=1). */
void syscalls__prog_stats(const struct syscalls *m, uint64_t *runs, uint64_t *run_ns);

#endif /* PYSTROBE_SYSCALLS_LOADER_H */
