// SPDX-License-Identifier: MIT
/*
 * The generated per-version layout table (user/python/py_layouts.c) and the 3.13+
 * _Py_DebugOffsets parser (user/python/layout.c). The real .PyRuntime bytes come
 * from tests/data/pyruntime/ (scripts/gen-pyruntime-fixtures.sh); the table
 * itself is checked against every installed CPython's headers by the
 * offsets_table_matches_headers ctest (scripts/gen-offsets.sh --check).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "python/layout.h"

#define FIXTURE_313 PS_SOURCE_DIR "/tests/data/pyruntime/3.13.0.bin"
#define FIXTURE_312 PS_SOURCE_DIR "/tests/data/pyruntime/3.12.1.bin"
#define FIXTURE_LEN 1024

/* A few key offsets per version, as offsets_probe.c printed them for its headers. */
struct version_case {
	unsigned major, minor;
	uint16_t tstate_thread_id, tstate_frame, frame_back, frame_instr, code_firstlineno;
	uint16_t str_ascii_data;
};

/* The u16 fields of struct ps_py_offsets in declaration order, for messages. */
static const char *const off_names[] = {
	"interp_next",	   "interp_threads_head", "tstate_next",    "tstate_thread_id",
	"tstate_frame",	   "cframe_frame",	  "tstate_size",    "frame_back",
	"frame_code",	   "frame_instr",	  "frame_owner",    "frame_size",
	"code_filename",   "code_name",		  "code_qualname",  "code_firstlineno",
	"code_linetable",  "code_firsttraceable", "code_size",	    "obj_type",
	"str_len",	   "str_state",		  "str_ascii_data", "str_compact_data",
	"bytes_len",	   "bytes_data",	  "tstate_interp",  "interp_gil",
	"gil_last_holder", "gil_locked",
};
_Static_assert(sizeof(off_names) / sizeof(off_names[0]) * sizeof(uint16_t) ==
		       offsetof(struct ps_py_offsets, instr_kind),
	       "one name per u16 field");

/* Read a .PyRuntime fixture into buf (FIXTURE_LEN bytes). */
static void load_fixture(const char *path, uint8_t *buf)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	cr_assert_not_null(f, "%s: %s (run scripts/gen-pyruntime-fixtures.sh)", path,
			   strerror(errno));
	n = fread(buf, 1, FIXTURE_LEN, f);
	fclose(f);
	cr_assert_eq(n, FIXTURE_LEN, "%s: expected %d bytes, got %zu", path, FIXTURE_LEN, n);
}

/* Overwrite the little-endian u64 at pos of a debug-offsets block. */
static void put_u64(uint8_t *buf, size_t pos, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		buf[pos + i] = (uint8_t)(v >> (8 * i));
}

/* Assert that a call returned want (0 or -errno); what names the case. */
static void assert_ret(int got, int want, const char *what)
{
	cr_assert_eq(got, want, "%s: expected %d (%s), got %d (%s)", what, want,
		     want ? strerror(-want) : "ok", got, got ? strerror(-got) : "ok");
}

/* Assert that every u16 offset of got equals want, naming the first that differs. */
static void assert_same_offsets(const struct ps_py_offsets *want, const struct ps_py_offsets *got)
{
	for (size_t i = 0; i < sizeof(off_names) / sizeof(off_names[0]); i++) {
		uint16_t w, g;

		memcpy(&w, (const uint8_t *)want + i * sizeof(w), sizeof(w));
		memcpy(&g, (const uint8_t *)got + i * sizeof(g), sizeof(g));
		cr_assert_eq(g, w, "off.%s: expected %u, got %u", off_names[i], w, g);
	}
	cr_assert_eq(memcmp(want, got, sizeof(*want)), 0, "off: the u8 kinds differ");
}

/* The 3.13 table entry (the only one with debug-offset positions here). */
static const struct py_layout *entry_313(void)
{
	const struct py_layout *l = layout_for_version(3, 13);

	cr_assert_not_null(l, "no 3.13 entry in the table");
	cr_assert_neq(l->dbg.size, 0, "3.13 entry has no _Py_DebugOffsets positions");
	return l;
}

