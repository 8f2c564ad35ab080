/* SPDX-License-Identifier: MIT */
/* The subcommands: each parses its own options and returns the exit code. */
#ifndef PYSTROBE_CMD_H
#define PYSTROBE_CMD_H

#include <argp.h>

int cmd_record(int argc, char **argv);
int cmd_gil(int argc, char **argv);
int cmd_syscalls(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_agent(int argc, char **argv);

/* -v / -q for every subcommand: an argp child. */
extern const struct argp cmd_log_argp;
/* The argp children of a command that profiles targets: -p / --all / -- CMD, -v / -q. */
extern const struct argp_child cmd_target_children[];

/* argv joined by spaces (malloc'ed), for provenance lines. */
char *cmd_join(int argc, char **argv);

#endif /* PYSTROBE_CMD_H */
