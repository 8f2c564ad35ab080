// SPDX-License-Identifier: MIT
/* GIL report: diagnosis, text and JSON writers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ps_gil.h"
#include "gil/gil_report.h"
#include "gil/gil_where.h"
#include "lib/textesc.h"
#include "lib/jsonw.h"
#include "report/summary.h"

#define CONTENDED_WAIT 0.30 /* a thread waiting more than this share of its time contends */
#define BUSY_SHARE 0.50 /* held + wait above this share: the thread wants to run Python */
#define NEGLIGIBLE_WAIT 0.05 /* below this everywhere: the GIL is not the bottleneck */

void gil_result_free(struct gil_result *r)
{
	for (size_t i = 0; i < r->nr_procs; i++)
		free(r->procs[i].threads);
	free(r->procs);
	memset(r, 0, sizeof(*r));
}

/* Upper bound in ns of histogram bucket b (include/ps_gil.h: 4 sub-buckets per power of two). */
static uint64_t bucket_upper(size_t b)
{
	unsigned log2, sub;

	if (b == 0)
		return 1ULL << PS_GIL_HIST_MIN_LOG2;
	log2 = (b - 1) / PS_GIL_HIST_SUB + PS_GIL_HIST_MIN_LOG2;
	sub = (b - 1) % PS_GIL_HIST_SUB;
	return (1ULL << log2) + ((1ULL << log2) >> 2) * (sub + 1);
}

uint64_t gil_hist_p99(const uint32_t *hist, size_t nr)
{
	uint64_t total = 0, seen = 0, want;

	for (size_t b = 0; b < nr; b++)
		total += hist[b];
	if (!total)
		return 0;
	want = total - total / 100; /* the 99th percentile: at least 99 % at or below */
	for (size_t b = 0; b < nr; b++) {
		seen += hist[b];
		if (seen >= want)
			return bucket_upper(b);
	}
	return bucket_upper(nr - 1);
}

static double share(uint64_t part, uint64_t whole)
{
	return whole ? (double)part / whole : 0;
}

/* Append to the diagnosis (bounded). */
static void say(struct gil_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct gil_result *r, const char *fmt, ...)
{
	size_t len = strlen(r->diagnosis);
	va_list ap;

	if (len + 1 >= sizeof(r->diagnosis))
		return;
	va_start(ap, fmt);
	vsnprintf(r->diagnosis + len, sizeof(r->diagnosis) - len, fmt, ap);
	va_end(ap);
}

/* Are the waits of p known (exact, or estimated from looks at its waiters)? */
static bool waits_known(const struct gil_proc_row *p)
{
	if (p->mode == GIL_EXACT)
		return true;
	for (size_t i = 0; p->mode == GIL_ESTIMATED && i < p->nr_threads; i++)
		if (p->threads[i].wait_estimated)
			return true;
	return false;
}

/* Threads of p waiting more than CONTENDED_WAIT while wanting to run; their range. */
static size_t waiters(const struct gil_proc_row *p, const struct gil_thread_row *skip, double *lo,
		      double *hi)
{
	size_t n = 0;

	*lo = 1;
	*hi = 0;
	for (size_t i = 0; i < p->nr_threads; i++) {
		const struct gil_thread_row *t = &p->threads[i];
		double w = share(t->wait_ns, t->wall_ns);

		if (t == skip || w <= CONTENDED_WAIT ||
		    share(t->held_ns + t->wait_ns, t->wall_ns) <= BUSY_SHARE)
			continue;
		n++;
		*lo = w < *lo ? w : *lo;
		*hi = w > *hi ? w : *hi;
	}
	return n;
}

/* The thread holding the GIL most, if above GIL_DOMINANT_HELD. */
static const struct gil_thread_row *holder(const struct gil_proc_row *p)
{
	const struct gil_thread_row *best = NULL;

	for (size_t i = 0; i < p->nr_threads; i++) {
		const struct gil_thread_row *t = &p->threads[i];

		if (share(t->held_ns, t->wall_ns) > GIL_DOMINANT_HELD &&
		    (!best || t->held_ns * best->wall_ns > best->held_ns * t->wall_ns))
			best = t;
	}
	return best;
}

