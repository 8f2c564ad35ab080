// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Off-CPU time of target threads, exactly, from sched_switch. At a target
 * thread's switch-out: why it stopped (runnable, futex on the GIL or a lock,
 * the fd it reads, a sleep, disk) and its Python stack, walked with the
 * sampler's walker; at its switch-in: the interval is added to
 * offcpu_time[(thread, stack, reason)], in the kernel. A stack crosses to
 * userspace once (PS_REC_OFFCPU_STACK); nothing crosses per switch.
 *
 * Every switch on the host runs this: a non-target costs two inlined array
 * reads (prev's and next's tgid in offcpu_pids) and no helper call.
 *
 * A thread that blocks where it blocked last time (ping-pong threads, pool
 * workers, an event loop) is not walked again: its top frame, that frame's
 * code and instruction, and its caller are read (a few words) and compared
 * with those of its last walk; the same, its stack id is reused.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "ps_offcpu.h"
#include "pystack.bpf.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#define TASK_RUNNING 0
#define TASK_UNINTERRUPTIBLE 2
#define PF_EXITING 0x4
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define S_IFREG 0100000
#define S_IFIFO 0010000
#define SYS_NONE 0xffff

/* What each syscall number means for a waiting thread (enum ps_sys_wait), from userspace. */
const volatile __u8 cfg_sys_class[PS_OFFCPU_SYS_MAX] = {};

/* bpf_ktime_get_ns() when the program was loaded: threads born later ran only while seen. */
const volatile __u64 cfg_start_ns = 0;

/* Switches of target threads timed: 1 in every offcpu_every (userspace's cost guard). */
__u32 offcpu_every = 1;

/* Timed switch-outs whose thread was where it was last time: no walk (cost, not loss). */
__u64 offcpu_same_place = 0;

/*
 * tgid -> 1 for a target: the filter every switch on the host pays, an array
 * lookup the verifier inlines. Userspace sizes it to pid_max.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8);
} offcpu_pids SEC(".maps");

/* tgid -> the GIL struct's address (<= 3.11, static); 0: read it from the interpreter. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PS_MAX_PROCS);
	__type(key, __u32);
	__type(value, __u64);
} offcpu_gil SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PS_OFFCPU_KEYS);
	__type(key, struct ps_offcpu_key);
	__type(value, struct ps_offcpu_val);
} offcpu_time SEC(".maps");

/* Where a thread was at its last walked switch-out: the raw words compared (same_place). */
struct place {
	__u64 frame; /* the top frame's address */
	__u64 code; /* its code pointer, raw */
	__u64 instr; /* its instruction word(s), raw */
	__u64 back; /* its caller's address */
	__u64 back_code; /* the caller's code pointer, raw */
};

/* A target thread's state (BPF only): its open interval, and its last walk's place. */
struct task_val {
	struct ps_offcpu_open open;
	struct place at; /* valid when tstate */
	__u64 tstate; /* its PyThreadState at the last walk; 0: walk again */
	__u64 gil; /* the GIL struct's address of its interpreter (0 unknown) */
	__u32 gen; /* struct ps_proc.gen of the last walk */
	__u32 pad;
};

/* The open interval of a target thread: read at its switch-in. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_val);
} offcpu_task SEC(".maps");

/* The same, by tid, for userspace: intervals still open at the end of the run. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PS_OFFCPU_THREADS);
	__type(key, __u32);
	__type(value, struct ps_offcpu_open);
} offcpu_open SEC(".maps");

/* Each target thread's CPU time (struct ps_offcpu_cpu), by tid. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PS_OFFCPU_THREADS);
	__type(key, __u32);
	__type(value, struct ps_offcpu_cpu);
} offcpu_cpu SEC(".maps");

/* Stack ids already sent to userspace. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PS_OFFCPU_STACKS);
	__type(key, __u64);
	__type(value, __u8);
} offcpu_sent SEC(".maps");

/* The kind of file behind fd of task t. */
static __always_inline __u8 fd_kind(struct task_struct *t, __s32 fd)
{
	struct file **fds, *f = NULL;
	__u32 max;
	__u16 mode;

	if (fd < 0)
		return PS_FD_UNKNOWN;
	fds = BPF_CORE_READ(t, files, fdt, fd);
	max = BPF_CORE_READ(t, files, fdt, max_fds);
	if (!fds || (__u32)fd >= max || bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) || !f)
		return PS_FD_UNKNOWN;
	mode = BPF_CORE_READ(f, f_inode, i_mode) & S_IFMT;
	if (mode == S_IFSOCK)
		return PS_FD_SOCKET;
	if (mode == S_IFIFO)
		return PS_FD_PIPE;
	return mode == S_IFREG ? PS_FD_FILE : PS_FD_OTHER;
}

