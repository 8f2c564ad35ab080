// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The CPU sampler: a perf_event program on cpu-clock at cfg Hz per CPU. When
 * the interrupted task belongs to a profiled process, capture its Python
 * stack (and whether it holds the GIL) and send it to userspace; under
 * --kernel / --native, with a struct ps_xstack trailer (kernel stack, user
 * registers and user stack copy).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "pystack.bpf.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

const volatile __u32 cfg_kernel_stack = 0; /* --kernel */
const volatile __u32 cfg_user_stack = 0; /* --native: bytes of user stack to copy */

/*
 * Copy cfg_user_stack bytes of user stack from sp; if that crosses the end of
 * the stack, the rest of sp's page plus 3, 2, 1 or 0 more pages. Bytes copied.
 */
static __always_inline __u32 copy_ustack(struct ps_xstack *x)
{
	__u32 len = cfg_user_stack, page = 4096 - (x->sp & 4095);

	for (int i = 0; i < 5; i++) {
		if (i)
			len = page + 4096 * (4 - i);
		if (len > PS_USTACK_MAX)
			len = PS_USTACK_MAX;
		if (len < 8)
			return 0;
		if (!bpf_probe_read_user(x->ustack, len, (void *)x->sp))
			return len;
	}
	return 0;
}

/* Add this sample's kernel stack, user registers and user stack copy as its trailer. */
static __noinline void add_xstack(struct bpf_perf_event_data *ctx, struct pystack_scratch *s)
{
	struct ps_xstack *x;
	struct pt_regs *regs;
	long n = 0;

	if (!s)
		return;
	x = (void *)pystack_trailer_at(s, sizeof(*x));
	if (!x)
		return;
	if (cfg_kernel_stack)
		n = bpf_get_stack(ctx, x->kips, sizeof(x->kips), 0);
	x->nr_kips = n > 0 ? n / 8 : 0;
	x->ip = x->sp = x->bp = 0;
	x->ustack_len = 0;
	if (cfg_user_stack) {
		regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
		x->ip = BPF_CORE_READ(regs, ip);
		x->sp = BPF_CORE_READ(regs, sp);
		x->bp = BPF_CORE_READ(regs, bp);
		x->ustack_len = copy_ustack(x);
	}
	pystack_trailer_add(s, PS_SAMPLE_HAS_XSTACK, PS_XSTACK_HDR_SIZE + x->ustack_len);
}

SEC("perf_event")
int on_cpu_sample(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct pystack_scratch *s = pystack_start(id >> 32);

	if (!s)
		return 0;
	pystack_capture(s, (__u32)id);
	if (cfg_kernel_stack || cfg_user_stack)
		add_xstack(ctx, s);
	if (pystack_send(s, PS_REC_SAMPLE, (__u32)id, 1, PS_STAT_RINGBUF_FULL) == 0)
		stat_inc(PS_STAT_SAMPLES);
	return 0;
}
