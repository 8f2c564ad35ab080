// SPDX-License-Identifier: MIT
/* `pystrobe record`: sample until told to stop, then write the profile and the summary. */
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
#include "lib/log.h"
#include "report/profile.h"
#include "cli/record.h"
#include "report/report.h"
#include "core/runner.h"
#include "core/session.h"
#include "report/summary.h"
#include "syscalls/syscalls_report.h"
#include "syscalls/syscalls_audit.h"
#include "native/xstack.h"

/* Default output name: pystrobe-YYYYmmdd-HHMMSS.<the format's extension>. */
static const char *default_output(const struct report_ops *ops, char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;
	char stamp[32];

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, len, "pystrobe-%s.%s", stamp, ops->ext ? ops->ext : "out");
	return buf;
}

/* Peak resident memory of pystrobe so far. */
static uint64_t peak_rss_kb(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? 0 : (uint64_t)ru.ru_maxrss;
}

/* --syscalls: the syscall report after the summary (same destination). */
static int write_syscalls(struct session *s, struct syscalls_audit *a, const struct record_opts *o)
{
	struct syscalls_result r = {};
	FILE *f = o->summary_path ? fopen(o->summary_path, "a") : stderr;
	int err = syscalls_audit__result(a, &r);

	if (!f)
		f = stderr;
	if (err)
		ps_err("syscalls: cannot build the report: %s", strerror(-err));
	else if (log_get_level() >= LOG_NORMAL || f != stderr)
		syscalls_write_text(f, &r, &s->stats);
	if (f != stderr)
		fclose(f);
	syscalls_result_free(&r);
	return err;
}

/* Build the profile, write it, print the summary. 0 or -errno (reported). */
static int write_outputs(struct session *s, const struct record_opts *o)
{
	const struct report_ops *ops = report_find(o->format);
	uint64_t period_ns = 1000000000ull / (o->freq_hz ? o->freq_hz : 100);
	struct profile_opts po = { .threads = o->threads,
				   .split_gil = o->split_gil,
				   .labels = ops->labels,
				   .weight2_per_unit = period_ns };
	struct report_kv kv[SUMMARY_KV_MAX];
	char name[64];
	const char *out = o->output ? o->output : default_output(ops, name, sizeof(name));
	/* pprof: samples/count and cpu/nanoseconds (samples x mean period) */
	struct report_meta meta = { .title = "pystrobe record",
				    .unit = "samples",
				    .type2 = "cpu",
				    .unit2 = "nanoseconds",
				    .period_ns = period_ns,
				    .kv = kv };
	struct profile p;
	FILE *sf = stderr;
	uint64_t report_start = session_cpu_ns();
	int err = profile_build(&p, &s->agg, &s->symtab, &s->targets, &po, &s->pool);

	if (err) {
		ps_err("profile: cannot build: %s", strerror(-err));
		goto out;
	}
	meta.nr_kv = summary_kv(&s->stats, &p, kv, SUMMARY_KV_MAX);
	report_set_times(&meta, s->stats.duration_s);
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

/* --kernel / --native: the extras listener. 0 or -errno (reported). */
static int listen_xstack(struct session *s, const struct record_opts *o, struct xstack **xs)
{
	if (!o->kernel && !o->native)
		return 0;
	*xs = xstack_new(o->kernel, o->native, &s->pool);
	if (!*xs)
		return -errno;
	return xstack_listen(*xs, s);
}

int record_run(const struct record_opts *o)
{
	struct session *s = calloc(1, sizeof(*s));
	struct session_cfg cfg = { .freq_hz = o->freq_hz,
				   .max_frames = o->max_frames,
				   .ringbuf_bytes = o->ringbuf_bytes,
				   .all = o->target.mode == RUN_ALL,
				   .syscall_targets = o->syscalls,
				   .kernel_stack = o->kernel,
				   .user_stack = o->native ? o->native_bytes : 0,
				   .gil_only = o->gil_only,
				   .command = o->command_line };
	struct syscalls_audit_opts ao = { .stacks_per_s = 200 };
	struct syscalls_audit *a = NULL;
	struct xstack *xs = NULL;
	int err;

	if (!s)
		return 1;
	err = session_open(s, &cfg);
	err = err ?: listen_xstack(s, o, &xs);
	/* --syscalls: the syscall audit rides along, its report follows the summary */
	if (!err && o->syscalls && !(a = syscalls_audit__open(s, &ao)))
		err = -errno;
	err = err ?: runner_run(s, &o->target, "recording");
	err = err ?: write_outputs(s, o);
	if (!err && a)
		err = write_syscalls(s, a, o);
	syscalls_audit__free(a);
	xstack_free(xs);
	session_close(s);
	free(s);
	return err ? 1 : 0;
}
