// SPDX-License-Identifier: MIT
/* The wall-clock profile and the per-thread table of record --wall (wall/wall_report.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/session.h"
#include "report/profile.h"
#include "wall/wall.h"
#include "wall/wall_reasons.h"
#include "core/thread_names.h"
#include "wall/wall_report.h"

/* A stack with one pseudo frame added at its leaf end. */
struct leafed {
	struct ps_sample *hdr; /* only the header is read by agg_add_frames */
	struct agg_frame *frames;
	uint32_t cap;
};

/* Room for nr frames in l. 0 or -ENOMEM. */
static int leafed_reserve(struct leafed *l, uint32_t nr)
{
	struct agg_frame *f;

	if (nr <= l->cap)
		return 0;
	f = realloc(l->frames, nr * sizeof(*f));
	if (!f)
		return -ENOMEM;
	l->frames = f;
	l->cap = nr;
	return 0;
}

/* frames[0] = the pseudo frame name, then src's nr frames. 0 or -ENOMEM. */
static int leafed_set(struct leafed *l, const char *name, const struct agg_frame *src, uint32_t nr)
{
	int err = leafed_reserve(l, nr + 1);

	if (err)
		return err;
	l->frames[0] = agg_frame_named(name, AGG_FRAME_PSEUDO);
	memcpy(l->frames + 1, src, nr * sizeof(*src));
	return 0;
}

/* Was thread tid seen on CPU (one sample at least)? */
static bool on_cpu(const struct agg *cpu, uint32_t tid)
{
	const struct thread_name *t = agg_thread(cpu, tid);

	return t && t->nr_samples;
}

/*
 * What rs's samples are worth: the thread's exact CPU time (the kernel's
 * count, of the whole run: only when cpu holds the whole run's samples)
 * spread over its samples, else the sampling period each.
 */
static uint64_t cpu_weight(const struct wall *w, const struct agg *cpu, const struct raw_stack *rs,
			   uint64_t period_ns, bool whole_run)
{
	const struct thread_name *t = agg_thread(cpu, rs->tid);
	uint64_t exact = whole_run ? wall__cpu_ns(w, rs->tid) : 0;

	if (!exact || !t || !t->nr_samples)
		return rs->count * period_ns;
	return (uint64_t)((double)exact * rs->count / t->nr_samples);
}

/* Every CPU stack under [CPU]. */
static int add_cpu(const struct wall *w, struct session *s, const struct wall_report_opts *o,
		   struct leafed *l, struct agg *out)
{
	const char *name = strpool_intern(&s->pool, "[CPU]");
	const struct raw_stack *rs;
	int err = name ? 0 : -ENOMEM;

	hashmap_for_each(&o->cpu->stacks, rs)
	{
		if (err)
			break;
		err = leafed_set(l, name, rs->frames, rs->nr_frames);
		l->hdr->pid = rs->pid;
		l->hdr->gen = rs->gen;
		l->hdr->tid = rs->tid;
		l->hdr->flags = rs->flags;
		l->hdr->weight = cpu_weight(w, o->cpu, rs, o->period_ns, !o->part);
		snprintf((char *)l->hdr->comm, PS_COMM_LEN, "%s", agg_thread_name(o->cpu, rs->tid));
		err = err ?: agg_add_frames(out, l->hdr, l->frames, rs->nr_frames + 1);
	}
	return err;
}

/* The name of off-CPU thread tid: from its CPU samples, else from the stack BPF sent. */
static const char *thread_comm(const struct agg *cpu, const struct wall_stack *st, uint32_t tid)
{
	if (on_cpu(cpu, tid))
		return agg_thread_name(cpu, tid);
	return st ? (const char *)st->smp.comm : "?";
}

