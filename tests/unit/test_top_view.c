// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "top/top_view.h"

/* A model of one process and three functions (10 samples). */
static struct top_row rows[3];
static struct top_proc procs[1];
static struct top_model model;
static struct top_buf buf;

static void setup(void)
{
	rows[0] = (struct top_row){ .func = "outer",
				    .file = "/w/hot.py",
				    .line = 21,
				    .self = 0,
				    .total = 10,
				    .gil_held = 10,
				    .gil_known = 10 };
	rows[1] = (struct top_row){ .func = "hot_leaf",
				    .file = "/w/hot.py",
				    .line = 13,
				    .self = 7,
				    .total = 7,
				    .gil_held = 7,
				    .gil_known = 7 };
	rows[2] = (struct top_row){ .func = "waiter",
				    .file = "/w/hot.py",
				    .line = 30,
				    .self = 3,
				    .total = 3,
				    .gil_held = 0,
				    .gil_known = 3,
				    .sys_calls = 1500 };
	procs[0] = (struct top_proc){ .pid = 42,
				      .label = "python3 hot.py",
				      .python = "3.12.1",
				      .samples_per_s = 100,
				      .gil_pct = 70,
				      .syscalls_per_s = 12,
				      .gil_wait_pct = 74.5,
				      .gil_wait = TOP_WAIT_EXACT };
	model = (struct top_model){ .interval_s = 1,
				    .elapsed_s = 5,
				    .nr_live = 1,
				    .nr_samples = 10,
				    .lost = 2,
				    .procs = procs,
				    .nr_procs = 1,
				    .rows = rows,
				    .nr_rows = 3,
				    .total = 10,
				    .has_sys = true };
	memset(&buf, 0, sizeof(buf));
}

static void teardown(void)
{
	top_buf_free(&buf);
}

/* Line n (0-based) of the rendered text, copied. */
static char *line_at(const char *s, unsigned n)
{
	static char out[1024];
	const char *end;

	while (n-- && (s = strchr(s, '\n')))
		s++;
	cr_assert_not_null(s, "the output has no line %u", n);
	end = strchr(s, '\n');
	snprintf(out, sizeof(out), "%.*s", (int)(end ? end - s : (long)strlen(s)), s);
	return out;
}

/* Index of the first function line (after the column header). */
static unsigned first_row(const char *s)
{
	const char *h = strstr(s, " SELF%  TOTAL%");
	unsigned n = 0;

	cr_assert_not_null(h, "no column header in:\n%s", s);
	for (const char *p = s; p < h; p++)
		n += *p == '\n';
	return n + 1;
}

TestSuite(top_view, .init = setup, .fini = teardown);

Test(top_view, sort_self_puts_the_hottest_leaf_first)
{
	top_view_sort(&model);
	cr_assert_str_eq(rows[0].func, "hot_leaf", "expected hot_leaf first, got %s", rows[0].func);
	cr_assert_str_eq(rows[2].func, "outer", "expected outer (self 0) last, got %s",
			 rows[2].func);
}

Test(top_view, sort_total_puts_the_caller_first)
{
	model.sort = TOP_SORT_TOTAL;
	top_view_sort(&model);
	cr_assert_str_eq(rows[0].func, "outer", "expected outer first, got %s", rows[0].func);
}

Test(top_view, sort_gil_puts_the_waiter_last)
{
	model.sort = TOP_SORT_GIL;
	top_view_sort(&model);
	cr_assert_str_eq(rows[2].func, "waiter", "expected waiter (0%% GIL) last, got %s",
			 rows[2].func);
	cr_assert_str_eq(rows[0].func, "hot_leaf", "ties at 100%% go by self: hot_leaf, got %s",
			 rows[0].func);
}

Test(top_view, row_shows_self_total_gil_syscalls_and_file_line)
{
	top_view_sort(&model);
	cr_assert_eq(top_view_render(&model, 80, 0, false, &buf), 0);
	cr_assert_str_eq(line_at(buf.s, first_row(buf.s)),
			 "  70.0    70.0  100.0       0  hot_leaf (/w/hot.py:13)", "got:\n%s",
			 buf.s);
	cr_assert_str_eq(line_at(buf.s, first_row(buf.s) + 1),
			 "  30.0    30.0    0.0    1500  waiter (/w/hot.py:30)", "got:\n%s", buf.s);
}

