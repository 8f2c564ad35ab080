// SPDX-License-Identifier: MIT
/* What every subcommand shares: -v / -q, and its command line for provenance. */
#include <argp.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cmd.h"
#include "lib/log.h"
#include "core/runner.h"

static const struct argp_option log_options[] = {
	{ "verbose", 'v', NULL, 0, "Show libbpf output and details", 0 },
	{ "quiet", 'q', NULL, 0, "Only errors on stderr", 0 },
	{},
};

/* argp callback for -v / -q: the log level. */
static error_t parse_log(int key, char *arg, struct argp_state *st)
{
	(void)arg;
	(void)st;
	if (key == 'v')
		log_set_level(LOG_VERBOSE);
	else if (key == 'q')
		log_set_level(LOG_QUIET);
	else
		return ARGP_ERR_UNKNOWN;
	return 0;
}

const struct argp cmd_log_argp = { log_options, parse_log, NULL, NULL, NULL, NULL, NULL };

const struct argp_child cmd_target_children[] = { { &runner_argp, 0, NULL, 0 },
						  { &cmd_log_argp, 0, NULL, 0 },
						  {} };

char *cmd_join(int argc, char **argv)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}
