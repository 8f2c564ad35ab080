/* SPDX-License-Identifier: MIT */
/*
 * Types shared by every BPF program that captures a Python stack
 * (bpf/pystack.bpf.h: the CPU sampler, GIL wait stacks, syscall stacks) and
 * the userspace that reads them: samples, symbols, the per-process layout.
 */
#ifndef PYSTROBE_PS_PYSTACK_H
#define PYSTROBE_PS_PYSTACK_H

#include "ps_common.h"
#include "ps_py_offsets.h"

#define PS_MAX_FRAMES 4096 /* deeper: root end cut, PS_SAMPLE_TRUNCATED + PS_STAT_TRUNCATED */
#define PS_MAX_PROCS 4096 /* profiled processes at once; beyond: userspace skips and counts */
#define PS_MAX_THREADS 65536 /* cached thread states (LRU): beyond, evicted ones are re-walked */
#define PS_MAX_THREAD_WALK 8192 /* threads searched per interpreter: beyond, PS_STAT_WALK_LIMIT */
#define PS_MAX_INTERPS 64 /* interpreters searched per process: beyond, PS_STAT_WALK_LIMIT */
#define PS_MAX_CODES 131072 /* code objects remembered as sent (LRU): evicted ones are re-sent */
#define PS_STR_MAX 256 /* bytes of a name or file name: longer ones are cut, PS_STR_CUT */
#define PS_LINETABLE_MAX 16384 /* bytes of a line table: longer, userspace rereads or cuts */
#define PS_WINDOW_MAX 4096 /* bytes of target memory read at once around a frame */
/*
 * A thread without a tstate is re-walked after 1 ms, then 2, 4 .. and every
 * 128 ms: a thread sampled while it starts (before CPython binds its tstate)
 * gets its frames back within 1 ms even while it waits for the GIL (its
 * wake-ups in take_gil run without it, so the GIL-holder shortcut misses
 * them: at 12.5 ms, 6 samples of one of 500 threads read [no Python thread
 * state]), a thread that never runs Python costs one walk per 0.128 s.
 */
#define PS_NO_TSTATE_RETRY_NS 1000000ULL
#define PS_NO_TSTATE_RETRY_SHIFT_MAX 7
/* with several interpreters, a cached tstate is re-walked (it may be in a subinterpreter) */
#define PS_TSTATE_RECHECK_NS 200000000ULL /* 0.2 s */

/* struct ps_sample.flags */
#define PS_SAMPLE_TRUNCATED (1U << 0) /* root end cut at cfg_max_frames */
#define PS_SAMPLE_UNREADABLE (1U << 1) /* walk stopped at an unreadable frame */
#define PS_SAMPLE_NO_TSTATE (1U << 2) /* thread has no Python thread state */
#define PS_SAMPLE_GIL_HELD (1U << 3) /* thread held the GIL at the sample */
#define PS_SAMPLE_GIL_KNOWN (1U << 4) /* the GIL state could be read (else: unknown) */
#define PS_SAMPLE_HAS_SYSCALL (1U << 5) /* trailer: struct ps_sys_call (ps_syscalls.h) */
#define PS_SAMPLE_HAS_XSTACK (1U << 6) /* trailer: struct ps_xstack (--kernel / --native) */
#define PS_SAMPLE_HAS_ASYNC (1U << 7) /* trailer: struct ps_async (--async, ps_async.h) */

/* struct ps_frame.owner bit added by the walker */
#define PS_FRAME_ENTRY 0x40 /* the rootmost Python frame of one C-level eval call */

/* One Python frame as BPF sees it; userspace decodes file, name and line. */
struct ps_frame {
	__u64 code_addr; /* PyCodeObject* with tag bits cleared */
	__u32 instr; /* f_lasti (<=3.10) or instr pointer - code_addr in bytes (3.11+) */
	__u16 code_tag; /* fingerprint of the code object: tells a reused address apart */
	__u8 owner; /* _PyInterpreterFrame.owner (3.11+), else 0 */
	__u8 pad;
};
_Static_assert(sizeof(struct ps_frame) == 16, "ABI");

