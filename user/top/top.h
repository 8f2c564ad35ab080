/* SPDX-License-Identifier: MIT */
/*
 * `pystrobe top`: a live view of where the targets spend CPU, refreshed every
 * interval from the samples since the last refresh (or since the start).
 */
#ifndef PYSTROBE_TOP_H
#define PYSTROBE_TOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/runner.h"

struct top_opts {
	struct run_target target;
	unsigned freq_hz;
	unsigned interval_ms; /* refresh period */
	bool no_syscalls; /* do not attach the syscall audit */
	bool no_gil; /* do not attach the GIL audit (no GIL-WAIT%) */
	bool wall; /* load the off-CPU program: the wall view (key w), shown first */
	const char *command_line;
};

/* Run top; returns the process exit code (0 ok, 1 runtime failure). */
int top_run(const struct top_opts *o);

#endif /* PYSTROBE_TOP_H */