ParameterizedTestParameters(layout, finds_each_supported_version)
{
	/* values printed by scripts/offsets_probe.c for each version's headers */
	static struct version_case cases[] = {
		{ 2, 7, 144, 16, 24, 120, 96, 36 }, { 3, 6, 152, 24, 24, 120, 36, 48 },
		{ 3, 7, 176, 24, 24, 104, 36, 48 }, { 3, 8, 176, 24, 24, 104, 40, 48 },
		{ 3, 9, 176, 24, 24, 104, 40, 48 }, { 3, 10, 176, 24, 24, 96, 40, 48 },
		{ 3, 11, 152, 56, 48, 56, 72, 48 }, { 3, 12, 136, 56, 8, 56, 68, 40 },
		{ 3, 13, 152, 72, 8, 56, 68, 40 },  { 3, 14, 152, 72, 8, 56, 68, 40 },
		{ 3, 15, 176, 72, 8, 56, 68, 40 },
	};

	return cr_make_param_array(struct version_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct version_case *c, layout, finds_each_supported_version)
{
	const struct py_layout *l = layout_for_version(c->major, c->minor);

	cr_assert_not_null(l, "%u.%u: expected an entry, got NULL", c->major, c->minor);
	cr_assert(l->major == c->major && l->minor == c->minor, "%u.%u: got the entry of %u.%u",
		  c->major, c->minor, l->major, l->minor);
	cr_expect_eq(l->off.tstate_thread_id, c->tstate_thread_id, "%u.%u thread_id: %u, got %u",
		     c->major, c->minor, c->tstate_thread_id, l->off.tstate_thread_id);
	cr_expect_eq(l->off.tstate_frame, c->tstate_frame, "%u.%u frame: %u, got %u", c->major,
		     c->minor, c->tstate_frame, l->off.tstate_frame);
	cr_expect_eq(l->off.frame_back, c->frame_back, "%u.%u back: %u, got %u", c->major, c->minor,
		     c->frame_back, l->off.frame_back);
	cr_expect_eq(l->off.frame_instr, c->frame_instr, "%u.%u instr: %u, got %u", c->major,
		     c->minor, c->frame_instr, l->off.frame_instr);
	cr_expect_eq(l->off.code_firstlineno, c->code_firstlineno, "%u.%u firstlineno: %u, got %u",
		     c->major, c->minor, c->code_firstlineno, l->off.code_firstlineno);
	cr_expect_eq(l->off.str_ascii_data, c->str_ascii_data, "%u.%u ascii data: %u, got %u",
		     c->major, c->minor, c->str_ascii_data, l->off.str_ascii_data);
}

/* Does "X.Y.Z" (a pyenv directory) or "pythonX.Y" (an include dir) name a version? */
static int parse_build_name(const char *name, unsigned *major, unsigned *minor)
{
	if (sscanf(name, "%u.%u.", major, minor) == 2)
		return 0;
	if (sscanf(name, "python%u.%u", major, minor) == 2)
		return 0;
	return -1;
}

/* Count the builds in dir that have (or lack) a table entry. */
static void scan_builds(const char *dir, unsigned *nr_found, unsigned *nr_missing)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned major, minor;

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (parse_build_name(e->d_name, &major, &minor))
			continue;
		(*nr_found)++;
		if (!layout_for_version(major, minor)) {
			cr_log_error("%s/%s: no table entry for %u.%u", dir, e->d_name, major,
				     minor);
			(*nr_missing)++;
		}
	}
	closedir(d);
}

Test(layout, has_an_entry_for_every_installed_build)
{
	unsigned nr_found = 0, nr_missing = 0;
	char sid[512];

	scan_builds("/root/.pyenv/versions", &nr_found, &nr_missing);
	scan_builds("/usr/include", &nr_found, &nr_missing);
	/* the Debian sid root of scripts/sid-root.sh: 3.14, 3.15 and their debug builds */
	snprintf(sid, sizeof(sid), "%s/usr/include",
		 getenv("PYSTROBE_SID_ROOT") ? getenv("PYSTROBE_SID_ROOT") :
					       "/var/cache/pystrobe/sid");
	scan_builds(sid, &nr_found, &nr_missing);
	cr_log_info("layout: %u installed CPython builds looked up", nr_found);
	if (!nr_found)
		cr_log_warn("layout: no CPython installed: only the built-in cases were checked");
	cr_assert_eq(nr_missing, 0, "expected 0 builds without an entry, got %u", nr_missing);
}

