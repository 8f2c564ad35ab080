// SPDX-License-Identifier: MIT
/* A size-capped ordered file queue (push spool, directory sink). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "agent/agent_spool.h"

/* mkdir -p (0700: profiles name code and paths). */
static int mkdir_p(const char *dir)
{
	char buf[512];
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, dir, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(buf, 0700) && errno != EEXIST ? -errno : 0;
}

/* q one size up (doubling, at most SPOOL_INDEX_MAX). 0 or -errno. */
static int grow(struct agent_spool *sp)
{
	size_t cap = sp->cap ? sp->cap * 2 : 64;
	struct agent_spool_entry *q;

	cap = cap < SPOOL_INDEX_MAX ? cap : SPOOL_INDEX_MAX;
	if (cap <= sp->cap)
		return -ENOSPC;
	q = realloc(sp->q, cap * sizeof(*q));
	if (!q)
		return -ENOMEM;
	sp->q = q;
	sp->cap = cap;
	return 0;
}

/* Room for one more entry at the tail of q (compacting or growing). 0 or -errno. */
static int reserve(struct agent_spool *sp)
{
	if (sp->head + sp->nr_q < sp->cap)
		return 0;
	if (sp->head) {
		memmove(sp->q, sp->q + sp->head, sp->nr_q * sizeof(*sp->q));
		sp->head = 0;
		return 0;
	}
	return grow(sp);
}

static void set_entry(struct agent_spool_entry *e, uint64_t seq, uint64_t bytes, const char *name)
{
	e->seq = seq;
	e->bytes = bytes;
	snprintf(e->name, sizeof(e->name), "%s", name);
}

static void swap_entries(struct agent_spool_entry *a, struct agent_spool_entry *b)
{
	struct agent_spool_entry t = *a;

	*a = *b;
	*b = t;
}

/* Restore the max-heap (by seq) of h[0..n) below i. */
static void sift_down(struct agent_spool_entry *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < n && h[l].seq > h[m].seq)
			m = l;
		if (r < n && h[r].seq > h[m].seq)
			m = r;
		if (m == i)
			return;
		swap_entries(&h[i], &h[m]);
		i = m;
	}
}

/*
 * A scan met a file: q (from 0, a max-heap by seq while the scan runs)
 * keeps the SPOOL_INDEX_MAX smallest seqs met.
 */
static void offer(struct agent_spool *sp, uint64_t seq, uint64_t bytes, const char *name)
{
	size_t i;

	if (sp->nr_q < SPOOL_INDEX_MAX && (sp->nr_q < sp->cap || !grow(sp))) {
		i = sp->nr_q++;
		set_entry(&sp->q[i], seq, bytes, name);
		for (; i && sp->q[(i - 1) / 2].seq < sp->q[i].seq; i = (i - 1) / 2)
			swap_entries(&sp->q[i], &sp->q[(i - 1) / 2]);
	} else if (sp->nr_q && seq < sp->q[0].seq) {
		set_entry(&sp->q[0], seq, bytes, name);
		sift_down(sp->q, sp->nr_q, 0);
	}
}

