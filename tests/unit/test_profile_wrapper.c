// SPDX-License-Identifier: MIT
/* profile_fn_is_wrapper(): which callers the summary's "by total" table leaves out. */
#include <criterion/criterion.h>
#include "report/profile.h"

Test(profile_wrapper, caller_with_no_self_time_and_its_callees_total_is_left_out)
{
	struct fn_stat leaf = { .name = "work", .self = 990, .total = 990 };
	struct fn_stat mod = { .name = "<module>", .total = 1000, .child = &leaf };

	cr_assert(profile_fn_is_wrapper(&mod), "990 of 1000 in one callee: a wrapper");
}

Test(profile_wrapper, caller_whose_time_splits_between_callees_is_kept)
{
	struct fn_stat a = { .name = "a", .self = 600, .total = 600 };
	struct fn_stat main_fn = { .name = "main", .total = 1000, .child = &a };

	cr_assert_not(profile_fn_is_wrapper(&main_fn), "60 %% in its main callee: kept");
}

Test(profile_wrapper, caller_with_own_time_is_kept)
{
	struct fn_stat leaf = { .name = "work", .self = 1000, .total = 1000 };
	struct fn_stat busy = { .name = "busy", .self = 100, .total = 1000, .child = &leaf };

	cr_assert_not(profile_fn_is_wrapper(&busy), "10 %% self time: kept");
}

Test(profile_wrapper, leaf_and_recursion_are_kept)
{
	struct fn_stat leaf = { .name = "leaf", .self = 10, .total = 10 };
	struct fn_stat rec = { .name = "rec", .total = 10 };

	rec.child = &rec;
	cr_assert_not(profile_fn_is_wrapper(&leaf), "no callee");
	cr_assert_not(profile_fn_is_wrapper(&rec), "calls itself");
}
