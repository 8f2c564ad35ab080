// SPDX-License-Identifier: MIT
/* Registry of discovered Python processes by (pid, generation). */
#include <stdlib.h>
#include <string.h>
#include "core/targets.h"
#include "target/procfs.h"

struct target_key {
	uint32_t pid, gen;
};

static uint64_t key_hash(uint32_t pid, uint32_t gen)
{
	return hash_u64((uint64_t)pid << 32 | gen);
}

static bool key_eq(const void *item, const void *key)
{
	const struct target *t = item;
	const struct target_key *k = key;

	return (uint32_t)t->t.pid == k->pid && t->gen == k->gen;
}

/* "current" holds small boxes pointing at the newest target of a pid. */
struct current_box {
	uint32_t pid;
	struct target *t;
};

static bool box_eq(const void *item, const void *key)
{
	return ((const struct current_box *)item)->pid == *(const uint32_t *)key;
}

void targets_init(struct targets *ts)
{
	memset(ts, 0, sizeof(*ts));
	ts->next_gen = 1;
}

void targets_free(struct targets *ts)
{
	hashmap_free_all(&ts->by_key);
	hashmap_free_all(&ts->current);
}

struct target *targets_add(struct targets *ts, const struct py_target *pt)
{
	uint32_t pid = pt->pid;
	struct current_box *box = hashmap_find(&ts->current, hash_u64(pid), &pid, box_eq);
	struct target *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->t = *pt;
	t->gen = ts->next_gen++;
	t->t.bpf.gen = t->gen;
	if (hashmap_insert(&ts->by_key, key_hash(pid, t->gen), t))
		goto fail;
	if (!box) {
		box = calloc(1, sizeof(*box));
		if (!box || hashmap_insert(&ts->current, hash_u64(pid), box)) {
			free(box);
			return NULL; /* t stays owned by by_key */
		}
		box->pid = pid;
	}
	box->t = t;
	ts->nr++;
	return t;
fail:
	free(t);
	return NULL;
}

struct target *targets_find(const struct targets *ts, uint32_t pid, uint32_t gen)
{
	struct target_key k = { pid, gen };

	return hashmap_find(&ts->by_key, key_hash(pid, gen), &k, key_eq);
}

struct target *targets_live(const struct targets *ts, uint32_t pid)
{
	struct current_box *box = hashmap_find(&ts->current, hash_u64(pid), &pid, box_eq);

	return box && !box->t->exited ? box->t : NULL;
}

struct target *targets_last(const struct targets *ts, uint32_t pid)
{
	struct current_box *box = hashmap_find(&ts->current, hash_u64(pid), &pid, box_eq);

	return box ? box->t : NULL;
}

/* keep() of targets_prune's by_key pass: frees exited targets. */
static bool keep_live(void *item, void *ctx)
{
	struct target *t = item;

	(void)ctx;
	if (!t->exited)
		return true;
	free(t);
	return false;
}

/* keep() of the current-box pass: a box whose target will be freed goes too. */
static bool keep_box_exited(void *item, void *ctx)
{
	struct current_box *box = item;

	(void)ctx;
	if (!box->t->exited)
		return true;
	free(box);
	return false;
}

int targets_prune(struct targets *ts)
{
	int n;

	/* boxes first: they must not look at freed targets */
	hashmap_filter(&ts->current, keep_box_exited, NULL);
	n = hashmap_filter(&ts->by_key, keep_live, NULL);
	if (n > 0)
		ts->nr -= (size_t)n;
	return n;
}

/* Fields 3.. of /proc/PID/stat (after the last ')': comm may hold parentheses); false if gone. */
static bool read_stat(pid_t pid, char *buf, size_t cap, char **fields)
{
	if (procfs_read(pid, "stat", buf, cap) <= 0)
		return false;
	*fields = strrchr(buf, ')');
	return *fields && (*fields)[1] == ' ';
}

/* Field n (3-based numbering of proc(5)) of the fields from read_stat, or NULL. */
static const char *stat_field(const char *fields, int n)
{
	const char *p = fields;

	for (int f = 2; p && f < n; f++)
		p = strchr(p + 1, ' ');
	return p ? p + 1 : NULL;
}

uint64_t targets_start_ticks(pid_t pid)
{
	char buf[512], *fields;
	const char *v;

	if (!read_stat(pid, buf, sizeof(buf), &fields))
		return 0;
	v = stat_field(fields, 22);
	return v ? strtoull(v, NULL, 10) : 0;
}

bool targets_running(const struct target *t)
{
	char buf[512], *fields;
	const char *threads, *start;

	if (!read_stat(t->t.pid, buf, sizeof(buf), &fields))
		return false;
	threads = stat_field(fields, 20);
	start = stat_field(fields, 22);
	/* a zombie leader whose other threads run (it called pthread_exit) still runs */
	if ((fields[2] == 'Z' || fields[2] == 'X') && (!threads || atoi(threads) <= 1))
		return false;
	return !t->start_ticks || (start && strtoull(start, NULL, 10) == t->start_ticks);
}
