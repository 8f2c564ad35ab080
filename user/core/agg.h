/* SPDX-License-Identifier: MIT */
/*
 * Raw stack aggregation: identical (process, thread, flags, frames) samples
 * are counted once. Symbolization waits for the report, so a sample that
 * arrives before its symbol record (another CPU) loses nothing.
 */
#ifndef PYSTROBE_AGG_H
#define PYSTROBE_AGG_H

#include <stddef.h>
#include <stdint.h>
#include "lib/hashmap.h"
#include "ps_pystack.h"

/* Sample flags that make stacks distinct. */
#define AGG_KEY_FLAGS                                                                            \
	(PS_SAMPLE_TRUNCATED | PS_SAMPLE_UNREADABLE | PS_SAMPLE_NO_TSTATE | PS_SAMPLE_GIL_HELD | \
	 PS_SAMPLE_GIL_KNOWN)

struct raw_stack {
	uint64_t hash;
	uint64_t count; /* sum of the records' weights (samples, or ns) */
	uint32_t pid, gen, tid;
	uint32_t flags; /* AGG_KEY_FLAGS bits */
	uint32_t nr_frames;
	struct ps_frame frames[]; /* leaf first, pad bytes zeroed */
};

/* The last name seen for a thread, and its samples by GIL state. */
struct thread_name {
	uint32_t pid, tid;
	char comm[PS_COMM_LEN];
	uint64_t nr_samples; /* records of this thread */
	uint64_t nr_gil_held; /* ... whose thread held the GIL */
	uint64_t nr_gil_known; /* ... whose GIL state could be read */
};

struct agg {
	struct hashmap stacks; /* struct raw_stack */
	struct hashmap threads; /* struct thread_name by tid */
	uint64_t nr_samples;
	uint64_t nr_malformed; /* records whose size disagreed with nr_frames */
};

void agg_init(struct agg *a);
void agg_free(struct agg *a);

/*
 * Count one stack record of size bytes with its weight (1 when 0).
 * 0, -EINVAL (malformed, counted) or -ENOMEM.
 */
int agg_add(struct agg *a, const struct ps_sample *s, size_t size);

/*
 * Add src's stacks and thread counters to dst (only pid's when pid is not 0),
 * e.g. an interval into a running total. 0 or -ENOMEM.
 */
int agg_merge(struct agg *dst, const struct agg *src, uint32_t pid);

/* Name of thread tid ("?" if never seen). */
const char *agg_thread_name(const struct agg *a, uint32_t tid);
/* The thread entry of tid, or NULL. */
const struct thread_name *agg_thread(const struct agg *a, uint32_t tid);

#endif /* PYSTROBE_AGG_H */
