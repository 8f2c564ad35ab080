/* SPDX-License-Identifier: MIT */
/*
 * The state every profiling command shares: BPF objects, discovery, the
 * target registry, raw samples and symbols, and the pending list of new
 * processes that may turn into Pythons (exec'd, libpython not mapped yet).
 */
#ifndef PYSTROBE_SESSION_H
#define PYSTROBE_SESSION_H

#include <regex.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "core/agg.h"
#include "core/listener.h"
#include "ps_procs.h"
#include "python/discover.h"
#include "core/run_stats.h"
#include "lib/strpool.h"
#include "python/symtab.h"
#include "core/targets.h"

#define SESSION_PENDING_MAX 4096 /* new processes awaiting discovery; beyond: not examined */
#define SESSION_PENDING_NS \
	(2ULL * 1000000000) /* how long a new process may take to map libpython */
#define SESSION_FORK_DELAY_NS \
	(50ULL * 1000000) /* a forked child is examined after this (unless it execs first) */
#define SESSION_FORK_SLOT_NS \
	(25ULL * 1000000) /* ... rounded up to these slots: one loop turn per slot */
#define SESSION_RESCAN_NS \
	(5ULL * 1000000000) /* --all: look for a libpython loaded late (dlopen) this often */
#define SESSION_KEPT_MAX 64 /* -p: unsupported pids that keep the run going; beyond: do not */
#define SESSION_TRIED_MAX 65536 /* pids not re-examined by the rescan; beyond: re-examined */
/* without --all: code objects remembered as sent (LRU: evicted ones are re-sent) */
#define SESSION_CODES 16384
/*
 * without --all: thread states cached (LRU: evicted ones are walked again);
 * the kernel fills an LRU map at creation, 16,384 slots cost ~4 ms of start-up
 */
#define SESSION_THREADS 4096
#define SESSION_REPHASE_NS 500000000ULL /* mean time between sampling-period re-draws */
#define SESSION_LIVENESS_NS 1000000000ULL /* targets checked for a lost exit this often */

struct sampler;
struct procs_mon;
struct shared_maps;
struct events;

/* Discovery pace (agent: slower, cheaper on hosts that exec a lot); 0: the defaults. */
struct session_pace {
	unsigned pending_ms; /* poll at least this often while discoveries wait (2 ms) */
	unsigned pending_max_shift; /* longest retry gap 2^shift ms (6: 64 ms) */
	uint64_t pending_window_ns; /* how long a new process may take (SESSION_PENDING_NS) */
	uint64_t rescan_ns; /* --all rescan interval (SESSION_RESCAN_NS) */
};

/* How a command wants its session. */
struct session_cfg {
	unsigned freq_hz; /* CPU samples per second per CPU */
	unsigned max_frames; /* frames kept per stack */
	size_t ringbuf_bytes; /* 0: automatic */
	bool all; /* --all: every exec is a candidate */
	const char *name; /* --name REGEX: only processes whose command line matches, or NULL */
	bool syscall_targets; /* size the pid -> "count its syscalls" array (syscalls) */
	bool kernel_stack; /* --kernel: kernel frames on top of each sample */
	unsigned user_stack; /* --native: bytes of user stack copied per sample, 0: no native */
	bool async_roots; /* --async: samples carry their rootmost coroutine frame */
	bool gil_only; /* keep only samples whose thread held the GIL (record --gil) */
	const char *command; /* the command line, for the outputs' provenance */
	struct session_pace pace;
};

struct pending {
	pid_t pid;
	uint64_t first_ns, next_ns; /* CLOCK_MONOTONIC */
	unsigned tries;
	struct ps_exe_key exe; /* the image it exec'ed (--all), ino 0: unknown */
};

struct session {
	struct shared_maps *maps; /* the maps of bpf/maps.bpf.h, shared by every BPF object */
	struct sampler *sampler;
	struct events *events; /* the ring buffer, read by type */
	struct procs_mon *procs;
	struct discover *disc;
	struct targets targets;
	struct strpool pool;
	struct symtab symtab;
	struct agg agg;
	struct run_stats stats;
	struct pending pending[SESSION_PENDING_MAX];
	size_t nr_pending;
	uint64_t nr_exe_skips; /* --all: executables BPF was told to skip (not Python) */
	struct session_cfg cfg; /* as given to session_open */
	bool any_exited; /* a target exited since the last check */
	pid_t child; /* `-- CMD` child, 0 if none */
	uint64_t next_rephase_ns; /* when to re-draw the sampling periods */
	uint64_t next_rescan_ns; /* --all: when to look for a late libpython again */
	struct hashmap tried; /* pids examined with a libpython mapped and refused */
	regex_t name_re; /* cfg.name compiled, when has_name */
	bool has_name;
	struct thread_names *names; /* Python thread names (core/thread_names.c), first listener */
	struct session_listener listeners[SESSION_LISTENERS_MAX];
	size_t nr_listeners;
	unsigned nr_live; /* targets currently profiled */
	uint64_t nr_pending_full; /* new processes not examined: pending queue full */
	uint64_t nr_lost_exits; /* targets found gone without their exit event */
	uint64_t next_liveness_ns; /* when to look for targets gone unannounced */
	pid_t kept[SESSION_KEPT_MAX]; /* unsupported Pythons a listener still follows */
	size_t nr_kept;
};

/* Stop flag set by SIGINT / SIGTERM. */
extern volatile sig_atomic_t session_stop;

/* Preflight, open and load BPF (not attached). 0 or -errno (reported). */
int session_open(struct session *s, const struct session_cfg *cfg);
/* Add a feature (copied). 0, or -ENOSPC past SESSION_LISTENERS_MAX. */
int session_listen(struct session *s, const struct session_listener *l);
int session_attach(struct session *s);
void session_close(struct session *s);

/*
 * Examine pid and start profiling it if it is a supported CPython.
 * 0 profiled, or unsupported but followed by a listener (noted, kept); -ENOENT
 * not Python, -ENOTSUP unsupported (noted), other -errno.
 * why receives the reason for a failure.
 */
int session_add_pid(struct session *s, pid_t pid, char *why, size_t why_len);
/* Is an unsupported Python that a listener still follows (e.g. its syscalls) alive? */
bool session_kept_alive(const struct session *s);
/* Profile every Python process running now (a /proc scan). */
void session_scan_all(struct session *s);
/* Watch pid: examined again until it maps a runtime or SESSION_PENDING_NS pass. */
void session_watch(struct session *s, pid_t pid);

/* Poll the ring buffer and retry pending discoveries. Records handled or -errno. */
int session_poll(struct session *s, int timeout_ms);
/* Drain what is left in the ring buffer and read the BPF counters. */
void session_finish(struct session *s);

/* Call every listener's on_child / on_tick (the runner's loop). */
void session_child(struct session *s, pid_t pid);
void session_tick(struct session *s, uint64_t now_ns);
/* The smallest tick_ms of the listeners, 0 if none asks. */
unsigned session_tick_ms(const struct session *s);

uint64_t session_now_ns(void);
/* This process's user + system CPU so far. */
uint64_t session_cpu_ns(void);

#endif /* PYSTROBE_SESSION_H */
