// SPDX-License-Identifier: MIT
/*
 * A self-contained interactive flame graph: SVG with inline CSS and
 * JavaScript, no external resources. The call tree is never built: stacks are
 * sorted frame by frame, root first (children by name, then kind), so stacks
 * sharing a prefix are adjacent and one pass over them yields every merged
 * frame (tree node) with its start offset and total weight, children before
 * parents. Memory stays O(stacks + depth) whatever the tree's size. Children
 * sit in name order from their parent's left edge; the parent's own weight is
 * the gap at its right. Frames narrower than FG_MIN_WIDTH_PX are not drawn;
 * their weight stays in the parent's width. A first pass finds the deepest
 * drawn level (the image height), the second writes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/report.h"
/*
 * Built from flamegraph.css and flamegraph.js beside this file (ps_embed in
 * CMakeLists.txt). The style holds the fonts and the classes the script
 * switches (hide, dim). The script, written for this file with no libraries,
 * runs after "var W, PAD, CHAR" (the layout constants below): click a frame to
 * zoom (its subtree fills the width, ancestors stay dimmed), Reset zoom,
 * Search by regular expression or substring showing the matched share of the
 * total, Ctrl-F to search, Esc to reset both.
 */
#include "fg_css.h"
#include "fg_js.h"

#define FG_WIDTH_PX 1200 /* image width */
#define FG_PAD_PX 10 /* left and right margin */
#define FG_ROW_PX 16 /* one stack level */
#define FG_TOP_PX 60 /* title, subtitle and controls above the frames */
#define FG_MIN_WIDTH_PX 0.1 /* narrower frames (and their children) are not drawn */
#define FG_CHAR_PX 7.08 /* average glyph width at 12 px, to fit labels */
#define FG_META_LINE_PX 13 /* one line of provenance at the bottom */
#define FG_META_CHARS 180 /* provenance items are packed into lines this long */
#define FG_MAX_DEPTH (1 << 20) /* deeper stacks: -E2BIG (y coordinates stay ints) */
#define FG_ROOT_KIND RF__COUNT /* the "all" frame under every stack */

struct fg {
	FILE *f;
	const struct report_stack **order; /* stacks with weight, sorted by sort_stacks */
	size_t *lcp; /* lcp[i]: frames order[i] shares with order[i - 1] */
	size_t nr_order;
	uint64_t *start; /* per depth: cumulative weight where the open frame began */
	uint64_t total; /* sum of all weights: the width of "all" */
	double px_per_unit;
	size_t max_level; /* deepest drawn level; "all" is level 0 */
	int graph_bottom; /* y below the "all" frame */
	const char *unit;
	const struct report_meta *meta;
};

typedef void frame_fn(struct fg *g, const struct report_frame *fr, size_t level, uint64_t start,
		      uint64_t weight);

/* The name a frame is sorted, merged and drawn by (NULL counts as "?"). */
static const char *frame_name(const struct report_frame *fr)
{
	return fr->name ? fr->name : "?";
}

/*
 * Decode one UTF-8 character of s (len > 0 bytes) into *cp; returns the bytes
 * used. Invalid, overlong, surrogate or cut sequences give U+FFFD for one byte,
 * so untrusted names cannot make the document ill-formed.
 */
static size_t utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char b = s[0];
	uint32_t c, min;
	size_t n;

	*cp = 0xfffd;
	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b >= 0xc2 && b <= 0xdf)
		n = 1, c = b & 0x1f, min = 0x80;
	else if (b >= 0xe0 && b <= 0xef)
		n = 2, c = b & 0x0f, min = 0x800;
	else if (b >= 0xf0 && b <= 0xf4)
		n = 3, c = b & 0x07, min = 0x10000;
	else
		return 1;
	if (n >= len)
		return 1;
	for (size_t i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 1;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 1;
	*cp = c;
	return n + 1;
}

/*
 * One character as XML text: markup characters escaped, controls (XML 1.0
 * forbids most; newlines would split names) as a space, C1 controls and
 * U+FFFE/U+FFFF (not XML characters) as U+FFFD.
 */
