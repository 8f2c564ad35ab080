/* SPDX-License-Identifier: MIT */
/*
 * record --async: each CPU sample taken in an asyncio task step is counted
 * under the running task ("[task NAME]" pseudo frames, the awaiting tasks
 * rootward, like `python -m asyncio pstree`) with the task's coroutine chain
 * above it, instead of under the event loop's frames. A listener over the
 * sampler's struct ps_async trailer; tasks are read from the target's memory
 * (async_tasks.c) when a sample names a coroutine not yet known.
 */
#ifndef PYSTROBE_ASYNC_H
#define PYSTROBE_ASYNC_H

#include <stdint.h>

struct session;
struct async;
struct async_task;
struct async_tasks;
struct agg_frame;

/* Register on session s (whose cfg.async_roots is set). NULL with errno. */
struct async *async__open(struct session *s);
void async__free(struct async *a);

/*
 * The "[task NAME]" frames of t and of the tasks awaiting it (t first) in
 * process pid, into out (cap frames at most, beyond: cut and counted): how
 * many, or -ENOMEM.
 */
int async__task_frames(struct async *a, uint32_t pid, const struct async_task *t,
		       struct agg_frame *out, uint32_t cap);

/*
 * Look for new tasks at most every min_ns after a sample named an unknown
 * coroutine, backing off to min_ns << max_shift while none is found
 * (default 0.2 s, 2), and, when poll_ns is not 0, at least every poll_ns
 * without one (paced by the last look's cost; default: never): a task found
 * later loses its time before (--wall: a suspended task's).
 */
void async__set_refresh(struct async *a, uint64_t min_ns, unsigned max_shift, uint64_t poll_ns);

/* fn(ctx, pid, gen, thread of its event loop (pid if none seen yet), its task index). */
typedef void (*async_each_fn)(void *ctx, uint32_t pid, uint32_t gen, uint32_t loop_tid,
			      struct async_tasks *at);
/* Call fn for each process whose tasks are indexed (record --async --wall). */
void async__each(struct async *a, async_each_fn fn, void *ctx);

#endif /* PYSTROBE_ASYNC_H */
