/* SPDX-License-Identifier: MIT */
/* `pystrobe syscalls`: a syscall audit of the targets, attributed to Python lines. */
#ifndef PYSTROBE_SYS_RUN_H
#define PYSTROBE_SYS_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include "core/runner.h"

struct syscalls_opts {
	struct run_target target;
	bool latency; /* --latency: sys_exit too (time, errors, bytes done) */
	uint32_t sample_every; /* fixed N (1 in N syscalls sends its stack); 0: automatic */
	uint32_t stacks_per_s; /* automatic N aims at this many stacks per second per process */
	const char *json_path; /* --json */
	const char *graph_path; /* -o: flame graph weighted by syscall time (or calls) */
	const char *format; /* of -o */
	const char *command_line;
};

/* Run; returns the process exit code. */
int syscalls_run(const struct syscalls_opts *o);

#endif /* PYSTROBE_SYS_RUN_H */
