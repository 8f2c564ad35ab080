/* SPDX-License-Identifier: MIT */
/* The agent's own metrics in Prometheus text format, served on loopback. */
#ifndef PYSTROBE_AGENT_METRICS_H
#define PYSTROBE_AGENT_METRICS_H

#include <stddef.h>
#include <stdint.h>

#define AGENT_DROP_KINDS 8

struct agent_metrics {
	uint64_t samples; /* CPU samples aggregated */
	uint64_t processes; /* Python processes profiled now */
	uint64_t processes_total; /* ever */
	uint64_t profiles; /* profiles emitted */
	uint64_t pushes_ok, pushes_failed;
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

/* Listen on 127.0.0.1:port (non-blocking). fd or -errno. */
int agent_metrics_listen(unsigned port);
/*
 * Answer every connection waiting on lfd (non-blocking accept; each
 * request read with a short timeout): GET /metrics gets the text, others 404.
 */
void agent_metrics_serve(int lfd, const struct agent_metrics *m);

#endif /* PYSTROBE_AGENT_METRICS_H */
