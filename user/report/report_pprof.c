// SPDX-License-Identifier: MIT
/*
 * pprof output: a gzipped perftools.profiles.Profile (google/pprof
 * proto/profile.proto), written with our own wire encoder (protobuf.c).
 * Every distinct string, function (name, file, first line) and location
 * (function, line) gets one table entry; samples list locations leaf first.
 * Python frames are in mapping 1 ("python"); a native frame's location is in
 * its module's mapping (the file name its function name ends with).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "lib/hashmap.h"
#include "lib/protobuf.h"
#include "report/report.h"

/* profile.proto field numbers */
enum {
	P_SAMPLE_TYPE = 1,
	P_SAMPLE = 2,
	P_MAPPING = 3,
	P_LOCATION = 4,
	P_FUNCTION = 5,
	P_STRING_TABLE = 6,
	P_TIME_NANOS = 9,
	P_DURATION_NANOS = 10,
	P_PERIOD_TYPE = 11,
	P_PERIOD = 12,
	P_COMMENT = 13,
};

/* One interned table key: up to three numbers (string indices, lines) and its id. */
struct pp_ent {
	uint64_t k[3];
	uint64_t id;
	char *s; /* strings only: the owned copy */
};

struct pp {
	struct hashmap strs, fns, locs, maps;
	uint64_t nr_strs, nr_fns, nr_locs, nr_maps;
	struct pbuf strtab, functions, locations, mappings, samples, tmp, sub;
	struct pbuf s_msg, s_ids, s_label; /* one sample being built (reused) */
};

/* Entries are equal when their keys are (strings: the bytes). */
static bool ent_eq(const void *item, const void *key)
{
	const struct pp_ent *a = item, *b = key;

	if (b->s)
		return a->s && strcmp(a->s, b->s) == 0;
	return !a->s && memcmp(a->k, b->k, sizeof(a->k)) == 0;
}

/* Store a new entry (copying s when given) with the next id; NULL on ENOMEM. */
static struct pp_ent *ent_add(struct hashmap *m, uint64_t h, const struct pp_ent *key, uint64_t id)
{
	struct pp_ent *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	*e = *key;
	e->id = id;
	if (key->s && !(e->s = strdup(key->s))) {
		free(e);
		return NULL;
	}
	if (hashmap_insert(m, h, e)) {
		free(e->s);
		free(e);
		return NULL;
	}
	return e;
}

/* Index of s in the string table ("" is index 0); adds it on first use. */
static uint64_t str_id(struct pp *pp, const char *s)
{
	struct pp_ent key = { .s = (char *)(s ? s : "") }, *e;
	uint64_t h = hash_bytes(key.s, strlen(key.s), 0x5e);

	e = hashmap_find(&pp->strs, h, &key, ent_eq);
	if (e)
		return e->id;
	if (!ent_add(&pp->strs, h, &key, pp->nr_strs)) {
		pp->strtab.err = -ENOMEM;
		return 0;
	}
	pb_bytes(&pp->strtab, P_STRING_TABLE, key.s, strlen(key.s));
	return pp->nr_strs++;
}

/*
 * system_name: "file:qualname" for Python frames. It must differ from name:
 * pprof treats an equal pair as not yet demangled and strips "<...>" from a
 * name it thinks is C++, which turns "<module>" into "" (go 1.19's pprof,
 * internal/symbolizer demangleSingleFunction).
 */
static uint64_t system_name_id(struct pp *pp, const struct report_frame *fr)
{
	char buf[512];

	if (!fr->func || !fr->file || !*fr->file)
		return 0;
	snprintf(buf, sizeof(buf), "%s:%s", fr->file, fr->func);
	return str_id(pp, buf);
}

/* Function id of a frame: Python frames by (qualname, file, first line), others by name. */
static uint64_t function_id(struct pp *pp, const struct report_frame *fr)
{
	const char *name = fr->func ? fr->func : fr->name;
	struct pp_ent key = { .k = { str_id(pp, name), str_id(pp, fr->file),
				     fr->func_line > 0 ? (uint64_t)fr->func_line : 0 } };
	uint64_t h = hash_bytes(key.k, sizeof(key.k), 0xf0);
	struct pp_ent *e = hashmap_find(&pp->fns, h, &key, ent_eq);

	if (e)
		return e->id;
	if (!(e = ent_add(&pp->fns, h, &key, ++pp->nr_fns))) {
		pp->functions.err = -ENOMEM;
		return 0;
	}
	pb_reset(&pp->sub);
	pb_uint(&pp->sub, 1, e->id); /* id */
	pb_uint(&pp->sub, 2, key.k[0]); /* name */
	pb_uint(&pp->sub, 3, system_name_id(pp, fr)); /* system_name */
	pb_uint(&pp->sub, 4, key.k[1]); /* filename */
	pb_uint(&pp->sub, 5, key.k[2]); /* start_line */
	pb_msg(&pp->functions, P_FUNCTION, &pp->sub);
	return e->id;
}

