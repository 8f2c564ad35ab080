/* SPDX-License-Identifier: MIT */
/* A small streaming JSON writer: commas and nesting handled, strings escaped. */
#ifndef PYSTROBE_JSONW_H
#define PYSTROBE_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSONW_DEPTH_MAX 32 /* nesting; deeper begin_* calls are ignored */

struct jsonw {
	FILE *f;
	int depth;
	bool first[JSONW_DEPTH_MAX]; /* no member written yet at this depth */
	bool after_key; /* a key was written: the next value needs no comma */
};

void jsonw_init(struct jsonw *j, FILE *f);
void jsonw_begin_object(struct jsonw *j);
void jsonw_end_object(struct jsonw *j);
void jsonw_begin_array(struct jsonw *j);
void jsonw_end_array(struct jsonw *j);
void jsonw_key(struct jsonw *j, const char *key);
/* Values: strings are escaped; invalid UTF-8 bytes become U+FFFD. */
void jsonw_str(struct jsonw *j, const char *s);
void jsonw_uint(struct jsonw *j, uint64_t v);
void jsonw_int(struct jsonw *j, int64_t v);
void jsonw_double(struct jsonw *j, double v);
void jsonw_bool(struct jsonw *j, bool v);
void jsonw_null(struct jsonw *j);
/* key + value shorthands */
void jsonw_kv_str(struct jsonw *j, const char *k, const char *v);
void jsonw_kv_uint(struct jsonw *j, const char *k, uint64_t v);
void jsonw_kv_int(struct jsonw *j, const char *k, int64_t v);
void jsonw_kv_double(struct jsonw *j, const char *k, double v);
void jsonw_kv_bool(struct jsonw *j, const char *k, bool v);
void jsonw_kv_null(struct jsonw *j, const char *k);

#endif /* PYSTROBE_JSONW_H */
