// SPDX-License-Identifier: MIT
/*
 * Why: one syscall in N carries its stack and stands for N calls, so one
 * slow call that happens to be sampled (a cold 0.4 ms read times N = 1024)
 * made 450 ms of a graph whose syscalls took 30 ms in all, and a write-bound
 * script looked read-bound. The kernel counts every call and its time
 * exactly; the samples are only needed to split that total among stacks
 * (a ratio estimator: the split is sampled, the totals are not).
 */
#include <errno.h>
#include <stdlib.h>
#include "syscalls/syscalls_calibrate.h"
#include "kernel/syscalls_names.h"

/* One (process, syscall): its exact total and its stacks' sampled sum. */
struct cal_key {
	uint32_t pid;
	const char *name; /* the leaf frame's pooled name: syscalls_name(nr) */
	uint64_t exact, sampled, seen;
};

struct cal_find {
	uint32_t pid;
	const char *name;
};

static bool key_eq(const void *item, const void *key)
{
	const struct cal_key *k = item;
	const struct cal_find *f = key;

	return k->pid == f->pid && k->name == f->name;
}

static uint64_t key_hash(uint32_t pid, const char *name)
{
	return hash_u64(((uint64_t)pid << 32) ^ (uint64_t)(uintptr_t)name);
}

/* The key of a stack, or NULL (not a syscall leaf, or no exact count). */
static struct cal_key *key_of(const struct hashmap *m, const struct raw_stack *rs)
{
	struct cal_find f;

	if (!rs->nr_frames || rs->frames[0].kind != AGG_FRAME_KERNEL)
		return NULL;
	f = (struct cal_find){ rs->pid, rs->frames[0].name };
	return hashmap_find(m, key_hash(f.pid, f.name), &f, key_eq);
}

/* A key per (process, syscall) r counted, with its exact total. */
static int add_keys(struct hashmap *m, const struct syscalls_result *r, bool time)
{
	for (size_t i = 0; i < r->nr_procs; i++) {
		const struct syscalls_proc_report *p = &r->procs[i];

		for (size_t j = 0; j < p->nr_rows; j++) {
			const char *name = syscalls_name(p->rows[j].nr);
			uint64_t exact = time ? p->rows[j].time_ns : p->rows[j].calls;
			struct cal_key *k;

			if (!name || !exact)
				continue;
			k = calloc(1, sizeof(*k));
			if (!k || hashmap_insert(m, key_hash(p->pid, name), k)) {
				free(k);
				return -ENOMEM;
			}
			*k = (struct cal_key){ .pid = p->pid, .name = name, .exact = exact };
		}
	}
	return 0;
}

/*
 * The stack's share of its key's exact total. Cumulative rounding: the
 * stacks of a key add up to exactly its total, whatever their order.
 */
static uint64_t scaled(struct cal_key *k, uint64_t count)
{
	unsigned __int128 before = (unsigned __int128)k->seen * k->exact / k->sampled;
	unsigned __int128 after;

	k->seen += count;
	after = (unsigned __int128)k->seen * k->exact / k->sampled;
	return (uint64_t)(after - before);
}

static bool keep_counted(void *item, void *ctx)
{
	(void)ctx;
	if (((struct raw_stack *)item)->count)
		return true;
	free(item);
	return false;
}

int syscalls_calibrate(struct agg *a, const struct syscalls_result *r, bool time)
{
	struct hashmap keys = {};
	struct raw_stack *rs;
	struct cal_key *k;
	int err = add_keys(&keys, r, time);

	if (!err) {
		hashmap_for_each(&a->stacks, rs)
		{
			if ((k = key_of(&keys, rs)))
				k->sampled += rs->count;
		}
		hashmap_for_each(&a->stacks, rs)
		{
			if ((k = key_of(&keys, rs)) && k->sampled)
				rs->count = scaled(k, rs->count);
		}
		err = hashmap_filter(&a->stacks, keep_counted, NULL) < 0 ? -ENOMEM : 0;
	}
	hashmap_free_all(&keys);
	return err;
}
