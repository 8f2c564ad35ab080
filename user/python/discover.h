/* SPDX-License-Identifier: MIT */
/*
 * Is a process a CPython, which version, and where is its runtime? Reads
 * /proc/PID/maps, the ELF that holds the runtime (libpython or the
 * executable, through /proc/PID/map_files so deleted and container files
 * work) and fills the struct ps_proc BPF needs. ELF results are cached per
 * file (device, inode), so a thousand processes of one python cost one parse.
 */
#ifndef PYSTROBE_DISCOVER_H
#define PYSTROBE_DISCOVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "python/layout.h"
#include "target/procmaps.h"
#include "target/procns.h"
#include "python/pyversion.h"
#include "ps_pystack.h"

#define DISCOVER_LABEL_LEN 64

struct discover;

/* One discovered Python process. */
struct py_target {
	pid_t pid;
	struct py_version ver;
	struct py_layout layout; /* finished: *_size filled */
	struct ps_proc bpf; /* what goes into the procs map (gen set by the caller) */
	uint64_t runtime_addr; /* _PyRuntime, or interp_head for 2.7/3.6 */
	uint64_t load_bias; /* runtime ELF's map start - first PT_LOAD vaddr */
	char elf_path[PROCMAP_PATH_MAX]; /* the runtime ELF as the process maps it */
	char elf_open_path[64]; /* a path that opens that file from here (while pid lives) */
	struct procmap map; /* the runtime ELF's mapping (tfile_open_mapped opens its file) */
	char label[DISCOVER_LABEL_LEN]; /* proc_display_name(): "hg update" */
	struct procns ns; /* pid in its own namespace, cgroup (containers) */
};

/*
 * Is the executable file (dev = major << 32 | minor, as /proc/PID/maps
 * says, inode) known, from an earlier discover_pid, to hold no CPython
 * runtime and to need no libpython (DT_NEEDED)? Then no process that runs
 * it is Python at exec (one that dlopens libpython is found by the --all
 * rescan). false when unknown.
 */
bool discover_exe_not_python(const struct discover *d, uint64_t dev, uint64_t ino);

struct discover *discover__new(void);
void discover__free(struct discover *d);

/*
 * Examine pid. Returns 0 with *t filled; -ENOENT: not a Python process (no
 * libpython mapped, executable holds no runtime); -ENOTSUP: CPython of a
 * version with no layout (t->ver says which); -ESRCH: gone; -EACCES;
 * other -errno. why gets a short reason for errors.
 */
int discover_pid(struct discover *d, pid_t pid, struct py_target *t, char *why, size_t why_len);

/* Does pid map a libpython (cheap: its maps only)? 1, 0, or -errno. */
int discover_maps_libpython(pid_t pid);

#endif /* PYSTROBE_DISCOVER_H */
