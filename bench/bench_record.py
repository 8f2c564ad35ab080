#!/usr/bin/env python3
"""Benchmark of `pystrobe record` (issue 2 bars).

Prints, for a 20-frame and a 1000-frame stack at 100 Hz on one busy process:
BPF run time per sample (kernel.bpf_stats_enabled=1), pystrobe's own CPU per
sample while sampling and as a share of a core, total CPU per sample, peak
RSS; then the wall-time ratio of a fixed workload profiled vs unprofiled,
the median of interleaved pairs measured in this same run.

Usage: bench/bench_record.py [--pystrobe build/pystrobe] [--python PY] [--pairs 7]
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import W, arg_parser, elapsed, interleaved, newest_python, sysctl_bpf_stats


def cost_of(ps, py, depth, seconds, tmp):
    """Profile deep.py at depth for `seconds` with -p; parse the summary cost lines."""
    proc = subprocess.Popen([py, os.path.join(W, "deep.py"), str(depth), str(seconds + 5)])
    try:
        time.sleep(1.0)
        out = os.path.join(tmp, "cost.folded")
        summ = os.path.join(tmp, "summary.txt")
        subprocess.run([ps, "record", "-p", str(proc.pid), "-F", "100", "-d", str(seconds),
                        "-f", "folded", "-o", out, "--summary", summ], check=True)
    finally:
        proc.kill()
        proc.wait()
    text = open(summ).read()
    m = {}
    m["samples"] = int(re.search(r"pystrobe: (\d+) samples", text).group(1))
    r = re.search(r"sampling CPU ([\d.]+) ms \(([\d.]+)% of a core\) = ([\d.]+) us/sample.*"
                  r"peak RSS ([\d.]+) MB", text)
    m["cpu_ms"], m["core_pct"], m["cpu_us"], m["rss_mb"] = map(float, r.groups())
    r = re.search(r"BPF ([\d.]+) us/run over (\d+) runs \(([\d.]+) us per sample.*"
                  r"sampling CPU = ([\d.]+) us", text)
    m["bpf_run_us"], m["runs"], m["bpf_us"], m["total_us"] = map(float, r.groups())
    return m


def wall_ratio(ps, py, pairs, iterations, tmp):
    """Median of profiled/unprofiled elapsed over interleaved pairs (order alternates)."""
    base = [py, os.path.join(W, "fixed_work.py"), str(iterations), "17"]
    prof = [ps, "record", "-q", "-F", "100", "-f", "folded", "-o",
            os.path.join(tmp, "w.folded"), "--"] + base
    got = interleaved(pairs, lambda: elapsed(base), lambda: elapsed(prof),
                      lambda i, u, p: print("  pair %d: unprofiled %.3f s, profiled %.3f s, "
                                            "ratio %.4f" % (i + 1, u, p, p / u)))
    ratios = [p / u for u, p in got]
    return statistics.median(ratios), ratios


def main():
    ap = arg_parser(newest_python("3.11"), 7)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--iterations", type=int, default=3000)
    a = ap.parse_args()
    old = sysctl_bpf_stats("1")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            print("pystrobe record benchmark, %s, %d s per stack depth, 100 Hz"
                  % (a.python, a.seconds))
            rows = []
            for frames, depth in ((20, 17), (1000, 997)):
                m = cost_of(a.pystrobe, a.python, depth, a.seconds, tmp)
                rows.append((frames, m))
            print("%-7s %7s %10s %11s %8s %9s %7s %6s" % (
                "frames", "samples", "BPF us/run", "BPF all/smp", "user us", "total us",
                "% core", "RSS MB"))
            for frames, m in rows:
                print("%-7d %7d %10.2f %11.2f %8.2f %9.2f %7.3f %6.1f" % (
                    frames, m["samples"], m["bpf_run_us"], m["bpf_us"], m["cpu_us"],
                    m["total_us"], m["core_pct"], m["rss_mb"]))
            print("total = BPF run_time_ns/run_cnt + pystrobe sampling CPU / samples; "
                  "'BPF all/smp' charges every run\n(any CPU, any process) to the samples")
            print("bars: total <= 5 us (20 frames), <= 100 us (1000 frames); "
                  "user CPU <= 0.2% of a core; RSS <= 30 MB")
            med, ratios = wall_ratio(a.pystrobe, a.python, a.pairs, a.iterations, tmp)
            print("wall-time ratio profiled/unprofiled (100 Hz, 20 frames): median %.4f of %d "
                  "pairs (min %.4f, max %.4f)" % (med, len(ratios), min(ratios), max(ratios)))
    finally:
        sysctl_bpf_stats(old)
    return 0


if __name__ == "__main__":
    sys.exit(main())
