// SPDX-License-Identifier: MIT
/*
 * pprof back into stacks: a perftools.profiles.Profile (google/pprof
 * proto/profile.proto) decoded with protobuf.c. Two passes, because samples
 * may come before the tables they refer to: first collect the string table,
 * functions and locations, then resolve every sample into frame names
 * ("name (file:line)", root first). The first sample value is the weight.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "lib/hashmap.h"
#include "read/profdata.h"
#include "lib/protobuf.h"

/* A wire-level failure of pb_next / pb_read_varint as a message. */
static int wire_bad(struct profdata_error *e, size_t offset, int err)
{
	if (err == -ENODATA)
		return profdata_fail(
			e, offset, "protobuf truncated: a field runs past the end of its message");
	if (err == -EOVERFLOW)
		return profdata_fail(e, offset,
				     "protobuf varint longer than 10 bytes or over 64 bits");
	return profdata_fail(e, offset, "not a protobuf: invalid field tag or wire type");
}

/* Sub-messages of one kind, in file order. */
struct msgs {
	struct pr_msg {
		struct pb_reader r;
		size_t offset;
	} * v;
	size_t nr, cap;
};

/* A function: string indices of its name and file. */
struct pr_fn {
	uint64_t id, name, file;
};

/* A location: its frame names, root first (inlined callers before callees). */
struct pr_loc {
	uint64_t id;
	size_t first, nr; /* in rd.names */
};

struct rd {
	struct profdata *p;
	struct profdata_error *e;
	struct msgs strs, fns_raw, locs_raw, samples;
	struct pr_fn *fns;
	struct pr_loc *locs;
	struct hashmap fn_ids, loc_ids; /* id -> struct pr_fn / struct pr_loc */
	const char **names; /* frame names of every location */
	size_t nr_names, cap_names;
	uint64_t sample_type; /* string index of sample_type[0].type */
	int have_type;
	const char **frames; /* one sample's frames, PR_MAX_FRAMES */
};

