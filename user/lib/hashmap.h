/* SPDX-License-Identifier: MIT */
/* Open-addressing hash table of caller-owned items, keyed by a 64-bit hash plus an equality test. */
#ifndef PYSTROBE_HASHMAP_H
#define PYSTROBE_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hashmap_slot {
	uint64_t hash;
	void *item; /* NULL: empty */
};

struct hashmap {
	struct hashmap_slot *slots;
	size_t cap; /* power of two, or 0 */
	size_t nr;
};

/* Does item match key? */
typedef bool (*hashmap_eq_fn)(const void *item, const void *key);

/* The item with this hash for which eq(item, key) holds, or NULL. */
void *hashmap_find(const struct hashmap *m, uint64_t hash, const void *key, hashmap_eq_fn eq);
/* Add item (the caller checked it is absent). 0 or -ENOMEM. */
int hashmap_insert(struct hashmap *m, uint64_t hash, void *item);
/*
 * Keep the items for which keep(item, ctx) is true (keep disposes of the
 * others), in a table sized for them. Items removed, or -ENOMEM.
 */
int hashmap_filter(struct hashmap *m, bool (*keep)(void *item, void *ctx), void *ctx);
/* Free the table (not the items); m is empty and usable after. */
void hashmap_free(struct hashmap *m);
/* Free every item (items from malloc, owning nothing else) and the table. */
void hashmap_free_all(struct hashmap *m);

/* Call fn on every item. */
#define hashmap_for_each(m, it)                           \
	for (size_t hm_i_ = 0; hm_i_ < (m)->cap; hm_i_++) \
		if (((it) = (m)->slots[hm_i_].item) != NULL)

/* Hashes: fast, not cryptographic (keys come from our own records). */
uint64_t hash_u64(uint64_t x);
uint64_t hash_bytes(const void *data, size_t len, uint64_t seed);

#endif /* PYSTROBE_HASHMAP_H */