/* Mapping id of a frame: 1 (Python, kernel), or one per native module. */
static uint64_t mapping_id(struct pp *pp, const struct report_frame *fr)
{
	struct pp_ent key = { .k = { fr->module ? str_id(pp, fr->module) : 0 } };
	uint64_t h = hash_bytes(key.k, sizeof(key.k), 0x3a9);
	struct pp_ent *e;

	if (!fr->module)
		return 1;
	if ((e = hashmap_find(&pp->maps, h, &key, ent_eq)))
		return e->id;
	if (!(e = ent_add(&pp->maps, h, &key, 2 + pp->nr_maps++))) {
		pp->mappings.err = -ENOMEM;
		return 1;
	}
	pb_reset(&pp->sub);
	pb_uint(&pp->sub, 1, e->id); /* id */
	pb_uint(&pp->sub, 5, key.k[0]); /* filename */
	pb_uint(&pp->sub, 7, 1); /* has_functions */
	pb_msg(&pp->mappings, P_MAPPING, &pp->sub);
	return e->id;
}

/* Location id of a frame: one per (function, line), in its mapping, with one Line. */
static uint64_t location_id(struct pp *pp, const struct report_frame *fr)
{
	struct pp_ent key = { .k = { function_id(pp, fr), fr->line > 0 ? (uint64_t)fr->line : 0 } };
	uint64_t h = hash_bytes(key.k, sizeof(key.k), 0x10c);
	struct pp_ent *e = hashmap_find(&pp->locs, h, &key, ent_eq);
	uint64_t map;

	if (e)
		return e->id;
	if (!(e = ent_add(&pp->locs, h, &key, ++pp->nr_locs))) {
		pp->locations.err = -ENOMEM;
		return 0;
	}
	pb_reset(&pp->tmp);
	pb_uint(&pp->tmp, 1, key.k[0]); /* Line.function_id */
	pb_uint(&pp->tmp, 2, key.k[1]); /* Line.line */
	map = mapping_id(pp, fr);
	pb_reset(&pp->sub);
	pb_uint(&pp->sub, 1, e->id); /* id */
	pb_uint(&pp->sub, 2, map); /* mapping_id */
	pb_msg(&pp->sub, 4, &pp->tmp); /* line */
	pb_msg(&pp->locations, P_LOCATION, &pp->sub);
	return e->id;
}

/* One Label: key and either str or num. */
static void put_label(struct pp *pp, struct pbuf *sample, const struct report_label *l)
{
	struct pbuf *lb = &pp->s_label;

	pb_reset(lb);
	pb_uint(lb, 1, str_id(pp, l->key));
	if (l->str)
		pb_uint(lb, 2, str_id(pp, l->str));
	else
		pb_uint(lb, 3, (uint64_t)l->num);
	pb_msg(sample, 3, lb);
}

/* One Sample: packed location ids leaf first, packed values, labels. */
static void put_sample(struct pp *pp, const struct report_stack *st, bool two)
{
	struct pbuf *s = &pp->s_msg, *ids = &pp->s_ids;

	pb_reset(s);
	pb_reset(ids);
	for (size_t i = st->nr_frames; i-- > 0;)
		pb_varint(ids, location_id(pp, &st->frames[i]));
	pb_msg(s, 1, ids);
	pb_reset(ids);
	pb_varint(ids, st->weight);
	if (two)
		pb_varint(ids, st->weight2);
	pb_msg(s, 2, ids);
	for (size_t i = 0; i < st->nr_labels; i++)
		put_label(pp, s, &st->labels[i]);
	pb_msg(&pp->samples, P_SAMPLE, s);
}

/* pprof unit name of a report unit: samples/calls are counts, ns nanoseconds. */
static const char *pprof_unit(const char *unit)
{
	if (!unit || !strcmp(unit, "samples") || !strcmp(unit, "calls"))
		return "count";
	if (!strcmp(unit, "ns"))
		return "nanoseconds";
	return unit;
}

/* A ValueType message (type, unit) as field `field` of out. */
static void put_value_type(struct pp *pp, struct pbuf *out, uint32_t field, const char *type,
			   const char *unit)
{
	struct pbuf vt = {};

	pb_uint(&vt, 1, str_id(pp, type));
	pb_uint(&vt, 2, str_id(pp, unit));
	pb_msg(out, field, &vt);
	pb_free(&vt);
}

