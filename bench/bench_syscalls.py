#!/usr/bin/env python3
"""Benchmark of `pystrobe syscalls` (issue 5 bars) on 3,000,000 16-byte os.write
calls to /dev/null (3M rather than 1M: a run of ~0.25 s is too short to time), every figure a ratio against an unprofiled run measured in
this same run (median of interleaved pairs):

  an empty sys_enter program   (the floor any sys_enter program pays here)
  pystrobe syscalls            (bar <= 1.35)
  pystrobe syscalls --latency  (bar <= 2.1)
  strace -c -f                 (for comparison)
  libbpf-tools syscount -p PID (for comparison)

plus the ns each mode adds per syscall, from bpf_stats (kernel.bpf_stats_enabled).
Usage: bench/bench_syscalls.py [--pystrobe build/pystrobe] [--python PY] [--pairs 5]
"""
import os
import re
import signal
import statistics
import subprocess
import sys
import time

from benchlib import ROOT, W, arg_parser, elapsed_of, interleaved, newest_python, sysctl_bpf_stats

WORK = os.path.join(W, "small_writes.py")
N = "3000000"


def run(argv):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, check=True)
    return elapsed_of(r.stdout), r.stderr


def syscount(py):
    """The workload under libbpf-tools syscount -p (attached during its start-up sleep)."""
    w = subprocess.Popen([py, WORK, N, "1.5"], stdout=subprocess.PIPE, universal_newlines=True)
    tool = subprocess.Popen(["syscount", "-p", str(w.pid)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    out, _ = w.communicate()
    tool.send_signal(signal.SIGINT)
    tool.wait()
    return elapsed_of(out), ""


class EmptySysEnter:
    """An empty tp_btf/sys_enter program attached through libbpf (ctypes): the floor."""

    def __init__(self, name="empty_sys_enter", prog="empty_enter"):
        src = os.path.join(ROOT, "bench", "bpf", name + ".bpf.c")
        self.obj_path = "/tmp/pystrobe-%s.bpf.o" % name
        self.prog = prog.encode()
        subprocess.run(["clang", "-g", "-O2", "-target", "bpf", "-I" + os.path.join(ROOT, "vmlinux"),
                        "-c", src, "-o", self.obj_path], check=True)
        import ctypes
        self.lib = ctypes.CDLL("libbpf.so.1")
        self.lib.bpf_object__open_file.restype = ctypes.c_void_p
        self.lib.bpf_object__open_file.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
        self.lib.bpf_object__load.argtypes = [ctypes.c_void_p]
        self.lib.bpf_object__find_program_by_name.restype = ctypes.c_void_p
        self.lib.bpf_object__find_program_by_name.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        self.lib.bpf_program__attach.restype = ctypes.c_void_p
        self.lib.bpf_program__attach.argtypes = [ctypes.c_void_p]
        self.lib.bpf_link__destroy.argtypes = [ctypes.c_void_p]
        self.lib.bpf_object__close.argtypes = [ctypes.c_void_p]

    def __enter__(self):
        self.obj = self.lib.bpf_object__open_file(self.obj_path.encode(), None)
        if not self.obj or self.lib.bpf_object__load(self.obj):
            raise RuntimeError("cannot load the empty %s program" % self.prog.decode())
        prog = self.lib.bpf_object__find_program_by_name(self.obj, self.prog)
        self.link = self.lib.bpf_program__attach(prog)
        if not self.link:
            raise RuntimeError("cannot attach the empty %s program" % self.prog.decode())
        return self

    def __exit__(self, *exc):
        self.lib.bpf_link__destroy(self.link)
        self.lib.bpf_object__close(self.obj)


def floor_run(empty, argv):
    with empty:
        return run(argv)


def ns_per_syscall(stderr):
    m = re.search(r"syscall programs ran (\d+) times, (\d+) ns each", stderr)
    return int(m.group(2)) if m else None


def measure(name, base, tool, pairs, stats_run=False):
    """Median ratio with bpf_stats off (it adds two clock reads to every BPF run);
    with stats_run, one more run with bpf_stats on for the BPF ns per syscall."""
    ratios = [p / u for u, p in interleaved(pairs, lambda: base()[0], lambda: tool()[0])]
    med = statistics.median(ratios)
    extra = ""
    if stats_run:
        old = sysctl_bpf_stats("1")
        try:
            ns = ns_per_syscall(tool()[1])
        finally:
            sysctl_bpf_stats(old)
        extra = " ; BPF %s ns per syscall (bpf_stats, its own run)" % ns
    print("%-28s x%.3f (pairs %s)%s" % (name, med, " ".join("%.2f" % r for r in ratios), extra),
          flush=True)
    return med


def main():
    ap = arg_parser(newest_python("3.12"), 5)
    a = ap.parse_args()
    old = sysctl_bpf_stats("0")
    if not os.path.exists("/sys/kernel/tracing/events/raw_syscalls"):
        # libbpf-tools' syscount attaches through tracefs
        subprocess.run(["mount", "-t", "tracefs", "nodev", "/sys/kernel/tracing"])
    try:
        base = lambda: run([a.python, WORK, N])
        print("pystrobe syscalls benchmark: %s x 16-byte os.write, %s" % (N, a.python),
              flush=True)
        empty = EmptySysEnter()
        measure("empty sys_enter (floor)", base, lambda: floor_run(empty, [a.python, WORK, N]),
                a.pairs)
        d = measure("pystrobe syscalls", base,
                    lambda: run([a.pystrobe, "syscalls", "--", a.python, WORK, N]), a.pairs,
                    True)
        l = measure("pystrobe syscalls --latency", base,
                    lambda: run([a.pystrobe, "syscalls", "--latency", "--", a.python, WORK, N]),
                    a.pairs, True)
        measure("libbpf-tools syscount -p", base, lambda: syscount(a.python), a.pairs)
        # strace is ~400x slower: time it on a tenth of the calls (the ratio does not depend on N)
        small = str(int(N) // 10)
        measure("strace -c -f (N/10)", lambda: run([a.python, WORK, small]),
                lambda: run(["strace", "-c", "-f", "-o", "/dev/null", a.python, WORK, small]), 1)
        print("bars: default <= 1.35 (%s), --latency <= 2.1 (%s)" % (
            "ok" if d <= 1.35 else "OVER", "ok" if l <= 2.1 else "OVER"))
    finally:
        sysctl_bpf_stats(old)
    return 0


if __name__ == "__main__":
    sys.exit(main())
