// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "lib/protobuf.h"
#include "report/report.h"

#define MAXN 64

/* What the test reads back from a written profile (small fixed tables). */
struct decoded {
	char *str[MAXN];
	size_t nr_str;
	uint64_t fn[MAXN][5]; /* id, name, system_name, filename, start_line */
	size_t nr_fn;
	uint64_t loc[MAXN][4]; /* id, mapping_id, function_id, line */
	size_t nr_loc;
	uint64_t sample_loc[MAXN][8], sample_val[MAXN][2];
	size_t sample_nr_loc[MAXN], sample_nr_val[MAXN];
	uint64_t label[MAXN][3]; /* key, str, num (of sample 0) */
	size_t nr_label;
	size_t nr_samples;
	uint64_t sample_type[4][2], period_type[2], period, duration, time;
	uint64_t map[4][5]; /* id, .., filename (field 5) */
	size_t nr_sample_type, nr_mapping, nr_comment;
	uint8_t *raw;
};

/* Write stacks through the pprof writer, return the gzip bytes. */
static uint8_t *render(const struct report_stack *st, size_t nr, const struct report_meta *m,
		       size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	int err;

	cr_assert_not_null(f);
	err = report_pprof_ops.write(f, st, nr, m);
	fclose(f);
	cr_assert_eq(err, 0, "write: expected 0, got %d", err);
	return (uint8_t *)buf;
}

/* gunzip in[0..n) into a malloc'ed buffer. */
static uint8_t *gunzip(const uint8_t *in, size_t n, size_t *out_len)
{
	size_t cap = 1 << 20;
	uint8_t *out = malloc(cap);
	z_stream z = {};

	cr_assert_eq(inflateInit2(&z, 31), Z_OK);
	z.next_in = (Bytef *)in;
	z.avail_in = n;
	z.next_out = out;
	z.avail_out = cap;
	cr_assert_eq(inflate(&z, Z_FINISH), Z_STREAM_END, "expected one whole gzip stream");
	*out_len = cap - z.avail_out;
	inflateEnd(&z);
	return out;
}

/* Packed (or single) varints of a field into out[], returns how many. */
static size_t varints(const struct pb_field *f, uint64_t *out, size_t max)
{
	struct pb_reader r = f->sub;
	size_t n = 0;

	if (f->wire == PB_VARINT) {
		out[0] = f->v;
		return 1;
	}
	while (r.pos < r.len && n < max)
		cr_assert_eq(pb_read_varint(&r, &out[n++]), 0);
	return n;
}

/* The varint fields 1..max of a message into v[0..max) (0 when absent). */
static void fields(struct pb_reader r, uint64_t *v, size_t max)
{
	struct pb_field f;

	while (pb_next(&r, &f) == 1)
		if (f.wire == PB_VARINT && f.num >= 1 && f.num <= max)
			v[f.num - 1] = f.v;
}

/* A Location: id, mapping_id and its one Line (function_id, line). */
static void location(struct decoded *d, struct pb_reader r)
{
	uint64_t *l = d->loc[d->nr_loc++];
	struct pb_field f;
	uint64_t line[2] = {};

	while (pb_next(&r, &f) == 1) {
		if (f.num == 1)
			l[0] = f.v;
		else if (f.num == 2)
			l[1] = f.v;
		else if (f.num == 4)
			fields(f.sub, line, 2);
	}
	l[2] = line[0];
	l[3] = line[1];
}

/* A Sample: location ids, values, labels (kept for the first sample only). */
static void sample(struct decoded *d, struct pb_reader r)
{
	size_t i = d->nr_samples++;
	struct pb_field f;

	while (pb_next(&r, &f) == 1) {
		if (f.num == 1)
			d->sample_nr_loc[i] = varints(&f, d->sample_loc[i], 8);
		else if (f.num == 2)
			d->sample_nr_val[i] = varints(&f, d->sample_val[i], 2);
		else if (f.num == 3 && i == 0)
			fields(f.sub, d->label[d->nr_label++], 3);
	}
}

/* One top-level Profile field. */
static void profile_field(struct decoded *d, const struct pb_field *f)
{
	switch (f->num) {
	case 1:
		fields(f->sub, d->sample_type[d->nr_sample_type++], 2);
		break;
	case 2:
		sample(d, f->sub);
		break;
	case 3:
		if (d->nr_mapping < 4)
			fields(f->sub, d->map[d->nr_mapping], 5);
		d->nr_mapping++;
		break;
	case 4:
		location(d, f->sub);
		break;
	case 5:
		fields(f->sub, d->fn[d->nr_fn++], 5);
		break;
	case 6:
		d->str[d->nr_str++] = strndup((const char *)f->sub.data, f->sub.len);
		break;
	case 9:
		d->time = f->v;
		break;
	case 10:
		d->duration = f->v;
		break;
	case 11:
		fields(f->sub, d->period_type, 2);
		break;
	case 12:
		d->period = f->v;
		break;
	case 13:
		d->nr_comment++;
		break;
	}
}

