/* SPDX-License-Identifier: MIT */
/* The agent's own metrics in Prometheus text format, served on loopback. */
#ifndef PYSTROBE_AGENT_METRICS_H
#define PYSTROBE_AGENT_METRICS_H

#include <stddef.h>
#include <stdint.h>

#define AGENT_DROP_KINDS 12

struct agent_metrics {
	uint64_t samples; /* CPU samples aggregated */
	uint64_t processes; /* Python processes profiled now */
	uint64_t processes_total; /* ever */
	uint64_t profiles; /* profiles emitted */
	uint64_t pushes_ok, pushes_failed;
	double push_backoff_s; /* the current retry delay, 0 when pushes go through */
	long push_last_status; /* HTTP status of the last push, 0 no answer */
	uint64_t spool_bytes, spool_files;
	double cpu_seconds; /* own user + system */
	uint64_t rss_bytes;
	uint64_t heap_bytes; /* malloc'ed and in use */
	uint64_t bpf_runs, bpf_ns; /* sampler BPF runs and time (kernel.bpf_stats_enabled=1) */
	/* drops by kind: name and count (e.g. "ringbuf", "spool_cap", "dir_cap") */
	const char *drop_kind[AGENT_DROP_KINDS];
	uint64_t drops[AGENT_DROP_KINDS];
	size_t nr_drop_kinds;
};

/* The exposition text into buf. Bytes written (without NUL) or -ENOSPC. */
int agent_metrics_format(const struct agent_metrics *m, char *buf, size_t cap);

struct agent_metrics_srv;

/*
 * Serve 127.0.0.1:port/metrics from a thread: up to 16 connections at once,
 * each given 200 ms in total to send its request (a slow client is cut, the
 * oldest connection makes room for a new one), so no client delays another
 * scrape or the main loop. NULL on error (errno set).
 */
struct agent_metrics_srv *agent_metrics_srv__new(unsigned port);
/* Make m the text served from now on (the main loop's snapshot). */
void agent_metrics_srv__publish(struct agent_metrics_srv *srv, const struct agent_metrics *m);
void agent_metrics_srv__free(struct agent_metrics_srv *srv);

#endif /* PYSTROBE_AGENT_METRICS_H */
