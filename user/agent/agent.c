// SPDX-License-Identifier: MIT
/*
 * `pystrobe agent`: the record session under --all, cut every period into
 * one profile per process, handed to the sinks; then the aggregate is reset
 * and the state of exited processes freed, so memory stays flat under churn.
 */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "async/async.h"
#include "agent/agent.h"
#include "agent/agent_labels.h"
#include "agent/agent_metrics.h"
#include "agent/agent_otlp.h"
#include "agent/agent_push.h"
#include "agent/agent_sink.h"
#include "lib/log.h"
#include "target/procfs.h"
#include "report/profile.h"
#include "python/pyversion.h"
#include "report/report.h"
#include "core/runner.h"
#include "bpf/sampler.h"
#include "core/session.h"
#include "gil/gil_audit.h"
#include "wall/wall.h"
#include "wall/wall_live.h"
#include "wall/wall_report.h"
#include "bpf/offcpu.h"
#include "syscalls/syscalls_audit.h"

#define AGENT_TICK_MS 500 /* /metrics text at most this old */
#define AGENT_SYS_STACKS_PER_S 20 /* syscall stacks per second per process (1 in N) */
#define AGENT_GIL_BUDGET_EVENTS_S 100000 /* the GIL cost guard's budget, as `gil`'s default */
#define AGENT_GIL_WAIT_MIN_NS 50000 /* shorter GIL waits send no stack, as `gil --waits` */
#define AGENT_SERIES_LABELS_MAX 11 /* series_labels(): 7 always, 4 on request */

/* What the labels need of a process, read when it is found (it may exit before the period ends). */
struct proc_info {
	uint32_t pid;
	char service[128];
	char cgroup[256];
	struct container_ident ct; /* its container and pod (namespace, names) */
	bool name_warned; /* its service is not a safe file name: said once */
};

enum drop_kind {
	DROP_RINGBUF,
	DROP_SYM_RINGBUF,
	DROP_PROC_RINGBUF,
	DROP_SPOOL_CAP,
	DROP_DIR_CAP,
	DROP_WRITE,
	DROP_BUILD,
	DROP_PUSH_REJECTED,
	DROP_SPOOL_SKIPPED,
	DROP__N
};
static const char *const drop_names[DROP__N] = {
	"ringbuf_full", "symbol_ringbuf_full", "proc_event_ringbuf_full", "spool_cap",	  "dir_cap",
	"write_error",	"profile_build",       "push_rejected",		  "spool_skipped"
};

/* The sinks of one configuration (a reload opens new ones before closing these). */
struct agent_sinks {
	struct agent_spool dir;
	bool dir_on;
	struct agent_push *push; /* NULL: no url */
	struct agent_push *otlp; /* NULL: no otlp-url */
};

struct agent {
	struct agent_cfg cfg;
	const char *cfg_path;
	const char *const *overrides; /* key, value pairs from flags (win over the file) */
	size_t nr_overrides;
	struct session *s;
	struct syscalls_audit *audit; /* NULL: syscalls = false, or it could not load */
	struct gil_audit *gil; /* NULL: gil = off, or it could not load */
	struct wall *wall; /* NULL: wall = false, or it could not load */
	struct wall_live wall_live; /* its off-CPU readings, one per period */
	struct async *async; /* NULL: async = false, or it could not start */
	const struct report_ops *ops;
	struct agent_sinks k;
	struct agent_metrics_srv *msrv; /* NULL: metrics-port = 0 */
	struct agent_metrics m;
	uint64_t metrics_ns; /* when m was last refreshed */
	uint64_t drops[DROP__N]; /* ours, and those of sinks closed by a reload */
	uint64_t samples_done; /* of past periods */
	uint64_t pushes_ok_done, pushes_failed_done; /* of sinks closed by a reload */
	uint64_t period_start_ns, period_start_unix_ns;
	struct hashmap info; /* struct proc_info by pid */
};

static volatile sig_atomic_t agent_reload;

/* SIGHUP: reload at the next tick (the handler only sets a flag). */
static void on_hup(int sig)
{
	(void)sig;
	agent_reload = 1;
}

/* Wall-clock now (profile times, from / until). */
static uint64_t unix_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Does a proc_info belong to the pid key? */
static bool info_eq(const void *item, const void *key)
{
	return ((const struct proc_info *)item)->pid == *(const uint32_t *)key;
}

