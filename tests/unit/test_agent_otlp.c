// SPDX-License-Identifier: MIT
/* The OTLP encoder, read back with lib/protobuf's reader (the e2e test uses protoc). */
#include <criterion/criterion.h>
#include <string.h>
#include "agent/agent_otlp.h"

#define F_DICT 2
#define F_STRINGS 5
#define F_STACKS 7

/* The first length-delimited field num of r, as a reader; false if none. */
static bool field(struct pb_reader r, uint32_t num, struct pb_reader *out)
{
	struct pb_field f;

	while (pb_next(&r, &f) == 1)
		if (f.num == num && f.wire == PB_LEN) {
			*out = f.sub;
			return true;
		}
	return false;
}

/* Count the fields num of r; the strings among them into strs (joined by '|'). */
static size_t count(struct pb_reader r, uint32_t num, char *strs, size_t cap)
{
	struct pb_field f;
	size_t n = 0, w = 0;

	while (pb_next(&r, &f) == 1) {
		if (f.num != num)
			continue;
		n++;
		if (strs && f.wire == PB_LEN && w + f.sub.len + 2 < cap) {
			memcpy(strs + w, f.sub.data, f.sub.len);
			w += f.sub.len;
			strs[w++] = '|';
			strs[w] = '\0';
		}
	}
	return n;
}

Test(agent_otlp, dictionary_interns_and_keeps_zero_values)
{
	const struct report_frame f[] = {
		{ .name = "main", .func = "main", .file = "app.py", .line = 9, .func_line = 8 },
		{ .name = "leaf", .func = "leaf", .file = "app.py", .line = 3, .func_line = 2 },
	};
	const struct report_label l[] = { { .key = "tid", .num = 7 },
					  { .key = "thread_name", .str = "w" } };
	const struct report_stack st[] = {
		{ .frames = f, .nr_frames = 2, .weight = 5, .labels = l, .nr_labels = 2 },
		{ .frames = f, .nr_frames = 2, .weight = 2, .labels = l, .nr_labels = 2 },
		{ .frames = f, .nr_frames = 1, .weight = 1 },
	};
	const struct report_meta m = {
		.unit = "samples", .type = "samples", .type2 = "cpu", .period_ns = 1000
	};
	struct agent_otlp_resource r = {
		.service = "svc", .host = "h", .python = "3.12.1", .pid = 7
	};
	struct pbuf out = {};
	struct pb_reader top, d;
	char strs[512] = "";

	cr_assert_eq(agent_otlp_encode(st, 3, &m, &r, &out), 0);
	top = (struct pb_reader){ .data = out.data, .len = out.len };
	cr_assert(field(top, F_DICT, &d), "no dictionary");
	/* "" first, each string once, leaf first (stacks are leaf first) */
	count(d, F_STRINGS, strs, sizeof(strs));
	cr_assert_eq(strncmp(strs, "|", 1), 0, "string 0 is not empty: %s", strs);
	cr_assert_not_null(strstr(strs, "|leaf|app.py|main|"), "strings: %s", strs);
	cr_assert_null(strstr(strstr(strs, "app.py") + 1, "app.py"), "twice: %s", strs);
	/* the zero stack, [leaf main] (shared by two samples) and [main] */
	cr_assert_eq(count(d, F_STACKS, NULL, 0), 3);
	pb_free(&out);
}
