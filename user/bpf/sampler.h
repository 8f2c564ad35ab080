/* SPDX-License-Identifier: MIT */
/*
 * Loads bpf/sampler.bpf.c, the CPU sampler: attaches it to a cpu-clock perf
 * event on every CPU, re-draws the sampling periods, and keeps the procs map
 * (which processes are sampled). Its records are read by core/events.c.
 */
#ifndef PYSTROBE_SAMPLER_H
#define PYSTROBE_SAMPLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ps_common.h"
#include "ps_pystack.h" /* include/: the types shared with BPF */

struct sampler;
struct shared_maps;

struct sampler_opts {
	unsigned freq_hz; /* samples per second per CPU; 0: no CPU sampling */
	unsigned max_frames; /* <= PS_MAX_FRAMES */
	size_t ringbuf_bytes; /* 0: sized from freq and CPUs */
	bool kernel_stack; /* --kernel: kernel stack of each sample (struct ps_xstack) */
	unsigned user_stack; /* --native: bytes of user stack copied per sample, 0: none */
	bool async_roots; /* --async: each sample's rootmost coroutine frame (struct ps_async) */
};

/*
 * Open and load (not attach), sharing the maps of bpf/maps.bpf.h through m
 * (and sizing the ring buffer for o). NULL with errno; the reason is
 * already reported.
 */
struct sampler *sampler__open(const struct sampler_opts *o, struct shared_maps *m);
void sampler__free(struct sampler *s); /* accepts NULL */

/* Start sampling on every online CPU. 0 or -errno (reported). */
int sampler__attach(struct sampler *s);

/*
 * Draw a new sampling period (5-25 % off 1/freq) for every CPU and restart
 * each timer now: called about twice a second at random instants so that
 * periodic work cannot stay in step with the sampler. 0 or -errno.
 */
int sampler__rephase(struct sampler *s);

/* Start / stop profiling process pid. 0 or -errno. */
int sampler__add_proc(struct sampler *s, uint32_t pid, const struct ps_proc *p);
int sampler__del_proc(struct sampler *s, uint32_t pid);

/* Run count and total run time of the sampler program (needs kernel.bpf_stats_enabled=1). */
int sampler__prog_stats(const struct sampler *s, uint64_t *run_cnt, uint64_t *run_time_ns);

/* The tid whose cached thread state in pid is tstate (seen by a sample). 0 or -ENOENT. */
int sampler__tid_of_tstate(const struct sampler *s, uint32_t pid, uint64_t tstate, uint32_t *tid);

/* Sum of the per-CPU loss counters (of every BPF object: the map is shared). */
int sampler__stats(const struct sampler *s, uint64_t out[PS_STAT__COUNT]);

#endif /* PYSTROBE_SAMPLER_H */
