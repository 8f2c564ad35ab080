/* SPDX-License-Identifier: MIT */
/* The subcommands: each parses its own options and returns the exit code. */
#ifndef PYSTROBE_CMD_H
#define PYSTROBE_CMD_H

#include <argp.h>
#include "core/runner.h"

int cmd_version(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_agent(int argc, char **argv);

/* -v / -q for every subcommand: an argp child. */
extern const struct argp cmd_log_argp;

/*
 * Where the shared options of a command that profiles targets go: the
 * targets, the command line, and -F / -o / -f (offered only when their
 * pointer is set) with the line its --help gives each (NULL: the common one).
 */
struct cmd_input {
	struct run_target *target; /* -p / --all / -d / -- CMD */
	const char **line; /* the command line, for provenance */
	unsigned *freq_hz; /* -F HZ, 1..10000 */
	const char **path; /* -o FILE */
	const char **format; /* -f FORMAT, a report_find() name */
	const char *freq_doc;
	const char *path_doc;
	const char *format_doc;
};

/* A command that profiles targets (record, gil, syscalls, top), as cmd_profile() runs it. */
struct cmd_spec {
	const char *doc; /* --help: summary, USAGE, EXAMPLES */
	const struct argp_option *options; /* its own options */
	argp_parser_t parse; /* their parser; input: the command's options */
	size_t opts_size; /* the command's options are calloc'ed, */
	void (*setup)(void *opts, struct cmd_input *in); /* given defaults, in filled, */
	int (*run)(void *opts); /* and after a good parse, run: the exit code */
};

/*
 * Parse argv for spec: its own options, the targets, -v / -q and what setup
 * asked for of -F / -o / -f; check the targets; run. The exit code.
 */
int cmd_profile(const struct cmd_spec *spec, int argc, char **argv);

/* The commands that profile targets. */
extern const struct cmd_spec cmd_record_spec, cmd_gil_spec, cmd_syscalls_spec, cmd_top_spec;

/* argv joined by spaces (malloc'ed), for provenance lines. */
char *cmd_join(int argc, char **argv);

struct run_stats;
/* A run's drops and failures on stderr (not with -q), target names escaped. */
void cmd_print_drops(const struct run_stats *rs);

#endif /* PYSTROBE_CMD_H */
