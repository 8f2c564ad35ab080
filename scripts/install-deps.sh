#!/usr/bin/env bash
# Install the Debian packages pystrobe needs to build and test (idempotent).
# Usage: scripts/install-deps.sh        (needs root; a no-op when all are present)
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(
	clang llvm gcc make cmake pkg-config      # build, BPF compiler, llvm-strip
	libbpf-dev bpftool libelf-dev zlib1g-dev   # libbpf 1.1, skeletons, ELF, gzip
	libdw-dev                                  # DWARF: inlined drop_gil copies (GIL accounting)
	libcurl4-openssl-dev                       # agent: HTTP push
	python3.11-dbg                             # Debian python3.11's symbols (take_gil/drop_gil)
	libpython3.11-dev                          # its headers: offsets table check, test_native's
	                                           # C extension (python3.11-dbg does not pull them)
	gdb                                        # test_discovery: Python inside gdb (a Recommends
	                                           # only, dropped by --no-install-recommends)
	binutils                                   # strip, readelf: test_discovery's library copies
	procps util-linux mount                    # pgrep; unshare, setpriv; mount (containers, attacks)
	libcriterion-dev                           # unit tests
	libclang-rt-14-dev                         # libFuzzer and sanitizers for fuzz targets
	libxml2-utils                              # xmllint: SVG well-formedness in tests
	strace                                     # syscall counts to compare with (test_syscalls)
	python3                                    # the e2e test driver
	golang-go                                  # go tool pprof: reads our pprof files in tests
	nodejs                                     # speedscope's importer and playwright in tests
	tmux                                       # drives `pystrobe top` in tests (send-keys, capture-pane)
	chromium                                   # renders flame graph SVGs and speedscope in tests
	gunicorn python3-flask apache2-utils       # real applications: a pre-fork server driven by ab
	python3-setproctitle                       # gunicorn names its processes "gunicorn: worker [app:app]"
	mercurial black python3-sphinx             # real applications: hg, black, a Sphinx build
	protobuf-compiler python3-protobuf         # an independent decoder for the agent's OTLP export
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

# Debian's nodejs ships no npm (Debian's npm package has it); nodesource's nodejs ships its
# own and conflicts with Debian's npm: install the package only where npm is missing
if ! command -v npm >/dev/null; then
	if [ "$(id -u)" != 0 ]; then
		echo "install-deps: npm missing (run as root to install Debian's npm)" >&2
		exit 1
	fi
	echo "install-deps: installing npm"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends npm
fi

# The browser tests' npm packages (speedscope, playwright-core driving Debian's chromium), at
# the exact versions of tests/e2e/npm-packages.txt, outside the repo in a cache directory the
# tests read from the same variable (tests/e2e/pslib.py node_modules())
NODE_DIR="${PYSTROBE_NODE_DIR:-/var/cache/pystrobe/node}"
pins=()
while read -r pin; do
	case "$pin" in '' | '#'*) continue ;; esac
	name=${pin%@*}
	have=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$NODE_DIR/node_modules/$name/package.json" \
		2>/dev/null || true)
	[ "$have" = "${pin##*@}" ] || pins+=("$pin")
done <tests/e2e/npm-packages.txt
if [ ${#pins[@]} -gt 0 ]; then
	echo "install-deps: npm install ${pins[*]} into $NODE_DIR"
	mkdir -p "$NODE_DIR"
	npm install --prefix "$NODE_DIR" --no-audit --no-fund --save-exact "${pins[@]}"
fi
