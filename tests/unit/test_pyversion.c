// SPDX-License-Identifier: MIT
/*
 * CPython version detection from the file alone: every installed build
 * (pyenv 2.7-3.13 and Debian's static python3.11) must give its exact
 * version, each source is checked on real files by hiding the sources
 * before it, and the fixtures of tests/data/elf/ cover the rest. A build
 * that is not installed fails its test.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "target/elfsym.h"
#include "elfsym_open.h"
#include "python/pyversion.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define FIXTURE(name) PS_SOURCE_DIR "/tests/data/elf/" name
#define PYENV "/root/.pyenv/versions/"

/* One installed build: its file, exact version and the source that must find it. */
struct build {
	char ver[16];
	char path[96];
	uint32_t hex; /* PY_VERSION_HEX */
	char source[32]; /* source of pyversion_detect on the untouched file */
};

static struct build builds[] = {
	{ "2.7.18", PYENV "2.7.18/lib/libpython2.7.so.1.0", 0x020712f0, "soname + version string" },
	{ "3.6.15", PYENV "3.6.15/lib/libpython3.6m.so.1.0", 0x03060ff0,
	  "soname + version string" },
	{ "3.7.16", PYENV "3.7.16/lib/libpython3.7m.so.1.0", 0x030710f0,
	  "soname + version string" },
	{ "3.8.18", PYENV "3.8.18/lib/libpython3.8.so.1.0", 0x030812f0, "soname + version string" },
	{ "3.9.18", PYENV "3.9.18/lib/libpython3.9.so.1.0", 0x030912f0, "soname + version string" },
	{ "3.10.13", PYENV "3.10.13/lib/libpython3.10.so.1.0", 0x030a0df0,
	  "soname + version string" },
	{ "3.11.7", PYENV "3.11.7/lib/libpython3.11.so.1.0", 0x030b07f0, "Py_Version" },
	{ "3.12.1", PYENV "3.12.1/lib/libpython3.12.so.1.0", 0x030c01f0, "Py_Version" },
	{ "3.13.0", PYENV "3.13.0/lib/libpython3.13.so.1.0", 0x030d00f0, "Py_Version" },
	{ "3.11.2", "/usr/bin/python3.11", 0x030b02f0, "Py_Version" },
};

/* Fail (never skip) when a build is not installed. */
static void require_build(const struct build *b)
{
	if (access(b->path, R_OK))
		cr_assert_fail("CPython %s missing: %s not installed (%s)", b->ver, b->path,
			       strerror(errno));
}

/* Detect the version of the file at path (NULL: no path); returns pyversion_detect's result. */
static int detect_path(const char *path, const char *name, struct py_version *v)
{
	struct elfsym *e = elfsym_open_path(path);
	int err;

	cr_assert_not_null(e, "%s: want a handle, got errno %d (%s)", path, errno, strerror(errno));
	err = pyversion_detect(e, name, v);
	elfsym__free(e);
	return err;
}

/* Expect version string want from source want_src. */
static void expect_version(const char *what, int err, const struct py_version *v, const char *want,
			   const char *want_src)
{
	char got[32];

	cr_assert_eq(err, 0, "%s: want %s, got error %d (%s)", what, want, err,
		     v->source ? v->source : "");
	pyversion_str(v, got, sizeof(got));
	cr_expect_str_eq(got, want, "%s: want %s, got %s", what, want, got);
	cr_expect_str_eq(v->source, want_src, "%s: want source \"%s\", got \"%s\"", what, want_src,
			 v->source);
}

ParameterizedTestParameters(pyversion, detects_the_exact_version_of_each_build)
{
	return cr_make_param_array(struct build, builds, ARRAY_SIZE(builds));
}

ParameterizedTest(struct build *b, pyversion, detects_the_exact_version_of_each_build)
{
	struct py_version v;
	char s[32];
	int err;

	require_build(b);
	err = detect_path(b->path, b->path, &v);
	expect_version(b->path, err, &v, b->ver, b->source);
	cr_expect_eq(v.hex, b->hex, "%s: want hex %#x, got %#x", b->ver, b->hex, v.hex);
	printf("pyversion: %-8s %-52s -> %s (%s)\n", b->ver, b->path,
	       pyversion_str(&v, s, sizeof(s)), v.source);
	fflush(stdout);
}

/* The whole file at path in a malloc'd buffer. */
static uint8_t *slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	FILE *f = fopen(path, "rb");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	cr_assert_eq(fstat(fileno(f), &st), 0, "fstat %s", path);
	buf = malloc(st.st_size ? st.st_size : 1);
	cr_assert_not_null(buf, "no memory for %s", path);
	*len = fread(buf, 1, st.st_size, f);
	fclose(f);
	cr_assert_eq(*len, (size_t)st.st_size, "%s: short read", path);
	return buf;
}

/* Change the case of the first character of every occurrence of str (and its NUL if nul). */
static int spoil(uint8_t *buf, size_t len, const char *str, bool nul)
{
	size_t n = strlen(str) + nul;
	int nr = 0;

	for (uint8_t *p = buf; (p = memmem(p, len - (size_t)(p - buf), str, n)); p += n) {
		p[0] ^= 0x20;
		nr++;
	}
	return nr;
}

