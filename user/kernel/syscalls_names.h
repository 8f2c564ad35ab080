/* SPDX-License-Identifier: MIT */
/* x86_64 system call names (generated table: scripts/gen-syscalls.sh). */
#ifndef PYSTROBE_SYSCALL_NAMES_H
#define PYSTROBE_SYSCALL_NAMES_H

/* The name of syscall nr, or NULL when the table has none. */
const char *syscalls_name(unsigned nr);

#endif /* PYSTROBE_SYSCALL_NAMES_H */
