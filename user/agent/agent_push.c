// SPDX-License-Identifier: MIT
/* The push thread: sends the spool oldest first, backs off on failures. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "agent/agent_push.h"
#include "agent/agent_sink.h"
#include "agent/agent_spool.h"
#include "agent/agent_thread.h"
#include "lib/log.h"
#include "lib/clock.h"

#define BACKOFF_FIRST_MS 500

struct agent_push {
	struct agent_spool spool; /* under mu */
	struct agent_sink_http http; /* the push thread's */
	unsigned backoff_max_s;
	pthread_mutex_t mu;
	pthread_cond_t work; /* a file queued, a retry due, a stop */
	pthread_cond_t progress; /* a push ended (drain waits on it) */
	pthread_t th;
	bool running, failing;
	volatile int stop;
	uint64_t next_try_ns, backoff_ms;
	uint64_t nr_ok, nr_failed, nr_rejected, nr_read_errors;
	long last_status, warned_status;
};

/* Wait on cv until the monotonic time at_ns. */
static void wait_until(pthread_cond_t *cv, pthread_mutex_t *mu, uint64_t at_ns)
{
	struct timespec ts = { .tv_sec = (time_t)(at_ns / 1000000000ULL),
			       .tv_nsec = (long)(at_ns % 1000000000ULL) };

	pthread_cond_timedwait(cv, mu, &ts);
}

/* Pop the oldest entry if it is still seq (the cap may have dropped it meanwhile). */
static void pop_if(struct agent_push *p, uint64_t seq)
{
	const struct agent_spool_entry *e = agent_spool_oldest(&p->spool);

	if (e && e->seq == seq)
		agent_spool_pop(&p->spool);
}

/* A failed try: back off 0.5 s, 1, 2 .. backoff-max (the queue keeps its order). */
static void back_off(struct agent_push *p)
{
	p->nr_failed++;
	p->backoff_ms = p->backoff_ms ? p->backoff_ms * 2 : BACKOFF_FIRST_MS;
	if (p->backoff_ms > p->backoff_max_s * 1000ULL)
		p->backoff_ms = p->backoff_max_s * 1000ULL;
	p->next_try_ns = mono_ns() + p->backoff_ms * 1000000ULL;
	if (!p->failing)
		ps_warn("push: %s (HTTP %ld): profiles stay spooled, retrying with backoff up to "
			"%u s",
			p->http.last_error, p->http.last_status, p->backoff_max_s);
	p->failing = true;
}

/* A 4xx: this profile will never be taken; drop it (counted), say so once per status. */
static void rejected(struct agent_push *p, uint64_t seq)
{
	long st = p->http.last_status;

	p->nr_rejected++;
	pop_if(p, seq);
	if (st != p->warned_status)
		ps_warn("push: the backend refused a profile with HTTP %ld%s: dropped "
			"(see drops{kind=\"push_rejected\"})",
			st,
			st == 401 || st == 403 ? " (check bearer-token-file / basic-auth-file)" :
						 "");
	p->warned_status = st;
}

/* Account for one try of entry seq (mu held). */
static void after(struct agent_push *p, int err, uint64_t seq)
{
	p->last_status = p->http.last_status;
	if (err == -ECANCELED)
		return;
	if (err == -EAGAIN) {
		back_off(p);
		return;
	}
	p->backoff_ms = 0;
	p->failing = false;
	if (err == -EREMOTEIO) {
		rejected(p, seq);
		return;
	}
	p->nr_ok++;
	pop_if(p, seq);
}

/* Read the oldest spool file (mu held). 0, or 1 when it was unusable and is gone. */
static int take_oldest(struct agent_push *p, uint64_t *seq, char **q, char **body, size_t *len)
{
	const struct agent_spool_entry *e = agent_spool_oldest(&p->spool);
	int err;

	*seq = e->seq;
	err = agent_spool_read_oldest(&p->spool, 1, q, body, len);
	if (!err)
		return 0;
	if (err != -ENOENT && err != -EPERM) { /* -EPERM: a link or fifo, counted as skipped */
		p->nr_read_errors++;
		ps_warn("%s: unreadable spool file %s dropped: %s", p->spool.dir, e->name,
			strerror(-err));
	}
	pop_if(p, *seq);
	return 1;
}

