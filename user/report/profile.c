// SPDX-License-Identifier: MIT
/* Symbolize raw stacks, merge them by name, and count per function. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "native/modlabel.h"
#include "python/linetable.h"
#include "python/pyversion.h"
#include "target/procfs.h"
#include "report/profile.h"
#include "python/symbolize.h"

#define NAME_MAX_LEN 1024
#define ROOT_FRAMES 4 /* process, thread, [truncated]/[unreadable], spare */

/* A named frame, cached per (process generation, code object, position). */
struct named {
	const struct target *t;
	uint64_t code;
	uint32_t instr;
	uint16_t tag;
	uint8_t owner;
	uint8_t kind; /* enum agg_frame_kind */
	bool skip; /* not shown (not code / incomplete) */
	struct report_frame rf;
	struct fn_stat *fn;
	int32_t line;
};

struct named_key {
	const struct target *t;
	uint64_t code;
	uint32_t instr;
	uint16_t tag;
	uint8_t owner;
	uint8_t kind;
};

/* A merged stack: the frames are pooled names, compared by pointer. */
struct merged {
	struct report_stack rs;
	uint64_t hash;
	struct report_label labels[PROFILE_LABELS_MAX];
	struct report_frame frames[];
};

struct line_stat {
	struct fn_stat *fn;
	int32_t line;
	uint64_t self;
};

static bool named_eq(const void *item, const void *key)
{
	const struct named *n = item;
	const struct named_key *k = key;

	return n->t == k->t && n->code == k->code && n->instr == k->instr && n->tag == k->tag &&
	       n->owner == k->owner && n->kind == k->kind;
}

static bool merged_eq(const void *item, const void *key)
{
	const struct merged *m = item;
	const struct report_stack *k = key;

	return m->rs.nr_frames == k->nr_frames && m->rs.nr_labels == k->nr_labels &&
	       memcmp(m->frames, k->frames, k->nr_frames * sizeof(*k->frames)) == 0 &&
	       memcmp(m->labels, k->labels, k->nr_labels * sizeof(*k->labels)) == 0;
}

static bool fn_eq(const void *item, const void *key)
{
	const struct fn_stat *a = item, *b = key;

	return a->name == b->name && a->file == b->file && a->firstlineno == b->firstlineno;
}

static bool line_eq(const void *item, const void *key)
{
	const struct line_stat *a = item, *b = key;

	return a->fn == b->fn && a->line == b->line;
}

/* The stats entry of function (name, file, firstlineno), created on first use. */
static struct fn_stat *fn_get(struct profile *p, const char *name, const char *file, int32_t first)
{
	struct fn_stat key = { .name = name, .file = file, .firstlineno = first }, *fn;
	uint64_t h = hash_u64((uintptr_t)name ^ hash_u64((uintptr_t)file) ^ (uint32_t)first);

	fn = hashmap_find(&p->fn_map, h, &key, fn_eq);
	if (fn)
		return fn;
	fn = calloc(1, sizeof(*fn));
	if (!fn || hashmap_insert(&p->fn_map, h, fn)) {
		free(fn);
		return NULL;
	}
	*fn = key;
	fn->hot_line = first;
	fn->seen_stack = UINT32_MAX;
	return fn;
}

/* A pseudo frame ("[truncated]") as a frame and a function. */
static int pseudo(struct profile *p, const char *name, struct report_frame *rf, struct fn_stat **fn)
{
	rf->name = strpool_intern(p->pool, name);
	rf->kind = RF_PSEUDO;
	if (fn)
		*fn = fn_get(p, rf->name, "", 0);
	return rf->name && (!fn || *fn) ? 0 : -ENOMEM;
}

/*
 * The symbol of a frame: from BPF's records, else read from the live process
 * (only if the object there now has the frame's tag, or BPF could not tag it).
 */
static struct pysym *find_sym(struct symtab *st, const struct target *t, const struct ps_frame *f)
{
	struct pysym *sym = symtab_find(st, t->t.pid, t->gen, f->code_addr, f->code_tag);
	struct ps_symbol *rec;

