// SPDX-License-Identifier: MIT
/* Find the CPython runtime of a process: maps -> ELF -> version -> layout -> addresses. */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "python/discover.h"
#include "target/elfsym.h"
#include "lib/log.h"
#include "target/procmaps.h"
#include "target/procfs.h"
#include "target/proctitle.h"
#include "target/tfile.h"

#define ELF_CACHE_MAX 256 /* distinct runtime files remembered; beyond, oldest replaced */
#define DEBUG_OFFSETS_READ 4096 /* bytes of .PyRuntime holding _Py_DebugOffsets */
#define COOKIE_CHUNK 65536 /* bytes read at a time in the debug-offsets cookie scan */
#define COOKIE_SCAN_MAX (64ULL << 20) /* bytes of writable segments scanned for the cookie */

/* What one ELF file says about the CPython runtime in it. */
struct elf_info {
	uint64_t dev, ino; /* cache key */
	int status; /* 0, -ENOENT (no runtime), -ENOTSUP (unknown version) */
	struct py_version ver;
	struct py_layout layout;
	uint64_t root_vaddr; /* _PyRuntime or interp_head */
	uint64_t code_type_vaddr;
	uint64_t tstate_current_vaddr; /* _PyThreadState_Current (2.7, 3.6), else 0 */
	uint64_t first_load_vaddr;
	uint64_t pyruntime_vaddr; /* 3.13+: _PyRuntime found by its debug offsets, or 0 */
	uint16_t e_type;
	bool may_load_python; /* DT_NEEDED names a libpython, or it is ld.so itself */
	char why[256];
};

struct discover {
	struct elf_info cache[ELF_CACHE_MAX];
	size_t nr, next;
};

struct discover *discover__new(void)
{
	return calloc(1, sizeof(struct discover));
}

void discover__free(struct discover *d)
{
	free(d);
}

#define CANDIDATES_MAX 32 /* other mapped executable files tried; beyond, not looked at */

/*
 * The mappings that can hold the runtime: libpython's first mapping, the
 * executable's, and every other file mapped executable (a program started as
 * `ld.so --library-path DIR python3.X`: the exe is ld.so, the interpreter a
 * mapped file). Offset-0 mappings, tried in that order.
 */
struct maps_scan {
	char exe[PROCMAP_PATH_MAX];
	struct procmap lib, exe_map;
	int have_lib, have_exe;
	struct procmap other[CANDIDATES_MAX];
	bool other_x[CANDIDATES_MAX]; /* some mapping of that file is executable */
	size_t nr_other;
};

static int is_libpython(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return strncmp(base, "libpython", 9) == 0 && strstr(base, ".so");
}

static bool same_file(const struct procmap *a, const struct procmap *b)
{
	return a->inode == b->inode && a->dev_major == b->dev_major && a->dev_minor == b->dev_minor;
}

/* Mark the other candidate that m maps (any offset) executable when m is. */
static void mark_exec(struct maps_scan *s, const struct procmap *m)
{
	if (m->perms[2] != 'x')
		return;
	for (size_t i = 0; i < s->nr_other; i++)
		if (same_file(&s->other[i], m))
			s->other_x[i] = true;
}

/* Remember m as another candidate, once per file. */
static void add_other(struct maps_scan *s, const struct procmap *m)
{
	for (size_t i = 0; i < s->nr_other; i++)
		if (same_file(&s->other[i], m))
			return;
	if (s->nr_other < CANDIDATES_MAX)
		s->other[s->nr_other++] = *m;
}

/* procmaps_each callback: sort the file mappings into libpython, the exe and the others. */
static int scan_map(const struct procmap *m, void *ctx)
{
	struct maps_scan *s = ctx;

	if (m->inode == 0)
		return 0;
	if (m->offset != 0) {
		mark_exec(s, m);
		return 0;
	}
	if (!s->have_lib && is_libpython(m->path)) {
		s->lib = *m;
		s->have_lib = 1;
	} else if (!s->have_exe && s->exe[0] && strcmp(m->path, s->exe) == 0) {
		s->exe_map = *m;
		s->have_exe = 1;
	} else {
		add_other(s, m);
		mark_exec(s, m);
	}
	return 0;
}

