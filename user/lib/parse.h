/* SPDX-License-Identifier: MIT */
/* Command-line value parsers: every number is range-checked with a clear message. */
#ifndef PYSTROBE_PARSE_H
#define PYSTROBE_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Parse a decimal in [min, max]. On error prints
 * "invalid <what> '<arg>': expected <min>..<max>" and returns -EINVAL.
 */
int parse_u64(const char *arg, uint64_t min, uint64_t max, const char *what, uint64_t *out);

/* Parse "PID[,PID..]" appending to pids (cap entries, *nr in use). 0 or -EINVAL / -E2BIG. */
int parse_pid_list(const char *arg, pid_t *pids, size_t cap, size_t *nr);

#endif /* PYSTROBE_PARSE_H */
