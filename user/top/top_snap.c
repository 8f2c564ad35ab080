// SPDX-License-Identifier: MIT
/*
 * `pystrobe top` snapshots: samples (an interval's or all) -> named
 * functions with self / total / GIL-held counts, and per-process rates.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/profile.h"
#include "python/pyversion.h"
#include "bpf/sampler.h"
#include "core/session.h"
#include "gil/gil_audit.h"
#include "syscalls/syscalls_audit.h"
#include "top/top_snap.h"

#define MAX_PROCS 4096 /* processes listed in one snapshot; more are left out */

/* The function a leaf frame belongs to: (name, file, first line) pointers. */
struct fn_key {
	const char *name, *file;
	int32_t first;
};

struct row_ref {
	struct fn_key k;
	struct top_row *row;
};

/* Same function: pointer-equal pooled name and file, same first line. */
static bool ref_eq(const void *item, const void *key)
{
	const struct fn_key *a = &((const struct row_ref *)item)->k, *b = key;

	return a->name == b->name && a->file == b->file && a->first == b->first;
}

/* Hash of a function key, for the leaf -> row map. */
static uint64_t key_hash(const struct fn_key *k)
{
	return hash_u64((uintptr_t)k->name ^ hash_u64((uintptr_t)k->file) ^ (uint32_t)k->first);
}

/* Pseudo functions ("[no Python frame]") are known by their pooled name alone. */
static struct fn_key fn_key_of(const struct fn_stat *fn)
{
	if (!fn->file[0])
		return (struct fn_key){ fn->name, NULL, 0 };
	return (struct fn_key){ fn->name, fn->file, fn->firstlineno };
}

/* The GIL state a --split-gil stack carries in its root frames: 1 held, 0 released, -1 unknown. */
static int stack_gil(const struct report_stack *st)
{
	for (size_t i = 0; i < st->nr_frames && i < 3; i++) {
		const char *n = st->frames[i].name;

		if (st->frames[i].kind != RF_PSEUDO)
			continue;
		if (!strcmp(n, "[GIL held]"))
			return 1;
		if (!strcmp(n, "[GIL released]"))
			return 0;
	}
	return -1;
}

/* The row of a frame's function, or NULL (roots, [GIL held] levels). */
static struct top_row *row_of(struct hashmap *refs, const struct report_frame *f)
{
	struct fn_key k = f->kind == RF_PYTHON ? (struct fn_key){ f->func, f->file, f->func_line } :
						 (struct fn_key){ f->name, NULL, 0 };
	struct row_ref *r = hashmap_find(refs, key_hash(&k), &k, ref_eq);

	return r ? r->row : NULL;
}

/*
 * Add each stack's GIL state to every function on it, once per stack
 * (recursion counts once, like total): a function's GIL-held share is that
 * of its total samples.
 */
static void count_gil(const struct profile *p, struct hashmap *refs)
{
	for (size_t i = 0; i < p->nr_stacks; i++) {
		const struct report_stack *st = &p->stacks[i];
		int gil = stack_gil(st);

		for (size_t j = 0; gil >= 0 && j < st->nr_frames; j++) {
			struct top_row *r = row_of(refs, &st->frames[j]);

			if (!r || r->seen == i + 1)
				continue;
			r->seen = i + 1;
			r->gil_known += st->weight;
			r->gil_held += gil ? st->weight : 0;
		}
	}
}

/* The row of fn: found through map, else a new row with no CPU samples. */
static struct top_row *row_for(struct top_model *m, struct hashmap *map, struct row_ref *refs,
			       const struct fn_stat *fn)
{
	struct fn_key k = fn_key_of(fn);
	struct row_ref *r = hashmap_find(map, key_hash(&k), &k, ref_eq);

	if (r)
		return r->row;
	m->rows[m->nr_rows] = (struct top_row){ .func = fn->name,
						.file = fn->file,
						.line = fn->self ? fn->hot_line : fn->firstlineno };
	refs[m->nr_rows] = (struct row_ref){ k, &m->rows[m->nr_rows] };
	if (hashmap_insert(map, key_hash(&k), &refs[m->nr_rows]))
		return NULL;
	return &m->rows[m->nr_rows++];
}

