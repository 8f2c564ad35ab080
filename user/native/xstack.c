// SPDX-License-Identifier: MIT
/* Kernel and native frames for --kernel / --native: join, unwind, name, merge. */
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "lib/clock.h"
#include "lib/hashmap.h"
#include "kernel/kallsyms.h"
#include "lib/log.h"
#include "core/events.h"
#include "core/run_stats.h"
#include "core/session.h"
#include "native/cfiwalk.h"
#include "native/dwfl_files.h"
#include "native/modlabel.h"
#include "native/xstack.h"

#define XS_MAX_NATIVE 256 /* native frames unwound per sample */
#define XS_STACK_SPAN (8ULL << 20) /* addresses this far above sp are stack: copy only */
#define XS_MAX_NAMES 65536 /* pcs named per process; beyond, the cache starts over */
#define XS_REFRESH_NS 50000000ULL /* a process's module list is re-read at most every 50 ms */
#define XS_WINDOW_NS 1000000000ULL /* the unwinding budget is per second */

/* One pc of one process, named once. */
struct pc_name {
	uint64_t pc;
	const char *name; /* pooled */
	bool is_eval;
};

/* What is kept per profiled process: its libdw session and named pcs. */
struct uproc {
	uint32_t pid;
	int memfd; /* /proc/PID/mem, for reads outside the stack copy */
	Dwfl *dwfl;
	uint64_t built_ns; /* when dwfl was built */
	const struct ps_xstack *cur; /* the extras of the sample being unwound */
	uint32_t cur_tid; /* its thread */
	uint64_t pcs[XS_MAX_NATIVE];
	size_t nr_pcs;
	struct hashmap names; /* struct pc_name by pc, for pcs in no file (the vdso) */
	size_t nr_names;
	struct cfiwalk_proc cw; /* its executable file mappings, for the fast walk */
};

struct xstack {
	bool kernel, native;
	struct strpool *pool;
	struct kallsyms ks;
	bool ks_ok;
	struct hashmap procs; /* struct uproc by pid */
	struct modfiles files; /* what each mapped file's pcs unwind and are named by */
	uint64_t budget_ns; /* unwinding CPU time allowed per second (0: no limit) */
	double budget_pct; /* the same as given: a share of a core in percent */
	uint64_t spent_ns; /* unwinding CPU time not yet paid back by the budget */
	uint64_t paid_ns; /* when spent_ns was last paid back */
	struct ps_sample *hdr; /* header of the merged stack (PS_SAMPLE_HDR_SIZE bytes) */
	struct agg_frame *out; /* frames of the merged stack (PS_MAX_FRAMES) */
	struct xstack_stats st;
	struct run_stats *rs; /* the listened session's, for the final notes */
};

/*
 * This thread's CPU time in ns: what the budget counts (on a loaded machine
 * wall time would charge unwinding for the time others ran).
 */
static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* hashmap_eq_fn of x->procs: by pid. */
static bool uproc_eq(const void *item, const void *key)
{
	return ((const struct uproc *)item)->pid == *(const uint32_t *)key;
}

/* hashmap_eq_fn of uproc.names: by pc. */
static bool pc_eq(const void *item, const void *key)
{
	return ((const struct pc_name *)item)->pc == *(const uint64_t *)key;
}

size_t xstack_merge(const struct agg_frame *py, size_t nr_py, const struct agg_frame *nat,
		    const bool *is_eval, size_t nr_nat, const struct agg_frame *kern,
		    size_t nr_kern, struct agg_frame *out, size_t max)
{
	size_t n = 0, p = 0;

	for (size_t i = 0; i < nr_kern && n < max; i++)
		out[n++] = kern[i];
	for (size_t i = 0; i < nr_nat && n < max; i++) {
		if (!is_eval[i] || p >= nr_py) {
			out[n++] = nat[i];
			continue;
		}
		/* this eval call's Python frames: up to and including the next entry frame */
		while (p < nr_py && n < max) {
			out[n++] = py[p];
			if (py[p++].owner & PS_FRAME_ENTRY)
				break;
		}
	}
	while (p < nr_py && n < max)
		out[n++] = py[p++];
	return n;
}

/* Dwfl_Thread_Callbacks.next_thread: the one thread being unwound. */
static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	struct uproc *u = arg;

	(void)dwfl;
	if (*thread_argp)
		return 0;
	*thread_argp = u;
	return (pid_t)u->cur_tid;
}

/*
 * Dwfl_Thread_Callbacks.memory_read: stack words from the copy taken at the
 * sample (live stack memory has changed since), anything else from the
 * process (text and data do not move).
 */
