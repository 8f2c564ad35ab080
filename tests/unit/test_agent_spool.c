// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "agent/agent_spool.h"

/* A fresh temporary directory. */
static void tmpdir(char *buf, size_t len)
{
	snprintf(buf, len, "/tmp/ps-spool-XXXXXX");
	cr_assert_not_null(mkdtemp(buf));
}

/* Pop the oldest and check it is body want with header hdr. */
static void expect_oldest(struct agent_spool *sp, const char *hdr, const char *want)
{
	char *h = NULL, *b = NULL;
	size_t n = 0;

	cr_assert_eq(agent_spool_read_oldest(sp, 1, &h, &b, &n), 0);
	cr_assert_str_eq(h, hdr, "header: expected %s, got %s", hdr, h);
	cr_assert_eq(n, strlen(want));
	cr_assert(!memcmp(b, want, n), "body: expected %s, got %.*s", want, (int)n, b);
	free(h);
	free(b);
	agent_spool_pop(sp);
}

Test(agent_spool, returns_entries_in_order_across_a_reopen)
{
	struct agent_spool sp;
	char dir[64], hdr[16], body[16];

	tmpdir(dir, sizeof(dir));
	cr_assert_eq(agent_spool_open(&sp, dir, ".push", 1 << 20), 0);
	for (int i = 0; i < 12; i++) {
		snprintf(hdr, sizeof(hdr), "q=%d", i);
		snprintf(body, sizeof(body), "body%d", i);
		cr_assert_eq(agent_spool_put(&sp, "p", hdr, body, strlen(body)), 0);
	}
	expect_oldest(&sp, "q=0", "body0");
	agent_spool_close(&sp);
	/* a restart takes over the files in order; numbering continues */
	cr_assert_eq(agent_spool_open(&sp, dir, ".push", 1 << 20), 0);
	cr_assert_eq(sp.nr, 11, "entries after reopen: expected 11, got %zu", sp.nr);
	cr_assert_eq(agent_spool_put(&sp, "p", "q=12", "body12", 6), 0);
	for (int i = 1; i <= 12; i++) {
		snprintf(hdr, sizeof(hdr), "q=%d", i);
		snprintf(body, sizeof(body), "body%d", i);
		expect_oldest(&sp, hdr, body);
	}
	cr_assert_null(agent_spool_oldest(&sp));
	cr_assert_eq(sp.bytes, 0);
	agent_spool_close(&sp);
	rmdir(dir);
}

Test(agent_spool, cap_drops_oldest_and_counts)
{
	struct agent_spool sp;
	char dir[64], body[100];

	tmpdir(dir, sizeof(dir));
	memset(body, 'x', sizeof(body));
	/* each entry: 4-byte header "q=N" + '\n' + 100 = 104 bytes; cap 350 holds 3 */
	cr_assert_eq(agent_spool_open(&sp, dir, ".push", 350), 0);
	for (int i = 0; i < 5; i++) {
		char hdr[8];

		snprintf(hdr, sizeof(hdr), "q=%d", i);
		cr_assert_eq(agent_spool_put(&sp, "p", hdr, body, sizeof(body)), 0);
	}
	cr_assert_eq(sp.nr, 3, "kept: expected 3, got %zu", sp.nr);
	cr_assert_eq(sp.nr_dropped, 2, "dropped: expected 2, got %llu",
		     (unsigned long long)sp.nr_dropped);
	cr_assert_eq(sp.bytes, 3 * 104, "bytes: expected 312, got %llu",
		     (unsigned long long)sp.bytes);
	char *h = NULL, *b = NULL;
	size_t n;
	cr_assert_eq(agent_spool_read_oldest(&sp, 1, &h, &b, &n), 0);
	cr_assert_str_eq(h, "q=2", "oldest kept: expected q=2, got %s", h);
	free(h);
	free(b);
	while (agent_spool_oldest(&sp))
		agent_spool_pop(&sp);
	agent_spool_close(&sp);
	rmdir(dir);
}

