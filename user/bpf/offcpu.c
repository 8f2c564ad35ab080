// SPDX-License-Identifier: MIT
/* Loads the off-CPU (sched_switch) program and reads its totals back. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "lib/log.h"
#include "bpf/shared_maps.h"
#include "offcpu.skel.h"
#include "bpf/offcpu.h"

struct offcpu {
	struct offcpu_bpf *skel;
};

/* Entries of the pid-indexed filter: the kernel's pid_max (4M if unreadable). */
static uint32_t pid_max(void)
{
	unsigned long v = 0;
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");

	if (f) {
		if (fscanf(f, "%lu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v > 0 && v <= (1UL << 22) ? (uint32_t)v : 1U << 22;
}

struct offcpu *offcpu__open(struct shared_maps *maps, const uint8_t sys_class[PS_OFFCPU_SYS_MAX],
			    uint64_t start_ns)
{
	struct offcpu *m = calloc(1, sizeof(*m));
	int err = -ENOMEM;

	if (!m)
		goto fail;
	m->skel = offcpu_bpf__open();
	if (!m->skel) {
		err = -errno;
		ps_err("wall: cannot open BPF object: %s", strerror(-err));
		goto fail;
	}
	memcpy((void *)m->skel->rodata->cfg_sys_class, sys_class, PS_OFFCPU_SYS_MAX);
	m->skel->rodata->cfg_start_ns = start_ns;
	bpf_map__set_max_entries(m->skel->maps.offcpu_pids, pid_max());
	err = shared_maps__reuse(maps, m->skel->obj);
	err = err ?: offcpu_bpf__load(m->skel);
	err = err ?: offcpu_bpf__attach(m->skel);
	if (err) {
		ps_err("wall: cannot load or attach the sched_switch program: %s "
		       "(run with -v for details)",
		       strerror(-err));
		goto fail;
	}
	return m;
fail:
	offcpu__free(m);
	errno = -err;
	return NULL;
}

void offcpu__free(struct offcpu *m)
{
	if (!m)
		return;
	offcpu_bpf__destroy(m->skel);
	free(m);
}

int offcpu__set_gil(struct offcpu *m, pid_t pid, uint64_t gil_addr)
{
	__u32 key = pid;
	__u64 v = gil_addr;

	if (bpf_map_update_elem(bpf_map__fd(m->skel->maps.offcpu_gil), &key, &v, BPF_ANY))
		return -errno;
	return 0;
}

int offcpu__set_target(struct offcpu *m, pid_t pid, bool on)
{
	__u32 key = pid;
	__u8 v = on;

	if (bpf_map_update_elem(bpf_map__fd(m->skel->maps.offcpu_pids), &key, &v, BPF_ANY))
		return -errno;
	return 0;
}

void offcpu__forget(struct offcpu *m, pid_t pid)
{
	__u32 key = pid;

	offcpu__set_target(m, pid, false);
	bpf_map_delete_elem(bpf_map__fd(m->skel->maps.offcpu_gil), &key); /* ENOENT: never set */
}

void offcpu__set_every(struct offcpu *m, uint32_t every)
{
	m->skel->data->offcpu_every = every ? every : 1;
}

int offcpu__each_time(const struct offcpu *m, offcpu_time_fn fn, void *ctx)
{
	int fd = bpf_map__fd(m->skel->maps.offcpu_time), ret = 0;
	struct ps_offcpu_key key, next, *prev = NULL;
	struct ps_offcpu_val v;

	while (!ret && bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &v) == 0)
			ret = fn(&key, &v, ctx);
	}
	return ret;
}

int offcpu__drop_pids(struct offcpu *m, bool (*gone)(uint32_t pid, void *ctx), void *ctx)
{
	int fd = bpf_map__fd(m->skel->maps.offcpu_time);
	struct ps_offcpu_key key, next, *prev = NULL, *drop = NULL, *p;
	size_t n = 0, cap = 0;

	/* collect first: a key deleted under get_next_key restarts the walk */
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (!gone(key.pid, ctx))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			p = realloc(drop, cap * sizeof(*drop));
			if (!p) {
				free(drop);
				return -ENOMEM;
			}
			drop = p;
		}
		drop[n++] = key;
	}
	for (size_t i = 0; i < n; i++)
		bpf_map_delete_elem(fd, &drop[i]);
	free(drop);
	return 0;
}

int offcpu__each_cpu(const struct offcpu *m, offcpu_cpu_fn fn, void *ctx)
{
	int fd = bpf_map__fd(m->skel->maps.offcpu_cpu), ret = 0;
	struct ps_offcpu_cpu c;
	__u32 key, next, *prev = NULL;

	while (!ret && bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &c) == 0)
			ret = fn(key, &c, ctx);
	}
	return ret;
}

int offcpu__each_open(const struct offcpu *m, offcpu_open_fn fn, void *ctx)
{
	int fd = bpf_map__fd(m->skel->maps.offcpu_open), ret = 0;
	struct ps_offcpu_open o;
	__u32 key, next, *prev = NULL;

	while (!ret && bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &o) == 0 && o.start_ns)
			ret = fn(&o, ctx);
	}
	return ret;
}

uint64_t offcpu__nr_switches(const struct offcpu *m)
{
	int nr_cpus = libbpf_num_possible_cpus();
	__u32 key = PS_STAT_OFFCPU_SWITCHES;
	uint64_t sum = 0;
	__u64 *v;

	if (nr_cpus <= 0 || !(v = calloc(nr_cpus, sizeof(*v))))
		return 0;
	if (bpf_map_lookup_elem(bpf_map__fd(m->skel->maps.stats), &key, v) == 0)
		for (int i = 0; i < nr_cpus; i++)
			sum += v[i];
	free(v);
	return sum;
}

uint64_t offcpu__nr_same_place(const struct offcpu *m)
{
	return m->skel->bss->offcpu_same_place;
}

void offcpu__prog_stats(const struct offcpu *m, uint64_t *runs, uint64_t *run_ns)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_program__fd(m->skel->progs.on_sched_switch);

	*runs = *run_ns = 0;
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
		return;
	*runs = info.run_cnt;
	*run_ns = info.run_time_ns;
}
