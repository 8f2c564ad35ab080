// SPDX-License-Identifier: MIT
/*
 * Read-only ELF view over libelf (gelf_* APIs). The file may be hostile:
 * libelf bounds every section and header by the file size, and everything
 * read here (names, segments, notes, dynamic entries) is checked again
 * against the data it comes from. Symbols are indexed once per handle in
 * name order, so exact and prefix lookups are binary searches.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "target/elfsym.h"
#include "target/refusals.h"

#define ELFSYM_NAME_MAX 512 /* longer symbol names are not indexed (never looked up) */
#define ELFSYM_SYMS_MAX (1u << 22) /* symbols indexed per table; the rest are ignored */
#define ELFSYM_PHDR_MAX 4096 /* program headers examined; the rest are ignored */
#define ELFSYM_SONAME_MAX 256 /* a longer or unterminated DT_SONAME counts as absent */
#define ELFSYM_DYN_MAX 4096 /* PT_DYNAMIC entries examined; the rest are ignored */
#define ELFSYM_NOTES_MAX 1024 /* notes examined per note section or segment */
#define ELFSYM_BUILD_ID_MAX 64 /* longer NT_GNU_BUILD_ID descriptors are ignored */

/* One indexed symbol: its name (NUL-terminated inside the string table) and index. */
struct sym_entry {
	const char *name;
	uint32_t idx; /* index in the symbol table data */
	uint32_t rank; /* 0 GLOBAL, 1 WEAK, 2 other: among equal names the lowest wins */
};

/* .symtab or .dynsym: the libelf data and a name-sorted index into it. */
struct sym_table {
	Elf_Data *syms;
	struct sym_entry *ents; /* sorted by (name, rank, idx) */
	size_t nr;
	bool dynamic;
};

/* One open file or memory image, its PT_LOAD table, symbol index and soname. */
struct elfsym {
	Elf *elf;
	int fd; /* -1 for a memory image */
	const uint8_t *mem; /* the memory image, or NULL */
	uint64_t file_size; /* bytes of file or image */
	uint16_t type; /* e_type */
	GElf_Phdr *loads; /* PT_LOAD headers in file order */
	size_t nr_loads;
	uint64_t first_load_vaddr;
	struct sym_table tabs[2]; /* [0] .symtab, [1] .dynsym: lookup order */
	char soname[ELFSYM_SONAME_MAX];
	bool has_soname;
};

/* Copy up to len bytes at file offset off; returns bytes copied (short at end of file). */
static ssize_t read_file(const struct elfsym *e, uint64_t off, void *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	if (len == 0 || off >= e->file_size)
		return 0;
	if (len > e->file_size - off)
		len = e->file_size - off;
	if (len > SSIZE_MAX)
		len = SSIZE_MAX;
	if (e->mem) {
		memcpy(buf, e->mem + off, len);
		return (ssize_t)len;
	}
	while (done < len) {
		n = pread(e->fd, (uint8_t *)buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return done ? (ssize_t)done : -errno;
		if (n == 0)
			break; /* the file shrank since it was opened */
		done += (size_t)n;
	}
	return (ssize_t)done;
}

/*
 * Bytes of a string table that hold NUL-terminated strings: up to and
 * including its last NUL. A name starting below this end is terminated.
 */
static size_t strtab_valid_end(const Elf_Data *d)
{
	const char *s;
	size_t n;

	if (!d || !d->d_buf)
		return 0;
	s = d->d_buf;
	for (n = d->d_size; n > 0; n--)
		if (s[n - 1] == '\0')
			return n;
	return 0;
}

/* The data of string table section ndx (which must be SHT_STRTAB), or NULL. */
static Elf_Data *strtab_data(Elf *elf, size_t ndx)
{
	Elf_Scn *scn;
	GElf_Shdr sh;

	if (ndx == SHN_UNDEF)
		return NULL;
	scn = elf_getscn(elf, ndx);
	if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_type != SHT_STRTAB)
		return NULL;
	return elf_getdata(scn, NULL);
}

