// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "native/fnindex.h"

/* An index over a copy of fns (fnindex_sort reorders and owns it). */
static struct fnindex index_of(const struct fnindex_entry *fns, size_t n)
{
	struct fnindex ix = { .fns = malloc(n * sizeof(*fns)), .nr = n };

	memcpy(ix.fns, fns, n * sizeof(*fns));
	fnindex_sort(&ix);
	return ix;
}

Test(fnindex, a_pc_is_named_by_the_function_that_holds_it)
{
	const struct fnindex_entry fns[] = {
		{ 0x3000, 0x10, "c", 0 },
		{ 0x1000, 0x100, "a", 0 },
		{ 0x2000, 0x20, "b", 2 },
	};
	struct fnindex ix = index_of(fns, 3);

	cr_assert_str_eq(fnindex_lookup(&ix, 0x1000), "a");
	cr_assert_str_eq(fnindex_lookup(&ix, 0x10ff), "a");
	cr_assert_null(fnindex_lookup(&ix, 0x1100), "past a's size, before b: no function");
	cr_assert_str_eq(fnindex_lookup(&ix, 0x2010), "b");
	cr_assert_str_eq(fnindex_lookup(&ix, 0x300f), "c");
	cr_assert_null(fnindex_lookup(&ix, 0x3010));
	cr_assert_null(fnindex_lookup(&ix, 0xfff), "below the first function");
	fnindex_free(&ix);
}

Test(fnindex, one_address_is_named_by_its_best_binding)
{
	const struct fnindex_entry fns[] = {
		{ 0x1000, 0x40, "local_alias", 2 },
		{ 0x1000, 0x40, "global_name", 0 },
		{ 0x1000, 0x40, "weak_name", 1 },
	};
	struct fnindex ix = index_of(fns, 3);

	cr_assert_eq(ix.nr, 1, "one entry per address, got %zu", ix.nr);
	cr_assert_str_eq(fnindex_lookup(&ix, 0x1010), "global_name");
	fnindex_free(&ix);
}

Test(fnindex, a_sizeless_function_runs_to_the_next_one)
{
	const struct fnindex_entry fns[] = {
		{ 0x1000, 0, "asm_entry", 0 },
		{ 0x1400, 0x10, "next", 0 },
	};
	struct fnindex ix = index_of(fns, 2);

	cr_assert_str_eq(fnindex_lookup(&ix, 0x13ff), "asm_entry");
	cr_assert_str_eq(fnindex_lookup(&ix, 0x1400), "next");
	fnindex_free(&ix);
}

Test(fnindex, the_last_sizeless_function_names_nothing_beyond_it)
{
	const struct fnindex_entry fns[] = { { 0x1000, 0, "last", 0 } };
	struct fnindex ix = index_of(fns, 1);

	cr_assert_null(fnindex_lookup(&ix, 0x1008), "no end known: not named");
	fnindex_free(&ix);
}

Test(fnindex, an_empty_index_names_nothing)
{
	struct fnindex ix = { 0 };

	fnindex_sort(&ix);
	cr_assert_null(fnindex_lookup(&ix, 0x1000));
}
