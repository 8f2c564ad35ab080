// SPDX-License-Identifier: MIT
/* libdwfl callbacks that open target files only through tfile (see dwfl_files.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "native/dwfl_files.h"
#include "target/elfsym.h"
#include "target/procmaps.h"
#include "target/tfile.h"

/* procmaps_each context: the lowest mapping of a module, by path and start. */
struct find_map {
	const char *path;
	uint64_t start;
	struct procmap m;
	int found;
};

/* procmaps_each callback: stop (1) at the mapping that starts the module. */
static int match_map(const struct procmap *m, void *ctx)
{
	struct find_map *f = ctx;

	if (m->start != f->start || strcmp(m->path, f->path) != 0)
		return 0;
	f->m = *m;
	f->found = 1;
	return 1;
}

/* fd if it is an ELF whose sections fit DWFL_FILES_SECTION_MAX, else closed and -1. */
static int checked(int fd)
{
	if (fd < 0)
		return -1;
	if (elfsym_check_fd(fd, DWFL_FILES_SECTION_MAX)) {
		close(fd);
		return -1;
	}
	return fd;
}

int dwfl_files_open(pid_t pid, const struct procmap *m)
{
	return checked(tfile_open_mapped(pid, m));
}

/*
 * Dwfl_Callbacks.find_elf: the file mapped at the module's start, through
 * tfile; read with ELF_C_READ, not mmap (a target that truncates its file
 * must not raise SIGBUS in pystrobe). Pseudo-modules ("[vdso]") come from
 * memory, as libdwfl's own callback does for names that are not paths.
 */
static int find_elf(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
		    char **file_name, Elf **elfp)
{
	pid_t pid = (pid_t)(intptr_t)*userdata;
	struct find_map f = { .path = modname };
	int fd;

	if (modname[0] != '/')
		return dwfl_linux_proc_find_elf(mod, userdata, modname, base, file_name, elfp);
	if (pid <= 0 || !dwfl_module_info(mod, NULL, &f.start, NULL, NULL, NULL, NULL, NULL))
		return -1;
	if (procmaps_each(pid, match_map, &f) <= 0 || !f.found)
		return -1;
	fd = dwfl_files_open(pid, &f.m);
	if (fd < 0)
		return -1;
	*elfp = elf_begin(fd, ELF_C_READ, NULL);
	*file_name = strdup(modname);
	return fd; /* libdwfl owns fd and *elfp from here */
}

/* The build-id debug file's path of mod into buf; 0 or -errno. */
static int build_id_path(Dwfl_Module *mod, char *buf, size_t len)
{
	const unsigned char *id;
	GElf_Addr vaddr;
	int n = dwfl_module_build_id(mod, &id, &vaddr);

	return n > 0 ? tfile_debug_path(id, (size_t)n, buf, len) : -ENOENT;
}

/*
 * Only the build-id debug file, inside the target's root (where its package
 * manager put it). A .gnu_debuglink name is the target's choice of a path
 * next to its file: not followed.
 */
int dwfl_files_debuginfo(Dwfl_Module *mod, pid_t pid, char **name)
{
	char path[256];
	int fd;

	if (pid <= 0 || build_id_path(mod, path, sizeof(path)))
		return -1;
	fd = checked(tfile_open_in_root(pid, path));
	if (fd >= 0)
		*name = strdup(path);
	return fd;
}

/* Dwfl_Callbacks.find_debuginfo: dwfl_files_debuginfo of the module's pid. */
static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
			  const char *file_name, const char *debuglink_file,
			  GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	(void)modname, (void)base, (void)file_name, (void)debuglink_file, (void)debuglink_crc;
	return dwfl_files_debuginfo(mod, (pid_t)(intptr_t)*userdata, debuginfo_file_name);
}

const Dwfl_Callbacks dwfl_files_callbacks = {
	.find_elf = find_elf,
	.find_debuginfo = find_debuginfo,
};

/* dwfl_getmodules callback: tag a module with the pid (arg) its files belong to. */
static int tag_module(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr start,
		      void *arg)
{
	(void)mod, (void)name, (void)start;
	*userdata = arg;
	return DWARF_CB_OK;
}

int dwfl_files_report(Dwfl *dwfl, pid_t pid)
{
	if (dwfl_linux_proc_report(dwfl, pid) || dwfl_report_end(dwfl, NULL, NULL))
		return -1;
	dwfl_getmodules(dwfl, tag_module, (void *)(intptr_t)pid, 0);
	return 0;
}
