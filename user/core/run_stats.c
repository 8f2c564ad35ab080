// SPDX-License-Identifier: MIT
/* The run's counters: notes for the summary. */
#include <stdarg.h>
#include <stdio.h>
#include "core/run_stats.h"
#include "lib/log.h"

void run_stats_note(struct run_stats *rs, const char *fmt, ...)
{
	va_list ap;

	if (rs->nr_notes >= RUN_NOTES_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(rs->notes[rs->nr_notes++], sizeof(rs->notes[0]), fmt, ap);
	va_end(ap);
}

void run_stats_print_bpf_cost(const struct run_stats *rs, const char *what, uint64_t runs,
			      uint64_t run_ns)
{
	if (runs && rs->bpf_stats_enabled)
		ps_info("cost: %s ran %llu times, %.0f ns each in BPF", what,
			(unsigned long long)runs, (double)run_ns / runs);
}
