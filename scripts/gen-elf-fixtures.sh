#!/usr/bin/env bash
# Build the small ELF fixtures of the elfsym/pyversion unit tests
# (tests/data/elf/) and the seed corpus of fuzz_elfsym
# (tests/fuzz/corpus/elfsym/): tiny gcc -nostdlib objects that carry the
# symbols, sections and strings pystrobe reads in real CPython builds, plus
# truncated and mutated copies. No python binary is copied. Idempotent:
# rerunning rewrites the same files (gcc/ld versions aside).
# Usage: scripts/gen-elf-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
data=tests/data/elf
corpus=tests/fuzz/corpus/elfsym
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$data" "$corpus"

# Keep the files small and reproducible: one page size, no separate code segment.
ldflags=(-Wl,-z,noseparate-code -Wl,-z,max-page-size=4096 -Wl,--hash-style=gnu
	 -Wl,--build-id=sha1)

cat >"$work/tiny.c" <<'C'
/* A shared object with one of each: .rodata constant, .data, .bss, LTO-style local name. */
const unsigned long tiny_const = 0x0102030405060708UL;
unsigned char tiny_bss[4096];
int tiny_data = 42;
static int __attribute__((used, noinline)) lto_gil(int x) __asm__("take_gil.lto_priv.0");
static int lto_gil(int x) { return x + tiny_data; }
int tiny_func(int x) { return lto_gil(x) + tiny_bss[x]; }
C

cat >"$work/fakepy.c" <<'C'
/* A fake CPython runtime: only the symbols, sections and strings version detection reads. */
#define EXPORT __attribute__((used, visibility("default")))
#ifndef NO_INIT
EXPORT void Py_Initialize(void) {}
#endif
#ifdef PYVER_HEX
EXPORT const unsigned long Py_Version = PYVER_HEX;
#endif
#ifdef DEBUG_HEX
struct debug_offsets { char cookie[8]; unsigned long version; unsigned long rest[6]; };
EXPORT struct debug_offsets _PyRuntime __attribute__((section(".PyRuntime"))) = {
	{ 'x', 'd', 'e', 'b', 'u', 'g', 'p', 'y' }, DEBUG_HEX };
#elif defined(RUNTIME)
EXPORT char _PyRuntime[256];
#endif
#ifdef TAG
EXPORT const char cache_tag[] = TAG;
#endif
#ifdef LIT1
EXPORT const char *const version_lit1 = LIT1;
#endif
#ifdef LIT2
EXPORT const char *const version_lit2 = LIT2;
#endif
#ifdef INTERP_HEAD
static void *interp_head __attribute__((used));
#endif
void _start(void) {}
C

cc() { gcc -O1 -fPIC -nostdlib "${ldflags[@]}" "$@"; }
# A stripped non-PIE executable that still has .dynsym (like Debian's python3.11).
exe() { gcc -O1 -nostdlib -no-pie -Wl,-E -Wl,-dynamic-linker,/lib64/ld-linux-x86-64.so.2 \
	"${ldflags[@]}" -s "$work/fakepy.c" -Wl,--no-as-needed "$work/libtiny.so.1" "$@"; }

cc -shared -Wl,-soname,libtiny.so.1 "$work/tiny.c" -o "$data/tiny.so"
cp "$data/tiny.so" "$work/libtiny.so.1"
exe -DRUNTIME -DPYVER_HEX=0x030b04f0UL -DTAG='"cpython-311"' -DLIT1='"3.11.4"' \
	-o "$data/fakepy311"
cc -shared -s -DDEBUG_HEX=0x030d01f0UL "$work/fakepy.c" -o "$data/fakepy313.so"
cc -shared -Wl,-soname,libpython3.8.so.1.0 -DRUNTIME -DTAG='"cpython-38"' \
	-DLIT1='"/opt/python/3.8.12"' -DLIT2='"3.8.12"' "$work/fakepy.c" \
	-o "$data/libpython3.8.so.1.0"
