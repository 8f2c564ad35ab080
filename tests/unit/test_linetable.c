// SPDX-License-Identifier: MIT
/*
 * Line-table decoders: every position of every fixture code object (written by
 * scripts/gen-linetable-fixtures.sh from real interpreters, each position
 * cross-checked there against PyCode_Addr2Line), then hand-built tables for
 * the edge cases of each format.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* getline */
#endif
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "python/linetable.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define FX_MIN_POSITIONS 10000 /* a fixture checking fewer is broken */

/* One interpreter's fixture file and the format its tables use. */
struct fx_version {
	char ver[16];
	enum py_linetable_fmt fmt;
	char fmt_name[16]; /* as in the fixture's "fmt" line */
};

/* The fixture being replayed: the current code object and the counts. */
struct fx_state {
	const struct fx_version *v;
	char label[256];
	int firstlineno;
	uint32_t npos;
	uint32_t next_pos; /* L ranges must tile [0, npos) in order */
	uint8_t *tab;
	size_t len;
	unsigned int nr_codes;
	unsigned long nr_positions;
	unsigned int nr_past;
};

/* Decode a hex string ("-" is empty) into a buffer of exactly its size. */
static void fx_set_table(struct fx_state *st, const char *hex)
{
	size_t n = strcspn(hex, "\n");

	free(st->tab);
	st->tab = NULL;
	st->len = 0;
	if (!strcmp(hex, "-\n") || !strcmp(hex, "-"))
		return;
	cr_assert_eq(n % 2, 0, "%s %s: odd hex length %zu", st->v->ver, st->label, n);
	st->len = n / 2;
	st->tab = malloc(st->len ? st->len : 1);
	cr_assert_not_null(st->tab, "out of memory for a %zu-byte table", st->len);
	for (size_t i = 0; i < st->len; i++) {
		unsigned int byte;

		cr_assert_eq(sscanf(hex + 2 * i, "%2x", &byte), 1, "%s %s: bad hex at %zu",
			     st->v->ver, st->label, 2 * i);
		st->tab[i] = byte;
	}
}

/* Every code object's L ranges must have covered all its positions. */
static void fx_end_code(struct fx_state *st)
{
	if (!st->label[0])
		return;
	cr_assert_eq(st->next_pos, st->npos, "%s %s: ranges cover %u of %u positions", st->v->ver,
		     st->label, st->next_pos, st->npos);
}

/* "code <label> <firstlineno> <npos>": start a new code object. */
static void fx_code(struct fx_state *st, const char *line)
{
	fx_end_code(st);
	cr_assert_eq(sscanf(line, "code %255s %d %u", st->label, &st->firstlineno, &st->npos), 3,
		     "%s: bad code line: %s", st->v->ver, line);
	st->next_pos = 0;
	st->nr_codes++;
}

/* "L <start> <end> <line>": check every position of the range. */
static void fx_range(struct fx_state *st, const char *line)
{
	uint32_t start, end;
	int want;

	cr_assert_eq(sscanf(line, "L %u %u %d", &start, &end, &want), 3, "%s: bad range: %s",
		     st->v->ver, line);
	cr_assert(start == st->next_pos && start < end && end <= st->npos,
		  "%s %s: range [%u, %u) does not continue at %u within %u", st->v->ver, st->label,
		  start, end, st->next_pos, st->npos);
	for (uint32_t pos = start; pos < end; pos++) {
		int got = linetable_line(st->v->fmt, st->tab, st->len, st->firstlineno, pos);

		if (got != want)
			cr_assert_eq(got, want, "%s %s offset %u: want line %d, got %d", st->v->ver,
				     st->label, pos, want, got);
	}
	st->next_pos = end;
	st->nr_positions += end - start;
}

/* "past <pos> <line>": a position at or beyond the end of the code. */
static void fx_past(struct fx_state *st, const char *line)
{
	uint32_t pos;
	int want, got;

	cr_assert_eq(sscanf(line, "past %u %d", &pos, &want), 2, "%s: bad past line: %s",
		     st->v->ver, line);
	got = linetable_line(st->v->fmt, st->tab, st->len, st->firstlineno, pos);
	cr_assert_eq(got, want, "%s %s past-end offset %u: want line %d, got %d", st->v->ver,
		     st->label, pos, want, got);
	st->nr_past++;
}

