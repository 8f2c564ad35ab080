// SPDX-License-Identifier: MIT
/* `pystrobe diff BASE NEW`: options -> struct diff_opts -> diff_run(). */
#include <argp.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cmd.h"
#include "read/diff.h"
#include "lib/log.h"
#include "lib/parse.h"

enum {
	OPT_FAIL = 0x100,
	OPT_TOP,
	OPT_JUDGE,
};

static const char doc[] =
	"Compare two profiles: which functions' self time changed most.\n"
	"\n"
	"USAGE: pystrobe diff BASE NEW [-o DIFF.svg] [--fail-if-regressed PCT]\n"
	"                             [--judge time|share] [--top N]\n"
	"\n"
	"BASE and NEW are folded stacks or pprof files (gzipped or not), from pystrobe or\n"
	"any tool. Functions (qualname and file; lines ignored) are shown with their\n"
	"absolute self time (samples x period, or the profile's own unit) and their\n"
	"share of each profile's total. The gate and the colours judge absolute time\n"
	"when both profiles measure alike (the same unit and sampling period), else\n"
	"shares (runs of different lengths); --judge picks; the output says which.\n"
	"Absolute changes are in points of BASE's total. Exit 1 when a file cannot be\n"
	"read or, with --fail-if-regressed, when a function grew by more than PCT points.\n"
	"\n"
	"EXAMPLES:\n"
	"  pystrobe diff base.folded new.folded\n"
	"  pystrobe diff base.pb.gz new.pb.gz -o diff.svg   # red grew, blue shrank\n"
	"  pystrobe diff baseline.folded ci.folded --fail-if-regressed 5\n";

static const struct argp_option options[] = {
	{ "output", 'o', "FILE", 0, "Differential flame graph SVG (NEW's shape)", 0 },
	{ "fail-if-regressed", OPT_FAIL, "PCT", 0,
	  "Exit 1 if a function's self time grew more than PCT points", 0 },
	{ "judge", OPT_JUDGE, "time|share", 0,
	  "What the gate and colours judge (default: time when the profiles measure alike)", 0 },
	{ "top", OPT_TOP, "N", 0, "Rows of the table (default 20)", 0 },
	{},
};

/* A percentage in points: a finite number in [0, 100]. */
static int parse_pct(const char *arg, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < 0 || v > 100) {
		ps_err("invalid --fail-if-regressed '%s': expected 0..100 (points)", arg);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/* argp: -o, --fail-if-regressed, --top, -q and the two positional profiles. */
static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct diff_opts *o = st->input;
	uint64_t v;

	switch (key) {
	case 'o':
		o->svg = arg;
		break;
	case OPT_FAIL:
		if (parse_pct(arg, &o->fail_pct))
			argp_usage(st);
		break;
	case OPT_JUDGE:
		if (strcmp(arg, "time") && strcmp(arg, "share")) {
			ps_err("invalid --judge '%s': expected time or share", arg);
			argp_usage(st);
		}
		o->judge = arg[0] == 't' ? DIFF_JUDGE_TIME : DIFF_JUDGE_SHARE;
		break;
	case OPT_TOP:
		if (parse_u64(arg, 1, 100000, "--top", &v))
			argp_usage(st);
		o->top = v;
		break;
	case ARGP_KEY_ARG:
		if (st->arg_num >= 2) {
			ps_err("diff: too many arguments: '%s' (expected BASE NEW)", arg);
			argp_usage(st);
		}
		*(st->arg_num ? &o->new : &o->base) = arg;
		break;
	case ARGP_KEY_END:
		if (st->arg_num < 2) {
			ps_err("diff: expected two profiles, BASE and NEW");
			argp_usage(st);
		}
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* `pystrobe diff`: exit 0, 1 (unreadable input or a regression) or 2 (usage). */
int cmd_diff(int argc, char **argv)
{
	static const struct argp_child children[] = { { &cmd_log_argp, 0, NULL, 0 }, {} };
	static const struct argp argp = {
		options, parse_opt, "BASE NEW", doc, children, NULL, NULL
	};
	struct diff_opts o = { .fail_pct = -1, .top = 20 };
	int rc;

	argp_err_exit_status = 2;
	if (argp_parse(&argp, argc, argv, 0, NULL, &o))
		return 2;
	o.command = cmd_join(argc, argv);
	rc = diff_run(&o, stdout);
	free((char *)o.command);
	return rc;
}
