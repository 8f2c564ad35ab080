// SPDX-License-Identifier: MIT
/* `pystrobe record`: set up targets, sample until told to stop, write the profile. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "log.h"
#include "procs_ctl.h"
#include "profile.h"
#include "record.h"
#include "report.h"
#include "session.h"
#include "summary.h"

/*
 * Longest ring-buffer wait: samples do not wake us (each wake-up costs tens
 * of microseconds on a VM), process events do, signals (Ctrl-C, SIGCHLD)
 * interrupt the wait, and the sampling re-phase (about twice a second)
 * shortens it.
 */
#define POLL_MS 1000

static void on_signal(int sig)
{
	(void)sig;
	session_stop = 1;
}

static void on_child(int sig)
{
	(void)sig; /* only to interrupt the poll: done() reaps the child */
}

/* SIGINT / SIGTERM stop the run; SIGCHLD ends a wait (no SA_RESTART: polls return at once). */
static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
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
		execvp(argv[0], argv);
		fprintf(stderr, "pystrobe: %s: cannot run: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	return fds[1];
}

/* -p: every pid must be a supported Python now. */
static int add_pids(struct session *s, const struct record_opts *o)
{
	char why[160];
	int err;

	for (size_t i = 0; i < o->nr_pids; i++) {
		err = session_add_pid(s, o->pids[i], why, sizeof(why));
		if (err == -ESRCH)
			ps_err("pid %d: no such process", (int)o->pids[i]);
		else if (err == -ENOENT)
			ps_err("pid %d: not a Python process: %s", (int)o->pids[i], why);
		else if (err)
			ps_err("pid %d: %s", (int)o->pids[i], why);
		if (err)
			return err;
	}
	return 0;
}

/* Should the loop end? */
static bool done(struct session *s, const struct record_opts *o, uint64_t start_ns)
{
	int status;

	if (session_stop)
		return true;
	if (o->duration_s && session_now_ns() - start_ns >= o->duration_s * 1000000000ULL)
		return true;
	if (s->child && waitpid(s->child, &status, WNOHANG) == s->child) {
		s->stats.child_status = status;
		s->child = 0;
		return true;
	}
	return o->mode == RECORD_PIDS && s->nr_live == 0 && s->nr_pending == 0;
}

/* "recording 3.2 s, 320 samples" on a terminal, rewritten in place. */
static void progress(const struct session *s, uint64_t start_ns, bool last)
{
	if (!log_stderr_is_tty() || log_get_level() < LOG_NORMAL)
		return;
	fprintf(stderr, "\rpystrobe: recording %.1f s, %llu samples, %u processes%s",
		(session_now_ns() - start_ns) / 1e9, (unsigned long long)s->agg.nr_samples,
		s->nr_live, last ? "\n" : "   ");
	fflush(stderr);
}

/* Wait no longer than the time left of -d. */
static int poll_timeout(const struct record_opts *o, uint64_t start_ns)
{
	uint64_t elapsed_ms = (session_now_ns() - start_ns) / 1000000,
		 end_ms = o->duration_s * 1000ULL;

	if (!o->duration_s || elapsed_ms + POLL_MS <= end_ms)
		return POLL_MS;
	return elapsed_ms >= end_ms ? 0 : (int)(end_ms - elapsed_ms);
}

/* Poll until the run ends. */
static int run_loop(struct session *s, const struct record_opts *o, uint64_t start_ns)
{
	uint64_t last_progress = 0;
	int n;

	while (!done(s, o, start_ns)) {
		n = session_poll(s, poll_timeout(o, start_ns));
		if (n < 0)
			return n;
		if (session_now_ns() - last_progress > 250000000ULL) {
			progress(s, start_ns, false);
			last_progress = session_now_ns();
		}
	}
	progress(s, start_ns, true);
	return 0;
}

/* Default output name: pystrobe-YYYYmmdd-HHMMSS.<ext>. */
static const char *default_output(const char *format, char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;
	char stamp[32];

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, len, "pystrobe-%s.%s", stamp, strcmp(format, "folded") ? "svg" : "folded");
	return buf;
}

