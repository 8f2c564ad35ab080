/* SPDX-License-Identifier: MIT */
/* The subcommands: each parses its own options and returns the exit code. */
#ifndef PYSTROBE_CMD_H
#define PYSTROBE_CMD_H

#include <argp.h>
#include "core/runner.h"

int cmd_record(int argc, char **argv);
int cmd_gil(int argc, char **argv);
int cmd_syscalls(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_agent(int argc, char **argv);

/* -v / -q for every subcommand: an argp child. */
extern const struct argp cmd_log_argp;

/*
 * Where -F, -o and -f of a command that profiles targets go, and the line
 * its --help gives each (NULL: the common one).
 */
struct cmd_output {
	unsigned *freq_hz; /* -F HZ, 1..10000 */
	const char **path; /* -o FILE */
	const char **format; /* -f FORMAT, a report_find() name */
	const char *freq_doc;
	const char *path_doc;
	const char *format_doc;
};

/* The argp input of a command that profiles targets (its parser sees it first). */
struct cmd_input {
	void *opts; /* the command's own options */
	struct run_target *target; /* filled by runner_argp */
	struct cmd_output out; /* filled by the output children */
};

/*
 * The argp children of a command that profiles targets: -p / --all / -- CMD,
 * -v / -q, then -o / -f and -F (cmd_profile_children: record, gil), only
 * -o / -f (cmd_output_children: syscalls) or only -F (cmd_freq_children: top).
 * The command's parser calls cmd_input_init() on ARGP_KEY_INIT.
 */
extern const struct argp_child cmd_profile_children[];
extern const struct argp_child cmd_output_children[];
extern const struct argp_child cmd_freq_children[];

/* ARGP_KEY_INIT with a struct cmd_input: hand each child its part. */
void cmd_input_init(struct argp_state *st);

/*
 * Parse argv into in->opts (which holds its defaults) and check the targets.
 * Returns the command line for provenance (malloc'ed), or NULL: exit 2.
 */
char *cmd_parse(const struct argp *argp, int argc, char **argv, struct cmd_input *in);

/* argv joined by spaces (malloc'ed), for provenance lines. */
char *cmd_join(int argc, char **argv);

#endif /* PYSTROBE_CMD_H */
