#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regenerate the line-table fixtures in tests/data/linetable/<version>.txt from
# every installed CPython, and the libFuzzer seeds in tests/fuzz/corpus/linetable/.
#
# Usage: scripts/gen-linetable-fixtures.sh [--check]
#   --check  regenerate into a temporary directory and diff against the
#            committed files instead of overwriting them (exit 1 on change)
#
# Each interpreter runs scripts/linetable_dump.py, which compiles
# tests/data/linetable/tricky.py plus a few stdlib modules and cross-checks
# every position against the interpreter's own PyCode_Addr2Line. Idempotent:
# the same interpreters give byte-identical files.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA=$ROOT/tests/data/linetable
CORPUS=$ROOT/tests/fuzz/corpus/linetable
TMP="" # --check's scratch directory, removed on exit
export PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1
BUDGET=280000 # bytes per fixture file: keeps each under ~300 KB
MODULES=(textwrap difflib argparse inspect tarfile)
INTERPRETERS=(
	/root/.pyenv/versions/2.7.18/bin/python
	/root/.pyenv/versions/3.6.15/bin/python
	/root/.pyenv/versions/3.7.16/bin/python
	/root/.pyenv/versions/3.8.18/bin/python
	/root/.pyenv/versions/3.9.18/bin/python
	/root/.pyenv/versions/3.10.13/bin/python
	/root/.pyenv/versions/3.11.7/bin/python
	/root/.pyenv/versions/3.12.1/bin/python
	/root/.pyenv/versions/3.13.0/bin/python
	/usr/bin/python3.11
)
# One seed per (version, function of tricky.py): real tables of every format.
SEED_VERSIONS=(2.7.18 3.9.18 3.10.13 3.11.7 3.13.0)
SEED_FUNCS=(far_lines backwards_moves try_finally)

# Write one fixture per found interpreter into $1; print found / missing.
gen_fixtures() {
	local out=$1 py ver nr_missing=0
	for py in "${INTERPRETERS[@]}"; do
		if [[ ! -x $py ]]; then
			echo "missing: $py" >&2
			nr_missing=$((nr_missing + 1))
			continue
		fi
		ver=$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
		echo "found: $py ($ver)" >&2
		"$py" "$ROOT/scripts/linetable_dump.py" "$DATA/tricky.py" \
			"$out/$ver.txt.tmp" "$BUDGET" "${MODULES[@]}" >&2
		mv "$out/$ver.txt.tmp" "$out/$ver.txt"
	done
	echo "$((${#INTERPRETERS[@]} - nr_missing)) interpreters found, $nr_missing missing" >&2
}

# Write fuzz seeds into $2 from the fixtures in $1: byte 0 format, bytes 1-4
# firstlineno (s32 LE), bytes 5-8 position (u32 LE, mid-code), then the table.
gen_seeds() {
	/usr/bin/python3 - "$1" "$2" "${SEED_VERSIONS[*]}" "${SEED_FUNCS[*]}" <<'EOF'
import os, struct, sys
src, dst, versions, funcs = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4].split()
fmts = {"lnotab27": 0, "lnotab": 1, "310": 2, "311": 3}
for ver in versions:
    path = os.path.join(src, ver + ".txt")
    if not os.path.exists(path):
        print("no fixture for seeds: %s" % path, file=sys.stderr)
        continue
    fmt, label = None, None
    for line in open(path):
        word = line.split()
        if word[0] == "fmt":
            fmt = fmts[word[1]]
        elif word[0] == "code":
            label, first, npos = word[1], int(word[2]), int(word[3])
        elif word[0] == "tab" and label.split(":")[2] in funcs and label.startswith("tricky:"):
            tab = b"" if word[1] == "-" else bytes.fromhex(word[1])
            name = "%s-%s" % (ver, label.split(":")[2])
            with open(os.path.join(dst, name), "wb") as fh:
                fh.write(struct.pack("<BiI", fmt, first, npos // 2) + tab)
EOF
}

# Regenerate into a temporary directory; exit 1 if a committed file differs.
check() {
	local f committed stale=0

	TMP=$(mktemp -d)
	trap 'rm -rf "$TMP"' EXIT
	mkdir -p "$TMP/data" "$TMP/corpus"
	gen_fixtures "$TMP/data"
	gen_seeds "$TMP/data" "$TMP/corpus"
	for f in "$TMP"/data/*.txt "$TMP"/corpus/*; do
		case $f in
		*.txt) committed=$DATA/$(basename "$f") ;;
		*) committed=$CORPUS/$(basename "$f") ;;
		esac
		if ! cmp -s "$f" "$committed"; then
			echo "stale: $committed" >&2
			stale=1
		fi
	done
	if ((stale)); then
		echo "line-table fixtures are stale (run $0)" >&2
		exit 1
	fi
	echo "line-table fixtures and seeds are up to date" >&2
}

# Regenerate (or, with --check, compare) fixtures and seeds.
main() {
	local mode=${1:-}
	if [[ $mode != "" && $mode != --check ]]; then
		echo "usage: $0 [--check]" >&2
		exit 2
	fi
	if [[ $mode == --check ]]; then
		check
		return 0
	fi
	mkdir -p "$CORPUS"
	gen_fixtures "$DATA"
	gen_seeds "$DATA" "$CORPUS"
}

main "$@"