/* Send the spool, oldest first, until stopped. */
static void *worker(void *arg)
{
	struct agent_push *p = arg;
	char *q, *body;
	size_t len;
	uint64_t seq;
	int err;

	pthread_mutex_lock(&p->mu);
	while (!p->stop) {
		if (!agent_spool_oldest(&p->spool)) {
			pthread_cond_wait(&p->work, &p->mu);
			continue;
		}
		if (mono_ns() < p->next_try_ns) {
			wait_until(&p->work, &p->mu, p->next_try_ns);
			continue;
		}
		if (take_oldest(p, &seq, &q, &body, &len))
			continue;
		pthread_mutex_unlock(&p->mu); /* the main loop queues while we send */
		err = agent_sink_http_push(&p->http, &p->stop, q, body, len);
		free(q);
		free(body);
		pthread_mutex_lock(&p->mu);
		after(p, err, seq);
		pthread_cond_broadcast(&p->progress);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct agent_push *agent_push__new(const struct agent_cfg *c, bool otlp, char *why, size_t len)
{
	struct agent_push *p = calloc(1, sizeof(*p));
	pthread_condattr_t ca;
	int err;

	if (!p) {
		snprintf(why, len, "out of memory");
		return NULL;
	}
	err = agent_spool_open(&p->spool, c->spool_dir, otlp ? ".otlp" : ".push",
			       c->spool_max_bytes);
	if (err) {
		snprintf(why, len, "%s: cannot use as the push spool: %s (set spool-dir)",
			 c->spool_dir, p->spool.why[0] ? p->spool.why : strerror(-err));
		free(p);
		return NULL;
	}
	if (agent_sink_http_open(&p->http, c, otlp, why, len)) {
		agent_spool_close(&p->spool);
		free(p);
		return NULL;
	}
	p->backoff_max_s = c->backoff_max_s;
	pthread_mutex_init(&p->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->work, &ca);
	pthread_cond_init(&p->progress, &ca);
	pthread_condattr_destroy(&ca);
	return p;
}

int agent_push__start(struct agent_push *p)
{
	int err;

	if (p->running)
		return 0;
	p->stop = 0;
	err = agent_thread_start(&p->th, worker, p);
	p->running = !err;
	return err;
}

void agent_push__stop(struct agent_push *p)
{
	if (!p || !p->running)
		return;
	pthread_mutex_lock(&p->mu);
	__atomic_store_n(&p->stop, 1, __ATOMIC_SEQ_CST);
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	agent_sink_http_wake(&p->http); /* a push in progress returns now */
	pthread_join(p->th, NULL);
	p->running = false;
}

void agent_push__free(struct agent_push *p)
{
	if (!p)
		return;
	agent_push__stop(p);
	agent_sink_http_close(&p->http);
	agent_spool_close(&p->spool);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->progress);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

int agent_push__put(struct agent_push *p, const char *tag, const char *query, const void *body,
		    size_t len)
{
	int err;

	pthread_mutex_lock(&p->mu);
	err = agent_spool_put(&p->spool, tag, query, body, len);
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	return err;
}

void agent_push__stats(struct agent_push *p, struct agent_push_stats *st)
{
	pthread_mutex_lock(&p->mu);
	*st = (struct agent_push_stats){ .nr_ok = p->nr_ok,
					 .nr_failed = p->nr_failed,
					 .nr_rejected = p->nr_rejected,
					 .nr_dropped = p->spool.nr_dropped,
					 .nr_skipped = p->spool.nr_skipped,
					 .nr_write_errors =
						 p->spool.nr_write_errors + p->nr_read_errors,
					 .spool_bytes = p->spool.bytes,
					 .spool_files = p->spool.nr,
					 .backoff_ms = p->backoff_ms,
					 .last_status = p->last_status };
	pthread_mutex_unlock(&p->mu);
}

void agent_push__drain(struct agent_push *p, uint64_t timeout_ns)
{
	uint64_t end = mono_ns() + timeout_ns, failed;

	pthread_mutex_lock(&p->mu);
	p->next_try_ns = 0;
	failed = p->nr_failed;
	pthread_cond_broadcast(&p->work);
	while (p->running && p->spool.nr && p->nr_failed == failed && mono_ns() < end) {
		uint64_t at = mono_ns() + 100000000ULL;

		wait_until(&p->progress, &p->mu, at < end ? at : end);
	}
	if (p->spool.nr)
		ps_info("agent: %zu profiles stay spooled in %s for the next start", p->spool.nr,
			p->spool.dir);
	pthread_mutex_unlock(&p->mu);
}
