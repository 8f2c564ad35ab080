#!/usr/bin/env bash
# Print the instruction count of every BPF program in the built objects.
# Usage: scripts/bpf-insns.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
for obj in "$build"/*.bpf.o; do
	llvm-objdump -h "$obj" | awk -v o="$(basename "$obj")" \
		'$2 !~ /^\./ && $2 ~ /\// { printf "%-16s %-32s %6d insns\n", o, $2, strtonum("0x"$3)/8 }'
done
