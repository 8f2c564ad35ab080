// SPDX-License-Identifier: MIT
/*
 * The thread-name reader (python/pyobj.c, pydict.c, pythreads.c) on
 * synthetic memory images built with each version's table offsets:
 * sys.modules -> threading -> _active -> Thread objects whose attributes sit
 * where that version keeps them (a dict at tp_dictoffset, 3.11's values
 * pointer, 3.12's tagged dict-or-values, 3.13+'s inline values).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "python/pythreads.h"

#define BASE 0x100000ULL
#define IMG_BYTES (64 * 1024)

/* A fake address space: [BASE, BASE + IMG_BYTES), bump-allocated. */
struct image {
	uint8_t mem[IMG_BYTES];
	uint64_t top;
	const struct py_layout *l;
};

static int img_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct image *im = ctx;

	if (addr < BASE || addr - BASE > IMG_BYTES || len > IMG_BYTES - (addr - BASE))
		return -EFAULT;
	memcpy(buf, im->mem + (addr - BASE), len);
	return 0;
}

/* n zeroed bytes (8-aligned) at a fresh address. */
static uint64_t alloc(struct image *im, size_t n)
{
	uint64_t at = im->top;

	im->top += (n + 7) & ~7ULL;
	cr_assert(im->top - BASE <= IMG_BYTES, "image full");
	return at;
}

static void put(struct image *im, uint64_t addr, uint64_t v, size_t n)
{
	memcpy(im->mem + (addr - BASE), &v, n);
}

/* A compact ASCII str. */
static uint64_t mk_str(struct image *im, const char *s)
{
	const struct ps_py_offsets *o = &im->l->off;
	uint64_t a = alloc(im, o->str_compact_data + strlen(s) + 1);

	put(im, a + o->str_len, strlen(s), 8);
	put(im, a + o->str_state, 1 << 2 | 1 << 5 | 1 << 6, 4); /* kind 1, compact, ascii */
	memcpy(im->mem + (a - BASE) + o->str_ascii_data, s, strlen(s));
	return a;
}

/* A positive int below 2^60. */
static uint64_t mk_int(struct image *im, uint64_t v)
{
	const struct py_names_pos *n = &im->l->names;
	uint64_t a = alloc(im, n->long_digit + 8);
	uint64_t nd = v >> 30 ? 2 : v ? 1 : 0;

	put(im, a + n->long_size, n->long_kind == PY_LONG_TAG ? (nd ? nd << 3 : 1) : nd, 8);
	put(im, a + n->long_digit, v & 0x3fffffff, 4);
	put(im, a + n->long_digit + 4, v >> 30, 4);
	return a;
}

/* A keys object of 8 slots holding nr entries (keys[i] -> vals[i], vals NULL: split). */
static uint64_t mk_keys(struct image *im, const uint64_t *keys, const uint64_t *vals, int nr,
			bool general)
{
	const struct py_names_pos *n = &im->l->names;
	bool log2 = n->dict_kind == PY_DICT_LOG2;
	uint16_t es = general ? n->entry_size : n->uentry_size;
	uint16_t ek = general ? n->entry_key : n->uentry_key;
	uint16_t ev = general ? n->entry_value : n->uentry_value;
	uint64_t k = alloc(im, n->keys_indices + 8 + 8 * es), e = k + n->keys_indices + 8;

	if (log2) {
		put(im, k + n->keys_size, 3, 1);
		put(im, k + n->keys_log2_index_bytes, 3, 1);
		put(im, k + n->keys_kind, general ? n->keys_kind_general : 1, 1);
	} else {
		put(im, k + n->keys_size, 8, 8);
	}
	put(im, k + n->keys_nentries, nr, 8);
	for (int i = 0; i < nr; i++) {
		put(im, e + i * es + ek, keys[i], 8);
		if (vals)
			put(im, e + i * es + ev, vals[i], 8);
	}
	return k;
}

static uint64_t mk_dict(struct image *im, const uint64_t *keys, const uint64_t *vals, int nr,
			bool general)
{
	const struct py_names_pos *n = &im->l->names;
	uint64_t d = alloc(im, n->dict_values + 8);

	put(im, d + n->dict_used, nr, 8);
	put(im, d + n->dict_keys, mk_keys(im, keys, vals, nr, general), 8);
	return d;
}

