/* SPDX-License-Identifier: MIT */
/*
 * --kernel and --native: read each sample's struct ps_xstack trailer, name
 * its kernel frames (kallsyms) and unwind its user stack (elfutils libdw,
 * from the copied stack and registers), then merge: each CPython eval-loop
 * frame of the native stack is replaced by the Python frames it was
 * running. The result is aggregated as a stack of Python frames and named
 * native / kernel frames (struct agg_frame).
 */
#ifndef PYSTROBE_XSTACK_H
#define PYSTROBE_XSTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ps_pystack.h"
#include "core/agg.h"
#include "lib/strpool.h"

struct xstack;

/* What could not be joined or unwound. */
struct xstack_stats {
	uint64_t nr_joined; /* samples whose extras were merged */
	uint64_t nr_unmatched; /* samples without extras (or with malformed ones) */
	uint64_t nr_unwind_failed; /* user stacks that gave no frame beyond the first */
	uint64_t nr_no_eval; /* native stacks without an eval frame: Python frames at the root */
	uint64_t nr_over_budget; /* samples not unwound: the unwinding budget was spent */
	uint64_t nr_slow; /* user stacks unwound by libdw (a frame the fast walk cannot do) */
};

/*
 * The share of a core (percent) --native may spend unwinding by default:
 * samples beyond it keep their Python and kernel frames only, counted.
 */
#define XSTACK_BUDGET_PCT_DEFAULT 1.0

/* NULL with errno (reported). kernel: name kernel frames; native: unwind user stacks. */
struct xstack *xstack_new(bool kernel, bool native, struct strpool *pool);
void xstack_free(struct xstack *x);

/* Allow pct % of a core of unwinding CPU time (0: no limit). */
void xstack_set_budget(struct xstack *x, double pct);

/*
 * Count sample smp (size bytes) in a with its extras merged in; as it is
 * when it has none. As agg_add: 0, -EINVAL (malformed, counted) or -ENOMEM.
 */
int xstack_add(struct xstack *x, struct agg *a, const struct ps_sample *smp, size_t size);

/* Drop what is cached for process pid (it exited). */
void xstack_forget(struct xstack *x, uint32_t pid);

const struct xstack_stats *xstack_stats(const struct xstack *x);

struct run_stats;
/* Name each non-zero loss of x as a note of the run's summary. */
void xstack_note_losses(const struct xstack *x, struct run_stats *rs);

struct session;
/*
 * Make x a listener of session s (opened with kernel_stack / user_stack):
 * it merges each sample's struct ps_xstack trailer into its stack, forgets
 * exited processes and notes its losses at the end.
 * 0 or -errno.
 */
int xstack_listen(struct xstack *x, struct session *s);

/*
 * Merge (pure, for tests): Python frames py (leaf first, PS_FRAME_ENTRY marks
 * the rootmost frame of each C-level eval call), native frames nat (leaf
 * first, is_eval[i] for eval-loop frames) and kernel frames kern into out
 * (leaf first: kernel, native with each eval frame replaced by its Python
 * frames, the Python frames left over). Frames written (at most max).
 */
size_t xstack_merge(const struct agg_frame *py, size_t nr_py, const struct agg_frame *nat,
		    const bool *is_eval, size_t nr_nat, const struct agg_frame *kern,
		    size_t nr_kern, struct agg_frame *out, size_t max);

#endif /* PYSTROBE_XSTACK_H */