Test(layout, unknown_version_is_null)
{
	static const unsigned unknown[][2] = { { 2, 6 }, { 3, 5 }, { 3, 16 }, { 4, 0 }, { 0, 0 } };

	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		cr_assert_null(layout_for_version(unknown[i][0], unknown[i][1]),
			       "%u.%u: expected NULL", unknown[i][0], unknown[i][1]);
	cr_assert_null(layout_at(layout_count()), "layout_at(count): expected NULL");
}

Test(layout, table_sizes_cover_every_offset_bpf_reads)
{
	for (size_t i = 0; i < layout_count(); i++) {
		const struct ps_py_offsets *o = &layout_at(i)->off;
		const uint16_t tstate[] = { o->tstate_next, o->tstate_thread_id, o->tstate_frame };
		const uint16_t frame[] = { o->frame_back, o->frame_code, o->frame_instr,
					   o->frame_owner };
		const uint16_t code[] = { o->code_filename,  o->code_name,
					  o->code_qualname,  o->code_firstlineno,
					  o->code_linetable, o->code_firsttraceable,
					  o->obj_type };
		unsigned v = layout_at(i)->major * 100 + layout_at(i)->minor;

		cr_assert_leq(o->tstate_size, PS_TSTATE_READ_MAX, "%u: tstate_size %u", v,
			      o->tstate_size);
		cr_assert_leq(o->frame_size, PS_FRAME_READ_MAX, "%u: frame_size %u", v,
			      o->frame_size);
		cr_assert_leq(o->code_size, PS_CODE_READ_MAX, "%u: code_size %u", v, o->code_size);
		for (size_t j = 0; j < sizeof(tstate) / sizeof(tstate[0]); j++)
			cr_assert_leq(tstate[j] + 8, o->tstate_size, "%u: tstate field %zu at %u",
				      v, j, tstate[j]);
		for (size_t j = 0; j < sizeof(frame) / sizeof(frame[0]); j++)
			if (frame[j] != PS_OFF_NONE)
				cr_assert_leq(frame[j] + 8, o->frame_size,
					      "%u: frame field %zu at %u", v, j, frame[j]);
		for (size_t j = 0; j < sizeof(code) / sizeof(code[0]); j++)
			if (code[j] != PS_OFF_NONE)
				cr_assert_leq(code[j] + 8, o->code_size, "%u: code field %zu at %u",
					      v, j, code[j]);
	}
}

Test(layout, finish_reproduces_the_generated_sizes)
{
	for (size_t i = 0; i < layout_count(); i++) {
		struct py_layout l = *layout_at(i);

		l.off.tstate_size = l.off.frame_size = l.off.code_size = 0;
		cr_assert_eq(layout_finish(&l), 0, "%u.%u: layout_finish failed", l.major, l.minor);
		assert_same_offsets(&layout_at(i)->off, &l.off);
	}
}

Test(layout, finish_rejects_an_offset_past_the_read_max)
{
	struct py_layout l = *entry_313();

	l.off.tstate_thread_id = PS_TSTATE_READ_MAX - 4;
	assert_ret(layout_finish(&l), -EINVAL, "thread_id at PS_TSTATE_READ_MAX - 4");
}

Test(layout, finish_rejects_an_offset_bpf_would_mask_to_another)
{
	struct py_layout l = *entry_313();

	l.off.str_len = 20; /* pystack.bpf.h masks with PS_OBJ_HDR_READ - 8: 20 -> 16 */
	assert_ret(layout_finish(&l), -EINVAL, "str_len 20");
}

