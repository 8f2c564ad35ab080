/* SPDX-License-Identifier: MIT */
/*
 * What pystrobe knows about x86_64 system calls, in one table: which count
 * bytes (and in which argument), which take a file descriptor or a path,
 * which can poll without waiting. The BPF program gets it as rodata arrays.
 */
#ifndef PYSTROBE_SYSCLASS_H
#define PYSTROBE_SYSCLASS_H

#include <stdbool.h>
#include <stdint.h>

/* Kinds of I/O for the batching advice. */
enum syscalls_class_io {
	SYS_IO_NONE = 0,
	SYS_IO_READ, /* read, pread64, readv, preadv, recvfrom, recvmsg */
	SYS_IO_WRITE, /* write, pwrite64, writev, pwritev, sendto, sendmsg */
};

struct syscalls_class {
	uint8_t io_slot; /* 1 + slot in struct ps_sys_task.io, 0: none */
	uint8_t size_arg; /* 1 + argument holding the requested size */
	uint8_t iov_arg; /* 1 + argument holding an iovec array (count follows it) */
	uint8_t fd_arg; /* 1: argument 0 is a file descriptor */
	uint8_t path_arg; /* 1 + argument holding a path */
	uint8_t poll_arg; /* 1 + timeout argument; | 0x80 when it points to a timespec/timeval */
	uint8_t io; /* enum syscalls_class_io */
	uint8_t is_sync; /* fsync, fdatasync, sync_file_range, sync */
	uint8_t is_send; /* socket-only send (sendto, sendmsg) */
};

/* The class of syscall nr (all zero when unknown). */
const struct syscalls_class *syscalls_class_of(unsigned nr);

/* The syscall number using io slot i, or -1. */
int syscalls_class_slot_nr(unsigned slot);

#endif /* PYSTROBE_SYSCLASS_H */
