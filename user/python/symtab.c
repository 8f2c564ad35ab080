// SPDX-License-Identifier: MIT
/* Store of code-object symbols received from BPF. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lib/utf8.h"
#include "python/symtab.h"
#include "target/refusals.h"

#define NAME_UTF8_MAX (PS_STR_MAX * 3 + 8) /* a UCS-2/4 name can grow to 3-4x in UTF-8 */

struct sym_key {
	uint32_t pid, gen;
	uint64_t code;
	uint16_t tag;
};

static uint64_t sym_hash(uint32_t pid, uint32_t gen, uint64_t code, uint16_t tag)
{
	return hash_u64(code ^ hash_u64((uint64_t)pid << 32 | gen) ^ tag);
}

static bool sym_eq(const void *item, const void *key)
{
	const struct pysym *s = item;
	const struct sym_key *k = key;

	return s->code_addr == k->code && s->pid == k->pid && s->gen == k->gen &&
	       s->code_tag == k->tag;
}

/* A line table, shared by the symbols of one process that use its table object. */
struct ltblob {
	uint32_t pid, gen;
	uint64_t obj; /* the table object's address; 0: not shared (from a BPF record) */
	uint32_t refs; /* symbols using it */
	uint32_t len;
	uint8_t data[];
};

/* Bytes charged to one process (pid, gen). */
struct budget {
	uint32_t pid, gen;
	uint64_t lt_bytes, sym_bytes;
};

struct blob_key {
	uint32_t pid, gen;
	uint64_t obj;
};

static bool blob_eq(const void *item, const void *key)
{
	const struct ltblob *b = item;
	const struct blob_key *k = key;

	return b->obj == k->obj && b->pid == k->pid && b->gen == k->gen;
}

static bool budget_eq(const void *item, const void *key)
{
	const struct budget *b = item;
	const struct blob_key *k = key;

	return b->pid == k->pid && b->gen == k->gen;
}

/* The budget row of (pid, gen), made on first use; NULL on ENOMEM. */
static struct budget *budget_get(struct symtab *st, uint32_t pid, uint32_t gen)
{
	struct blob_key k = { pid, gen, 0 };
	uint64_t h = hash_u64((uint64_t)pid << 32 | gen);
	struct budget *b = hashmap_find(&st->budgets, h, &k, budget_eq);

	if (b)
		return b;
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->pid = pid;
	b->gen = gen;
	if (hashmap_insert(&st->budgets, h, b)) {
		free(b);
		return NULL;
	}
	return b;
}

/*
 * Charge n bytes to one process's counter and the total, within their
 * budgets; false (counted as refusal r) when either would be exceeded.
 */
static bool charge(uint64_t *proc, uint64_t *total, uint64_t proc_max, uint64_t total_max,
		   uint64_t n, enum refusal r)
{
	if (*proc + n > proc_max || *total + n > total_max) {
		refusals_add(r);
		return false;
	}
	*proc += n;
	*total += n;
	return true;
}

/* Charge a line table of len bytes to (pid, gen); false if refused or ENOMEM. */
static bool charge_lt(struct symtab *st, uint32_t pid, uint32_t gen, uint64_t len)
{
	struct budget *b = budget_get(st, pid, gen);

	return b && charge(&b->lt_bytes, &st->lt_bytes, SYMTAB_LT_PROC_MAX_BYTES,
			   SYMTAB_LT_TOTAL_MAX_BYTES, len, REFUSED_LINETABLE);
}

/* Give back what a line table or symbol of (pid, gen) was charged. */
static void uncharge(struct symtab *st, uint32_t pid, uint32_t gen, uint64_t lt, uint64_t sym)
{
	struct budget *b = budget_get(st, pid, gen);

	st->lt_bytes -= lt;
	st->sym_bytes -= sym;
	if (b) {
		b->lt_bytes -= lt;
		b->sym_bytes -= sym;
	}
}

/* What a symbol costs besides its line table: the struct and its names. */
static uint64_t sym_cost(const struct pysym *s)
{
	return sizeof(*s) + strlen(s->filename) + strlen(s->name) + 2;
}

/* A new unshared blob of (pid, gen) holding len bytes (charged); NULL if refused. */
static struct ltblob *blob_new(struct symtab *st, uint32_t pid, uint32_t gen, uint64_t obj,
			       size_t len)
{
	struct ltblob *b;

	if (!charge_lt(st, pid, gen, len))
		return NULL;
	b = malloc(sizeof(*b) + (len ? len : 1));
	if (!b) {
		uncharge(st, pid, gen, len, 0);
		return NULL;
	}
	*b = (struct ltblob){ .pid = pid, .gen = gen, .obj = obj, .len = (uint32_t)len };
	return b;
}

