// SPDX-License-Identifier: MIT
/* Stacks -> OTLP ExportProfilesServiceRequest (field numbers: tests/data/otlp/ .proto files). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "agent/agent_otlp.h"
#include "lib/hashmap.h"

/* ProfilesDictionary fields: the tables, each with the zero value at index 0. */
enum { D_MAPPING = 1, D_LOCATION, D_FUNCTION, D_LINK, D_STRING, D_ATTRIBUTE, D_STACK };
enum { T_STR, T_FN, T_LOC, T_STACK, T_ATTR, T__N };
static const uint32_t table_field[T__N] = { D_STRING, D_FUNCTION, D_LOCATION, D_STACK,
					    D_ATTRIBUTE };

/* One interned entry: its key bytes and index. */
struct ent {
	int32_t id;
	size_t n;
	unsigned char key[];
};

struct key {
	const void *p;
	size_t n;
};

/* A dictionary table: interned keys and the encoded entries, in index order. */
struct table {
	struct hashmap m;
	int32_t nr;
	struct pbuf out;
};

struct enc {
	struct table t[T__N];
	struct pbuf samples, sub, tmp;
	int err;
};

static bool ent_eq(const void *item, const void *key)
{
	const struct ent *e = item;
	const struct key *k = key;

	return e->n == k->n && !memcmp(e->key, k->p, k->n);
}

/* Index of key in table i; *fresh when it was added (the caller encodes the entry). */
static int32_t intern(struct enc *x, int i, const void *p, size_t n, bool *fresh)
{
	struct table *t = &x->t[i];
	struct key k = { p, n };
	uint64_t h = hash_bytes(p, n, (uint64_t)i + 0x0e1);
	struct ent *e = hashmap_find(&t->m, h, &k, ent_eq);

	*fresh = false;
	if (e)
		return e->id;
	e = malloc(sizeof(*e) + n);
	if (!e || hashmap_insert(&t->m, h, e)) {
		free(e);
		x->err = -ENOMEM;
		return 0;
	}
	memcpy(e->key, p, n);
	e->n = n;
	e->id = t->nr++;
	*fresh = true;
	return e->id;
}

static int32_t str_idx(struct enc *x, const char *s)
{
	bool fresh;
	int32_t id = intern(x, T_STR, s ? s : "", s ? strlen(s) : 0, &fresh);

	if (fresh)
		pb_bytes(&x->t[T_STR].out, D_STRING, s ? s : "", s ? strlen(s) : 0);
	return id;
}

/* Function of a frame: Python frames by (qualname, file, first line), others by name. */
static int32_t fn_idx(struct enc *x, const struct report_frame *fr)
{
	int64_t k[3] = { str_idx(x, fr->func ? fr->func : fr->name), str_idx(x, fr->file),
			 fr->func_line > 0 ? fr->func_line : 0 };
	bool fresh;
	int32_t id = intern(x, T_FN, k, sizeof(k), &fresh);

	if (!fresh)
		return id;
	pb_reset(&x->sub);
	pb_uint(&x->sub, 1, (uint64_t)k[0]); /* name_strindex */
	pb_uint(&x->sub, 3, (uint64_t)k[1]); /* filename_strindex */
	pb_uint(&x->sub, 4, (uint64_t)k[2]); /* start_line */
	pb_msg(&x->t[T_FN].out, D_FUNCTION, &x->sub);
	return id;
}

/* Location of a frame: one Line (function, line), no mapping (index 0). */
static int32_t loc_idx(struct enc *x, const struct report_frame *fr)
{
	int64_t k[2] = { fn_idx(x, fr), fr->line > 0 ? fr->line : 0 };
	bool fresh;
	int32_t id = intern(x, T_LOC, k, sizeof(k), &fresh);

	if (!fresh)
		return id;
	pb_reset(&x->tmp);
	pb_uint(&x->tmp, 1, (uint64_t)k[0]); /* Line.function_index */
	pb_uint(&x->tmp, 2, (uint64_t)k[1]); /* Line.line */
	pb_reset(&x->sub);
	pb_msg(&x->sub, 3, &x->tmp); /* Location.lines */
	pb_msg(&x->t[T_LOC].out, D_LOCATION, &x->sub);
	return id;
}

/* Stack of st: its locations leaf first (the spec's order; ours is root first). */
static int32_t stack_idx(struct enc *x, const struct report_stack *st)
{
	int32_t *locs = calloc(st->nr_frames + 1, sizeof(*locs)), id;
	size_t n = 0;
	bool fresh;

	if (!locs) {
		x->err = -ENOMEM;
		return 0;
	}
	for (size_t i = st->nr_frames; i-- > 0;)
		if (st->frames[i].kind != RF_PROCESS && st->frames[i].kind != RF_THREAD)
			locs[n++] = loc_idx(x, &st->frames[i]);
	id = intern(x, T_STACK, locs, n * sizeof(*locs), &fresh);
	if (fresh) {
		pb_reset(&x->tmp);
		for (size_t i = 0; i < n; i++)
			pb_varint(&x->tmp, (uint64_t)locs[i]);
		pb_reset(&x->sub);
		pb_bytes(&x->sub, 1, x->tmp.data, x->tmp.len); /* packed location_indices */
		pb_msg(&x->t[T_STACK].out, D_STACK, &x->sub);
	}
	free(locs);
	return id;
}

