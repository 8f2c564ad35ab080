// SPDX-License-Identifier: MIT
/* Counting of raw stacks as they arrive from the ring buffer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/agg.h"

#define AGG_MAX_FRAMES_STACK 64 /* frames copied on the stack before falling back to malloc */

struct stack_key {
	uint32_t pid, gen, tid, flags, nr_frames;
	const struct agg_frame *frames;
};

static bool stack_eq(const void *item, const void *key)
{
	const struct raw_stack *s = item;
	const struct stack_key *k = key;

	return s->pid == k->pid && s->gen == k->gen && s->tid == k->tid && s->flags == k->flags &&
	       s->nr_frames == k->nr_frames &&
	       memcmp(s->frames, k->frames, k->nr_frames * sizeof(*k->frames)) == 0;
}

static bool thread_eq(const void *item, const void *key)
{
	return ((const struct thread_name *)item)->tid == *(const uint32_t *)key;
}

void agg_init(struct agg *a)
{
	memset(a, 0, sizeof(*a));
}

void agg_free(struct agg *a)
{
	hashmap_free_all(&a->stacks);
	hashmap_free_all(&a->threads);
}

/* The entry of tid, made if new; NULL on ENOMEM. */
static struct thread_name *thread_entry(struct agg *a, uint32_t tid)
{
	struct thread_name *t = hashmap_find(&a->threads, hash_u64(tid), &tid, thread_eq);

	if (!t) {
		t = calloc(1, sizeof(*t));
		if (!t || hashmap_insert(&a->threads, hash_u64(tid), t)) {
			free(t);
			return NULL;
		}
		t->tid = tid;
	}
	return t;
}

/* What a record adds to a stack's count: its weight, 1 when 0. */
static uint64_t agg_weight(const struct ps_sample *s)
{
	return s->weight ? s->weight : 1;
}

uint64_t agg_samples_of(const struct ps_sample *s)
{
	return s->type == PS_REC_SAMPLE ? agg_weight(s) : 1;
}

/* Remember the thread's current name. */
static int note_thread(struct agg *a, const struct ps_sample *s)
{
	struct thread_name *t = thread_entry(a, s->tid);

	if (!t)
		return -ENOMEM;
	if (t->pid != s->pid)
		t->pyname[0] = '\0'; /* a tid reused by another process */
	t->pid = s->pid;
	t->nr_samples += agg_samples_of(s);
	t->nr_gil_held += s->flags & PS_SAMPLE_GIL_HELD ? agg_samples_of(s) : 0;
	t->nr_gil_known += s->flags & PS_SAMPLE_GIL_KNOWN ? agg_samples_of(s) : 0;
	memcpy(t->comm, s->comm, PS_COMM_LEN);
	t->comm[PS_COMM_LEN - 1] = '\0';
	return 0;
}

/* Insert a new stack for key (frames already normalised). */
static int new_stack(struct agg *a, const struct stack_key *k, uint64_t h, uint64_t w)
{
	struct raw_stack *s = malloc(sizeof(*s) + k->nr_frames * sizeof(struct agg_frame));

	if (!s)
		return -ENOMEM;
	s->hash = h;
	s->count = w;
	s->pid = k->pid;
	s->gen = k->gen;
	s->tid = k->tid;
	s->flags = k->flags;
	s->nr_frames = k->nr_frames;
	memcpy(s->frames, k->frames, k->nr_frames * sizeof(struct agg_frame));
	if (hashmap_insert(&a->stacks, h, s)) {
		free(s);
		return -ENOMEM;
	}
	return 0;
}

int agg_add_frames(struct agg *a, const struct ps_sample *s, const struct agg_frame *frames,
		   uint32_t nr)
{
	struct stack_key k = { s->pid, s->gen, s->tid, s->flags & AGG_KEY_FLAGS, nr, frames };
	uint64_t h = hash_bytes(frames, nr * sizeof(*frames),
				(uint64_t)k.pid << 32 ^ (uint64_t)k.gen << 16 ^ k.tid ^
					(uint64_t)k.flags << 48);
	struct raw_stack *hit = hashmap_find(&a->stacks, h, &k, stack_eq);
	int err = 0;

	if (hit)
		hit->count += agg_weight(s);
	else
		err = new_stack(a, &k, h, agg_weight(s));
	a->nr_samples += agg_samples_of(s);
	return err ?: note_thread(a, s);
}

int agg_add(struct agg *a, const struct ps_sample *s, size_t size)
{
	struct agg_frame small[AGG_MAX_FRAMES_STACK] = {}, *frames = small;
	uint32_t nr = s->nr_frames;
	int err;

	if (nr > PS_MAX_FRAMES ||
	    size < PS_SAMPLE_HDR_SIZE + (size_t)nr * sizeof(struct ps_frame)) {
		a->nr_malformed++;
		return -EINVAL;
	}
	if (nr > AGG_MAX_FRAMES_STACK) {
		frames = malloc(nr * sizeof(*frames));
		if (!frames)
			return -ENOMEM;
	}
	for (uint32_t i = 0; i < nr; i++)
		frames[i] = agg_frame_python(&s->frames[i]);
	err = agg_add_frames(a, s, frames, nr);
	if (frames != small)
		free(frames);
	return err;
}

const struct thread_name *agg_thread(const struct agg *a, uint32_t tid)
{
	return hashmap_find(&a->threads, hash_u64(tid), &tid, thread_eq);
}

int agg_name_thread(struct agg *a, uint32_t pid, uint32_t tid, const char *name)
{
	struct thread_name *t = thread_entry(a, tid);

	if (!t)
		return -ENOMEM;
	t->pid = pid;
	snprintf(t->pyname, sizeof(t->pyname), "%s", name);
	return 0;
}

const char *agg_thread_name(const struct agg *a, uint32_t tid)
{
	const struct thread_name *t = hashmap_find(&a->threads, hash_u64(tid), &tid, thread_eq);

	return t ? agg_name_of(t) : "?";
}

/* Add src's thread counters into dst's entry for the same tid. */
static int merge_thread(struct agg *dst, const struct thread_name *t)
{
	struct thread_name *d = thread_entry(dst, t->tid);

	if (!d)
		return -ENOMEM;
	if (t->pyname[0] || d->pid != t->pid)
		memcpy(d->pyname, t->pyname, sizeof(d->pyname));
	d->pid = t->pid;
	memcpy(d->comm, t->comm, PS_COMM_LEN);
	d->nr_samples += t->nr_samples;
	d->nr_gil_held += t->nr_gil_held;
	d->nr_gil_known += t->nr_gil_known;
	return 0;
}

int agg_merge(struct agg *dst, const struct agg *src, uint32_t pid)
{
	const struct thread_name *t;
	const struct raw_stack *rs;
	struct raw_stack *hit;
	int err = 0;

	hashmap_for_each(&src->stacks, rs)
	{
		struct stack_key k = { rs->pid,	  rs->gen,	 rs->tid,
				       rs->flags, rs->nr_frames, rs->frames };

		if (err || (pid && rs->pid != pid))
			continue;
		hit = hashmap_find(&dst->stacks, rs->hash, &k, stack_eq);
		if (hit)
			hit->count += rs->count;
		else
			err = new_stack(dst, &k, rs->hash, rs->count);
		dst->nr_samples += rs->count;
	}
	hashmap_for_each(&src->threads, t)
	{
		if (!err && (!pid || t->pid == pid))
			err = merge_thread(dst, t);
	}
	return err;
}
