// SPDX-License-Identifier: MIT
/* The asyncio tasks of one process, found by walking its GC lists (see async_tasks.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "async/async_tasks.h"
#include "lib/utf8.h"

#define TASK_TYPE_NAME "_asyncio.Task"
#define TYPE_NAME_READ 32 /* bytes of tp_name read to compare with TASK_TYPE_NAME */
#define NAME_READ_MAX 64 /* code units of a task name read */
#define GC_NEXT_MASK (~(uint64_t)7) /* _gc_next's low bits flag a collection in progress */

/* What a type address was found to be. */
struct type_seen {
	uint64_t addr;
	bool task;
};

static bool type_eq(const void *item, const void *key)
{
	return ((const struct type_seen *)item)->addr == *(const uint64_t *)key;
}

static bool task_coro_eq(const void *item, const void *key)
{
	return ((const struct async_task *)item)->coro == *(const uint64_t *)key;
}

static bool task_addr_eq(const void *item, const void *key)
{
	return ((const struct async_task *)item)->addr == *(const uint64_t *)key;
}

void async_tasks_init(struct async_tasks *at, const struct async_layout *l,
		      const struct ps_py_offsets *str, async_read_fn read, void *ctx,
		      uint64_t interp_head)
{
	memset(at, 0, sizeof(*at));
	at->l = l;
	at->str = *str;
	at->read = read;
	at->ctx = ctx;
	at->interp_head = interp_head;
}

static bool drop_type(void *item, void *ctx)
{
	(void)ctx;
	free(item);
	return false;
}

void async_tasks_free(struct async_tasks *at)
{
	if (!at)
		return;
	hashmap_filter(&at->types, drop_type, NULL);
	hashmap_free(&at->types);
	hashmap_free(&at->by_coro);
	hashmap_free(&at->by_addr);
	hashmap_free(&at->by_waiter);
	free(at->tasks);
	at->tasks = NULL;
	at->nr_tasks = at->tasks_cap = 0;
}

static int read_u64(struct async_tasks *at, uint64_t addr, uint64_t *v)
{
	return at->read(at->ctx, addr, v, sizeof(*v));
}

/* Is the type at addr _asyncio.Task? Read once per type address. */
static bool is_task_type(struct async_tasks *at, uint64_t type)
{
	struct type_seen *t = hashmap_find(&at->types, hash_u64(type), &type, type_eq);
	char name[TYPE_NAME_READ];
	uint64_t name_addr;

	if (t)
		return t->task;
	t = calloc(1, sizeof(*t));
	if (!t)
		return false;
	t->addr = type;
	if (!read_u64(at, type + at->l->type_name, &name_addr) &&
	    !at->read(at->ctx, name_addr, name, sizeof(TASK_TYPE_NAME)))
		t->task = !memcmp(name, TASK_TYPE_NAME, sizeof(TASK_TYPE_NAME));
	if (hashmap_insert(&at->types, hash_u64(type), t)) {
		free(t);
		return false;
	}
	return t->task;
}

/* Printable UTF-8 of a str of units code units of kind bytes at data; ';' and controls as '?'. */
static void name_from_units(const uint8_t *data, size_t units, unsigned kind, char *out)
{
	size_t n = utf8_from_units(data, units * kind, kind, out, ASYNC_NAME_MAX);

	out[n < ASYNC_NAME_MAX ? n : ASYNC_NAME_MAX - 1] = 0;
	for (char *c = out; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == ';')
			*c = '?';
}

/* The name of a str object (PEP 393, compact), into out; -errno if not one. */
static int read_str(struct async_tasks *at, uint64_t addr, char *out)
{
	const struct ps_py_offsets *o = &at->str;
	uint8_t data[NAME_READ_MAX * 4];
	uint64_t len, data_off = o->str_ascii_data;
	uint32_t state, kind = 1;

	if (read_u64(at, addr + o->str_len, &len) ||
	    at->read(at->ctx, addr + o->str_state, &state, sizeof(state)))
		return -EFAULT;
	if (!(state & (1U << 5))) /* not compact */
		return -ENOTSUP;
	if (!(state & (1U << 6))) { /* not ASCII: 1, 2 or 4 bytes a unit after the header */
		kind = (state >> 2) & 7;
		data_off = o->str_compact_data;
	}
	if (kind != 1 && kind != 2 && kind != 4)
		return -EINVAL;
	if (len > NAME_READ_MAX)
		len = NAME_READ_MAX;
	if (at->read(at->ctx, addr + data_off, data, len * kind))
		return -EFAULT;
	name_from_units(data, len, kind, out);
	return 0;
}

