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

/* Larger (inflated) sections make a file unusable for unwinding and naming. */
#define DWFL_FILES_SECTION_MAX (256ULL << 20)

/* The callbacks to pass to dwfl_begin for a process's session. */
extern const Dwfl_Callbacks dwfl_files_callbacks;

/*
 * Report pid's modules from /proc/PID/maps into dwfl (between
 * dwfl_report_begin[_add] and here) and end the report, tagging each module
 * with pid for the callbacks. 0 or -1 (libdwfl error).
 */
int dwfl_files_report(Dwfl *dwfl, pid_t pid);

#endif /* PYSTROBE_DWFL_FILES_H */
