/* SPDX-License-Identifier: MIT */
/*
 * The wall view of `pystrobe top --wall`: where the targets' threads spend
 * their time, on and off CPU, by reason and leaf Python line, live (the
 * off-CPU side from wall_live's readings).
 */
#ifndef PYSTROBE_TOP_WALL_H
#define PYSTROBE_TOP_WALL_H

#include <stdint.h>
#include "core/agg.h"
#include "lib/hashmap.h"
#include "top/top_view.h"
#include "wall/wall_live.h"

struct session;
struct wall;

/* What a wall snapshot is made of. */
struct top_wall_in {
	struct session *s;
	const struct wall *w;
	const struct wall_live *live; /* the off-CPU readings */
	const struct agg *cpu; /* the CPU samples of the same span */
	bool cumulative; /* live->cum, else live->last */
	uint64_t period_ns; /* what one CPU sample is worth */
	uint32_t filter_pid; /* 0: every process */
};

/* Fill m->wall_rows (sorted, time by reason and leaf line) and m->wall_ns. 0 or -errno. */
int top_wall_build(struct top_model *m, const struct top_wall_in *in);

#endif /* PYSTROBE_TOP_WALL_H */
