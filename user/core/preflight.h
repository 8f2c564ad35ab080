/* SPDX-License-Identifier: MIT */
/* Checks made before any BPF work: privileges and kernel BTF. */
#ifndef PYSTROBE_PREFLIGHT_H
#define PYSTROBE_PREFLIGHT_H

#include <stddef.h>
#include <sys/types.h>

struct discover;

/* 0, or -EPERM / -ENOENT after one clear line on stderr. */
int preflight_check(void);

/* -p: 0 when every pid is a Python process (supported or not), else -errno after one line. */
int preflight_pids(const pid_t *pids, size_t nr_pids);
/*
 * The discovery preflight_pids used (NULL if none), now the caller's: the
 * session reuses its analysis of the target's libpython (indexing its
 * symbols is ~15 % of a -p start-up) instead of doing it again.
 */
struct discover *preflight_discover(void);

#endif /* PYSTROBE_PREFLIGHT_H */
