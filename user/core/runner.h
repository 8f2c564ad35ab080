/* SPDX-License-Identifier: MIT */
/*
 * What every profiling command shares after its session is open: which
 * processes to profile (-p, --all, -- CMD, and -d), starting the command
 * once sampling runs, the poll loop until Ctrl-C, -d, the command's exit or
 * the end of every -p target, and the end-of-run bookkeeping.
 */
#ifndef PYSTROBE_RUNNER_H
#define PYSTROBE_RUNNER_H

#include <argp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct session;

enum run_mode {
	RUN_PIDS = 0, /* -p PID[,PID..] */
	RUN_ALL, /* --all */
	RUN_CMD, /* -- CMD ARGS */
};

#define RUN_MAX_PIDS 1024 /* -p values */

/* The target options of a command (filled by runner_argp, checked by runner_check). */
struct run_target {
	enum run_mode mode; /* set by runner_check */
	pid_t pids[RUN_MAX_PIDS];
	size_t nr_pids;
	bool all; /* --all */
	char **cmd; /* argv of the command, or NULL */
	unsigned duration_s; /* 0: until Ctrl-C, the command exits or every pid exits */
};

/* Called on every loop iteration, e.g. for a cost guard. */
struct runner_hooks {
	void (*on_tick)(void *ctx, uint64_t now_ns);
	void *ctx;
	const char *verb; /* progress line: "recording", "tracing the GIL" */
	unsigned tick_ms; /* call on_tick at least this often (0: when the loop wakes) */
	/* the command was forked and waits: set it up before it runs (e.g. count its syscalls) */
	void (*on_child)(void *ctx, pid_t pid);
};

/* argp child parser for -p, --all, -d and the command; input: struct run_target. */
extern const struct argp runner_argp;

/* Exactly one target kind was given (sets rt->mode); else reports and returns -EINVAL. */
int runner_check(struct run_target *rt);

/*
 * Set up the targets, attach, start the command, poll until done, then
 * drain and count (session_finish). 0 or -errno (already reported).
 */
int runner_run(struct session *s, const struct run_target *rt, const struct runner_hooks *h);

#endif /* PYSTROBE_RUNNER_H */