/* The GIL struct of the walked thread (its tstate in s->tbuf); 0 unknown. */
static __always_inline __u64 gil_addr(struct pystack_scratch *s, __u32 pid)
{
	const struct ps_py_offsets *o = &s->proc.off;
	__u64 *fixed = bpf_map_lookup_elem(&offcpu_gil, &pid), interp;

	if (fixed && *fixed)
		return *fixed;
	if (o->interp_gil == PS_OFF_NONE || (s->sample.flags & PS_SAMPLE_NO_TSTATE))
		return 0;
	interp = LOAD(__u64, s->tbuf, o->tstate_interp & (PS_TSTATE_READ_MAX - 1));
	return interp ? read_ptr(interp + o->interp_gil) : 0;
}

/* A futex wait: on the GIL's words (gil: the GIL struct, 0 unknown), or on another lock. */
static __always_inline __u8 futex_reason(__u64 gil, __u64 uaddr)
{
	return gil && uaddr >= gil && uaddr < gil + PS_OFFCPU_GIL_BYTES ? PS_WAIT_GIL :
									  PS_WAIT_LOCK;
}

/* Why prev stopped running: k->reason, sys_nr, fd, fd_kind. */
static __always_inline void wait_reason(__u64 gil, struct task_struct *prev, bool preempt,
					unsigned int state, struct ps_offcpu_key *k)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(prev);
	long nr = BPF_CORE_READ(regs, orig_ax);
	__u64 arg0 = BPF_CORE_READ(regs, di);
	__u8 c;

	k->fd = -1;
	k->fd_kind = PS_FD_UNKNOWN;
	k->sys_nr = nr >= 0 && nr < SYS_NONE ? nr : SYS_NONE;
	if (preempt || state == TASK_RUNNING) {
		k->reason = PS_WAIT_RUNNABLE;
		return;
	}
	if (state & TASK_UNINTERRUPTIBLE) {
		k->reason = PS_WAIT_DISK;
		return;
	}
	if (nr < 0 || nr >= PS_OFFCPU_SYS_MAX) {
		k->reason = PS_WAIT_OTHER;
		return;
	}
	c = cfg_sys_class[nr & (PS_OFFCPU_SYS_MAX - 1)];
	k->reason = c == PS_SYSW_SLEEP	? PS_WAIT_SLEEP :
		    c == PS_SYSW_FUTEX	? futex_reason(gil, arg0) :
		    c == PS_SYSW_READ	? PS_WAIT_READ :
		    c == PS_SYSW_WRITE	? PS_WAIT_WRITE :
		    c == PS_SYSW_POLL	? PS_WAIT_POLL :
		    c == PS_SYSW_SELECT ? (arg0 ? PS_WAIT_POLL : PS_WAIT_SLEEP) :
		    c == PS_SYSW_EPOLL	? PS_WAIT_EPOLL :
					  PS_WAIT_SYSCALL;
	if (k->reason == PS_WAIT_READ || k->reason == PS_WAIT_WRITE) {
		k->fd = (__s32)arg0;
		k->fd_kind = fd_kind(prev, k->fd);
	}
}

struct hash_walk {
	__u64 h;
	__u32 nr;
};

/* Mix frame i of the scratch sample into the stack id. */
static long hash_step(__u32 i, void *arg)
{
	struct pystack_scratch *s = pystack_scratch_get();
	struct hash_walk *w = arg;
	struct ps_frame *f;

	if (!s || i >= w->nr)
		return 1;
	f = &s->sample.frames[i & (PS_MAX_FRAMES - 1)];
	w->h = (w->h ^ f->code_addr ^ ((__u64)f->instr << 32 | f->code_tag << 8 | f->owner)) *
	       0x100000001b3ULL;
	w->h ^= w->h >> 29;
	return 0;
}

