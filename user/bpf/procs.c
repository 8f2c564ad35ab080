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
	p->skel = procs_bpf__open();
	if (!p->skel) {
		err = -errno;
		ps_err("procs: cannot open BPF object: %s", strerror(-err));
		goto fail;
	}
	p->skel->rodata->cfg_all_execs = all_execs;
	err = shared_maps__reuse(m, p->skel->obj);
	err = err ?: procs_bpf__load(p->skel);
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
