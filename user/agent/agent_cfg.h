/* SPDX-License-Identifier: MIT */
/*
 * The agent's configuration: key = value lines, every key also a --flag of
 * the same name; defaults, one-key setting, whole-text parsing, loading.
 */
#ifndef PYSTROBE_AGENT_CFG_H
#define PYSTROBE_AGENT_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AGENT_STR_MAX 512

struct agent_cfg {
	unsigned period_s; /* one profile per process every period */
	unsigned freq_hz; /* samples per second per CPU */
	unsigned max_frames;
	char format[16]; /* writer: "pprof" (folded as a stand-in) */
	char host[128]; /* host label (default: hostname) */
	char app_name[128]; /* Pyroscope application: "{service}" template, or a prefix */
	char series_labels[128]; /* per-process series labels beyond the default (pid,cgroup,..) */
	char otlp_url
		[AGENT_STR_MAX]; /* OTLP/HTTP base URL ("" off): POST URL/v1development/profiles */
	char dir[AGENT_STR_MAX]; /* directory sink ("" off) */
	uint64_t dir_max_bytes;
	char url[AGENT_STR_MAX]; /* Pyroscope base URL ("" off) */
	char bearer_token_file[AGENT_STR_MAX];
	char basic_auth_file[AGENT_STR_MAX]; /* "user:password" */
	char ca_file[AGENT_STR_MAX]; /* CA bundle for https (default: the system's) */
	char spool_dir[AGENT_STR_MAX];
	uint64_t spool_max_bytes;
	unsigned timeout_s; /* per push */
	unsigned backoff_max_s; /* retry delay ceiling */
	unsigned metrics_port; /* 127.0.0.1:port/metrics, 0 off */
	bool insecure; /* never set by default: TLS verification on */
	bool syscalls; /* syscall audit: a calls/count profile per process beside the CPU one */
	bool async_tasks; /* async = true: asyncio samples under their task (record --async) */
	bool gil_exact; /* gil = exact: a gil_wait/nanoseconds profile per process (GIL probes) */
	bool wall; /* wall = true: a wall/nanoseconds profile per process (on and off CPU) */
};

/* The defaults (every field). */
void agent_cfg_defaults(struct agent_cfg *c);
/* Set one key; 0, -ENOENT unknown key, -EINVAL bad value (why says what). */
int agent_cfg_set(struct agent_cfg *c, const char *key, const char *val, char *why, size_t len);
/*
 * Parse a whole config text (key = value lines, '#' comments, blank lines).
 * 0 or -errno; why gets "line N: ..." for the first error.
 */
int agent_cfg_parse(struct agent_cfg *c, const char *text, char *why, size_t len);
/* Read and parse path. 0 or -errno (why filled). */
int agent_cfg_load(struct agent_cfg *c, const char *path, char *why, size_t len);

#endif /* PYSTROBE_AGENT_CFG_H */
