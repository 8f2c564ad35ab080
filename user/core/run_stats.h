/* SPDX-License-Identifier: MIT */
/* Everything a run counts, for the summary and the provenance lines of every output. */
#ifndef PYSTROBE_RUN_STATS_H
#define PYSTROBE_RUN_STATS_H

#include <stddef.h>
#include <stdint.h>
#include "ps_common.h"

/* How the `-- CMD` child ended (run_stats.child_end). */
enum run_child_end {
	RUN_CHILD_NONE = 0, /* no command, or it still runs */
	RUN_CHILD_EXITED, /* it ended by itself: pystrobe exits with its status */
	RUN_CHILD_STOPPED, /* pystrobe stopped it at -d or Ctrl-C (child_stop_sig) */
	RUN_CHILD_LEFT, /* --detach: left running */
};

#define RUN_NOTES_MAX 32 /* processes named in the summary; more are counted only */

struct run_stats {
	const char *command; /* the command line, for provenance */
	char started[32]; /* ISO 8601 start time */
	double duration_s;
	uint64_t start_ns; /* CLOCK_MONOTONIC at the start (the clock BPF stamps with) */
	unsigned freq_hz;
	uint64_t bpf[PS_STAT__COUNT]; /* BPF counters, summed over CPUs */
	uint64_t nr_samples; /* sample records received */
	uint64_t nr_malformed; /* records with inconsistent sizes */
	uint64_t nr_procs; /* Python processes profiled */
	uint64_t nr_unsupported; /* Python processes skipped: version without a layout */
	uint64_t nr_vanished; /* processes that exited before they could be examined */
	uint64_t nr_bpf_full; /* processes not profiled: procs map full */
	uint64_t nr_gil_filtered; /* samples left out by record --gil (GIL not held or unknown) */
	char notes[RUN_NOTES_MAX][128]; /* "pid 42: CPython 3.14.0 not yet supported" */
	size_t nr_notes;
	int child_status; /* `-- CMD` exit status (wait status), -1 if none */
	int child_end; /* enum run_child_end */
	int child_stop_sig; /* RUN_CHILD_STOPPED: the last signal it was sent */
	int child_pid; /* the command's pid (RUN_CHILD_LEFT: still running) */
	/* what pystrobe itself cost */
	int bpf_stats_enabled; /* kernel.bpf_stats_enabled was 1 */
	uint64_t bpf_run_cnt; /* sampler program runs (every tick, any process) */
	uint64_t bpf_run_ns; /* total run time of those runs */
	uint64_t cpu_setup_ns; /* pystrobe's CPU to load BPF and find the targets */
	uint64_t cpu_loop_ns; /* ... while sampling (the steady-state cost) */
	uint64_t cpu_report_ns; /* ... to symbolize and write the output */
	uint64_t peak_rss_kb; /* pystrobe's peak RSS */
};

/* Add a note (dropped silently past RUN_NOTES_MAX; the counters still count). */
void run_stats_note(struct run_stats *rs, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * "cost: WHAT ran N times, M ns each in BPF" on stderr (an info line), when
 * the kernel counted run time (kernel.bpf_stats_enabled=1) and runs > 0.
 */
void run_stats_print_bpf_cost(const struct run_stats *rs, const char *what, uint64_t runs,
			      uint64_t run_ns);

#endif /* PYSTROBE_RUN_STATS_H */
