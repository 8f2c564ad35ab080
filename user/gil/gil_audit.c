// SPDX-License-Identifier: MIT
/*
 * The GIL audit as a part of any command: find each Python's GIL sites,
 * pre-check its I/O rate, attach the GIL probes to it alone, watch its event
 * rate (the cost guard), seed the thread holding the GIL since before attach,
 * then turn the per-thread BPF totals (or, estimated, the samples' GIL
 * states) into report rows.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bpf/gil.h"
#include "bpf/sampler.h"
#include "core/session.h"
#include "gil/gil_audit.h"
#include "gil/gil_estimate.h"
#include "gil/gil_sites_cache.h"
#include "gil/gil_where.h"
#include "lib/log.h"
#include "python/pyversion.h"
#include "target/procfs.h"
#include "target/tfile.h"

#define GUARD_PERIOD_NS 50000000ULL /* how often the cost guard looks at event rates */
#define EST_PERIOD_NS 10000000ULL /* how often the estimate looks at holder and waiters */
/*
 * What one probe hit costs the traced thread (uprobe trap + program): the
 * default budget's figure, 100k hits/s slowing a process ~10 % (bench/
 * bench_gil.py, README). The exact mode says when its hits cost more than
 * GIL_PROBE_SHARE_MAX of a CPU.
 */
#define PROBE_HIT_NS 1000.0
#define SEED_NS 2000000000ULL /* how long to look for a thread holding the GIL since attach */
#define PRECHECK_NS 30000000ULL /* I/O rate window before attaching the probes */
/*
 * The cost guard's window: a process traced from its start (gil -- CMD)
 * imports in bursts of ~100k GIL events/s for some 30 ms windows (3.11's
 * contention workload read 74k at peak); the guard is for sustained cost.
 */
#define GUARD_WINDOW_NS 250000000ULL
#define DEFAULT_SWITCH_NS 5000000ULL /* sys.getswitchinterval() default: 5 ms */
#define SITES_CACHE 16 /* distinct runtime files whose sites are kept */
#define GIL_PROCS_MAX 4096 /* processes tracked; beyond: not reported */

struct proc_state {
	uint32_t pid;
	const struct target *t;
	enum gil_mode mode;
	char reason[192];
	uint64_t last_events, last_ns;
	uint64_t end_ns; /* when it exited or exec'd; 0 while it runs */
	uint64_t attach_ns; /* when its probes were attached */
	uint64_t check_ns, check_io; /* pre-check: I/O system calls counted at check_ns */
	bool attached; /* probes attached (exact from attach_ns) */
	bool seeded; /* the GIL holder at attach time has been accounted */
	size_t nr_inlined; /* inlined drop_gil sites probed (the build style) */
	double peak_rate;
};

struct sites_entry {
	char path
		[PROCMAP_PATH_MAX]; /* for messages: two roots can hold different files at one path */
	uint64_t inode; /* the runtime file: the key, with the device and the version */
	uint32_t dev_major, dev_minor;
	uint32_t hex;
	int err;
	char why[160];
	struct gil_sites sites;
};

struct gil_audit {
	struct gil_audit_opts o;
	struct session *s;
	struct gil *gm;
	struct proc_state procs[GIL_PROCS_MAX];
	size_t nr_procs;
	struct sites_entry sites[SITES_CACHE];
	size_t nr_sites;
	struct agg waits;
	struct gil_timeline tl;
	struct gil_estimate est;
	uint64_t last_guard_ns, last_est_ns;
};

/* The state of pid (the newest generation), created on first use. */
static struct proc_state *proc_of(struct gil_audit *g, uint32_t pid, bool create)
{
	for (size_t i = g->nr_procs; i-- > 0;)
		if (g->procs[i].pid == pid)
			return &g->procs[i];
	if (!create || g->nr_procs >= GIL_PROCS_MAX)
		return NULL;
	memset(&g->procs[g->nr_procs], 0, sizeof(g->procs[0]));
	g->procs[g->nr_procs].pid = pid;
	return &g->procs[g->nr_procs++];
}

