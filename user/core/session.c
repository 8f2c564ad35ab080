// SPDX-License-Identifier: MIT
/* Shared profiling session: BPF objects, discovery, ring-buffer handlers. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "lib/log.h"
#include "core/preflight.h"
#include "target/procfs.h"
#include "target/proctitle.h"
#include "bpf/procs.h"
#include "bpf/sampler.h"
#include "bpf/shared_maps.h"
#include "core/events.h"
#include "core/session.h"
#include "core/thread_names.h"
#include "lib/clock.h"

volatile sig_atomic_t session_stop;

uint64_t session_now_ns(void)
{
	return mono_ns();
}

/* Tell every listener that t started (added) or stopped being profiled. */
static void notify_target(struct session *s, struct target *t, bool added)
{
	for (size_t i = 0; i < s->nr_listeners; i++) {
		const struct session_listener *l = &s->listeners[i];

		if (added && l->on_add)
			l->on_add(l->ctx, t);
		else if (!added && l->on_retire)
			l->on_retire(l->ctx, t);
	}
}

/* Tell every listener that process pid is gone. */
static void notify_exit(struct session *s, uint32_t pid)
{
	for (size_t i = 0; i < s->nr_listeners; i++)
		if (s->listeners[i].on_exit)
			s->listeners[i].on_exit(s->listeners[i].ctx, pid);
}

static int on_sample(void *ctx, const void *data, size_t size)
{
	const struct ps_sample *smp = data;
	struct session *s = ctx;
	struct target *t = targets_find(&s->targets, smp->pid, smp->gen);
	int err = 0;

	if (t)
		t->nr_samples += agg_samples_of(smp);
	if (s->cfg.gil_only && !(smp->flags & PS_SAMPLE_GIL_HELD)) {
		s->stats.nr_gil_filtered += agg_samples_of(smp);
		return 0;
	}
	for (size_t i = 0; !err && i < s->nr_listeners; i++)
		if (s->listeners[i].on_sample)
			err = s->listeners[i].on_sample(s->listeners[i].ctx, &s->agg, smp, size);
	if (!err)
		err = agg_add(&s->agg, smp, size);
	return err == -ENOMEM ? -ENOMEM : 0;
}

static int on_symbol(void *ctx, const void *data, size_t size)
{
	const struct ps_symbol *sym = data;
	struct session *s = ctx;
	struct target *t = targets_find(&s->targets, sym->pid, sym->gen);
	bool bytes_names = t && t->t.layout.off.str_kind == PS_STR_BYTES;

	if (symtab_add(&s->symtab, sym, size, bytes_names) == -EINVAL)
		s->stats.nr_malformed++;
	return 0;
}

/* Stop profiling a target whose process exited or replaced its image. */
static void retire(struct session *s, struct target *t)
{
	notify_target(s, t, false);
	t->exited = true;
	sampler__del_proc(s->sampler, t->t.pid);
	if (s->nr_live)
		s->nr_live--;
	s->any_exited = true;
}

/* Forget a pending pid (it exited). */
static void unwatch(struct session *s, pid_t pid)
{
	for (size_t i = 0; i < s->nr_pending; i++) {
		if (s->pending[i].pid == pid) {
			s->pending[i] = s->pending[--s->nr_pending];
			return;
		}
	}
}

static void watch_after(struct session *s, pid_t pid, uint64_t delay_ns);

/*
 * Was this exec already seen by the target's discovery? sh -> chroot ->
 * python3.14: the scan on chroot's exec finds python3.14 while the last exec's
 * event is still queued. Retiring and re-adding it would detach and re-attach
 * its GIL uprobes, which loses events (sid's 3.14: a sorter 89% on CPU read
 * 65% held). Only an exec of the very file discovery found, before discovery
 * ended; a later exec (os.execv of itself) is a new image.
 */
static bool exec_seen(const struct target *t, const struct ps_proc_event *e)
{
	const struct procmap *m = &t->t.map;

	return e->ts_ns < t->found_ns && e->exe_ino == m->inode &&
	       e->exe_dev == (m->dev_major << 20 | m->dev_minor);
}

