// SPDX-License-Identifier: MIT
/*
 * Measured accuracy of GIL held time per build style, in points of each
 * thread's wall time between held time and the band [CPU - CPU inside
 * GIL-releasing calls, CPU + run-queue delay]: for exact tracing the bar
 * tests/e2e/test_gil.py's truth cases assert (the worst seen is in the
 * basis), for estimates the worst they saw (docs/gil-audit.md has the runs).
 * Re-measure and update them when the probes change.
 */
#include "gil/gil_accuracy.h"

static const struct gil_accuracy accuracy[GIL_STYLE__COUNT] = {
	[GIL_STYLE_INLINED] = { "LTO/inlined drop_gil", 1.0,
				"test bar; worst seen 0.4: Debian python3.11, 2-core VM, load 0-8" },
	[GIL_STYLE_OUT_OF_LINE] = { "out-of-line take_gil/drop_gil", 1.0,
				    "test bar; worst seen 0.6: pyenv 3.6-3.13, 2-core VM, load 0-8" },
	[GIL_STYLE_ESTIMATED] = { "estimated", 16.0,
				  "worst seen: pyenv 2.7, CPU samples at 100 Hz, 4 s threads" },
	[GIL_STYLE_LOOKED] = { "estimated from looks", 5.0,
			       "bar; worst seen held 1.1, wait 3.2: gil_holder.py, Debian 3.11 and 3.12" },
};

enum gil_build_style gil_style_of(bool exact, size_t nr_inlined)
{
	if (!exact)
		return GIL_STYLE_ESTIMATED;
	return nr_inlined ? GIL_STYLE_INLINED : GIL_STYLE_OUT_OF_LINE;
}

const struct gil_accuracy *gil_accuracy_of(enum gil_build_style s)
{
	return &accuracy[s < GIL_STYLE__COUNT ? s : GIL_STYLE_ESTIMATED];
}
