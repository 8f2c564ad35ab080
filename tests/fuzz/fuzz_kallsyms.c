// SPDX-License-Identifier: MIT
/* Fuzz the /proc/kallsyms parser: any bytes, never a crash; the table comes out sorted. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/kallsyms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kallsyms k = {};
	const struct kallsym *s;

	if (kallsyms_parse(&k, (const char *)data, size) == 0) {
		for (size_t i = 1; i < k.nr; i++)
			if (k.syms[i].addr < k.syms[i - 1].addr)
				abort();
		s = kallsyms_find(&k, k.syms[k.nr - 1].addr);
		if (!s || s->addr != k.syms[k.nr - 1].addr || strlen(s->name) == 0)
			abort();
	}
	kallsyms_free(&k);
	return 0;
}
