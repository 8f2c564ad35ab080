/* SPDX-License-Identifier: MIT */
/* The end-of-run summary (stderr or --summary FILE) and output provenance lines. */
#ifndef PYSTROBE_SUMMARY_H
#define PYSTROBE_SUMMARY_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include "report/profile.h"
#include "report/report.h"
#include "core/run_stats.h"
#include "core/targets.h"

#define SUMMARY_KV_MAX 40 /* provenance lines per output */

struct jsonw;

/* Short machine name of a BPF counter ("ringbuf_full"). */
const char *summary_stat_name(unsigned id);

/* Fill kv with the run's provenance (version, command, rate, samples, drops). Count. */
size_t summary_kv(const struct run_stats *rs, const struct profile *p, struct report_kv *kv,
		  size_t cap);

/*
 * Open a JSON report's top object with its provenance: schema, pystrobe
 * version, command, start time, duration_ns. The caller adds its members and
 * closes the object.
 */
void summary_json_head(struct jsonw *j, const char *schema, const struct run_stats *rs,
		       uint64_t duration_ns);

/* Close what summary_json_head opened and end the line: 0, or -EIO if writing failed. */
int summary_json_end(struct jsonw *j);

/* Every non-zero loss with its hint ("none" when nothing was lost); p may be NULL. */
void summary_print_drops(FILE *f, const struct run_stats *rs, const struct profile *p);

/* Print the human summary: samples, processes, top functions, every drop with a hint. */
void summary_print(FILE *f, const struct run_stats *rs, const struct profile *p,
		   const struct targets *ts, const char *output);

#endif /* PYSTROBE_SUMMARY_H */
