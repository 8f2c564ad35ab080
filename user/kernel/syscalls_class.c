// SPDX-License-Identifier: MIT
/* The x86_64 syscall classification table (numbers from <sys/syscall.h>). */
#include <stddef.h>
#include <sys/syscall.h>
#include "ps_syscalls.h"
#include "kernel/syscalls_class.h"

#define PTR 0x80 /* poll_arg: the timeout argument is a pointer */

/* Designated by syscall number; io slots 1..PS_SYS_IO_SLOTS in declaration order. */
static const struct syscalls_class table[PS_SYS_NR_MAX] = {
	[SYS_read] = { .io_slot = 1, .size_arg = 3, .fd_arg = 1, .io = SYS_IO_READ },
	[SYS_write] = { .io_slot = 2, .size_arg = 3, .fd_arg = 1, .io = SYS_IO_WRITE },
	[SYS_pread64] = { .io_slot = 3, .size_arg = 3, .fd_arg = 1, .io = SYS_IO_READ },
	[SYS_pwrite64] = { .io_slot = 4, .size_arg = 3, .fd_arg = 1, .io = SYS_IO_WRITE },
	[SYS_readv] = { .io_slot = 5, .iov_arg = 2, .fd_arg = 1, .io = SYS_IO_READ },
	[SYS_writev] = { .io_slot = 6, .iov_arg = 2, .fd_arg = 1, .io = SYS_IO_WRITE },
	[SYS_sendto] = { .io_slot = 7,
			 .size_arg = 3,
			 .fd_arg = 1,
			 .io = SYS_IO_WRITE,
			 .is_send = 1 },
	[SYS_recvfrom] = { .io_slot = 8, .size_arg = 3, .fd_arg = 1, .io = SYS_IO_READ },
	[SYS_sendmsg] = { .io_slot = 9, .fd_arg = 1, .io = SYS_IO_WRITE, .is_send = 1 },
	[SYS_recvmsg] = { .io_slot = 10, .fd_arg = 1, .io = SYS_IO_READ },
	[SYS_preadv] = { .io_slot = 11, .iov_arg = 2, .fd_arg = 1, .io = SYS_IO_READ },
	[SYS_pwritev] = { .io_slot = 12, .iov_arg = 2, .fd_arg = 1, .io = SYS_IO_WRITE },
	[SYS_close] = { .fd_arg = 1 },
	[SYS_fstat] = { .fd_arg = 1 },
	[SYS_lseek] = { .fd_arg = 1 },
	[SYS_ioctl] = { .fd_arg = 1 },
	[SYS_fsync] = { .fd_arg = 1, .is_sync = 1 },
	[SYS_fdatasync] = { .fd_arg = 1, .is_sync = 1 },
	[SYS_sync_file_range] = { .fd_arg = 1, .is_sync = 1 },
	[SYS_sync] = { .is_sync = 1 },
	[SYS_open] = { .path_arg = 1 },
	[SYS_stat] = { .path_arg = 1 },
	[SYS_lstat] = { .path_arg = 1 },
	[SYS_access] = { .path_arg = 1 },
	[SYS_readlink] = { .path_arg = 1 },
	[SYS_unlink] = { .path_arg = 1 },
	[SYS_openat] = { .path_arg = 2 },
	[SYS_newfstatat] = { .path_arg = 2 },
	[SYS_faccessat] = { .path_arg = 2 },
	[SYS_statx] = { .path_arg = 2 },
	[SYS_poll] = { .poll_arg = 3 },
	[SYS_ppoll] = { .poll_arg = 3 | PTR },
	[SYS_select] = { .poll_arg = 5 | PTR },
	[SYS_pselect6] = { .poll_arg = 5 | PTR },
	[SYS_epoll_wait] = { .poll_arg = 4 },
	[SYS_epoll_pwait] = { .poll_arg = 4 },
#ifdef SYS_epoll_pwait2
	[SYS_epoll_pwait2] = { .poll_arg = 4 | PTR },
#endif
#ifdef SYS_faccessat2
	[SYS_faccessat2] = { .path_arg = 2 },
#endif
};

const struct syscalls_class *syscalls_class_of(unsigned nr)
{
	static const struct syscalls_class none;

	return nr < PS_SYS_NR_MAX ? &table[nr] : &none;
}

int syscalls_class_slot_nr(unsigned slot)
{
	for (unsigned nr = 0; nr < PS_SYS_NR_MAX; nr++)
		if (table[nr].io_slot == slot + 1)
			return (int)nr;
	return -1;
}