static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	struct uproc *u = arg;
	const struct ps_xstack *x = u->cur;

	(void)dwfl;
	if (addr >= x->sp && addr - x->sp + 8 <= x->ustack_len) {
		memcpy(result, x->ustack + (addr - x->sp), 8);
		return true;
	}
	if (addr >= x->sp && addr - x->sp < XS_STACK_SPAN)
		return false; /* stack beyond the copy */
	return u->memfd >= 0 && pread(u->memfd, result, 8, (off_t)addr) == 8;
}

/* Dwfl_Thread_Callbacks.set_initial_registers: x86-64 DWARF rbp (6), rsp (7), rip. */
static bool set_initial_registers(Dwfl_Thread *thread, void *arg)
{
	struct uproc *u = arg;
	Dwarf_Word regs[2] = { u->cur->bp, u->cur->sp };

	if (!dwfl_thread_state_registers(thread, 6, 2, regs))
		return false;
	dwfl_thread_state_register_pc(thread, u->cur->ip);
	return true;
}

/* How libdw reads the sampled thread: our registers and stack copy, no ptrace. */
static const Dwfl_Thread_Callbacks thread_cbs = {
	.next_thread = next_thread,
	.memory_read = memory_read,
	.set_initial_registers = set_initial_registers,
};

/* (Re)build u's libdw session from /proc/PID/maps. 0 or -errno. */
static int uproc_build(struct uproc *u)
{
	if (u->dwfl)
		dwfl_end(u->dwfl);
	u->built_ns = mono_ns();
	u->dwfl = dwfl_begin(&dwfl_files_callbacks);
	if (!u->dwfl)
		return -ENOMEM;
	if (dwfl_files_report(u->dwfl, (pid_t)u->pid) ||
	    !dwfl_attach_state(u->dwfl, NULL, (pid_t)u->pid, &thread_cbs, u)) {
		dwfl_end(u->dwfl);
		u->dwfl = NULL;
		return -ESRCH;
	}
	return 0;
}

/*
 * Re-read u's module list (a library was loaded): modules reported again keep
 * their loaded ELF and CFI, so this costs one read of /proc/PID/maps.
 */
static void uproc_refresh(struct uproc *u)
{
	if (!u->dwfl) {
		uproc_build(u);
		return;
	}
	u->built_ns = mono_ns();
	dwfl_report_begin_add(u->dwfl);
	dwfl_files_report(u->dwfl, (pid_t)u->pid);
}

/* The cached state of pid, made on first use; NULL when it cannot be. */
static struct uproc *uproc_get(struct xstack *x, uint32_t pid)
{
	struct uproc *u = hashmap_find(&x->procs, hash_u64(pid), &pid, uproc_eq);
	char path[64];

	if (u)
		return u;
	u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	u->pid = pid;
	u->cw.pid = (pid_t)pid;
	snprintf(path, sizeof(path), "/proc/%u/mem", pid);
	u->memfd = open(path, O_RDONLY | O_CLOEXEC);
	if (hashmap_insert(&x->procs, hash_u64(pid), u)) {
		if (u->memfd >= 0)
			close(u->memfd);
		free(u);
		return NULL;
	}
	return u; /* its libdw session is built when a sample first needs it */
}

/* Forget every named pc of u (the names stay pooled). */
static void names_clear(struct uproc *u)
{
	hashmap_free_all(&u->names);
	memset(&u->names, 0, sizeof(u->names));
	u->nr_names = 0;
}

/* Free u and its libdw session. */
static void uproc_free(struct uproc *u)
{
	if (u->dwfl)
		dwfl_end(u->dwfl);
	if (u->memfd >= 0)
		close(u->memfd);
	names_clear(u);
	cfiwalk_proc_free(&u->cw);
	free(u);
}

/* dwfl_getthread_frames callback: keep each frame's pc (a call site: pc - 1). */
static int on_frame(Dwfl_Frame *state, void *arg)
{
	struct uproc *u = arg;
	Dwarf_Addr pc;
	bool activation;

	if (!dwfl_frame_pc(state, &pc, &activation) || pc == 0)
		return DWARF_CB_ABORT;
	u->pcs[u->nr_pcs++] = activation ? pc : pc - 1;
	return u->nr_pcs < XS_MAX_NATIVE ? DWARF_CB_OK : DWARF_CB_ABORT;
}

