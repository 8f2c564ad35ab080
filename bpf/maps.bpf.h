/* SPDX-License-Identifier: MIT */
/*
 * Every map more than one BPF object uses, declared once, with the helpers
 * that write them. Userspace loads the sampler first; every later object
 * reuses these maps by name (user/bpf/shared_maps.c), so all programs write
 * one ring buffer and one set of loss counters and read one procs map. An
 * object that does not use one of them still declares it (no cost: reused).
 */
#ifndef PYSTROBE_MAPS_BPF_H
#define PYSTROBE_MAPS_BPF_H

#include "ps_common.h"
#include "ps_pystack.h"

/* The one ring buffer every record goes to; size set by userspace (power of two pages). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
} events SEC(".maps");

/* Loss counters (enum ps_stat_id), per CPU; userspace sums them. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PS_STAT__COUNT);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* Profiled processes, key = tgid: written by userspace only. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PS_MAX_PROCS);
	__type(key, __u32);
	__type(value, struct ps_proc);
} procs SEC(".maps");

/* Thread -> its PyThreadState, key = tid (the stack walker's cache). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PS_MAX_THREADS);
	__type(key, __u32);
	__type(value, struct ps_tstate_slot);
} tstates SEC(".maps");

/* Code objects whose symbol was sent (so each is sent once, whichever program saw it). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PS_MAX_CODES);
	__type(key, struct ps_code_key);
	__type(value, __u8);
} codes_sent SEC(".maps");

/*
 * tgid -> PS_SYS_TARGET / PS_SYS_AT_EXEC (ps_syscalls.h): whose syscalls are
 * counted. procs.bpf.c passes a target's bits to its children; 1 entry
 * unless userspace sizes it to pid_max (syscalls counted).
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8);
} sys_targets SEC(".maps");

/* Bytes queued before a sample forces a wakeup; below, userspace polls. */
const volatile __u64 cfg_wakeup_bytes = 1 << 20;

/* Wakeup flag for a bulk record: only wake the reader once enough is queued. */
static __always_inline __u64 bulk_wakeup_flag(void)
{
	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg_wakeup_bytes)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

/* Count n events of kind id on this CPU. */
static __always_inline void stat_add(__u32 id, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &id);

	if (v)
		*v += n;
}

/* Count one event of kind id on this CPU. */
static __always_inline void stat_inc(__u32 id)
{
	stat_add(id, 1);
}

#endif /* PYSTROBE_MAPS_BPF_H */
