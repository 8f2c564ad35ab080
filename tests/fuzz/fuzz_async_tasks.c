// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the asyncio task reader (user/async/async_tasks.c):
 * the input is a target's memory. Byte 0 picks the CPython minor version
 * (11-15), the rest is mapped at ASYNC_IMAGE_BASE, where the interpreter-list head
 * sits; reads outside it fail as they would on an unmapped page. A refresh
 * must end (every walk is capped), and every task it keeps must come out of
 * the lookups by coroutine and by address with printable, ';'-free names and
 * a parent chain that the lookups can follow. Seeds: tests/fuzz/corpus/
 * async_tasks/ (made by scripts/gen-async-corpus.py: one task awaiting a
 * gather of two, a cyclic GC list, and mutations).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "async/async_tasks.h"
#include "async_image.h"

/* Abort unless every kept task is found again and its name and parents are sane. */
static void check_tasks(struct async_tasks *at)
{
	for (size_t i = 0; i < at->nr_tasks; i++) {
		const struct async_task *t = &at->tasks[i];
		size_t depth = 0;

		if (strchr(t->name, ';') || !memchr(t->name, 0, sizeof(t->name)))
			abort();
		if (async_tasks_by_addr(at, t->addr) == NULL)
			abort();
		for (const struct async_task *p = t; p && depth < 64; depth++)
			p = p->parent ? async_tasks_by_addr(at, p->parent) : NULL;
		(void)async_tasks_by_coro(at, t->coro);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ps_py_offsets str = {
		.str_len = 16, .str_state = 32, .str_ascii_data = 40, .str_compact_data = 56
	};
	const struct async_layout *l;
	struct async_tasks at;
	struct async_image im;
	uint8_t *copy;

	if (size < 1 || !(l = async_layout_find(3, 11 + data[0] % 5)))
		return 0;
	copy = malloc(size - 1 ? size - 1 : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, size - 1);
	im = (struct async_image){ copy, size - 1 };
	async_tasks_init(&at, l, &str, async_image_read, &im, ASYNC_IMAGE_BASE);
	if (async_tasks_refresh(&at) >= 0)
		check_tasks(&at);
	async_tasks_refresh(&at);
	async_tasks_free(&at);
	free(copy);
	return 0;
}
