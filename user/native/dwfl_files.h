/* SPDX-License-Identifier: MIT */
/*
 * How libdwfl gets a profiled process's files for --native: every ELF and
 * debug file is opened through tfile (map_files, or inside the target's root
 * with no symlinks; regular files only), size-checked, and handed to libdwfl
 * as a file descriptor. libdwfl never opens a target-chosen path itself (its
 * standard callbacks open the maps path, and a debuglink next to it, in
 * pystrobe's own namespace, without O_NONBLOCK).
 */
#ifndef PYSTROBE_DWFL_FILES_H
#define PYSTROBE_DWFL_FILES_H

#include <elfutils/libdwfl.h>
#include <sys/types.h>
#include "target/procmaps.h"

/* Larger (inflated) sections make a file unusable for unwinding and naming. */
#define DWFL_FILES_SECTION_MAX (256ULL << 20)

/* The callbacks to pass to dwfl_begin for a process's session. */
extern const Dwfl_Callbacks dwfl_files_callbacks;

/* Open mapping m of pid through tfile, checked as dwfl files are: fd or -1. */
int dwfl_files_open(pid_t pid, const struct procmap *m);

/*
 * Dwfl_Callbacks.find_debuginfo's work for a module of pid: its build-id
 * debug file inside pid's root (a .gnu_debuglink name is not followed). fd
 * (and *name) or -1.
 */
int dwfl_files_debuginfo(Dwfl_Module *mod, pid_t pid, char **name);

/*
 * Report pid's modules from /proc/PID/maps into dwfl (between
 * dwfl_report_begin[_add] and here) and end the report, tagging each module
 * with pid for the callbacks. 0 or -1 (libdwfl error).
 */
int dwfl_files_report(Dwfl *dwfl, pid_t pid);

#endif /* PYSTROBE_DWFL_FILES_H */
