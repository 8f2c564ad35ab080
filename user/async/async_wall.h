/* SPDX-License-Identifier: MIT */
/*
 * record --async --wall: the time each asyncio task spends suspended, at its
 * await line. A listener that, every ASYNC_WALL_PERIOD_NS, reads the tasks
 * the --async index knows (async.c): for each one awaiting a future (its
 * fut_waiter set: not running, not ready), its coroutine chain down to the
 * innermost suspended coroutine; the wall time since the last walk goes to
 * "[task NAME];coroutine frames...;[await]" (ns, like an off-CPU interval).
 * wall_report.c adds these stacks to the wall profile. A running task's time
 * stays its CPU samples (under "[task NAME]", async.c).
 */
#ifndef PYSTROBE_ASYNC_WALL_H
#define PYSTROBE_ASYNC_WALL_H

#include <stddef.h>
#include <stdint.h>

struct session;
struct async;
struct agg;
struct async_wall;

#define ASYNC_WALL_PERIOD_NS 10000000ull /* a walk every 10 ms (100 Hz) */
/* tasks read per process and walk: beyond, the next walk goes on where this one stopped and
 * each task read counts for nr_tasks / read of them (nr_capped) */
#define ASYNC_WALL_MAX_TASKS 32
#define ASYNC_WALL_MAX_CHAIN 32 /* coroutines followed down one await chain: beyond, cut */
#define ASYNC_WALL_MAX_GAP_NS 1000000000ull /* a later walk (pystrobe stalled) counts this */
/*
 * New tasks are looked for (async.c) at most every 50 ms, 100 ms while none
 * is found, after a sample names an unknown coroutine, instead of 0.2-0.8 s:
 * a suspended task's time before it is found is lost (at 0.2-0.8 s, 6 % of
 * a 3 s task). And every 0.2 s without such a sample (at least 20 times the
 * last look's CPU time): tasks that never run while sampled are found too.
 */
#define ASYNC_WALL_REFRESH_NS 50000000ull
#define ASYNC_WALL_REFRESH_MAX_SHIFT 1
#define ASYNC_WALL_POLL_NS 200000000ull

/* Register on s, next to --async's a. NULL with errno. */
struct async_wall *async_wall__open(struct session *s, struct async *a);
void async_wall__free(struct async_wall *aw); /* accepts NULL */

/* The suspended tasks' stacks (weights in ns), for wall_report_opts.extra. */
const struct agg *async_wall__agg(const struct async_wall *aw);

/*
 * What one task seen suspended is worth: dt_ns since the last walk (at most
 * ASYNC_WALL_MAX_GAP_NS), times nr_tasks / nr_read when a walk read only
 * nr_read of a process's nr_tasks. 0 when nothing was read.
 */
uint64_t async_wall_weight_ns(uint64_t dt_ns, size_t nr_tasks, size_t nr_read);

#endif /* PYSTROBE_ASYNC_WALL_H */
