/* SPDX-License-Identifier: MIT */
/*
 * From raw stacks to a named profile: symbolize every frame, merge stacks
 * that name the same lines, and count self / total weight per function.
 */
#ifndef PYSTROBE_PROFILE_H
#define PYSTROBE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/agg.h"
#include "lib/hashmap.h"
#include "report/report.h"
#include "lib/strpool.h"
#include "python/symtab.h"
#include "core/targets.h"

struct profile_opts {
	bool threads; /* a root per thread under each process */
	bool split_gil; /* a [GIL held] / [GIL released] level under the roots */
	bool merge; /* one root per process name (command line), not per pid (record --merge) */
	bool labels; /* process and thread as sample labels, not root frames (pprof) */
	uint64_t weight2_per_unit; /* weight2 = weight x this (e.g. the sampling period), 0: none */
};

/*
 * pid, tid, thread_name, process_name, python, ns_pid, cgroup, gil_held, reason,
 * + container_labels() (namespace, pod, container, container_id)
 */
#define PROFILE_LABELS_MAX 13

/* Self and total weight of one function (qualname + file + first line). */
struct fn_stat {
	const char *name; /* pooled */
	const char *file; /* pooled; "" for pseudo frames */
	int32_t firstlineno;
	int32_t hot_line; /* line with the most self weight */
	uint64_t self, total;
	uint64_t hot_line_self;
	uint32_t seen_stack; /* last stack counted in total (recursion counts once) */
	const struct fn_stat *child; /* the callee with most of its weight (weighted majority) */
	uint64_t child_votes; /* the majority vote's balance, not a weight */
};

/*
 * A wrapper: (almost) no self time and one callee with (almost) its total,
 * 98 % or more (`<module>`, click's main, asyncio.run above the real work);
 * the summary skips it.
 */
bool profile_fn_is_wrapper(const struct fn_stat *fn);

struct profile {
	struct strpool *pool;
	struct report_stack *stacks; /* merged, sorted by frame names */
	size_t nr_stacks;
	uint64_t total; /* sum of weights */
	uint64_t weight2_per_unit; /* from profile_opts */
	struct fn_stat **fns; /* every function, sorted by self desc */
	size_t nr_fns;
	/* what could not be named */
	uint64_t nr_unknown_code; /* frames whose code object was never named */
	uint64_t nr_lines_unknown; /* frames shown at co_firstlineno: line table unusable */
	uint64_t nr_skipped_frames; /* frames that were not code or still being set up */
	/* internals */
	struct hashmap merged, fn_map, line_map, name_cache;
};

/* Build p from the run's data; symbols missing from st are read live when possible. */
int profile_build(struct profile *p, const struct agg *a, struct symtab *st,
		  const struct targets *ts, const struct profile_opts *o, struct strpool *pool);
void profile_free(struct profile *p);

#endif /* PYSTROBE_PROFILE_H */
