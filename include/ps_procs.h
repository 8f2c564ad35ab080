/* SPDX-License-Identifier: MIT */
/* Types shared by bpf/procs.bpf.c and user/bpf/procs.c: process lifecycle events. */
#ifndef PYSTROBE_PS_PROCS_H
#define PYSTROBE_PS_PROCS_H

#include "ps_common.h"

#define PS_MAX_TRACKED 65536 /* descendants followed for `record -- CMD`; beyond: not followed */

enum ps_proc_kind {
	PS_PROC_EXEC = 1, /* pid replaced its image: rediscover it */
	PS_PROC_EXIT = 2, /* the whole process (thread group) exited */
	PS_PROC_FORK = 3, /* a profiled process forked (--all or a tracked tree): discover pid */
	PS_PROC_FORGET = 4, /* --all: a forked child exec'd a skipped file or exited: not Python */
};

/* A lifecycle event; sent for every exec under --all, else for tracked pids. */
struct ps_proc_event {
	__u32 type; /* PS_REC_PROC */
	__u32 kind; /* enum ps_proc_kind */
	__u32 pid; /* tgid, host view */
	__u32 ppid; /* parent tgid, host view */
	__u64 ts_ns; /* bpf_ktime_get_ns() */
	__u64 exe_ino; /* PS_PROC_EXEC: inode of the new image's file, else 0 */
	__u32 exe_dev; /* PS_PROC_EXEC: its device, kernel dev_t (major << 20 | minor) */
	__u32 pad;
	__u8 comm[PS_COMM_LEN];
};
_Static_assert(sizeof(struct ps_proc_event) == 56, "ABI");

#define PS_MAX_FORKED 4096 /* --all: forked children not yet examined; beyond: LRU */
#define PS_MAX_EXE_SKIP 4096 /* executables known not to be Python; beyond: LRU, re-examined */

/* An executable file, as the kernel names it. */
struct ps_exe_key {
	__u64 ino;
	__u32 dev; /* kernel dev_t */
	__u32 pad;
};
_Static_assert(sizeof(struct ps_exe_key) == 16, "ABI");

#endif /* PYSTROBE_PS_PROCS_H */