/*
 * Open the file behind mapping m of pid as an ELF, only through tfile (the
 * mapped file itself, or its path inside the target's root, checked to be
 * the mapped regular file): never a FIFO, a symlink or a " (deleted)" name.
 */
static struct elfsym *open_mapped_elf(pid_t pid, const struct procmap *m)
{
	struct elfsym *e;
	int fd = tfile_open_mapped(pid, m);

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	e = elfsym__open_fd(fd);
	close(fd);
	return e;
}

/*
 * Does buf[i..] hold the debug-offsets cookie and a PY_VERSION_HEX of ver's
 * X.Y (ver NULL: of any 3.13+, final or pre-release)?
 */
static bool cookie_at(const uint8_t *buf, size_t n, size_t i, const struct py_version *ver)
{
	uint64_t hex;
	unsigned level;

	if (i > n || n - i < 16 || memcmp(buf + i, "xdebugpy", 8) != 0)
		return false;
	memcpy(&hex, buf + i + 8, sizeof(hex));
	if (ver)
		return hex >> 24 == ver->major && ((hex >> 16) & 0xff) == ver->minor;
	level = (hex >> 4) & 0xf;
	return hex >> 24 == 3 && ((hex >> 16) & 0xff) >= 13 && ((hex >> 16) & 0xff) < 100 &&
	       ((hex >> 8) & 0xff) < 100 && level >= 0xa && level <= 0xf && level != 0xd &&
	       level != 0xe;
}

/* The 8-aligned vaddr of the cookie in segment l's file bytes, or 0; *budget bounds the scan. */
static uint64_t scan_segment(struct elfsym *e, const struct elfsym_load *l,
			     const struct py_version *ver, uint8_t *buf, uint64_t *budget)
{
	uint64_t at = (l->vaddr + 7) & ~7ULL, end;
	ssize_t n;

	if (l->filesz > UINT64_MAX - l->vaddr || at < l->vaddr)
		return 0;
	end = l->vaddr + l->filesz;
	/* chunks overlap by 16 bytes (cookie + version) and keep the 8-byte alignment */
	for (; at < end && *budget; at += COOKIE_CHUNK - 16) {
		n = elfsym__read_vaddr(e, at, buf, COOKIE_CHUNK);
		if (n < 16)
			break;
		*budget = *budget > (uint64_t)n ? *budget - (uint64_t)n : 0;
		for (size_t i = 0; i + 16 <= (size_t)n; i += 8)
			if (cookie_at(buf, (size_t)n, i, ver))
				return at + i;
	}
	return 0;
}

/*
 * 3.13+ without section headers (sstrip): _PyRuntime starts with
 * _Py_DebugOffsets, "xdebugpy" then the version, initialised data in a
 * writable PT_LOAD; scan those file bytes for it. The vaddr, or 0.
 */
static uint64_t find_cookie(struct elfsym *e, const struct py_version *ver)
{
	uint8_t *buf = malloc(COOKIE_CHUNK);
	uint64_t budget = COOKIE_SCAN_MAX, found = 0;
	struct elfsym_load l;

	if (!buf)
		return 0;
	for (size_t i = 0; !found && elfsym__load(e, i, &l) == 0; i++)
		if (l.flags & PF_W)
			found = scan_segment(e, &l, ver, buf, &budget);
	free(buf);
	return found;
}

/*
 * 3.13+: the layout from the file's own _Py_DebugOffsets, the first member
 * of _PyRuntime, alone in the .PyRuntime section (or found by its cookie).
 */
static int layout_from_file(struct elfsym *e, struct elf_info *info)
{
	uint8_t *buf = calloc(1, DEBUG_OFFSETS_READ);
	struct elfsym_section sec;
	uint64_t addr;
	ssize_t n;
	int err;

	if (!buf)
		return -ENOMEM;
	addr = elfsym__section(e, ".PyRuntime", &sec) == 0 ? sec.addr : find_cookie(e, &info->ver);
	n = addr ? elfsym__read_vaddr(e, addr, buf, DEBUG_OFFSETS_READ) : 0;
	err = n > 0 ? layout_from_debug_offsets(buf, n, &info->layout) : -ENOENT;
	if (!err)
		info->pyruntime_vaddr = addr;
	free(buf);
	return err;
}

