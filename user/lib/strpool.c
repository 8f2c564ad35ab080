// SPDX-License-Identifier: MIT
/* Interned strings. */
#include <stdlib.h>
#include <string.h>
#include "lib/strpool.h"

struct pooled {
	size_t len;
	char s[];
};

struct str_key {
	const char *s;
	size_t len;
};

static bool pooled_eq(const void *item, const void *key)
{
	const struct pooled *p = item;
	const struct str_key *k = key;

	return p->len == k->len && memcmp(p->s, k->s, k->len) == 0;
}

const char *strpool_intern_n(struct strpool *p, const char *s, size_t len)
{
	struct str_key key = { s, len };
	uint64_t h = hash_bytes(s, len, 0x5157);
	struct pooled *e = hashmap_find(&p->map, h, &key, pooled_eq);

	if (e)
		return e->s;
	e = malloc(sizeof(*e) + len + 1);
	if (!e)
		return NULL;
	e->len = len;
	memcpy(e->s, s, len);
	e->s[len] = '\0';
	if (hashmap_insert(&p->map, h, e)) {
		free(e);
		return NULL;
	}
	return e->s;
}

const char *strpool_intern(struct strpool *p, const char *s)
{
	return strpool_intern_n(p, s, strlen(s));
}

void strpool_free(struct strpool *p)
{
	hashmap_free_all(&p->map);
}
