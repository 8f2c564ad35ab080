/* SPDX-License-Identifier: MIT */
/*
 * The asyncio tasks of one process (3.11-3.15), read from its memory: every
 * object of type _asyncio.Task in the interpreter's GC lists, with its
 * coroutine, its name and the task that awaits it (directly, or through
 * asyncio.gather: the gathering future is what the awaiter waits on, and the
 * child's done callback holds it in its closure). Target memory is hostile
 * input: every read is bounded, every walk capped and counted.
 */
#ifndef PYSTROBE_ASYNC_TASKS_H
#define PYSTROBE_ASYNC_TASKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "async/async_layout.h"
#include "lib/hashmap.h"
#include "ps_py_offsets.h"

#define ASYNC_MAX_OBJECTS 1000000 /* GC objects walked per refresh: beyond, nr_walk_capped */
#define ASYNC_MAX_TASKS 65536 /* tasks kept per refresh: beyond, nr_tasks_capped */
#define ASYNC_MAX_CLOSURE 8 /* closure cells of a done callback looked at for gather */
#define ASYNC_NAME_MAX 96 /* bytes of a task name kept (UTF-8, cut) */

/* Copy len bytes at addr of the target into buf: 0, or -errno. */
typedef int (*async_read_fn)(void *ctx, uint64_t addr, void *buf, size_t len);

struct async_task {
	uint64_t addr; /* the TaskObj */
	uint64_t coro; /* task_coro */
	uint64_t fut_waiter; /* what it awaits, 0: nothing (running or ready) */
	uint64_t parent; /* the task that awaits this one, 0: none */
	uint64_t name_addr; /* task_name: the name is re-read when it changes */
	char name[ASYNC_NAME_MAX]; /* printable, no ';' */
};

struct async_tasks {
	const struct async_layout *l;
	struct ps_py_offsets str; /* only the str_* fields are used */
	async_read_fn read;
	void *ctx;
	uint64_t interp_head; /* where the main PyInterpreterState* is: its GC lists are walked */
	uint64_t task_type; /* the _asyncio.Task type once seen, else 0 */
	struct hashmap types; /* type address -> struct type_seen (task or not) */
	struct async_task *tasks;
	size_t nr_tasks, tasks_cap;
	struct hashmap by_coro; /* coro -> struct async_task (into tasks) */
	struct hashmap by_addr; /* task -> struct async_task */
	struct hashmap by_waiter; /* awaited future -> its (first) awaiting task */
	uint64_t nr_refreshes, nr_objects; /* walks, objects visited in all */
	uint64_t nr_walk_capped, nr_tasks_capped, nr_bad_lists; /* cut walks, broken links */
};

/* Set up (nothing read yet). str: the process's string layout. */
void async_tasks_init(struct async_tasks *at, const struct async_layout *l,
		      const struct ps_py_offsets *str, async_read_fn read, void *ctx,
		      uint64_t interp_head);
void async_tasks_free(struct async_tasks *at);

/*
 * Drop the tasks that ended, then walk the GC lists for new ones (a broken
 * list is counted and ends its walk: known tasks are kept). Tasks added, or
 * -ENOMEM.
 */
int async_tasks_refresh(struct async_tasks *at);

/* The task whose coroutine is coro, checked against live memory; NULL if none. */
const struct async_task *async_tasks_by_coro(struct async_tasks *at, uint64_t coro);
/* The task at addr (a parent), or NULL. */
const struct async_task *async_tasks_by_addr(const struct async_tasks *at, uint64_t addr);

#endif /* PYSTROBE_ASYNC_TASKS_H */
