// SPDX-License-Identifier: MIT
/*
 * Profile comparison. Both profiles are reduced to function-level stacks
 * ("qualname (file)": line numbers move between versions of the code) without
 * process/thread roots (pids differ between runs), then compared as shares
 * of each profile's total and in absolute time (samples x period, or the
 * profile's own unit). Which one the gate and the colours judge: --judge, by
 * default absolute when both profiles measure alike (same unit, same
 * period: the same sampler at the same rate), else shares.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "read/diff.h"
#include "lib/hashmap.h"
#include "lib/log.h"
#include "lib/textesc.h"
#include "read/profread.h"
#include "report/report.h"

/* A call path (node of the merged call tree of both profiles). */
struct dnode {
	const struct dnode *parent;
	const char *name; /* pooled */
	uint64_t w[2]; /* total weight in base, new */
};

/* A function's self weight in base and new. */
struct dfn {
	const char *name; /* pooled */
	uint64_t self[2];
	double delta; /* change in the judged measure, in points (of base's total when absolute) */
};

struct diff {
	struct strpool pool;
	struct profdata prof[2];
	struct hashmap nodes, fns;
	struct dfn **rows;
	size_t nr_rows;
	double max_delta; /* largest |change| of a call path present in new (judged measure) */
	bool by_time; /* judged: absolute (else shares) */
	const char *why; /* why that measure */
	double ns_per[2]; /* ns per unit of weight (0: the unit is not a time) */
	const char **scratch; /* PR_MAX_FRAMES normalized names */
};

