// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <sys/wait.h>
#include <unistd.h>
#include "core/targets.h"

static struct target target_of(pid_t pid, uint64_t start)
{
	struct target t = { .start_ticks = start };

	t.t.pid = pid;
	return t;
}

Test(targets_liveness, own_process_runs_with_its_start_time)
{
	uint64_t start = targets_start_ticks(getpid());
	struct target t = target_of(getpid(), start);

	cr_assert_gt(start, 0);
	cr_assert(targets_running(&t));
	/* same pid, other start time: the pid was reused by a new process */
	t.start_ticks = start + 1;
	cr_assert_not(targets_running(&t));
}

Test(targets_liveness, zombie_and_reaped_child_are_gone)
{
	pid_t pid = fork();
	struct target t;

	if (pid == 0)
		_exit(0);
	cr_assert_gt(pid, 0);
	t = target_of(pid, 0);
	/* a zombie (exited, not reaped): its exit already happened */
	for (int i = 0; i < 200 && targets_running(&t); i++)
		usleep(10000);
	cr_assert_not(targets_running(&t));
	waitpid(pid, NULL, 0);
	cr_assert_not(targets_running(&t));
	cr_assert_eq(targets_start_ticks(pid), 0);
}
