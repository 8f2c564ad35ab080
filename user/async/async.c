// SPDX-License-Identifier: MIT
/* record --async: samples counted under the running asyncio task (see async.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "async/async.h"
#include "async/async_tasks.h"
#include "core/agg.h"
#include "core/session.h"
#include "lib/log.h"
#include "ps_async.h"
#include "target/procfs.h"
#include "target/memcache.h"

/*
 * A process's tasks are looked for at most every 0.2 s; each look that finds
 * no new task doubles that, up to 0.8 s (a generator outside any task, e.g.
 * a generator expression during an import, would otherwise cost a heap walk
 * every 0.2 s; a longer wait lost the first seconds of tasks created after
 * a slow start: 0 of 1,900 samples under a task in a 4 s run).
 */
#define ASYNC_REFRESH_MIN_NS 200000000ull
#define ASYNC_REFRESH_MAX_SHIFT 2
/* a look no sample asked for (async__set_refresh's poll_ns) waits at least this many times
 * the last look's CPU time: at most ~5 % of a core on any heap (a look reads every GC object) */
#define ASYNC_POLL_COST_FACTOR 20
#define ASYNC_MAX_DEPTH 32 /* awaiting tasks shown under a task: beyond, cut */
#define ASYNC_MAX_STACK (PS_MAX_FRAMES + ASYNC_MAX_DEPTH)

/* One profiled process running a CPython of async_layouts.c (3.11-3.15). */
struct async_proc {
	uint32_t pid, gen;
	struct async_tasks at;
	bool want_refresh; /* a sample named an unknown coroutine */
	uint64_t last_refresh_ns;
	uint64_t last_cost_ns; /* pystrobe's CPU time in the last look */
	unsigned shift; /* refreshes in a row that found no new task, capped */
	uint32_t loop_tid; /* the thread of the last task step seen (--wall's suspended tasks) */
	struct memcache mc; /* the target's memory in chunks, during a look only */
};

struct async {
	struct session *s;
	struct hashmap procs; /* pid -> struct async_proc */
	struct agg_frame frames[ASYNC_MAX_STACK]; /* the stack being rewritten */
	uint64_t nr_attributed, nr_unknown, nr_unsupported, nr_depth_cut;
	uint64_t refresh_min_ns; /* ASYNC_REFRESH_MIN_NS, or async__set_refresh's */
	unsigned refresh_max_shift;
	uint64_t poll_ns; /* 0: look only when a sample names an unknown coroutine */
};

static bool proc_eq(const void *item, const void *key)
{
	return ((const struct async_proc *)item)->pid == *(const uint32_t *)key;
}

/* The target reader async_tasks uses: ctx is the struct async_proc. */
static int read_target(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct async_proc *p = ctx;

	return memcache_read(&p->mc, p->pid, addr, buf, len);
}

static struct async_proc *proc_find(struct async *as, uint32_t pid)
{
	return hashmap_find(&as->procs, hash_u64(pid), &pid, proc_eq);
}

/* Listener: a target started; set up its task reader if its version has a layout. */
static void on_add(void *ctx, struct target *t)
{
	const struct async_layout *l = async_layout_find(t->t.ver.major, t->t.ver.minor);
	struct async *as = ctx;
	struct async_proc *p;

	if (!l) {
		if (!as->nr_unsupported++)
			ps_warn("pid %d: --async reads CPython 3.11-3.15 tasks, not %u.%u: "
				"its samples stay under the event loop",
				t->t.pid, t->t.ver.major, t->t.ver.minor);
		return;
	}
	p = proc_find(as, t->t.pid);
	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p || hashmap_insert(&as->procs, hash_u64(t->t.pid), p)) {
			free(p);
			return;
		}
	}
	async_tasks_free(&p->at);
	p->pid = t->t.pid;
	p->gen = t->gen;
	async_tasks_init(&p->at, l, &t->t.layout.off, read_target, p, t->t.bpf.interp_head_addr);
	p->want_refresh = true;
}

