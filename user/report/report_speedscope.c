// SPDX-License-Identifier: MIT
/*
 * speedscope's file format (https://www.speedscope.app/file-format-schema.json):
 * one shared frame table (one frame per function: qualname, file, first
 * line) and one "sampled" profile per thread, each sample a stack of frame
 * indices root first with its weight. Threads come from the sample labels
 * (profile_opts.labels); without them all stacks form one profile.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lib/hashmap.h"
#include "lib/jsonw.h"
#include "report/report.h"

struct ss_frame {
	const char *name, *file;
	int32_t line;
	size_t idx;
};

struct ss {
	struct hashmap frames;
	struct ss_frame **order; /* by index */
	size_t nr_frames, cap_frames;
	size_t *idx; /* frame index of every stack frame, stacks in order */
	size_t *first; /* offset of stack i in idx */
	size_t *by_thread; /* stack numbers sorted by (pid, tid) */
	const struct report_stack *stacks;
};

/* Frames are equal when name, file and line are. */
static bool frame_eq(const void *item, const void *key)
{
	const struct ss_frame *a = item, *b = key;

	return a->line == b->line && strcmp(a->name, b->name) == 0 && strcmp(a->file, b->file) == 0;
}

/* The frame-table index of a report frame (a function: qualname, file, first line). */
static int frame_idx(struct ss *ss, const struct report_frame *fr, size_t *out)
{
	struct ss_frame key = { .name = fr->func ? fr->func : (fr->name ? fr->name : "?"),
				.file = fr->file ? fr->file : "",
				.line = fr->func ? fr->func_line : 0 };
	uint64_t h = hash_bytes(key.name, strlen(key.name),
				hash_bytes(key.file, strlen(key.file), (uint32_t)key.line));
	struct ss_frame *e = hashmap_find(&ss->frames, h, &key, frame_eq), **grown;

	if (!e) {
		if (ss->nr_frames == ss->cap_frames) {
			ss->cap_frames = ss->cap_frames ? ss->cap_frames * 2 : 256;
			grown = realloc(ss->order, ss->cap_frames * sizeof(*grown));
			if (!grown)
				return -ENOMEM;
			ss->order = grown;
		}
		e = calloc(1, sizeof(*e));
		if (!e || hashmap_insert(&ss->frames, h, e)) {
			free(e);
			return -ENOMEM;
		}
		*e = key;
		e->idx = ss->nr_frames;
		ss->order[ss->nr_frames++] = e;
	}
	*out = e->idx;
	return 0;
}

/* A numeric label of a stack, or 0. */
static int64_t label_num(const struct report_stack *st, const char *key)
{
	for (size_t i = 0; i < st->nr_labels; i++)
		if (!st->labels[i].str && strcmp(st->labels[i].key, key) == 0)
			return st->labels[i].num;
	return 0;
}

/* A string label of a stack, or "?". */
static const char *label_str(const struct report_stack *st, const char *key)
{
	for (size_t i = 0; i < st->nr_labels; i++)
		if (st->labels[i].str && strcmp(st->labels[i].key, key) == 0)
			return st->labels[i].str;
	return "?";
}

static const struct report_stack *sort_stacks; /* qsort has no context argument in C11 */

/* Stack numbers by pid, then tid, then position: deterministic thread groups. */
static int cmp_thread(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int64_t x = label_num(&sort_stacks[a], "pid"), y = label_num(&sort_stacks[b], "pid");

	if (x == y) {
		x = label_num(&sort_stacks[a], "tid");
		y = label_num(&sort_stacks[b], "tid");
	}
	if (x != y)
		return x < y ? -1 : 1;
	return (a > b) - (a < b);
}

/* Pass 1: index every frame, group the stacks by thread. */
static int index_stacks(struct ss *ss, const struct report_stack *stacks, size_t nr)
{
	size_t total = 0, k = 0;
	int err = 0;

	for (size_t i = 0; i < nr; i++) {
		if (stacks[i].nr_frames && !stacks[i].frames)
			return -EINVAL;
		total += stacks[i].nr_frames;
	}
	ss->idx = calloc(total + 1, sizeof(*ss->idx));
	ss->first = calloc(nr + 1, sizeof(*ss->first));
	ss->by_thread = calloc(nr + 1, sizeof(*ss->by_thread));
	if (!ss->idx || !ss->first || !ss->by_thread)
		return -ENOMEM;
	for (size_t i = 0; i < nr && !err; i++) {
		ss->first[i] = k;
		ss->by_thread[i] = i;
		for (size_t j = 0; j < stacks[i].nr_frames && !err; j++)
			err = frame_idx(ss, &stacks[i].frames[j], &ss->idx[k++]);
	}
	sort_stacks = stacks;
	qsort(ss->by_thread, nr, sizeof(*ss->by_thread), cmp_thread);
	return err;
}

/* The weight speedscope shows: cpu ns when the stacks carry them, else the main weight. */
static uint64_t weight_of(const struct report_stack *st, const struct report_meta *m)
{
	return m->type2 && m->unit2 && !strcmp(m->unit2, "nanoseconds") ? st->weight2 : st->weight;
}

/* The speedscope unit of weight_of. */
static const char *unit_of(const struct report_meta *m)
{
	if (m->type2 && m->unit2 && !strcmp(m->unit2, "nanoseconds"))
		return "nanoseconds";
	return m->unit && !strcmp(m->unit, "ns") ? "nanoseconds" : "none";
}