/*
 * One row per function of p (CPU) with its GIL share, and its syscalls from
 * sp (the audit's stacks; functions seen only there get a row too).
 */
static int rows_from(struct top_model *m, const struct profile *p, const struct profile *sp)
{
	size_t cap = p->nr_fns + (sp ? sp->nr_fns : 0) + 1;
	struct row_ref *refs = calloc(cap, sizeof(*refs));
	struct hashmap map = {};
	struct top_row *r;
	int err = 0;

	m->rows = calloc(cap, sizeof(*m->rows));
	if (!refs || !m->rows) {
		free(refs);
		return -ENOMEM;
	}
	for (size_t i = 0; !err && i < p->nr_fns; i++) {
		r = row_for(m, &map, refs, p->fns[i]);
		err = r ? 0 : -ENOMEM;
		if (r) {
			r->self = p->fns[i]->self;
			r->total = p->fns[i]->total;
		}
	}
	for (size_t i = 0; !err && sp && i < sp->nr_fns; i++) {
		r = row_for(m, &map, refs, sp->fns[i]);
		err = r ? 0 : -ENOMEM;
		if (r)
			r->sys_calls += (double)sp->fns[i]->total;
	}
	m->total = p->total;
	if (!err)
		count_gil(p, &map);
	hashmap_free(&map);
	free(refs);
	return err;
}

/* The entry of pid in m->procs, added when new (NULL when full). */
static struct top_proc *proc_get(struct top_model *m, uint32_t pid)
{
	for (size_t i = 0; i < m->nr_procs; i++)
		if (m->procs[i].pid == pid)
			return &m->procs[i];
	if (m->nr_procs == MAX_PROCS)
		return NULL;
	m->procs[m->nr_procs] =
		(struct top_proc){ .pid = pid, .gil_pct = -1, .syscalls_per_s = -1 };
	return &m->procs[m->nr_procs++];
}

/* Label, version and syscall rate of a listed process. */
static void proc_fill(struct top_proc *tp, const struct top_snap_in *in)
{
	const struct target *t = targets_last(&in->s->targets, tp->pid);

	snprintf(tp->label, sizeof(tp->label), "%.36s%s", t ? t->t.label : "?",
		 t && t->exited ? " (exited)" : "");
	if (t)
		pyversion_str(&t->t.ver, tp->python, sizeof(tp->python));
	for (size_t i = 0; in->audit && i < *in->nr_sys_prev; i++)
		if (in->sys_prev[i].pid == tp->pid)
			tp->syscalls_per_s = in->sys_prev[i].per_s;
}

/* GIL-wait share of a listed process: the last interval's, or since the start. */
static void proc_wait(struct top_proc *tp, const struct top_snap_in *in, bool cumulative)
{
	const struct top_gil_prev *pv = NULL;

	for (size_t i = 0; in->gil && i < *in->nr_gil_prev && !pv; i++)
		pv = in->gil_prev[i].pid == tp->pid ? &in->gil_prev[i] : NULL;
	if (!pv)
		return;
	tp->gil_wait = pv->state;
	if (cumulative)
		tp->gil_wait_pct = pv->busy_ns ? 100.0 * pv->wait_ns / pv->busy_ns : 0;
	else
		tp->gil_wait_pct = pv->pct;
}

/* The process order: by samples/s, or by GIL wait (w), unknown waits last. */
static bool cmp_by_wait; /* qsort has no context argument in C11 */

/* The wait share as a sort key: unknown below any figure. */
static double wait_key(const struct top_proc *p)
{
	return p->gil_wait == TOP_WAIT_EXACT ? p->gil_wait_pct : -1.0;
}

