// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include "syscalls/syscalls_procs.h"

Test(sys_procs, finds_each_pid_and_counts_refusals_past_the_bound)
{
	struct sys_procs t;

	sys_procs_init(&t, 3000);
	for (uint32_t pid = 1; pid <= 5000; pid++) {
		struct sys_proc *p = sys_procs_get(&t, pid, true);

		cr_assert_eq(p != NULL, pid <= 3000, "pid %u", pid);
	}
	cr_assert_eq(sys_procs_nr(&t), 3000);
	cr_assert_eq(t.nr_full, 2000, "refused %llu", (unsigned long long)t.nr_full);
	for (uint32_t pid = 1; pid <= 3000; pid++)
		cr_assert_eq(sys_procs_get(&t, pid, false)->pid, pid);
	cr_assert_null(sys_procs_get(&t, 4000, false));
	/* a lookup of an entry that exists is never a refusal */
	cr_assert_not_null(sys_procs_get(&t, 7, true));
	cr_assert_eq(t.nr_full, 2000);
	sys_procs_free(&t);
}

static uint32_t gone_sum;

static void on_gone(uint32_t pid, void *ctx)
{
	(void)ctx;
	gone_sum += pid;
}

Test(sys_procs, prune_drops_exited_entries_and_frees_their_room)
{
	struct sys_procs t;

	sys_procs_init(&t, 4);
	for (uint32_t pid = 1; pid <= 4; pid++)
		sys_procs_get(&t, pid, true)->exited = pid % 2 == 0;
	cr_assert_null(sys_procs_get(&t, 9, true));
	gone_sum = 0;
	sys_procs_prune(&t, on_gone, NULL);
	cr_assert_eq(gone_sum, 2 + 4);
	cr_assert_eq(sys_procs_nr(&t), 2);
	cr_assert_not_null(sys_procs_get(&t, 1, false));
	cr_assert_null(sys_procs_get(&t, 2, false));
	cr_assert_not_null(sys_procs_get(&t, 9, true), "room again after the prune");
	sys_procs_free(&t);
}

Test(sys_procs, zero_bound_means_the_default)
{
	struct sys_procs t;

	sys_procs_init(&t, 0);
	cr_assert_eq(t.max, SYS_PROCS_MAX);
	sys_procs_free(&t);
}

Test(sys_done_index, groups_threads_by_process)
{
	struct sys_done_index x = {};
	const struct sys_done_ent *e;
	size_t nr;

	/* 4200 one-thread processes and one with three threads, interleaved */
	for (uint32_t pid = 100; pid < 4300; pid++) {
		cr_assert_eq(sys_done_index_add(&x, pid, pid), 0);
		if (pid == 2000 || pid == 3000)
			cr_assert_eq(sys_done_index_add(&x, 50, pid + 100000), 0);
	}
	cr_assert_eq(sys_done_index_add(&x, 50, 50), 0);
	sys_done_index_sort(&x);
	e = sys_done_index_of(&x, 50, &nr);
	cr_assert_eq(nr, 3);
	cr_assert_eq(e[0].tid, 50);
	cr_assert_eq(e[1].tid, 102000);
	cr_assert_eq(e[2].tid, 103000);
	for (uint32_t pid = 100; pid < 4300; pid++) {
		e = sys_done_index_of(&x, pid, &nr);
		cr_assert_eq(nr, 1, "pid %u", pid);
		cr_assert_eq(e->tid, pid);
	}
	cr_assert_null(sys_done_index_of(&x, 99, &nr));
	cr_assert_eq(nr, 0);
	cr_assert_null(sys_done_index_of(&x, 5000, &nr));
	sys_done_index_free(&x);
}

Test(sys_done_index, empty_index_finds_nothing)
{
	struct sys_done_index x = {};
	size_t nr = 1;

	sys_done_index_sort(&x);
	cr_assert_null(sys_done_index_of(&x, 1, &nr));
	cr_assert_eq(nr, 0);
	sys_done_index_free(&x);
}