Test(top_view, syscall_rates_shorten_and_show_a_dash_when_not_counted)
{
	rows[2].sys_calls = 2.5e6;
	top_view_sort(&model);
	cr_assert_eq(top_view_render(&model, 80, 0, false, &buf), 0);
	cr_assert(strstr(line_at(buf.s, first_row(buf.s) + 1), "    2.5M  waiter"), "got:\n%s",
		  buf.s);
	model.has_sys = false;
	cr_assert_eq(top_view_render(&model, 80, 0, false, &buf), 0);
	cr_assert(strstr(line_at(buf.s, first_row(buf.s) + 1), "0.0       -  waiter"), "got:\n%s",
		  buf.s);
}

Test(top_view, sort_syscalls_puts_the_waiter_first)
{
	model.sort = TOP_SORT_SYS;
	top_view_sort(&model);
	cr_assert_str_eq(rows[0].func, "waiter", "expected waiter (1500/s) first, got %s",
			 rows[0].func);
}

Test(top_view, header_names_processes_rate_and_drops)
{
	cr_assert_eq(top_view_render(&model, 80, 0, false, &buf), 0);
	cr_assert(strstr(line_at(buf.s, 0), "1 process, 10 samples/s, lost 2"), "got: %s",
		  line_at(buf.s, 0));
}

Test(top_view, process_line_has_gil_syscall_rate_and_gil_wait)
{
	cr_assert_eq(top_view_render(&model, 80, 0, false, &buf), 0);
	cr_assert_str_eq(line_at(buf.s, 2),
			 "    PID PYTHON   SAMPLES/S   GIL% SYSCALLS/S GIL-WAIT%  COMMAND",
			 "got:\n%s", buf.s);
	cr_assert_str_eq(line_at(buf.s, 3),
			 "     42 3.12.1         100   70.0         12      74.5  python3 hot.py",
			 "got:\n%s", buf.s);
}

Test(top_view, estimated_gil_wait_shows_a_tilde_never_a_number)
{
	procs[0].gil_wait = TOP_WAIT_ESTIMATED;
	cr_assert_eq(top_view_render(&model, 80, 0, false, &buf), 0);
	cr_assert_str_eq(line_at(buf.s, 3),
			 "     42 3.12.1         100   70.0         12         ~  python3 hot.py",
			 "got:\n%s", buf.s);
}

Test(top_view, w_key_state_is_named_in_the_header)
{
	model.procs_by_wait = true;
	cr_assert_eq(top_view_render(&model, 120, 0, false, &buf), 0);
	cr_assert(strstr(line_at(buf.s, 1), "processes by GIL wait"), "got: %s", line_at(buf.s, 1));
}

Test(top_view, unknown_gil_syscalls_and_gil_wait_show_a_dash)
{
	procs[0].gil_pct = -1;
	procs[0].syscalls_per_s = -1;
	procs[0].gil_wait = TOP_WAIT_NONE;
	rows[1].gil_known = 0;
	cr_assert_eq(top_view_render(&model, 80, 0, false, &buf), 0);
	cr_assert_str_eq(line_at(buf.s, 3),
			 "     42 3.12.1         100      -          -         -  python3 hot.py",
			 "got:\n%s", buf.s);
}

Test(top_view, every_line_fits_the_width)
{
	rows[1].file = "/a/very/long/directory/name/that/goes/on/and/on/forever/hot.py";
	cr_assert_eq(top_view_render(&model, 60, 0, false, &buf), 0);
	for (const char *s = buf.s; *s;) {
		const char *e = strchr(s, '\n');

		cr_assert_leq(e - s, 60, "line longer than 60 columns: %.*s", (int)(e - s), s);
		s = e + 1;
	}
}

Test(top_view, long_path_keeps_file_name_and_line)
{
	rows[1].file = "/a/very/long/directory/name/that/goes/on/and/on/forever/hot.py";
	top_view_sort(&model);
	cr_assert_eq(top_view_render(&model, 70, 0, false, &buf), 0);
	cr_assert(strstr(buf.s, "hot_leaf (...") && strstr(buf.s, "forever/hot.py:13)"),
		  "expected the path cut on the left, got:\n%s", buf.s);
}

Test(top_view, line_limit_cuts_rows)
{
	cr_assert_eq(top_view_render(&model, 80, 7, false, &buf), 0);
	unsigned n = 0;

	for (const char *s = buf.s; *s; s++)
		n += *s == '\n';
	cr_assert_eq(n, 7, "expected 7 lines, got %u:\n%s", n, buf.s);
}

