// SPDX-License-Identifier: MIT
/*
 * Print the asyncio layout facts `record --async` needs, as key=value lines,
 * for the one CPython whose headers this is compiled against:
 *
 *   cc -DPy_BUILD_CORE -isystem <inc> scripts/async_probe.c
 *
 * The Future and Task structs are private to Modules/_asynciomodule.c (no
 * header has them): they are copied below per version, with the header types
 * of that version, so offsetof gives what the _asyncio module was compiled
 * with. tests/e2e/test_async.py checks each copy against a live interpreter
 * (the task's loop, coroutine and name pointers found where the table says).
 * The generator frame and the GC lists come from the installed headers.
 * Every #if is on PY_VERSION_HEX; scripts/gen-async-offsets.sh renders the
 * output into user/async/async_layouts.c. The frame_*, stackref_* and
 * await_depth lines are the await table of user/async/async_await.c.
 */
#include <Python.h>
#include <stddef.h>
#include <stdio.h>
#include "internal/pycore_frame.h"
#include "internal/pycore_gc.h"
#include "internal/pycore_interp.h"
#if PY_VERSION_HEX >= 0x030E0000
#include "internal/pycore_debug_offsets.h"
#include "internal/pycore_stackref.h"
#define NEED_OPCODE_METADATA /* _PyOpcode_num_popped's body */
#include "internal/pycore_opcode_metadata.h"
#endif

#if PY_VERSION_HEX < 0x030B0000 || PY_VERSION_HEX >= 0x03100000
#error "async_probe: only CPython 3.11-3.15"
#endif

typedef enum { STATE_PENDING, STATE_CANCELLED, STATE_FINISHED } fut_state;

/* The Future fields every version starts with. */
#define FUTURE_COMMON(prefix)                  \
	PyObject_HEAD PyObject *prefix##_loop; \
	PyObject *prefix##_callback0;          \
	PyObject *prefix##_context0;           \
	PyObject *prefix##_callbacks;          \
	PyObject *prefix##_exception;          \
	PyObject *prefix##_exception_tb;       \
	PyObject *prefix##_result;             \
	PyObject *prefix##_source_tb;          \
	PyObject *prefix##_cancel_msg;

#if PY_VERSION_HEX >= 0x030E0000
/*
 * 3.14, 3.15: who awaits the future and is-task flags for remote debuggers;
 * the task is on its thread's list (task_node). _asyncio publishes the
 * offsets of some fields in its .AsyncioDebug ELF section:
 * scripts/gen-async-offsets.sh checks this copy against that section.
 */
#ifdef Py_GIL_DISABLED
#error "async_probe: the free-threaded build (its TaskObj has task_tid; no GC generations)"
#endif
#include "internal/pycore_interpframe_structs.h" /* PyGenObject */
#include "internal/pycore_llist.h"
#define FutureObj_HEAD(prefix)            \
	FUTURE_COMMON(prefix)             \
	PyObject *prefix##_cancelled_exc; \
	PyObject *prefix##_awaited_by;    \
	fut_state prefix##_state;         \
	char prefix##_is_task;            \
	char prefix##_awaited_by_is_set;  \
	unsigned prefix##_log_tb : 1;     \
	unsigned prefix##_blocking : 1;
#define TASK_TAIL struct llist_node task_node;
#elif PY_VERSION_HEX >= 0x030D0000
/* 3.13: managed dict and weakrefs; the flags are bitfields at the end */
#define FutureObj_HEAD(prefix)            \
	FUTURE_COMMON(prefix)             \
	PyObject *prefix##_cancelled_exc; \
	fut_state prefix##_state;         \
	unsigned prefix##_log_tb : 1;     \
	unsigned prefix##_blocking : 1;
#define TASK_TAIL
#endif

#if PY_VERSION_HEX >= 0x030D0000
typedef struct {
	FutureObj_HEAD(task) unsigned task_must_cancel : 1;
	unsigned task_log_destroy_pending : 1;
	int task_num_cancels_requested;
	PyObject *task_fut_waiter;
	PyObject *task_coro;
	PyObject *task_name;
	PyObject *task_context;
	TASK_TAIL
} TaskObj;
#else
/* 3.11, 3.12 */
#define FutureObj_HEAD(prefix)          \
	FUTURE_COMMON(prefix)           \
	fut_state prefix##_state;       \
	int prefix##_log_tb;            \
	int prefix##_blocking;          \
	PyObject *dict;                 \
	PyObject *prefix##_weakreflist; \
	PyObject *prefix##_cancelled_exc;
typedef struct {
	FutureObj_HEAD(task) PyObject *task_fut_waiter;
	PyObject *task_coro;
	PyObject *task_name;
	PyObject *task_context;
	int task_must_cancel;
	int task_log_destroy_pending;
	int task_num_cancels_requested;
} TaskObj;
#endif

#define P(key, val) printf("%s=%zu\n", key, (size_t)(val))

int main(void)
{
	P("major", PY_MAJOR_VERSION);
	P("minor", PY_MINOR_VERSION);
	P("task_size", sizeof(TaskObj));
	P("task_callback0", offsetof(TaskObj, task_callback0));
	P("task_fut_waiter", offsetof(TaskObj, task_fut_waiter));
	P("task_coro", offsetof(TaskObj, task_coro));
	P("task_name", offsetof(TaskObj, task_name));
	P("gen_iframe", offsetof(PyGenObject, gi_iframe));
	P("gc_gen0", offsetof(PyInterpreterState, gc.generations[0].head));
	P("gc_gen1", offsetof(PyInterpreterState, gc.generations[1].head));
	P("gc_gen2", offsetof(PyInterpreterState, gc.generations[2].head));
	P("gc_head_size", sizeof(PyGC_Head));
	P("func_closure", offsetof(PyFunctionObject, func_closure));
	P("cell_ref", offsetof(PyCellObject, ob_ref));
	P("tuple_items", offsetof(PyTupleObject, ob_item));
	P("tuple_size", offsetof(PyVarObject, ob_size));
	P("type_name", offsetof(PyTypeObject, tp_name));
#if PY_VERSION_HEX >= 0x030E0000
	/* not in the table: compared with the module's .AsyncioDebug section */
	P("task_node", offsetof(TaskObj, task_node));
#endif
	/* not in the table: the await table of user/async/async_await.c (by hand) */
	P("frame_localsplus", offsetof(struct _PyInterpreterFrame, localsplus));
#if PY_VERSION_HEX >= 0x030E0000
	P("frame_stackpointer", offsetof(struct _PyInterpreterFrame, stackpointer));
	P("stackref_tag_bits", Py_TAG_BITS);
	P("stackref_int_tag", Py_INT_TAG);
	/*
	 * SEND's inputs are the receiver (what is awaited) first, the value sent
	 * last; YIELD_VALUE pops that value: the receiver is this deep (1: the top)
	 */
	P("await_depth", _PyOpcode_num_popped(SEND, 0) - 1);
	/* where tests/e2e/test_async_wall.py reads the live interpreter's own values */
	P("dbg_frame_localsplus", offsetof(_Py_DebugOffsets, interpreter_frame.localsplus));
	P("dbg_frame_stackpointer", offsetof(_Py_DebugOffsets, interpreter_frame.stackpointer));
	P("dbg_gen_iframe", offsetof(_Py_DebugOffsets, gen_object.gi_iframe));
#else
	P("frame_stacktop", offsetof(struct _PyInterpreterFrame, stacktop));
#endif
	return 0;
}
