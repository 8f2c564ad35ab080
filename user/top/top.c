// SPDX-License-Identifier: MIT
/*
 * `pystrobe top`: the runner's loop samples as `record` does; every tick
 * reads keys, and every interval the samples since the last refresh move
 * into a running total and become a snapshot on the screen (or, on a pipe,
 * a plain-text snapshot).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lib/log.h"
#include "core/preflight.h"
#include "core/session.h"
#include "gil/gil_audit.h"
#include "syscalls/syscalls_audit.h"
#include "lib/term.h"
#include "top/top.h"
#include "top/top_snap.h"
#include "top/top_wall.h"
#include "wall/wall.h"

#define TICK_MS 50 /* key latency */
#define PLAIN_LINES 40 /* lines of one plain-text snapshot */
#define PLAIN_COLS 132 /* its width */
#define REPLAY_MAX (64 << 10) /* output captured under the view shown afterwards, at most */
#define SYS_PREV_MAX 4096
#define GIL_PREV_MAX 4096 /* processes with a GIL-wait share; beyond: "-" */
#define GIL_BUDGET_EVENTS_S 100000 /* the cost guard's budget, as `gil`'s default */

static volatile sig_atomic_t resized; /* SIGWINCH since the last look */

struct top {
	const struct top_opts *o;
	struct session *s;
	struct syscalls_audit *audit;
	struct gil_audit *gil; /* NULL: --no-gil, or it could not load */
	struct wall *wall; /* NULL: no --wall */
	struct wall_live wall_live; /* its readings at each refresh */
	struct agg cum; /* every sample since the start */
	struct agg last; /* the last interval's samples */
	struct agg sys_cum, sys_last; /* the same for the audit's syscall stacks */
	struct top_model m;
	struct top_buf buf;
	struct term term;
	bool tty; /* a live view, not plain snapshots */
	uint64_t start_ns, last_ns; /* start, last refresh */
	double last_span_s; /* time the last interval covered */
	struct top_sys_prev sys_prev[SYS_PREV_MAX];
	size_t nr_sys_prev;
	struct top_gil_prev gil_prev[GIL_PREV_MAX];
	size_t nr_gil_prev;
	bool killed_child; /* the command still ran when top ended */
	int saved_fd[3]; /* stdout / stderr before the view took them over */
	FILE *captured[3]; /* what was written to them meanwhile */
	int err;
};

/* The wall view's rows, when it is shown. 0 or -errno. */
static int show_wall(struct top *t)
{
	struct top_wall_in in = { .s = t->s,
				  .w = t->wall,
				  .live = &t->wall_live,
				  .cpu = t->m.cumulative ? &t->cum : &t->last,
				  .cumulative = t->m.cumulative,
				  .period_ns = 1000000000ULL / t->o->freq_hz,
				  .filter_pid = t->m.filter_pid };

	if (!t->wall || !t->m.wall_view)
		return 0;
	return top_wall_build(&t->m, &in);
}

/* Build the model from the chosen samples and draw it. */
static void show(struct top *t, bool refresh)
{
	unsigned cols = PLAIN_COLS, lines = PLAIN_LINES;
	struct top_snap_in in = { .s = t->s,
				  .audit = t->audit,
				  .src = t->m.cumulative ? &t->cum : &t->last,
				  .sys_prev = t->sys_prev,
				  .nr_sys_prev = &t->nr_sys_prev,
				  .sys_span_s = t->last_span_s,
				  .update_sys = refresh,
				  .gil = t->gil,
				  .gil_prev = t->gil_prev,
				  .nr_gil_prev = &t->nr_gil_prev,
				  .gil_prev_max = GIL_PREV_MAX };

	if (t->audit)
		in.sys_src = t->m.cumulative ? &t->sys_cum : &t->sys_last;
	t->m.elapsed_s = (session_now_ns() - t->start_ns) / 1e9;
	in.span_s = t->m.cumulative ? t->m.elapsed_s : t->last_span_s;
	t->m.interval_s = in.span_s;
	top_snap_free(&t->m);
	if (top_snap_build(&t->m, &in) || show_wall(t)) {
		t->err = -ENOMEM;
		session_stop = 1;
		return;
	}
	if (t->tty) {
		term_size(&t->term, &cols, &lines);
		lines = lines > 1 ? lines - 1 : 1; /* the last line would scroll the screen */
	}
	if (top_view_render(&t->m, cols, lines, t->tty, &t->buf) == 0)
		term_write(&t->term, t->buf.s, t->buf.len);
	if (!t->tty)
		term_write(&t->term, "\n", 1);
}

