/* SPDX-License-Identifier: MIT */
/*
 * Off-CPU time of target threads (bpf/offcpu.bpf.c, user/wall/): at each
 * switch-out BPF notes why the thread stopped and its Python stack; at its
 * switch-in it adds the interval to offcpu_time, keyed by (thread, stack,
 * reason), in the kernel. Each distinct stack crosses to userspace once, as a
 * PS_REC_OFFCPU_STACK record.
 */
#ifndef PYSTROBE_PS_OFFCPU_H
#define PYSTROBE_PS_OFFCPU_H

#include "ps_common.h"

#define PS_OFFCPU_KEYS 65536 /* distinct (thread, stack, reason): beyond, PS_STAT_OFFCPU_MAP_FULL */
#define PS_OFFCPU_STACKS 65536 /* stacks remembered as sent (LRU): evicted ones are re-sent */
#define PS_OFFCPU_THREADS 16384 /* target threads with an open interval: beyond, not timed */
#define PS_OFFCPU_SYS_MAX 512 /* syscall numbers classified; beyond: PS_WAIT_SYSCALL */
#define PS_OFFCPU_GIL_BYTES 256 /* a futex word this far past the GIL struct's start is the GIL's */

/* Why a thread was off CPU (struct ps_offcpu_key.reason). */
enum ps_wait_reason {
	PS_WAIT_RUNNABLE = 1, /* preempted or yielded: waiting for a CPU */
	PS_WAIT_SLEEP, /* nanosleep, clock_nanosleep, select/poll with no fds */
	PS_WAIT_LOCK, /* futex outside the GIL */
	PS_WAIT_GIL, /* futex on the GIL's condition or mutex (take_gil) */
	PS_WAIT_READ, /* read-like syscall on fd (fd_kind) */
	PS_WAIT_WRITE, /* write-like syscall on fd (fd_kind) */
	PS_WAIT_POLL, /* poll, ppoll, select, pselect6 with fds */
	PS_WAIT_EPOLL, /* epoll_wait, epoll_pwait, epoll_pwait2 */
	PS_WAIT_DISK, /* uninterruptible sleep (disk I/O, page faults, ...) */
	PS_WAIT_SYSCALL, /* another blocking syscall: sys_nr */
	PS_WAIT_OTHER, /* interruptible sleep outside a syscall */
	PS_WAIT__COUNT
};

/* What a blocking syscall means (the cfg_sys_class table, per syscall number). */
enum ps_sys_wait {
	PS_SYSW_NONE = 0, /* PS_WAIT_SYSCALL */
	PS_SYSW_SLEEP,
	PS_SYSW_FUTEX, /* PS_WAIT_GIL or PS_WAIT_LOCK, by the futex address */
	PS_SYSW_READ, /* argument 0 is the fd */
	PS_SYSW_WRITE, /* argument 0 is the fd */
	PS_SYSW_POLL,
	PS_SYSW_SELECT, /* argument 0 is nfds: 0 means a sleep */
	PS_SYSW_EPOLL,
};

/* struct ps_offcpu_key.fd_kind */
enum ps_fd_kind {
	PS_FD_UNKNOWN = 0,
	PS_FD_FILE,
	PS_FD_PIPE,
	PS_FD_SOCKET,
	PS_FD_OTHER, /* character device, eventfd, ... */
};

/* One bucket of off-CPU time (offcpu_time key). Compared as bytes. */
struct ps_offcpu_key {
	__u64 stack_id; /* PS_REC_OFFCPU_STACK record's weight; the same stack, the same id */
	__u32 pid; /* tgid, host view */
	__u32 tid;
	__s32 fd; /* PS_WAIT_READ / _WRITE, else -1 */
	__u16 sys_nr; /* the syscall the thread was in, 0xffff none */
	__u8 reason; /* enum ps_wait_reason */
	__u8 fd_kind; /* enum ps_fd_kind */
};
_Static_assert(sizeof(struct ps_offcpu_key) == 24, "ABI");

struct ps_offcpu_val {
	__u64 ns; /* off-CPU nanoseconds, scaled by the sampling of switches */
	__u64 nr_intervals; /* switch-outs counted (not scaled) */
};
_Static_assert(sizeof(struct ps_offcpu_val) == 16, "ABI");

/* A thread's open interval: switched out at start_ns (0: none open). */
struct ps_offcpu_open {
	struct ps_offcpu_key key;
	__u64 start_ns; /* bpf_ktime_get_ns() at the switch-out */
	__u32 scale; /* the interval counts this many times (1-in-N sampling) */
	__u32 pad;
};
_Static_assert(sizeof(struct ps_offcpu_open) == 40, "ABI");

/*
 * A target thread's exact CPU time (offcpu_cpu, key = tid): the kernel's
 * sum_exec_runtime at its last switch-out, less the value when the run began
 * (0 for a thread born after the attach; else its value at the first
 * switch-out seen). Userspace spreads it over the thread's CPU samples.
 */
struct ps_offcpu_cpu {
	__u64 base_ns;
	__u64 last_ns;
};
_Static_assert(sizeof(struct ps_offcpu_cpu) == 16, "ABI");

#endif /* PYSTROBE_PS_OFFCPU_H */
