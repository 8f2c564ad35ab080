// SPDX-License-Identifier: MIT
/* `pystrobe agent`: flags and the config file -> struct agent_cfg -> agent_run(). */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "agent/agent.h"
#include "cli/cmd.h"
#include "lib/log.h"

#define MAX_OVERRIDES 64

static const char doc[] =
	"Profile every Python process continuously; every period write one pprof per\n"
	"process to a directory and/or push it to Pyroscope (POST /ingest).\n"
	"\n"
	"Every option is also a config-file key (key = value, '#' comments); flags win.\n"
	"SIGHUP re-reads the file, SIGTERM writes the last period and exits.\n"
	"\n"
	"EXAMPLES:\n"
	"  pystrobe agent --dir /var/lib/pystrobe/profiles\n"
	"  pystrobe agent --url http://pyroscope:4040 --period 15\n"
	"  pystrobe agent --config /etc/pystrobe/agent.conf\n";

enum { OPT_FIRST_KEY = 0x100 };

/* Flags named as the config keys (OPT_FIRST_KEY + index). */
static const char *const keys[] = {
	"period",	   "frequency",	   "max-frames",   "format",  "host",
	"app-name",	   "dir",	   "dir-max-mb",   "url",     "bearer-token-file",
	"basic-auth-file", "spool-dir",	   "spool-max-mb", "timeout", "backoff-max",
	"metrics-port",	   "tls-insecure", "syscalls",	   "gil",     "ca-file",
	"series-labels",   "otlp-url",	   "wall",	   "async",
};
#define NR_KEYS (sizeof(keys) / sizeof(keys[0]))

static const char *const helps[NR_KEYS] = {
	"Seconds per profile (default 15)",
	"Samples per second per CPU (default 19)",
	"Frames kept per stack (default 512)",
	"pprof (default) or folded",
	"host label (default: the hostname)",
	"Pyroscope application: a template, {service} is the service (default {service});\n"
	"a value without {service} is a prefix: team -> team.SERVICE",
	"Write profiles here (rotated)",
	"Size cap of --dir in MiB, oldest deleted (default 256)",
	"Pyroscope base URL: push to URL/ingest",
	"File holding a bearer token",
	"File holding user:password (basic auth)",
	"Spool for unsent pushes (default /var/spool/pystrobe)",
	"Spool cap in MiB, oldest dropped (default 256)",
	"Seconds per push attempt (default 10)",
	"Longest retry delay in seconds (default 60)",
	"Serve 127.0.0.1:PORT/metrics (default 9465, 0 off)",
	"true: do not verify TLS certificates (default false)",
	"false: no syscall audit (default true: a calls profile per process)",
	"exact: a gil_wait profile per process from the GIL probes (default off)",
	"CA certificates (PEM) to verify the https server with (default: the system's)",
	"Extra per-process series labels: pid,cgroup,container_id,pod_uid (default none:\n"
	"they are pprof sample labels)",
	"OTLP/HTTP profiles endpoint base: push to URL/v1development/profiles",
	"true: a wall profile per process, on- and off-CPU time by reason (default false;\n"
	"every context switch on the host then runs a filter)",
	"true: asyncio samples under their running task, as record --async (default false)",
};

struct agent_args {
	const char *config;
	const char *ov[MAX_OVERRIDES * 2];
	size_t nr_ov;
};

/* A config-key flag is recorded as an override; the rest are -c, -v, -q. */
static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct agent_args *aa = st->input;

	if (key >= OPT_FIRST_KEY && key < OPT_FIRST_KEY + (int)NR_KEYS) {
		if (aa->nr_ov + 2 > MAX_OVERRIDES * 2)
			argp_error(st, "too many options");
		aa->ov[aa->nr_ov++] = keys[key - OPT_FIRST_KEY];
		aa->ov[aa->nr_ov++] = arg;
		return 0;
	}
	switch (key) {
	case 'c':
		aa->config = arg;
		break;
	case ARGP_KEY_ARG:
		argp_error(st, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int cmd_agent(int argc, char **argv)
{
	struct argp_option opts[NR_KEYS + 2] = {
		{ "config", 'c', "FILE", 0, "Read key = value settings from FILE", 0 },
	};
	static const struct argp_child children[] = { { &cmd_log_argp, 0, NULL, 0 }, {} };
	struct argp argp = { opts, parse_opt, NULL, doc, children, NULL, NULL };
	struct agent_args aa = {};
	struct agent_cfg cfg;
	char why[256];

	for (size_t i = 0; i < NR_KEYS; i++)
		opts[1 + i] =
			(struct argp_option){ keys[i], OPT_FIRST_KEY + (int)i, "VALUE", 0, helps[i],
					      0 };
	if (argp_parse(&argp, argc, argv, 0, NULL, &aa))
		return 2;
	/* check the flags alone first: a bad flag is a usage error (exit 2) */
	agent_cfg_defaults(&cfg);
	for (size_t i = 0; i < aa.nr_ov; i += 2) {
		if (agent_cfg_set(&cfg, aa.ov[i], aa.ov[i + 1], why, sizeof(why))) {
			fprintf(stderr, "pystrobe: --%s: %s\n", aa.ov[i], why);
			return 2;
		}
	}
	if (aa.config && agent_cfg_load(&cfg, aa.config, why, sizeof(why))) {
		ps_err("%s: bad configuration: %s", aa.config, why);
		return 2;
	}
	for (size_t i = 0; i < aa.nr_ov; i += 2)
		agent_cfg_set(&cfg, aa.ov[i], aa.ov[i + 1], why, sizeof(why));
	return agent_run(&cfg, aa.config, aa.ov, aa.nr_ov);
}
