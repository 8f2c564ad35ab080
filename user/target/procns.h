/* SPDX-License-Identifier: MIT */
/*
 * Where a process lives: its pid in its own pid namespace (the NSpid line of
 * /proc/PID/status) and its cgroup path (/proc/PID/cgroup), so a process in
 * a container is reported both as the host sees it and as the container
 * does, labelled with its cgroup. The parsers take any bytes (fuzzed).
 */
#ifndef PYSTROBE_PROCNS_H
#define PYSTROBE_PROCNS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "target/container.h"

#define PROCNS_LEVELS_MAX 32 /* pid namespace depth (the kernel's MAX_PID_NS_LEVEL) */
#define PROCNS_CGROUP_MAX 128 /* cgroup path bytes kept; longer paths are cut */
#define PROCNS_PATH_MAX 1024 /* cgroup path bytes parsed for container identity */

struct procns {
	pid_t ns_pid; /* pid in the innermost pid namespace (== host pid outside containers) */
	unsigned nr_levels; /* NSpid entries: 1 in the reader's namespace, more inside others */
	bool other_ns; /* in another pid namespace than pystrobe (ns_pid differs in meaning) */
	char cgroup[PROCNS_CGROUP_MAX]; /* "/system.slice/x.scope", "/" at the root, "" unknown */
	struct container_ident ct; /* its container and pod, from the whole cgroup path */
};

/*
 * The NSpid line of a /proc/PID/status text: pids outermost first into
 * pids[0..max). Returns the number of levels (may exceed max: the rest are
 * not stored), or -ENOENT (no NSpid line, kernels before 4.1) or -EINVAL.
 */
int procns_parse_nspid(const char *buf, size_t len, pid_t *pids, size_t max);

/*
 * The cgroup path of a /proc/PID/cgroup text: the cgroup v2 line ("0::path")
 * if its path is not "/", else the v1 name=systemd hierarchy's, else the
 * first v1 hierarchy's that is not "/", else "/". 0, -ENOENT (no line) or
 * -EINVAL; out is cut at cap-1 bytes and always NUL-terminated.
 */
int procns_parse_cgroup(const char *buf, size_t len, char *out, size_t cap);

/* Fill ns for pid from /proc (fields it cannot read stay as for the host: ns_pid = pid). */
void procns_read(pid_t pid, struct procns *ns);

#endif /* PYSTROBE_PROCNS_H */
