// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report/report.h"

extern char **environ;

#define GRAPH_PX 1180.0 /* image width less both margins: the width of "all" */

static const struct report_kv kv[] = { { "pystrobe", "0.1.0" }, { "command", "record -d 1" } };
static const struct report_meta meta = { .title = "pystrobe record",
					 .unit = "samples",
					 .kv = kv,
					 .nr_kv = 2 };

/* The SVG for the stacks, as one string (freed by the caller). */
static char *render(const struct report_stack *st, size_t nr, const struct report_meta *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int err;

	cr_assert_not_null(f, "open_memstream: %s", strerror(errno));
	err = report_flamegraph_ops.write(f, st, nr, m);
	fclose(f);
	cr_assert_eq(err, 0, "write: expected 0, got %d", err);
	return buf;
}

/* xmllint's exit status on doc; fails the test if xmllint cannot be run. */
static int xmllint(const char *doc)
{
	char path[] = "/tmp/test_report_flamegraph_XXXXXX";
	char *argv[] = { "xmllint", "--noout", path, NULL };
	int fd = mkstemp(path), err, status = -1;
	size_t len = strlen(doc);
	pid_t pid;

	cr_assert_geq(fd, 0, "mkstemp: %s", strerror(errno));
	cr_assert_eq(write(fd, doc, len), (ssize_t)len, "short write to %s", path);
	close(fd);
	err = posix_spawnp(&pid, "xmllint", NULL, NULL, argv, environ);
	cr_assert_eq(err, 0, "cannot run xmllint: %s (apt-get install libxml2-utils)",
		     strerror(err));
	waitpid(pid, &status, 0);
	unlink(path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * The rect of the frame whose tooltip starts with "<tip> (": 0 and its x,
 * width and fill, or -1 if no such frame was drawn.
 */
static int frame_rect(const char *svg, const char *tip, double *x, double *w, char *fill)
{
	char key[256];
	const char *p;

	snprintf(key, sizeof(key), "<title>%s (", tip);
	p = strstr(svg, key);
	if (!p)
		return -1;
	p = strstr(p, "<rect ");
	cr_assert_not_null(p, "%s: no rect after the title", tip);
	cr_assert_eq(
		sscanf(p,
		       "<rect x=\"%lf\" y=\"%*d\" width=\"%lf\" height=\"%*d\" fill=\"%31[^\"]\"",
		       x, w, fill),
		3, "%s: cannot parse %.80s", tip, p);
	return 0;
}

/* How many times needle occurs in s. */
static size_t count(const char *s, const char *needle)
{
	size_t n = 0;

	for (; (s = strstr(s, needle)); s += strlen(needle))
		n++;
	return n;
}

Test(report_flamegraph, output_is_well_formed_xml)
{
	const struct report_frame fr[] = {
		{ "app (1)", RF_PROCESS },    { "MainThread (1)", RF_THREAD },
		{ "[truncated]", RF_PSEUDO }, { "main (a.py:1)", RF_PYTHON },
		{ "native_fn", RF_NATIVE },   { "do_syscall_64", RF_KERNEL }
	};
	const struct report_stack st[] = { { fr, 6, 10 }, { fr, 4, 5 }, { fr, 2, 1 } };
	char *out = render(st, 3, &meta);
	int rc = xmllint(out);

	cr_assert_eq(rc, 0, "xmllint --noout: expected exit 0, got %d", rc);
	free(out);
}

Test(report_flamegraph, hostile_names_title_and_provenance_stay_well_formed)
{
	const struct report_kv bad_kv[] = { { "com<mand>", "a]]>b</desc><x y='1'>&\x01\n" } };
	const struct report_meta bad = { .title = "</title><script>alert(1)</script>",
					 .unit = "ns&",
					 .kv = bad_kv,
					 .nr_kv = 1 };
	const struct report_frame fr[] = { { "<script>alert('x')</script> & \"q\"", RF_PYTHON },
					   { "]]><!-- --> \x1b[31m \x7f tab\there\r\n",
					     RF_PYTHON } };
	const struct report_stack st[] = { { fr, 2, 3 } };
	char *out = render(st, 1, &bad);
	int rc = xmllint(out);

	cr_assert_eq(rc, 0, "xmllint --noout: expected exit 0, got %d", rc);
	cr_assert_null(strstr(out, "<script>alert"), "expected no raw <script>alert in the output");
	cr_assert_not_null(strstr(out, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
				       "&quot;q&quot;"),
			   "expected the name escaped (& < > \" ')");
	free(out);
}

Test(report_flamegraph, invalid_utf8_in_names_becomes_replacement_characters)
{
	/* lone continuation, overlong '/', UTF-16 surrogate, cut 3-byte sequence at the end */
	const struct report_frame fr[] = { { "a\x80z \xc0\xaf \xed\xa0\x80 ok\xc3\xa9 \xe2\x82",
					     RF_PYTHON } };
	const struct report_stack st[] = { { fr, 1, 1 } };
	char *out = render(st, 1, &meta);
	const char *want =
		"a\xef\xbf\xbdz \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd "
		"ok\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd (1 samples";
	int rc = xmllint(out);

	cr_assert_eq(rc, 0, "xmllint --noout: expected exit 0, got %d", rc);
	cr_assert_not_null(strstr(out, want),
			   "expected each bad byte as U+FFFD and the valid é kept");
	free(out);
}

Test(report_flamegraph, frame_with_70_percent_of_the_weight_gets_70_percent_of_the_width)
{
	const struct report_frame hot[] = { { "main", RF_PYTHON }, { "hot", RF_PYTHON } };
	const struct report_frame cold[] = { { "main", RF_PYTHON }, { "cold", RF_PYTHON } };
	const struct report_stack st[] = { { hot, 2, 70 }, { cold, 2, 30 } };
	char *out = render(st, 2, &meta);
	double x, w;
	char fill[32];

	cr_assert_eq(frame_rect(out, "hot", &x, &w, fill), 0, "expected a frame for hot");
	cr_assert(fabs(w - 0.7 * GRAPH_PX) < 0.02, "hot: expected width %.2f, got %.2f",
		  0.7 * GRAPH_PX, w);
	cr_assert_eq(frame_rect(out, "main", &x, &w, fill), 0, "expected a frame for main");
	cr_assert(fabs(w - GRAPH_PX) < 0.02, "main: expected width %.2f, got %.2f", GRAPH_PX, w);
	free(out);
}

Test(report_flamegraph, tooltip_gives_name_weight_unit_and_percent)
{
	const struct report_frame a[] = { { "main (a.py:1)", RF_PYTHON } };
	const struct report_frame b[] = { { "other (b.py:2)", RF_PYTHON } };
	const struct report_stack st[] = { { a, 1, 1 }, { b, 1, 2 } };
	const struct report_meta ns = { .title = "t", .unit = "ns", .kv = NULL, .nr_kv = 0 };
	char *out = render(st, 2, &ns);
	const char *want = "<title>main (a.py:1) (1 ns, 33.33%)</title>";

	cr_assert_not_null(strstr(out, want), "expected %s in the output", want);
	cr_assert_not_null(strstr(out, "<title>all (3 ns, 100.00%)</title>"), "expected the root");
	free(out);
}

Test(report_flamegraph, nanoseconds_read_as_seconds_ms_and_us)
{
	const struct report_frame a[] = { { "wait (a.py:1)", RF_PYTHON } };
	const struct report_frame b[] = { { "short (b.py:2)", RF_PYTHON } };
	const struct report_frame c[] = { { "tiny (c.py:3)", RF_PYTHON } };
	const struct report_stack st[] = { { a, 1, 1930239392 },
					   { b, 1, 4200000 },
					   { c, 1, 420000 } };
	const struct report_meta ns = { .title = "t", .unit = "ns", .kv = NULL, .nr_kv = 0 };
	char *out = render(st, 3, &ns);
	const char *want[] = { "<title>wait (a.py:1) (1.93 s, ", "<title>short (b.py:2) (4.2 ms, ",
			       "<title>tiny (c.py:3) (420.0 us, ", ">1.93 s in 3 stacks." };

	for (size_t i = 0; i < 4; i++)
		cr_assert_not_null(strstr(out, want[i]), "expected %s in the output", want[i]);
	free(out);
}

Test(report_flamegraph, frames_narrower_than_a_tenth_of_a_pixel_are_not_drawn)
{
	const struct report_frame big[] = { { "main", RF_PYTHON }, { "big", RF_PYTHON } };
	const struct report_frame tiny[] = { { "main", RF_PYTHON }, { "tiny", RF_PYTHON } };
	const struct report_stack st[] = { { big, 2, 999950 }, { tiny, 2, 50 } };
	char *out = render(st, 2, &meta);
	double x, w;
	char fill[32];

	/* 50 of 1e6 is 0.059 px */
	cr_assert_eq(frame_rect(out, "tiny", &x, &w, fill), -1, "tiny: expected no frame");
	cr_assert_eq(frame_rect(out, "big", &x, &w, fill), 0, "big: expected a frame");
	free(out);
}

Test(report_flamegraph, weight_of_an_elided_frame_stays_in_its_parent)
{
	const struct report_frame big[] = { { "main", RF_PYTHON }, { "big", RF_PYTHON } };
	const struct report_frame tiny[] = { { "main", RF_PYTHON }, { "tiny", RF_PYTHON } };
	const struct report_stack st[] = { { big, 2, 999950 }, { tiny, 2, 50 } };
	char *out = render(st, 2, &meta);
	const char *want = "<title>main (1000000 samples, 100.00%)</title>";

	cr_assert_not_null(strstr(out, want), "expected %s in the output", want);
	free(out);
}

Test(report_flamegraph, identical_input_gives_identical_output)
{
	const struct report_frame a[] = { { "p (1)", RF_PROCESS }, { "f (a.py:1)", RF_PYTHON } };
	const struct report_frame b[] = { { "p (1)", RF_PROCESS }, { "g (a.py:5)", RF_PYTHON } };
	const struct report_stack st[] = { { a, 2, 3 }, { b, 2, 4 }, { a, 1, 2 } };
	char *one = render(st, 3, &meta), *two = render(st, 3, &meta);

	cr_assert_str_eq(one, two, "expected two writes of the same stacks to be byte-identical");
	free(one);
	free(two);
}

Test(report_flamegraph, stack_order_does_not_change_the_output)
{
	const struct report_frame a[] = { { "p (1)", RF_PROCESS }, { "f (a.py:1)", RF_PYTHON } };
	const struct report_frame b[] = { { "p (1)", RF_PROCESS }, { "g (a.py:5)", RF_PYTHON } };
	const struct report_stack st1[] = { { a, 2, 3 }, { b, 2, 4 }, { a, 1, 2 } };
	const struct report_stack st2[] = { { a, 1, 2 }, { b, 2, 4 }, { a, 2, 3 } };
	char *one = render(st1, 3, &meta), *two = render(st2, 3, &meta);

	cr_assert_str_eq(one, two, "expected the same SVG whatever the order of the stacks");
	free(one);
	free(two);
}

Test(report_flamegraph, equal_stacks_merge_into_one_frame)
{
	const struct report_frame a[] = { { "main", RF_PYTHON }, { "work", RF_PYTHON } };
	const struct report_frame b[] = { { "main", RF_PYTHON }, { "work", RF_PYTHON } };
	const struct report_stack st[] = { { a, 2, 10 }, { b, 2, 5 } };
	char *out = render(st, 2, &meta);
	size_t n = count(out, "<title>work (");

	cr_assert_eq(n, 1, "expected 1 frame for work, got %zu", n);
	cr_assert_not_null(strstr(out, "<title>work (15 samples, 100.00%)"), "expected 15 samples");
	free(out);
}

Test(report_flamegraph, children_sit_in_name_order_from_the_parent_left_edge)
{
	const struct report_frame z[] = { { "main", RF_PYTHON }, { "zeta", RF_PYTHON } };
	const struct report_frame a[] = { { "main", RF_PYTHON }, { "alpha", RF_PYTHON } };
	const struct report_stack st[] = { { z, 2, 1 }, { a, 2, 1 }, { z, 1, 2 } };
	char *out = render(st, 3, &meta);
	double xa, xz, w;
	char fill[32];

	cr_assert_eq(frame_rect(out, "alpha", &xa, &w, fill), 0, "expected alpha");
	cr_assert_eq(frame_rect(out, "zeta", &xz, &w, fill), 0, "expected zeta");
	cr_assert(fabs(xa - 10) < 0.01, "alpha: expected x 10.00, got %.2f", xa);
	cr_assert(fabs(xz - (10 + GRAPH_PX / 4)) < 0.01, "zeta: expected x %.2f, got %.2f",
		  10 + GRAPH_PX / 4, xz);
	free(out);
}

Test(report_flamegraph, a_python_function_keeps_its_colour_at_every_line)
{
	const struct report_frame a[] = { { "f (a.py:1)", RF_PYTHON },
					  { "g (a.py:9)", RF_PYTHON } };
	const struct report_frame b[] = { { "h (b.py:1)", RF_PYTHON },
					  { "g (a.py:12)", RF_PYTHON } };
	const struct report_stack st[] = { { a, 2, 1 }, { b, 2, 1 } };
	char *out = render(st, 2, &meta);
	char f1[32], f2[32];
	double x, w;

	cr_assert_eq(frame_rect(out, "g (a.py:9)", &x, &w, f1), 0, "expected g at line 9");
	cr_assert_eq(frame_rect(out, "g (a.py:12)", &x, &w, f2), 0, "expected g at line 12");
	cr_assert_str_eq(f1, f2, "expected one colour for g, got %s and %s", f1, f2);
	free(out);
}

Test(report_flamegraph, pseudo_process_and_python_frames_get_different_colours)
{
	const struct report_frame fr[] = { { "app (1)", RF_PROCESS },
					   { "[truncated]", RF_PSEUDO },
					   { "main (a.py:1)", RF_PYTHON } };
	const struct report_stack st[] = { { fr, 3, 1 } };
	char *out = render(st, 1, &meta);
	char proc[32], pseudo[32], py[32];
	double x, w;
	unsigned r, g, b;

	cr_assert_eq(frame_rect(out, "app (1)", &x, &w, proc), 0, "expected the process frame");
	cr_assert_eq(frame_rect(out, "[truncated]", &x, &w, pseudo), 0, "expected [truncated]");
	cr_assert_eq(frame_rect(out, "main (a.py:1)", &x, &w, py), 0, "expected main");
	cr_assert_eq(sscanf(pseudo, "rgb(%u,%u,%u)", &r, &g, &b), 3, "fill: %s", pseudo);
	cr_assert(r == g && g == b, "[truncated]: expected grey, got %s", pseudo);
	cr_assert_eq(sscanf(py, "rgb(%u,%u,%u)", &r, &g, &b), 3, "fill: %s", py);
	cr_assert(r > g && g >= b, "python: expected a warm hue (r > g >= b), got %s", py);
	cr_assert_eq(sscanf(proc, "rgb(%u,%u,%u)", &r, &g, &b), 3, "fill: %s", proc);
	cr_assert(b > r, "process: expected a blue hue (b > r), got %s", proc);
	free(out);
}

Test(report_flamegraph, native_frames_are_green_and_kernel_frames_purple_and_say_so)
{
	const struct report_frame fr[] = { { "main (a.py:1)", RF_PYTHON },
					   { "read", RF_NATIVE },
					   { "vfs_read", RF_KERNEL } };
	const struct report_stack st[] = { { fr, 3, 1 } };
	char *out = render(st, 1, &meta);
	char nat[32], kern[32];
	double x, w;
	unsigned r, g, b;

	cr_assert_eq(frame_rect(out, "read [native]", &x, &w, nat), 0, "expected the native frame");
	cr_assert_eq(frame_rect(out, "vfs_read [kernel]", &x, &w, kern), 0,
		     "expected the kernel frame");
	cr_assert_eq(sscanf(nat, "rgb(%u,%u,%u)", &r, &g, &b), 3, "fill: %s", nat);
	cr_assert(g > r && g > b, "native: expected green (g > r, b), got %s", nat);
	cr_assert_eq(sscanf(kern, "rgb(%u,%u,%u)", &r, &g, &b), 3, "fill: %s", kern);
	cr_assert(b > g && r > g, "kernel: expected purple (b, r > g), got %s", kern);
	cr_assert_not_null(strstr(out, "<title>read [native] ("), "expected a [native] tooltip");
	cr_assert_not_null(strstr(out, "<title>vfs_read [kernel] ("),
			   "expected a [kernel] tooltip");
	free(out);
}

Test(report_flamegraph, provenance_is_in_desc_and_drawn_at_the_bottom)
{
	const struct report_frame fr[] = { { "main", RF_PYTHON } };
	const struct report_stack st[] = { { fr, 1, 1 } };
	char *out = render(st, 1, &meta);
	const char *desc = strstr(out, "<desc>"), *drawn = strstr(out, "<text class=\"m\"");

	cr_assert_not_null(desc, "expected a <desc>");
	cr_assert_not_null(
		strstr(desc, "pystrobe: 0.1.0\ncommand: record -d 1\nunit: samples</desc>"),
		"expected the kv lines in order in <desc>");
	cr_assert_not_null(drawn, "expected drawn provenance lines");
	cr_assert_not_null(strstr(drawn, "command: record -d 1"), "expected command drawn");
	free(out);
}

Test(report_flamegraph, is_self_contained_with_zoom_and_search_script)
{
	const struct report_frame fr[] = { { "main", RF_PYTHON } };
	const struct report_stack st[] = { { fr, 1, 1 } };
	char *out = render(st, 1, &meta);

	cr_assert_eq(count(out, "<script"), 1, "expected one inline script");
	cr_assert_not_null(strstr(out, ">Reset zoom</text>"), "expected a Reset zoom control");
	cr_assert_not_null(strstr(out, ">Search</text>"), "expected a Search control");
	cr_assert_not_null(strstr(out, "id=\"matched\""), "expected the Matched line");
	cr_assert_null(strstr(out, "href"), "expected no links to external files");
	cr_assert_null(strstr(out, "src="), "expected no external script");
	cr_assert_eq(count(out, "http"), 1, "expected only the SVG namespace URI");
	free(out);
}

Test(report_flamegraph, empty_profile_is_a_valid_document)
{
	char *out = render(NULL, 0, &meta);
	int rc = xmllint(out);

	cr_assert_eq(rc, 0, "xmllint --noout: expected exit 0, got %d", rc);
	cr_assert_not_null(strstr(out, ">No samples</text>"), "expected a No samples note");
	free(out);
}

Test(report_flamegraph, deep_stacks_sharing_a_prefix_merge_into_one_tower)
{
	enum { DEPTH = 1000, NR = 200 };
	char(*names)[16] = calloc(DEPTH + NR, sizeof(*names));
	struct report_stack *st = calloc(NR, sizeof(*st));
	struct report_frame *fr;
	char *out;
	size_t n;

	for (size_t i = 0; i < DEPTH + NR; i++)
		snprintf(names[i], sizeof(names[i]), "f%zu", i);
	/* stack i: f0 .. f998 shared, then its own leaf f(999 + i) */
	for (size_t i = 0; i < NR; i++) {
		fr = calloc(DEPTH, sizeof(*fr));
		for (size_t d = 0; d < DEPTH; d++)
			fr[d] = (struct report_frame){ names[d < DEPTH - 1 ? d : d + i],
						       RF_PYTHON };
		st[i] = (struct report_stack){ fr, DEPTH, 1 };
	}
	out = render(st, NR, &meta);
	n = count(out, "<g class=\"f\"");
	cr_assert_eq(n, 1 + (DEPTH - 1) + NR,
		     "expected all + 999 shared + 200 leaves = %d, got %zu", 1 + (DEPTH - 1) + NR,
		     n);
	for (size_t i = 0; i < NR; i++)
		free((void *)st[i].frames);
	free(out);
	free(st);
	free(names);
}