/* The labels read for pid, or NULL. */
static struct proc_info *info_find(struct agent *a, uint32_t pid)
{
	return hashmap_find(&a->info, hash_u64(pid), &pid, info_eq);
}

/* A Python process was found: read its service and cgroup now. */
static void on_add(void *ctx, struct target *t)
{
	struct agent *a = ctx;
	uint32_t pid = (uint32_t)t->t.pid;
	struct proc_info *pi = info_find(a, pid);

	if (!pi) {
		pi = calloc(1, sizeof(*pi));
		if (!pi || hashmap_insert(&a->info, hash_u64(pid), pi)) {
			free(pi);
			return;
		}
		pi->pid = pid;
	}
	agent_proc_labels(t->t.pid, pi->service, sizeof(pi->service), pi->cgroup,
			  sizeof(pi->cgroup));
	pi->ct = t->t.ns.ct;
}

/* Open the sinks c names into k (the push thread not started). 0 or -errno (reported). */
static int sinks_open(struct agent_sinks *k, const struct agent_cfg *c)
{
	char why[512] = "";
	int err;

	memset(k, 0, sizeof(*k));
	k->dir.dfd = -1;
	if (c->dir[0] && (err = agent_sink_dir_open(&k->dir, c))) {
		ps_err("%s: cannot use as the profile directory: %s", c->dir,
		       k->dir.why[0] ? k->dir.why : strerror(-err));
		return err;
	}
	k->dir_on = c->dir[0] != '\0';
	if ((c->url[0] && !(k->push = agent_push__new(c, false, why, sizeof(why)))) ||
	    (c->otlp_url[0] && !(k->otlp = agent_push__new(c, true, why, sizeof(why))))) {
		ps_err("%s: %s", k->push || !c->url[0] ? "otlp" : "push", why);
		agent_push__free(k->push);
		k->push = NULL;
		if (k->dir_on)
			agent_spool_close(&k->dir);
		k->dir_on = false;
		return -EINVAL;
	}
	if (!k->dir_on && !k->push && !k->otlp)
		ps_warn("agent: no sink (set dir, url or otlp-url): profiles are built and dropped");
	return 0;
}

/* Start the push thread of k. 0 or -errno (reported). */
static int sinks_start(struct agent_sinks *k)
{
	int err = k->push ? agent_push__start(k->push) : 0;

	err = err ?: k->otlp ? agent_push__start(k->otlp) : 0;

	if (err)
		ps_err("push: cannot start the push thread: %s", strerror(-err));
	return err;
}

/* The push counts of k's push threads (Pyroscope's and OTLP's), summed. */
static void push_stats(struct agent_sinks *k, struct agent_push_stats *st)
{
	struct agent_push_stats o = {};

	memset(st, 0, sizeof(*st));
	if (k->push)
		agent_push__stats(k->push, st);
	if (!k->otlp)
		return;
	agent_push__stats(k->otlp, &o);
	st->nr_ok += o.nr_ok;
	st->nr_failed += o.nr_failed;
	st->nr_rejected += o.nr_rejected;
	st->nr_dropped += o.nr_dropped;
	st->nr_skipped += o.nr_skipped;
	st->nr_write_errors += o.nr_write_errors;
	st->spool_bytes += o.spool_bytes;
	st->spool_files += o.spool_files;
	st->backoff_ms = st->backoff_ms > o.backoff_ms ? st->backoff_ms : o.backoff_ms;
	st->last_status = k->push ? st->last_status : o.last_status;
}

/* Close k, keeping its counts in a. */
static void sinks_close(struct agent *a, struct agent_sinks *k)
{
	struct agent_push_stats st;

	push_stats(k, &st);
	a->drops[DROP_DIR_CAP] += k->dir.nr_dropped;
	a->drops[DROP_SPOOL_CAP] += st.nr_dropped;
	a->drops[DROP_WRITE] += k->dir.nr_write_errors + st.nr_write_errors;
	a->drops[DROP_PUSH_REJECTED] += st.nr_rejected;
	a->drops[DROP_SPOOL_SKIPPED] += k->dir.nr_skipped + st.nr_skipped;
	a->pushes_ok_done += st.nr_ok;
	a->pushes_failed_done += st.nr_failed;
	if (k->dir_on)
		agent_spool_close(&k->dir);
	agent_push__free(k->push);
	agent_push__free(k->otlp);
	memset(k, 0, sizeof(*k));
	k->dir.dfd = -1;
}

