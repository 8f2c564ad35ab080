// SPDX-License-Identifier: MIT
/* The run's counters: notes for the summary. */
#include <stdarg.h>
#include <stdio.h>
#include "core/run_stats.h"

void run_stats_note(struct run_stats *rs, const char *fmt, ...)
{
	va_list ap;

	if (rs->nr_notes >= RUN_NOTES_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(rs->notes[rs->nr_notes++], sizeof(rs->notes[0]), fmt, ap);
	va_end(ap);
}