/* Append a sub-message. */
static int push(struct msgs *m, const struct pb_field *f)
{
	struct pr_msg *grown;

	if (m->nr == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;

		grown = realloc(m->v, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		m->v = grown;
		m->cap = cap;
	}
	m->v[m->nr++] = (struct pr_msg){ f->sub, f->offset };
	return 0;
}

/* sample_type[0]: remember its type's string index. */
static void first_type(struct rd *rd, const struct pb_field *f)
{
	struct pb_reader vt = f->sub;
	struct pb_field g;

	if (rd->have_type || f->wire != PB_LEN)
		return;
	while (pb_next(&vt, &g) == 1)
		if (g.num == 1 && g.wire == PB_VARINT)
			rd->sample_type = g.v;
	rd->have_type = 1;
}

/* Pass 1: sort the top-level fields; scalars we do not use are skipped. */
static int collect(struct rd *rd, struct pb_reader *r)
{
	struct pb_field f;
	struct msgs *m;
	int rc;

	while ((rc = pb_next(r, &f)) == 1) {
		switch (f.num) {
		case 1:
			first_type(rd, &f);
			continue;
		case 12: /* period: our writer's is in nanoseconds (period_type cpu/nanoseconds) */
			if (f.wire == PB_VARINT)
				rd->p->period_ns = f.v;
			continue;
		case 2:
			m = &rd->samples;
			break;
		case 4:
			m = &rd->locs_raw;
			break;
		case 5:
			m = &rd->fns_raw;
			break;
		case 6:
			m = &rd->strs;
			break;
		default:
			continue;
		}
		if (f.wire != PB_LEN)
			return profdata_fail(rd->e, f.offset,
					     "profile field %u: expected a message", f.num);
		if (push(m, &f))
			return -ENOMEM;
	}
	return rc < 0 ? wire_bad(rd->e, pb_offset(r), rc) : 0;
}

/* String i of the table, checked against its size. */
static int str_at(struct rd *rd, uint64_t i, size_t at, const char **s, size_t *len)
{
	if (i >= rd->strs.nr)
		return profdata_fail(rd->e, at, "string index %llu past the table (%zu strings)",
				     (unsigned long long)i, rd->strs.nr);
	*s = (const char *)rd->strs.v[i].r.data;
	*len = rd->strs.v[i].r.len;
	return 0;
}

/* Varint fields 1..max of a message into v[] (0 when absent); wrong wire types are errors. */
static int scalars(struct rd *rd, const struct pr_msg *m, uint64_t *v, size_t max)
{
	struct pb_reader r = m->r;
	struct pb_field f;
	int rc;

	memset(v, 0, max * sizeof(*v));
	while ((rc = pb_next(&r, &f)) == 1) {
		if (f.num > max)
			continue;
		if (f.wire != PB_VARINT)
			return profdata_fail(rd->e, f.offset,
					     "field %u: expected a varint, got wire type %u", f.num,
					     f.wire);
		v[f.num - 1] = f.v;
	}
	return rc < 0 ? wire_bad(rd->e, pb_offset(&r), rc) : 0;
}

/* Items are equal when their leading uint64 ids are. */
static bool id_eq(const void *item, const void *key)
{
	return *(const uint64_t *)item == *(const uint64_t *)key;
}

/* Index item (whose first member is its id) by id; 0 or duplicate ids are errors. */
static int index_id(struct rd *rd, struct hashmap *m, void *item, size_t at, const char *what)
{
	uint64_t id = *(uint64_t *)item;

	if (!id)
		return profdata_fail(rd->e, at, "%s with id 0", what);
	if (hashmap_find(m, hash_u64(id), &id, id_eq))
		return profdata_fail(rd->e, at, "two %ss with id %llu", what,
				     (unsigned long long)id);
	return hashmap_insert(m, hash_u64(id), item);
}

/* Every Function: id, name, filename. */
static int read_functions(struct rd *rd)
{
	uint64_t v[5];
	int err = 0;

	rd->fns = calloc(rd->fns_raw.nr + 1, sizeof(*rd->fns));
	if (!rd->fns)
		return -ENOMEM;
	for (size_t i = 0; i < rd->fns_raw.nr && !err; i++) {
		err = scalars(rd, &rd->fns_raw.v[i], v, 5);
		if (err)
			break;
		rd->fns[i] = (struct pr_fn){ .id = v[0], .name = v[1], .file = v[3] };
		if (v[1] >= rd->strs.nr || v[3] >= rd->strs.nr)
			return profdata_fail(rd->e, rd->fns_raw.v[i].offset,
					     "function %llu: string index past the table",
					     (unsigned long long)v[0]);
		err = index_id(rd, &rd->fn_ids, &rd->fns[i], rd->fns_raw.v[i].offset, "function");
	}
	return err;
}

/* "name (file:line)", "name (file)" or "name": the frame name of one Line. */
static const char *frame_name(struct rd *rd, const struct pr_fn *fn, uint64_t line)
{
	const char *name = "?", *file = "";
	size_t nlen = 0, flen = 0;
	char buf[1024];

	str_at(rd, fn->name, 0, &name, &nlen); /* indices checked in read_functions */
	str_at(rd, fn->file, 0, &file, &flen);
	if (!nlen)
		name = "?", nlen = 1;
	if (nlen > 600)
		nlen = 600;
	if (flen > 400)
		flen = 400;
	if (flen && line)
		snprintf(buf, sizeof(buf), "%.*s (%.*s:%llu)", (int)nlen, name, (int)flen, file,
			 (unsigned long long)line);
	else if (flen)
		snprintf(buf, sizeof(buf), "%.*s (%.*s)", (int)nlen, name, (int)flen, file);
	else
		snprintf(buf, sizeof(buf), "%.*s", (int)nlen, name);
	for (char *c = buf; *c; c++)
		if (*c == ';' || *c == '\n' || *c == '\r' || !*c)
			*c = *c == ';' ? ':' : ' ';
	return strpool_intern(rd->p->pool, buf);
}

#define PR_MAX_LINES 64 /* Lines (inlined frames) per Location; more is an error */

/* Append a frame name to rd->names. */
static int push_name(struct rd *rd, const char *name)
{
	const char **grown;

	if (!name)
		return -ENOMEM;
	if (rd->nr_names == rd->cap_names) {
		size_t cap = rd->cap_names ? rd->cap_names * 2 : 256;

		grown = realloc(rd->names, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		rd->names = grown;
		rd->cap_names = cap;
	}
	rd->names[rd->nr_names++] = name;
	return 0;
}

/* One Line message: its function (must exist) and line number, as a frame name. */
static int read_line(struct rd *rd, const struct pb_field *f, const char **out)
{
	struct pr_msg m = { f->sub, f->offset };
	const struct pr_fn *fn;
	uint64_t v[2];
	int err;

	if (f->wire != PB_LEN)
		return profdata_fail(rd->e, f->offset, "location line: expected a message");
	err = scalars(rd, &m, v, 2);
	if (err)
		return err;
	fn = hashmap_find(&rd->fn_ids, hash_u64(v[0]), &v[0], id_eq);
	if (!fn)
		return profdata_fail(rd->e, f->offset, "line refers to unknown function %llu",
				     (unsigned long long)v[0]);
	*out = frame_name(rd, fn, (int64_t)v[1] > 0 ? v[1] : 0);
	return *out ? 0 : -ENOMEM;
}

/* One Location: id and its Lines, stored root first; no Line gives "0x<address>" / "?". */
static int read_location(struct rd *rd, const struct pr_msg *m, struct pr_loc *loc)
{
	const char *lines[PR_MAX_LINES];
	struct pb_reader r = m->r;
	struct pb_field f;
	size_t n = 0;
	int rc = 0, err = 0;

	*loc = (struct pr_loc){ .first = rd->nr_names };
	while (!err && (rc = pb_next(&r, &f)) == 1) {
		if (f.num == 1 && f.wire == PB_VARINT)
			loc->id = f.v;
		else if (f.num == 1)
			err = profdata_fail(rd->e, f.offset, "location id: expected a varint");
		else if (f.num == 4 && n == PR_MAX_LINES)
			err = profdata_fail(rd->e, f.offset, "more than %d lines in one location",
					    PR_MAX_LINES);
		else if (f.num == 4)
			err = read_line(rd, &f, &lines[n++]);
	}
	if (err || rc < 0)
		return err ?: wire_bad(rd->e, pb_offset(&r), rc);
	if (!n)
		lines[n++] = strpool_intern(rd->p->pool, "?");
	while (!err && n)
		err = push_name(rd, lines[--n]);
	loc->nr = rd->nr_names - loc->first;
	return err ?: index_id(rd, &rd->loc_ids, loc, m->offset, "location");
}

/* Every Location (after the functions they refer to). */
static int read_locations(struct rd *rd)
{
	int err = 0;

	rd->locs = calloc(rd->locs_raw.nr + 1, sizeof(*rd->locs));
	if (!rd->locs)
		return -ENOMEM;
	for (size_t i = 0; i < rd->locs_raw.nr && !err; i++)
		err = read_location(rd, &rd->locs_raw.v[i], &rd->locs[i]);
	return err;
}

/* Varints of a repeated scalar field (packed or not) through fn; stops on an error. */
static int each_varint(struct rd *rd, const struct pb_field *f,
		       int (*fn)(struct rd *rd, uint64_t v, size_t at, void *ctx), void *ctx)
{
	struct pb_reader r = f->sub;
	uint64_t v;
	int err = 0;

	if (f->wire == PB_VARINT)
		return fn(rd, f->v, f->offset, ctx);
	if (f->wire != PB_LEN)
		return profdata_fail(rd->e, f->offset, "field %u: expected varints", f->num);
	while (!err && r.pos < r.len) {
		size_t at = pb_offset(&r);

		err = pb_read_varint(&r, &v);
		err = err ? wire_bad(rd->e, at, err) : fn(rd, v, at, ctx);
	}
	return err;
}

struct sample_acc {
	size_t nr_locs;
	const struct pr_loc *locs[PR_MAX_FRAMES];
	uint64_t value;
	int have_value;
	size_t nr_frames;
};

/* A location id of a sample: must exist. */
static int add_loc(struct rd *rd, uint64_t id, size_t at, void *ctx)
{
	struct sample_acc *s = ctx;
	const struct pr_loc *loc = hashmap_find(&rd->loc_ids, hash_u64(id), &id, id_eq);

	if (!loc)
		return profdata_fail(rd->e, at, "sample refers to unknown location %llu",
				     (unsigned long long)id);
	if (s->nr_locs == PR_MAX_FRAMES || s->nr_frames + loc->nr > PR_MAX_FRAMES)
		return profdata_fail(rd->e, at, "stack deeper than %d frames", PR_MAX_FRAMES);
	s->locs[s->nr_locs++] = loc;
	s->nr_frames += loc->nr;
	return 0;
}

/* A value of a sample: the first one is the weight; negative ones are errors. */
static int add_value(struct rd *rd, uint64_t v, size_t at, void *ctx)
{
	struct sample_acc *s = ctx;

	if (s->have_value)
		return 0;
	if ((int64_t)v < 0)
		return profdata_fail(rd->e, at, "negative sample value %lld", (long long)v);
	s->value = v;
	s->have_value = 1;
	return 0;
}

/* One Sample into a stack: locations are leaf first, frames root first. */
static int read_sample(struct rd *rd, const struct pr_msg *m, struct sample_acc *s)
{
	struct pb_reader r = m->r;
	struct pb_field f;
	size_t n = 0;
	int rc = 0, err = 0;

	s->nr_locs = s->nr_frames = 0;
	s->have_value = 0;
	while (!err && (rc = pb_next(&r, &f)) == 1) {
		if (f.num == 1)
			err = each_varint(rd, &f, add_loc, s);
		else if (f.num == 2)
			err = each_varint(rd, &f, add_value, s);
	}
	if (err || rc < 0)
		return err ?: wire_bad(rd->e, pb_offset(&r), rc);
	if (!s->have_value)
		return profdata_fail(rd->e, m->offset, "sample without a value");
	for (size_t i = s->nr_locs; i-- > 0;)
		for (size_t k = 0; k < s->locs[i]->nr; k++)
			rd->frames[n++] = rd->names[s->locs[i]->first + k];
	return n ? profdata_add(rd->p, rd->frames, n, s->value) : 0;
}

/* Every sample, in file order. */
static int read_samples(struct rd *rd)
{
	struct sample_acc *s = calloc(1, sizeof(*s));
	int err = 0;

	rd->frames = calloc(PR_MAX_FRAMES, sizeof(*rd->frames));
	if (!s || !rd->frames) {
		free(s);
		return -ENOMEM;
	}
	for (size_t i = 0; i < rd->samples.nr && !err; i++)
		err = read_sample(rd, &rd->samples.v[i], s);
	free(s);
	return err;
}

/* string_table[0] must be "" (profile.proto); the unit is sample_type[0]'s type. */
static int check_strings(struct rd *rd)
{
	const char *s = "";
	size_t len = 0;

	if (!rd->strs.nr)
		return profdata_fail(rd->e, 0, "no string table: not a pprof profile");
	if (rd->strs.v[0].r.len)
		return profdata_fail(rd->e, rd->strs.v[0].offset,
				     "string_table[0] is not the empty string");
	if (rd->have_type && !str_at(rd, rd->sample_type, 0, &s, &len) && len)
		snprintf(rd->p->unit, sizeof(rd->p->unit), "%.*s", (int)(len > 60 ? 60 : len), s);
	else
		snprintf(rd->p->unit, sizeof(rd->p->unit), "samples");
	return 0;
}

/* Collect, check the strings, then functions, locations and samples in order. */
int pprof_read(const uint8_t *data, size_t len, struct profdata *p, struct profdata_error *e)
{
	struct rd rd = { .p = p, .e = e };
	struct pb_reader r = { .data = data, .len = len };
	int err = collect(&rd, &r);

	err = err ?: check_strings(&rd);
	err = err ?: read_functions(&rd);
	err = err ?: read_locations(&rd);
	err = err ?: read_samples(&rd);
	free(rd.strs.v);
	free(rd.fns_raw.v);
	free(rd.locs_raw.v);
	free(rd.samples.v);
	free(rd.fns);
	free(rd.locs);
	free(rd.names);
	free(rd.frames);
	hashmap_free(&rd.fn_ids);
	hashmap_free(&rd.loc_ids);
	return err;
}

/* Grow the gunzip output buffer (doubling, capped at PR_MAX_INFLATED). */
static int grow_out(uint8_t **out, size_t *cap, z_stream *z, struct profdata_error *e,
		    const uint8_t *in)
{
	size_t used = *cap - z->avail_out, ncap = *cap * 2;
	uint8_t *grown;

	if (*cap >= PR_MAX_INFLATED)
		return profdata_fail(e, (size_t)(z->next_in - in),
				     "gunzipped data larger than %u MiB", PR_MAX_INFLATED >> 20);
	if (ncap > PR_MAX_INFLATED)
		ncap = PR_MAX_INFLATED;
	grown = realloc(*out, ncap);
	if (!grown)
		return -ENOMEM;
	*out = grown;
	*cap = ncap;
	z->next_out = grown + used;
	z->avail_out = ncap - used;
	return 0;
}

/* One inflate round: progress, the end of the stream, or an error at the input offset. */
static int inflate_step(z_stream *z, const uint8_t *in, struct profdata_error *e)
{
	int zr = inflate(z, Z_NO_FLUSH);

	if (zr == Z_STREAM_END)
		return 1;
	if (zr == Z_OK || (zr == Z_BUF_ERROR && z->avail_out == 0))
		return 0;
	if (zr == Z_BUF_ERROR)
		return profdata_fail(e, (size_t)(z->next_in - in), "gzip data truncated");
	return profdata_fail(e, (size_t)(z->next_in - in), "corrupt gzip data: %s",
			     z->msg ? z->msg : "inflate failed");
}

/* Inflate one gzip member; truncation, corruption and trailing bytes are errors. */
int profdata_gunzip(const uint8_t *data, size_t len, uint8_t **out, size_t *out_len,
		    struct profdata_error *e)
{
	size_t cap = len < (1u << 16) ? (1u << 16) : len * 4;
	z_stream z = {};
	int rc = 0;

	if (cap > PR_MAX_INFLATED)
		cap = PR_MAX_INFLATED;
	*out = malloc(cap);
	if (!*out || inflateInit2(&z, 15 + 16) != Z_OK) {
		free(*out);
		return -ENOMEM;
	}
	z.next_in = (Bytef *)data;
	z.avail_in = len > UINT32_MAX ? UINT32_MAX : len;
	z.next_out = *out;
	z.avail_out = cap;
	while (rc == 0) {
		if (z.avail_out == 0)
			rc = grow_out(out, &cap, &z, e, data);
		rc = rc ?: inflate_step(&z, data, e);
	}
	if (rc == 1 && z.avail_in)
		rc = profdata_fail(e, (size_t)(z.next_in - data),
				   "trailing bytes after the gzip stream");
	*out_len = cap - z.avail_out;
	inflateEnd(&z);
	if (rc != 1) {
		free(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}
