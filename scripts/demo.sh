#!/usr/bin/env bash
# Quick start 1: install, build, and profile the bundled demo workload.
# Writes out/demo.svg (interactive flame graph) and out/demo-summary.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p out
py=$(command -v python3)
echo "demo: profiling examples/demo.py under $py for 5 s"
build/pystrobe record -F 199 -o out/demo.svg --summary out/demo-summary.txt -- \
	"$py" examples/demo.py 5
cat out/demo-summary.txt
echo "demo: flame graph in out/demo.svg, summary in out/demo-summary.txt"
