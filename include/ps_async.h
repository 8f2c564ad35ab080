/* SPDX-License-Identifier: MIT */
/*
 * record --async: what the CPU sampler adds to a sample so that userspace can
 * name the asyncio task that was running (user/async/). BPF reads no task:
 * it only says where the rootmost coroutine of the stack is; userspace maps
 * that frame to its coroutine object (the frame is embedded in it, 3.11+) and
 * the coroutine to its task.
 */
#ifndef PYSTROBE_PS_ASYNC_H
#define PYSTROBE_PS_ASYNC_H

#include "ps_common.h"

/* _PyInterpreterFrame.owner of a frame embedded in a generator or coroutine (3.11-3.15) */
#define PS_FRAME_OWNED_BY_GENERATOR 1

/*
 * Trailer PS_SAMPLE_HAS_ASYNC (the highest trailer bit: always the last
 * trailer). The rootmost run of generator-owned frames in the stack ends at
 * frame_idx: in a task step that is the task's own coroutine, called by the
 * event loop's Handle._run.
 */
struct ps_async {
	__u64 frame_addr; /* _PyInterpreterFrame* of that frame (inside its coroutine) */
	__u32 frame_idx; /* its index in the sample's frames, leaf first */
	__u32 pad;
};
_Static_assert(sizeof(struct ps_async) == 16, "ABI");

#endif /* PYSTROBE_PS_ASYNC_H */
