// SPDX-License-Identifier: MIT
/* Loads the GIL accounting programs and attaches them per process. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "gil.skel.h"
#include "bpf/gil.h"
#include "lib/log.h"
#include "bpf/kernel_btf.h"
#include "bpf/shared_maps.h"

#define GIL_ATTACH_MAX 4096 /* processes attached at once; beyond: not accounted */

/* The probes of one process. */
struct gil_attach {
	pid_t pid;
	struct bpf_link *links[2 * GIL_SITES_TAKE_MAX + 2 * GIL_SITES_DROP_MAX];
	size_t nr_links;
};

struct gil {
	struct gil_bpf *skel;
	struct bpf_link *exit_link; /* thread exits end their wall time */
	struct bpf_link *new_link; /* thread creations start it */
	struct gil_attach *att[GIL_ATTACH_MAX];
	size_t nr_att;
};

struct gil *gil__open(struct shared_maps *m, bool wait_stacks, uint32_t max_threads)
{
	struct gil *g = calloc(1, sizeof(*g));
	int err = -ENOMEM;

	if (!g)
		goto fail;
again:
	g->skel = gil_bpf__open_opts(&KERNEL_BTF_OPTS);
	if (!g->skel) {
		err = -errno;
		ps_err("gil: cannot open BPF object: %s", strerror(-err));
		goto fail;
	}
	g->skel->rodata->cfg_wait_stacks = wait_stacks;
	err = max_threads ? bpf_map__set_max_entries(g->skel->maps.gil_threads, max_threads) : 0;
	err = err ?: shared_maps__reuse(m, g->skel->obj);
	err = err ?: gil_bpf__load(g->skel);
	if (err && kernel_btf_retry(g->skel->obj)) {
		gil_bpf__destroy(g->skel);
		goto again;
	}
	if (err) {
		ps_err("gil: cannot load BPF programs: %s (run with -v for the verifier log)",
		       strerror(-err));
		goto fail;
	}
	g->exit_link = bpf_program__attach(g->skel->progs.on_thread_exit);
	g->new_link = bpf_program__attach(g->skel->progs.on_thread_new);
	if (!g->exit_link || !g->new_link) {
		err = -errno;
		ps_err("gil: cannot attach to sched_process_fork/exit: %s", strerror(-err));
		goto fail;
	}
	return g;
fail:
	gil__free(g);
	errno = -err;
	return NULL;
}

/* Attach prog at file offset off of elf_path for pid; the link is kept in a. */
static int attach_one(struct gil_attach *a, struct bpf_program *prog, bool ret,
		      const char *elf_path, uint64_t off)
{
	struct bpf_link *l;

	if (a->nr_links >= sizeof(a->links) / sizeof(a->links[0]))
		return -E2BIG;
	l = bpf_program__attach_uprobe(prog, ret, a->pid, elf_path, off);
	if (!l)
		return -errno;
	a->links[a->nr_links++] = l;
	return 0;
}

/* Attach every site; the first failure stops it. */
static int attach_sites(struct gil *g, struct gil_attach *a, const char *elf_path,
			const struct gil_sites *sites)
{
	int err = 0;

	for (size_t i = 0; !err && i < sites->nr_take; i++) {
		err = attach_one(a, g->skel->progs.on_take_gil, false, elf_path, sites->take[i]);
		err = err   ?:
			      attach_one(a, g->skel->progs.on_take_gil_ret, true, elf_path,
					 sites->take[i]);
	}
	for (size_t i = 0; !err && i < sites->nr_drop; i++) {
		err = attach_one(a, g->skel->progs.on_drop_gil, false, elf_path, sites->drop[i]);
		if (!err && !sites->drop_inlined[i])
			err = attach_one(a, g->skel->progs.on_drop_gil_ret, true, elf_path,
					 sites->drop[i]);
	}
	return err;
}

static void *destroy_link(void *link)
{
	bpf_link__destroy(link);
	return NULL;
}

/*
 * Destroy a's links and free it. Removing a uprobe waits for an RCU grace
 * period (~100 ms here): one thread per link makes the waits overlap, so a
 * process the cost guard detaches is released in one period, not five.
 */