/* Name at offset off of string table d, or NULL if out of range or unterminated. */
static const char *strtab_get(const Elf_Data *d, size_t valid_end, uint64_t off)
{
	if (off >= valid_end)
		return NULL;
	return (const char *)d->d_buf + off;
}

/* qsort/bsearch order of the index: name, then rank, then table index. */
static int sym_entry_cmp(const void *a, const void *b)
{
	const struct sym_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Whether sym is worth indexing: defined, named, not a section or file marker. */
static bool sym_indexable(const GElf_Sym *sym, const char *name)
{
	uint8_t type = GELF_ST_TYPE(sym->st_info);

	if (sym->st_shndx == SHN_UNDEF || type == STT_SECTION || type == STT_FILE)
		return false;
	return name && name[0] && strnlen(name, ELFSYM_NAME_MAX + 1) <= ELFSYM_NAME_MAX;
}

/* Rank of a binding among equal names: GLOBAL before WEAK before LOCAL and others. */
static uint32_t bind_rank(uint8_t bind)
{
	return bind == STB_GLOBAL ? 0 : bind == STB_WEAK ? 1 : 2;
}

/* Fill t->ents from the symbols of t->syms whose names are valid in strs. */
static int fill_index(struct sym_table *t, const Elf_Data *strs, size_t nr_syms)
{
	size_t valid_end = strtab_valid_end(strs);
	const char *name;
	GElf_Sym sym;

	t->ents = calloc(nr_syms ? nr_syms : 1, sizeof(*t->ents));
	if (!t->ents)
		return -ENOMEM;
	for (size_t i = 1; i < nr_syms; i++) {
		if (!gelf_getsym(t->syms, (int)i, &sym))
			break;
		name = strtab_get(strs, valid_end, sym.st_name);
		if (!sym_indexable(&sym, name))
			continue;
		t->ents[t->nr].name = name;
		t->ents[t->nr].idx = (uint32_t)i;
		t->ents[t->nr].rank = bind_rank(GELF_ST_BIND(sym.st_info));
		t->nr++;
	}
	qsort(t->ents, t->nr, sizeof(*t->ents), sym_entry_cmp);
	return 0;
}

/* Index the first section of type sh_type (SHT_SYMTAB or SHT_DYNSYM); none is not an error. */
static int index_table(struct elfsym *e, uint32_t sh_type, struct sym_table *t)
{
	Elf_Scn *scn = NULL;
	Elf_Data *strs;
	GElf_Shdr sh;
	size_t nr;

	t->dynamic = sh_type == SHT_DYNSYM;
	while ((scn = elf_nextscn(e->elf, scn))) {
		if (gelf_getshdr(scn, &sh) && sh.sh_type == sh_type)
			break;
	}
	if (!scn)
		return 0;
	t->syms = elf_getdata(scn, NULL);
	strs = strtab_data(e->elf, sh.sh_link);
	if (!t->syms || !t->syms->d_buf || t->syms->d_type != ELF_T_SYM || !strs) {
		t->syms = NULL;
		return 0;
	}
	nr = t->syms->d_size / sizeof(Elf64_Sym);
	if (nr > ELFSYM_SYMS_MAX)
		nr = ELFSYM_SYMS_MAX;
	return fill_index(t, strs, nr);
}

/* Keep the PT_LOAD headers and compute the lowest load address. */
static int load_segments(struct elfsym *e)
{
	uint64_t lowest = UINT64_MAX;
	size_t nr = 0;
	GElf_Phdr ph;

	if (elf_getphdrnum(e->elf, &nr) || nr == 0)
		return 0;
	if (nr > ELFSYM_PHDR_MAX)
		nr = ELFSYM_PHDR_MAX;
	e->loads = calloc(nr, sizeof(*e->loads));
	if (!e->loads)
		return -ENOMEM;
	for (size_t i = 0; i < nr; i++) {
		if (!gelf_getphdr(e->elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		e->loads[e->nr_loads++] = ph;
		if (ph.p_align > 1 && !(ph.p_align & (ph.p_align - 1)))
			ph.p_vaddr &= ~(ph.p_align - 1);
		if (ph.p_vaddr < lowest)
			lowest = ph.p_vaddr;
	}
	e->first_load_vaddr = e->nr_loads ? lowest : 0;
	return 0;
}

/* Keep a copy of the soname str if it is terminated within ELFSYM_SONAME_MAX bytes. */
static void set_soname(struct elfsym *e, const char *str, size_t avail)
{
	size_t len = strnlen(str, avail < ELFSYM_SONAME_MAX ? avail : ELFSYM_SONAME_MAX);

	if (len == 0 || len >= avail || len >= ELFSYM_SONAME_MAX)
		return;
	memcpy(e->soname, str, len);
	e->soname[len] = '\0';
	e->has_soname = true;
}

/* DT_SONAME from the SHT_DYNAMIC section; 0 if found, -ENOENT otherwise. */
static int soname_from_section(struct elfsym *e)
{
	Elf_Scn *scn = NULL;
	Elf_Data *d, *strs;
	GElf_Shdr sh;
	GElf_Dyn dyn;
	size_t valid_end;

	while ((scn = elf_nextscn(e->elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_DYNAMIC)
			break;
	if (!scn)
		return -ENOENT;
	d = elf_getdata(scn, NULL);
	strs = strtab_data(e->elf, sh.sh_link);
	if (!d || !d->d_buf || d->d_type != ELF_T_DYN || !strs)
		return -ENOENT;
	valid_end = strtab_valid_end(strs);
	for (size_t i = 0; i < d->d_size / sizeof(Elf64_Dyn); i++) {
		if (!gelf_getdyn(d, (int)i, &dyn) || dyn.d_tag == DT_NULL)
			break;
		if (dyn.d_tag == DT_SONAME && dyn.d_un.d_val < valid_end) {
			set_soname(e, strtab_get(strs, valid_end, dyn.d_un.d_val),
				   valid_end - dyn.d_un.d_val);
			return 0;
		}
	}
	return -ENOENT;
}

/* Little-endian u64 at p (the handle only accepts ELFDATA2LSB files). */
static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Find DT_STRTAB and DT_SONAME in the dynamic entries at file offset off. */
static int scan_dynamic(struct elfsym *e, uint64_t off, uint64_t size, uint64_t *strtab,
			uint64_t *soname)
{
	uint8_t ent[16];
	int found = 0;

	for (uint64_t i = 0; i < size / 16 && i < ELFSYM_DYN_MAX; i++) {
		if (read_file(e, off + i * 16, ent, sizeof(ent)) != sizeof(ent))
			break;
		if (le64(ent) == DT_NULL)
			break;
		if (le64(ent) == DT_STRTAB) {
			*strtab = le64(ent + 8);
			found |= 1;
		} else if (le64(ent) == DT_SONAME) {
			*soname = le64(ent + 8);
			found |= 2;
		}
	}
	return found == 3 ? 0 : -ENOENT;
}

/* DT_SONAME through PT_DYNAMIC (files without section headers). */
static void soname_from_segment(struct elfsym *e)
{
	uint64_t strtab = 0, soname = 0;
	char buf[ELFSYM_SONAME_MAX];
	size_t nr = 0;
	GElf_Phdr ph;
	ssize_t n;

	if (elf_getphdrnum(e->elf, &nr))
		return;
	for (size_t i = 0; i < nr && i < ELFSYM_PHDR_MAX; i++) {
		if (!gelf_getphdr(e->elf, (int)i, &ph) || ph.p_type != PT_DYNAMIC)
			continue;
		if (scan_dynamic(e, ph.p_offset, ph.p_filesz, &strtab, &soname))
			return;
		if (strtab + soname < strtab)
			return;
		n = elfsym__read_vaddr(e, strtab + soname, buf, sizeof(buf));
		if (n > 0)
			set_soname(e, buf, (size_t)n);
		return;
	}
}

/* Is a section of type t read through elf_getdata by this handle? */
static bool read_here(uint32_t t)
{
	return t == SHT_SYMTAB || t == SHT_DYNSYM || t == SHT_STRTAB || t == SHT_DYNAMIC ||
	       t == SHT_NOTE;
}

/*
 * The size a compressed section inflates to (SHF_COMPRESSED header, or the
 * GNU ".zdebug" "ZLIB" + big-endian u64 header), else its sh_size. The
 * header is read from fd alone: gelf_getchdr and elf_rawdata read the whole
 * section (a debug file's 5 MiB .debug_info, for its first 24 bytes).
 * Compressed sections of anything but a 64-bit little-endian ELF count as
 * too big (pystrobe unwinds x86_64 only).
 */
static uint64_t inflated_size(int fd, bool le64, const GElf_Shdr *sh, const char *name)
{
	Elf64_Chdr ch;
	uint8_t z[12];
	uint64_t v = 0;

	if (sh->sh_flags & SHF_COMPRESSED)
		return le64 && pread(fd, &ch, sizeof(ch), (off_t)sh->sh_offset) == sizeof(ch) &&
				       sh->sh_size >= sizeof(ch) ?
			       ch.ch_size :
			       UINT64_MAX;
	if (!name || strncmp(name, ".zdebug", 7) != 0)
		return sh->sh_size;
	if (sh->sh_size < 12 || pread(fd, z, sizeof(z), (off_t)sh->sh_offset) != sizeof(z) ||
	    memcmp(z, "ZLIB", 4) != 0)
		return sh->sh_size;
	for (int i = 4; i < 12; i++)
		v = v << 8 | z[i];
	return v;
}

/* Does section sh lie outside a file of file_size bytes or take more than cap? */
static bool too_big(const GElf_Shdr *sh, uint64_t file_size, uint64_t cap)
{
	return sh->sh_size > cap || sh->sh_offset > file_size ||
	       sh->sh_size > file_size - sh->sh_offset;
}

/* The first compressed section of elf (read from fd) that inflates past cap, or NULL. */
static Elf_Scn *inflates_too_big(Elf *elf, int fd, uint64_t cap)
{
	size_t shstrndx = SHN_UNDEF;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	GElf_Ehdr eh;
	bool le64 = gelf_getehdr(elf, &eh) && eh.e_ident[EI_CLASS] == ELFCLASS64 &&
		    eh.e_ident[EI_DATA] == ELFDATA2LSB;

	elf_getshdrstrndx(elf, &shstrndx);
	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type != SHT_NOBITS &&
		    inflated_size(fd, le64, &sh, elf_strptr(elf, shstrndx, sh.sh_name)) > cap)
			return scn;
	return NULL;
}

/*
 * Refuse (-EFBIG, counted) an ELF with a section that lies past the end of
 * the file or would take more than cap bytes once read (inflated): a sparse
 * file can claim a 1 GiB .symtab for 4 KiB on disk, and elf_getdata would
 * allocate and read it all. all: every section with file bytes (for libdw),
 * else only the kinds this handle reads. Runs before any elf_getdata; the
 * compressed headers are read only once every section is known to fit.
 */
static int check_sections(Elf *elf, int fd, uint64_t file_size, uint64_t cap, bool all)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
			continue;
		if ((all || read_here(sh.sh_type)) && too_big(&sh, file_size, cap)) {
			refusals_add(REFUSED_ELF_SECTION);
			return -EFBIG;
		}
	}
	if (all && inflates_too_big(elf, fd, cap)) {
		refusals_add(REFUSED_ELF_SECTION);
		return -EFBIG;
	}
	return 0;
}

int elfsym_check_fd(int fd, uint64_t cap)
{
	struct stat st;
	Elf *elf;
	int err = -ENOEXEC;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return -EPERM;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf && elf_kind(elf) == ELF_K_ELF)
		err = check_sections(elf, fd, (uint64_t)st.st_size, cap, true);
	elf_end(elf);
	return err;
}

/*
 * Check the header (64-bit little-endian ELF only: pystrobe reads x86_64
 * targets) and build the handle's tables; takes ownership of elf and fd.
 */
static struct elfsym *open_elf(Elf *elf, int fd, const void *mem, uint64_t size)
{
	struct elfsym *e;
	GElf_Ehdr eh;
	int err = -ENOEXEC;

	if (!elf || elf_kind(elf) != ELF_K_ELF || gelf_getclass(elf) != ELFCLASS64 ||
	    !gelf_getehdr(elf, &eh) || eh.e_ident[EI_DATA] != ELFDATA2LSB)
		goto out_elf;
	err = -ENOMEM;
	e = calloc(1, sizeof(*e));
	if (!e)
		goto out_elf;
	e->elf = elf;
	e->fd = fd;
	e->mem = mem;
	e->file_size = size;
	e->type = eh.e_type;
	err = check_sections(elf, fd, size, ELFSYM_SECTION_MAX, false);
	if (!err)
		err = load_segments(e);
	if (!err)
		err = index_table(e, SHT_SYMTAB, &e->tabs[0]);
	if (!err)
		err = index_table(e, SHT_DYNSYM, &e->tabs[1]);
	if (err) {
		elfsym__free(e);
		errno = -err;
		return NULL;
	}
	if (soname_from_section(e))
		soname_from_segment(e);
	return e;
out_elf:
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
	errno = -err;
	return NULL;
}

/* Open an fd we own: it must be a regular file (no FIFO or device can hang a read). */
static struct elfsym *open_owned_fd(int fd)
{
	struct stat st;
	Elf *elf;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = ENOEXEC;
		return NULL;
	}
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	return open_elf(elf, fd, NULL, (uint64_t)st.st_size);
}

