// SPDX-License-Identifier: MIT
/* record --async --wall: suspended asyncio tasks at their await line (async/async_wall.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "async/async.h"
#include "async/async_await.h"
#include "async/async_tasks.h"
#include "async/async_wall.h"
#include "core/agg.h"
#include "core/session.h"
#include "lib/log.h"
#include "python/symbolize.h"
#include "target/procfs.h"
#include "wall/wall_reasons.h"

#define FRAME_READ 80 /* bytes of a coroutine's frame read: every offset used fits */
#define TASK_READ_MAX 512 /* bytes of a TaskObj read (async_layout.task_size) */
#define TASK_FRAMES_MAX 32 /* "[task NAME]" frames under a suspended chain: beyond, cut */
#define STACK_MAX (1 + ASYNC_WALL_MAX_CHAIN + TASK_FRAMES_MAX)

/* A code object seen in a chain: its fingerprint once read (0: could not be). */
struct code_seen {
	uint64_t code;
	uint16_t tag;
};

/* A type seen on top of a suspended frame's stack: a coroutine or not. */
struct type_seen {
	uint64_t type;
	bool coro;
};

/* One process with tasks (its generation: caches start again with a new one). */
struct aw_proc {
	uint32_t pid, gen;
	size_t next; /* where the next walk starts in its task array */
	const struct async_await_layout *al;
	struct hashmap codes; /* struct code_seen by code address */
	struct hashmap types; /* struct type_seen by type address */
};

struct async_wall {
	struct session *s;
	struct async *as;
	struct agg agg; /* the suspended tasks' stacks, ns */
	struct hashmap procs; /* struct aw_proc by pid */
	uint64_t last_walk_ns, dt_ns; /* the last walk, the time this one stands for */
	struct ps_symbol *rec; /* scratch: a code object read from the target */
	struct ps_sample *hdr; /* scratch: the header agg_add_frames reads */
	struct agg_frame frames[STACK_MAX];
	uint64_t nr_walks, nr_seen, nr_capped, nr_unreadable, nr_chain_cut, suspended_ns;
	uint64_t nr_unsupported; /* processes with tasks but no async_await.c entry */
};

uint64_t async_wall_weight_ns(uint64_t dt_ns, size_t nr_tasks, size_t nr_read)
{
	if (!nr_read)
		return 0;
	if (dt_ns > ASYNC_WALL_MAX_GAP_NS)
		dt_ns = ASYNC_WALL_MAX_GAP_NS;
	if (nr_tasks <= nr_read)
		return dt_ns;
	return (uint64_t)((double)dt_ns * nr_tasks / nr_read);
}

static bool proc_eq(const void *item, const void *key)
{
	return ((const struct aw_proc *)item)->pid == *(const uint32_t *)key;
}

static bool code_eq(const void *item, const void *key)
{
	return ((const struct code_seen *)item)->code == *(const uint64_t *)key;
}

static bool type_eq(const void *item, const void *key)
{
	return ((const struct type_seen *)item)->type == *(const uint64_t *)key;
}

/* Say once that tg's suspended tasks are not read (no async_await.c entry). */
static void warn_unsupported(struct async_wall *aw, const struct target *tg)
{
	if (!aw->nr_unsupported++)
		ps_warn("pid %d: --async --wall reads suspended tasks of CPython 3.11-3.15, not "
			"%u.%u: only their CPU time is shown",
			tg->t.pid, tg->t.ver.major, tg->t.ver.minor);
}

/*
 * The state of target tg (made, or reset for a new generation); NULL if
 * none (out of memory, or a version without an async_await.c entry).
 */
static struct aw_proc *proc_get(struct async_wall *aw, const struct target *tg)
{
	uint32_t pid = tg->t.pid;
	struct aw_proc *p = hashmap_find(&aw->procs, hash_u64(pid), &pid, proc_eq);

	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p || hashmap_insert(&aw->procs, hash_u64(pid), p)) {
			free(p);
			return NULL;
		}
		p->pid = pid;
		p->gen = tg->gen - 1;
	}
	if (p->gen != tg->gen) {
		hashmap_free_all(&p->codes);
		hashmap_free_all(&p->types);
		p->gen = tg->gen;
		p->next = 0;
		p->al = async_await_layout_find(tg->t.ver.major, tg->t.ver.minor);
		if (!p->al)
			warn_unsupported(aw, tg);
	}
	return p->al ? p : NULL;
}

/* Is the object type at type a coroutine? Read once per type address. */
static bool is_coro_type(struct aw_proc *p, const struct async_tasks *at, uint64_t type)
{
	struct type_seen *t = hashmap_find(&p->types, hash_u64(type), &type, type_eq);
	char name[sizeof("coroutine")];
	uint64_t name_addr;

	if (t)
		return t->coro;
	t = calloc(1, sizeof(*t));
	if (!t)
		return false;
	t->type = type;
	t->coro = !procfs_read_mem(p->pid, type + at->l->type_name, &name_addr, 8) &&
		  !procfs_read_mem(p->pid, name_addr, name, sizeof(name)) &&
		  !memcmp(name, "coroutine", sizeof(name));
	if (hashmap_insert(&p->types, hash_u64(type), t)) {
		free(t);
		return false;
	}
	return t->coro;
}

