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
};

static const char doc[] =
	"Live view of the functions the targets spend CPU in, like top(1).\n"
	"\n"
	"USAGE: pystrobe top [-p PID[,PID..] | --all | -- CMD [ARGS..]] [-F HZ]\n"
	"                    [--interval SECONDS] [--no-syscalls] [--no-gil] [-d SECONDS]\n"
	"\n"
	"Keys: s / t / g / y sort by self / total / GIL-held share / syscalls, w\n"
	"processes by GIL wait, c cumulative or last interval, p or space pause,\n"
	"> and < one process or all, q quit (Ctrl-C too).\n"
	"GIL-WAIT%: of the time a process's threads held or waited for the GIL, the\n"
	"share spent waiting (exact GIL probes; ~ where the cost guard fell back to\n"
	"estimates, which have no waits).\n"
	"When stdout is not a terminal, a plain-text snapshot is printed every interval.\n"
	"\n"
	"EXAMPLES:\n"
	"  pystrobe top -p 1234                     # watch pid 1234\n"
	"  pystrobe top --all --interval 2          # every Python process, every 2 s\n"
	"  pystrobe top -- python3 app.py           # run a command and watch it\n"
	"  pystrobe top -p 1234 -d 10 > top.txt     # ten plain snapshots in a file\n";

static const struct argp_option options[] = {
	{ "frequency", 'F', "HZ", 0, "Samples per second per CPU (default 100)", 0 },
	{ "interval", OPT_INTERVAL, "SECONDS", 0, "Refresh period, 0.1 to 3600 (default 1)", 0 },
	{ "no-syscalls", OPT_NO_SYSCALLS, NULL, 0, "Do not count syscalls (no SYSCALLS/S)", 0 },
	{ "no-gil", OPT_NO_GIL, NULL, 0, "Do not trace the GIL (no GIL-WAIT%)", 0 },
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
	uint64_t v;

	switch (key) {
	case ARGP_KEY_INIT:
		st->child_inputs[0] = &o->target;
		break;
	case 'F':
		if (parse_u64(arg, 1, 10000, "--frequency", &v))
			argp_usage(st);
		o->freq_hz = (unsigned)v;
		break;
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
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int cmd_top(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, NULL, doc, cmd_target_children,
					  NULL,	   NULL };
	struct top_opts *o = calloc(1, sizeof(*o));
	char *line = cmd_join(argc, argv);
	int ret = 2;

	if (!o || !line)
		goto out;
	o->freq_hz = 100;
	o->interval_ms = 1000;
	if (argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, o))
		goto out;
	if (runner_check(&o->target))
		goto out;
	o->command_line = line;
	ret = top_run(o);
out:
	free(line);
	free(o);
	return ret;
}
