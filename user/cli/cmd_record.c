// SPDX-License-Identifier: MIT
/* `pystrobe record`: options -> struct record_opts -> record_run(). */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include "cli/cmd.h"
#include "lib/log.h"
#include "lib/parse.h"
#include "cli/record.h"
#include "native/xstack.h"
#include "ps_pystack.h"

enum {
	OPT_THREADS = 0x100,
	OPT_MAX_FRAMES,
	OPT_RINGBUF_KB,
	OPT_SUMMARY,
	OPT_GIL,
	OPT_SPLIT_GIL,
	OPT_SYSCALLS,
	OPT_KERNEL,
	OPT_NATIVE,
	OPT_STACK_COPY,
	OPT_MERGE,
	OPT_NATIVE_BUDGET,
	OPT_WALL,
	OPT_NO_IDLE,
	OPT_ASYNC,
};

static const char doc[] =
	"Sample the Python stacks of running processes and write a flame graph.\n"
	"\n"
	"USAGE: pystrobe record [-p PID[,PID..] | --all | --name REGEX | -- CMD ..]\n"
	"                       [-F HZ] [-d SECONDS] [--detach] [-o FILE]\n"
	"                       [--format flamegraph|folded|pprof|speedscope] [--merge]\n"
	"                       [--threads] [--gil] [--split-gil] [--kernel] [--native]\n"
	"                       [--wall [--no-idle]] [--async]\n"
	"\n"
	"EXAMPLES:\n"
	"  pystrobe record -p 1234 -d 10            # 10 s of pid 1234, flame graph SVG\n"
	"  pystrobe record -o app.svg -- python3 app.py   # run and profile a command\n"
	"  pystrobe record --all -d 30 --format folded -o host.folded\n"
	"  pystrobe record --name 'gunicorn: worker' --merge -d 10  # one tree\n"
	"  pystrobe record -d 5 -- pytest           # exits with pytest's status\n"
	"  pystrobe record -p 1234 --threads        # one flame graph root per thread\n"
	"  pystrobe record -p 1234 --split-gil      # GIL held / released split\n"
	"  pystrobe record -p 1234 --native --kernel   # C and kernel frames too\n"
	"  pystrobe record -p 1234 --wall --threads # where each thread's time goes, and why\n"
	"  pystrobe record -p 1234 --async          # asyncio: CPU under each running task\n"
	"  pystrobe record -p 1234 --async --wall   # tasks' waits at their await lines\n";

static const struct argp_option options[] = {
	{ "threads", OPT_THREADS, NULL, 0, "Give each thread its own root", 0 },
	{ "merge", OPT_MERGE, NULL, 0,
	  "One root per command line, not per pid (pre-fork servers, -j builds)", 0 },
	{ "gil", OPT_GIL, NULL, 0, "Keep only samples whose thread held the GIL", 0 },
	{ "split-gil", OPT_SPLIT_GIL, NULL, 0, "Split the flame graph by GIL state", 0 },
	{ "syscalls", OPT_SYSCALLS, NULL, 0, "Also count syscalls (report after the summary)", 0 },
	{ "kernel", OPT_KERNEL, NULL, 0, "Add kernel frames on top of the stacks", 0 },
	{ "native", OPT_NATIVE, NULL, 0, "Interleave native (C) frames with the Python frames", 0 },
	{ "wall", OPT_WALL, NULL, 0,
	  "Wall-clock profile: off-CPU time too, with its reason ([GIL], [lock], [io: ...])", 0 },
	{ "no-idle", OPT_NO_IDLE, NULL, 0,
	  "With --wall: leave out the waits of threads idle the whole run (<1% on CPU)", 0 },
	{ "async", OPT_ASYNC, NULL, 0,
	  "asyncio (3.11-3.15): stacks under their running task, '[task NAME]', awaiters below; "
	  "with --wall (3.11-3.15), each task's suspended time at its await line ('[await]')",
	  0 },
	{ "stack-copy-kb", OPT_STACK_COPY, "KB", 0,
	  "User stack copied per sample under --native (default 16, at most 16)", 0 },
	{ "native-budget", OPT_NATIVE_BUDGET, "PCT", 0,
	  "Share of a core --native may spend unwinding (default 1, 0: no limit)", 0 },
	{ "max-frames", OPT_MAX_FRAMES, "N", 0, "Frames kept per stack (default 4096)", 0 },
	{ "ringbuf-kb", OPT_RINGBUF_KB, "KB", 0,
	  "Ring buffer size, a power of two (default: from -F)", 0 },
	{ "summary", OPT_SUMMARY, "FILE", 0, "Write the summary here instead of stderr", 0 },
	{},
};

