// SPDX-License-Identifier: MIT
/* Loads the syscall counters and reads them back. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "lib/log.h"
#include "bpf/kernel_btf.h"
#include "bpf/shared_maps.h"
#include "bpf/tp_btf.h"
#include "syscalls.skel.h"
#include "bpf/syscalls.h"
#include "kernel/syscalls_class.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD 0x80 /* O_EXCL: a pidfd for one thread (Linux 6.9+) */
#endif

struct syscalls {
	struct syscalls_bpf *skel;
	bool latency;
};

/* The per-number tables of include/ps_syscalls.h, from kernel/syscalls_class.c. */
static void fill_tables(struct syscalls_bpf *skel)
{
	for (unsigned nr = 0; nr < PS_SYS_NR_MAX; nr++) {
		const struct syscalls_class *c = syscalls_class_of(nr);

		skel->rodata->cfg_io_slot[nr] = c->io_slot;
		skel->rodata->cfg_size_arg[nr] = c->size_arg;
		skel->rodata->cfg_iov_arg[nr] = c->iov_arg;
		skel->rodata->cfg_fd_arg[nr] = c->fd_arg;
		skel->rodata->cfg_path_arg[nr] = c->path_arg;
		skel->rodata->cfg_poll_arg[nr] = c->poll_arg;
	}
}

struct syscalls *syscalls__open(struct shared_maps *maps, bool latency, bool paths)
{
	struct syscalls *m = calloc(1, sizeof(*m));
	int err = -ENOMEM;

	if (!m)
		goto fail;
	m->latency = latency;
	err = tp_btf_register();
	if (err)
		goto fail;
again:
	m->skel = syscalls_bpf__open_opts(&KERNEL_BTF_OPTS);
	if (!m->skel) {
		err = -errno;
		ps_err("syscalls: cannot open BPF object: %s", strerror(-err));
		goto fail;
	}
	fill_tables(m->skel);
	m->skel->rodata->cfg_latency = latency;
	bpf_program__set_autoload(m->skel->progs.on_sys_exit, latency);
	m->skel->rodata->cfg_paths = paths;
	err = paths ? 0 : bpf_map__set_max_entries(m->skel->maps.sys_paths, 1);
	err = err ?: shared_maps__reuse(maps, m->skel->obj);
	err = err ?: syscalls_bpf__load(m->skel);
	if (err && kernel_btf_retry(m->skel->obj)) {
		syscalls_bpf__destroy(m->skel);
		goto again;
	}
	err = err ?: syscalls_bpf__attach(m->skel);
	if (err) {
		ps_err("syscalls: cannot load or attach the sys_enter/exit programs: %s "
		       "(run with -v for details)",
		       strerror(-err));
		goto fail;
	}
	return m;
fail:
	syscalls__free(m);
	errno = -err;
	return NULL;
}

void syscalls__free(struct syscalls *m)
{
	if (!m)
		return;
	syscalls_bpf__destroy(m->skel);
	free(m);
}

int syscalls__set_sample_every(struct syscalls *m, pid_t pid, uint32_t every)
{
	struct ps_sys_proc v = { .sample_every = every };
	__u32 key = pid;

	if (bpf_map_update_elem(bpf_map__fd(m->skel->maps.sys_procs), &key, &v, BPF_ANY))
		return -errno;
	return 0;
}

/* Look thread tid up in a task-storage map through a pidfd. */
static int lookup_live(int map_fd, pid_t tid, void *value)
{
	int pidfd = syscall(SYS_pidfd_open, tid, PIDFD_THREAD), err = 0;

	if (pidfd < 0)
		return -errno;
	if (bpf_map_lookup_elem(map_fd, &pidfd, value))
		err = -errno;
	close(pidfd);
	return err;
}

int syscalls__thread(const struct syscalls *m, pid_t tid, struct ps_sys_task *t)
{
	return lookup_live(bpf_map__fd(m->skel->maps.sys_task), tid, t);
}

int syscalls__done(const struct syscalls *m, uint32_t tid, struct ps_sys_task *t)
{
	__u32 key = tid;

	if (bpf_map_lookup_elem(bpf_map__fd(m->skel->maps.sys_done), &key, t))
		return -errno;
	return 0;
}

int syscalls__each_done(const struct syscalls *m, syscalls_done_fn fn, void *ctx)
{
	int fd = bpf_map__fd(m->skel->maps.sys_done), ret = 0;
	struct ps_sys_task *t = calloc(1, sizeof(*t));
	__u32 key, next;
	void *prev = NULL;

	if (!t)
		return -ENOMEM;
	while (!ret && bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, t) == 0)
			ret = fn(key, t, ctx);
	}
	free(t);
	return ret;
}

int syscalls__each_path(const struct syscalls *m, syscalls_path_fn fn, void *ctx, bool *full)
{
	int fd = bpf_map__fd(m->skel->maps.sys_paths), ret = 0;
	struct ps_sys_path_key key, next;
	struct ps_sys_path_val v;
	void *prev = NULL;
	size_t nr = 0;

	while (!ret && bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		nr++;
		if (fn && bpf_map_lookup_elem(fd, &key, &v) == 0)
			ret = fn(&key, &v, ctx);
	}
	/* an LRU map evicts a little before it holds max_entries */
	*full = nr >= PS_SYS_PATHS_MAX * 15 / 16;
	return ret;
}

/*
 * Delete every key of a hash map. Each key's successor is found before the
 * key is deleted (a deleted key would restart the walk from the first bucket):
 * one walk of the buckets, where taking the first key each time walked them
 * once per key (an agent's period end, ~7 ms for a few hundred paths).
 */
static void clear_map(int fd, void *key, void *next, size_t key_size)
{
	bool more = bpf_map_get_next_key(fd, NULL, key) == 0;

	while (more) {
		more = bpf_map_get_next_key(fd, key, next) == 0;
		bpf_map_delete_elem(fd, key); /* ENOENT: evicted or deleted meanwhile */
		memcpy(key, next, key_size);
	}
}

void syscalls__clear_paths(struct syscalls *m)
{
	struct ps_sys_path_key key, next;

	clear_map(bpf_map__fd(m->skel->maps.sys_paths), &key, &next, sizeof(key));
}

void syscalls__forget(struct syscalls *m, pid_t pid)
{
	__u32 key = pid;

	bpf_map_delete_elem(bpf_map__fd(m->skel->maps.sys_procs), &key); /* ENOENT: never set */
}

void syscalls__clear_done(struct syscalls *m)
{
	__u32 key, next;

	clear_map(bpf_map__fd(m->skel->maps.sys_done), &key, &next, sizeof(key));
}

void syscalls__prog_stats(const struct syscalls *m, uint64_t *runs, uint64_t *run_ns)
{
	const struct bpf_program *progs[] = { m->skel->progs.on_sys_enter,
					      m->skel->progs.on_sys_exit };

	*runs = *run_ns = 0;
	for (size_t i = 0; i < 2; i++) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);

		if (bpf_program__fd(progs[i]) < 0 ||
		    bpf_obj_get_info_by_fd(bpf_program__fd(progs[i]), &info, &len))
			continue;
		*runs += info.run_cnt;
		*run_ns += info.run_time_ns;
	}
}