Test(agent_spool, ignores_foreign_and_temporary_files)
{
	struct agent_spool sp;
	char dir[64], path[128];
	FILE *f;

	tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	f = fopen(path, "w");
	fputs("x", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/.000000000007-p.push.tmp", dir);
	f = fopen(path, "w");
	fputs("x", f);
	fclose(f);
	cr_assert_eq(agent_spool_open(&sp, dir, ".push", 1 << 20), 0);
	cr_assert_eq(sp.nr, 0, "entries: expected 0, got %zu", sp.nr);
	agent_spool_close(&sp);
}

Test(agent_spool, refuses_a_directory_others_can_write)
{
	struct agent_spool sp;
	char dir[64];

	tmpdir(dir, sizeof(dir));
	chmod(dir, 0777);
	cr_assert_eq(agent_spool_open(&sp, dir, ".push", 1 << 20), -EPERM);
	cr_assert(strstr(sp.why, "not writable by group or others"), "%s", sp.why);
	chmod(dir, 0700);
	cr_assert_eq(agent_spool_open(&sp, dir, ".push", 1 << 20), 0);
	agent_spool_close(&sp);
	rmdir(dir);
}

Test(agent_spool, skips_links_and_fifos_and_never_reads_them)
{
	struct agent_spool sp;
	char dir[64], path[256], *h = NULL, *b = NULL;
	size_t n;

	tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/000000000001-1.push", dir);
	cr_assert_eq(symlink("/etc/hostname", path), 0);
	snprintf(path, sizeof(path), "%s/000000000002-1.push", dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	cr_assert_eq(agent_spool_open(&sp, dir, ".push", 1 << 20), 0);
	cr_assert_eq(sp.nr, 0, "entries: expected 0, got %zu", sp.nr);
	cr_assert_eq(sp.nr_skipped, 2);
	/* a link swapped in after the scan is refused at read time */
	cr_assert_eq(agent_spool_put(&sp, "p", "q=1", "body", 4), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, agent_spool_oldest(&sp)->name);
	unlink(path);
	cr_assert_eq(symlink("/etc/hostname", path), 0);
	cr_assert_eq(agent_spool_read_oldest(&sp, 1, &h, &b, &n), -EPERM);
	cr_assert_eq(sp.nr_skipped, 3);
	agent_spool_pop(&sp);
	cr_assert_eq(access(path, F_OK), -1, "the link is removed, not followed");
	agent_spool_close(&sp);
	snprintf(path, sizeof(path), "%s/000000000002-1.push", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/000000000001-1.push", dir);
	unlink(path);
	rmdir(dir);
}

Test(agent_spool, refuses_a_link_someone_else_made)
{
	struct agent_spool sp;
	char dir[64], link[96];

	tmpdir(dir, sizeof(dir));
	snprintf(link, sizeof(link), "%s-link", dir);
	cr_assert_eq(symlink(dir, link), 0);
	cr_assert_eq(agent_spool_open(&sp, link, ".push", 1 << 20), 0, "root's own link is fine");
	agent_spool_close(&sp);
	cr_assert_eq(lchown(link, 65534, (gid_t)-1), 0);
	cr_assert_eq(agent_spool_open(&sp, link, ".push", 1 << 20), -EPERM);
	cr_assert(strstr(sp.why, "symbolic link owned by uid 65534"), "%s", sp.why);
	unlink(link);
	rmdir(dir);
}

/* Put n files of body "b<i>" (tag "p"). */
static void put_many(struct agent_spool *sp, int n)
{
	char body[16];

	for (int i = 0; i < n; i++) {
		snprintf(body, sizeof(body), "b%06d", i);
		cr_assert_eq(agent_spool_put(sp, "p", NULL, body, strlen(body)), 0);
	}
}

/* Pop every file, checking they come oldest first: from body b<first> on, n of them. */
static void drain_in_order(struct agent_spool *sp, int first, int n)
{
	char want[16], *h, *b;
	size_t len;
	int got = 0;

	while (agent_spool_oldest(sp)) {
		cr_assert_leq(sp->cap, SPOOL_INDEX_MAX, "index: %zu entries allocated", sp->cap);
		snprintf(want, sizeof(want), "b%06d", first + got);
		cr_assert_eq(agent_spool_read_oldest(sp, 0, &h, &b, &len), 0);
		cr_assert(len == strlen(want) && !memcmp(b, want, len), "expected %s, got %.*s",
			  want, (int)len, b);
		free(b);
		agent_spool_pop(sp);
		got++;
	}
	cr_assert_eq(got, n, "files popped: expected %d, got %d", n, got);
	cr_assert_eq(sp->nr, 0);
	cr_assert_eq(sp->bytes, 0);
}

/* More files than the index holds: memory stays at SPOOL_INDEX_MAX entries, order and counts exact. */
Test(agent_spool, index_is_bounded_and_order_kept_past_it)
{
	int n = 2 * SPOOL_INDEX_MAX + 300;
	struct agent_spool sp;
	char dir[64];

	tmpdir(dir, sizeof(dir));
	cr_assert_eq(agent_spool_open(&sp, dir, ".pb.gz", 1 << 30), 0);
	put_many(&sp, n);
	cr_assert_eq(sp.nr, (size_t)n, "files: expected %d, got %zu", n, sp.nr);
	cr_assert_eq(sp.nr_q, SPOOL_INDEX_MAX, "indexed: %zu", sp.nr_q);
	cr_assert_eq(sp.cap, SPOOL_INDEX_MAX, "allocated: %zu", sp.cap);
	cr_assert_eq(sp.bytes, (uint64_t)n * 7);
	agent_spool_close(&sp);
	/* a restart counts them all and indexes the oldest */
	cr_assert_eq(agent_spool_open(&sp, dir, ".pb.gz", 1 << 30), 0);
	cr_assert_eq(sp.nr, (size_t)n, "files after reopen: expected %d, got %zu", n, sp.nr);
	cr_assert_eq(sp.bytes, (uint64_t)n * 7);
	cr_assert_eq(sp.nr_q, SPOOL_INDEX_MAX);
	drain_in_order(&sp, 0, n);
	agent_spool_close(&sp);
	rmdir(dir);
}

/* The cap keeps deleting the oldest past the index (the directory sink under churn). */
Test(agent_spool, cap_past_the_index_drops_oldest_first)
{
	int keep = SPOOL_INDEX_MAX + 500, n = 3 * SPOOL_INDEX_MAX;
	struct agent_spool sp;
	char dir[64];

	tmpdir(dir, sizeof(dir));
	cr_assert_eq(agent_spool_open(&sp, dir, ".pb.gz", (uint64_t)keep * 7), 0);
	put_many(&sp, n);
	cr_assert_eq(sp.nr, (size_t)keep, "kept: expected %d, got %zu", keep, sp.nr);
	cr_assert_eq(sp.nr_dropped, (uint64_t)(n - keep));
	cr_assert_eq(sp.bytes, (uint64_t)keep * 7);
	drain_in_order(&sp, n - keep, keep);
	agent_spool_close(&sp);
	rmdir(dir);
}

/* Files removed by hand past the index are counted out when the index reaches them. */
Test(agent_spool, files_removed_by_hand_are_counted_out)
{
	int n = SPOOL_INDEX_MAX + 10;
	struct agent_spool sp;
	char dir[64], path[256];

	tmpdir(dir, sizeof(dir));
	cr_assert_eq(agent_spool_open(&sp, dir, ".pb.gz", 1 << 30), 0);
	put_many(&sp, n);
	for (int i = SPOOL_INDEX_MAX; i < n; i += 2) { /* 5 of the 10 not indexed */
		snprintf(path, sizeof(path), "%s/%012d-p.pb.gz", dir, i + 1);
		cr_assert_eq(unlink(path), 0, "%s", path);
	}
	for (int i = 0; i < SPOOL_INDEX_MAX; i++)
		agent_spool_pop(&sp);
	cr_assert_eq(sp.nr, 5, "files left: expected 5, got %zu", sp.nr);
	cr_assert_eq(sp.nr_q, 5);
	while (agent_spool_oldest(&sp))
		agent_spool_pop(&sp);
	cr_assert_eq(sp.nr, 0);
	cr_assert_eq(sp.bytes, 0);
	agent_spool_close(&sp);
	rmdir(dir);
}
