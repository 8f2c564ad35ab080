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
#include "run_stats.h"
#include "syscalls.h"

#define SYS_SCHEMA "pystrobe-syscalls/1"
#define SYS_BATCH_SIZE 65536 /* the buffer size the advice assumes */
#define SYS_SMALL_IO 4096 /* median below this: small I/O */
#define SYS_MANY_PER_S 1000.0 /* calls per second above this: many */

struct sys_row {
	uint32_t nr;
	uint64_t calls, errors, time_ns, max_ns, bytes_req, bytes_done;
};

struct sys_proc_report {
	uint32_t pid;
	char label[64];
	char python[24]; /* "" when not a Python (e.g. a child of the command) */
	struct sys_row *rows; /* by calls, then time */
	size_t nr_rows;
	uint64_t total_calls;
	uint64_t zero_polls;
	uint32_t sample_every; /* last N used for stacks */
};

enum sys_finding_kind {
	SYS_F_BATCH_WRITES = 0,
	SYS_F_BATCH_READS,
	SYS_F_TINY_SENDS,
	SYS_F_REPEATED_PATH,
	SYS_F_FSYNC_STORM,
	SYS_F_BUSY_POLL,
	SYS_F__COUNT
};

struct sys_finding {
	enum sys_finding_kind kind;
	uint32_t pid, nr;
	char where[384]; /* Python call site "func (file:line)", or the path */
	uint64_t calls; /* scaled */
	double per_s;
	uint64_t median_bytes;
	uint64_t bytes;
	uint64_t time_ns; /* 0 without --latency */
	uint64_t saved; /* syscalls buffering to SYS_BATCH_SIZE would save */
};

struct sys_result {
	struct sys_proc_report *procs; /* by pid */
	size_t nr_procs;
	struct sys_finding *findings; /* most calls saved / most calls first */
	size_t nr_findings;
	uint64_t duration_ns;
	bool latency;
};

void sys_result_free(struct sys_result *r);
/* Append a finding (copied). 0 or -ENOMEM. */
int sys_result_add_finding(struct sys_result *r, const struct sys_finding *f);
/* Sort rows and findings for printing. */
void sys_result_sort(struct sys_result *r);

/* Syscalls buffering bytes over calls into SYS_BATCH_SIZE chunks would save. */
uint64_t sys_batch_saving(uint64_t calls, uint64_t bytes);

void sys_write_text(FILE *f, const struct sys_result *r, const struct run_stats *rs);
int sys_write_json(FILE *f, const struct sys_result *r, const struct run_stats *rs);

#endif /* PYSTROBE_SYS_REPORT_H */
