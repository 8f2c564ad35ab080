// SPDX-License-Identifier: MIT
/*
 * Dicts and instance attributes read from another process: combined and
 * split tables of 3.8-3.10 (dk_size) and 3.11+ (dk_log2_size, dk_kind), and
 * where an instance keeps its attributes in each version (py_idict_kind).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "python/pyobj.h"

#define WORD 8
#define KEY_MAX 64 /* bytes of a dict key compared to a wanted name */
#define CHUNK 64 /* dict entries read at once */
#define KEYS_HDR_MAX 64 /* bytes of a PyDictKeysObject head (dk_indices <= this) */
#define LOG2_SIZE_MAX 30 /* a bigger table is garbage, not a dict of threads */

/* A dict's entries: where they are and how to read one. */
struct dict_view {
	uint64_t entries; /* first entry */
	uint64_t values; /* split table: the values array, else 0 */
	uint64_t nr; /* dk_nentries, capped at PYOBJ_DICT_MAX */
	uint16_t esize, ekey, evalue; /* entry size, key and value offsets */
};

static uint64_t ld(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	memcpy(&v, p, n);
	return v;
}

/* Index bytes of a 3.8-3.10 table of size slots (dictobject.c DK_IXSIZE). */
static uint64_t index_bytes_38(uint64_t size)
{
	unsigned w = size <= 0xff ? 1 : size <= 0xffff ? 2 : 4;

	return size * w;
}

/* Fill v from the keys object at keys (values: a split table's values array or 0). */
static int keys_view(struct pymem *m, uint64_t keys, uint64_t values, struct dict_view *v)
{
	const struct py_names_pos *n = &m->l->names;
	uint8_t h[KEYS_HDR_MAX];
	uint64_t size, ib;
	bool general = true;
	int err;

	if (n->keys_indices > sizeof(h))
		return -EINVAL;
	if ((err = pymem_read(m, keys, h, n->keys_indices)))
		return err;
	if (n->dict_kind == PY_DICT_SIZE) {
		size = ld(h + n->keys_size, WORD);
		if (size < 8 || size > 1ULL << LOG2_SIZE_MAX || (size & (size - 1)))
			return -EINVAL;
		ib = index_bytes_38(size);
	} else if (n->dict_kind == PY_DICT_LOG2) {
		size = ld(h + n->keys_size, 1);
		ib = ld(h + n->keys_log2_index_bytes, 1);
		if (size > LOG2_SIZE_MAX || ib < size || ib > size + 3)
			return -EINVAL;
		size = 1ULL << size;
		ib = 1ULL << ib;
		general = ld(h + n->keys_kind, 1) == n->keys_kind_general;
	} else {
		return -ENOTSUP;
	}
	v->nr = ld(h + n->keys_nentries, WORD);
	if (v->nr > size)
		return -EINVAL;
	if (v->nr > PYOBJ_DICT_MAX)
		v->nr = PYOBJ_DICT_MAX;
	v->entries = keys + n->keys_indices + ib;
	v->values = values;
	v->esize = general ? n->entry_size : n->uentry_size;
	v->ekey = general ? n->entry_key : n->uentry_key;
	v->evalue = general ? n->entry_value : n->uentry_value;
	return v->esize && v->esize <= 3 * WORD ? 0 : -EINVAL;
}

/* Fill v from the PyDictObject at dict. */
static int dict_view(struct pymem *m, uint64_t dict, struct dict_view *v)
{
	const struct py_names_pos *n = &m->l->names;
	uint64_t keys, values;
	int err;

	if ((err = pymem_u64(m, dict + n->dict_keys, &keys)) ||
	    (err = pymem_u64(m, dict + n->dict_values, &values)))
		return err;
	return keys_view(m, keys, values ? values + n->values_values : 0, v);
}

/* Walk entries [0, v->nr) in chunks, calling fn on each live one. */
static int view_each(struct pymem *m, const struct dict_view *v, pyobj_dict_fn fn, void *ctx)
{
	uint8_t ents[CHUNK * 3 * WORD];
	uint64_t vals[CHUNK];
	int err = 0;

	for (uint64_t i = 0; !err && i < v->nr; i += CHUNK) {
		uint64_t nr = v->nr - i < CHUNK ? v->nr - i : CHUNK;

		if ((err = pymem_read(m, v->entries + i * v->esize, ents, nr * v->esize)))
			return err;
		if (v->values && (err = pymem_read(m, v->values + i * WORD, vals, nr * WORD)))
			return err;
		for (uint64_t j = 0; !err && j < nr; j++) {
			uint64_t key = ld(ents + j * v->esize + v->ekey, WORD);
			uint64_t val =
				v->values ? vals[j] : ld(ents + j * v->esize + v->evalue, WORD);

			if (key && val) /* 0: a deleted entry, or absent from this split table */
				err = fn(ctx, key, val);
		}
	}
	return err;
}

int pyobj_dict_each(struct pymem *m, uint64_t dict, pyobj_dict_fn fn, void *ctx)
{
	struct dict_view v;
	int err = dict_view(m, dict, &v);

	return err ?: view_each(m, &v, fn, ctx);
}