/*
 * The sites of a process that exited while they were read (its file is opened
 * through /proc/PID/map_files): not cached, so that the next process running
 * the same file is looked at afresh; the reason says what happened.
 */
static const struct sites_entry *gone(struct gil_audit *g, const struct sites_entry *e)
{
	static struct sites_entry exited = {
		.err = -ESRCH,
		.why = "it exited before its GIL sites could be read",
	};

	if (e == &g->sites[g->nr_sites - 1])
		g->nr_sites--;
	return &exited;
}

/* Is e the entry of m's file at version hex? */
static bool same_file(const struct sites_entry *e, const struct procmap *m, uint32_t hex)
{
	return e->hex == hex && e->inode == m->inode && e->dev_major == m->dev_major &&
	       e->dev_minor == m->dev_minor;
}

/* GIL probe sites of t's runtime file, found once per (device, inode, version). */
static const struct sites_entry *sites_of(struct gil_audit *g, const struct target *t)
{
	const struct procmap *m = &t->t.map;
	struct sites_entry *e;

	for (size_t i = 0; i < g->nr_sites; i++)
		if (same_file(&g->sites[i], m, t->t.ver.hex))
			return &g->sites[i];
	e = &g->sites[g->nr_sites < SITES_CACHE ? g->nr_sites++ : SITES_CACHE - 1];
	snprintf(e->path, sizeof(e->path), "%s", t->t.elf_path);
	e->inode = m->inode;
	e->dev_major = m->dev_major;
	e->dev_minor = m->dev_minor;
	e->hex = t->t.ver.hex;
	e->err = gil_sites_cached(t->t.pid, &t->t.map, &e->sites, e->why, sizeof(e->why));
	if (e->err && procfs_alive(t->t.pid) <= 0)
		return gone(g, e);
	if (!e->err)
		ps_debug("%s: GIL sites from %s: %zu take_gil, %zu drop_gil (%zu inlined)", e->path,
			 e->sites.symbols_from, e->sites.nr_take, e->sites.nr_drop,
			 e->sites.nr_drop_inlined);
	return e;
}

/* Fall back to estimates for p, saying why. */
static void estimate(struct proc_state *p, const char *fmt, const char *arg)
{
	p->mode = GIL_ESTIMATED;
	snprintf(p->reason, sizeof(p->reason), fmt, arg);
}

/* read + write system calls of pid so far (/proc/PID/io); 0 if unreadable. */
static uint64_t io_calls(pid_t pid)
{
	char buf[512], *r, *w;

	if (procfs_read(pid, "io", buf, sizeof(buf)) <= 0)
		return 0;
	r = strstr(buf, "syscr: ");
	w = strstr(buf, "syscw: ");
	return (r ? strtoull(r + 7, NULL, 10) : 0) + (w ? strtoull(w + 7, NULL, 10) : 0);
}

/* Attach the probes of p (its pre-check passed). */
static void attach(struct gil_audit *g, struct proc_state *p, uint64_t now)
{
	struct ps_gil_proc settings = { .switch_interval_ns = DEFAULT_SWITCH_NS,
					.wait_stack_min_ns = g->o.wait_stack_min_ns };
	const struct sites_entry *e = sites_of(g, p->t);
	char path[32];
	int err, fd;

	settings.flags =
		(g->o.timeline ? PS_GIL_TIMELINE : 0) | (g->o.wait_stacks ? PS_GIL_WAIT_STACKS : 0);
	/*
	 * Through a descriptor of the verified file, not /proc/PID/map_files/START-END:
	 * a process found while ld.so was still mapping its libpython had that range
	 * split since, and the attach failed with ENOENT (CI: 3.10 and 3.11 truth).
	 */
	fd = tfile_open_mapped(p->pid, &p->t->t.map);
	if (fd < 0)
		return estimate(p, "estimated from samples: cannot open its runtime file: %s",
				strerror(-fd));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	err = gil__attach(g->gm, p->pid, path, &e->sites, &settings);
	close(fd);
	if (err)
		return estimate(p, "estimated from samples: cannot attach the GIL uprobes: %s",
				strerror(-err));
	p->attached = true;
	p->nr_inlined = e->sites.nr_drop_inlined;
	p->last_ns = p->attach_ns = session_now_ns();
	if (p->reason[0])
		snprintf(p->reason, sizeof(p->reason),
			 "traced exactly from +%.1f s: its I/O was "
			 "too busy to trace before",
			 (now - g->s->stats.start_ns) / 1e9);
	ps_debug("pid %u: GIL probes attached (%zu take_gil, %zu drop_gil sites)", p->pid,
		 e->sites.nr_take, e->sites.nr_drop);
}

