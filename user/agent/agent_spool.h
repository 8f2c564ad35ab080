/* SPDX-License-Identifier: MIT */
/*
 * An ordered, size-capped queue of files in one directory: the push spool
 * (waiting for the backend) and the directory sink are both one. Files are
 * named <seq>-<tag><ext>, seq increasing, so the order survives a restart;
 * past the cap the oldest are deleted and counted.
 */
#ifndef PYSTROBE_AGENT_SPOOL_H
#define PYSTROBE_AGENT_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#define SPOOL_NAME_MAX 160
/*
 * Entries indexed in memory at most (176 bytes each): the oldest files. The
 * newer ones are only counted (nr, bytes) and indexed from a directory scan
 * when the index runs empty, so memory stays flat however many files the
 * cap holds (256 MB of 600-byte profiles would be 75 MB of index).
 */
#define SPOOL_INDEX_MAX 1024

struct agent_spool_entry {
	uint64_t seq;
	uint64_t bytes;
	char name[SPOOL_NAME_MAX]; /* file name inside dir */
};

struct agent_spool {
	char dir[512];
	int dfd; /* dir, opened and checked once: files are reached only through it */
	char ext[16]; /* ".push", ".pb.gz" */
	uint64_t max_bytes;
	uint64_t bytes; /* sum over all files, indexed or not */
	uint64_t next_seq;
	size_t nr; /* files, indexed or not */
	struct agent_spool_entry *q; /* the oldest files, oldest first: q[head .. head+nr_q) */
	size_t head, nr_q, cap;
	uint64_t last_q_seq; /* every file up to this seq is in q (or gone); newer: not */
	uint64_t nr_dropped; /* deleted to stay under the cap */
	uint64_t bytes_dropped;
	uint64_t nr_write_errors;
	uint64_t nr_skipped; /* not a regular file of ours (a link, a fifo, another owner) */
	char why[200]; /* what agent_spool_open found wrong */
};

/*
 * Create dir if needed, check it is ours and not group/other-writable
 * (-EPERM), and take over the files already there (oldest first); sp->why
 * says what failed. 0 or -errno.
 */
int agent_spool_open(struct agent_spool *sp, const char *dir, const char *ext, uint64_t max_bytes);
void agent_spool_close(struct agent_spool *sp);

/*
 * Append a file: the optional header line (hdr + '\n') then body. Written
 * to a temporary name and renamed. Then trims to the cap. 0 or -errno.
 */
int agent_spool_put(struct agent_spool *sp, const char *tag, const char *hdr, const void *body,
		    size_t len);

/* The oldest entry, or NULL (none, or the directory could not be read). */
const struct agent_spool_entry *agent_spool_oldest(const struct agent_spool *sp);

/*
 * Read the oldest entry: *hdr the header line (malloc'ed, no '\n', or
 * NULL when want_hdr is false), *body / *len the rest (malloc'ed). 0 or
 * -errno: -ENOENT gone, -EPERM not a regular file of ours (counted in nr_skipped).
 */
int agent_spool_read_oldest(struct agent_spool *sp, int want_hdr, char **hdr, char **body,
			    size_t *len);

/* Delete the oldest entry (sent). */
void agent_spool_pop(struct agent_spool *sp);

/* Drop oldest entries until bytes <= max_bytes (counted). */
void agent_spool_trim(struct agent_spool *sp);

#endif /* PYSTROBE_AGENT_SPOOL_H */
