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
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "target/elfsym.h"
#include "python/gil_sites.h"

#define DEBUG_ROOT "/usr/lib/debug/.build-id"
#define DIE_DEPTH_MAX 64 /* DIE nesting followed; deeper trees are not searched */

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

int gil_sites_debug_path(const char *path, const char *root, char *buf, size_t len)
{
	struct elfsym *e = elfsym__open(path);
	uint8_t id[64];
	int n, pos;

	if (!e)
		return -errno;
	n = elfsym__build_id(e, id, sizeof(id));
	elfsym__free(e);
	if (n < 2)
		return -ENOENT;
	/* the target's own debug files: a container's, not the host's same-named path */
	pos = snprintf(buf, len, "%s" DEBUG_ROOT "/%02x/", root ? root : "", id[0]);
	for (int i = 1; i < n && pos > 0 && (size_t)pos < len; i++)
		pos += snprintf(buf + pos, len - pos, "%02x", id[i]);
	if (pos <= 0 || (size_t)pos + 7 > len)
		return -ENAMETOOLONG;
	strcat(buf, ".debug");
	return access(buf, R_OK) ? -errno : 0;
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

/* Walk die's subtree for inlined drop_gil copies (bounded depth). */
static void walk_die(Dwarf_Die *die, int depth, const struct elfsym *code, struct gil_sites *o)
{
	Dwarf_Die child;

	if (depth > DIE_DEPTH_MAX || dwarf_child(die, &child) != 0)
		return;
	do {
		if (is_inlined_drop(&child))
			add_inlined(&child, code, o);
		walk_die(&child, depth + 1, code, o);
	} while (dwarf_siblingof(&child, &child) == 0);
}

/* Inlined drop_gil copies from the DWARF of the file at dwarf_path. */
static void collect_inlined(const char *dwarf_path, const struct elfsym *code, struct gil_sites *o)
{
	Dwarf_Off off = 0, next;
	size_t hdr;
	Dwarf_Die cu;
	Dwarf *dw;
	int fd = open(dwarf_path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	dw = dwarf_begin(fd, DWARF_C_READ);
	while (dw && dwarf_nextcu(dw, off, &next, &hdr, NULL, NULL, NULL) == 0) {
		if (dwarf_offdie(dw, off + hdr, &cu))
			walk_die(&cu, 0, code, o);
		off = next;
	}
	if (dw)
		dwarf_end(dw);
	close(fd);
}

/* Symbols and inlined sites from the debug file of code. */
static void from_debug_file(const char *path, const char *root, const struct elfsym *code,
			    struct gil_sites *o)
{
	char dbg[256];
	struct elfsym *d;

	if (gil_sites_debug_path(path, root, dbg, sizeof(dbg)))
		return;
	d = elfsym__open(dbg);
	if (!d)
		return;
	collect_symbols(d, code, o);
	elfsym__free(d);
	collect_inlined(dbg, code, o);
	snprintf(o->symbols_from, sizeof(o->symbols_from), "%s", dbg);
}

int gil_sites_find(const char *path, const char *root, struct gil_sites *o, char *why,
		   size_t why_len)
{
	struct elfsym *e = elfsym__open(path);
	struct elfsym_section sec;

	memset(o, 0, sizeof(*o));
	if (!e) {
		snprintf(why, why_len, "cannot open %s: %s", path, strerror(errno));
		return -errno;
	}
	collect_symbols(e, e, o);
	if (o->nr_take && o->nr_drop) {
		snprintf(o->symbols_from, sizeof(o->symbols_from), "symtab");
		if (elfsym__section(e, ".debug_info", &sec) == 0)
			collect_inlined(path, e, o);
	} else {
		o->nr_take = o->nr_drop = 0;
		from_debug_file(path, root, e, o);
	}
	elfsym__free(e);
	if (!o->nr_take || !o->nr_drop) {
		snprintf(why, why_len,
			 "take_gil/drop_gil not in .symtab and no build-id debug file "
			 "(install the -dbg package)");
		return -ENOENT;
	}
	return 0;
}