/* A fork is examined SESSION_FORK_DELAY_NS on, rounded up to a SESSION_FORK_SLOT_NS slot. */
static uint64_t fork_delay_ns(uint64_t now)
{
	uint64_t due = now + SESSION_FORK_DELAY_NS;

	return due - due % SESSION_FORK_SLOT_NS + SESSION_FORK_SLOT_NS - now;
}

static int on_proc(void *ctx, const void *data, size_t size)
{
	const struct ps_proc_event *e = data;
	struct session *s = ctx;
	struct target *t = targets_live(&s->targets, e->pid);

	(void)size; /* fixed size, checked by core/events.c */
	if (e->kind == PS_PROC_EXIT) {
		unwatch(s, e->pid);
		if (t)
			retire(s, t);
		notify_exit(s, e->pid);
	} else if (e->kind == PS_PROC_EXEC) {
		if (t && exec_seen(t, e))
			return 0;
		if (t)
			retire(s, t); /* a new image: a new generation if it is Python too */
		session_watch(s, e->pid);
		if (s->nr_pending && s->pending[s->nr_pending - 1].pid == (pid_t)e->pid)
			s->pending[s->nr_pending - 1].exe =
				(struct ps_exe_key){ .ino = e->exe_ino, .dev = e->exe_dev };
	} else if (e->kind == PS_PROC_FORK && !t) {
		/*
		 * most forks of a Python exec at once (subprocess): their exec re-watches
		 * them, or BPF says to forget them; the forks due in one slot are looked
		 * at in one loop turn
		 */
		watch_after(s, e->pid, fork_delay_ns(session_now_ns()));
	} else if (e->kind == PS_PROC_FORGET && !t) {
		unwatch(s, e->pid); /* it exec'd a program known not to be Python, or exited */
	}
	return 0;
}

/* Records of other programs go to the listeners; a negative return stops the poll. */
static int on_other(void *ctx, const void *data, size_t size)
{
	struct session *s = ctx;
	__u32 type;
	int err;

	memcpy(&type, data, sizeof(type));
	for (size_t i = 0; i < s->nr_listeners; i++) {
		if (!s->listeners[i].on_record)
			continue;
		err = s->listeners[i].on_record(s->listeners[i].ctx, type, data, size);
		if (err)
			return err;
	}
	return 0;
}

/* Read the ring buffer: the session's own records, the rest to on_other. */
static int listen_events(struct session *s)
{
	static const __u32 others[] = { PS_REC_GIL_EVENT, PS_REC_GIL_WAIT, PS_REC_SYS_STACK,
					PS_REC_SYS_EXIT, PS_REC_OFFCPU_STACK };
	int err;

	s->events = events__new(shared_maps__fd(s->maps, "events"));
	if (!s->events)
		return -errno;
	err = events__on(s->events, PS_REC_SAMPLE, on_sample, s);
	err = err ?: events__on(s->events, PS_REC_SYMBOL, on_symbol, s);
	err = err ?: events__on(s->events, PS_REC_PROC, on_proc, s);
	for (size_t i = 0; !err && i < sizeof(others) / sizeof(others[0]); i++)
		err = events__on(s->events, others[i], on_other, s);
	return err;
}