/* AnyValue: a string, or (s NULL) an int. */
static void any_value(struct pbuf *b, uint32_t field, const char *s, int64_t v, struct pbuf *tmp)
{
	pb_reset(tmp);
	if (s)
		pb_bytes(tmp, 1, s, strlen(s)); /* string_value */
	else
		pb_uint(tmp, 3, (uint64_t)v); /* int_value */
	pb_msg(b, field, tmp);
}

/* A sample attribute (KeyValueAndUnit in the attribute table): its index. */
static int32_t attr_idx(struct enc *x, const char *key, const char *s, int64_t v)
{
	int64_t k[3] = { str_idx(x, key), s ? 1 : 0, s ? str_idx(x, s) : v };
	bool fresh;
	int32_t id = intern(x, T_ATTR, k, sizeof(k), &fresh);
	struct pbuf val = {};

	if (!fresh)
		return id;
	pb_reset(&x->sub);
	pb_uint(&x->sub, 1, (uint64_t)k[0]); /* key_strindex */
	any_value(&x->sub, 2, s, v, &val);
	pb_msg(&x->t[T_ATTR].out, D_ATTRIBUTE, &x->sub);
	x->err = x->err ?: val.err;
	pb_free(&val);
	return id;
}

/* The attributes of a sample from its labels: thread.id and thread.name. */
static void sample_attrs(struct enc *x, const struct report_stack *st, struct pbuf *packed)
{
	for (size_t i = 0; i < st->nr_labels; i++) {
		const struct report_label *l = &st->labels[i];

		if (!strcmp(l->key, "tid"))
			pb_varint(packed, (uint64_t)attr_idx(x, "thread.id", NULL, l->num));
		else if (!strcmp(l->key, "thread_name") && l->str)
			pb_varint(packed, (uint64_t)attr_idx(x, "thread.name", l->str, 0));
	}
}

static void put_sample(struct enc *x, const struct report_stack *st)
{
	struct pbuf attrs = {}, vals = {};

	sample_attrs(x, st, &attrs);
	pb_varint(&vals, st->weight);
	pb_reset(&x->sub);
	pb_uint(&x->sub, 1, (uint64_t)stack_idx(x, st)); /* stack_index */
	pb_bytes(&x->sub, 2, attrs.data, attrs.len); /* packed attribute_indices */
	pb_bytes(&x->sub, 4, vals.data, vals.len); /* packed values */
	pb_msg(&x->samples, 2, &x->sub); /* Profile.samples */
	x->err = x->err ?: attrs.err ?: vals.err;
	pb_free(&attrs);
	pb_free(&vals);
}

/* OTLP units are the semantic conventions' words: "count" for our tallies. */
static const char *otlp_unit(const char *u)
{
	if (!u || !strcmp(u, "samples") || !strcmp(u, "calls"))
		return "count";
	return !strcmp(u, "ns") ? "nanoseconds" : u;
}

static void value_type(struct enc *x, struct pbuf *b, uint32_t field, const char *type,
		       const char *unit)
{
	pb_reset(&x->tmp);
	pb_uint(&x->tmp, 1, (uint64_t)str_idx(x, type));
	pb_uint(&x->tmp, 2, (uint64_t)str_idx(x, unit));
	pb_msg(b, field, &x->tmp);
}

static void put_fixed64(struct pbuf *b, uint32_t field, uint64_t v)
{
	uint8_t le[8];

	for (int i = 0; i < 8; i++)
		le[i] = (uint8_t)(v >> (8 * i));
	pb_varint(b, (uint64_t)field << 3 | PB_I64);
	pb_raw(b, le, sizeof(le));
}

/* The Profile message: sample type, samples, times, period. */
static void put_profile(struct enc *x, const struct report_meta *m, struct pbuf *p)
{
	value_type(x, p, 1, m->type ? m->type : m->unit, otlp_unit(m->unit));
	pb_raw(p, x->samples.data, x->samples.len);
	put_fixed64(p, 3, m->start_unix_ns);
	pb_uint(p, 4, m->duration_ns);
	if (m->period_ns) {
		value_type(x, p, 5, m->type2 ? m->type2 : "cpu", "nanoseconds");
		pb_uint(p, 6, m->period_ns);
	}
}