/* Parse a numeric option into *out (unsigned) or fail the parse. */
static error_t num_opt(struct argp_state *st, const char *arg, uint64_t min, uint64_t max,
		       const char *what, unsigned *out)
{
	uint64_t v;

	if (parse_u64(arg, min, max, what, &v)) {
		argp_usage(st);
		return EINVAL;
	}
	*out = (unsigned)v;
	return 0;
}

/* Parse a share of a core in percent (0 to 100, decimals allowed) or fail the parse. */
static error_t pct_opt(struct argp_state *st, const char *arg, double *out)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end || !(v >= 0 && v <= 100)) {
		ps_err("--native-budget: '%s' is not a percentage from 0 to 100", arg);
		argp_usage(st);
		return EINVAL;
	}
	*out = v;
	return 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct record_opts *o = st->input;
	unsigned kb;

	switch (key) {
	case OPT_THREADS:
		o->threads = true;
		break;
	case OPT_MERGE:
		o->merge = true;
		break;
	case OPT_GIL:
		o->gil_only = true;
		break;
	case OPT_SPLIT_GIL:
		o->split_gil = true;
		break;
	case OPT_SYSCALLS:
		o->syscalls = true;
		break;
	case OPT_KERNEL:
		o->kernel = true;
		break;
	case OPT_NATIVE:
		o->native = true;
		break;
	case OPT_WALL:
		o->wall = true;
		break;
	case OPT_NO_IDLE:
		o->no_idle = true;
		break;
	case OPT_ASYNC:
		o->async = true;
		break;
	case OPT_STACK_COPY:
		if (num_opt(st, arg, 1, PS_USTACK_MAX >> 10, "--stack-copy-kb", &kb))
			return EINVAL;
		o->native_bytes = kb << 10;
		break;
	case OPT_NATIVE_BUDGET:
		return pct_opt(st, arg, &o->native_budget_pct);
	case OPT_MAX_FRAMES:
		return num_opt(st, arg, 1, PS_MAX_FRAMES, "--max-frames", &o->max_frames);
	case OPT_RINGBUF_KB:
		if (num_opt(st, arg, 16, 1 << 20, "--ringbuf-kb", &kb))
			return EINVAL;
		o->ringbuf_bytes = (size_t)kb << 10;
		break;
	case OPT_SUMMARY:
		o->summary_path = arg;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* cmd_spec.setup: the defaults, and where the shared options go. */
static void setup(void *opts, struct cmd_input *in)
{
	struct record_opts *o = opts;

	o->freq_hz = 100;
	o->max_frames = PS_MAX_FRAMES;
	o->native_bytes = PS_USTACK_MAX;
	o->native_budget_pct = XSTACK_BUDGET_PCT_DEFAULT;
	o->format = "flamegraph";
	*in = (struct cmd_input){
		.target = &o->target,
		.line = &o->command_line,
		.freq_hz = &o->freq_hz,
		.path = &o->output,
		.format = &o->format,
		.format_doc = "flamegraph (default), folded, pprof or speedscope",
	};
}

/* cmd_spec.run: the ring buffer size must be a power of two; then record_run(). */
static int run(void *opts)
{
	struct record_opts *o = opts;

	if (o->async && (o->native || o->kernel)) {
		ps_err("invalid --async: not yet with --native or --kernel");
		return 2;
	}
	if (o->ringbuf_bytes & (o->ringbuf_bytes - 1)) {
		ps_err("invalid --ringbuf-kb: must be a power of two");
		return 2;
	}
	return record_run(o);
}

/* main.c runs it through cmd_profile() */
const struct cmd_spec cmd_record_spec = {
	doc, options, parse_opt, sizeof(struct record_opts), setup, run,
};
