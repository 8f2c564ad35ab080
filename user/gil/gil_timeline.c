// SPDX-License-Identifier: MIT
/* GIL timeline: transition events -> per-thread intervals -> Chrome trace JSON. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "gil/gil_timeline.h"
#include "lib/jsonw.h"

/* The open interval of one thread. */
struct open_iv {
	uint32_t pid, tid;
	uint64_t begin_ns;
	uint8_t state; /* enum ps_gil_state: WAITING or HOLDING, else nothing open */
};

static bool open_eq(const void *item, const void *key)
{
	return ((const struct open_iv *)item)->tid == *(const uint32_t *)key;
}

void gil_timeline_init(struct gil_timeline *tl)
{
	memset(tl, 0, sizeof(*tl));
}

void gil_timeline_free(struct gil_timeline *tl)
{
	hashmap_free_all(&tl->open);
	free(tl->iv);
	memset(tl, 0, sizeof(*tl));
}

/* Keep [begin, end) of one state; counted, not kept, past the limit. */
static int push(struct gil_timeline *tl, const struct open_iv *o, uint64_t end_ns)
{
	struct gil_interval *n;

	if (o->state != PS_GIL_WAITING && o->state != PS_GIL_HOLDING)
		return 0;
	if (end_ns < o->begin_ns) {
		tl->nr_malformed++;
		return 0;
	}
	if (tl->nr >= GIL_TIMELINE_MAX) {
		tl->nr_dropped++;
		return 0;
	}
	if (tl->nr == tl->cap) {
		size_t cap = tl->cap ? tl->cap * 2 : 4096;

		n = realloc(tl->iv, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		tl->iv = n;
		tl->cap = cap;
	}
	tl->iv[tl->nr++] = (struct gil_interval){ o->pid, o->tid, o->begin_ns, end_ns,
						  o->state == PS_GIL_HOLDING };
	return 0;
}

/* The open-interval slot of e's thread, created on first use. */
static struct open_iv *slot(struct gil_timeline *tl, const struct ps_gil_event *e)
{
	uint32_t tid = e->tid;
	struct open_iv *o = hashmap_find(&tl->open, hash_u64(tid), &tid, open_eq);

	if (o)
		return o;
	o = calloc(1, sizeof(*o));
	if (!o || hashmap_insert(&tl->open, hash_u64(tid), o)) {
		free(o);
		return NULL;
	}
	o->pid = e->pid;
	o->tid = tid;
	return o;
}

int gil_timeline_add(struct gil_timeline *tl, const struct ps_gil_event *e)
{
	struct open_iv *o = slot(tl, e);
	int err;

	if (!o)
		return -ENOMEM;
	err = push(tl, o, e->ts_ns);
	o->pid = e->pid;
	o->begin_ns = e->ts_ns;
	o->state = e->kind == PS_GIL_EV_WAIT	? PS_GIL_WAITING :
		   e->kind == PS_GIL_EV_ACQUIRE ? PS_GIL_HOLDING :
						  PS_GIL_RELEASED;
	return err;
}

/* One complete ("X") trace event; times in microseconds from start. */
static void trace_event(struct jsonw *j, const struct gil_interval *iv, uint64_t start_ns)
{
	jsonw_begin_object(j);
	jsonw_kv_str(j, "name", iv->holding ? "holding GIL" : "waiting for GIL");
	jsonw_kv_str(j, "cat", "gil");
	jsonw_kv_str(j, "ph", "X");
	jsonw_kv_uint(j, "pid", iv->pid);
	jsonw_kv_uint(j, "tid", iv->tid);
	jsonw_kv_double(j, "ts", (iv->begin_ns - start_ns) / 1e3);
	jsonw_kv_double(j, "dur", (iv->end_ns - iv->begin_ns) / 1e3);
	jsonw_end_object(j);
}

/* thread_name metadata events, one per thread. */
static void name_events(struct jsonw *j, struct gil_timeline *tl, gil_thread_name_fn name,
			void *ctx)
{
	struct open_iv *o;

	hashmap_for_each(&tl->open, o)
	{
		jsonw_begin_object(j);
		jsonw_kv_str(j, "name", "thread_name");
		jsonw_kv_str(j, "ph", "M");
		jsonw_kv_uint(j, "pid", o->pid);
		jsonw_kv_uint(j, "tid", o->tid);
		jsonw_key(j, "args");
		jsonw_begin_object(j);
		jsonw_kv_str(j, "name", name ? name(ctx, o->pid, o->tid) : "?");
		jsonw_end_object(j);
		jsonw_end_object(j);
	}
}

int gil_timeline_write(FILE *f, struct gil_timeline *tl, uint64_t start_ns, uint64_t end_ns,
		       gil_thread_name_fn name, void *ctx)
{
	struct open_iv *o;
	struct jsonw j;

	hashmap_for_each(&tl->open, o)
	{
		if (push(tl, o, end_ns))
			return -ENOMEM;
		o->state = PS_GIL_RELEASED;
	}
	jsonw_init(&j, f);
	jsonw_begin_object(&j);
	jsonw_kv_str(&j, "displayTimeUnit", "ns");
	jsonw_key(&j, "traceEvents");
	jsonw_begin_array(&j);
	name_events(&j, tl, name, ctx);
	for (size_t i = 0; i < tl->nr; i++)
		if (tl->iv[i].begin_ns >= start_ns)
			trace_event(&j, &tl->iv[i], start_ns);
	jsonw_end_array(&j);
	jsonw_key(&j, "otherData");
	jsonw_begin_object(&j);
	jsonw_kv_uint(&j, "dropped_intervals", tl->nr_dropped);
	jsonw_end_object(&j);
	jsonw_end_object(&j);
	fputc('\n', f);
	return ferror(f) ? -EIO : 0;
}
