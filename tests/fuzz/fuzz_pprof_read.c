// SPDX-License-Identifier: MIT
/*
 * Fuzz the pprof reader: any bytes as a raw Profile message, and, when they
 * start with the gzip magic, through gunzip too. Never a crash or an
 * overread; a success must give consistent stacks.
 */
#include <stdint.h>
#include <stdlib.h>
#include "read/profread.h"

/* A parsed profile must be self-consistent. */
static void check(const struct profdata *p)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < p->nr_stacks; i++) {
		if (p->stacks[i].nr_frames > PR_MAX_FRAMES)
			abort();
		for (size_t k = 0; k < p->stacks[i].nr_frames; k++)
			if (!p->stacks[i].frames[k])
				abort();
		sum += p->stacks[i].weight;
	}
	if (sum != p->total)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strpool pool = {};
	struct profdata p = { .pool = &pool };
	struct profdata_error e = {};

	if (pprof_read(data, size, &p, &e) == 0)
		check(&p);
	profdata_free(&p);
	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
		p = (struct profdata){ .pool = &pool };
		if (profread_buf(data, size, &p, &e) == 0)
			check(&p);
		profdata_free(&p);
	}
	strpool_free(&pool);
	return 0;
}