/*
 * One stack of one thread, written with only nr_frames frames: a CPU sample
 * (PS_REC_SAMPLE, weight 1) or a weighted stack from another program (e.g.
 * PS_REC_GIL_WAIT, weight = nanoseconds waited).
 *
 * Extras travel in the same record, as trailers after the frames: one flag
 * bit per kind (PS_SAMPLE_HAS_*), present trailers in the order of their
 * bits, trailer_len bytes in all. One record rather than a record per extra
 * joined by a sequence number: nothing to match or lose separately, and a
 * full ring buffer drops the sample with its extras (one PS_STAT_*). The
 * frames are copied into per-CPU scratch anyway, so BPF writes each trailer
 * right after the last frame (a bounded variable offset the verifier
 * accepts) and sends header, frames and trailers with one bpf_ringbuf_output;
 * the scratch keeps 2 x PS_TRAILER_MAX bytes after the frames for that.
 * Reserving in the ring buffer instead would need a constant size, and a
 * 64 KB stack plus a 16 KB user stack copy is too much to reserve per sample.
 */
struct ps_sample {
	__u32 type; /* PS_REC_SAMPLE, PS_REC_GIL_WAIT, ... */
	__u32 pid; /* tgid, as the host sees it */
	__u32 tid; /* thread id, as the host sees it */
	__u32 cpu; /* CPU the sample fired on */
	__u64 ts_ns; /* bpf_ktime_get_ns() */
	__u32 gen; /* struct ps_proc.gen the stack was read with */
	__u32 nr_frames; /* frames that follow, leaf first */
	__u32 flags; /* PS_SAMPLE_* */
	__u32 trailer_len; /* bytes after the frames: the trailers flagged PS_SAMPLE_HAS_* */
	__u64 weight; /* what the stack counts for: 1 sample, or ns for timed stacks */
	__u8 comm[PS_COMM_LEN]; /* thread name */
	struct ps_frame frames[PS_MAX_FRAMES]; /* then the trailers */
};
#define PS_SAMPLE_HDR_SIZE 64
_Static_assert(sizeof(struct ps_sample) == PS_SAMPLE_HDR_SIZE + 16 * PS_MAX_FRAMES, "ABI");

/* struct ps_pystr.flags */
#define PS_STR_CUT (1U << 0) /* more bytes than PS_STR_MAX: data cut */
#define PS_STR_UNREADABLE (1U << 1) /* the object could not be read */
#define PS_STR_NOT_COMPACT (1U << 2) /* legacy (non-compact) str: data not copied */

/* A Python str (or 2.7 str) copied raw; userspace converts to UTF-8. */
struct ps_pystr {
	__u32 nr_chars; /* length CPython reports, in code points */
	__u16 nbytes; /* bytes copied into data */
	__u8 kind; /* bytes per code point: 1, 2 or 4 */
	__u8 flags; /* PS_STR_* */
	__u8 data[PS_STR_MAX];
};
_Static_assert(sizeof(struct ps_pystr) == 8 + PS_STR_MAX, "ABI");

/* struct ps_symbol.flags */
#define PS_SYM_NOT_CODE (1U << 0) /* ob_type is not PyCode_Type: not a frame to show */
#define PS_SYM_LT_CUT (1U << 1) /* line table longer than PS_LINETABLE_MAX */
#define PS_SYM_LT_UNREADABLE (1U << 2) /* line table could not be read */

/*
 * What userspace needs to name a code object, sent the first time BPF sees
 * (pid, gen, code_addr), so that symbols survive the process. Written with
 * only linetable_nbytes bytes of line table.
 */
struct ps_symbol {
	__u32 type; /* PS_REC_SYMBOL */
	__u32 pid; /* tgid, host view */
	__u64 code_addr; /* as in struct ps_frame */
	__u32 gen; /* struct ps_proc.gen */
	__u16 code_tag; /* as in struct ps_frame */
	__u16 flags; /* PS_SYM_* */
	__s32 firstlineno; /* co_firstlineno */
	__s32 firsttraceable; /* _co_firsttraceable (3.11+), else 0 */
	__u32 linetable_len; /* size of the code object's table */
	__u32 linetable_nbytes; /* bytes of it copied below */
	struct ps_pystr filename;
	struct ps_pystr name;
	struct ps_pystr qualname; /* nbytes 0 before 3.11 */
	__u8 linetable[PS_LINETABLE_MAX];
};
#define PS_SYMBOL_HDR_SIZE (40 + 3 * (8 + PS_STR_MAX))
_Static_assert(sizeof(struct ps_symbol) == PS_SYMBOL_HDR_SIZE + PS_LINETABLE_MAX, "ABI");

