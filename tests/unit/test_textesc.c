// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>
#include "lib/textesc.h"

/* textesc_write into a string (caller frees). */
static char *write_str(const char *s, size_t len, unsigned flags)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	textesc_write(f, s, len, flags);
	fclose(f);
	return buf;
}

/* No byte a terminal would act on: C0 but (optionally) \n \t, DEL, an encoded C1. */
static bool terminal_safe(const char *s, bool lines)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p < 0x20 && !(lines && (*p == '\n' || *p == '\t'))) || *p == 0x7f)
			return false;
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return false;
	}
	return true;
}

/* One input, its escaped form. */
struct esc_case {
	char in[48], want[96]; /* arrays: criterion copies parameters to its workers */
};

/* CSI and OSC 52, a raw C1 CSI, an encoded C1, DEL; invalid sequences byte by byte. */
ParameterizedTestParameters(textesc, controls_become_visible_text)
{
	static struct esc_case cases[] = {
		{ "f\x1b[31mred\x1b]52;c;SGVsbG8=\x07x", "f\\x1b[31mred\\x1b]52;c;SGVsbG8=\\x07x" },
		{ "a\x9b"
		  "31mb",
		  "a\\x9b31mb" },
		{ "a\xc2\x9b"
		  "31m",
		  "a\\u009b31m" },
		{ "a\x7f"
		  "b",
		  "a\\x7fb" },
		/* overlong ESC (0xc0 0x9b), a cut 3-byte sequence, a lone continuation byte */
		{ "\xc0\x9b|\xe2\x80|\x85", "\\xc0\\x9b|\\xe2\\x80|\\x85" },
	};
	return cr_make_param_array(struct esc_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct esc_case *c, textesc, controls_become_visible_text)
{
	char out[128];

	textesc_str(out, sizeof(out), c->in, 0);
	cr_assert_str_eq(out, c->want, "expected \"%s\", got \"%s\"", c->want, out);
	cr_assert(textesc_needed(c->in, 0), "textesc_needed: expected true for \"%s\"", c->want);
}

Test(textesc, printable_utf8_passes_unchanged)
{
	const char in[] = "caf\xc3\xa9 \xd1\x84\xd1\x83 \xe2\x80\xa6 \xf0\x9f\x90\x8d ~";
	char out[64];

	textesc_str(out, sizeof(out), in, 0);
	cr_assert_str_eq(out, in, "got \"%s\"", out);
	cr_assert_not(textesc_needed(in, 0), "expected nothing to escape");
}

Test(textesc, names_escape_newline_and_tab_lines_keep_them)
{
	char out[32];

	textesc_str(out, sizeof(out), "a\nb\tc", 0);
	cr_assert_str_eq(out, "a\\x0ab\\x09c", "name: got \"%s\"", out);
	textesc_str(out, sizeof(out), "a\nb\tc\r", TEXTESC_LINES);
	cr_assert_str_eq(out, "a\nb\tc\\x0d", "lines: got \"%s\"", out);
}

Test(textesc, str_cuts_before_an_escape_that_does_not_fit)
{
	char out[6];
	size_t n = textesc_str(out, sizeof(out),
			       "ab\x1b"
			       "cd",
			       0);

	cr_assert_str_eq(out, "ab", "expected the escape left out whole, got \"%s\"", out);
	cr_assert_eq(n, 2, "expected 2, got %zu", n);
}

Test(textesc, write_matches_str_and_is_terminal_safe)
{
	const char in[] = "x\x1b[2J\x9b\xc2\x85\x7f\x00y";
	char out[128], *got = write_str(in, sizeof(in) - 1, 0);

	textesc_str(out, sizeof(out), in, 0); /* stops at the NUL */
	cr_assert(strncmp(got, out, strlen(out)) == 0, "write \"%s\" vs str \"%s\"", got, out);
	cr_assert(strstr(got, "\\x00y"), "expected the NUL escaped, got \"%s\"", got);
	cr_assert(terminal_safe(got, false), "raw control left in \"%s\"", got);
	cr_assert_null(strchr(got, '\x9b'), "raw 0x9b left in \"%s\"", got);
	free(got);
}

Test(textesc, buffer_copies_a_report_out_escaped)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *dst = open_memstream(&buf, &n);
	struct textesc_buf tb;

	cr_assert_not_null(textesc_begin(&tb));
	fprintf(tb.f, "top:\n  %s\n", "evil\x1b]52;c;AAAA\x07");
	cr_assert_eq(textesc_end(&tb, dst, TEXTESC_LINES), 0);
	fclose(dst);
	cr_assert_str_eq(buf, "top:\n  evil\\x1b]52;c;AAAA\\x07\n", "got \"%s\"", buf);
	free(buf);
}
