/* SPDX-License-Identifier: MIT */
/*
 * `pystrobe agent`: profile every Python process continuously and, every
 * period, hand one pprof per process to the sinks (a directory, an HTTP
 * push in Pyroscope's ingest API through a disk spool). The configuration
 * is key = value lines; every key is also a --flag of the same name.
 */
#ifndef PYSTROBE_AGENT_H
#define PYSTROBE_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/agent_cfg.h"

/* Run the agent until SIGTERM / SIGINT. Returns the exit code. */
int agent_run(const struct agent_cfg *cfg, const char *cfg_path, const char *const *overrides,
	      size_t nr_overrides);

#endif /* PYSTROBE_AGENT_H */
