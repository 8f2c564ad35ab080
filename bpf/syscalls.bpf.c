// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Syscall audit. on_sys_enter counts every syscall of a target process per
 * thread in task storage (count, requested bytes and a size histogram for
 * I/O, zero-timeout polls) and sends 1 in N with its Python stack. With
 * --latency, on_sys_exit adds time, errors and transferred bytes. Calls that
 * take a path are counted per (process, syscall, path) exactly, and the call
 * that repeats a path PS_SYS_PATH_STACK_AT times sends its stack, so a
 * repeated-path finding rests on counts, not on one sample scaled by N.
 * Nothing crosses to userspace per syscall but the sampled stacks. The common path
 * for other processes is one array load: every syscall on the host runs it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "pystack.bpf.h"
#include "ps_syscalls.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

/* Per syscall number, set by userspace from the x86_64 table. */
const volatile __u8 cfg_io_slot[PS_SYS_NR_MAX]; /* 1 + io slot; 0: no byte counts */
const volatile __u8 cfg_size_arg[PS_SYS_NR_MAX]; /* 1 + argument holding the size */
const volatile __u8 cfg_iov_arg[PS_SYS_NR_MAX]; /* 1 + argument holding an iovec array */
const volatile __u8 cfg_fd_arg[PS_SYS_NR_MAX]; /* 1: argument 0 is a file descriptor */
const volatile __u8 cfg_path_arg[PS_SYS_NR_MAX]; /* 1 + argument holding a path */
const volatile __u8 cfg_poll_arg[PS_SYS_NR_MAX]; /* 1 + timeout argument, 0x80: it is a pointer */
const volatile __u8 cfg_latency = 0; /* --latency: also sys_exit */
const volatile bool cfg_paths = true; /* count calls per path (false: not even verified) */

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ps_sys_task);
} sys_task SEC(".maps");

/* Counters of exited threads, key = tid (allocated as threads exit: 14 KB each). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, PS_SYS_DONE_MAX);
	__type(key, __u32);
	__type(value, struct ps_sys_task);
} sys_done SEC(".maps");

/*
 * Exact calls per (process, syscall, path hash); the path of the first call.
 * LRU: paths used once (a scan of 50k files) give way to the repeating ones,
 * and a recycled path restarts from 1, so a count never exceeds the truth.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PS_SYS_PATHS_MAX);
	__type(key, struct ps_sys_path_key);
	__type(value, struct ps_sys_path_val);
} sys_paths SEC(".maps");

/* Per-CPU scratch: the path of the current call (too big for the BPF stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ps_sys_path_val);
} sys_path_buf SEC(".maps");

/* Per-process settings (sampling rate), key = tgid. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PS_MAX_PROCS);
	__type(key, __u32);
	__type(value, struct ps_sys_proc);
} sys_procs SEC(".maps");

/* Is tgid a target? One array load: the only cost for every other process. */
static __always_inline bool is_target(__u32 pid)
{
	__u8 *f = bpf_map_lookup_elem(&sys_targets, &pid);

	return f && (*f & PS_SYS_TARGET);
}

/*
 * The syscall's arguments, read once (x86_64 order: di, si, dx, r10, r8, r9;
 * 6 and 7 repeat r9): an argument is then one indexed load, where a switch on
 * its number made the verifier walk the rest of on_sys_enter once per case.
 */
struct sys_args {
	__u64 v[8];
};

static __always_inline void read_args(struct sys_args *a, struct pt_regs *regs)
{
	a->v[0] = regs->di;
	a->v[1] = regs->si;
	a->v[2] = regs->dx;
	a->v[3] = regs->r10;
	a->v[4] = regs->r8;
	a->v[5] = a->v[6] = a->v[7] = regs->r9;
}

/* Argument i (beyond 5: the sixth). */
static __always_inline __u64 arg(const struct sys_args *a, __u32 i)
{
	return a->v[i & 7];
}

/*
 * The helpers below that branch a lot are global functions: the verifier
 * walks each once, not once more for every state of on_sys_enter that calls
 * it (count_io alone was 4,800 of its 10,000 verified instructions).
 */