static void release(struct gil_attach *a)
{
	pthread_t th[sizeof(a->links) / sizeof(a->links[0])];
	bool started[sizeof(a->links) / sizeof(a->links[0])];

	for (size_t i = 0; i < a->nr_links; i++)
		started[i] = pthread_create(&th[i], NULL, destroy_link, a->links[i]) == 0;
	for (size_t i = 0; i < a->nr_links; i++) {
		if (started[i])
			pthread_join(th[i], NULL);
		else
			bpf_link__destroy(a->links[i]);
	}
	free(a);
}

int gil__attach(struct gil *g, pid_t pid, const char *elf_path, const struct gil_sites *sites,
		const struct ps_gil_proc *settings)
{
	struct gil_attach *a;
	__u32 key = pid;
	int err;

	/*
	 * One set of probes per process: a process added again (its exec seen
	 * after a scan found it) would otherwise count every event twice.
	 */
	gil__detach(g, pid);
	if (g->nr_att >= GIL_ATTACH_MAX)
		return -E2BIG;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->pid = pid;
	/*
	 * The programs count pid only once it is in gil_procs: put it there when
	 * every site is attached. Counting a partial set is wrong either way: a
	 * take_gil whose uretprobe is not in yet loses the holds that follow (sid's
	 * 3.14 truth: sorter 5-7, looper 1.4 points of wall below its CPU time with
	 * that attach delayed 0.7 s), a missing drop_gil turns releases into holds.
	 * Threads that start meanwhile are counted from the attach, and said to be.
	 */
	err = attach_sites(g, a, elf_path, sites);
	if (!err &&
	    bpf_map_update_elem(bpf_map__fd(g->skel->maps.gil_procs), &key, settings, BPF_ANY))
		err = -errno;
	if (err) {
		release(a);
		return err;
	}
	g->att[g->nr_att++] = a;
	return 0;
}

void gil__detach(struct gil *g, pid_t pid)
{
	for (size_t i = 0; i < g->nr_att; i++) {
		if (g->att[i]->pid != pid)
			continue;
		release(g->att[i]);
		g->att[i] = g->att[--g->nr_att];
		return;
	}
}

void gil__free(struct gil *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nr_att; i++)
		release(g->att[i]);
	bpf_link__destroy(g->exit_link);
	bpf_link__destroy(g->new_link);
	gil_bpf__destroy(g->skel);
	free(g);
}

int gil__seed_holder(struct gil *g, pid_t pid, uint32_t tid, uint64_t attach_ns)
{
	struct ps_gil_thread *t = calloc(1, sizeof(*t));
	__u32 key = tid;
	int err = 0;

	if (!t)
		return -ENOMEM;
	t->pid = pid;
	t->state = PS_GIL_HOLDING;
	t->state_ts_ns = attach_ns;
	t->first_ts_ns = attach_ns;
	if (bpf_map_update_elem(bpf_map__fd(g->skel->maps.gil_threads), &key, t, BPF_NOEXIST))
		err = -errno;
	free(t);
	return err;
}

int gil__events(const struct gil *g, pid_t pid, uint64_t *events)
{
	struct ps_gil_proc p;
	__u32 key = pid;

	if (bpf_map_lookup_elem(bpf_map__fd(g->skel->maps.gil_procs), &key, &p))
		return -errno;
	*events = p.events;
	return 0;
}

int gil__each_thread(const struct gil *g, gil_thread_fn fn, void *ctx)
{
	int fd = bpf_map__fd(g->skel->maps.gil_threads), ret;
	struct ps_gil_thread t;
	__u32 key, next;
	void *prev = NULL;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &t))
			continue;
		ret = fn(key, &t, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

void gil__prog_stats(const struct gil *g, uint64_t *runs, uint64_t *run_ns)
{
	const struct bpf_program *progs[] = { g->skel->progs.on_take_gil,
					      g->skel->progs.on_take_gil_ret,
					      g->skel->progs.on_drop_gil,
					      g->skel->progs.on_drop_gil_ret };

	*runs = *run_ns = 0;
	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);

		if (bpf_obj_get_info_by_fd(bpf_program__fd(progs[i]), &info, &len))
			continue;
		*runs += info.run_cnt;
		*run_ns += info.run_time_ns;
	}
}