/* Check the header lines: the fixture is for this version and format. */
static void fx_header(struct fx_state *st, const char *line)
{
	char word[32];

	cr_assert_eq(sscanf(line, "%*s %31s", word), 1, "%s: bad header: %s", st->v->ver, line);
	if (!strncmp(line, "python ", 7))
		cr_assert_str_eq(word, st->v->ver, "fixture for %s holds python %s", st->v->ver,
				 word);
	else
		cr_assert_str_eq(word, st->v->fmt_name, "%s: want fmt %s, fixture says %s",
				 st->v->ver, st->v->fmt_name, word);
}

/* Route one fixture line to its handler. */
static void fx_line(struct fx_state *st, const char *line)
{
	if (line[0] == '#' || line[0] == '\n')
		return;
	if (!strncmp(line, "python ", 7) || !strncmp(line, "fmt ", 4))
		fx_header(st, line);
	else if (!strncmp(line, "code ", 5))
		fx_code(st, line);
	else if (!strncmp(line, "tab ", 4))
		fx_set_table(st, line + 4);
	else if (!strncmp(line, "L ", 2))
		fx_range(st, line);
	else if (!strncmp(line, "past ", 5))
		fx_past(st, line);
	else
		cr_assert_fail("%s: unknown fixture line: %s", st->v->ver, line);
}

/* Replay tests/data/linetable/<ver>.txt; a missing file fails the test. */
static void replay_fixture(const struct fx_version *v)
{
	struct fx_state st = { .v = v };
	char path[512];
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/data/linetable/%s.txt", PS_SOURCE_DIR, v->ver);
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s: cannot open fixture %s (run scripts/gen-linetable-fixtures.sh)",
			   v->ver, path);
	while (getline(&line, &cap, f) > 0)
		fx_line(&st, line);
	fx_end_code(&st);
	free(line);
	free(st.tab);
	fclose(f);
	cr_assert_geq(st.nr_positions, FX_MIN_POSITIONS,
		      "%s: want >= %d positions, fixture has %lu", v->ver, FX_MIN_POSITIONS,
		      st.nr_positions);
	cr_log_info("%s: %u code objects, %lu positions, %u past-end positions agree", v->ver,
		    st.nr_codes, st.nr_positions, st.nr_past);
}

ParameterizedTestParameters(linetable, matches_cpython_at_every_fixture_position)
{
	static struct fx_version versions[] = {
		{ "2.7.18", PY_LT_LNOTAB27, "lnotab27" }, { "3.6.15", PY_LT_LNOTAB, "lnotab" },
		{ "3.7.16", PY_LT_LNOTAB, "lnotab" },	  { "3.8.18", PY_LT_LNOTAB, "lnotab" },
		{ "3.9.18", PY_LT_LNOTAB, "lnotab" },	  { "3.10.13", PY_LT_310, "310" },
		{ "3.11.7", PY_LT_311, "311" },		  { "3.11.2", PY_LT_311, "311" },
		{ "3.12.1", PY_LT_311, "311" },		  { "3.13.0", PY_LT_311, "311" },
	};

	return cr_make_param_array(struct fx_version, versions, ARRAY_SIZE(versions));
}

/* One run per interpreter (3.11.2 is Debian's /usr/bin/python3.11). */
ParameterizedTest(struct fx_version *v, linetable, matches_cpython_at_every_fixture_position)
{
	replay_fixture(v);
}

/* A hand-built table and the line expected at one position. */
struct lt_case {
	int pos;
	int want;
};

/* Check each case of one hand-built table; name says which table. */
static void check_cases(const char *name, enum py_linetable_fmt fmt, const uint8_t *tab, size_t len,
			int firstlineno, const struct lt_case *cases, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		int got = linetable_line(fmt, tab, len, firstlineno, cases[i].pos);

		cr_assert_eq(got, cases[i].want, "%s offset %d: want line %d, got %d", name,
			     cases[i].pos, cases[i].want, got);
	}
}