/*
 * The Pyroscope ingest query of one profile: name=APP.KIND{service_name=APP,..}.
 * Pyroscope takes service_name from the label when given (else the whole
 * name, suffix included) and the profile type from the pprof sample types.
 */
static int make_query(const struct agent *a, const char *kind, const struct agent_kv *kv, size_t nr,
		      uint64_t until_ns, char *q, size_t cap)
{
	char name[1024], enc[3072];
	int err = agent_app_name(kv[0].val, kind, kv, nr, name, sizeof(name));
	int w;

	err = err ?: agent_url_encode(name, enc, sizeof(enc));
	if (err)
		return err;
	w = snprintf(q, cap,
		     "name=%s&from=%llu&until=%llu&format=%s&sampleRate=%u&spyName=pystrobe", enc,
		     (unsigned long long)(a->period_start_unix_ns / 1000000000ULL),
		     (unsigned long long)(until_ns / 1000000000ULL), a->cfg.format, a->cfg.freq_hz);
	return w < 0 || (size_t)w >= cap ? -ENAMETOOLONG : 0;
}

/*
 * The series labels of a process: low-cardinality ones (service, host, pod,
 * container, python); pid, cgroup, container_id, pod_uid only if
 * series-labels names them (they are sample labels in the pprof). Returns nr.
 */
static size_t series_labels(const struct agent *a, const struct proc_info *pi, const char *app,
			    const char *pidstr, const char *ver, struct agent_kv *kv)
{
	const char *extra = a->cfg.series_labels;
	const struct container_ident *ct = pi ? &pi->ct : NULL;
	size_t n = 0;

	kv[n++] = (struct agent_kv){ "service_name", app };
	kv[n++] = (struct agent_kv){ "service", pi ? pi->service : "unknown" };
	kv[n++] = (struct agent_kv){ "host", a->cfg.host };
	kv[n++] = (struct agent_kv){ "namespace", ct ? ct->ns : "" };
	kv[n++] = (struct agent_kv){ "pod", ct ? ct->pod : "" };
	kv[n++] = (struct agent_kv){ "container", ct ? ct->name : "" };
	kv[n++] = (struct agent_kv){ "python", ver };
	if (agent_series_label_on(extra, "pid"))
		kv[n++] = (struct agent_kv){ "pid", pidstr };
	if (agent_series_label_on(extra, "cgroup"))
		kv[n++] = (struct agent_kv){ "cgroup", pi ? pi->cgroup : "/" };
	if (agent_series_label_on(extra, "container_id"))
		kv[n++] = (struct agent_kv){ "container_id", ct ? ct->id : "" };
	if (agent_series_label_on(extra, "pod_uid"))
		kv[n++] = (struct agent_kv){ "pod_uid", ct ? ct->pod_uid : "" };
	return n;
}

/* Write one process's profile to the directory (under a safe file name). */
static void emit_dir(struct agent *a, struct proc_info *pi, uint32_t pid, const char *kind,
		     const void *body, size_t len)
{
	const char *service = pi ? pi->service : "unknown";
	char file[AGENT_FILE_NAME_MAX];
	int err;

	/* the directory tells the profiles of one process apart by kind ("cpu", "syscalls") */
	if (agent_file_name(service, kind, file, sizeof(file)) && pi && !pi->name_warned) {
		ps_warn("pid %u: service name '%s' is not a safe file name: its profiles are "
			"written as %s-%u",
			pid, service, file, pid);
		pi->name_warned = true;
	}
	err = agent_sink_dir_write(&a->k.dir, file, (int)pid, body, len);
	if (err && a->k.dir.nr_write_errors == 1) /* counted every time, said once */
		ps_warn("%s: cannot write a profile: %s (disk full? see drops{kind=\"write_error\"})",
			a->cfg.dir, strerror(-err));
}