/* floor(log2(v)) for v > 0, 0 for 0 (bucket of a size). */
__noinline __u32 log2_bucket(__u64 v)
{
	__u32 r = 0;

	if (v >> 32) {
		v >>= 32;
		r += 32;
	}
	if (v >> 16) {
		v >>= 16;
		r += 16;
	}
	if (v >> 8) {
		v >>= 8;
		r += 8;
	}
	if (v >> 4) {
		v >>= 4;
		r += 4;
	}
	if (v >> 2) {
		v >>= 2;
		r += 2;
	}
	if (v >> 1)
		r += 1;
	return r < PS_SYS_HIST ? r : PS_SYS_HIST - 1;
}

/* Bytes in the first PS_SYS_IOV_READ iovecs of a readv / writev. */
static __always_inline __u64 iov_bytes(__u64 iov, __u64 cnt)
{
	struct iovec v[PS_SYS_IOV_READ];
	__u64 total = 0;

	if (cnt > PS_SYS_IOV_READ)
		cnt = PS_SYS_IOV_READ;
	if (!cnt || bpf_probe_read_user(v, cnt * sizeof(v[0]) & 0xff, (void *)iov))
		return 0;
	for (int i = 0; i < PS_SYS_IOV_READ; i++)
		if (i < cnt)
			total += v[i].iov_len;
	return total;
}

/* The size an I/O syscall asks for; 0 when it has none. */
__noinline __u64 req_size(const struct sys_args *args, __u32 nr)
{
	__u8 a, v;

	if (!args)
		return 0;
	nr &= PS_SYS_NR_MAX - 1;
	a = cfg_size_arg[nr];
	v = cfg_iov_arg[nr];
	if (a)
		return arg(args, a - 1);
	if (v)
		return iov_bytes(arg(args, v - 1), arg(args, v));
	return 0;
}

/* Does this poll / select / epoll_wait return without waiting (timeout 0)? */
__noinline bool zero_timeout(const struct sys_args *args, __u32 nr)
{
	__u64 ts[2] = { 1, 1 }, t;
	__u8 k;

	if (!args)
		return false;
	k = cfg_poll_arg[nr & (PS_SYS_NR_MAX - 1)];
	if (!k)
		return false;
	t = arg(args, (k & 0x7f) - 1);
	if (!(k & 0x80))
		return (int)t == 0;
	/* a NULL timeout waits forever; a {0, 0} timespec / timeval does not wait */
	if (!t || bpf_probe_read_user(ts, sizeof(ts), (void *)t))
		return false;
	return ts[0] == 0 && ts[1] == 0;
}

/* Add what the sampled syscall nr was to s->sample, as its trailer. */
static __always_inline void describe_call(struct pystack_scratch *s, const struct sys_args *args,
					  __u32 nr, __u64 size, __u32 flags)
{
	struct ps_sys_call *c = (void *)pystack_trailer_at(s, sizeof(*c));
	__u8 p = cfg_path_arg[nr];
	long n;

	if (!c)
		return;
	c->nr = nr;
	c->fd = cfg_fd_arg[nr] ? (__s32)arg(args, 0) : -1;
	c->size = size;
	c->flags = flags;
	c->path_len = 0;
	if (p) {
		n = bpf_probe_read_user_str(c->path, sizeof(c->path), (void *)arg(args, p - 1));
		if (n > 1) {
			c->path_len = n - 1;
			if (n == sizeof(c->path))
				c->flags |= PS_SYS_PATH_CUT;
		}
	}
	pystack_trailer_add(s, PS_SAMPLE_HAS_SYSCALL, sizeof(*c));
}

/* Send this syscall with the Python stack of the thread, weighted by N (flags: PS_SYS_*). */
static __always_inline bool send_stack(__u32 pid, __u32 tid, const struct sys_args *args, __u32 nr,
				       __u64 size, __u32 flags, __u32 every)
{
	struct pystack_scratch *s = pystack_start(pid);

	if (!s)
		return false;
	pystack_capture(s, tid);
	describe_call(s, args, nr, size, flags);
	return pystack_send(s, PS_REC_SYS_STACK, tid, every, PS_STAT_SYS_STACK_FULL) == 0;
}