/* Busiest (or most waiting) process first, then by pid: a stable header. */
static int cmp_procs(const void *pa, const void *pb)
{
	const struct top_proc *a = pa, *b = pb;

	if (cmp_by_wait && wait_key(a) != wait_key(b))
		return wait_key(a) < wait_key(b) ? 1 : -1;
	if (a->samples_per_s != b->samples_per_s)
		return a->samples_per_s < b->samples_per_s ? 1 : -1;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

/* Every process with samples in src, and every live target (filtered or not): rates, GIL. */
static int procs_from(struct top_model *m, const struct top_snap_in *in)
{
	const struct thread_name *th;
	struct target *t;
	struct top_proc *tp;

	m->procs = calloc(MAX_PROCS, sizeof(*m->procs));
	if (!m->procs)
		return -ENOMEM;
	hashmap_for_each(&in->src->threads, th)
	{
		if (!(tp = proc_get(m, th->pid)))
			continue;
		tp->samples_per_s += in->span_s > 0 ? th->nr_samples / in->span_s : 0;
		tp->gil_held += th->nr_gil_held;
		tp->gil_known += th->nr_gil_known;
	}
	hashmap_for_each(&in->s->targets.by_key, t)
	{
		if (!t->exited)
			proc_get(m, t->t.pid);
	}
	for (size_t i = 0; i < m->nr_procs; i++) {
		tp = &m->procs[i];
		tp->gil_pct = tp->gil_known ? 100.0 * tp->gil_held / tp->gil_known : -1;
		proc_fill(tp, in);
		proc_wait(tp, in, m->cumulative);
	}
	cmp_by_wait = m->procs_by_wait;
	qsort(m->procs, m->nr_procs, sizeof(*m->procs), cmp_procs);
	return 0;
}

/* Read the syscall totals of every audited process; rates over sys_span_s. */
static void read_syscalls(const struct top_snap_in *in)
{
	struct syscalls_result r = {};

	in->s->stats.duration_s = in->sys_span_s; /* the findings' rates: not shown here */
	if (syscalls_audit__result(in->audit, &r) == 0) {
		for (size_t i = 0; i < r.nr_procs && i < MAX_PROCS; i++) {
			const struct syscalls_proc_report *pr = &r.procs[i];
			struct top_sys_prev *pv = NULL;

			for (size_t j = 0; j < *in->nr_sys_prev && !pv; j++)
				pv = in->sys_prev[j].pid == pr->pid ? &in->sys_prev[j] : NULL;
			if (!pv) {
				pv = &in->sys_prev[(*in->nr_sys_prev)++];
				*pv = (struct top_sys_prev){ pr->pid, 0, 0 };
			}
			/* an exiting process's threads may be in neither the live nor the done
			 * counters for a moment: a total that went down is not a reading */
			if (pr->total_calls < pv->calls)
				continue;
			pv->per_s = in->sys_span_s > 0 ?
					    (pr->total_calls - pv->calls) / in->sys_span_s :
					    0;
			pv->calls = pr->total_calls;
		}
	}
	syscalls_result_free(&r);
}

/* The reading of pid (a new one when first seen; NULL when full). */
static struct top_gil_prev *gil_prev_of(const struct top_snap_in *in, uint32_t pid)
{
	for (size_t j = 0; j < *in->nr_gil_prev; j++)
		if (in->gil_prev[j].pid == pid)
			return &in->gil_prev[j];
	if (*in->nr_gil_prev >= in->gil_prev_max)
		return NULL;
	in->gil_prev[*in->nr_gil_prev] = (struct top_gil_prev){ .pid = pid };
	return &in->gil_prev[(*in->nr_gil_prev)++];
}

/* Read the GIL audit's totals of every process; wait shares over the interval. */
static void read_gil(const struct top_snap_in *in)
{
	struct gil_result r = {};

	if (gil_audit__result(in->gil, session_now_ns(), &r) == 0) {
		for (size_t i = 0; i < r.nr_procs; i++) {
			const struct gil_proc_row *pr = &r.procs[i];
			struct top_gil_prev *pv = gil_prev_of(in, pr->pid);
			uint64_t wait = 0, busy = 0;

			if (!pv)
				continue;
			pv->state = pr->mode == GIL_EXACT     ? TOP_WAIT_EXACT :
				    pr->mode == GIL_ESTIMATED ? TOP_WAIT_ESTIMATED :
								TOP_WAIT_NONE;
			for (size_t t = 0; t < pr->nr_threads; t++) {
				wait += pr->threads[t].wait_ns;
				busy += pr->threads[t].wait_ns + pr->threads[t].held_ns;
			}
			/* a thread whose totals were evicted makes the sums go down: no reading */
			if (pv->state != TOP_WAIT_EXACT || wait < pv->wait_ns || busy < pv->busy_ns)
				continue;
			pv->pct = busy > pv->busy_ns ?
					  100.0 * (wait - pv->wait_ns) / (busy - pv->busy_ns) :
					  0;
			pv->wait_ns = wait;
			pv->busy_ns = busy;
		}
	}
	gil_result_free(&r);
}

/* Samples lost and stacks cut since the start, from the BPF counters. */
static void drops(struct top_model *m, const struct session *s)
{
	uint64_t c[PS_STAT__COUNT] = {};

	sampler__stats(s->sampler, c);
	m->lost = c[PS_STAT_RINGBUF_FULL] + c[PS_STAT_READ_TSTATE] + c[PS_STAT_WALK_LIMIT] +
		  s->agg.nr_malformed;
	m->partial = c[PS_STAT_READ_FRAME] + c[PS_STAT_TRUNCATED];
}

/* The profile of src (only filter_pid's stacks when set). 0 or -errno. */
static int build(struct profile *p, const struct agg *src, uint32_t pid,
		 const struct top_snap_in *in, uint64_t *nr_samples)
{
	struct profile_opts po = { .split_gil = true };
	struct agg one;
	int err;

	if (!pid) {
		*nr_samples = src->nr_samples;
		return profile_build(p, src, &in->s->symtab, &in->s->targets, &po, &in->s->pool);
	}
	agg_init(&one);
	err = agg_merge(&one, src, pid);
	err = err ?: profile_build(p, &one, &in->s->symtab, &in->s->targets, &po, &in->s->pool);
	*nr_samples = one.nr_samples;
	agg_free(&one);
	return err;
}

int top_snap_build(struct top_model *m, const struct top_snap_in *in)
{
	struct profile p, sp;
	uint64_t nr_sys;
	int err;

	memset(&p, 0, sizeof(p));
	memset(&sp, 0, sizeof(sp));
	if (in->audit && in->update_sys)
		read_syscalls(in);
	if (in->gil && in->update_sys)
		read_gil(in);
	err = build(&p, in->src, m->filter_pid, in, &m->nr_samples);
	if (!err && in->sys_src)
		err = build(&sp, in->sys_src, m->filter_pid, in, &nr_sys);
	m->has_sys = in->sys_src != NULL;
	m->nr_live = in->s->nr_live;
	drops(m, in->s);
	err = err ?: rows_from(m, &p, in->sys_src ? &sp : NULL);
	err = err ?: procs_from(m, in);
	if (!err)
		top_view_sort(m);
	profile_free(&p);
	profile_free(&sp);
	return err;
}

void top_snap_free(struct top_model *m)
{
	free(m->rows);
	free(m->procs);
	free(m->wall_rows);
	m->rows = NULL;
	m->procs = NULL;
	m->wall_rows = NULL;
	m->nr_rows = m->nr_procs = m->nr_wall_rows = 0;
	m->wall_ns = 0;
}
