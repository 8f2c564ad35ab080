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
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all ${#PKGS[@]} packages present"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages: ${missing[*]} (run as root to install them)" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends "${missing[@]}"; then
	apt-get update
	apt-get install -y --no-install-recommends "${missing[@]}"
fi
