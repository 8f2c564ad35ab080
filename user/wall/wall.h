/* SPDX-License-Identifier: MIT */
/*
 * record --wall: the off-CPU side of a wall-clock profile, as a session
 * listener. It loads the sched_switch program, keeps each off-CPU stack the
 * first time BPF sends it, guards the cost (1-in-N switches above a rate)
 * and at the end reads the in-kernel totals, closing intervals still open.
 * wall_report.c joins them with the CPU samples.
 */
#ifndef PYSTROBE_WALL_H
#define PYSTROBE_WALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/hashmap.h"
#include "ps_offcpu.h"
#include "ps_pystack.h"

struct session;
struct offcpu;

/* Above this many target switch-outs per second, only 1 in N is timed (scaled by N). */
#define WALL_MAX_SWITCHES_PER_S 20000

struct wall_opts {
	uint64_t max_switches_per_s; /* 0: WALL_MAX_SWITCHES_PER_S */
};

/* One off-CPU bucket after the run: in-kernel total plus the interval left open. */
struct wall_bucket {
	struct ps_offcpu_key key;
	uint64_t ns;
	uint64_t nr_intervals;
};

struct wall {
	struct session *s;
	struct offcpu *bpf;
	struct hashmap stacks; /* struct wall_stack by stack id */
	struct hashmap buckets; /* struct wall_bucket by key, after on_finish */
	struct hashmap cpus; /* struct wall_cpu by tid, after on_finish */
	uint64_t max_rate;
	uint32_t every; /* 1 in every switch-outs timed */
	uint64_t guard_ns, guard_switches; /* the cost guard's last look */
	uint64_t nr_stacks_malformed;
};

/* A stack BPF sent (a PS_REC_OFFCPU_STACK record, copied whole). */
struct wall_stack {
	uint64_t id;
	size_t size;
	struct ps_sample smp; /* then its frames */
};

/* A target thread's exact CPU time in the run (the kernel's count). */
struct wall_cpu {
	uint32_t tid;
	uint64_t ns;
};

/* Load the program and register the listener. NULL with errno (reported). */
struct wall *wall__open(struct session *s, const struct wall_opts *o);
void wall__free(struct wall *w); /* accepts NULL */

/* Thread tid's exact CPU time in the run; 0 unknown. */
uint64_t wall__cpu_ns(const struct wall *w, uint32_t tid);

/* The stack BPF sent under id, or NULL (lost: ring buffer full). */
const struct wall_stack *wall__stack(const struct wall *w, uint64_t id);

/*
 * Add the in-kernel totals so far, and the intervals still open up to
 * now_ns, to into (struct wall_bucket by key): a cumulative reading, for a
 * live view between runs' ends. 0 or -errno.
 */
int wall__read(const struct wall *w, uint64_t now_ns, struct hashmap *into);

/*
 * Forget processes gone() says are gone: their stacks and in-kernel totals
 * (the agent, after each period: memory and map entries follow the live
 * processes). 0 or -ENOMEM.
 */
int wall__prune(struct wall *w, bool (*gone)(uint32_t pid, void *ctx), void *ctx);

/* The bucket of k in buckets, or NULL. */
struct wall_bucket *wall_bucket_find(const struct hashmap *buckets, const struct ps_offcpu_key *k);
/* Add ns and nr intervals to the bucket of k (made when new). 0 or -ENOMEM. */
int wall_bucket_add(struct hashmap *buckets, const struct ps_offcpu_key *k, uint64_t ns,
		    uint64_t nr);
/* Free every bucket and the map (empty and usable after). */
void wall_buckets_free(struct hashmap *buckets);

#endif /* PYSTROBE_WALL_H */