/*
 * The fingerprint of code object code, its symbol read from the target the
 * first time (a coroutine that never ran while sampled has none from BPF,
 * and the process may be gone when the report is built). 0: unreadable.
 */
static uint16_t code_tag(struct async_wall *aw, struct aw_proc *p, const struct target *tg,
			 uint64_t code)
{
	struct code_seen *c = hashmap_find(&p->codes, hash_u64(code), &code, code_eq);
	bool bytes_names = tg->t.layout.off.str_kind == PS_STR_BYTES;

	if (c)
		return c->tag;
	c = calloc(1, sizeof(*c));
	if (!c)
		return 0;
	c->code = code;
	if (!symbolize_read_symbol(tg->t.pid, &tg->t.layout, code, tg->gen,
				   tg->t.bpf.code_type_addr, aw->rec)) {
		c->tag = aw->rec->code_tag;
		symtab_add(&aw->s->symtab, aw->rec, sizeof(*aw->rec), bytes_names);
	}
	if (hashmap_insert(&p->codes, hash_u64(code), c)) {
		free(c);
		return 0;
	}
	return c->tag;
}

/*
 * Read the suspended coroutine frame at frame_addr into f (code and
 * position, as BPF would) and what it awaits into *tos (0: none readable).
 * 0, or -EFAULT when the frame cannot be read.
 */
static int read_frame(struct async_wall *aw, struct aw_proc *p, const struct target *tg,
		      uint64_t frame_addr, struct ps_frame *f, uint64_t *tos)
{
	const struct ps_py_offsets *o = &tg->t.layout.off;
	uint8_t buf[FRAME_READ];
	uint64_t code, instr, slot;

	*tos = 0;
	if (o->frame_code + 8 > FRAME_READ || o->frame_instr + 8 > FRAME_READ ||
	    p->al->frame_stack + 8 > FRAME_READ ||
	    procfs_read_mem(p->pid, frame_addr, buf, FRAME_READ))
		return -EFAULT;
	memcpy(&code, buf + o->frame_code, 8);
	memcpy(&instr, buf + o->frame_instr, 8);
	code &= ~(uint64_t)o->code_tag_mask;
	if (!code)
		return -EFAULT;
	memset(f, 0, sizeof(*f));
	f->code_addr = code;
	f->instr = (uint32_t)(instr - code);
	f->code_tag = code_tag(aw, p, tg, code);
	slot = async_await_slot_addr(p->al, buf, frame_addr);
	if (slot && !procfs_read_mem(p->pid, slot, tos, 8))
		*tos = async_await_object(p->al, *tos);
	else
		*tos = 0;
	return 0;
}

/*
 * The Python frames of the chain of suspended coroutines from coro down to
 * the innermost (the awaited coroutine is on top of its awaiter's stack),
 * into out leaf first. How many (0: unreadable).
 */
static uint32_t read_chain(struct async_wall *aw, struct aw_proc *p, const struct target *tg,
			   const struct async_tasks *at, uint64_t coro, struct agg_frame *out)
{
	struct ps_frame chain[ASYNC_WALL_MAX_CHAIN];
	uint64_t tos, type;
	uint32_t n = 0;

	while (coro && !read_frame(aw, p, tg, coro + at->l->gen_iframe, &chain[n], &tos)) {
		n++;
		coro = 0;
		if (tos && !procfs_read_mem(p->pid, tos + 8, &type, 8) && is_coro_type(p, at, type))
			coro = tos;
		if (coro && n == ASYNC_WALL_MAX_CHAIN) {
			aw->nr_chain_cut++;
			break;
		}
	}
	for (uint32_t i = 0; i < n; i++)
		out[i] = agg_frame_python(&chain[n - 1 - i]);
	return n;
}

/*
 * Is task t awaiting a future now (its struct read again, with the same
 * coroutine)? 1 or 0, -EFAULT when unreadable (the process may be gone).
 */
static int suspended(struct aw_proc *p, const struct async_tasks *at, const struct async_task *t)
{
	const struct async_layout *l = at->l;
	uint8_t buf[TASK_READ_MAX];
	uint64_t coro, waiter;

	if (l->task_size > sizeof(buf) || procfs_read_mem(p->pid, t->addr, buf, l->task_size))
		return -EFAULT;
	memcpy(&coro, buf + l->task_coro, 8);
	memcpy(&waiter, buf + l->task_fut_waiter, 8);
	return coro == t->coro && waiter;
}