static void xml_put_cp(FILE *f, uint32_t cp)
{
	static const char *const esc[] = {
		['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;"
	};

	if (cp < sizeof(esc) / sizeof(esc[0]) && esc[cp]) {
		fputs(esc[cp], f);
		return;
	}
	if (cp < 0x20 || cp == 0x7f)
		cp = ' ';
	else if ((cp >= 0x80 && cp <= 0x9f) || cp == 0xfffe || cp == 0xffff)
		cp = 0xfffd;
	if (cp < 0x80) {
		fputc((int)cp, f);
	} else if (cp < 0x800) {
		fputc(0xc0 | cp >> 6, f);
		fputc(0x80 | (cp & 0x3f), f);
	} else if (cp < 0x10000) {
		fputc(0xe0 | cp >> 12, f);
		fputc(0x80 | (cp >> 6 & 0x3f), f);
		fputc(0x80 | (cp & 0x3f), f);
	} else {
		fputc(0xf0 | cp >> 18, f);
		fputc(0x80 | (cp >> 12 & 0x3f), f);
		fputc(0x80 | (cp >> 6 & 0x3f), f);
		fputc(0x80 | (cp & 0x3f), f);
	}
}

/* At most max_cp characters of the len bytes at s, as escaped, valid XML text. */
static void xml_put(FILE *f, const char *s, size_t len, size_t max_cp)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t n;

	while (len && max_cp--) {
		n = utf8_next(p, len, &cp);
		xml_put_cp(f, cp);
		p += n;
		len -= n;
	}
}

/* A whole NUL-terminated string as XML text. */
static void xml_puts(FILE *f, const char *s)
{
	xml_put(f, s, strlen(s), SIZE_MAX);
}

/* Characters in the len bytes at s, each invalid byte counting as one (as drawn). */
static size_t utf8_len(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, nr = 0;
	uint32_t cp;

	for (; len; nr++, p += n, len -= n)
		n = utf8_next(p, len, &cp);
	return nr;
}

/* v >= 0 with two decimals, by hand: printf's %f would follow LC_NUMERIC. */
static void put_fixed2(FILE *f, double v)
{
	uint64_t c = v > 0 ? (uint64_t)(v * 100 + 0.5) : 0;

	fprintf(f, "%" PRIu64 ".%02u", c / 100, (unsigned)(c % 100));
}

