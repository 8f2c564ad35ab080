// SPDX-License-Identifier: MIT
/* The line a dominant GIL holder holds it at, from its GIL-held CPU samples. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "core/session.h"
#include "gil/gil_where.h"
#include "report/profile.h"

/* The thread of row holding the GIL the largest share (above GIL_DOMINANT_HELD), or NULL. */
static struct gil_thread_row *dominant(struct gil_proc_row *row)
{
	struct gil_thread_row *best = NULL;
	double best_share = GIL_DOMINANT_HELD;

	for (size_t i = 0; i < row->nr_threads; i++) {
		struct gil_thread_row *t = &row->threads[i];
		double share = t->wall_ns ? (double)t->held_ns / t->wall_ns : 0;

		if (share > best_share) {
			best = t;
			best_share = share;
		}
	}
	return best;
}

/* Copy into sub the stacks of pid/tid sampled with the GIL held (all its stacks if none). */
static int thread_stacks(const struct agg *a, uint32_t pid, uint32_t tid, uint32_t want,
			 struct agg *sub)
{
	const struct raw_stack *rs;
	int err = 0;

	hashmap_for_each(&a->stacks, rs)
	{
		struct ps_sample hdr = { .pid = rs->pid, .tid = rs->tid, .gen = rs->gen };

		if (rs->pid != pid || rs->tid != tid || (rs->flags & want) != want || err)
			continue;
		hdr.flags = rs->flags;
		hdr.weight = rs->count;
		err = agg_add_frames(sub, &hdr, rs->frames, rs->nr_frames);
	}
	return err;
}

/* "func at file:line" of the hottest line in sub; 0 or -ENOENT. */
static int hottest(struct agg *sub, struct session *s, char *buf, size_t len)
{
	struct profile p;
	const char *file;
	int err = profile_build(&p, sub, &s->symtab, &s->targets, &(struct profile_opts){ 0 },
				&s->pool);

	if (!err && (!p.nr_fns || !p.fns[0]->file[0]))
		err = -ENOENT;
	if (!err) {
		file = strrchr(p.fns[0]->file, '/');
		snprintf(buf, len, "%s at %s:%d", p.fns[0]->name, file ? file + 1 : p.fns[0]->file,
			 p.fns[0]->hot_line);
	}
	profile_free(&p);
	return err;
}

void gil_where_fill(struct gil_proc_row *row, struct session *s)
{
	struct gil_thread_row *t = dominant(row);
	struct agg sub;

	if (!t)
		return;
	agg_init(&sub);
	if (thread_stacks(&s->agg, row->pid, t->tid, PS_SAMPLE_GIL_HELD, &sub) == 0 &&
	    sub.nr_samples == 0)
		thread_stacks(&s->agg, row->pid, t->tid, 0, &sub);
	if (sub.nr_samples)
		hottest(&sub, s, t->where, sizeof(t->where));
	agg_free(&sub);
}
