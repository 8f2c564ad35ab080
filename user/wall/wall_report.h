/* SPDX-License-Identifier: MIT */
/*
 * The wall-clock profile of record --wall: CPU samples (each worth the
 * sampling period, under a [CPU] leaf) joined with the exact off-CPU
 * buckets (under their reason's leaf), and the per-thread summary: the
 * share of each thread's time running, runnable, waiting for the GIL, a
 * lock, a sleep, I/O or the disk, with the top Python line of each.
 */
#ifndef PYSTROBE_WALL_REPORT_H
#define PYSTROBE_WALL_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "core/agg.h"

struct wall;
struct hashmap;
struct session;

/* --no-idle: a thread on CPU less than this % of its time was idle the whole run */
#define WALL_IDLE_CPU_PCT 1

struct wall_report_opts {
	uint64_t period_ns; /* what one CPU sample is worth */
	bool no_idle; /* --no-idle: drop the off-CPU time of idle threads (WALL_IDLE_CPU_PCT) */
	const struct agg *cpu; /* the CPU samples; NULL: the session's (the whole run) */
	const struct hashmap *buckets; /* the off-CPU buckets; NULL: the run's (after the end) */
	const struct agg *extra; /* stacks already in ns, added as they are (--async: the
				  * suspended tasks, WALL_AWAIT_FRAME leaves); NULL: none */
	bool part; /* cpu is a part of the run (top, the agent): each sample is worth period_ns,
		    * not a share of the kernel's exact CPU time, which is the whole run's */
};

/* Fill out (agg_init'd) with the wall stacks, weights in ns. 0 or -ENOMEM. */
int wall_build_agg(const struct wall *w, struct session *s, const struct wall_report_opts *o,
		   struct agg *out);

/* The per-thread table of wall (from wall_build_agg), after the summary. 0 or -ENOMEM. */
int wall_write_text(FILE *f, const struct agg *wall, struct session *s);

#endif /* PYSTROBE_WALL_REPORT_H */
