// SPDX-License-Identifier: MIT
/*
 * Which CPython an ELF file holds, from the file alone (the process may be
 * gone). Sources, most direct first:
 *   (a) Py_Version (3.11+): const unsigned long PY_VERSION_HEX in .rodata;
 *   (b) the .PyRuntime section (3.13+): _Py_DebugOffsets starts with
 *       "xdebugpy" and the u64 PY_VERSION_HEX;
 *   (c) DT_SONAME or the file name: libpythonX.Y[abiflags].so*, where the
 *       micro comes from the version string of (d) when there is exactly one;
 *   (d) the strings of .rodata: the cache tag "cpython-XY" (sys.implementation,
 *       3.3+) gives X.Y, and the PY_VERSION literal "X.Y.Z" gives the micro.
 *       The literal is always in the file (Py_GetVersion formats it), but the
 *       linker may merge it into the tail of a longer string such as the
 *       pyenv prefix "/root/.pyenv/versions/3.9.18", so it is looked for at
 *       the end of every string, after a character that is not a digit or '.'.
 *       2.x has no cache tag: a single "2.Y.Z" string is taken then.
 */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "target/elfsym.h"
#include "python/pyversion.h"

#define RODATA_CHUNK 65536 /* bytes of .rodata read at a time */
#define RODATA_OVERLAP 64 /* re-read bytes between chunks: > the longest token looked for */
#define RODATA_SCAN_MAX (64u << 20) /* bytes of .rodata scanned; beyond: not looked at */
#define TOKEN_MAX 16 /* longest version literal looked for ("3.13.10rc2+") */
#define TAG_MAX 11 /* longest cache tag looked for ("cpython-313") */
#define CANDS_MAX 64 /* distinct version literals kept; beyond: the micro stays unknown */

/* A version literal or cache tag found in .rodata. */
struct ver_cand {
	uint8_t major, minor, micro;
	uint32_t hex;
};

/* What the .rodata scan found: distinct literals and distinct cache tags. */
struct rodata_scan {
	struct ver_cand cands[CANDS_MAX];
	size_t nr_cands;
	bool cands_overflow;
	struct ver_cand tags[2]; /* more than one distinct tag is a conflict */
	size_t nr_tags;
};

/* Whether hex is a plausible PY_VERSION_HEX: 2.x..9.x, release level a, b, c or f. */
static bool hex_valid(uint64_t hex)
{
	unsigned level = (hex >> 4) & 0xf;

	if (hex > UINT32_MAX || (hex >> 24) < 2 || (hex >> 24) > 9)
		return false;
	if (((hex >> 16) & 0xff) > 99 || ((hex >> 8) & 0xff) > 99)
		return false;
	return level == 0xa || level == 0xb || level == 0xc || level == 0xf;
}

/* Fill out from a full PY_VERSION_HEX. */
static void set_from_hex(struct py_version *out, uint32_t hex, const char *source)
{
	out->major = hex >> 24;
	out->minor = (hex >> 16) & 0xff;
	out->micro = (hex >> 8) & 0xff;
	out->hex = hex;
	out->source = source;
}

