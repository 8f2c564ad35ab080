#!/usr/bin/env bash
# Install the Debian packages pystrobe needs to build and test (idempotent).
# Usage: scripts/install-deps.sh        (needs root; a no-op when all are present)
set -euo pipefail

PKGS=(
	clang llvm gcc make cmake pkg-config      # build, BPF compiler, llvm-strip
	libbpf-dev bpftool libelf-dev zlib1g-dev   # libbpf 1.1, skeletons, ELF, gzip
	libdw-dev                                  # DWARF: inlined drop_gil copies (GIL accounting)
	libcurl4-openssl-dev                       # agent: HTTP push
	python3.11-dbg                             # Debian python3.11's symbols (take_gil/drop_gil)
	libcriterion-dev                           # unit tests
	libclang-rt-14-dev                         # libFuzzer and sanitizers for fuzz targets
	libxml2-utils                              # xmllint: SVG well-formedness in tests
	strace                                     # syscall counts to compare with (test_syscalls)
	python3                                    # the e2e test driver
	golang-go                                  # go tool pprof: reads our pprof files in tests
	nodejs                                     # speedscope's importer and playwright in tests (npm
	                                           # comes with it; Debian's npm conflicts with nodesource)
	tmux                                       # drives `pystrobe top` in tests (send-keys, capture-pane)
	chromium                                   # renders flame graph SVGs and speedscope in tests
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all ${#PKGS[@]} packages present"
elif [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages: ${missing[*]} (run as root to install them)" >&2
	exit 1
else
	echo "install-deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y --no-install-recommends "${missing[@]}"; then
		apt-get update
		apt-get install -y --no-install-recommends "${missing[@]}"
	fi
fi

# playwright-core (npm) drives Debian's chromium in tests/e2e/test_svg_browser.py; it lives
# outside the repo, in a cache directory the test reads from the same variable
NODE_DIR="${PYSTROBE_NODE_DIR:-/var/cache/pystrobe/node}"
PLAYWRIGHT_VERSION=1.65.1
if ! command -v npm >/dev/null; then
	echo "install-deps: npm not found (the machine's Node.js ships it): the browser test will fail" >&2
elif [ ! -f "$NODE_DIR/node_modules/playwright-core/package.json" ]; then
	echo "install-deps: npm install playwright-core@$PLAYWRIGHT_VERSION into $NODE_DIR"
	mkdir -p "$NODE_DIR"
	npm install --prefix "$NODE_DIR" --no-audit --no-fund \
		"playwright-core@$PLAYWRIGHT_VERSION"
fi