/* Listener: a Python process appeared; its GIL is traced once the pre-check allows. */
static void on_add(void *ctx, struct target *t)
{
	struct gil_audit *g = ctx;
	struct proc_state *p = proc_of(g, t->t.pid, true);
	const struct sites_entry *e;
	bool fresh;

	if (!p)
		return;
	memset(p, 0, sizeof(*p));
	p->pid = t->t.pid;
	p->t = t;
	p->mode = GIL_EXACT;
	if (t->t.bpf.flags & PS_PROC_NO_GIL) {
		p->mode = GIL_NO_GIL;
		snprintf(p->reason, sizeof(p->reason), "free-threaded build: there is no GIL");
		return;
	}
	/*
	 * A process of `gil -- CMD` is new: attach its probes at once, without the
	 * I/O pre-check (it has no I/O rate yet), so its threads are traced from
	 * their start (the sites of a build seen before come from the build-id
	 * cache). It is not stopped meanwhile: SIGSTOP/SIGCONT at its exec left
	 * sid's 3.14/3.15 with releases whose retake no probe saw (a sorter that
	 * used 89% of a CPU read 65% held, 29% "released").
	 */
	fresh = g->o.attach_cmd_at_once && g->s->child != 0;
	e = sites_of(g, t);
	if (e->err)
		estimate(p, "estimated from samples: %s", e->why);
	else if (fresh)
		attach(g, p, session_now_ns());
	p->check_ns = session_now_ns();
	p->check_io = io_calls(p->pid);
}

/*
 * Before attaching, predict the GIL event rate from the process's I/O rate
 * (each blocking read or write releases and retakes the GIL: ~3 probe hits):
 * detaching uprobes from a busy process takes hundreds of milliseconds here
 * (the kernel waits for RCU grace periods), so do not attach where the guard
 * would have to. Re-checked every PRECHECK_NS while too busy.
 */
static void precheck(struct gil_audit *g, struct proc_state *p, uint64_t now)
{
	uint64_t io, rate;

	if (p->mode != GIL_EXACT || p->attached || !p->t || p->t->exited ||
	    now - p->check_ns < PRECHECK_NS)
		return;
	io = io_calls(p->pid);
	rate = (io - p->check_io) * 3 * 1000000000ULL / (now - p->check_ns);
	p->check_ns = now;
	p->check_io = io;
	if (rate <= g->o.budget_events_s)
		return attach(g, p, now);
	snprintf(p->reason, sizeof(p->reason),
		 "estimated from samples: its I/O means about "
		 "%llu GIL events/s, over the budget of %llu/s (--gil-budget)",
		 (unsigned long long)rate, (unsigned long long)g->o.budget_events_s);
}

/* Listener: the process exited or exec'd: its probes go, its totals stay. */
static void on_retire(void *ctx, struct target *t)
{
	struct gil_audit *g = ctx;
	struct proc_state *p = proc_of(g, t->t.pid, false);

	gil__detach(g->gm, t->t.pid);
	if (p && p->t == t)
		p->end_ns = session_now_ns();
}

/* Listener: GIL wait stacks and timeline events. */
static int on_record(void *ctx, __u32 type, const void *data, size_t size)
{
	struct gil_audit *g = ctx;

	if (type == PS_REC_GIL_WAIT && size >= PS_SAMPLE_HDR_SIZE)
		return agg_add(&g->waits, data, size) == -ENOMEM ? -ENOMEM : 0;
	if (type == PS_REC_GIL_EVENT && size >= sizeof(struct ps_gil_event))
		return gil_timeline_add(&g->tl, data);
	return 0;
}