/* Move the interval's samples out of the session: into last, and added to cum. */
static void rotate(struct top *t, uint64_t now)
{
	agg_free(&t->last);
	t->last = t->s->agg;
	agg_init(&t->s->agg);
	t->s->agg.nr_malformed = t->last.nr_malformed;
	if (t->audit) {
		/* the audit's stacks (only its flame graph reads them, and top has none) */
		agg_free(&t->sys_last);
		t->sys_last = *syscalls_audit__calls(t->audit);
		agg_init(syscalls_audit__calls(t->audit));
	}
	if (agg_merge(&t->cum, &t->last, 0) || agg_merge(&t->sys_cum, &t->sys_last, 0) ||
	    (t->wall && wall_live_read(&t->wall_live, t->wall, now))) {
		t->err = -ENOMEM;
		session_stop = 1;
	}
	t->last_span_s = (now - t->last_ns) / 1e9;
	t->last_ns = now;
}

/*
 * Next (dir 1) or previous (-1) process filter in pid order (the listing's
 * order changes with the rates): all, then each listed pid, then all.
 */
static void cycle_filter(struct top *t, int dir)
{
	uint32_t cur = t->m.filter_pid, best = 0;

	for (size_t i = 0; i < t->m.nr_procs; i++) {
		uint32_t pid = t->m.procs[i].pid;

		if (dir > 0 && (!cur || pid > cur) && (!best || pid < best))
			best = pid;
		if (dir < 0 && (!cur || pid < cur) && pid > best)
			best = pid;
	}
	t->m.filter_pid = best;
}

/* One key: true when the view must be drawn again. */
static bool on_key(struct top *t, int c)
{
	switch (c) {
	case 'q':
	case 'Q':
		session_stop = 1;
		return false;
	case 's':
		t->m.sort = TOP_SORT_SELF;
		return true;
	case 't':
		t->m.sort = TOP_SORT_TOTAL;
		return true;
	case 'g':
		t->m.sort = TOP_SORT_GIL;
		return true;
	case 'y':
		t->m.sort = TOP_SORT_SYS;
		return true;
	case 'w':
		t->m.wall_view = !t->m.wall_view;
		return true;
	case 'W':
		t->m.procs_by_wait = !t->m.procs_by_wait;
		return true;
	case 'c':
		t->m.cumulative = !t->m.cumulative;
		return true;
	case 'p':
	case ' ':
		t->m.paused = !t->m.paused;
		return true;
	case '>':
	case '<':
		cycle_filter(t, c == '>' ? 1 : -1);
		return true;
	default:
		return false;
	}
}

/* Listener tick: keys, and the refresh when an interval has passed. */
static void on_tick(void *ctx, uint64_t now)
{
	struct top *t = ctx;
	bool redraw = false;
	int c;

	if (!t->last_ns)
		t->start_ns = t->last_ns = now; /* sampling runs from here */
	while ((c = term_key(&t->term)) >= 0 && !session_stop)
		redraw |= on_key(t, c);
	if (session_stop)
		return;
	if (t->tty && !t->term.active) {
		if (term_enter(&t->term, STDIN_FILENO, t->saved_fd[1])) {
			t->err = -EIO;
			session_stop = 1;
			return;
		}
		redraw = true; /* a first frame now, not after the first interval */
	}
	if (resized) {
		resized = 0;
		redraw = true;
	}
	if (!t->m.paused && now - t->last_ns >= t->o->interval_ms * 1000000ULL) {
		rotate(t, now);
		show(t, true);
	} else if (redraw) {
		show(t, false);
	}
}

/* Send fd to a temporary file until release_fds (the view owns the screen). */
static int capture_fd(struct top *t, int fd)
{
	t->captured[fd] = tmpfile();
	t->saved_fd[fd] = dup(fd);
	if (!t->captured[fd] || t->saved_fd[fd] < 0 || dup2(fileno(t->captured[fd]), fd) < 0)
		return -errno;
	return 0;
}

/* Give fd back and show the last REPLAY_MAX bytes written to it meanwhile. */
static void release_fd(struct top *t, int fd)
{
	char chunk[4096];
	long size;
	ssize_t n;

	if (t->saved_fd[fd] < 0)
		return;
	fflush(fd == 1 ? stdout : stderr);
	dup2(t->saved_fd[fd], fd);
	close(t->saved_fd[fd]);
	t->saved_fd[fd] = -1;
	if (!t->captured[fd])
		return;
	size = (long)lseek(fileno(t->captured[fd]), 0, SEEK_END);
	if (size > REPLAY_MAX)
		dprintf(fd, "[%ld bytes written under the view, the last %d follow]\n", size,
			REPLAY_MAX);
	lseek(fileno(t->captured[fd]), size > REPLAY_MAX ? size - REPLAY_MAX : 0, SEEK_SET);
	while ((n = read(fileno(t->captured[fd]), chunk, sizeof(chunk))) > 0)
		if (write(fd, chunk, (size_t)n) < 0)
			break;
	fclose(t->captured[fd]);
	t->captured[fd] = NULL;
}

