/* SPDX-License-Identifier: MIT */
/*
 * Every Python process seen during a run, one entry per (pid, gen): an exec
 * in place makes a new generation. Entries outlive their process so that
 * samples can be symbolized after it exits.
 */
#ifndef PYSTROBE_TARGETS_H
#define PYSTROBE_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "python/discover.h"
#include "lib/hashmap.h"

struct target {
	struct py_target t; /* t.bpf.gen == gen */
	uint32_t gen;
	bool exited;
	uint64_t nr_samples;
	uint64_t start_ticks; /* the process's start time (/proc/PID/stat), 0: unknown */
	uint64_t found_ns; /* session clock when discovery ended (core/session.c exec_seen) */
	unsigned seen_gone; /* liveness checks in a row that found it gone */
};

struct targets {
	struct hashmap by_key; /* (pid, gen) */
	struct hashmap current; /* pid -> newest generation */
	uint32_t next_gen;
	size_t nr;
};

void targets_init(struct targets *ts);
void targets_free(struct targets *ts);

/* Register a discovered process under a new generation; NULL on ENOMEM. */
struct target *targets_add(struct targets *ts, const struct py_target *t);
struct target *targets_find(const struct targets *ts, uint32_t pid, uint32_t gen);
/* The newest generation of pid that has not exited, or NULL. */
struct target *targets_live(const struct targets *ts, uint32_t pid);
/* The newest generation of pid, exited or not, or NULL. */
struct target *targets_last(const struct targets *ts, uint32_t pid);

/* Start time of pid in clock ticks since boot (/proc/PID/stat field 22), 0 if unknown. */
uint64_t targets_start_ticks(pid_t pid);
/* Is t's process still there: alive, not a zombie, and not a new process under its pid? */
bool targets_running(const struct target *t);

/* Forget every exited target (after its samples were reported). Removed, or -ENOMEM. */
int targets_prune(struct targets *ts);

#endif /* PYSTROBE_TARGETS_H */
