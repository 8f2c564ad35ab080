// SPDX-License-Identifier: MIT
/*
 * ELF reader: the real CPython builds installed on the machine (pyenv
 * 2.7-3.13 libpython*.so and Debian's static, stripped, non-PIE python3.11),
 * the small fixtures of tests/data/elf/ (scripts/gen-elf-fixtures.sh) and
 * hostile files. A build that is not installed fails its test.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <criterion/parameterized.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "target/elfsym.h"
#include "elfsym_open.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define FIXTURE(name) PS_SOURCE_DIR "/tests/data/elf/" name
#define PYENV "/root/.pyenv/versions/"

/* One installed CPython build and what its file must show. */
struct build {
	char ver[16];
	char path[96];
	uint16_t e_type;
	char soname[32]; /* "" when the file has none */
	char root[16]; /* _PyRuntime (3.7+) or interp_head (2.7, 3.6) */
	uint32_t py_version; /* Py_Version (3.11+), 0 when the symbol does not exist */
	bool has_symtab;
	bool has_take_gil; /* take_gil (3.x GIL) in .symtab */
	uint64_t first_load_vaddr;
};

static struct build builds[] = {
	{ "2.7.18", PYENV "2.7.18/lib/libpython2.7.so.1.0", ET_DYN, "libpython2.7.so.1.0",
	  "interp_head", 0, true, false, 0 },
	{ "3.6.15", PYENV "3.6.15/lib/libpython3.6m.so.1.0", ET_DYN, "libpython3.6m.so.1.0",
	  "interp_head", 0, true, true, 0 },
	{ "3.7.16", PYENV "3.7.16/lib/libpython3.7m.so.1.0", ET_DYN, "libpython3.7m.so.1.0",
	  "_PyRuntime", 0, true, true, 0 },
	{ "3.8.18", PYENV "3.8.18/lib/libpython3.8.so.1.0", ET_DYN, "libpython3.8.so.1.0",
	  "_PyRuntime", 0, true, true, 0 },
	{ "3.9.18", PYENV "3.9.18/lib/libpython3.9.so.1.0", ET_DYN, "libpython3.9.so.1.0",
	  "_PyRuntime", 0, true, true, 0 },
	{ "3.10.13", PYENV "3.10.13/lib/libpython3.10.so.1.0", ET_DYN, "libpython3.10.so.1.0",
	  "_PyRuntime", 0, true, true, 0 },
	{ "3.11.7", PYENV "3.11.7/lib/libpython3.11.so.1.0", ET_DYN, "libpython3.11.so.1.0",
	  "_PyRuntime", 0x030b07f0, true, true, 0 },
	{ "3.12.1", PYENV "3.12.1/lib/libpython3.12.so.1.0", ET_DYN, "libpython3.12.so.1.0",
	  "_PyRuntime", 0x030c01f0, true, true, 0 },
	{ "3.13.0", PYENV "3.13.0/lib/libpython3.13.so.1.0", ET_DYN, "libpython3.13.so.1.0",
	  "_PyRuntime", 0x030d00f0, true, true, 0 },
	{ "3.11.2", "/usr/bin/python3.11", ET_EXEC, "", "_PyRuntime", 0x030b02f0, false, false,
	  0x400000 },
};

/* Open a build's file, failing the test (never skipping it) when it is not installed. */
static struct elfsym *open_build(const struct build *b)
{
	struct elfsym *e;

	if (access(b->path, R_OK))
		cr_assert_fail("CPython %s missing: %s not installed (%s)", b->ver, b->path,
			       strerror(errno));
	e = elfsym_open_path(b->path);
	cr_assert_not_null(e, "%s: want an open handle, got errno %d (%s)", b->path, errno,
			   strerror(errno));
	return e;
}

/* The whole file at path in a malloc'd buffer; fails the test if unreadable. */
static uint8_t *slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	FILE *f = fopen(path, "rb");

	if (!f)
		cr_assert_fail("%s missing: %s", path, strerror(errno));
	cr_assert_eq(fstat(fileno(f), &st), 0, "fstat %s", path);
	buf = malloc(st.st_size ? st.st_size : 1);
	cr_assert_not_null(buf, "no memory for %s", path);
	*len = fread(buf, 1, st.st_size, f);
	fclose(f);
	cr_assert_eq(*len, (size_t)st.st_size, "%s: read %zu of %lld bytes", path, *len,
		     (long long)st.st_size);
	return buf;
}

