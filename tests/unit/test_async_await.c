// SPDX-License-Identifier: MIT
/* Where record --async --wall finds what a suspended coroutine awaits (async_await.c). */
#include <string.h>
#include <criterion/criterion.h>

#include "async/async_await.h"

#define FRAME 0x7f0000001000ull

/* The awaited entry's address for a 3.minor frame at FRAME whose stack field is stack. */
static uint64_t slot_for(unsigned minor, uint64_t stack)
{
	const struct async_await_layout *al = async_await_layout_find(3, minor);
	uint8_t buf[128] = { 0 };
	int32_t top = (int32_t)stack;

	cr_assert_not_null(al, "3.%u has an entry", minor);
	if (al->stack_kind == ASYNC_AWAIT_STACK_POINTER)
		memcpy(buf + al->frame_stack, &stack, 8);
	else
		memcpy(buf + al->frame_stack, &top, 4);
	return async_await_slot_addr(al, buf, FRAME);
}

Test(async_await, reads_3_12_at_the_top_of_its_stacktop)
{
	cr_assert_eq(slot_for(12, 3), FRAME + 72 + 16, "entry 2 of 3");
	cr_assert_eq(slot_for(12, 0), 0, "empty stack: none");
}

Test(async_await, reads_3_14_at_the_top_of_its_stackpointer)
{
	cr_assert_eq(slot_for(14, FRAME + 80 + 8 * 5), FRAME + 80 + 8 * 4, "the top");
	cr_assert_eq(slot_for(14, FRAME + 80 - 8), 0, "below localsplus: none");
	cr_assert_eq(slot_for(14, FRAME + 80 + 8 * ASYNC_AWAIT_STACK_MAX + 8), 0, "too deep: none");
}

Test(async_await, reads_3_15_one_below_the_top)
{
	cr_assert_eq(slot_for(15, FRAME + 80 + 8 * 5), FRAME + 80 + 8 * 3, "SEND's NULL above");
	cr_assert_eq(slot_for(15, FRAME + 80 + 8), 0, "one entry: none");
}

Test(async_await, clears_stackref_tag_bits_and_skips_tagged_ints)
{
	const struct async_await_layout *al = async_await_layout_find(3, 14);

	cr_assert_eq(async_await_object(al, 0x7f0000002001ull), 0x7f0000002000ull, "deferred");
	cr_assert_eq(async_await_object(al, 0x7f0000002000ull), 0x7f0000002000ull, "strong");
	cr_assert_eq(async_await_object(al, (42 << 2) | 3), 0, "tagged int 42: no object");
	al = async_await_layout_find(3, 13);
	cr_assert_eq(async_await_object(al, 0x7f0000002000ull), 0x7f0000002000ull, "3.13: as is");
}

Test(async_await, has_no_entry_for_3_10_or_3_16)
{
	cr_assert_null(async_await_layout_find(3, 10));
	cr_assert_null(async_await_layout_find(3, 16));
}
