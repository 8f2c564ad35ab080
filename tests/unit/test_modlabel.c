// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "native/modlabel.h"

/* modlabel_of on the file at path, opened with libelf. */
static void label_of(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	Elf *elf;

	cr_assert_geq(fd, 0, "expected %s to exist", path);
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	modlabel_of(elf, path, buf, size);
	elf_end(elf);
	close(fd);
}

Test(modlabel, a_library_is_named_by_its_soname_not_its_file)
{
	char buf[64];

	label_of("/usr/lib/x86_64-linux-gnu/libz.so.1.2.13", buf, sizeof(buf));
	cr_assert_str_eq(buf, "libz.so.1", "expected the soname libz.so.1, got %s", buf);
}

Test(modlabel, an_executable_is_named_by_its_file)
{
	char buf[64];

	label_of("/usr/bin/env", buf, sizeof(buf));
	cr_assert_str_eq(buf, "env", "expected env, got %s", buf);
}

Test(modlabel, a_deleted_file_loses_the_deleted_mark)
{
	char buf[64];

	modlabel_of(NULL, "/tmp/x/python3.12 (deleted)", buf, sizeof(buf));
	cr_assert_str_eq(buf, "python3.12", "expected python3.12, got %s", buf);
}

Test(modlabel, split_gives_back_what_frame_joined)
{
	char buf[64];
	const char *label = NULL;
	size_t label_len = 0, n;

	modlabel_frame(buf, sizeof(buf), "sqlite3VdbeExec", "libsqlite3.so.0");
	cr_assert_str_eq(buf, "sqlite3VdbeExec (libsqlite3.so.0)", "got %s", buf);
	n = modlabel_split(buf, &label, &label_len);
	cr_assert_eq(n, strlen("sqlite3VdbeExec"), "expected the symbol's length, got %zu", n);
	cr_assert(label_len == strlen("libsqlite3.so.0") &&
			  !strncmp(label, "libsqlite3.so.0", label_len),
		  "expected libsqlite3.so.0, got %.*s", (int)label_len, label);
}

Test(modlabel, names_without_a_module_do_not_split)
{
	const char *names[] = { "[libz.so.1]", "read", "f ()", "(x)", "a(b)" };
	const char *label;
	size_t len;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		cr_assert_eq(modlabel_split(names[i], &label, &len), 0, "expected %s not to split",
			     names[i]);
}
