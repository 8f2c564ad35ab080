/* SPDX-License-Identifier: MIT */
/* The agent's helper threads (push, /metrics): started with every signal blocked. */
#ifndef PYSTROBE_AGENT_THREAD_H
#define PYSTROBE_AGENT_THREAD_H

#include <pthread.h>

/*
 * Start fn(arg) with all signals blocked in it, so that SIGINT, SIGTERM and
 * SIGHUP always reach the main loop (whose poll they interrupt). 0 or -errno.
 */
int agent_thread_start(pthread_t *th, void *(*fn)(void *), void *arg);

#endif /* PYSTROBE_AGENT_THREAD_H */