/* qsort: by sequence number. */
static int cmp_entry(const void *a, const void *b)
{
	const struct agent_spool_entry *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Is name "<digits>-...<ext>"? Its seq in *seq. */
static int parse_name(const struct agent_spool *sp, const char *name, uint64_t *seq)
{
	size_t n = strlen(name), e = strlen(sp->ext);
	char *end;

	if (n <= e || strcmp(name + n - e, sp->ext) || n >= SPOOL_NAME_MAX)
		return -EINVAL;
	*seq = strtoull(name, &end, 10);
	return end != name && *end == '-' ? 0 : -EINVAL;
}

/* Is st a file this agent wrote: regular, ours? (Not a planted link or fifo.) */
static bool ours(const struct stat *st)
{
	return S_ISREG(st->st_mode) && st->st_uid == geteuid();
}

/*
 * One file a scan met (name parsed, seq newer than q's): at open (count)
 * every file of ours is counted into nr and bytes, others skipped and
 * counted; it is offered to the index either way. Returns 1 if offered.
 */
static int meet(struct agent_spool *sp, const char *name, uint64_t seq, bool count)
{
	struct stat st;

	if (!count) {
		offer(sp, seq, 0, name); /* its size is read if it stays (check_index) */
		return 1;
	}
	if (fstatat(sp->dfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return 0;
	if (!ours(&st)) {
		sp->nr_skipped++;
		return 0;
	}
	sp->nr++;
	sp->bytes += (uint64_t)st.st_size;
	if (seq >= sp->next_seq)
		sp->next_seq = seq + 1;
	offer(sp, seq, (uint64_t)st.st_size, name);
	return 1;
}

/*
 * After a refill: the sizes of the files indexed, and out those gone or no
 * longer ours (skipped and counted). Returns how many went out.
 */
static size_t check_index(struct agent_spool *sp)
{
	size_t kept = 0;
	struct stat st;

	for (size_t i = 0; i < sp->nr_q; i++) {
		struct agent_spool_entry *e = &sp->q[i];

		if (fstatat(sp->dfd, e->name, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		if (!ours(&st)) {
			sp->nr_skipped++;
			continue;
		}
		e->bytes = (uint64_t)st.st_size;
		sp->q[kept++] = *e;
	}
	kept = sp->nr_q - kept;
	sp->nr_q -= kept;
	return kept;
}

/*
 * Index the oldest files newer than q's (q is empty): at open (count) the
 * files a previous run left, counted; later the files put while q was full.
 * Only SPOOL_INDEX_MAX are kept, the smallest seqs, in order; files removed
 * by hand are counted out here, their bytes only when the spool empties.
 */
static int scan(struct agent_spool *sp, bool count)
{
	int fd = openat(sp->dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	size_t seen = 0;
	uint64_t seq;

	if (!d) {
		int err = -errno;

		if (fd >= 0)
			close(fd);
		return err;
	}
	sp->head = sp->nr_q = 0;
	while ((de = readdir(d)))
		if (!parse_name(sp, de->d_name, &seq) && seq > sp->last_q_seq)
			seen += (size_t)meet(sp, de->d_name, seq, count);
	closedir(d);
	if (sp->nr_q) {
		qsort(sp->q, sp->nr_q, sizeof(*sp->q), cmp_entry);
		sp->last_q_seq = sp->q[sp->nr_q - 1].seq;
	}
	if (!count)
		sp->nr = seen - check_index(sp);
	return 0;
}

/*
 * q ran empty with files left: index the next oldest (each scan moves past
 * the files it met). If the directory cannot be read, they are left for
 * the next start.
 */
static void refill(struct agent_spool *sp)
{
	while (!sp->nr_q && sp->nr) {
		if (scan(sp, false)) {
			sp->nr = 0;
			sp->last_q_seq = sp->next_seq - 1; /* not met again by this run */
		}
	}
	if (!sp->nr)
		sp->bytes = 0; /* what files removed by hand left */
}

/*
 * Count a new file (the newest); index it if every older file is indexed
 * and q has room, else a later scan indexes it (add_file cannot fail).
 */
static void add_file(struct agent_spool *sp, uint64_t seq, uint64_t bytes, const char *name)
{
	sp->nr++;
	sp->bytes += bytes;
	if (seq >= sp->next_seq)
		sp->next_seq = seq + 1;
	if (sp->nr_q + 1 < sp->nr || sp->nr_q >= SPOOL_INDEX_MAX || reserve(sp)) {
		refill(sp); /* only if q is empty (out of memory): a scan indexes what it can */
		return;
	}
	set_entry(&sp->q[sp->head + sp->nr_q++], seq, bytes, name);
	sp->last_q_seq = seq;
}

/*
 * Open dir and check it is root's (our euid's) and not writable by group or
 * others: anyone else who can write there could plant links or swap files
 * that root would then read and push with its credentials. fd or -errno.
 */
static int open_dir(struct agent_spool *sp)
{
	int fd = open(sp->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), err;
	struct stat st;

	/* a link someone else made (in a sticky /tmp) would choose the directory for us */
	if (fd >= 0 && !lstat(sp->dir, &st) && S_ISLNK(st.st_mode) && st.st_uid != geteuid()) {
		snprintf(sp->why, sizeof(sp->why), "a symbolic link owned by uid %u",
			 (unsigned)st.st_uid);
		close(fd);
		return -EPERM;
	}
	if (fd < 0) {
		snprintf(sp->why, sizeof(sp->why), "%s", strerror(errno));
		return -errno;
	}
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	if (st.st_uid == geteuid() && !(st.st_mode & (S_IWGRP | S_IWOTH)))
		return fd;
	snprintf(sp->why, sizeof(sp->why),
		 "owned by uid %u with mode %04o: it must be owned by uid %u and not writable "
		 "by group or others (chown root, chmod go-w)",
		 (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777), (unsigned)geteuid());
	close(fd);
	return -EPERM;
}

int agent_spool_open(struct agent_spool *sp, const char *dir, const char *ext, uint64_t max_bytes)
{
	int err;

	memset(sp, 0, sizeof(*sp));
	sp->dfd = -1;
	if (strlen(dir) >= sizeof(sp->dir) || strlen(ext) >= sizeof(sp->ext)) {
		snprintf(sp->why, sizeof(sp->why), "path too long");
		return -ENAMETOOLONG;
	}
	snprintf(sp->dir, sizeof(sp->dir), "%s", dir);
	snprintf(sp->ext, sizeof(sp->ext), "%s", ext);
	sp->max_bytes = max_bytes;
	sp->next_seq = 1;
	err = mkdir_p(dir);
	if (err)
		snprintf(sp->why, sizeof(sp->why), "cannot create: %s", strerror(-err));
	if (!err && (sp->dfd = open_dir(sp)) < 0)
		err = sp->dfd;
	err = err ?: scan(sp, true);
	if (!err)
		agent_spool_trim(sp);
	else
		agent_spool_close(sp);
	return err;
}

void agent_spool_close(struct agent_spool *sp)
{
	free(sp->q);
	if (sp->dfd >= 0)
		close(sp->dfd);
	sp->dfd = -1;
	sp->q = NULL;
	sp->nr = sp->nr_q = sp->cap = sp->head = 0;
}

const struct agent_spool_entry *agent_spool_oldest(const struct agent_spool *sp)
{
	return sp->nr_q ? &sp->q[sp->head] : NULL;
}

void agent_spool_pop(struct agent_spool *sp)
{
	const struct agent_spool_entry *e = agent_spool_oldest(sp);

	if (!e)
		return;
	unlinkat(sp->dfd, e->name, 0); /* a link itself, never its target */
	sp->bytes -= e->bytes < sp->bytes ? e->bytes : sp->bytes;
	sp->head++;
	sp->nr_q--;
	sp->nr -= sp->nr ? 1 : 0;
	if (sp->nr_q)
		return;
	sp->head = 0;
	refill(sp);
}

void agent_spool_trim(struct agent_spool *sp)
{
	while (sp->nr_q && sp->bytes > sp->max_bytes) {
		sp->nr_dropped++;
		sp->bytes_dropped += sp->q[sp->head].bytes;
		agent_spool_pop(sp);
	}
}

/* Write all of buf to fd. */
static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Create name new (never through a link or an existing file, left over or planted). */
static int create_new(const struct agent_spool *sp, const char *name)
{
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	int fd = openat(sp->dfd, name, flags, 0600);

	if (fd < 0 && errno == EEXIST && !unlinkat(sp->dfd, name, 0))
		fd = openat(sp->dfd, name, flags, 0600);
	return fd < 0 ? -errno : fd;
}

/* Write hdr line + body to a temporary file, then rename it to name. */
static int write_file(const struct agent_spool *sp, const char *name, const char *hdr,
		      const void *body, size_t len)
{
	char tmp[SPOOL_NAME_MAX + 8];
	int fd, err;

	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	fd = create_new(sp, tmp);
	if (fd < 0)
		return fd;
	err = hdr ? write_all(fd, hdr, strlen(hdr)) : 0;
	err = err ?: hdr ? write_all(fd, "\n", 1) : 0;
	err = err ?: write_all(fd, body, len);
	if (close(fd) && !err)
		err = -errno;
	if (!err && renameat(sp->dfd, tmp, sp->dfd, name))
		err = -errno;
	if (err)
		unlinkat(sp->dfd, tmp, 0);
	return err;
}

int agent_spool_put(struct agent_spool *sp, const char *tag, const char *hdr, const void *body,
		    size_t len)
{
	char name[SPOOL_NAME_MAX];
	uint64_t seq = sp->next_seq;
	uint64_t bytes = len + (hdr ? strlen(hdr) + 1 : 0);
	int n = snprintf(name, sizeof(name), "%012llu-%.100s%s", (unsigned long long)seq, tag,
			 sp->ext);
	int err;

	if (n < 0 || (size_t)n >= sizeof(name))
		return -ENAMETOOLONG;
	err = write_file(sp, name, hdr, body, len);
	if (err) {
		sp->nr_write_errors++;
		return err;
	}
	add_file(sp, seq, bytes, name);
	agent_spool_trim(sp);
	return 0;
}

/* Read all of fd (size bytes at most) into a malloc'ed buffer. */
static int read_fd(int fd, size_t size, char **out, size_t *len)
{
	char *buf = malloc(size + 1);
	size_t n = 0;
	ssize_t r = 1;

	if (!buf)
		return -ENOMEM;
	while (n < size && (r = read(fd, buf + n, size - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return -errno;
		}
		n += (size_t)r;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/*
 * Read a whole spool file: only a regular file of ours, opened without
 * following a link or blocking on a fifo (-EPERM otherwise, counted).
 */
static int read_all(struct agent_spool *sp, const char *name, char **out, size_t *len)
{
	int fd = openat(sp->dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	int err;

	if (fd < 0 && errno == ENOENT)
		return -ENOENT;
	if (fd < 0 || fstat(fd, &st) || !ours(&st) || (uint64_t)st.st_size > sp->max_bytes) {
		err = fd < 0 && errno != ELOOP ? -errno : -EPERM;
		if (fd >= 0)
			close(fd);
		if (err == -EPERM)
			sp->nr_skipped++;
		return err;
	}
	err = read_fd(fd, (size_t)st.st_size, out, len);
	close(fd);
	return err;
}

int agent_spool_read_oldest(struct agent_spool *sp, int want_hdr, char **hdr, char **body,
			    size_t *len)
{
	const struct agent_spool_entry *e = agent_spool_oldest(sp);
	char *buf = NULL, *nl;
	size_t n = 0;
	int err;

	if (!e)
		return -ENOENT;
	err = read_all(sp, e->name, &buf, &n);
	if (err)
		return err;
	*hdr = NULL;
	nl = want_hdr ? memchr(buf, '\n', n) : NULL;
	if (want_hdr && !nl) {
		free(buf);
		return -EINVAL;
	}
	if (nl) {
		*hdr = strndup(buf, (size_t)(nl - buf));
		n -= (size_t)(nl + 1 - buf);
		memmove(buf, nl + 1, n);
	}
	*body = buf;
	*len = n;
	return 0;
}
