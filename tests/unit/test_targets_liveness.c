// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
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

static void *linger(void *arg)
{
	(void)arg;
	usleep(3000000); /* longer than the checks below, even on a busy machine */
	return NULL;
}

/* State letter of pid's /proc/PID/stat, '?' if unreadable. */
static char state_of(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

Test(targets_liveness, zombie_leader_with_a_running_thread_still_runs)
{
	pid_t pid = fork();
	struct target t;

	if (pid == 0) {
		pthread_t th;

		pthread_create(&th, NULL, linger, NULL);
		pthread_exit(NULL); /* the leader goes; the thread keeps the process */
	}
	cr_assert_gt(pid, 0);
	t = target_of(pid, targets_start_ticks(pid));
	for (int i = 0; i < 100 && state_of(pid) != 'Z'; i++)
		usleep(2000);
	cr_assert_eq(state_of(pid), 'Z', "the leader did not exit first");
	cr_assert(targets_running(&t), "a process with a running thread is not gone");
	waitpid(pid, NULL, 0);
	cr_assert_not(targets_running(&t));
}
