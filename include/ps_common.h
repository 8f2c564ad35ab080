/* SPDX-License-Identifier: MIT */
/* Record header, stat ids and limits shared by every BPF program and userspace. */
#ifndef PYSTROBE_PS_COMMON_H
#define PYSTROBE_PS_COMMON_H

#include "ps_types.h"

#define PS_COMM_LEN 16 /* task comm, as the kernel keeps it (cut at 15 chars) */
/*
 * Section prefix of a tp_btf program that userspace attaches without libbpf
 * reading the whole kernel BTF (user/bpf/tp_btf.h): SEC(PS_TP_BTF "sys_enter").
 */
#define PS_TP_BTF "ps_tp_btf/"

/* Each ring-buffer record starts with a __u32 type from this enum. */
enum ps_rec_type {
	PS_REC_SAMPLE = 1, /* struct ps_sample (ps_pystack.h) */
	PS_REC_SYMBOL = 2, /* struct ps_symbol (ps_pystack.h) */
	PS_REC_PROC = 3, /* struct ps_proc_event (ps_procs.h) */
	PS_REC_GIL_EVENT = 4, /* struct ps_gil_event (ps_gil.h), --timeline only */
	PS_REC_GIL_WAIT = 5, /* struct ps_sample: stack at a GIL wait, weight = ns waited */
	/* struct ps_sample with a struct ps_sys_call trailer (ps_syscalls.h), weight = N */
	PS_REC_SYS_STACK = 6,
	PS_REC_SYS_EXIT = 7, /* struct ps_sys_exit: the end of a sampled syscall (--latency) */
	/* struct ps_sample: an off-CPU stack (ps_offcpu.h), sent once; weight = its stack id */
	PS_REC_OFFCPU_STACK = 8,
	PS_REC__COUNT
};

/*
 * Every place a BPF program loses data bumps one of these per-CPU counters.
 * Userspace sums them and names each non-zero one in the summary.
 */
enum ps_stat_id {
	PS_STAT_SAMPLES = 0, /* sample records written (not a loss) */
	PS_STAT_RINGBUF_FULL, /* sample lost: ring buffer full */
	PS_STAT_SYM_RINGBUF_FULL, /* symbol record lost: ring buffer full (re-sent later) */
	PS_STAT_PROC_RINGBUF_FULL, /* exec/exit/fork event lost: ring buffer full */
	PS_STAT_NO_RUNTIME, /* runtime not initialised (no interpreter yet) */
	PS_STAT_NO_TSTATE, /* thread has no Python thread state */
	PS_STAT_READ_TSTATE, /* interpreter / thread-state read failed */
	PS_STAT_READ_FRAME, /* a frame read failed: stack ends in [unreadable] */
	PS_STAT_TRUNCATED, /* stack deeper than the frame limit: root end cut */
	PS_STAT_SYM_READ, /* code object / name / line table unreadable */
	PS_STAT_TSTATE_WALK, /* thread-list walks on cache miss (cost, not loss) */
	PS_STAT_WALK_LIMIT, /* thread list longer than PS_MAX_THREAD_WALK */
	PS_STAT_GIL_NO_SLOT, /* GIL event of a thread that got no accounting slot */
	PS_STAT_GIL_EVENT_FULL, /* GIL timeline event lost: ring buffer full */
	PS_STAT_GIL_STACK_FULL, /* GIL wait stack lost: ring buffer full */
	PS_STAT_SYS_NR, /* syscall number outside the counted range */
	PS_STAT_SYS_NO_STORAGE, /* thread's syscall counters could not be allocated */
	PS_STAT_SYS_STACK_FULL, /* syscall stack sample lost: ring buffer full */
	PS_STAT_SYS_DONE_FULL, /* exited thread's syscall counters lost: sys_done full */
	PS_STAT_NO_TRAILER_ROOM, /* a sample's extras not attached: PS_TRAILER_MAX reached */
	PS_STAT_OFFCPU_SWITCHES, /* switch-outs of target threads (cost, not loss) */
	PS_STAT_OFFCPU_STACK_FULL, /* off-CPU stack lost: ring buffer full (its time shows no stack) */
	PS_STAT_OFFCPU_MAP_FULL, /* off-CPU interval lost: offcpu_time or offcpu_open full */
	PS_STAT__COUNT
};

#endif /* PYSTROBE_PS_COMMON_H */