/* One thread holds the GIL and others wait for it: name it and where it holds it. */
static void say_holder(struct gil_result *r, const struct gil_proc_row *p,
		       const struct gil_thread_row *h, size_t n, double lo, double hi)
{
	say(r,
	    "pid %u (%s): thread %s (%u) holds the GIL %.0f%% of the time%s%s; %zu thread%s "
	    "wait%s %.0f-%.0f%% of their time for it%s. Make it release the GIL (smaller "
	    "pieces of work, C code that releases it) or move it to another process. ",
	    p->pid, p->label, h->name, h->tid, 100 * share(h->held_ns, h->wall_ns),
	    h->where[0] ? " in " : "", h->where, n, n == 1 ? "" : "s", n == 1 ? "s" : "", 100 * lo,
	    100 * hi, p->mode == GIL_EXACT ? "" : " (estimated)");
}

/* Diagnose one process whose waits are known; returns 1 when it contends. */
static int diagnose_proc(struct gil_result *r, const struct gil_proc_row *p, double *max_wait,
			 const struct gil_proc_row **max_p)
{
	const struct gil_thread_row *h = holder(p);
	double lo, hi;
	size_t n;

	for (size_t i = 0; i < p->nr_threads; i++) {
		double w = share(p->threads[i].wait_ns, p->threads[i].wall_ns);

		if (w > *max_wait || !*max_p) {
			*max_wait = w > *max_wait ? w : *max_wait;
			*max_p = p;
		}
	}
	n = h ? waiters(p, h, &lo, &hi) : 0;
	if (n) {
		say_holder(r, p, h, n, lo, hi);
		return 1;
	}
	n = waiters(p, NULL, &lo, &hi);
	if (n < 2)
		return 0;
	say(r,
	    "pid %u (%s): %zu threads contend for the GIL%s: each waits %.0f-%.0f%% of its "
	    "time for another to release it, so they run Python one at a time. Run this work "
	    "in separate processes (multiprocessing, ProcessPoolExecutor) or in C code that "
	    "releases the GIL to run it in parallel. ",
	    p->pid, p->label, n, p->mode == GIL_EXACT ? "" : " (estimated)", 100 * lo, 100 * hi);
	return 1;
}

/* Name the processes whose waits are unknown, and what would measure them. */
static void say_unknown(struct gil_result *r, size_t nr_unknown)
{
	size_t said = 0;

	say(r, "The waits of ");
	for (size_t i = 0; i < r->nr_procs && said < 4; i++) {
		const struct gil_proc_row *p = &r->procs[i];

		if (p->mode == GIL_ESTIMATED && !waits_known(p))
			say(r, "%spid %u (%s)", said++ ? ", " : "", p->pid, p->label);
	}
	say(r,
	    "%s are unknown (see the reasons above): nothing is concluded about them. To measure "
	    "them, profile for longer (the estimate needs the process alive for a few ticks) or "
	    "raise --gil-budget for exact tracing (which slows a busy process down).",
	    nr_unknown > 4 ? " and others" : "");
}

void gil_diagnose(struct gil_result *r)
{
	const struct gil_proc_row *mp = NULL; /* the busiest waiter's process */
	double max_wait = 0;
	size_t contended = 0, known = 0, unknown = 0;

	r->diagnosis[0] = '\0';
	for (size_t i = 0; i < r->nr_procs; i++) {
		if (r->procs[i].mode == GIL_NO_GIL)
			continue;
		if (!waits_known(&r->procs[i])) {
			unknown++;
			continue;
		}
		known++;
		contended += diagnose_proc(r, &r->procs[i], &max_wait, &mp);
	}
	if (!contended && known && max_wait < NEGLIGIBLE_WAIT && !unknown && mp)
		/* the busiest waiter named: the reader sees which process the figure rests on */
		say(r,
		    "The GIL is not the bottleneck: no thread waits more than %.1f%% of its time "
		    "for it (the busiest waiter: pid %u, %s%s).",
		    100 * max_wait, mp->pid, mp->label, mp->mode != GIL_EXACT ? "; estimated" : "");
	else if (!contended && known && max_wait < NEGLIGIBLE_WAIT && !unknown)
		say(r, "The GIL is not the bottleneck: no thread waits for it.");
	else if (!contended && known && max_wait < NEGLIGIBLE_WAIT)
		say(r, "No thread whose waits are known waits more than %.1f%% of its time. ",
		    100 * max_wait);
	else if (!contended && known)
		say(r,
		    "Some GIL contention: the busiest waiter (pid %u, %s) waits %.0f%% of its "
		    "time%s; threads do not all compete for it. ",
		    mp->pid, mp->label, 100 * max_wait,
		    mp->mode == GIL_EXACT ? "" : " (estimated)");
	if (unknown)
		say_unknown(r, unknown);
	else if (!known)
		say(r, "No process with a GIL was traced.");
}