cc -shared -DRUNTIME "$work/fakepy.c" -o "$data/libpython3.7m.so"
exe -DTAG='"cpython-39"' -DLIT1='"3.9.7"' -o "$data/fakepy39"
exe -DTAG='"cpython-310"' -DLIT1='"3.10.1"' -DLIT2='"Python-3.10.2"' -o "$data/fakepy310"
cc -shared -DINTERP_HEAD -DLIT1='"/usr/src/Python-2.7.15"' "$work/fakepy.c" -o "$data/fakepy27"
cc -shared "$work/fakepy.c" -o "$data/fakepy_noversion"
cc -shared -DNO_INIT -DPYVER_HEX=0x030c00f0UL "$work/fakepy.c" -o "$data/notpy.so"

# Hostile files for the unit tests and seeds: every fixture, then broken copies.
find "$corpus" -type f ! -name 'regress-*' -delete # regress-*: fuzzer finds, kept
built=(tiny.so fakepy311 fakepy313.so libpython3.8.so.1.0 libpython3.7m.so fakepy39 fakepy310
       fakepy27 fakepy_noversion notpy.so)
for f in "${built[@]}"; do
	cp "$data/$f" "$corpus/$f"
done
python3 - "$data" "$corpus" <<'PY'
"""Write mutated copies of the fixtures: each breaks one thing pystrobe must survive."""
import os
import struct
import sys

data_dir, corpus_dir = sys.argv[1], sys.argv[2]
EH = '<HHIQQQIHHHHHH'  # e_type .. e_shstrndx, at offset 16
SH = '<IIQQQQIIQQ'     # sh_name type flags addr offset size link info addralign entsize
PH = '<IIQQQQQQ'       # p_type flags offset vaddr paddr filesz memsz align
SYM = '<IBBHQQ'        # st_name info other shndx value size


def ehdr(b):
    return list(struct.unpack_from(EH, b, 16))


def put_ehdr(b, e):
    struct.pack_into(EH, b, 16, *e)


def sections(b):
    """[(index, header offset, fields, name)]"""
    e = ehdr(b)
    shoff, shnum, shstrndx = e[5], e[11], e[12]
    out = [(i, shoff + i * 64, list(struct.unpack_from(SH, b, shoff + i * 64)))
           for i in range(shnum)]
    stroff = out[shstrndx][2][4]
    named = []
    for i, off, f in out:
        n = bytes(b[stroff + f[0]:b.index(b'\0', stroff + f[0])]).decode()
        named.append((i, off, f, n))
    return named


def section(b, name):
    return next((s for s in sections(b) if s[3] == name), None)


def set_sh(b, name, field, value):
    s = section(b, name)
    if not s:
        return False
    s[2][field] = value
    struct.pack_into(SH, b, s[1], *s[2])
    return True


def loads(b, ptype):
    e = ehdr(b)
    return [(e[4] + i * 56, list(struct.unpack_from(PH, b, e[4] + i * 56)))
            for i in range(e[9])
            if struct.unpack_from('<I', b, e[4] + i * 56)[0] == ptype]


def m_shnum_huge(b):
    e = ehdr(b); e[11] = 0xffff; put_ehdr(b, e)


def m_shnum_extended(b):
    e = ehdr(b); shoff = e[5]; e[11] = 0; put_ehdr(b, e)
    struct.pack_into('<Q', b, shoff + 32, 0xffffffff)


def m_shstrndx_bad(b):
    e = ehdr(b); e[12] = 0xfffe; put_ehdr(b, e)


def m_phnum_xnum(b):
    e = ehdr(b); shoff = e[5]; e[9] = 0xffff; put_ehdr(b, e)
    struct.pack_into('<I', b, shoff + 44, 0xffffffff)


def m_no_section_headers(b):
    e = ehdr(b); e[5] = 0; e[11] = 0; e[12] = 0; put_ehdr(b, e)


def m_symtab_links(b):
    dyn = section(b, '.dynsym')
    return (set_sh(b, '.symtab', 6, 0x7fff) | (dyn is not None and set_sh(b, '.dynsym', 6, dyn[0])))


def m_strtabs_without_nul(b):
    hit = False
    for name in ('.strtab', '.dynstr', '.shstrtab'):
        s = section(b, name)
        if s:
            b[s[2][4]:s[2][4] + s[2][5]] = b'A' * s[2][5]
            hit = True
    return hit