/* One off-CPU bucket under its reason, on its stack (none when the stack was lost). */
static int add_bucket(const struct wall *w, struct session *s, const struct agg *cpu,
		      const struct wall_bucket *b, struct leafed *l, struct agg *out)
{
	const struct wall_stack *st = wall__stack(w, b->key.stack_id);
	const struct target *t = targets_last(&s->targets, b->key.pid);
	uint32_t nr = st ? st->smp.nr_frames : 0;
	const char *name;
	char buf[64];
	int err;

	name = strpool_intern(&s->pool, wall_reason_frame(&b->key, buf, sizeof(buf)));
	if (!name)
		return -ENOMEM;
	err = leafed_reserve(l, nr + 1);
	if (err)
		return err;
	l->frames[0] = agg_frame_named(name, AGG_FRAME_PSEUDO);
	for (uint32_t i = 0; i < nr; i++)
		l->frames[i + 1] = agg_frame_python(&st->smp.frames[i]);
	l->hdr->pid = b->key.pid;
	l->hdr->gen = st ? st->smp.gen : t ? t->gen : 0;
	l->hdr->tid = b->key.tid;
	l->hdr->flags = st ? st->smp.flags : 0;
	l->hdr->weight = b->ns;
	snprintf((char *)l->hdr->comm, PS_COMM_LEN, "%s", thread_comm(cpu, st, b->key.tid));
	return agg_add_frames(out, l->hdr, l->frames, nr + 1);
}

/* Off-CPU ns of one thread (--no-idle). */
struct thread_off {
	uint32_t tid;
	uint64_t ns;
};

static bool off_eq(const void *item, const void *key)
{
	return ((const struct thread_off *)item)->tid == *(const uint32_t *)key;
}

/* Sum the buckets by thread into offs. 0 or -ENOMEM. */
static int sum_offs(const struct hashmap *buckets, struct hashmap *offs)
{
	const struct wall_bucket *b;
	struct thread_off *t;

	hashmap_for_each(buckets, b)
	{
		uint32_t tid = b->key.tid;

		t = hashmap_find(offs, hash_u64(tid), &tid, off_eq);
		if (!t) {
			t = calloc(1, sizeof(*t));
			if (!t || hashmap_insert(offs, hash_u64(tid), t)) {
				free(t);
				return -ENOMEM;
			}
			t->tid = tid;
		}
		t->ns += b->ns;
	}
	return 0;
}

/* Idle the whole run: on CPU less than WALL_IDLE_CPU_PCT of its time. */
static bool idle(const struct hashmap *offs, const struct agg *cpu, uint32_t tid,
		 uint64_t period_ns)
{
	const struct thread_name *t = agg_thread(cpu, tid);
	const struct thread_off *o = hashmap_find(offs, hash_u64(tid), &tid, off_eq);
	uint64_t on = t ? t->nr_samples * period_ns : 0, off = o ? o->ns : 0;

	return on * 100 < (on + off) * WALL_IDLE_CPU_PCT;
}

int wall_build_agg(const struct wall *w, struct session *s, const struct wall_report_opts *opts,
		   struct agg *out)
{
	struct wall_report_opts o = *opts;
	struct leafed l = { .hdr = calloc(1, sizeof(struct ps_sample)) };
	const struct wall_bucket *b;
	struct hashmap offs = {};
	int err;

	o.cpu = o.cpu ? o.cpu : &s->agg;
	o.buckets = o.buckets ? o.buckets : &w->buckets;
	err = l.hdr ? add_cpu(w, s, &o, &l, out) : -ENOMEM;
	err = err ?: o.no_idle ? sum_offs(o.buckets, &offs) : 0;
	hashmap_for_each(o.buckets, b)
	{
		if (err)
			break;
		if (b->ns && !(o.no_idle && idle(&offs, o.cpu, b->key.tid, o.period_ns)))
			err = add_bucket(w, s, o.cpu, b, &l, out);
	}
	err = err ?: o.extra ? agg_merge(out, o.extra, 0) : 0;
	err = err ?: thread_names__apply(s->names, out); /* threads seen only off CPU too */
	hashmap_free_all(&offs);
	free(l.frames);
	free(l.hdr);
	return err;
}

/* One line of the per-thread table. */
struct thread_row {
	uint32_t pid, tid;
	const char *comm;
	uint64_t ns[WALL__COUNT];
	uint64_t best_ns[WALL__COUNT]; /* the heaviest stack of each class ... */
	const struct agg_frame *best[WALL__COUNT]; /* ... its frames (no pseudo frame) */
	uint32_t best_nr[WALL__COUNT];
	uint32_t best_gen[WALL__COUNT];
};

static bool row_eq(const void *item, const void *key)
{
	return ((const struct thread_row *)item)->tid == *(const uint32_t *)key;
}