/* pc's frame name in module m (NULL: none) into buf: "symbol (module)", "[module]", "[unknown]". */
static void pc_label(Dwfl_Module *m, uint64_t pc, const char **sym, char *buf, size_t size)
{
	const char *mod = m ? dwfl_module_info(m, NULL, NULL, NULL, NULL, NULL, NULL, NULL) : NULL;
	GElf_Addr bias;
	char label[256];

	*sym = m ? dwfl_module_addrname(m, pc) : NULL;
	if (!mod) {
		snprintf(buf, size, "[unknown]");
		return;
	}
	modlabel_of(dwfl_module_getelf(m, &bias), mod, label, sizeof(label));
	if (*sym)
		modlabel_frame(buf, size, *sym, label);
	else
		snprintf(buf, size, "[%s]", label);
}

/* The name of pc in u (pc_label; cached). */
static const struct pc_name *name_pc(struct xstack *x, struct uproc *u, uint64_t pc)
{
	static struct pc_name unknown;
	struct pc_name *n = hashmap_find(&u->names, hash_u64(pc), &pc, pc_eq);
	Dwfl_Module *m;
	const char *sym;
	char buf[512];

	if (n)
		return n;
	if (u->nr_names >= XS_MAX_NAMES)
		names_clear(u);
	m = u->dwfl ? dwfl_addrmodule(u->dwfl, pc) : NULL;
	pc_label(m, pc, &sym, buf, sizeof(buf));
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->pc = pc;
	n->name = strpool_intern(x->pool, buf);
	n->is_eval = sym && modfile_is_eval_name(sym);
	/* a pc in no known module may be named once the module list is re-read */
	if (!n->name || !m || hashmap_insert(&u->names, hash_u64(pc), n)) {
		unknown = *n;
		free(n);
		return unknown.name ? &unknown : NULL;
	}
	u->nr_names++;
	return n;
}

/*
 * Unwind the user stack of xs into u->pcs. A pc outside every known module
 * (a library loaded since) rebuilds the module list, at most once a second.
 */
static void unwind(struct uproc *u, const struct ps_xstack *xs, uint32_t tid)
{
	u->nr_pcs = 0;
	u->cur = xs;
	u->cur_tid = tid;
	if (xs->ustack_len == 0)
		return;
	if ((!u->dwfl || !dwfl_addrmodule(u->dwfl, xs->ip)) &&
	    mono_ns() - u->built_ns > XS_REFRESH_NS)
		uproc_refresh(u);
	if (!u->dwfl) {
		u->pcs[u->nr_pcs++] = xs->ip;
		return;
	}
	dwfl_getthread_frames(u->dwfl, (pid_t)tid, on_frame, u);
	if (u->nr_pcs == 0)
		u->pcs[u->nr_pcs++] = xs->ip;
}

/* Kernel frames of xs as named frames into out; count written. */
static size_t kernel_frames(struct xstack *x, const struct ps_xstack *xs, struct agg_frame *out)
{
	size_t n = 0;
	const struct kallsym *k;
	const char *name;
	char buf[64];

	for (uint32_t i = 0; i < xs->nr_kips && i < PS_KSTACK_MAX; i++) {
		k = x->ks_ok ? kallsyms_find(&x->ks, xs->kips[i]) : NULL;
		if (!k)
			snprintf(buf, sizeof(buf), "[kernel %#llx]",
				 (unsigned long long)xs->kips[i]);
		name = k ? strpool_intern(x->pool, k->name) : strpool_intern(x->pool, buf);
		if (!name)
			continue;
		out[n++] = agg_frame_named(name, AGG_FRAME_KERNEL);
	}
	return n;
}

/*
 * Unwind xs into u->pcs: the fast walk by cached rules, its mappings re-read
 * (at most every XS_REFRESH_NS) when a pc is in none (a library loaded
 * since); else libdw.
 */
static void unwind_any(struct xstack *x, struct uproc *u, const struct ps_xstack *xs, uint32_t tid)
{
	int n = CFIWALK_NO_FILE;

	if (xs->ustack_len == 0) {
		u->nr_pcs = 0;
		return;
	}
	if (!u->cw.read_ns ||
	    (n = cfiwalk_unwind(&u->cw, &x->files, xs, u->pcs, XS_MAX_NATIVE)) == CFIWALK_NO_FILE) {
		if (mono_ns() - u->cw.read_ns > XS_REFRESH_NS) {
			u->cw.read_ns = mono_ns();
			cfiwalk_read_maps(&u->cw);
			n = cfiwalk_unwind(&u->cw, &x->files, xs, u->pcs, XS_MAX_NATIVE);
		}
	}
	if (n >= 0) {
		u->nr_pcs = (size_t)n;
		return;
	}
	x->st.nr_slow++;
	unwind(u, xs, tid);
}

