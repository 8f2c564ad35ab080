// SPDX-License-Identifier: MIT
/* Targets, the command, and the poll loop every profiling command shares. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "lib/log.h"
#include "lib/parse.h"
#include "bpf/procs.h"
#include "core/cmdstop.h"
#include "core/runner.h"
#include "core/session.h"

/*
 * Longest ring-buffer wait: samples do not wake us (each wake-up costs tens
 * of microseconds on a VM), process events do, signals (Ctrl-C, SIGCHLD)
 * interrupt the wait, and the sampling re-phase (about twice a second)
 * shortens it.
 */
#define POLL_MS 1000
#define PROGRESS_NS 250000000ULL

enum {
	OPT_DETACH = 0x180, /* above every command's own long-only keys */
	OPT_NAME,
};

static const struct argp_option target_options[] = {
	{ "pid", 'p', "PID[,PID..]", 0, "Profile these processes (repeatable)", 0 },
	{ "all", 'a', NULL, 0, "Profile every Python process, including new ones", 0 },
	{ "name", OPT_NAME, "REGEX", 0,
	  "Profile the Python processes whose command line matches (also new ones)", 0 },
	{ "duration", 'd', "SECONDS", 0, "Stop after this long (default: Ctrl-C / exit)", 0 },
	{ "detach", OPT_DETACH, NULL, 0,
	  "At -d or Ctrl-C leave the command running (default: SIGINT, SIGTERM after 3 s, "
	  "SIGKILL after 3 more)",
	  0 },
	{},
};

static error_t parse_target(int key, char *arg, struct argp_state *st)
{
	struct run_target *rt = st->input;
	uint64_t v;

	switch (key) {
	case 'p':
		if (parse_pid_list(arg, rt->pids, RUN_MAX_PIDS, &rt->nr_pids))
			argp_usage(st);
		break;
	case 'a':
		rt->all = true;
		break;
	case OPT_NAME:
		rt->name = arg;
		break;
	case OPT_DETACH:
		rt->detach = true;
		break;
	case 'd':
		if (parse_u64(arg, 1, 7 * 86400, "--duration", &v))
			argp_usage(st);
		rt->duration_s = (unsigned)v;
		break;
	case ARGP_KEY_ARG:
		/* the first non-option starts the command: the rest is its argv */
		rt->cmd = &st->argv[st->next - 1];
		st->next = st->argc;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp runner_argp = { target_options, parse_target, NULL, NULL, NULL, NULL, NULL };

/* --name REGEX compiles (checked here: a bad one is a usage error). */
static int check_name(const char *name)
{
	regex_t re;

	if (!name)
		return 0;
	if (regcomp(&re, name, REG_EXTENDED | REG_NOSUB)) {
		ps_err("invalid --name '%s': not an extended regular expression", name);
		return -EINVAL;
	}
	regfree(&re);
	return 0;
}

int runner_check(struct run_target *rt)
{
	int kinds = (rt->nr_pids > 0) + (rt->all || rt->name) + (rt->cmd != NULL);

	if (kinds != 1) {
		ps_err("choose one target: -p PID, --all, --name REGEX or -- CMD (see --help)");
		return -EINVAL;
	}
	if (rt->detach && !rt->cmd) {
		ps_err("--detach applies to -- CMD only");
		return -EINVAL;
	}
	rt->mode = rt->all || rt->name ? RUN_ALL : rt->cmd ? RUN_CMD : RUN_PIDS;
	return check_name(rt->name);
}

static volatile sig_atomic_t stop_sig; /* the signal that stopped the run, 0 if none */

static void on_signal(int sig)
{
	stop_sig = sig;
	session_stop = 1;
}

static void on_child(int sig)
{
	(void)sig; /* only to interrupt the poll: done() reaps the child */
}

/*
 * SIGINT / SIGTERM / SIGHUP (the terminal went away) stop the run and the
 * output is written; SIGCHLD ends a wait (no SA_RESTART: polls return at once).
 * A command that gave SIGHUP a meaning of its own (the agent: reload) keeps it.
 */
static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal }, hup;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (sigaction(SIGHUP, NULL, &hup) || hup.sa_handler == SIG_DFL || hup.sa_handler == SIG_IGN)
		sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_child;
	sigaction(SIGCHLD, &sa, NULL);
}