/* Choose the layout: debug offsets for 3.13+, else the generated table. */
static int pick_layout(struct elfsym *e, struct elf_info *info)
{
	const struct py_layout *l;
	char vbuf[32];
	int err;

	if (info->ver.major == 3 && info->ver.minor >= 13) {
		err = layout_from_file(e, info);
		if (err == 0)
			return 0;
		/* the table describes the GIL builds only: no fallback */
		if (err == -EPROTONOSUPPORT) {
			snprintf(info->why, sizeof(info->why),
				 "free-threaded CPython %s: not supported yet",
				 pyversion_str(&info->ver, vbuf, sizeof(vbuf)));
			return -ENOTSUP;
		}
		ps_debug("%s: no usable _Py_DebugOffsets (%s), trying the table", info->why,
			 strerror(-err));
	}
	l = layout_for_version(info->ver.major, info->ver.minor);
	if (!l) {
		snprintf(info->why, sizeof(info->why), "CPython %s not yet supported",
			 pyversion_str(&info->ver, vbuf, sizeof(vbuf)));
		return -ENOTSUP;
	}
	info->layout = *l;
	return layout_finish(&info->layout);
}

/*
 * The runtime root's address in the file: the symbol (.symtab or .dynsym),
 * else for 3.13+ where its debug offsets were found (the .PyRuntime section
 * or the cookie). Before 3.13 _PyRuntime / interp_head is plain data with no
 * marker, so a build without the symbol cannot be profiled.
 */
static int find_root(struct elfsym *e, struct elf_info *info)
{
	const char *root =
		info->layout.root_kind == PY_ROOT_INTERP_HEAD ? "interp_head" : "_PyRuntime";
	struct elfsym_sym sym;

	if (elfsym__lookup(e, root, &sym) == 0) {
		info->root_vaddr = sym.value;
		return 0;
	}
	if (info->pyruntime_vaddr) {
		info->root_vaddr = info->pyruntime_vaddr;
		return 0;
	}
	snprintf(info->why, sizeof(info->why),
		 "no %s symbol in .symtab or .dynsym%s (stripped build?)", root,
		 info->ver.major == 3 && info->ver.minor >= 13 ?
			 " and no debug offsets (.PyRuntime, xdebugpy)" :
			 ", and before 3.13 nothing marks it");
	return -ENOTSUP;
}

/* Find the runtime root and PyCode_Type; fill info. */
static int find_runtime(struct elfsym *e, struct elf_info *info)
{
	struct elfsym_sym sym;

	if (find_root(e, info))
		return -ENOTSUP;
	if (elfsym__lookup(e, "PyCode_Type", &sym) == 0)
		info->code_type_vaddr = sym.value;
	if (elfsym__lookup(e, "_PyThreadState_Current", &sym) == 0)
		info->tstate_current_vaddr = sym.value;
	info->first_load_vaddr = elfsym__first_load_vaddr(e);
	info->e_type = elfsym__type(e);
	return 0;
}

/*
 * A file with no section headers (sstrip) has no symbols for pyversion to
 * see; a 3.13+ runtime still carries its version in the debug-offsets
 * cookie. 0 with info->ver set, or -ENOENT.
 */
static int version_from_cookie(struct elfsym *e, struct elf_info *info)
{
	struct elfsym_section sec;
	uint8_t hdr[16];
	uint64_t addr, hex;

	if (elfsym__section(e, ".dynsym", &sec) == 0 || elfsym__section(e, ".symtab", &sec) == 0)
		return -ENOENT; /* symbols were there and said no */
	addr = find_cookie(e, NULL);
	if (!addr || elfsym__read_vaddr(e, addr, hdr, sizeof(hdr)) != sizeof(hdr))
		return -ENOENT;
	memcpy(&hex, hdr + 8, sizeof(hex));
	info->ver.major = hex >> 24;
	info->ver.minor = (hex >> 16) & 0xff;
	info->ver.micro = (hex >> 8) & 0xff;
	info->ver.hex = (uint32_t)hex;
	info->ver.source = "debug-offsets cookie (no section headers)";
	return 0;
}

