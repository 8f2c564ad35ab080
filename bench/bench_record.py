#!/usr/bin/env python3
"""Benchmark of `pystrobe record` (issue 15 item 2 bars).

The cost of one more sample, for a 20-frame and a 1000-frame stack at 100 Hz
on one busy process: each round records the same process twice with -p, for
a short and a long run, and charges the difference in cost to the difference
in samples, so start-up, report and anything paid once per run cancel out.
Cost is pystrobe's CPU while sampling plus the sampler program's run time
over all its runs on every CPU (kernel.bpf_stats_enabled=1), not only the
runs that hit the target. Prints each round and the medians, with the bars; then
the wall-time ratio of a fixed workload profiled vs unprofiled, the median of
interleaved pairs measured in this same run.

Usage: bench/bench_record.py [--pystrobe build/pystrobe] [--python PY] [--pairs 7]
                             [--rounds 3] [--short 3] [--long 13]
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import W, arg_parser, elapsed, interleaved, newest_python, sysctl_bpf_stats

BARS_US = {20: 3.0, 1000: 50.0}  # CPU (BPF + userspace) per extra sample


def cost_of(ps, pid, seconds, tmp):
    """Record pid for `seconds` at 100 Hz; samples, sampling CPU and BPF run time (us)."""
    out = os.path.join(tmp, "cost.folded")
    summ = os.path.join(tmp, "summary.txt")
    subprocess.run([ps, "record", "-p", str(pid), "-F", "100", "-d", str(seconds),
                    "-f", "folded", "-o", out, "--summary", summ], check=True)
    text = open(summ).read()
    m = {"samples": int(re.search(r"pystrobe: (\d+) samples", text).group(1))}
    r = re.search(r"sampling CPU ([\d.]+) ms.*peak RSS ([\d.]+) MB", text)
    m["user_us"], m["rss_mb"] = float(r.group(1)) * 1000, float(r.group(2))
    r = re.search(r"BPF ([\d.]+) us/run over (\d+) runs", text)
    if not r:
        raise SystemExit("no BPF run time in the summary: is kernel.bpf_stats_enabled 1?")
    m["bpf_us"], m["runs"] = float(r.group(1)) * int(r.group(2)), int(r.group(2))
    return m


def extra_cost(ps, py, depth, rounds, short_s, long_s, tmp):
    """Per round: (user us, BPF us) per extra sample between the short and long runs."""
    proc = subprocess.Popen([py, os.path.join(W, "deep.py"), str(depth),
                             str(rounds * (short_s + long_s + 3) + 5)])
    got = []
    try:
        time.sleep(1.0)
        for i in range(rounds):
            a = cost_of(ps, proc.pid, short_s, tmp)
            b = cost_of(ps, proc.pid, long_s, tmp)
            n = b["samples"] - a["samples"]
            user, bpf = (b["user_us"] - a["user_us"]) / n, (b["bpf_us"] - a["bpf_us"]) / n
            print("  %4d frames, round %d: %d -> %d samples, %d -> %d BPF runs: user %.2f us, "
                  "BPF %.2f us, total %.2f us per extra sample; RSS %.1f MB" % (
                      depth + 3, i + 1, a["samples"], b["samples"], a["runs"], b["runs"], user,
                      bpf, user + bpf, b["rss_mb"]))
            got.append((user, bpf, b["rss_mb"]))
    finally:
        proc.kill()
        proc.wait()
    return got


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
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--short", type=int, default=3, help="seconds of the short run")
    ap.add_argument("--long", type=int, default=13, help="seconds of the long run")
    ap.add_argument("--iterations", type=int, default=3000)
    a = ap.parse_args()
    old = sysctl_bpf_stats("1")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            print("pystrobe record benchmark, %s, 100 Hz, runs of %d s and %d s on one "
                  "process, %d rounds" % (a.python, a.short, a.long, a.rounds))
            rows = []
            for frames, depth in ((20, 17), (1000, 997)):
                got = extra_cost(a.pystrobe, a.python, depth, a.rounds, a.short, a.long, tmp)
                rows.append((frames, [statistics.median(col) for col in zip(*got)]))
            print("%-7s %13s %12s %14s %6s %7s %6s" % (
                "frames", "user us/smp", "BPF us/smp", "total us/smp", "bar", "", "RSS MB"))
            for frames, (user, bpf, rss) in rows:
                bar = BARS_US[frames]
                print("%-7d %13.2f %12.2f %14.2f %6.1f %7s %6.1f" % (
                    frames, user, bpf, user + bpf, bar,
                    "ok" if user + bpf <= bar else "MISSED", rss))
            print("medians of the rounds; per extra sample = (long - short run) / (long - short "
                  "samples); BPF:\nrun time of every run on every CPU (a CPU the target is "
                  "not on still runs the program)")
            med, ratios = wall_ratio(a.pystrobe, a.python, a.pairs, a.iterations, tmp)
            print("wall-time ratio profiled/unprofiled (100 Hz, 20 frames): median %.4f of %d "
                  "pairs (min %.4f, max %.4f)" % (med, len(ratios), min(ratios), max(ratios)))
    finally:
        sysctl_bpf_stats(old)
    return 0


if __name__ == "__main__":
    sys.exit(main())
