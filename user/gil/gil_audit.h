/* SPDX-License-Identifier: MIT */
/*
 * The GIL audit, a session listener any command can add (`gil`, `top`,
 * `agent`): per process, a pre-check of the I/O rate, the GIL probes
 * attached, a cost guard that detaches a process whose GIL is too busy
 * (its numbers then estimated from samples, with the reason), the thread
 * that held the GIL since before attach; at any time, per-thread totals.
 */
#ifndef PYSTROBE_GIL_AUDIT_H
#define PYSTROBE_GIL_AUDIT_H

#include <stdbool.h>
#include <stdint.h>
#include "core/agg.h"
#include "gil/gil_report.h"
#include "gil/gil_timeline.h"

struct session;
struct gil_audit;

struct gil_audit_opts {
	uint64_t budget_events_s; /* probe hits per second per process before falling back */
	bool wait_stacks; /* PS_REC_GIL_WAIT: the Python stack of each long wait */
	uint64_t wait_stack_min_ns; /* with wait_stacks: waits at least this long */
	bool timeline; /* PS_REC_GIL_EVENT: every acquisition and release */
	bool estimate_exact; /* also estimate exactly traced processes (the estimate's error) */
	bool attach_cmd_at_once; /* `gil -- CMD`: its processes get probes when found, no pre-check */
	uint32_t max_threads; /* threads accounted at once (LRU); 0: PS_GIL_MAX_THREADS */
};

/*
 * Load the GIL programs on session s and listen to it: every target is
 * pre-checked, then attached; the cost guard runs every 50 ms. NULL with errno.
 */
struct gil_audit *gil_audit__open(struct session *s, const struct gil_audit_opts *o);
void gil_audit__free(struct gil_audit *a); /* accepts NULL; detaches everything */

/*
 * Every process's rows from the session's start to end_ns (a process or
 * thread that ended earlier stops there), the diagnosis filled. 0 or -errno;
 * free r with gil_result_free.
 */
int gil_audit__result(struct gil_audit *a, uint64_t end_ns, struct gil_result *r);
/* Wait stacks weighted by nanoseconds waited (wait_stacks). */
struct agg *gil_audit__waits(struct gil_audit *a);
/* Acquisitions and releases (timeline). */
struct gil_timeline *gil_audit__timeline(struct gil_audit *a);
/* Start a new period (a long-running agent): drop the wait stacks, forget exited processes. */
void gil_audit__new_period(struct gil_audit *a);
/* Runs and run time of the GIL probes (kernel.bpf_stats_enabled=1, else 0). */
void gil_audit__prog_stats(const struct gil_audit *a, uint64_t *runs, uint64_t *run_ns);
/* "cost:" line: BPF ns per probe hit (kernel.bpf_stats_enabled=1). */
void gil_audit__print_cost(const struct gil_audit *a);

#endif /* PYSTROBE_GIL_AUDIT_H */
