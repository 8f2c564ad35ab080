// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/agg.h"

/* A sample record with nr frames whose code addresses start at base. */
static struct ps_sample *make_sample(uint32_t tid, uint32_t nr, uint64_t base, size_t *size)
{
	struct ps_sample *s = calloc(1, sizeof(*s));

	s->type = PS_REC_SAMPLE;
	s->pid = 100;
	s->gen = 1;
	s->tid = tid;
	s->nr_frames = nr;
	strcpy((char *)s->comm, "worker");
	for (uint32_t i = 0; i < nr; i++) {
		s->frames[i].code_addr = base + i * 0x100;
		s->frames[i].instr = i;
	}
	*size = PS_SAMPLE_HDR_SIZE + nr * sizeof(struct ps_frame);
	return s;
}

Test(agg, identical_samples_share_one_stack)
{
	struct agg a;
	size_t size;
	struct ps_sample *s = make_sample(7, 3, 0x1000, &size);
	struct raw_stack *rs;

	agg_init(&a);
	cr_assert_eq(agg_add(&a, s, size), 0);
	s->frames[0].pad = 0xff; /* pad bytes must not split stacks */
	cr_assert_eq(agg_add(&a, s, size), 0);
	cr_assert_eq(a.stacks.nr, 1, "stacks: %zu", a.stacks.nr);
	hashmap_for_each(&a.stacks, rs) cr_assert_eq(rs->count, 2);
	cr_assert_str_eq(agg_thread_name(&a, 7), "worker");
	agg_free(&a);
	free(s);
}

Test(agg, different_thread_or_instr_makes_a_new_stack)
{
	struct agg a;
	size_t size;
	struct ps_sample *s = make_sample(7, 3, 0x1000, &size);

	agg_init(&a);
	agg_add(&a, s, size);
	s->tid = 8;
	agg_add(&a, s, size);
	s->frames[2].instr = 99;
	agg_add(&a, s, size);
	cr_assert_eq(a.stacks.nr, 3);
	cr_assert_eq(a.nr_samples, 3);
	agg_free(&a);
	free(s);
}

Test(agg, deep_stacks_are_kept_whole)
{
	struct agg a;
	size_t size;
	struct ps_sample *s = make_sample(7, PS_MAX_FRAMES, 0x1000, &size);
	struct raw_stack *rs;

	agg_init(&a);
	cr_assert_eq(agg_add(&a, s, size), 0);
	hashmap_for_each(&a.stacks, rs) cr_assert_eq(rs->nr_frames, PS_MAX_FRAMES);
	agg_free(&a);
	free(s);
}

Test(agg, record_shorter_than_its_frames_is_rejected)
{
	struct agg a;
	size_t size;
	struct ps_sample *s = make_sample(7, 10, 0x1000, &size);

	agg_init(&a);
	cr_assert_eq(agg_add(&a, s, size - 1), -EINVAL);
	s->nr_frames = PS_MAX_FRAMES + 1;
	cr_assert_eq(agg_add(&a, s, sizeof(*s)), -EINVAL);
	cr_assert_eq(a.nr_malformed, 2);
	cr_assert_eq(a.stacks.nr, 0);
	agg_free(&a);
	free(s);
}

Test(agg, merge_adds_counts_of_equal_stacks_and_keeps_new_ones)
{
	struct agg a, b;
	size_t size;
	struct ps_sample *s = make_sample(7, 3, 0x1000, &size);
	struct raw_stack *rs;
	uint64_t sum = 0;

	agg_init(&a);
	agg_init(&b);
	s->flags = PS_SAMPLE_GIL_KNOWN | PS_SAMPLE_GIL_HELD;
	agg_add(&a, s, size);
	agg_add(&b, s, size);
	agg_add(&b, s, size);
	s->tid = 8;
	agg_add(&b, s, size);
	cr_assert_eq(agg_merge(&a, &b, 0), 0);
	cr_assert_eq(a.stacks.nr, 2, "stacks: expected 2, got %zu", a.stacks.nr);
	hashmap_for_each(&a.stacks, rs) sum += rs->count * (rs->tid == 7 ? 100 : 1);
	cr_assert_eq(sum, 301, "tid 7 x3 and tid 8 x1: expected 301, got %llu",
		     (unsigned long long)sum);
	cr_assert_eq(a.nr_samples, 4, "samples: expected 4, got %llu",
		     (unsigned long long)a.nr_samples);
	cr_assert_eq(agg_thread(&a, 7)->nr_gil_held, 3, "tid 7 GIL held: expected 3, got %llu",
		     (unsigned long long)agg_thread(&a, 7)->nr_gil_held);
	agg_free(&a);
	agg_free(&b);
	free(s);
}

Test(agg, merge_with_a_pid_takes_only_that_process)
{
	struct agg a, b;
	size_t size;
	struct ps_sample *s = make_sample(7, 3, 0x1000, &size);

	agg_init(&a);
	agg_init(&b);
	agg_add(&b, s, size);
	s->pid = 200;
	s->tid = 9;
	agg_add(&b, s, size);
	cr_assert_eq(agg_merge(&a, &b, 200), 0);
	cr_assert_eq(a.stacks.nr, 1, "stacks: expected 1, got %zu", a.stacks.nr);
	cr_assert_null(agg_thread(&a, 7), "pid 100's thread merged");
	cr_assert_not_null(agg_thread(&a, 9), "pid 200's thread missing");
	agg_free(&a);
	agg_free(&b);
	free(s);
}

Test(agg, python_frames_keep_their_bytes_and_named_frames_differ_by_kind)
{
	struct ps_frame f = { .code_addr = 0x1234, .instr = 7, .code_tag = 9, .owner = 0x40 };
	struct agg_frame a = agg_frame_python(&f), n = agg_frame_named("x", AGG_FRAME_NATIVE),
			 k = agg_frame_named("x", AGG_FRAME_KERNEL);

	/* same bytes as the wire frame: hashes (and so output order) are unchanged */
	cr_assert_eq(memcmp(&a, &f, sizeof(a)), 0);
	cr_assert_neq(memcmp(&n, &k, sizeof(n)), 0);
}
