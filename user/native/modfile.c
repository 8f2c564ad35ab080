// SPDX-License-Identifier: MIT
/* One mapped ELF file's unwind rules and names, shared by processes (see modfile.h). */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "native/dwfl_files.h"
#include "native/fnindex.h"
#include "native/modlabel.h"
#include "native/modfile.h"
#include "target/tfile.h"

#define MF_MAX_ENTRIES 262144 /* cached pcs per file; beyond, the cache starts over */

/* A PT_LOAD segment: file offsets [off, off + filesz) are at vaddr. */
struct load {
	uint64_t off, filesz, vaddr;
};

struct modfile {
	uint64_t inode;
	uint32_t dev_major, dev_minor;
	pid_t pid; /* whose view opened it: debuginfo is looked up in its root */
	Dwfl *dwfl; /* NULL: unusable */
	Dwfl_Module *mod;
	GElf_Addr bias; /* module address = vaddr + bias */
	Dwarf_CFI *cfi; /* .eh_frame, NULL if none */
	Dwarf_Addr cfi_bias;
	int fd; /* handed to libdwfl by find_elf */
	Elf *elf;
	const char *label; /* soname or file name: "symbol (label)", "[label]" (modlabel.h) */
	struct load loads[MODFILE_MAX_LOADS];
	size_t nr_loads;
	struct strpool *pool;
	struct fnindex fns; /* its functions by address */
	struct hashmap pcs; /* struct pc_entry by vaddr */
	size_t nr_pcs;
};

/* What is cached per pc. */
struct pc_entry {
	uint64_t vaddr;
	bool has_rule, has_name;
	struct modfile_rule rule;
	struct modfile_name name;
};

/* CPython's eval-loop functions: each runs one or more Python frames. */
static const char *const eval_names[] = { "_PyEval_EvalFrameDefault", "PyEval_EvalFrameEx" };

bool modfile_is_eval_name(const char *name)
{
	for (size_t i = 0; i < sizeof(eval_names) / sizeof(eval_names[0]); i++) {
		size_t n = strlen(eval_names[i]);

		if (strncmp(name, eval_names[i], n) == 0 && (name[n] == '\0' || name[n] == '.'))
			return true;
	}
	return false;
}

/* This thread's CPU time in ns: what opening files costs. */
static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* hashmap_eq_fn of struct modfiles: by (device, inode). */
static bool file_eq(const void *item, const void *key)
{
	const struct modfile *a = item, *b = key;

	return a->inode == b->inode && a->dev_major == b->dev_major && a->dev_minor == b->dev_minor;
}

/* hashmap_eq_fn of modfile.pcs: by vaddr. */
static bool pc_eq(const void *item, const void *key)
{
	return ((const struct pc_entry *)item)->vaddr == *(const uint64_t *)key;
}

static uint64_t file_hash(const struct modfile *f)
{
	return hash_u64(f->inode ^ ((uint64_t)f->dev_major << 52) ^ ((uint64_t)f->dev_minor << 32));
}

/* Dwfl_Callbacks.find_elf: the file modfile_open already opened (libdwfl owns it after). */
static int find_elf(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
		    char **file_name, Elf **elfp)
{
	struct modfile *f = *userdata;
	int fd = f->fd;

	(void)mod, (void)base;
	if (fd < 0)
		return -1;
	*elfp = f->elf;
	*file_name = strdup(modname);
	f->fd = -1;
	f->elf = NULL;
	return fd;
}

/* Dwfl_Callbacks.find_debuginfo: the build-id debug file in the opener's root. */
static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
			  const char *file_name, const char *debuglink_file,
			  GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	struct modfile *f = *userdata;

	(void)modname, (void)base, (void)file_name, (void)debuglink_file, (void)debuglink_crc;
	return dwfl_files_debuginfo(mod, f->pid, debuginfo_file_name);
}

static const Dwfl_Callbacks file_cbs = {
	.find_elf = find_elf,
	.find_debuginfo = find_debuginfo,
};