	if (sym || t->exited)
		return sym;
	rec = calloc(1, sizeof(*rec));
	if (rec &&
	    symbolize_read_symbol(t->t.pid, &t->t.layout, f->code_addr, t->gen,
				  t->t.bpf.code_type_addr, rec) == 0 &&
	    (f->code_tag == 0 || f->code_tag == rec->code_tag)) {
		rec->code_tag = f->code_tag;
		symtab_add(st, rec, sizeof(*rec), t->t.layout.off.str_kind == PS_STR_BYTES);
	}
	free(rec);
	return symtab_find(st, t->t.pid, t->gen, f->code_addr, f->code_tag);
}

/* Replace a line table BPF had to cut with the whole one, while the process lives. */
static void complete_linetable(struct symtab *st, struct pysym *sym, const struct target *t)
{
	if (!(sym->flags & PS_SYM_LT_CUT) || t->exited)
		return;
	if (symbolize_complete_linetable(st, sym, t->t.pid, &t->t.layout) == 0)
		sym->flags &= ~PS_SYM_LT_CUT;
}

/*
 * The line of frame f in sym. A table that is still cut (process gone) may
 * name a wrong line for positions past the cut: such frames count as unknown.
 */
static int frame_line(struct profile *p, struct symtab *st, struct pysym *sym,
		      const struct target *t, const struct ps_frame *f)
{
	int line;

	complete_linetable(st, sym, t);
	line = symbolize_line(sym, &t->t.layout, f);
	if (line == SYMBOLIZE_INCOMPLETE)
		return line;
	if (line == LINETABLE_BAD || (sym->flags & PS_SYM_LT_CUT))
		p->nr_lines_unknown++;
	if (line == LINETABLE_BAD || line == LINETABLE_NO_LINE)
		line = sym->firstlineno;
	return line;
}