/* Hand one process's profile to the sinks. */
static void emit(struct agent *a, uint32_t pid, const char *kind, const void *body, size_t len,
		 uint64_t until_ns)
{
	struct proc_info *pi = info_find(a, pid);
	struct target *t = targets_last(&a->s->targets, pid);
	char pidstr[16], ver[32] = "unknown", q[4096], app[256];
	struct agent_kv kv[AGENT_SERIES_LABELS_MAX];
	size_t nr;

	snprintf(pidstr, sizeof(pidstr), "%u", pid);
	if (t)
		pyversion_str(&t->t.ver, ver, sizeof(ver));
	a->m.profiles++;
	if (a->k.dir_on)
		emit_dir(a, pi, pid, kind, body, len);
	if (!a->k.push)
		return;
	if (agent_app(a->cfg.app_name, pi ? pi->service : "unknown", app, sizeof(app)))
		snprintf(app, sizeof(app), "%s", pi ? pi->service : "unknown");
	nr = series_labels(a, pi, app, pidstr, ver, kv);
	if (make_query(a, kind, kv, nr, until_ns, q, sizeof(q))) {
		a->drops[DROP_WRITE]++; /* labels longer than any URL we send */
	} else {
		char tag[64];

		snprintf(tag, sizeof(tag), "%u", pid);
		agent_push__put(a->k.push, tag, q, body, len); /* a failure is counted */
	}
}

/* Encode one process's stacks as an OTLP export request and queue it. */
static void emit_otlp(struct agent *a, uint32_t pid, const struct report_stack *st, size_t n,
		      const struct report_meta *meta)
{
	struct proc_info *pi = info_find(a, pid);
	struct target *t = targets_last(&a->s->targets, pid);
	char ver[32] = "", app[256], tag[64];
	struct agent_otlp_resource r = { .host = a->cfg.host, .python = ver, .pid = pid };
	struct pbuf out = {};

	if (t)
		pyversion_str(&t->t.ver, ver, sizeof(ver));
	if (agent_app(a->cfg.app_name, pi ? pi->service : "unknown", app, sizeof(app)))
		snprintf(app, sizeof(app), "%s", pi ? pi->service : "unknown");
	r.service = app;
	r.ct = pi ? &pi->ct : NULL;
	snprintf(tag, sizeof(tag), "%u", pid);
	if (agent_otlp_encode(st, n, meta, &r, &out))
		a->drops[DROP_BUILD]++;
	else
		agent_push__put(a->k.otlp, tag, "", out.data, out.len); /* a failure is counted */
	pb_free(&out);
}

/* The "pid" label of a stack (profile labels mode), 0 if none. */
static uint32_t stack_pid(const struct report_stack *st)
{
	for (size_t i = 0; i < st->nr_labels; i++)
		if (!strcmp(st->labels[i].key, "pid"))
			return (uint32_t)st->labels[i].num;
	return 0;
}

/* Order stacks by pid, then as the profile had them. */
static int cmp_stack_pid(const void *x, const void *y)
{
	const struct report_stack *a = *(const struct report_stack *const *)x,
				  *b = *(const struct report_stack *const *)y;
	uint32_t pa = stack_pid(a), pb = stack_pid(b);

	if (pa != pb)
		return pa < pb ? -1 : 1;
	return a < b ? -1 : a > b; /* keep the writer's order inside a process */
}

/* Write stacks[0..n) (one process) through the writer into memory and emit it. */
static int write_one(struct agent *a, struct report_stack *const *sel, size_t n,
		     struct report_stack *buf, const struct report_meta *meta, uint64_t until_ns,
		     const char *kind)
{
	char *body = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);
	int err;

	if (!f)
		return -errno;
	for (size_t i = 0; i < n; i++)
		buf[i] = *sel[i];
	err = a->ops->write(f, buf, n, meta);
	if (fclose(f) && !err)
		err = -EIO;
	if (!err)
		emit(a, stack_pid(sel[0]), kind, body, len, until_ns);
	free(body);
	if (!err && a->k.otlp)
		emit_otlp(a, stack_pid(sel[0]), buf, n, meta);
	return err;
}

/* Split the period's profile by process and write each. 0 or -errno. */
static int write_all(struct agent *a, const struct profile *p, struct report_meta meta,
		     uint64_t until_ns, const char *kind)
{
	struct report_stack **sel = calloc(p->nr_stacks + 1, sizeof(*sel));
	struct report_stack *buf = calloc(p->nr_stacks + 1, sizeof(*buf));
	size_t i = 0, j;
	int err = sel && buf ? 0 : -ENOMEM;

	for (size_t k = 0; !err && k < p->nr_stacks; k++)
		sel[k] = &p->stacks[k];
	if (!err)
		qsort(sel, p->nr_stacks, sizeof(*sel), cmp_stack_pid);
	while (!err && i < p->nr_stacks) {
		for (j = i + 1; j < p->nr_stacks && stack_pid(sel[j]) == stack_pid(sel[i]); j++)
			;
		err = write_one(a, sel + i, j - i, buf, &meta, until_ns, kind);
		i = j;
	}
	free(sel);
	free(buf);
	return err;
}

