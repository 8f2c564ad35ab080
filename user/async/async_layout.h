/* SPDX-License-Identifier: MIT */
/*
 * Where asyncio keeps what `record --async` reads, per CPython minor version
 * (3.11-3.15): the Task struct of Modules/_asynciomodule.c, the coroutine's
 * embedded frame and the interpreter's GC lists. Values in async_layouts.c,
 * generated from scripts/async_probe.c.
 */
#ifndef PYSTROBE_ASYNC_LAYOUT_H
#define PYSTROBE_ASYNC_LAYOUT_H

#include <stdint.h>

#define ASYNC_GC_LISTS 3 /* GC generations walked to find tasks */

struct async_layout {
	unsigned major, minor;
	uint32_t task_size; /* sizeof(TaskObj) */
	uint32_t task_callback0; /* TaskObj.task_callback0: gather's done callback */
	uint32_t task_fut_waiter; /* TaskObj.task_fut_waiter: what the task awaits */
	uint32_t task_coro; /* TaskObj.task_coro */
	uint32_t task_name; /* TaskObj.task_name: a str, or (3.12+) an int n for "Task-n" */
	uint32_t gen_iframe; /* PyGenObject.gi_iframe: coroutine = frame - this */
	uint32_t gc_gen[ASYNC_GC_LISTS]; /* PyInterpreterState.gc.generations[i].head */
	uint32_t gc_head_size; /* sizeof(PyGC_Head): object = list node + this */
	uint32_t func_closure; /* PyFunctionObject.func_closure */
	uint32_t cell_ref; /* PyCellObject.ob_ref */
	uint32_t tuple_items; /* PyTupleObject.ob_item */
	uint32_t var_size; /* PyVarObject.ob_size */
	uint32_t type_name; /* PyTypeObject.tp_name */
};

/* The layout of CPython major.minor, or NULL (not supported by --async). */
const struct async_layout *async_layout_find(unsigned major, unsigned minor);

#endif /* PYSTROBE_ASYNC_LAYOUT_H */
