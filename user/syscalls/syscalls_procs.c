// SPDX-License-Identifier: MIT
/* The syscall audit's process table (a hash map) and its exited-thread index. */
#include <errno.h>
#include <stdlib.h>
#include "syscalls/syscalls_procs.h"

static bool proc_eq(const void *item, const void *key)
{
	return ((const struct sys_proc *)item)->pid == *(const uint32_t *)key;
}

void sys_procs_init(struct sys_procs *t, size_t max)
{
	*t = (struct sys_procs){ .max = max ? max : SYS_PROCS_MAX };
}

void sys_procs_free(struct sys_procs *t)
{
	hashmap_free_all(&t->map);
}

struct sys_proc *sys_procs_get(struct sys_procs *t, uint32_t pid, bool create)
{
	struct sys_proc *p = hashmap_find(&t->map, hash_u64(pid), &pid, proc_eq);

	if (p || !create)
		return p;
	if (t->map.nr >= t->max) {
		t->nr_full++;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p || hashmap_insert(&t->map, hash_u64(pid), p)) {
		free(p);
		return NULL;
	}
	p->pid = pid;
	return p;
}

struct prune_ctx {
	void (*gone)(uint32_t pid, void *ctx);
	void *ctx;
};

/* keep() of sys_procs_prune: frees exited entries. */
static bool keep_live(void *item, void *ctx)
{
	struct sys_proc *p = item;
	struct prune_ctx *pc = ctx;

	if (!p->exited)
		return true;
	if (pc->gone)
		pc->gone(p->pid, pc->ctx);
	free(p);
	return false;
}

void sys_procs_prune(struct sys_procs *t, void (*gone)(uint32_t pid, void *ctx), void *ctx)
{
	struct prune_ctx pc = { gone, ctx };

	hashmap_filter(&t->map, keep_live, &pc);
}

int sys_done_index_add(struct sys_done_index *x, uint32_t pid, uint32_t tid)
{
	struct sys_done_ent *n;

	if (x->nr == x->cap) {
		n = realloc(x->ents, (x->cap ? x->cap * 2 : 256) * sizeof(*n));
		if (!n)
			return -ENOMEM;
		x->ents = n;
		x->cap = x->cap ? x->cap * 2 : 256;
	}
	x->ents[x->nr++] = (struct sys_done_ent){ pid, tid };
	return 0;
}

static int cmp_ent(const void *a, const void *b)
{
	const struct sys_done_ent *x = a, *y = b;

	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	return (x->tid > y->tid) - (x->tid < y->tid);
}

void sys_done_index_sort(struct sys_done_index *x)
{
	if (x->nr)
		qsort(x->ents, x->nr, sizeof(*x->ents), cmp_ent);
}

const struct sys_done_ent *sys_done_index_of(const struct sys_done_index *x, uint32_t pid,
					     size_t *nr)
{
	size_t lo = 0, hi = x->nr, end;

	/* the first entry of pid: lower bound */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (x->ents[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < x->nr && x->ents[end].pid == pid; end++)
		;
	*nr = end - lo;
	return *nr ? &x->ents[lo] : NULL;
}

void sys_done_index_free(struct sys_done_index *x)
{
	free(x->ents);
	*x = (struct sys_done_index){};
}
