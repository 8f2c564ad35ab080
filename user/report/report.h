/* SPDX-License-Identifier: MIT */
/*
 * Profile writers. Every format is one report_<fmt>.c file exposing a
 * struct report_ops; the aggregate hands each the same stacks and metadata.
 */
#ifndef PYSTROBE_REPORT_H
#define PYSTROBE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "report/outfile.h"

/* What a frame is; writers colour and label by it. */
enum report_frame_kind {
	RF_PYTHON = 0, /* a Python function: "qualname (file:line)" */
	RF_PROCESS, /* root: "name (pid)" */
	RF_THREAD, /* "thread name (tid)" under --threads */
	RF_PSEUDO, /* "[truncated]", "[unreadable]", "[no Python frame]" ... */
	RF_NATIVE, /* C function (--native) */
	RF_KERNEL, /* kernel function (--kernel) */
	RF__COUNT
};

struct report_frame {
	const char *name; /* printable UTF-8 without ';' or newline */
	uint8_t kind; /* enum report_frame_kind */
	/* the parts of a Python (or native) frame, for formats that keep them apart (pprof,
	 * speedscope); NULL / 0 for roots and pseudo frames */
	const char *func; /* qualified function name */
	const char *file; /* source file */
	int32_t line; /* line executing, 0 unknown */
	int32_t func_line; /* first line of the function (co_firstlineno), 0 unknown */
	const char *module; /* a native frame's module (soname or file name), else NULL */
};

/* A sample label (pprof): a string or a number. */
struct report_label {
	const char *
		key; /* "pid", "tid", "thread_name", "process_name", "python", "ns_pid", "cgroup", "gil_held" */
	const char *str; /* NULL for a number */
	int64_t num;
};

/* One distinct stack, root first, its weight and labels. */
struct report_stack {
	const struct report_frame *frames;
	size_t nr_frames;
	uint64_t weight; /* samples, or ns for time-weighted profiles */
	uint64_t weight2; /* second value (pprof), e.g. cpu ns = samples x period; 0 if none */
	const struct report_label *labels; /* only with profile_opts.labels */
	size_t nr_labels;
};

/* A "key: value" line every output carries (version, command, drops...). */
struct report_kv {
	const char *key;
	char value[256];
};

struct report_meta {
	const char *title; /* e.g. "pystrobe record" */
	const char *unit; /* of weight: "samples", "ns", "calls" */
	/* pprof sample types: (type, unit) of weight and, if type2, of weight2 */
	const char *type; /* "samples", "wait", "calls" (NULL: from unit) */
	const char *type2; /* "cpu", "time" or NULL */
	const char *unit2; /* "nanoseconds" */
	uint64_t period_ns; /* sampling period (pprof period), 0 if none */
	uint64_t start_unix_ns; /* wall-clock start */
	uint64_t duration_ns;
	const struct report_kv *kv; /* provenance, in order */
	size_t nr_kv;
	/*
	 * Optional (flame graph; pystrobe diff): the fill ("#rrggbb") and a tooltip
	 * note of the merged frame path[depth - 1], path[0..depth) being its stack
	 * from the root; an empty fill keeps the palette. NULL: palette only.
	 */
	void (*frame_style)(void *ctx, const struct report_frame *path, size_t depth,
			    uint64_t weight, char *fill, size_t fill_len, char *note,
			    size_t note_len);
	void *style_ctx;
};

struct report_ops {
	const char *name; /* --format value */
	/* Write all stacks (in the given order) to f; 0 or -errno. */
	int (*write)(FILE *f, const struct report_stack *stacks, size_t nr,
		     const struct report_meta *meta);
	const char *ext; /* default file name extension, e.g. "svg" */
	bool labels; /* wants process/thread as sample labels (profile_opts.labels), not roots */
};

extern const struct report_ops report_folded_ops;
extern const struct report_ops report_flamegraph_ops;
extern const struct report_ops report_pprof_ops;
extern const struct report_ops report_speedscope_ops;

/* The writer for a --format name, or NULL. */
const struct report_ops *report_find(const char *name);
/* "flamegraph, folded, pprof or ..." for error messages. */
const char *report_names(void);
/* Set meta's start (wall clock, now - duration) and duration from a run's length in seconds. */
void report_set_times(struct report_meta *meta, double duration_s);

/*
 * Write through ops to of (report/outfile.h, "-" = stdout) and close it: the
 * destination appears whole or not at all. 0 or -errno (reported by the caller).
 */
int report_write_file(const struct report_ops *ops, struct outfile *of,
		      const struct report_stack *stacks, size_t nr, const struct report_meta *meta);

#endif /* PYSTROBE_REPORT_H */
