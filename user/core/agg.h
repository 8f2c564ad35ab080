/* SPDX-License-Identifier: MIT */
/*
 * Raw stack aggregation: identical (process, thread, flags, frames) samples
 * are counted once. Symbolization waits for the report, so a sample that
 * arrives before its symbol record (another CPU) loses nothing.
 */
#ifndef PYSTROBE_AGG_H
#define PYSTROBE_AGG_H

#include <stddef.h>
#include <stdint.h>
#include "lib/hashmap.h"
#include "ps_pystack.h"

/* Sample flags that make stacks distinct. */
#define AGG_KEY_FLAGS                                                                            \
	(PS_SAMPLE_TRUNCATED | PS_SAMPLE_UNREADABLE | PS_SAMPLE_NO_TSTATE | PS_SAMPLE_GIL_HELD | \
	 PS_SAMPLE_GIL_KNOWN)

enum agg_frame_kind {
	AGG_FRAME_PYTHON = 0, /* a Python frame as BPF sent it */
	AGG_FRAME_NATIVE, /* a named native frame (--native, native/xstack.c) */
	AGG_FRAME_KERNEL, /* a named kernel frame (--kernel, native/xstack.c) */
	AGG_FRAME_PSEUDO, /* a named pseudo frame: a --wall reason ("[GIL]", wall/wall_report.c) */
};

/* One frame of an aggregated stack. Hashed and compared as bytes: no padding. */
struct agg_frame {
	union {
		uint64_t code_addr; /* AGG_FRAME_PYTHON: as in struct ps_frame */
		const char *name; /* native / kernel: a pooled name */
	};
	uint32_t instr; /* Python: as in struct ps_frame, else 0 */
	uint16_t code_tag; /* Python: as in struct ps_frame, else 0 */
	uint8_t owner; /* Python: as in struct ps_frame (PS_FRAME_ENTRY), else 0 */
	uint8_t kind; /* enum agg_frame_kind */
};
_Static_assert(sizeof(struct agg_frame) == 16 && sizeof(const char *) == 8,
	       "struct agg_frame: no padding, the name covers the union");

/* The aggregation frame of Python frame f. */
static inline struct agg_frame agg_frame_python(const struct ps_frame *f)
{
	return (struct agg_frame){ .code_addr = f->code_addr,
				   .instr = f->instr,
				   .code_tag = f->code_tag,
				   .owner = f->owner,
				   .kind = AGG_FRAME_PYTHON };
}

/* A named native or kernel frame (kind AGG_FRAME_NATIVE / AGG_FRAME_KERNEL). */
static inline struct agg_frame agg_frame_named(const char *name, enum agg_frame_kind kind)
{
	return (struct agg_frame){ .name = name, .kind = kind };
}

struct raw_stack {
	uint64_t hash;
	uint64_t count; /* sum of the records' weights (samples, or ns) */
	uint32_t pid, gen, tid;
	uint32_t flags; /* AGG_KEY_FLAGS bits */
	uint32_t nr_frames;
	struct agg_frame frames[]; /* leaf first */
};

#define AGG_PYNAME_LEN 64 /* bytes of a Python thread name kept (NUL included) */

/* The last name seen for a thread, and its samples by GIL state. */
struct thread_name {
	uint32_t pid, tid;
	char comm[PS_COMM_LEN];
	char pyname[AGG_PYNAME_LEN]; /* threading.Thread name (core/thread_names.c), or "" */
	uint64_t nr_samples; /* samples of this thread (a CPU record may count 2) */
	uint64_t nr_gil_held; /* ... whose thread held the GIL */
	uint64_t nr_gil_known; /* ... whose GIL state could be read */
};

struct agg {
	struct hashmap stacks; /* struct raw_stack */
	struct hashmap threads; /* struct thread_name by tid */
	uint64_t nr_samples;
	uint64_t nr_malformed; /* records whose size disagreed with nr_frames */
};

/*
 * Samples a record stands for: a CPU sample, the mean periods its tick was
 * worth (bpf/sampler.bpf.c, tick_worth: 1 or 2, rarely 3); any other record
 * (a timed stack), one. Every count of samples adds this, never 1.
 */
uint64_t agg_samples_of(const struct ps_sample *s);

void agg_init(struct agg *a);
void agg_free(struct agg *a);

/*
 * Count one stack record of size bytes with its weight (1 when 0).
 * 0, -EINVAL (malformed, counted) or -ENOMEM.
 */
int agg_add(struct agg *a, const struct ps_sample *s, size_t size);

/*
 * Count the stack frames (nr of them, leaf first) with the process, thread,
 * flags and weight of sample header s (its own frames are not read).
 * 0 or -ENOMEM.
 */
int agg_add_frames(struct agg *a, const struct ps_sample *s, const struct agg_frame *frames,
		   uint32_t nr);

/*
 * Add src's stacks and thread counters to dst (only pid's when pid is not 0),
 * e.g. an interval into a running total. 0 or -ENOMEM.
 */
int agg_merge(struct agg *dst, const struct agg *src, uint32_t pid);

/*
 * Give thread tid of pid its Python name (the entry is made if it is new,
 * with no samples). 0 or -ENOMEM.
 */
int agg_name_thread(struct agg *a, uint32_t pid, uint32_t tid, const char *name);

/* A thread's name: its Python name when known, else its OS name (comm). */
static inline const char *agg_name_of(const struct thread_name *t)
{
	return t->pyname[0] ? t->pyname : t->comm;
}

/* Where agg_name_of's name comes from: "python" or "os" (the JSON's thread_name_source). */
static inline const char *agg_name_source(const struct thread_name *t)
{
	return t->pyname[0] ? "python" : "os";
}

/* Name of thread tid ("?" if never seen): Python's name if known, else comm. */
const char *agg_thread_name(const struct agg *a, uint32_t tid);
/* The thread entry of tid, or NULL. */
const struct thread_name *agg_thread(const struct agg *a, uint32_t tid);

#endif /* PYSTROBE_AGG_H */