/* Open a dup of fd; the caller keeps fd. */
struct elfsym *elfsym__open_fd(int fd)
{
	int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	if (dup_fd < 0)
		return NULL;
	return open_owned_fd(dup_fd);
}

/* Open bytes in memory (not copied); for fuzzing and in-memory copies. */
struct elfsym *elfsym__open_mem(const void *buf, size_t len)
{
	Elf *elf;

	if (!buf) {
		errno = EINVAL;
		return NULL;
	}
	elf_version(EV_CURRENT);
	/* ELF_C_READ_MEMORY never writes to the image: the cast only fits the API. */
	elf = elf_memory((char *)buf, len);
	return open_elf(elf, -1, buf, len);
}

/* Release the handle, its index and its fd; accepts NULL. */
void elfsym__free(struct elfsym *e)
{
	if (!e)
		return;
	free(e->tabs[0].ents);
	free(e->tabs[1].ents);
	free(e->loads);
	elf_end(e->elf);
	if (e->fd >= 0)
		close(e->fd);
	free(e);
}

/* e_type (ET_EXEC, ET_DYN, ...). */
uint16_t elfsym__type(const struct elfsym *e)
{
	return e ? e->type : ET_NONE;
}

/* Lowest PT_LOAD p_vaddr, rounded down to its alignment; 0 without PT_LOAD. */
uint64_t elfsym__first_load_vaddr(const struct elfsym *e)
{
	return e ? e->first_load_vaddr : 0;
}

