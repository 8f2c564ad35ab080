// SPDX-License-Identifier: MIT
/*
 * GIL probe sites: take_gil / drop_gil symbols from .symtab (or the build-id
 * debug file), plus drop_gil's inlined copies from DWARF. Debian's LTO
 * python3.11 inlines drop_gil into PyEval_SaveThread and I/O functions: a
 * probe on the out-of-line copy alone misses about half of all releases.
 */
#include <elfutils/libdw.h>
#include <dwarf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "target/elfsym.h"
#include "target/refusals.h"
#include "target/tfile.h"
#include "python/gil_sites.h"
#include "lib/clock.h"

#define DIE_DEPTH_MAX 64 /* DIE nesting followed; deeper trees are not searched */
#define DWARF_SECTION_MAX (512ULL << 20) /* larger (inflated) sections: no DWARF walk */
#define DWARF_WALK_NS (3ULL * 1000000000) /* walk time; then it stops, counted */
#define DWARF_DIES_MAX (8u << 20) /* DIEs visited (libpython3.11's: ~1.5M); then it stops */
#define DWARF_CLOCK_EVERY 4096 /* DIEs between two clock reads */

/*
 * Is name an entry point of fn: "fn" or a whole-function clone such as
 * "fn.constprop.0" or "fn.lto_priv.0"? Pieces ("fn.lto_priv.0.cold",
 * "fn.part.0") are not.
 */
static bool is_entry(const char *name, const char *fn)
{
	static const char *const clones[] = { ".constprop.", ".lto_priv.", ".isra." };
	size_t n = strlen(fn), k;

	if (strncmp(name, fn, n) != 0)
		return false;
	name += n;
	if (*name == '\0')
		return true;
	for (size_t i = 0; i < sizeof(clones) / sizeof(clones[0]); i++) {
		k = strlen(clones[i]);
		if (strncmp(name, clones[i], k) == 0 && name[k] &&
		    strspn(name + k, "0123456789") == strlen(name + k))
			return true;
	}
	return false;
}

struct collect {
	const struct elfsym *code; /* the ELF whose file offsets are wanted */
	const char *fn;
	uint64_t *out;
	size_t *nr, cap, *overflow;
};

/* elfsym__each_prefix callback: keep entry points of c->fn as file offsets. */
static int collect_sym(const char *name, const struct elfsym_sym *sym, void *ctx)
{
	struct collect *c = ctx;
	uint64_t off;

	if (!is_entry(name, c->fn) || sym->value == 0 ||
	    elfsym__vaddr_to_offset(c->code, sym->value, &off))
		return 0;
	for (size_t i = 0; i < *c->nr; i++)
		if (c->out[i] == off)
			return 0; /* .symtab and .dynsym list it twice */
	if (*c->nr < c->cap)
		c->out[(*c->nr)++] = off;
	else
		(*c->overflow)++;
	return 0;
}

/* Add take_gil / drop_gil entries of symbols in syms, as offsets in code. */
static void collect_symbols(struct elfsym *syms, const struct elfsym *code, struct gil_sites *o)
{
	struct collect take = { code,	     "take_gil",	 o->take,
				&o->nr_take, GIL_SITES_TAKE_MAX, &o->nr_dropped_sites };
	struct collect drop = { code,	     "drop_gil",	 o->drop,
				&o->nr_drop, GIL_SITES_DROP_MAX, &o->nr_dropped_sites };

	elfsym__each_prefix(syms, "take_gil", collect_sym, &take);
	elfsym__each_prefix(syms, "drop_gil", collect_sym, &drop);
}

int gil_sites_debug_path(struct elfsym *e, char *buf, size_t len)
{
	uint8_t id[64];
	int n = elfsym__build_id(e, id, sizeof(id));

	return n > 0 ? tfile_debug_path(id, (size_t)n, buf, len) : -ENOENT;
}

/* Is die an inlined copy of drop_gil? */
static bool is_inlined_drop(Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	Dwarf_Die origin;
	const char *name;

	if (dwarf_tag(die) != DW_TAG_inlined_subroutine)
		return false;
	if (!dwarf_attr_integrate(die, DW_AT_abstract_origin, &attr) ||
	    !dwarf_formref_die(&attr, &origin))
		return false;
	name = dwarf_diename(&origin);
	return name && strcmp(name, "drop_gil") == 0;
}

/* Record the entry of an inlined drop_gil (as a file offset of code). */
static void add_inlined(Dwarf_Die *die, const struct elfsym *code, struct gil_sites *o)
{
	Dwarf_Addr pc;
	uint64_t off;

	if (dwarf_entrypc(die, &pc) || elfsym__vaddr_to_offset(code, pc, &off))
		return;
	for (size_t i = 0; i < o->nr_drop; i++)
		if (o->drop[i] == off)
			return;
	if (o->nr_drop >= GIL_SITES_DROP_MAX) {
		o->nr_dropped_sites++;
		return;
	}
	o->drop_inlined[o->nr_drop] = 1;
	o->drop[o->nr_drop++] = off;
	o->nr_drop_inlined++;
}