int session_open(struct session *s, const struct session_cfg *cfg)
{
	struct sampler_opts so = { cfg->freq_hz,      cfg->max_frames, cfg->ringbuf_bytes,
				   cfg->kernel_stack, cfg->user_stack, cfg->async_roots };
	struct session_listener l;
	int err = preflight_check();

	memset(s, 0, sizeof(*s));
	if (err)
		return err;
	s->cfg = *cfg;
	s->stats.command = cfg->command;
	srand((unsigned)(getpid() ^ time(NULL)));
	s->stats.freq_hz = cfg->freq_hz;
	s->stats.child_status = -1;
	targets_init(&s->targets);
	symtab_init(&s->symtab, &s->pool);
	agg_init(&s->agg);
	s->disc = preflight_discover() ?: discover__new();
	if (!s->disc)
		return -ENOMEM;
	s->maps = shared_maps__new();
	if (!s->maps)
		return -ENOMEM;
	if (cfg->syscall_targets && (err = procs__size_sys_targets(s->maps)))
		return err;
	/* an LRU map is filled at creation: room for the whole host's threads only under --all */
	if (!cfg->all && ((err = shared_maps__set_size(s->maps, "codes_sent", SESSION_CODES)) ||
			  (err = shared_maps__set_size(s->maps, "tstates", SESSION_THREADS))))
		return err;
	s->sampler = sampler__open(&so, s->maps);
	if (!s->sampler)
		return -errno;
	err = listen_events(s);
	if (err)
		return err;
	/* first listener: a sample's thread is named before any feature counts it */
	s->names = thread_names__new(&s->targets, &s->agg);
	if (!s->names)
		return -ENOMEM;
	l = thread_names__listener(s->names);
	err = session_listen(s, &l);
	if (err)
		return err;
	if (cfg->name && regcomp(&s->name_re, cfg->name, REG_EXTENDED | REG_NOSUB)) {
		ps_err("invalid --name '%s': not an extended regular expression", cfg->name);
		return -EINVAL;
	}
	s->has_name = cfg->name != NULL;
	s->procs = procs__open(s->maps, cfg->all || cfg->name);
	return s->procs ? 0 : -errno;
}

int session_listen(struct session *s, const struct session_listener *l)
{
	if (s->nr_listeners >= SESSION_LISTENERS_MAX)
		return -ENOSPC;
	s->listeners[s->nr_listeners++] = *l;
	return 0;
}

void session_child(struct session *s, pid_t pid)
{
	for (size_t i = 0; i < s->nr_listeners; i++)
		if (s->listeners[i].on_child)
			s->listeners[i].on_child(s->listeners[i].ctx, pid);
}

void session_tick(struct session *s, uint64_t now_ns)
{
	for (size_t i = 0; i < s->nr_listeners; i++)
		if (s->listeners[i].on_tick)
			s->listeners[i].on_tick(s->listeners[i].ctx, now_ns);
}

unsigned session_tick_ms(const struct session *s)
{
	unsigned ms = 0;

	for (size_t i = 0; i < s->nr_listeners; i++) {
		unsigned t = s->listeners[i].tick_ms;

		if (t && (!ms || t < ms))
			ms = t;
	}
	return ms;
}

int session_attach(struct session *s)
{
	return sampler__attach(s->sampler);
}

void session_close(struct session *s)
{
	procs__free(s->procs);
	events__free(s->events);
	sampler__free(s->sampler);
	shared_maps__free(s->maps);
	discover__free(s->disc);
	thread_names__free(s->names);
	agg_free(&s->agg);
	symtab_free(&s->symtab);
	targets_free(&s->targets);
	strpool_free(&s->pool);
	hashmap_free_all(&s->tried);
	if (s->has_name)
		regfree(&s->name_re);
}

/* hashmap_eq_fn of the tried set: items and keys are pid_t. */
static bool pid_eq(const void *item, const void *key)
{
	return *(const pid_t *)item == *(const pid_t *)key;
}

/* Was pid examined with a libpython mapped (and refused)? */
static bool was_tried(const struct session *s, pid_t pid)
{
	return hashmap_find(&s->tried, hash_u64((uint64_t)pid), &pid, pid_eq) != NULL;
}

/* Keep the rescan from examining pid again (bounded: beyond the cap it may). */
static void remember_tried(struct session *s, pid_t pid)
{
	pid_t *item;

	if (s->tried.nr >= SESSION_TRIED_MAX || was_tried(s, pid))
		return;
	item = malloc(sizeof(*item));
	if (!item)
		return;
	*item = pid;
	if (hashmap_insert(&s->tried, hash_u64((uint64_t)pid), item))
		free(item);
}

/* The first listener's account of what it still does for an unsupported Python, or NULL. */
static const char *notify_unsupported(struct session *s, const struct py_target *pt)
{
	const char *what = NULL, *w;

	for (size_t i = 0; i < s->nr_listeners; i++) {
		const struct session_listener *l = &s->listeners[i];

		w = l->on_unsupported ? l->on_unsupported(l->ctx, pt) : NULL;
		what = what ?: w;
	}
	return what;
}