/*
 * Detect on an in-memory copy, path NULL, with the symbol or string names
 * spoiled (NUL-terminated names, and the unterminated cookie "xdebugpy").
 */
static int detect_spoiled(const struct build *b, const char *const *names, size_t nr,
			  struct py_version *v)
{
	struct elfsym *e;
	size_t len;
	uint8_t *buf;
	int err;

	require_build(b);
	buf = slurp(b->path, &len);
	for (size_t i = 0; i < nr; i++)
		cr_assert_gt(spoil(buf, len, names[i], strcmp(names[i], "xdebugpy") != 0), 0,
			     "%s: \"%s\" not in the file", b->ver, names[i]);
	e = elfsym__open_mem(buf, len);
	cr_assert_not_null(e, "%s: open_mem: errno %d", b->ver, errno);
	err = pyversion_detect(e, NULL, v);
	elfsym__free(e);
	free(buf);
	return err;
}

Test(pyversion, reads_debug_offsets_of_313_without_py_version)
{
	static const char *const hide[] = { "Py_Version" };
	struct py_version v;
	int err = detect_spoiled(&builds[8], hide, ARRAY_SIZE(hide), &v);

	expect_version("3.13.0 without Py_Version", err, &v, "3.13.0", "debug offsets");
	cr_expect_eq(v.hex, 0x030d00f0, "want hex 0x030d00f0, got %#x", v.hex);
}

ParameterizedTestParameters(pyversion, finds_each_build_from_rodata_strings_alone)
{
	return cr_make_param_array(struct build, builds, ARRAY_SIZE(builds));
}

/*
 * Fallback (d): no Py_Version, no debug offsets cookie, no libpython soname
 * and no path, as in a stripped static python: the cache tag and the
 * version literal in .rodata still give the exact version.
 */
ParameterizedTest(struct build *b, pyversion, finds_each_build_from_rodata_strings_alone)
{
	const char *want_src = b->hex >> 24 == 2 ? "version string" : "cache tag + version string";
	const char *base = strrchr(b->path, '/') + 1;
	const char *names[3];
	char what[96];
	struct py_version v;
	size_t nr = 0;
	int err;

	if (strncmp(base, "libpython", 9) == 0)
		names[nr++] = base; /* the soname, as .dynstr holds it (Debian's has none) */
	if (b->hex >= 0x030b0000)
		names[nr++] = "Py_Version";
	if (b->hex >= 0x030d0000)
		names[nr++] = "xdebugpy";
	err = detect_spoiled(b, names, nr, &v);
	snprintf(what, sizeof(what), "%s from .rodata", b->ver);
	expect_version(what, err, &v, b->ver, want_src);
	cr_expect_eq(v.hex, b->hex, "%s: want hex %#x, got %#x", what, b->hex, v.hex);
	printf("pyversion: %-8s without Py_Version, debug offsets, soname, path -> %s (%s)\n",
	       b->ver, pyversion_str(&v, what, sizeof(what)), v.source);
	fflush(stdout);
}

Test(pyversion, reads_py_version_of_a_fixture)
{
	struct py_version v;
	int err = detect_path(FIXTURE("fakepy311"), FIXTURE("fakepy311"), &v);

	expect_version("fakepy311", err, &v, "3.11.4", "Py_Version");
}

Test(pyversion, reads_debug_offsets_of_a_fixture)
{
	struct py_version v;
	int err = detect_path(FIXTURE("fakepy313.so"), NULL, &v);

	expect_version("fakepy313.so", err, &v, "3.13.1", "debug offsets");
}

Test(pyversion, takes_the_micro_from_a_literal_merged_into_a_longer_string)
{
	struct py_version v;
	int err = detect_path(FIXTURE("libpython3.8.so.1.0"), NULL, &v);

	/* ld merged "3.8.12" into "/opt/python/3.8.12": only the tail of a string holds it */
	expect_version("libpython3.8 fixture", err, &v, "3.8.12", "soname + version string");
	cr_expect_eq(v.hex, 0x03080cf0, "want hex 0x03080cf0, got %#x", v.hex);
}

Test(pyversion, file_name_without_a_literal_leaves_the_micro_unknown)
{
	struct py_version v;
	int err = detect_path(FIXTURE("libpython3.7m.so"), FIXTURE("libpython3.7m.so"), &v);

	expect_version("libpython3.7m.so", err, &v, "3.7", "file name");
	cr_expect_eq(v.micro, PY_MICRO_UNKNOWN, "want micro unknown, got %u", v.micro);
	cr_expect_eq(v.hex, 0x03070000, "want hex 0x03070000, got %#x", v.hex);
}

Test(pyversion, uses_only_the_file_name_of_the_path)
{
	struct py_version v;
	int err;

	err = detect_path(FIXTURE("libpython3.7m.so"), "/opt/libpython3.7m.so/python", &v);
	cr_expect_eq(err, -ENOENT, "a libpython directory name: want -ENOENT, got %d", err);
	err = detect_path(FIXTURE("libpython3.7m.so"), NULL, &v);
	cr_expect_eq(err, -ENOENT, "no path: want -ENOENT, got %d", err);
	err = detect_path(FIXTURE("libpython3.7m.so"), "libpython3.so", &v);
	cr_expect_eq(err, -ENOENT, "libpython3.so (no minor): want -ENOENT, got %d", err);
}

