/* SPDX-License-Identifier: MIT */
/*
 * Types shared by bpf/syscalls.bpf.c and user/bpf/syscalls.c: system calls of
 * the profiled processes counted in the kernel per thread (task storage),
 * with 1-in-N calls carrying their Python stack to userspace.
 */
#ifndef PYSTROBE_PS_SYSCALLS_H
#define PYSTROBE_PS_SYSCALLS_H

#include "ps_common.h"
#include "ps_pystack.h"

#define PS_SYS_NR_MAX 512 /* x86_64 numbers below this are counted; above: PS_STAT_SYS_NR */
#define PS_SYS_IO_SLOTS 12 /* syscalls with byte counts (see the io_slot table) */
#define PS_SYS_HIST 32 /* log2 buckets of requested sizes: [2^i, 2^(i+1)) */
#define PS_SYS_PATH_MAX 128 /* bytes of a path argument kept in a sample; longer: cut */
#define PS_SYS_IOV_READ 4 /* iovecs summed for readv / writev; beyond: not counted */
#define PS_SYS_DONE_MAX 16384 /* exited threads kept; beyond: PS_STAT_SYS_DONE_FULL */
#define PS_SYS_PATHS_MAX \
	16384 /* (process, syscall, path) counters; beyond: new paths not counted */
#define PS_SYS_PATH_STACK_AT 8 /* the call that brings a path's count to this sends its stack */

/* Bits of a pid's entry in the sys_targets array (indexed by tgid). */
#define PS_SYS_TARGET (1U << 0) /* count this process's syscalls */
#define PS_SYS_AT_EXEC (1U << 1) /* start counting when it execs (a command pystrobe forked) */

/* Byte counts and sizes of one I/O syscall of one thread. */
struct ps_sys_io {
	__u64 bytes_req; /* bytes asked for (count argument) */
	__u64 bytes_done; /* bytes transferred (positive return), --latency only */
	__u32 hist[PS_SYS_HIST]; /* requested sizes, log2 */
};
_Static_assert(sizeof(struct ps_sys_io) == 16 + 4 * PS_SYS_HIST, "ABI");

/*
 * Per-thread counters (task storage; copied into sys_done when the thread
 * exits). One struct for counts and --latency figures, so each syscall
 * looks up one task-storage slot at entry and one at exit.
 */
struct ps_sys_task {
	__u32 pid; /* thread group, host view */
	__u32 countdown; /* syscalls left before the next stack sample */
	__u32 zero_polls; /* poll/select/epoll_wait calls with a zero timeout (busy polling) */
	__u32 enter_nr; /* --latency: the call in progress, PS_SYS_NR_MAX when none */
	__u64 enter_ts_ns; /* --latency: its sys_enter */
	__u32 sampled; /* --latency: the call in progress sent a stack: send its exit too */
	__u32 pad;
	__u32 count[PS_SYS_NR_MAX];
	struct ps_sys_io io[PS_SYS_IO_SLOTS];
	__u32 errors[PS_SYS_NR_MAX]; /* --latency only */
	__u64 time_ns[PS_SYS_NR_MAX]; /* --latency only */
	__u64 max_ns[PS_SYS_NR_MAX]; /* --latency only */
};
_Static_assert(sizeof(struct ps_sys_task) == 32 + 4 * PS_SYS_NR_MAX +
						     PS_SYS_IO_SLOTS * sizeof(struct ps_sys_io) +
						     20 * PS_SYS_NR_MAX,
	       "ABI");

/* Per-process settings, written by userspace; key = tgid. */
struct ps_sys_proc {
	__u32 sample_every; /* N: one syscall in N sends its Python stack (0: none) */
	__u32 pad;
};
_Static_assert(sizeof(struct ps_sys_proc) == 8, "ABI");

/* struct ps_sys_call.flags */
#define PS_SYS_ZERO_TIMEOUT (1U << 0) /* a poll/select/epoll_wait that does not wait */
#define PS_SYS_PATH_CUT (1U << 1) /* path longer than PS_SYS_PATH_MAX */
#define PS_SYS_PATH_REPEAT (1U << 2) /* sent because its path repeated (not 1 in N): weight 0 */

/*
 * What a sampled syscall was: the trailer (PS_SAMPLE_HAS_SYSCALL) of a
 * PS_REC_SYS_STACK sample, the Python stack that made it, weight = N.
 */
struct ps_sys_call {
	__u64 size; /* bytes asked for (I/O syscalls), else 0 */
	__u32 nr; /* syscall number */
	__s32 fd; /* first argument when it is a file descriptor, else -1 */
	__u32 flags; /* PS_SYS_* */
	__u32 path_len; /* bytes of path (0: none) */
	__u8 path[PS_SYS_PATH_MAX]; /* path argument (open, stat, ...), not NUL-terminated */
};
_Static_assert(sizeof(struct ps_sys_call) == 24 + PS_SYS_PATH_MAX, "ABI");
_Static_assert(sizeof(struct ps_sys_call) <= PS_TRAILER_MAX, "a syscall fits a sample trailer");

/*
 * Exact count of one path-taking syscall on one path by one process (every
 * call, not the sampled ones): what a "same path again and again" finding
 * claims. Key: the hash of the path's first PS_SYS_PATH_MAX - 1 bytes.
 */
struct ps_sys_path_key {
	__u64 hash; /* FNV-1a 64 of the path bytes */
	__u32 pid; /* thread group, host view */
	__u32 nr; /* syscall number */
};
_Static_assert(sizeof(struct ps_sys_path_key) == 16, "ABI");

struct ps_sys_path_val {
	__u64 count; /* calls */
	__u32 path_len; /* bytes of path */
	__u32 flags; /* PS_SYS_PATH_CUT */
	__u8 path[PS_SYS_PATH_MAX]; /* the path of the first call, not NUL-terminated */
};
_Static_assert(sizeof(struct ps_sys_path_val) == 16 + PS_SYS_PATH_MAX, "ABI");

/* The end of a sampled syscall (--latency): joined to the thread's last PS_REC_SYS_STACK. */
struct ps_sys_exit {
	__u32 type; /* PS_REC_SYS_EXIT */
	__u32 tid;
	__u64 latency_ns;
	__s64 ret;
};
_Static_assert(sizeof(struct ps_sys_exit) == 24, "ABI");

#endif /* PYSTROBE_PS_SYSCALLS_H */
