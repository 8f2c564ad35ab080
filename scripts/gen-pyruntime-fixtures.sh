#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Extract the start of the .PyRuntime ELF section (where 3.13+ keeps
# _Py_DebugOffsets) from installed libpython builds into tests/data/pyruntime/,
# and write the libFuzzer seeds of tests/fuzz/fuzz_debug_offsets.c into
# tests/fuzz/corpus/debug_offsets/: the real 3.13 bytes plus mutations that
# must be rejected. Mutation positions come from scripts/offsets_probe.c built
# against the 3.13 headers, never typed in. Idempotent.
#
# 3.14 and 3.15 (release and debug builds) come from the Debian sid root of
# scripts/sid-root.sh ($PYSTROBE_SID_ROOT): their interpreters are static
# (no libpython), so the section is taken from /usr/bin/pythonX.Y[d]. Their
# fixtures are named by minor version (sid moves: README.md records which
# patch release was taken); their seeds are the real bytes, the block cut to
# its exact size, and header mutations (free_threaded, an unknown version).
#
# Usage: scripts/gen-pyruntime-fixtures.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA=$ROOT/tests/data/pyruntime
CORPUS=$ROOT/tests/fuzz/corpus/debug_offsets
PYENV_DIR=${PYENV_VERSIONS_DIR:-/root/.pyenv/versions}
NBYTES=1024 # sizeof(_Py_DebugOffsets) is 584 in 3.13
CC=${CC:-cc}
# version -> libpython inside the pyenv build; 3.12 has a .PyRuntime section but no debug offsets
declare -A LIBS=([3.13.0]=lib/libpython3.13.so.1.0 [3.12.1]=lib/libpython3.12.so.1.0)
SID=${PYSTROBE_SID_ROOT:-/var/cache/pystrobe/sid}
SID_BUILDS=(3.14 3.14d 3.15 3.15d) # fixture name == /usr/bin/python<name> in the root
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

die() {
	echo "gen-pyruntime-fixtures: $*" >&2
	exit 1
}

# Write the first NBYTES of lib $1's .PyRuntime section into $2.
extract() {
	objcopy --dump-section .PyRuntime="$TMP/section" "$1" "$TMP/discard" ||
		die "$1: no .PyRuntime section"
	head -c "$NBYTES" "$TMP/section" >"$2.tmp"
	[[ $(stat -c %s "$2.tmp") == "$NBYTES" ]] || die "$1: .PyRuntime shorter than $NBYTES"
	mv "$2.tmp" "$2"
}

