#!/usr/bin/env bash
# Print the instruction count of every BPF program section in the built objects
# (one line per section: programs of one SEC() name, e.g. the uprobes, add up).
# Usage: scripts/bpf-insns.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
for obj in "$build"/*.bpf.o; do
	# "Idx Name Size VMA Type": program sections are TEXT other than .text (subprograms)
	llvm-objdump -h "$obj" | while read -r _ name size _ type; do
		[[ ${type:-} == TEXT && $name != .text ]] || continue
		printf "%-16s %-32s %6d insns\n" "$(basename "$obj")" "$name" $((16#$size / 8))
	done
done
