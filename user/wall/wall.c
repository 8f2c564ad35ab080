// SPDX-License-Identifier: MIT
/* record --wall: the sched_switch program as a session listener (wall/wall.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "bpf/offcpu.h"
#include "bpf/shared_maps.h"
#include "core/session.h"
#include "lib/log.h"
#include "wall/wall.h"
#include "wall/wall_reasons.h"

/* the cost guard looks at the switch rate this often: two ticks, so a burst of switches is
 * cut within ~100 ms (a window this short still averages ~2,000 switches at the limit) */
#define GUARD_PERIOD_NS 100000000ULL

static bool stack_eq(const void *item, const void *key)
{
	return ((const struct wall_stack *)item)->id == *(const uint64_t *)key;
}

const struct wall_stack *wall__stack(const struct wall *w, uint64_t id)
{
	return hashmap_find(&w->stacks, hash_u64(id), &id, stack_eq);
}

/* Keep a PS_REC_OFFCPU_STACK record (its weight is the stack id). */
static int on_record(void *ctx, uint32_t type, const void *data, size_t size)
{
	const struct ps_sample *smp = data;
	struct wall *w = ctx;
	struct wall_stack *st;

	if (type != PS_REC_OFFCPU_STACK)
		return 0;
	if (smp->nr_frames > PS_MAX_FRAMES ||
	    size < PS_SAMPLE_HDR_SIZE + (size_t)smp->nr_frames * sizeof(struct ps_frame)) {
		w->nr_stacks_malformed++;
		return 0;
	}
	if (wall__stack(w, smp->weight))
		return 0; /* re-sent after an LRU eviction */
	st = malloc(offsetof(struct wall_stack, smp) + size);
	if (!st)
		return -ENOMEM;
	st->id = smp->weight;
	st->size = size;
	memcpy(&st->smp, data, size);
	if (hashmap_insert(&w->stacks, hash_u64(st->id), st)) {
		free(st);
		return -ENOMEM;
	}
	return 0;
}

/* A target: time its threads; <= 3.11, its GIL struct is static in _PyRuntime
 * (last_holder follows the interval). */
static void on_add(void *ctx, struct target *t)
{
	struct wall *w = ctx;
	const struct py_layout *l = &t->t.layout;

	offcpu__set_target(w->bpf, t->t.pid, true);
	if (l->gil_kind == PY_GIL_TSTATE_CURRENT && l->runtime_gil_last_holder >= 8)
		offcpu__set_gil(w->bpf, t->t.pid,
				t->t.runtime_addr + l->runtime_gil_last_holder - 8);
}

static void on_proc_exit(void *ctx, uint32_t pid)
{
	offcpu__forget(((struct wall *)ctx)->bpf, pid);
}

/* exit or exec: the pid is no longer timed (a new generation is added again) */
static void on_retire(void *ctx, struct target *t)
{
	offcpu__forget(((struct wall *)ctx)->bpf, t->t.pid);
}

/*
 * The cost guard: above max_rate target switch-outs per second, time only
 * 1 in N of them (each counts N times), and say so once.
 */
static void on_tick(void *ctx, uint64_t now)
{
	struct wall *w = ctx;
	uint64_t n = offcpu__nr_switches(w->bpf), dt = now - w->guard_ns, rate, every;

	if (dt < GUARD_PERIOD_NS)
		return;
	rate = (n - w->guard_switches) * 1000000000ULL / dt;
	w->guard_ns = now;
	w->guard_switches = n;
	every = rate / w->max_rate + 1;
	if (every <= w->every)
		return;
	w->every = every > UINT32_MAX ? UINT32_MAX : (uint32_t)every;
	offcpu__set_every(w->bpf, w->every);
	ps_warn("wall: %llu target context switches/s: timing 1 in %u switches (scaled by %u)",
		(unsigned long long)rate, w->every, w->every);
	run_stats_note(&w->s->stats, "wall: 1 in %u context switches timed (%llu/s), scaled",
		       w->every, (unsigned long long)rate);
}

static bool key_eq(const void *item, const void *key)
{
	return memcmp(item, key, sizeof(struct ps_offcpu_key)) == 0;
}

struct wall_bucket *wall_bucket_find(const struct hashmap *buckets, const struct ps_offcpu_key *k)
{
	return hashmap_find(buckets, hash_bytes(k, sizeof(*k), 0), k, key_eq);
}

int wall_bucket_add(struct hashmap *buckets, const struct ps_offcpu_key *k, uint64_t ns,
		    uint64_t nr)
{
	struct wall_bucket *b = wall_bucket_find(buckets, k);

	if (!b) {
		b = calloc(1, sizeof(*b));
		if (!b || hashmap_insert(buckets, hash_bytes(k, sizeof(*k), 0), b)) {
			free(b);
			return -ENOMEM;
		}
		b->key = *k;
	}
	b->ns += ns;
	b->nr_intervals += nr;
	return 0;
}

void wall_buckets_free(struct hashmap *buckets)
{
	hashmap_free_all(buckets);
}

static int take_time(const struct ps_offcpu_key *k, const struct ps_offcpu_val *v, void *ctx)
{
	return wall_bucket_add(ctx, k, v->ns, v->nr_intervals);
}