/* Cost guard for one process: past the budget, detach and fall back to estimates. */
static void guard_proc(struct gil_audit *g, struct proc_state *p, uint64_t now)
{
	uint64_t events;
	double rate;
	char msg[96];

	if (p->mode != GIL_EXACT || !p->attached || !p->t || p->t->exited ||
	    gil__events(g->gm, p->pid, &events) || now < p->last_ns + GUARD_WINDOW_NS)
		return;
	rate = (events - p->last_events) * 1e9 / (now - p->last_ns);
	p->last_events = events;
	p->last_ns = now;
	if (rate > p->peak_rate)
		p->peak_rate = rate;
	if (rate <= g->o.budget_events_s)
		return;
	gil__detach(g->gm, p->pid);
	ps_debug("pid %u: cost guard: %llu events in %.1f ms since attach, detached after %.1f ms",
		 p->pid, (unsigned long long)events, (now - p->attach_ns) / 1e6,
		 (session_now_ns() - now) / 1e6);
	snprintf(msg, sizeof(msg), "%.0f GIL events/s exceeded the budget of %llu/s", rate,
		 (unsigned long long)g->o.budget_events_s);
	estimate(p,
		 "estimated from samples after %s (--gil-budget): exact tracing would slow "
		 "the process down too much",
		 msg);
	ps_warn("pid %u: %s", p->pid, p->reason);
}

/*
 * A thread that held the GIL when the probes were attached and never
 * released it since has no events at all: find it (its thread state is in
 * the sampler's cache once a sample saw it) and account it from attach time.
 */
static void seed_holder(struct gil_audit *g, struct proc_state *p, uint64_t now)
{
	uint64_t tstate, field;
	uint32_t tid;

	if (p->seeded || p->mode != GIL_EXACT || !p->attached || !p->t || p->t->exited ||
	    now - p->attach_ns > SEED_NS)
		return;
	tstate = gil_estimate_holder(p->t, &field);
	if (!tstate || sampler__tid_of_tstate(g->s->sampler, p->pid, tstate, &tid))
		return;
	gil__seed_holder(g->gm, p->pid, tid, p->attach_ns);
	p->seeded = true;
}

/* Look at the holder and waiters of every estimated process (exact ones: the error). */
static void estimate_tick(struct gil_audit *g, uint64_t now)
{
	/* the loop's ticks come a little early or late: 3/4 of a period is one */
	if (now - g->last_est_ns < EST_PERIOD_NS * 3 / 4)
		return;
	g->last_est_ns = now;
	for (size_t i = 0; i < g->nr_procs; i++) {
		const struct proc_state *p = &g->procs[i];

		if (p->mode == GIL_NO_GIL || !p->t || p->t->exited || p->end_ns)
			continue;
		/* exact ones only when asked: an agent on many processes pays per look */
		if (p->mode == GIL_ESTIMATED || !p->attached || g->o.estimate_exact)
			gil_estimate_tick(&g->est, p->t, g->s->sampler);
	}
}

/* Listener: the estimate every 10 ms, the cost guard a few times a second. */
static void on_tick(void *ctx, uint64_t now)
{
	struct gil_audit *g = ctx;

	estimate_tick(g, now);
	if (now - g->last_guard_ns < GUARD_PERIOD_NS)
		return;
	g->last_guard_ns = now;
	for (size_t i = 0; i < g->nr_procs; i++) {
		precheck(g, &g->procs[i], now);
		seed_holder(g, &g->procs[i], now);
		guard_proc(g, &g->procs[i], now);
	}
}

/* What building the result needs. */
struct build {
	struct gil_audit *g;
	struct gil_result *r;
	uint64_t start_ns, end_ns, period_ns;
};

/* The report row of process state p (same index). */
static struct gil_proc_row *row_of(struct build *b, const struct proc_state *p)
{
	return &b->r->procs[p - b->g->procs];
}

