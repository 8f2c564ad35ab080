// SPDX-License-Identifier: GPL-2.0 OR MIT
/* An empty sched_switch program: bench/bench_wall.py measures what bpf_stats
 * reports for a program that does nothing (dispatch + bpf_stats' own clock
 * reads), the floor of the sched_switch filter's ns per switch. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
char LICENSE[] SEC("license") = "GPL";
SEC("tp_btf/sched_switch")
int BPF_PROG(empty_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return 0;
}
