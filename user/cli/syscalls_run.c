// SPDX-License-Identifier: MIT
/* `pystrobe syscalls`: the syscall audit of the targets, its report and outputs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cmd.h"
#include "lib/log.h"
#include "lib/textesc.h"
#include "core/preflight.h"
#include "report/outfile.h"
#include "report/profile.h"
#include "report/report.h"
#include "core/session.h"
#include "report/summary.h"
#include "syscalls/syscalls_report.h"
#include "cli/syscalls_run.h"
#include "syscalls/syscalls_audit.h"
#include "syscalls/syscalls_calibrate.h"

struct syscalls_cmd {
	const struct syscalls_opts *o;
	struct session *s;
	struct syscalls_audit *a;
	struct outfile json, graph; /* f is NULL for an output not asked for */
};

/* Same frames and labels (names are pooled: equal strings are equal pointers). */
static bool same_stack(const void *item, const void *key)
{
	const struct report_stack *a = item, *b = key;

	if (a->nr_frames != b->nr_frames || a->nr_labels != b->nr_labels)
		return false;
	for (size_t i = 0; i < a->nr_frames; i++)
		if (a->frames[i].name != b->frames[i].name)
			return false;
	for (size_t i = 0; i < a->nr_labels; i++)
		if (a->labels[i].key != b->labels[i].key || a->labels[i].str != b->labels[i].str ||
		    a->labels[i].num != b->labels[i].num)
			return false;
	return true;
}

/* Hash of a stack's frame names and labels, for same_stack. */
static uint64_t stack_hash(const struct report_stack *st)
{
	uint64_t h = st->nr_frames;

	for (size_t i = 0; i < st->nr_frames; i++)
		h = hash_u64(h ^ (uintptr_t)st->frames[i].name);
	for (size_t i = 0; i < st->nr_labels; i++)
		h = hash_u64(h ^ (uintptr_t)st->labels[i].str ^ (uint64_t)st->labels[i].num);
	return h;
}

/*
 * pprof with --latency: one sample per stack with both values, calls (weight)
 * and time in ns (weight2). Stacks only seen timed keep 0 calls.
 */
