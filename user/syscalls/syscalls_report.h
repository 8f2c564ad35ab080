/* SPDX-License-Identifier: MIT */
/*
 * The syscall report: per process, syscalls by count / time / bytes (like
 * strace -c), then findings: I/O batching candidates with the syscalls that
 * buffering would save, tiny socket sends, repeated stat/open of a path,
 * fsync storms, busy polling. Text and JSON (schema "pystrobe-syscalls/1").
 */
#ifndef PYSTROBE_SYS_REPORT_H
#define PYSTROBE_SYS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "core/run_stats.h"
#include "ps_syscalls.h"

#define SYS_SCHEMA "pystrobe-syscalls/1"
#define SYS_BATCH_SIZE 65536 /* the buffer size the advice assumes */
#define SYS_SMALL_IO 4096 /* median below this: small I/O */
#define SYS_MANY_PER_S 1000.0 /* calls per second above this: many */
#define SYS_REPEATED_PATH 100 /* exact calls on one path from this: "again and again" */

struct syscalls_row {
	uint32_t nr;
	uint64_t calls, errors, time_ns, max_ns, bytes_req, bytes_done;
};

struct syscalls_proc_report {
	uint32_t pid;
	char label[64];
	char python[24]; /* "" when not a Python (e.g. a child of the command) */
	bool unattributed; /* a CPython of an unsupported version: no Python lines */
	struct syscalls_row *rows; /* by calls, then time */
	size_t nr_rows;
	uint64_t total_calls;
	uint64_t zero_polls;
	uint32_t sample_every; /* last N used for stacks */
};

enum syscalls_finding_kind {
	SYS_F_BATCH_WRITES = 0,
	SYS_F_BATCH_READS,
	SYS_F_TINY_SENDS,
	SYS_F_REPEATED_PATH,
	SYS_F_FSYNC_STORM,
	SYS_F_BUSY_POLL,
	SYS_F__COUNT
};

struct syscalls_finding {
	enum syscalls_finding_kind kind;
	uint32_t pid, nr;
	char where[384]; /* Python call site "func (file:line)", or the path */
	char site[384]; /* a path's: the Python line of its calls ("" for other kinds) */
	bool exact; /* calls counted in the kernel, not scaled from samples */
	uint64_t samples; /* sampled calls the scaled figures rest on (0 when exact) */
	uint64_t calls; /* scaled, or exact */
	double per_s;
	uint64_t median_bytes;
	uint64_t bytes;
	uint64_t time_ns; /* 0 without --latency */
	uint64_t saved; /* syscalls buffering to SYS_BATCH_SIZE would save */
};

struct syscalls_result {
	struct syscalls_proc_report *procs; /* by pid */
	size_t nr_procs;
	struct syscalls_finding *findings; /* most calls saved / most calls first */
	size_t nr_findings;
	uint64_t duration_ns;
	bool latency;
	uint64_t nr_procs_full; /* processes not counted: the process table was full */
	bool paths_full; /* the path counters were full: new paths went uncounted */
	size_t procs_max; /* that table's size */
};

void syscalls_result_free(struct syscalls_result *r);
/* Append a finding (copied). 0 or -ENOMEM. */
int syscalls_result_add_finding(struct syscalls_result *r, const struct syscalls_finding *f);
/* Sort rows and findings for printing. */
void syscalls_result_sort(struct syscalls_result *r);

/* Syscalls buffering bytes over calls into SYS_BATCH_SIZE chunks would save. */
uint64_t syscalls_batch_saving(uint64_t calls, uint64_t bytes);

void syscalls_write_text(FILE *f, const struct syscalls_result *r, const struct run_stats *rs);
int syscalls_write_json(FILE *f, const struct syscalls_result *r, const struct run_stats *rs);

#endif /* PYSTROBE_SYS_REPORT_H */
