// SPDX-License-Identifier: MIT
/* Start a helper thread with every signal blocked (they belong to the main loop). */
#include <signal.h>
#include "agent/agent_thread.h"

int agent_thread_start(pthread_t *th, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int err;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(th, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -err;
}
