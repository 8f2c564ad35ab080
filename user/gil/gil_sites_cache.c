// SPDX-License-Identifier: MIT
/* GIL sites cached by build-id in a directory of ours (gil_sites_cache.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gil/gil_sites_cache.h"
#include "target/elfsym.h"
#include "target/refusals.h"
#include "target/tfile.h"

#define CACHE_MAGIC 0x70734753u /* "SGsp" */
#define CACHE_FORMAT 1 /* bump when struct gil_sites or the site search changes */

struct cache_file {
	uint32_t magic, format, size, pad;
	struct gil_sites sites;
};

/* Is st ours and closed to others (the agent spool's rule)? */
static bool ours(const struct stat *st)
{
	return st->st_uid == geteuid() && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

/* The cache directory, created if missing; false if it is not ours. */
static bool cache_dir_ok(void)
{
	struct stat st;

	if (mkdir(GIL_SITES_CACHE_DIR, 0755) && errno != EEXIST)
		return false;
	return !lstat(GIL_SITES_CACHE_DIR, &st) && S_ISDIR(st.st_mode) && ours(&st);
}

/*
 * "<dir>/gil-<build-id hex>-<size>" of the file at fd; -ENOENT without a
 * build-id. The size too: strip keeps the build-id of a file it empties of
 * the symbols the sites were found with.
 */
static int cache_path(int fd, char *buf, size_t len)
{
	struct elfsym *e = elfsym__open_fd(fd);
	uint8_t id[64];
	int n = e ? elfsym__build_id(e, id, sizeof(id)) : -1, at;
	struct stat st;

	elfsym__free(e);
	if (n <= 0 || fstat(fd, &st))
		return -ENOENT;
	at = snprintf(buf, len, "%s/gil-", GIL_SITES_CACHE_DIR);
	for (int i = 0; i < n && at + 3 < (int)len; i++)
		at += snprintf(buf + at, len - at, "%02x", id[i]);
	snprintf(buf + at, len - at, "-%lld", (long long)st.st_size);
	return 0;
}

static int load(const char *path, struct gil_sites *out)
{
	struct cache_file c;
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), ok;

	if (fd < 0)
		return -errno;
	ok = !fstat(fd, &st) && S_ISREG(st.st_mode) && ours(&st) &&
	     read(fd, &c, sizeof(c)) == (ssize_t)sizeof(c) && c.magic == CACHE_MAGIC &&
	     c.format == CACHE_FORMAT && c.size == sizeof(c.sites) && c.sites.nr_take &&
	     c.sites.nr_take <= GIL_SITES_TAKE_MAX && c.sites.nr_drop &&
	     c.sites.nr_drop <= GIL_SITES_DROP_MAX;
	close(fd);
	if (!ok)
		return -EINVAL;
	*out = c.sites;
	out->symbols_from[sizeof(out->symbols_from) - 1] = '\0';
	return 0;
}

/* Write through a temporary file and a rename: a reader never sees half of it. */
static void store(const char *path, const struct gil_sites *s)
{
	struct cache_file c = { CACHE_MAGIC, CACHE_FORMAT, sizeof(c.sites), 0, *s };
	char tmp[320];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, &c, sizeof(c)) != (ssize_t)sizeof(c) || close(fd) || rename(tmp, path))
		unlink(tmp);
}

int gil_sites_cached(pid_t pid, const struct procmap *m, struct gil_sites *out, char *why,
		     size_t why_len)
{
	uint64_t cut = refusals_get(REFUSED_DWARF_WALK);
	int fd = tfile_open_mapped(pid, m), err;
	char path[256];
	bool cache = fd >= 0 && cache_dir_ok() && !cache_path(fd, path, sizeof(path));

	if (fd >= 0)
		close(fd);
	if (cache && !load(path, out))
		return 0;
	err = gil_sites_find(pid, m, out, why, why_len);
	/* a DWARF walk cut short found only some sites: look again next time */
	if (!err && cache && refusals_get(REFUSED_DWARF_WALK) == cut)
		store(path, out);
	return err;
}
