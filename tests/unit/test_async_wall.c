// SPDX-License-Identifier: MIT
/* What one suspended task seen by a walk of record --async --wall is worth. */
#include <criterion/criterion.h>

#include "async/async_wall.h"

Test(async_wall, weight_is_the_time_since_the_last_walk)
{
	cr_assert_eq(async_wall_weight_ns(10000000, 6, 6), 10000000, "6 of 6 tasks read: dt");
}

Test(async_wall, weight_scales_when_a_walk_reads_part_of_the_tasks)
{
	uint64_t w = async_wall_weight_ns(10000000, 1000, ASYNC_WALL_MAX_TASKS);

	cr_assert_eq(w, 10000000ull * 1000 / ASYNC_WALL_MAX_TASKS, "1000 tasks, 32 read: %llu",
		     (unsigned long long)w);
}

Test(async_wall, weight_of_a_stalled_walk_is_capped)
{
	cr_assert_eq(async_wall_weight_ns(5000000000ull, 4, 4), ASYNC_WALL_MAX_GAP_NS,
		     "a 5 s gap counts ASYNC_WALL_MAX_GAP_NS");
}

Test(async_wall, weight_is_zero_when_nothing_was_read)
{
	cr_assert_eq(async_wall_weight_ns(10000000, 4, 0), 0, "no task read: 0");
}
