// SPDX-License-Identifier: MIT
/* Open-addressing (linear probing) hash table; grows at 50% load. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lib/hashmap.h"

#define HASHMAP_MIN_CAP 64

uint64_t hash_u64(uint64_t x)
{
	/* splitmix64 finaliser */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

uint64_t hash_bytes(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = hash_u64(seed ^ len), w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ hash_u64(w)) * 0x9e3779b97f4a7c15ULL;
	}
	w = 0;
	memcpy(&w, p, len);
	return hash_u64(h ^ w);
}

void *hashmap_find(const struct hashmap *m, uint64_t hash, const void *key, hashmap_eq_fn eq)
{
	size_t mask = m->cap - 1, i;

	if (!m->cap)
		return NULL;
	for (i = hash & mask; m->slots[i].item; i = (i + 1) & mask)
		if (m->slots[i].hash == hash && eq(m->slots[i].item, key))
			return m->slots[i].item;
	return NULL;
}

/* Place (hash, item) in slots of capacity cap (a free slot exists). */
static void place(struct hashmap_slot *slots, size_t cap, uint64_t hash, void *item)
{
	size_t i = hash & (cap - 1);

	while (slots[i].item)
		i = (i + 1) & (cap - 1);
	slots[i].hash = hash;
	slots[i].item = item;
}

/* Double the capacity (or allocate the first table). */
static int grow(struct hashmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : HASHMAP_MIN_CAP;
	struct hashmap_slot *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].item)
			place(slots, cap, m->slots[i].hash, m->slots[i].item);
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

int hashmap_insert(struct hashmap *m, uint64_t hash, void *item)
{
	if ((m->nr + 1) * 2 > m->cap && grow(m))
		return -ENOMEM;
	place(m->slots, m->cap, hash, item);
	m->nr++;
	return 0;
}

void hashmap_free(struct hashmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->nr = 0;
}

void hashmap_free_all(struct hashmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].item);
	hashmap_free(m);
}

int hashmap_filter(struct hashmap *m, bool (*keep)(void *item, void *ctx), void *ctx)
{
	struct hashmap kept = {};
	size_t nr = 0;

	for (size_t i = 0; i < m->cap; i++) {
		void *it = m->slots[i].item;

		if (!it)
			continue;
		if (!keep(it, ctx)) {
			nr++;
			continue;
		}
		if (hashmap_insert(&kept, m->slots[i].hash, it)) {
			hashmap_free(&kept);
			return -ENOMEM; /* m unchanged except for the items keep() disposed of */
		}
	}
	hashmap_free(m);
	*m = kept;
	return (int)nr;
}