struct open_ctx {
	struct hashmap *into;
	uint64_t end_ns;
};

/* An interval still open counts up to end_ns (the end of the run, or now for top). */
static int take_open(const struct ps_offcpu_open *o, void *ctx)
{
	struct open_ctx *c = ctx;

	if (o->start_ns >= c->end_ns)
		return 0;
	return wall_bucket_add(c->into, &o->key, (c->end_ns - o->start_ns) * o->scale, 1);
}

int wall__read(const struct wall *w, uint64_t now_ns, struct hashmap *into)
{
	struct open_ctx oc = { into, now_ns };

	return offcpu__each_time(w->bpf, take_time, into) ?:
							    offcpu__each_open(w->bpf, take_open, &oc);
}

static bool cpu_eq(const void *item, const void *key)
{
	return ((const struct wall_cpu *)item)->tid == *(const uint32_t *)key;
}

uint64_t wall__cpu_ns(const struct wall *w, uint32_t tid)
{
	const struct wall_cpu *c = hashmap_find(&w->cpus, hash_u64(tid), &tid, cpu_eq);

	return c ? c->ns : 0;
}

static int take_cpu(uint32_t tid, const struct ps_offcpu_cpu *c, void *ctx)
{
	struct wall *w = ctx;
	struct wall_cpu *e;

	if (c->last_ns <= c->base_ns)
		return 0;
	e = calloc(1, sizeof(*e));
	if (!e || hashmap_insert(&w->cpus, hash_u64(tid), e)) {
		free(e);
		return -ENOMEM;
	}
	e->tid = tid;
	e->ns = c->last_ns - c->base_ns;
	return 0;
}

/* Read the in-kernel totals and the open intervals. */
static void on_finish(void *ctx)
{
	struct wall *w = ctx;
	int err = wall__read(w, session_now_ns(), &w->buckets);
	uint64_t runs, run_ns;

	err = err ?: offcpu__each_cpu(w->bpf, take_cpu, w);
	if (err)
		ps_err("wall: cannot read the off-CPU totals: %s", strerror(-err));
	offcpu__prog_stats(w->bpf, &runs, &run_ns);
	if (runs)
		run_stats_note(
			&w->s->stats,
			"wall: %llu target switch-outs, 1 in %u timed, %llu at the last "
			"place (not walked); sched_switch BPF %.0f ns/switch over %llu switches",
			(unsigned long long)offcpu__nr_switches(w->bpf), w->every,
			(unsigned long long)offcpu__nr_same_place(w->bpf), (double)run_ns / runs,
			(unsigned long long)runs);
	else
		run_stats_note(&w->s->stats,
			       "wall: %llu target switch-outs, 1 in %u timed, %llu at the last "
			       "place (not walked)",
			       (unsigned long long)offcpu__nr_switches(w->bpf), w->every,
			       (unsigned long long)offcpu__nr_same_place(w->bpf));
}

struct prune_ctx {
	bool (*gone)(uint32_t pid, void *ctx);
	void *ctx;
};

/* hashmap_filter: keep a stack of a live process; free the others. */
static bool keep_stack(void *item, void *ctx)
{
	struct wall_stack *st = item;
	struct prune_ctx *pc = ctx;

	if (!pc->gone(st->smp.pid, pc->ctx))
		return true;
	free(st);
	return false;
}

int wall__prune(struct wall *w, bool (*gone)(uint32_t pid, void *ctx), void *ctx)
{
	struct prune_ctx pc = { gone, ctx };

	hashmap_filter(&w->stacks, keep_stack, &pc);
	return offcpu__drop_pids(w->bpf, gone, ctx);
}

struct wall *wall__open(struct session *s, const struct wall_opts *o)
{
	struct wall *w = calloc(1, sizeof(*w));
	uint8_t table[PS_OFFCPU_SYS_MAX];
	int err;

	if (!w)
		return NULL;
	w->s = s;
	w->every = 1;
	w->max_rate = o->max_switches_per_s ? o->max_switches_per_s : WALL_MAX_SWITCHES_PER_S;
	w->guard_ns = session_now_ns();
	wall_sys_table(table);
	w->bpf = offcpu__open(s->maps, table, w->guard_ns);
	if (!w->bpf) {
		err = errno;
		wall__free(w);
		errno = err;
		return NULL;
	}
	err = session_listen(s, &(struct session_listener){ .name = "wall",
							    .ctx = w,
							    .on_add = on_add,
							    .on_retire = on_retire,
							    .on_exit = on_proc_exit,
							    .on_record = on_record,
							    .on_tick = on_tick,
							    .tick_ms = 50,
							    .on_finish = on_finish });
	if (err) {
		ps_err("wall: cannot register: %s", strerror(-err));
		wall__free(w);
		errno = -err;
		return NULL;
	}
	return w;
}

void wall__free(struct wall *w)
{
	if (!w)
		return;
	hashmap_free_all(&w->stacks);
	wall_buckets_free(&w->buckets);
	hashmap_free_all(&w->cpus);
	offcpu__free(w->bpf);
	free(w);
}
