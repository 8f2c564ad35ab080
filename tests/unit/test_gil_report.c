// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ps_gil.h"
#include "gil/gil_report.h"
#include "gil/gil_timeline.h"

Test(gil_report, bucket_of_a_wait_brackets_it)
{
	uint64_t waits[] = { 200, 1000, 5000000, 123456789 };

	for (size_t i = 0; i < sizeof(waits) / sizeof(waits[0]); i++) {
		uint32_t hist[PS_GIL_HIST_BUCKETS] = { 0 };
		uint64_t p99;

		hist[ps_gil_bucket(waits[i])] = 1;
		p99 = gil_hist_p99(hist, PS_GIL_HIST_BUCKETS);
		cr_assert(p99 >= waits[i] && p99 <= waits[i] * 5 / 4 + 1,
			  "wait %llu: p99 bucket bound %llu not within +25%%",
			  (unsigned long long)waits[i], (unsigned long long)p99);
	}
}

Test(gil_report, p99_ignores_the_top_one_percent)
{
	uint32_t hist[PS_GIL_HIST_BUCKETS] = { 0 };
	uint64_t p99;

	hist[ps_gil_bucket(10000)] = 990; /* 10 us */
	hist[ps_gil_bucket(50000000)] = 10; /* 50 ms: the top 1 % */
	p99 = gil_hist_p99(hist, PS_GIL_HIST_BUCKETS);
	cr_assert(p99 < 20000, "p99 %llu should be the 10 us bucket", (unsigned long long)p99);
	hist[ps_gil_bucket(50000000)] = 20;
	p99 = gil_hist_p99(hist, PS_GIL_HIST_BUCKETS);
	cr_assert(p99 >= 50000000, "with 2 %% slow waits p99 %llu is slow",
		  (unsigned long long)p99);
}

/* One process with n threads waiting wait_pct of their time. */
static struct gil_result make(size_t n, double wait_pct, double held_pct)
{
	struct gil_result r = { 0 };

	r.procs = calloc(1, sizeof(*r.procs));
	r.nr_procs = 1;
	r.procs[0].pid = 42;
	r.procs[0].threads = calloc(n, sizeof(struct gil_thread_row));
	r.procs[0].nr_threads = n;
	for (size_t i = 0; i < n; i++) {
		r.procs[0].threads[i].tid = 42 + i;
		r.procs[0].threads[i].wall_ns = 1000000000;
		r.procs[0].threads[i].wait_ns = wait_pct * 1e7;
		r.procs[0].threads[i].held_ns = held_pct * 1e7;
	}
	return r;
}

Test(gil_report, diagnoses_contention_of_busy_waiting_threads)
{
	struct gil_result r = make(4, 75, 25);

	gil_diagnose(&r);
	cr_assert(strstr(r.diagnosis, "4 threads contend for the GIL"), "got: %s", r.diagnosis);
	gil_result_free(&r);
}

Test(gil_report, says_the_gil_is_not_the_bottleneck_when_waits_are_tiny)
{
	struct gil_result r = make(4, 0.5, 1);

	gil_diagnose(&r);
	cr_assert(strstr(r.diagnosis, "not the bottleneck"), "got: %s", r.diagnosis);
	gil_result_free(&r);
}

Test(gil_report, one_waiting_thread_is_not_contention)
{
	struct gil_result r = make(1, 60, 30);

	gil_diagnose(&r);
	cr_assert(!strstr(r.diagnosis, "contend"), "got: %s", r.diagnosis);
	gil_result_free(&r);
}

Test(gil_report, estimated_processes_are_not_diagnosed_as_exact)
{
	struct gil_result r = make(4, 75, 25);

	r.procs[0].mode = GIL_ESTIMATED;
	gil_diagnose(&r);
	cr_assert(strstr(r.diagnosis, "unknown"), "got: %s", r.diagnosis);
	gil_result_free(&r);
}

Test(gil_timeline, rebuilds_wait_and_hold_intervals_in_order)
{
	struct ps_gil_event ev[] = {
		{ PS_REC_GIL_EVENT, PS_GIL_EV_WAIT, 1, 7, 100 },
		{ PS_REC_GIL_EVENT, PS_GIL_EV_ACQUIRE, 1, 7, 250 },
		{ PS_REC_GIL_EVENT, PS_GIL_EV_RELEASE, 1, 7, 900 },
	};
	struct gil_timeline tl;

	gil_timeline_init(&tl);
	for (size_t i = 0; i < 3; i++)
		cr_assert_eq(gil_timeline_add(&tl, &ev[i]), 0);
	cr_assert_eq(tl.nr, 2, "intervals: %zu", tl.nr);
	cr_assert_eq(tl.iv[0].begin_ns, 100);
	cr_assert_eq(tl.iv[0].end_ns, 250);
	cr_assert_eq(tl.iv[0].holding, 0);
	cr_assert_eq(tl.iv[1].begin_ns, 250);
	cr_assert_eq(tl.iv[1].end_ns, 900);
	cr_assert_eq(tl.iv[1].holding, 1);
	gil_timeline_free(&tl);
}

Test(gil_timeline, an_event_going_back_in_time_is_counted_not_kept)
{
	struct ps_gil_event a = { PS_REC_GIL_EVENT, PS_GIL_EV_ACQUIRE, 1, 7, 500 };
	struct ps_gil_event b = { PS_REC_GIL_EVENT, PS_GIL_EV_RELEASE, 1, 7, 400 };
	struct gil_timeline tl;

	gil_timeline_init(&tl);
	gil_timeline_add(&tl, &a);
	gil_timeline_add(&tl, &b);
	cr_assert_eq(tl.nr, 0);
	cr_assert_eq(tl.nr_malformed, 1);
	gil_timeline_free(&tl);
}

/* The text report of r into a string (free it). */
static char *text_of(const struct gil_result *r)
{
	struct run_stats rs = { .command = "pystrobe gil", .duration_s = 1 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	gil_write_text(f, r, &rs);
	fclose(f);
	return buf;
}

Test(gil_report, states_the_measured_accuracy_of_the_build_style)
{
	struct gil_result r = make(2, 10, 50);
	char *text;

	r.procs[0].style = gil_style_of(true, 5);
	text = text_of(&r);
	cr_assert(strstr(text, "(measured: LTO/inlined drop_gil)"), "got: %s", text);
	cr_assert(strstr(text, "held time within ±1.0 points of wall"), "got: %s", text);
	free(text);
	gil_result_free(&r);
}

Test(gil_report, estimated_and_out_of_line_builds_have_their_own_figures)
{
	cr_assert_eq(gil_style_of(false, 5), GIL_STYLE_ESTIMATED, "estimated wins over inlining");
	cr_assert_eq(gil_style_of(true, 0), GIL_STYLE_OUT_OF_LINE, "no inlined sites");
	cr_assert(gil_accuracy_of(GIL_STYLE_ESTIMATED)->held_error_pts >
			  gil_accuracy_of(GIL_STYLE_OUT_OF_LINE)->held_error_pts,
		  "estimates are looser than probes");
}

Test(gil_report, says_when_threads_are_counted_from_attach)
{
	struct gil_result r = make(2, 10, 50);
	char *text;

	r.procs[0].threads[1].since_attach = true;
	r.procs[0].traced_from_ns = 1250000000;
	text = text_of(&r);
	cr_assert(strstr(text, "threads older than the probes are counted from +1.25 s"), "got: %s",
		  text);
	free(text);
	gil_result_free(&r);
}
