/* SPDX-License-Identifier: MIT */
/*
 * Where a dominant GIL holder holds it: the hottest Python line of its CPU
 * samples taken while it held the GIL (the caller's line of a long C call
 * such as sorted()), for the diagnosis to name.
 */
#ifndef PYSTROBE_GIL_WHERE_H
#define PYSTROBE_GIL_WHERE_H

#include "gil/gil_report.h"

struct session;

#define GIL_DOMINANT_HELD 0.50 /* a thread holding the GIL more than this share dominates it */

/* Fill row's where of its dominant holder (none: nothing written). */
void gil_where_fill(struct gil_proc_row *row, struct session *s);

#endif /* PYSTROBE_GIL_WHERE_H */
