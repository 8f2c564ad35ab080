/* SPDX-License-Identifier: MIT */
/* `pystrobe record`: sample CPU stacks of the targets, write a profile and a summary. */
#ifndef PYSTROBE_RECORD_H
#define PYSTROBE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include "core/runner.h"

struct record_opts {
	struct run_target target;
	unsigned freq_hz;
	unsigned max_frames;
	size_t ringbuf_bytes; /* 0: automatic */
	const char *output; /* NULL: a name made from the time */
	const char *format; /* "flamegraph" or "folded" */
	const char *summary_path; /* NULL: stderr */
	bool threads;
	bool gil_only; /* --gil: keep only samples whose thread held the GIL */
	bool merge; /* --merge: processes with the same command line share one root */
	bool split_gil; /* --split-gil: a GIL-state level in the flame graph */
	bool syscalls; /* --syscalls: count syscalls too and report them after the summary */
	bool kernel; /* --kernel: kernel frames on top of the stacks */
	bool native; /* --native: native frames interleaved with the Python frames */
	bool wall; /* --wall: off-CPU time too, a wall-clock profile in ns */
	bool async; /* --async: samples under their running asyncio task */
	bool no_idle; /* --no-idle: without the off-CPU time of threads idle the whole run */
	unsigned native_bytes; /* user stack bytes copied per sample under --native */
	double native_budget_pct; /* share of a core --native may spend unwinding (0: no limit) */
	const char *command_line; /* for provenance */
};

/* Run a recording; returns the process exit code (0 ok, 1 runtime failure). */
int record_run(const struct record_opts *o);

#endif /* PYSTROBE_RECORD_H */
