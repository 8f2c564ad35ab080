// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "target/procns.h"

static int nspid(const char *s, pid_t *pids, size_t max)
{
	return procns_parse_nspid(s, strlen(s), pids, max);
}

static int cgroup(const char *s, char *out, size_t cap)
{
	return procns_parse_cgroup(s, strlen(s), out, cap);
}

Test(procns, nspid_host_process_has_one_level)
{
	pid_t p[4] = { 0 };
	int n = nspid("Name:\tpython3\nTgid:\t1234\nNSpid:\t1234\nNSpgid:\t1234\n", p, 4);

	cr_assert_eq(n, 1, "levels: expected 1, got %d", n);
	cr_assert_eq(p[0], 1234, "pid: expected 1234, got %d", (int)p[0]);
}

Test(procns, nspid_container_process_lists_host_pid_first)
{
	pid_t p[4] = { 0 };
	int n = nspid("Pid:\t5000\nNSpid:\t5000\t17\t1\nNSpgid:\t5000\n", p, 4);

	cr_assert_eq(n, 3, "levels: expected 3, got %d", n);
	cr_assert(p[0] == 5000 && p[1] == 17 && p[2] == 1, "pids: got %d %d %d", (int)p[0],
		  (int)p[1], (int)p[2]);
}

Test(procns, nspid_counts_levels_beyond_max)
{
	pid_t p[1] = { 0 };
	int n = nspid("NSpid:\t9\t8\t7", p, 1);

	cr_assert_eq(n, 3, "levels: expected 3, got %d", n);
	cr_assert_eq(p[0], 9, "first pid: expected 9, got %d", (int)p[0]);
}

Test(procns, nspid_missing_line_is_enoent)
{
	pid_t p[2];
	int n = nspid("Name:\tx\nPid:\t1\nNSpgid:\t1\n", p, 2);

	cr_assert_eq(n, -ENOENT, "expected -ENOENT, got %d", n);
}

Test(procns, nspid_rejects_garbage_and_overflow)
{
	pid_t p[2];

	cr_assert_eq(nspid("NSpid:\t12x\n", p, 2), -EINVAL, "trailing letter");
	cr_assert_eq(nspid("NSpid:\t99999999999\n", p, 2), -EINVAL, "pid > INT32_MAX");
	cr_assert_eq(nspid("NSpid:\t0\n", p, 2), -EINVAL, "pid 0");
	cr_assert_eq(nspid("NSpid:\t\n", p, 2), -EINVAL, "no pid");
}

Test(procns, nspid_key_must_start_a_line)
{
	pid_t p[2];
	int n = nspid("XNSpid:\t5\n", p, 2);

	cr_assert_eq(n, -ENOENT, "expected -ENOENT, got %d", n);
}

Test(procns, cgroup_v2_path_is_preferred)
{
	char out[64];
	int err = cgroup("12:memory:/docker/abc\n1:name=systemd:/docker/abc\n0::/system.slice/"
			 "docker-abc.scope\n",
			 out, sizeof(out));

	cr_assert_eq(err, 0);
	cr_assert_str_eq(out, "/system.slice/docker-abc.scope");
}

Test(procns, cgroup_v2_root_falls_back_to_systemd_then_any_v1)
{
	char out[64];

	cr_assert_eq(cgroup("4:memory:/m\n9:name=systemd:/s\n0::/\n", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "/s", "name=systemd: expected /s, got %s", out);
	cr_assert_eq(cgroup("9:name=systemd:/\n4:memory:/process_api/85\n0::/\n", out, sizeof(out)),
		     0);
	cr_assert_str_eq(out, "/process_api/85", "v1 memory: got %s", out);
}

Test(procns, cgroup_all_root_is_slash)
{
	char out[8];

	cr_assert_eq(cgroup("1:cpu:/\n0::/\n", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "/");
}

Test(procns, cgroup_long_path_is_cut_and_terminated)
{
	char out[8];

	cr_assert_eq(cgroup("0::/abcdefghijklmnop\n", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "/abcdef", "expected the first 7 bytes, got %s", out);
}

Test(procns, cgroup_malformed_or_empty)
{
	char out[8];

	cr_assert_eq(cgroup("garbage\n", out, sizeof(out)), -EINVAL, "no colons");
	cr_assert_eq(cgroup("0::relative\n", out, sizeof(out)), -EINVAL, "path without /");
	cr_assert_eq(cgroup("", out, sizeof(out)), -ENOENT, "empty");
	cr_assert_eq(out[0], '\0', "out empty on failure, got %s", out);
}

Test(procns, reads_own_process)
{
	struct procns ns;

	procns_read(getpid(), &ns);
	cr_assert_eq(ns.other_ns, false, "own process is in its own pid namespace");
	cr_assert_eq(ns.ns_pid, getpid(), "ns pid: expected %d, got %d", (int)getpid(),
		     (int)ns.ns_pid);
	cr_assert_eq(ns.cgroup[0], '/', "cgroup: got '%s'", ns.cgroup);
}