/* Is (pid, gen) no longer a target (its symbols can go)? */
static bool sym_gone(uint32_t pid, uint32_t gen, void *ctx)
{
	struct target *t = targets_find(ctx, pid, gen);

	return !t || t->exited;
}

/* keep() for the info map: a pid still profiled keeps its labels. */
static bool keep_info(void *item, void *ctx)
{
	struct proc_info *pi = item;

	if (targets_live(ctx, pi->pid))
		return true;
	free(pi);
	return false;
}

/* wall__prune(): a pid no longer profiled. */
static bool pid_gone(uint32_t pid, void *ctx)
{
	return !targets_live(ctx, pid);
}

/* Free everything of exited processes; move live names to a fresh string pool. */
static void prune(struct agent *a)
{
	struct session *s = a->s;
	struct strpool np = {};

	if (a->wall && wall__prune(a->wall, pid_gone, &s->targets))
		ps_warn("agent: out of memory forgetting exited processes' off-CPU time");
	symtab_prune(&s->symtab, sym_gone, &s->targets);
	hashmap_filter(&a->info, keep_info, &s->targets);
	targets_prune(&s->targets);
	if (symtab_repool(&s->symtab, &np)) {
		ps_warn("agent: out of memory compacting names (kept both pools)");
		return;
	}
	strpool_free(&s->pool);
	s->pool = np;
	malloc_trim(0); /* give the freed tables back: RSS follows what is live */
}

/* Build one period's profile from ag and write it per process; drops counted. */
static void write_period(struct agent *a, struct agg *ag, const struct report_meta *meta,
			 uint64_t weight2_per_unit, const char *kind)
{
	struct session *s = a->s;
	struct profile_opts po = { .labels = true, .weight2_per_unit = weight2_per_unit };
	struct profile p;
	int err = profile_build(&p, ag, &s->symtab, &s->targets, &po, &s->pool);

	if (err) {
		a->drops[DROP_BUILD]++;
		ps_warn("agent: cannot build the period's %s profiles: %s", kind, strerror(-err));
	} else if ((err = write_all(a, &p, *meta, meta->start_unix_ns + meta->duration_ns, kind))) {
		a->drops[DROP_WRITE]++;
		ps_warn("agent: cannot write a %s profile: %s", kind, strerror(-err));
	}
	profile_free(&p);
	agg_free(ag);
	agg_init(ag);
}

/*
 * wall = true: the period's wall profiles, its CPU samples (the period's
 * worth each) joined with the off-CPU time since the last period.
 */
static void write_wall(struct agent *a, uint64_t period_ns, const struct report_meta *cpu)
{
	struct report_meta meta = *cpu;
	struct wall_report_opts wo = { .period_ns = period_ns,
				       .buckets = &a->wall_live.last,
				       .part = true };
	struct agg wa;
	int err = wall_live_read(&a->wall_live, a->wall, session_now_ns());

	agg_init(&wa);
	err = err ?: wall_build_agg(a->wall, a->s, &wo, &wa);
	meta.title = "pystrobe agent wall";
	meta.unit = "nanoseconds";
	meta.type = AGENT_KIND_WALL;
	meta.type2 = meta.unit2 = NULL;
	meta.period_ns = 0;
	if (err) {
		a->drops[DROP_BUILD]++;
		ps_warn("agent: cannot read the period's off-CPU time: %s", strerror(-err));
		agg_free(&wa);
		return;
	}
	write_period(a, &wa, &meta, 0, AGENT_KIND_WALL); /* frees wa */
}

/*
 * End of a period: one CPU profile per process to the sinks, with the
 * syscall audit one calls/count profile per process (its sampled stacks scaled
 * to the exact in-kernel counts), with gil = exact one gil_wait/nanoseconds
 * profile per process (the stacks that waited for the GIL), then reset.
 */
