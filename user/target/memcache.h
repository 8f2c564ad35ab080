/* SPDX-License-Identifier: MIT */
/*
 * A read-through cache of one process's memory for the length of one pass
 * over many small objects (an asyncio look reads every GC object: 17,000
 * pointer-chasing reads of 32 bytes, one process_vm_readv each, 38 ms; most
 * neighbours on a GC list sit in the same allocator pool). Off between
 * passes: a read outside a pass always sees the target as it is now.
 */
#ifndef PYSTROBE_MEMCACHE_H
#define PYSTROBE_MEMCACHE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MEMCACHE_CHUNK 16384 /* bytes read at once, aligned */
#define MEMCACHE_SLOTS 64 /* chunks kept during a pass: 1 MiB */
#define MEMCACHE_PAGE 4096 /* what is read when a chunk starts in a hole */

struct memcache_slot {
	uint64_t base; /* aligned address of the chunk */
	size_t valid; /* bytes read from base (a partly mapped chunk: fewer) */
};

struct memcache {
	pid_t pid;
	uint8_t *buf; /* MEMCACHE_SLOTS chunks during a pass, NULL between */
	struct memcache_slot slot[MEMCACHE_SLOTS];
	unsigned next; /* the slot the next miss replaces (round robin) */
	uint64_t nr_hits, nr_misses; /* reads served from a chunk, chunks read */
};

/* Start a pass over pid's memory (a pass without memory reads directly). */
void memcache_begin(struct memcache *mc, pid_t pid);
/* End the pass: the chunks are freed. */
void memcache_end(struct memcache *mc);
/* len bytes at addr of pid, through the chunks during a pass. 0 or -errno (-EFAULT). */
int memcache_read(struct memcache *mc, pid_t pid, uint64_t addr, void *buf, size_t len);

#endif /* PYSTROBE_MEMCACHE_H */