/* The id of the stack in s->sample: its process, generation, flags and frames. */
static __always_inline __u64 stack_id(struct pystack_scratch *s)
{
	struct hash_walk w = { .nr = s->sample.nr_frames };

	w.h = ((__u64)s->pid << 32 | s->proc.gen) * 0x9e3779b97f4a7c15ULL ^ s->sample.flags;
	bpf_loop(PS_MAX_FRAMES, hash_step, &w, 0);
	return w.h | 1; /* never 0 */
}

/* Send the stack in s->sample once per id (counted when the ring buffer is full); sent? */
static __always_inline bool send_stack_once(struct pystack_scratch *s, __u32 tid, __u64 id)
{
	__u8 one = 1;

	if (bpf_map_lookup_elem(&offcpu_sent, &id))
		return true;
	if (pystack_send(s, PS_REC_OFFCPU_STACK, tid, id, PS_STAT_OFFCPU_STACK_FULL))
		return false;
	bpf_map_update_elem(&offcpu_sent, &id, &one, BPF_ANY);
	return true;
}

/* Where the thread whose state is at tstate is now (struct place); 0 when all was read. */
static __always_inline int read_place(const struct ps_py_offsets *o, __u64 tstate, struct place *p)
{
	__u64 f;

	*p = (struct place){};
	if (bpf_probe_read_user(&f, sizeof(f), (void *)(tstate + o->tstate_frame)))
		return -1;
	if (f && o->cframe_frame != PS_OFF_NONE &&
	    bpf_probe_read_user(&f, sizeof(f), (void *)(f + o->cframe_frame)))
		return -1;
	p->frame = f;
	if (!f)
		return 0;
	if (bpf_probe_read_user(&p->code, sizeof(p->code), (void *)(f + o->frame_code)) ||
	    bpf_probe_read_user(&p->instr, sizeof(p->instr), (void *)(f + o->frame_instr)) ||
	    bpf_probe_read_user(&p->back, sizeof(p->back), (void *)(f + o->frame_back)))
		return -1;
	if (p->back && bpf_probe_read_user(&p->back_code, sizeof(p->back_code),
					   (void *)(p->back + o->frame_code)))
		return -1;
	return 0;
}

/* Is the thread where its last walk found it (same frames, code and instruction)? */
static __always_inline bool same_place(struct pystack_scratch *s, const struct task_val *v)
{
	struct place now = {};

	if (!v->tstate || v->gen != s->proc.gen || read_place(&s->proc.off, v->tstate, &now))
		return false;
	return now.frame == v->at.frame && now.code == v->at.code && now.instr == v->at.instr &&
	       now.back == v->at.back && now.back_code == v->at.back_code;
}

/* After a walk: remember the thread state and place, or forget them (no state, stack lost). */
static __always_inline void remember_place(struct pystack_scratch *s, struct task_val *v, __u32 tid,
					   bool sent)
{
	struct ps_tstate_slot *slot = bpf_map_lookup_elem(&tstates, &tid);

	v->tstate = 0;
	if (!sent || !slot || !slot->tstate_addr || slot->pid != s->pid ||
	    slot->gen != s->proc.gen || (s->sample.flags & PS_SAMPLE_NO_TSTATE))
		return;
	if (read_place(&s->proc.off, slot->tstate_addr, &v->at) == 0) {
		v->tstate = slot->tstate_addr;
		v->gen = s->proc.gen;
	}
}

/* Note prev's CPU time so far (the kernel's own count, exact). */
static __always_inline void note_cpu(struct task_struct *prev, __u32 tid)
{
	struct ps_offcpu_cpu *c = bpf_map_lookup_elem(&offcpu_cpu, &tid), fresh = {};
	__u64 ran = BPF_CORE_READ(prev, se.sum_exec_runtime);

	if (c) {
		c->last_ns = ran;
		return;
	}
	fresh.base_ns = BPF_CORE_READ(prev, start_time) >= cfg_start_ns ? 0 : ran;
	fresh.last_ns = ran;
	bpf_map_update_elem(&offcpu_cpu, &tid, &fresh, BPF_ANY);
}

