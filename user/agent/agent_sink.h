/* SPDX-License-Identifier: MIT */
/* The agent's sinks: a directory of profiles and an HTTP push (Pyroscope ingest API). */
#ifndef PYSTROBE_AGENT_SINK_H
#define PYSTROBE_AGENT_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "agent/agent_cfg.h"
#include "agent/agent_spool.h"

/* Directory sink: one file per process per period, size-capped, oldest deleted (counted). */
int agent_sink_dir_open(struct agent_spool *sp, const struct agent_cfg *c);
/* file: a safe name (agent_file_name); the file is <seq>-<file>-<pid><ext>. */
int agent_sink_dir_write(struct agent_spool *sp, const char *file, int pid, const void *body,
			 size_t len);

struct agent_sink_http {
	void *curl; /* CURL * */
	void *multi; /* CURLM *: drives curl so that a stop wakes it */
	char url[AGENT_STR_MAX]; /* base, without /ingest or /v1development/profiles */
	bool otlp; /* OTLP/HTTP protobuf (the query is unused) instead of Pyroscope's /ingest */
	char auth[AGENT_STR_MAX + 64]; /* "Authorization: ..." header or "" */
	char userpwd[AGENT_STR_MAX]; /* basic auth "user:password" or "" */
	char ca_file[AGENT_STR_MAX]; /* CA bundle to verify the server with, "" system's */
	unsigned timeout_s;
	int insecure;
	uint64_t nr_ok, nr_failed; /* pushes answered 2xx / failed (retried) */
	uint64_t nr_rejected; /* answered 4xx (not 408/429): dropped, never retried */
	long last_status; /* HTTP status of the last try, 0 no answer */
	char last_error[256];
};

/*
 * Set up from the config: reads the auth files (owner and mode checked, a
 * secret too long refused), warns about credentials over http://. 0 or
 * -errno (why filled).
 */
int agent_sink_http_open(struct agent_sink_http *h, const struct agent_cfg *c, bool otlp, char *why,
			 size_t len);
void agent_sink_http_close(struct agent_sink_http *h);
/*
 * POST url/ingest?query with body as the multipart field "profile" (otlp:
 * body as url/v1development/profiles's application/x-protobuf), until
 * done, the timeout or *stop (checked whenever agent_sink_http_wake is called).
 * 0 on 2xx, -EREMOTEIO refused (4xx but 408/429: do not retry), -EAGAIN
 * failed (retry later), -ECANCELED stopped.
 */
int agent_sink_http_push(struct agent_sink_http *h, const volatile int *stop, const char *query,
			 const void *body, size_t len);
/* Wake a push in progress (from another thread) so that it sees *stop. */
void agent_sink_http_wake(struct agent_sink_http *h);

#endif /* PYSTROBE_AGENT_SINK_H */