Test(layout, debug_offsets_of_real_313_match_the_table)
{
	const struct py_layout *want = entry_313();
	uint8_t buf[FIXTURE_LEN];
	struct py_layout got;

	load_fixture(FIXTURE_313, buf);
	memset(&got, 0xa5, sizeof(got));
	assert_ret(layout_from_debug_offsets(buf, sizeof(buf), &got), 0, "real 3.13.0 block");
	cr_assert(got.major == 3 && got.minor == 13, "expected 3.13, got %u.%u", got.major,
		  got.minor);
	assert_same_offsets(&want->off, &got.off);
	cr_expect_eq(got.runtime_interp_head, want->runtime_interp_head, "interp head %u, got %u",
		     want->runtime_interp_head, got.runtime_interp_head);
	cr_expect_eq(got.off.interp_gil, want->off.interp_gil, "ceval.gil %u, got %u",
		     want->off.interp_gil, got.off.interp_gil);
	cr_expect_eq(got.off.gil_locked, want->off.gil_locked, "gil locked %u, got %u",
		     want->off.gil_locked, got.off.gil_locked);
	cr_expect_eq(got.off.gil_last_holder, want->off.gil_last_holder, "gil holder %u, got %u",
		     want->off.gil_last_holder, got.off.gil_last_holder);
	cr_expect_eq(got.off.tstate_interp, want->off.tstate_interp, "tstate interp %u, got %u",
		     want->off.tstate_interp, got.off.tstate_interp);
	cr_expect_eq(got.tstate_native_thread_id, want->tstate_native_thread_id,
		     "native_thread_id %u, got %u", want->tstate_native_thread_id,
		     got.tstate_native_thread_id);
	cr_expect_eq(got.code_adaptive, want->code_adaptive, "co_code_adaptive %u, got %u",
		     want->code_adaptive, got.code_adaptive);
}

/* A Debian sid build's .PyRuntime fixture (3.14.10 / 3.15.2, see tests/data/pyruntime/). */
struct sid_case {
	char file[16]; /* under tests/data/pyruntime/ */
	unsigned minor;
};

ParameterizedTestParameters(layout, debug_offsets_of_real_314_315)
{
	static struct sid_case cases[] = {
		{ "3.14.bin", 14 },
		{ "3.14d.bin", 14 },
		{ "3.15.bin", 15 },
		{ "3.15d.bin", 15 },
	};

	return cr_make_param_array(struct sid_case, cases, sizeof(cases) / sizeof(cases[0]));
}

/*
 * The real blocks of 3.14 and 3.15 (release and debug builds) give their
 * table entry's offsets; they need exactly their own size; the free-threaded
 * flag is refused as such.
 */
ParameterizedTest(struct sid_case *c, layout, debug_offsets_of_real_314_315)
{
	const struct py_layout *want = layout_for_version(3, c->minor);
	char path[256];
	uint8_t buf[FIXTURE_LEN];
	struct py_layout got;

	cr_assert_not_null(want, "no 3.%u entry", c->minor);
	snprintf(path, sizeof(path), "%s/tests/data/pyruntime/%s", PS_SOURCE_DIR, c->file);
	load_fixture(path, buf);
	assert_ret(layout_from_debug_offsets(buf, want->dbg.size, &got), 0, c->file);
	cr_assert(got.major == 3 && got.minor == c->minor, "%s: got %u.%u", c->file, got.major,
		  got.minor);
	assert_same_offsets(&want->off, &got.off);
	cr_expect_eq(got.runtime_interp_head, want->runtime_interp_head, "%s: interp head",
		     c->file);
	cr_expect_eq(got.tstate_native_thread_id, want->tstate_native_thread_id,
		     "%s: native_thread_id", c->file);
	cr_expect_eq(got.code_adaptive, want->code_adaptive, "%s: co_code_adaptive", c->file);
	cr_expect_eq(got.off.code_tag_mask, 3, "%s: _PyStackRef tag bits", c->file);
	assert_ret(layout_from_debug_offsets(buf, want->dbg.size - 1, &got), -EINVAL,
		   "one byte short");
	put_u64(buf, 16, 1);
	assert_ret(layout_from_debug_offsets(buf, sizeof(buf), &got), -EPROTONOSUPPORT,
		   "free_threaded 1");
}

