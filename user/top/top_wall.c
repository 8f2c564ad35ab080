// SPDX-License-Identifier: MIT
/* The wall view of `pystrobe top --wall` (top/top_wall.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/session.h"
#include "report/profile.h"
#include "top/top_wall.h"
#include "wall/wall.h"
#include "wall/wall_report.h"

static bool row_eq(const void *item, const void *key)
{
	const struct top_wall_row *a = item, *b = key;

	return a->reason == b->reason && a->func == b->func && a->file == b->file &&
	       a->line == b->line;
}

/* The row of st: its reason (the leaf pseudo frame) and the Python frame above it. */
static struct top_wall_row row_key(const struct report_stack *st)
{
	const struct report_frame *leaf = &st->frames[st->nr_frames - 1], *py = leaf;

	if (st->nr_frames >= 2)
		py = &st->frames[st->nr_frames - 2];
	if (py->kind == RF_PYTHON)
		return (struct top_wall_row){ leaf->name, py->func, py->file, py->line, 0 };
	return (struct top_wall_row){ leaf->name, py->name, "", 0, 0 };
}

static uint64_t row_hash(const struct top_wall_row *r)
{
	return hash_u64((uintptr_t)r->reason ^ hash_u64((uintptr_t)r->func) ^
			hash_u64((uintptr_t)r->file) ^ (uint32_t)r->line);
}

/* The heaviest first; ties by reason, function, file and line: deterministic. */
static int cmp_rows(const void *pa, const void *pb)
{
	const struct top_wall_row *a = pa, *b = pb;

	if (a->ns != b->ns)
		return a->ns < b->ns ? 1 : -1;
	return strcmp(a->reason, b->reason)	?:
		       strcmp(a->func, b->func) ?:
		       strcmp(a->file, b->file) ?:
						  a->line - b->line;
}

/* One row per (reason, leaf line) of p, summed. 0 or -ENOMEM. */
static int rows_of(struct top_model *m, const struct profile *p)
{
	struct hashmap map = {};
	int err = 0;

	m->wall_rows = calloc(p->nr_stacks + 1, sizeof(*m->wall_rows));
	if (!m->wall_rows)
		return -ENOMEM;
	for (size_t i = 0; !err && i < p->nr_stacks; i++) {
		const struct report_stack *st = &p->stacks[i];
		struct top_wall_row k, *r;

		if (!st->nr_frames)
			continue;
		k = row_key(st);
		r = hashmap_find(&map, row_hash(&k), &k, row_eq);
		if (!r) {
			r = &m->wall_rows[m->nr_wall_rows++];
			*r = k;
			err = hashmap_insert(&map, row_hash(r), r);
		}
		r->ns += st->weight;
		m->wall_ns += st->weight;
	}
	hashmap_free(&map);
	qsort(m->wall_rows, m->nr_wall_rows, sizeof(*m->wall_rows), cmp_rows);
	return err;
}

int top_wall_build(struct top_model *m, const struct top_wall_in *in)
{
	struct wall_report_opts wo = { .period_ns = in->period_ns,
				       .cpu = in->cpu,
				       .part = true,
				       .buckets =
					       in->cumulative ? &in->live->cum : &in->live->last };
	struct profile_opts po = {};
	struct agg all, one, *src = &all;
	struct profile p;
	int err;

	memset(&p, 0, sizeof(p));
	agg_init(&all);
	agg_init(&one);
	err = wall_build_agg(in->w, in->s, &wo, &all);
	if (!err && in->filter_pid) {
		err = agg_merge(&one, &all, in->filter_pid);
		src = &one;
	}
	err = err ?: profile_build(&p, src, &in->s->symtab, &in->s->targets, &po, &in->s->pool);
	err = err ?: rows_of(m, &p);
	profile_free(&p);
	agg_free(&one);
	agg_free(&all);
	return err;
}