/* Turn the .symtab section of an in-memory ELF64 into SHT_NULL (a stripped view). */
static void hide_symtab(uint8_t *buf, size_t len)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	Elf64_Shdr *sh;

	cr_assert_geq(len, sizeof(*eh), "file shorter than an ELF header");
	cr_assert_leq(eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(*sh), len, "section table");
	sh = (Elf64_Shdr *)(buf + eh->e_shoff);
	for (unsigned i = 0; i < eh->e_shnum; i++)
		if (sh[i].sh_type == SHT_SYMTAB)
			sh[i].sh_type = SHT_NULL;
}

ParameterizedTestParameters(elfsym, reports_the_elf_type_and_first_load_address)
{
	return cr_make_param_array(struct build, builds, ARRAY_SIZE(builds));
}

ParameterizedTest(struct build *b, elfsym, reports_the_elf_type_and_first_load_address)
{
	struct elfsym *e = open_build(b);

	cr_expect_eq(elfsym__type(e), b->e_type, "%s: want e_type %u, got %u", b->ver, b->e_type,
		     elfsym__type(e));
	cr_expect_eq(elfsym__first_load_vaddr(e), b->first_load_vaddr,
		     "%s: want first PT_LOAD at %#lx, got %#lx", b->ver,
		     (unsigned long)b->first_load_vaddr,
		     (unsigned long)elfsym__first_load_vaddr(e));
	cr_expect_eq(elfsym__has_symtab(e), b->has_symtab, "%s: want has_symtab %d, got %d", b->ver,
		     b->has_symtab, elfsym__has_symtab(e));
	elfsym__free(e);
}

ParameterizedTestParameters(elfsym, finds_the_runtime_root_symbol)
{
	return cr_make_param_array(struct build, builds, ARRAY_SIZE(builds));
}

/* _PyRuntime is a global object; interp_head a LOCAL pointer that only .symtab has. */
ParameterizedTest(struct build *b, elfsym, finds_the_runtime_root_symbol)
{
	struct elfsym *e = open_build(b);
	struct elfsym_sym sym;
	bool local = strcmp(b->root, "interp_head") == 0;
	int err = elfsym__lookup(e, b->root, &sym);

	cr_assert_eq(err, 0, "%s: want %s found, got %d", b->ver, b->root, err);
	cr_expect_eq(sym.type, STT_OBJECT, "%s: %s want STT_OBJECT, got %u", b->ver, b->root,
		     sym.type);
	cr_expect_eq(sym.bind, local ? STB_LOCAL : STB_GLOBAL, "%s: %s want bind %d, got %u",
		     b->ver, b->root, local ? STB_LOCAL : STB_GLOBAL, sym.bind);
	cr_expect_eq(sym.dynamic, !b->has_symtab, "%s: %s want dynamic %d (.symtab first), got %d",
		     b->ver, b->root, !b->has_symtab, sym.dynamic);
	cr_expect(sym.value != 0 && sym.size >= 8, "%s: %s at %#lx size %lu", b->ver, b->root,
		  (unsigned long)sym.value, (unsigned long)sym.size);
	elfsym__free(e);
}

ParameterizedTestParameters(elfsym, finds_pyruntime_in_dynsym_and_interp_head_only_in_symtab)
{
	return cr_make_param_array(struct build, builds, ARRAY_SIZE(builds));
}

/* The same file with .symtab hidden: what a stripped build of each version offers. */
ParameterizedTest(struct build *b, elfsym, finds_pyruntime_in_dynsym_and_interp_head_only_in_symtab)
{
	struct elfsym_sym sym;
	struct elfsym *e;
	size_t len;
	uint8_t *buf = slurp(b->path, &len);
	bool local = strcmp(b->root, "interp_head") == 0;
	int err;

	hide_symtab(buf, len);
	e = elfsym__open_mem(buf, len);
	cr_assert_not_null(e, "%s: open_mem: errno %d", b->ver, errno);
	cr_expect(!elfsym__has_symtab(e), "%s: .symtab still seen", b->ver);
	err = elfsym__lookup(e, b->root, &sym);
	if (local) {
		cr_expect_eq(err, -ENOENT, "%s: interp_head want -ENOENT without .symtab, got %d",
			     b->ver, err);
	} else {
		cr_expect_eq(err, 0, "%s: _PyRuntime want found in .dynsym, got %d", b->ver, err);
		cr_expect(sym.dynamic, "%s: _PyRuntime want dynamic, got .symtab", b->ver);
	}
	elfsym__free(e);
	free(buf);
}