/* FNV-1a of the function part of a name ("qual.name" of "qual.name (f.py:3)"). */
static uint32_t name_hash(const char *name)
{
	const char *end = strstr(name, " (");
	uint32_t h = 2166136261u;

	for (const char *p = name; *p && (!end || p < end); p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h;
}

/* h in [0, 360), s and l in [0, 1] to "rgb(r,g,b)" in buf. */
static void hsl_rgb(double h, double s, double l, char *buf, size_t size)
{
	/* per 60-degree sector: which channel gets chroma c, which gets x */
	static const unsigned char c_at[6] = { 0, 1, 1, 2, 2, 0 }, x_at[6] = { 1, 0, 2, 1, 0, 2 };
	double c = (l < 0.5 ? 2 * l : 2 - 2 * l) * s, hp = h / 60, m = l - c / 2;
	double mod2 = hp - 2 * (int)(hp / 2), x = c * (1 - (mod2 > 1 ? mod2 - 1 : 1 - mod2));
	double rgb[3] = { m, m, m };
	int sector = (int)hp % 6;

	rgb[c_at[sector]] += c;
	rgb[x_at[sector]] += x;
	snprintf(buf, size, "rgb(%u,%u,%u)", (unsigned)(rgb[0] * 255 + 0.5),
		 (unsigned)(rgb[1] * 255 + 0.5), (unsigned)(rgb[2] * 255 + 0.5));
}

/* Base hue, saturation, lightness per frame kind, and how far a name hash moves each. */
struct palette {
	double h, dh, s, ds, l, dl;
};

static const struct palette palettes[] = {
	[RF_PYTHON] = { 2, 48, 0.72, 0.23, 0.55, 0.12 }, /* warm: red to orange */
	[RF_PROCESS] = { 214, 0, 0.48, 0, 0.58, 0.08 }, /* blue */
	[RF_THREAD] = { 192, 0, 0.42, 0, 0.64, 0.08 }, /* light cyan-blue */
	[RF_PSEUDO] = { 0, 0, 0, 0, 0.72, 0 }, /* grey */
	[RF_NATIVE] = { 85, 50, 0.45, 0.2, 0.52, 0.1 }, /* green */
	[RF_KERNEL] = { 262, 28, 0.38, 0.15, 0.66, 0.08 }, /* purple */
	[FG_ROOT_KIND] = { 220, 0, 0.12, 0, 0.80, 0 }, /* "all": pale blue-grey */
};

/*
 * The fill of a frame, by kind (a known one or FG_ROOT_KIND) and a hash of
 * its function name, so a function keeps its colour wherever it appears.
 * Search matches are magenta (see the script), unlike any palette.
 */
static void frame_fill(const char *name, unsigned kind, char *buf, size_t size)
{
	const struct palette *p = &palettes[kind];
	uint32_t h = name_hash(name);
	double v1 = (h & 0x3ff) / 1023.0, v2 = (h >> 10 & 0x3ff) / 1023.0;
	double v3 = (h >> 20 & 0x3ff) / 1023.0;

	hsl_rgb(p->h + p->dh * v1, p->s + p->ds * v2, p->l + p->dl * v3, buf, size);
}

/* Frames order by name, then kind: the order of siblings in the graph. */
static int frame_cmp(const struct report_frame *a, const struct report_frame *b)
{
	int c = a->name == b->name ? 0 : strcmp(frame_name(a), frame_name(b));

	return c ? c : (a->kind > b->kind) - (a->kind < b->kind);
}

/*
 * Compare stack s at depth d with pivot frame p, NULL meaning "the stack has
 * ended": an ended stack sorts after every frame, so a stack that is a prefix
 * of others comes after them and a parent's own weight is drawn to the right
 * of its children.
 */
static int cmp_at(const struct report_stack *s, size_t d, const struct report_frame *p)
{
	const struct report_frame *f = d < s->nr_frames ? &s->frames[d] : NULL;

	if (!f || !p)
		return (!f) - (!p);
	return frame_cmp(f, p);
}

struct sort_task {
	const struct report_stack **a; /* a[0..n) share their first d frames */
	size_t n, d;
};

/*
 * Three-way partition of t by the frame at depth t->d of its middle stack:
 * a[0..*lt) sort before it, a[*lt..*gt) equal it, a[*gt..n) after. Returns
 * whether the pivot stack continues past d (else the equal ones are done).
 */
static bool partition3(const struct sort_task *t, size_t *lt, size_t *gt)
{
	const struct report_stack *pivot = t->a[t->n / 2], *tmp;
	const struct report_frame *p = t->d < pivot->nr_frames ? &pivot->frames[t->d] : NULL;
	size_t i = 0;
	int c;

	*lt = 0;
	*gt = t->n;
	while (i < *gt) {
		c = cmp_at(t->a[i], t->d, p);
		if (c < 0) {
			tmp = t->a[i], t->a[i++] = t->a[*lt], t->a[(*lt)++] = tmp;
		} else if (c > 0) {
			tmp = t->a[i], t->a[i] = t->a[--*gt], t->a[*gt] = tmp;
		} else {
			i++;
		}
	}
	return p != NULL;
}

/*
 * After a partition found every stack of t equal at depth t->d - 1: how deep
 * they all keep sharing frames. Probes rounds of doubling length one stack at
 * a time (sequential memory) instead of one depth across all stacks at a time,
 * so a deep shared prefix costs one pass; a failed round costs no more than
 * the rounds before it. Returns the first depth where they may differ.
 */
static size_t skip_shared(const struct sort_task *t)
{
	const struct report_stack *ref = t->a[0], *s;
	size_t d = t->d, round = 8, end, j;

	for (;; d = end, round *= 2) {
		end = d + round < ref->nr_frames ? d + round : ref->nr_frames;
		for (size_t i = 1; i < t->n && end > d; i++) {
			s = t->a[i];
			for (j = d; j < end && j < s->nr_frames; j++)
				if (frame_cmp(&s->frames[j], &ref->frames[j]))
					break;
			end = j;
		}
		if (end < d + round)
			return end;
	}
}

/*
 * Sort stacks frame by frame, root first (multikey quicksort): the frames of
 * a shared prefix are compared about once each, not once per comparison as
 * with qsort, so deep stacks sharing long prefixes stay linear. tasks has room
 * for nr / 2 + 1 entries: pending tasks are disjoint and hold 2 stacks or more.
 */
static void sort_stacks(const struct report_stack **a, size_t nr, struct sort_task *tasks)
{
	struct sort_task t, eq;
	size_t nr_tasks = 0, lt, gt;
	bool more;

	tasks[nr_tasks++] = (struct sort_task){ a, nr, 0 };
	while (nr_tasks) {
		t = tasks[--nr_tasks];
		more = partition3(&t, &lt, &gt);
		if (lt > 1)
			tasks[nr_tasks++] = (struct sort_task){ t.a, lt, t.d };
		if (t.n - gt > 1)
			tasks[nr_tasks++] = (struct sort_task){ t.a + gt, t.n - gt, t.d };
		if (!more || gt - lt < 2)
			continue;
		eq = (struct sort_task){ t.a + lt, gt - lt, t.d + 1 };
		if (lt == 0 && gt == t.n)
			eq.d = skip_shared(&eq);
		tasks[nr_tasks++] = eq;
	}
}

/* How many leading frames a and b share (same names and kinds). */
static size_t common_prefix(const struct report_stack *a, const struct report_stack *b)
{
	size_t n = a->nr_frames < b->nr_frames ? a->nr_frames : b->nr_frames, i;

	for (i = 0; i < n; i++)
		if (frame_cmp(&a->frames[i], &b->frames[i]))
			break;
	return i;
}

/*
 * Check the stacks, sum their weights, list those with a weight in g->order
 * and allocate the per-depth start offsets. 0 or -errno.
 */
static int fg_collect(struct fg *g, const struct report_stack *stacks, size_t nr)
{
	size_t max_frames = 1;

	g->order = calloc(nr ? nr : 1, sizeof(*g->order));
	if (!g->order)
		return -ENOMEM;
	for (size_t i = 0; i < nr; i++) {
		if (stacks[i].nr_frames && !stacks[i].frames)
			return -EINVAL;
		if (g->total + stacks[i].weight < g->total)
			return -EOVERFLOW;
		g->total += stacks[i].weight;
		if (!stacks[i].weight)
			continue;
		g->order[g->nr_order++] = &stacks[i];
		if (stacks[i].nr_frames > max_frames)
			max_frames = stacks[i].nr_frames;
	}
	if (max_frames > FG_MAX_DEPTH)
		return -E2BIG;
	g->start = calloc(max_frames, sizeof(*g->start));
	if (!g->start)
		return -ENOMEM;
	g->px_per_unit = g->total ? (double)(FG_WIDTH_PX - 2 * FG_PAD_PX) / g->total : 0;
	return 0;
}

/* Sort g->order and note how many frames each stack shares with the one before. */
static int fg_sort(struct fg *g)
{
	struct sort_task *tasks = calloc(g->nr_order / 2 + 1, sizeof(*tasks));

	if (!tasks)
		return -ENOMEM;
	if (g->nr_order > 1)
		sort_stacks(g->order, g->nr_order, tasks);
	free(tasks);
	g->lcp = calloc(g->nr_order ? g->nr_order : 1, sizeof(*g->lcp));
	if (!g->lcp)
		return -ENOMEM;
	for (size_t i = 1; i < g->nr_order; i++)
		g->lcp[i] = common_prefix(g->order[i - 1], g->order[i]);
	return 0;
}

/* Close the open frames of prev deeper than keep: each is complete at cum. */
static void close_frames(struct fg *g, const struct report_stack *prev, size_t keep, size_t open,
			 uint64_t cum, frame_fn *fn)
{
	while (open-- > keep)
		fn(g, &prev->frames[open], open + 1, g->start[open], cum - g->start[open]);
}

/*
 * Call fn once per merged frame (call-tree node), children before parents,
 * with its level, start offset and total weight; then for "all" (fr NULL).
 * A frame is complete when the next sorted stack stops sharing it.
 */
static void walk(struct fg *g, frame_fn *fn)
{
	const struct report_stack *s, *prev = NULL;
	size_t open = 0, keep;
	uint64_t cum = 0;

	for (size_t i = 0; i < g->nr_order; i++) {
		s = g->order[i];
		keep = g->lcp[i];
		close_frames(g, prev, keep, open, cum, fn);
		for (size_t d = keep; d < s->nr_frames; d++)
			g->start[d] = cum;
		open = s->nr_frames;
		prev = s;
		cum += s->weight;
	}
	close_frames(g, prev, 0, open, cum, fn);
	fn(g, NULL, 0, 0, g->total);
}

/* Whether a frame of this weight is wide enough to draw. */
static bool visible(const struct fg *g, uint64_t weight)
{
	return weight * g->px_per_unit >= FG_MIN_WIDTH_PX;
}

/* First pass: the deepest level that will be drawn, which sets the height. */
static void measure(struct fg *g, const struct report_frame *fr, size_t level, uint64_t start,
		    uint64_t weight)
{
	(void)fr;
	(void)start;
	if (visible(g, weight) && level > g->max_level)
		g->max_level = level;
}

/* "name (N unit, P%)": the tooltip, and the full name for the script. */
/*
 * A weight with its unit. Nanoseconds read as time ("1.93 s", "420.0 us"):
 * a GIL wait of 1930239392 ns is not something a reader can take in.
 */
static void put_weight(const struct fg *g, uint64_t weight)
{
	static const struct {
		uint64_t min;
		double div;
		const char *fmt;
	} scale[] = { { 1000000000, 1e9, "%.2f s" },
		      { 1000000, 1e6, "%.1f ms" },
		      { 1000, 1e3, "%.1f us" } };

	for (size_t i = 0; !strcmp(g->unit, "ns") && i < sizeof(scale) / sizeof(scale[0]); i++) {
		if (weight >= scale[i].min) {
			fprintf(g->f, scale[i].fmt, weight / scale[i].div);
			return;
		}
	}
	fprintf(g->f, "%" PRIu64 " ", weight);
	xml_puts(g->f, g->unit);
}

static void put_tooltip(const struct fg *g, const char *name, unsigned kind, uint64_t weight)
{
	xml_puts(g->f, name);
	if (kind == RF_NATIVE || kind == RF_KERNEL)
		fputs(kind == RF_NATIVE ? " [native]" : " [kernel]", g->f);
	fputs(" (", g->f);
	put_weight(g, weight);
	fputs(", ", g->f);
	put_fixed2(g->f, g->total ? 100.0 * weight / g->total : 0);
	fputs("%)", g->f);
}

/* The label: as many characters as fit in w px, ".." marking a cut. */
static void put_label(FILE *f, const char *name, double w)
{
	double room = (w - 6) / FG_CHAR_PX;
	size_t fit = room > 0 ? (size_t)room : 0, len = strlen(name), n;

	if (fit < 3)
		return;
	n = utf8_len(name, len);
	if (n <= fit) {
		xml_put(f, name, len, SIZE_MAX);
		return;
	}
	xml_put(f, name, len, fit - 2);
	fputs("..", f);
}

/* The fill and tooltip note of a frame: meta's frame_style if any, else the palette. */
static void style(const struct fg *g, const struct report_frame *fr, size_t level, uint64_t weight,
		  unsigned kind, char *fill, size_t fill_len, char *note, size_t note_len)
{
	const char *name = fr ? frame_name(fr) : "all";

	fill[0] = note[0] = 0;
	/* fr is &stack->frames[level - 1] (see walk): its root is level - 1 frames back */
	if (fr && g->meta && g->meta->frame_style)
		g->meta->frame_style(g->meta->style_ctx, fr - (level - 1), level, weight, fill,
				     fill_len, note, note_len);
	if (!fill[0])
		frame_fill(name, kind, fill, fill_len);
}

/* Second pass: one <g> per frame wide enough: tooltip, box, fitted label. */
static void emit(struct fg *g, const struct report_frame *fr, size_t level, uint64_t start,
		 uint64_t weight)
{
	const char *name = fr ? frame_name(fr) : "all";
	double x = FG_PAD_PX + start * g->px_per_unit, w = weight * g->px_per_unit;
	int y = g->graph_bottom - (int)(level + 1) * FG_ROW_PX;
	unsigned kind = !fr ? FG_ROOT_KIND : fr->kind < RF__COUNT ? fr->kind : RF_PSEUDO;
	char fill[32], note[128];

	if (!visible(g, weight))
		return;
	style(g, fr, level, weight, kind, fill, sizeof(fill), note, sizeof(note));
	fputs(fr ? "<g class=\"f\"><title>" : "<g class=\"f\" id=\"all\"><title>", g->f);
	put_tooltip(g, name, kind, weight);
	xml_puts(g->f, note);
	fputs("</title><rect x=\"", g->f);
	put_fixed2(g->f, x);
	fprintf(g->f, "\" y=\"%d\" width=\"", y);
	put_fixed2(g->f, w);
	fprintf(g->f, "\" height=\"%d\" fill=\"%s\"/><text x=\"", FG_ROW_PX - 1, fill);
	put_fixed2(g->f, x + 3);
	fprintf(g->f, "\" y=\"%d\">", y + 11);
	put_label(g->f, name, w);
	fputs("</text></g>\n", g->f);
}

/* Provenance item i ("key: value"; the unit after the last kv) as XML text. */
static void put_meta_item(FILE *f, const struct report_meta *meta, size_t i, const char *unit)
{
	const struct report_kv *kv;

	if (i == meta->nr_kv) {
		fputs("unit: ", f);
		xml_puts(f, unit);
		return;
	}
	kv = &meta->kv[i];
	xml_puts(f, kv->key ? kv->key : "?");
	fputs(": ", f);
	xml_put(f, kv->value, strnlen(kv->value, sizeof(kv->value)), SIZE_MAX);
}

/* The length in bytes of provenance item i, to pack the items into lines. */
static size_t meta_item_len(const struct report_meta *meta, size_t i, const char *unit)
{
	const struct report_kv *kv;

	if (i == meta->nr_kv)
		return strlen("unit: ") + strlen(unit);
	kv = &meta->kv[i];
	return strlen(kv->key ? kv->key : "?") + 2 + strnlen(kv->value, sizeof(kv->value));
}

/*
 * Pack the provenance items into lines of about FG_META_CHARS. With f, draw
 * them from baseline y down; without, only count. Returns the line count.
 */
static size_t put_meta(FILE *f, const struct report_meta *meta, const char *unit, int y)
{
	size_t lines = 0, col = 0, len;

	for (size_t i = 0; i <= meta->nr_kv; i++) {
		len = meta_item_len(meta, i, unit);
		if (col && col + 3 + len > FG_META_CHARS)
			col = 0;
		lines += !col;
		if (f && !col)
			fprintf(f, "%s<text class=\"m\" x=\"%d\" y=\"%d\">",
				lines > 1 ? "</text>\n" : "", FG_PAD_PX,
				y + (int)(lines - 1) * FG_META_LINE_PX);
		else if (f)
			fputs(" &#183; ", f);
		if (f)
			put_meta_item(f, meta, i, unit);
		col += (col ? 3 : 0) + len;
	}
	if (f)
		fputs("</text>\n", f);
	return lines;
}

/* Declaration, root element, provenance in <desc>, styles and background. */
static void put_head(const struct fg *g, const struct report_meta *meta, const char *title,
		     int height)
{
	FILE *f = g->f;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n", f);
	fprintf(f,
		"<svg version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		"xmlns=\"http://www.w3.org/2000/svg\">\n<desc>",
		FG_WIDTH_PX, height, FG_WIDTH_PX, height);
	xml_puts(f, title);
	for (size_t i = 0; i <= meta->nr_kv; i++) {
		fputc('\n', f);
		put_meta_item(f, meta, i, g->unit);
	}
	fputs("</desc>\n", f);
	fputs("<style type=\"text/css\"><![CDATA[\n", f);
	fputs(fg_css, f);
	fputs("]]></style>\n", f);
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#f8f8f4\"/>\n",
		FG_WIDTH_PX, height);
}