# Overwrite the little-endian u64 at byte $2 of file $1 with $3.
put_u64() {
	local i bytes=""
	for i in 0 1 2 3 4 5 6 7; do
		bytes+=$(printf '\\x%02x' $((($3 >> (8 * i)) & 0xff)))
	done
	printf '%b' "$bytes" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# The _Py_DebugOffsets position named $1 (e.g. dbg.tstate_thread_id) in the 3.13 headers.
position() {
	local v
	v=$(sed -n "s/^$1=//p" "$TMP/probe.txt")
	[[ -n $v ]] || die "the 3.13 probe printed no $1"
	echo "$v"
}

# Seed $1: a copy of the real bytes with the u64 at position key $2 set to $3.
mutant() {
	cp "$DATA/3.13.0.bin" "$CORPUS/$1"
	put_u64 "$CORPUS/$1" "$(position "$2")" "$3"
}

# The seeds: the real bytes and mutations of the header and of single offsets.
gen_corpus() {
	local inc=$PYENV_DIR/3.13.0/include/python3.13
	"$CC" -std=gnu11 -DPy_BUILD_CORE -I"$inc" -I"$inc/internal" \
		"$ROOT/scripts/offsets_probe.c" -o "$TMP/probe" || die "$inc: probe build failed"
	"$TMP/probe" >"$TMP/probe.txt"
	mkdir -p "$CORPUS"
	cp "$DATA/3.13.0.bin" "$CORPUS/3.13.0-real"
	cp "$DATA/3.12.1.bin" "$CORPUS/3.12.1-no-cookie"
	head -c "$(position dbg.size)" "$DATA/3.13.0.bin" >"$CORPUS/3.13.0-exact-size"
	head -c 300 "$DATA/3.13.0.bin" >"$CORPUS/3.13.0-short"
	cp "$DATA/3.13.0.bin" "$CORPUS/bad-cookie"
	printf 'X' | dd of="$CORPUS/bad-cookie" bs=1 seek=0 conv=notrunc status=none
	mutant version-3.14 dbg_hdr.version $((0x030e00f0))
	mutant version-3.12 dbg_hdr.version $((0x030c01f0))
	mutant free-threaded dbg_hdr.free_threaded 1
	mutant thread-id-past-read-max dbg.tstate_thread_id 4096
	mutant owner-all-ones dbg.frame_owner -1
	mutant firstlineno-unaligned dbg.code_firstlineno 66
	mutant gil-locked-below-gil dbg.interp_gil_locked 8
}

# The u64 at byte $2 of file $1, in decimal.
get_u64() {
	od -A n -t u8 -j "$2" -N 8 "$1" | tr -d ' '
}

# Seeds of one sid build's fixture $1 (e.g. 3.14): real, exact size, header mutations.
sid_seeds() {
	local bin=$DATA/$1.bin size
	size=$(sid_dbg_size "$1")
	cp "$bin" "$CORPUS/$1-real"
	head -c "$size" "$bin" >"$CORPUS/$1-exact-size"
	head -c $((size - 8)) "$bin" >"$CORPUS/$1-one-short"
	cp "$bin" "$CORPUS/$1-free-threaded"
	put_u64 "$CORPUS/$1-free-threaded" 16 1
	cp "$bin" "$CORPUS/$1-version-3.16"
	put_u64 "$CORPUS/$1-version-3.16" 8 $((0x031000f0))
}

# sizeof(_Py_DebugOffsets) of sid build $1, from the probe built against its headers.
sid_dbg_size() {
	local inc=$SID/usr/include/python$1 shim=$TMP/shim-$1 v
	mkdir -p "$shim/x86_64-linux-gnu"
	ln -sfn "$SID/usr/include/x86_64-linux-gnu/python$1" "$shim/x86_64-linux-gnu/python$1"
	ln -sfn "$SID/usr/include/x86_64-linux-gnu/python$1" "$shim/x86_64-linux-gnu/python${1%d}"
	"$CC" -std=gnu11 -DPy_BUILD_CORE -isystem "$inc" -isystem "$inc/internal" -isystem "$shim" \
		"$ROOT/scripts/offsets_probe.c" -o "$TMP/probe-$1" || die "$inc: probe build failed"
	v=$("$TMP/probe-$1" | sed -n 's/^dbg.size=//p')
	[[ -n $v ]] || die "$inc: the probe printed no dbg.size"
	echo "$v"
}

# Extract every sid build's .PyRuntime start; print the versions taken.
gen_sid() {
	local b exe
	for b in "${SID_BUILDS[@]}"; do
		exe=$SID/usr/bin/python$b
		[[ -f $exe ]] || die "missing: $exe (run scripts/sid-root.sh)"
		extract "$exe" "$DATA/$b.bin"
		echo "gen-pyruntime-fixtures: $exe ($(printf '0x%08x' "$(get_u64 "$DATA/$b.bin" 8)")) -> tests/data/pyruntime/$b.bin"
		sid_seeds "$b"
	done
}

main() {
	local ver lib
	mkdir -p "$DATA"
	for ver in "${!LIBS[@]}"; do
		lib=$PYENV_DIR/$ver/${LIBS[$ver]}
		[[ -f $lib ]] || die "missing: $lib"
		extract "$lib" "$DATA/$ver.bin"
		echo "gen-pyruntime-fixtures: $lib -> tests/data/pyruntime/$ver.bin"
	done
	gen_corpus
	gen_sid
	echo "gen-pyruntime-fixtures: $(find "$CORPUS" -type f | wc -l) seeds in tests/fuzz/corpus/debug_offsets"
}

main "$@"
