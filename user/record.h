/* SPDX-License-Identifier: MIT */
/*
 * A recording session: targets (pids, --all, or a command), BPF setup,
 * discovery of Python processes as they appear, the poll loop, and at the
 * end the profile, the output file and the summary.
 */
#ifndef PYSTROBE_RECORD_H
#define PYSTROBE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum record_mode {
	RECORD_PIDS = 0, /* -p PID[,PID..] */
	RECORD_ALL, /* --all */
	RECORD_CMD, /* -- CMD ARGS */
};

#define RECORD_MAX_PIDS 1024 /* -p values */

struct record_opts {
	enum record_mode mode;
	pid_t pids[RECORD_MAX_PIDS];
	size_t nr_pids;
	char **cmd; /* argv of the command (RECORD_CMD) */
	unsigned freq_hz;
	unsigned duration_s; /* 0: until Ctrl-C, the command exits or every pid exits */
	unsigned max_frames;
	size_t ringbuf_bytes; /* 0: automatic */
	const char *output; /* NULL: a name made from the time */
	const char *format; /* "flamegraph" or "folded" */
	const char *summary_path; /* NULL: stderr */
	bool threads;
	const char *command_line; /* for provenance */
};

/* Run a recording; returns the process exit code (0 ok, 1 runtime failure). */
int record_run(const struct record_opts *o);

#endif /* PYSTROBE_RECORD_H */
