/* SPDX-License-Identifier: MIT */
/*
 * What `pystrobe top` shows, as plain data, and its rendering into a text
 * buffer: a header (processes, samples/s, drops, per-process GIL and
 * syscall rates), then functions by self / total / GIL-held share. No
 * terminal I/O here, so the layout is unit-tested.
 */
#ifndef PYSTROBE_TOP_VIEW_H
#define PYSTROBE_TOP_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum top_sort { TOP_SORT_SELF = 0, TOP_SORT_TOTAL, TOP_SORT_GIL, TOP_SORT_SYS, TOP_SORT__COUNT };

/* Where a process's GIL-wait share comes from. */
enum top_wait {
	TOP_WAIT_NONE = 0, /* not audited (--no-gil, no GIL, not found yet): "-" */
	TOP_WAIT_ESTIMATED, /* the GIL audit fell back to samples (cost guard): no waits, "~" */
	TOP_WAIT_EXACT, /* from the GIL probes */
};

/* One function of the snapshot. */
struct top_row {
	const char *func; /* qualified name, or a pseudo frame "[no Python frame]" */
	const char *file; /* "" for pseudo frames */
	int32_t line; /* hot line (most self samples), else the first line */
	uint64_t self, total; /* samples */
	/* of its total samples: those whose thread held the GIL / whose GIL state was read */
	uint64_t gil_held, gil_known;
	size_t seen; /* while building: the last stack counted (1-based) */
	double sys_calls; /* syscalls in it and its callees (estimated from the audit's 1-in-N stacks) */
};

/* One process of the snapshot. */
struct top_proc {
	uint32_t pid;
	char label[48]; /* "python3 hot.py" */
	char python[16]; /* "3.12.1" */
	double samples_per_s;
	double gil_pct; /* of its samples with a known GIL state; < 0: unknown */
	double syscalls_per_s; /* < 0: not counted */
	uint64_t gil_held, gil_known; /* its samples' GIL states (gil_pct's source) */
	/*
	 * Of the time its threads held or waited for the GIL, the share spent
	 * waiting (exact GIL audit only; idle threads do not dilute it).
	 */
	double gil_wait_pct;
	enum top_wait gil_wait;
};

/* One line of the wall view: time in one reason at one leaf Python line. */
struct top_wall_row {
	const char *reason; /* the leaf pseudo frame: "[CPU]", "[sleep]", "[io: read fd 3 pipe]" */
	const char *func; /* the leaf Python function, or a pseudo frame when none */
	const char *file; /* "" when no Python frame */
	int32_t line;
	uint64_t ns; /* wall time in the snapshot's span */
};

struct top_model {
	double interval_s; /* time the snapshot covers */
	double elapsed_s; /* since top started */
	bool cumulative; /* since the start, not since the last refresh */
	bool paused;
	enum top_sort sort;
	bool procs_by_wait; /* process lines by GIL wait, not samples/s */
	uint32_t filter_pid; /* 0: every process */
	unsigned nr_live; /* processes profiled now */
	uint64_t nr_samples; /* samples in the snapshot */
	uint64_t lost; /* samples lost since the start (ring buffer full, unreadable state) */
	uint64_t partial; /* stacks cut since the start ([truncated], [unreadable]) */
	const char *note; /* a last line ("pid 42 exited"), or NULL */
	struct top_proc *procs;
	size_t nr_procs;
	struct top_row *rows;
	size_t nr_rows;
	uint64_t total; /* samples the percentages divide */
	bool has_sys; /* rows carry sys_calls (the syscall audit runs) */
	bool wall_view; /* show wall_rows (key w), not the CPU rows */
	bool has_wall; /* top --wall: the off-CPU program runs */
	struct top_wall_row *wall_rows; /* by ns, descending */
	size_t nr_wall_rows;
	uint64_t wall_ns; /* their sum: the percentages divide it */
};

/* A growing text buffer. */
struct top_buf {
	char *s;
	size_t len, cap;
};

void top_buf_reset(struct top_buf *b);
void top_buf_free(struct top_buf *b);

/* Order m->rows by m->sort (ties: self, total, name, file): deterministic. */
void top_view_sort(struct top_model *m);

/*
 * Render m into b (replacing its contents), at most cols columns and lines
 * lines. ansi: cursor home, inverse header, erase to end of line (a live
 * terminal); else plain lines (a snapshot for a pipe or file). 0 or -ENOMEM.
 */
int top_view_render(const struct top_model *m, unsigned cols, unsigned lines, bool ansi,
		    struct top_buf *b);

#endif /* PYSTROBE_TOP_VIEW_H */
