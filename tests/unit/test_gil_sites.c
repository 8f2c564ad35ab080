// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <stdio.h>
#include "target/elfsym.h"
#include "python/gil_sites.h"
#include "elfsym_open.h"

/*
 * The debug file of take_gil/drop_gil is named by the ELF's build id, as a
 * path inside the target's root (tfile_open_in_root opens it there: see
 * test_tfile's opens_the_path_inside_the_target_root_when_map_files_fails).
 */
Test(gil_sites, debug_path_is_the_build_id_path_inside_the_root)
{
	struct elfsym *e = elfsym_open_path("/proc/self/exe");
	uint8_t id[64];
	char want[320], got[320];
	int n, pos;

	cr_assert_not_null(e);
	n = elfsym__build_id(e, id, sizeof(id));
	cr_assert_geq(n, 2, "the test binary has no build id");
	pos = snprintf(want, sizeof(want), "/usr/lib/debug/.build-id/%02x/", id[0]);
	for (int i = 1; i < n; i++)
		pos += snprintf(want + pos, sizeof(want) - pos, "%02x", id[i]);
	snprintf(want + pos, sizeof(want) - pos, ".debug");
	cr_assert_eq(gil_sites_debug_path(e, got, sizeof(got)), 0);
	cr_expect_str_eq(got, want);
	elfsym__free(e);
}
