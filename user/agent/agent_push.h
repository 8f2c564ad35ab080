/* SPDX-License-Identifier: MIT */
/*
 * The push sink: the spool (a size-capped queue of files, the bounded queue
 * between the two threads) and a push thread that sends it oldest first.
 * The main loop only writes files into the spool; a slow, silent or failing
 * backend costs it nothing. Failures back off exponentially up to
 * backoff-max; 4xx answers (not 408/429) drop the profile, counted.
 */
#ifndef PYSTROBE_AGENT_PUSH_H
#define PYSTROBE_AGENT_PUSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "agent/agent_cfg.h"

struct agent_push;

struct agent_push_stats {
	uint64_t nr_ok, nr_failed, nr_rejected; /* pushes: 2xx, failed (retried), 4xx (dropped) */
	uint64_t nr_dropped; /* deleted to stay under spool-max-mb */
	uint64_t nr_skipped; /* spool entries not a regular file of ours (a planted link) */
	uint64_t nr_write_errors;
	uint64_t spool_bytes, spool_files;
	uint64_t backoff_ms; /* the current retry delay, 0 when the last push went through */
	long last_status; /* HTTP status of the last try, 0 no answer */
};

/*
 * Open the spool and the HTTP client (thread not started): Pyroscope's url,
 * or (otlp) the OTLP endpoint with its own spool files (*.otlp). NULL on
 * error (why filled).
 */
struct agent_push *agent_push__new(const struct agent_cfg *c, bool otlp, char *why, size_t len);
/* Start / stop the push thread; stop aborts a push in progress and returns at once. */
int agent_push__start(struct agent_push *p);
void agent_push__stop(struct agent_push *p);
void agent_push__free(struct agent_push *p);

/* Queue a profile (a spool file: the query line, then the body). 0 or -errno (counted). */
int agent_push__put(struct agent_push *p, const char *tag, const char *query, const void *body,
		    size_t len);
void agent_push__stats(struct agent_push *p, struct agent_push_stats *st);
/*
 * Retry now, ignoring the backoff, and wait until the spool is empty, a push
 * fails or timeout_ns pass (SIGTERM's last flush). Profiles left stay spooled.
 */
void agent_push__drain(struct agent_push *p, uint64_t timeout_ns);

#endif /* PYSTROBE_AGENT_PUSH_H */