Test(top_view, ansi_homes_cursor_erases_and_inverts_the_column_header)
{
	cr_assert_eq(top_view_render(&model, 80, 0, true, &buf), 0);
	cr_assert(!strncmp(buf.s, "\033[H", 3), "expected cursor home first");
	cr_assert(strstr(buf.s, "\033[7m SELF%"), "expected the column header in inverse video");
	cr_assert(strstr(buf.s, "\033[K\n"), "expected erase-to-end-of-line");
	cr_assert_str_eq(buf.s + buf.len - 3, "\033[J", "expected erase-below last");
}

Test(top_view, plain_has_no_escapes)
{
	cr_assert_eq(top_view_render(&model, 80, 0, false, &buf), 0);
	cr_assert_null(strchr(buf.s, '\033'), "plain output with an escape:\n%s", buf.s);
}

Test(top_view, paused_and_cumulative_are_shown)
{
	model.paused = true;
	model.cumulative = true;
	cr_assert_eq(top_view_render(&model, 120, 0, false, &buf), 0);
	cr_assert(strstr(line_at(buf.s, 0), "[cumulative] [paused]"), "got: %s", line_at(buf.s, 0));
}

Test(top_view, no_rows_says_so)
{
	model.nr_rows = 0;
	cr_assert_eq(top_view_render(&model, 80, 0, false, &buf), 0);
	cr_assert(strstr(buf.s, "(no samples in this interval)"), "got:\n%s", buf.s);
}

Test(top_view, utf8_is_cut_on_a_character_boundary)
{
	rows[1].func = "f\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
	top_view_sort(&model);
	cr_assert_eq(top_view_render(&model, 31, 0, false, &buf), 0);
	const char *l = line_at(buf.s, first_row(buf.s));
	size_t n = strlen(l);
	cr_assert_neq((unsigned char)l[n - 1], 0xc3, "line ends inside a character: %s", l);
}

/* A byte a terminal acts on: C0 but newline, DEL, a raw CSI, an encoded C1. */
static bool has_raw_control(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len; i++)
		if ((p[i] < 0x20 && p[i] != '\n') || p[i] == 0x7f || p[i] == 0x9b ||
		    (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f))
			return true;
	return false;
}

Test(top_view, control_characters_in_names_and_commands_are_escaped)
{
	rows[1].func = "evil\x1b[31m\x1b]52;c;QUJD\x07\x7f";
	rows[1].file = "/w/\xc2\x9b"
		       "2J.py";
	snprintf(procs[0].label, sizeof(procs[0].label), "%s",
		 "py\x9b"
		 "31m\x1b[2J");
	top_view_sort(&model);
	cr_assert_eq(top_view_render(&model, 200, 0, false, &buf), 0);
	cr_assert_not(has_raw_control(buf.s, buf.len), "raw control bytes in:\n%s", buf.s);
	cr_assert_not_null(strstr(buf.s, "evil\\x1b[31m\\x1b]52;c;QUJD\\x07\\x7f"), "got:\n%s",
			   buf.s);
	cr_assert_not_null(strstr(buf.s, "/w/\\u009b2J.py"), "got:\n%s", buf.s);
	cr_assert_not_null(strstr(buf.s, "py\\x9b31m\\x1b[2J"), "got:\n%s", buf.s);
}

/* The wall view: one line per (reason, leaf line), its share and threads on average. */
static struct top_wall_row wall_rows[2];

static void wall_model(void)
{
	wall_rows[0] =
		(struct top_wall_row){ "[sleep]", "sleep_part", "/w/wall.py", 30, 600000000 };
	wall_rows[1] = (struct top_wall_row){ "[io: read fd 5 pipe]", "io_part", "/w/wall.py", 35,
					      400000000 };
	model.wall_view = model.has_wall = true;
	model.wall_rows = wall_rows;
	model.nr_wall_rows = 2;
	model.wall_ns = 1000000000;
}

Test(top_view, wall_view_shows_share_threads_reason_and_line)
{
	wall_model();
	cr_assert_eq(top_view_render(&model, 100, 0, false, &buf), 0);
	cr_assert(strstr(buf.s,
			 "  60.0    0.60  [sleep]                sleep_part (/w/wall.py:30)\n"),
		  "got:\n%s", buf.s);
	cr_assert(strstr(buf.s, "  40.0    0.40  [io: read fd 5 pipe]   io_part (/w/wall.py:35)\n"),
		  "got:\n%s", buf.s);
	cr_assert_null(strstr(buf.s, "SELF%"), "the CPU table is not shown:\n%s", buf.s);
}

Test(top_view, wall_view_without_the_program_says_how_to_get_it)
{
	model.wall_view = true;
	cr_assert_eq(top_view_render(&model, 100, 0, false, &buf), 0);
	cr_assert(strstr(buf.s, "start top with --wall"), "got:\n%s", buf.s);
}
