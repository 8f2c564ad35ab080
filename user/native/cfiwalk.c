// SPDX-License-Identifier: MIT
/* Fast user-stack walk by cached CFI rules (see cfiwalk.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "native/cfiwalk.h"

#define CW_MAX_MAPS 4096 /* executable mappings kept per process; further ones go to libdw */

/* procmaps_each callback: keep executable file mappings. */
static int keep_exec(const struct procmap *m, void *ctx)
{
	struct cfiwalk_proc *p = ctx;
	struct cfiwalk_map *grown;

	if (m->perms[2] != 'x' || m->path[0] != '/' || m->inode == 0 || p->nr_maps >= CW_MAX_MAPS)
		return 0;
	if ((p->nr_maps & (p->nr_maps - 1)) == 0) { /* 0, 1, 2, 4...: grow to the next power */
		grown = realloc(p->maps, sizeof(*p->maps) * (p->nr_maps ? p->nr_maps * 2 : 1));
		if (!grown)
			return -ENOMEM;
		p->maps = grown;
	}
	p->maps[p->nr_maps++] = (struct cfiwalk_map){ .m = *m };
	return 0;
}

int cfiwalk_read_maps(struct cfiwalk_proc *p)
{
	int err;

	free(p->maps);
	p->maps = NULL;
	p->nr_maps = 0;
	err = procmaps_each(p->pid, keep_exec, p);
	return err < 0 ? err : 0;
}

void cfiwalk_proc_free(struct cfiwalk_proc *p)
{
	free(p->maps);
	p->maps = NULL;
	p->nr_maps = 0;
}

/* The mapping holding pc (maps are in address order), or NULL. */
static struct cfiwalk_map *find_map(struct cfiwalk_proc *p, uint64_t pc)
{
	size_t lo = 0, hi = p->nr_maps;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct cfiwalk_map *c = &p->maps[mid];

		if (pc < c->m.start)
			hi = mid;
		else if (pc >= c->m.end)
			lo = mid + 1;
		else
			return c;
	}
	return NULL;
}

struct modfile *cfiwalk_file(struct cfiwalk_proc *p, struct modfiles *fs, uint64_t pc,
			     uint64_t *vaddr)
{
	struct cfiwalk_map *c = find_map(p, pc);

	if (!c)
		return NULL;
	if (!c->tried) {
		c->file = modfiles_get(fs, p->pid, &c->m);
		c->tried = true;
	}
	if (!c->file || !modfile_vaddr(c->file, pc - c->m.start + c->m.offset, vaddr))
		return NULL;
	return c->file;
}

/* The stack word at addr from the copy; false beyond it (the unwind ends there). */
static bool stack_word(const struct ps_xstack *xs, uint64_t addr, uint64_t *out)
{
	if (addr < xs->sp || addr - xs->sp + 8 > xs->ustack_len)
		return false;
	memcpy(out, xs->ustack + (addr - xs->sp), 8);
	return true;
}

int cfiwalk_unwind(struct cfiwalk_proc *p, struct modfiles *fs, const struct ps_xstack *xs,
		   uint64_t *pcs, size_t max)
{
	uint64_t pc = xs->ip, sp = xs->sp, bp = xs->bp, cfa, ra, vaddr;
	bool bp_ok = true;
	size_t n = 0;
	struct modfile *f;
	struct modfile_rule r;

	while (n < max) {
		pcs[n] = n ? pc - 1 : pc; /* a caller's frame is at its call instruction */
		f = cfiwalk_file(p, fs, pcs[n], &vaddr);
		if (!f)
			return CFIWALK_NO_FILE;
		n++;
		r = modfile_rule(f, vaddr);
		/*
		 * A leaf without CFI is taken to be at a function's entry (a PLT stub:
		 * IBT's .plt.sec has none and libdw stops there): ra at sp.
		 */
		if (r.kind == MODFILE_RULE_NONE && n == 1)
			r = (struct modfile_rule){
				.kind = MODFILE_RULE_CFA, .cfa_reg = 7, .cfa_off = 8, .ra_off = -8
			};
		if (r.kind == MODFILE_RULE_END)
			break;
		if (r.kind != MODFILE_RULE_CFA || (r.cfa_reg == 6 && !bp_ok))
			return CFIWALK_SLOW;
		cfa = (r.cfa_reg == 7 ? sp : bp) + (int64_t)r.cfa_off;
		/* a frame below its callee's or a word beyond the copy ends the walk (libdw's too) */
		if (cfa <= sp || !stack_word(xs, cfa + (int64_t)r.ra_off, &ra) || ra == 0)
			break;
		/* rbp saved below sp (an epilogue's red zone) is not in the copy: unknown from here */
		if (r.bp_saved)
			bp_ok = stack_word(xs, cfa + (int64_t)r.bp_off, &bp);
		sp = cfa;
		pc = ra;
	}
	return (int)n;
}
