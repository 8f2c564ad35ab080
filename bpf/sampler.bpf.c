// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The CPU sampler: a perf_event program on cpu-clock at cfg Hz per CPU. When
 * the interrupted task belongs to a profiled process, capture its Python
 * stack and send it to userspace as one ps_sample.
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
	__u32 pid = id >> 32, tid = (__u32)id, size;
	struct pystack_scratch *s;
	struct ps_proc *proc;

	proc = bpf_map_lookup_elem(&procs, &pid);
	if (!proc)
		return 0;
	s = pystack_scratch_get();
	if (!s)
		return 0;
	s->proc = *proc;
	s->pid = pid;
	pystack_capture(s, tid);

	s->sample.type = PS_REC_SAMPLE;
	s->sample.pid = pid;
	s->sample.tid = tid;
	s->sample.cpu = bpf_get_smp_processor_id();
	s->sample.ts_ns = bpf_ktime_get_ns();
	s->sample.gen = s->proc.gen;
	bpf_get_current_comm(s->sample.comm, sizeof(s->sample.comm));
	size = s->sample.nr_frames;
	if (size > PS_MAX_FRAMES)
		return 0;
	size = PS_SAMPLE_HDR_SIZE + size * sizeof(struct ps_frame);
	if (bpf_ringbuf_output(&events, &s->sample, size, bulk_wakeup_flag())) {
		stat_inc(PS_STAT_RINGBUF_FULL);
		return 0;
	}
	stat_inc(PS_STAT_SAMPLES);
	return 0;
}