ParameterizedTestParameters(elfsym, finds_take_gil_by_prefix_only_in_symtab)
{
	return cr_make_param_array(struct build, builds, ARRAY_SIZE(builds));
}

/* take_gil is static (LTO may rename it take_gil.lto_priv.0): .symtab only, never .dynsym. */
ParameterizedTest(struct build *b, elfsym, finds_take_gil_by_prefix_only_in_symtab)
{
	struct elfsym_sym sym;
	struct elfsym *e;
	char name[64] = "";
	size_t len;
	uint8_t *buf;
	int err;

	e = open_build(b);
	err = elfsym__lookup_prefix(e, "take_gil", &sym, name, sizeof(name));
	cr_expect_eq(err, b->has_take_gil ? 0 : -ENOENT, "%s: take_gil want %d, got %d", b->ver,
		     b->has_take_gil ? 0 : -ENOENT, err);
	if (b->has_take_gil) {
		cr_expect_str_eq(name, "take_gil", "%s: want the exact name first, got %s", b->ver,
				 name);
		cr_expect(!sym.dynamic && sym.type == STT_FUNC && sym.bind == STB_LOCAL,
			  "%s: want a LOCAL FUNC from .symtab, got dynamic %d type %u bind %u",
			  b->ver, sym.dynamic, sym.type, sym.bind);
	}
	elfsym__free(e);
	buf = slurp(b->path, &len);
	hide_symtab(buf, len);
	e = elfsym__open_mem(buf, len);
	cr_assert_not_null(e, "%s: open_mem: errno %d", b->ver, errno);
	err = elfsym__lookup_prefix(e, "take_gil", &sym, name, sizeof(name));
	cr_expect_eq(err, -ENOENT, "%s: take_gil in .dynsym: want -ENOENT, got %d (%s)", b->ver,
		     err, name);
	elfsym__free(e);
	free(buf);
}

ParameterizedTestParameters(elfsym, reads_py_version_through_its_load_segment)
{
	return cr_make_param_array(struct build, builds, ARRAY_SIZE(builds));
}

ParameterizedTest(struct build *b, elfsym, reads_py_version_through_its_load_segment)
{
	struct elfsym *e = open_build(b);
	struct elfsym_sym sym;
	uint64_t v = 0;
	ssize_t n;
	int err = elfsym__lookup(e, "Py_Version", &sym);

	if (!b->py_version) {
		cr_expect_eq(err, -ENOENT, "%s: Py_Version want -ENOENT, got %d", b->ver, err);
		elfsym__free(e);
		return;
	}
	cr_assert_eq(err, 0, "%s: Py_Version want found, got %d", b->ver, err);
	cr_assert_eq(sym.size, 8, "%s: Py_Version want 8 bytes, got %lu", b->ver,
		     (unsigned long)sym.size);
	n = elfsym__read_vaddr(e, sym.value, &v, sizeof(v));
	cr_assert_eq(n, 8, "%s: read_vaddr want 8 bytes, got %zd", b->ver, n);
	cr_expect_eq(v, b->py_version, "%s: Py_Version want %#x, got %#lx", b->ver, b->py_version,
		     (unsigned long)v);
	elfsym__free(e);
}

ParameterizedTestParameters(elfsym, reports_the_soname)
{
	return cr_make_param_array(struct build, builds, ARRAY_SIZE(builds));
}

ParameterizedTest(struct build *b, elfsym, reports_the_soname)
{
	struct elfsym *e = open_build(b);
	const char *got = elfsym__soname(e);

	if (b->soname[0])
		cr_expect_str_eq(got ? got : "(null)", b->soname, "%s: want soname %s, got %s",
				 b->ver, b->soname, got ? got : "(null)");
	else
		cr_expect_null(got, "%s: want no soname, got %s", b->ver, got);
	elfsym__free(e);
}

