#!/usr/bin/env bash
# Regenerate vmlinux/vmlinux_<kver>.h from the running kernel's BTF and point
# vmlinux/vmlinux.h at it. Never run by the build: the header is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
btf=${1:-/sys/kernel/btf/vmlinux}
kver=$(uname -r)
bpftool btf dump file "$btf" format c > "vmlinux/vmlinux_${kver}.h.tmp"
mv "vmlinux/vmlinux_${kver}.h.tmp" "vmlinux/vmlinux_${kver}.h"
ln -sf "vmlinux_${kver}.h" vmlinux/vmlinux.h
echo "gen-vmlinux: vmlinux/vmlinux_${kver}.h from $btf"
