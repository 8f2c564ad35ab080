/* SPDX-License-Identifier: MIT */
/*
 * Python's own thread names: threading._active (ident -> Thread) read from
 * a target's memory, each Thread's _name and _native_id (the OS thread id,
 * 3.8+). Reads go through struct pymem (bounded, budgeted).
 */
#ifndef PYSTROBE_PYTHREADS_H
#define PYSTROBE_PYTHREADS_H

#include <stddef.h>
#include <stdint.h>
#include "python/pyobj.h"

#define PYTHREAD_NAME_MAX 64 /* bytes of a name kept (NUL included); longer: cut */
#define PYTHREADS_MAX 1024 /* threads read per refresh; beyond: unnamed */
#define PYTHREADS_BUDGET_BYTES (1 << 20) /* bytes read per refresh; beyond: the rest unnamed */

struct pythread {
	uint32_t tid; /* Thread._native_id */
	uint32_t ns_tid; /* for the caller: tid in the target's pid namespace */
	char name[PYTHREAD_NAME_MAX]; /* Thread._name, UTF-8 */
};

/*
 * The address of threading._active (a dict, kept for the process's life) in
 * the interpreter at interp (a PyInterpreterState): 0, -ENOTSUP (version
 * without a reader), -ENOENT (threading not imported) or -errno.
 */
int pythreads_active(struct pymem *m, uint64_t interp, uint64_t *active);

/*
 * The threads of the _active dict at active: up to cap into out, their
 * number in *nr. 0 (also with some threads unread), -ENOTSUP or -errno.
 */
int pythreads_read(struct pymem *m, uint64_t active, struct pythread *out, size_t cap, size_t *nr);

/* The first interpreter of a process whose runtime (or interp_head) is at runtime_addr. */
int pythreads_interp(struct pymem *m, uint64_t runtime_addr, uint64_t *interp);

#endif /* PYSTROBE_PYTHREADS_H */
