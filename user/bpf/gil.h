/* SPDX-License-Identifier: MIT */
/*
 * Loads bpf/gil.bpf.c (sharing the maps of bpf/maps.bpf.h: ring buffer,
 * counters, process and thread-state maps) and attaches its uprobes to one
 * process at a time, so the cost guard can detach a process whose GIL is
 * too busy to trace.
 */
#ifndef PYSTROBE_GIL_LOADER_H
#define PYSTROBE_GIL_LOADER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "ps_gil.h" /* include/: the types shared with BPF */
#include "python/gil_sites.h"

struct shared_maps;
struct gil;

/*
 * Open and load, sharing the maps of bpf/maps.bpf.h through m; NULL with
 * errno (reported). wait_stacks: PS_GIL_WAIT_STACKS may be set (else the
 * stack walk is not loaded); max_threads: room for this many threads (0:
 * PS_GIL_MAX_THREADS; an LRU map is filled at creation).
 */
struct gil *gil__open(struct shared_maps *m, bool wait_stacks, uint32_t max_threads);
void gil__free(struct gil *g); /* accepts NULL; detaches everything */

/*
 * Account pid's GIL: attach every site of its runtime ELF (opened through
 * elf_path, e.g. /proc/PID/map_files/...) for this pid only. 0 or -errno.
 */
int gil__attach(struct gil *g, pid_t pid, const char *elf_path, const struct gil_sites *sites,
		const struct ps_gil_proc *settings);
/* Stop: remove pid's probes (its thread totals stay in the map). */
void gil__detach(struct gil *g, pid_t pid);

/*
 * tid of pid held the GIL at attach_ns and has had no GIL event since (a
 * thread that never releases it produces none): account it as holding from
 * then. No-op (-EEXIST) if the thread already has events. 0 or -errno.
 */
int gil__seed_holder(struct gil *g, pid_t pid, uint32_t tid, uint64_t attach_ns);

/* Probe hits of pid so far (for the cost guard). 0 or -errno. */
int gil__events(const struct gil *g, pid_t pid, uint64_t *events);

/* Runs and run time of the GIL probe programs (kernel.bpf_stats_enabled=1). */
void gil__prog_stats(const struct gil *g, uint64_t *runs, uint64_t *run_ns);

/* Call fn for every accounted thread; stops on non-zero. */
typedef int (*gil_thread_fn)(uint32_t tid, const struct ps_gil_thread *t, void *ctx);
int gil__each_thread(const struct gil *g, gil_thread_fn fn, void *ctx);

#endif /* PYSTROBE_GIL_LOADER_H */