/* Title, the totals and usage line, the Reset zoom and Search controls. */
static void put_controls(const struct fg *g, const char *title)
{
	FILE *f = g->f;

	fprintf(f, "<text id=\"title\" x=\"%d\" y=\"24\">", FG_WIDTH_PX / 2);
	xml_puts(f, title);
	fprintf(f, "</text>\n<text id=\"sub\" x=\"%d\" y=\"44\">", FG_WIDTH_PX / 2);
	put_weight(g, g->total);
	fprintf(f,
		" in %zu stacks. Click a frame to zoom, Ctrl-F to search, Esc to reset.</text>\n",
		g->nr_order);
	fprintf(f, "<text id=\"unzoom\" class=\"btn hide\" x=\"%d\" y=\"24\">Reset zoom</text>\n",
		FG_PAD_PX);
	fprintf(f, "<text id=\"search\" class=\"btn\" x=\"%d\" y=\"24\">Search</text>\n",
		FG_WIDTH_PX - FG_PAD_PX);
	if (!g->total)
		fprintf(f,
			"<text id=\"empty\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
			"No samples</text>\n",
			FG_WIDTH_PX / 2, g->graph_bottom - 4);
}

/* Below the frames: the hover details line, the search result, provenance, script. */
static void put_tail(const struct fg *g, const struct report_meta *meta)
{
	FILE *f = g->f;

	fprintf(f, "<text id=\"details\" x=\"%d\" y=\"%d\"> </text>\n", FG_PAD_PX,
		g->graph_bottom + 18);
	fprintf(f, "<text id=\"matched\" x=\"%d\" y=\"%d\"> </text>\n", FG_WIDTH_PX - FG_PAD_PX,
		g->graph_bottom + 18);
	put_meta(f, meta, g->unit, g->graph_bottom + 36);
	fprintf(f, "<script type=\"text/ecmascript\"><![CDATA[\nvar W = %d, PAD = %d, CHAR = ",
		FG_WIDTH_PX, FG_PAD_PX);
	put_fixed2(f, FG_CHAR_PX);
	fputs(";\n", f);
	fputs(fg_js, f);
	fputs("]]></script>\n</svg>\n", f);
}

