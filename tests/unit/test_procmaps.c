// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "target/procmaps.h"

static int parse(const char *line, struct procmap *m)
{
	return procmaps_parse_line(line, strlen(line), m);
}

Test(procmaps, parses_a_libpython_mapping)
{
	struct procmap m;

	cr_assert_eq(parse("7f3a1c000000-7f3a1c200000 r-xp 00001000 08:01 1234567    "
			   "/usr/lib/libpython3.11.so.1.0\n",
			   &m),
		     0);
	cr_assert_eq(m.start, 0x7f3a1c000000ULL, "start %#lx", (unsigned long)m.start);
	cr_assert_eq(m.end, 0x7f3a1c200000ULL);
	cr_assert_eq(m.offset, 0x1000);
	cr_assert_eq(m.dev_major, 8);
	cr_assert_eq(m.dev_minor, 1);
	cr_assert_eq(m.inode, 1234567);
	cr_assert_str_eq(m.perms, "r-xp");
	cr_assert_str_eq(m.path, "/usr/lib/libpython3.11.so.1.0");
}

Test(procmaps, keeps_deleted_suffix_and_spaces_in_path)
{
	struct procmap m;

	cr_assert_eq(parse("400000-401000 r--p 00000000 fe:00 42 /opt/my app/python (deleted)", &m),
		     0);
	cr_assert_str_eq(m.path, "/opt/my app/python (deleted)");
	cr_assert_eq(m.dev_major, 0xfe);
}

Test(procmaps, anonymous_mapping_has_empty_path)
{
	struct procmap m;

	cr_assert_eq(parse("7ffd1000-7ffd2000 rw-p 00000000 00:00 0", &m), 0);
	cr_assert_str_eq(m.path, "");
	cr_assert_eq(m.inode, 0);
}

Test(procmaps, rejects_garbage_and_reversed_ranges)
{
	struct procmap m;

	cr_assert_eq(parse("", &m), -EINVAL);
	cr_assert_eq(parse("zz-1 r", &m), -EINVAL);
	cr_assert_eq(parse("2000-1000 r-xp 0 00:00 0", &m), -EINVAL);
	cr_assert_eq(parse("1000-2000 r-xp", &m), -EINVAL);
	cr_assert_eq(parse("11112222333344445-2 r-xp 0 00:00 0", &m), -EINVAL, "17 hex digits");
}

Test(procmaps, cuts_overlong_paths)
{
	char line[2048];
	struct procmap m;

	snprintf(line, sizeof(line), "1000-2000 r-xp 00000000 00:01 7 /%01500d", 0);
	cr_assert_eq(parse(line, &m), 0);
	cr_assert_eq(strlen(m.path), PROCMAP_PATH_MAX - 1, "len %zu", strlen(m.path));
}

static int count_maps(const struct procmap *m, void *ctx)
{
	(void)m;
	(*(int *)ctx)++;
	return 0;
}

Test(procmaps, reads_own_maps)
{
	int n = 0;

	cr_assert_eq(procmaps_each(getpid(), count_maps, &n), 0);
	cr_assert_gt(n, 5, "own process has %d mappings", n);
}
