// SPDX-License-Identifier: MIT
/* A profile read back: its stack list. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "read/profdata.h"

/* Append a stack, growing the array; frames are interned. */
int profdata_add(struct profdata *p, const char *const *frames, size_t nr, uint64_t weight)
{
	struct profdata_stack *grown, *st;

	if (p->nr_stacks == p->cap_stacks) {
		size_t cap = p->cap_stacks ? p->cap_stacks * 2 : 64;

		grown = realloc(p->stacks, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		p->stacks = grown;
		p->cap_stacks = cap;
	}
	st = &p->stacks[p->nr_stacks];
	st->frames = calloc(nr ? nr : 1, sizeof(*st->frames));
	if (!st->frames)
		return -ENOMEM;
	for (size_t i = 0; i < nr; i++)
		if (!(st->frames[i] = strpool_intern(p->pool, frames[i]))) {
			free(st->frames);
			return -ENOMEM;
		}
	st->nr_frames = nr;
	st->weight = weight;
	p->nr_stacks++;
	p->total += weight;
	return 0;
}

/* Free the stacks (the pool belongs to the caller). */
void profdata_free(struct profdata *p)
{
	for (size_t i = 0; i < p->nr_stacks; i++)
		free(p->stacks[i].frames);
	free(p->stacks);
	p->stacks = NULL;
	p->nr_stacks = p->cap_stacks = 0;
}

/* Fill e: where the input stopped making sense and why. */
int profdata_fail(struct profdata_error *e, size_t offset, const char *fmt, ...)
{
	va_list ap;

	e->offset = offset;
	e->in_inflated = 0;
	va_start(ap, fmt);
	vsnprintf(e->what, sizeof(e->what), fmt, ap);
	va_end(ap);
	return -EINVAL;
}
