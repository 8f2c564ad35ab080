// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "target/memcache.h"

/* A 16 KiB-aligned chunk of our own memory, filled with its offsets' low bytes. */
static uint8_t *aligned_chunk(void)
{
	uint8_t *m = mmap(NULL, 4 * MEMCACHE_CHUNK, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *a;

	cr_assert_neq(m, MAP_FAILED);
	a = (uint8_t *)(((uintptr_t)m + MEMCACHE_CHUNK - 1) & ~(uintptr_t)(MEMCACHE_CHUNK - 1));
	for (size_t i = 0; i < 2 * MEMCACHE_CHUNK; i++)
		a[i] = (uint8_t)(i * 7);
	return a;
}

Test(memcache, a_pass_reads_each_chunk_once)
{
	uint8_t *a = aligned_chunk(), got[32];
	struct memcache mc;

	memcache_begin(&mc, getpid());
	for (size_t off = 0; off + 32 <= MEMCACHE_CHUNK; off += 512) {
		cr_assert_eq(memcache_read(&mc, getpid(), (uintptr_t)a + off, got, 32), 0);
		cr_assert_eq(memcmp(got, a + off, 32), 0, "at %zu", off);
	}
	cr_assert_eq(mc.nr_misses, 1);
	cr_assert_eq(mc.nr_hits, MEMCACHE_CHUNK / 512 - 1);
	/* across the chunk's end: read directly, still right */
	cr_assert_eq(memcache_read(&mc, getpid(), (uintptr_t)a + MEMCACHE_CHUNK - 8, got, 16), 0);
	cr_assert_eq(memcmp(got, a + MEMCACHE_CHUNK - 8, 16), 0);
	memcache_end(&mc);
}

Test(memcache, outside_a_pass_every_read_sees_the_memory_now)
{
	uint8_t *a = aligned_chunk(), got;
	struct memcache mc;

	memcache_begin(&mc, getpid());
	cr_assert_eq(memcache_read(&mc, getpid(), (uintptr_t)a + 1, &got, 1), 0);
	memcache_end(&mc);
	a[1] = 0xab;
	cr_assert_eq(memcache_read(&mc, getpid(), (uintptr_t)a + 1, &got, 1), 0);
	cr_assert_eq(got, 0xab);
}

Test(memcache, a_chunk_that_starts_in_a_hole_is_read_by_its_page)
{
	uint8_t *a = aligned_chunk(), got[16];
	struct memcache mc;

	cr_assert_eq(munmap(a, 4096), 0); /* the chunk's first page is a hole */
	memcache_begin(&mc, getpid());
	cr_assert_eq(memcache_read(&mc, getpid(), (uintptr_t)a + 8192 + 40, got, 16), 0);
	cr_assert_eq(memcmp(got, a + 8192 + 40, 16), 0);
	cr_assert_eq(memcache_read(&mc, getpid(), (uintptr_t)a + 8192 + 80, got, 16), 0);
	cr_assert_eq(memcmp(got, a + 8192 + 80, 16), 0);
	cr_assert_eq(mc.nr_hits, 1, "the page was kept: %lu", mc.nr_hits);
	cr_assert_eq(memcache_read(&mc, getpid(), (uintptr_t)a + 100, got, 16), -EFAULT);
	memcache_end(&mc);
}

Test(memcache, another_process_is_read_directly)
{
	uint8_t *a = aligned_chunk(), got[8];
	struct memcache mc;

	memcache_begin(&mc, getppid());
	cr_assert_eq(memcache_read(&mc, getpid(), (uintptr_t)a + 16, got, 8), 0);
	cr_assert_eq(memcmp(got, a + 16, 8), 0);
	cr_assert_eq(mc.nr_misses + mc.nr_hits, 0);
	memcache_end(&mc);
}