/*
 * A CPython of a version with no layout: not profiled, but a listener may
 * still follow it (syscall counts need no layout). 0 when one does.
 */
static int add_unsupported(struct session *s, const struct py_target *pt, const char *why)
{
	const char *what = notify_unsupported(s, pt);

	s->stats.nr_unsupported++;
	remember_tried(s, pt->pid); /* one note per process, not one per rescan */
	if (!what) {
		run_stats_note(&s->stats, "pid %d: %s, skipped", (int)pt->pid, why);
		return -ENOTSUP;
	}
	run_stats_note(&s->stats, "pid %d: %s: %s", (int)pt->pid, why, what);
	if (s->nr_kept < SESSION_KEPT_MAX)
		s->kept[s->nr_kept++] = pt->pid;
	return 0;
}

bool session_kept_alive(const struct session *s)
{
	for (size_t i = 0; i < s->nr_kept; i++)
		if (procfs_alive(s->kept[i]))
			return true;
	return false;
}

int session_add_pid(struct session *s, pid_t pid, char *why, size_t why_len)
{
	struct py_target pt;
	struct target *t;
	char ver[32];
	int err;

	if (targets_live(&s->targets, pid))
		return 0; /* profiled already (-p X -p X): one target, one count */
	if (s->has_name && !proctitle_match(pid, &s->name_re)) {
		/* not for good: a title set after the exec (setproctitle) is seen on a retry */
		snprintf(why, why_len, "its command line does not match --name");
		return procfs_alive(pid) ? -ENOENT : -ESRCH;
	}
	err = discover_pid(s->disc, pid, &pt, why, why_len);

	if (err == -ENOTSUP)
		return add_unsupported(s, &pt, why);
	if (err)
		return err;
	t = targets_add(&s->targets, &pt);
	if (!t)
		return -ENOMEM;
	t->start_ticks = targets_start_ticks(pid);
	t->found_ns = session_now_ns();
	err = sampler__add_proc(s->sampler, pid, &t->t.bpf);
	if (err) {
		t->exited = true;
		s->stats.nr_bpf_full++;
		snprintf(why, why_len, "cannot add to the procs map: %s", strerror(-err));
		return err;
	}
	s->nr_live++;
	s->stats.nr_procs++;
	notify_target(s, t, true);
	ps_debug("pid %d: %s CPython %s (%s, runtime at %#llx)", (int)pid, t->t.label,
		 pyversion_str(&t->t.ver, ver, sizeof(ver)), t->t.ver.source,
		 (unsigned long long)t->t.runtime_addr);
	return 0;
}

/* Is the /proc entry name a pid? */
static pid_t dir_pid(const char *name)
{
	for (const char *p = name; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return (pid_t)atoi(name);
}

void session_scan_all(struct session *s)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char why[128];
	pid_t pid;

	if (!d) {
		ps_warn("/proc: cannot list processes: %s", strerror(errno));
		return;
	}
	while ((e = readdir(d))) {
		pid = dir_pid(e->d_name);
		if (pid > 0 && pid != getpid() && !targets_live(&s->targets, pid))
			session_add_pid(s, pid, why, sizeof(why));
	}
	closedir(d);
}

/* Examine pid from delay_ns on, then again until it maps a runtime or SESSION_PENDING_NS pass. */
static void watch_after(struct session *s, pid_t pid, uint64_t delay_ns)
{
	uint64_t now = session_now_ns();

	unwatch(s, pid);
	if (s->nr_pending >= SESSION_PENDING_MAX) {
		s->nr_pending_full++; /* said in the summary by session_finish */
		return;
	}
	s->pending[s->nr_pending++] =
		(struct pending){ .pid = pid, .first_ns = now, .next_ns = now + delay_ns };
}

/*
 * --all: examine every process that maps a libpython now but is not
 * profiled (a host that dlopen'ed it after its exec was examined), once per
 * process. Reads only maps; exes were examined at exec or start-up.
 */
