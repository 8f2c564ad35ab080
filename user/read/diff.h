/* SPDX-License-Identifier: MIT */
/*
 * pystrobe diff: two profiles (folded or pprof) compared by each function's
 * share of self time, and NEW's flame graph coloured by how each call path's
 * share changed (red grew, blue shrank).
 */
#ifndef PYSTROBE_DIFF_H
#define PYSTROBE_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct diff_opts {
	const char *base, *new; /* profile files */
	const char *svg; /* -o: differential flame graph, or NULL */
	double fail_pct; /* --fail-if-regressed: points, < 0 when not given */
	size_t top; /* rows of the table */
	const char *command; /* for provenance */
};

/* Run the comparison: the table on out, the SVG, the regression check. Exit status. */
int diff_run(const struct diff_opts *o, FILE *out);

#endif /* PYSTROBE_DIFF_H */
