// SPDX-License-Identifier: MIT
/* threading.Thread names given to sampled threads (see thread_names.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "core/agg.h"
#include "core/listener.h"
#include "core/targets.h"
#include "core/thread_names.h"
#include "python/pythreads.h"
#include "target/procfs.h"
#include "target/procns.h"
#include "lib/clock.h"

#define RETRY_MIN_NS (100ULL * 1000000) /* a process's registry read at most every 100 ms, */
#define RETRY_MAX_NS (5000ULL * 1000000) /* doubling up to 5 s while it names nothing new */
/* an exited process's names are kept this long (its report may still come), then dropped */
#define GONE_KEEP_NS (3000ULL * 1000000)
#define SWEEP_MS 1000 /* how often exited processes are swept out */

/* A Python name learnt for one thread id. */
struct name_entry {
	uint32_t tid; /* first: the key (get) */
	uint32_t pid;
	char name[PYTHREAD_NAME_MAX];
};

/* When a process's registry may be read again. */
struct pid_state {
	uint32_t pid; /* first: the key (get) */
	uint32_t gen; /* the generation active_addr belongs to */
	uint64_t active_addr; /* threading._active, 0: not looked up */
	uint64_t next_ns, backoff_ns;
	uint64_t gone_ns; /* when it exited, 0: alive */
	bool final_done; /* the end-of-run try was made */
	bool comms_read; /* comm and exe_comm below were read */
	char comm[PS_COMM_LEN], exe_comm[PS_COMM_LEN]; /* the main thread's, the exe's basename */
};

struct thread_names {
	struct targets *targets; /* the session's: each process's layout and generation */
	struct agg *agg; /* the session's CPU aggregate, named at the end */
	struct hashmap names; /* struct name_entry by tid */
	struct hashmap pids; /* struct pid_state by pid */
	size_t nr_gone; /* pids marked gone and not swept yet */
	uint64_t sweep_before_ns; /* sweep: processes gone before this */
	uint64_t last_sweep_ns; /* on_tick runs every loop turn: sweeps are paced */
	struct pythread buf[PYTHREADS_MAX];
};

static bool u32_eq(const void *item, const void *key)
{
	return *(const uint32_t *)item == *(const uint32_t *)key;
}

static bool tid_eq(const void *item, const void *key)
{
	return ((const struct name_entry *)item)->tid == *(const uint32_t *)key;
}

/* Find or make the item of key (a u32 first in a struct of size bytes); NULL on ENOMEM. */
static void *get(struct hashmap *m, uint32_t key, size_t size, hashmap_eq_fn eq)
{
	uint32_t *it = hashmap_find(m, hash_u64(key), &key, eq);

	if (it)
		return it;
	it = calloc(1, size);
	if (!it || hashmap_insert(m, hash_u64(key), it)) {
		free(it);
		return NULL;
	}
	*it = key;
	return it;
}

/* pymem_read_fn over process_vm_readv. */
static int read_pid(void *ctx, uint64_t addr, void *buf, size_t len)
{
	return procfs_read_mem((pid_t)(uintptr_t)ctx, addr, buf, len);
}

/*
 * Thread._native_id is the tid in the target's own pid namespace: tn->buf's
 * tids made host tids (0: not found) from each task's NSpid (a container).
 */
static void to_host_tids(struct thread_names *tn, uint32_t pid, size_t nr)
{
	pid_t ids[PROCNS_LEVELS_MAX];
	char path[64], buf[1024];
	struct dirent *d;
	ssize_t n;
	int lv;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%u/task", pid);
	dir = opendir(path);
	for (size_t i = 0; i < nr; i++) {
		tn->buf[i].ns_tid = tn->buf[i].tid;
		tn->buf[i].tid = 0;
	}
	while (dir && (d = readdir(dir))) {
		snprintf(path, sizeof(path), "task/%.20s/status", d->d_name);
		if (d->d_name[0] == '.' || (n = procfs_read(pid, path, buf, sizeof(buf))) <= 0)
			continue;
		lv = procns_parse_nspid(buf, n, ids, PROCNS_LEVELS_MAX);
		for (size_t i = 0; lv > 1 && lv <= PROCNS_LEVELS_MAX && i < nr; i++)
			if (tn->buf[i].ns_tid == (uint32_t)ids[lv - 1])
				tn->buf[i].tid = (uint32_t)ids[0];
	}
	if (dir)
		closedir(dir);
}