def m_symtab_huge(b):
    return set_sh(b, '.symtab', 5, 1 << 40) | set_sh(b, '.dynsym', 5, 1 << 40)


def m_sym_fields(b):
    hit = False
    for name in ('.symtab', '.dynsym'):
        s = section(b, name)
        if not s:
            continue
        for off in range(s[2][4] + 24, s[2][4] + s[2][5], 24):
            f = list(struct.unpack_from(SYM, b, off))
            f[0] = 0xfffffff0 if f[0] % 3 == 0 else f[0]
            f[4] ^= 0xffff000000000000 if f[0] % 3 == 1 else 0
            f[5] = 3 if f[0] % 3 == 2 else f[5]
            struct.pack_into(SYM, b, off, *f)
            hit = True
    return hit


def m_loads_huge(b):
    for off, f in loads(b, 1):
        f[2] = f[5] = f[6] = 1 << 62
        struct.pack_into(PH, b, off, *f)


def m_loads_overlap(b):
    for off, f in loads(b, 1):
        f[3] = 0; f[7] = 3
        struct.pack_into(PH, b, off, *f)


def m_dynamic_bad(b):
    s = section(b, '.dynamic')
    segs = loads(b, 2)
    if not s or not segs:
        return False
    for off in range(s[2][4], s[2][4] + s[2][5], 16):
        tag, val = struct.unpack_from('<qQ', b, off)
        if tag in (5, 14):  # DT_STRTAB, DT_SONAME
            struct.pack_into('<qQ', b, off, tag, val | 0xfffffff000000000)
    return True


def m_note_bad(b):
    s = section(b, '.note.gnu.build-id')
    if not s:
        return False
    struct.pack_into('<I', b, s[2][4], 0xfffffff0)


def m_pyruntime_moved(b):
    return set_sh(b, '.PyRuntime', 3, 0xffffffffffff0000)


def m_rodata_huge(b):
    return set_sh(b, '.rodata', 5, 1 << 40)


MUTATIONS = [m_shnum_huge, m_shnum_extended, m_shstrndx_bad, m_phnum_xnum,
             m_no_section_headers, m_symtab_links, m_strtabs_without_nul, m_symtab_huge,
             m_sym_fields, m_loads_huge, m_loads_overlap, m_dynamic_bad, m_note_bad,
             m_pyruntime_moved, m_rodata_huge]
BASES = ['tiny.so', 'fakepy311', 'fakepy313.so', 'libpython3.8.so.1.0']


def write(name, content):
    with open(os.path.join(corpus_dir, name), 'wb') as f:
        f.write(content)


for base in BASES:
    orig = open(os.path.join(data_dir, base), 'rb').read()
    for m in MUTATIONS:
        b = bytearray(orig)
        if m(b) is False:
            continue
        write('%s-%s' % (base, m.__name__[2:]), bytes(b))
    write(base + '-truncated_half', orig[:len(orig) // 2])
    write(base + '-truncated_at_shdrs', orig[:ehdr(orig)[5] + 100])
tiny = open(os.path.join(data_dir, 'tiny.so'), 'rb').read()
write('truncated_header', tiny[:40])
write('truncated_ehdr_only', tiny[:64])
write('elf32_class', tiny[:4] + b'\x01' + tiny[5:])
write('big_endian', tiny[:5] + b'\x02' + tiny[6:])
write('zeros', bytes(4096))
write('not_elf', b'#!/bin/sh\necho not an ELF file\n')
# Hostile copies for the unit tests.
with open(os.path.join(data_dir, 'truncated.so'), 'wb') as f:
    f.write(tiny[:len(tiny) // 2])
with open(os.path.join(data_dir, 'strtab_without_nul.so'), 'wb') as f:
    b = bytearray(tiny); m_strtabs_without_nul(b); f.write(bytes(b))
with open(os.path.join(data_dir, 'section_count_huge.so'), 'wb') as f:
    b = bytearray(tiny); m_shnum_huge(b); f.write(bytes(b))
with open(os.path.join(data_dir, 'no_section_headers.so'), 'wb') as f:
    b = bytearray(tiny); m_no_section_headers(b); f.write(bytes(b))
PY
echo "corpus: $(ls "$corpus" | wc -l) files, $(du -sb "$corpus" | cut -f1) bytes"
