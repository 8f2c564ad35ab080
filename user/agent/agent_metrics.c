// SPDX-License-Identifier: MIT
/* Prometheus text for the agent's own counters. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "agent/agent_metrics.h"

struct out {
	char *buf;
	size_t cap, n;
	int err;
};

/* printf into the buffer; a full buffer sets o->err. */
static void outf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void outf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (o->err)
		return;
	va_start(ap, fmt);
	w = vsnprintf(o->buf + o->n, o->cap - o->n, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= o->cap - o->n)
		o->err = -ENOSPC;
	else
		o->n += (size_t)w;
}

/* One metric with HELP and TYPE lines. */
static void metric(struct out *o, const char *name, const char *type, const char *help, double v)
{
	outf(o, "# HELP pystrobe_agent_%s %s\n# TYPE pystrobe_agent_%s %s\n", name, help, name,
	     type);
	outf(o, "pystrobe_agent_%s %.17g\n", name, v);
}

int agent_metrics_format(const struct agent_metrics *m, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0, cap ? 0 : -ENOSPC };

	metric(&o, "samples_total", "counter", "CPU stack samples aggregated.", (double)m->samples);
	metric(&o, "processes", "gauge", "Python processes profiled now.", (double)m->processes);
	metric(&o, "processes_seen_total", "counter", "Python processes ever profiled.",
	       (double)m->processes_total);
	metric(&o, "profiles_total", "counter", "Profiles emitted (one per process per period).",
	       (double)m->profiles);
	metric(&o, "pushes_ok_total", "counter", "Pushes the backend accepted.",
	       (double)m->pushes_ok);
	metric(&o, "pushes_failed_total", "counter", "Push attempts that failed (retried).",
	       (double)m->pushes_failed);
	metric(&o, "push_backoff_seconds", "gauge",
	       "Delay before the next push retry (0: the last push went through).",
	       m->push_backoff_s);
	metric(&o, "push_last_status", "gauge", "HTTP status of the last push (0: no answer).",
	       (double)m->push_last_status);
	metric(&o, "spool_bytes", "gauge", "Bytes waiting in the push spool.",
	       (double)m->spool_bytes);
	metric(&o, "spool_files", "gauge", "Profiles waiting in the push spool.",
	       (double)m->spool_files);
	metric(&o, "cpu_seconds_total", "counter", "The agent's own user+system CPU time.",
	       m->cpu_seconds);
	metric(&o, "resident_memory_bytes", "gauge", "The agent's resident memory.",
	       (double)m->rss_bytes);
	metric(&o, "bpf_runs_total", "counter", "Sampler BPF program runs (needs bpf_stats).",
	       (double)m->bpf_runs);
	metric(&o, "bpf_seconds_total", "counter",
	       "Kernel time in the sampler BPF program (needs kernel.bpf_stats_enabled=1).",
	       m->bpf_ns / 1e9);
	metric(&o, "heap_bytes", "gauge", "The agent's heap memory in use.", (double)m->heap_bytes);
	outf(&o, "# HELP pystrobe_agent_drops_total Data lost, by kind.\n"
		 "# TYPE pystrobe_agent_drops_total counter\n");
	for (size_t i = 0; i < m->nr_drop_kinds; i++)
		outf(&o, "pystrobe_agent_drops_total{kind=\"%s\"} %llu\n", m->drop_kind[i],
		     (unsigned long long)m->drops[i]);
	return o.err ? o.err : (int)o.n;
}