/*
 * Could a process running this file have a runtime without holding one
 * itself: a DT_NEEDED libpython (a shared-library build, an embedding
 * program), or the dynamic loader run as a program (`ld.so python3`)?
 * Unreadable dynamic sections say yes.
 */
static bool may_load_python(struct elfsym *e)
{
	struct elfsym_section dyn, str;
	const char *soname = elfsym__soname(e);
	Elf64_Dyn d;
	char name[16];

	if (soname && !strncmp(soname, "ld-", 3))
		return true;
	if (elfsym__section(e, ".dynamic", &dyn))
		return false; /* static: what it holds is all it has */
	if (elfsym__section(e, ".dynstr", &str))
		return true;
	for (uint64_t off = 0; off + sizeof(d) <= dyn.size && off < 64 * 1024; off += sizeof(d)) {
		if (elfsym__read_vaddr(e, dyn.addr + off, &d, sizeof(d)) != sizeof(d))
			return true;
		if (d.d_tag == DT_NULL)
			return false;
		if (d.d_tag != DT_NEEDED)
			continue;
		if (elfsym__read_vaddr(e, str.addr + d.d_un.d_val, name, sizeof(name)) <= 0)
			return true;
		if (!strncmp(name, "libpython", 9))
			return true;
	}
	return false;
}

/* Analyse one runtime ELF (uncached). */
static void analyse_elf(struct elfsym *e, const char *path, struct elf_info *info)
{
	char vbuf[32];

	info->may_load_python = may_load_python(e);
	info->status = pyversion_detect(e, path, &info->ver);
	if (info->status == -ENOENT)
		info->status = version_from_cookie(e, info);
	if (info->status) {
		snprintf(info->why, sizeof(info->why), "no CPython runtime in %.200s", path);
		return;
	}
	snprintf(info->why, sizeof(info->why), "CPython %s",
		 pyversion_str(&info->ver, vbuf, sizeof(vbuf)));
	info->status = pick_layout(e, info);
	if (!info->status)
		info->status = find_runtime(e, info);
}

bool discover_exe_not_python(const struct discover *d, uint64_t dev, uint64_t ino)
{
	for (size_t i = 0; i < d->nr; i++)
		if (d->cache[i].dev == dev && d->cache[i].ino == ino)
			return d->cache[i].status == -ENOENT && !d->cache[i].may_load_python;
	return false;
}

/* The cached analysis of the file behind m, analysing it on first sight. */
static const struct elf_info *elf_info_get(struct discover *d, pid_t pid, const struct procmap *m)
{
	uint64_t dev = (uint64_t)m->dev_major << 32 | m->dev_minor;
	struct elf_info *info;
	struct elfsym *e;

	for (size_t i = 0; i < d->nr; i++)
		if (d->cache[i].dev == dev && d->cache[i].ino == m->inode)
			return &d->cache[i];
	e = open_mapped_elf(pid, m);
	if (!e)
		return NULL;
	info = &d->cache[d->next];
	d->next = (d->next + 1) % ELF_CACHE_MAX;
	if (d->nr < ELF_CACHE_MAX)
		d->nr++;
	memset(info, 0, sizeof(*info));
	info->dev = dev;
	info->ino = m->inode;
	analyse_elf(e, m->path, info);
	elfsym__free(e);
	return info;
}

/*
 * The variable that holds the thread state owning the GIL (NULL when
 * released), for versions that have one: _PyRuntime.gilstate.tstate_current
 * (3.7-3.11) or _PyThreadState_Current (2.7, 3.6). 0: 3.12+ (BPF reads the
 * interpreter's GIL struct) or unknown.
 */
static uint64_t gil_holder_addr(const struct py_target *t, const struct elf_info *info)
{
	if (t->layout.gil_kind != PY_GIL_TSTATE_CURRENT)
		return 0;
	if (t->layout.runtime_tstate_current)
		return t->runtime_addr + t->layout.runtime_tstate_current;
	return info->tstate_current_vaddr ? t->load_bias + info->tstate_current_vaddr : 0;
}

