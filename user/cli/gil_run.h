/* SPDX-License-Identifier: MIT */
/* `pystrobe gil`: exact GIL hold / wait accounting per thread, with a cost guard. */
#ifndef PYSTROBE_GIL_RUN_H
#define PYSTROBE_GIL_RUN_H

#include <stdint.h>
#include "core/runner.h"

struct gil_opts {
	struct run_target target;
	unsigned freq_hz; /* CPU sampling (estimates, GIL state per sample) */
	uint64_t budget_events_s; /* probe hits per second per process before falling back */
	uint64_t wait_stack_min_ns; /* waits at least this long send their Python stack */
	const char *json_path; /* --json */
	const char *timeline_path; /* --timeline */
	const char *waits_path; /* -o: flame graph of where threads wait */
	const char *format; /* of waits_path: a report_find() name */
	const char *command_line;
};

/* Run; returns the process exit code. */
int gil_run(const struct gil_opts *o);

#endif /* PYSTROBE_GIL_RUN_H */