ParameterizedTestParameters(elfsym, build_id_equals_the_note_bytes)
{
	return cr_make_param_array(struct build, builds, ARRAY_SIZE(builds));
}

/* The 20-byte GNU build id equals the descriptor in .note.gnu.build-id (16-byte header). */
ParameterizedTest(struct build *b, elfsym, build_id_equals_the_note_bytes)
{
	struct elfsym *e = open_build(b);
	struct elfsym_section sec;
	uint8_t id[64], raw[20];
	int n = elfsym__build_id(e, id, sizeof(id));

	cr_assert_eq(n, 20, "%s: want a 20-byte build id, got %d", b->ver, n);
	cr_assert_eq(elfsym__section(e, ".note.gnu.build-id", &sec), 0, "%s: no note", b->ver);
	cr_assert_eq(elfsym__read_vaddr(e, sec.addr + 16, raw, sizeof(raw)), 20, "%s", b->ver);
	cr_expect_arr_eq(id, raw, 20, "%s: build id differs from the note descriptor", b->ver);
	cr_expect_eq(elfsym__build_id(e, id, 19), -ENOSPC, "%s: 19-byte buffer want -ENOSPC",
		     b->ver);
	elfsym__free(e);
}

ParameterizedTestParameters(elfsym, pyruntime_section_holds_the_pyruntime_symbol)
{
	return cr_make_param_array(struct build, builds, ARRAY_SIZE(builds));
}

/* 3.10+ put _PyRuntime in its own .PyRuntime section; 3.7-3.9 leave it in .bss. */
ParameterizedTest(struct build *b, elfsym, pyruntime_section_holds_the_pyruntime_symbol)
{
	struct elfsym *e = open_build(b);
	struct elfsym_section sec;
	struct elfsym_sym sym;
	uint8_t byte;
	int has_sec = elfsym__section(e, ".PyRuntime", &sec) == 0;
	bool old =
		!strcmp(b->ver, "3.7.16") || !strcmp(b->ver, "3.8.18") || !strcmp(b->ver, "3.9.18");
	ssize_t n;

	if (strcmp(b->root, "_PyRuntime") != 0) {
		cr_expect(!has_sec, "%s: want no .PyRuntime section", b->ver);
		elfsym__free(e);
		return;
	}
	cr_assert_eq(elfsym__lookup(e, "_PyRuntime", &sym), 0, "%s: no _PyRuntime", b->ver);
	n = elfsym__read_vaddr(e, sym.value, &byte, 1);
	if (old) {
		cr_expect(!has_sec, "%s: want no .PyRuntime section", b->ver);
		cr_expect_eq(n, 0, "%s: _PyRuntime in .bss: want 0 bytes, got %zd", b->ver, n);
	} else {
		cr_assert(has_sec, "%s: want a .PyRuntime section", b->ver);
		cr_expect_eq(sec.addr, sym.value, "%s: section at %#lx, symbol at %#lx", b->ver,
			     (unsigned long)sec.addr, (unsigned long)sym.value);
		cr_expect_eq(n, 1, "%s: .PyRuntime is file-backed: want 1 byte, got %zd", b->ver,
			     n);
	}
	elfsym__free(e);
}

Test(elfsym, reads_a_constant_and_nothing_from_bss)
{
	struct elfsym *e = elfsym_open_path(FIXTURE("tiny.so"));
	struct elfsym_sym sym;
	uint64_t v = 0;
	ssize_t n;

	cr_assert_not_null(e, "tiny.so: errno %d (run scripts/gen-elf-fixtures.sh)", errno);
	cr_assert_eq(elfsym__lookup(e, "tiny_const", &sym), 0, "tiny_const not found");
	n = elfsym__read_vaddr(e, sym.value, &v, sizeof(v));
	cr_expect_eq(n, 8, "want 8 bytes, got %zd", n);
	cr_expect_eq(v, 0x0102030405060708UL, "want 0x0102030405060708, got %#lx",
		     (unsigned long)v);
	cr_assert_eq(elfsym__lookup(e, "tiny_bss", &sym), 0, "tiny_bss not found");
	n = elfsym__read_vaddr(e, sym.value, &v, sizeof(v));
	cr_expect_eq(n, 0, "bss: want 0 bytes, got %zd", n);
	elfsym__free(e);
}

