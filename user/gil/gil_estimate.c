// SPDX-License-Identifier: MIT
/*
 * The GIL estimate: per tick, the holder from the process's memory and the
 * waiters from what each thread is blocked in (gil_estimate.h).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include "bpf/sampler.h"
#include "core/targets.h"
#include "gil/gil_estimate.h"
#include "target/procfs.h"
#include "lib/clock.h"

/*
 * struct _gil_runtime_state from last_holder on: locked, switch_number, then
 * cond, mutex, switch_cond, switch_mutex (pthread types, 40-48 bytes each).
 * A futex inside is a wait for the GIL (take_gil) or for its handoff
 * (drop_gil's forced switch), as exact tracing counts them.
 */
#define GIL_STRUCT_BEFORE 8 /* interval, before last_holder */
#define GIL_STRUCT_AFTER 208 /* last_holder .. the end of switch_mutex, with slack */

uint64_t gil_estimate_holder(const struct target *t, uint64_t *field)
{
	const struct py_layout *l = &t->t.layout;
	uint64_t holder = 0, interp = 0, gil = 0;
	uint32_t locked = 0;
	pid_t pid = t->t.pid;

	/* <= 3.11: the current thread state, and the GIL struct, in _PyRuntime (3.7+) */
	*field = l->runtime_gil_last_holder ? t->t.runtime_addr + l->runtime_gil_last_holder : 0;
	if (t->t.bpf.gil_holder_addr)
		return procfs_read_mem(pid, t->t.bpf.gil_holder_addr, &holder, 8) ? 0 : holder;
	/* 3.12+: the main interpreter's GIL: locked ? last_holder : none */
	if (l->off.interp_gil == PS_OFF_NONE || !l->runtime_interp_main ||
	    procfs_read_mem(pid, t->t.runtime_addr + l->runtime_interp_main, &interp, 8) ||
	    procfs_read_mem(pid, interp + l->off.interp_gil, &gil, 8) || !gil)
		return 0;
	*field = gil + l->off.gil_last_holder;
	if (procfs_read_mem(pid, *field, &holder, 8) ||
	    procfs_read_mem(pid, gil + l->off.gil_locked, &locked, 4))
		return 0;
	return locked ? holder : 0;
}

/* What a thread that does not hold the GIL is doing. */
enum look {
	LOOK_GIL_WAIT, /* blocked in futex() on the GIL struct */
	LOOK_BLOCKED, /* blocked on something else: the GIL released */
	LOOK_RUNNING, /* on a CPU or its run queue: unknown from here */
};

/* Look at tid of pid: blocked in futex() on an address of the GIL struct around field? */
static enum look look_at(pid_t pid, const char *tid, uint64_t field)
{
	char path[320], buf[256], *end; /* tid: a /proc/PID/task entry name (<= 255) */
	unsigned long long nr, addr;

	snprintf(path, sizeof(path), "task/%s/syscall", tid);
	if (procfs_read(pid, path, buf, sizeof(buf)) <= 0 || strncmp(buf, "running", 7) == 0)
		return LOOK_RUNNING;
	/* "202 0x7f.. ..." while blocked in a system call, "-1 ..." outside of one */
	nr = strtoull(buf, &end, 10);
	if (end == buf || nr != SYS_futex)
		return LOOK_BLOCKED;
	addr = strtoull(end, NULL, 16);
	return addr + GIL_STRUCT_BEFORE >= field && addr < field + GIL_STRUCT_AFTER ?
		       LOOK_GIL_WAIT :
		       LOOK_BLOCKED;
}

/*
 * Count one look at a thread that does not hold the GIL. A waiter wakes every
 * switch interval to ask the holder to drop it, and then sits on a run queue
 * (a busy machine) before it waits again: a runnable thread whose last block
 * was on the GIL, and that has not held it since, still waits.
 */
static void count_other(struct gil_est_thread *th, enum look l)
{
	if (l != LOOK_RUNNING)
		th->last_wait = l == LOOK_GIL_WAIT;
	if (th->last_wait)
		th->waiting++;
}