/* Count weight_ns for suspended task t: "[await]", its chain, its "[task ...]" frames. */
static int add_task(struct async_wall *aw, struct aw_proc *p, const struct target *tg,
		    const struct async_tasks *at, const struct async_task *t, uint32_t tid,
		    uint64_t weight_ns)
{
	uint32_t n = 1;
	int nr_tasks;

	aw->frames[0] =
		agg_frame_named(strpool_intern(&aw->s->pool, WALL_AWAIT_FRAME), AGG_FRAME_PSEUDO);
	if (!aw->frames[0].name)
		return -ENOMEM;
	n += read_chain(aw, p, tg, at, t->coro, aw->frames + 1);
	if (n == 1)
		aw->nr_unreadable++;
	nr_tasks = async__task_frames(aw->as, p->pid, t, aw->frames + n, TASK_FRAMES_MAX);
	if (nr_tasks < 0)
		return nr_tasks;
	aw->hdr->pid = p->pid;
	aw->hdr->gen = p->gen;
	aw->hdr->tid = tid;
	aw->hdr->weight = weight_ns;
	snprintf((char *)aw->hdr->comm, PS_COMM_LEN, "%s", agg_thread_name(&aw->s->agg, tid));
	aw->nr_seen++;
	aw->suspended_ns += weight_ns;
	return agg_add_frames(&aw->agg, aw->hdr, aw->frames, n + (uint32_t)nr_tasks);
}

/*
 * async_each_fn: read up to ASYNC_WALL_MAX_TASKS of a process's tasks, from
 * where the last walk stopped, and count the suspended ones. A task that
 * cannot be read ends the process's walk (it may have exited): what was
 * counted stays.
 */
static void walk_proc(void *ctx, uint32_t pid, uint32_t gen, uint32_t loop_tid,
		      struct async_tasks *at)
{
	struct async_wall *aw = ctx;
	const struct target *tg = targets_find(&aw->s->targets, pid, gen);
	struct aw_proc *p = tg && !tg->exited ? proc_get(aw, tg) : NULL;
	size_t nr = at->nr_tasks, nr_read = nr < ASYNC_WALL_MAX_TASKS ? nr : ASYNC_WALL_MAX_TASKS;
	uint64_t weight = async_wall_weight_ns(aw->dt_ns, nr, nr_read);
	int state = 0;

	if (!p || !nr)
		return;
	if (nr_read < nr)
		aw->nr_capped++;
	for (size_t i = 0; i < nr_read && state >= 0; i++) {
		const struct async_task *t = &at->tasks[(p->next + i) % nr];

		state = suspended(p, at, t);
		if (state > 0 && add_task(aw, p, tg, at, t, loop_tid, weight) == -ENOMEM)
			state = -ENOMEM;
	}
	if (state == -EFAULT)
		aw->nr_unreadable++;
	p->next = (p->next + nr_read) % nr;
}

/* Listener: every ASYNC_WALL_PERIOD_NS, a walk of every process's tasks. */
static void on_tick(void *ctx, uint64_t now_ns)
{
	struct async_wall *aw = ctx;

	if (aw->last_walk_ns && now_ns - aw->last_walk_ns < ASYNC_WALL_PERIOD_NS)
		return;
	aw->dt_ns = aw->last_walk_ns ? now_ns - aw->last_walk_ns : ASYNC_WALL_PERIOD_NS;
	aw->last_walk_ns = now_ns;
	aw->nr_walks++;
	async__each(aw->as, walk_proc, aw);
}

/* Listener: what the walks saw and missed, for the summary. */
static void on_finish(void *ctx)
{
	struct async_wall *aw = ctx;

	run_stats_note(&aw->s->stats,
		       "async wall: %llu walks, %llu suspended tasks seen (%.3f s), %llu walks "
		       "cut at %d tasks, %llu unreadable, %llu await chains cut",
		       (unsigned long long)aw->nr_walks, (unsigned long long)aw->nr_seen,
		       aw->suspended_ns / 1e9, (unsigned long long)aw->nr_capped,
		       ASYNC_WALL_MAX_TASKS, (unsigned long long)aw->nr_unreadable,
		       (unsigned long long)aw->nr_chain_cut);
}

const struct agg *async_wall__agg(const struct async_wall *aw)
{
	return &aw->agg;
}

struct async_wall *async_wall__open(struct session *s, struct async *as)
{
	struct async_wall *aw = calloc(1, sizeof(*aw));
	int err = -ENOMEM;

	if (!aw)
		return NULL;
	aw->s = s;
	aw->as = as;
	async__set_refresh(as, ASYNC_WALL_REFRESH_NS, ASYNC_WALL_REFRESH_MAX_SHIFT,
			   ASYNC_WALL_POLL_NS);
	agg_init(&aw->agg);
	aw->rec = calloc(1, sizeof(*aw->rec));
	aw->hdr = calloc(1, sizeof(*aw->hdr));
	if (aw->rec && aw->hdr)
		err = session_listen(s, &(struct session_listener){ .name = "async-wall",
								    .ctx = aw,
								    .on_tick = on_tick,
								    .tick_ms = 10,
								    .on_finish = on_finish });
	if (err) {
		async_wall__free(aw);
		errno = -err;
		return NULL;
	}
	return aw;
}

void async_wall__free(struct async_wall *aw)
{
	struct aw_proc *p;

	if (!aw)
		return;
	hashmap_for_each(&aw->procs, p)
	{
		hashmap_free_all(&p->codes);
		hashmap_free_all(&p->types);
	}
	hashmap_free_all(&aw->procs);
	agg_free(&aw->agg);
	free(aw->rec);
	free(aw->hdr);
	free(aw);
}
