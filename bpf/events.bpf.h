/* SPDX-License-Identifier: MIT */
/* The one ring buffer every BPF object writes to (userspace reuses one map). */
#ifndef PYSTROBE_EVENTS_BPF_H
#define PYSTROBE_EVENTS_BPF_H

#include "ps_common.h"

/* Size is set by userspace before load (power of two pages). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
} events SEC(".maps");

/* Bytes queued before a sample forces a wakeup; below, userspace polls. */
const volatile __u64 cfg_wakeup_bytes = 1 << 20;

/* Wakeup flag for a bulk record: only wake the reader once enough is queued. */
static __always_inline __u64 bulk_wakeup_flag(void)
{
	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg_wakeup_bytes)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

#endif /* PYSTROBE_EVENTS_BPF_H */
