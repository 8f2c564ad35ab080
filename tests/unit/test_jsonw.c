// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/jsonw.h"

/* Run fn on a writer over a memory stream; returns the text (caller frees). */
static char *write_json(void (*fn)(struct jsonw *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct jsonw j;

	jsonw_init(&j, f);
	fn(&j);
	fclose(f);
	return buf;
}

static void nested(struct jsonw *j)
{
	jsonw_begin_object(j);
	jsonw_kv_uint(j, "a", 1);
	jsonw_key(j, "b");
	jsonw_begin_array(j);
	jsonw_uint(j, 2);
	jsonw_str(j, "x");
	jsonw_begin_object(j);
	jsonw_end_object(j);
	jsonw_end_array(j);
	jsonw_kv_bool(j, "c", true);
	jsonw_kv_null(j, "d");
	jsonw_end_object(j);
}

Test(jsonw, commas_and_nesting)
{
	char *s = write_json(nested);

	cr_assert_str_eq(s, "{\"a\":1,\"b\":[2,\"x\",{}],\"c\":true,\"d\":null}");
	free(s);
}

static void hostile(struct jsonw *j)
{
	jsonw_str(j, "q\"b\\n\n\x01\xff\xc3\xa9");
}

Test(jsonw, strings_are_escaped_and_valid_utf8)
{
	char *s = write_json(hostile);

	cr_assert_str_eq(s, "\"q\\\"b\\\\n\\u000a\\u0001\xef\xbf\xbd\xc3\xa9\"", "got %s", s);
	free(s);
}

static void doubles(struct jsonw *j)
{
	jsonw_begin_array(j);
	jsonw_double(j, 3015300.123);
	jsonw_double(j, 1.0 / 0.0);
	jsonw_end_array(j);
}

Test(jsonw, doubles_keep_microsecond_precision_and_inf_is_null)
{
	char *s = write_json(doubles);

	cr_assert_str_eq(s, "[3015300.123,null]", "got %s", s);
	free(s);
}

static void c1_and_del(struct jsonw *j)
{
	jsonw_str(j, "a\x7f"
		     "b\xc2\x9b"
		     "c\xc2\x85\xc2\xa0");
}

Test(jsonw, del_and_c1_are_written_as_u_escapes)
{
	char *s = write_json(c1_and_del);
	const char *want = "\"a\\u007fb\\u009bc\\u0085\xc2\xa0\"";

	cr_assert_str_eq(s, want, "expected %s, got %s", want, s);
	free(s);
}