static void rescan(struct session *s)
{
	uint64_t t0 = session_now_ns();
	DIR *d = opendir("/proc");
	unsigned nr_read = 0;
	struct dirent *e;
	char why[128];
	pid_t pid;

	if (!d)
		return;
	procs__clear_skips(s->procs); /* a skipped file may have been replaced by a Python */
	while ((e = readdir(d))) {
		pid = dir_pid(e->d_name);
		if (pid <= 0 || pid == getpid() || targets_live(&s->targets, pid) ||
		    was_tried(s, pid))
			continue;
		nr_read++;
		if (discover_maps_libpython(pid) == 1 && session_add_pid(s, pid, why, sizeof(why)))
			remember_tried(s, pid);
	}
	closedir(d);
	ps_debug("rescan: maps of %u processes read in %.2f ms", nr_read,
		 (session_now_ns() - t0) / 1e6);
}

/* Rescan under --all every SESSION_RESCAN_NS. */
static void maybe_rescan(struct session *s, uint64_t now)
{
	if (!s->cfg.all && !s->cfg.name)
		return;
	if (s->next_rescan_ns && now >= s->next_rescan_ns)
		rescan(s);
	if (!s->next_rescan_ns || now >= s->next_rescan_ns)
		s->next_rescan_ns = now + (s->cfg.pace.rescan_ns ?: SESSION_RESCAN_NS);
}

void session_watch(struct session *s, pid_t pid)
{
	watch_after(s, pid, 0);
}

/*
 * --all: is the image p exec'ed a file that cannot be Python (no runtime, no
 * libpython needed)? Then BPF stops sending its execs until the next rescan,
 * and this process is not examined again: a host that runs hundreds of short
 * programs a second costs one look per program file, not per exec.
 */
static bool exe_not_python(struct session *s, const struct pending *p)
{
	/* kernel dev_t (major << 20 | minor) -> /proc/PID/maps' (major << 32 | minor) */
	uint64_t dev = (uint64_t)(p->exe.dev >> 20) << 32 | (p->exe.dev & 0xfffff);

	if (!s->cfg.all || !p->exe.ino || !discover_exe_not_python(s->disc, dev, p->exe.ino))
		return false;
	if (procs__skip_exe(s->procs, &p->exe) == 0)
		s->nr_exe_skips++;
	return true;
}

/* Try one pending pid; true when it is settled (profiled, not Python for good, gone). */
static bool try_pending(struct session *s, struct pending *p, uint64_t now)
{
	char why[128];
	int err;

	if (now < p->next_ns)
		return false;
	err = session_add_pid(s, p->pid, why, sizeof(why));
	if (err == -ENOENT && exe_not_python(s, p))
		return true;
	if (err == -ENOENT &&
	    now - p->first_ns < (s->cfg.pace.pending_window_ns ?: SESSION_PENDING_NS)) {
		/* libpython may not be mapped yet: back off 1, 2, 4 .. 64 ms */
		unsigned max = s->cfg.pace.pending_max_shift ? s->cfg.pace.pending_max_shift : 6;

		p->next_ns = now + (1000000ULL << (p->tries < max ? p->tries : max));
		p->tries++;
		return false;
	}
	if (err == -ESRCH)
		s->stats.nr_vanished++;
	return true;
}

/* Retry every due pending discovery. */
static void run_pending(struct session *s)
{
	uint64_t now = session_now_ns();

	for (size_t i = 0; i < s->nr_pending;) {
		if (try_pending(s, &s->pending[i], now))
			s->pending[i] = s->pending[--s->nr_pending];
		else
			i++;
	}
}

/* Re-draw the sampling periods at random instants about twice a second. */
static void rephase(struct session *s)
{
	uint64_t now = session_now_ns();

	if (now < s->next_rephase_ns)
		return;
	if (s->next_rephase_ns)
		sampler__rephase(s->sampler);
	/* next in [0.5, 1.5] x the mean: the instants must not be periodic either */
	s->next_rephase_ns = now + SESSION_REPHASE_NS / 2 + (uint64_t)rand() % SESSION_REPHASE_NS;
}

/*
 * A target whose exit event was lost (ring buffer full) would stay "live"
 * forever: every SESSION_LIVENESS_NS, one seen gone (or its pid reused: a
 * new start time) twice in a row, with no exit event read in between, is
 * finalised as if its exit had arrived.
 */