/* Little-endian unsigned value of n <= 8 bytes. */
static uint64_t le_value(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* (a) 3.11+: Py_Version, a const unsigned long in the file's read-only data. */
static int from_py_version(struct elfsym *e, struct py_version *out)
{
	struct elfsym_sym sym;
	uint8_t buf[8];
	uint64_t hex;
	ssize_t n;

	if (elfsym__lookup(e, "Py_Version", &sym))
		return -ENOENT;
	if (sym.size != 4 && sym.size != 8)
		return -ENOENT;
	n = elfsym__read_vaddr(e, sym.value, buf, sym.size);
	if (n != (ssize_t)sym.size)
		return -ENOENT;
	hex = le_value(buf, sym.size);
	if (!hex_valid(hex))
		return -ENOENT;
	set_from_hex(out, (uint32_t)hex, "Py_Version");
	return 0;
}

/* (b) 3.13+: _Py_DebugOffsets at the start of .PyRuntime (or of _PyRuntime). */
static int from_debug_offsets(struct elfsym *e, struct py_version *out)
{
	struct elfsym_section sec;
	struct elfsym_sym sym;
	uint64_t addr, hex;
	uint8_t buf[16];

	if (elfsym__section(e, ".PyRuntime", &sec) == 0)
		addr = sec.addr;
	else if (elfsym__lookup(e, "_PyRuntime", &sym) == 0)
		addr = sym.value;
	else
		return -ENOENT;
	if (elfsym__read_vaddr(e, addr, buf, sizeof(buf)) != sizeof(buf))
		return -ENOENT;
	if (memcmp(buf, "xdebugpy", 8) != 0)
		return -ENOENT;
	hex = le_value(buf + 8, 8);
	if (!hex_valid(hex))
		return -ENOENT;
	set_from_hex(out, (uint32_t)hex, "debug offsets");
	return 0;
}

/* Parse 1..max decimal digits at *p into *v; advance *p. */
static bool take_num(const char **p, const char *end, unsigned max, unsigned *v)
{
	unsigned n = 0;

	*v = 0;
	while (*p < end && **p >= '0' && **p <= '9' && n < max) {
		*v = *v * 10 + (unsigned)(**p - '0');
		(*p)++;
		n++;
	}
	return n > 0 && (*p >= end || **p < '0' || **p > '9');
}

/* Parse a release suffix ("", "+", "a1", "b2", "rc1", "rc1+") into level and serial. */
static bool take_release(const char *p, const char *end, unsigned *level, unsigned *serial)
{
	*level = 0xf;
	*serial = 0;
	if (p < end && (*p == 'a' || *p == 'b')) {
		*level = *p == 'a' ? 0xa : 0xb;
		p++;
	} else if (end - p >= 2 && p[0] == 'r' && p[1] == 'c') {
		*level = 0xc;
		p += 2;
	}
	if (*level != 0xf && (!take_num(&p, end, 2, serial) || *serial > 15))
		return false;
	if (p < end && *p == '+')
		p++;
	return p == end;
}

/* Parse exactly [p, end) as a version literal "X.Y.Z[release]". */
static bool parse_literal(const char *p, const char *end, struct ver_cand *c)
{
	unsigned major, minor, micro, level, serial;

	if (!take_num(&p, end, 1, &major) || p >= end || *p++ != '.')
		return false;
	if (!take_num(&p, end, 2, &minor) || p >= end || *p++ != '.')
		return false;
	if (!take_num(&p, end, 2, &micro) || !take_release(p, end, &level, &serial))
		return false;
	if (major < 2)
		return false;
	c->major = major;
	c->minor = minor;
	c->micro = micro;
	c->hex = major << 24 | minor << 16 | micro << 8 | level << 4 | serial;
	return true;
}

/* Add c to list (of at most max) unless already there; false when full. */
static bool add_cand(struct ver_cand *list, size_t *nr, size_t max, const struct ver_cand *c)
{
	for (size_t i = 0; i < *nr; i++)
		if (list[i].hex == c->hex)
			return true;
	if (*nr >= max)
		return false;
	list[(*nr)++] = *c;
	return true;
}

/* Whether a string may start right after byte i-1 of buf (i == 0: only in the first chunk). */
static bool token_start_ok(const char *buf, size_t i, bool first_chunk, bool need_nul)
{
	if (i == 0)
		return first_chunk;
	if (need_nul)
		return buf[i - 1] == '\0';
	return !(buf[i - 1] >= '0' && buf[i - 1] <= '9') && buf[i - 1] != '.';
}

/* A cache tag "cpython-XY" as the whole string of len bytes ending at the NUL buf[nul]. */
static void scan_tag(const char *buf, size_t nul, size_t len, bool first, struct rodata_scan *s)
{
	const char *p = buf + nul - len;
	struct ver_cand c = { 0 };
	unsigned minor;

	if (memcmp(p, "cpython-", 8) != 0 || !token_start_ok(buf, nul - len, first, true))
		return;
	if (p[8] < '2' || p[8] > '9')
		return;
	c.major = (uint8_t)(p[8] - '0');
	p += 9;
	if (!take_num(&p, buf + nul, 2, &minor) || p != buf + nul)
		return;
	c.minor = (uint8_t)minor;
	c.hex = (uint32_t)c.major << 24 | minor << 16;
	if (!add_cand(s->tags, &s->nr_tags, 2, &c))
		s->nr_tags = 2; /* a third tag: still a conflict */
}

/* Look at the string ending at the NUL buf[nul]: a version literal tail, or a cache tag. */
static void scan_string_end(const char *buf, size_t nul, bool first, struct rodata_scan *s)
{
	size_t from = nul > TOKEN_MAX ? nul - TOKEN_MAX : 0;
	struct ver_cand c;

	/* a literal starts at a digit after a byte that is neither a digit nor '.' */
	for (size_t i = from; i < nul; i++) {
		if (buf[i] < '0' || buf[i] > '9' || !token_start_ok(buf, i, first, false))
			continue;
		if (parse_literal(buf + i, buf + nul, &c) &&
		    !add_cand(s->cands, &s->nr_cands, CANDS_MAX, &c))
			s->cands_overflow = true;
	}
	for (size_t len = TAG_MAX - 1; len <= TAG_MAX; len++)
		if (nul >= len)
			scan_tag(buf, nul, len, first, s);
}

/* Scan n bytes of one chunk for strings ending in it. */
static void scan_chunk(const char *buf, size_t n, bool first, struct rodata_scan *s)
{
	const char *p = buf, *nul;

	while ((nul = memchr(p, '\0', n - (size_t)(p - buf)))) {
		scan_string_end(buf, (size_t)(nul - buf), first, s);
		p = nul + 1;
		if (p >= buf + n)
			break;
	}
}

/* Scan .rodata for version literals and cache tags, a chunk at a time. */
static int scan_rodata(struct elfsym *e, struct rodata_scan *s)
{
	struct elfsym_section sec;
	uint64_t size;
	char *buf;
	ssize_t n;

	memset(s, 0, sizeof(*s));
	if (elfsym__section(e, ".rodata", &sec) || sec.type != SHT_PROGBITS)
		return -ENOENT;
	size = sec.size < RODATA_SCAN_MAX ? sec.size : RODATA_SCAN_MAX;
	buf = malloc(RODATA_CHUNK + RODATA_OVERLAP);
	if (!buf)
		return -ENOMEM;
	for (uint64_t pos = 0; pos < size; pos += RODATA_CHUNK) {
		uint64_t want = size - pos;

		if (want > RODATA_CHUNK + RODATA_OVERLAP)
			want = RODATA_CHUNK + RODATA_OVERLAP;
		if (sec.addr + pos < sec.addr)
			break;
		n = elfsym__read_vaddr(e, sec.addr + pos, buf, want);
		if (n <= 0)
			break;
		scan_chunk(buf, (size_t)n, pos == 0, s);
	}
	free(buf);
	return 0;
}

/* The one distinct literal for major.minor, or NULL (none, several, or too many to tell). */
static const struct ver_cand *literal_for(const struct rodata_scan *s, unsigned major,
					  unsigned minor)
{
	const struct ver_cand *found = NULL;

	if (s->cands_overflow)
		return NULL;
	for (size_t i = 0; i < s->nr_cands; i++) {
		if (s->cands[i].major != major || s->cands[i].minor != minor)
			continue;
		if (found)
			return NULL;
		found = &s->cands[i];
	}
	return found;
}

/* Set major.minor (micro unknown), refined by a unique literal; source by refinement. */
static void set_major_minor(struct py_version *out, unsigned major, unsigned minor,
			    const struct rodata_scan *s, const char *alone, const char *refined)
{
	const struct ver_cand *lit = literal_for(s, major, minor);

	if (lit) {
		set_from_hex(out, lit->hex, refined);
		return;
	}
	out->major = major;
	out->minor = minor;
	out->micro = PY_MICRO_UNKNOWN;
	out->hex = (uint32_t)major << 24 | minor << 16;
	out->source = alone;
}

/* Parse "libpythonX.Y[abiflags].so[.*]" (the file name, without directories). */
static bool parse_libpython(const char *name, unsigned *major, unsigned *minor)
{
	const char *p = name, *end;

	if (strncmp(p, "libpython", 9) != 0)
		return false;
	p += 9;
	end = p + strnlen(p, 32);
	if (!take_num(&p, end, 1, major) || *major < 2 || p >= end || *p++ != '.')
		return false;
	if (!take_num(&p, end, 2, minor))
		return false;
	while (p < end && strchr("dmtu", *p) && *p)
		p++; /* ABI flags: 3.6m, 3.8d, 3.13t */
	return strncmp(p, ".so", 3) == 0 && (p[3] == '\0' || p[3] == '.');
}

/* (c) DT_SONAME, then the file name of path. */
static int from_names(struct elfsym *e, const char *path, const struct rodata_scan *s,
		      struct py_version *out)
{
	const char *soname = elfsym__soname(e), *base;
	unsigned major, minor;

	if (soname && parse_libpython(soname, &major, &minor)) {
		set_major_minor(out, major, minor, s, "soname", "soname + version string");
		return 0;
	}
	if (!path)
		return -ENOENT;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (!parse_libpython(base, &major, &minor))
		return -ENOENT;
	set_major_minor(out, major, minor, s, "file name", "file name + version string");
	return 0;
}

/* (d) The cache tag, or for 2.x (no tag) a single "2.Y.Z" literal. */
static int from_strings(const struct rodata_scan *s, struct py_version *out)
{
	const struct ver_cand *two = NULL;

	if (s->nr_tags == 1) {
		set_major_minor(out, s->tags[0].major, s->tags[0].minor, s, "cache tag",
				"cache tag + version string");
		return 0;
	}
	if (s->nr_tags > 1 || s->cands_overflow)
		return -ENOENT;
	for (size_t i = 0; i < s->nr_cands; i++) {
		if (s->cands[i].major != 2)
			continue;
		if (two)
			return -ENOENT;
		two = &s->cands[i];
	}
	if (!two)
		return -ENOENT;
	set_from_hex(out, two->hex, "version string");
	return 0;
}

/* Whether the file holds a CPython runtime at all (every version exports these). */
static bool is_cpython_runtime(struct elfsym *e)
{
	return elfsym__lookup(e, "_PyRuntime", NULL) == 0 ||
	       elfsym__lookup(e, "Py_Initialize", NULL) == 0;
}

/* Try (a) to (d) in order; on -ENOENT, out->source says why nothing was found. */
int pyversion_detect(struct elfsym *e, const char *path, struct py_version *out)
{
	struct rodata_scan *s;
	int err;

	if (!e || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->source = "not a CPython runtime (no _PyRuntime or Py_Initialize)";
	if (!is_cpython_runtime(e))
		return -ENOENT;
	if (from_py_version(e, out) == 0 || from_debug_offsets(e, out) == 0)
		return 0;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	err = scan_rodata(e, s);
	if (err == -ENOMEM)
		goto out_scan;
	err = from_names(e, path, s, out);
	if (err)
		err = from_strings(s, out);
	if (err)
		out->source = "no version in the file (no Py_Version, debug offsets, "
			      "libpython name or version string)";
out_scan:
	free(s);
	return err;
}

/* "3.11.7", "3.13.0rc1", or "3.11" when the micro is unknown. */
const char *pyversion_str(const struct py_version *v, char *buf, unsigned len)
{
	unsigned level, serial;
	const char *rel;

	if (!buf || len == 0)
		return "";
	if (!v) {
		snprintf(buf, len, "?");
		return buf;
	}
	if (v->micro == PY_MICRO_UNKNOWN) {
		snprintf(buf, len, "%u.%u", v->major, v->minor);
		return buf;
	}
	level = (v->hex >> 4) & 0xf;
	serial = v->hex & 0xf;
	rel = level == 0xa ? "a" : level == 0xb ? "b" : level == 0xc ? "rc" : NULL;
	if (rel)
		snprintf(buf, len, "%u.%u.%u%s%u", v->major, v->minor, v->micro, rel, serial);
	else
		snprintf(buf, len, "%u.%u.%u", v->major, v->minor, v->micro);
	return buf;
}
