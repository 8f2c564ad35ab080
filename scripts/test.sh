#!/usr/bin/env bash
# Quick start 2: install, build, and run every test (unit, fuzz corpora, offsets, e2e).
# Usage: scripts/test.sh [ctest args], e.g. scripts/test.sh -L unit
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# CPython 3.14/3.15 (normal and debug builds) in a Debian sid root: cached after the first run
scripts/sid-root.sh
scripts/build.sh
if [ "$(id -u)" != 0 ]; then
	echo "test: the end-to-end tests load BPF programs and need root" >&2
	exit 1
fi
(cd build && ctest --output-on-failure "$@")
# a bounded libFuzzer run of every fuzz target (ASan + UBSan), beyond the corpus replays above
if [ $# -eq 0 ]; then
	scripts/fuzz.sh "${PS_FUZZ_SECONDS:-15}"
fi
