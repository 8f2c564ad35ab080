// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/report.h"

/* What the speedscope writer writes, as one string (freed by the caller). */
static char *render(const struct report_stack *st, size_t nr, const struct report_meta *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int err;

	cr_assert_not_null(f);
	err = report_speedscope_ops.write(f, st, nr, m);
	fclose(f);
	cr_assert_eq(err, 0, "write: expected 0, got %d", err);
	return buf;
}

/* How many times needle occurs in hay. */
static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static const struct report_frame frames[] = {
	{ "<module> (app.py:10)", RF_PYTHON, "<module>", "app.py", 10, 1 },
	{ "main (app.py:5)", RF_PYTHON, "main", "app.py", 5, 4 },
	{ "main (app.py:6)", RF_PYTHON, "main", "app.py", 6, 4 },
};
static const struct report_frame frames_b[] = {
	{ "<module> (app.py:10)", RF_PYTHON, "<module>", "app.py", 10, 1 },
	{ "main (app.py:6)", RF_PYTHON, "main", "app.py", 6, 4 },
};
static const struct report_label t1[] = { { "pid", NULL, 7 }, { "tid", NULL, 7 } };
static const struct report_label t2[] = { { "pid", NULL, 7 }, { "tid", NULL, 9 } };
static const struct report_meta cpu = { .title = "t",
					.unit = "samples",
					.type2 = "cpu",
					.unit2 = "nanoseconds" };

Test(report_speedscope, one_frame_per_function_across_lines)
{
	const struct report_stack st[] = { { frames, 2, 1, 10 }, { frames_b, 2, 1, 10 } };
	char *out = render(st, 2, &cpu);

	cr_assert_eq(count(out, "\"name\":\"main\""), 1, "expected one main frame in %s", out);
	cr_assert(strstr(out, "{\"name\":\"main\",\"file\":\"app.py\",\"line\":4}"),
		  "expected main with file and first line in %s", out);
	free(out);
}

Test(report_speedscope, samples_are_root_first_indices)
{
	const struct report_stack st[] = { { frames, 2, 3, 30 } };
	char *out = render(st, 1, &cpu);

	cr_assert(strstr(out, "\"samples\":[[0,1]]"), "expected [[0,1]] (root first) in %s", out);
	free(out);
}

Test(report_speedscope, one_sampled_profile_per_thread)
{
	const struct report_stack st[] = { { frames, 2, 1, 10, t2, 2 },
					   { frames, 2, 2, 20, t1, 2 },
					   { frames_b, 2, 4, 40, t2, 2 } };
	char *out = render(st, 3, &cpu);

	cr_assert_eq(count(out, "\"type\":\"sampled\""), 2, "expected 2 profiles in %s", out);
	cr_assert(strstr(out, "(7) / ? (7)") < strstr(out, "(7) / ? (9)"),
		  "expected tid 7 before tid 9 in %s", out);
	cr_assert(strstr(out, "\"weights\":[10,40]"), "expected tid 9's weights 10,40 in %s", out);
	cr_assert(strstr(out, "\"activeProfileIndex\":1"),
		  "expected the heaviest thread (tid 9, profile 1) active in %s", out);
	free(out);
}

Test(report_speedscope, weights_in_nanoseconds_when_stacks_carry_cpu_time)
{
	const struct report_stack st[] = { { frames, 2, 3, 30000000 } };
	const struct report_meta counts = { .title = "t", .unit = "calls" };
	char *out = render(st, 1, &cpu);

	cr_assert(strstr(out, "\"unit\":\"nanoseconds\"") && strstr(out, "[30000000]"),
		  "expected ns weights in %s", out);
	free(out);
	out = render(st, 1, &counts);
	cr_assert(strstr(out, "\"unit\":\"none\"") && strstr(out, "\"weights\":[3]"),
		  "expected unit none and the count in %s", out);
	free(out);
}
