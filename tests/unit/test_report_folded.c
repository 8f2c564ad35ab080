// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "report/report.h"

static const struct report_meta no_kv = { .title = "pystrobe record",
					  .unit = "samples",
					  .kv = NULL,
					  .nr_kv = 0 };

/* What ops writes for the stacks, as one string (freed by the caller). */
static char *render(const struct report_ops *ops, const struct report_stack *st, size_t nr,
		    const struct report_meta *meta)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int err;

	cr_assert_not_null(f, "open_memstream: %s", strerror(errno));
	err = ops->write(f, st, nr, meta);
	fclose(f);
	cr_assert_eq(err, 0, "write: expected 0, got %d", err);
	return buf;
}

/* The stack lines of a folded output: everything after the "# " header lines. */
static const char *body(const char *out)
{
	while (out[0] == '#') {
		out = strchr(out, '\n');
		cr_assert_not_null(out, "header line without a newline");
		out++;
	}
	return out;
}

/* The whole content of a file (freed by the caller), or NULL if it cannot be read. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = calloc(4096, 1);
	n = fread(buf, 1, 4095, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

Test(report_folded, joins_frames_root_first_with_semicolons_then_a_space_and_the_weight)
{
	const struct report_frame fr[] = { { "app (1)", RF_PROCESS },
					   { "main (a.py:1)", RF_PYTHON },
					   { "work (a.py:7)", RF_PYTHON } };
	const struct report_stack st[] = { { fr, 3, 42 } };
	char *out = render(&report_folded_ops, st, 1, &no_kv);
	const char *want = "app (1);main (a.py:1);work (a.py:7) 42\n";

	cr_assert_str_eq(body(out), want, "expected \"%s\", got \"%s\"", want, body(out));
	free(out);
}

Test(report_folded, marks_native_frames_n_and_kernel_frames_k)
{
	const struct report_frame fr[] = { { "app (1)", RF_PROCESS },
					   { "work (a.py:7)", RF_PYTHON },
					   { "read", RF_NATIVE },
					   { "vfs_read", RF_KERNEL } };
	const struct report_stack st[] = { { fr, 4, 5 } };
	char *out = render(&report_folded_ops, st, 1, &no_kv);
	const char *want = "app (1);work (a.py:7);read_[n];vfs_read_[k] 5\n";

	cr_assert_str_eq(body(out), want, "expected \"%s\", got \"%s\"", want, body(out));
	free(out);
}

Test(report_folded, writes_one_header_line_per_kv_in_order_then_the_unit)
{
	const struct report_kv kv[] = { { "pystrobe", "0.1.0" }, { "command", "record -F 99" } };
	const struct report_meta meta = { .title = "t", .unit = "ns", .kv = kv, .nr_kv = 2 };
	char *out = render(&report_folded_ops, NULL, 0, &meta);
	const char *want = "# pystrobe: 0.1.0\n# command: record -F 99\n# unit: ns\n";

	cr_assert_str_eq(out, want, "expected \"%s\", got \"%s\"", want, out);
	free(out);
}

Test(report_folded, keeps_a_header_value_with_a_newline_on_one_line)
{
	const struct report_kv kv[] = { { "command", "evil\nname;x\r" } };
	const struct report_meta meta = { .title = "t", .unit = "samples", .kv = kv, .nr_kv = 1 };
	char *out = render(&report_folded_ops, NULL, 0, &meta);
	const char *want = "# command: evil name;x \n# unit: samples\n";

	cr_assert_str_eq(out, want, "expected \"%s\", got \"%s\"", want, out);
	free(out);
}

Test(report_folded, replaces_semicolons_inside_names_with_colons)
{
	const struct report_frame fr[] = { { "a;b", RF_PYTHON }, { ";c;", RF_PYTHON } };
	const struct report_stack st[] = { { fr, 2, 1 } };
	char *out = render(&report_folded_ops, st, 1, &no_kv);
	const char *want = "a:b;:c: 1\n";

	cr_assert_str_eq(body(out), want, "expected \"%s\", got \"%s\"", want, body(out));
	free(out);
}

Test(report_folded, replaces_newlines_and_carriage_returns_inside_names_with_spaces)
{
	const struct report_frame fr[] = { { "line1\nline2", RF_PYTHON }, { "x\r\ny", RF_PYTHON } };
	const struct report_stack st[] = { { fr, 2, 5 } };
	char *out = render(&report_folded_ops, st, 1, &no_kv);
	const char *want = "line1 line2;x  y 5\n";

	cr_assert_str_eq(body(out), want, "expected \"%s\", got \"%s\"", want, body(out));
	free(out);
}

Test(report_folded, writes_stacks_in_the_order_given)
{
	const struct report_frame a[] = { { "a", RF_PYTHON } }, z[] = { { "z", RF_PYTHON } };
	const struct report_stack st[] = { { z, 1, 1 }, { a, 1, 2 }, { z, 1, 3 } };
	char *out = render(&report_folded_ops, st, 3, &no_kv);
	const char *want = "z 1\na 2\nz 3\n";

	cr_assert_str_eq(body(out), want, "expected \"%s\", got \"%s\"", want, body(out));
	free(out);
}

Test(report_folded, writes_64_bit_weights_in_full)
{
	const struct report_frame fr[] = { { "f", RF_PYTHON } };
	const struct report_stack st[] = { { fr, 1, UINT64_MAX } };
	char *out = render(&report_folded_ops, st, 1, &no_kv);
	const char *want = "f 18446744073709551615\n";

	cr_assert_str_eq(body(out), want, "expected \"%s\", got \"%s\"", want, body(out));
	free(out);
}

Test(report_folded, skips_stacks_without_frames)
{
	const struct report_frame fr[] = { { "f", RF_PYTHON } };
	const struct report_stack st[] = { { fr, 0, 9 }, { fr, 1, 2 } };
	char *out = render(&report_folded_ops, st, 2, &no_kv);
	const char *want = "f 2\n";

	cr_assert_str_eq(body(out), want, "expected \"%s\", got \"%s\"", want, body(out));
	free(out);
}

Test(report, finds_each_writer_by_its_format_name)
{
	cr_assert_eq(report_find("folded"), &report_folded_ops, "folded: expected its ops");
	cr_assert_eq(report_find("flamegraph"), &report_flamegraph_ops,
		     "flamegraph: expected its ops");
	cr_assert_eq(report_find("pprof"), &report_pprof_ops, "pprof: expected its ops");
	cr_assert_null(report_find("svg"), "svg: expected NULL (no such writer)");
	cr_assert_null(report_find(NULL), "NULL: expected NULL");
}

/* outfile_open + report_write_file, as the commands do. */
static int write_to(const struct report_ops *ops, const char *path, const struct report_stack *st,
		    size_t nr, const struct report_meta *meta)
{
	struct outfile of;
	int err = outfile_open(&of, path);

	return err ?: report_write_file(ops, &of, st, nr, meta);
}

