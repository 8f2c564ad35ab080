/* SPDX-License-Identifier: MIT */
/*
 * Read-only view of an ELF file (libelf): symbols from .symtab and .dynsym,
 * sections, program headers and file bytes at virtual addresses. Every
 * access is bounds-checked: the file may be hostile.
 */
#ifndef PYSTROBE_ELFSYM_H
#define PYSTROBE_ELFSYM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct elfsym;

struct elfsym_sym {
	uint64_t value; /* st_value (a virtual address, or TLS offset for STT_TLS) */
	uint64_t size;
	uint8_t type; /* STT_* */
	uint8_t bind; /* STB_* */
	bool dynamic; /* found in .dynsym (else .symtab) */
};

struct elfsym_section {
	uint64_t addr; /* sh_addr */
	uint64_t offset; /* sh_offset */
	uint64_t size; /* sh_size */
	uint32_t type; /* SHT_* */
};

struct elfsym_load {
	uint64_t vaddr; /* p_vaddr */
	uint64_t filesz; /* p_filesz: bytes backed by the file */
	uint32_t flags; /* PF_R | PF_W | PF_X */
};

/*
 * Sections this handle reads (symbols, strings, dynamic, notes) larger than
 * this, or past the end of the file, make the open fail with EFBIG (counted
 * in refusals): the largest real .symtab seen (libpython debug files) is
 * under 8 MiB.
 */
#define ELFSYM_SECTION_MAX (64ULL << 20)

/*
 * Open a dup of fd (the caller keeps fd), a regular file read-only; NULL
 * with errno (ENOEXEC: not a usable 64-bit ELF, EFBIG: oversized section).
 * Target files come from tfile.h: there is no open by path.
 */
struct elfsym *elfsym__open_fd(int fd);
/* Same on bytes in memory (not copied: buf must outlive the handle); for fuzzing. */
struct elfsym *elfsym__open_mem(const void *buf, size_t len);
void elfsym__free(struct elfsym *e); /* accepts NULL */

/*
 * Before handing fd to libdw/libelf readers that read whole sections: 0 if
 * every section with file bytes lies inside the file and, inflated if
 * compressed, takes at most cap bytes; -EFBIG (counted), -ENOEXEC or -EPERM.
 */
int elfsym_check_fd(int fd, uint64_t cap);

/* ET_EXEC, ET_DYN, ... */
uint16_t elfsym__type(const struct elfsym *e);
/* Lowest PT_LOAD p_vaddr rounded down to its alignment (load bias = map start - this). */
uint64_t elfsym__first_load_vaddr(const struct elfsym *e);
/* The i-th PT_LOAD header (file order): 0, or -ENOENT past the last. */
int elfsym__load(const struct elfsym *e, size_t i, struct elfsym_load *out);
/* DT_SONAME, or NULL. */
const char *elfsym__soname(const struct elfsym *e);

/* Find a symbol by exact name: .symtab first, then .dynsym. 0 or -ENOENT. */
int elfsym__lookup(struct elfsym *e, const char *name, struct elfsym_sym *out);
/* First symbol whose name starts with prefix (e.g. "take_gil" matches "take_gil.lto_priv.0"). */
int elfsym__lookup_prefix(struct elfsym *e, const char *prefix, struct elfsym_sym *out, char *name,
			  size_t name_len);
bool elfsym__has_symtab(const struct elfsym *e);

/* Call fn for every symbol (both tables) whose name starts with prefix; stops on non-zero. */
typedef int (*elfsym_each_fn)(const char *name, const struct elfsym_sym *sym, void *ctx);
int elfsym__each_prefix(struct elfsym *e, const char *prefix, elfsym_each_fn fn, void *ctx);

/* File offset of the file-backed byte at vaddr (what uprobes attach by). 0 or -ENOENT. */
int elfsym__vaddr_to_offset(const struct elfsym *e, uint64_t vaddr, uint64_t *off);

/* Section by name. 0 or -ENOENT. */
int elfsym__section(struct elfsym *e, const char *name, struct elfsym_section *out);

/*
 * Copy len file-backed bytes at virtual address vaddr (from the PT_LOAD
 * segment holding them). Returns bytes copied (short at segment end), 0 for
 * bss, or -errno.
 */
ssize_t elfsym__read_vaddr(struct elfsym *e, uint64_t vaddr, void *buf, size_t len);

/* GNU build id (NT_GNU_BUILD_ID). Returns its length (<= cap) or -ENOENT. */
int elfsym__build_id(struct elfsym *e, uint8_t *out, size_t cap);

#endif /* PYSTROBE_ELFSYM_H */