static const char *mode_name(enum gil_mode m)
{
	return m == GIL_EXACT ? "exact" : m == GIL_ESTIMATED ? "estimated" : "no GIL";
}

/* One thread line of the text table. */
static void text_thread(FILE *f, const struct gil_proc_row *p, const struct gil_thread_row *t)
{
	double secs = t->wall_ns / 1e9;
	char name[128];

	textesc_name(t->name, name, sizeof(name));
	if (p->mode == GIL_ESTIMATED && t->wait_estimated) {
		fprintf(f, "  %7u %-15.15s %6.1f%% %6.1f%% %6.1f%% %9s %9s %9s\n", t->tid, name,
			100 * share(t->held_ns, t->wall_ns), 100 * share(t->wait_ns, t->wall_ns),
			100 * (1 - share(t->held_ns + t->wait_ns, t->wall_ns)), "n/a", "n/a",
			"n/a");
		return;
	}
	if (p->mode == GIL_ESTIMATED) {
		fprintf(f, "  %7u %-15.15s %6.1f%%    n/a %7s %9s %9s %9s\n", t->tid, name,
			100 * share(t->held_ns, t->wall_ns), "n/a", "n/a", "n/a", "n/a");
		return;
	}
	fprintf(f, "  %7u %-15.15s %6.1f%% %6.1f%% %6.1f%% %9.0f %7.3fms %7.3fms\n", t->tid, name,
		100 * share(t->held_ns, t->wall_ns), 100 * share(t->wait_ns, t->wall_ns),
		100 * (1 - share(t->held_ns + t->wait_ns, t->wall_ns)),
		secs > 0 ? t->acquisitions / secs : 0, t->mean_wait_ns / 1e6, t->p99_wait_ns / 1e6);
}

/* How far held time can be from the truth here (gil_accuracy.c), and since when. */
static void text_accuracy(FILE *f, const struct gil_proc_row *p)
{
	const struct gil_accuracy *a = gil_accuracy_of(p->style);
	bool older = false;

	if (p->style == GIL_STYLE_LOOKED)
		fprintf(f,
			"  estimated: holder and waiters looked at %.0f times/s; held and wait\n"
			"  within ±%.1f points of wall of exact tracing (measured: %s)\n",
			p->est_looks_per_s, a->held_error_pts, a->basis);
	else
		fprintf(f,
			"  held time within ±%.1f points of wall of the thread's CPU time (+ its\n"
			"  run-queue delay) on this build style (measured: %s)\n",
			a->held_error_pts, a->name);
	if (p->mode == GIL_EXACT && p->probe_cpu_share > GIL_PROBE_SHARE_MAX)
		fprintf(f,
			"  warning: the probes cost ~%.0f%% of a CPU at peak (%.0f hits/s), over "
			"%.0f%%:\n  waits are inflated by tracing; --gil-budget lower estimates "
			"instead\n",
			100 * p->probe_cpu_share, p->peak_events_per_s, 100 * GIL_PROBE_SHARE_MAX);
	for (size_t i = 0; i < p->nr_threads; i++)
		older |= p->threads[i].since_attach;
	if (p->mode == GIL_EXACT && older)
		fprintf(f, "  threads older than the probes are counted from +%.2f s\n",
			p->traced_from_ns / 1e9);
}

/* One process block of the text report. */
static void text_proc(FILE *f, const struct gil_proc_row *p)
{
	char label[512];

	fprintf(f, "pid %u  %s  CPython %s  GIL: %s", p->pid,
		textesc_name(p->label, label, sizeof(label)), p->python, mode_name(p->mode));
	if (p->mode == GIL_EXACT)
		fprintf(f, " (%.0f probe hits/s at peak, switch interval %.1f ms)",
			p->peak_events_per_s, p->switch_interval_ns / 1e6);
	fputc('\n', f);
	if (p->reason[0])
		fprintf(f, "  %s\n", textesc_name(p->reason, label, sizeof(label)));
	if (p->mode == GIL_NO_GIL)
		return;
	text_accuracy(f, p);
	fprintf(f, "  %7s %-15s %7s %7s %7s %9s %9s %9s\n", "tid", "thread", "held", "wait",
		"release", "acq/s", "mean wait", "p99 wait");
	for (size_t i = 0; i < p->nr_threads; i++)
		text_thread(f, p, &p->threads[i]);
}

