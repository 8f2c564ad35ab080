/* SPDX-License-Identifier: MIT */
/* Bounded reads of another process's memory and /proc files. */
#ifndef PYSTROBE_PROCMEM_H
#define PYSTROBE_PROCMEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Copy len bytes at addr in pid into buf: exactly len, or -errno (-EFAULT if short). */
int procfs_read_mem(pid_t pid, uint64_t addr, void *buf, size_t len);

/* Read a whole /proc/PID/<name> file (at most cap-1 bytes, NUL-terminated); bytes or -errno. */
ssize_t procfs_read(pid_t pid, const char *name, char *buf, size_t cap);

/* Read a whole small file (at most cap-1 bytes, NUL-terminated); bytes or -errno. */
ssize_t procfs_read_path(const char *path, char *buf, size_t cap);

/* True while pid exists (as a process, not only a zombie). */
int procfs_alive(pid_t pid);

#endif /* PYSTROBE_PROCMEM_H */