/* Append a thread row to row. */
static struct gil_thread_row *new_thread(struct gil_proc_row *row)
{
	struct gil_thread_row *n = realloc(row->threads, (row->nr_threads + 1) * sizeof(*n));

	if (!n)
		return NULL;
	row->threads = n;
	memset(&n[row->nr_threads], 0, sizeof(*n));
	return &n[row->nr_threads++];
}

/*
 * Row r's name: its Python name, else comm (the probes' when given, else the
 * last one a sample saw, else /proc), else "?".
 */
static void thread_name(struct build *b, uint32_t pid, const char *comm, struct gil_thread_row *r)
{
	const struct thread_name *tn = agg_thread(&b->g->s->agg, r->tid);
	char path[64];

	if (tn && tn->pid != pid)
		tn = NULL;
	r->name_python = tn && tn->pyname[0];
	if (tn && (r->name_python || !comm)) {
		snprintf(r->name, sizeof(r->name), "%s", agg_name_of(tn));
		return;
	}
	if (comm) {
		snprintf(r->name, sizeof(r->name), "%.15s", comm);
		return;
	}
	snprintf(path, sizeof(path), "task/%u/comm", r->tid);
	if (procfs_read(pid, path, r->name, sizeof(r->name)) > 0)
		r->name[strcspn(r->name, "\n")] = '\0';
	else
		snprintf(r->name, sizeof(r->name), "?");
}

/* The CPU-sample counts of a thread. */
static void sample_counts(struct build *b, struct gil_thread_row *r)
{
	const struct thread_name *tn = agg_thread(&b->g->s->agg, r->tid);

	if (tn) {
		r->samples = tn->nr_samples;
		r->samples_held = tn->nr_gil_held;
	}
}

/* The estimate of thread r over its wall time (none if it was never looked at). */
static void est_fill(struct build *b, uint32_t pid, struct gil_thread_row *r)
{
	const struct gil_est_thread *e = gil_estimate_thread(&b->g->est, pid, r->tid);

	if (!e || !e->ticks)
		return;
	r->est_looks = e->ticks;
	r->est_held_ns = (uint64_t)((double)r->wall_ns * e->held / e->ticks);
	r->est_wait_ns = (uint64_t)((double)r->wall_ns * e->waiting / e->ticks);
}

/* gil__each_thread callback: one exactly traced thread. */
static int add_exact(uint32_t tid, const struct ps_gil_thread *t, void *ctx)
{
	struct build *b = ctx;
	struct proc_state *p = proc_of(b->g, t->pid, false);
	uint64_t end, begin;
	struct gil_thread_row *r;

	if (!p || p->mode != GIL_EXACT || !p->attached)
		return 0;
	end = p->end_ns ? p->end_ns : b->end_ns;
	if (t->exit_ts_ns && t->exit_ts_ns < end)
		end = t->exit_ts_ns;
	/* a thread older than the probes has been there since they were attached */
	begin = t->flags & PS_GIL_THREAD_BORN ? t->first_ts_ns : p->attach_ns;
	begin = begin > b->start_ns ? begin : b->start_ns;
	r = new_thread(row_of(b, p));
	if (!r)
		return -ENOMEM;
	r->tid = tid;
	r->held_ns = t->hold_ns;
	r->wait_ns = t->wait_ns;
	/* close the interval still open at the end */
	if (t->state_ts_ns < end && t->state == PS_GIL_HOLDING)
		r->held_ns += end - t->state_ts_ns;
	if (t->state_ts_ns < end && t->state == PS_GIL_WAITING)
		r->wait_ns += end - t->state_ts_ns;
	r->wall_ns = end > begin ? end - begin : 0;
	r->since_attach = !(t->flags & PS_GIL_THREAD_BORN);
	r->acquisitions = t->acquisitions;
	r->drop_requests = t->drop_requests;
	r->missed_releases = t->missed_releases;
	r->mean_wait_ns = t->acquisitions ? t->wait_ns / t->acquisitions : 0;
	r->p99_wait_ns = gil_hist_p99(t->wait_hist, PS_GIL_HIST_BUCKETS);
	thread_name(b, t->pid, t->comm[0] ? (const char *)t->comm : NULL, r);
	sample_counts(b, r);
	est_fill(b, t->pid, r);
	return 0;
}

