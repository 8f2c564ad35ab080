// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The CPU sampler: a perf_event program on cpu-clock at cfg Hz per CPU. When
 * the interrupted task belongs to a profiled process, capture its Python
 * stack (and whether it holds the GIL) and send it to userspace.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "pystack.bpf.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

SEC("perf_event")
int on_cpu_sample(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct pystack_scratch *s = pystack_start(id >> 32);

	if (!s)
		return 0;
	pystack_capture(s, (__u32)id);
	if (pystack_send(s, PS_REC_SAMPLE, (__u32)id, 1, PS_STAT_RINGBUF_FULL) == 0)
		stat_inc(PS_STAT_SAMPLES);
	return 0;
}
