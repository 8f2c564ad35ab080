// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Exact GIL accounting. Userspace attaches, per profiled process:
 *   on_take_gil      uprobe on every take_gil copy (a thread starts waiting)
 *   on_take_gil_ret  uretprobe on them (it holds the GIL)
 *   on_drop_gil      uprobe on every drop_gil, out-of-line and inlined (it released)
 *   on_drop_gil_ret  uretprobe on out-of-line drop_gil: a forced switch waits in
 *                    drop_gil until another thread takes the GIL; that handoff
 *                    is time spent waiting because of the GIL
 * Each thread's hold and wait time, acquisitions and forced switches are
 * summed here; nothing crosses to userspace per event unless a timeline or
 * wait stacks are asked for.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "ps_gil.h"
#include "pystack.bpf.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

/* Wait stacks can be asked for: false drops the stack walk before it is verified. */
const volatile bool cfg_wait_stacks = true;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PS_GIL_MAX_THREADS);
	__type(key, __u32);
	__type(value, struct ps_gil_thread);
} gil_threads SEC(".maps");

/* Processes whose GIL is accounted: written by userspace. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PS_MAX_PROCS);
	__type(key, __u32);
	__type(value, struct ps_gil_proc);
} gil_procs SEC(".maps");

/* A zeroed slot to insert new threads from (too big for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ps_gil_thread);
} gil_blank SEC(".maps");

/* The accounting slot of thread tid of pid, created on first use. */
static __always_inline struct ps_gil_thread *thread_slot(__u32 pid, __u32 tid, __u64 now)
{
	struct ps_gil_thread *t = bpf_map_lookup_elem(&gil_threads, &tid), *blank;
	__u32 zero = 0;

	if (t && t->pid == pid)
		return t;
	blank = bpf_map_lookup_elem(&gil_blank, &zero);
	if (!blank)
		return NULL;
	blank->pid = pid;
	blank->first_ts_ns = now;
	blank->state_ts_ns = now;
	if (bpf_map_update_elem(&gil_threads, &tid, blank, BPF_ANY)) {
		stat_inc(PS_STAT_GIL_NO_SLOT);
		return NULL;
	}
	return bpf_map_lookup_elem(&gil_threads, &tid);
}

/* The settings of pid if its GIL is accounted; counts the probe hit. */
static __always_inline struct ps_gil_proc *gil_proc(__u32 pid)
{
	struct ps_gil_proc *p = bpf_map_lookup_elem(&gil_procs, &pid);

	if (p)
		__sync_fetch_and_add(&p->events, 1);
	return p;
}

/* Timeline record of one transition (only with PS_GIL_TIMELINE). */
static __always_inline void send_event(const struct ps_gil_proc *p, __u32 kind, __u32 pid,
				       __u32 tid, __u64 now)
{
	struct ps_gil_event *e;

	if (!(p->flags & PS_GIL_TIMELINE))
		return;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		stat_inc(PS_STAT_GIL_EVENT_FULL);
		return;
	}
	e->type = PS_REC_GIL_EVENT;
	e->kind = kind;
	e->pid = pid;
	e->tid = tid;
	e->ts_ns = now;
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

/* The Python stack of a thread that waited wait_ns, weighted by the wait. */
static __always_inline void send_wait_stack(__u32 pid, __u32 tid, __u64 wait_ns)
{
	struct pystack_scratch *s = pystack_start(pid);

	if (!s)
		return;
	pystack_capture(s, tid);
	pystack_send(s, PS_REC_GIL_WAIT, tid, wait_ns, PS_STAT_GIL_STACK_FULL);
}

/* Close a holding interval that was open (drop_gil, or a release no probe saw). */
static __always_inline void end_hold(struct ps_gil_thread *t, __u64 now)
{
	if (t->state == PS_GIL_HOLDING)
		t->hold_ns += now - t->state_ts_ns;
}

