// SPDX-License-Identifier: GPL-2.0 OR MIT
/* An empty sys_enter program: bench/bench_syscalls.py measures the floor every
 * sys_enter program pays (tracepoint + BPF dispatch), in the same run. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
char LICENSE[] SEC("license") = "GPL";
SEC("tp_btf/sys_enter")
int BPF_PROG(empty_enter, struct pt_regs *regs, long id)
{
	return 0;
}