#define CHECK(fmt, tab, first, ...)                                                  \
	do {                                                                         \
		const struct lt_case c_[] = { __VA_ARGS__ };                         \
		check_cases(#tab, fmt, tab, sizeof(tab), first, c_, ARRAY_SIZE(c_)); \
	} while (0)

Test(linetable, lnotab27_reads_line_increments_as_unsigned)
{
	static const uint8_t tab[] = { 2, 200, 3, 255, 0, 255 };

	CHECK(PY_LT_LNOTAB27, tab, 10, { 0, 10 }, { 1, 10 }, { 2, 210 }, { 4, 210 }, { 5, 720 });
}

Test(linetable, lnotab27_sums_split_address_increments)
{
	static const uint8_t tab[] = { 255, 0, 255, 0, 10, 1 };

	CHECK(PY_LT_LNOTAB27, tab, 7, { 0, 7 }, { 519, 7 }, { 520, 8 });
}

Test(linetable, lnotab_applies_negative_line_increments)
{
	static const uint8_t tab[] = { 4, 3, 6, (uint8_t)-2 };

	CHECK(PY_LT_LNOTAB, tab, 20, { 0, 20 }, { 3, 20 }, { 4, 23 }, { 9, 23 }, { 10, 21 });
}

Test(linetable, lnotab_treats_minus_128_as_an_ordinary_increment)
{
	static const uint8_t tab[] = { 2, 127, 2, 0x80, 0, 0x80 };

	CHECK(PY_LT_LNOTAB, tab, 1000, { 0, 1000 }, { 2, 1127 }, { 4, 871 });
}

Test(linetable, lnotab_keeps_the_last_line_past_the_end)
{
	static const uint8_t tab[] = { 6, 1, 8, 2 };

	CHECK(PY_LT_LNOTAB, tab, 1, { 14, 4 }, { 15, 4 }, { 100000, 4 });
	CHECK(PY_LT_LNOTAB27, tab, 1, { 14, 4 }, { 100000, 4 });
}

Test(linetable, lnotab_empty_table_gives_firstlineno)
{
	cr_assert_eq(linetable_line(PY_LT_LNOTAB, NULL, 0, 42, 0), 42, "want 42");
	cr_assert_eq(linetable_line(PY_LT_LNOTAB27, NULL, 0, 42, 99), 42, "want 42");
}

Test(linetable, lnotab_cut_pair_is_bad)
{
	static const uint8_t tab[] = { 6, 1, 8 };

	CHECK(PY_LT_LNOTAB, tab, 1, { 0, LINETABLE_BAD }, { 20, LINETABLE_BAD });
	CHECK(PY_LT_LNOTAB27, tab, 1, { 0, LINETABLE_BAD });
}

Test(linetable, lt310_applies_negative_deltas)
{
	static const uint8_t tab[] = { 4, 1, 4, 5, 2, (uint8_t)-4 };

	CHECK(PY_LT_310, tab, 10, { 0, 11 }, { 3, 11 }, { 4, 16 }, { 8, 12 }, { 9, 12 });
}

Test(linetable, lt310_minus_128_range_has_no_line_and_keeps_the_running_line)
{
	static const uint8_t tab[] = { 4, 1, 2, 0x80, 4, 1 };

	CHECK(PY_LT_310, tab, 10, { 3, 11 }, { 4, LINETABLE_NO_LINE }, { 5, LINETABLE_NO_LINE },
	      { 6, 12 });
}

Test(linetable, lt310_empty_ranges_only_move_the_line)
{
	static const uint8_t tab[] = { 0, 127, 0, 127, 254, 0, 254, 0, 2, 1 };

	CHECK(PY_LT_310, tab, 1, { 0, 255 }, { 507, 255 }, { 508, 256 }, { 509, 256 });
}

Test(linetable, lt310_past_the_end_has_no_line)
{
	static const uint8_t tab[] = { 4, 1, 4, 1 };

	CHECK(PY_LT_310, tab, 1, { 7, 3 }, { 8, LINETABLE_NO_LINE }, { 9999, LINETABLE_NO_LINE });
	cr_assert_eq(linetable_line(PY_LT_310, NULL, 0, 5, 0), LINETABLE_NO_LINE, "empty table");
}

Test(linetable, lt310_cut_pair_is_bad)
{
	static const uint8_t tab[] = { 4, 1, 4 };

	CHECK(PY_LT_310, tab, 1, { 0, LINETABLE_BAD }, { 6, LINETABLE_BAD });
}

Test(linetable, lt311_short_and_one_line_forms)
{
	/* short form code 0 (one column byte); one-line codes 10..12 (two) */
	static const uint8_t tab[] = { 0x80, 0x05, 0xda, 0x04, 0x08, 0xe1, 0x00,
				       0x02, 0xd0, 0x01, 0x03, 0x83, 0x11 };

	CHECK(PY_LT_311, tab, 5, { 0, 5 }, { 1, 6 }, { 3, 6 }, { 4, 8 }, { 5, 8 }, { 6, 8 },
	      { 10, 8 }, { 11, LINETABLE_NO_LINE });
}

Test(linetable, lt311_no_column_form_applies_negative_svarint)
{
	/* code 13: svarint -3 is u = 7; then +2 (u = 4) */
	static const uint8_t tab[] = { 0xe8, 0x07, 0xe9, 0x04 };

	CHECK(PY_LT_311, tab, 100, { 0, 97 }, { 1, 99 }, { 2, 99 }, { 3, LINETABLE_NO_LINE });
}

Test(linetable, lt311_long_form_reads_multi_group_varints)
{
	/* code 14: line +1407 (u = 2814: 0x7e 0x2b), end line +1, col 4, end col 300 */
	static const uint8_t tab[] = { 0xf3, 0x7e, 0x2b, 0x01, 0x05, 0x6d, 0x04, 0x80, 0x00 };

	CHECK(PY_LT_311, tab, 3, { 0, 1410 }, { 3, 1410 }, { 4, 1410 }, { 5, LINETABLE_NO_LINE });
}

Test(linetable, lt311_code_15_has_no_line_and_keeps_the_running_line)
{
	static const uint8_t tab[] = { 0xd8, 0x00, 0x01, 0xf9, 0xd8, 0x00, 0x01 };

	CHECK(PY_LT_311, tab, 10, { 0, 11 }, { 1, LINETABLE_NO_LINE }, { 2, LINETABLE_NO_LINE },
	      { 3, 12 });
}

Test(linetable, lt311_past_the_end_and_empty_table_have_no_line)
{
	static const uint8_t tab[] = { 0x80, 0x00 };

	CHECK(PY_LT_311, tab, 1, { 0, 1 }, { 1, LINETABLE_NO_LINE }, { 70000, LINETABLE_NO_LINE });
	cr_assert_eq(linetable_line(PY_LT_311, NULL, 0, 5, 0), LINETABLE_NO_LINE, "empty table");
}

Test(linetable, lt311_entry_cut_in_the_middle_is_bad)
{
	/* a whole entry, then a long form cut inside its line-delta varint */
	static const uint8_t tab[] = { 0x80, 0x00, 0xf0, 0x7e };

	CHECK(PY_LT_311, tab, 1, { 0, 1 }, { 1, LINETABLE_BAD }, { 50, LINETABLE_BAD });
}

Test(linetable, lt311_entry_cut_before_its_column_bytes_is_bad)
{
	static const uint8_t tab[] = { 0xd8, 0x00 };

	CHECK(PY_LT_311, tab, 1, { 0, LINETABLE_BAD });
}

Test(linetable, lt311_entry_without_bit_7_is_bad)
{
	static const uint8_t starts_badly[] = { 0x00, 0x80, 0x00 };
	static const uint8_t inner_entry_start[] = { 0xd8, 0x80, 0x00 };

	CHECK(PY_LT_311, starts_badly, 1, { 0, LINETABLE_BAD });
	CHECK(PY_LT_311, inner_entry_start, 1, { 0, LINETABLE_BAD });
}

Test(linetable, lt311_overlong_varint_is_bad)
{
	static const uint8_t tab[] = { 0xe8, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x00 };

	CHECK(PY_LT_311, tab, 1, { 0, LINETABLE_BAD });
}

Test(linetable, line_outside_int_range_is_bad)
{
	static const uint8_t down[] = { 2, (uint8_t)-1 };
	static const uint8_t up[] = { 0xe8, 0x7e, 0x7f, 0x7f, 0x7f, 0x7f, 0x03 };

	CHECK(PY_LT_LNOTAB, down, 0, { 0, 0 }, { 2, LINETABLE_BAD });
	CHECK(PY_LT_311, up, 1, { 0, LINETABLE_BAD });
	cr_assert_eq(linetable_line(PY_LT_LNOTAB, NULL, 0, -1, 0), LINETABLE_BAD, "negative line");
}

Test(linetable, unknown_format_or_null_table_is_bad)
{
	static const uint8_t tab[] = { 2, 1 };

	cr_assert_eq(linetable_line(PY_LT__COUNT, tab, sizeof(tab), 1, 0), LINETABLE_BAD,
		     "format PY_LT__COUNT");
	cr_assert_eq(linetable_line(PY_LT_LNOTAB, NULL, 2, 1, 0), LINETABLE_BAD, "NULL table");
}
