// SPDX-License-Identifier: MIT
/* Loads and attaches the process-lifecycle programs (exec, exit, fork). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "lib/log.h"
#include "procs.skel.h"
#include "target/procfs.h"
#include "bpf/procs.h"
#include "ps_syscalls.h"
#include "bpf/kernel_btf.h"
#include "bpf/shared_maps.h"

struct procs_mon {
	struct procs_bpf *skel;
};

/* pid_max: the size of a pid-indexed array. */
static uint32_t pid_max(void)
{
	char buf[32];
	unsigned long v;

	if (procfs_read_path("/proc/sys/kernel/pid_max", buf, sizeof(buf)) <= 0)
		return 4194304; /* PID_MAX_LIMIT on 64-bit */
	v = strtoul(buf, NULL, 10);
	return v > 0 && v <= 4194304 ? (uint32_t)v : 4194304;
}

int procs__size_sys_targets(struct shared_maps *m)
{
	return shared_maps__set_size(m, "sys_targets", pid_max());
}

struct procs_mon *procs__open(struct shared_maps *m, bool all_execs)
{
	struct procs_mon *p = calloc(1, sizeof(*p));
	int err = -ENOMEM;

	if (!p)
		goto fail;
again:
	p->skel = procs_bpf__open_opts(&KERNEL_BTF_OPTS);
	if (!p->skel) {
		err = -errno;
		ps_err("procs: cannot open BPF object: %s", strerror(-err));
		goto fail;
	}
	p->skel->rodata->cfg_all_execs = all_execs;
	/* an LRU map is filled at creation (~1 ms for 4,096 slots): skips are for --all only */
	err = all_execs ? 0 : bpf_map__set_max_entries(p->skel->maps.exe_skip, 1);
	err = err ?: shared_maps__reuse(m, p->skel->obj);
	err = err ?: procs_bpf__load(p->skel);
	if (err && kernel_btf_retry(p->skel->obj)) {
		procs_bpf__destroy(p->skel);
		goto again;
	}
	if (err) {
		ps_err("procs: cannot load BPF programs: %s (run with -v for details)",
		       strerror(-err));
		goto fail;
	}
	err = procs_bpf__attach(p->skel);
	if (err) {
		ps_err("procs: cannot attach to sched tracepoints: %s", strerror(-err));
		goto fail;
	}
	return p;
fail:
	procs__free(p);
	errno = -err;
	return NULL;
}

void procs__free(struct procs_mon *p)
{
	if (!p)
		return;
	procs_bpf__destroy(p->skel);
	free(p);
}

int procs__track(struct procs_mon *p, uint32_t pid)
{
	__u8 one = 1;

	if (bpf_map_update_elem(bpf_map__fd(p->skel->maps.tracked), &pid, &one, BPF_ANY))
		return -errno;
	return 0;
}

int procs__set_sys_target(struct procs_mon *p, uint32_t pid, uint8_t flags)
{
	__u8 v = flags;

	if (pid >= bpf_map__max_entries(p->skel->maps.sys_targets))
		return -ERANGE;
	if (bpf_map_update_elem(bpf_map__fd(p->skel->maps.sys_targets), &pid, &v, BPF_ANY))
		return -errno;
	return 0;
}

int procs__skip_exe(struct procs_mon *p, const struct ps_exe_key *exe)
{
	__u8 one = 1;

	if (bpf_map_update_elem(bpf_map__fd(p->skel->maps.exe_skip), exe, &one, BPF_ANY))
		return -errno;
	return 0;
}

void procs__clear_skips(struct procs_mon *p)
{
	int fd = bpf_map__fd(p->skel->maps.exe_skip);
	struct ps_exe_key key, next;

	/* delete the first key until none is left: the walk needs no valid previous key */
	while (!bpf_map_get_next_key(fd, NULL, &next)) {
		key = next;
		if (bpf_map_delete_elem(fd, &key))
			break;
	}
}
