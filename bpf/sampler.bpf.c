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
const volatile __u64 cfg_period_ns = 0; /* the mean period: 1e9 / --frequency */

/*
 * The sampling periods are jittered 5-25 % above and below the mean (see
 * jittered_period in user/bpf/sampler.c), so ticks are not all worth the
 * same CPU time: counted as 1 each, a 3 s profile of a busy thread read
 * 261..322 samples at 99 Hz instead of 297. A tick is worth the time since
 * the CPU's last tick in mean periods (0 to 3), so counts stay CPU time /
 * mean period. The time since the last tick, not ctx->sample_period: the
 * kernel reports the period set at open after a PERF_EVENT_IOC_PERIOD, and
 * a re-phase restarts the timer mid-period.
 *
 * Rounding carries the remainder to the CPU's next tick (the error stays
 * under a period per CPU), with a random threshold: a fixed one would keep
 * exactly the ticks just after each multiple of the mean period, a periodic
 * grid that aliases with periodic work, which the jitter is there to break.
 * The credit is per CPU, whoever ran: a tick's expected worth is its own
 * interval, so no task inherits another's. A gap over 3 periods (an idle CPU
 * without ticks, a VM not run) counts 1.
 */
#define SAMPLER_MAX_CPUS 4096
static __u64 last_tick_ns[SAMPLER_MAX_CPUS];
static __s64 credit_ns[SAMPLER_MAX_CPUS]; /* in (-period, period] */

/* Mean periods this tick is worth. */
static __always_inline __u64 tick_worth(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	__s64 now = bpf_ktime_get_ns(), p = cfg_period_ns, gap, c, x;
	__u64 w;

	if (!p || cpu >= SAMPLER_MAX_CPUS)
		return 1;
	gap = now - last_tick_ns[cpu];
	last_tick_ns[cpu] = now;
	if (gap > 3 * p || gap < 0) {
		credit_ns[cpu] = 0;
		return 1;
	}
	c = credit_ns[cpu] + gap;
	x = c + (__s64)(bpf_get_prandom_u32() % (__u32)p);
	w = x > 0 ? (__u64)x / (__u64)p : 0;
	credit_ns[cpu] = c - (__s64)(w * p);
	return w;
}

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

/* --async: where the rootmost coroutine of the stack is, as the last trailer. */
static __always_inline void add_async(struct pystack_scratch *s)
{
	__u64 addr = s->async_cur ? s->async_cur : s->async_root;
	struct ps_async *a;

	if (!addr)
		return;
	a = (void *)pystack_trailer_at(s, sizeof(*a));
	if (!a)
		return;
	a->frame_addr = addr;
	a->frame_idx = s->async_cur ? s->async_cur_idx : s->async_root_idx;
	a->pad = 0;
	pystack_trailer_add(s, PS_SAMPLE_HAS_ASYNC, sizeof(*a));
}

SEC("perf_event")
int on_cpu_sample(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid(), worth = tick_worth();
	struct pystack_scratch *s;

	if (!worth)
		return 0;
	s = pystack_start(id >> 32);
	if (!s)
		return 0;
	s->worth = (__u32)worth;
	pystack_capture(s, (__u32)id);
	if (cfg_kernel_stack || cfg_user_stack)
		add_xstack(ctx, s);
	if (cfg_async)
		add_async(s);
	if (pystack_send(s, PS_REC_SAMPLE, (__u32)id, worth, PS_STAT_RINGBUF_FULL) == 0)
		stat_add(PS_STAT_SAMPLES, worth);
	return 0;
}