static void flush_period(struct agent *a)
{
	struct session *s = a->s;
	uint64_t until = unix_ns(), period_ns = 1000000000ULL / a->cfg.freq_hz;
	struct report_meta cpu = { .title = "pystrobe agent",
				   .unit = "samples",
				   .type = "samples",
				   .type2 = "cpu",
				   .unit2 = "nanoseconds",
				   .period_ns = period_ns,
				   .start_unix_ns = a->period_start_unix_ns,
				   .duration_ns = until - a->period_start_unix_ns };
	struct report_meta sys = { .title = "pystrobe agent syscalls",
				   .unit = "count",
				   .type = AGENT_KIND_SYSCALLS,
				   .start_unix_ns = a->period_start_unix_ns,
				   .duration_ns = until - a->period_start_unix_ns };
	struct report_meta gil = { .title = "pystrobe agent gil_wait",
				   .unit = "nanoseconds",
				   .type = AGENT_KIND_GIL_WAIT,
				   .start_unix_ns = a->period_start_unix_ns,
				   .duration_ns = until - a->period_start_unix_ns };

	a->samples_done += s->agg.nr_samples;
	if (a->wall)
		write_wall(a, period_ns, &cpu); /* before the CPU samples are freed */
	write_period(a, &s->agg, &cpu, period_ns, AGENT_KIND_CPU);
	if (a->audit) {
		write_period(a, syscalls_audit__calls(a->audit), &sys, 0, AGENT_KIND_SYSCALLS);
		syscalls_audit__new_period(a->audit);
	}
	if (a->gil) {
		write_period(a, gil_audit__waits(a->gil), &gil, 0, AGENT_KIND_GIL_WAIT);
		gil_audit__new_period(a->gil); /* before prune frees the exited targets */
	}
	prune(a);
	a->period_start_ns = session_now_ns();
	a->period_start_unix_ns = until;
}

/* Resident memory in bytes (/proc/self/statm). */
static uint64_t rss_bytes(void)
{
	char buf[128];
	unsigned long long size = 0, res = 0;

	if (procfs_read_path("/proc/self/statm", buf, sizeof(buf)) <= 0 ||
	    sscanf(buf, "%llu %llu", &size, &res) != 2)
		return 0;
	return res * (uint64_t)sysconf(_SC_PAGESIZE);
}

/* Refresh the metrics from their sources. */
static void update_metrics(struct agent *a)
{
	struct agent_metrics *m = &a->m;
	uint64_t bpf[PS_STAT__COUNT] = {};

	struct agent_push_stats ps;

	push_stats(&a->k, &ps);
	sampler__stats(a->s->sampler, bpf);
	m->samples = a->samples_done + a->s->agg.nr_samples;
	m->processes = a->s->nr_live;
	m->pushes_ok = a->pushes_ok_done + ps.nr_ok;
	m->pushes_failed = a->pushes_failed_done + ps.nr_failed;
	m->push_backoff_s = ps.backoff_ms / 1e3;
	m->push_last_status = ps.last_status;
	m->processes_total = a->s->stats.nr_procs;
	m->spool_bytes = ps.spool_bytes;
	m->spool_files = ps.spool_files;
	m->cpu_seconds = session_cpu_ns() / 1e9;
	m->rss_bytes = rss_bytes();
	m->heap_bytes = mallinfo2().uordblks;
	sampler__prog_stats(a->s->sampler, &m->bpf_runs, &m->bpf_ns);
	if (a->audit) { /* sys_enter runs on every syscall of the host: its time is ours */
		uint64_t runs, ns;

		syscalls_audit__prog_stats(a->audit, &runs, &ns);
		m->bpf_runs += runs;
		m->bpf_ns += ns;
	}
	if (a->gil) {
		uint64_t runs, ns;

		gil_audit__prog_stats(a->gil, &runs, &ns);
		m->bpf_runs += runs;
		m->bpf_ns += ns;
	}
	if (a->wall) { /* sched_switch runs on every context switch of the host */
		uint64_t runs, ns;

		offcpu__prog_stats(a->wall->bpf, &runs, &ns);
		m->bpf_runs += runs;
		m->bpf_ns += ns;
	}
	m->nr_drop_kinds = DROP__N;
	for (int i = 0; i < DROP__N; i++) {
		m->drop_kind[i] = drop_names[i];
		m->drops[i] = a->drops[i];
	}
	m->drops[DROP_RINGBUF] = bpf[PS_STAT_RINGBUF_FULL];
	m->drops[DROP_SYM_RINGBUF] = bpf[PS_STAT_SYM_RINGBUF_FULL];
	m->drops[DROP_PROC_RINGBUF] = bpf[PS_STAT_PROC_RINGBUF_FULL];
	m->drops[DROP_SPOOL_CAP] += ps.nr_dropped;
	m->drops[DROP_DIR_CAP] += a->k.dir.nr_dropped;
	m->drops[DROP_WRITE] += a->k.dir.nr_write_errors + ps.nr_write_errors;
	m->drops[DROP_PUSH_REJECTED] += ps.nr_rejected;
	m->drops[DROP_SPOOL_SKIPPED] += a->k.dir.nr_skipped + ps.nr_skipped;
}