/* The wanted key, and its value once found. */
struct find {
	struct pymem *m;
	const char *name;
	uint64_t value;
};

/* pyobj_dict_fn: stop (1) at the str key equal to f->name. */
static int match(void *ctx, uint64_t key, uint64_t value)
{
	struct find *f = ctx;
	char buf[KEY_MAX];

	if (pyobj_str(f->m, key, buf, sizeof(buf)) || strcmp(buf, f->name))
		/* a key that is no str (threading._active's ints) is no match */
		return f->m->over_budget ? -E2BIG : 0;
	f->value = value;
	return 1;
}

/* Look name up in view v: 0, -ENOENT or -errno. */
static int view_get(struct pymem *m, const struct dict_view *v, const char *name, uint64_t *value)
{
	struct find f = { m, name, 0 };
	int err = view_each(m, v, match, &f);

	if (err == 1)
		*value = f.value;
	return err == 1 ? 0 : err ?: -ENOENT;
}

int pyobj_dict_get(struct pymem *m, uint64_t dict, const char *name, uint64_t *value)
{
	struct dict_view v;
	int err = dict_view(m, dict, &v);

	return err ?: view_get(m, &v, name, value);
}

/* The type fields an attribute lookup needs. */
struct type_info {
	uint64_t basicsize, flags, cached_keys;
	int64_t dictoffset;
};

static int type_info(struct pymem *m, uint64_t obj, struct type_info *t)
{
	const struct py_names_pos *n = &m->l->names;
	uint8_t buf[PYOBJ_TYPE_READ_MAX];
	uint64_t type;
	int err;

	if ((size_t)n->ht_cached_keys + WORD > sizeof(buf))
		return -EINVAL;
	if ((err = pymem_u64(m, obj + m->l->off.obj_type, &type)) ||
	    (err = pymem_read(m, type, buf, n->ht_cached_keys + WORD)))
		return err;
	t->basicsize = ld(buf + n->type_basicsize, WORD);
	t->dictoffset = (int64_t)ld(buf + n->type_dictoffset, WORD);
	t->flags = ld(buf + n->type_flags, WORD);
	t->cached_keys = ld(buf + n->ht_cached_keys, WORD);
	return t->basicsize < PYOBJ_TYPE_READ_MAX * 16 ? 0 : -EINVAL;
}

/* Look name up in the values array of a split table keyed by the type's shared keys. */
static int values_get(struct pymem *m, const struct type_info *t, uint64_t values, const char *name,
		      uint64_t *value)
{
	struct dict_view v;
	int err = keys_view(m, t->cached_keys, values + m->l->names.values_values, &v);

	return err ?: view_get(m, &v, name, value);
}

/* 3.13+ inline values at tp_basicsize: are they still the object's own (valid)? */
static int inline_valid(struct pymem *m, uint64_t values, bool *valid)
{
	uint8_t b;
	int err = pymem_read(m, values + m->l->names.values_valid, &b, 1);

	*valid = !err && b;
	return err;
}

/*
 * Where a managed-dict instance keeps attributes: *values (a values array
 * keyed by the type's cached keys) or *dict (a materialised dict), per
 * version (enum py_idict_kind; CPython's _PyObject_ManagedDictPointer and
 * friends in pycore_object.h).
 */
static int managed(struct pymem *m, uint64_t obj, const struct type_info *t, uint64_t *values,
		   uint64_t *dict)
{
	const struct py_names_pos *n = &m->l->names;
	uint64_t at = obj - n->managed_dict_back, w;
	bool valid = false;
	int err;

	*values = *dict = 0;
	if (n->idict_kind == PY_IDICT_INLINE && (t->flags & n->flag_inline_values)) {
		if ((err = inline_valid(m, obj + t->basicsize, &valid)))
			return err;
		if (valid) {
			*values = obj + t->basicsize;
			return 0;
		}
	}
	if (n->idict_kind == PY_IDICT_VALUES_PTR && (err = pymem_u64(m, at - WORD, values)))
		return err;
	if (*values)
		return 0;
	if ((err = pymem_u64(m, at, &w)))
		return err;
	if (n->idict_kind == PY_IDICT_DORV && (w & 1))
		*values = w + 1; /* 3.12 _PyDictOrValues_GetValues: values tagged by bit 0 */
	else
		*dict = w;
	return 0;
}

int pyobj_attr(struct pymem *m, uint64_t obj, const char *name, uint64_t *value)
{
	uint64_t values = 0, dict = 0;
	struct type_info t;
	int err = type_info(m, obj, &t);

	if (err)
		return err;
	if (m->l->names.flag_managed_dict && (t.flags & m->l->names.flag_managed_dict))
		err = managed(m, obj, &t, &values, &dict);
	else if (t.dictoffset > 0)
		err = pymem_u64(m, obj + (uint64_t)t.dictoffset, &dict);
	else
		return -ENOENT; /* no __dict__ (or a var-sized object's, not read) */
	if (err)
		return err;
	if (values)
		return values_get(m, &t, values, name, value);
	return dict ? pyobj_dict_get(m, dict, name, value) : -ENOENT;
}