Test(elfsym, read_vaddr_stops_at_the_end_of_the_segment)
{
	struct elfsym *e = elfsym_open_path(FIXTURE("tiny.so"));
	struct elfsym_sym sym;
	size_t len = 1 << 20;
	uint8_t *buf = calloc(1, len);
	ssize_t n;

	cr_assert_not_null(e, "tiny.so: errno %d", errno);
	cr_assert_eq(elfsym__lookup(e, "tiny_data", &sym), 0, "tiny_data not found");
	n = elfsym__read_vaddr(e, sym.value, buf, len);
	cr_expect(n >= 4 && n < 4096, "want the rest of the data segment (4..4095), got %zd", n);
	cr_expect_eq(buf[0], 42, "tiny_data want 42, got %u", buf[0]);
	elfsym__free(e);
	free(buf);
}

Test(elfsym, read_vaddr_outside_every_segment_is_efault)
{
	struct elfsym *e = elfsym_open_path(FIXTURE("tiny.so"));
	uint8_t b;
	ssize_t n;

	cr_assert_not_null(e, "tiny.so: errno %d", errno);
	n = elfsym__read_vaddr(e, 0x7fff00000000UL, &b, 1);
	cr_expect_eq(n, -EFAULT, "want -EFAULT, got %zd", n);
	n = elfsym__read_vaddr(e, UINT64_MAX, &b, 1);
	cr_expect_eq(n, -EFAULT, "want -EFAULT at the top of the address space, got %zd", n);
	elfsym__free(e);
}

Test(elfsym, prefix_lookup_copies_the_full_name_truncated_to_the_buffer)
{
	struct elfsym *e = elfsym_open_path(FIXTURE("tiny.so"));
	struct elfsym_sym sym;
	char name[64], small[9];

	cr_assert_not_null(e, "tiny.so: errno %d", errno);
	cr_assert_eq(elfsym__lookup_prefix(e, "take_gil", &sym, name, sizeof(name)), 0, "prefix");
	cr_expect_str_eq(name, "take_gil.lto_priv.0", "want take_gil.lto_priv.0, got %s", name);
	cr_assert_eq(elfsym__lookup_prefix(e, "take_gil", NULL, small, sizeof(small)), 0, "small");
	cr_expect_str_eq(small, "take_gil", "want truncated take_gil, got %s", small);
	cr_expect_eq(elfsym__lookup(e, "take_gil", &sym), -ENOENT,
		     "exact lookup must not match a prefix");
	cr_expect_eq(elfsym__lookup_prefix(e, "zz_none", &sym, NULL, 0), -ENOENT, "no match");
	elfsym__free(e);
}

Test(elfsym, lookup_ignores_undefined_symbols)
{
	const char *stub = PYENV "3.9.18/bin/python3.9";
	struct elfsym *e;
	int err;

	if (access(stub, R_OK))
		cr_assert_fail("CPython 3.9.18 missing: %s not installed", stub);
	e = elfsym_open_path(stub);
	cr_assert_not_null(e, "%s: errno %d", stub, errno);
	/* The pyenv stub imports Py_BytesMain from libpython: UND, value 0. */
	err = elfsym__lookup(e, "Py_BytesMain", NULL);
	cr_expect_eq(err, -ENOENT, "undefined Py_BytesMain: want -ENOENT, got %d", err);
	elfsym__free(e);
}

