/* SPDX-License-Identifier: MIT */
/*
 * Loads bpf/sampler.bpf.c, attaches it to a cpu-clock perf event on every
 * CPU, and owns the one ring buffer every BPF program writes to: records
 * are dispatched by type to the handlers given at open.
 */
#ifndef PYSTROBE_SAMPLER_CTL_H
#define PYSTROBE_SAMPLER_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ps_common.h"
#include "ps_pystack.h" /* include/: the types shared with BPF */
#include "ps_procs.h"

struct sampler;

struct sampler_opts {
	unsigned freq_hz; /* samples per second per CPU; 0: no CPU sampling */
	unsigned max_frames; /* <= PS_MAX_FRAMES */
	size_t ringbuf_bytes; /* 0: sized from freq and CPUs */
	bool kernel_stack; /* --kernel: kernel stack of each sample (struct ps_xstack) */
	unsigned user_stack; /* --native: bytes of user stack copied per sample, 0: none */
};

/* Ring-buffer record handlers; a negative return stops the poll. */
struct sampler_handlers {
	int (*on_sample)(void *ctx, const struct ps_sample *s, size_t size);
	int (*on_symbol)(void *ctx, const struct ps_symbol *s, size_t size);
	int (*on_proc)(void *ctx, const struct ps_proc_event *e);
	/* any other record type (GIL events, GIL wait stacks, ...), size unchecked */
	int (*on_other)(void *ctx, __u32 type, const void *data, size_t size);
	void *ctx;
};

/* Open and load (not attach). NULL with errno; the reason is already reported. */
struct sampler *sampler__open(const struct sampler_opts *o, const struct sampler_handlers *h);
void sampler__free(struct sampler *s); /* accepts NULL */

/* Start sampling on every online CPU. 0 or -errno (reported). */
int sampler__attach(struct sampler *s);

/*
 * Draw a new sampling period (5-25 % off 1/freq) for every CPU and restart
 * each timer now: called about twice a second at random instants so that
 * periodic work cannot stay in step with the sampler. 0 or -errno.
 */
int sampler__rephase(struct sampler *s);

/* Map fds other BPF objects reuse so that all share one ring buffer, stats and procs. */
int sampler__events_fd(const struct sampler *s);
int sampler__stats_fd(const struct sampler *s);
int sampler__procs_fd(const struct sampler *s);
int sampler__tstates_fd(const struct sampler *s);
int sampler__codes_fd(const struct sampler *s);

/* Start / stop profiling process pid. 0 or -errno. */
int sampler__add_proc(struct sampler *s, uint32_t pid, const struct ps_proc *p);
int sampler__del_proc(struct sampler *s, uint32_t pid);

/* Wait up to timeout_ms for records and handle all queued ones. Count or -errno. */
int sampler__poll(struct sampler *s, int timeout_ms);

/* Run count and total run time of the sampler program (needs kernel.bpf_stats_enabled=1). */
int sampler__prog_stats(const struct sampler *s, uint64_t *run_cnt, uint64_t *run_time_ns);

/* The tid whose cached thread state in pid is tstate (seen by a sample). 0 or -ENOENT. */
int sampler__tid_of_tstate(const struct sampler *s, uint32_t pid, uint64_t tstate, uint32_t *tid);

/* Sum of the per-CPU loss counters. */
int sampler__stats(const struct sampler *s, uint64_t out[PS_STAT__COUNT]);

#endif /* PYSTROBE_SAMPLER_CTL_H */