/* struct ps_proc.flags */
#define PS_PROC_NO_GIL (1U << 0) /* free-threaded build: no GIL state to read */

/* What BPF knows of one profiled process: key = tgid (host view). */
struct ps_proc {
	struct ps_py_offsets off;
	__u64 interp_head_addr; /* address of the PyInterpreterState* list head */
	__u64 code_type_addr; /* &PyCode_Type in the target; 0: not checked */
	/* the "thread state holding the GIL, or NULL" variable (<= 3.11); 0: read the GIL
	 * through the interpreter (3.12+) */
	__u64 gil_holder_addr;
	__u32 gen; /* bumped by userspace at each (re)discovery */
	__u32 flags; /* PS_PROC_* */
};
_Static_assert(sizeof(struct ps_proc) == 104, "ABI");

/*
 * Fingerprint of a code object from its line-table and name pointers and its
 * first line: a freed code object's address can be reused by another, and
 * (address, tag) tells them apart. Never 0 (0 means "unknown").
 */
static inline __u16 ps_code_fingerprint(__u64 linetable, __u64 name, __u32 firstlineno)
{
	__u64 h = linetable ^ (name * 0x9e3779b97f4a7c15ULL) ^ ((__u64)firstlineno << 29);

	h ^= h >> 32;
	h ^= h >> 16;
	return (__u16)h | 1;
}

/* Thread -> thread state cache: key = tid (host view). */
struct ps_tstate_slot {
	__u64 tstate_addr; /* 0: none found at miss_ts_ns */
	__u64 miss_ts_ns; /* when a walk last found none, or (found) last checked */
	__u32 pid; /* owner, so a reused tid is not trusted */
	__u32 gen; /* struct ps_proc.gen it was found with */
	__u32 nr_misses; /* walks in a row that found none (the retry backs off) */
	__u32 pad;
};
_Static_assert(sizeof(struct ps_tstate_slot) == 32, "ABI");

/* Code objects already sent: LRU key. */
struct ps_code_key {
	__u64 code_addr;
	__u32 pid;
	__u32 gen;
	__u16 code_tag;
	__u8 pad[6];
};
_Static_assert(sizeof(struct ps_code_key) == 24, "ABI");

/*
 * --kernel / --native: the trailer the CPU sampler adds to a sample
 * (PS_SAMPLE_HAS_XSTACK), written with only ustack_len bytes of user stack:
 * the kernel stack, the user registers and a copy of the user stack from sp up.
 */
#define PS_KSTACK_MAX 127 /* kernel frames kept (perf's default limit) */
#define PS_USTACK_MAX 16384 /* bytes of user stack copied, a power of two */
struct ps_xstack {
	__u64 ip, sp, bp; /* user registers at the sample; 0 without --native */
	__u32 nr_kips; /* kernel frames in kips, leaf first; 0 without --kernel */
	__u32 ustack_len; /* bytes of ustack; 0: no user stack */
	__u64 kips[PS_KSTACK_MAX];
	__u8 ustack[PS_USTACK_MAX];
};
#define PS_XSTACK_HDR_SIZE (32 + 8 * PS_KSTACK_MAX)
_Static_assert(sizeof(struct ps_xstack) == PS_XSTACK_HDR_SIZE + PS_USTACK_MAX, "ABI");

/*
 * Bytes of trailers one sample may carry: the largest trailer (a struct
 * ps_xstack with a whole user stack). Beyond: the trailer is not added,
 * PS_STAT_NO_TRAILER_ROOM.
 */
#define PS_TRAILER_MAX (PS_XSTACK_HDR_SIZE + PS_USTACK_MAX)

#endif /* PYSTROBE_PS_PYSTACK_H */
