/* SPDX-License-Identifier: MIT */
/*
 * Reading a few CPython objects (dict, str, int, an instance's attributes)
 * out of another process, with the offsets of struct py_names_pos. Every
 * pointer is hostile: each read is bounds-checked and counted against a
 * byte budget, so garbage memory gives an error, never a crash or a long walk.
 */
#ifndef PYSTROBE_PYOBJ_H
#define PYSTROBE_PYOBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "python/layout.h"

#define PYOBJ_DICT_MAX 4096 /* entries looked at in one dict; beyond: not seen */
#define PYOBJ_STR_MAX 1024 /* code points of a str decoded; beyond: cut */
#define PYOBJ_TYPE_READ_MAX 2048 /* bytes of a type object read (ht_cached_keys fits) */

/* Copy len bytes at addr into buf: 0 or -errno (-EFAULT when short). */
typedef int (*pymem_read_fn)(void *ctx, uint64_t addr, void *buf, size_t len);

/* A target's memory as the decoders see it. */
struct pymem {
	pymem_read_fn read;
	void *ctx;
	const struct py_layout *l; /* l->names: the offsets; l->off: str, ob_type */
	size_t budget_bytes; /* left: a read past it fails with -E2BIG */
	uint64_t nr_reads;
	bool over_budget; /* a read was refused for the budget: every walk stops */
};

/* Read len bytes at addr, counted against m's budget. 0 or -errno. */
int pymem_read(struct pymem *m, uint64_t addr, void *buf, size_t len);
/* The pointer-sized word at addr. */
int pymem_u64(struct pymem *m, uint64_t addr, uint64_t *v);

/* The str at addr as UTF-8 in buf (NUL-terminated, cut to cap-1 bytes). */
int pyobj_str(struct pymem *m, uint64_t addr, char *buf, size_t cap);
/* The int at addr if it fits in int64_t; -ERANGE if not. */
int pyobj_int(struct pymem *m, uint64_t addr, int64_t *v);

/* Called per live entry of a dict; a non-zero return stops the walk with it. */
typedef int (*pyobj_dict_fn)(void *ctx, uint64_t key, uint64_t value);
/* Every live entry of the dict at addr (at most PYOBJ_DICT_MAX). */
int pyobj_dict_each(struct pymem *m, uint64_t dict, pyobj_dict_fn fn, void *ctx);
/* The value of str key `name` in the dict at addr: 0, -ENOENT or -errno. */
int pyobj_dict_get(struct pymem *m, uint64_t dict, const char *name, uint64_t *value);
/* Instance attribute `name` of the object at addr (its __dict__ or inline values). */
int pyobj_attr(struct pymem *m, uint64_t obj, const char *name, uint64_t *value);

#endif /* PYSTROBE_PYOBJ_H */
