#!/usr/bin/env python3
"""Benchmark of `pystrobe record --wall` (issue 14 bars); ratios against unprofiled runs
in this same run (median of interleaved pairs):

  non-target switches: two C processes ping-ponging a byte over pipes
                       (bench/pingpong.c) while record --wall profiles an idle
                       Python elsewhere: every switch on the host runs the
                       sched_switch program's filter (bar: ratio <= 1.03,
                       <= 100 ns of BPF per switch)
  target switches:     two Python threads ping-ponging through pipes
                       (tests/workloads/wall_pingpong.py) under record --wall:
                       each switch-out walks the Python stack; paced with
                       pure-Python work between trips to ~20,000 target
                       switches/s (issue 14's case, bar <= 1.25), then
                       unpaced (~10-20x that: above WALL_MAX_SWITCHES_PER_S,
                       1 in N switches are timed and the output says so)

plus the ns of BPF per switch from bpf_stats (kernel.bpf_stats_enabled), in
runs of their own, and that of an empty sched_switch program
(bench/bpf/empty_sched_switch.bpf.c): what bpf_stats reports for doing
nothing (its own two clock reads and the dispatch), the floor of the filter.
Prints the load average before each case (the figures are only comparable
between runs at a similar load).
Usage: bench/bench_wall.py [--pystrobe build/pystrobe] [--python PY] [--pairs 5]
"""
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time

from bench_syscalls import EmptySysEnter
from benchlib import ROOT, W, arg_parser, elapsed_of, interleaved, newest_python, sysctl_bpf_stats

PINGPONG = "/tmp/pystrobe-bench-pingpong"
ROUNDS_C = "100000"
ROUNDS_PY = "100000"


def build_pingpong():
    subprocess.run(["cc", "-O2", "-o", PINGPONG, os.path.join(ROOT, "bench", "pingpong.c")],
                   check=True)


def run(argv):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, check=True)
    return elapsed_of(r.stdout), r.stderr


def prog_stats(name="on_sched_switch"):
    """(run_cnt, run_time_ns) of the sched_switch program (bpftool)."""
    out = subprocess.run(["bpftool", "prog", "show", "name", name, "--json"],
                         stdout=subprocess.PIPE, universal_newlines=True).stdout
    try:
        p = json.loads(out)
    except ValueError:
        return 0, 0
    p = p[0] if isinstance(p, list) else p
    return p.get("run_cnt", 0), p.get("run_time_ns", 0)


