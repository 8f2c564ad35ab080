// SPDX-License-Identifier: MIT
/* A size-capped ordered file queue (push spool, directory sink). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

/* Room for one more entry at the tail (compacting or growing the array). */
static int reserve(struct agent_spool *sp)
{
	struct agent_spool_entry *q;
	size_t cap;

	if (sp->head + sp->nr < sp->cap)
		return 0;
	if (sp->head) {
		memmove(sp->q, sp->q + sp->head, sp->nr * sizeof(*sp->q));
		sp->head = 0;
		return 0;
	}
	cap = sp->cap ? sp->cap * 2 : 64;
	q = realloc(sp->q, cap * sizeof(*q));
	if (!q)
		return -ENOMEM;
	sp->q = q;
	sp->cap = cap;
	return 0;
}

/* Append an entry record (the file exists). */
static int push_entry(struct agent_spool *sp, uint64_t seq, uint64_t bytes, const char *name)
{
	struct agent_spool_entry *e;

	if (reserve(sp))
		return -ENOMEM;
	e = &sp->q[sp->head + sp->nr++];
	e->seq = seq;
	e->bytes = bytes;
	snprintf(e->name, sizeof(e->name), "%s", name);
	sp->bytes += bytes;
	if (seq >= sp->next_seq)
		sp->next_seq = seq + 1;
	return 0;
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

/* Take over the files a previous run left, in seq order. */
static int scan(struct agent_spool *sp)
{
	DIR *d = opendir(sp->dir);
	struct dirent *de;
	struct stat st;
	uint64_t seq;
	int err = 0;

	if (!d)
		return -errno;
	while (!err && (de = readdir(d))) {
		if (parse_name(sp, de->d_name, &seq) || fstatat(dirfd(d), de->d_name, &st, 0) ||
		    !S_ISREG(st.st_mode))
			continue;
		err = push_entry(sp, seq, (uint64_t)st.st_size, de->d_name);
	}
	closedir(d);
	if (sp->nr)
		qsort(sp->q + sp->head, sp->nr, sizeof(*sp->q), cmp_entry);
	return err;
}

int agent_spool_open(struct agent_spool *sp, const char *dir, const char *ext, uint64_t max_bytes)
{
	int err;

	memset(sp, 0, sizeof(*sp));
	if (strlen(dir) >= sizeof(sp->dir) || strlen(ext) >= sizeof(sp->ext))
		return -ENAMETOOLONG;
	snprintf(sp->dir, sizeof(sp->dir), "%s", dir);
	snprintf(sp->ext, sizeof(sp->ext), "%s", ext);
	sp->max_bytes = max_bytes;
	sp->next_seq = 1;
	err = mkdir_p(dir);
	err = err ?: scan(sp);
	if (!err)
		agent_spool_trim(sp);
	return err;
}

void agent_spool_close(struct agent_spool *sp)
{
	free(sp->q);
	sp->q = NULL;
	sp->nr = sp->cap = sp->head = 0;
}

const struct agent_spool_entry *agent_spool_oldest(const struct agent_spool *sp)
{
	return sp->nr ? &sp->q[sp->head] : NULL;
}

void agent_spool_pop(struct agent_spool *sp)
{
	char path[1024];
	const struct agent_spool_entry *e = agent_spool_oldest(sp);

	if (!e)
		return;
	snprintf(path, sizeof(path), "%s/%s", sp->dir, e->name);
	unlink(path);
	sp->bytes -= e->bytes;
	sp->head++;
	sp->nr--;
	if (!sp->nr)
		sp->head = 0;
}

void agent_spool_trim(struct agent_spool *sp)
{
	while (sp->nr && sp->bytes > sp->max_bytes) {
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

/* Write hdr line + body to a temporary file, then rename it to name. */
static int write_file(const struct agent_spool *sp, const char *name, const char *hdr,
		      const void *body, size_t len)
{
	char tmp[1024], path[1024];
	int fd, err;

	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", sp->dir, name);
	snprintf(path, sizeof(path), "%s/%s", sp->dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	err = hdr ? write_all(fd, hdr, strlen(hdr)) : 0;
	err = err ?: hdr ? write_all(fd, "\n", 1) : 0;
	err = err ?: write_all(fd, body, len);
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
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
	err = push_entry(sp, seq, bytes, name);
	agent_spool_trim(sp);
	return err;
}

/* Read a whole file (malloc'ed). */
static int read_all(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf;
	size_t n;

	if (!f)
		return -errno;
	if (fstat(fileno(f), &st) || !(buf = malloc((size_t)st.st_size + 1))) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(buf, 1, (size_t)st.st_size, f);
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int agent_spool_read_oldest(const struct agent_spool *sp, int want_hdr, char **hdr, char **body,
			    size_t *len)
{
	const struct agent_spool_entry *e = agent_spool_oldest(sp);
	char path[1024], *buf = NULL, *nl;
	size_t n = 0;
	int err;

	if (!e)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/%s", sp->dir, e->name);
	err = read_all(path, &buf, &n);
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