/* Name one Python frame (cached per code object and position). */
static int name_python(struct profile *p, struct symtab *st, struct pysym *sym,
		       const struct target *t, const struct ps_frame *f, struct named *n)
{
	char buf[NAME_MAX_LEN];

	if (sym->flags & PS_SYM_NOT_CODE) {
		n->skip = true;
		return 0;
	}
	n->line = frame_line(p, st, sym, t, f);
	if (n->line == SYMBOLIZE_INCOMPLETE) {
		n->skip = true;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s (%s:%d)", sym->name, sym->filename, n->line);
	n->rf.name = strpool_intern(p->pool, buf);
	n->rf.kind = RF_PYTHON;
	n->rf.func = sym->name;
	n->rf.file = sym->filename;
	n->rf.line = n->line;
	n->rf.func_line = sym->firstlineno;
	n->fn = fn_get(p, sym->name, sym->filename, sym->firstlineno);
	return n->rf.name && n->fn ? 0 : -ENOMEM;
}

/*
 * A native frame "symbol (module)" (native/modlabel.h): its function in the
 * summary is the symbol in the module's file, so that it prints as named.
 */
static int name_native(struct profile *p, const char *name, struct named *n)
{
	const char *label, *sym = name, *mod = ""; /* "[libfoo.so.1]": no symbol, no module */
	size_t label_len, sym_len = modlabel_split(name, &label, &label_len);
	char buf[NAME_MAX_LEN];

	if (sym_len) {
		snprintf(buf, sizeof(buf), "%.*s", (int)label_len, label);
		n->rf.module = mod = strpool_intern(p->pool, buf);
		snprintf(buf, sizeof(buf), "%.*s", (int)sym_len, name);
		sym = strpool_intern(p->pool, buf);
	}
	n->fn = sym && mod ? fn_get(p, sym, mod, 0) : NULL;
	return n->fn ? 0 : -ENOMEM;
}

/* Name a native, kernel or pseudo frame (pooled by its producer: native/xstack.c, wall/). */
static int name_xframe(struct profile *p, const struct agg_frame *f, struct named *n)
{
	bool kernel = f->kind == AGG_FRAME_KERNEL;

	if (f->kind == AGG_FRAME_PSEUDO)
		return pseudo(p, f->name, &n->rf, &n->fn);
	n->rf.name = f->name;
	n->rf.kind = kernel ? RF_KERNEL : RF_NATIVE;
	n->rf.func = f->name;
	if (!kernel)
		return name_native(p, f->name, n);
	n->fn = fn_get(p, f->name, "[kernel]", 0);
	return n->fn ? 0 : -ENOMEM;
}

/* The name of frame af of a stack of target t (cached); NULL on ENOMEM. */
static struct named *name_frame(struct profile *p, struct symtab *st, const struct target *t,
				const struct agg_frame *af)
{
	const struct ps_frame pf = { af->code_addr, af->instr, af->code_tag, af->owner, 0 },
			      *f = &pf;
	struct named_key k = { t, f->code_addr, f->instr, f->code_tag, f->owner, af->kind };
	uint64_t h = hash_u64(f->code_addr ^ hash_u64((uintptr_t)t) ^
			      ((uint64_t)f->instr << 24 | (uint64_t)f->code_tag << 8 | f->owner |
			       (uint64_t)af->kind << 56));
	struct named *n = hashmap_find(&p->name_cache, h, &k, named_eq);
	struct pysym *sym;
	char buf[64];
	int err;

	if (n)
		return n;
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->t = t;
	n->code = f->code_addr;
	n->instr = f->instr;
	n->tag = f->code_tag;
	n->owner = f->owner;
	n->kind = af->kind;
	sym = af->kind != AGG_FRAME_PYTHON ? NULL : find_sym(st, t, f);
	if (af->kind != AGG_FRAME_PYTHON) {
		err = name_xframe(p, af, n);
	} else if (sym) {
		err = name_python(p, st, sym, t, f, n);
	} else {
		p->nr_unknown_code++;
		snprintf(buf, sizeof(buf), "[unknown code %#llx]",
			 (unsigned long long)f->code_addr);
		err = pseudo(p, buf, &n->rf, &n->fn);
	}
	if (err || hashmap_insert(&p->name_cache, h, n)) {
		free(n);
		return NULL;
	}
	return n;
}

/* The GIL level of --split-gil: 1 frame written (0 on ENOMEM). */
static size_t gil_frame(struct profile *p, uint32_t flags, struct report_frame *out)
{
	const char *name = !(flags & PS_SAMPLE_GIL_KNOWN) ? "[GIL state unknown]" :
			   flags & PS_SAMPLE_GIL_HELD	  ? "[GIL held]" :
							    "[GIL released]";

	return pseudo(p, name, out, NULL) ? 0 : 1;
}

/*
 * The process root frame: "comm script.py (pid)", and for a process in
 * another pid namespace (a container) "comm script.py [ns pid N, CGROUP]
 * (pid)": the host pid stays last, the container's view and cgroup before it.
 * Under --merge the name alone: processes with the same command line share it.
 */
static void process_name(const struct target *t, uint32_t pid, bool merge, char *buf, size_t len)
{
	char ct[2 * CONTAINER_NAME_MAX + 32];

	if (merge) /* a pre-fork server's workers, a -j build's jobs: one tree */
		snprintf(buf, len, "%s", t ? t->t.label : "?");
	/* a known container or pod says which, in the words of its runtime */
	else if (t && container_label(&t->t.ns.ct, ct, sizeof(ct))[0])
		snprintf(buf, len, "%s [%s] (%u)", t->t.label, ct, pid);
	else if (t && t->t.ns.other_ns)
		snprintf(buf, len, "%s [ns pid %d, %s] (%u)", t->t.label, (int)t->t.ns.ns_pid,
			 t->t.ns.cgroup[0] ? t->t.ns.cgroup : "?", pid);
	else
		snprintf(buf, len, "%s (%u)", t ? t->t.label : "?", pid);
}

/* Root frames: process, then thread under --threads, then a cut marker. */
static int root_frames(struct profile *p, const struct agg *a, const struct raw_stack *rs,
		       const struct target *t, const struct profile_opts *o,
		       struct report_frame *out, size_t *nr)
{
	char buf[1024]; /* label, namespace pid and cgroup or pod and container fit whole */

	if (!o->labels) {
		process_name(t, rs->pid, o->merge, buf, sizeof(buf));
		out[(*nr)++] = (struct report_frame){ .name = strpool_intern(p->pool, buf),
						      .kind = RF_PROCESS };
	}
	if (o->threads && !o->labels) {
		snprintf(buf, sizeof(buf), "%s (%u)", agg_thread_name(a, rs->tid), rs->tid);
		out[(*nr)++] = (struct report_frame){ .name = strpool_intern(p->pool, buf),
						      .kind = RF_THREAD };
	}
	if (o->split_gil)
		*nr += gil_frame(p, rs->flags, &out[*nr]);
	if (rs->flags & PS_SAMPLE_TRUNCATED)
		return pseudo(p, "[truncated]", &out[(*nr)++], NULL);
	if (rs->flags & PS_SAMPLE_UNREADABLE)
		return pseudo(p, "[unreadable]", &out[(*nr)++], NULL);
	return 0;
}

/* Add weight to the (function, line) self counter and keep the function's hot line. */
static int count_self(struct profile *p, struct fn_stat *fn, int32_t line, uint64_t w)
{
	struct line_stat key = { .fn = fn, .line = line }, *ls;
	uint64_t h = hash_u64((uintptr_t)fn ^ (uint32_t)line);

	fn->self += w;
	ls = hashmap_find(&p->line_map, h, &key, line_eq);
	if (!ls) {
		ls = calloc(1, sizeof(*ls));
		if (!ls || hashmap_insert(&p->line_map, h, ls)) {
			free(ls);
			return -ENOMEM;
		}
		*ls = key;
	}
	ls->self += w;
	if (ls->self > fn->hot_line_self) {
		fn->hot_line_self = ls->self;
		fn->hot_line = line;
	}
	return 0;
}

/* namespace, pod, container, container_id labels of what is known of c (at most 4). */
static size_t container_labels(struct profile *p, const struct container_ident *c,
			       struct report_label *l)
{
	const char *const keys[] = { "namespace", "pod", "container", "container_id" };
	const char *const vals[] = { c->ns, c->pod, c->name, c->id };
	size_t n = 0;

	for (size_t i = 0; i < 4; i++)
		if (vals[i][0])
			l[n++] = (struct report_label){ .key = keys[i],
							.str = strpool_intern(p->pool, vals[i]) };
	return n;
}

/* The sample labels of a raw stack (labels mode): pooled strings, numbers. */
static size_t make_labels(struct profile *p, const struct agg *a, const struct raw_stack *rs,
			  const struct target *t, struct report_label *l)
{
	char ver[32];
	size_t n = 0;

	l[n++] = (struct report_label){ .key = "pid", .num = rs->pid };
	l[n++] = (struct report_label){ .key = "tid", .num = rs->tid };
	l[n++] = (struct report_label){
		.key = "thread_name", .str = strpool_intern(p->pool, agg_thread_name(a, rs->tid))
	};
	l[n++] = (struct report_label){ .key = "process_name",
					.str = strpool_intern(p->pool, t ? t->t.label : "?") };
	if (t) {
		l[n++] = (struct report_label){
			.key = "python",
			.str = strpool_intern(p->pool, pyversion_str(&t->t.ver, ver, sizeof(ver)))
		};
		l[n++] = (struct report_label){ .key = "ns_pid", .num = t->t.ns.ns_pid };
		if (t->t.ns.cgroup[0])
			l[n++] = (struct report_label){
				.key = "cgroup", .str = strpool_intern(p->pool, t->t.ns.cgroup)
			};
		n += container_labels(p, &t->t.ns.ct, l + n);
	}
	if (rs->flags & PS_SAMPLE_GIL_KNOWN)
		l[n++] = (struct report_label){ .key = "gil_held",
						.str = rs->flags & PS_SAMPLE_GIL_HELD ? "true" :
											"false" };
	/* --wall: the reason, also the leaf pseudo frame */
	if (rs->nr_frames && rs->frames[0].kind == AGG_FRAME_PSEUDO)
		l[n++] = (struct report_label){ .key = "reason", .str = rs->frames[0].name };
	return n;
}

/* Add a named stack (and its labels) to the merged set. */
static int merge(struct profile *p, const struct report_frame *frames, size_t nr, uint64_t w,
		 const struct report_label *labels, size_t nr_labels)
{
	struct report_stack key = { .frames = frames,
				    .nr_frames = nr,
				    .weight = w,
				    .labels = labels,
				    .nr_labels = nr_labels };
	uint64_t h = hash_bytes(frames, nr * sizeof(*frames),
				hash_bytes(labels, nr_labels * sizeof(*labels), 0x57ac));
	struct merged *m = hashmap_find(&p->merged, h, &key, merged_eq);

	if (m) {
		m->rs.weight += w;
		return 0;
	}
	m = malloc(sizeof(*m) + nr * sizeof(*frames));
	if (!m)
		return -ENOMEM;
	memcpy(m->frames, frames, nr * sizeof(*frames));
	memset(m->labels, 0, sizeof(m->labels));
	memcpy(m->labels, labels, nr_labels * sizeof(*labels));
	m->rs = (struct report_stack){ .frames = m->frames,
				       .nr_frames = nr,
				       .weight = w,
				       .labels = m->labels,
				       .nr_labels = nr_labels };
	m->hash = h;
	if (hashmap_insert(&p->merged, h, m)) {
		free(m);
		return -ENOMEM;
	}
	return 0;
}

/*
 * fn calls callee in w samples: Boyer-Moore's weighted majority vote, so
 * that a callee holding most of fn's weight ends as fn->child (no per-pair map).
 */
static void note_child(struct fn_stat *fn, const struct fn_stat *callee, uint64_t w)
{
	if (fn->child == callee) {
		fn->child_votes += w;
	} else if (fn->child_votes >= w) {
		fn->child_votes -= w;
	} else {
		fn->child = callee;
		fn->child_votes = w - fn->child_votes;
	}
}

bool profile_fn_is_wrapper(const struct fn_stat *fn)
{
	return fn->child && fn->child != fn && fn->self * 50 <= fn->total &&
	       fn->child->total * 100 >= fn->total * 98;
}

/* Name the Python frames of rs, root first, after the roots already in out. */
static int python_frames(struct profile *p, struct symtab *st, const struct target *t,
			 const struct raw_stack *rs, struct report_frame *out, size_t *nr,
			 struct named **leaf, uint32_t stamp)
{
	for (uint32_t i = rs->nr_frames; i-- > 0;) {
		struct named *n = t ? name_frame(p, st, t, &rs->frames[i]) : NULL;

		if (!n)
			return t ? -ENOMEM : 0;
		if (n->skip)
			continue;
		out[(*nr)++] = n->rf;
		if (*leaf)
			note_child((*leaf)->fn, n->fn, rs->count);
		if (n->fn->seen_stack != stamp) {
			n->fn->seen_stack = stamp;
			n->fn->total += rs->count;
		}
		*leaf = n;
	}
	return 0;
}

/* Name one raw stack and merge it. */
static int add_raw(struct profile *p, const struct agg *a, struct symtab *st,
		   const struct targets *ts, const struct profile_opts *o,
		   const struct raw_stack *rs, struct report_frame *buf, uint32_t stamp)
{
	const struct target *t = targets_find(ts, rs->pid, rs->gen);
	struct report_label labels[PROFILE_LABELS_MAX];
	struct named *leaf = NULL;
	size_t nr = 0, nr_labels = 0;
	struct fn_stat *fn;
	int err;

	err = root_frames(p, a, rs, t, o, buf, &nr);
	err = err ?: python_frames(p, st, t, rs, buf, &nr, &leaf, stamp);
	if (err)
		return err;
	if (leaf) {
		err = count_self(p, leaf->fn, leaf->line, rs->count);
	} else {
		err = pseudo(p,
			     rs->flags & PS_SAMPLE_NO_TSTATE ? "[no Python thread state]" :
							       "[no Python frame]",
			     &buf[nr++], &fn);
		if (!err) {
			fn->total += rs->count;
			err = count_self(p, fn, 0, rs->count);
		}
	}
	p->total += rs->count;
	if (!err && o->labels)
		nr_labels = make_labels(p, a, rs, t, labels);
	return err ?: merge(p, buf, nr, rs->count, labels, nr_labels);
}

/* Order stacks by their frame names, root first (what flame graph tools expect). */
static int cmp_stacks(const void *pa, const void *pb)
{
	const struct report_stack *a = pa, *b = pb;
	size_t n = a->nr_frames < b->nr_frames ? a->nr_frames : b->nr_frames;

	for (size_t i = 0; i < n; i++) {
		int c = strcmp(a->frames[i].name, b->frames[i].name);

		if (c)
			return c;
	}
	return (a->nr_frames > b->nr_frames) - (a->nr_frames < b->nr_frames);
}

/* Functions by self weight, then total, then name: deterministic. */
static int cmp_fns(const void *pa, const void *pb)
{
	const struct fn_stat *a = *(struct fn_stat *const *)pa, *b = *(struct fn_stat *const *)pb;

	if (a->self != b->self)
		return a->self < b->self ? 1 : -1;
	if (a->total != b->total)
		return a->total < b->total ? 1 : -1;
	return strcmp(a->name, b->name) ?: strcmp(a->file, b->file);
}

/* Flatten the merged set and the function table into sorted arrays. */
static int flatten(struct profile *p)
{
	struct merged *m;
	struct fn_stat *fn;
	size_t i = 0;

	p->stacks = calloc(p->merged.nr ? p->merged.nr : 1, sizeof(*p->stacks));
	p->fns = calloc(p->fn_map.nr ? p->fn_map.nr : 1, sizeof(*p->fns));
	if (!p->stacks || !p->fns)
		return -ENOMEM;
	hashmap_for_each(&p->merged, m)
	{
		p->stacks[i] = m->rs;
		p->stacks[i++].weight2 = m->rs.weight * p->weight2_per_unit;
	}
	p->nr_stacks = i;
	qsort(p->stacks, p->nr_stacks, sizeof(*p->stacks), cmp_stacks);
	i = 0;
	hashmap_for_each(&p->fn_map, fn) p->fns[i++] = fn;
	p->nr_fns = i;
	qsort(p->fns, p->nr_fns, sizeof(*p->fns), cmp_fns);
	return 0;
}

int profile_build(struct profile *p, const struct agg *a, struct symtab *st,
		  const struct targets *ts, const struct profile_opts *o, struct strpool *pool)
{
	struct report_frame *buf = calloc(PS_MAX_FRAMES + ROOT_FRAMES, sizeof(*buf));
	const struct raw_stack *rs;
	uint32_t stamp = 0;
	int err = 0;

	memset(p, 0, sizeof(*p));
	p->pool = pool;
	p->weight2_per_unit = o->weight2_per_unit;
	if (!buf)
		return -ENOMEM;
	hashmap_for_each(&a->stacks, rs)
	{
		err = add_raw(p, a, st, ts, o, rs, buf, stamp++);
		if (err)
			break;
	}
	free(buf);
	return err ?: flatten(p);
}

void profile_free(struct profile *p)
{
	hashmap_free_all(&p->merged);
	hashmap_free_all(&p->fn_map);
	hashmap_free_all(&p->line_map);
	hashmap_free_all(&p->name_cache);
	free(p->stacks);
	free(p->fns);
}
