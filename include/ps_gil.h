/* SPDX-License-Identifier: MIT */
/*
 * Types shared by bpf/gil.bpf.c and user/bpf/gil.c: exact GIL accounting from
 * uprobes on CPython's own take_gil (entry and return) and every copy of
 * drop_gil (out-of-line and inlined), per thread, in BPF maps.
 */
#ifndef PYSTROBE_PS_GIL_H
#define PYSTROBE_PS_GIL_H

#include "ps_common.h"

#define PS_GIL_MAX_THREADS 16384 /* threads accounted at once (LRU): beyond, PS_STAT_GIL_NO_SLOT */
#define PS_GIL_HIST_SUB 4 /* sub-buckets per power of two: p99 within ~19 % */
#define PS_GIL_HIST_MIN_LOG2 7 /* first bucket: waits below 128 ns */
#define PS_GIL_HIST_BUCKETS 128 /* 2^7 ns .. 2^39 ns (~9 min); longer waits land in the last */

/* Where a thread stands with the GIL (struct ps_gil_thread.state). */
enum ps_gil_state {
	PS_GIL_UNSEEN = 0, /* no event yet */
	PS_GIL_WAITING = 1, /* inside take_gil */
	PS_GIL_HOLDING = 2, /* take_gil returned, no drop_gil since */
	PS_GIL_RELEASED = 3, /* drop_gil seen */
};

/* Per-thread totals; key = tid (host view). Times in ns of bpf_ktime_get_ns(). */
struct ps_gil_thread {
	__u64 hold_ns; /* closed holding intervals */
	__u64 wait_ns; /* closed waiting intervals */
	__u64 acquisitions; /* take_gil returns */
	__u64 drop_requests; /* waits longer than the switch interval: the waiter forced a switch */
	__u64 missed_releases; /* take_gil entered while holding: a release no probe saw */
	__u64 state_ts_ns; /* when the current state began */
	__u64 first_ts_ns; /* first event of this thread */
	__u64 exit_ts_ns; /* when the thread exited, 0 while it lives */
	__u64 handoff_ns; /* part of wait_ns spent inside drop_gil waiting for the next holder */
	__u32 pid; /* thread group (host view) */
	__u32 state; /* enum ps_gil_state */
	__u32 flags; /* PS_GIL_THREAD_* */
	__u32 pad;
	__u8 comm[PS_COMM_LEN]; /* thread name at its first GIL event */
	__u32 wait_hist[PS_GIL_HIST_BUCKETS]; /* waits by duration, see ps_gil_bucket() */
};
_Static_assert(sizeof(struct ps_gil_thread) == 104 + 4 * PS_GIL_HIST_BUCKETS, "ABI");

/* struct ps_gil_thread.flags */
#define PS_GIL_THREAD_BORN (1U << 0) /* created while traced: first_ts_ns is its birth */

/* struct ps_gil_proc.flags */
#define PS_GIL_TIMELINE (1U << 0) /* send a ps_gil_event per acquisition and release */
#define PS_GIL_WAIT_STACKS (1U << 1) /* send the Python stack of each long wait */

/* Per-process settings and event count; key = tgid. Written by userspace. */
struct ps_gil_proc {
	__u64 events; /* probe hits, read by the cost guard */
	__u64 switch_interval_ns; /* the interpreter's switch interval (5 ms by default) */
	__u64 wait_stack_min_ns; /* waits shorter than this send no stack */
	__u32 flags; /* PS_GIL_* */
	__u32 pad;
};
_Static_assert(sizeof(struct ps_gil_proc) == 32, "ABI");

enum ps_gil_event_kind {
	PS_GIL_EV_WAIT = 1, /* take_gil entered */
	PS_GIL_EV_ACQUIRE = 2, /* take_gil returned */
	PS_GIL_EV_RELEASE = 3, /* drop_gil entered */
};

/* One GIL transition, sent only with PS_GIL_TIMELINE. */
struct ps_gil_event {
	__u32 type; /* PS_REC_GIL_EVENT */
	__u32 kind; /* enum ps_gil_event_kind */
	__u32 pid;
	__u32 tid;
	__u64 ts_ns;
};
_Static_assert(sizeof(struct ps_gil_event) == 24, "ABI");

/* Histogram bucket of a wait of ns nanoseconds (shared so both sides agree). */
static inline __u32 ps_gil_bucket(__u64 ns)
{
	__u32 log2 = 0, b;
	__u64 v = ns;

	if (v >> 32) {
		v >>= 32;
		log2 += 32;
	}
	if (v >> 16) {
		v >>= 16;
		log2 += 16;
	}
	if (v >> 8) {
		v >>= 8;
		log2 += 8;
	}
	if (v >> 4) {
		v >>= 4;
		log2 += 4;
	}
	if (v >> 2) {
		v >>= 2;
		log2 += 2;
	}
	if (v >> 1)
		log2 += 1;
	if (log2 < PS_GIL_HIST_MIN_LOG2)
		return 0;
	b = (log2 - PS_GIL_HIST_MIN_LOG2) * PS_GIL_HIST_SUB + ((ns >> (log2 - 2)) & 3) + 1;
	return b < PS_GIL_HIST_BUCKETS ? b : PS_GIL_HIST_BUCKETS - 1;
}

#endif /* PYSTROBE_PS_GIL_H */