/* A Thread-like object: _name and _native_id where this version keeps them. */
static uint64_t mk_thread(struct image *im, const char *name, uint64_t tid, bool materialised)
{
	const struct py_names_pos *n = &im->l->names;
	uint64_t keys[2] = { mk_str(im, "_name"), mk_str(im, "_native_id") };
	uint64_t vals[2] = { mk_str(im, name), mk_int(im, tid) };
	uint64_t type = alloc(im, n->ht_cached_keys + 8), pre = alloc(im, 64), obj = pre + 32;
	uint64_t values;

	alloc(im, 16 + 8 + 16); /* the object, its inline values */
	put(im, obj + im->l->off.obj_type, type, 8);
	put(im, type + n->type_basicsize, 16, 8);
	if (n->flag_managed_dict == 0 || materialised) {
		uint64_t d = mk_dict(im, keys, vals, 2, false);

		put(im, type + n->type_dictoffset, n->flag_managed_dict ? 0 : 16, 8);
		put(im, type + n->type_flags, n->flag_managed_dict, 8);
		put(im, n->flag_managed_dict ? obj - n->managed_dict_back : obj + 16, d, 8);
		return obj;
	}
	put(im, type + n->type_flags, n->flag_managed_dict | n->flag_inline_values, 8);
	put(im, type + n->ht_cached_keys, mk_keys(im, keys, NULL, 2, false), 8);
	values = n->idict_kind == PY_IDICT_INLINE ? obj + 16 : alloc(im, 32);
	put(im, values + n->values_values, vals[0], 8);
	put(im, values + n->values_values + 8, vals[1], 8);
	if (n->idict_kind == PY_IDICT_INLINE)
		put(im, values + n->values_valid, 1, 1);
	else if (n->idict_kind == PY_IDICT_DORV)
		put(im, obj - n->managed_dict_back, values - 1, 8); /* tagged by bit 0 */
	else
		put(im, obj - n->managed_dict_back - 8, values, 8);
	return obj;
}

/* interp -> sys.modules {"sys", "threading"} -> threading.__dict__ {"_active"} -> threads. */
static uint64_t mk_interp(struct image *im, const uint64_t *threads, int nr)
{
	const struct py_names_pos *n = &im->l->names;
	uint64_t idents[4], mod = alloc(im, n->module_dict + 8), interp = alloc(im, 8);
	uint64_t mk[2] = { mk_str(im, "sys"), mk_str(im, "threading") }, mv[2] = { 0, mod };
	uint64_t ak[1] = { mk_str(im, "_active") }, av[1];

	interp = alloc(im, n->interp_modules + 8);
	for (int i = 0; i < nr; i++)
		idents[i] = mk_int(im, 0x7f0000001000ULL + i);
	av[0] = mk_dict(im, idents, threads, nr, true);
	mv[0] = mk_str(im, "not a module");
	put(im, mod + n->module_dict, mk_dict(im, ak, av, 1, false), 8);
	put(im, interp + n->interp_modules, mk_dict(im, mk, mv, 2, false), 8);
	return interp;
}

static struct image img;

/* threading._active of interp, then its threads (the two steps of a refresh). */
static int read_all(struct pymem *m, uint64_t interp, struct pythread *out, size_t cap, size_t *nr)
{
	uint64_t active;
	int err = pythreads_active(m, interp, &active);

	*nr = 0;
	return err ?: pythreads_read(m, active, out, cap, nr);
}

static struct pymem mem_of(struct image *im)
{
	return (struct pymem){
		.read = img_read, .ctx = im, .l = im->l, .budget_bytes = PYTHREADS_BUDGET_BYTES
	};
}

/*
 * With PYSTROBE_PYTHREADS_SEEDS=DIR, write the image as a seed of
 * tests/fuzz/fuzz_pythreads.c: table index, interp offset (u32 LE), memory.
 */
static void write_seed(const struct image *im, unsigned major, unsigned minor, bool mat,
		       uint64_t interp)
{
	const char *dir = getenv("PYSTROBE_PYTHREADS_SEEDS");
	uint32_t off = (uint32_t)(interp - BASE);
	uint8_t idx = 0;
	char path[512];
	FILE *f;

	if (!dir)
		return;
	while (idx < layout_count() && layout_at(idx) != im->l)
		idx++;
	snprintf(path, sizeof(path), "%s/%u.%u%s", dir, major, minor, mat ? "-dict" : "");
	f = fopen(path, "wb");
	cr_assert_not_null(f, "%s", path);
	fwrite(&idx, 1, 1, f);
	fwrite(&off, 4, 1, f);
	fwrite(im->mem, 1, im->top - BASE, f);
	fclose(f);
}

struct version_case {
	unsigned major, minor;
	bool materialised; /* the instance dict exists (Thread.__dict__ was used) */
};

