/* SPDX-License-Identifier: MIT */
/* Labels of a process's profile: service name, cgroup, and their encodings for Pyroscope. */
#ifndef PYSTROBE_AGENT_LABELS_H
#define PYSTROBE_AGENT_LABELS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct agent_kv {
	const char *key;
	const char *val;
};

/*
 * A label value as Pyroscope's name grammar allows: every byte outside
 * [A-Za-z0-9._/:-] becomes '_' ('{', '}', ',', '=' and spaces would end the
 * value), empty becomes "unknown". Returns out.
 */
char *agent_label_value(const char *in, char *out, size_t cap);

#define AGENT_FILE_NAME_MAX 160
/*
 * "<service>.<kind>" as a safe file name part: only [A-Za-z0-9._:-], '_' for
 * the rest ('/' included), no leading '.', cut to cap. True if service had to change.
 */
bool agent_file_name(const char *service, const char *kind, char *out, size_t cap);

/*
 * Profile kinds: the /ingest name's suffix (APP.KIND) and the pprof sample
 * type Pyroscope derives the profile type (__name__) from: a type with "cpu"
 * is process_cpu, "wall" is wall, any other keeps its name.
 */
#define AGENT_KIND_CPU "cpu" /* samples/count + cpu/nanoseconds: process_cpu */
#define AGENT_KIND_SYSCALLS "syscalls" /* syscalls/count */
#define AGENT_KIND_GIL_WAIT "gil_wait" /* gil_wait/nanoseconds */
#define AGENT_KIND_WALL "wall" /* wall/nanoseconds (issue 11's wall-clock profile) */

/*
 * The Pyroscope application of a service: tmpl with every "{service}"
 * replaced, or, without one, the prefix tmpl + "." + service ("" is the
 * service). 0 or -ENAMETOOLONG.
 */
int agent_app(const char *tmpl, const char *service, char *out, size_t cap);

/*
 * APP.KIND{k=v,...} with escaped values into out; a NULL or empty value is
 * left out. 0 or -ENAMETOOLONG.
 */
int agent_app_name(const char *app, const char *kind, const struct agent_kv *kv, size_t nr,
		   char *out, size_t cap);

/* Is key in the series-labels list ("pid,cgroup")? */
bool agent_series_label_on(const char *list, const char *key);
/* Does the list name only pid, cgroup, container_id, pod_uid (each once)? */
bool agent_series_labels_ok(const char *list);

/* Percent-encode for a URL query value (RFC 3986 unreserved kept). 0 or -ENAMETOOLONG. */
int agent_url_encode(const char *in, char *out, size_t cap);

/*
 * Service of a process from its environ block (NUL-separated): PYSTROBE_SERVICE,
 * else OTEL_SERVICE_NAME. 0 found, -ENOENT not set.
 */
int agent_service_from_environ(const char *env, size_t len, char *out, size_t cap);

/* The script or module a Python command line runs ("app.py" -> "app", -m pkg.mod -> "pkg.mod"). */
int agent_service_from_cmdline(const char *cmd, size_t len, char *out, size_t cap);

/* The cgroup v2 path from /proc/PID/cgroup text ("0::/system.slice/x.service"). */
int agent_cgroup_from_text(const char *text, char *out, size_t cap);

/* All of the above for a live pid (service falls back to proc_display_name()). */
void agent_proc_labels(pid_t pid, char *service, size_t scap, char *cgroup, size_t ccap);

#endif /* PYSTROBE_AGENT_LABELS_H */