/* Write, gunzip and decode. */
static void decode(struct decoded *d, const struct report_stack *st, size_t nr,
		   const struct report_meta *m)
{
	size_t glen, len;
	uint8_t *gz = render(st, nr, m, &glen);
	struct pb_reader r;
	struct pb_field f;
	int rc;

	memset(d, 0, sizeof(*d));
	cr_assert(glen > 2 && gz[0] == 0x1f && gz[1] == 0x8b, "expected the gzip magic 1f 8b");
	d->raw = gunzip(gz, glen, &len);
	free(gz);
	r = (struct pb_reader){ .data = d->raw, .len = len };
	while ((rc = pb_next(&r, &f)) == 1)
		profile_field(d, &f);
	cr_assert_eq(rc, 0, "expected a well-formed message, got %d at %zu", rc, pb_offset(&r));
}

/* The string at index i ("<bad>" when out of range). */
static const char *S(const struct decoded *d, uint64_t i)
{
	return i < d->nr_str ? d->str[i] : "<bad>";
}

/* The function row with this id. */
static const uint64_t *fn_by_id(const struct decoded *d, uint64_t id)
{
	for (size_t i = 0; i < d->nr_fn; i++)
		if (d->fn[i][0] == id)
			return d->fn[i];
	cr_assert_fail("no function with id %llu", (unsigned long long)id);
	return NULL;
}

/* The location row with this id. */
static const uint64_t *loc_by_id(const struct decoded *d, uint64_t id)
{
	for (size_t i = 0; i < d->nr_loc; i++)
		if (d->loc[i][0] == id)
			return d->loc[i];
	cr_assert_fail("no location with id %llu", (unsigned long long)id);
	return NULL;
}

static const struct report_frame frames[] = {
	{ "<module> (app.py:10)", RF_PYTHON, "<module>", "app.py", 10, 1 },
	{ "main (app.py:5)", RF_PYTHON, "main", "app.py", 5, 4 },
	{ "leaf (lib.py:42)", RF_PYTHON, "leaf", "lib.py", 42, 40 },
};
static const struct report_label labels[] = {
	{ "pid", NULL, 1234 },
	{ "thread_name", "worker", 0 },
};
static const struct report_stack stacks[] = {
	{ frames, 3, 7, 70000000, labels, 2 },
	{ frames, 2, 3, 30000000, labels, 2 },
};
static const struct report_meta cpu_meta = { .unit = "samples",
					     .type2 = "cpu",
					     .unit2 = "nanoseconds",
					     .period_ns = 10000000,
					     .start_unix_ns = 1700000000000000000ull,
					     .duration_ns = 2000000000 };

Test(report_pprof, string_table_starts_with_the_empty_string)
{
	struct decoded d;

	decode(&d, stacks, 2, &cpu_meta);
	cr_assert(d.nr_str > 0 && d.str[0][0] == 0, "expected string_table[0] == \"\", got \"%s\"",
		  d.nr_str ? d.str[0] : "(none)");
}

Test(report_pprof, sample_locations_are_leaf_first)
{
	struct decoded d;
	const uint64_t *leaf, *root;

	decode(&d, stacks, 2, &cpu_meta);
	cr_assert_eq(d.nr_samples, 2, "expected 2 samples, got %zu", d.nr_samples);
	cr_assert_eq(d.sample_nr_loc[0], 3, "expected 3 locations, got %zu", d.sample_nr_loc[0]);
	leaf = fn_by_id(&d, loc_by_id(&d, d.sample_loc[0][0])[2]);
	root = fn_by_id(&d, loc_by_id(&d, d.sample_loc[0][2])[2]);
	cr_assert_str_eq(S(&d, leaf[1]), "leaf", "expected the first location to be leaf, got %s",
			 S(&d, leaf[1]));
	cr_assert_str_eq(S(&d, root[1]), "<module>", "expected the last to be <module>, got %s",
			 S(&d, root[1]));
}

Test(report_pprof, functions_carry_file_and_first_line_locations_the_line)
{
	struct decoded d;
	const uint64_t *loc, *fn;

	decode(&d, stacks, 2, &cpu_meta);
	loc = loc_by_id(&d, d.sample_loc[0][0]);
	fn = fn_by_id(&d, loc[2]);
	cr_assert_str_eq(S(&d, fn[3]), "lib.py", "expected filename lib.py, got %s", S(&d, fn[3]));
	cr_assert_eq(fn[4], 40, "expected start_line 40, got %llu", (unsigned long long)fn[4]);
	cr_assert_eq(loc[3], 42, "expected line 42, got %llu", (unsigned long long)loc[3]);
	cr_assert_eq(loc[1], 1, "expected mapping_id 1, got %llu", (unsigned long long)loc[1]);
	cr_assert_eq(d.nr_mapping, 1, "expected one mapping, got %zu", d.nr_mapping);
}

Test(report_pprof, shared_frames_share_locations_and_functions)
{
	struct decoded d;

	decode(&d, stacks, 2, &cpu_meta);
	cr_assert_eq(d.nr_loc, 3, "expected 3 locations, got %zu", d.nr_loc);
	cr_assert_eq(d.nr_fn, 3, "expected 3 functions, got %zu", d.nr_fn);
	cr_assert_eq(d.sample_loc[1][0], d.sample_loc[0][1], "main: expected the same location id");
}