static void check_liveness(struct session *s, uint64_t now)
{
	struct target *t;
	uint32_t gone[64];
	size_t nr = 0;

	if (now < s->next_liveness_ns)
		return;
	s->next_liveness_ns = now + SESSION_LIVENESS_NS;
	hashmap_for_each(&s->targets.by_key, t)
	{
		if (t->exited)
			continue;
		if (targets_running(t))
			t->seen_gone = 0;
		else if (++t->seen_gone >= 2 && nr < sizeof(gone) / sizeof(gone[0]))
			gone[nr++] = t->t.pid; /* more: the next check */
	}
	/* retire outside the walk: listeners may look the targets up */
	for (size_t i = 0; i < nr; i++) {
		t = targets_live(&s->targets, gone[i]);
		if (!t)
			continue;
		s->nr_lost_exits++;
		retire(s, t);
		notify_exit(s, gone[i]);
	}
}

/*
 * How long the loop may sleep with discoveries waiting: until the first is
 * due, but no less than the pace's step (2 ms). Forks wait 50 ms: a Python
 * that forks 200 times a second must not turn the loop every 2 ms.
 */
static int pending_wait_ms(const struct session *s, uint64_t now)
{
	uint64_t first = UINT64_MAX, step = s->cfg.pace.pending_ms ?: 2;

	for (size_t i = 0; i < s->nr_pending; i++)
		if (s->pending[i].next_ns < first)
			first = s->pending[i].next_ns;
	first = first > now ? (first - now + 999999) / 1000000 : 0;
	return (int)(first > step ? (first < INT_MAX ? first : INT_MAX) : step);
}

int session_poll(struct session *s, int timeout_ms)
{
	uint64_t now = session_now_ns();
	int n, wait = s->nr_pending ? pending_wait_ms(s, now) : INT_MAX;

	if (timeout_ms > wait)
		timeout_ms = wait;
	/* wake for the next re-phase: its instant must stay random */
	if (s->next_rephase_ns > now && (s->next_rephase_ns - now) / 1000000 < (uint64_t)timeout_ms)
		timeout_ms = (s->next_rephase_ns - now) / 1000000;
	n = events__poll(s->events, timeout_ms);
	if (n < 0 && n != -EINTR) {
		ps_err("ring buffer: poll failed: %s", strerror(-n));
		return n;
	}
	run_pending(s);
	rephase(s);
	maybe_rescan(s, session_now_ns());
	check_liveness(s, session_now_ns());
	return n < 0 ? 0 : n;
}

uint64_t session_cpu_ns(void)
{
	struct timespec ts;

	/* the scheduler's exact run time, unlike getrusage's tick-sampled split */
	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* What BPF cost (when the kernel counts run time). */
static void measure_bpf_cost(struct session *s)
{
	struct run_stats *rs = &s->stats;
	char buf[8] = "";

	if (procfs_read_path("/proc/sys/kernel/bpf_stats_enabled", buf, sizeof(buf)) > 0)
		rs->bpf_stats_enabled = buf[0] == '1';
	sampler__prog_stats(s->sampler, &rs->bpf_run_cnt, &rs->bpf_run_ns);
}

void session_finish(struct session *s)
{
	/* records queued after the last poll, then the counters */
	while (events__poll(s->events, 0) > 0)
		;
	sampler__stats(s->sampler, s->stats.bpf);
	measure_bpf_cost(s);
	s->stats.nr_samples = s->agg.nr_samples;
	s->stats.nr_malformed += s->agg.nr_malformed + events__nr_malformed(s->events);
	if (s->nr_pending_full)
		run_stats_note(&s->stats,
			       "%llu new processes not examined: pending queue full (%d at once)",
			       (unsigned long long)s->nr_pending_full, SESSION_PENDING_MAX);
	if (s->nr_lost_exits)
		run_stats_note(&s->stats,
			       "%llu processes finalised without their exit event (found gone)",
			       (unsigned long long)s->nr_lost_exits);
	for (size_t i = 0; i < s->nr_listeners; i++)
		if (s->listeners[i].on_finish)
			s->listeners[i].on_finish(s->listeners[i].ctx);
}
