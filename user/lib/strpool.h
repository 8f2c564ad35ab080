/* SPDX-License-Identifier: MIT */
/* Interned strings: one copy of each distinct string, compared by pointer. */
#ifndef PYSTROBE_STRPOOL_H
#define PYSTROBE_STRPOOL_H

#include <stddef.h>
#include "lib/hashmap.h"

struct strpool {
	struct hashmap map;
};

/* The pooled copy of s[0..len) (NUL-terminated), or NULL on ENOMEM. */
const char *strpool_intern_n(struct strpool *p, const char *s, size_t len);
const char *strpool_intern(struct strpool *p, const char *s);
void strpool_free(struct strpool *p);

#endif /* PYSTROBE_STRPOOL_H */