/* The i-th PT_LOAD header (file order); -ENOENT past the last. */
int elfsym__load(const struct elfsym *e, size_t i, struct elfsym_load *out)
{
	if (!e || i >= e->nr_loads)
		return -ENOENT;
	out->vaddr = e->loads[i].p_vaddr;
	out->filesz = e->loads[i].p_filesz;
	out->flags = e->loads[i].p_flags;
	return 0;
}

/* DT_SONAME copied at open, or NULL. */
const char *elfsym__soname(const struct elfsym *e)
{
	return e && e->has_soname ? e->soname : NULL;
}

/* Whether .symtab has at least one usable symbol (the file is not stripped). */
bool elfsym__has_symtab(const struct elfsym *e)
{
	return e && e->tabs[0].nr > 0;
}

/* Index of the first entry of t whose name is >= key (or whose first klen bytes are, if klen). */
static size_t lower_bound(const struct sym_table *t, const char *key, size_t klen)
{
	size_t lo = 0, hi = t->nr, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = klen ? strncmp(t->ents[mid].name, key, klen) : strcmp(t->ents[mid].name, key);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Fill out from entry i of table t. */
static int fill_sym(const struct sym_table *t, size_t i, struct elfsym_sym *out)
{
	GElf_Sym sym;

	if (!gelf_getsym(t->syms, (int)t->ents[i].idx, &sym))
		return -EIO;
	if (out) {
		out->value = sym.st_value;
		out->size = sym.st_size;
		out->type = GELF_ST_TYPE(sym.st_info);
		out->bind = GELF_ST_BIND(sym.st_info);
		out->dynamic = t->dynamic;
	}
	return 0;
}

/* Exact name, .symtab then .dynsym; undefined symbols never match. */
int elfsym__lookup(struct elfsym *e, const char *name, struct elfsym_sym *out)
{
	const struct sym_table *t;
	size_t i;

	if (!e || !name)
		return -EINVAL;
	for (int k = 0; k < 2; k++) {
		t = &e->tabs[k];
		i = lower_bound(t, name, 0);
		if (i < t->nr && strcmp(t->ents[i].name, name) == 0)
			return fill_sym(t, i, out);
	}
	return -ENOENT;
}

/* The smallest name starting with prefix (the exact name sorts first). */
int elfsym__lookup_prefix(struct elfsym *e, const char *prefix, struct elfsym_sym *out, char *name,
			  size_t name_len)
{
	const struct sym_table *t;
	size_t i, plen;

	if (!e || !prefix)
		return -EINVAL;
	plen = strlen(prefix);
	for (int k = 0; k < 2; k++) {
		t = &e->tabs[k];
		/* an empty prefix matches the first name of the table */
		i = plen ? lower_bound(t, prefix, plen) : 0;
		if (i >= t->nr || strncmp(t->ents[i].name, prefix, plen) != 0)
			continue;
		if (name && name_len) {
			strncpy(name, t->ents[i].name, name_len - 1);
			name[name_len - 1] = '\0';
		}
		return fill_sym(t, i, out);
	}
	return -ENOENT;
}

int elfsym__each_prefix(struct elfsym *e, const char *prefix, elfsym_each_fn fn, void *ctx)
{
	struct elfsym_sym sym;
	size_t plen;
	int ret;

	if (!e || !prefix || !fn)
		return -EINVAL;
	plen = strlen(prefix);
	for (int k = 0; k < 2; k++) {
		const struct sym_table *t = &e->tabs[k];

		for (size_t i = lower_bound(t, prefix, plen);
		     i < t->nr && strncmp(t->ents[i].name, prefix, plen) == 0; i++) {
			if (fill_sym(t, i, &sym))
				continue;
			ret = fn(t->ents[i].name, &sym, ctx);
			if (ret)
				return ret;
		}
	}
	return 0;
}

int elfsym__vaddr_to_offset(const struct elfsym *e, uint64_t vaddr, uint64_t *off)
{
	for (size_t i = 0; e && i < e->nr_loads; i++) {
		const GElf_Phdr *ph = &e->loads[i];

		if (vaddr < ph->p_vaddr || vaddr - ph->p_vaddr >= ph->p_filesz)
			continue;
		*off = ph->p_offset + (vaddr - ph->p_vaddr);
		return 0;
	}
	return -ENOENT;
}

/* First section called name; names must be terminated inside .shstrtab. */
int elfsym__section(struct elfsym *e, const char *name, struct elfsym_section *out)
{
	Elf_Scn *scn = NULL;
	Elf_Data *strs;
	size_t shstrndx, valid_end;
	const char *sname;
	GElf_Shdr sh;

	if (!e || !name)
		return -EINVAL;
	if (elf_getshdrstrndx(e->elf, &shstrndx))
		return -ENOENT;
	strs = strtab_data(e->elf, shstrndx);
	valid_end = strtab_valid_end(strs);
	while ((scn = elf_nextscn(e->elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		sname = strtab_get(strs, valid_end, sh.sh_name);
		if (!sname || strcmp(sname, name) != 0)
			continue;
		if (out) {
			out->addr = sh.sh_addr;
			out->offset = sh.sh_offset;
			out->size = sh.sh_size;
			out->type = sh.sh_type;
		}
		return 0;
	}
	return -ENOENT;
}

/* File bytes at vaddr from the PT_LOAD holding it; 0 in bss, -EFAULT outside all. */
ssize_t elfsym__read_vaddr(struct elfsym *e, uint64_t vaddr, void *buf, size_t len)
{
	bool in_bss = false;
	const GElf_Phdr *ph;
	uint64_t off;

	if (!e || (!buf && len))
		return -EINVAL;
	/* Overlapping segments: the first one with file bytes at vaddr wins. */
	for (size_t i = 0; i < e->nr_loads; i++) {
		ph = &e->loads[i];
		if (vaddr < ph->p_vaddr || vaddr - ph->p_vaddr >= ph->p_memsz)
			continue;
		off = vaddr - ph->p_vaddr;
		if (off >= ph->p_filesz) {
			in_bss = true;
			continue;
		}
		if (ph->p_offset > UINT64_MAX - off)
			continue;
		if (len > ph->p_filesz - off)
			len = ph->p_filesz - off;
		return read_file(e, ph->p_offset + off, buf, len);
	}
	return in_bss ? 0 : -EFAULT;
}

/* Copy the GNU build id from note data d, if present; -ENOENT otherwise. */
static int build_id_in(Elf_Data *d, uint8_t *out, size_t cap)
{
	size_t off = 0, next, name_off, desc_off;
	GElf_Nhdr nh;

	if (!d || !d->d_buf)
		return -ENOENT;
	for (int i = 0; i < ELFSYM_NOTES_MAX; i++) {
		next = gelf_getnote(d, off, &nh, &name_off, &desc_off);
		if (next == 0 || next <= off)
			break;
		off = next;
		if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
		    memcmp((const char *)d->d_buf + name_off, "GNU", 4) != 0)
			continue;
		if (nh.n_descsz == 0 || nh.n_descsz > ELFSYM_BUILD_ID_MAX)
			continue;
		if (nh.n_descsz > cap)
			return -ENOSPC;
		memcpy(out, (const char *)d->d_buf + desc_off, nh.n_descsz);
		return (int)nh.n_descsz;
	}
	return -ENOENT;
}

/* Build id from PT_NOTE segments (files without section headers). */
static int build_id_from_segments(struct elfsym *e, uint8_t *out, size_t cap)
{
	size_t nr = 0;
	GElf_Phdr ph;
	Elf_Data *d;
	int ret;

	if (elf_getphdrnum(e->elf, &nr))
		return -ENOENT;
	for (size_t i = 0; i < nr && i < ELFSYM_PHDR_MAX; i++) {
		if (!gelf_getphdr(e->elf, (int)i, &ph) || ph.p_type != PT_NOTE)
			continue;
		if (ph.p_filesz > ELFSYM_SECTION_MAX || ph.p_offset > e->file_size ||
		    ph.p_filesz > e->file_size - ph.p_offset) {
			refusals_add(REFUSED_ELF_SECTION);
			continue;
		}
		d = elf_getdata_rawchunk(e->elf, (int64_t)ph.p_offset, ph.p_filesz,
					 ph.p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR);
		ret = build_id_in(d, out, cap);
		if (ret != -ENOENT)
			return ret;
	}
	return -ENOENT;
}

/* NT_GNU_BUILD_ID from note sections, else PT_NOTE; -ENOSPC if cap is too small. */
int elfsym__build_id(struct elfsym *e, uint8_t *out, size_t cap)
{
	Elf_Scn *scn = NULL;
	bool have_notes = false;
	GElf_Shdr sh;
	int ret;

	if (!e || (!out && cap))
		return -EINVAL;
	while ((scn = elf_nextscn(e->elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		have_notes = true;
		ret = build_id_in(elf_getdata(scn, NULL), out, cap);
		if (ret != -ENOENT)
			return ret;
	}
	return have_notes ? -ENOENT : build_id_from_segments(e, out, cap);
}