Test(report, write_file_replaces_the_target_and_leaves_no_tmp_file)
{
	const struct report_frame fr[] = { { "f", RF_PYTHON } };
	const struct report_stack st[] = { { fr, 1, 7 } };
	char dir[] = "/tmp/test_report_XXXXXX", path[64];
	char *got;
	int err;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.folded", dir);
	err = write_to(&report_folded_ops, path, st, 1, &no_kv);
	cr_assert_eq(err, 0, "expected 0, got %d", err);
	got = slurp(path);
	cr_assert_str_eq(got, "# unit: samples\nf 7\n", "got \"%s\"", got);
	free(got);
	unlink(path);
	cr_assert_eq(rmdir(dir), 0, "%s: expected nothing but the output in it", dir);
}

/* A writer that writes half a profile and then fails. */
static int failing_write(FILE *f, const struct report_stack *st, size_t nr,
			 const struct report_meta *meta)
{
	(void)st;
	(void)nr;
	(void)meta;
	fputs("half a prof", f);
	return -ENOSPC;
}

Test(report, failing_writer_keeps_the_previous_file_and_removes_the_tmp_file)
{
	const struct report_ops failing = { "failing", failing_write };
	char dir[] = "/tmp/test_report_XXXXXX", path[64];
	FILE *f;
	char *got;
	int err;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.svg", dir);
	f = fopen(path, "w");
	fputs("previous", f);
	fclose(f);
	err = write_to(&failing, path, NULL, 0, &no_kv);
	cr_assert_eq(err, -ENOSPC, "expected -ENOSPC, got %d", err);
	got = slurp(path);
	cr_assert_str_eq(got, "previous", "expected the old content, got \"%s\"", got);
	free(got);
	unlink(path);
	cr_assert_eq(rmdir(dir), 0, "%s: expected no tmp file left in it", dir);
}

Test(report, write_file_into_a_missing_directory_returns_enoent)
{
	int err = write_to(&report_folded_ops, "/nonexistent-dir/x.folded", NULL, 0, &no_kv);

	cr_assert_eq(err, -ENOENT, "expected -ENOENT (%d), got %d", -ENOENT, err);
}

Test(report, dash_writes_to_stdout, .init = cr_redirect_stdout)
{
	const struct report_frame fr[] = { { "f", RF_PYTHON } };
	const struct report_stack st[] = { { fr, 1, 3 } };
	int err = write_to(&report_folded_ops, "-", st, 1, &no_kv);

	cr_assert_eq(err, 0, "expected 0, got %d", err);
	fflush(stdout);
	cr_assert_stdout_eq_str("# unit: samples\nf 3\n", "expected the profile on stdout");
}

Test(report_folded, escapes_control_characters_inside_names)
{
	const struct report_frame fr[] = { { "f\x1b[31m\x9b\x7f", RF_PYTHON },
					   { "g\xc2\x9b\ttab", RF_PYTHON } };
	const struct report_stack st[] = { { fr, 2, 1 } };
	char *out = render(&report_folded_ops, st, 1, &no_kv);
	const char *want = "f\\x1b[31m\\x9b\\x7f;g\\u009b\\x09tab 1\n";

	cr_assert_str_eq(body(out), want, "expected \"%s\", got \"%s\"", want, body(out));
	free(out);
}
