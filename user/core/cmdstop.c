// SPDX-License-Identifier: MIT
/* Ending the `-- CMD` child: SIGINT, SIGTERM, SIGKILL, each after a grace period. */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include "core/cmdstop.h"

#define REAP_STEP_MS 10

/* Reap child within wait_ms: 1 if reaped (*status set), 0 if still running, -errno. */
static int reap_within(pid_t child, unsigned wait_ms, int *status)
{
	struct timespec step = { 0, REAP_STEP_MS * 1000000L };
	pid_t r;

	for (unsigned waited = 0;; waited += REAP_STEP_MS) {
		r = waitpid(child, status, WNOHANG);
		if (r == child)
			return 1;
		if (r < 0 && errno != EINTR)
			return -errno;
		if (waited >= wait_ms)
			return 0;
		nanosleep(&step, NULL);
	}
}

int cmdstop_stop(pid_t child, bool skip_int, unsigned grace_ms, int *status, int *sent)
{
	static const int steps[] = { SIGINT, SIGTERM, SIGKILL };
	int r;

	*sent = 0;
	r = reap_within(child, 0, status);
	for (size_t i = 0; r == 0 && i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (i > 0 || !skip_int)
			kill(child, steps[i]);
		*sent = steps[i];
		/* SIGKILL cannot be refused: wait for it without a bound */
		r = reap_within(child, steps[i] == SIGKILL ? ~0U : grace_ms, status);
	}
	return r < 0 ? r : 0;
}

int cmdstop_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}
