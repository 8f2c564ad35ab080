#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regenerate user/python/py_layouts.c, the per-version CPython layout table, from the
# headers of every installed CPython.
#
# Usage: scripts/gen-offsets.sh [--check]
#   --check  regenerate into a temporary file and diff it against the committed
#            user/python/py_layouts.c instead of overwriting it (exit 1 on any change)
#
# Builds: /root/.pyenv/versions/*/include/python*/, Debian's
# /usr/include/python*/ and the Debian sid root's (scripts/sid-root.sh: 3.14,
# 3.15 and their debug builds) (override the roots with PYENV_VERSIONS_DIR,
# SYSTEM_INCLUDE_DIR and PYSTROBE_SID_ROOT). The sid headers are compiled by the
# host's compiler against the host's libc headers: only their Python headers
# are taken from the root. Each is compiled with scripts/offsets_probe.c, which
# prints key=value facts (offsetof / sizeof / enum values). One table entry is
# rendered per minor version; when several builds share a minor version (pyenv
# 3.11.7 and Debian 3.11.2) every one is rendered and they must agree. A minor
# version present in the committed table but not installed keeps its
# committed entry, reported as "missing". Idempotent: the same headers give a
# byte-identical file.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/user/python/py_layouts.c
PROBE_SRC=$ROOT/scripts/offsets_probe.c
PYENV_DIR=${PYENV_VERSIONS_DIR:-/root/.pyenv/versions}
SYS_INC=${SYSTEM_INCLUDE_DIR:-/usr/include}
SID_INC=${PYSTROBE_SID_ROOT:-/var/cache/pystrobe/sid}/usr/include
CC=${CC:-cc}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Fields of struct ps_py_offsets in the order they are emitted; *_size are computed.
OFF_FIELDS=(interp_next interp_threads_head tstate_next tstate_thread_id tstate_frame
	cframe_frame tstate_size frame_back frame_code frame_instr frame_owner frame_size
	code_filename code_name code_qualname code_firstlineno code_linetable
	code_firsttraceable code_size obj_type str_len str_state str_ascii_data
	str_compact_data bytes_len bytes_data tstate_interp interp_gil gil_last_holder gil_locked
	instr_kind str_kind owner_skip_min code_tag_mask frame_is_entry)
# Fields BPF reads in each object (pystack.bpf.h): size = max offset + 8.
TSTATE_READ=(tstate_next tstate_thread_id tstate_frame tstate_interp)
FRAME_READ=(frame_back frame_code frame_instr frame_owner frame_is_entry)
CODE_READ=(code_filename code_name code_qualname code_firstlineno code_linetable
	code_firsttraceable obj_type)
# Userspace-only fields of struct py_layout, in order.
LAYOUT_FIELDS=(major minor root_kind lt_fmt lasti_unit gil_kind code_adaptive
	runtime_interp_head runtime_interp_main runtime_tstate_current runtime_gil_locked
	runtime_gil_last_holder tstate_native_thread_id)
# Fields of struct py_debug_pos (3.13+ only).
DBG_FIELDS=(size runtime_size runtime_interp_head interp_size interp_next
	interp_threads_head interp_ceval_gil interp_gil interp_gil_locked interp_gil_holder
	tstate_size tstate_next tstate_interp tstate_frame tstate_thread_id tstate_native_thread_id
	frame_size frame_back frame_code frame_instr frame_owner code_size code_filename
	code_name code_qualname code_linetable code_firstlineno code_adaptive obj_size obj_type
	bytes_size bytes_len bytes_data str_size str_len str_state str_ascii_data)
# Fields of struct py_names_pos (3.8+ only: the thread-name reader, python/pythreads.c).
NAMES_FIELDS=(dict_kind idict_kind long_kind interp_modules module_dict dict_used dict_keys
	dict_values keys_size keys_log2_index_bytes keys_kind keys_nentries keys_indices
	keys_kind_general entry_size uentry_size entry_key entry_value uentry_key uentry_value
	values_values values_valid type_basicsize type_dictoffset type_flags ht_cached_keys
	flag_inline_values flag_managed_dict managed_dict_back long_size long_digit)

die() {
	echo "gen-offsets: $*" >&2
	exit 1
}

