// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "report/outfile.h"

static char dir[] = "/tmp/test_outfile_XXXXXX";
static char victim[64], out[128];

/* A directory with a file standing for a root-only file an attacker points at. */
static void setup(void)
{
	FILE *f;

	strcpy(dir, "/tmp/test_outfile_XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	snprintf(out, sizeof(out), "%s/out.svg", dir);
	f = fopen(victim, "w");
	fputs("precious", f);
	fclose(f);
	umask(022);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

/* The whole content of path, or "" (caller frees). */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 4096);

	if (f) {
		fread(buf, 1, 4095, f);
		fclose(f);
	}
	return buf;
}

/* Entries of dir besides . and .. */
static int nr_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

/* Open, write text, close with ok. The close's result. */
static int write_file(const char *path, const char *text, bool ok)
{
	struct outfile o;
	int err = outfile_open(&o, path);

	if (err)
		return err;
	fputs(text, o.f);
	return outfile_close(&o, ok);
}

TestSuite(outfile, .init = setup, .fini = teardown);

Test(outfile, symlink_at_the_destination_is_replaced_not_followed)
{
	struct stat st;
	char *got;

	cr_assert_eq(symlink(victim, out), 0);
	cr_assert_eq(write_file(out, "profile", true), 0);
	got = slurp(victim);
	cr_assert_str_eq(got, "precious", "victim overwritten: \"%s\"", got);
	free(got);
	cr_assert_eq(lstat(out, &st), 0);
	cr_assert(S_ISREG(st.st_mode), "expected a regular file at %s", out);
	got = slurp(out);
	cr_assert_str_eq(got, "profile", "got \"%s\"", got);
	free(got);
}

Test(outfile, symlinks_at_the_old_tmp_name_are_not_touched)
{
	char tmp[160], *got;

	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	cr_assert_eq(symlink(victim, tmp), 0);
	cr_assert_eq(write_file(out, "profile", true), 0);
	got = slurp(victim);
	cr_assert_str_eq(got, "precious", "victim overwritten: \"%s\"", got);
	free(got);
	cr_assert_eq(nr_entries(), 3, "expected victim, out.svg.tmp and out.svg, got %d",
		     nr_entries());
}

Test(outfile, new_file_is_0644_and_nothing_else_is_left)
{
	struct stat st;

	cr_assert_eq(write_file(out, "x", true), 0);
	cr_assert_eq(stat(out, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0644, "mode %o", st.st_mode & 07777);
	cr_assert_eq(nr_entries(), 2, "expected victim and out.svg, got %d", nr_entries());
}

Test(outfile, nothing_appears_before_close)
{
	struct outfile o;

	cr_assert_eq(outfile_open(&o, out), 0);
	fputs("half", o.f);
	fflush(o.f);
	cr_assert_neq(access(out, F_OK), 0, "expected no %s before close", out);
	cr_assert_eq(nr_entries(), 1, "expected only the victim, got %d", nr_entries());
	cr_assert_eq(outfile_close(&o, true), 0);
	cr_assert_eq(access(out, F_OK), 0, "expected %s after close", out);
}

Test(outfile, failed_close_keeps_the_previous_file)
{
	char *got;

	cr_assert_eq(write_file(out, "previous", true), 0);
	cr_assert_eq(write_file(out, "half", false), 0);
	got = slurp(out);
	cr_assert_str_eq(got, "previous", "got \"%s\"", got);
	free(got);
	cr_assert_eq(nr_entries(), 2, "expected victim and out.svg, got %d", nr_entries());
}

Test(outfile, directory_destination_is_refused_at_open)
{
	struct outfile o;

	cr_assert_eq(outfile_open(&o, dir), -EISDIR, "a directory: expected -EISDIR");
	cr_assert_null(o.f);
	snprintf(out, sizeof(out), "%s/", dir);
	cr_assert_eq(outfile_open(&o, out), -EISDIR, "a trailing slash: expected -EISDIR");
	cr_assert_eq(nr_entries(), 1, "expected nothing created, got %d", nr_entries());
}

Test(outfile, missing_directory_is_refused_at_open)
{
	struct outfile o;

	snprintf(out, sizeof(out), "%s/no/such/out.svg", dir);
	cr_assert_eq(outfile_open(&o, out), -ENOENT);
	cr_assert_str_eq(outfile_strerror(-ENOENT), "its directory does not exist");
}

Test(outfile, a_file_as_directory_is_refused_at_open)
{
	struct outfile o;

	snprintf(out, sizeof(out), "%s/out.svg", victim);
	cr_assert_eq(outfile_open(&o, out), -ENOTDIR);
}

Test(outfile, relative_name_goes_to_the_working_directory)
{
	char cwd[4096], *got;

	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	cr_assert_eq(chdir(dir), 0);
	cr_assert_eq(write_file("rel.folded", "r", true), 0);
	cr_assert_eq(chdir(cwd), 0);
	snprintf(out, sizeof(out), "%s/rel.folded", dir);
	got = slurp(out);
	cr_assert_str_eq(got, "r", "got \"%s\"", got);
	free(got);
}

Test(outfile, fifo_or_device_destination_is_refused_at_open)
{
	struct outfile o;

	cr_assert_eq(mkfifo(out, 0644), 0);
	cr_assert_eq(outfile_open(&o, out), -EEXIST, "a FIFO: expected -EEXIST");
	cr_assert_eq(outfile_open(&o, "/dev/null"), -EEXIST, "/dev/null: expected -EEXIST");
	cr_assert_eq(nr_entries(), 2, "expected victim and the FIFO, got %d", nr_entries());
}