/* The task's name: its str, "Task-N" for 3.12+'s lazy int name, else its address. */
static void read_task_name(struct async_tasks *at, uint64_t obj, char *out)
{
	uint64_t type, tp_name;
	uint32_t digit;
	char tn[4];

	if (!read_u64(at, obj + 8, &type) && !read_u64(at, type + at->l->type_name, &tp_name) &&
	    !at->read(at->ctx, tp_name, tn, sizeof(tn))) {
		if (!memcmp(tn, "str", 4) && !read_str(at, obj, out))
			return;
		/* an int of one 30-bit digit: ob_digit[0] right after the size or tag */
		if (!memcmp(tn, "int", 4) && !at->read(at->ctx, obj + 24, &digit, sizeof(digit))) {
			snprintf(out, ASYNC_NAME_MAX, "Task-%u", digit & 0x3fffffffu);
			return;
		}
	}
	snprintf(out, ASYNC_NAME_MAX, "Task@%#llx", (unsigned long long)obj);
}

/*
 * Read the task at addr into t: 0, or -errno when its struct cannot be read.
 * The name is read again only if its object changed from was's (NULL: new).
 */
static int read_task(struct async_tasks *at, uint64_t addr, struct async_task *t,
		     const struct async_task *was)
{
	const struct async_layout *l = at->l;
	uint8_t buf[512];

	if (l->task_size > sizeof(buf) || at->read(at->ctx, addr, buf, l->task_size))
		return -EFAULT;
	memset(t, 0, sizeof(*t));
	t->addr = addr;
	memcpy(&t->coro, buf + l->task_coro, 8);
	memcpy(&t->fut_waiter, buf + l->task_fut_waiter, 8);
	memcpy(&t->name_addr, buf + l->task_name, 8);
	if (was && was->name_addr == t->name_addr)
		memcpy(t->name, was->name, sizeof(t->name));
	else
		read_task_name(at, t->name_addr, t->name);
	return 0;
}

/* Add the task at addr (once: a broken list may repeat it). 0 or -ENOMEM. */
static int add_task(struct async_tasks *at, uint64_t addr)
{
	struct async_task *t;

	if (hashmap_find(&at->by_addr, hash_u64(addr), &addr, task_addr_eq))
		return 0;
	if (at->nr_tasks >= ASYNC_MAX_TASKS) {
		at->nr_tasks_capped++;
		return 0;
	}
	if (at->nr_tasks == at->tasks_cap) {
		size_t n = at->tasks_cap ? 2 * at->tasks_cap : 64;
		struct async_task *nt = realloc(at->tasks, n * sizeof(*nt));

		if (!nt)
			return -ENOMEM;
		at->tasks = nt;
		at->tasks_cap = n;
		/* the maps point into the array: rebuilt at the end of the walk */
		hashmap_free(&at->by_addr);
		for (size_t i = 0; i < at->nr_tasks; i++)
			if (hashmap_insert(&at->by_addr, hash_u64(nt[i].addr), &nt[i]))
				return -ENOMEM;
	}
	t = &at->tasks[at->nr_tasks];
	if (read_task(at, addr, t, NULL))
		return 0;
	at->nr_tasks++;
	return hashmap_insert(&at->by_addr, hash_u64(addr), t);
}

/* Is addr the head node of one of the GC lists (heads[ASYNC_GC_LISTS])? */
static bool is_head(const uint64_t *heads, uint64_t addr)
{
	for (int g = 0; g < ASYNC_GC_LISTS; g++)
		if (heads[g] == addr)
			return true;
	return false;
}

/*
 * Walk GC list g (heads: every list's head node), adding its tasks; *budget
 * objects at most. A collection running in the target moves objects under the
 * walk: a node whose _gc_prev does not point back (it holds reference counts
 * then) ends it, counted; a list merged into an older one whole ends at that
 * list's head, or the walk would go round it for ever.
 */
static int walk_list(struct async_tasks *at, const uint64_t *heads, int g, uint64_t *budget)
{
	uint64_t node[4], cur, prev = heads[g]; /* node: _gc_next, _gc_prev, ob_refcnt, ob_type */
	int err = 0;

	if (read_u64(at, heads[g], &cur))
		return at->nr_bad_lists++, 0;
	for (cur &= GC_NEXT_MASK; !is_head(heads, cur) && !err;
	     prev = cur, cur = node[0] & GC_NEXT_MASK) {
		if (!*budget) {
			at->nr_walk_capped++;
			break;
		}
		--*budget;
		at->nr_objects++;
		if (!cur || at->read(at->ctx, cur, node, sizeof(node)) ||
		    (node[1] & GC_NEXT_MASK) != prev) {
			at->nr_bad_lists++;
			break;
		}
		if (is_task_type(at, node[3]))
			err = add_task(at, cur + at->l->gc_head_size);
	}
	return err;
}

static bool task_waiter_eq(const void *item, const void *key)
{
	return ((const struct async_task *)item)->fut_waiter == *(const uint64_t *)key;
}

/* The task awaiting future fut (its fut_waiter), or NULL. */
static struct async_task *awaiter_of(struct async_tasks *at, uint64_t fut)
{
	return fut ? hashmap_find(&at->by_waiter, hash_u64(fut), &fut, task_waiter_eq) : NULL;
}

