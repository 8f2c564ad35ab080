#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regenerate user/async/async_layouts.c, the asyncio layout table of
# `record --async`, from the headers of every installed CPython 3.11-3.15
# (pyenv, Debian's, and the Debian sid root's 3.14 and 3.15 with their debug
# builds: scripts/sid-root.sh), compiled with scripts/async_probe.c. For
# 3.14+ the probe's copy of TaskObj is also checked against the .AsyncioDebug
# section _asyncio was compiled with (its size and where the name, the
# coroutine and the list node are). A minor version in the committed table
# whose headers are not here keeps its committed entry ("missing").
#
# Usage: scripts/gen-async-offsets.sh [--check]
#   --check  diff against the committed table instead of overwriting (exit 1 on change)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/user/async/async_layouts.c
PYENV_DIR=${PYENV_VERSIONS_DIR:-/root/.pyenv/versions}
SYS_INC=${SYSTEM_INCLUDE_DIR:-/usr/include}
SID_INC=${PYSTROBE_SID_ROOT:-/var/cache/pystrobe/sid}/usr/include
CC=${CC:-cc}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FIELDS=(major minor task_size task_callback0 task_fut_waiter task_coro task_name gen_iframe
	gc_gen0 gc_gen1 gc_gen2 gc_head_size func_closure cell_ref tuple_items tuple_size type_name)
# struct _Py_AsyncioModuleDebugOffsets (3.14+, Modules/_asynciomodule.c): the
# first u64s of its asyncio_task_object group, by name
SECTION_FIELDS=(task_size task_name task_awaited_by task_is_task task_awaited_by_is_set
	task_coro task_node)

# key=value lines of the probe for include dir $1, into file $2. A root's
# pyconfig.h includes <x86_64-linux-gnu/pythonX.Y/pyconfig.h>: the shim names
# that one directory (for a debug build both names), so the host's libc
# headers are the only others used.
probe() {
	local flags=(-DPy_BUILD_CORE -isystem "$1") base arch
	base=$(basename "$1")
	arch=$1/../x86_64-linux-gnu/$base
	if [[ -d $arch ]]; then
		mkdir -p "$2.shim/x86_64-linux-gnu"
		ln -sfn "$(cd "$arch" && pwd)" "$2.shim/x86_64-linux-gnu/$base"
		ln -sfn "$(cd "$arch" && pwd)" "$2.shim/x86_64-linux-gnu/${base%d}"
		flags+=(-isystem "$2.shim")
	fi
	"$CC" "${flags[@]}" -o "$2.bin" "$ROOT/scripts/async_probe.c"
	"$2.bin" >"$2"
}