/* Addresses in the target from the file analysis and the mapping. */
static void fill_target(struct py_target *t, const struct elf_info *info, const struct procmap *m)
{
	const struct py_layout *l = &info->layout;

	t->ver = info->ver;
	t->layout = *l;
	t->load_bias = info->e_type == ET_EXEC ? 0 : m->start - info->first_load_vaddr;
	t->runtime_addr = t->load_bias + info->root_vaddr;
	memset(&t->bpf, 0, sizeof(t->bpf));
	t->bpf.off = l->off;
	t->bpf.interp_head_addr = l->root_kind == PY_ROOT_INTERP_HEAD ?
					  t->runtime_addr :
					  t->runtime_addr + l->runtime_interp_head;
	t->bpf.code_type_addr = info->code_type_vaddr ? t->load_bias + info->code_type_vaddr : 0;
	t->bpf.gil_holder_addr = gil_holder_addr(t, info);
	snprintf(t->elf_path, sizeof(t->elf_path), "%s", m->path);
	t->map = *m;
	snprintf(t->elf_open_path, sizeof(t->elf_open_path), "/proc/%d/map_files/%lx-%lx",
		 (int)t->pid, (unsigned long)m->start, (unsigned long)m->end);
}

/* Find the runtime mapping of pid: libpython, else the executable. */
static int scan_process(pid_t pid, struct maps_scan *s)
{
	char link[64];
	ssize_t n;
	int err;

	memset(s, 0, sizeof(*s));
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	n = readlink(link, s->exe, sizeof(s->exe) - 1);
	if (n > 0)
		s->exe[n] = '\0';
	/* a replaced binary shows as "path (deleted)" in both places: they still match */
	err = procmaps_each(pid, scan_map, s);
	if (err < 0)
		return err == -ENOENT ? -ESRCH : err;
	return 0;
}

/* Is info the analysis of a file that holds a runtime (supported or not)? */
static bool holds_runtime(const struct elf_info *info)
{
	return info && info->status != -ENOENT;
}

/*
 * The runtime ELF's analysis: libpython if mapped and a runtime, else the
 * executable, else the first other executable file that holds one.
 */
static const struct elf_info *pick_runtime(struct discover *d, pid_t pid, const struct maps_scan *s,
					   const struct procmap **used)
{
	const struct elf_info *info = NULL, *o;

	if (s->have_lib) {
		info = elf_info_get(d, pid, &s->lib);
		*used = &s->lib;
	}
	if (!holds_runtime(info) && s->have_exe) {
		info = elf_info_get(d, pid, &s->exe_map);
		*used = &s->exe_map;
	}
	for (size_t i = 0; !holds_runtime(info) && i < s->nr_other; i++) {
		if (!s->other_x[i])
			continue;
		o = elf_info_get(d, pid, &s->other[i]);
		if (holds_runtime(o)) {
			info = o;
			*used = &s->other[i];
		}
	}
	return info;
}

int discover_pid(struct discover *d, pid_t pid, struct py_target *t, char *why, size_t why_len)
{
	struct maps_scan *s = calloc(1, sizeof(*s));
	const struct procmap *used = NULL;
	const struct elf_info *info;
	int err;

	if (!s)
		return -ENOMEM;
	memset(t, 0, sizeof(*t));
	t->pid = pid;
	err = scan_process(pid, s);
	if (err) {
		snprintf(why, why_len, "cannot read its memory maps: %s", strerror(-err));
		goto out;
	}
	info = pick_runtime(d, pid, s, &used);
	if (!info) {
		err = procfs_alive(pid) ? -ENOENT : -ESRCH;
		snprintf(why, why_len, "%s",
			 err == -ESRCH ? "process gone" :
					 "no libpython mapped and the executable is not a CPython");
		goto out;
	}
	err = info->status;
	snprintf(why, why_len, "%s", info->why);
	t->ver = info->ver;
	proc_display_name(pid, t->label, sizeof(t->label)); /* an unsupported one too */
	if (err)
		goto out;
	fill_target(t, info, used);
	procns_read(pid, &t->ns);
out:
	free(s);
	return err;
}

/* procmaps_each callback: stop (1) at the first libpython mapping. */
static int find_libpython(const struct procmap *m, void *ctx)
{
	(void)ctx;
	return m->offset == 0 && m->inode != 0 && is_libpython(m->path);
}

int discover_maps_libpython(pid_t pid)
{
	return procmaps_each(pid, find_libpython, NULL);
}
