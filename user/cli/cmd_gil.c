// SPDX-License-Identifier: MIT
/* `pystrobe gil`: options -> struct gil_opts -> gil_run(). */
#include <argp.h>
#include "cli/cmd.h"
#include "cli/gil_run.h"
#include "lib/parse.h"

enum {
	OPT_JSON = 0x100,
	OPT_TIMELINE,
	OPT_BUDGET,
	OPT_WAIT_MIN,
};

static const char doc[] =
	"Measure, per thread, how long Python threads hold and wait for the GIL.\n"
	"\n"
	"USAGE: pystrobe gil [-p PID[,PID..] | --all | -- CMD [ARGS..]] [-d SECONDS]\n"
	"                    [--json FILE] [--timeline FILE] [-o WAITS.svg]\n"
	"\n"
	"Exact: uprobes on CPython's take_gil / drop_gil (all copies, inlined ones from\n"
	"DWARF). Past --gil-budget probe hits per second a process falls back to\n"
	"estimates from CPU samples, and the report says so.\n"
	"\n"
	"EXAMPLES:\n"
	"  pystrobe gil -- python3 app.py           # report when it exits\n"
	"  pystrobe gil -p 1234 -d 10 --json gil.json\n"
	"  pystrobe gil -p 1234 -d 5 --timeline gil-trace.json   # open in Perfetto\n"
	"  pystrobe gil -p 1234 -d 5 -o waits.svg   # where threads wait, by wait time\n";

static const struct argp_option options[] = {
	{ "json", OPT_JSON, "FILE", 0, "Also write the report as JSON (pystrobe-gil/1)", 0 },
	{ "timeline", OPT_TIMELINE, "FILE", 0, "Write holding/waiting intervals (Chrome trace)",
	  0 },
	{ "gil-budget", OPT_BUDGET, "EVENTS", 0,
	  "Probe hits/s per process before estimating (default 100000)", 0 },
	{ "wait-stack-min", OPT_WAIT_MIN, "US", 0,
	  "Shortest wait whose stack -o records (default 50)", 0 },
	{},
};

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct gil_opts *o = st->input;
	uint64_t v;

	switch (key) {
	case OPT_JSON:
		o->json_path = arg;
		break;
	case OPT_TIMELINE:
		o->timeline_path = arg;
		break;
	case OPT_BUDGET:
		if (parse_u64(arg, 1, 100000000, "--gil-budget", &o->budget_events_s))
			argp_usage(st);
		break;
	case OPT_WAIT_MIN:
		if (parse_u64(arg, 0, 60000000, "--wait-stack-min", &v))
			argp_usage(st);
		o->wait_stack_min_ns = v * 1000;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* cmd_spec.setup: the defaults, and where the shared options go. */
static void setup(void *opts, struct cmd_input *in)
{
	struct gil_opts *o = opts;

	o->freq_hz = 100;
	o->budget_events_s = 100000;
	o->wait_stack_min_ns = 50000;
	o->format = "flamegraph";
	*in = (struct cmd_input){
		.target = &o->target,
		.line = &o->command_line,
		.freq_hz = &o->freq_hz,
		.path = &o->waits_path,
		.format = &o->format,
		.freq_doc = "CPU samples per second per CPU (default 100)",
		.path_doc = "Write a flame graph of where threads wait",
	};
}

/* cmd_spec.run: gil_run() */
static int run(void *opts)
{
	return gil_run(opts);
}

/* main.c runs it through cmd_profile() */
const struct cmd_spec cmd_gil_spec = {
	doc, options, parse_opt, sizeof(struct gil_opts), setup, run,
};