Test(report_pprof, two_values_and_their_sample_types)
{
	struct decoded d;

	decode(&d, stacks, 2, &cpu_meta);
	cr_assert_eq(d.nr_sample_type, 2, "expected 2 sample types, got %zu", d.nr_sample_type);
	cr_assert_str_eq(S(&d, d.sample_type[0][0]), "samples");
	cr_assert_str_eq(S(&d, d.sample_type[0][1]), "count");
	cr_assert_str_eq(S(&d, d.sample_type[1][0]), "cpu");
	cr_assert_str_eq(S(&d, d.sample_type[1][1]), "nanoseconds");
	cr_assert_eq(d.sample_nr_val[0], 2, "expected 2 values, got %zu", d.sample_nr_val[0]);
	cr_assert_eq(d.sample_val[0][0], 7, "expected 7, got %llu",
		     (unsigned long long)d.sample_val[0][0]);
	cr_assert_eq(d.sample_val[0][1], 70000000, "expected 70000000, got %llu",
		     (unsigned long long)d.sample_val[0][1]);
}

Test(report_pprof, wait_profile_has_one_value_in_nanoseconds)
{
	const struct report_meta m = { .unit = "ns", .type = "wait" };
	struct decoded d;

	decode(&d, stacks, 2, &m);
	cr_assert_eq(d.nr_sample_type, 1, "expected 1 sample type, got %zu", d.nr_sample_type);
	cr_assert_str_eq(S(&d, d.sample_type[0][0]), "wait");
	cr_assert_str_eq(S(&d, d.sample_type[0][1]), "nanoseconds");
	cr_assert_eq(d.sample_nr_val[0], 1, "expected 1 value, got %zu", d.sample_nr_val[0]);
}

Test(report_pprof, labels_keep_strings_and_numbers)
{
	struct decoded d;

	decode(&d, stacks, 2, &cpu_meta);
	cr_assert_eq(d.nr_label, 2, "expected 2 labels, got %zu", d.nr_label);
	cr_assert_str_eq(S(&d, d.label[0][0]), "pid");
	cr_assert_eq(d.label[0][2], 1234, "expected pid 1234, got %llu",
		     (unsigned long long)d.label[0][2]);
	cr_assert_str_eq(S(&d, d.label[1][0]), "thread_name");
	cr_assert_str_eq(S(&d, d.label[1][1]), "worker");
}

Test(report_pprof, period_times_and_comments)
{
	struct report_kv kv[1] = { { "pystrobe", "0.1.0" } };
	struct report_meta m = cpu_meta;
	struct decoded d;

	m.kv = kv;
	m.nr_kv = 1;
	decode(&d, stacks, 2, &m);
	cr_assert_eq(d.period, 10000000, "expected period 10 ms, got %llu",
		     (unsigned long long)d.period);
	cr_assert_str_eq(S(&d, d.period_type[0]), "cpu");
	cr_assert_eq(d.time, 1700000000000000000ull, "time_nanos");
	cr_assert_eq(d.duration, 2000000000, "duration_nanos");
	cr_assert_eq(d.nr_comment, 1, "expected 1 comment, got %zu", d.nr_comment);
}

Test(report_pprof, no_stacks_is_still_a_valid_profile)
{
	struct decoded d;

	decode(&d, NULL, 0, &cpu_meta);
	cr_assert_eq(d.nr_samples, 0, "expected no samples, got %zu", d.nr_samples);
	cr_assert_eq(d.nr_sample_type, 2, "expected the sample types, got %zu", d.nr_sample_type);
}

Test(report_pprof, native_frames_keep_their_module_in_the_name_and_a_mapping)
{
	const struct report_frame nat[] = {
		{ "main (app.py:5)", RF_PYTHON, "main", "app.py", 5, 4, NULL },
		{ "read (libc.so.6)", RF_NATIVE, "read (libc.so.6)", NULL, 0, 0, "libc.so.6" },
	}; /* root first */
	const struct report_stack st = { nat, 2, 1, 0, NULL, 0 };
	struct decoded d;
	const uint64_t *loc, *fn;

	decode(&d, &st, 1, &cpu_meta);
	loc = loc_by_id(&d, d.sample_loc[0][0]);
	fn = fn_by_id(&d, loc[2]);
	cr_assert_str_eq(S(&d, fn[1]), "read (libc.so.6)",
			 "expected the name with its module, got %s", S(&d, fn[1]));
	cr_assert_eq(d.nr_mapping, 2, "expected python's and libc's mappings, got %zu",
		     d.nr_mapping);
	cr_assert_eq(loc[1], d.map[1][0], "expected read in mapping %llu, got %llu",
		     (unsigned long long)d.map[1][0], (unsigned long long)loc[1]);
	cr_assert_str_eq(S(&d, d.map[1][4]), "libc.so.6", "expected mapping libc.so.6, got %s",
			 S(&d, d.map[1][4]));
	loc = loc_by_id(&d, d.sample_loc[0][1]);
	cr_assert_eq(loc[1], 1, "expected main in mapping 1, got %llu", (unsigned long long)loc[1]);
}
