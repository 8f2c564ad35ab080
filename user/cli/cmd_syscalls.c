// SPDX-License-Identifier: MIT
/* `pystrobe syscalls`: options -> struct syscalls_opts -> syscalls_run(). */
#include <argp.h>
#include "cli/cmd.h"
#include "lib/parse.h"
#include "cli/syscalls_run.h"

enum {
	OPT_JSON = 0x100,
	OPT_LATENCY,
	OPT_EVERY,
};

static const char doc[] =
	"Count the system calls of Python processes in the kernel, name the Python line\n"
	"that makes them, and point at I/O that should be batched.\n"
	"\n"
	"USAGE: pystrobe syscalls [-p PID[,PID..] | --all | -- CMD [ARGS..]] [-d SECONDS]\n"
	"                         [--latency] [--json FILE] [-o STACKS.svg]\n"
	"\n"
	"Counts are exact (every call, per thread, in BPF); one call in N carries its\n"
	"Python stack, N tuned so each process sends ~200 stacks/s (--sample-every).\n"
	"\n"
	"EXAMPLES:\n"
	"  pystrobe syscalls -- python3 app.py      # audit a run\n"
	"  pystrobe syscalls -p 1234 -d 10 --latency --json sys.json\n"
	"  pystrobe syscalls -p 1234 -d 10 --latency -o sys.svg   # stacks by syscall time\n";

static const struct argp_option options[] = {
	{ "latency", OPT_LATENCY, NULL, 0, "Also time each call (sys_exit): time, errors, bytes",
	  0 },
	{ "json", OPT_JSON, "FILE", 0, "Also write the report as JSON (pystrobe-syscalls/1)", 0 },
	{ "sample-every", OPT_EVERY, "N", 0, "One syscall in N sends its stack (default: auto)",
	  0 },
	{},
};

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct syscalls_opts *o = st->input;
	uint64_t v;

	switch (key) {
	case OPT_LATENCY:
		o->latency = true;
		break;
	case OPT_JSON:
		o->json_path = arg;
		break;
	case OPT_EVERY:
		if (parse_u64(arg, 1, 10000000, "--sample-every", &v))
			argp_usage(st);
		o->sample_every = v;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* cmd_spec.setup: the defaults, and where the shared options go. */
static void setup(void *opts, struct cmd_input *in)
{
	struct syscalls_opts *o = opts;

	o->stacks_per_s = 200;
	o->format = "flamegraph";
	*in = (struct cmd_input){
		.target = &o->target,
		.line = &o->command_line,
		.path = &o->graph_path,
		.format = &o->format,
		.path_doc = "Flame graph of Python stacks by syscall time (or calls)",
	};
}

/* cmd_spec.run: syscalls_run() */
static int run(void *opts)
{
	return syscalls_run(opts);
}

/* main.c runs it through cmd_profile() */
const struct cmd_spec cmd_syscalls_spec = {
	doc, options, parse_opt, sizeof(struct syscalls_opts), setup, run,
};