Test(elfsym, soname_and_build_id_come_from_segments_without_section_headers)
{
	struct elfsym *ref = elfsym_open_path(FIXTURE("tiny.so"));
	struct elfsym *e = elfsym_open_path(FIXTURE("no_section_headers.so"));
	uint8_t want[64], got[64];
	int nw, ng;

	cr_assert_not_null(ref, "tiny.so: errno %d", errno);
	cr_assert_not_null(e, "no_section_headers.so: errno %d", errno);
	cr_expect_str_eq(elfsym__soname(e) ? elfsym__soname(e) : "(null)", "libtiny.so.1",
			 "PT_DYNAMIC soname");
	nw = elfsym__build_id(ref, want, sizeof(want));
	ng = elfsym__build_id(e, got, sizeof(got));
	cr_assert_eq(nw, 20, "tiny.so build id: want 20 bytes, got %d", nw);
	cr_assert_eq(ng, nw, "PT_NOTE build id: want %d bytes, got %d", nw, ng);
	cr_expect_arr_eq(got, want, 20, "PT_NOTE build id differs from the section's");
	elfsym__free(e);
	elfsym__free(ref);
}

Test(elfsym, open_fd_leaves_the_callers_fd_open)
{
	int fd = open(FIXTURE("tiny.so"), O_RDONLY);
	struct elfsym *e;

	cr_assert_geq(fd, 0, "open tiny.so: %s", strerror(errno));
	e = elfsym__open_fd(fd);
	cr_assert_not_null(e, "open_fd: errno %d", errno);
	cr_expect_eq(elfsym__lookup(e, "tiny_func", NULL), 0, "tiny_func via fd");
	elfsym__free(e);
	cr_expect_neq(fcntl(fd, F_GETFD), -1, "caller's fd closed by elfsym__free");
	close(fd);
	elfsym__free(NULL);
}

/* Write len bytes of buf to a new temporary file; returns its path (static buffer). */
static const char *temp_file(const void *buf, size_t len)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/ps_elfsym_XXXXXX");
	fd = mkstemp(path);
	cr_assert_geq(fd, 0, "mkstemp: %s", strerror(errno));
	cr_assert_eq(write(fd, buf, len), (ssize_t)len, "write %s", path);
	close(fd);
	return path;
}

/* Open path; expect NULL with errno want. */
static void expect_open_fails(const char *what, const char *path, int want)
{
	struct elfsym *e;

	errno = 0;
	e = elfsym_open_path(path);
	cr_expect_null(e, "%s: want NULL, got a handle", what);
	cr_expect_eq(errno, want, "%s: want errno %d (%s), got %d (%s)", what, want, strerror(want),
		     errno, strerror(errno));
	elfsym__free(e);
}

Test(elfsym, rejects_zeros_text_32bit_and_non_files_with_enoexec)
{
	static uint8_t zeros[4096];
	static const char text[] = "#!/bin/sh\necho not an ELF\n";
	const char *p;
	size_t len;
	uint8_t *elf32 = slurp(FIXTURE("tiny.so"), &len);

	p = temp_file(zeros, sizeof(zeros));
	expect_open_fails("4 KiB of zeros", p, ENOEXEC);
	unlink(p);
	p = temp_file(text, sizeof(text) - 1);
	expect_open_fails("a shell script", p, ENOEXEC);
	unlink(p);
	elf32[EI_CLASS] = ELFCLASS32;
	p = temp_file(elf32, len);
	expect_open_fails("an ELFCLASS32 header", p, ENOEXEC);
	unlink(p);
	free(elf32);
	expect_open_fails("a directory", "/tmp", ENOEXEC);
	expect_open_fails("a missing file", "/nonexistent/python", ENOENT);
	cr_expect_null(elfsym__open_mem(zeros, sizeof(zeros)), "open_mem of zeros");
	cr_expect_null(elfsym__open_mem(text, 0), "open_mem of nothing");
}

Test(elfsym, truncated_copy_of_a_real_libpython_has_no_symbols)
{
	const char *path = PYENV "3.11.7/lib/libpython3.11.so.1.0";
	size_t cuts[] = { 16, 64, 4096, 1 << 20 };
	struct elfsym *e;
	size_t len;
	uint8_t *buf = slurp(path, &len);
	int err;

	for (size_t i = 0; i < ARRAY_SIZE(cuts); i++) {
		errno = 0;
		e = elfsym__open_mem(buf, cuts[i]);
		if (!e) {
			cr_expect_eq(errno, ENOEXEC, "cut at %zu: want ENOEXEC, got %d", cuts[i],
				     errno);
			continue;
		}
		err = elfsym__lookup(e, "_PyRuntime", NULL);
		cr_expect_eq(err, -ENOENT, "cut at %zu: _PyRuntime want -ENOENT, got %d", cuts[i],
			     err);
		elfsym__free(e);
	}
	free(buf);
}

