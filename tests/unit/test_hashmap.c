// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <stdlib.h>
#include "lib/hashmap.h"
#include "lib/strpool.h"

static bool int_eq(const void *item, const void *key)
{
	return *(const int *)item == *(const int *)key;
}

Test(hashmap, finds_every_item_after_growth)
{
	struct hashmap m = {};
	int *items = calloc(10000, sizeof(*items));

	for (int i = 0; i < 10000; i++) {
		items[i] = i;
		cr_assert_eq(hashmap_insert(&m, hash_u64(i), &items[i]), 0);
	}
	for (int i = 0; i < 10000; i++)
		cr_assert_eq(hashmap_find(&m, hash_u64(i), &i, int_eq), &items[i], "item %d", i);
	int missing = 10001;
	cr_assert_null(hashmap_find(&m, hash_u64(missing), &missing, int_eq));
	cr_assert_eq(m.nr, 10000);
	hashmap_free(&m);
	free(items);
}

Test(hashmap, hash_bytes_depends_on_every_byte_and_length)
{
	unsigned char a[17] = { 0 }, b[17] = { 0 };

	b[16] = 1;
	cr_assert_neq(hash_bytes(a, 17, 0), hash_bytes(b, 17, 0));
	cr_assert_neq(hash_bytes(a, 16, 0), hash_bytes(a, 17, 0));
	cr_assert_eq(hash_bytes(a, 17, 3), hash_bytes(a, 17, 3));
}

Test(strpool, interns_equal_strings_once)
{
	struct strpool p = {};
	const char *a = strpool_intern(&p, "hot_leaf (x.py:12)");
	char buf[] = "hot_leaf (x.py:12)";

	cr_assert_eq(strpool_intern(&p, buf), a, "same pointer for equal strings");
	cr_assert_neq(strpool_intern(&p, "other"), a);
	cr_assert_str_eq(strpool_intern_n(&p, "abcdef", 3), "abc");
	strpool_free(&p);
}
