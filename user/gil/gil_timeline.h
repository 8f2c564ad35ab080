/* SPDX-License-Identifier: MIT */
/*
 * GIL timeline: per thread, the intervals it waited for and held the GIL,
 * rebuilt from the BPF transition events, written as Chrome trace-event JSON
 * (opens in Perfetto UI and chrome://tracing).
 */
#ifndef PYSTROBE_GIL_TIMELINE_H
#define PYSTROBE_GIL_TIMELINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "ps_gil.h"
#include "lib/hashmap.h"

#define GIL_TIMELINE_MAX 2000000 /* intervals kept; later ones are counted, not kept */

struct gil_interval {
	uint32_t pid, tid;
	uint64_t begin_ns, end_ns; /* CLOCK_MONOTONIC */
	uint8_t holding; /* 1 held, 0 waiting */
};

struct gil_timeline {
	struct gil_interval *iv;
	size_t nr, cap;
	uint64_t nr_dropped; /* intervals beyond GIL_TIMELINE_MAX */
	uint64_t nr_malformed; /* events out of order for their thread */
	struct hashmap open; /* tid -> the thread's open interval */
};

void gil_timeline_init(struct gil_timeline *tl);
void gil_timeline_free(struct gil_timeline *tl);

/* Feed one event (struct ps_gil_event). 0 or -ENOMEM. */
int gil_timeline_add(struct gil_timeline *tl, const struct ps_gil_event *e);

/* Close open intervals at end_ns and write the trace; names: tid -> thread name. */
typedef const char *(*gil_thread_name_fn)(void *ctx, uint32_t pid, uint32_t tid);
int gil_timeline_write(FILE *f, struct gil_timeline *tl, uint64_t start_ns, uint64_t end_ns,
		       gil_thread_name_fn name, void *ctx);

#endif /* PYSTROBE_GIL_TIMELINE_H */
