// SPDX-License-Identifier: MIT
/* `pystrobe top`: options -> struct top_opts -> top_run(). */
#include <argp.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "cli/cmd.h"
#include "lib/log.h"
#include "lib/parse.h"
#include "top/top.h"

enum {
	OPT_INTERVAL = 0x100,
	OPT_NO_SYSCALLS,
	OPT_NO_GIL,
	OPT_WALL,
};

static const char doc[] =
	"Live view of the functions the targets spend CPU in, like top(1).\n"
	"\n"
	"USAGE: pystrobe top [-p PID[,PID..] | --all | -- CMD [ARGS..]] [-F HZ]\n"
	"                    [--interval SECONDS] [--no-syscalls] [--no-gil] [--wall]\n"
	"                    [-d SECONDS]\n"
	"\n"
	"Keys: s / t / g / y sort by self / total / GIL-held share / syscalls, W\n"
	"processes by GIL wait, w wall view (--wall) or CPU view, c cumulative or\n"
	"last interval, p or space pause, > and < one process or all, q quit\n"
	"(Ctrl-C too).\n"
	"--wall: the time of every target thread, on and off CPU, by reason ([CPU],\n"
	"[runnable], [GIL], [lock], [sleep], [io: ...], [disk]) and leaf Python line;\n"
	"THREADS is the number of threads in that state on average. Every context\n"
	"switch on the host then runs a filter (see README, Performance).\n"
	"GIL-WAIT%: of the time a process's threads held or waited for the GIL, the\n"
	"share spent waiting (exact GIL probes; ~ where the cost guard fell back to\n"
	"estimates, which have no waits).\n"
	"When stdout is not a terminal, a plain-text snapshot is printed every interval.\n"
	"\n"
	"EXAMPLES:\n"
	"  pystrobe top -p 1234                     # watch pid 1234\n"
	"  pystrobe top --all --interval 2          # every Python process, every 2 s\n"
	"  pystrobe top -- python3 app.py           # run a command and watch it\n"
	"  pystrobe top -p 1234 -d 10 > top.txt     # ten plain snapshots in a file\n"
	"  pystrobe top --wall -p 1234              # where its threads' time goes, and why\n";

static const struct argp_option options[] = {
	{ "interval", OPT_INTERVAL, "SECONDS", 0, "Refresh period, 0.1 to 3600 (default 1)", 0 },
	{ "no-syscalls", OPT_NO_SYSCALLS, NULL, 0, "Do not count syscalls (no SYSCALLS/S)", 0 },
	{ "no-gil", OPT_NO_GIL, NULL, 0, "Do not trace the GIL (no GIL-WAIT%)", 0 },
	{ "wall", OPT_WALL, NULL, 0, "Wall view: on- and off-CPU time by reason (key w)", 0 },
	{},
};

/* --interval: seconds with a fraction, kept as milliseconds. */
static int parse_interval(const char *arg, unsigned *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < 0.1 || v > 3600) {
		ps_err("invalid --interval '%s': expected 0.1..3600", arg);
		return -EINVAL;
	}
	*ms = (unsigned)(v * 1000 + 0.5);
	return 0;
}

/* argp callback: top's own options; the target options go to runner_argp. */
static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct top_opts *o = st->input;

	switch (key) {
	case OPT_INTERVAL:
		if (parse_interval(arg, &o->interval_ms))
			argp_usage(st);
		break;
	case OPT_NO_SYSCALLS:
		o->no_syscalls = true;
		break;
	case OPT_NO_GIL:
		o->no_gil = true;
		break;
	case OPT_WALL:
		o->wall = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* cmd_spec.setup: the defaults, and where the shared options go. */
static void setup(void *opts, struct cmd_input *in)
{
	struct top_opts *o = opts;

	o->freq_hz = 100;
	o->interval_ms = 1000;
	*in = (struct cmd_input){
		.target = &o->target,
		.line = &o->command_line,
		.freq_hz = &o->freq_hz,
	};
}

/* cmd_spec.run: top_run() */
static int run(void *opts)
{
	return top_run(opts);
}

/* main.c runs it through cmd_profile() */
const struct cmd_spec cmd_top_spec = {
	doc, options, parse_opt, sizeof(struct top_opts), setup, run,
};