static void kv_str(struct pbuf *b, const char *key, const char *val, struct pbuf *sub,
		   struct pbuf *tmp)
{
	if (!val || !*val)
		return;
	pb_reset(sub);
	pb_bytes(sub, 1, key, strlen(key));
	any_value(sub, 2, val, 0, tmp);
	pb_msg(b, 1, sub); /* Resource.attributes */
}

/* Resource attributes, OpenTelemetry semantic conventions' names. */
static void put_resource(struct enc *x, const struct agent_otlp_resource *r, struct pbuf *res)
{
	const struct container_ident *ct = r->ct;
	struct pbuf kv = {};

	kv_str(res, "service.name", r->service, &kv, &x->tmp);
	kv_str(res, "host.name", r->host, &kv, &x->tmp);
	pb_reset(&kv);
	pb_bytes(&kv, 1, "process.pid", strlen("process.pid"));
	any_value(&kv, 2, NULL, r->pid, &x->tmp);
	pb_msg(res, 1, &kv);
	kv_str(res, "process.runtime.name", "CPython", &kv, &x->tmp);
	kv_str(res, "process.runtime.version", r->python, &kv, &x->tmp);
	if (ct) {
		kv_str(res, "k8s.namespace.name", ct->ns, &kv, &x->tmp);
		kv_str(res, "k8s.pod.name", ct->pod, &kv, &x->tmp);
		kv_str(res, "k8s.pod.uid", ct->pod_uid, &kv, &x->tmp);
		kv_str(res, "k8s.container.name", ct->name, &kv, &x->tmp);
		kv_str(res, "container.id", ct->id, &kv, &x->tmp);
		kv_str(res, "container.runtime", ct->runtime, &kv, &x->tmp);
	}
	x->err = x->err ?: kv.err;
	pb_free(&kv);
}

/* ResourceProfiles { resource, scope_profiles { scope, profiles } }. */
static void put_resource_profiles(struct enc *x, const struct report_meta *m,
				  const struct agent_otlp_resource *r, struct pbuf *out)
{
	struct pbuf res = {}, prof = {}, scope = {}, sp = {}, rp = {};

	put_resource(x, r, &res);
	put_profile(x, m, &prof);
	pb_bytes(&scope, 1, "pystrobe", 8); /* InstrumentationScope.name */
	pb_bytes(&scope, 2, PS_VERSION, strlen(PS_VERSION));
	pb_msg(&sp, 1, &scope);
	pb_msg(&sp, 2, &prof);
	pb_msg(&rp, 1, &res);
	pb_msg(&rp, 2, &sp);
	pb_msg(out, 1, &rp); /* ExportProfilesServiceRequest.resource_profiles */
	x->err = x->err ?: res.err ?: prof.err ?: scope.err ?: sp.err ?: rp.err;
	pb_free(&res);
	pb_free(&prof);
	pb_free(&scope);
	pb_free(&sp);
	pb_free(&rp);
}

/* The dictionary: the zero value of every table first, then the entries. */
static void put_dictionary(struct enc *x, struct pbuf *out)
{
	struct pbuf d = {}, empty = {};

	pb_msg(&d, D_MAPPING, &empty);
	pb_msg(&d, D_LINK, &empty);
	for (int i = 0; i < T__N; i++)
		pb_raw(&d, x->t[i].out.data, x->t[i].out.len);
	pb_msg(out, 2, &d);
	x->err = x->err ?: d.err;
	pb_free(&d);
}

/* Index 0 of every table is its zero value; "" is string 0. */
static void enc_init(struct enc *x)
{
	struct pbuf empty = {};
	bool fresh;

	memset(x, 0, sizeof(*x));
	str_idx(x, "");
	for (int i = T_FN; i < T__N; i++) {
		intern(x, i, "", 0, &fresh); /* no real key is empty: taken by the zero value */
		pb_msg(&x->t[i].out, table_field[i], &empty);
	}
}

static void enc_free(struct enc *x)
{
	for (int i = 0; i < T__N; i++) {
		hashmap_free_all(&x->t[i].m);
		x->err = x->err ?: x->t[i].out.err;
		pb_free(&x->t[i].out);
	}
	x->err = x->err ?: x->samples.err ?: x->sub.err ?: x->tmp.err;
	pb_free(&x->samples);
	pb_free(&x->sub);
	pb_free(&x->tmp);
}

int agent_otlp_encode(const struct report_stack *st, size_t n, const struct report_meta *meta,
		      const struct agent_otlp_resource *r, struct pbuf *out)
{
	struct enc x;
	int err;

	enc_init(&x);
	for (size_t i = 0; i < n; i++)
		put_sample(&x, &st[i]);
	put_resource_profiles(&x, meta, r, out);
	put_dictionary(&x, out);
	enc_free(&x);
	err = x.err ?: out->err;
	return err;
}