/* The bounds of one DWARF walk: a DIE budget and a deadline. */
struct walk {
	const struct elfsym *code;
	struct gil_sites *o;
	uint64_t deadline_ns;
	uint32_t nr_dies;
	bool cut; /* a bound was reached: the walk stopped */
};

/* Count one DIE; false once the DIE budget or the deadline is spent. */
static bool walk_go_on(struct walk *w)
{
	if (w->cut)
		return false;
	if (++w->nr_dies > DWARF_DIES_MAX ||
	    (w->nr_dies % DWARF_CLOCK_EVERY == 0 && mono_ns() > w->deadline_ns))
		w->cut = true;
	return !w->cut;
}

/* Walk die's subtree for inlined drop_gil copies (bounded depth, count and time). */
static void walk_die(Dwarf_Die *die, int depth, struct walk *w)
{
	Dwarf_Die child;

	if (depth > DIE_DEPTH_MAX || dwarf_child(die, &child) != 0)
		return;
	do {
		if (!walk_go_on(w))
			return;
		if (is_inlined_drop(&child))
			add_inlined(&child, w->code, w->o);
		walk_die(&child, depth + 1, w);
	} while (dwarf_siblingof(&child, &child) == 0);
}

/*
 * Inlined drop_gil copies from the DWARF of the ELF open at fd (a target
 * file: its sections are size-checked first and the walk is bounded; a cut
 * walk keeps what it found and is counted in the summary's refusals).
 */
static void collect_inlined(int fd, const struct elfsym *code, struct gil_sites *o)
{
	struct walk w = { code, o, mono_ns() + DWARF_WALK_NS, 0, false };
	Dwarf_Off off = 0, next;
	size_t hdr;
	Dwarf_Die cu;
	Dwarf *dw;
	Elf *elf;

	if (elfsym_check_fd(fd, DWARF_SECTION_MAX))
		return;
	/* read, not mmap: a target truncating its file must not SIGBUS us */
	elf = elf_begin(fd, ELF_C_READ, NULL);
	dw = elf ? dwarf_begin_elf(elf, DWARF_C_READ, NULL) : NULL;
	while (dw && !w.cut && dwarf_nextcu(dw, off, &next, &hdr, NULL, NULL, NULL) == 0) {
		if (dwarf_offdie(dw, off + hdr, &cu))
			walk_die(&cu, 0, &w);
		off = next;
	}
	if (dw)
		dwarf_end(dw);
	elf_end(elf);
	if (w.cut)
		refusals_add(REFUSED_DWARF_WALK);
}

/*
 * Symbols and inlined sites from the build-id debug file of code, opened
 * inside the target's root like the runtime itself (a regular file only).
 */
static void from_debug_file(pid_t pid, struct elfsym *code, struct gil_sites *o)
{
	char dbg[256];
	struct elfsym *d;
	int fd;

	if (gil_sites_debug_path(code, dbg, sizeof(dbg)))
		return;
	fd = tfile_open_in_root(pid, dbg);
	if (fd < 0)
		return;
	d = elfsym__open_fd(fd);
	if (d) {
		collect_symbols(d, code, o);
		elfsym__free(d);
		collect_inlined(fd, code, o);
		snprintf(o->symbols_from, sizeof(o->symbols_from), "%s", dbg);
	}
	close(fd);
}

int gil_sites_find(pid_t pid, const struct procmap *m, struct gil_sites *o, char *why,
		   size_t why_len)
{
	struct elfsym_section sec;
	struct elfsym *e = NULL;
	int fd = tfile_open_mapped(pid, m);

	memset(o, 0, sizeof(*o));
	if (fd >= 0)
		e = elfsym__open_fd(fd);
	if (!e) {
		snprintf(why, why_len, "cannot open %s: %s", m->path,
			 strerror(fd < 0 ? -fd : errno));
		if (fd >= 0)
			close(fd);
		return fd < 0 ? fd : -errno;
	}
	collect_symbols(e, e, o);
	if (o->nr_take && o->nr_drop) {
		snprintf(o->symbols_from, sizeof(o->symbols_from), "symtab");
		if (elfsym__section(e, ".debug_info", &sec) == 0)
			collect_inlined(fd, e, o);
	} else {
		o->nr_take = o->nr_drop = 0;
		from_debug_file(pid, e, o);
	}
	elfsym__free(e);
	close(fd);
	if (!o->nr_take || !o->nr_drop) {
		snprintf(why, why_len,
			 "take_gil/drop_gil not in .symtab and no build-id debug file "
			 "(install the -dbg package)");
		return -ENOENT;
	}
	return 0;
}