static struct thread_row *row_get(struct hashmap *rows, uint32_t pid, uint32_t tid)
{
	struct thread_row *r = hashmap_find(rows, hash_u64(tid), &tid, row_eq);

	if (r)
		return r;
	r = calloc(1, sizeof(*r));
	if (!r || hashmap_insert(rows, hash_u64(tid), r)) {
		free(r);
		return NULL;
	}
	r->pid = pid;
	r->tid = tid;
	return r;
}

/* Count ns of class c for r, remembering the heaviest stack. */
static void row_add(struct thread_row *r, enum wall_class c, uint64_t ns,
		    const struct agg_frame *frames, uint32_t nr, uint32_t gen)
{
	r->ns[c] += ns;
	if (ns <= r->best_ns[c])
		return;
	r->best_ns[c] = ns;
	r->best[c] = frames;
	r->best_nr[c] = nr;
	r->best_gen[c] = gen;
}

/* The wall agg's stacks by thread and class (the leaf pseudo frame names the class). */
static int fill_rows(struct hashmap *rows, const struct agg *wall, struct strpool *pool)
{
	const char *cpu = strpool_intern(pool, "[CPU]");
	const char *await = strpool_intern(pool, WALL_AWAIT_FRAME);
	const struct raw_stack *rs;
	struct thread_row *r;

	hashmap_for_each(&wall->stacks, rs)
	{
		enum wall_class c = WALL_OTHER;

		if (rs->nr_frames && rs->frames[0].name == await)
			continue; /* a task's time, not its thread's */
		if (!(r = row_get(rows, rs->pid, rs->tid)))
			return -ENOMEM;
		r->comm = agg_thread_name(wall, rs->tid);
		if (rs->nr_frames && rs->frames[0].name == cpu)
			c = WALL_RUNNING;
		else if (rs->nr_frames)
			c = wall_class_of_frame(rs->frames[0].name);
		row_add(r, c, rs->count, rs->frames + 1, rs->nr_frames ? rs->nr_frames - 1 : 0,
			rs->gen);
	}
	return 0;
}

/* "qualname (file:line)" of the leaf Python frame of one stack, or "-". */
static const char *top_line(struct session *s, const struct thread_row *r, enum wall_class c)
{
	struct profile_opts po = {};
	struct ps_sample *hdr = calloc(1, sizeof(struct ps_sample));
	const char *name = "-";
	struct profile p;
	struct agg a;

	if (!hdr || !r->best_nr[c]) {
		free(hdr);
		return name;
	}
	agg_init(&a);
	hdr->pid = r->pid;
	hdr->tid = r->tid;
	hdr->gen = r->best_gen[c];
	hdr->weight = 1;
	if (!agg_add_frames(&a, hdr, r->best[c], r->best_nr[c]) &&
	    !profile_build(&p, &a, &s->symtab, &s->targets, &po, &s->pool)) {
		if (p.nr_stacks && p.stacks[0].nr_frames)
			name = p.stacks[0].frames[p.stacks[0].nr_frames - 1].name;
		profile_free(&p);
	}
	agg_free(&a);
	free(hdr);
	return name;
}

static void write_row(FILE *f, struct session *s, const struct thread_row *r)
{
	uint64_t total = 0;

	for (int c = 0; c < WALL__COUNT; c++)
		total += r->ns[c];
	if (!total)
		return;
	fprintf(f, "  %s (%u) in pid %u: %.3f s\n", r->comm ? r->comm : "?", r->tid, r->pid,
		total / 1e9);
	for (int c = 0; c < WALL__COUNT; c++)
		if (r->ns[c])
			fprintf(f, "    %-9s %5.1f%%  %s\n", wall_class_name(c),
				100.0 * r->ns[c] / total, top_line(s, r, c));
}

int wall_write_text(FILE *f, const struct agg *wall, struct session *s)
{
	struct hashmap rows = {};
	struct thread_row *r;
	int err = fill_rows(&rows, wall, &s->pool);

	if (!err) {
		fprintf(f,
			"\nwall time by thread (share of each thread's time, top Python line):\n");
		hashmap_for_each(&rows, r) write_row(f, s, r);
	}
	hashmap_free_all(&rows);
	return err;
}
