// SPDX-License-Identifier: MIT
/* Prometheus text for the agent's own counters and a tiny single-threaded responder. */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
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

int agent_metrics_listen(unsigned port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 8)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* Read the request head (up to 100 ms); 1 for GET /metrics, 0 other, -1 nothing. */
static int read_request(int fd)
{
	char req[1024];
	size_t n = 0;
	ssize_t r;
	struct pollfd p = { fd, POLLIN, 0 };

	while (n < sizeof(req) - 1 && !memmem(req, n, "\r\n\r\n", 4)) {
		if (poll(&p, 1, 100) <= 0)
			break;
		r = read(fd, req + n, sizeof(req) - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	req[n] = '\0';
	if (!n)
		return -1;
	return !strncmp(req, "GET /metrics ", 13) || !strncmp(req, "GET /metrics?", 13);
}

/* Answer one connection. */
static void answer(int fd, const struct agent_metrics *m)
{
	char body[8192], head[256];
	int want = read_request(fd), n = want > 0 ? agent_metrics_format(m, body, sizeof(body)) : 0;
	int h;

	if (want < 0)
		return;
	if (n < 0)
		n = 0;
	h = snprintf(head, sizeof(head),
		     "HTTP/1.1 %s\r\nContent-Type: text/plain; version=0.0.4\r\n"
		     "Content-Length: %d\r\nConnection: close\r\n\r\n",
		     want > 0 ? "200 OK" : "404 Not Found", n);
	if (write(fd, head, (size_t)h) == h && n)
		(void)!write(fd, body, (size_t)n);
}

void agent_metrics_serve(int lfd, const struct agent_metrics *m)
{
	int fd;

	for (int i = 0; lfd >= 0 && i < 8; i++) {
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			return;
		answer(fd, m);
		close(fd);
	}
}