/* The name of pc: from its file's shared cache, else from u's libdw session. */
static bool name_any(struct xstack *x, struct uproc *u, uint64_t pc, const char **name,
		     bool *is_eval)
{
	uint64_t vaddr;
	struct modfile *f = cfiwalk_file(&u->cw, &x->files, pc, &vaddr);
	const struct modfile_name *mn = f ? modfile_name(f, vaddr) : NULL;
	const struct pc_name *pn = mn ? NULL : name_pc(x, u, pc);

	if (!mn && !pn)
		return false;
	*name = mn ? mn->name : pn->name;
	*is_eval = mn ? mn->is_eval : pn->is_eval;
	return true;
}

/*
 * Is the unwinding budget spent? Time spent beyond it is a debt paid back
 * at budget_ns per second, so the long-run share of a core stays within it.
 */
static bool over_budget(struct xstack *x, uint64_t now)
{
	uint64_t pay;

	if (!x->budget_ns)
		return false;
	if (!x->paid_ns)
		x->paid_ns = now;
	pay = now - x->paid_ns < 4 * XS_WINDOW_NS ? now - x->paid_ns : 4 * XS_WINDOW_NS;
	pay = pay * x->budget_ns / XS_WINDOW_NS; /* at most 4 s x 1 s: no overflow */
	if (pay) {
		x->spent_ns = pay < x->spent_ns ? x->spent_ns - pay : 0;
		x->paid_ns = now;
	}
	return x->spent_ns >= x->budget_ns;
}

/* Native frames of xs (sampled in thread tid of pid) into nat / is_eval; count written. */
static size_t native_frames(struct xstack *x, const struct ps_xstack *xs,
			    const struct ps_sample *smp, struct agg_frame *nat, bool *is_eval)
{
	uint64_t t0 = cpu_ns(), opened = x->files.open_ns;
	struct uproc *u;
	const char *name;
	size_t n = 0;

	if (over_budget(x, mono_ns())) {
		x->st.nr_over_budget += agg_samples_of(smp);
		return 0;
	}
	u = uproc_get(x, smp->pid);
	if (!u)
		return 0;
	unwind_any(x, u, xs, smp->tid);
	if (xs->ustack_len && u->nr_pcs <= 1)
		x->st.nr_unwind_failed += agg_samples_of(smp);
	for (size_t i = 0; i < u->nr_pcs; i++) {
		if (!name_any(x, u, u->pcs[i], &name, &is_eval[n]))
			continue;
		nat[n++] = agg_frame_named(name, AGG_FRAME_NATIVE);
	}
	/* files opened once per build are set-up, not unwinding work */
	x->spent_ns += cpu_ns() - t0 - (x->files.open_ns - opened);
	if (x->spent_ns > 2 * x->budget_ns) /* a burst blocks unwinding for one second at most */
		x->spent_ns = 2 * x->budget_ns;
	return n;
}

/* Merge the extras xs into smp's stack and count it in a. Not re-entrant (static buffers). */
static int add_with(struct xstack *x, struct agg *a, const struct ps_sample *smp,
		    const struct ps_xstack *xs)
{
	static struct agg_frame kern[PS_KSTACK_MAX], nat[XS_MAX_NATIVE], py[PS_MAX_FRAMES];
	static bool is_eval[XS_MAX_NATIVE];
	size_t nk = x->kernel ? kernel_frames(x, xs, kern) : 0, n, evals = 0;
	size_t nn = x->native ? native_frames(x, xs, smp, nat, is_eval) : 0;

	for (size_t i = 0; i < nn; i++)
		evals += is_eval[i];
	if (x->native && nn && smp->nr_frames && !evals)
		x->st.nr_no_eval += agg_samples_of(smp);
	for (uint32_t i = 0; i < smp->nr_frames; i++)
		py[i] = agg_frame_python(&smp->frames[i]);
	memcpy(x->hdr, smp, PS_SAMPLE_HDR_SIZE);
	n = xstack_merge(py, smp->nr_frames, nat, is_eval, nn, kern, nk, x->out, PS_MAX_FRAMES);
	if (n == PS_MAX_FRAMES)
		x->hdr->flags |= PS_SAMPLE_TRUNCATED;
	x->st.nr_joined += agg_samples_of(smp);
	return agg_add_frames(a, x->hdr, x->out, (uint32_t)n);
}