/* The task of the sample's rootmost coroutine frame (trailer a), or NULL. */
static const struct async_task *sample_task(struct async *as, const struct ps_sample *smp,
					    const struct ps_async *a)
{
	struct async_proc *p = proc_find(as, smp->pid);
	const struct async_task *t;

	if (!p || p->gen != smp->gen)
		return NULL;
	t = async_tasks_by_coro(&p->at, a->frame_addr - p->at.l->gen_iframe);
	if (!t)
		p->want_refresh = true;
	return t;
}

int async__task_frames(struct async *as, uint32_t pid, const struct async_task *t,
		       struct agg_frame *out, uint32_t cap)
{
	struct async_proc *p = proc_find(as, pid);
	char name[ASYNC_NAME_MAX + 8];
	uint32_t n = 0;
	const char *pooled;

	for (; t && p; t = t->parent ? async_tasks_by_addr(&p->at, t->parent) : NULL) {
		if (n == cap || n == ASYNC_MAX_DEPTH) {
			as->nr_depth_cut++;
			break;
		}
		snprintf(name, sizeof(name), "[task %s]", t->name);
		pooled = strpool_intern(&as->s->pool, name);
		if (!pooled)
			return -ENOMEM;
		out[n++] = agg_frame_named(pooled, AGG_FRAME_PSEUDO);
	}
	return (int)n;
}

/*
 * Count smp as frames[0..frame_idx] (the task's coroutine chain, leaf first),
 * then "[task NAME]" and its awaiters': the event loop's frames go.
 */
static int add_task_stack(struct async *as, struct agg *ag, const struct ps_sample *smp,
			  uint32_t idx, const struct async_task *t)
{
	uint32_t n = 0;
	int nr_tasks;

	for (; n <= idx; n++)
		as->frames[n] = agg_frame_python(&smp->frames[n]);
	nr_tasks = async__task_frames(as, smp->pid, t, as->frames + n, ASYNC_MAX_DEPTH);
	if (nr_tasks < 0)
		return nr_tasks;
	proc_find(as, smp->pid)->loop_tid = smp->tid;
	as->nr_attributed += agg_samples_of(smp);
	return agg_add_frames(ag, smp, as->frames, n + (uint32_t)nr_tasks);
}

/* Listener: a sample with a coroutine root goes under its task, when known. */
static int on_sample(void *ctx, struct agg *ag, const struct ps_sample *smp, size_t size)
{
	struct async *as = ctx;
	const struct async_task *t;
	struct ps_async a;
	size_t frames_end = PS_SAMPLE_HDR_SIZE + (size_t)smp->nr_frames * sizeof(struct ps_frame);

	if (!(smp->flags & PS_SAMPLE_HAS_ASYNC) || size < frames_end + sizeof(a) ||
	    smp->nr_frames > PS_MAX_FRAMES)
		return 0;
	/* the last trailer (the highest PS_SAMPLE_HAS_* bit) */
	memcpy(&a, (const uint8_t *)smp + size - sizeof(a), sizeof(a));
	if (a.frame_idx >= smp->nr_frames)
		return 0;
	t = sample_task(as, smp, &a);
	if (!t) {
		as->nr_unknown += agg_samples_of(smp);
		return 0;
	}
	return add_task_stack(as, ag, smp, a.frame_idx, t) == -ENOMEM ? -ENOMEM : 1;
}

/* Look for the tasks of p again; back off (up to max_shift) while nothing new is found. */
static void refresh(struct async_proc *p, uint64_t now_ns, unsigned max_shift)
{
	uint64_t start_ns;
	int added;

	p->want_refresh = false;
	p->last_refresh_ns = now_ns;
	start_ns = session_cpu_ns(); /* CPU, not wall time: a busy host stretches the latter */
	memcache_begin(&p->mc, p->pid);
	added = async_tasks_refresh(&p->at);
	memcache_end(&p->mc);
	p->last_cost_ns = session_cpu_ns() - start_ns;
	if (added < 0)
		ps_warn("pid %u: --async: cannot index its tasks: out of memory", p->pid);
	if (added > 0)
		p->shift = 0;
	else if (p->shift < max_shift)
		p->shift++;
	ps_debug("pid %u: --async: %zu tasks (%d new), %llu GC objects read in all, %llu us "
		 "(%llu reads from %llu chunks)",
		 p->pid, p->at.nr_tasks, added, (unsigned long long)p->at.nr_objects,
		 (unsigned long long)p->last_cost_ns / 1000, (unsigned long long)p->mc.nr_hits,
		 (unsigned long long)p->mc.nr_misses);
}