/* Peak resident memory of pystrobe so far. */
static uint64_t peak_rss_kb(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? 0 : (uint64_t)ru.ru_maxrss;
}

/* Build the profile, write it, print the summary. 0 or -errno (reported). */
static int write_outputs(struct session *s, const struct record_opts *o)
{
	const struct report_ops *ops = report_find(o->format);
	struct profile_opts po = { .threads = o->threads };
	struct report_kv kv[SUMMARY_KV_MAX];
	char name[64];
	const char *out = o->output ? o->output : default_output(o->format, name, sizeof(name));
	struct report_meta meta = { "pystrobe record", "samples", kv, 0 };
	struct profile p;
	FILE *sf = stderr;
	uint64_t report_start = session_cpu_ns();
	int err = profile_build(&p, &s->agg, &s->symtab, &s->targets, &po, &s->pool);

	if (err) {
		ps_err("profile: cannot build: %s", strerror(-err));
		goto out;
	}
	meta.nr_kv = summary_kv(&s->stats, &p, kv, SUMMARY_KV_MAX);
	err = report_write_file(ops, out, p.stacks, p.nr_stacks, &meta);
	if (err)
		ps_err("%s: cannot write the %s output: %s", out, ops->name, strerror(-err));
	s->stats.cpu_report_ns = session_cpu_ns() - report_start;
	s->stats.peak_rss_kb = peak_rss_kb();
	if (o->summary_path && !(sf = fopen(o->summary_path, "w"))) {
		ps_err("%s: cannot write the summary: %s", o->summary_path, strerror(errno));
		sf = stderr;
	}
	if (log_get_level() >= LOG_NORMAL || sf != stderr)
		summary_print(sf, &s->stats, &p, &s->targets, err ? NULL : out);
	if (sf != stderr)
		fclose(sf);
out:
	profile_free(&p);
	return err;
}

/* Set up the targets of the chosen mode; *go is the command's release pipe. */
static int setup_targets(struct session *s, const struct record_opts *o, int *go)
{
	int err = 0;

	*go = -1;
	if (o->mode == RECORD_PIDS)
		return add_pids(s, o);
	if (o->mode == RECORD_ALL) {
		session_scan_all(s);
		return 0;
	}
	*go = spawn_child(o->cmd, &s->child);
	if (*go < 0) {
		ps_err("%s: cannot start: %s", o->cmd[0], strerror(-*go));
		return *go;
	}
	err = procs__track(s->procs, s->child);
	if (err)
		ps_err("%s: cannot follow the command: %s", o->cmd[0], strerror(-err));
	return err;
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

int record_run(const struct record_opts *o)
{
	struct session *s = calloc(1, sizeof(*s));
	uint64_t start_ns, cpu_ns;
	int err, go = -1;

	if (!s)
		return 1;
	install_signals();
	err = session_open(s, o->freq_hz, o->max_frames, o->ringbuf_bytes, o->mode == RECORD_ALL);
	err = err ?: setup_targets(s, o, &go);
	err = err ?: session_attach(s);
	if (err)
		goto out;
	s->stats.command = o->command_line;
	stamp_start(&s->stats);
	start_ns = session_now_ns();
	cpu_ns = session_cpu_ns();
	s->stats.cpu_setup_ns = cpu_ns;
	if (go >= 0 && (write(go, "g", 1) != 1 || close(go))) {
		err = -errno;
		goto out;
	}
	go = -1;
	err = run_loop(s, o, start_ns);
	s->stats.duration_s = (session_now_ns() - start_ns) / 1e9;
	session_finish(s);
	s->stats.cpu_loop_ns = session_cpu_ns() - cpu_ns;
	if (!err && command_failed(s)) {
		ps_err("%s: the command could not be run, nothing was profiled", o->cmd[0]);
		err = -ENOEXEC;
		goto out;
	}
	err = err ?: write_outputs(s, o);
out:
	if (go >= 0)
		close(go); /* the child reads EOF and exits 127 */
	if (s->child && err)
		kill(s->child, SIGTERM);
	session_close(s);
	free(s);
	return err ? 1 : 0;
}
