// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "target/elfsym.h"
#include "python/gil_sites.h"

/* "xx/yyyy" of this test binary's build id into buf; false without one. */
static bool own_build_id(char *buf, size_t len)
{
	struct elfsym *e = elfsym__open("/proc/self/exe");
	uint8_t id[64];
	int n = e ? elfsym__build_id(e, id, sizeof(id)) : -1;
	int pos;

	elfsym__free(e);
	if (n < 2)
		return false;
	pos = snprintf(buf, len, "%02x/", id[0]);
	for (int i = 1; i < n; i++)
		pos += snprintf(buf + pos, len - pos, "%02x", id[i]);
	return true;
}

/* A fresh directory: a target's root. */
static void make_root(char *dir)
{
	strcpy(dir, "/tmp/ps_gil_sites_XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

Test(gil_sites, debug_file_is_looked_up_in_the_targets_root_only)
{
	char id[160], with[64], without[64], dbg[320], cmd[1200], got[512], self[256] = "";

	cr_assert(own_build_id(id, sizeof(id)), "the test binary has no build id");
	cr_assert_gt(readlink("/proc/self/exe", self, sizeof(self) - 1), 0);
	make_root(with);
	make_root(without);
	snprintf(dbg, sizeof(dbg), "%s/usr/lib/debug/.build-id/%s.debug", with, id);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname %s)\" && cp %s %s", dbg, self, dbg);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(gil_sites_debug_path("/proc/self/exe", with, got, sizeof(got)), 0);
	cr_expect_str_eq(got, dbg);
	/* the other root has none: the same path elsewhere is never taken */
	cr_expect_eq(gil_sites_debug_path("/proc/self/exe", without, got, sizeof(got)), -ENOENT);
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", with, without);
	cr_assert_eq(system(cmd), 0);
}