/* "process (pid) / thread (tid)" of a stack, or the title without labels. */
static void profile_name(const struct report_stack *st, const struct report_meta *m, char *buf,
			 size_t len)
{
	if (!st->nr_labels) {
		snprintf(buf, len, "%s", m->title ? m->title : "pystrobe");
		return;
	}
	snprintf(buf, len, "%s (%lld) / %s (%lld)", label_str(st, "process_name"),
		 (long long)label_num(st, "pid"), label_str(st, "thread_name"),
		 (long long)label_num(st, "tid"));
}

/* One sampled profile: the stacks by_thread[from..to) (one thread). */
static void put_profile(struct jsonw *j, const struct ss *ss, size_t from, size_t to,
			const struct report_meta *m)
{
	const struct report_stack *st = &ss->stacks[ss->by_thread[from]];
	uint64_t end = 0;
	char name[320];

	profile_name(st, m, name, sizeof(name));
	for (size_t i = from; i < to; i++)
		end += weight_of(&ss->stacks[ss->by_thread[i]], m);
	jsonw_begin_object(j);
	jsonw_kv_str(j, "type", "sampled");
	jsonw_kv_str(j, "name", name);
	jsonw_kv_str(j, "unit", unit_of(m));
	jsonw_kv_uint(j, "startValue", 0);
	jsonw_kv_uint(j, "endValue", end);
	jsonw_key(j, "samples");
	jsonw_begin_array(j);
	for (size_t i = from; i < to; i++) {
		size_t s = ss->by_thread[i];

		jsonw_begin_array(j);
		for (size_t k = 0; k < ss->stacks[s].nr_frames; k++)
			jsonw_uint(j, ss->idx[ss->first[s] + k]);
		jsonw_end_array(j);
	}
	jsonw_end_array(j);
	jsonw_key(j, "weights");
	jsonw_begin_array(j);
	for (size_t i = from; i < to; i++)
		jsonw_uint(j, weight_of(&ss->stacks[ss->by_thread[i]], m));
	jsonw_end_array(j);
	jsonw_end_object(j);
}

/* Do two stacks belong to the same thread profile? */
static bool same_thread(const struct report_stack *a, const struct report_stack *b)
{
	return label_num(a, "pid") == label_num(b, "pid") &&
	       label_num(a, "tid") == label_num(b, "tid");
}

/* The shared frame table. */
static void put_frames(struct jsonw *j, const struct ss *ss)
{
	jsonw_key(j, "shared");
	jsonw_begin_object(j);
	jsonw_key(j, "frames");
	jsonw_begin_array(j);
	for (size_t i = 0; i < ss->nr_frames; i++) {
		jsonw_begin_object(j);
		jsonw_kv_str(j, "name", ss->order[i]->name);
		if (*ss->order[i]->file)
			jsonw_kv_str(j, "file", ss->order[i]->file);
		if (ss->order[i]->line > 0)
			jsonw_kv_uint(j, "line", (uint64_t)ss->order[i]->line);
		jsonw_end_object(j);
	}
	jsonw_end_array(j);
	jsonw_end_object(j);
}

/* Index of the thread profile with the most weight: the one speedscope opens on. */
static size_t heaviest(const struct ss *ss, size_t nr, const struct report_meta *m)
{
	uint64_t sum = 0, best = 0;
	size_t from = 0, group = 0, best_group = 0;

	for (size_t i = 0; i < nr; i++) {
		if (i > from &&
		    !same_thread(&ss->stacks[ss->by_thread[i]], &ss->stacks[ss->by_thread[from]])) {
			group++;
			from = i;
			sum = 0;
		}
		sum += weight_of(&ss->stacks[ss->by_thread[i]], m);
		if (sum > best) {
			best = sum;
			best_group = group;
		}
	}
	return best_group;
}

/* The whole file from the indexed stacks. */
static void put_file(FILE *f, const struct ss *ss, size_t nr, const struct report_meta *m)
{
	struct jsonw j;
	size_t from = 0;

	jsonw_init(&j, f);
	jsonw_begin_object(&j);
	jsonw_kv_str(&j, "$schema", "https://www.speedscope.app/file-format-schema.json");
	jsonw_kv_str(&j, "name", m->title ? m->title : "pystrobe");
	jsonw_kv_str(&j, "exporter", "pystrobe " PS_VERSION);
	jsonw_kv_uint(&j, "activeProfileIndex", heaviest(ss, nr, m));
	put_frames(&j, ss);
	jsonw_key(&j, "profiles");
	jsonw_begin_array(&j);
	for (size_t i = 1; i <= nr; i++) {
		if (i < nr &&
		    same_thread(&ss->stacks[ss->by_thread[i]], &ss->stacks[ss->by_thread[from]]))
			continue;
		put_profile(&j, ss, from, i, m);
		from = i;
	}
	jsonw_end_array(&j);
	jsonw_end_object(&j);
	fputc('\n', f);
}

/* report_ops.write for "speedscope". */
static int speedscope_write(FILE *f, const struct report_stack *stacks, size_t nr,
			    const struct report_meta *meta)
{
	struct ss ss = { .stacks = stacks };
	int err;

	if (!f || !meta || (nr && !stacks))
		return -EINVAL;
	err = index_stacks(&ss, stacks, nr);
	if (!err)
		put_file(f, &ss, nr, meta);
	hashmap_free_all(&ss.frames);
	free(ss.order);
	free(ss.idx);
	free(ss.first);
	free(ss.by_thread);
	return err ?: (ferror(f) ? -EIO : 0);
}

const struct report_ops report_speedscope_ops = {
	.name = "speedscope",
	.write = speedscope_write,
	.ext = "speedscope.json",
	.labels = true,
};