/* report_ops.write for "flamegraph": measure, then draw, in two passes. */
static int flamegraph_write(FILE *f, const struct report_stack *stacks, size_t nr,
			    const struct report_meta *meta)
{
	struct fg g = { .f = f, .meta = meta };
	const char *title;
	int err, height;

	if (!f || !meta || (nr && !stacks) || (meta->nr_kv && !meta->kv))
		return -EINVAL;
	g.unit = meta->unit ? meta->unit : "samples";
	title = meta->title ? meta->title : "pystrobe";
	err = fg_collect(&g, stacks, nr);
	if (!err)
		err = fg_sort(&g);
	if (err)
		goto out_free;
	walk(&g, measure);
	g.graph_bottom = FG_TOP_PX + (int)(g.max_level + 1) * FG_ROW_PX;
	height = g.graph_bottom + 30 + (int)put_meta(NULL, meta, g.unit, 0) * FG_META_LINE_PX;
	put_head(&g, meta, title, height);
	put_controls(&g, title);
	fputs("<g id=\"frames\">\n", f);
	walk(&g, emit);
	fputs("</g>\n", f);
	put_tail(&g, meta);
	err = ferror(f) ? -EIO : 0;
out_free:
	free(g.order);
	free(g.lcp);
	free(g.start);
	return err;
}

const struct report_ops report_flamegraph_ops = {
	.name = "flamegraph",
	.ext = "svg",
	.write = flamegraph_write,
};
