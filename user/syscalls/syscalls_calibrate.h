/* SPDX-License-Identifier: MIT */
/*
 * The sampled syscall graphs made to add up to the exact counters: per
 * (process, syscall), the sampled stacks give the shares and the BPF
 * counters (every call, every nanosecond) give the total.
 */
#ifndef PYSTROBE_SYS_CALIBRATE_H
#define PYSTROBE_SYS_CALIBRATE_H

#include <stdbool.h>
#include "core/agg.h"
#include "syscalls/syscalls_report.h"

/*
 * Scale the stacks of a (syscall leaf first, as syscalls_audit makes them)
 * so each (process, syscall) sums to r's exact calls, or kernel time when
 * time is true. Pairs r has no count for keep their sampled weights;
 * stacks left at 0 are dropped. 0 or -ENOMEM (a keeps its sampled weights,
 * or, rarely, scaled ones with some stacks at 0).
 */
int syscalls_calibrate(struct agg *a, const struct syscalls_result *r, bool time);

#endif /* PYSTROBE_SYS_CALIBRATE_H */
