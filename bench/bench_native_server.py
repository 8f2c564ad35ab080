#!/usr/bin/env python3
"""Cost of `pystrobe record --native` on a real multi-process server (issue 18 item 7).

Debian's gunicorn (`-w 2 --threads 4`) serves tests/workloads/flask_app.py
(Flask + sqlite); apache2-utils `ab -c 8` drives it. Each round runs, in an
order that alternates between rounds: ab alone, ab under `record -p` (Python
stacks only) and ab under `record --native -p` (the master and both
workers). Printed: the median requests/s of each mode and their ratios, and
for --native, per run: samples, pystrobe's own CPU (user + system, from
wait4, set-up included) and its sampling-loop CPU per sample and as a share
of one core (its summary), BPF run time summed over every CPU (bpf_stats),
and what its unwinding cap dropped. The extra cost per extra sample comes
from two run lengths (N and 3N requests): (CPU(3N) - CPU(N)) / (samples(3N) -
samples(N)), which takes out the fixed set-up.

Usage: bench/bench_native_server.py [--pystrobe build/pystrobe] [--pairs 5]
                                    [--requests 1000] [--extra FLAG ...]
"""
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import ROOT, W, arg_parser, sysctl_bpf_stats

PORT = 18000 + os.getpid() % 1000


def start_server():
    g = subprocess.Popen(["gunicorn", "-w", "2", "--threads", "4", "--chdir", W, "-b",
                          "127.0.0.1:%d" % PORT, "flask_app:app"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", PORT), 0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    time.sleep(1)
    kids = open("/proc/%d/task/%d/children" % (g.pid, g.pid)).read().split()
    return g, [g.pid] + [int(k) for k in kids]


def ab(n):
    """Requests per second of n requests, 8 at a time (after a warm-up of 50)."""
    url = "http://127.0.0.1:%d/" % PORT
    subprocess.run(["ab", "-n", "50", "-c", "8", url], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    out = subprocess.run(["ab", "-n", str(n), "-c", "8", url], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, universal_newlines=True, check=True).stdout
    if not re.search(r"Failed requests:\s+0\b", out):
        raise RuntimeError("ab: failed requests\n" + out)
    return float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1))


def profiled(ps, pids, n, flags, tmp):
    """ab under pystrobe: (requests/s, facts of the pystrobe run)."""
    summ = os.path.join(tmp, "summary.txt")
    sysctl_bpf_stats("1")  # again: another benchmark may have turned it off
    p = subprocess.Popen([ps, "record", "-p", ",".join(map(str, pids)), "-F", "100", "-f",
                          "folded", "-o", os.path.join(tmp, "out.folded"), "--summary", summ] +
                         flags, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(1.5)  # set-up done before the requests start
    rps = ab(n)
    p.send_signal(signal.SIGINT)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = status
    s = open(summ).read()
    f = {"rps": rps, "cpu_s": ru.ru_utime + ru.ru_stime, "text": s}
    m = re.search(r"(\d+) samples", s)
    f["samples"] = int(m.group(1)) if m else 0
    m = re.search(r"sampling CPU ([\d.]+) ms(?: \(([\d.]+)% of a core\))? = ([\d.]+) us/sample", s)
    if m:
        f["loop_ms"], f["core_pct"], f["us_sample"] = (float(m.group(1)),
                                                       float(m.group(2) or 0), float(m.group(3)))
    m = re.search(r"BPF ([\d.]+) us/run over (\d+) runs", s)
    f["bpf_ms"] = float(m.group(1)) * int(m.group(2)) / 1e3 if m else 0.0
    m = re.search(r"(\d+) samples kept Python-only.*", s)
    f["capped"] = int(m.group(1)) if m else 0
    return f


def main():
    ap = arg_parser(None, 5)
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--extra", action="append", default=[], help="more flags for --native runs")
    ap.add_argument("--baseline", help="another pystrobe binary: its --native runs too (before/after)")
    a = ap.parse_args()
    old = sysctl_bpf_stats("1")
    g, pids = start_server()
    rps = {"none": [], "python": [], "native": [], "base": []}
    runs, base = [], []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            modes = [("none", lambda: ab(a.requests)),
                     ("python", lambda: profiled(a.pystrobe, pids, a.requests, [], tmp)["rps"]),
                     ("native", lambda: runs.append(profiled(
                         a.pystrobe, pids, a.requests, ["--native"] + a.extra, tmp)) or
                      runs[-1]["rps"])]
            if a.baseline:
                modes.append(("base", lambda: base.append(profiled(
                    a.baseline, pids, a.requests, ["--native"], tmp)) or base[-1]["rps"]))
            print("gunicorn -w 2 --threads 4 (pids %s), ab -c 8 -n %d, record -F 100, %d rounds"
                  % (pids, a.requests, a.pairs))
            for i in range(a.pairs):
                order = modes if i % 2 == 0 else modes[::-1]
                got = {name: fn() for name, fn in order}
                for k, v in got.items():
                    rps[k].append(v)
                r = runs[-1]
                if a.baseline:
                    b = base[-1]
                    print("  round %d: baseline --native %.1f req/s, %d samples, pystrobe CPU %.0f "
                          "ms (loop %.2f us/sample, %.2f%% of a core), BPF %.0f ms"
                          % (i + 1, b["rps"], b["samples"], b["cpu_s"] * 1e3,
                             b.get("us_sample", 0), b.get("core_pct", 0), b["bpf_ms"]))
                print("  round %d: req/s none %.1f, record %.1f, --native %.1f; --native: %d "
                      "samples, pystrobe CPU %.0f ms (loop %.0f ms, %.2f us/sample, %.2f%% of "
                      "a core), BPF %.0f ms, capped %d"
                      % (i + 1, got["none"], got["python"], got["native"], r["samples"],
                         r["cpu_s"] * 1e3, r.get("loop_ms", 0), r.get("us_sample", 0),
                         r.get("core_pct", 0), r["bpf_ms"], r["capped"]))
            long = profiled(a.pystrobe, pids, a.requests * 3, ["--native"] + a.extra, tmp)
            print("  long run (%d requests): %d samples, pystrobe CPU %.0f ms, BPF %.0f ms, "
                  "capped %d" % (a.requests * 3, long["samples"], long["cpu_s"] * 1e3,
                                 long["bpf_ms"], long["capped"]))
            print(long["text"])
    finally:
        os.killpg(g.pid, signal.SIGTERM)
        g.wait()
        sysctl_bpf_stats(old)
    med = {k: statistics.median(v) for k, v in rps.items() if v}
    print("median req/s: none %.1f, record %.1f (ratio %.3f), record --native %.1f (ratio %.3f)"
          % (med["none"], med["python"], med["python"] / med["none"], med["native"],
             med["native"] / med["none"]))
    if base:
        print("baseline --native: median %.1f req/s (ratio %.3f), %.2f us/sample, %.2f%% of a "
              "core, pystrobe CPU %.0f ms a run"
              % (med["base"], med["base"] / med["none"],
                 statistics.median(r.get("us_sample", 0) for r in base),
                 statistics.median(r.get("core_pct", 0) for r in base),
                 statistics.median(r["cpu_s"] for r in base) * 1e3))
    short = min(runs, key=lambda r: abs(r["samples"] - statistics.median(
        x["samples"] for x in runs)))
    ds = long["samples"] - short["samples"]
    if ds > 0:
        print("--native extra cost per extra sample (long - median short run): pystrobe CPU "
              "%.1f us, BPF %.1f us, total %.1f us"
              % ((long["cpu_s"] - short["cpu_s"]) * 1e6 / ds,
                 (long["bpf_ms"] - short["bpf_ms"]) * 1e3 / ds,
                 ((long["cpu_s"] - short["cpu_s"]) * 1e6 +
                  (long["bpf_ms"] - short["bpf_ms"]) * 1e3) / ds))
    if ds > 0 and "loop_ms" in long and "loop_ms" in short:
        print("--native extra sampling-loop CPU per extra sample (summaries): %.1f us"
              % ((long["loop_ms"] - short["loop_ms"]) * 1e3 / ds))
    print("--native median: %.2f us/sample, %.2f%% of a core (pystrobe's summary); "
          "load average %s" % (statistics.median(r.get("us_sample", 0) for r in runs),
                               statistics.median(r.get("core_pct", 0) for r in runs),
                               open("/proc/loadavg").read().split()[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
