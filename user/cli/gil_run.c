// SPDX-License-Identifier: MIT
/*
 * `pystrobe gil`: a session with the GIL audit (user/gil/gil_audit.c), then
 * its rows as the report, the JSON, the timeline and the wait graph.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/gil_run.h"
#include "core/session.h"
#include "gil/gil_audit.h"
#include "gil/gil_report.h"
#include "gil/gil_timeline.h"
#include "cli/cmd.h"
#include "lib/log.h"
#include "lib/textesc.h"
#include "core/preflight.h"
#include "report/outfile.h"
#include "report/profile.h"
#include "report/report.h"
#include "report/summary.h"

struct gil_cmd {
	const struct gil_opts *o;
	struct session *s;
	struct gil_audit *audit;
	struct outfile json, timeline, waits; /* f is NULL for an output not asked for */
};

/* Where threads waited: the wait stacks as a flame graph (weights in ns). */
static int write_waits(struct gil_cmd *g, struct report_kv *kv, size_t nr_kv)
{
	const struct report_ops *ops = report_find(g->o->format);
	struct profile_opts po = { .threads = true, .labels = ops->labels };
	struct report_meta meta = { .title = "pystrobe gil: where threads wait for the GIL",
				    .unit = "ns",
				    .type = "wait",
				    .kv = kv,
				    .nr_kv = nr_kv };
	struct profile p;
	int err = profile_build(&p, gil_audit__waits(g->audit), &g->s->symtab, &g->s->targets, &po,
				&g->s->pool);

	report_set_times(&meta, g->s->stats.duration_s);
	if (err)
		outfile_close(&g->waits, false);
	err = err ?: report_write_file(ops, &g->waits, p.stacks, p.nr_stacks, &meta);
	if (err)
		ps_err("%s: cannot write the wait flame graph: %s", g->o->waits_path,
		       strerror(-err));
	profile_free(&p);
	return err;
}

/* Thread names for the timeline. */
static const char *timeline_name(void *ctx, uint32_t pid, uint32_t tid)
{
	static char buf[32];
	struct gil_cmd *g = ctx;
	const struct thread_name *tn = agg_thread(&g->s->agg, tid);

	if (tn && tn->pid == pid)
		return agg_name_of(tn);
	snprintf(buf, sizeof(buf), "%u", tid);
	return buf;
}

/* --json and --timeline files (opened before the run). */
static int write_files(struct gil_cmd *g, const struct gil_result *r)
{
	uint64_t end_ns = g->s->stats.start_ns + r->duration_ns;
	int err = 0, e = 0;

	if (g->json.f) {
		err = gil_write_json(g->json.f, r, &g->s->stats);
		err = outfile_close(&g->json, !err) ?: err;
	}
	if (err)
		ps_err("%s: cannot write the JSON report: %s", g->o->json_path, strerror(-err));
	if (g->timeline.f) {
		e = gil_timeline_write(g->timeline.f, gil_audit__timeline(g->audit),
				       g->s->stats.start_ns, end_ns, timeline_name, g);
		e = outfile_close(&g->timeline, !e) ?: e;
	}
	if (e) {
		ps_err("%s: cannot write the timeline: %s", g->o->timeline_path, strerror(-e));
		err = err ?: e;
	}
	return err;
}

/* Open --json, --timeline and -o before the run: a bad destination costs no run. */
static int open_files(struct gil_cmd *g)
{
	const char *paths[] = { g->o->json_path, g->o->timeline_path, g->o->waits_path };
	struct outfile *files[] = { &g->json, &g->timeline, &g->waits };
	int err = 0;

	for (size_t i = 0; i < 3 && !err; i++) {
		err = paths[i] ? outfile_open(files[i], paths[i]) : 0;
		if (err)
			ps_err("%s: cannot write there: %s", paths[i], outfile_strerror(err));
	}
	return err;
}

/* Drop whatever output is still open (a failed run). */
static void drop_files(struct gil_cmd *g)
{
	outfile_close(&g->json, false);
	outfile_close(&g->timeline, false);
	outfile_close(&g->waits, false);
}

/* The text report on stdout and the drops on stderr, target names escaped. */
static void print_text(struct gil_cmd *g, const struct gil_result *r)
{
	struct textesc_buf tb;

	if (textesc_begin(&tb)) {
		gil_write_text(tb.f, r, &g->s->stats);
		textesc_end(&tb, stdout, TEXTESC_LINES);
	}
	fflush(stdout);
	gil_audit__print_cost(g->audit);
	cmd_print_drops(&g->s->stats);
}

/* Report, files, and the drops (stderr). */
static int write_outputs(struct gil_cmd *g)
{
	struct report_kv kv[SUMMARY_KV_MAX];
	struct gil_result r = {};
	size_t nr_kv = summary_kv(&g->s->stats, NULL, kv, SUMMARY_KV_MAX);
	int err = gil_audit__result(
		g->audit, g->s->stats.start_ns + (uint64_t)(g->s->stats.duration_s * 1e9), &r);

	if (err) {
		ps_err("gil: cannot build the report: %s", strerror(-err));
		return err;
	}
	print_text(g, &r);
	err = write_files(g, &r);
	if (g->o->waits_path)
		err = write_waits(g, kv, nr_kv) ?: err;
	gil_result_free(&r);
	return err;
}

int gil_run(const struct gil_opts *o)
{
	struct gil_audit_opts ao = { .budget_events_s = o->budget_events_s,
				     .wait_stacks = o->waits_path != NULL,
				     .wait_stack_min_ns = o->wait_stack_min_ns,
				     .timeline = o->timeline_path != NULL,
				     .estimate_exact = true,
				     .attach_cmd_at_once = true };
	struct gil_cmd g = { .o = o };
	int err, rc;

	if (preflight_check() || preflight_pids(o->target.pids, o->target.nr_pids))
		return 1;
	if (open_files(&g)) {
		drop_files(&g);
		return 2;
	}
	g.s = calloc(1, sizeof(*g.s));
	if (!g.s) {
		drop_files(&g);
		return 1;
	}
	err = session_open(g.s, &(struct session_cfg){ .freq_hz = o->freq_hz,
						       .max_frames = PS_MAX_FRAMES,
						       .all = o->target.mode == RUN_ALL,
						       .name = o->target.name,
						       .command = o->command_line });
	if (!err && !(g.audit = gil_audit__open(g.s, &ao)))
		err = -errno;
	err = err ?: runner_run(g.s, &o->target, "tracing the GIL");
	err = err ?: write_outputs(&g);
	rc = err ? 1 : runner_exit_code(g.s); /* the command's own status when it ended */
	drop_files(&g);
	gil_audit__free(g.audit);
	session_close(g.s);
	free(g.s);
	return rc;
}
