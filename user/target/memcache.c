// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include "target/memcache.h"
#include "target/procfs.h"

void memcache_begin(struct memcache *mc, pid_t pid)
{
	memset(mc, 0, sizeof(*mc));
	mc->pid = pid;
	mc->buf = malloc((size_t)MEMCACHE_SLOTS * MEMCACHE_CHUNK); /* NULL: direct reads */
}

void memcache_end(struct memcache *mc)
{
	free(mc->buf);
	mc->buf = NULL;
}

/* The slot holding [addr, addr + len), or -1. */
static int find(const struct memcache *mc, uint64_t addr, size_t len)
{
	for (int i = 0; i < MEMCACHE_SLOTS; i++) {
		const struct memcache_slot *s = &mc->slot[i];

		if (s->valid && addr >= s->base && addr - s->base + len <= s->valid)
			return i;
	}
	return -1;
}

/* Read size bytes at base into the next slot; its index, or -1 (nothing readable at base). */
static int load(struct memcache *mc, uint64_t base, size_t size)
{
	int i = (int)(mc->next++ % MEMCACHE_SLOTS);
	uint8_t *dst = mc->buf + (size_t)i * MEMCACHE_CHUNK;
	struct iovec local = { .iov_base = dst, .iov_len = size };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)base, .iov_len = size };
	ssize_t n = process_vm_readv(mc->pid, &local, 1, &remote, 1, 0);

	mc->slot[i] = (struct memcache_slot){ .base = base, .valid = n > 0 ? (size_t)n : 0 };
	mc->nr_misses++;
	return n > 0 ? i : -1;
}

/* Does slot i hold [addr, addr + len)? */
static bool covers(const struct memcache *mc, int i, uint64_t addr, size_t len)
{
	return i >= 0 && addr - mc->slot[i].base + len <= mc->slot[i].valid;
}

int memcache_read(struct memcache *mc, pid_t pid, uint64_t addr, void *buf, size_t len)
{
	uint64_t base = addr & ~(uint64_t)(MEMCACHE_CHUNK - 1);
	uint64_t page = addr & ~(uint64_t)(MEMCACHE_PAGE - 1);
	int i;

	/* not in a pass, another process, or across a chunk's end: read it directly */
	if (!mc->buf || pid != mc->pid || !addr || len > MEMCACHE_CHUNK ||
	    addr - base + len > MEMCACHE_CHUNK)
		return procfs_read_mem(pid, addr, buf, len);
	i = find(mc, addr, len);
	if (i >= 0) {
		mc->nr_hits++;
	} else {
		i = load(mc, base, MEMCACHE_CHUNK);
		/* a chunk that starts in a hole (before a mapping) cannot be read: its page can */
		if (!covers(mc, i, addr, len) && addr - page + len <= MEMCACHE_PAGE)
			i = load(mc, page, MEMCACHE_PAGE);
	}
	if (!covers(mc, i, addr, len))
		return procfs_read_mem(pid, addr, buf, len); /* unmapped, or across pages */
	memcpy(buf, mc->buf + (size_t)i * MEMCACHE_CHUNK + (addr - mc->slot[i].base), len);
	return 0;
}