Test(pyversion, takes_cache_tag_and_unique_literal_of_a_stripped_static_binary)
{
	struct py_version v;
	int err = detect_path(FIXTURE("fakepy39"), NULL, &v);

	expect_version("fakepy39", err, &v, "3.9.7", "cache tag + version string");
}

Test(pyversion, two_literals_for_one_minor_leave_the_micro_unknown)
{
	struct py_version v;
	int err = detect_path(FIXTURE("fakepy310"), NULL, &v);

	expect_version("fakepy310", err, &v, "3.10", "cache tag");
	cr_expect_eq(v.micro, PY_MICRO_UNKNOWN, "want micro unknown, got %u", v.micro);
}

Test(pyversion, takes_a_single_2x_literal_without_a_cache_tag)
{
	struct py_version v;
	int err = detect_path(FIXTURE("fakepy27"), NULL, &v);

	expect_version("fakepy27", err, &v, "2.7.15", "version string");
}

Test(pyversion, runtime_without_any_version_signal_is_enoent_with_a_reason)
{
	struct py_version v;
	int err = detect_path(FIXTURE("fakepy_noversion"), NULL, &v);

	cr_expect_eq(err, -ENOENT, "want -ENOENT, got %d", err);
	cr_expect(v.source && strstr(v.source, "no version"), "want a reason, got \"%s\"",
		  v.source ? v.source : "(null)");
}

Test(pyversion, files_without_a_cpython_runtime_are_enoent)
{
	static const char *const files[] = {
		"/bin/ls",
		PYENV "3.11.7/lib/libpython3.so", /* the stable-ABI stub: no runtime inside */
		FIXTURE("notpy.so"), /* has Py_Version, but no runtime */
		FIXTURE("tiny.so"),
	};
	struct py_version v;
	int err;

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		if (access(files[i], R_OK))
			cr_assert_fail("%s missing: %s", files[i], strerror(errno));
		err = detect_path(files[i], "libpython3.11.so.1.0", &v);
		cr_expect_eq(err, -ENOENT, "%s: want -ENOENT, got %d (%s)", files[i], err,
			     v.source ? v.source : "");
		cr_expect(v.source && strstr(v.source, "not a CPython runtime"),
			  "%s: want the reason, got \"%s\"", files[i], v.source);
	}
}

Test(pyversion, hostile_copies_of_real_builds_fail_cleanly)
{
	static const uint8_t text[] = "not an ELF file at all\n";
	static uint8_t zeros[65536];
	size_t cuts[] = { 64, 4096, 1 << 20 }, len;
	uint8_t *buf = slurp(builds[7].path, &len);
	struct py_version v;
	struct elfsym *e;
	int err;

	for (size_t i = 0; i < ARRAY_SIZE(cuts); i++) {
		e = elfsym__open_mem(buf, cuts[i]);
		if (!e)
			continue; /* ENOEXEC is a clean error too */
		err = pyversion_detect(e, builds[7].path, &v);
		cr_expect_eq(err, -ENOENT, "3.12.1 cut at %zu: want -ENOENT, got %d", cuts[i], err);
		elfsym__free(e);
	}
	free(buf);
	cr_expect_null(elfsym__open_mem(zeros, sizeof(zeros)), "zeros: want no handle");
	cr_expect_null(elfsym__open_mem(text, sizeof(text)), "text: want no handle");
	cr_expect_eq(pyversion_detect(NULL, NULL, &v), -EINVAL, "NULL handle: want -EINVAL");
}

Test(pyversion, formats_versions_with_release_level)
{
	struct py_version v = { .major = 3, .minor = 11, .micro = 7, .hex = 0x030b07f0 };
	char buf[32], small[4];

	cr_expect_str_eq(pyversion_str(&v, buf, sizeof(buf)), "3.11.7", "final");
	v = (struct py_version){ .major = 3, .minor = 13, .micro = 0, .hex = 0x030d00c1 };
	cr_expect_str_eq(pyversion_str(&v, buf, sizeof(buf)), "3.13.0rc1", "release candidate");
	v = (struct py_version){ .major = 3, .minor = 12, .micro = 0, .hex = 0x030c00a4 };
	cr_expect_str_eq(pyversion_str(&v, buf, sizeof(buf)), "3.12.0a4", "alpha");
	v = (struct py_version){
		.major = 3, .minor = 9, .micro = PY_MICRO_UNKNOWN, .hex = 0x03090000
	};
	cr_expect_str_eq(pyversion_str(&v, buf, sizeof(buf)), "3.9", "micro unknown");
	cr_expect_str_eq(pyversion_str(&v, small, sizeof(small)), "3.9", "fits 4 bytes");
	v.minor = 10;
	cr_expect_str_eq(pyversion_str(&v, small, sizeof(small)), "3.1", "truncated to 4 bytes");
}
