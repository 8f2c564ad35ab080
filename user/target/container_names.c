// SPDX-License-Identifier: MIT
/*
 * Names of a container's pod and container from the kubelet's log
 * directories and Docker's state (see container.h for who chooses them).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "target/container.h"

#define DOCKER_CONFIG_MAX (1 << 20) /* config.v2.json bytes read; a longer one is not searched */

/* Open dir name under at without following a link: a root-owned directory not writable by others. */
static int open_trusted_dir(int at, const char *name)
{
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		close(fd);
		return -EPERM;
	}
	return fd;
}

/* A Kubernetes name's bytes: lowercase letters, digits, '-' and '.' (also rejects "." and ".."). */
static bool k8s_name(const char *s, size_t n)
{
	if (!n || n >= CONTAINER_NAME_MAX || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr("abcdefghijklmnopqrstuvwxyz0123456789-.", s[i]))
			return false;
	return true;
}

/* Is name a directory (not a link) inside dfd? */
static bool is_subdir(int dfd, const char *name)
{
	struct stat st;

	return !fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) && S_ISDIR(st.st_mode);
}

/* "<ns>_<pod>_<uid>" of c->pod_uid: fills ns and pod. */
static bool pod_dir_name(const char *e, struct container_ident *c)
{
	size_t n = strlen(e), ul = strlen(c->pod_uid);
	const char *u1 = strchr(e, '_');

	if (n < ul + 4 || strcmp(e + n - ul, c->pod_uid) || e[n - ul - 1] != '_' || !u1)
		return false;
	if (!k8s_name(e, (size_t)(u1 - e)) || !k8s_name(u1 + 1, (size_t)(e + n - ul - 2 - u1)))
		return false;
	snprintf(c->ns, sizeof(c->ns), "%.*s", (int)(u1 - e), e);
	snprintf(c->pod, sizeof(c->pod), "%.*s", (int)(e + n - ul - 2 - u1), u1 + 1);
	return true;
}

/* Find the pod's directory in the pods root: its fd (ns and pod filled) or -errno. */
static int find_pod_dir(const char *root, struct container_ident *c)
{
	int rfd = open_trusted_dir(AT_FDCWD, root), fd = -ENOENT;
	struct dirent *e;
	DIR *d;

	if (rfd < 0)
		return rfd;
	d = fdopendir(rfd);
	if (!d) {
		close(rfd);
		return -errno;
	}
	while (fd == -ENOENT && (e = readdir(d)))
		if (pod_dir_name(e->d_name, c) && (fd = open_trusted_dir(rfd, e->d_name)) < 0)
			c->ns[0] = c->pod[0] = '\0';
	closedir(d);
	return fd;
}

/* /var/log/containers/<pod>_<ns>_<name>-<id>.log: the name of container id, if a subdir of pfd. */
static void name_from_links(const char *dir, int pfd, struct container_ident *c)
{
	char pre[2 * CONTAINER_NAME_MAX + 4], suf[CONTAINER_ID_MAX + 8], name[CONTAINER_NAME_MAX];
	int dfd = open_trusted_dir(AT_FDCWD, dir);
	size_t pl, sl, n;
	struct dirent *e;
	DIR *d;

	if (dfd < 0 || !(d = fdopendir(dfd))) {
		if (dfd >= 0)
			close(dfd);
		return;
	}
	pl = (size_t)snprintf(pre, sizeof(pre), "%s_%s_", c->pod, c->ns);
	sl = (size_t)snprintf(suf, sizeof(suf), "-%s.log", c->id);
	while ((e = readdir(d))) {
		n = strlen(e->d_name);
		if (n <= pl + sl || strncmp(e->d_name, pre, pl) ||
		    strcmp(e->d_name + n - sl, suf) || !k8s_name(e->d_name + pl, n - pl - sl))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(n - pl - sl), e->d_name + pl);
		if (is_subdir(pfd, name))
			snprintf(c->name, sizeof(c->name), "%s", name);
		break;
	}
	closedir(d);
}

/* The pod's only container subdirectory, if it has exactly one. */
static void only_subdir(int pfd, struct container_ident *c)
{
	int fd = dup(pfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	int nr = 0;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d)))
		if (k8s_name(e->d_name, strlen(e->d_name)) && is_subdir(pfd, e->d_name) && !nr++)
			snprintf(c->name, sizeof(c->name), "%s", e->d_name);
	if (nr != 1)
		c->name[0] = '\0';
	closedir(d);
}

int container_pod_lookup(const struct container_dirs *d, struct container_ident *c)
{
	int pfd;

	if (!c->pod_uid[0])
		return -ENOENT;
	pfd = find_pod_dir(d->pods, c);
	if (pfd < 0)
		return pfd;
	/* several containers: the kubelet's per-container link names the one with this id */
	if (c->id[0])
		name_from_links(d->containers, pfd, c);
	if (!c->name[0])
		only_subdir(pfd, c);
	close(pfd);
	return 0;
}

/* Docker's "Name":"/NAME" in config text; NAME of [A-Za-z0-9_.-] only. */
static void docker_name_in(const char *text, struct container_ident *c)
{
	const char *p = strstr(text, "\"Name\":\"/");
	size_t n;

	if (!p)
		return;
	p += 9;
	n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");
	if (n && n < sizeof(c->name) && p[n] == '"')
		snprintf(c->name, sizeof(c->name), "%.*s", (int)n, p);
}

int container_docker_name(const struct container_dirs *d, struct container_ident *c)
{
	int rfd = open_trusted_dir(AT_FDCWD, d->docker), cfd, fd;
	char *buf;
	ssize_t n;
	struct stat st;

	if (rfd < 0)
		return rfd;
	cfd = c->id[0] ? open_trusted_dir(rfd, c->id) : -ENOENT;
	close(rfd);
	if (cfd < 0)
		return cfd;
	fd = openat(cfd, "config.v2.json", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	close(cfd);
	if (fd < 0)
		return -errno;
	buf = fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid ? NULL :
								    malloc(DOCKER_CONFIG_MAX);
	n = buf ? read(fd, buf, DOCKER_CONFIG_MAX - 1) : -1;
	close(fd);
	if (n > 0) {
		buf[n] = '\0';
		docker_name_in(buf, c);
	}
	free(buf);
	return c->name[0] ? 0 : -ENOENT;
}
