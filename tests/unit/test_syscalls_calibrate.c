// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <stdlib.h>
#include "core/agg.h"
#include "kernel/syscalls_names.h"
#include "syscalls/syscalls_calibrate.h"

#define NR_READ 0
#define NR_WRITE 1

/* Count a stack of pid: syscall nr as leaf, one Python frame at code, weight w. */
static void add(struct agg *a, uint32_t pid, uint32_t nr, uint64_t code, uint64_t w)
{
	struct ps_sample s = { .type = PS_REC_SYS_STACK, .pid = pid, .tid = pid, .weight = w };
	struct agg_frame f[2] = { agg_frame_named(syscalls_name(nr), AGG_FRAME_KERNEL),
				  { .code_addr = code, .kind = AGG_FRAME_PYTHON } };

	cr_assert_eq(agg_add_frames(a, &s, f, 2), 0);
}

/* The summed weight of pid's stacks under syscall nr (and Python frame code, if not 0). */
static uint64_t sum(const struct agg *a, uint32_t pid, uint32_t nr, uint64_t code)
{
	struct raw_stack *rs;
	uint64_t n = 0;

	hashmap_for_each(&a->stacks, rs)
	{
		if (rs->pid == pid && rs->frames[0].name == syscalls_name(nr) &&
		    (!code || rs->frames[1].code_addr == code))
			n += rs->count;
	}
	return n;
}

static struct syscalls_row rows[] = { { NR_READ, 437, 0, 5000000 },
				      { NR_WRITE, 50000, 0, 23000000 } };
static struct syscalls_proc_report proc = { .pid = 10, .rows = rows, .nr_rows = 2 };
static struct syscalls_result result = { .procs = &proc, .nr_procs = 1 };

Test(syscalls_calibrate, one_slow_sample_no_longer_outweighs_the_exact_totals)
{
	struct agg a;

	agg_init(&a);
	add(&a, 10, NR_READ, 0x100, 440000ULL * 1024); /* a cold read, 1 in 1024 */
	for (int i = 0; i < 49; i++)
		add(&a, 10, NR_WRITE, 0x200 + (i % 3) * 0x100, 460ULL * 1024);
	cr_assert_eq(syscalls_calibrate(&a, &result, true), 0);
	cr_assert_eq(sum(&a, 10, NR_READ, 0), 5000000);
	cr_assert_eq(sum(&a, 10, NR_WRITE, 0), 23000000, "%lu", sum(&a, 10, NR_WRITE, 0));
	/* the sampled split among stacks is kept: 17, 16 and 16 of 49 (±1 ns of rounding) */
	cr_assert_leq(llabs((long long)sum(&a, 10, NR_WRITE, 0x200) - 23000000LL * 17 / 49), 1);
	agg_free(&a);
}

Test(syscalls_calibrate, calls_add_up_exactly_whatever_the_rounding)
{
	struct agg a;

	agg_init(&a);
	for (int i = 0; i < 7; i++)
		add(&a, 10, NR_WRITE, 0x200 + i * 0x100, 1024);
	cr_assert_eq(syscalls_calibrate(&a, &result, false), 0);
	cr_assert_eq(sum(&a, 10, NR_WRITE, 0), 50000);
	for (int i = 0; i < 7; i++) {
		uint64_t n = sum(&a, 10, NR_WRITE, 0x200 + i * 0x100);

		cr_assert(n == 50000 / 7 || n == 50000 / 7 + 1, "stack %d: %lu", i, n);
	}
	agg_free(&a);
}

Test(syscalls_calibrate, pairs_without_an_exact_count_keep_their_weights)
{
	struct agg a;

	agg_init(&a);
	add(&a, 11, NR_WRITE, 0x200, 3072); /* a process the report does not hold */
	add(&a, 10, 2, 0x200, 2048); /* a syscall pid 10 has no row for */
	cr_assert_eq(syscalls_calibrate(&a, &result, false), 0);
	cr_assert_eq(sum(&a, 11, NR_WRITE, 0), 3072);
	cr_assert_eq(sum(&a, 10, 2, 0), 2048);
	agg_free(&a);
}

Test(syscalls_calibrate, stacks_scaled_to_nothing_are_dropped)
{
	struct syscalls_row one = { NR_WRITE, 1, 0, 1 };
	struct syscalls_proc_report p = { .pid = 10, .rows = &one, .nr_rows = 1 };
	struct syscalls_result r = { .procs = &p, .nr_procs = 1 };
	struct agg a;

	agg_init(&a);
	add(&a, 10, NR_WRITE, 0x200, 1024);
	add(&a, 10, NR_WRITE, 0x300, 1024);
	cr_assert_eq(syscalls_calibrate(&a, &r, false), 0);
	cr_assert_eq(a.stacks.nr, 1);
	cr_assert_eq(sum(&a, 10, NR_WRITE, 0), 1);
	agg_free(&a);
}