/* The estimate of p's threads, if it was looked at. */
static const struct gil_est_proc *est_proc(const struct gil_audit *g, uint32_t pid)
{
	for (size_t i = 0; i < g->est.nr_procs; i++)
		if (g->est.procs[i].pid == pid && g->est.procs[i].ticks)
			return &g->est.procs[i];
	return NULL;
}

/* Rows of an estimated process from the looks at its holder and waiters. */
static int add_looked(struct build *b, struct proc_state *p, const struct gil_est_proc *ep)
{
	uint64_t end = p->end_ns ? p->end_ns : b->end_ns,
		 span = end > b->start_ns ? end - b->start_ns : 0;
	struct gil_thread_row *r;

	for (size_t i = 0; i < ep->nr_threads; i++) {
		const struct gil_est_thread *e = &ep->threads[i];

		r = new_thread(row_of(b, p));
		if (!r)
			return -ENOMEM;
		r->tid = e->tid;
		r->wall_ns = (uint64_t)((double)span * e->ticks / ep->ticks);
		est_fill(b, p->pid, r);
		r->held_ns = r->est_held_ns;
		r->wait_ns = r->est_wait_ns;
		r->wait_estimated = true;
		thread_name(b, p->pid, NULL, r);
		sample_counts(b, r);
	}
	row_of(b, p)->est_looks_per_s = span ? ep->ticks * 1e9 / span : 0;
	row_of(b, p)->style = GIL_STYLE_LOOKED;
	return 0;
}

/* Rows of an estimated process: looks, else the GIL state of its CPU samples. */
static int add_estimated(struct build *b, struct proc_state *p)
{
	const struct gil_est_proc *ep = est_proc(b->g, p->pid);
	const struct thread_name *tn;
	struct gil_thread_row *r;
	uint64_t end = p->end_ns ? p->end_ns : b->end_ns;

	if (ep)
		return add_looked(b, p, ep);
	hashmap_for_each(&b->g->s->agg.threads, tn)
	{
		if (tn->pid != p->pid)
			continue;
		r = new_thread(row_of(b, p));
		if (!r)
			return -ENOMEM;
		r->tid = tn->tid;
		snprintf(r->name, sizeof(r->name), "%s", agg_name_of(tn));
		r->name_python = tn->pyname[0];
		r->samples = tn->nr_samples;
		r->samples_held = tn->nr_gil_held;
		r->held_ns = tn->nr_gil_held * b->period_ns;
		r->wall_ns = end > b->start_ns ? end - b->start_ns : 0;
	}
	return 0;
}

