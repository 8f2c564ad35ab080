// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include "lib/parse.h"

Test(parse, accepts_numbers_in_range)
{
	uint64_t v;

	cr_assert_eq(parse_u64("100", 1, 10000, "--frequency", &v), 0);
	cr_assert_eq(v, 100);
}

Test(parse, rejects_zero_negative_trailing_and_overflow)
{
	uint64_t v;

	cr_assert_eq(parse_u64("0", 1, 10000, "--frequency", &v), -EINVAL);
	cr_assert_eq(parse_u64("-5", 1, 10000, "--frequency", &v), -EINVAL);
	cr_assert_eq(parse_u64("12abc", 1, 10000, "--frequency", &v), -EINVAL);
	cr_assert_eq(parse_u64("", 1, 10000, "--frequency", &v), -EINVAL);
	cr_assert_eq(parse_u64("99999999999999999999999", 1, 10000, "x", &v), -EINVAL);
}

Test(parse, pid_lists_append_across_options)
{
	pid_t pids[4];
	size_t nr = 0;

	cr_assert_eq(parse_pid_list("10,20", pids, 4, &nr), 0);
	cr_assert_eq(parse_pid_list("30", pids, 4, &nr), 0);
	cr_assert_eq(nr, 3);
	cr_assert_eq(pids[2], 30);
	cr_assert_eq(parse_pid_list("1,2", pids, 4, &nr), -E2BIG);
	nr = 0;
	cr_assert_eq(parse_pid_list("x", pids, 4, &nr), -EINVAL);
	cr_assert_eq(parse_pid_list(",", pids, 4, &nr), -EINVAL);
}
