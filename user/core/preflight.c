// SPDX-License-Identifier: MIT
/*
 * Checks made before any BPF work, so that a missing capability is one clear
 * line, not a libbpf dump, and "not a Python process" costs no BPF load.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "lib/log.h"
#include "python/discover.h"
#include "core/preflight.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

/* Is capability cap in the effective set? */
static int has_cap(const struct __user_cap_data_struct data[2], int cap)
{
	return (data[cap / 32].effective >> (cap % 32)) & 1;
}

/* CAP_BPF + CAP_PERFMON (or CAP_SYS_ADMIN) to load and attach; CAP_SYS_PTRACE to read targets. */
static int check_caps(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};
	int bpf_ok, ptrace_ok;

	if (geteuid() == 0)
		return 0;
	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	bpf_ok = has_cap(data, CAP_SYS_ADMIN) ||
		 (has_cap(data, CAP_BPF) && has_cap(data, CAP_PERFMON));
	ptrace_ok = has_cap(data, CAP_SYS_PTRACE);
	if (!bpf_ok) {
		ps_err("needs root or CAP_BPF+CAP_PERFMON to load BPF programs (run with sudo)");
		return -EPERM;
	}
	if (!ptrace_ok)
		ps_warn("without CAP_SYS_PTRACE, processes of other users cannot be examined");
	return 0;
}

int preflight_check(void)
{
	int err = check_caps();

	if (err)
		return err;
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		ps_err("/sys/kernel/btf/vmlinux: kernel BTF not available: %s "
		       "(needs a kernel built with CONFIG_DEBUG_INFO_BTF=y)",
		       errno == ENOENT ? "no such file" : "not readable");
		return -ENOENT;
	}
	return 0;
}

/*
 * -p: say "no such process", "not a Python process" or why a pid cannot be
 * examined before the BPF objects are loaded (they cost most of the start-up
 * CPU). An unsupported version is left to the session: a listener may still
 * follow it (the syscall audit needs no layout).
 */
/* The discovery of the last preflight_pids, for the session (its analysis of each file is kept). */
static struct discover *kept;

int preflight_pids(const pid_t *pids, size_t nr_pids)
{
	struct discover *d = nr_pids ? discover__new() : NULL;
	struct py_target pt;
	char why[160];
	int err = 0;

	for (size_t i = 0; d && !err && i < nr_pids; i++) {
		why[0] = '\0';
		err = discover_pid(d, pids[i], &pt, why, sizeof(why));
		if (err == -ESRCH)
			ps_err("pid %d: no such process", (int)pids[i]);
		else if (err == -ENOENT)
			ps_err("pid %d: not a Python process: %s", (int)pids[i], why);
		else if (err == -ENOTSUP)
			err = 0;
		else
			ps_err("pid %d: %s", (int)pids[i], why[0] ? why : strerror(-err));
	}
	discover__free(kept);
	kept = d;
	return err;
}

struct discover *preflight_discover(void)
{
	struct discover *d = kept;

	kept = NULL;
	return d;
}