/* Learn the names of tn->buf[0..nr) (pid's threads) into the cache; names learnt or -ENOMEM. */
static int learn(struct thread_names *tn, uint32_t pid, size_t nr)
{
	struct name_entry *e;
	int learnt = 0;

	for (size_t i = 0; i < nr; i++) {
		if (!tn->buf[i].tid)
			continue;
		e = get(&tn->names, tn->buf[i].tid, sizeof(*e), tid_eq);
		if (!e)
			return -ENOMEM;
		learnt += e->pid != pid || strcmp(e->name, tn->buf[i].name);
		e->pid = pid;
		memcpy(e->name, tn->buf[i].name, sizeof(e->name));
	}
	return learnt;
}

/*
 * Read p's registry (its newest generation) into the name cache; names
 * learnt or -errno. threading._active's address is kept: it is looked up
 * through sys.modules (hundreds of keys) only once per process image.
 */
static int refresh(struct thread_names *tn, struct pid_state *p)
{
	struct target *t = targets_last(tn->targets, p->pid);
	struct pymem m = { .read = read_pid,
			   .ctx = (void *)(uintptr_t)p->pid,
			   .budget_bytes = PYTHREADS_BUDGET_BYTES };
	uint64_t interp;
	size_t nr = 0;
	int err;

	if (!t)
		return -ESRCH;
	m.l = &t->t.layout;
	if (p->gen != t->gen || !p->active_addr) {
		p->gen = t->gen;
		if ((err = pythreads_interp(&m, t->t.runtime_addr, &interp)) ||
		    (err = pythreads_active(&m, interp, &p->active_addr)))
			return err;
	}
	err = pythreads_read(&m, p->active_addr, tn->buf, PYTHREADS_MAX, &nr);
	if (err) {
		p->active_addr = 0; /* looked up again next time */
		return err;
	}
	if (t->t.ns.other_ns)
		to_host_tids(tn, p->pid, nr);
	return learn(tn, p->pid, nr);
}

/* Refresh pid if its time has come (always when final and not yet done at the end). */
static void maybe_refresh(struct thread_names *tn, uint32_t pid, bool final)
{
	struct pid_state *p = get(&tn->pids, pid, sizeof(*p), u32_eq);
	uint64_t now = mono_ns();
	int learnt;

	if (!p || (final ? p->final_done : now < p->next_ns))
		return;
	p->final_done |= final;
	learnt = refresh(tn, p);
	if (learnt == -ENOTSUP) { /* a version without a reader (2.7, 3.6, 3.7): OS names */
		p->next_ns = UINT64_MAX;
		return;
	}
	p->backoff_ns = learnt > 0 || !p->backoff_ns ? RETRY_MIN_NS : p->backoff_ns * 2;
	if (p->backoff_ns > RETRY_MAX_NS)
		p->backoff_ns = RETRY_MAX_NS;
	p->next_ns = now + p->backoff_ns;
}

/* The cached name of tid in pid, or NULL. */
static const char *cached(struct thread_names *tn, uint32_t pid, uint32_t tid)
{
	const struct name_entry *e = hashmap_find(&tn->names, hash_u64(tid), &tid, tid_eq);

	return e && e->pid == pid ? e->name : NULL;
}

/* Is name one threading made up: "Thread-3", "Thread-3 (run)" (3.10+ adds the target)? */
static bool made_up(const char *name)
{
	size_t digits;

	if (strncmp(name, "Thread-", 7))
		return false;
	digits = strspn(name + 7, "0123456789");
	return digits && (!name[7 + digits] || !strncmp(name + 7 + digits, " (", 2));
}

