/* SPDX-License-Identifier: MIT */
/* Fixed-width types shared by BPF and userspace. */
#ifndef PYSTROBE_PS_TYPES_H
#define PYSTROBE_PS_TYPES_H

#ifdef __bpf__
#include "vmlinux.h"
#else
#include <linux/types.h>
/* userspace spells kernel-width types as __u8..__s64 or <stdint.h> */
#pragma GCC poison u8 u16 u32 u64 s8 s16 s32 s64
#endif

#endif /* PYSTROBE_PS_TYPES_H */
