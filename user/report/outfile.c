// SPDX-License-Identifier: MIT
/* Output files created without following any name an attacker could plant (see outfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "report/outfile.h"

#define OUT_MODE 0644
#define TMP_TRIES 64

/* Split path into its directory (opened O_PATH, never the last component) and name. */
static int open_dir(struct outfile *o, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	char dir[PATH_MAX];
	size_t dlen = slash ? (size_t)(slash - path) : 0;

	if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EISDIR;
	if (strlen(name) > NAME_MAX - 24 || dlen >= sizeof(dir))
		return -ENAMETOOLONG;
	snprintf(o->name, sizeof(o->name), "%s", name);
	snprintf(dir, sizeof(dir), "%.*s", (int)dlen, path);
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (dlen == 0)
		snprintf(dir, sizeof(dir), "/");
	o->dir_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return o->dir_fd < 0 ? -errno : 0;
}

/* A fresh ".NAME.XXXXXXXX.tmp" in the directory: O_EXCL | O_NOFOLLOW, retried on a clash. */
static int create_named(struct outfile *o)
{
	uint32_t r;
	int fd;

	for (int i = 0; i < TMP_TRIES; i++) {
		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			return -errno;
		snprintf(o->tmp, sizeof(o->tmp), ".%s.%08x.tmp", o->name, r);
		fd = openat(o->dir_fd, o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    OUT_MODE);
		if (fd >= 0 || errno != EEXIST)
			return fd >= 0 ? fd : -errno;
	}
	return -EEXIST;
}

/* The temporary file: unnamed where the filesystem has O_TMPFILE, else a fresh name. */
static int create_tmp(struct outfile *o)
{
	int fd = openat(o->dir_fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, OUT_MODE);

	o->tmp[0] = '\0';
	if (fd >= 0)
		return fd;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return -errno;
	return create_named(o);
}

/*
 * What may be replaced: a regular file or a symlink (the link itself is
 * replaced). A directory is refused, and so is a device, FIFO or socket:
 * renaming over /dev/null or a planted FIFO would be worse than an error.
 */
static int dest_check(const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return -EISDIR;
	return S_ISREG(st->st_mode) || S_ISLNK(st->st_mode) ? 0 : -EEXIST;
}

int outfile_open(struct outfile *o, const char *path)
{
	struct stat st;
	int fd, err;

	memset(o, 0, sizeof(*o));
	o->dir_fd = -1;
	o->path = path;
	if (!path || !*path)
		return -EINVAL;
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		o->is_stdout = true;
		return 0;
	}
	err = open_dir(o, path);
	if (!err && fstatat(o->dir_fd, o->name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		err = dest_check(&st);
	fd = err ? err : create_tmp(o);
	if (fd >= 0 && !(o->f = fdopen(fd, "w")))
		close(fd);
	if (o->f)
		return 0;
	err = fd < 0 ? fd : -errno;
	if (o->tmp[0])
		unlinkat(o->dir_fd, o->tmp, 0);
	if (o->dir_fd >= 0)
		close(o->dir_fd);
	o->dir_fd = -1;
	return err;
}

/* Give the unnamed O_TMPFILE file a fresh name (linkat never follows the new name). */
static int name_tmpfile(struct outfile *o, int fd)
{
	char proc[64];
	uint32_t r;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	for (int i = 0; i < TMP_TRIES; i++) {
		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			return -errno;
		snprintf(o->tmp, sizeof(o->tmp), ".%s.%08x.tmp", o->name, r);
		if (linkat(AT_FDCWD, proc, o->dir_fd, o->tmp, AT_SYMLINK_FOLLOW) == 0)
			return 0;
		if (errno != EEXIST) {
			o->tmp[0] = '\0';
			return -errno;
		}
	}
	o->tmp[0] = '\0';
	return -EEXIST;
}

/* Flush, name the data and rename it over the destination. 0 or -errno. */
static int publish(struct outfile *o)
{
	int err = 0;

	if (fflush(o->f) || ferror(o->f))
		err = errno ? -errno : -EIO;
	if (!err && !o->tmp[0])
		err = name_tmpfile(o, fileno(o->f));
	if (!err && renameat(o->dir_fd, o->tmp, o->dir_fd, o->name))
		err = -errno;
	if (!err)
		o->tmp[0] = '\0';
	return err;
}

int outfile_close(struct outfile *o, bool ok)
{
	int err = 0;

	if (!o->f)
		return -EBADF;
	if (o->is_stdout) {
		o->f = NULL;
		return fflush(stdout) || ferror(stdout) ? (errno ? -errno : -EIO) : 0;
	}
	errno = 0;
	err = ok ? publish(o) : 0;
	if (fclose(o->f) && ok && !err)
		err = errno ? -errno : -EIO;
	o->f = NULL;
	if (o->tmp[0])
		unlinkat(o->dir_fd, o->tmp, 0);
	close(o->dir_fd);
	o->dir_fd = -1;
	return err;
}

const char *outfile_strerror(int err)
{
	switch (err) {
	case -ENOENT:
		return "its directory does not exist";
	case -ENOTDIR:
		return "a part of its directory is not a directory";
	case -EISDIR:
		return "it is a directory (give a file name)";
	case -EEXIST:
		return "it exists and is not a regular file (use - for stdout)";
	default:
		return strerror(-err);
	}
}
