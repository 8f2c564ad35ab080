/* SPDX-License-Identifier: MIT */
/*
 * The GIL report: per process and thread, time holding, waiting and
 * released, acquisitions, forced switches, mean and p99 wait, and a
 * plain-language diagnosis. Written as text, as JSON (schema
 * "pystrobe-gil/1", docs/gil-json.md) and as a Chrome trace timeline.
 */
#ifndef PYSTROBE_GIL_REPORT_H
#define PYSTROBE_GIL_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "core/run_stats.h"
#include "gil/gil_accuracy.h"

#define GIL_SCHEMA "pystrobe-gil/1"
#define GIL_PROBE_SHARE_MAX 0.05 /* exact: probes costing more of a CPU than this are said */

/* How a process's numbers were obtained. */
enum gil_mode {
	GIL_EXACT = 0, /* uprobes on take_gil / drop_gil */
	GIL_ESTIMATED, /* looks at holder and waiters per tick, else CPU samples (held only) */
	GIL_NO_GIL, /* free-threaded build */
};

struct gil_thread_row {
	uint32_t tid;
	char name[64]; /* Python's thread name, else the OS one (comm) */
	bool name_python; /* name is threading.Thread's (JSON thread_name_source) */
	uint64_t wall_ns; /* time observed: the run, from the thread's first event */
	uint64_t held_ns;
	uint64_t wait_ns; /* 0 and unknown when estimated */
	uint64_t acquisitions;
	uint64_t drop_requests; /* waits longer than the switch interval */
	uint64_t missed_releases;
	uint64_t mean_wait_ns, p99_wait_ns;
	uint64_t samples, samples_held; /* CPU samples (estimates) */
	bool since_attach; /* older than the probes: counted from attach, not from birth */
	bool wait_estimated; /* estimated: held and wait from the per-tick looks (gil_estimate.h) */
	uint64_t est_held_ns, est_wait_ns; /* the estimate, also beside exact numbers */
	uint64_t est_looks; /* looks the estimate rests on (0: none) */
	char where[160]; /* a dominant holder: its hottest line while holding, "" if unknown */
};

struct gil_proc_row {
	uint32_t pid;
	char label[64];
	char python[24];
	enum gil_mode mode;
	char reason[192]; /* why estimated / no GIL; "" when exact */
	uint64_t switch_interval_ns;
	double peak_events_per_s; /* probe hits, for the cost guard */
	double probe_cpu_share; /* exact: CPU the probes add at peak, share of one CPU */
	double est_looks_per_s; /* the estimate's looks per second at this process */
	enum gil_build_style style; /* what the accuracy line says */
	uint64_t traced_from_ns; /* exact: probes attached this long after the run began */
	struct gil_thread_row *threads; /* by tid */
	size_t nr_threads;
};

struct gil_result {
	struct gil_proc_row *procs; /* by pid */
	size_t nr_procs;
	uint64_t duration_ns;
	char diagnosis[1024];
};

void gil_result_free(struct gil_result *r);

/* Fill r->diagnosis from the rows (contention, no bottleneck, or in between). */
void gil_diagnose(struct gil_result *r);

/* The human report (fits 80 columns). */
void gil_write_text(FILE *f, const struct gil_result *r, const struct run_stats *rs);
/* The same as JSON. 0 or -errno. */
int gil_write_json(FILE *f, const struct gil_result *r, const struct run_stats *rs);

/* p99 of a wait histogram (include/ps_gil.h buckets), in ns. */
uint64_t gil_hist_p99(const uint32_t *hist, size_t nr);

#endif /* PYSTROBE_GIL_REPORT_H */