static int pair_calls_time(struct profile *calls, const struct profile *times)
{
	struct hashmap idx = {};
	struct report_stack *st, *grown;
	size_t n = calls->nr_stacks;
	int err = 0;

	grown = realloc(calls->stacks, (n + times->nr_stacks + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	calls->stacks = grown;
	for (size_t i = 0; i < n && !err; i++)
		err = hashmap_insert(&idx, stack_hash(&grown[i]), &grown[i]);
	for (size_t i = 0; i < times->nr_stacks && !err; i++) {
		st = hashmap_find(&idx, stack_hash(&times->stacks[i]), &times->stacks[i],
				  same_stack);
		if (!st) {
			st = &grown[calls->nr_stacks++];
			*st = times->stacks[i];
			st->weight = 0;
		}
		st->weight2 += times->stacks[i].weight;
	}
	hashmap_free(&idx);
	return err;
}

/* The stacks of -o: by time (--latency) or by calls; pprof gets both values. */
static int build_graph(struct syscalls_cmd *c, const struct report_ops *ops, struct profile *p,
		       struct report_meta *meta)
{
	struct profile_opts po = { .threads = false, .labels = ops->labels };
	bool both = c->o->latency && strcmp(ops->name, "pprof") == 0;
	struct profile times;
	int err;

	if (!both)
		return profile_build(p,
				     c->o->latency ? syscalls_audit__times(c->a) :
						     syscalls_audit__calls(c->a),
				     &c->s->symtab, &c->s->targets, &po, &c->s->pool);
	meta->unit = "calls";
	meta->type = "calls";
	meta->type2 = "time";
	meta->unit2 = "nanoseconds";
	err = profile_build(p, syscalls_audit__calls(c->a), &c->s->symtab, &c->s->targets, &po,
			    &c->s->pool);
	if (err)
		return err;
	err = profile_build(&times, syscalls_audit__times(c->a), &c->s->symtab, &c->s->targets, &po,
			    &c->s->pool);
	err = err ?: pair_calls_time(p, &times);
	profile_free(&times);
	return err;
}

/* -o: Python stacks weighted by syscall time (--latency) or by calls. */
static int write_graph(struct syscalls_cmd *c)
{
	struct report_kv kv[SUMMARY_KV_MAX];
	struct report_meta meta = {
		.title = c->o->latency ? "pystrobe syscalls: Python stacks by syscall time" :
					 "pystrobe syscalls: Python stacks by syscalls",
		.unit = c->o->latency ? "ns" : "calls",
		.type = c->o->latency ? "time" : "calls",
		.kv = kv
	};
	const struct report_ops *ops = report_find(c->o->format);
	struct profile p;
	int err;

	meta.nr_kv = summary_kv(&c->s->stats, NULL, kv, SUMMARY_KV_MAX);
	report_set_times(&meta, c->s->stats.duration_s);
	err = build_graph(c, ops, &p, &meta);
	if (err)
		outfile_close(&c->graph, false);
	err = err ?: report_write_file(ops, &c->graph, p.stacks, p.nr_stacks, &meta);
	if (err)
		ps_err("%s: cannot write the flame graph: %s", c->o->graph_path, strerror(-err));
	profile_free(&p);
	return err;
}

/* The text report on stdout and the drops on stderr, target names escaped. */
static void print_text(struct syscalls_cmd *c, const struct syscalls_result *r)
{
	struct textesc_buf tb;

	if (textesc_begin(&tb)) {
		syscalls_write_text(tb.f, r, &c->s->stats);
		textesc_end(&tb, stdout, TEXTESC_LINES);
	}
	fflush(stdout);
	syscalls_audit__print_cost(c->a);
	cmd_print_drops(&c->s->stats);
}

/* The graphs add up to the exact counters per (process, syscall): syscalls_calibrate.c. */
static int calibrate(struct syscalls_cmd *c, const struct syscalls_result *r)
{
	int err = syscalls_calibrate(syscalls_audit__calls(c->a), r, false);

	if (!err && c->o->latency)
		err = syscalls_calibrate(syscalls_audit__times(c->a), r, true);
	if (err)
		ps_err("%s: cannot scale the stacks to the exact counts: %s", c->o->graph_path,
		       strerror(-err));
	return err;
}

/* Report on stdout, --json, -o (both opened before the run). */
static int write_outputs(struct syscalls_cmd *c)
{
	struct syscalls_result r = {};
	uint64_t t0 = session_now_ns();
	int err = syscalls_audit__result(c->a, &r);

	ps_debug("syscalls: report of %zu processes built in %.1f ms", r.nr_procs,
		 (session_now_ns() - t0) / 1e6);
	if (err) {
		ps_err("syscalls: cannot build the report: %s", strerror(-err));
		goto out;
	}
	print_text(c, &r);
	if (c->json.f) {
		err = syscalls_write_json(c->json.f, &r, &c->s->stats);
		err = outfile_close(&c->json, !err) ?: err;
	}
	if (err)
		ps_err("%s: cannot write the JSON report: %s", c->o->json_path, strerror(-err));
	if (c->graph.f) {
		err = calibrate(c, &r) ?: err; /* failed: the sampled weights are still written */
		err = write_graph(c) ?: err;
	}
out:
	syscalls_result_free(&r);
	return err;
}

/* Open --json and -o before the run: a bad destination costs no run. */
static int open_files(struct syscalls_cmd *c)
{
	int err = c->o->json_path ? outfile_open(&c->json, c->o->json_path) : 0;

	if (err)
		ps_err("%s: cannot write there: %s", c->o->json_path, outfile_strerror(err));
	else if (c->o->graph_path && (err = outfile_open(&c->graph, c->o->graph_path)))
		ps_err("%s: cannot write there: %s", c->o->graph_path, outfile_strerror(err));
	return err;
}

int syscalls_run(const struct syscalls_opts *o)
{
	struct syscalls_cmd *c = calloc(1, sizeof(*c));
	struct session *s = calloc(1, sizeof(*s));
	struct session_cfg cfg = { .max_frames = PS_MAX_FRAMES,
				   .all = o->target.mode == RUN_ALL,
				   .name = o->target.name,
				   .syscall_targets = true,
				   .command = o->command_line };
	struct syscalls_audit_opts ao = { .latency = o->latency,
					  .sample_every = o->sample_every,
					  .stacks_per_s = o->stacks_per_s };
	int err = -ENOMEM, rc = 0;

	if (!c || !s)
		goto out;
	c->o = o;
	c->s = s;
	if (preflight_check() || preflight_pids(o->target.pids, o->target.nr_pids)) {
		err = -EPERM;
		goto out;
	}
	if (open_files(c)) {
		rc = 2;
		goto out;
	}
	err = session_open(s, &cfg);
	if (!err && !(c->a = syscalls_audit__open(s, &ao)))
		err = -errno;
	err = err ?: runner_run(s, &o->target, "counting syscalls");
	err = err ?: write_outputs(c);
	rc = err ? rc : runner_exit_code(s); /* the command's own status when it ended */
out:
	if (c) {
		outfile_close(&c->json, false);
		outfile_close(&c->graph, false);
		syscalls_audit__free(c->a);
	}
	if (s)
		session_close(s);
	free(s);
	free(c);
	return rc ?: (err ? 1 : 0);
}
