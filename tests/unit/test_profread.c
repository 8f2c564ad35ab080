// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "read/profread.h"
#include "report/report.h"

static struct strpool pool;

/* Parse text as folded into p; returns the error, e filled. */
static int folded(const char *text, struct profdata *p, struct profdata_error *e)
{
	memset(p, 0, sizeof(*p));
	memset(e, 0, sizeof(*e));
	p->pool = &pool;
	return folded_read(text, strlen(text), p, e);
}

/* Bytes the pprof writer makes of stacks (gzipped), freed by the caller. */
static uint8_t *pprof_bytes(const struct report_stack *st, size_t nr, size_t *len)
{
	const struct report_meta m = { .unit = "samples" };
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	cr_assert_not_null(f);
	cr_assert_eq(report_pprof_ops.write(f, st, nr, &m), 0);
	fclose(f);
	return (uint8_t *)buf;
}

/* Read buf with profread_buf; returns the error. */
static int read_buf(const uint8_t *buf, size_t len, struct profdata *p, struct profdata_error *e)
{
	memset(p, 0, sizeof(*p));
	memset(e, 0, sizeof(*e));
	p->pool = &pool;
	return profread_buf(buf, len, p, e);
}

Test(folded_read, reads_stacks_root_first_and_skips_comments)
{
	struct profdata p;
	struct profdata_error e;
	int err = folded("# pystrobe: 0.1\nproc (1);main (a.py:3);leaf (a.py:9) 7\n\nproc (1) 2\n",
			 &p, &e);

	cr_assert_eq(err, 0, "expected 0, got %d (%s)", err, e.what);
	cr_assert_eq(p.nr_stacks, 2, "expected 2 stacks, got %zu", p.nr_stacks);
	cr_assert_eq(p.stacks[0].nr_frames, 3);
	cr_assert_str_eq(p.stacks[0].frames[2], "leaf (a.py:9)");
	cr_assert_eq(p.stacks[0].weight, 7);
	cr_assert_eq(p.total, 9, "expected total 9, got %llu", (unsigned long long)p.total);
	profdata_free(&p);
}

Test(folded_read, frame_names_may_contain_spaces)
{
	struct profdata p;
	struct profdata_error e;
	int err = folded("python3 app.py (12);f (x y.py:1) 3\r\n", &p, &e);

	cr_assert_eq(err, 0, "expected 0, got %d (%s)", err, e.what);
	cr_assert_str_eq(p.stacks[0].frames[0], "python3 app.py (12)");
	cr_assert_str_eq(p.stacks[0].frames[1], "f (x y.py:1)");
	profdata_free(&p);
}

Test(folded_read, missing_count_is_an_error_at_the_line)
{
	struct profdata p;
	struct profdata_error e;
	int err = folded("a;b 1\na;b\n", &p, &e);

	cr_assert_eq(err, -EINVAL, "expected -EINVAL, got %d", err);
	cr_assert_eq(e.offset, 6, "expected offset 6 (second line), got %zu", e.offset);
	cr_assert(strstr(e.what, "COUNT"), "expected a message about the count, got '%s'", e.what);
	profdata_free(&p);
}

Test(folded_read, non_numeric_count_names_its_offset)
{
	struct profdata p;
	struct profdata_error e;
	int err = folded("a;b 12x\n", &p, &e);

	cr_assert_eq(err, -EINVAL);
	cr_assert_eq(e.offset, 6, "expected offset 6 (the 'x'), got %zu", e.offset);
	cr_assert(strstr(e.what, "not a number"), "got '%s'", e.what);
	profdata_free(&p);
}

Test(folded_read, empty_frame_and_huge_count_are_errors)
{
	struct profdata p;
	struct profdata_error e;

	cr_assert_eq(folded("a;;b 1\n", &p, &e), -EINVAL, "empty frame");
	cr_assert(strstr(e.what, "empty frame"), "got '%s'", e.what);
	profdata_free(&p);
	cr_assert_eq(folded("a 99999999999999999999999\n", &p, &e), -EINVAL, "overflow");
	cr_assert(strstr(e.what, "too large"), "got '%s'", e.what);
	profdata_free(&p);
}

Test(folded_read, nul_byte_is_an_error)
{
	const char text[] = "a;b 1\nc\0d 2\n";
	struct profdata p = { .pool = &pool };
	struct profdata_error e = {};
	int err = folded_read(text, sizeof(text) - 1, &p, &e);

	cr_assert_eq(err, -EINVAL, "expected -EINVAL, got %d", err);
	cr_assert_eq(e.offset, 7, "expected offset 7, got %zu", e.offset);
	profdata_free(&p);
}

static const struct report_frame frames[] = {
	{ "<module> (app.py:10)", RF_PYTHON, "<module>", "app.py", 10, 1 },
	{ "main (app.py:5)", RF_PYTHON, "main", "app.py", 5, 4 },
	{ "[truncated]", RF_PSEUDO },
};

Test(pprof_read, round_trips_the_writer_root_first)
{
	const struct report_stack st[] = { { frames, 2, 5 }, { frames, 1, 2 } };
	struct profdata p;
	struct profdata_error e;
	size_t len;
	uint8_t *buf = pprof_bytes(st, 2, &len);
	int err = read_buf(buf, len, &p, &e);

	cr_assert_eq(err, 0, "expected 0, got %d (%s at %zu)", err, e.what, e.offset);
	cr_assert_eq(p.nr_stacks, 2, "expected 2 stacks, got %zu", p.nr_stacks);
	cr_assert_eq(p.stacks[0].nr_frames, 2);
	cr_assert_str_eq(p.stacks[0].frames[0], "<module> (app.py:10)");
	cr_assert_str_eq(p.stacks[0].frames[1], "main (app.py:5)");
	cr_assert_eq(p.stacks[0].weight, 5);
	cr_assert_eq(p.total, 7);
	cr_assert_str_eq(p.unit, "samples");
	profdata_free(&p);
	free(buf);
}

