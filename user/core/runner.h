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
	const char *name; /* --name REGEX (matched against the command line), or NULL */
	char **cmd; /* argv of the command, or NULL */
	bool detach; /* --detach: leave the command running at -d / Ctrl-C */
	unsigned duration_s; /* 0: until Ctrl-C, the command exits or every pid exits */
};

/* argp child parser for -p, --all, -d and the command; input: struct run_target. */
extern const struct argp runner_argp;

/* Exactly one target kind was given (sets rt->mode); else reports and returns -EINVAL. */
int runner_check(struct run_target *rt);

/*
 * Set up the targets, attach, start the command, poll until done (calling
 * the session's listeners), then drain and count (session_finish). verb
 * names the work on the progress line ("recording"). 0 or -errno (reported).
 */
int runner_run(struct session *s, const struct run_target *rt, const char *verb);

/*
 * What a command exits with after a successful run: the command's own
 * status (128 + N for signal N) when it ended by itself, else 0.
 */
int runner_exit_code(const struct session *s);

#endif /* PYSTROBE_RUNNER_H */
