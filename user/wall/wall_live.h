/* SPDX-License-Identifier: MIT */
/*
 * Off-CPU time while the run goes on (top's wall view, the agent's wall
 * profiles): the kernel's totals only grow, so each reading keeps the
 * difference with the one before, intervals still open counted up to now.
 */
#ifndef PYSTROBE_WALL_LIVE_H
#define PYSTROBE_WALL_LIVE_H

#include <stdint.h>
#include "lib/hashmap.h"

struct wall;

struct wall_live {
	struct hashmap cum; /* struct wall_bucket by key: everything up to the last reading */
	struct hashmap last; /* the same, between the last two readings */
};

/* Read w's totals at now_ns: cum becomes them, last the difference. 0 or -errno. */
int wall_live_read(struct wall_live *l, const struct wall *w, uint64_t now_ns);
/* Free the readings (empty and usable after). */
void wall_live_free(struct wall_live *l);

#endif /* PYSTROBE_WALL_LIVE_H */