Test(pprof_read, pseudo_frames_keep_their_name)
{
	const struct report_stack st[] = { { frames + 2, 1, 1 } };
	struct profdata p;
	struct profdata_error e;
	size_t len;
	uint8_t *buf = pprof_bytes(st, 1, &len);

	cr_assert_eq(read_buf(buf, len, &p, &e), 0, "%s", e.what);
	cr_assert_str_eq(p.stacks[0].frames[0], "[truncated]");
	profdata_free(&p);
	free(buf);
}

Test(pprof_read, truncated_gzip_is_an_error_with_an_offset)
{
	const struct report_stack st[] = { { frames, 2, 5 } };
	struct profdata p;
	struct profdata_error e;
	size_t len;
	uint8_t *buf = pprof_bytes(st, 1, &len);
	int err = read_buf(buf, len / 2, &p, &e);

	cr_assert_eq(err, -EINVAL, "expected -EINVAL, got %d", err);
	cr_assert(strstr(e.what, "truncated"), "expected 'truncated', got '%s'", e.what);
	cr_assert(e.offset <= len / 2, "offset %zu within the %zu bytes", e.offset, len / 2);
	profdata_free(&p);
	free(buf);
}

Test(pprof_read, corrupt_gzip_data_is_an_error)
{
	const struct report_stack st[] = { { frames, 2, 5 } };
	struct profdata p;
	struct profdata_error e;
	size_t len;
	uint8_t *buf = pprof_bytes(st, 1, &len);
	int err;

	memset(buf + 10, 0xff, len - 18); /* the deflate data, not the header or trailer */
	err = read_buf(buf, len, &p, &e);
	cr_assert_eq(err, -EINVAL, "expected -EINVAL, got %d", err);
	cr_assert(strstr(e.what, "gzip"), "expected a gzip error, got '%s'", e.what);
	profdata_free(&p);
	free(buf);
}

Test(pprof_read, sample_with_unknown_location_is_an_error)
{
	/* string_table [""], one sample {location_id 9, value 1} */
	const uint8_t pb[] = { 0x32, 0x00, 0x12, 0x04, 0x08, 0x09, 0x10, 0x01 };
	struct profdata p;
	struct profdata_error e;
	int err = read_buf(pb, sizeof(pb), &p, &e);

	cr_assert_eq(err, -EINVAL, "expected -EINVAL, got %d", err);
	cr_assert(strstr(e.what, "unknown location 9"), "got '%s'", e.what);
	cr_assert_eq(e.offset, 4, "expected offset 4 (the location_id field), got %zu", e.offset);
	profdata_free(&p);
}

Test(pprof_read, first_string_must_be_empty)
{
	const uint8_t pb[] = { 0x32, 0x01, 'x', 0x12, 0x02, 0x10, 0x01 };
	struct profdata p;
	struct profdata_error e;
	int err = read_buf(pb, sizeof(pb), &p, &e);

	cr_assert_eq(err, -EINVAL, "expected -EINVAL, got %d", err);
	cr_assert(strstr(e.what, "string_table[0]"), "got '%s'", e.what);
	profdata_free(&p);
}

Test(pprof_read, truncated_message_names_the_field_offset)
{
	const uint8_t pb[] = { 0x32, 0x00, 0x12, 0x09, 0x08 };
	struct profdata p;
	struct profdata_error e;
	int err = read_buf(pb, sizeof(pb), &p, &e);

	cr_assert_eq(err, -EINVAL, "expected -EINVAL, got %d", err);
	cr_assert(strstr(e.what, "truncated"), "got '%s'", e.what);
	cr_assert_eq(e.offset, 2, "expected offset 2, got %zu", e.offset);
	profdata_free(&p);
}

/* The whole of a file (freed by the caller). */
static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(1 << 16);

	cr_assert_not_null(f, "cannot open %s", path);
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

/* A CPU profile written by Go 1.19's runtime/pprof (spin() for 700 ms), in the fuzz corpus. */
#define GO_PROFILE PS_SOURCE_DIR "/tests/fuzz/corpus/pprof_read/go_cpu.pb.gz"

Test(pprof_read, reads_a_go_runtime_profile_gzipped_and_raw)
{
	struct profdata p;
	struct profdata_error e;
	size_t len, raw_len;
	uint8_t *gz = slurp(GO_PROFILE, &len), *raw;
	int err = read_buf(gz, len, &p, &e);
	bool spin = false;

	cr_assert_eq(err, 0, "gzipped: expected 0, got %d (%s at %zu)", err, e.what, e.offset);
	for (size_t i = 0; i < p.nr_stacks; i++)
		for (size_t k = 0; k < p.stacks[i].nr_frames; k++)
			spin |= strncmp(p.stacks[i].frames[k], "main.spin (", 11) == 0;
	cr_assert(spin, "expected a main.spin frame");
	profdata_free(&p);
	cr_assert_eq(profdata_gunzip(gz, len, &raw, &raw_len, &e), 0);
	cr_assert_eq(raw[0], 0x48, "Go starts with time_nanos (0x48), got 0x%02x", raw[0]);
	err = read_buf(raw, raw_len, &p, &e);
	cr_assert_eq(err, 0, "raw (detected as pprof): expected 0, got %d (%s)", err, e.what);
	cr_assert(p.nr_stacks > 0, "expected stacks");
	profdata_free(&p);
	free(raw);
	free(gz);
}