static struct gil_est_proc *proc_slot(struct gil_estimate *e, uint32_t pid)
{
	struct gil_est_proc *n;

	for (size_t i = 0; i < e->nr_procs; i++)
		if (e->procs[i].pid == pid)
			return &e->procs[i];
	n = realloc(e->procs, (e->nr_procs + 1) * sizeof(*n));
	if (!n)
		return NULL;
	e->procs = n;
	memset(&n[e->nr_procs], 0, sizeof(*n));
	n[e->nr_procs].pid = pid;
	return &n[e->nr_procs++];
}

static struct gil_est_thread *thread_slot(struct gil_est_proc *p, uint32_t tid)
{
	struct gil_est_thread *n;

	for (size_t i = 0; i < p->nr_threads; i++)
		if (p->threads[i].tid == tid)
			return &p->threads[i];
	n = realloc(p->threads, (p->nr_threads + 1) * sizeof(*n));
	if (!n)
		return NULL;
	p->threads = n;
	memset(&n[p->nr_threads], 0, sizeof(*n));
	n[p->nr_threads].tid = tid;
	return &n[p->nr_threads++];
}

/*
 * The tid of thread state tstate: its native_thread_id (3.11+), else the
 * sampler's cache (a thread no sample has seen yet is nobody: 0).
 */
static uint32_t holder_tid(const struct target *t, const struct sampler *smp, uint64_t tstate)
{
	uint16_t off = t->t.layout.tstate_native_thread_id;
	uint64_t native = 0;
	uint32_t tid = 0;

	if (off != PS_OFF_NONE && off && !procfs_read_mem(t->t.pid, tstate + off, &native, 8))
		return (uint32_t)native;
	return sampler__tid_of_tstate(smp, t->t.pid, tstate, &tid) ? 0 : tid;
}

/* One look at each thread of p: holder_tid holds, the others may wait. */
static void look(struct gil_estimate *e, struct gil_est_proc *p, uint32_t holder_tid,
		 uint64_t field)
{
	char path[32];
	struct dirent *d;
	struct gil_est_thread *th;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%u/task", p->pid);
	dir = opendir(path);
	if (!dir)
		return;
	p->ticks++;
	while ((d = readdir(dir))) {
		uint32_t tid = (uint32_t)strtoul(d->d_name, NULL, 10);

		if (!tid || !(th = thread_slot(p, tid)))
			continue;
		th->ticks++;
		e->nr_looks++;
		if (tid == holder_tid) {
			th->held++;
			th->last_wait = false;
		} else if (field) {
			count_other(th, look_at((pid_t)p->pid, d->d_name, field));
		}
	}
	closedir(dir);
}

void gil_estimate_tick(struct gil_estimate *e, const struct target *t, const struct sampler *smp)
{
	uint64_t t0 = mono_ns(), field = 0, tstate = gil_estimate_holder(t, &field);
	struct gil_est_proc *p = proc_slot(e, t->t.pid);
	uint32_t tid = 0;

	if (!p)
		return;
	if (tstate)
		tid = holder_tid(t, smp, tstate);
	look(e, p, tid, field);
	e->cost_ns += mono_ns() - t0;
}

const struct gil_est_thread *gil_estimate_thread(const struct gil_estimate *e, uint32_t pid,
						 uint32_t tid)
{
	for (size_t i = 0; i < e->nr_procs; i++) {
		if (e->procs[i].pid != pid)
			continue;
		for (size_t k = 0; k < e->procs[i].nr_threads; k++)
			if (e->procs[i].threads[k].tid == tid)
				return &e->procs[i].threads[k];
	}
	return NULL;
}

void gil_estimate_free(struct gil_estimate *e)
{
	for (size_t i = 0; i < e->nr_procs; i++)
		free(e->procs[i].threads);
	free(e->procs);
	memset(e, 0, sizeof(*e));
}