/*
 * Is it time to look again for p's tasks? When a sample named an unknown
 * coroutine, after the backed-off interval; else every poll_ns when set
 * (tasks that never run while sampled), paced by the last look's cost.
 */
static bool refresh_due(const struct async *as, const struct async_proc *p, uint64_t now_ns)
{
	uint64_t wait = as->refresh_min_ns << p->shift;

	if (!p->want_refresh) {
		if (!as->poll_ns)
			return false;
		wait = as->poll_ns;
		if (wait < ASYNC_POLL_COST_FACTOR * p->last_cost_ns)
			wait = ASYNC_POLL_COST_FACTOR * p->last_cost_ns;
	}
	return now_ns - p->last_refresh_ns >= wait;
}

/* Listener: look again for the tasks of processes whose samples named unknown coroutines. */
static void on_tick(void *ctx, uint64_t now_ns)
{
	struct async *as = ctx;
	struct async_proc *p;

	for (size_t i = 0; i < as->procs.cap; i++) {
		p = as->procs.slots[i].item;
		if (p && refresh_due(as, p, now_ns))
			refresh(p, now_ns, as->refresh_max_shift);
	}
}

/* Listener: the run is over; what --async did and missed goes to the summary. */
static void on_finish(void *ctx)
{
	struct async *as = ctx;
	uint64_t refreshes = 0, capped = 0, bad = 0;
	struct async_proc *p;

	for (size_t i = 0; i < as->procs.cap; i++) {
		p = as->procs.slots[i].item;
		if (!p)
			continue;
		refreshes += p->at.nr_refreshes;
		capped += p->at.nr_walk_capped + p->at.nr_tasks_capped;
		bad += p->at.nr_bad_lists;
	}
	run_stats_note(&as->s->stats,
		       "async: %llu samples under their task, %llu in a coroutine of no known "
		       "task; %llu task refreshes, %llu cut at a cap, %llu broken GC lists",
		       (unsigned long long)as->nr_attributed, (unsigned long long)as->nr_unknown,
		       (unsigned long long)refreshes, (unsigned long long)capped,
		       (unsigned long long)bad);
}

struct async *async__open(struct session *s)
{
	struct async *as = calloc(1, sizeof(*as));
	int err;

	if (!as)
		return NULL;
	as->s = s;
	as->refresh_min_ns = ASYNC_REFRESH_MIN_NS;
	as->refresh_max_shift = ASYNC_REFRESH_MAX_SHIFT;
	err = session_listen(s, &(struct session_listener){ .name = "async",
							    .ctx = as,
							    .on_add = on_add,
							    .on_sample = on_sample,
							    .on_tick = on_tick,
							    .tick_ms = 100,
							    .on_finish = on_finish });
	if (err) {
		free(as);
		errno = -err;
		return NULL;
	}
	return as;
}

static bool drop_proc(void *item, void *ctx)
{
	(void)ctx;
	async_tasks_free(&((struct async_proc *)item)->at);
	free(item);
	return false;
}

void async__free(struct async *as)
{
	if (!as)
		return;
	hashmap_filter(&as->procs, drop_proc, NULL);
	hashmap_free(&as->procs);
	free(as);
}

void async__each(struct async *as, async_each_fn fn, void *ctx)
{
	struct async_proc *p;

	for (size_t i = 0; i < as->procs.cap; i++) {
		p = as->procs.slots[i].item;
		if (p)
			fn(ctx, p->pid, p->gen, p->loop_tid ? p->loop_tid : p->pid, &p->at);
	}
}

void async__set_refresh(struct async *as, uint64_t min_ns, unsigned max_shift, uint64_t poll_ns)
{
	as->refresh_min_ns = min_ns;
	as->refresh_max_shift = max_shift;
	as->poll_ns = poll_ns;
}
