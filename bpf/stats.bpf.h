/* SPDX-License-Identifier: MIT */
/* The per-CPU loss counters every BPF object shares (userspace reuses one map). */
#ifndef PYSTROBE_STATS_BPF_H
#define PYSTROBE_STATS_BPF_H

#include "ps_common.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PS_STAT__COUNT);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* Count one event of kind id on this CPU. */
static __always_inline void stat_inc(__u32 id)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &id);

	if (v)
		*v += 1;
}

#endif /* PYSTROBE_STATS_BPF_H */