# Print "<include dir>" of every installed build, one a line.
find_builds() {
	local d
	for d in "$PYENV_DIR"/*/include/python[23].* "$SYS_INC"/python[23].* "$SID_INC"/python3.*; do
		[[ -f $d/Python.h ]] && echo "$d"
	done
	return 0
}

# Compile and run the probe against include dir $1; output into file $2. The
# Python headers are system headers (-isystem): 3.14's warn under -Wextra.
# Their pyconfig.h includes <x86_64-linux-gnu/pythonX.Y/pyconfig.h>: a shim
# directory names only that one, so that a foreign root's libc stays out.
# Debian's debug headers (pythonX.Yd/) are symlinks into pythonX.Y/ except
# pyconfig.h, so the compiler reaches pythonX.Y/pyconfig.h: the shim gives
# both names the debug build's own multiarch pyconfig.h (Py_DEBUG).
run_probe() {
	local inc=$1 out=$2 exe=$2.bin flags=(-DPy_BUILD_CORE -isystem "$1") shim=$2.shim
	local tuple=x86_64-linux-gnu base arch
	base=$(basename "$inc")
	arch=$inc/../$tuple/$base
	[[ -d $inc/internal ]] && flags+=(-isystem "$inc/internal")
	if [[ -d $arch ]]; then
		mkdir -p "$shim/$tuple"
		ln -sfn "$(cd "$arch" && pwd)" "$shim/$tuple/$base"
		ln -sfn "$(cd "$arch" && pwd)" "$shim/$tuple/${base%d}"
		flags+=(-isystem "$shim")
	fi
	"$CC" -std=gnu11 -Wall -Wextra -Werror "${flags[@]}" "$PROBE_SRC" -o "$exe" ||
		die "$inc: the probe does not compile against these headers"
	"$exe" >"$out" || die "$inc: the probe failed"
}

# Load probe output $1 into the associative array V.
declare -A V
load() {
	local k v
	V=()
	while IFS='=' read -r k v; do
		V[$k]=$v
	done <"$1"
}

# max(offsets of the named off.* fields) + 8; PS_OFF_NONE fields are ignored.
size_of() {
	local f max=-1 v
	for f in "$@"; do
		v=${V[off.$f]:?missing key off.$f}
		[[ $v == PS_OFF_NONE ]] && continue
		((v > max)) && max=$v
	done
	((max >= 0)) || die "no offsets for $*"
	echo $((max + 8))
}

# Check the facts layout.c relies on without a table: the _Py_DebugOffsets header.
check_debug_header() {
	[[ -z ${V[dbg.size]:-} ]] && return 0
	[[ ${V[dbg_hdr.cookie]} == 0 && ${V[dbg_hdr.version]} == 8 &&
		${V[dbg_hdr.free_threaded]} == 16 && ${V[dbg_hdr.cookie_value]} == xdebugpy ]] ||
		die "${V[version]}: _Py_DebugOffsets header differs from layout.c's (cookie@0, version@8, free_threaded@16)"
}

# Render the nested struct $1 of the entry from the keys "$1.<field>" of V, fields $2...
render_group() {
	local group=$1 f
	shift
	printf '\t\t.%s = {\n' "$group"
	for f in "$@"; do
		printf '\t\t\t.%s = %s,\n' "$f" "${V[$group.$f]:?missing key $group.$f}"
	done
	printf '\t\t},\n'
}

# Render the table entry of the probe output in V (clang-format clean).
render_entry() {
	local f v
	V[off.tstate_size]=$(size_of "${TSTATE_READ[@]}")
	V[off.frame_size]=$(size_of "${FRAME_READ[@]}")
	V[off.code_size]=$(size_of "${CODE_READ[@]}")
	check_debug_header
	printf '\t/* CPython %s.%s */\n\t{\n' "${V[major]}" "${V[minor]}"
	for f in "${LAYOUT_FIELDS[@]}"; do
		printf '\t\t.%s = %s,\n' "$f" "${V[$f]:?missing key $f}"
	done
	render_group off "${OFF_FIELDS[@]}"
	[[ -n ${V[dbg.size]:-} ]] && render_group dbg "${DBG_FIELDS[@]}"
	[[ -n ${V[names.dict_used]:-} ]] && render_group names "${NAMES_FIELDS[@]}"
	printf '\t},\n'
}

# The committed entry of minor version $1 (e.g. 3.6), or nothing.
committed_entry() {
	[[ -f $OUT ]] || return 0
	awk -v start="	/* CPython $1 */" '
		$0 == start { on = 1 }
		on { print }
		on && $0 == "\t}," { exit }' "$OUT"
}

# The minor versions of the committed table, one a line.
committed_minors() {
	[[ -f $OUT ]] || return 0
	sed -n 's|^\t/\* CPython \([0-9]*\.[0-9]*\) \*/$|\1|p' "$OUT"
}

emit_header() {
	cat <<'EOF'
// SPDX-License-Identifier: MIT
/*
 * GENERATED by scripts/gen-offsets.sh from scripts/offsets_probe.c compiled
 * against each installed CPython's headers. Do not edit: rerun the script.
 * scripts/gen-offsets.sh --check (a ctest) verifies it against the headers.
 *
 * One entry per minor version (struct py_layout, user/python/layout.h). Absent
 * fields are PS_OFF_NONE (or 0 where layout.h says so); off.*_size is the
 * highest offset BPF reads in that object + 8. .dbg gives the positions of
 * values inside _Py_DebugOffsets (3.13+).
 */
#include <stddef.h>
#include "python/layout.h"

const struct py_layout py_layouts[] = {
EOF
}

emit_footer() {
	printf '};\n\nconst size_t nr_py_layouts = sizeof(py_layouts) / sizeof(py_layouts[0]);\n'
}

# Probe every build into $TMP/<n>.txt and render $TMP/<n>.entry; list "minor n version inc".
probe_all() {
	local inc n=0
	while read -r inc; do
		n=$((n + 1))
		run_probe "$inc" "$TMP/$n.txt"
		load "$TMP/$n.txt"
		render_entry >"$TMP/$n.entry"
		echo "${V[major]}.${V[minor]} $n ${V[version]} $inc"
	done < <(find_builds)
}

# Write the whole table into $1 from the probed builds listed in $2.
assemble() {
	local out=$1 list=$2 minor first
	{
		emit_header
		while read -r minor; do
			first=$(awk -v m="$minor" '($1 "") == m { print $2; exit }' "$list")
			if [[ -n $first ]]; then
				cat "$TMP/$first.entry"
			else
				committed_entry "$minor"
			fi
		done < <({ cut -d' ' -f1 "$list"; committed_minors; } | sort -u -t. -k1,1n -k2,2n)
		emit_footer
	} >"$out"
}

# Every build of one minor version must give the same entry; die naming both if not.
check_agreement() {
	local list=$1 minor n ver inc ref_n ref_ver ref_inc
	while read -r minor n ver inc; do
		read -r ref_n ref_ver ref_inc < <(awk -v m="$minor" \
			'($1 "") == m { print $2, $3, $4; exit }' "$list")
		diff -u "$TMP/$ref_n.entry" "$TMP/$n.entry" >&2 ||
			die "$minor: $ver ($inc) disagrees with $ref_ver ($ref_inc) (diff above)"
	done <"$list"
}

# Print one line per build checked against the committed file, and the missing ones.
report() {
	local list=$1 mode=$2 minor n ver inc verdict
	while read -r minor n ver inc; do
		verdict=found
		if [[ $mode == check ]]; then
			verdict=ok
			cmp -s "$TMP/$n.entry" <(committed_entry "$minor") || verdict=DIFFERS
		fi
		echo "gen-offsets: $ver ($inc): $verdict"
	done <"$list"
	while read -r minor; do
		awk -v m="$minor" '($1 "") == m { f = 1 } END { exit !f }' "$list" ||
			echo "gen-offsets: $minor: missing (no installed build; committed entry kept unchecked)"
	done < <(committed_minors)
}

main() {
	local mode=write list=$TMP/builds new=$TMP/py_layouts.c
	case ${1:-} in
	--check) mode=check ;;
	"") ;;
	*) die "usage: scripts/gen-offsets.sh [--check]" ;;
	esac
	probe_all | sort -t' ' -k1,1V -k3,3V >"$list"
	[[ -s $list ]] || die "no CPython headers under $PYENV_DIR or $SYS_INC"
	assemble "$new" "$list"
	report "$list" "$mode"
	check_agreement "$list"
	if [[ $mode == check ]]; then
		if ! diff -u "$OUT" "$new"; then
			echo "gen-offsets: user/python/py_layouts.c is stale: run scripts/gen-offsets.sh" >&2
			exit 1
		fi
		echo "gen-offsets: user/python/py_layouts.c matches the headers (builds checked: $(wc -l <"$list"))"
		return 0
	fi
	cmp -s "$new" "$OUT" || cp "$new" "$OUT"
	echo "gen-offsets: wrote user/python/py_layouts.c (builds probed: $(wc -l <"$list"))"
}

main "$@"
