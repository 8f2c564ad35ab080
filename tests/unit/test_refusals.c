// SPDX-License-Identifier: MIT
/* The summary's one "refused:" line: only non-zero counts, in a fixed order. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include "target/refusals.h"

/* What refusals_print writes, malloc'ed. */
static char *printed(int *nr)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	*nr = refusals_print(f, "  ");
	fclose(f);
	return buf;
}

Test(refusals, prints_nothing_when_nothing_was_refused)
{
	int nr;
	char *s;

	refusals_reset();
	s = printed(&nr);
	cr_expect_eq(nr, 0);
	cr_expect_str_eq(s, "");
	free(s);
}

Test(refusals, prints_the_non_zero_counts_on_one_line)
{
	int nr;
	char *s;

	refusals_reset();
	for (int i = 0; i < 3; i++)
		refusals_add(REFUSED_ELF_SECTION);
	for (int i = 0; i < 120; i++)
		refusals_add(REFUSED_LINETABLE);
	s = printed(&nr);
	cr_expect_eq(nr, 1);
	cr_expect_str_eq(s, "  refused: 3 oversized ELF sections, 120 line tables over budget\n");
	cr_expect_str_eq(refusals_name(REFUSED_LINETABLE), "linetables_over_budget");
	free(s);
}
