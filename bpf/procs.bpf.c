// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Process lifecycle: tell userspace about execs (so new Python processes are
 * found the moment they start) and about exits of processes it cares about,
 * and follow the descendants of `record -- CMD` through fork.
 * Raw tracepoints, not tp_btf: tp_btf makes libbpf read the whole kernel BTF
 * to find the attach point (user/bpf/kernel_btf.c); the task fields are read
 * with BPF_CORE_READ either way.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "ps_procs.h"
#include "ps_syscalls.h"
#include "maps.bpf.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

const volatile __u8 cfg_all_execs = 0; /* --all: report every exec */

/*
 * Processes whose descendants are followed (the `-- CMD` tree). Not
 * preallocated: only `-- CMD` fills it, and 64k preallocated entries cost
 * every other run a few ms of start-up.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, PS_MAX_TRACKED);
	__type(key, __u32);
	__type(value, __u8);
} tracked SEC(".maps");

/*
 * --all: executables userspace found to hold no CPython runtime and need no
 * libpython; their execs are not sent (a host that runs hundreds of short
 * programs a second costs userspace nothing). Cleared at every rescan.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PS_MAX_EXE_SKIP);
	__type(key, struct ps_exe_key);
	__type(value, __u8);
} exe_skip SEC(".maps");

/*
 * --all: children of profiled Pythons whose fork was sent without a wakeup
 * (userspace examines a fork only after SESSION_FORK_DELAY_NS). Most exec at
 * once (subprocess, posix_spawn): an exec of a skipped file, or an exit,
 * sends PS_PROC_FORGET, so a Python that spawns 200 programs a second costs
 * userspace no wakeup and no look at a dead pid.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PS_MAX_FORKED);
	__type(key, __u32);
	__type(value, __u8);
} forked SEC(".maps");

/* Queue one lifecycle event; wake the reader unless it can wait (lazy). */
static __always_inline void send_proc_event_as(__u32 kind, __u32 pid, __u32 ppid,
					       const struct ps_exe_key *exe, bool lazy)
{
	struct ps_proc_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		stat_inc(PS_STAT_PROC_RINGBUF_FULL);
		return;
	}
	e->type = PS_REC_PROC;
	e->kind = kind;
	e->pid = pid;
	e->ppid = ppid;
	e->ts_ns = bpf_ktime_get_ns();
	e->exe_ino = exe ? exe->ino : 0;
	e->exe_dev = exe ? exe->dev : 0;
	e->pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	/*
	 * Forced: a plain submit wakes the reader only when nothing unconsumed
	 * precedes it, and samples are queued without wakeups (seen: an exec
	 * read 247 ms late, after the 100 ms process had exited).
	 */
	bpf_ringbuf_submit(e, lazy ? BPF_RB_NO_WAKEUP : BPF_RB_FORCE_WAKEUP);
}

/* Queue one lifecycle event that wakes the reader at once. */
static __always_inline void send_proc_event(__u32 kind, __u32 pid, __u32 ppid,
					    const struct ps_exe_key *exe)
{
	send_proc_event_as(kind, pid, ppid, exe, false);
}

/* Was pid a lazily sent fork? It is not any more. */
static __always_inline bool unfork(__u32 pid)
{
	return bpf_map_delete_elem(&forked, &pid) == 0;
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ppid = BPF_CORE_READ(parent, tgid), pid = BPF_CORE_READ(child, tgid);
	__u8 one = 1;

	__u8 *parent_sys, *child_sys;

	if (pid == ppid)
		return 0;
	/* a forked copy of a profiled Python is Python too (multiprocessing, pre-fork servers) */
	if (bpf_map_lookup_elem(&tracked, &ppid)) {
		if (bpf_map_lookup_elem(&procs, &ppid))
			send_proc_event(PS_PROC_FORK, pid, ppid, NULL);
	} else if (cfg_all_execs && bpf_map_lookup_elem(&procs, &ppid)) {
		bpf_map_update_elem(&forked, &pid, &one, BPF_ANY);
		send_proc_event_as(PS_PROC_FORK, pid, ppid, NULL, true);
		return 0;
	} else {
		return 0;
	}
	if (bpf_map_update_elem(&tracked, &pid, &one, BPF_ANY))
		stat_inc(PS_STAT_PROC_RINGBUF_FULL);
	/* a counted command's children are counted from their first syscall */
	parent_sys = bpf_map_lookup_elem(&sys_targets, &ppid);
	child_sys = bpf_map_lookup_elem(&sys_targets, &pid);
	if (parent_sys && child_sys)
		*child_sys = *parent_sys;
	return 0;
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 pid = BPF_CORE_READ(p, tgid);
	__u8 *sys = bpf_map_lookup_elem(&sys_targets, &pid);
	struct ps_exe_key exe = {};
	bool was_forked;

	/* a forked command is counted from its new image on, like strace -f counts it */
	if (sys && (*sys & PS_SYS_AT_EXEC))
		*sys = PS_SYS_TARGET;
	exe.ino = BPF_CORE_READ(bprm, file, f_inode, i_ino);
	exe.dev = BPF_CORE_READ(bprm, file, f_inode, i_sb, s_dev);
	was_forked = unfork(pid);
	if (bpf_map_lookup_elem(&tracked, &pid) || bpf_map_lookup_elem(&procs, &pid) ||
	    (cfg_all_execs && !bpf_map_lookup_elem(&exe_skip, &exe)))
		send_proc_event(PS_PROC_EXEC, pid, BPF_CORE_READ(p, real_parent, tgid), &exe);
	else if (was_forked)
		send_proc_event_as(PS_PROC_FORGET, pid, 0, NULL, true);
	return 0;
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *p)
{
	__u32 pid = BPF_CORE_READ(p, tgid);
	bool tracked_pid = bpf_map_lookup_elem(&tracked, &pid) != NULL, was_forked;

	/* signal->live reaches 0 before this tracepoint in the last thread only */
	if (BPF_CORE_READ(p, signal, live.counter) != 0)
		return 0;
	was_forked = unfork(pid);
	if (tracked_pid || bpf_map_lookup_elem(&procs, &pid))
		send_proc_event(PS_PROC_EXIT, pid, BPF_CORE_READ(p, real_parent, tgid), NULL);
	else if (was_forked)
		send_proc_event_as(PS_PROC_FORGET, pid, 0, NULL, true);
	if (tracked_pid)
		bpf_map_delete_elem(&tracked, &pid);
	return 0;
}