ParameterizedTestParameters(pythreads, reads_names_and_native_ids)
{
	static struct version_case cases[] = {
		{ 3, 8, false }, { 3, 9, false },  { 3, 10, false }, { 3, 11, false },
		{ 3, 11, true }, { 3, 12, false }, { 3, 12, true },  { 3, 13, false },
		{ 3, 13, true }, { 3, 14, false }, { 3, 15, false },
	};

	return cr_make_param_array(struct version_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct version_case *c, pythreads, reads_names_and_native_ids)
{
	struct pythread out[4];
	uint64_t threads[3], interp;
	struct pymem m;
	size_t nr;
	int err;

	memset(&img, 0, sizeof(img));
	img.top = BASE + 64;
	img.l = layout_for_version(c->major, c->minor);
	cr_assert_not_null(img.l);
	threads[0] = mk_thread(&img, "MainThread", 100, c->materialised);
	threads[1] = mk_thread(&img, "grinder-1", 101, c->materialised);
	threads[2] = mk_thread(&img, "ThreadPoolExecutor-0_0", (1ULL << 31) + 5, c->materialised);
	m = mem_of(&img);
	interp = mk_interp(&img, threads, 3);
	write_seed(&img, c->major, c->minor, c->materialised, interp);
	err = read_all(&m, interp, out, 4, &nr);
	cr_assert_eq(err, 0, "%u.%u: expected 0, got %d", c->major, c->minor, err);
	cr_assert_eq(nr, 3, "%u.%u: expected 3 threads, got %zu", c->major, c->minor, nr);
	cr_expect_str_eq(out[1].name, "grinder-1");
	cr_expect_eq(out[1].tid, 101, "tid 101, got %u", out[1].tid);
	cr_expect_str_eq(out[2].name, "ThreadPoolExecutor-0_0");
	cr_expect_eq(out[2].tid, (1U << 31) + 5, "a tid of 2 digits, got %u", out[2].tid);
}

Test(pythreads, stops_at_the_byte_budget)
{
	uint64_t threads[1], interp;
	struct pythread out[1];
	struct pymem m;
	size_t nr;

	memset(&img, 0, sizeof(img));
	img.top = BASE + 64;
	img.l = layout_for_version(3, 12);
	threads[0] = mk_thread(&img, "grinder-1", 101, false);
	interp = mk_interp(&img, threads, 1);
	m = mem_of(&img);
	m.budget_bytes = 200;
	cr_expect_eq(read_all(&m, interp, out, 1, &nr), -E2BIG, "budget hit: -E2BIG");
	cr_expect_eq(nr, 0);
}

Test(pythreads, garbage_memory_gives_an_error_not_a_crash)
{
	struct pythread out[4];
	struct pymem m;
	size_t nr;

	img.l = layout_for_version(3, 11);
	srand(17);
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < IMG_BYTES; i++)
			img.mem[i] = rand() % 4 ? rand() : 0;
		for (size_t i = 0; i + 8 <= IMG_BYTES; i += 8 * (1 + rand() % 8)) /* pointers */
			put(&img, BASE + i, BASE + (rand() % IMG_BYTES), 8);
		m = mem_of(&img);
		read_all(&m, BASE + (rand() % IMG_BYTES), out, 4, &nr);
		cr_assert_leq(nr, 4);
		cr_assert_leq(PYTHREADS_BUDGET_BYTES - m.budget_bytes, PYTHREADS_BUDGET_BYTES);
	}
}

Test(pythreads, version_without_a_reader_is_enotsup)
{
	struct pythread out[1];
	struct pymem m;
	size_t nr;

	img.l = layout_for_version(3, 7);
	m = mem_of(&img);
	cr_expect_eq(read_all(&m, BASE, out, 1, &nr), -ENOTSUP, "3.7: no _native_id");
}

Test(pyobj, decodes_ucs2_str_as_utf8)
{
	const struct ps_py_offsets *o;
	char buf[32];
	uint64_t a;
	struct pymem m;

	memset(&img, 0, sizeof(img));
	img.top = BASE + 64;
	img.l = layout_for_version(3, 12);
	o = &img.l->off;
	a = alloc(&img, o->str_compact_data + 8);
	put(&img, a + o->str_len, 2, 8);
	put(&img, a + o->str_state, 2 << 2 | 1 << 5, 4); /* kind 2, compact, not ascii */
	put(&img, a + o->str_compact_data, 0x00e9 | 0x4e2dULL << 16, 4); /* é 中 */
	m = mem_of(&img);
	cr_assert_eq(pyobj_str(&m, a, buf, sizeof(buf)), 0);
	cr_expect_str_eq(buf, "\xc3\xa9\xe4\xb8\xad");
}

Test(pyobj, reads_negative_int_of_each_kind)
{
	int64_t v = 0;
	struct pymem m;
	uint64_t a;

	for (unsigned minor = 11; minor <= 12; minor++) {
		memset(&img, 0, sizeof(img));
		img.top = BASE + 64;
		img.l = layout_for_version(3, minor);
		a = mk_int(&img, 7);
		/* negative: ob_size -1 (3.11) / lv_tag 1 << 3 | 2 (3.12) */
		put(&img, a + img.l->names.long_size, minor == 11 ? (uint64_t)-1 : 1 << 3 | 2, 8);
		m = mem_of(&img);
		cr_assert_eq(pyobj_int(&m, a, &v), 0);
		cr_expect_eq(v, -7, "3.%u: expected -7, got %lld", minor, (long long)v);
	}
}