/* Is s "name (digits)": a process or thread root of our folded output? */
static bool is_root(const char *s)
{
	size_t len = strlen(s), i;

	if (len < 4 || s[len - 1] != ')')
		return false;
	for (i = len - 1; i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9'; i--)
		;
	return i < len - 1 && i >= 2 && s[i - 1] == '(' && s[i - 2] == ' ';
}

/* "f (file:12)" -> "f (file)": the function, whatever line ran. */
static const char *function_of(struct strpool *pool, const char *s)
{
	size_t len = strlen(s), i;

	if (len < 4 || s[len - 1] != ')')
		return s;
	for (i = len - 1; i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9'; i--)
		;
	if (i == len - 1 || i < 2 || s[i - 1] != ':')
		return s;
	char buf[1100];

	snprintf(buf, sizeof(buf), "%.*s)", (int)(i - 1 > 1090 ? 1090 : i - 1), s);
	return strpool_intern(pool, buf);
}

/* A stack as function-level names without leading roots; returns how many (0: none). */
static size_t normalize(struct diff *d, const struct profdata_stack *st, const char **out)
{
	size_t i = 0, n = 0;

	while (i < st->nr_frames && is_root(st->frames[i]))
		i++;
	for (; i < st->nr_frames; i++) {
		out[n] = function_of(&d->pool, st->frames[i]);
		if (!out[n])
			return 0;
		n++;
	}
	return n;
}

/* Nodes are equal when parent and (pooled) name are. */
static bool node_eq(const void *item, const void *key)
{
	const struct dnode *a = item, *b = key;

	return a->parent == b->parent && a->name == b->name;
}

/* The child of parent called name; created (zero weights) when create. */
static struct dnode *node_get(struct diff *d, const struct dnode *parent, const char *name,
			      bool create)
{
	struct dnode key = { .parent = parent, .name = name }, *n;
	uint64_t h = hash_u64((uintptr_t)parent ^ hash_u64((uintptr_t)name));

	n = hashmap_find(&d->nodes, h, &key, node_eq);
	if (n || !create)
		return n;
	n = calloc(1, sizeof(*n));
	if (!n || hashmap_insert(&d->nodes, h, n)) {
		free(n);
		return NULL;
	}
	*n = key;
	return n;
}

/* Pointer-equal names (pooled). */
static bool fn_eq(const void *item, const void *key)
{
	return ((const struct dfn *)item)->name == key;
}

/* Count one stack of profile `which`: every node on its path, and its leaf's self. */
static int add_stack(struct diff *d, int which, const char **names, size_t n, uint64_t w)
{
	const struct dnode *parent = NULL;
	struct dnode *node;
	struct dfn *fn;
	uint64_t h;

	for (size_t i = 0; i < n; i++) {
		node = node_get(d, parent, names[i], true);
		if (!node)
			return -ENOMEM;
		node->w[which] += w;
		parent = node;
	}
	h = hash_u64((uintptr_t)names[n - 1]);
	fn = hashmap_find(&d->fns, h, names[n - 1], fn_eq);
	if (!fn) {
		fn = calloc(1, sizeof(*fn));
		if (!fn || hashmap_insert(&d->fns, h, fn)) {
			free(fn);
			return -ENOMEM;
		}
		fn->name = names[n - 1];
	}
	fn->self[which] += w;
	return 0;
}

/* Read one profile; a bad file is reported here as FILE: offset N: what. */
static int load(struct diff *d, int which, const char *path)
{
	struct profdata_error e = {};
	int err;

	d->prof[which].pool = &d->pool;
	err = profread_file(path, &d->prof[which], &e);
	if (err == -EINVAL)
		ps_err("%s: offset %zu%s: %s", path, e.offset,
		       e.in_inflated ? " (after gunzip)" : "", e.what);
	else if (err)
		ps_err("%s: %s", path, e.what[0] ? e.what : strerror(-err));
	else if (!d->prof[which].total)
		ps_err("%s: no samples (an empty profile cannot be compared)", path);
	if (!err && !d->prof[which].total)
		err = -ENODATA;
	return err;
}

/* Share of a weight in profile `which`, in percent. */
static double share(const struct diff *d, int which, uint64_t w)
{
	return 100.0 * (double)w / (double)d->prof[which].total;
}

/* ns per unit of weight in profile which: 1 for a time unit, the period for samples, else 0. */
static double ns_per_unit(const struct profdata *p)
{
	if (!strcmp(p->unit, "nanoseconds") || !strcmp(p->unit, "ns"))
		return 1;
	if (!strcmp(p->unit, "samples") || !strcmp(p->unit, "count"))
		return (double)p->period_ns;
	return 0;
}

/* Absolute weight w of profile which: ns when known, else the profile's own unit. */
static double absolute(const struct diff *d, int which, uint64_t w)
{
	return d->ns_per[0] > 0 && d->ns_per[1] > 0 ? w * d->ns_per[which] : (double)w;
}

/*
 * Absolute or shares? Absolute needs both in one measure: time on both
 * sides, or the same unit and period (the same sampler at the same rate).
 */
static int choose_judge(struct diff *d, enum diff_judge want)
{
	bool time, alike;

	d->ns_per[0] = ns_per_unit(&d->prof[0]);
	d->ns_per[1] = ns_per_unit(&d->prof[1]);
	time = d->ns_per[0] > 0 && d->ns_per[1] > 0;
	alike = time || (!strcmp(d->prof[0].unit, d->prof[1].unit) &&
			 d->prof[0].period_ns == d->prof[1].period_ns);
	if (want == DIFF_JUDGE_SHARE) {
		d->why = "--judge share";
		return 0;
	}
	if (want == DIFF_JUDGE_TIME && !alike) {
		ps_err("diff: --judge time: the profiles measure differently (%s vs %s)",
		       d->prof[0].unit, d->prof[1].unit);
		return -EINVAL;
	}
	d->by_time = alike;
	d->why = want == DIFF_JUDGE_TIME ? "--judge time" :
		 !alike			 ? "default: the profiles measure differently" :
		 time			 ? "default: both profiles measure time" :
					   "default: both profiles count the same unit";
	return 0;
}

/* Change of weights (base, new) in the judged measure, in points. */
static double change(const struct diff *d, uint64_t b, uint64_t n)
{
	if (d->by_time)
		return 100.0 * (absolute(d, 1, n) - absolute(d, 0, b)) /
		       absolute(d, 0, d->prof[0].total);
	return share(d, 1, n) - share(d, 0, b);
}

/* Count every stack of both profiles into the call tree and the function table. */
static int count(struct diff *d)
{
	int err = 0;

	for (int which = 0; which < 2 && !err; which++)
		for (size_t i = 0; i < d->prof[which].nr_stacks && !err; i++) {
			const struct profdata_stack *st = &d->prof[which].stacks[i];
			size_t n = normalize(d, st, d->scratch);

			if (n)
				err = add_stack(d, which, d->scratch, n, st->weight);
		}
	return err;
}

/* Rows by |change| descending, then name: deterministic. */
static int cmp_rows(const void *pa, const void *pb)
{
	const struct dfn *a = *(struct dfn *const *)pa, *b = *(struct dfn *const *)pb;
	double x = fabs(a->delta), y = fabs(b->delta);

	if (x != y)
		return x < y ? 1 : -1;
	return strcmp(a->name, b->name);
}

/* The function table with each share change; the largest path change for colours. */
static int rank(struct diff *d)
{
	struct dnode *n;
	struct dfn *fn;
	size_t i = 0;

	d->rows = calloc(d->fns.nr + 1, sizeof(*d->rows));
	if (!d->rows)
		return -ENOMEM;
	hashmap_for_each(&d->fns, fn)
	{
		fn->delta = change(d, fn->self[0], fn->self[1]);
		d->rows[i++] = fn;
	}
	d->nr_rows = i;
	qsort(d->rows, d->nr_rows, sizeof(*d->rows), cmp_rows);
	hashmap_for_each(&d->nodes, n)
	{
		double dl = fabs(change(d, n->w[0], n->w[1]));

		if (n->w[1] && dl > d->max_delta)
			d->max_delta = dl;
	}
	return 0;
}

/* The absolute column's unit: seconds for times, else the profiles' own unit. */
static const char *abs_unit(const struct diff *d)
{
	return d->ns_per[0] > 0 && d->ns_per[1] > 0 ? "s" : d->prof[0].unit;
}

/* An absolute weight for the table: seconds for times, else the raw count. */
static double abs_shown(const struct diff *d, int which, uint64_t w)
{
	double v = absolute(d, which, w);

	return d->ns_per[0] > 0 && d->ns_per[1] > 0 ? v / 1e9 : v;
}

/* The table: functions whose self time changed most, absolute and as shares. */
static void print_table(const struct diff *d, const struct diff_opts *o, FILE *out)
{
	size_t shown = 0;
	char name[1024];

	fprintf(out, "pystrobe diff: %s (%llu %s, %.3g %s) -> %s (%llu %s, %.3g %s)\n", o->base,
		(unsigned long long)d->prof[0].total, d->prof[0].unit,
		abs_shown(d, 0, d->prof[0].total), abs_unit(d), o->new,
		(unsigned long long)d->prof[1].total, d->prof[1].unit,
		abs_shown(d, 1, d->prof[1].total), abs_unit(d));
	fprintf(out, "judged: %s (%s); change in points of %s\n",
		d->by_time ? "absolute self time" : "self share", d->why,
		d->by_time ? "base's total" : "each profile's total");
	fprintf(out, "%9s %9s %8s %8s %8s  %s\n", "base", "new", "base %", "new %", "change",
		"function");
	for (size_t i = 0; i < d->nr_rows && shown < o->top; i++) {
		const struct dfn *fn = d->rows[i];

		if (fabs(fn->delta) < 0.005)
			break;
		fprintf(out, "%9.4g %9.4g %8.2f %8.2f %+8.2f  %s\n", abs_shown(d, 0, fn->self[0]),
			abs_shown(d, 1, fn->self[1]), share(d, 0, fn->self[0]),
			share(d, 1, fn->self[1]), fn->delta,
			textesc_name(fn->name, name, sizeof(name)));
		shown++;
	}
	if (!shown)
		fprintf(out, "  (no function's self %s changed by 0.01 points or more)\n",
			d->by_time ? "time" : "share");
	fprintf(out, "(base and new: self %s)\n", abs_unit(d));
}

/* The table to out with the names' control characters escaped (profiles may be hostile). */
static void print_escaped(const struct diff *d, const struct diff_opts *o, FILE *out)
{
	struct textesc_buf tb;

	if (textesc_begin(&tb)) {
		print_table(d, o, tb.f);
		textesc_end(&tb, out, TEXTESC_LINES);
	}
	fflush(out);
}

/* --fail-if-regressed: every function over the limit named on stderr; 1 if any. */
static int check_regressions(const struct diff *d, double pct)
{
	int bad = 0;

	for (size_t i = 0; i < d->nr_rows; i++) {
		const struct dfn *fn = d->rows[i];

		if (fn->delta <= pct)
			continue;
		if (d->by_time)
			ps_err("diff: %s: self time grew from %.4g to %.4g %s (+%.2f points of "
			       "base's total, limit %g; judged: absolute time)",
			       fn->name, abs_shown(d, 0, fn->self[0]), abs_shown(d, 1, fn->self[1]),
			       abs_unit(d), fn->delta, pct);
		else
			ps_err("diff: %s: self share grew from %.2f%% to %.2f%% (+%.2f points, "
			       "limit %g; judged: shares)",
			       fn->name, share(d, 0, fn->self[0]), share(d, 1, fn->self[1]),
			       fn->delta, pct);
		bad = 1;
	}
	return bad;
}

/* #rrggbb between a pale tint (i = 0) and a strong red (grew) or blue (shrank). */
static void diff_fill(double delta, double max, char *buf, size_t len)
{
	double i = max > 0 ? fabs(delta) / max : 0;
	int strong = (int)(235 - 185 * (i > 1 ? 1 : i));

	if (fabs(delta) < 0.005)
		snprintf(buf, len, "#e6e6e6");
	else if (delta > 0)
		snprintf(buf, len, "#ff%02x%02x", strong, strong);
	else
		snprintf(buf, len, "#%02x%02xff", strong, strong);
}

/* report_meta.frame_style: colour a call path of new by its share change since base. */
static void frame_style(void *ctx, const struct report_frame *path, size_t depth, uint64_t weight,
			char *fill, size_t fill_len, char *note, size_t note_len)
{
	struct diff *d = ctx;
	const struct dnode *n = NULL;
	double base, now;

	(void)weight;
	for (size_t i = 0; i < depth; i++) {
		n = node_get(d, n, path[i].name, false);
		if (!n)
			return;
	}
	base = share(d, 0, n->w[0]);
	now = share(d, 1, n->w[1]);
	diff_fill(change(d, n->w[0], n->w[1]), d->max_delta, fill, fill_len);
	/* no " (" in the note: the SVG's script takes the name up to the last " (" */
	snprintf(note, note_len, " | base %.4g %s = %.2f%%, new %.4g %s = %.2f%%, %+.2f points, %s",
		 abs_shown(d, 0, n->w[0]), abs_unit(d), base, abs_shown(d, 1, n->w[1]), abs_unit(d),
		 now, change(d, n->w[0], n->w[1]), d->by_time ? "absolute" : "share");
}

/* NEW's function-level stacks as report stacks (frames point into one array). */
static int new_stacks(struct diff *d, struct report_stack **out, struct report_frame **frames)
{
	const struct profdata *p = &d->prof[1];
	size_t total = 0, k = 0, n;

	for (size_t i = 0; i < p->nr_stacks; i++)
		total += p->stacks[i].nr_frames;
	*out = calloc(p->nr_stacks + 1, sizeof(**out));
	*frames = calloc(total + 1, sizeof(**frames));
	if (!*out || !*frames)
		return -ENOMEM;
	for (size_t i = 0; i < p->nr_stacks; i++) {
		n = normalize(d, &p->stacks[i], d->scratch);
		(*out)[i] = (struct report_stack){ .frames = *frames + k,
						   .nr_frames = n,
						   .weight = p->stacks[i].weight };
		for (size_t j = 0; j < n; j++, k++)
			(*frames)[k] = (struct report_frame){ .name = d->scratch[j],
							      .kind = d->scratch[j][0] == '[' ?
									      RF_PSEUDO :
									      RF_PYTHON };
	}
	return 0;
}

/* -o: the differential flame graph (NEW's shape and widths, coloured by change) into svg. */
static int write_svg(struct diff *d, const struct diff_opts *o, struct outfile *svg)
{
	struct report_kv kv[4] = {
		{ .key = "base" }, { .key = "new" }, { .key = "colours" }, { .key = "command" }
	};
	struct report_meta meta = {
		.title = d->by_time ? "pystrobe diff: red grew, blue shrank (absolute time)" :
				      "pystrobe diff: red grew, blue shrank (share of total)",
		.unit = d->prof[1].unit,
		.kv = kv,
		.nr_kv = 4,
		.frame_style = frame_style,
		.style_ctx = d
	};
	struct report_stack *stacks = NULL;
	struct report_frame *frames = NULL;
	int err = new_stacks(d, &stacks, &frames);

	snprintf(kv[0].value, sizeof(kv[0].value), "%s", o->base);
	snprintf(kv[1].value, sizeof(kv[1].value), "%s", o->new);
	snprintf(kv[2].value, sizeof(kv[2].value), "full red/blue = %.2f points", d->max_delta);
	snprintf(kv[3].value, sizeof(kv[3].value), "%s", o->command ? o->command : "pystrobe diff");
	if (err)
		outfile_close(svg, false);
	err = err   ?:
		      report_write_file(&report_flamegraph_ops, svg, stacks, d->prof[1].nr_stacks,
					&meta);
	if (err)
		ps_err("%s: cannot write the differential flame graph: %s", o->svg, strerror(-err));
	free(stacks);
	free(frames);
	return err;
}

/* Free everything but the options. */
static void diff_free(struct diff *d)
{
	profdata_free(&d->prof[0]);
	profdata_free(&d->prof[1]);
	hashmap_free_all(&d->nodes);
	hashmap_free_all(&d->fns);
	strpool_free(&d->pool);
	free(d->rows);
	free(d->scratch);
	free(d);
}

/* Load both, count, rank, print; then the SVG and the regression gate. */
int diff_run(const struct diff_opts *o, FILE *out)
{
	struct diff *d = calloc(1, sizeof(*d));
	struct outfile svg = {};
	int err, rc = 1;

	if (!d || !(d->scratch = calloc(PR_MAX_FRAMES, sizeof(*d->scratch)))) {
		ps_err("diff: out of memory");
		free(d);
		return 1;
	}
	/* a bad -o is refused before the (possibly long) reading */
	if (o->svg && (err = outfile_open(&svg, o->svg))) {
		ps_err("%s: cannot write there: %s", o->svg, outfile_strerror(err));
		diff_free(d);
		return 2;
	}
	err = load(d, 0, o->base) ?: load(d, 1, o->new);
	err = err ?: choose_judge(d, o->judge);
	err = err ?: count(d);
	err = err ?: rank(d);
	if (err) {
		if (err == -ENOMEM)
			ps_err("diff: out of memory");
		goto out;
	}
	print_escaped(d, o, out);
	if (o->svg && write_svg(d, o, &svg))
		goto out;
	rc = o->fail_pct >= 0 && check_regressions(d, o->fail_pct) ? 1 : 0;
out:
	outfile_close(&svg, false);
	diff_free(d);
	return rc;
}
