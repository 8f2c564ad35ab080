#!/usr/bin/env python3
"""Benchmark of `pystrobe gil` (issue 4 bars), ratios against unprofiled runs
measured in this same run (median of interleaved pairs):

1. 4-thread GIL contention (fixed work): wall-time ratio under `pystrobe gil`
   (bar <= 1.05), GIL switches/s, and the measured cost per switch
   ((profiled - unprofiled) / acquisitions).
2. 1,000,000 16-byte os.write calls: ratio under `pystrobe gil` (bar <= 1.5)
   and whether the report says it switched to estimates.

Usage: bench/bench_gil.py [--pystrobe build/pystrobe] [--python PY] [--pairs 7]
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

from benchlib import W, arg_parser, elapsed, interleaved, newest_python, sysctl_bpf_stats


def pairs(base, prof, n):
    """Interleaved (unprofiled, profiled) elapsed pairs; the order alternates."""
    return interleaved(n, lambda: elapsed(base), lambda: elapsed(prof))


def report(name, got, bar):
    ratios = [p / u for u, p in got]
    med = statistics.median(ratios)
    print("%s: median ratio %.3f over %d pairs (min %.3f, max %.3f), bar <= %.2f: %s" % (
        name, med, len(ratios), min(ratios), max(ratios), bar, "ok" if med <= bar else "OVER"))
    return med


def main():
    a = arg_parser(newest_python("3.12"), 7).parse_args()
    old = sysctl_bpf_stats("1")
    try:
        return run(a)
    finally:
        sysctl_bpf_stats(old)


def run(a):
    with tempfile.TemporaryDirectory() as tmp:
        js = os.path.join(tmp, "gil.json")
        base = [a.python, os.path.join(W, "gil_fixed.py"), "4", "25000000"]
        prof = [a.pystrobe, "gil", "-q", "--json", js, "--"] + base
        print("pystrobe gil benchmark, %s" % a.python)
        got = pairs(base, prof, a.pairs)
        report("4-thread contention", got, 1.05)
        rep = json.load(open(js))
        p = rep["processes"][0]
        acq = sum(t["acquisitions"] for t in p["threads"])
        secs = max(t["wall_ns"] for t in p["threads"]) / 1e9
        extra = statistics.median([pr - u for u, pr in got])
        print("  GIL switches: %.0f/s (%d in the last run, mode %s); cost per switch from the "
              "median extra wall time: %.2f us (noise: the VM's +-10%% wall time)" % (
                  acq / secs, acq, p["mode"], 1e6 * extra / max(acq, 1)))
        r = subprocess.run([a.pystrobe, "gil", "--"] + base, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, universal_newlines=True)
        cost = re.search(r"cost: GIL probes ran (\d+) times, (\d+) ns each", r.stderr)
        if cost:
            print("  BPF per probe hit: %s ns over %s hits (bpf_stats); one switch = take_gil "
                  "entry + return + drop_gil entry + return = 4 hits + 4 uprobe traps" % (
                      cost.group(2), cost.group(1)))
        base = [a.python, os.path.join(W, "small_writes.py"), "1000000"]
        prof = [a.pystrobe, "gil", "-q", "--json", js, "--"] + base
        got = pairs(base, prof, a.pairs)
        report("1M small os.write", got, 1.5)
        p = json.load(open(js))["processes"][0]
        print("  report: mode %s: %s" % (p["mode"], p["reason"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