void gil_write_text(FILE *f, const struct gil_result *r, const struct run_stats *rs)
{
	fprintf(f,
		"pystrobe gil: %zu process%s over %.1f s (held / waiting / released: shares of "
		"each thread's wall time)\n",
		r->nr_procs, r->nr_procs == 1 ? "" : "es", rs->duration_s);
	for (size_t i = 0; i < r->nr_procs; i++)
		text_proc(f, &r->procs[i]);
	fprintf(f, "diagnosis: %s\n", r->diagnosis);
}

/* One thread object of the JSON report. */
static void json_thread(struct jsonw *j, const struct gil_proc_row *p,
			const struct gil_thread_row *t)
{
	bool est = p->mode != GIL_EXACT, no_wait = est && !t->wait_estimated;

	jsonw_begin_object(j);
	jsonw_kv_uint(j, "tid", t->tid);
	jsonw_kv_str(j, "name", t->name);
	jsonw_kv_str(j, "thread_name_source", t->name_python ? "python" : "os");
	jsonw_kv_uint(j, "wall_ns", t->wall_ns);
	jsonw_kv_uint(j, "held_ns", t->held_ns);
	if (no_wait)
		jsonw_kv_null(j, "wait_ns");
	else
		jsonw_kv_uint(j, "wait_ns", t->wait_ns);
	jsonw_kv_uint(j, "acquisitions", t->acquisitions);
	jsonw_kv_uint(j, "drop_requests", t->drop_requests);
	jsonw_kv_uint(j, "mean_wait_ns", t->mean_wait_ns);
	jsonw_kv_uint(j, "p99_wait_ns", t->p99_wait_ns);
	jsonw_kv_uint(j, "samples", t->samples);
	jsonw_kv_uint(j, "samples_gil_held", t->samples_held);
	jsonw_kv_bool(j, "estimated", est);
	jsonw_kv_bool(j, "since_attach", t->since_attach);
	jsonw_kv_uint(j, "est_looks", t->est_looks);
	jsonw_kv_uint(j, "est_held_ns", t->est_held_ns);
	jsonw_kv_uint(j, "est_wait_ns", t->est_wait_ns);
	jsonw_kv_str(j, "where", t->where);
	jsonw_end_object(j);
}

/* One process object of the JSON report. */
static void json_proc(struct jsonw *j, const struct gil_proc_row *p)
{
	jsonw_begin_object(j);
	jsonw_kv_uint(j, "pid", p->pid);
	jsonw_kv_str(j, "name", p->label);
	jsonw_kv_str(j, "python", p->python);
	jsonw_kv_str(j, "mode", mode_name(p->mode));
	jsonw_kv_bool(j, "estimated", p->mode != GIL_EXACT);
	jsonw_kv_str(j, "reason", p->reason);
	jsonw_kv_uint(j, "switch_interval_ns", p->switch_interval_ns);
	jsonw_kv_double(j, "peak_events_per_s", p->peak_events_per_s);
	jsonw_kv_double(j, "probe_cpu_share", p->probe_cpu_share);
	jsonw_kv_double(j, "est_looks_per_s", p->est_looks_per_s);
	jsonw_kv_str(j, "build_style", gil_accuracy_of(p->style)->name);
	jsonw_kv_double(j, "held_error_pts", gil_accuracy_of(p->style)->held_error_pts);
	jsonw_kv_str(j, "accuracy_basis", gil_accuracy_of(p->style)->basis);
	jsonw_kv_uint(j, "traced_from_ns", p->traced_from_ns);
	jsonw_key(j, "threads");
	jsonw_begin_array(j);
	for (size_t i = 0; i < p->nr_threads; i++)
		json_thread(j, p, &p->threads[i]);
	jsonw_end_array(j);
	jsonw_end_object(j);
}

int gil_write_json(FILE *f, const struct gil_result *r, const struct run_stats *rs)
{
	struct jsonw j;

	jsonw_init(&j, f);
	summary_json_head(&j, GIL_SCHEMA, rs, r->duration_ns);
	jsonw_key(&j, "processes");
	jsonw_begin_array(&j);
	for (size_t i = 0; i < r->nr_procs; i++)
		json_proc(&j, &r->procs[i]);
	jsonw_end_array(&j);
	jsonw_kv_str(&j, "diagnosis", r->diagnosis);
	return summary_json_end(&j);
}
