// SPDX-License-Identifier: MIT
/* The agent's configuration: defaults, key = value text, one key at a time. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "agent/agent_cfg.h"
#include "agent/agent_labels.h"

#define MB (1024ULL * 1024)

void agent_cfg_defaults(struct agent_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->period_s = 15;
	c->freq_hz = 19; /* prime, below 20: the idle and busy bars (bench_agent.py) */
	c->max_frames = 512;
	snprintf(c->format, sizeof(c->format), "%s", "pprof");
	if (gethostname(c->host, sizeof(c->host) - 1))
		snprintf(c->host, sizeof(c->host), "%s", "unknown");
	snprintf(c->app_name, sizeof(c->app_name), "%s", "{service}");
	c->dir_max_bytes = 256 * MB;
	snprintf(c->spool_dir, sizeof(c->spool_dir), "%s", "/var/spool/pystrobe");
	c->spool_max_bytes = 256 * MB;
	c->timeout_s = 10;
	c->backoff_max_s = 60;
	c->metrics_port = 9465;
	c->syscalls = true;
}

/* An unsigned in [min, max]. */
static int set_uint(const char *val, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (!isdigit((unsigned char)*val))
		return -EINVAL;
	v = strtoull(val, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* "true"/"false"/"yes"/"no"/"1"/"0". */
static int set_bool(const char *val, bool *out)
{
	if (!strcmp(val, "true") || !strcmp(val, "yes") || !strcmp(val, "1"))
		*out = true;
	else if (!strcmp(val, "false") || !strcmp(val, "no") || !strcmp(val, "0"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

/* gil: "exact" (the GIL audit) or "off". */
static int set_gil(const char *val, bool *exact)
{
	if (strcmp(val, "exact") && strcmp(val, "off"))
		return -EINVAL;
	*exact = !strcmp(val, "exact");
	return 0;
}

/* A string that fits (and is printable). */
static int set_str(const char *val, char *out, size_t cap)
{
	if (strlen(val) >= cap)
		return -EINVAL;
	for (const char *p = val; *p; p++)
		if ((unsigned char)*p < 0x20)
			return -EINVAL;
	memcpy(out, val, strlen(val) + 1);
	return 0;
}

struct num_key {
	const char *key;
	size_t off; /* of an unsigned or (mb) a uint64_t byte count */
	uint64_t min, max;
	bool mb;
};

static const struct num_key num_keys[] = {
	{ "period", offsetof(struct agent_cfg, period_s), 1, 3600, false },
	{ "frequency", offsetof(struct agent_cfg, freq_hz), 1, 1000, false },
	{ "max-frames", offsetof(struct agent_cfg, max_frames), 1, 4096, false },
	{ "timeout", offsetof(struct agent_cfg, timeout_s), 1, 600, false },
	{ "backoff-max", offsetof(struct agent_cfg, backoff_max_s), 1, 3600, false },
	{ "metrics-port", offsetof(struct agent_cfg, metrics_port), 0, 65535, false },
	{ "dir-max-mb", offsetof(struct agent_cfg, dir_max_bytes), 1, 1 << 20, true },
	{ "spool-max-mb", offsetof(struct agent_cfg, spool_max_bytes), 1, 1 << 20, true },
};

struct str_key {
	const char *key;
	size_t off, cap;
};

#define SK(k, f)                                                                     \
	{                                                                            \
		k, offsetof(struct agent_cfg, f), sizeof(((struct agent_cfg *)0)->f) \
	}
static const struct str_key str_keys[] = {
	SK("format", format),
	SK("host", host),
	SK("app-name", app_name),
	SK("dir", dir),
	SK("url", url),
	SK("series-labels", series_labels),
	SK("otlp-url", otlp_url),
	SK("bearer-token-file", bearer_token_file),
	SK("basic-auth-file", basic_auth_file),
	SK("ca-file", ca_file),
	SK("spool-dir", spool_dir),
};

/* A numeric key; -ENOENT if key is not one. */
static int set_num_key(struct agent_cfg *c, const char *key, const char *val)
{
	uint64_t v;

	for (size_t i = 0; i < sizeof(num_keys) / sizeof(num_keys[0]); i++) {
		const struct num_key *k = &num_keys[i];

		if (strcmp(k->key, key))
			continue;
		if (set_uint(val, k->min, k->max, &v))
			return -EINVAL;
		if (k->mb)
			*(uint64_t *)((char *)c + k->off) = v * MB;
		else
			*(unsigned *)((char *)c + k->off) = (unsigned)v;
		return 0;
	}
	return -ENOENT;
}

int agent_cfg_set(struct agent_cfg *c, const char *key, const char *val, char *why, size_t len)
{
	int err = set_num_key(c, key, val);

	for (size_t i = 0; err == -ENOENT && i < sizeof(str_keys) / sizeof(str_keys[0]); i++)
		if (!strcmp(str_keys[i].key, key))
			err = set_str(val, (char *)c + str_keys[i].off, str_keys[i].cap);
	if (err == -ENOENT && !strcmp(key, "tls-insecure"))
		err = set_bool(val, &c->insecure);
	if (err == -ENOENT && !strcmp(key, "syscalls"))
		err = set_bool(val, &c->syscalls);
	if (err == -ENOENT && !strcmp(key, "async"))
		err = set_bool(val, &c->async_tasks);
	if (err == -ENOENT && !strcmp(key, "gil"))
		err = set_gil(val, &c->gil_exact);
	if (err == -ENOENT && !strcmp(key, "wall"))
		err = set_bool(val, &c->wall);
	if (!err && !strcmp(key, "format") && strcmp(val, "pprof") && strcmp(val, "folded"))
		err = -EINVAL;
	if (!err && !strcmp(key, "series-labels") && !agent_series_labels_ok(val))
		err = -EINVAL;
	if (err == -ENOENT)
		snprintf(why, len, "unknown key '%s'", key);
	else if (err)
		snprintf(why, len, "bad value for %s: '%s'", key, val);
	return err;
}

/* Trim spaces at both ends, in place. */
static char *trim(char *s)
{
	char *e = s + strlen(s);

	while (isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* One line: blank, "# comment" or "key = value". */
static int parse_line(struct agent_cfg *c, char *line, char *why, size_t len)
{
	char *eq, *key, *val;

	line = trim(line);
	if (!*line || *line == '#')
		return 0;
	eq = strchr(line, '=');
	if (!eq) {
		snprintf(why, len, "expected key = value, got '%.60s'", line);
		return -EINVAL;
	}
	*eq = '\0';
	key = trim(line);
	val = trim(eq + 1);
	/* "value   # comment": a '#' after a space ends an unquoted value */
	for (char *p = val; *val != '"' && *p; p++)
		if (*p == '#' && p > val && isspace((unsigned char)p[-1])) {
			*p = '\0';
			val = trim(val);
			break;
		}
	if (strlen(val) >= 2 && val[0] == '"' && val[strlen(val) - 1] == '"') {
		val[strlen(val) - 1] = '\0';
		val++;
	}
	return agent_cfg_set(c, key, val, why, len);
}

int agent_cfg_parse(struct agent_cfg *c, const char *text, char *why, size_t len)
{
	char *copy = strdup(text), *line, *save = NULL, msg[200];
	unsigned nr = 0;
	int err = copy ? 0 : -ENOMEM;

	/* strtok_r skips empty lines, so count newlines by hand */
	for (line = copy; !err && line; line = save) {
		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		nr++;
		err = parse_line(c, line, msg, sizeof(msg));
		if (err)
			snprintf(why, len, "line %u: %s", nr, msg);
	}
	free(copy);
	return err;
}

int agent_cfg_load(struct agent_cfg *c, const char *path, char *why, size_t len)
{
	FILE *f = fopen(path, "r");
	char *text;
	long n;
	int err;

	if (!f) {
		snprintf(why, len, "cannot open: %s", strerror(errno));
		return -errno;
	}
	text = calloc(1, 1 << 20);
	n = text ? (long)fread(text, 1, (1 << 20) - 1, f) : -1;
	fclose(f);
	if (n < 0) {
		free(text);
		return -ENOMEM;
	}
	err = agent_cfg_parse(c, text, why, len);
	free(text);
	return err;
}