/* defaults, then the file, then the flags. 0 or -errno (reported). */
static int load_cfg(struct agent_cfg *c, const char *path, const char *const *ov, size_t nr)
{
	char why[256];
	int err = 0;

	agent_cfg_defaults(c);
	if (path && (err = agent_cfg_load(c, path, why, sizeof(why)))) {
		ps_err("%s: bad configuration: %s", path, why);
		return err;
	}
	for (size_t i = 0; i + 1 < nr; i += 2) {
		err = agent_cfg_set(c, ov[i], ov[i + 1], why, sizeof(why));
		if (err) {
			ps_err("--%s: %s", ov[i], why);
			return err;
		}
	}
	return 0;
}

/* metrics-port changed: serve the new port, or keep the old one if it cannot. */
static void reload_metrics(struct agent *a, struct agent_cfg *c)
{
	struct agent_metrics_srv *srv = NULL;

	if (c->metrics_port == a->cfg.metrics_port)
		return;
	if (c->metrics_port && !(srv = agent_metrics_srv__new(c->metrics_port))) {
		ps_warn("127.0.0.1:%u: cannot serve /metrics: %s (kept port %u)", c->metrics_port,
			strerror(errno), a->cfg.metrics_port);
		c->metrics_port = a->cfg.metrics_port;
		return;
	}
	agent_metrics_srv__free(a->msrv);
	a->msrv = srv;
}

/*
 * SIGHUP: re-read the config; sinks, labels, period and auth change now.
 * The new sinks are opened before the old ones close: if the file or a sink
 * is bad, everything keeps running as it was.
 */
static void reload(struct agent *a)
{
	struct agent_cfg c;
	struct agent_sinks k;

	agent_reload = 0;
	if (load_cfg(&c, a->cfg_path, a->overrides, a->nr_overrides)) {
		ps_warn("agent: reload failed, keeping the running configuration");
		return;
	}
	if (c.freq_hz != a->cfg.freq_hz || c.max_frames != a->cfg.max_frames)
		ps_warn("agent: frequency and max-frames change at the next restart");
	if (c.gil_exact != a->cfg.gil_exact || c.wall != a->cfg.wall)
		ps_warn("agent: gil and wall change at the next restart");
	c.freq_hz = a->cfg.freq_hz;
	c.max_frames = a->cfg.max_frames;
	c.gil_exact = a->cfg.gil_exact;
	c.wall = a->cfg.wall;
	agent_push__stop(a->k.push); /* never two threads on one spool */
	agent_push__stop(a->k.otlp);
	if (sinks_open(&k, &c) || sinks_start(&k)) {
		sinks_close(a, &k);
		sinks_start(&a->k);
		ps_warn("agent: reload failed, keeping the running configuration");
		return;
	}
	sinks_close(a, &a->k);
	a->k = k;
	reload_metrics(a, &c);
	a->cfg = c;
	a->ops = report_find(c.format) ?: report_find("folded");
	ps_info("agent: configuration reloaded");
}

/* Every loop turn: reload, period end, the metrics text. */
static void on_tick(void *ctx, uint64_t now)
{
	struct agent *a = ctx;

	if (agent_reload)
		reload(a);
	if (now - a->period_start_ns >= a->cfg.period_s * 1000000000ULL)
		flush_period(a);
	/* on_tick runs every loop turn (200 a second under process churn): paced */
	if (a->msrv && now - a->metrics_ns >= AGENT_TICK_MS * 1000000ULL) {
		a->metrics_ns = now;
		update_metrics(a);
		agent_metrics_srv__publish(a->msrv, &a->m);
	}
}

/* SIGTERM: the last partial period, then what the backend takes within one timeout. */
static void final_flush(struct agent *a)
{
	flush_period(a);
	if (a->k.push)
		agent_push__drain(a->k.push, a->cfg.timeout_s * 1000000000ULL);
	if (a->k.otlp)
		agent_push__drain(a->k.otlp, a->cfg.timeout_s * 1000000000ULL);
}

