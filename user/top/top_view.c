// SPDX-License-Identifier: MIT
/* `pystrobe top` rendering: the snapshot model to text, for a terminal or a pipe. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/textesc.h"
#include "top/top_view.h"

#define PROCS_SHOWN 5 /* process lines in the header; more are summed up in one line */
#define LINE_MAX_BYTES 1024
#define ROW_PREFIX 32 /* columns before the function: " SELF%  TOTAL%   GIL%  SYSC/S  " */
#define WALL_REASON_COLS 22 /* "[io: read fd 12 pipe]"; longer reasons are cut */
#define WALL_PREFIX (16 + WALL_REASON_COLS + 1) /* " WALL% THREADS  REASON " */

static const char *const sort_names[TOP_SORT__COUNT] = { "self", "total", "GIL", "syscalls" };

/* Empty the buffer, keeping its memory for the next frame. */
void top_buf_reset(struct top_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

/* Release the buffer; it may be used again after. */
void top_buf_free(struct top_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

/* Append n bytes. 0 or -ENOMEM. */
static int buf_put(struct top_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->s, cap);
		if (!p)
			return -ENOMEM;
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

/* Bytes of s that fit in cols terminal columns (UTF-8: continuation bytes take none). */
static size_t fit(const char *s, size_t len, unsigned cols)
{
	unsigned used = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if (used == cols)
			break;
		used++;
	}
	return i;
}

/* Renderer state: the buffer, the limits, lines written so far. */
struct out {
	struct top_buf *b;
	unsigned cols, lines, nr;
	bool ansi;
	int err;
};

/* One line, escaped and cut at the width; inverse video on a terminal when asked. */
static void line(struct out *o, bool inverse, const char *fmt, ...)
{
	char raw[LINE_MAX_BYTES], text[LINE_MAX_BYTES];
	va_list ap;
	int n;

	if (o->err || (o->lines && o->nr >= o->lines))
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* names and commands are the targets' choice: their control characters shown escaped */
	n = (int)textesc_str(text, sizeof(text), raw, 0);
	if (o->ansi && inverse)
		o->err = o->err ?: buf_put(o->b, "\033[7m", 4);
	o->err = o->err ?: buf_put(o->b, text, fit(text, n, o->cols));
	if (o->ansi)
		o->err = o->err ?:
				  buf_put(o->b, inverse ? "\033[0m\033[K\n" : "\033[K\n",
					  inverse ? 8 : 4);
	else
		o->err = o->err ?: buf_put(o->b, "\n", 1);
	o->nr++;
}

/* "12.3" or "-" when unknown. */
static const char *pct_str(char *buf, size_t len, double v)
{
	if (v < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f", v);
	return buf;
}

/* The first two lines: totals, modes and keys. */
static void header(struct out *o, const struct top_model *m)
{
	double rate = m->interval_s > 0 ? m->nr_samples / m->interval_s : 0;

	line(o, false,
	     "pystrobe top - %u process%s, %.0f samples/s, lost %llu, cut %llu, %.0f s%s%s",
	     m->nr_live, m->nr_live == 1 ? "" : "es", rate, (unsigned long long)m->lost,
	     (unsigned long long)m->partial, m->elapsed_s, m->cumulative ? " [cumulative]" : "",
	     m->paused ? " [paused]" : "");
	if (m->wall_view)
		line(o, false, "wall time by reason%s, %s | w CPU view, W c p < > q",
		     m->procs_by_wait ? ", processes by GIL wait" : "",
		     m->cumulative ? "since start" : "last interval");
	else
		line(o, false,
		     "sort %s%s, %s | s t g y W sort, w wall, c cumul, p pause, <> pid, q quit",
		     sort_names[m->sort], m->procs_by_wait ? ", processes by GIL wait" : "",
		     m->cumulative ? "since start" : "last interval");
}

/* GIL wait share: "12.3", "~" estimated (no probes), "-" not audited. */
static const char *wait_str(char *buf, size_t len, const struct top_proc *p)
{
	if (p->gil_wait == TOP_WAIT_EXACT)
		return pct_str(buf, len, p->gil_wait_pct);
	snprintf(buf, len, "%s", p->gil_wait == TOP_WAIT_ESTIMATED ? "~" : "-");
	return buf;
}

/* The process table: the first PROCS_SHOWN, then a count of the rest. */
static void procs(struct out *o, const struct top_model *m)
{
	char g[16], sc[24], w[16];

	line(o, false, "%7s %-8s %9s %6s %10s %9s  %s", "PID", "PYTHON", "SAMPLES/S", "GIL%",
	     "SYSCALLS/S", "GIL-WAIT%", "COMMAND");
	for (size_t i = 0; i < m->nr_procs && i < PROCS_SHOWN; i++) {
		const struct top_proc *p = &m->procs[i];

		if (p->syscalls_per_s < 0)
			snprintf(sc, sizeof(sc), "-");
		else
			snprintf(sc, sizeof(sc), "%.0f", p->syscalls_per_s);
		line(o, false, "%7u %-8s %9.0f %6s %10s %9s  %s", p->pid, p->python,
		     p->samples_per_s, pct_str(g, sizeof(g), p->gil_pct), sc,
		     wait_str(w, sizeof(w), p), p->label);
	}
	if (m->nr_procs > PROCS_SHOWN)
		line(o, false, "%7s ... %zu more processes", "", m->nr_procs - PROCS_SHOWN);
}

/*
 * "func (file:line)" in at most width columns: a long file keeps its end
 * (the file name and line matter more than the directories).
 */
static void fn_text(const struct top_row *r, unsigned width, char *buf, size_t len)
{
	size_t fl = strlen(r->file), need;
	char ln[16];

	if (!r->file[0]) {
		snprintf(buf, len, "%s", r->func);
		return;
	}
	snprintf(ln, sizeof(ln), ":%d)", r->line);
	need = strlen(r->func) + 2 + fl + strlen(ln);
	if (need > width && need - width + 3 < fl)
		snprintf(buf, len, "%s (...%s%s", r->func, r->file + (need - width + 3), ln);
	else
		snprintf(buf, len, "%s (%s%s", r->func, r->file, ln);
}

/* A rate in at most 6 columns: "12345", "123k", "12.3M"; "-" when not counted. */
static const char *rate_str(char *buf, size_t len, double v, bool known)
{
	if (!known)
		snprintf(buf, len, "-");
	else if (v < 99999.5)
		snprintf(buf, len, "%.0f", v);
	else if (v < 999.5e3)
		snprintf(buf, len, "%.0fk", v / 1e3);
	else
		snprintf(buf, len, "%.1fM", v / 1e6);
	return buf;
}

/* One function line: shares, syscalls per second, then "func (file:line)". */
static void row(struct out *o, const struct top_model *m, const struct top_row *r)
{
	double total = m->total ? (double)m->total : 1;
	char g[16], sc[16], text[LINE_MAX_BYTES];

	pct_str(g, sizeof(g), r->gil_known ? 100.0 * r->gil_held / r->gil_known : -1);
	rate_str(sc, sizeof(sc), m->interval_s > 0 ? r->sys_calls / m->interval_s : 0, m->has_sys);
	fn_text(r, o->cols > ROW_PREFIX ? o->cols - ROW_PREFIX : 1, text, sizeof(text));
	line(o, false, "%6.1f %7.1f %6s %7s  %s", 100.0 * r->self / total, 100.0 * r->total / total,
	     g, sc, text);
}

/* The CPU view's table: functions by self / total / GIL / syscalls. */
static void cpu_rows(struct out *o, const struct top_model *m)
{
	line(o, true, "%6s %7s %6s %7s  %-*s", "SELF%", "TOTAL%", "GIL%", "SYSC/S",
	     (int)(o->ansi && o->cols > ROW_PREFIX ? o->cols - ROW_PREFIX : 0),
	     "FUNCTION (FILE:LINE)");
	if (!m->nr_rows)
		line(o, false, "%s", "  (no samples in this interval)");
	for (size_t i = 0; i < m->nr_rows; i++)
		row(o, m, &m->rows[i]);
}

/* One wall line: share, threads in that state on average, reason, "func (file:line)". */
static void wall_row(struct out *o, const struct top_model *m, const struct top_wall_row *w)
{
	struct top_row r = { .func = w->func, .file = w->file, .line = w->line };
	double total = m->wall_ns ? (double)m->wall_ns : 1;
	char text[LINE_MAX_BYTES];

	fn_text(&r, o->cols > WALL_PREFIX ? o->cols - WALL_PREFIX : 1, text, sizeof(text));
	line(o, false, "%6.1f %7.2f  %-*.*s %s", 100.0 * w->ns / total,
	     m->interval_s > 0 ? w->ns / 1e9 / m->interval_s : 0, WALL_REASON_COLS,
	     WALL_REASON_COLS, w->reason, text);
}

/* The wall view's table, or why there is none. */
static void wall_rows(struct out *o, const struct top_model *m)
{
	line(o, true, "%6s %7s  %-*s %-*s", "WALL%", "THREADS", WALL_REASON_COLS, "REASON",
	     (int)(o->ansi && o->cols > WALL_PREFIX ? o->cols - WALL_PREFIX : 0),
	     "FUNCTION (FILE:LINE)");
	if (!m->has_wall)
		line(o, false, "%s", "  (no off-CPU program: start top with --wall)");
	else if (!m->nr_wall_rows)
		line(o, false, "%s", "  (no wall time in this interval)");
	for (size_t i = 0; i < m->nr_wall_rows; i++)
		wall_row(o, m, &m->wall_rows[i]);
}

int top_view_render(const struct top_model *m, unsigned cols, unsigned lines, bool ansi,
		    struct top_buf *b)
{
	struct out o = { .b = b, .cols = cols ? cols : 80, .lines = lines, .ansi = ansi };

	top_buf_reset(b);
	if (ansi)
		o.err = buf_put(b, "\033[H", 3);
	header(&o, m);
	procs(&o, m);
	if (m->filter_pid)
		line(&o, false, "showing pid %u only (< > to change)", m->filter_pid);
	line(&o, false, "%s", "");
	if (m->wall_view)
		wall_rows(&o, m);
	else
		cpu_rows(&o, m);
	if (m->note)
		line(&o, false, "%s", m->note);
	if (ansi && !o.err)
		o.err = buf_put(b, "\033[J", 3);
	return o.err;
}

/* The value the current sort orders by. */
static double sort_key(const struct top_row *r, enum top_sort s)
{
	switch (s) {
	case TOP_SORT_TOTAL:
		return (double)r->total;
	case TOP_SORT_GIL:
		return r->gil_known ? (double)r->gil_held / r->gil_known : -1.0;
	case TOP_SORT_SYS:
		return r->sys_calls;
	default:
		return (double)r->self;
	}
}

static enum top_sort cmp_sort; /* qsort has no context argument in C11 */

/* The sort key descending, then self, total, name, file: deterministic. */
static int cmp_rows(const void *pa, const void *pb)
{
	const struct top_row *a = pa, *b = pb;
	double ka = sort_key(a, cmp_sort), kb = sort_key(b, cmp_sort);

	if (ka != kb)
		return ka < kb ? 1 : -1;
	if (a->self != b->self)
		return a->self < b->self ? 1 : -1;
	if (a->total != b->total)
		return a->total < b->total ? 1 : -1;
	return strcmp(a->func, b->func) ?: strcmp(a->file, b->file);
}

void top_view_sort(struct top_model *m)
{
	cmp_sort = m->sort;
	qsort(m->rows, m->nr_rows, sizeof(*m->rows), cmp_rows);
}