/*
 * FNV-1a 64 of the path in v. A global function: the verifier walks its loop
 * once, not once more for every state of on_sys_enter that reaches it.
 */
__noinline __u64 path_hash(const struct ps_sys_path_val *v)
{
	__u64 h = 0xcbf29ce484222325ULL;

	if (!v)
		return 0;
	for (__u32 i = 0; i < PS_SYS_PATH_MAX; i++) {
		if (i >= v->path_len)
			break;
		h ^= v->path[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/*
 * Count this call on its path, exactly. Returns true when this call brings
 * the path's count to PS_SYS_PATH_STACK_AT or a power of two above it (its
 * stack names the repeating line). A full table leaves new paths uncounted (userspace says so).
 */
static __always_inline bool count_path(const struct sys_args *args, __u32 pid, __u32 nr)
{
	struct ps_sys_path_key k = { .pid = pid, .nr = nr };
	struct ps_sys_path_val *v, *buf;
	__u32 zero = 0;
	long n;

	buf = bpf_map_lookup_elem(&sys_path_buf, &zero);
	if (!buf)
		return false;
	n = bpf_probe_read_user_str(buf->path, sizeof(buf->path),
				    (void *)arg(args, cfg_path_arg[nr] - 1));
	if (n <= 1)
		return false;
	buf->path_len = (n - 1) & (PS_SYS_PATH_MAX - 1);
	buf->flags = n == sizeof(buf->path) ? PS_SYS_PATH_CUT : 0;
	k.hash = path_hash(buf);
	v = bpf_map_lookup_elem(&sys_paths, &k);
	if (v) {
		/* at 8, 16, 32..: a stack lost or without Python frames is retried */
		__u64 c = __sync_fetch_and_add(&v->count, 1) + 1;

		return c >= PS_SYS_PATH_STACK_AT && !(c & (c - 1));
	}
	buf->count = 1;
	bpf_map_update_elem(&sys_paths, &k, buf, BPF_NOEXIST);
	return false;
}

/* 1 in N: is this call sampled? N comes from sys_procs when the countdown ends. */
static __always_inline __u32 sample_due(struct ps_sys_task *t, __u32 pid)
{
	struct ps_sys_proc *p;
	__u32 every;

	if (t->countdown > 1) {
		t->countdown--;
		return 0;
	}
	p = bpf_map_lookup_elem(&sys_procs, &pid);
	every = p && p->sample_every ? p->sample_every : 0xffffffff;
	/*
	 * A new thread starts at a random point of its first N: were its first
	 * call always sampled, thread start-up (or the command's execve) would
	 * stand for N calls in every run.
	 */
	if (!t->countdown && every > 1) {
		t->countdown = bpf_get_prandom_u32() % every;
		if (t->countdown)
			return 0;
	}
	t->countdown = every;
	return p ? p->sample_every : 0;
}

/* Count bytes and sizes of an I/O syscall; returns the requested size. */
static __always_inline __u64 count_io(struct ps_sys_task *t, const struct sys_args *args, __u32 nr)
{
	__u32 slot = cfg_io_slot[nr];
	__u64 size;

	if (!slot || slot > PS_SYS_IO_SLOTS)
		return 0;
	size = req_size(args, nr);
	t->io[slot - 1].bytes_req += size;
	t->io[slot - 1].hist[log2_bucket(size) & (PS_SYS_HIST - 1)]++;
	return size;
}

/*
 * The counters of the current thread: its task storage when it has one (a
 * target's thread that already made a syscall), else created if its process
 * is a target, else NULL. Task storage first keeps the pid check off the
 * counted path; other threads pay both lookups.
 */
static __always_inline struct ps_sys_task *thread_counters(struct task_struct *task)
{
	struct ps_sys_task *t = bpf_task_storage_get(&sys_task, task, 0, 0);
	__u32 pid;

	if (t)
		return t;
	pid = task->tgid;
	if (!is_target(pid))
		return NULL;
	t = bpf_task_storage_get(&sys_task, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!t) {
		stat_inc(PS_STAT_SYS_NO_STORAGE);
		return NULL;
	}
	t->pid = pid;
	t->enter_nr = PS_SYS_NR_MAX;
	return t;
}

/*
 * Every syscall of every process runs this: the counted path is one task
 * storage lookup and a few increments (it must stay a few ns over an empty
 * program); stacks are sent for 1 call in N.
 */
SEC(PS_TP_BTF "sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct ps_sys_task *t = thread_counters(task);
	struct sys_args args;
	__u32 nr = id, every;
	bool zero = false, sampled = false, repeat = false;
	__u64 size = 0;

	if (!t)
		return 0;
	if (id < 0 || id >= PS_SYS_NR_MAX) {
		stat_inc(PS_STAT_SYS_NR);
		return 0;
	}
	nr &= PS_SYS_NR_MAX - 1;
	t->count[nr]++;
	read_args(&args, regs);
	if (cfg_io_slot[nr])
		size = count_io(t, &args, nr);
	if (cfg_poll_arg[nr]) {
		zero = zero_timeout(&args, nr);
		t->zero_polls += zero;
	}
	if (cfg_paths && cfg_path_arg[nr])
		repeat = count_path(&args, t->pid, nr);
	every = sample_due(t, t->pid);
	/* one call site: the stack walk is inlined, and each copy is verified again */
	if (every || repeat)
		sampled = send_stack(t->pid, task->pid, &args, nr, size,
				     every ? (zero ? PS_SYS_ZERO_TIMEOUT : 0) : PS_SYS_PATH_REPEAT,
				     every) &&
			  every;
	if (cfg_latency) {
		t->enter_ts_ns = bpf_ktime_get_ns();
		t->enter_nr = nr;
		t->sampled = sampled;
	}
	return 0;
}

/* Send the end of a sampled call so userspace can time its call site. */
static __always_inline void send_exit(__u32 tid, __u64 d, long ret)
{
	struct ps_sys_exit *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		stat_inc(PS_STAT_SYS_STACK_FULL);
		return;
	}
	e->type = PS_REC_SYS_EXIT;
	e->tid = tid;
	e->latency_ns = d;
	e->ret = ret;
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

SEC(PS_TP_BTF "sys_exit")
int BPF_PROG(on_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct ps_sys_task *t = bpf_task_storage_get(&sys_task, task, 0, 0);
	__u32 nr, slot;
	__u64 d;

	if (!t || t->enter_nr >= PS_SYS_NR_MAX)
		return 0;
	nr = t->enter_nr & (PS_SYS_NR_MAX - 1);
	d = bpf_ktime_get_ns() - t->enter_ts_ns;
	t->enter_nr = PS_SYS_NR_MAX;
	t->time_ns[nr] += d;
	if (d > t->max_ns[nr])
		t->max_ns[nr] = d;
	if (ret < 0)
		t->errors[nr]++;
	slot = cfg_io_slot[nr];
	if (ret > 0 && slot && slot <= PS_SYS_IO_SLOTS)
		t->io[slot - 1].bytes_done += ret;
	if (t->sampled)
		send_exit(task->pid, d, ret);
	return 0;
}

/* A target's thread exits: keep its counters (task storage dies with it). */
SEC(PS_TP_BTF "sched_process_exit")
int BPF_PROG(on_sys_thread_exit, struct task_struct *task)
{
	__u32 tid = BPF_CORE_READ(task, pid), pid = BPF_CORE_READ(task, tgid);
	struct ps_sys_task *t;

	if (!is_target(pid))
		return 0;
	t = bpf_task_storage_get(&sys_task, task, 0, 0);
	if (t && bpf_map_update_elem(&sys_done, &tid, t, BPF_ANY))
		stat_inc(PS_STAT_SYS_DONE_FULL);
	return 0;
}
