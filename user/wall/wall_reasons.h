/* SPDX-License-Identifier: MIT */
/*
 * The reasons of --wall: which x86_64 syscalls mean which wait (the table
 * BPF gets), the pseudo-frame naming each off-CPU bucket, and the summary
 * class it falls in.
 */
#ifndef PYSTROBE_WALL_REASONS_H
#define PYSTROBE_WALL_REASONS_H

#include <stddef.h>
#include <stdint.h>
#include "ps_offcpu.h"

/* The summary's columns. */
enum wall_class {
	WALL_RUNNING = 0, /* on-CPU samples */
	WALL_RUNNABLE,
	WALL_GIL,
	WALL_LOCK,
	WALL_SLEEP,
	WALL_IO,
	WALL_DISK,
	WALL_OTHER,
	WALL__COUNT
};

/*
 * The leaf of a suspended asyncio task's time (record --async --wall,
 * async/async_wall.c): it overlaps its thread's time, so the per-thread
 * table leaves it out.
 */
#define WALL_AWAIT_FRAME "[await]"

/* Fill the per-syscall-number table of bpf/offcpu.bpf.c (enum ps_sys_wait). */
void wall_sys_table(uint8_t out[PS_OFFCPU_SYS_MAX]);

/* The leaf pseudo-frame of bucket k: "[io: read fd 3 pipe]", "[GIL]", ... */
const char *wall_reason_frame(const struct ps_offcpu_key *k, char *buf, size_t len);
/* The short reason of k for labels: "io", "GIL", "lock", ... */
const char *wall_reason_label(const struct ps_offcpu_key *k);
/* The summary column of k. */
enum wall_class wall_reason_class(const struct ps_offcpu_key *k);
/* The summary column of a leaf pseudo frame wall_reason_frame made. */
enum wall_class wall_class_of_frame(const char *frame);
/* The column's title: "running", "runnable", "GIL", ... */
const char *wall_class_name(enum wall_class c);

#endif /* PYSTROBE_WALL_REASONS_H */
