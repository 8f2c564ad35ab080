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
#include "lib/textesc.h"
#include "core/preflight.h"
#include "report/outfile.h"
#include "report/profile.h"
#include "cli/record.h"
#include "report/report.h"
#include "core/runner.h"
#include "core/session.h"
#include "report/summary.h"
#include "syscalls/syscalls_report.h"
#include "syscalls/syscalls_audit.h"
#include "native/xstack.h"
#include "wall/wall.h"
#include "wall/wall_report.h"
#include "async/async.h"
#include "async/async_wall.h"

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

/* The files a run writes, opened before it starts so that a bad destination costs no run. */
struct record_files {
	struct outfile out; /* -o, or the default name */
	struct outfile summary; /* --summary; f is NULL without it */
	bool summary_done; /* the summary was printed whole: keep the file */
	char name[64]; /* the default name */
};

/* Open -o (or the default name) and --summary. 0 or -errno (reported). */
static int open_outputs(const struct record_opts *o, struct record_files *rf)
{
	const char *out =
		o->output ? o->output :
			    default_output(report_find(o->format), rf->name, sizeof(rf->name));
	int err = outfile_open(&rf->out, out);

	if (err) {
		ps_err("%s: cannot write the output: %s", out, outfile_strerror(err));
		return err;
	}
	err = o->summary_path ? outfile_open(&rf->summary, o->summary_path) : 0;
	if (err) {
		ps_err("%s: cannot write the summary: %s", o->summary_path, outfile_strerror(err));
		outfile_close(&rf->out, false);
	}
	return err;
}

/*
 * The summary text, and with --syscalls the syscall report, to --summary or
 * stderr; control characters a target put in its names are escaped. 0 or
 * -errno (reported).
 */
static int print_summary(struct session *s, struct syscalls_audit *a, const struct profile *p,
			 const struct agg *wall, struct record_files *rf, const char *written)
{
	FILE *dst = rf->summary.f ? rf->summary.f : stderr;
	struct syscalls_result r = {};
	struct textesc_buf tb;
	int err;

	if (log_get_level() < LOG_NORMAL && dst == stderr)
		return 0;
	if (!textesc_begin(&tb)) {
		ps_err("summary: cannot build: %s", strerror(errno));
		return -ENOMEM;
	}
	summary_print(tb.f, &s->stats, p, &s->targets, written);
	err = a ? syscalls_audit__result(a, &r) : 0;
	if (err)
		ps_err("syscalls: cannot build the report: %s", strerror(-err));
	else if (a)
		syscalls_write_text(tb.f, &r, &s->stats);
	syscalls_result_free(&r);
	if (!err && wall)
		err = wall_write_text(tb.f, wall, s);
	err = textesc_end(&tb, dst, TEXTESC_LINES) ?: err;
	rf->summary_done = !err;
	return err;
}

/*
 * --wall: the profile is of time, in ns: CPU samples (period each) and the
 * exact off-CPU intervals, a reason as leaf. 0 or -errno (reported).
 */
static int wall_setup(struct session *s, struct wall *w, const struct agg *extra,
		      const struct record_opts *o, uint64_t period_ns, struct agg *wa,
		      struct profile_opts *po, struct report_meta *meta)
{
	struct wall_report_opts wo = { .period_ns = period_ns,
				       .no_idle = o->no_idle,
				       .extra = extra };
	int err = wall_build_agg(w, s, &wo, wa);

	if (err)
		ps_err("wall: cannot build the profile: %s", strerror(-err));
	po->weight2_per_unit = 0;
	po->split_gil = false;
	meta->title = "pystrobe record --wall";
	meta->unit = "ns";
	meta->type = "wall";
	meta->type2 = NULL;
	meta->unit2 = NULL;
	return err;
}

/* Build the profile, write it, print the summary. 0 or -errno (reported). */
static int write_outputs(struct session *s, struct syscalls_audit *a, struct wall *w,
			 const struct async_wall *aw, const struct record_opts *o,
			 struct record_files *rf)
{
	const struct report_ops *ops = report_find(o->format);
	uint64_t period_ns = 1000000000ull / (o->freq_hz ? o->freq_hz : 100);
	struct profile_opts po = { .threads = o->threads,
				   .split_gil = o->split_gil,
				   .merge = o->merge,
				   .labels = ops->labels,
				   .weight2_per_unit = period_ns };
	struct report_kv kv[SUMMARY_KV_MAX];
	/* pprof: samples/count and cpu/nanoseconds (samples x mean period) */
	struct report_meta meta = { .title = "pystrobe record",
				    .unit = "samples",
				    .type2 = "cpu",
				    .unit2 = "nanoseconds",
				    .period_ns = period_ns,
				    .kv = kv };
	struct profile p = {};
	struct agg wa;
	uint64_t report_start = session_cpu_ns();
	int err = 0;