/* Open the session, the sinks and the metrics port. 0 or -errno (reported). */
static int agent_open(struct agent *a)
{
	/*
	 * New processes: examined for 250 ms (not 2 s), retries 1, 2 .. 128 ms apart, polls
	 * no more often than every 10 ms: a host that execs thousands of non-Python
	 * programs costs little. A Python that loads libpython later (dlopen) is found
	 * by the session's --all rescan, which reads every process's maps: once a minute.
	 */
	struct session_cfg sc = { .freq_hz = a->cfg.freq_hz,
				  .max_frames = a->cfg.max_frames,
				  .all = true,
				  .syscall_targets = a->cfg.syscalls,
				  .async_roots = a->cfg.async_tasks,
				  .pace = { .pending_ms = 10,
					    .pending_max_shift = 7,
					    .pending_window_ns = 250000000ULL,
					    .rescan_ns = 60ULL * 1000000000 } };
	/* the agent writes call profiles, no findings: no path counts */
	struct syscalls_audit_opts ao = { .stacks_per_s = AGENT_SYS_STACKS_PER_S,
					  .no_paths = true };
	struct gil_audit_opts go = { .budget_events_s = AGENT_GIL_BUDGET_EVENTS_S,
				     .wait_stacks = true,
				     .wait_stack_min_ns = AGENT_GIL_WAIT_MIN_NS };
	struct sigaction sa = { .sa_handler = on_hup };
	int err;

	a->k.dir.dfd = -1;
	a->ops = report_find(a->cfg.format) ?: report_find("folded");
	a->s = calloc(1, sizeof(*a->s));
	if (!a->s)
		return -ENOMEM;
	err = session_open(a->s, &sc);
	err = err ?: sinks_open(&a->k, &a->cfg);
	err = err ?: sinks_start(&a->k);
	if (err)
		return err;
	/* the syscall audit is optional: without it the CPU profiles go on */
	if (a->cfg.syscalls && !(a->audit = syscalls_audit__open(a->s, &ao)))
		ps_warn("agent: no syscall audit (%s): CPU profiles only", strerror(errno));
	if (a->cfg.gil_exact && !(a->gil = gil_audit__open(a->s, &go)))
		ps_warn("agent: no GIL audit (%s): no gil_wait profiles", strerror(errno));
	if (a->cfg.wall && !(a->wall = wall__open(a->s, &(struct wall_opts){})))
		ps_warn("agent: no off-CPU program (%s): no wall profiles", strerror(errno));
	if (a->cfg.async_tasks && !(a->async = async__open(a->s)))
		ps_warn("agent: no asyncio tasks (%s): plain stacks", strerror(errno));
	err = session_listen(a->s, &(struct session_listener){ .name = "agent",
							       .ctx = a,
							       .on_add = on_add,
							       .on_tick = on_tick,
							       .tick_ms = AGENT_TICK_MS });
	if (err)
		return err;
	if (a->cfg.metrics_port && !(a->msrv = agent_metrics_srv__new(a->cfg.metrics_port))) {
		err = -errno;
		ps_err("127.0.0.1:%u: cannot serve /metrics: %s (set metrics-port, 0 = off)",
		       a->cfg.metrics_port, strerror(-err));
		return err;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	return 0;
}

int agent_run(const struct agent_cfg *cfg, const char *cfg_path, const char *const *overrides,
	      size_t nr_overrides)
{
	struct agent a = { .cfg = *cfg,
			   .cfg_path = cfg_path,
			   .overrides = overrides,
			   .nr_overrides = nr_overrides };
	struct run_target rt = { .mode = RUN_ALL, .all = true };
	int err = agent_open(&a);

	a.period_start_ns = session_now_ns();
	a.period_start_unix_ns = unix_ns();
	err = err ?: runner_run(a.s, &rt, "profiling");
	if (!err)
		final_flush(&a);
	agent_metrics_srv__free(a.msrv);
	sinks_close(&a, &a.k);
	syscalls_audit__free(a.audit);
	gil_audit__free(a.gil);
	wall_live_free(&a.wall_live);
	wall__free(a.wall);
	async__free(a.async);
	if (a.s)
		session_close(a.s);
	free(a.s);
	hashmap_free_all(&a.info);
	return err ? 1 : 0;
}
