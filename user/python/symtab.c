// SPDX-License-Identifier: MIT
/* Store of code-object symbols received from BPF. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lib/utf8.h"
#include "python/symtab.h"

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
		free(s->linetable);
		free(s);
	}
	hashmap_free(&st->map);
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

int symtab_set_linetable(struct pysym *sym, const uint8_t *tab, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);

	if (!copy)
		return -ENOMEM;
	memcpy(copy, tab, len);
	free(sym->linetable);
	sym->linetable = copy;
	sym->lt_len = len;
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
	if (!s->filename || !s->name ||
	    symtab_set_linetable(s, rec->linetable, rec->linetable_nbytes) ||
	    hashmap_insert(&st->map, sym_hash(s->pid, s->gen, s->code_addr, s->code_tag), s)) {
		free(s->linetable);
		free(s);
		return -ENOMEM;
	}
	return 0;
}

struct prune_ctx {
	bool (*gone)(uint32_t pid, uint32_t gen, void *ctx);
	void *ctx;
};

/* keep() of symtab_prune: frees the symbols of gone processes. */
static bool keep_sym(void *item, void *ctx)
{
	struct pysym *s = item;
	struct prune_ctx *pc = ctx;

	if (!pc->gone(s->pid, s->gen, pc->ctx))
		return true;
	free(s->linetable);
	free(s);
	return false;
}

int symtab_prune(struct symtab *st, bool (*gone)(uint32_t pid, uint32_t gen, void *ctx), void *ctx)
{
	struct prune_ctx pc = { gone, ctx };

	return hashmap_filter(&st->map, keep_sym, &pc);
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