Test(layout, debug_offsets_need_only_their_own_size)
{
	uint8_t buf[FIXTURE_LEN];
	struct py_layout got;
	size_t n = entry_313()->dbg.size;

	load_fixture(FIXTURE_313, buf);
	assert_ret(layout_from_debug_offsets(buf, n, &got), 0, "sizeof(_Py_DebugOffsets) bytes");
	assert_ret(layout_from_debug_offsets(buf, n - 1, &got), -EINVAL, "one byte short");
	assert_ret(layout_from_debug_offsets(buf, 23, &got), -EINVAL, "23 bytes: short header");
	assert_ret(layout_from_debug_offsets(NULL, 0, &got), -EINVAL, "NULL buffer");
}

Test(layout, debug_offsets_with_a_bad_cookie_are_rejected_and_out_untouched)
{
	uint8_t buf[FIXTURE_LEN];
	struct py_layout got, before;

	load_fixture(FIXTURE_313, buf);
	buf[7] ^= 0x20;
	memset(&got, 0x5a, sizeof(got));
	before = got;
	assert_ret(layout_from_debug_offsets(buf, sizeof(buf), &got), -EINVAL, "cookie xdebugpY");
	cr_assert_eq(memcmp(&got, &before, sizeof(got)), 0, "out changed on error");
}

Test(layout, runtime_of_312_has_no_debug_offsets)
{
	uint8_t buf[FIXTURE_LEN];
	struct py_layout got;

	load_fixture(FIXTURE_312, buf);
	assert_ret(layout_from_debug_offsets(buf, sizeof(buf), &got), -EINVAL,
		   "3.12.1 .PyRuntime (no cookie)");
}

Test(layout, debug_offsets_out_of_range_are_rejected)
{
	const struct py_debug_pos *p = &entry_313()->dbg;
	const struct {
		uint16_t pos;
		uint64_t value;
		const char *what;
	} bad[] = {
		{ p->tstate_thread_id, PS_TSTATE_READ_MAX, "thread_id at the tstate read max" },
		{ p->frame_owner, UINT64_MAX, "owner all ones" },
		{ p->code_firstlineno, 66, "firstlineno not 4-aligned" },
		{ p->interp_gil_locked, 8, "gil locked below the gil struct" },
		{ p->tstate_size, 0, "thread-state size 0" },
		{ p->str_state, 1ull << 40, "str state past 2^32" },
		{ p->runtime_interp_head, 1ull << 30, "interpreters.head past the runtime" },
	};
	uint8_t buf[FIXTURE_LEN], orig[FIXTURE_LEN];
	struct py_layout got;

	load_fixture(FIXTURE_313, orig);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(buf, orig, sizeof(buf));
		put_u64(buf, bad[i].pos, bad[i].value);
		assert_ret(layout_from_debug_offsets(buf, sizeof(buf), &got), -EINVAL, bad[i].what);
	}
}

Test(layout, free_threaded_and_unknown_versions_are_not_supported)
{
	const struct {
		uint16_t pos;
		uint64_t value;
		int err;
		const char *what;
	} cases[] = {
		{ 16, 1, -EPROTONOSUPPORT, "free_threaded 1" },
		{ 16, 2, -EINVAL, "free_threaded 2" },
		{ 8, 0x031000f0, -ENOTSUP, "3.16.0" },
		{ 8, 0x030c01f0, -ENOTSUP, "3.12.1 (no positions)" },
		{ 8, 0x020712f0, -ENOTSUP, "2.7.18 (no positions)" },
		{ 8, 1ull << 32, -EINVAL, "version past 32 bits" },
	};
	uint8_t buf[FIXTURE_LEN], orig[FIXTURE_LEN];
	struct py_layout got;

	load_fixture(FIXTURE_313, orig);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(buf, orig, sizeof(buf));
		put_u64(buf, cases[i].pos, cases[i].value);
		assert_ret(layout_from_debug_offsets(buf, sizeof(buf), &got), cases[i].err,
			   cases[i].what);
	}
}
