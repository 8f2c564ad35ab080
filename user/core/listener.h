/* SPDX-License-Identifier: MIT */
/*
 * A feature that plugs into a session (the syscall audit, the GIL audit,
 * native stacks, a command's own refresh): one registration with the
 * callbacks it needs, every one optional. Commands only compose features;
 * the session and the runner call every listener at the same points, in
 * the order they were registered.
 */
#ifndef PYSTROBE_LISTENER_H
#define PYSTROBE_LISTENER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct target;
struct py_target;
struct ps_sample;
struct agg;

#define SESSION_LISTENERS_MAX 8 /* features on one session; beyond: session_listen fails */

struct session_listener {
	const char *name; /* for messages: "syscalls", "gil", "native" */
	void *ctx; /* first argument of every callback */
	/* the `-- CMD` child is forked and waits for its exec: set it up now */
	void (*on_child)(void *ctx, pid_t pid);
	/* a target started being profiled / stopped (exit or exec) */
	void (*on_add)(void *ctx, struct target *t);
	void (*on_retire)(void *ctx, struct target *t);
	/*
	 * a CPython whose version cannot be profiled (pt: its pid, version and
	 * label): what the feature still does for it ("syscalls counted, ..."),
	 * or NULL if nothing
	 */
	const char *(*on_unsupported)(void *ctx, const struct py_target *pt);
	/* any process the BPF side reported gone (a target or not) */
	void (*on_exit)(void *ctx, uint32_t pid);
	/* a ring-buffer record the session does not handle itself; 0 if not its type */
	int (*on_record)(void *ctx, uint32_t type, const void *data, size_t size);
	/*
	 * A CPU sample before it is aggregated: return 0 to leave it to the
	 * session, or count it in a yourself (e.g. with native frames) and
	 * return 1; -ENOMEM stops the poll.
	 */
	int (*on_sample)(void *ctx, struct agg *a, const struct ps_sample *smp, size_t size);
	/* every loop iteration, and at least every tick_ms when set */
	void (*on_tick)(void *ctx, uint64_t now_ns);
	unsigned tick_ms;
	/* the ring buffer is drained and the run is over: read final counters */
	void (*on_finish)(void *ctx);
};

#endif /* PYSTROBE_LISTENER_H */
