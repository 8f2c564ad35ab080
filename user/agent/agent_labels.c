// SPDX-License-Identifier: MIT
/* Service names, cgroups and their encodings for the agent's pushes. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "agent/agent_labels.h"
#include "target/procfs.h"
#include "target/proctitle.h"

char *agent_label_value(const char *in, char *out, size_t cap)
{
	size_t n = 0;

	for (; in && *in && n + 1 < cap; in++) {
		unsigned char c = (unsigned char)*in;

		out[n++] = isalnum(c) || strchr("._/:-", c) ? (char)c : '_';
	}
	out[n] = '\0';
	if (!n)
		snprintf(out, cap, "%s", "unknown");
	return out;
}

bool agent_file_name(const char *service, const char *kind, char *out, size_t cap)
{
	bool changed = !*service;
	size_t n = 0;

	for (const char *p = *service ? service : "unknown"; *p && n + 1 < cap; p++) {
		unsigned char c = (unsigned char)*p;
		bool ok = (isalnum(c) || strchr(".:-_", c)) && !(n == 0 && c == '.');

		changed |= !ok;
		out[n] = ok ? (char)c : '_';
		n++;
	}
	out[n] = '\0';
	snprintf(out + n, cap - n, ".%s", kind);
	return changed;
}

int agent_app(const char *tmpl, const char *service, char *out, size_t cap)
{
	const char *mark = "{service}", *p = tmpl, *q;
	size_t n = 0;
	int w;

	if (!strstr(tmpl, mark)) /* a prefix: "team" -> team.SERVICE */
		w = snprintf(out, cap, "%s%s%s", tmpl, *tmpl ? "." : "", service);
	else {
		for (w = 0; w >= 0 && (q = strstr(p, mark)); p = q + strlen(mark)) {
			n = (size_t)w < cap ? (size_t)w : cap;
			w += snprintf(out + n, cap - n, "%.*s%s", (int)(q - p), p, service);
		}
		n = (size_t)w < cap ? (size_t)w : cap;
		w = w < 0 ? w : w + snprintf(out + n, cap - n, "%s", p);
	}
	return w < 0 || (size_t)w >= cap ? -ENAMETOOLONG : 0;
}

int agent_app_name(const char *app, const char *kind, const struct agent_kv *kv, size_t nr,
		   char *out, size_t cap)
{
	char v[256];
	size_t n;
	int w;

	w = snprintf(out, cap, "%s.%s{", agent_label_value(app, v, sizeof(v)), kind);
	for (size_t i = 0, k = 0; i < nr && w >= 0 && (size_t)w < cap; i++) {
		if (!kv[i].val ||
		    !*kv[i].val) /* unknown: no label, as Pyroscope drops empty ones */
			continue;
		n = (size_t)w;
		w += snprintf(out + n, cap - n, "%s%s=%s", k++ ? "," : "", kv[i].key,
			      agent_label_value(kv[i].val, v, sizeof(v)));
	}
	if (w < 0 || (size_t)w + 1 >= cap)
		return -ENAMETOOLONG;
	out[w] = '}';
	out[w + 1] = '\0';
	return 0;
}

static const char *const extra_labels[] = { "pid", "cgroup", "container_id", "pod_uid" };

bool agent_series_label_on(const char *list, const char *key)
{
	size_t k = strlen(key);

	for (const char *p = list; *p; p += strcspn(p, ",")) {
		p += *p == ',';
		if (!strncmp(p, key, k) && (p[k] == ',' || !p[k]))
			return true;
	}
	return false;
}

bool agent_series_labels_ok(const char *list)
{
	size_t nr = 0;

	for (size_t i = 0; i < sizeof(extra_labels) / sizeof(extra_labels[0]); i++)
		if (agent_series_label_on(list, extra_labels[i]))
			nr += strlen(extra_labels[i]) + 1;
	/* every name in the list is a known one: the known ones' lengths add up to it */
	return nr == strlen(list) + (*list != '\0');
}