class Attached:
    """record --wall -p an idle Python, running while the block runs."""

    def __init__(self, ps, py):
        self.ps, self.py = ps, py

    def __enter__(self):
        self.idle = subprocess.Popen([self.py, "-c", "import time; time.sleep(3600)"])
        self.rec = subprocess.Popen([self.ps, "record", "--wall", "-p", str(self.idle.pid),
                                     "-f", "folded", "-o", "/tmp/pystrobe-bench-wall.folded"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    universal_newlines=True)
        end = time.time() + 10
        while time.time() < end and prog_stats() == (0, 0) and not self.attached():
            time.sleep(0.1)
        time.sleep(0.3)
        return self

    def attached(self):
        out = subprocess.run(["bpftool", "prog", "show", "name", "on_sched_switch"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
        return bool(out.strip())

    def __exit__(self, *exc):
        self.rec.send_signal(signal.SIGINT)
        self.rec.communicate()
        self.idle.kill()
        self.idle.wait()


def non_target(ps, py, pairs):
    def profiled():
        with Attached(ps, py):
            return run([PINGPONG, ROUNDS_C])[0]
    pairs_out = interleaved(pairs, lambda: run([PINGPONG, ROUNDS_C])[0], profiled)
    ratios = [p / u for u, p in pairs_out]
    base = statistics.median(u for u, _ in pairs_out)
    old = sysctl_bpf_stats("1")
    try:
        with Attached(ps, py):
            c0, t0 = prog_stats()
            run([PINGPONG, ROUNDS_C])
            c1, t1 = prog_stats()
    finally:
        sysctl_bpf_stats(old)
    runs = c1 - c0
    print("non-target switches: %s round trips in %.3f s unprofiled, %.0f switches/s "
          "(sched_switch runs / s during the profiled run)" % (ROUNDS_C, base, runs / base))
    print("  ratio %.3f (median; pairs %s)  bar <= 1.03" % (
        statistics.median(ratios), " ".join("%.3f" % r for r in ratios)))
    print("  BPF %.0f ns per switch (%d runs)  bar <= 100 ns" % (
        (t1 - t0) / runs if runs else 0, runs))


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def empty_floor():
    """bpf_stats' ns per run of an empty sched_switch program under the C ping-pong."""
    empty = EmptySysEnter("empty_sched_switch", "empty_switch")
    old = sysctl_bpf_stats("1")
    try:
        with empty:
            c0, t0 = prog_stats("empty_switch")
            run([PINGPONG, ROUNDS_C])
            c1, t1 = prog_stats("empty_switch")
    finally:
        sysctl_bpf_stats(old)
    runs = c1 - c0
    print("  empty sched_switch program (the floor: dispatch + bpf_stats' clock reads): "
          "%.0f ns per switch (%d runs)" % ((t1 - t0) / runs if runs else 0, runs))


def target(ps, py, pairs, rounds, spin=0):
    notes = []
    argv = [py, os.path.join(W, "wall_pingpong.py"), str(rounds), "0", str(spin)]

    def profiled():
        e, err = run([ps, "record", "--wall", "-f", "folded", "-o",
                      "/tmp/pystrobe-bench-wall-t.folded", "--"] + argv)
        notes.extend(l for l in err.splitlines() if "timing 1 in" in l)
        return e
    pairs_out = interleaved(pairs, lambda: run(argv)[0], profiled)
    ratios = [p / u for u, p in pairs_out]
    base = statistics.median(u for u, _ in pairs_out)
    old = sysctl_bpf_stats("1")
    try:
        e, err = run([ps, "record", "--wall", "-f", "folded", "-o",
                      "/tmp/pystrobe-bench-wall-t.folded", "--"] + argv)
    finally:
        sysctl_bpf_stats(old)
    cost = [l.strip() for l in err.splitlines() if l.startswith("wall:") or "sched_switch" in l]
    print("target switches%s: %d round trips of two Python threads in %.3f s unprofiled "
          "(%.0f target switches/s)" % (" (paced: %d loop steps a trip)" % spin if spin else "",
                                        rounds, base, 4 * rounds / base))
    print("  ratio %.3f (median; pairs %s)  bar <= 1.25" % (
        statistics.median(ratios), " ".join("%.3f" % r for r in ratios)))
    for l in cost:
        print("  " + l)
    m = re.search(r"sched_switch BPF (\d+) ns/switch over (\d+)", err)
    if m:  # the noise-free part of the ratio: BPF CPU against the trips' wall time
        print("  BPF time %.1f ms = %.2f %% of the profiled trips' %.3f s" % (
            int(m.group(1)) * int(m.group(2)) / 1e6,
            100.0 * int(m.group(1)) * int(m.group(2)) / 1e9 / e, e))
    print("  cost guard: %s" % (notes[0].strip() if notes else "not tripped"))


def pace_for(py, rate=20000.0):
    """Loop steps a round trip that bring the unprofiled pace to about rate target
    switches/s (4 per trip), from one timed run of 2,000 trips with 1,000 steps."""
    trip = run([py, os.path.join(W, "wall_pingpong.py"), "2000", "0", "1000"])[0] / 2000
    bare = run([py, os.path.join(W, "wall_pingpong.py"), "2000"])[0] / 2000
    step = max(trip - bare, 1e-9) / 1000
    return max(int((4.0 / rate - bare) / step), 0)


def main():
    a = arg_parser(newest_python("3.12"), 5).parse_args()
    build_pingpong()
    print("load average %s" % loadavg())
    non_target(a.pystrobe, a.python, a.pairs)
    empty_floor()
    print("load average %s" % loadavg())
    spin = pace_for(a.python)
    target(a.pystrobe, a.python, a.pairs, 20000, spin)
    print("load average %s" % loadavg())
    target(a.pystrobe, a.python, a.pairs, int(ROUNDS_PY))
    print("load average %s" % loadavg())


if __name__ == "__main__":
    sys.exit(main())