Test(elfsym, hostile_fixtures_open_without_names)
{
	static const char *const files[] = { "strtab_without_nul.so", "section_count_huge.so",
					     "truncated.so" };
	struct elfsym_section sec;
	struct elfsym *e;
	char path[512];
	int err;

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), FIXTURE("%s"), files[i]);
		e = elfsym_open_path(path);
		cr_assert_not_null(e, "%s: want a handle, got errno %d", files[i], errno);
		err = elfsym__lookup(e, "tiny_const", NULL);
		cr_expect_eq(err, -ENOENT, "%s: tiny_const want -ENOENT, got %d", files[i], err);
		err = elfsym__section(e, ".dynsym", &sec);
		cr_expect(err == 0 || err == -ENOENT, "%s: section lookup gave %d", files[i], err);
		elfsym__free(e);
	}
}

/* A sparse file of size bytes whose ELF header claims a .symtab of all but its first 8 KiB. */
static int sparse_symtab_fd(const char *path, uint64_t size)
{
	Elf64_Ehdr eh = { .e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB,
				       EV_CURRENT },
			  .e_type = ET_DYN,
			  .e_machine = EM_X86_64,
			  .e_version = EV_CURRENT,
			  .e_shoff = sizeof(Elf64_Ehdr),
			  .e_ehsize = sizeof(Elf64_Ehdr),
			  .e_shentsize = sizeof(Elf64_Shdr),
			  .e_shnum = 3 };
	Elf64_Shdr sh[3] = {
		{ 0 },
		{ .sh_type = SHT_SYMTAB,
		  .sh_offset = 8192,
		  .sh_size = (size - 8192) / 24 * 24,
		  .sh_link = 2,
		  .sh_addralign = 8,
		  .sh_entsize = 24 },
		{ .sh_type = SHT_STRTAB, .sh_offset = 4096, .sh_size = 16, .sh_addralign = 1 },
	};
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	cr_assert_eq(pwrite(fd, &eh, sizeof(eh), 0), (ssize_t)sizeof(eh));
	cr_assert_eq(pwrite(fd, sh, sizeof(sh), sizeof(eh)), (ssize_t)sizeof(sh));
	cr_assert_eq(ftruncate(fd, (off_t)size), 0);
	return fd;
}

Test(elfsym, refuses_a_section_over_the_limit_before_reading_it, .timeout = 10)
{
	char path[] = "/tmp/ps-sparse-elf-XXXXXX";
	int fd = mkstemp(path), err;
	struct elfsym *e;

	cr_assert_geq(fd, 0);
	close(fd);
	fd = sparse_symtab_fd(path, 1ULL << 30);
	unlink(path);
	e = elfsym__open_fd(fd);
	err = errno;
	cr_expect_null(e, "a 1 GiB .symtab must not be read");
	cr_expect_eq(err, EFBIG, "errno %d (%s), want EFBIG", err, strerror(err));
	cr_expect_eq(elfsym_check_fd(fd, ELFSYM_SECTION_MAX), -EFBIG);
	elfsym__free(e);
	close(fd);
}

/* elfsym_check_fd on a fuzz corpus file with a 1 MiB cap. */
static int check_corpus(const char *name)
{
	char path[512];
	int fd, err;

	snprintf(path, sizeof(path), PS_SOURCE_DIR "/tests/fuzz/corpus/elfcheck/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	err = elfsym_check_fd(fd, 1 << 20);
	close(fd);
	return err;
}

Test(elfsym, check_fd_weighs_compressed_sections_inflated)
{
	cr_expect_eq(check_corpus("debug_plain.o"), 0);
	cr_expect_eq(check_corpus("debug_shf_compressed.o"), 0);
	cr_expect_eq(check_corpus("debug_zdebug.o"), 0);
	cr_expect_eq(check_corpus("debug_shf_compressed_bomb.o"), -EFBIG, "ch_size 1 TiB");
	cr_expect_eq(check_corpus("debug_zdebug_bomb.o"), -EFBIG, "ZLIB size 1 TiB");
}
