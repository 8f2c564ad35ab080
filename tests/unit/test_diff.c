// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "read/diff.h"
#include "report/report.h"

/* Write text to a new temporary file; returns its path (static buffer per slot). */
static const char *tmpfile_with(int slot, const char *text)
{
	static char paths[3][64];
	int fd;

	snprintf(paths[slot], sizeof(paths[slot]), "/tmp/ps-test-diff-XXXXXX");
	fd = mkstemp(paths[slot]);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return paths[slot];
}

/* Run diff_run on two folded texts; the table in out (freed by the caller). */
static int run(const char *base, const char *new, double fail_pct, const char *svg, char **out)
{
	struct diff_opts o = { .base = tmpfile_with(0, base),
			       .new = tmpfile_with(1, new),
			       .svg = svg,
			       .fail_pct = fail_pct,
			       .top = 20 };
	size_t len;
	FILE *f = open_memstream(out, &len);
	int rc = diff_run(&o, f);

	fclose(f);
	unlink(o.base);
	unlink(o.new);
	return rc;
}

static const char base[] =
	"app (1);main (a.py:3);f (a.py:10) 30\napp (1);main (a.py:3);g (a.py:20) 70\n";
/* another run: other pid, other lines, f grew from 30 % to 60 % */
static const char grown[] =
	"app (2);main (a.py:4);f (a.py:11) 60\napp (2);main (a.py:4);g (a.py:21) 40\n";

Test(diff, table_gives_share_changes_per_function_across_pids_and_lines)
{
	char *out = NULL;
	int rc = run(base, grown, -1, NULL, &out);

	cr_assert_eq(rc, 0, "expected exit 0, got %d", rc);
	cr_assert(strstr(out, "30.00    60.00   +30.00  f (a.py)"), "expected f +30 in:\n%s", out);
	cr_assert(strstr(out, "70.00    40.00   -30.00  g (a.py)"), "expected g -30 in:\n%s", out);
	cr_assert_null(strstr(out, "main"), "main has no self weight, got:\n%s", out);
	free(out);
}

Test(diff, fail_if_regressed_exits_1_over_the_limit_only, .init = cr_redirect_stderr)
{
	char *out = NULL;

	cr_assert_eq(run(base, grown, 29.5, NULL, &out), 1, "limit 29.5: expected exit 1");
	free(out);
	cr_assert_eq(run(base, grown, 30.5, NULL, &out), 0, "limit 30.5: expected exit 0");
	free(out);
	cr_assert_eq(run(grown, base, 0, NULL, &out), 1, "g grew by 30: expected exit 1");
	free(out);
}

Test(diff, flame_graph_colours_grown_red_and_shrunk_blue)
{
	char svg[] = "/tmp/ps-test-diff-svg-XXXXXX";
	char *out = NULL, *doc;
	int fd = mkstemp(svg);
	FILE *f;
	long n;

	cr_assert(fd >= 0);
	close(fd);
	cr_assert_eq(run(base, grown, -1, svg, &out), 0);
	f = fopen(svg, "r");
	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	doc = calloc(1, n + 1);
	cr_assert_eq(fread(doc, 1, n, f), (size_t)n);
	fclose(f);
	cr_assert(strstr(doc, "f (a.py) (60 samples, 60.00%) | base 30 samples = 30.00%, new 60 "
			      "samples = 60.00%, +30.00 points, absolute</title><rect"),
		  "expected f's tooltip with base and new weights and shares");
	cr_assert(strstr(strstr(doc, "f (a.py) (60"), "fill=\"#ff3232\""),
		  "expected f at full red (the largest change)");
	cr_assert(strstr(strstr(doc, "g (a.py) (40"), "fill=\"#3232ff\""),
		  "expected g at full blue");
	free(doc);
	free(out);
	unlink(svg);
}