/* Drop one reference; an unshared blob goes at once, shared ones at the next prune. */
static void blob_put(struct symtab *st, struct ltblob *b)
{
	if (!b || --b->refs || b->obj)
		return;
	uncharge(st, b->pid, b->gen, b->len, 0);
	free(b);
}

/* Point sym at blob b (taking a reference), releasing its previous table. */
static void sym_use_blob(struct symtab *st, struct pysym *sym, struct ltblob *b)
{
	b->refs++;
	blob_put(st, sym->lt);
	sym->lt = b;
	sym->linetable = b->data;
	sym->lt_len = b->len;
}

void symtab_init(struct symtab *st, struct strpool *pool)
{
	memset(st, 0, sizeof(*st));
	st->pool = pool;
}

void symtab_free(struct symtab *st)
{
	struct pysym *s;

	hashmap_for_each(&st->map, s)
	{
		if (s->lt && !s->lt->obj)
			free(s->lt);
		free(s);
	}
	hashmap_free(&st->map);
	hashmap_free_all(&st->blobs);
	hashmap_free_all(&st->budgets);
}

struct pysym *symtab_find(const struct symtab *st, uint32_t pid, uint32_t gen, uint64_t code,
			  uint16_t tag)
{
	struct sym_key k = { pid, gen, code, tag };

	return hashmap_find(&st->map, sym_hash(pid, gen, code, tag), &k, sym_eq);
}

/* Pooled UTF-8 of a raw string; "?" when unreadable, "…" marks a cut one. */
static const char *pool_name(struct symtab *st, const struct ps_pystr *ps, bool bytes_names)
{
	char buf[NAME_UTF8_MAX];
	size_t n, len = ps->nbytes > PS_STR_MAX ? PS_STR_MAX : ps->nbytes;

	if (ps->flags & (PS_STR_UNREADABLE | PS_STR_NOT_COMPACT))
		return strpool_intern(st->pool, "?");
	n = utf8_from_units(ps->data, len, bytes_names ? 0 : ps->kind, buf, sizeof(buf) - 4);
	if (ps->flags & PS_STR_CUT) {
		memcpy(buf + n, "\xe2\x80\xa6", 4); /* U+2026 */
		n += 3;
	}
	return strpool_intern_n(st->pool, buf, n);
}

/* Keep a copy of a BPF record's (first bytes of) line table, within budget. */
static void set_record_linetable(struct symtab *st, struct pysym *s, const uint8_t *tab, size_t len)
{
	struct ltblob *b = blob_new(st, s->pid, s->gen, 0, len);

	if (!b) {
		s->flags |= PS_SYM_LT_UNREADABLE;
		return;
	}
	memcpy(b->data, tab, len);
	sym_use_blob(st, s, b);
}

/* A shared blob of table object obj of (pid, gen), read by fill on first use. */
static int shared_blob(struct symtab *st, const struct blob_key *k, size_t len, symtab_fill_fn fill,
		       void *ctx, struct ltblob **out)
{
	uint64_t h = hash_u64(k->obj ^ hash_u64((uint64_t)k->pid << 32 | k->gen));
	struct ltblob *b = hashmap_find(&st->blobs, h, k, blob_eq);
	int err;

	if (b && b->len == len) {
		*out = b;
		return 0;
	}
	b = blob_new(st, k->pid, k->gen, 0, len);
	if (!b)
		return -ENOSPC;
	err = fill(ctx, b->data, len);
	if (!err && (err = hashmap_insert(&st->blobs, h, b)) == 0)
		b->obj = k->obj;
	if (err) {
		b->refs = 1;
		blob_put(st, b);
		return err;
	}
	*out = b;
	return 0;
}

int symtab_set_linetable(struct symtab *st, struct pysym *sym, uint64_t obj, size_t len,
			 symtab_fill_fn fill, void *ctx)
{
	struct blob_key k = { sym->pid, sym->gen, obj };
	struct ltblob *b;
	int err;

	if (!obj || len > UINT32_MAX)
		return -EINVAL;
	/* the old table is given back first: it may be what makes room */
	if (sym->lt && !sym->lt->obj) {
		blob_put(st, sym->lt);
		sym->lt = NULL;
		sym->linetable = NULL;
		sym->lt_len = 0;
	}
	err = shared_blob(st, &k, len, fill, ctx, &b);
	if (!err)
		sym_use_blob(st, sym, b);
	return err;
}

