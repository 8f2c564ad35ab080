/* SPDX-License-Identifier: MIT */
/*
 * Ending the `-- CMD` child at -d or Ctrl-C: SIGINT, then SIGTERM after a
 * grace period, then SIGKILL after another; and the exit status a command
 * hands on (its own, or 128 + the signal that ended it).
 */
#ifndef PYSTROBE_CMDSTOP_H
#define PYSTROBE_CMDSTOP_H

#include <stdbool.h>
#include <sys/types.h>

#define CMDSTOP_GRACE_MS 3000 /* per step: SIGINT -> SIGTERM -> SIGKILL */

/*
 * Stop child and reap it. skip_int: the child already got SIGINT (a
 * terminal's Ctrl-C reaches the whole foreground group), so only wait the
 * grace period before SIGTERM. Sets *status (wait status) and *sent (the last
 * signal sent). 0, or -errno if it could not be reaped.
 */
int cmdstop_stop(pid_t child, bool skip_int, unsigned grace_ms, int *status, int *sent);

/* The shell's convention for a wait status: the exit code, or 128 + signal. */
int cmdstop_exit_code(int status);

#endif /* PYSTROBE_CMDSTOP_H */
