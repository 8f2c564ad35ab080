// SPDX-License-Identifier: MIT
/* Parsers of /proc/PID/status (NSpid) and /proc/PID/cgroup; any bytes, bounds-checked. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "target/procfs.h"
#include "target/procns.h"

/* bytes of /proc/PID/status (NSpid is in the first 1 KB) or /proc/PID/cgroup read */
#define PROCFS_READ_MAX 4096

/* The line starting with key (at buf or after a '\n'); its rest in *val, *val_len. */
static int find_line(const char *buf, size_t len, const char *key, const char **val,
		     size_t *val_len)
{
	size_t klen = strlen(key), pos = 0;
	const char *nl;

	while (pos < len) {
		nl = memchr(buf + pos, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - (buf + pos)) : len - pos;

		if (line_len >= klen && memcmp(buf + pos, key, klen) == 0) {
			*val = buf + pos + klen;
			*val_len = line_len - klen;
			return 0;
		}
		pos += line_len + 1;
	}
	return -ENOENT;
}

/* One decimal pid at *p (1..INT32_MAX), advancing *p. */
static int take_pid(const char **p, const char *end, pid_t *out)
{
	uint64_t v = 0;
	int n = 0;

	while (*p < end && **p >= '0' && **p <= '9') {
		v = v * 10 + (uint64_t)(**p - '0');
		(*p)++;
		if (++n > 10 || v > INT32_MAX)
			return -EINVAL;
	}
	if (n == 0 || v == 0)
		return -EINVAL;
	*out = (pid_t)v;
	return 0;
}

int procns_parse_nspid(const char *buf, size_t len, pid_t *pids, size_t max)
{
	const char *p, *end;
	size_t vlen;
	int n = 0;
	pid_t v;

	if (find_line(buf, len, "NSpid:", &p, &vlen))
		return -ENOENT;
	end = p + vlen;
	for (;;) {
		while (p < end && (*p == '\t' || *p == ' '))
			p++;
		if (p == end)
			break;
		if (take_pid(&p, end, &v) || n >= PROCNS_LEVELS_MAX)
			return -EINVAL;
		if ((size_t)n < max)
			pids[n] = v;
		n++;
	}
	return n ? n : -EINVAL;
}

/*
 * Split cgroup line [l, l+n) ("ID:CONTROLLERS:PATH"): its path into out (cut
 * at cap-1) and its rank, 0 for v2 ("0::"), 1 for v1 name=systemd, 2 for
 * other v1 hierarchies (lower is preferred). -EINVAL if malformed.
 */
static int split_line(const char *l, size_t n, char *out, size_t cap, int *rank)
{
	const char *end = l + n, *c1 = memchr(l, ':', n), *c2;
	size_t plen;

	if (!c1)
		return -EINVAL;
	c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1));
	if (!c2 || c2 + 1 >= end || c2[1] != '/' || memchr(l, '\0', n))
		return -EINVAL;
	if (c1 - l == 1 && l[0] == '0' && c2 == c1 + 1)
		*rank = 0;
	else
		*rank = c2 - c1 - 1 == 12 && memcmp(c1 + 1, "name=systemd", 12) == 0 ? 1 : 2;
	plen = (size_t)(end - c2 - 1);
	if (plen >= cap)
		plen = cap - 1;
	memcpy(out, c2 + 1, plen);
	out[plen] = '\0';
	return 0;
}

int procns_parse_cgroup(const char *buf, size_t len, char *out, size_t cap)
{
	char path[PROCNS_PATH_MAX];
	int best = 3, rank, any = 0;
	size_t pos = 0;

	if (cap == 0)
		return -EINVAL;
	out[0] = '\0';
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;

		if (n && split_line(buf + pos, n, path, sizeof(path), &rank) == 0) {
			any = 1;
			if (strcmp(path, "/") != 0 && rank < best) {
				best = rank;
				snprintf(out, cap, "%s", path);
			}
		}
		pos += n + 1;
	}
	if (!any)
		return len ? -EINVAL : -ENOENT;
	if (best == 3)
		snprintf(out, cap, "/");
	return 0;
}

/* Whether pid's pid namespace differs from ours (unknown: no). */
static bool in_other_pidns(pid_t pid)
{
	struct stat mine, theirs;
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	if (stat("/proc/self/ns/pid", &mine) || stat(path, &theirs))
		return false;
	return mine.st_ino != theirs.st_ino || mine.st_dev != theirs.st_dev;
}

void procns_read(pid_t pid, struct procns *ns)
{
	char buf[PROCFS_READ_MAX], path[PROCNS_PATH_MAX];
	pid_t pids[PROCNS_LEVELS_MAX];
	ssize_t n;
	int levels;

	memset(ns, 0, sizeof(*ns));
	ns->ns_pid = pid;
	ns->nr_levels = 1;
	n = procfs_read(pid, "status", buf, sizeof(buf));
	levels = n > 0 ? procns_parse_nspid(buf, (size_t)n, pids, PROCNS_LEVELS_MAX) : -ENOENT;
	if (levels > 0) {
		ns->nr_levels = (unsigned)levels;
		ns->ns_pid = pids[levels - 1];
	}
	ns->other_ns = in_other_pidns(pid);
	n = procfs_read(pid, "cgroup", buf, sizeof(buf));
	if (n > 0 && !procns_parse_cgroup(buf, (size_t)n, path, sizeof(path))) {
		snprintf(ns->cgroup, sizeof(ns->cgroup), "%.*s", PROCNS_CGROUP_MAX - 1, path);
		container_identify(path, strlen(path), &ns->ct);
	}
}
