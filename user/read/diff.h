/* SPDX-License-Identifier: MIT */
/*
 * pystrobe diff: two profiles (folded or pprof) compared by each function's
 * self time, absolute and as a share, and NEW's flame graph coloured by how
 * each call path changed in the judged measure (red grew, blue shrank).
 */
#ifndef PYSTROBE_DIFF_H
#define PYSTROBE_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* What --fail-if-regressed and the colours judge. */
enum diff_judge {
	DIFF_JUDGE_AUTO =
		0, /* time when both profiles measure alike (unit and period), else share */
	DIFF_JUDGE_TIME, /* absolute: samples x period, or the profile's own unit */
	DIFF_JUDGE_SHARE, /* share of each profile's total */
};

struct diff_opts {
	const char *base, *new; /* profile files */
	const char *svg; /* -o: differential flame graph, or NULL */
	double fail_pct; /* --fail-if-regressed: points, < 0 when not given */
	enum diff_judge judge; /* --judge */
	size_t top; /* rows of the table */
	const char *command; /* for provenance */
};

/* Run the comparison: the table on out, the SVG, the regression check. Exit status. */
int diff_run(const struct diff_opts *o, FILE *out);

#endif /* PYSTROBE_DIFF_H */
