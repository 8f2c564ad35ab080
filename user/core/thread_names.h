/* SPDX-License-Identifier: MIT */
/*
 * Python thread names for every output: a session listener that, when a
 * sample shows a thread id it cannot name yet, reads its process's
 * threading registry (python/pythreads.c, rate-limited per process) and
 * gives the thread its threading.Thread name in the aggregate
 * (agg_name_thread). At the end, threads still unnamed get one more try.
 * A thread Python does not know keeps its OS name (comm).
 */
#ifndef PYSTROBE_THREAD_NAMES_H
#define PYSTROBE_THREAD_NAMES_H

#include <stdint.h>

#include "core/listener.h"

struct agg;
struct targets;
struct thread_names;

/* Names for the threads of targets, given in agg at the end. NULL on ENOMEM. */
struct thread_names *thread_names__new(struct targets *targets, struct agg *agg);
/* The listener the session registers first: a sample's thread is named before it counts. */
struct session_listener thread_names__listener(struct thread_names *tn);
void thread_names__free(struct thread_names *tn);

/*
 * Name the threads of a (another aggregate than the session's, e.g. the
 * wall profile's) still unnamed, from what was learnt, reading each
 * process's registry once more if it was not read at the end. 0 or -ENOMEM.
 */
int thread_names__apply(struct thread_names *tn, struct agg *a);

#endif /* PYSTROBE_THREAD_NAMES_H */
