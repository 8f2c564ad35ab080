// SPDX-License-Identifier: MIT
/* `pystrobe syscalls`: the syscall audit of the targets, its report and outputs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"
#include "outfile.h"
#include "profile.h"
#include "report.h"
#include "session.h"
#include "summary.h"
#include "sys_report.h"
#include "sys_run.h"
#include "sysaudit.h"

struct sys_cmd {
	const struct sys_opts *o;
	struct session *s;
	struct sysaudit *a;
};

static void on_child(void *ctx, pid_t pid)
{
	sysaudit__on_child(((struct sys_cmd *)ctx)->a, pid);
}

static void on_add(void *ctx, struct target *t)
{
	sysaudit__on_add(((struct sys_cmd *)ctx)->a, t);
}

static void on_exit_pid(void *ctx, uint32_t pid)
{
	sysaudit__on_exit(((struct sys_cmd *)ctx)->a, pid);
}

static int on_record(void *ctx, __u32 type, const void *data, size_t size)
{
	return sysaudit__on_record(((struct sys_cmd *)ctx)->a, type, data, size);
}

static void on_tick(void *ctx, uint64_t now)
{
	sysaudit__on_tick(((struct sys_cmd *)ctx)->a, now);
}

/* -o: Python stacks weighted by syscall time (--latency) or by calls. */
static int write_graph(struct sys_cmd *c)
{
	struct profile_opts po = { .threads = false };
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
	err = profile_build(&p, c->o->latency ? sysaudit__times(c->a) : sysaudit__calls(c->a),
			    &c->s->symtab, &c->s->targets, &po, &c->s->pool);
	err = err ?: report_write_file(ops, c->o->graph_path, p.stacks, p.nr_stacks, &meta);
	if (err)
		ps_err("%s: cannot write the flame graph: %s", c->o->graph_path, strerror(-err));
	profile_free(&p);
	return err;
}

/* Report on stdout, --json, -o. */
static int write_outputs(struct sys_cmd *c)
{
	struct sys_result r = {};
	struct outfile of;
	int err = sysaudit__result(c->a, &r);

	if (err) {
		ps_err("syscalls: cannot build the report: %s", strerror(-err));
		goto out;
	}
	sys_write_text(stdout, &r, &c->s->stats);
	fflush(stdout);
	sysaudit__print_cost(c->a);
	if (log_get_level() >= LOG_NORMAL)
		summary_print_drops(stderr, &c->s->stats, NULL);
	if (c->o->json_path && !(err = outfile_open(&of, c->o->json_path)))
		err = outfile_close(&of, sys_write_json(of.f, &r, &c->s->stats) == 0);
	if (c->o->json_path && err)
		ps_err("%s: cannot write the JSON report: %s", c->o->json_path, strerror(-err));
	if (c->o->graph_path)
		err = write_graph(c) ?: err;
out:
	sys_result_free(&r);
	return err;
}

int sys_run(const struct sys_opts *o)
{
	struct sys_cmd *c = calloc(1, sizeof(*c));
	struct session *s = calloc(1, sizeof(*s));
	struct session_cfg cfg = { 0, PS_MAX_FRAMES, 0, o->target.mode == RUN_ALL, true, false, 0 };
	struct sysaudit_opts ao = { o->latency, o->sample_every, o->stacks_per_s };
	struct runner_hooks rh = { on_tick, c, "counting syscalls", SYSAUDIT_TUNE_MS, on_child };
	int err = -ENOMEM;

	if (!c || !s)
		goto out;
	c->o = o;
	c->s = s;
	err = session_open(s, &cfg);
	s->stats.command = o->command_line;
	s->hooks = (struct session_hooks){ on_add, NULL, on_exit_pid, on_record, c };
	if (!err && !(c->a = sysaudit__open(s, &ao)))
		err = -errno;
	err = err ?: runner_run(s, &o->target, &rh);
	err = err ?: write_outputs(c);
out:
	if (c)
		sysaudit__free(c->a);
	if (s)
		session_close(s);
	free(s);
	free(c);
	return err ? 1 : 0;
}
