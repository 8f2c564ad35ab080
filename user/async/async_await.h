/* SPDX-License-Identifier: MIT */
/*
 * Where a suspended coroutine's _PyInterpreterFrame keeps what it awaits,
 * per CPython minor version (3.11-3.15), for record --async --wall
 * (async_wall.c): its value stack, saved when the frame yields, holds the
 * awaited object near the top, where CPython's own _PyGen_yf reads it.
 * Values in async_await.c, from scripts/async_probe.c.
 */
#ifndef PYSTROBE_ASYNC_AWAIT_H
#define PYSTROBE_ASYNC_AWAIT_H

#include <stdint.h>

#define ASYNC_AWAIT_STACK_MAX 65536 /* a deeper stack is not a suspended frame's: none read */

/* How a frame says where its value stack's top is. */
enum async_await_stack_kind {
	ASYNC_AWAIT_STACK_INDEX = 0, /* 3.11-3.13: int stacktop, entries from localsplus */
	ASYNC_AWAIT_STACK_POINTER, /* 3.14+: _PyStackRef *stackpointer, one past the top */
};

struct async_await_layout {
	unsigned major, minor;
	uint32_t stack_kind; /* enum async_await_stack_kind */
	uint32_t frame_stack; /* _PyInterpreterFrame.stacktop or .stackpointer */
	uint32_t frame_localsplus; /* _PyInterpreterFrame.localsplus */
	uint32_t await_depth; /* entries from the top to the awaited object's (1: the top) */
	uint64_t ref_tag_bits; /* Py_TAG_BITS: a stack entry's bits that are no address */
	uint64_t ref_int_tag; /* Py_INT_TAG: an entry whose tag bits are this is an int */
};

/* The layout of CPython major.minor, or NULL (suspended frames not read). */
const struct async_await_layout *async_await_layout_find(unsigned major, unsigned minor);

/*
 * The address of the awaited object's stack entry in the frame at
 * frame_addr, whose first frame_stack + 8 bytes are frame; 0 when the stack
 * is not that deep or not plausible (over ASYNC_AWAIT_STACK_MAX entries).
 */
uint64_t async_await_slot_addr(const struct async_await_layout *al, const uint8_t *frame,
			       uint64_t frame_addr);

/*
 * The object stack entry ref points to, its tag bits cleared as
 * PyStackRef_AsPyObjectBorrow does (3.14+); 0 for a tagged int.
 */
uint64_t async_await_object(const struct async_await_layout *al, uint64_t ref);

#endif /* PYSTROBE_ASYNC_AWAIT_H */
