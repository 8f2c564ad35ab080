// SPDX-License-Identifier: MIT
/*
 * tfile against the files an attacker would plant: a FIFO (must not block),
 * a symlink, a " (deleted)" name, a same-named file with another inode. The
 * mapping is this test's own, so map_files and /proc/self/root are real.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "target/refusals.h"
#include "target/tfile.h"

static char dir[64];

static void make_dir(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ps-tfile-XXXXXX");
	cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	refusals_reset();
}

static void remove_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_expect_eq(system(cmd), 0);
}

TestSuite(tfile, .init = make_dir, .fini = remove_dir);

/* dir/name holding a little text; its path in buf. */
static void make_file(const char *name, char *buf, size_t len)
{
	FILE *f;

	snprintf(buf, len, "%s/%s", dir, name);
	f = fopen(buf, "w");
	cr_assert_not_null(f, "%s: %s", buf, strerror(errno));
	fputs("not an ELF\n", f);
	fclose(f);
}

/* A procmap for path as it would be printed (a range that maps nothing: no map_files). */
static struct procmap fake_map(const char *path, const struct stat *st)
{
	struct procmap m = { .start = 0x1000, .end = 0x2000 };

	if (st) {
		m.inode = st->st_ino;
		m.dev_major = major(st->st_dev);
		m.dev_minor = minor(st->st_dev);
	}
	snprintf(m.path, sizeof(m.path), "%s", path);
	return m;
}

Test(tfile, opens_a_mapped_file_through_map_files_even_unlinked)
{
	char path[128];
	struct procmap m;
	struct stat st, got;
	void *p;
	int fd;

	make_file("libpython3.11.so", path, sizeof(path));
	fd = open(path, O_RDONLY);
	cr_assert_geq(fd, 0);
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	cr_assert_neq(p, MAP_FAILED);
	fstat(fd, &st);
	close(fd);
	unlink(path);
	cr_assert_eq(mkfifo(path, 0600), 0); /* a FIFO now has the old name */
	m = fake_map(path, &st);
	m.start = (uint64_t)(uintptr_t)p;
	m.end = m.start + 4096;
	fd = tfile_open_mapped(getpid(), &m);
	cr_assert_geq(fd, 0, "want the unlinked mapped file, got %d (%s)", fd, strerror(-fd));
	fstat(fd, &got);
	cr_expect_eq(got.st_ino, st.st_ino, "inode %lu, want %lu", (unsigned long)got.st_ino,
		     (unsigned long)st.st_ino);
	close(fd);
	munmap(p, 4096);
}

Test(tfile, never_opens_a_deleted_name, .timeout = 10)
{
	char path[160];
	struct procmap m;

	snprintf(path, sizeof(path), "%s/libpython3.11.so (deleted)", dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	m = fake_map(path, NULL);
	cr_expect_eq(tfile_open_mapped(getpid(), &m), -EPERM);
	cr_expect_eq(refusals_get(REFUSED_FILE), 1);
}

Test(tfile, refuses_a_fifo_without_blocking, .timeout = 10)
{
	char path[128];
	struct procmap m;
	struct stat st;

	snprintf(path, sizeof(path), "%s/libpython3.11.so", dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	stat(path, &st);
	m = fake_map(path, &st);
	cr_expect_eq(tfile_open_mapped(getpid(), &m), -EPERM);
	cr_expect_eq(tfile_open_in_root(getpid(), path), -EPERM);
	cr_expect_eq(refusals_get(REFUSED_FILE), 2);
}

Test(tfile, refuses_a_symlink_anywhere_in_the_path)
{
	char target[128], link[128], via[160];
	struct procmap m;
	struct stat st;

	make_file("real.so", target, sizeof(target));
	stat(target, &st);
	snprintf(link, sizeof(link), "%s/libpython3.11.so", dir);
	cr_assert_eq(symlink(target, link), 0);
	m = fake_map(link, &st); /* even pointing at the very inode */
	cr_expect_eq(tfile_open_mapped(getpid(), &m), -EPERM);
	cr_expect_eq(tfile_open_in_root(getpid(), "/proc/self/exe"), -EPERM, "magic link");
	snprintf(via, sizeof(via), "%s/d", dir);
	cr_assert_eq(symlink(dir, via), 0);
	snprintf(via, sizeof(via), "%s/d/real.so", dir);
	cr_expect_eq(tfile_open_in_root(getpid(), via), -EPERM, "symlinked directory");
}

Test(tfile, refuses_a_same_named_file_with_another_inode)
{
	char path[128];
	struct procmap m;
	struct stat st;

	make_file("libpython3.11.so", path, sizeof(path));
	stat(path, &st);
	m = fake_map(path, &st);
	m.inode++;
	cr_expect_eq(tfile_open_mapped(getpid(), &m), -EPERM);
	m.inode--;
	m.dev_minor++;
	cr_expect_eq(tfile_open_mapped(getpid(), &m), -EPERM, "other device");
}

Test(tfile, opens_the_path_inside_the_target_root_when_map_files_fails)
{
	char path[128];
	struct procmap m;
	struct stat st;
	int fd;

	make_file("libpython3.11.so", path, sizeof(path));
	stat(path, &st);
	m = fake_map(path, &st);
	fd = tfile_open_mapped(getpid(), &m);
	cr_assert_geq(fd, 0, "got %d (%s)", fd, strerror(-fd));
	cr_expect_eq(fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDONLY | O_NONBLOCK);
	close(fd);
	fd = tfile_open_in_root(getpid(), path);
	cr_expect_geq(fd, 0);
	close(fd);
	cr_expect_eq(tfile_open_in_root(getpid(), "relative/path"), -EINVAL);
}

Test(tfile, formats_the_build_id_debug_path)
{
	const uint8_t id[] = { 0xab, 0x01, 0xff };
	char buf[64];

	cr_assert_eq(tfile_debug_path(id, sizeof(id), buf, sizeof(buf)), 0);
	cr_expect_str_eq(buf, "/usr/lib/debug/.build-id/ab/01ff.debug");
	cr_expect_eq(tfile_debug_path(id, 1, buf, sizeof(buf)), -ENOENT);
	cr_expect_eq(tfile_debug_path(id, sizeof(id), buf, 30), -ENAMETOOLONG);
}
