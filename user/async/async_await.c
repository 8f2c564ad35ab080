// SPDX-License-Identifier: MIT
/*
 * The await table of record --async --wall (async/async_await.h). Values
 * from scripts/async_probe.c compiled against each version's headers
 * (3.14d and 3.15d agree with 3.14 and 3.15): 3.14+ stack entries are
 * _PyStackRefs (pycore_stackref.h, the GIL build); 3.15's SEND keeps a NULL
 * above what is awaited, as FOR_ITER does (await_depth 2: SEND's inputs
 * less one). tests/e2e/test_async_wall.py checks them against live
 * interpreters and (3.14+) their _Py_DebugOffsets.
 */
#include <stddef.h>
#include <string.h>
#include "async/async_await.h"

static const struct async_await_layout layouts[] = {
	{ .major = 3,
	  .minor = 11,
	  .stack_kind = ASYNC_AWAIT_STACK_INDEX,
	  .frame_stack = 64,
	  .frame_localsplus = 72,
	  .await_depth = 1 },
	{ .major = 3,
	  .minor = 12,
	  .stack_kind = ASYNC_AWAIT_STACK_INDEX,
	  .frame_stack = 64,
	  .frame_localsplus = 72,
	  .await_depth = 1 },
	{ .major = 3,
	  .minor = 13,
	  .stack_kind = ASYNC_AWAIT_STACK_INDEX,
	  .frame_stack = 64,
	  .frame_localsplus = 72,
	  .await_depth = 1 },
	{ .major = 3,
	  .minor = 14,
	  .stack_kind = ASYNC_AWAIT_STACK_POINTER,
	  .frame_stack = 64,
	  .frame_localsplus = 80,
	  .await_depth = 1,
	  .ref_tag_bits = 3,
	  .ref_int_tag = 3 },
	{ .major = 3,
	  .minor = 15,
	  .stack_kind = ASYNC_AWAIT_STACK_POINTER,
	  .frame_stack = 64,
	  .frame_localsplus = 80,
	  .await_depth = 2,
	  .ref_tag_bits = 3,
	  .ref_int_tag = 3 },
};

const struct async_await_layout *async_await_layout_find(unsigned major, unsigned minor)
{
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (layouts[i].major == major && layouts[i].minor == minor)
			return &layouts[i];
	return NULL;
}

/* The top is read from the frame, then await_depth entries down. */
uint64_t async_await_slot_addr(const struct async_await_layout *al, const uint8_t *frame,
			       uint64_t frame_addr)
{
	uint64_t base = frame_addr + al->frame_localsplus, sp;
	int32_t top;

	if (al->stack_kind == ASYNC_AWAIT_STACK_POINTER) {
		memcpy(&sp, frame + al->frame_stack, 8);
		if (sp & 7 || sp < base || sp - base > 8ull * ASYNC_AWAIT_STACK_MAX)
			return 0;
		top = (int32_t)((sp - base) / 8);
	} else {
		memcpy(&top, frame + al->frame_stack, 4);
	}
	if (top < (int32_t)al->await_depth || top >= ASYNC_AWAIT_STACK_MAX)
		return 0;
	return base + 8 * (uint64_t)(top - (int32_t)al->await_depth);
}

/* Tag bits and tagged ints as pycore_stackref.h defines them (the GIL build). */
uint64_t async_await_object(const struct async_await_layout *al, uint64_t ref)
{
	if (al->ref_tag_bits && (ref & al->ref_tag_bits) == al->ref_int_tag)
		return 0;
	return ref & ~al->ref_tag_bits;
}