SEC("uprobe")
int BPF_KPROBE(on_take_gil)
{
	__u64 id = bpf_get_current_pid_tgid(), now = bpf_ktime_get_ns();
	struct ps_gil_proc *p = gil_proc(id >> 32);
	struct ps_gil_thread *t;

	if (!p)
		return 0;
	t = thread_slot(id >> 32, (__u32)id, now);
	if (!t)
		return 0;
	if (t->state == PS_GIL_HOLDING)
		t->missed_releases++;
	end_hold(t, now);
	t->state = PS_GIL_WAITING;
	t->state_ts_ns = now;
	send_event(p, PS_GIL_EV_WAIT, id >> 32, (__u32)id, now);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(on_take_gil_ret)
{
	__u64 id = bpf_get_current_pid_tgid(), now = bpf_ktime_get_ns(), wait = 0;
	struct ps_gil_proc *p = gil_proc(id >> 32);
	struct ps_gil_thread *t;

	if (!p)
		return 0;
	t = thread_slot(id >> 32, (__u32)id, now);
	if (!t)
		return 0;
	if (t->state == PS_GIL_WAITING) {
		wait = now - t->state_ts_ns;
		t->wait_ns += wait;
		t->wait_hist[ps_gil_bucket(wait) & (PS_GIL_HIST_BUCKETS - 1)]++;
		/* take_gil asks the holder to drop after one switch interval of waiting */
		if (wait >= p->switch_interval_ns)
			t->drop_requests++;
	}
	t->acquisitions++;
	if (!t->comm[0])
		bpf_get_current_comm(t->comm, sizeof(t->comm));
	t->state = PS_GIL_HOLDING;
	t->state_ts_ns = now;
	send_event(p, PS_GIL_EV_ACQUIRE, id >> 32, (__u32)id, now);
	if (cfg_wait_stacks && (p->flags & PS_GIL_WAIT_STACKS) && wait >= p->wait_stack_min_ns &&
	    wait)
		send_wait_stack(id >> 32, (__u32)id, wait);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(on_drop_gil)
{
	__u64 id = bpf_get_current_pid_tgid(), now = bpf_ktime_get_ns();
	struct ps_gil_proc *p = gil_proc(id >> 32);
	struct ps_gil_thread *t;

	if (!p)
		return 0;
	t = thread_slot(id >> 32, (__u32)id, now);
	if (!t)
		return 0;
	end_hold(t, now);
	t->state = PS_GIL_RELEASED;
	t->state_ts_ns = now;
	send_event(p, PS_GIL_EV_RELEASE, id >> 32, (__u32)id, now);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(on_drop_gil_ret)
{
	__u64 id = bpf_get_current_pid_tgid(), now = bpf_ktime_get_ns(), d;
	struct ps_gil_proc *p = gil_proc(id >> 32);
	struct ps_gil_thread *t;
	__u32 tid = (__u32)id;

	if (!p)
		return 0;
	t = bpf_map_lookup_elem(&gil_threads, &tid);
	if (!t || t->state != PS_GIL_RELEASED || now < t->state_ts_ns)
		return 0;
	d = now - t->state_ts_ns;
	t->wait_ns += d;
	t->handoff_ns += d;
	t->state_ts_ns = now;
	return 0;
}

/*
 * A thread was created in a traced process: its wall time starts now.
 * raw_tp, not tp_btf: tp_btf makes libbpf read all of the kernel BTF.
 */
SEC("raw_tp/sched_process_fork")
int BPF_PROG(on_thread_new, struct task_struct *parent, struct task_struct *child)
{
	__u32 pid = BPF_CORE_READ(child, tgid), tid = BPF_CORE_READ(child, pid);
	struct ps_gil_thread *t;

	if (pid == tid || !bpf_map_lookup_elem(&gil_procs, &pid))
		return 0;
	t = thread_slot(pid, tid, bpf_ktime_get_ns());
	if (t)
		t->flags |= PS_GIL_THREAD_BORN;
	return 0;
}

/* A thread ended: close its open interval so its wall time stops here. */
SEC("raw_tp/sched_process_exit")
int BPF_PROG(on_thread_exit, struct task_struct *task)
{
	__u32 tid = BPF_CORE_READ(task, pid), pid = BPF_CORE_READ(task, tgid);
	struct ps_gil_thread *t = bpf_map_lookup_elem(&gil_threads, &tid);
	__u64 now = bpf_ktime_get_ns();

	if (!t || t->pid != pid)
		return 0;
	end_hold(t, now);
	if (t->state == PS_GIL_WAITING)
		t->wait_ns += now - t->state_ts_ns;
	t->state = PS_GIL_RELEASED;
	t->state_ts_ns = now;
	t->exit_ts_ns = now;
	return 0;
}