	agg_init(&wa);
	if (w)
		err = wall_setup(s, w, aw ? async_wall__agg(aw) : NULL, o, period_ns, &wa, &po,
				 &meta);
	err = err ?: profile_build(&p, w ? &wa : &s->agg, &s->symtab, &s->targets, &po, &s->pool);

	if (err) {
		ps_err("profile: cannot build: %s", strerror(-err));
		outfile_close(&rf->out, false);
		goto out;
	}
	meta.nr_kv = summary_kv(&s->stats, &p, kv, SUMMARY_KV_MAX);
	report_set_times(&meta, s->stats.duration_s);
	err = report_write_file(ops, &rf->out, p.stacks, p.nr_stacks, &meta);
	if (err)
		ps_err("%s: cannot write the %s output: %s", rf->out.path, ops->name,
		       strerror(-err));
	s->stats.cpu_report_ns = session_cpu_ns() - report_start;
	s->stats.peak_rss_kb = peak_rss_kb();
	err = print_summary(s, a, &p, w ? &wa : NULL, rf, err ? NULL : rf->out.path) ?: err;
out:
	profile_free(&p);
	agg_free(&wa);
	return err;
}

/* Close --summary; a summary that could not be written fails the run. */
static int close_summary(struct record_files *rf, bool ok)
{
	int err = rf->summary.f ? outfile_close(&rf->summary, ok) : 0;

	if (ok && err)
		ps_err("%s: cannot write the summary: %s", rf->summary.path, strerror(-err));
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
	xstack_set_budget(*xs, o->native_budget_pct);
	return xstack_listen(*xs, s);
}

int record_run(const struct record_opts *o)
{
	struct session_cfg cfg = { .freq_hz = o->freq_hz,
				   .max_frames = o->max_frames,
				   .ringbuf_bytes = o->ringbuf_bytes,
				   .all = o->target.mode == RUN_ALL,
				   .name = o->target.name,
				   .syscall_targets = o->syscalls,
				   .kernel_stack = o->kernel,
				   .user_stack = o->native ? o->native_bytes : 0,
				   .async_roots = o->async,
				   .gil_only = o->gil_only,
				   .command = o->command_line };
	struct syscalls_audit_opts ao = { .stacks_per_s = 200 };
	struct syscalls_audit *a = NULL;
	struct record_files rf = {};
	struct xstack *xs = NULL;
	struct wall_opts wo = {};
	struct wall *w = NULL;
	struct async *as = NULL;
	struct async_wall *aw = NULL;
	struct session *s;
	int err, rc;

	if (preflight_check() || preflight_pids(o->target.pids, o->target.nr_pids))
		return 1;
	if (open_outputs(o, &rf))
		return 2;
	s = calloc(1, sizeof(*s));
	err = s ? session_open(s, &cfg) : -ENOMEM;
	err = err ?: listen_xstack(s, o, &xs);
	/* --syscalls: the syscall audit rides along, its report follows the summary */
	if (!err && o->syscalls && !(a = syscalls_audit__open(s, &ao)))
		err = -errno;
	/* --wall: the sched_switch program rides along; the profile becomes one of time */
	if (!err && o->wall && !(w = wall__open(s, &wo)))
		err = -errno;
	/* --async: samples of task steps go under their task */
	if (!err && o->async && !(as = async__open(s)))
		err = -errno;
	/* --async --wall: and the time of suspended tasks goes at their await line */
	if (!err && o->async && o->wall && !(aw = async_wall__open(s, as)))
		err = -errno;
	err = err ?: runner_run(s, &o->target, "recording");
	if (err)
		outfile_close(&rf.out, false);
	err = err ?: write_outputs(s, a, w, aw, o, &rf);
	err = close_summary(&rf, rf.summary_done) ?: err;
	rc = err ? 1 : runner_exit_code(s); /* CI: fail when the command failed */
	syscalls_audit__free(a);
	xstack_free(xs);
	wall__free(w);
	async_wall__free(aw);
	async__free(as);
	if (s)
		session_close(s);
	free(s);
	return rc;
}
