/* SPDX-License-Identifier: MIT */
/*
 * How far `gil`'s held time can be from the truth, per build style: the
 * figures measured by tests/e2e/test_gil.py's truth cases (each thread's
 * held time against its own CPU time and run-queue delay, docs/gil-audit.md),
 * printed with every process so that "exact" says what it means there.
 */
#ifndef PYSTROBE_GIL_ACCURACY_H
#define PYSTROBE_GIL_ACCURACY_H

#include <stdbool.h>
#include <stddef.h>

/* How the GIL of a process is read, as far as its accuracy goes. */
enum gil_build_style {
	GIL_STYLE_INLINED = 0, /* LTO: drop_gil inlined, probed from DWARF (Debian's python3.11) */
	GIL_STYLE_OUT_OF_LINE, /* take_gil / drop_gil functions from .symtab (pyenv, python.org) */
	GIL_STYLE_ESTIMATED, /* from the GIL state of CPU samples */
	GIL_STYLE_LOOKED, /* estimated from looks at holder and waiters (gil_estimate.h) */
	GIL_STYLE__COUNT,
};

struct gil_accuracy {
	const char *name; /* the build style in words */
	double held_error_pts; /* |held - truth band| seen at most, in points of wall */
	const char *basis; /* what the figure was measured on */
};

/* The style of a process traced exactly or not, with nr_inlined inlined drop_gil sites. */
enum gil_build_style gil_style_of(bool exact, size_t nr_inlined);
/* The measured accuracy of style s (never NULL). */
const struct gil_accuracy *gil_accuracy_of(enum gil_build_style s);

#endif /* PYSTROBE_GIL_ACCURACY_H */
