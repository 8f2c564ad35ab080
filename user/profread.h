/* SPDX-License-Identifier: MIT */
/*
 * Reading profiles back (pystrobe diff): folded stacks and pprof (gzipped
 * or raw protobuf). Untrusted input: every error names the byte offset
 * where the input stopped making sense.
 */
#ifndef PYSTROBE_PROFREAD_H
#define PYSTROBE_PROFREAD_H

#include <stddef.h>
#include <stdint.h>
#include "strpool.h"

#define PR_MAX_FRAMES 65536 /* deeper stacks are an error (no profile of ours is deeper) */
#define PR_MAX_INFLATED (512u << 20) /* gunzipped pprof larger than this is an error */

/* One stack: frame names root first (pooled), its weight. */
struct pr_stack {
	const char **frames;
	size_t nr_frames;
	uint64_t weight;
};

struct pr_profile {
	struct strpool *pool; /* frame names; shared between profiles to compare pointers */
	struct pr_stack *stacks;
	size_t nr_stacks, cap_stacks;
	uint64_t total; /* sum of weights */
	char unit[64]; /* "samples", "count", "nanoseconds" ... */
};

/* What was wrong and where (byte offset in the file, or in the gunzipped data). */
struct pr_error {
	size_t offset;
	int in_inflated; /* offset counts bytes after gunzip */
	char what[160];
};

/*
 * Parse folded stacks (`# ` comment lines, "a;b;c N" lines). 0, -EINVAL
 * with e filled for bad input, -ENOMEM.
 */
int folded_read(const char *data, size_t len, struct pr_profile *p, struct pr_error *e);
/* Parse a raw (not gzipped) perftools.profiles.Profile; first sample value. Same returns. */
int pprof_read(const uint8_t *data, size_t len, struct pr_profile *p, struct pr_error *e);
/* Gunzip data into a malloc'ed buffer (*out, *out_len). Same returns. */
int pr_gunzip(const uint8_t *data, size_t len, uint8_t **out, size_t *out_len, struct pr_error *e);
/*
 * Any of the three by content: gzip magic -> gunzip -> pprof; a protobuf
 * looking start (not text) -> pprof; else folded.
 */
int pr_read_buf(const uint8_t *data, size_t len, struct pr_profile *p, struct pr_error *e);
/* Read a whole file and pr_read_buf it; -errno when it cannot be read (e->what says so). */
int pr_read_file(const char *path, struct pr_profile *p, struct pr_error *e);

/* Append a stack (frames copied into the pool). 0 or -ENOMEM. */
int pr_add(struct pr_profile *p, const char *const *frames, size_t nr, uint64_t weight);
void pr_profile_free(struct pr_profile *p); /* not the pool */

#endif /* PYSTROBE_PROFREAD_H */
