/* SPDX-License-Identifier: MIT */
/*
 * A profile read back (pystrobe diff): its stacks, the error a reader
 * reports, and the readers (folded_read.c, pprof_read.c). Untrusted input:
 * every error names the byte offset where the input stopped making sense.
 */
#ifndef PYSTROBE_PROFDATA_H
#define PYSTROBE_PROFDATA_H

#include <stddef.h>
#include <stdint.h>
#include "lib/strpool.h"

#define PR_MAX_FRAMES 65536 /* deeper stacks are an error (no profile of ours is deeper) */
#define PR_MAX_INFLATED (512u << 20) /* gunzipped pprof larger than this is an error */

/* One stack: frame names root first (pooled), its weight. */
struct profdata_stack {
	const char **frames;
	size_t nr_frames;
	uint64_t weight;
};

struct profdata {
	struct strpool *pool; /* frame names; shared between profiles to compare pointers */
	struct profdata_stack *stacks;
	size_t nr_stacks, cap_stacks;
	uint64_t total; /* sum of weights */
	char unit[64]; /* "samples", "count", "nanoseconds" ... */
	uint64_t period_ns; /* one sample's time (pprof period, folded frequency_hz), 0: unknown */
};

/* What was wrong and where (byte offset in the file, or in the gunzipped data). */
struct profdata_error {
	size_t offset;
	int in_inflated; /* offset counts bytes after gunzip */
	char what[160];
};

/*
 * Parse folded stacks (`# ` comment lines, "a;b;c N" lines). 0, -EINVAL
 * with e filled for bad input, -ENOMEM.
 */
int folded_read(const char *data, size_t len, struct profdata *p, struct profdata_error *e);
/* Parse a raw (not gzipped) perftools.profiles.Profile; first sample value. Same returns. */
int pprof_read(const uint8_t *data, size_t len, struct profdata *p, struct profdata_error *e);
/* Gunzip data into a malloc'ed buffer (*out, *out_len). Same returns. */
int profdata_gunzip(const uint8_t *data, size_t len, uint8_t **out, size_t *out_len,
		    struct profdata_error *e);
/* Fill e with offset and message (not in the gunzipped data); -EINVAL, for `return profdata_fail(...)`. */
int profdata_fail(struct profdata_error *e, size_t offset, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Append a stack (frames copied into the pool). 0 or -ENOMEM. */
int profdata_add(struct profdata *p, const char *const *frames, size_t nr, uint64_t weight);
void profdata_free(struct profdata *p); /* not the pool */

#endif /* PYSTROBE_PROFDATA_H */
