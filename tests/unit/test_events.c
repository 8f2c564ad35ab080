// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "core/events.h"
#include "ps_syscalls.h"

/* A sample of nr frames followed by the trailers flagged in flags. */
static struct ps_sample *make(uint32_t nr, uint32_t flags, uint32_t ustack_len, size_t *size)
{
	size_t frames = PS_SAMPLE_HDR_SIZE + nr * sizeof(struct ps_frame), off = frames;
	struct ps_sample *s = calloc(1, sizeof(*s) + PS_TRAILER_MAX * 2);
	struct ps_xstack *x;

	s->type = PS_REC_SAMPLE;
	s->nr_frames = nr;
	s->flags = flags;
	if (flags & PS_SAMPLE_HAS_SYSCALL) {
		((struct ps_sys_call *)((char *)s + off))->nr = 42;
		off += sizeof(struct ps_sys_call);
	}
	if (flags & PS_SAMPLE_HAS_XSTACK) {
		x = (struct ps_xstack *)((char *)s + off);
		x->ustack_len = ustack_len;
		x->nr_kips = 3;
		off += PS_XSTACK_HDR_SIZE + ustack_len;
	}
	s->trailer_len = off - frames;
	*size = off;
	return s;
}

Test(events, finds_each_trailer_after_the_frames)
{
	size_t size;
	struct ps_sample *s = make(5, PS_SAMPLE_HAS_SYSCALL | PS_SAMPLE_HAS_XSTACK, 64, &size);
	const struct ps_sys_call *c = events_sample_trailer(s, size, PS_SAMPLE_HAS_SYSCALL);
	const struct ps_xstack *x = events_sample_trailer(s, size, PS_SAMPLE_HAS_XSTACK);

	cr_assert_not_null(c);
	cr_assert_eq(c->nr, 42);
	cr_assert_not_null(x);
	cr_assert_eq(x->nr_kips, 3);
	cr_assert_eq((const char *)x - (const char *)s,
		     PS_SAMPLE_HDR_SIZE + 5 * sizeof(struct ps_frame) + sizeof(struct ps_sys_call));
	free(s);
}

Test(events, absent_or_cut_trailers_are_not_found)
{
	size_t size;
	struct ps_sample *s = make(2, PS_SAMPLE_HAS_XSTACK, 128, &size);

	cr_assert_null(events_sample_trailer(s, size, PS_SAMPLE_HAS_SYSCALL));
	cr_assert_not_null(events_sample_trailer(s, size, PS_SAMPLE_HAS_XSTACK));
	cr_assert_null(events_sample_trailer(s, size - 1, PS_SAMPLE_HAS_XSTACK));
	((struct ps_xstack *)((char *)s + PS_SAMPLE_HDR_SIZE + 2 * sizeof(struct ps_frame)))
		->ustack_len = PS_USTACK_MAX + 1;
	cr_assert_null(events_sample_trailer(s, size, PS_SAMPLE_HAS_XSTACK));
	free(s);
}