/* Index the tasks by what they await (the first task awaiting a future wins). */
static int index_waiters(struct async_tasks *at)
{
	struct async_task *t;

	hashmap_free(&at->by_waiter);
	for (size_t i = 0; i < at->nr_tasks; i++) {
		t = &at->tasks[i];
		if (t->fut_waiter && !awaiter_of(at, t->fut_waiter) &&
		    hashmap_insert(&at->by_waiter, hash_u64(t->fut_waiter), t))
			return -ENOMEM;
	}
	return 0;
}

/*
 * The task awaiting child t through asyncio.gather: the child's first done
 * callback is gather's closure, one of whose cells holds the gathering future
 * its parent waits on. NULL if none.
 */
static struct async_task *gather_parent(struct async_tasks *at, const struct async_task *t)
{
	const struct async_layout *l = at->l;
	uint64_t cb, closure, n, item, ref;
	struct async_task *p;

	if (read_u64(at, t->addr + l->task_callback0, &cb) || !cb ||
	    read_u64(at, cb + l->func_closure, &closure) || !closure ||
	    read_u64(at, closure + l->var_size, &n))
		return NULL;
	for (uint64_t i = 0; i < n && i < ASYNC_MAX_CLOSURE; i++) {
		if (read_u64(at, closure + l->tuple_items + 8 * i, &item) ||
		    read_u64(at, item + l->cell_ref, &ref))
			continue;
		p = awaiter_of(at, ref);
		if (p && p != t)
			return p;
	}
	return NULL;
}

/* Link each task to the task awaiting it, and index the tasks by coroutine. */
static int link_tasks(struct async_tasks *at)
{
	struct async_task *t, *p;

	if (index_waiters(at))
		return -ENOMEM;
	hashmap_free(&at->by_coro);
	for (size_t i = 0; i < at->nr_tasks; i++) {
		t = &at->tasks[i];
		p = awaiter_of(at, t->addr) ?: gather_parent(at, t);
		t->parent = p && p != t ? p->addr : 0;
		if (t->coro &&
		    !hashmap_find(&at->by_coro, hash_u64(t->coro), &t->coro, task_coro_eq) &&
		    hashmap_insert(&at->by_coro, hash_u64(t->coro), t))
			return -ENOMEM;
	}
	return 0;
}

/*
 * Keep the tasks still alive (a task type and the same coroutine when read
 * again; what they await and their name re-read), in place. 0 or -ENOMEM.
 */
static int prune_tasks(struct async_tasks *at)
{
	struct async_task t;
	uint64_t type;
	size_t n = 0;

	hashmap_free(&at->by_addr);
	for (size_t i = 0; i < at->nr_tasks; i++) {
		if (read_u64(at, at->tasks[i].addr + 8, &type) || !is_task_type(at, type) ||
		    read_task(at, at->tasks[i].addr, &t, &at->tasks[i]) ||
		    t.coro != at->tasks[i].coro)
			continue;
		at->tasks[n] = t;
		if (hashmap_insert(&at->by_addr, hash_u64(t.addr), &at->tasks[n]))
			return -ENOMEM;
		n++;
	}
	at->nr_tasks = n;
	return 0;
}

/*
 * Walk every GC list into the index. A list that breaks (a collection running
 * in the target moves objects under the walk) ends there: the tasks already
 * found stay, the next refresh finds the rest. 0 or -ENOMEM.
 */
static int walk_lists(struct async_tasks *at)
{
	uint64_t budget = ASYNC_MAX_OBJECTS, interp, heads[ASYNC_GC_LISTS];
	int err = 0;

	/* read each time: a -- CMD process has no interpreter yet when it is found */
	if (read_u64(at, at->interp_head, &interp) || !interp)
		return at->nr_bad_lists++, 0;
	for (int g = 0; g < ASYNC_GC_LISTS; g++)
		heads[g] = interp + at->l->gc_gen[g];
	for (int g = 0; g < ASYNC_GC_LISTS && !err; g++)
		err = walk_list(at, heads, g, &budget);
	return err;
}

int async_tasks_refresh(struct async_tasks *at)
{
	size_t before;
	int err;

	at->nr_refreshes++;
	err = prune_tasks(at);
	before = at->nr_tasks;
	err = err ?: walk_lists(at);
	err = err ?: link_tasks(at);
	return err ?: (int)(at->nr_tasks - before);
}

const struct async_task *async_tasks_by_coro(struct async_tasks *at, uint64_t coro)
{
	struct async_task *t = hashmap_find(&at->by_coro, hash_u64(coro), &coro, task_coro_eq);
	uint64_t now_coro;

	/* the task may have ended and its coroutine's memory hold another one */
	if (!t || read_u64(at, t->addr + at->l->task_coro, &now_coro) || now_coro != coro)
		return NULL;
	return t;
}

const struct async_task *async_tasks_by_addr(const struct async_tasks *at, uint64_t addr)
{
	return hashmap_find(&at->by_addr, hash_u64(addr), &addr, task_addr_eq);
}