/* Keep f's PT_LOAD segments; the address range they span into lo / hi. 0 or -1. */
static int read_loads(struct modfile *f, uint64_t *lo, uint64_t *hi)
{
	size_t n;
	GElf_Phdr ph;

	*lo = UINT64_MAX, *hi = 0;
	if (elf_getphdrnum(f->elf, &n))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!gelf_getphdr(f->elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (f->nr_loads < MODFILE_MAX_LOADS)
			f->loads[f->nr_loads++] =
				(struct load){ ph.p_offset, ph.p_filesz, ph.p_vaddr };
		*lo = ph.p_vaddr < *lo ? ph.p_vaddr : *lo;
		*hi = ph.p_vaddr + ph.p_memsz > *hi ? ph.p_vaddr + ph.p_memsz : *hi;
	}
	return f->nr_loads ? 0 : -1;
}

/* Open f (mapping m of pid) as a one-module libdwfl session at its own vaddrs. */
static void modfile_open(struct modfile *f, const struct procmap *m)
{
	uint64_t lo, hi;
	Dwarf_Frame *frame;
	void **ud;
	char label[256];

	f->fd = dwfl_files_open(f->pid, m);
	if (f->fd < 0)
		return;
	f->elf = elf_begin(f->fd, ELF_C_READ, NULL);
	modlabel_of(f->elf, m->path, label, sizeof(label));
	f->label = strpool_intern(f->pool, label);
	if (!f->elf || read_loads(f, &lo, &hi) || !(f->dwfl = dwfl_begin(&file_cbs)))
		goto fail;
	dwfl_report_begin(f->dwfl);
	f->mod = dwfl_report_module(f->dwfl, m->path, lo & ~0xfffULL, hi);
	dwfl_report_end(f->dwfl, NULL, NULL);
	if (!f->mod)
		goto fail;
	dwfl_module_info(f->mod, &ud, NULL, NULL, NULL, NULL, NULL, NULL);
	*ud = f; /* the callbacks' userdata */
	if (!dwfl_module_getelf(f->mod, &f->bias))
		goto fail;
	f->cfi = dwfl_module_eh_cfi(f->mod, &f->cfi_bias);
	/* index the symbols and CFI now: a one-time cost, counted as such */
	if (fnindex_build(&f->fns, f->mod))
		goto fail;
	if (f->cfi && !dwarf_cfi_addrframe(f->cfi, lo + f->bias - f->cfi_bias, &frame))
		free(frame);
	return;
fail:
	if (f->dwfl)
		dwfl_end(f->dwfl);
	f->dwfl = NULL;
	f->mod = NULL;
	if (f->elf)
		elf_end(f->elf);
	f->elf = NULL;
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

struct modfile *modfiles_get(struct modfiles *fs, pid_t pid, const struct procmap *m)
{
	struct modfile key = { .inode = m->inode,
			       .dev_major = m->dev_major,
			       .dev_minor = m->dev_minor };
	struct modfile *f = hashmap_find(&fs->files, file_hash(&key), &key, file_eq);

	uint64_t t0;

	if (f)
		return f->dwfl ? f : NULL;
	t0 = cpu_ns();
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	*f = key;
	f->pid = pid;
	f->fd = -1;
	f->pool = fs->pool;
	if (hashmap_insert(&fs->files, file_hash(f), f)) {
		free(f);
		return NULL;
	}
	modfile_open(f, m);
	fs->open_ns += cpu_ns() - t0;
	return f->dwfl ? f : NULL;
}

/* Forget f's cached pcs. */
static void pcs_clear(struct modfile *f)
{
	hashmap_free_all(&f->pcs);
	memset(&f->pcs, 0, sizeof(f->pcs));
	f->nr_pcs = 0;
}

void modfiles_free(struct modfiles *fs)
{
	struct modfile *f;

	hashmap_for_each(&fs->files, f)
	{
		pcs_clear(f);
		fnindex_free(&f->fns);
		if (f->dwfl)
			dwfl_end(f->dwfl);
		free(f);
	}
	hashmap_free(&fs->files);
}

bool modfile_vaddr(const struct modfile *f, uint64_t off, uint64_t *vaddr)
{
	for (size_t i = 0; i < f->nr_loads; i++) {
		const struct load *l = &f->loads[i];

		if (off >= l->off && off - l->off < l->filesz) {
			*vaddr = off - l->off + l->vaddr;
			return true;
		}
	}
	return false;
}

/* The cache entry of vaddr, made empty on first use; NULL on ENOMEM. */
static struct pc_entry *entry(struct modfile *f, uint64_t vaddr)
{
	struct pc_entry *e = hashmap_find(&f->pcs, hash_u64(vaddr), &vaddr, pc_eq);

	if (e)
		return e;
	if (f->nr_pcs >= MF_MAX_ENTRIES)
		pcs_clear(f);
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->vaddr = vaddr;
	if (hashmap_insert(&f->pcs, hash_u64(vaddr), e)) {
		free(e);
		return NULL;
	}
	f->nr_pcs++;
	return e;
}

/* Where a register rule puts the register: CFA + *off (true), else false. */
static bool at_cfa(const Dwarf_Op *ops, size_t nops, int32_t *off)
{
	if (nops < 1 || nops > 2 || ops[0].atom != DW_OP_call_frame_cfa)
		return false;
	if (nops == 2 && ops[1].atom != DW_OP_plus_uconst)
		return false;
	*off = nops == 2 ? (int32_t)(int64_t)ops[1].number : 0;
	return true;
}

/* The CFA rule of frame into r (a register plus an offset); false if not that simple. */
static bool cfa_rule(Dwarf_Frame *frame, struct modfile_rule *r)
{
	Dwarf_Op *ops;
	size_t nops;

	if (dwarf_frame_cfa(frame, &ops, &nops) || nops != 1 || ops[0].atom != DW_OP_bregx ||
	    (ops[0].number != 6 && ops[0].number != 7))
		return false;
	r->cfa_reg = (uint8_t)ops[0].number;
	r->cfa_off = (int32_t)(int64_t)ops[0].number2;
	return true;
}

/* Decode the CFI of module address addr into a rule. */
static struct modfile_rule decode(struct modfile *f, uint64_t addr)
{
	struct modfile_rule r = { .kind = MODFILE_RULE_SLOW };
	Dwarf_Frame *frame = NULL;
	Dwarf_Op mem[3], *ops;
	size_t nops;
	bool signal = false;
	int ra;

	if (!f->cfi || dwarf_cfi_addrframe(f->cfi, addr - f->cfi_bias, &frame)) {
		r.kind = MODFILE_RULE_NONE;
		return r;
	}
	ra = dwarf_frame_info(frame, NULL, NULL, &signal);
	if (ra < 0 || signal || dwarf_frame_register(frame, ra, mem, &ops, &nops))
		goto out;
	if (nops == 0 && ops == mem) { /* undefined: no caller */
		r.kind = MODFILE_RULE_END;
		goto out;
	}
	if (!cfa_rule(frame, &r) || !at_cfa(ops, nops, &r.ra_off) ||
	    dwarf_frame_register(frame, 6, mem, &ops, &nops))
		goto out;
	if (nops == 0) /* rbp unchanged (same value; undefined is not restored either) */
		r.kind = MODFILE_RULE_CFA;
	else if (at_cfa(ops, nops, &r.bp_off))
		r.kind = MODFILE_RULE_CFA, r.bp_saved = true;
out:
	free(frame);
	return r;
}

struct modfile_rule modfile_rule(struct modfile *f, uint64_t vaddr)
{
	struct pc_entry *e = entry(f, vaddr);

	if (!e)
		return decode(f, vaddr + f->bias);
	if (!e->has_rule) {
		e->rule = decode(f, vaddr + f->bias);
		e->has_rule = true;
	}
	return e->rule;
}

const struct modfile_name *modfile_name(struct modfile *f, uint64_t vaddr)
{
	struct pc_entry *e = entry(f, vaddr);
	const char *sym;
	char buf[512];

	if (!e)
		return NULL;
	if (e->has_name)
		return &e->name;
	sym = fnindex_lookup(&f->fns, vaddr + f->bias);
	if (sym)
		modlabel_frame(buf, sizeof(buf), sym, f->label ? f->label : "unknown");
	else
		snprintf(buf, sizeof(buf), "[%s]", f->label ? f->label : "unknown");
	e->name.name = strpool_intern(f->pool, buf);
	e->name.is_eval = sym && modfile_is_eval_name(sym);
	e->has_name = e->name.name != NULL;
	return e->has_name ? &e->name : NULL;
}