/*
 * Fork the command; it waits on a pipe until sampling runs, then execs.
 * Returns the write end to release it, or -errno.
 */
static int spawn_child(char **argv, pid_t *child)
{
	int fds[2];
	char go;

	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	*child = fork();
	if (*child < 0) {
		close(fds[0]);
		close(fds[1]);
		return -errno;
	}
	if (*child == 0) {
		close(fds[1]);
		if (read(fds[0], &go, 1) != 1)
			_exit(127); /* pystrobe gave up before starting it */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		execvp(argv[0], argv);
		fprintf(stderr, "pystrobe: %s: cannot run: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	return fds[1];
}

/* -p: every pid must be a supported Python now. */
static int add_pids(struct session *s, const struct run_target *rt)
{
	char why[160];
	int err;

	for (size_t i = 0; i < rt->nr_pids; i++) {
		why[0] = '\0';
		err = session_add_pid(s, rt->pids[i], why, sizeof(why));
		/* not every failure says why (out of memory): never print what was not set */
		if (err && !why[0])
			snprintf(why, sizeof(why), "%s", strerror(-err));
		if (err == -ESRCH)
			ps_err("pid %d: no such process", (int)rt->pids[i]);
		else if (err == -ENOENT)
			ps_err("pid %d: not a Python process: %s", (int)rt->pids[i], why);
		else if (err)
			ps_err("pid %d: %s", (int)rt->pids[i], why);
		if (err)
			return err;
	}
	return 0;
}

/* Set up the targets of the chosen mode; *go is the command's release pipe. */
static int setup_targets(struct session *s, const struct run_target *rt, int *go)
{
	int err;

	*go = -1;
	if (rt->mode == RUN_ALL) {
		session_scan_all(s);
		return 0;
	}
	if (rt->mode != RUN_CMD)
		return add_pids(s, rt);
	*go = spawn_child(rt->cmd, &s->child);
	if (*go < 0) {
		ps_err("%s: cannot start: %s", rt->cmd[0], strerror(-*go));
		return *go;
	}
	err = procs__track(s->procs, s->child);
	if (err)
		ps_err("%s: cannot follow the command: %s", rt->cmd[0], strerror(-err));
	if (!err)
		session_child(s, s->child);
	return err;
}

/* Should the loop end? */
static bool done(struct session *s, const struct run_target *rt, uint64_t start_ns)
{
	int status;

	if (session_stop)
		return true;
	if (rt->duration_s && session_now_ns() - start_ns >= rt->duration_s * 1000000000ULL)
		return true;
	if (s->child && waitpid(s->child, &status, WNOHANG) == s->child) {
		s->stats.child_status = status;
		s->stats.child_end = RUN_CHILD_EXITED;
		s->child = 0;
		return true;
	}
	return rt->mode == RUN_PIDS && s->nr_live == 0 && s->nr_pending == 0 &&
	       !session_kept_alive(s);
}

/* "recording 3.2 s, 320 samples" on a terminal, rewritten in place. */
static void progress(const struct session *s, const char *verb, uint64_t start_ns, bool last)
{
	if (!log_stderr_is_tty() || log_get_level() < LOG_NORMAL)
		return;
	fprintf(stderr, "\rpystrobe: %s %.1f s, %llu samples, %u processes%s", verb,
		(session_now_ns() - start_ns) / 1e9, (unsigned long long)s->agg.nr_samples,
		s->nr_live, last ? "\n" : "   ");
	fflush(stderr);
}

/* Wait no longer than the time left of -d. */
static int poll_timeout(const struct run_target *rt, uint64_t start_ns)
{
	uint64_t elapsed_ms = (session_now_ns() - start_ns) / 1000000,
		 end_ms = rt->duration_s * 1000ULL;

	if (!rt->duration_s || elapsed_ms + POLL_MS <= end_ms)
		return POLL_MS;
	return elapsed_ms >= end_ms ? 0 : (int)(end_ms - elapsed_ms);
}

/* Poll until the run ends. */
static int run_loop(struct session *s, const struct run_target *rt, const char *verb,
		    uint64_t start_ns)
{
	unsigned tick_ms = session_tick_ms(s);
	uint64_t last_progress = 0;
	int n, timeout;

	while (!done(s, rt, start_ns)) {
		timeout = poll_timeout(rt, start_ns);
		if (tick_ms && (int)tick_ms < timeout)
			timeout = tick_ms;
		n = session_poll(s, timeout);
		if (n < 0)
			return n;
		session_tick(s, session_now_ns());
		if (session_now_ns() - last_progress > PROGRESS_NS) {
			progress(s, verb, start_ns, false);
			last_progress = session_now_ns();
		}
	}
	progress(s, verb, start_ns, true);
	return 0;
}

/* The command exited 127 (exec failed) before any Python process appeared. */
static bool command_failed(const struct session *s)
{
	int st = s->stats.child_status;

	return st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 127 && s->stats.nr_procs == 0;
}

/* Start time in ISO 8601 for the provenance lines. */
static void stamp_start(struct run_stats *rs)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(rs->started, sizeof(rs->started), "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Release the waiting command: it execs once it reads a byte. */
static int release_child(int go)
{
	int err = write(go, "g", 1) == 1 ? 0 : -errno;

	close(go);
	return err;
}

/*
 * The run ended (-d, Ctrl-C) while the command still runs: stop it, unless
 * --detach. A terminal's Ctrl-C reached the command too, so it is not sent
 * a second SIGINT (that would interrupt its own clean-up).
 */
static void end_child(struct session *s, const struct run_target *rt)
{
	bool terminal_int = stop_sig == SIGINT;
	int status = -1, sent = 0;

	if (!s->child)
		return;
	s->stats.child_pid = s->child;
	s->stats.child_end = rt->detach ? RUN_CHILD_LEFT : RUN_CHILD_STOPPED;
	if (rt->detach)
		ps_info("%s: left running (--detach), pid %d", rt->cmd[0], (int)s->child);
	else if (!cmdstop_stop(s->child, terminal_int, CMDSTOP_GRACE_MS, &status, &sent))
		s->stats.child_status = status;
	/* 0: it ended on the terminal's SIGINT before pystrobe sent anything */
	s->stats.child_stop_sig = sent ?: (terminal_int ? SIGINT : 0);
	s->child = 0;
}

int runner_exit_code(const struct session *s)
{
	if (s->stats.child_end != RUN_CHILD_EXITED)
		return 0;
	return cmdstop_exit_code(s->stats.child_status);
}

int runner_run(struct session *s, const struct run_target *rt, const char *verb)
{
	uint64_t start_ns, cpu_ns;
	int err, go = -1;

	install_signals();
	err = setup_targets(s, rt, &go);
	err = err ?: session_attach(s);
	if (err)
		goto out;
	stamp_start(&s->stats);
	start_ns = session_now_ns();
	cpu_ns = session_cpu_ns();
	s->stats.cpu_setup_ns = cpu_ns;
	s->stats.start_ns = start_ns;
	err = go >= 0 ? release_child(go) : 0;
	go = -1;
	err = err ?: run_loop(s, rt, verb ? verb : "recording", start_ns);
	s->stats.duration_s = (session_now_ns() - start_ns) / 1e9;
	session_finish(s);
	s->stats.cpu_loop_ns = session_cpu_ns() - cpu_ns;
	end_child(s, rt);
	if (!err && command_failed(s)) {
		ps_err("%s: the command could not be run, nothing was profiled", rt->cmd[0]);
		err = -ENOEXEC;
	}
out:
	if (go >= 0)
		close(go); /* the child reads EOF and exits 127 */
	if (s->child && err)
		kill(s->child, SIGTERM);
	return err;
}