/*
 * The key of prev's interval (stack id and reason): the last one when the
 * thread is where it was, else from a walk of its stack.
 */
static __always_inline void interval_key(struct pystack_scratch *s, struct task_val *v,
					 struct task_struct *prev, bool preempt, unsigned int state,
					 struct ps_offcpu_key *k)
{
	__u32 tid = k->tid;
	bool sent;

	if (same_place(s, v)) {
		__sync_fetch_and_add(&offcpu_same_place, 1);
		k->stack_id = v->open.key.stack_id;
		wait_reason(v->gil, prev, preempt, state, k);
		return;
	}
	pystack_capture(s, tid);
	v->gil = gil_addr(s, s->pid);
	wait_reason(v->gil, prev, preempt, state, k);
	k->stack_id = stack_id(s);
	sent = send_stack_once(s, tid, k->stack_id);
	remember_place(s, v, tid, sent);
}

/* prev (a target thread) stops: open its interval. */
static __noinline void switch_out(struct task_struct *prev, bool preempt, unsigned int state)
{
	__u32 pid = BPF_CORE_READ(prev, tgid), tid = BPF_CORE_READ(prev, pid);
	struct pystack_scratch *s = pystack_start(pid);
	struct ps_offcpu_open open = {};
	__u32 every = offcpu_every;
	struct task_val *v;

	if (!s)
		return;
	note_cpu(prev, tid);
	if (BPF_CORE_READ(prev, flags) & PF_EXITING) {
		bpf_task_storage_delete(&offcpu_task, prev);
		bpf_map_delete_elem(&offcpu_open, &tid);
		return;
	}
	v = bpf_task_storage_get(&offcpu_task, prev, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!v)
		return;
	stat_inc(PS_STAT_OFFCPU_SWITCHES);
	if (every > 1 && bpf_get_prandom_u32() % every) {
		v->open.start_ns = 0; /* this one is not timed */
		return;
	}
	open.key.pid = pid;
	open.key.tid = tid;
	interval_key(s, v, prev, preempt, state, &open.key);
	open.scale = every > 1 ? every : 1;
	open.start_ns = bpf_ktime_get_ns();
	v->open = open;
	if (bpf_map_update_elem(&offcpu_open, &tid, &open, BPF_ANY))
		stat_inc(PS_STAT_OFFCPU_MAP_FULL);
}

/* Add ns (scaled) to the bucket of key. */
static __always_inline void add_time(const struct ps_offcpu_key *key, __u64 ns)
{
	struct ps_offcpu_val *v = bpf_map_lookup_elem(&offcpu_time, key), zero = {};

	if (!v) {
		bpf_map_update_elem(&offcpu_time, key, &zero, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&offcpu_time, key);
		if (!v) {
			stat_inc(PS_STAT_OFFCPU_MAP_FULL);
			return;
		}
	}
	__sync_fetch_and_add(&v->ns, ns);
	__sync_fetch_and_add(&v->nr_intervals, 1);
}

/* next (a target thread) runs again: close its interval. */
static __noinline void switch_in(struct task_struct *next)
{
	struct task_val *v = bpf_task_storage_get(&offcpu_task, next, NULL, 0);
	struct ps_offcpu_open *o = v ? &v->open : NULL;
	__u32 tid;

	if (!o || !o->start_ns)
		return;
	add_time(&o->key, (bpf_ktime_get_ns() - o->start_ns) * o->scale);
	o->start_ns = 0;
	tid = o->key.tid;
	bpf_map_delete_elem(&offcpu_open, &tid);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	__u32 out = prev->tgid, in = next->tgid;
	/* array lookups the verifier inlines: no helper call for the host's other threads */
	__u8 *out_target = bpf_map_lookup_elem(&offcpu_pids, &out);
	__u8 *in_target = bpf_map_lookup_elem(&offcpu_pids, &in);

	if (out_target && *out_target)
		switch_out(prev, preempt, prev_state);
	if (in_target && *in_target)
		switch_in(next);
	return 0;
}
