// SPDX-License-Identifier: MIT
/* Off-CPU readings while the run goes on (wall/wall_live.h). */
#include "wall/wall.h"
#include "wall/wall_live.h"

int wall_live_read(struct wall_live *l, const struct wall *w, uint64_t now_ns)
{
	struct hashmap cur = {};
	const struct wall_bucket *b, *old;
	int err = wall__read(w, now_ns, &cur);

	wall_buckets_free(&l->last);
	hashmap_for_each(&cur, b)
	{
		if (err)
			break;
		old = wall_bucket_find(&l->cum, &b->key);
		/* an interval open at the last reading may be closed now: totals only grow */
		if (!old || b->ns > old->ns)
			err = wall_bucket_add(&l->last, &b->key, b->ns - (old ? old->ns : 0),
					      b->nr_intervals - (old ? old->nr_intervals : 0));
	}
	wall_buckets_free(&l->cum);
	l->cum = cur;
	return err;
}

void wall_live_free(struct wall_live *l)
{
	wall_buckets_free(&l->cum);
	wall_buckets_free(&l->last);
}
