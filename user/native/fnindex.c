// SPDX-License-Identifier: MIT
/* Functions of a module sorted by address (see fnindex.h). */
#include <errno.h>
#include <gelf.h>
#include <stdlib.h>
#include "native/fnindex.h"

/* qsort order: by address, then the best binding first. */
static int by_addr(const void *a, const void *b)
{
	const struct fnindex_entry *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->rank - (int)y->rank;
}

/* Binding rank: which of the names at one address is shown. */
static uint8_t rank_of(const GElf_Sym *sym)
{
	switch (GELF_ST_BIND(sym->st_info)) {
	case STB_GLOBAL:
		return 0;
	case STB_WEAK:
		return 1;
	default:
		return 2;
	}
}

void fnindex_sort(struct fnindex *ix)
{
	size_t n = 0;

	if (!ix->nr)
		return;
	qsort(ix->fns, ix->nr, sizeof(*ix->fns), by_addr);
	for (size_t i = 0; i < ix->nr; i++)
		if (n == 0 || ix->fns[n - 1].addr != ix->fns[i].addr)
			ix->fns[n++] = ix->fns[i];
	ix->nr = n;
}

/*
 * A sizeless symbol (assembly) covers at most the rest of its section: the
 * `_init` of a library's .init must not name the whole .text after it.
 */
static uint64_t size_of(const GElf_Sym *sym, Elf *elf, GElf_Word shndx)
{
	GElf_Shdr sh;
	Elf_Scn *scn = elf ? elf_getscn(elf, shndx) : NULL;

	if (sym->st_size || !scn || !gelf_getshdr(scn, &sh) || sym->st_value < sh.sh_addr ||
	    sym->st_value >= sh.sh_addr + sh.sh_size)
		return sym->st_size;
	return sh.sh_addr + sh.sh_size - sym->st_value;
}

int fnindex_build(struct fnindex *ix, Dwfl_Module *mod)
{
	int nsyms = dwfl_module_getsymtab(mod);
	GElf_Sym sym;
	GElf_Addr addr;
	GElf_Word shndx;
	Elf *elf;
	const char *name;

	ix->fns = NULL;
	ix->nr = 0;
	if (nsyms <= 0)
		return 0;
	ix->fns = calloc((size_t)nsyms, sizeof(*ix->fns));
	if (!ix->fns)
		return -ENOMEM;
	for (int i = 1; i < nsyms; i++) {
		name = dwfl_module_getsym_info(mod, i, &sym, &addr, &shndx, &elf, NULL);
		if (!name || !name[0] || sym.st_shndx == SHN_UNDEF ||
		    (GELF_ST_TYPE(sym.st_info) != STT_FUNC &&
		     GELF_ST_TYPE(sym.st_info) != STT_GNU_IFUNC))
			continue;
		ix->fns[ix->nr++] = (struct fnindex_entry){ addr, size_of(&sym, elf, shndx), name,
							    rank_of(&sym) };
	}
	fnindex_sort(ix);
	return 0;
}

void fnindex_free(struct fnindex *ix)
{
	free(ix->fns);
	ix->fns = NULL;
	ix->nr = 0;
}

const char *fnindex_lookup(const struct fnindex *ix, uint64_t addr)
{
	size_t lo = 0, hi = ix->nr;
	const struct fnindex_entry *e;

	while (lo < hi) { /* the first entry above addr */
		size_t mid = lo + (hi - lo) / 2;

		if (ix->fns[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	e = &ix->fns[lo - 1];
	if (e->size ? addr - e->addr < e->size : lo < ix->nr)
		return e->name;
	return NULL;
}
