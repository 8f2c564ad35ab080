/* SPDX-License-Identifier: MIT */
/*
 * GIL hold and wait time estimated by looking at each thread of a process
 * every tick (~100 Hz): the holder is the thread state the GIL names (read
 * from the process's memory), a waiter is a thread blocked in futex() on an
 * address inside the GIL's struct (its condition variable or mutex, read
 * from /proc/PID/task/TID/syscall). The cost does not grow with the GIL's
 * event rate (no probes): it is what a server at 100k+ GIL events/s can
 * afford. Shares are counts of ticks, so their error is a sampling error:
 * measured against exact tracing in bench/bench_gil_estimate.py.
 */
#ifndef PYSTROBE_GIL_ESTIMATE_H
#define PYSTROBE_GIL_ESTIMATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct target;
struct sampler;

struct gil_est_thread {
	uint32_t tid;
	uint64_t ticks; /* looks at this thread */
	uint64_t held; /* ... that found it holding the GIL */
	uint64_t waiting; /* ... that found it blocked on the GIL */
	bool last_wait; /* its last block was on the GIL, and it has not held it since */
};

struct gil_est_proc {
	uint32_t pid;
	uint64_t ticks;
	struct gil_est_thread *threads;
	size_t nr_threads;
};

struct gil_estimate {
	struct gil_est_proc *procs;
	size_t nr_procs;
	uint64_t cost_ns; /* wall time spent looking (pystrobe's side; the target is not stopped) */
	uint64_t nr_looks; /* thread looks */
};

/* Look at every thread of t once. */
void gil_estimate_tick(struct gil_estimate *e, const struct target *t, const struct sampler *smp);
/* The counts of tid in pid, or NULL if never looked at. */
const struct gil_est_thread *gil_estimate_thread(const struct gil_estimate *e, uint32_t pid,
						 uint32_t tid);
/*
 * The thread state holding the GIL of t now (0: none or unreadable); *field:
 * the address of the GIL struct's last_holder (0: unknown, as on 3.6).
 */
uint64_t gil_estimate_holder(const struct target *t, uint64_t *field);
void gil_estimate_free(struct gil_estimate *e);

#endif /* PYSTROBE_GIL_ESTIMATE_H */
