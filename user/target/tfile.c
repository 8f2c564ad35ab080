// SPDX-License-Identifier: MIT
/* Safe opens of the files a target names (see tfile.h for the threat). */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "target/refusals.h"
#include "target/tfile.h"

#define DEBUG_BUILD_ID_ROOT "/usr/lib/debug/.build-id"
#define DELETED_SUFFIX " (deleted)"
/* O_NONBLOCK: a FIFO never waits for a writer; O_NOCTTY: a tty never becomes ours */
#define READ_FLAGS (O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

bool tfile_is_deleted_name(const char *path)
{
	size_t n = strlen(path), k = strlen(DELETED_SUFFIX);

	return n >= k && strcmp(path + n - k, DELETED_SUFFIX) == 0;
}

/* 0 if st is a regular file with m's inode (and device when check_dev), else -EPERM. */
static int check_stat(const struct stat *st, const struct procmap *m, bool check_dev)
{
	if (!S_ISREG(st->st_mode))
		return -EPERM;
	if (m && st->st_ino != m->inode)
		return -EPERM;
	if (m && check_dev &&
	    (major(st->st_dev) != m->dev_major || minor(st->st_dev) != m->dev_minor))
		return -EPERM;
	return 0;
}

/*
 * Turn an O_PATH fd into a readable fd of the same inode, once fstat has
 * shown it is the wanted regular file (an O_PATH open has no side effect:
 * no FIFO wait, no device open). Consumes path_fd. fd or -errno.
 */
static int reopen_checked(int path_fd, const struct procmap *m, bool check_dev)
{
	struct stat st, st2;
	char self[64];
	int fd = -1, err;

	if (fstat(path_fd, &st)) {
		err = -errno;
		goto out;
	}
	err = check_stat(&st, m, check_dev);
	if (err) {
		refusals_add(REFUSED_FILE);
		goto out;
	}
	snprintf(self, sizeof(self), "/proc/self/fd/%d", path_fd);
	fd = open(self, READ_FLAGS);
	err = fd < 0 ? -errno : 0;
	/* the reopen follows our own fd's link: still the same inode, checked anyway */
	if (fd >= 0 && (fstat(fd, &st2) || st2.st_ino != st.st_ino || st2.st_dev != st.st_dev)) {
		close(fd);
		err = -EPERM;
	}
out:
	close(path_fd);
	return err ? err : fd;
}

/* The mapped file itself, through /proc/PID/map_files/START-END. */
static int open_map_files(pid_t pid, const struct procmap *m)
{
	char path[96];
	int pfd;

	snprintf(path, sizeof(path), "/proc/%d/map_files/%llx-%llx", (int)pid,
		 (unsigned long long)m->start, (unsigned long long)m->end);
	pfd = open(path, O_PATH | O_CLOEXEC);
	if (pfd < 0)
		return -errno;
	/* the kernel's own file: on overlayfs or btrfs its st_dev may differ from maps */
	return reopen_checked(pfd, m, false);
}

/* O_PATH fd of path resolved inside pid's root with no symlink of any kind, or -errno. */
static int path_in_root(pid_t pid, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	char root[64];
	int dfd, fd;

	snprintf(root, sizeof(root), "/proc/%d/root", (int)pid);
	dfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	fd = (int)syscall(SYS_openat2, dfd, path, &how, sizeof(how));
	if (fd < 0)
		fd = errno == ELOOP || errno == EXDEV ? -EPERM : -errno;
	if (fd == -EPERM)
		refusals_add(REFUSED_FILE); /* a symlink where the target said a file is */
	close(dfd);
	return fd;
}

int tfile_open_mapped(pid_t pid, const struct procmap *m)
{
	int fd = open_map_files(pid, m);

	if (fd >= 0 || fd == -EPERM)
		return fd;
	/* map_files needs CAP_SYS_ADMIN in the target's user namespace: try its root */
	if (tfile_is_deleted_name(m->path) || m->path[0] != '/') {
		refusals_add(REFUSED_FILE);
		return -EPERM;
	}
	fd = path_in_root(pid, m->path);
	return fd < 0 ? fd : reopen_checked(fd, m, true);
}

int tfile_open_in_root(pid_t pid, const char *path)
{
	int fd;

	if (!path || path[0] != '/')
		return -EINVAL;
	fd = path_in_root(pid, path);
	return fd < 0 ? fd : reopen_checked(fd, NULL, false);
}

int tfile_debug_path(const uint8_t *id, size_t n, char *buf, size_t len)
{
	int pos;

	if (n < 2)
		return -ENOENT;
	pos = snprintf(buf, len, DEBUG_BUILD_ID_ROOT "/%02x/", id[0]);
	for (size_t i = 1; i < n && pos > 0 && (size_t)pos < len; i++)
		pos += snprintf(buf + pos, len - pos, "%02x", id[i]);
	if (pos <= 0 || (size_t)pos + 7 > len)
		return -ENAMETOOLONG;
	strcat(buf, ".debug");
	return 0;
}
