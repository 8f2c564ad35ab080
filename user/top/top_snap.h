/* SPDX-License-Identifier: MIT */
/*
 * One snapshot of `pystrobe top`: the rows, processes and counters of a
 * refresh, built from the samples of an interval (or since the start).
 */
#ifndef PYSTROBE_TOP_SNAP_H
#define PYSTROBE_TOP_SNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/agg.h"
#include "top/top_view.h"

struct session;
struct syscalls_audit;
struct gil_audit;

/* Syscall totals per pid at the last refresh, for rates. */
struct top_sys_prev {
	uint32_t pid;
	uint64_t calls; /* total at the last reading */
	double per_s; /* rate over the last interval */
};

/* GIL hold and wait totals per pid at the last refresh, for the interval's share. */
struct top_gil_prev {
	uint32_t pid;
	enum top_wait state; /* of the last reading */
	uint64_t wait_ns, busy_ns; /* waited, and held + waited, summed over its threads */
	double pct; /* wait share over the last interval */
};

/* What a snapshot is built from. */
struct top_snap_in {
	struct session *s;
	struct syscalls_audit *audit; /* NULL: no syscall column */
	const struct agg *src; /* the interval's or the cumulative samples */
	const struct agg *sys_src; /* the audit's syscall stacks of the same span, or NULL */
	double span_s; /* time src covers */
	struct top_sys_prev *sys_prev; /* updated when update_sys */
	size_t *nr_sys_prev;
	double sys_span_s; /* time since the last syscall reading */
	bool update_sys; /* read the syscall and GIL counters now (a refresh, not a key) */
	struct gil_audit *gil; /* NULL: no GIL-wait column */
	struct top_gil_prev *gil_prev; /* updated when update_sys */
	size_t *nr_gil_prev;
	size_t gil_prev_max; /* gil_prev's room; more processes get no GIL-wait */
};

/* Fill m's rows, processes and counters from in (m->filter_pid honoured). 0 or -errno. */
int top_snap_build(struct top_model *m, const struct top_snap_in *in);
/* Free what top_snap_build allocated in m. */
void top_snap_free(struct top_model *m);

#endif /* PYSTROBE_TOP_SNAP_H */