/* Charge s to its budget, give it its table and insert it; frees s on failure. */
static int insert_sym(struct symtab *st, struct pysym *s, const uint8_t *tab, size_t len)
{
	struct budget *b = budget_get(st, s->pid, s->gen);
	uint64_t cost = sym_cost(s);

	if (!b || !charge(&b->sym_bytes, &st->sym_bytes, SYMTAB_SYM_PROC_MAX_BYTES,
			  SYMTAB_SYM_TOTAL_MAX_BYTES, cost, REFUSED_SYMBOL)) {
		free(s);
		return b ? -ENOSPC : -ENOMEM;
	}
	set_record_linetable(st, s, tab, len);
	if (hashmap_insert(&st->map, sym_hash(s->pid, s->gen, s->code_addr, s->code_tag), s)) {
		blob_put(st, s->lt);
		uncharge(st, s->pid, s->gen, 0, cost);
		free(s);
		return -ENOMEM;
	}
	return 0;
}

int symtab_add(struct symtab *st, const struct ps_symbol *rec, size_t size, bool bytes_names)
{
	const struct ps_pystr *name;
	struct pysym *s;

	st->nr_records++;
	if (size < PS_SYMBOL_HDR_SIZE || rec->linetable_nbytes > PS_LINETABLE_MAX ||
	    PS_SYMBOL_HDR_SIZE + (size_t)rec->linetable_nbytes > size)
		return -EINVAL;
	if (symtab_find(st, rec->pid, rec->gen, rec->code_addr, rec->code_tag))
		return 0;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->pid = rec->pid;
	s->gen = rec->gen;
	s->code_addr = rec->code_addr;
	s->code_tag = rec->code_tag;
	s->firstlineno = rec->firstlineno;
	s->firsttraceable = rec->firsttraceable;
	s->flags = rec->flags;
	name = rec->qualname.nbytes ? &rec->qualname : &rec->name;
	s->filename = pool_name(st, &rec->filename, bytes_names);
	s->name = pool_name(st, name, bytes_names);
	if (!s->filename || !s->name) {
		free(s);
		return -ENOMEM;
	}
	return insert_sym(st, s, rec->linetable, rec->linetable_nbytes);
}

struct prune_ctx {
	bool (*gone)(uint32_t pid, uint32_t gen, void *ctx);
	void *ctx;
	struct symtab *st;
};

/* keep() of symtab_prune: frees the symbols of gone processes. */
static bool keep_sym(void *item, void *ctx)
{
	struct pysym *s = item;
	struct prune_ctx *pc = ctx;

	if (!pc->gone(s->pid, s->gen, pc->ctx))
		return true;
	blob_put(pc->st, s->lt);
	uncharge(pc->st, s->pid, s->gen, 0, sym_cost(s));
	free(s);
	return false;
}

/* keep() of symtab_prune: frees shared tables no symbol uses any more. */
static bool keep_blob(void *item, void *ctx)
{
	struct ltblob *b = item;
	struct symtab *st = ctx;

	if (b->refs)
		return true;
	uncharge(st, b->pid, b->gen, b->len, 0);
	free(b);
	return false;
}

/* keep() of symtab_prune: drops budget rows of processes that cost nothing now. */
static bool keep_budget(void *item, void *ctx)
{
	struct budget *b = item;

	(void)ctx;
	if (b->lt_bytes || b->sym_bytes)
		return true;
	free(b);
	return false;
}

int symtab_prune(struct symtab *st, bool (*gone)(uint32_t pid, uint32_t gen, void *ctx), void *ctx)
{
	struct prune_ctx pc = { gone, ctx, st };
	int nr = hashmap_filter(&st->map, keep_sym, &pc);

	if (nr >= 0 && hashmap_filter(&st->blobs, keep_blob, st) >= 0)
		hashmap_filter(&st->budgets, keep_budget, NULL);
	return nr;
}

int symtab_repool(struct symtab *st, struct strpool *np)
{
	struct pysym *s;

	hashmap_for_each(&st->map, s)
	{
		s->filename = strpool_intern(np, s->filename);
		s->name = strpool_intern(np, s->name);
		if (!s->filename || !s->name)
			return -ENOMEM;
	}
	return 0;
}