/* The line printed after the view is gone: why top ended, how long, how much. */
static void final_line(struct top *t, const struct run_target *rt)
{
	int st = t->s->stats.child_status;
	unsigned long long n = t->cum.nr_samples + t->s->agg.nr_samples;
	double secs = t->start_ns ? (session_now_ns() - t->start_ns) / 1e9 : 0;

	if (t->err)
		return;
	if (st >= 0 && t->s->stats.child_end == RUN_CHILD_EXITED)
		fprintf(stderr,
			"pystrobe: top: the command exited (%s %d) after %.1f s, %llu samples\n",
			WIFEXITED(st) ? "status" : "signal",
			WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), secs, n);
	else if (rt->mode == RUN_PIDS && t->s->nr_live == 0)
		fprintf(stderr, "pystrobe: top: every target exited after %.1f s, %llu samples\n",
			secs, n);
	else
		fprintf(stderr, "pystrobe: top: stopped after %.1f s, %llu samples%s\n", secs, n,
			t->killed_child || t->s->stats.child_end == RUN_CHILD_STOPPED ?
				" (the command was stopped)" :
				"");
}

/* q or Ctrl-C while the command runs: top started it, top ends it. */
static void end_child(struct top *t)
{
	pid_t child = t->s->child;

	if (!child)
		return;
	kill(child, SIGTERM);
	waitpid(child, NULL, 0);
	t->s->child = 0;
	t->killed_child = true;
}

/* The terminal changed size: draw again at the next tick. */
static void on_winch(int sig)
{
	(void)sig;
	resized = 1;
}

/* SIGINT / SIGTERM before the runner takes them: stop, never leave the terminal raw. */
static void on_stop_signal(int sig)
{
	(void)sig;
	session_stop = 1;
}

/* Live view: output of everyone else (warnings, the command) waits in files. */
static int setup_tty(struct top *t)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_winch;
	sigaction(SIGWINCH, &sa, NULL);
	fflush(stdout);
	fflush(stderr);
	return capture_fd(t, 1) ?: capture_fd(t, 2);
}

/* Session, syscall and GIL audits; the audits are optional (a failure is noted, top goes on). */
static int open_session(struct top *t)
{
	struct session_cfg cfg = { .freq_hz = t->o->freq_hz,
				   .max_frames = PS_MAX_FRAMES,
				   .all = t->o->target.mode == RUN_ALL,
				   .name = t->o->target.name,
				   .syscall_targets = !t->o->no_syscalls,
				   .command = t->o->command_line };
	/* SYSC/S per function; top shows no findings */
	struct syscalls_audit_opts ao = { .stacks_per_s = 100, .no_paths = true };
	struct gil_audit_opts go = { .budget_events_s = GIL_BUDGET_EVENTS_S,
				     .max_threads = cfg.all ? 0 : SESSION_THREADS };
	int err = preflight_pids(t->o->target.pids, t->o->target.nr_pids);

	err = err ?: session_open(t->s, &cfg);

	if (err)
		return err;
	if (!t->o->no_syscalls && !(t->audit = syscalls_audit__open(t->s, &ao)))
		ps_warn("syscalls: cannot count them: %s (the SYSCALLS/S column stays empty)",
			strerror(errno));
	if (!t->o->no_gil && !(t->gil = gil_audit__open(t->s, &go)))
		ps_warn("gil: cannot trace it: %s (the GIL-WAIT%% column stays empty)",
			strerror(errno));
	if (t->o->wall && !(t->wall = wall__open(t->s, &(struct wall_opts){})))
		return -errno;
	t->m.has_wall = t->m.wall_view = t->wall != NULL;
	return session_listen(
		t->s, &(struct session_listener){
			      .name = "top", .ctx = t, .on_tick = on_tick, .tick_ms = TICK_MS });
}

int top_run(const struct top_opts *o)
{
	struct top *t = calloc(1, sizeof(*t));
	int err;

	if (!t || !(t->s = calloc(1, sizeof(*t->s)))) {
		free(t);
		return 1;
	}
	t->o = o;
	t->saved_fd[1] = t->saved_fd[2] = -1;
	t->term.in_fd = -1;
	t->term.out_fd = STDOUT_FILENO;
	t->tty = isatty(STDOUT_FILENO);
	err = t->tty ? setup_tty(t) : 0;
	err = err ?: open_session(t);
	err = err ?: runner_run(t->s, &o->target, "top");
	err = err ?: t->err;
	end_child(t);
	term_leave(&t->term);
	release_fd(t, 1);
	release_fd(t, 2);
	if (!t->tty && !err && t->s->agg.nr_samples) {
		rotate(t, session_now_ns());
		show(t, true); /* the samples since the last snapshot */
	}
	if (!err)
		final_line(t, &o->target);
	syscalls_audit__free(t->audit);
	gil_audit__free(t->gil);
	wall_live_free(&t->wall_live);
	wall__free(t->wall);
	session_close(t->s);
	agg_free(&t->cum);
	agg_free(&t->last);
	agg_free(&t->sys_cum);
	agg_free(&t->sys_last);
	top_snap_free(&t->m);
	top_buf_free(&t->buf);
	free(t->s);
	free(t);
	return err ? 1 : 0;
}