int agent_url_encode(const char *in, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;

	for (; *in; in++) {
		unsigned char c = (unsigned char)*in;

		if (n + 4 > cap)
			return -ENAMETOOLONG;
		if (isalnum(c) || strchr("-._~", c)) {
			out[n++] = (char)c;
			continue;
		}
		out[n++] = '%';
		out[n++] = hex[c >> 4];
		out[n++] = hex[c & 15];
	}
	out[n] = '\0';
	return 0;
}

/* Value of VAR= in a NUL-separated environ block, or NULL. */
static const char *env_get(const char *env, size_t len, const char *var)
{
	size_t vl = strlen(var);

	for (size_t i = 0; i < len;) {
		const char *e = env + i;
		size_t el = strnlen(e, len - i);

		if (el > vl && !memcmp(e, var, vl) && e[vl] == '=')
			return e + vl + 1;
		i += el + 1;
	}
	return NULL;
}

int agent_service_from_environ(const char *env, size_t len, char *out, size_t cap)
{
	const char *v = env_get(env, len, "PYSTROBE_SERVICE");

	if (!v || !*v)
		v = env_get(env, len, "OTEL_SERVICE_NAME");
	if (!v || !*v)
		return -ENOENT;
	/* the value ends at its NUL, which env_get found inside len */
	snprintf(out, cap, "%s", v);
	return 0;
}

/* Base name of path without a .py / .pyc suffix. */
static void script_name(const char *path, char *out, size_t cap)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strlen(b);
	if (n > 3 && !strcmp(b + n - 3, ".py"))
		n -= 3;
	else if (n > 4 && !strcmp(b + n - 4, ".pyc"))
		n -= 4;
	snprintf(out, cap, "%.*s", (int)n, b);
}

int agent_service_from_cmdline(const char *cmd, size_t len, char *out, size_t cap)
{
	size_t i = strnlen(cmd, len) + 1; /* skip argv[0], the interpreter */

	while (i < len) {
		const char *a = cmd + i;
		size_t al = strnlen(a, len - i);

		if (al >= 2 && a[0] == '-' && a[1] == 'm' && (a[2] || i + al + 1 < len)) {
			snprintf(out, cap, "%s", a[2] ? a + 2 : a + al + 1);
			return 0;
		}
		if (al >= 2 && a[0] == '-' && a[1] == 'c')
			return -ENOENT; /* python -c CODE: no script */
		if (al && a[0] != '-') {
			script_name(a, out, cap);
			return 0;
		}
		i += al + 1;
	}
	return -ENOENT;
}

int agent_cgroup_from_text(const char *text, char *out, size_t cap)
{
	const char *p = strstr(text, "0::");
	size_t n;

	if (!p || (p != text && p[-1] != '\n'))
		return -ENOENT;
	p += 3;
	n = strcspn(p, "\n");
	snprintf(out, cap, "%.*s", (int)n, p);
	return 0;
}

void agent_proc_labels(pid_t pid, char *service, size_t scap, char *cgroup, size_t ccap)
{
	char *buf = malloc(65536);
	ssize_t n;

	snprintf(service, scap, "%s", "unknown");
	snprintf(cgroup, ccap, "%s", "/");
	if (!buf)
		return;
	n = procfs_read(pid, "environ", buf, 65536);
	if (n <= 0 || agent_service_from_environ(buf, (size_t)n, service, scap)) {
		n = procfs_read(pid, "cmdline", buf, 65536);
		/* else its name, e.g. a title: "gunicorn: worker [app:app]" */
		if (n <= 0 || agent_service_from_cmdline(buf, (size_t)n, service, scap))
			proc_display_name(pid, service, scap);
		if (!strcmp(service, "?"))
			snprintf(service, scap, "%s", "unknown"); /* gone */
	}
	n = procfs_read(pid, "cgroup", buf, 65535);
	if (n > 0) {
		buf[n] = '\0';
		agent_cgroup_from_text(buf, cgroup, ccap);
	}
	free(buf);
}