# The ELF file of include dir $1's build whose _asyncio carries .AsyncioDebug
# (a lib-dynload module, or the interpreter it is built into), or nothing.
section_file() {
	local prefix ver mm f
	prefix=$(cd "$1/../.." && pwd)
	ver=$(basename "$1")
	ver=${ver#python}
	mm=${ver%d}
	for f in "$prefix/lib/python$mm/lib-dynload/_asyncio.cpython-${mm/./}${ver#"$mm"}-"*.so \
		"$prefix/bin/python$ver"; do
		[[ -f $f ]] && objcopy --dump-section .AsyncioDebug="$TMP/section" "$f" "$TMP/discard" \
			2>/dev/null && echo "$f" && return 0
	done
	return 0
}

# 3.14+: the probe output $2 (of include dir $1) agrees with _asyncio's .AsyncioDebug.
check_section() {
	local f i k v got
	[[ $(sed -n 's/^minor=//p' "$2") -ge 14 ]] || return 0
	f=$(section_file "$1")
	[[ -n $f ]] || { echo "gen-async-offsets: $1: no _asyncio with .AsyncioDebug" >&2; exit 1; }
	read -r -a got <<<"$(od -An -v -t u8 -N $((8 * ${#SECTION_FIELDS[@]})) "$TMP/section" | tr "\n" " ")"
	for i in 0 1 5 6; do
		k=${SECTION_FIELDS[$i]}
		v=$(sed -n "s/^$k=//p" "$2")
		[[ ${got[$i]} == "$v" ]] || {
			echo "gen-async-offsets: $1: $k is ${got[$i]} in $f's .AsyncioDebug, $v in the probe" >&2
			exit 1
		}
	done
}
# the table entry of probe output $1
entry() {
	local f v=() k
	for k in "${FIELDS[@]}"; do
		v+=("$(sed -n "s/^$k=//p" "$1")")
	done
	printf '\t{ .major = %s, .minor = %s, .task_size = %s, .task_callback0 = %s,\n' "${v[@]:0:4}"
	printf '\t  .task_fut_waiter = %s, .task_coro = %s, .task_name = %s, .gen_iframe = %s,\n' "${v[@]:4:4}"
	printf '\t  .gc_gen = { %s, %s, %s }, .gc_head_size = %s, .func_closure = %s,\n' "${v[@]:8:5}"
	printf '\t  .cell_ref = %s, .tuple_items = %s, .var_size = %s, .type_name = %s },\n' "${v[@]:13:4}"
}

# The committed entry of minor version $1 (clang-formatted: it ends at .type_name).
committed() {
	awk -v m="$1" '/\{ \.major = 3,/ { buf = ""; keep = 0 }
		{ buf = buf $0 "\n" } $0 ~ "\\.minor = " m "," { keep = 1 }
		/\.type_name = [0-9]+ \},$/ { if (keep) printf "%s", buf; keep = 0 }' "$OUT"
}

n=0
for d in "$PYENV_DIR"/*/include/python3.1[1-5] "$SYS_INC"/python3.1[1-5] \
	"$SID_INC"/python3.1[45] "$SID_INC"/python3.1[45]d; do
	[[ -f $d/Python.h ]] || continue
	n=$((n + 1))
	probe "$d" "$TMP/$n"
	check_section "$d" "$TMP/$n"
	entry "$TMP/$n" >"$TMP/e.$(sed -n 's/^minor=//p' "$TMP/$n").$n"
done
((n)) || { echo "gen-async-offsets: no CPython 3.11-3.15 headers found" >&2; exit 1; }
# several builds of one minor version (pyenv 3.11.7, Debian 3.11.2; 3.14 and
# its debug build 3.14d) must agree
for m in 11 12 13 14 15; do
	if ! ls "$TMP"/e."$m".* >/dev/null 2>&1; then
		committed "$m" >"$TMP/m.$m"
		[[ -s $TMP/m.$m ]] && echo "gen-async-offsets: 3.$m: no headers here, entry kept (missing)" >&2
		continue
	fi
	first=$(ls "$TMP"/e."$m".* | head -1)
	for f in "$TMP"/e."$m".*; do
		cmp -s "$first" "$f" || { echo "gen-async-offsets: 3.$m builds disagree" >&2; exit 1; }
	done
	cp "$first" "$TMP/m.$m"
done
{
	cat <<'HDR'
// SPDX-License-Identifier: MIT
/* Generated by scripts/gen-async-offsets.sh from scripts/async_probe.c: do not edit. */
#include <stddef.h>
#include "async/async_layout.h"

static const struct async_layout layouts[] = {
HDR
	cat "$TMP"/m.*
	cat <<'FTR'
};

const struct async_layout *async_layout_find(unsigned major, unsigned minor)
{
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (layouts[i].major == major && layouts[i].minor == minor)
			return &layouts[i];
	return NULL;
}
FTR
} >"$TMP/raw.c"
# the committed file is formatted like every C file of the tree
clang-format-14 --style=file --assume-filename="$OUT" <"$TMP/raw.c" >"$TMP/out.c"
if [[ ${1:-} == --check ]]; then
	diff -u "$OUT" "$TMP/out.c" && echo "gen-async-offsets: $OUT matches the headers"
else
	cp "$TMP/out.c" "$OUT"
fi
