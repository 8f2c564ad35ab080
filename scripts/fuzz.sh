#!/usr/bin/env bash
# Build the libFuzzer targets (clang, ASan+UBSan) into build-fuzz/ and run each
# for SECONDS (default 30) on a copy of its corpus. Exit 1 on any crash.
# Usage: scripts/fuzz.sh [SECONDS] [target ...]   e.g. scripts/fuzz.sh 600 elfsym
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
shift || true
CC=clang cmake -S . -B build-fuzz -DPS_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in tests/fuzz/fuzz_*.c; do t=$(basename "$f" .c); targets+=("${t#fuzz_}"); done
fi
cmake --build build-fuzz -j"$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null
# every UBSan finding aborts (built with -fno-sanitize-recover=all; halt_on_error says it again)
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for t in "${targets[@]}"; do
	work=$(mktemp -d)
	cp -r "tests/fuzz/corpus/$t/." "$work/"
	echo "fuzz: $t for ${secs}s"
	rc=0
	build-fuzz/tests/fuzz_"$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$work/" "$work" >"$work.log" 2>&1 || rc=$?
	# a sanitizer report fails the run even if libFuzzer's exit status did not say so
	if [ $rc -ne 0 ] || grep -qE "runtime error:|ERROR: (Address|Leak)Sanitizer" "$work.log"; then
		grep -m1 -A30 -E "runtime error:|ERROR: |==ERROR|deadly signal" "$work.log" || tail -40 "$work.log"
		echo "fuzz: $t FAILED (exit $rc); full log kept: $work.log; input: $work/crash-*" >&2
		exit 1
	fi
	grep -h "stat::number_of_executed_units" "$work.log" | sed "s/^/fuzz: $t /"
	rm -f "$work.log"
	rm -rf "$work"
done
