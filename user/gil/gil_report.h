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

/* How a process's numbers were obtained. */
enum gil_mode {
	GIL_EXACT = 0, /* uprobes on take_gil / drop_gil */
	GIL_ESTIMATED, /* from the GIL state of CPU samples: held only */
	GIL_NO_GIL, /* free-threaded build */
};

struct gil_thread_row {
	uint32_t tid;
	char name[16];
	uint64_t wall_ns; /* time observed: the run, from the thread's first event */
	uint64_t held_ns;
	uint64_t wait_ns; /* 0 and unknown when estimated */
	uint64_t acquisitions;
	uint64_t drop_requests; /* waits longer than the switch interval */
	uint64_t missed_releases;
	uint64_t mean_wait_ns, p99_wait_ns;
	uint64_t samples, samples_held; /* CPU samples (estimates) */
	bool since_attach; /* older than the probes: counted from attach, not from birth */
};

struct gil_proc_row {
	uint32_t pid;
	char label[64];
	char python[24];
	enum gil_mode mode;
	char reason[192]; /* why estimated / no GIL; "" when exact */
	uint64_t switch_interval_ns;
	double peak_events_per_s; /* probe hits, for the cost guard */
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