/* The process's comm and its executable's basename (what a new thread's comm starts as). */
static void read_comms(struct pid_state *p)
{
	char path[64], exe[PATH_MAX];
	const char *base;
	ssize_t n;

	p->comms_read = true;
	if (procfs_read(p->pid, "comm", p->comm, sizeof(p->comm)) > 0)
		p->comm[strcspn(p->comm, "\n")] = '\0';
	snprintf(path, sizeof(path), "/proc/%u/exe", p->pid);
	n = readlink(path, exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	base = strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;
	/* cut to TASK_COMM_LEN - 1 bytes, as the kernel cuts comm */
	memcpy(p->exe_comm, base, strnlen(base, sizeof(p->exe_comm) - 1));
}

/*
 * Does the OS name (comm) win over Python's? Only over a made-up Python name,
 * when the program named the OS thread itself (prctl, pthread_setname_np):
 * comm is then neither the process's nor the executable's (which a new
 * thread inherits), nor the start of the Python name (3.14+ copies it).
 */
static bool os_name_wins(struct thread_names *tn, uint32_t pid, const char *comm, const char *name)
{
	struct pid_state *p = hashmap_find(&tn->pids, hash_u64(pid), &pid, u32_eq);

	if (!p || !comm[0] || !made_up(name) || !strncmp(name, comm, strlen(comm)))
		return false;
	if (!p->comms_read)
		read_comms(p);
	return strcmp(comm, p->comm) && strcmp(comm, p->exe_comm);
}

/* Name tid (whose comm is comm) in a, reading its process's registry first when needed. */
static int name_thread(struct thread_names *tn, struct agg *a, uint32_t pid, uint32_t tid,
		       const char *comm, bool final)
{
	const struct thread_name *t = agg_thread(a, tid);
	const char *name;

	if (t && t->pid == pid && t->pyname[0])
		return 0;
	name = cached(tn, pid, tid);
	if (!name) {
		maybe_refresh(tn, pid, final);
		name = cached(tn, pid, tid);
	}
	if (!name || os_name_wins(tn, pid, comm, name))
		return 0;
	return agg_name_thread(a, pid, tid, name);
}

/* session_listener.on_sample: name the sample's thread; the sample is left to the session. */
static int on_sample(void *ctx, struct agg *a, const struct ps_sample *smp, size_t size)
{
	(void)size;
	char comm[PS_COMM_LEN];

	memcpy(comm, smp->comm, sizeof(comm));
	comm[PS_COMM_LEN - 1] = '\0';
	return name_thread(ctx, a, smp->pid, smp->tid, comm, false);
}

int thread_names__apply(struct thread_names *tn, struct agg *a)
{
	struct thread_name *t;
	int err = 0;

	hashmap_for_each(&a->threads, t)
	{
		/* a thread that set its OS name after its first sample was named by Python's
		 * made-up Thread-N: its latest comm decides now */
		if (t->pyname[0] && os_name_wins(tn, t->pid, t->comm, t->pyname))
			t->pyname[0] = '\0';
		if (!err && !t->pyname[0])
			err = name_thread(tn, a, t->pid, t->tid, t->comm, true);
	}
	return err;
}

/* session_listener.on_finish: one last try for the threads still unnamed. */
static void on_finish(void *ctx)
{
	struct thread_names *tn = ctx;

	thread_names__apply(tn, tn->agg);
}

/* session_listener.on_exit: pid's names go at a sweep GONE_KEEP_NS from now. */
static void on_proc_exit(void *ctx, uint32_t pid)
{
	struct thread_names *tn = ctx;
	struct pid_state *p = hashmap_find(&tn->pids, hash_u64(pid), &pid, u32_eq);

	if (p && !p->gone_ns) {
		p->gone_ns = mono_ns();
		tn->nr_gone++;
	}
}

/* Is p a process that exited before the sweep's limit? */
static bool swept(const struct thread_names *tn, const struct pid_state *p)
{
	return p && p->gone_ns && p->gone_ns < tn->sweep_before_ns;
}

static bool keep_name(void *item, void *ctx)
{
	struct thread_names *tn = ctx;
	struct name_entry *e = item;
	const struct pid_state *p = hashmap_find(&tn->pids, hash_u64(e->pid), &e->pid, u32_eq);

	if (!swept(tn, p))
		return true;
	free(e);
	return false;
}

static bool keep_pid(void *item, void *ctx)
{
	struct thread_names *tn = ctx;

	if (!swept(tn, item))
		return true;
	tn->nr_gone--;
	free(item);
	return false;
}

/*
 * session_listener.on_tick: drop what is known of processes gone for
 * GONE_KEEP_NS, so that an agent on a host that starts and ends Pythons
 * all day keeps a flat footprint.
 */
static void on_tick(void *ctx, uint64_t now_ns)
{
	struct thread_names *tn = ctx;

	/* each sweep rebuilds both tables: under churn the loop turns 200 times a second */
	if (!tn->nr_gone || now_ns - tn->last_sweep_ns < SWEEP_MS * 1000000ULL)
		return;
	tn->last_sweep_ns = now_ns;
	tn->sweep_before_ns = mono_ns() - GONE_KEEP_NS;
	hashmap_filter(&tn->names, keep_name, tn); /* names first: they look their pid up */
	hashmap_filter(&tn->pids, keep_pid, tn);
}

struct thread_names *thread_names__new(struct targets *targets, struct agg *agg)
{
	struct thread_names *tn = calloc(1, sizeof(*tn));

	if (!tn)
		return NULL;
	tn->targets = targets;
	tn->agg = agg;
	return tn;
}

struct session_listener thread_names__listener(struct thread_names *tn)
{
	return (struct session_listener){
		.name = "thread-names",
		.ctx = tn,
		.on_sample = on_sample,
		.on_exit = on_proc_exit,
		.on_tick = on_tick,
		.tick_ms = SWEEP_MS,
		.on_finish = on_finish,
	};
}

void thread_names__free(struct thread_names *tn)
{
	if (!tn)
		return;
	hashmap_free_all(&tn->names);
	hashmap_free_all(&tn->pids);
	free(tn);
}
