// SPDX-License-Identifier: MIT
/*
 * The asyncio task reader on the fuzz seeds of scripts/gen-async-corpus.py: a
 * task awaiting a gather of two children, per 3.11-3.15 layout; a GC list
 * that loops; a cut image.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "async/async_tasks.h"
#include "../fuzz/async_image.h"

/* A seed's bytes and the version its first byte names. */
struct image {
	uint8_t data[1 << 15];
	struct async_image mem;
	int minor;
};

/* Load seed name into im and index its tasks into at. */
static void load(const char *name, struct image *im, struct async_tasks *at)
{
	static const struct ps_py_offsets str = {
		.str_len = 16, .str_state = 32, .str_ascii_data = 40, .str_compact_data = 56
	};
	char path[512];
	uint8_t minor;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/async_tasks/%s", PS_SOURCE_DIR, name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "seed %s", path);
	cr_assert_eq(fread(&minor, 1, 1, f), 1);
	im->mem = (struct async_image){ im->data, fread(im->data, 1, sizeof(im->data), f) };
	fclose(f);
	im->minor = 11 + minor;
	async_tasks_init(at, async_layout_find(3, im->minor), &str, async_image_read, &im->mem,
			 ASYNC_IMAGE_BASE);
	cr_assert_geq(async_tasks_refresh(at), 0);
}

/* The task named name, or NULL. */
static const struct async_task *named(const struct async_tasks *at, const char *name)
{
	for (size_t i = 0; i < at->nr_tasks; i++)
		if (!strcmp(at->tasks[i].name, name))
			return &at->tasks[i];
	return NULL;
}

static void check_gather(const char *seed)
{
	static struct image im;
	struct async_tasks at;
	const struct async_task *g, *c1, *c2;

	load(seed, &im, &at);
	cr_assert_eq(at.nr_tasks, 3, "%s: 3 tasks, got %zu", seed, at.nr_tasks);
	g = named(&at, "task-G");
	c1 = named(&at, "g-child-1");
	c2 = named(&at, "g-child-2");
	cr_assert(g && c1 && c2, "%s: the three names", seed);
	cr_assert_eq(g->parent, 0, "task-G is awaited by nobody");
	cr_assert_eq(c1->parent, g->addr, "g-child-1 under task-G");
	cr_assert_eq(c2->parent, g->addr, "g-child-2 under task-G");
	cr_assert_eq(async_tasks_by_coro(&at, c1->coro), c1, "found by its coroutine");
	cr_assert_eq(at.nr_bad_lists + at.nr_walk_capped, 0);
	async_tasks_free(&at);
}

Test(async_tasks, gather_children_under_their_parent_311)
{
	check_gather("gather-3.11");
}

Test(async_tasks, gather_children_under_their_parent_312)
{
	check_gather("gather-3.12");
}

Test(async_tasks, gather_children_under_their_parent_313)
{
	check_gather("gather-3.13");
}

Test(async_tasks, gather_children_under_their_parent_314)
{
	check_gather("gather-3.14");
}

Test(async_tasks, gather_children_under_their_parent_315)
{
	check_gather("gather-3.15");
}

Test(async_tasks, looping_gc_list_is_a_broken_walk)
{
	static struct image im;
	struct async_tasks at;

	load("loop-3.12", &im, &at);
	cr_assert_eq(at.nr_bad_lists, 1, "the back link disagrees where the loop closes");
	cr_assert_eq(at.nr_tasks, 3, "the tasks before the break stay, got %zu", at.nr_tasks);
	cr_assert_eq(at.nr_walk_capped, 0, "stopped at once, not at the cap");
	async_tasks_free(&at);
}

Test(async_tasks, cut_image_counts_a_broken_list)
{
	static struct image im;
	struct async_tasks at;

	load("cut-3.13", &im, &at);
	cr_assert_gt(at.nr_bad_lists, 0, "a link into unmapped memory is counted");
	async_tasks_free(&at);
}

Test(async_tasks, refresh_keeps_live_tasks_and_adds_none_twice)
{
	static struct image im;
	struct async_tasks at;

	load("gather-3.12", &im, &at);
	cr_assert_eq(async_tasks_refresh(&at), 0, "no new task the second time");
	cr_assert_eq(at.nr_tasks, 3, "the three stay, got %zu", at.nr_tasks);
	cr_assert_eq(named(&at, "g-child-1")->parent, named(&at, "task-G")->addr);
	async_tasks_free(&at);
}