int xstack_add(struct xstack *x, struct agg *a, const struct ps_sample *smp, size_t size)
{
	const struct ps_xstack *xs = events_sample_trailer(smp, size, PS_SAMPLE_HAS_XSTACK);

	if (!xs || smp->nr_frames > PS_MAX_FRAMES ||
	    size < PS_SAMPLE_HDR_SIZE + (size_t)smp->nr_frames * sizeof(struct ps_frame)) {
		x->st.nr_unmatched += agg_samples_of(smp);
		return agg_add(a, smp, size);
	}
	return add_with(x, a, smp, xs);
}

void xstack_forget(struct xstack *x, uint32_t pid)
{
	struct uproc *u = hashmap_find(&x->procs, hash_u64(pid), &pid, uproc_eq);

	if (!u)
		return;
	/* the entry stays (a late sample finds the process gone); its resources go */
	if (u->dwfl)
		dwfl_end(u->dwfl);
	u->dwfl = NULL;
	if (u->memfd >= 0)
		close(u->memfd);
	u->memfd = -1;
	names_clear(u);
	cfiwalk_proc_free(&u->cw);
	u->built_ns = mono_ns();
	u->cw.read_ns = u->built_ns;
}

struct xstack *xstack_new(bool kernel, bool native, struct strpool *pool)
{
	struct xstack *x = calloc(1, sizeof(*x));
	int err;

	if (!x || !(x->out = calloc(PS_MAX_FRAMES, sizeof(*x->out))) ||
	    !(x->hdr = malloc(PS_SAMPLE_HDR_SIZE))) {
		if (x)
			free(x->out);
		free(x);
		errno = ENOMEM;
		return NULL;
	}
	x->kernel = kernel;
	x->native = native;
	x->pool = pool;
	x->files.pool = pool;
	xstack_set_budget(x, XSTACK_BUDGET_PCT_DEFAULT);
	if (kernel) {
		err = kallsyms_load(&x->ks, "/proc/kallsyms");
		x->ks_ok = err == 0;
		if (err)
			ps_warn("/proc/kallsyms: cannot read the kernel symbols: %s (kernel frames "
				"shown as addresses; check kernel.kptr_restrict)",
				strerror(-err));
	}
	return x;
}

void xstack_free(struct xstack *x)
{
	void *it;

	if (!x)
		return;
	hashmap_for_each(&x->procs, it) uproc_free(it);
	hashmap_free(&x->procs);
	modfiles_free(&x->files);
	kallsyms_free(&x->ks);
	free(x->hdr);
	free(x->out);
	free(x);
}

void xstack_set_budget(struct xstack *x, double pct)
{
	x->budget_pct = pct;
	x->budget_ns = (uint64_t)(pct / 100 * XS_WINDOW_NS);
	if (pct > 0 && !x->budget_ns) /* the smallest budget, not none */
		x->budget_ns = 1;
}

const struct xstack_stats *xstack_stats(const struct xstack *x)
{
	return &x->st;
}

void xstack_note_losses(const struct xstack *x, struct run_stats *rs)
{
	const struct xstack_stats *st = &x->st;

	if (st->nr_unmatched)
		run_stats_note(rs, "%llu samples without their kernel / native stack (Python only)",
			       (unsigned long long)st->nr_unmatched);
	if (st->nr_unwind_failed)
		run_stats_note(rs, "%llu native stacks that did not unwind past the first frame",
			       (unsigned long long)st->nr_unwind_failed);
	if (st->nr_over_budget)
		run_stats_note(
			rs,
			"%llu samples kept Python-only: native unwinding was over its budget "
			"of %g%% of a core (--native-budget)",
			(unsigned long long)st->nr_over_budget, x->budget_pct);
	if (st->nr_no_eval)
		run_stats_note(
			rs,
			"%llu native stacks without an eval-loop frame (Python frames at the "
			"root end)",
			(unsigned long long)st->nr_no_eval);
}

/* Listener: a sample gets its kernel / native frames. */
static int on_sample(void *ctx, struct agg *a, const struct ps_sample *smp, size_t size)
{
	int err = xstack_add(ctx, a, smp, size);

	return err == -ENOMEM ? err : 1;
}

/* Listener: a process is gone. */
static void on_exit_pid(void *ctx, uint32_t pid)
{
	xstack_forget(ctx, pid);
}

/* Listener: the run is over, its losses go to the summary. */
static void on_finish(void *ctx)
{
	struct xstack *x = ctx;

	xstack_note_losses(x, x->rs);
}

int xstack_listen(struct xstack *x, struct session *s)
{
	x->rs = &s->stats;
	return session_listen(s, &(struct session_listener){ .name = "native",
							     .ctx = x,
							     .on_sample = on_sample,
							     .on_exit = on_exit_pid,
							     .on_finish = on_finish });
}
