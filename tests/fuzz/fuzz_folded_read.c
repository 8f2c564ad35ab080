// SPDX-License-Identifier: MIT
/* Fuzz the folded-stacks reader: any bytes, never a crash; a success is consistent. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "read/profread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strpool pool = {};
	struct profdata p = { .pool = &pool };
	struct profdata_error e = {};
	uint64_t sum = 0;

	if (folded_read((const char *)data, size, &p, &e) == 0) {
		for (size_t i = 0; i < p.nr_stacks; i++) {
			if (!p.stacks[i].nr_frames)
				abort();
			for (size_t k = 0; k < p.stacks[i].nr_frames; k++)
				if (!p.stacks[i].frames[k] || !p.stacks[i].frames[k][0] ||
				    strchr(p.stacks[i].frames[k], ';'))
					abort();
			sum += p.stacks[i].weight;
		}
		if (sum != p.total)
			abort();
	} else if (e.offset > size) {
		abort(); /* the offset must be inside the input */
	}
	profdata_free(&p);
	strpool_free(&pool);
	return 0;
}