/* Sample types, the mapping, period, times and the provenance comments. */
static void put_header(struct pp *pp, struct pbuf *out, const struct report_meta *m)
{
	const char *type = m->type ? m->type : (m->unit ? m->unit : "samples");
	struct pbuf map = {};
	char line[300];

	put_value_type(pp, out, P_SAMPLE_TYPE, type, pprof_unit(m->unit));
	if (m->type2)
		put_value_type(pp, out, P_SAMPLE_TYPE, m->type2, m->unit2 ? m->unit2 : "count");
	pb_uint(&map, 1, 1); /* id */
	pb_uint(&map, 5, str_id(pp, "python")); /* filename */
	pb_uint(&map, 7, 1); /* has_functions */
	pb_uint(&map, 8, 1); /* has_filenames */
	pb_uint(&map, 9, 1); /* has_line_numbers */
	pb_msg(out, P_MAPPING, &map);
	pb_free(&map);
	if (m->period_ns) {
		put_value_type(pp, out, P_PERIOD_TYPE, m->type2 ? m->type2 : "cpu", "nanoseconds");
		pb_uint(out, P_PERIOD, m->period_ns);
	}
	if (m->start_unix_ns)
		pb_uint(out, P_TIME_NANOS, m->start_unix_ns);
	if (m->duration_ns)
		pb_uint(out, P_DURATION_NANOS, m->duration_ns);
	for (size_t i = 0; i < m->nr_kv; i++) {
		snprintf(line, sizeof(line), "%s: %.*s", m->kv[i].key ? m->kv[i].key : "?",
			 (int)sizeof(m->kv[i].value), m->kv[i].value);
		pb_uint(out, P_COMMENT, str_id(pp, line));
	}
}

/* gzip (zlib, windowBits 15 + 16) the n bytes of data into f; 0 or -errno. */
static int gzip_to(FILE *f, const uint8_t *data, size_t n)
{
	uint8_t out[16384];
	z_stream z = {};
	int zr, err = 0;

	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	z.next_in = (Bytef *)data;
	do {
		/* avail_in is 32-bit: feed at most 1 GiB per round */
		size_t chunk = n > (1u << 30) ? (1u << 30) : n;

		z.avail_in = chunk;
		n -= chunk;
		do {
			z.next_out = out;
			z.avail_out = sizeof(out);
			zr = deflate(&z, n ? Z_NO_FLUSH : Z_FINISH);
			if (zr == Z_STREAM_ERROR) {
				err = -EIO;
				break;
			}
			if (fwrite(out, 1, sizeof(out) - z.avail_out, f) !=
			    sizeof(out) - z.avail_out)
				err = -EIO;
		} while (!err && z.avail_out == 0);
	} while (!err && n);
	deflateEnd(&z);
	return err;
}

/* Free every table entry and buffer. */
static void pp_free(struct pp *pp)
{
	struct hashmap *maps[] = { &pp->strs, &pp->fns, &pp->locs, &pp->maps };
	struct pp_ent *e;

	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		hashmap_for_each(maps[i], e)
		{
			free(e->s);
			free(e);
		}
		hashmap_free(maps[i]);
	}
	pb_free(&pp->strtab);
	pb_free(&pp->functions);
	pb_free(&pp->locations);
	pb_free(&pp->mappings);
	pb_free(&pp->samples);
	pb_free(&pp->tmp);
	pb_free(&pp->sub);
	pb_free(&pp->s_msg);
	pb_free(&pp->s_ids);
	pb_free(&pp->s_label);
}

/* The Profile message: header, samples, then the tables the samples filled. */
static int build(struct pp *pp, struct pbuf *out, const struct report_stack *stacks, size_t nr,
		 const struct report_meta *meta)
{
	str_id(pp, ""); /* string_table[0] must be "" */
	put_header(pp, out, meta);
	for (size_t i = 0; i < nr; i++) {
		if (!stacks[i].nr_frames)
			continue;
		if (!stacks[i].frames)
			return -EINVAL;
		put_sample(pp, &stacks[i], meta->type2 != NULL);
	}
	pb_raw(out, pp->samples.data, pp->samples.len);
	pb_raw(out, pp->mappings.data, pp->mappings.len);
	pb_raw(out, pp->locations.data, pp->locations.len);
	pb_raw(out, pp->functions.data, pp->functions.len);
	pb_raw(out, pp->strtab.data, pp->strtab.len);
	return out->err			 ?:
		       pp->samples.err	 ?:
		       pp->locations.err ?:
		       pp->mappings.err	 ?:
		       pp->functions.err ?:
					   pp->strtab.err;
}

/* report_ops.write for "pprof". */
static int pprof_write(FILE *f, const struct report_stack *stacks, size_t nr,
		       const struct report_meta *meta)
{
	struct pp pp = {};
	struct pbuf out = {};
	int err;

	if (!f || !meta || (nr && !stacks) || (meta->nr_kv && !meta->kv))
		return -EINVAL;
	err = build(&pp, &out, stacks, nr, meta);
	if (!err)
		err = gzip_to(f, out.data, out.len);
	pp_free(&pp);
	pb_free(&out);
	return err ?: (ferror(f) ? -EIO : 0);
}

const struct report_ops report_pprof_ops = {
	.name = "pprof",
	.ext = "pb.gz",
	.labels = true,
	.write = pprof_write,
};
