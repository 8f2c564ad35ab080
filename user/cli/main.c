// SPDX-License-Identifier: MIT
/* pystrobe: the command table. */
#include <argp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "cli/cmd.h"
#include "lib/log.h"
#include "lib/textesc.h"

const char *argp_program_version = "pystrobe " PS_VERSION;
const char *argp_program_bug_address = "<https://github.com/pystrobe/pystrobe/issues>";

/* A command runs fn, or (fn NULL) cmd_profile with its spec. */
static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const struct cmd_spec *spec;
	const char *summary;
} commands[] = {
	{ "record", NULL, &cmd_record_spec, "sample Python stacks, write a flame graph" },
	{ "gil", NULL, &cmd_gil_spec, "GIL hold / wait time per thread, and where threads wait" },
	{ "syscalls", NULL, &cmd_syscalls_spec,
	  "syscall audit by Python line, with I/O batching advice" },
	{ "diff", cmd_diff, NULL,
	  "compare two profiles; differential flame graph; CI regression gate" },
	{ "top", NULL, &cmd_top_spec, "live view of the hottest functions, like top(1)" },
	{ "agent", cmd_agent, NULL, "profile every Python continuously, push pprof to a backend" },
	{ "version", cmd_version, NULL, "print the version and supported CPythons" },
};

/*
 * libbpf messages only with -v (they are noisy and mostly for developers);
 * they can name a target's files (uprobe paths), so controls are escaped.
 */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char *msg = NULL;
	int n;

	(void)level;
	if (log_get_level() < LOG_VERBOSE)
		return 0;
	n = vasprintf(&msg, fmt, ap);
	if (n > 0)
		textesc_write(stderr, msg, (size_t)n, TEXTESC_LINES);
	free(msg);
	return n;
}

static void usage(FILE *f)
{
	fprintf(f, "pystrobe: an eBPF profiler for CPython\n\n"
		   "USAGE: pystrobe <command> [options]   (pystrobe <command> --help)\n\n"
		   "COMMANDS:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
	static char name[64];

	argp_err_exit_status = 2;
	libbpf_set_print(libbpf_print);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(1, argv);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		/* argp names the program after argv[0]: "pystrobe record" */
		snprintf(name, sizeof(name), "pystrobe %s", commands[i].name);
		argv[1] = name;
		if (!commands[i].fn)
			return cmd_profile(commands[i].spec, argc - 1, argv + 1);
		return commands[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "pystrobe: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