static int cmp_threads(const void *a, const void *b)
{
	const struct gil_thread_row *x = a, *y = b;

	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* Process rows in pid order (the state array is in discovery order). */
static int cmp_procs(const void *a, const void *b)
{
	const struct gil_proc_row *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Fill the header of each process row. */
static void proc_headers(struct build *b)
{
	for (size_t i = 0; i < b->g->nr_procs; i++) {
		const struct proc_state *p = &b->g->procs[i];
		struct gil_proc_row *row = &b->r->procs[i];

		row->pid = p->pid;
		row->mode = p->mode == GIL_EXACT && !p->attached ? GIL_ESTIMATED : p->mode;
		row->switch_interval_ns = DEFAULT_SWITCH_NS;
		row->peak_events_per_s = p->peak_rate;
		row->probe_cpu_share = p->peak_rate * PROBE_HIT_NS / 1e9;
		row->style = gil_style_of(row->mode == GIL_EXACT, p->nr_inlined);
		if (p->attached && p->attach_ns > b->start_ns)
			row->traced_from_ns = p->attach_ns - b->start_ns;
		snprintf(row->reason, sizeof(row->reason), "%s",
			 p->reason[0] || row->mode != GIL_ESTIMATED ?
				 p->reason :
				 "estimated from samples: it ended before its GIL could be traced");
		if (p->t) {
			snprintf(row->label, sizeof(row->label), "%s", p->t->t.label);
			pyversion_str(&p->t->t.ver, row->python, sizeof(row->python));
		}
	}
}

int gil_audit__result(struct gil_audit *g, uint64_t end_ns, struct gil_result *r)
{
	struct build b = { g, r, g->s->stats.start_ns, end_ns, 1000000000ULL / g->s->cfg.freq_hz };
	int err;

	r->duration_ns = b.end_ns - b.start_ns;
	r->procs = calloc(g->nr_procs ? g->nr_procs : 1, sizeof(*r->procs));
	if (!r->procs)
		return -ENOMEM;
	r->nr_procs = g->nr_procs;
	proc_headers(&b);
	err = gil__each_thread(g->gm, add_exact, &b);
	for (size_t i = 0; !err && i < g->nr_procs; i++)
		if (r->procs[i].mode == GIL_ESTIMATED)
			err = add_estimated(&b, &g->procs[i]);
	for (size_t i = 0; i < r->nr_procs; i++)
		qsort(r->procs[i].threads, r->procs[i].nr_threads, sizeof(struct gil_thread_row),
		      cmp_threads);
	for (size_t i = 0; i < r->nr_procs; i++)
		gil_where_fill(&r->procs[i], g->s);
	qsort(r->procs, r->nr_procs, sizeof(*r->procs), cmp_procs);
	gil_diagnose(r);
	return err;
}

struct agg *gil_audit__waits(struct gil_audit *a)
{
	return &a->waits;
}

struct gil_timeline *gil_audit__timeline(struct gil_audit *a)
{
	return &a->tl;
}

void gil_audit__prog_stats(const struct gil_audit *a, uint64_t *runs, uint64_t *run_ns)
{
	gil__prog_stats(a->gm, runs, run_ns);
}

/* What the probes cost in BPF (the uprobe traps themselves come on top). */
void gil_audit__print_cost(const struct gil_audit *a)
{
	uint64_t runs, ns;

	gil__prog_stats(a->gm, &runs, &ns);
	run_stats_print_bpf_cost(&a->s->stats, "GIL probes", runs, ns);
	if (a->est.nr_looks)
		ps_info("cost: GIL estimate looked at threads %llu times, %.1f us each (%.1f ms "
			"of pystrobe's time, none of the target's)",
			(unsigned long long)a->est.nr_looks, a->est.cost_ns / 1e3 / a->est.nr_looks,
			a->est.cost_ns / 1e6);
}

/* Keep only the processes still running (their target may be freed next). */
void gil_audit__new_period(struct gil_audit *a)
{
	size_t kept = 0;

	agg_free(&a->waits);
	agg_init(&a->waits);
	for (size_t i = 0; i < a->nr_procs; i++) {
		const struct proc_state *p = &a->procs[i];

		if (p->end_ns || !p->t || p->t->exited)
			continue;
		a->procs[kept++] = *p;
	}
	a->nr_procs = kept;
}

struct gil_audit *gil_audit__open(struct session *s, const struct gil_audit_opts *o)
{
	struct gil_audit *a = calloc(1, sizeof(*a));
	int err;

	if (!a)
		return NULL;
	a->o = *o;
	a->s = s;
	agg_init(&a->waits);
	gil_timeline_init(&a->tl);
	a->gm = gil__open(s->maps, o->wait_stacks, o->max_threads);
	err = a->gm ? 0 : errno;
	if (!err &&
	    session_listen(s, &(struct session_listener){ .name = "gil",
							  .ctx = a,
							  .on_add = on_add,
							  .on_retire = on_retire,
							  .on_record = on_record,
							  .on_tick = on_tick,
							  .tick_ms = EST_PERIOD_NS / 1000000 }))
		err = ENOSPC;
	if (err) {
		gil_audit__free(a);
		errno = err;
		return NULL;
	}
	return a;
}

void gil_audit__free(struct gil_audit *a)
{
	if (!a)
		return;
	gil__free(a->gm);
	agg_free(&a->waits);
	gil_timeline_free(&a->tl);
	gil_estimate_free(&a->est);
	free(a);
}
