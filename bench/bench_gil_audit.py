#!/usr/bin/env python3
"""What the GIL audit costs where it is an addition: `pystrobe top`
with and without its GIL-WAIT% column (--no-gil), and `pystrobe agent` with
and without gil = exact, on 4 threads contending for the GIL (gil_fixed.py:
fixed work, prints its own elapsed time).

Every figure is a ratio against an unprofiled run of the same workload
measured in the same run: each round runs the five configurations in a
rotated order (unprofiled, top --no-gil, top, agent, agent --gil exact), and
the median over the rounds is printed. The added cost of the GIL column is
the difference between the two top ratios (the agent's likewise). On a shared
2-core VM those wall-time ratios swing by +-20 % from round to round, more
than the audit costs; so the run also counts what the audit adds directly:
`pystrobe gil` on the same workload (kernel.bpf_stats_enabled=1) gives the
probe hits per run and the BPF time per hit, and hits x (BPF time + one
uprobe trap, UPROBE_TRAP_US) over the workload's CPU time is the audit's
share, the same in top and in the agent (the same probes on the same process).

top runs as a plain-text snapshot writer (stdout a pipe, --interval 1) around
the command; the agent runs in --all mode at its defaults (19 Hz, syscall
audit on), started before the workload and stopped after it. This host is
shared: the agent profiles every Python on it, so its lines carry that noise.

Usage: bench/bench_gil_audit.py [--pystrobe build/pystrobe] [--python PY]
       [--rounds 9] [--threads 4] [--iterations 10000000]
"""
import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import benchlib
from benchlib import W, sysctl_bpf_stats

AGENT_READY_S = 1.5  # the agent's session is open and sampling
UPROBE_TRAP_US = 1.5  # one uprobe trap into the kernel and back (README: ~1-2 us per hit)


def probe_cost(a, work):
    """(probe hits, BPF ns per hit) of one `pystrobe gil` run of work."""
    old = sysctl_bpf_stats("1")
    try:
        r = subprocess.run([a.pystrobe, "gil", "--"] + work, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True, timeout=300)
    finally:
        sysctl_bpf_stats(old)
    m = re.search(r"cost: GIL probes ran (\d+) times, (\d+) ns each", r.stderr)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def elapsed(out):
    """The workload's own "elapsed SECONDS" line, wherever it sits in out."""
    m = re.search(r"^elapsed ([\d.]+)$", out, re.M)
    if not m:
        raise RuntimeError("no elapsed line in: %s" % out[-300:])
    return float(m.group(1))


def run(argv):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=300)
    if r.returncode:
        raise RuntimeError("%s: exit %d: %s" % (argv[:3], r.returncode, r.stderr[-300:]))
    return r.stdout


def with_agent(a, work, extra, tmp):
    """Elapsed of work while an agent runs (extra: its additional flags)."""
    log = open(os.path.join(tmp, "agent.log"), "w")
    agent = subprocess.Popen([a.pystrobe, "agent", "--period", "5", "--metrics-port", "0",
                              "--dir", os.path.join(tmp, "profiles")] + extra,
                             stdout=log, stderr=subprocess.STDOUT)
    try:
        time.sleep(AGENT_READY_S)
        if agent.poll() is not None:
            raise RuntimeError("the agent exited %d (see %s)" % (agent.returncode, log.name))
        return elapsed(run(work))
    finally:
        agent.send_signal(signal.SIGTERM)
        agent.wait(timeout=60)
        log.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pystrobe", default=os.path.join(benchlib.ROOT, "build", "pystrobe"))
    ap.add_argument("--python", default=benchlib.newest_python("3.12"))
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--iterations", type=int, default=10000000)
    a = ap.parse_args()
    work = [a.python, os.path.join(W, "gil_fixed.py"), str(a.threads), str(a.iterations)]
    top = [a.pystrobe, "top", "--interval", "1", "--"]
    with tempfile.TemporaryDirectory() as tmp:
        configs = [
            ("unprofiled", lambda: elapsed(run(work))),
            ("top --no-gil", lambda: elapsed(run(top[:2] + ["--no-gil"] + top[2:] + work))),
            ("top", lambda: elapsed(run(top + work))),
            ("agent", lambda: with_agent(a, work, [], tmp)),
            ("agent --gil exact", lambda: with_agent(a, work, ["--gil", "exact"], tmp)),
        ]
        times = {name: [] for name, _ in configs}
        print("GIL audit cost: %d threads x %d iterations (gil_fixed.py), %s, %d rounds"
              % (a.threads, a.iterations, a.python, a.rounds))
        for i in range(a.rounds):
            k = i % len(configs)
            for name, fn in configs[k:] + configs[:k]:
                times[name].append(fn())
            sys.stdout.flush()
    base = times["unprofiled"]
    ratio = {}
    for name, _ in configs:
        rs = [t / b for t, b in zip(times[name], base)]
        ratio[name] = statistics.median(rs)
        print("  %-18s median elapsed %.3f s, ratio %.3f (min %.3f, max %.3f)"
              % (name, statistics.median(times[name]), ratio[name], min(rs), max(rs)))
    print("  GIL-WAIT%% column in top: %+.1f %% of the workload's wall time"
          % (100 * (ratio["top"] - ratio["top --no-gil"])))
    print("  gil = exact in the agent: %+.1f %% of the workload's wall time"
          % (100 * (ratio["agent --gil exact"] - ratio["agent"])))
    hits, ns = probe_cost(a, work)
    wall_s = statistics.median(base)  # the threads share one GIL: about one core busy
    added = hits * (ns + UPROBE_TRAP_US * 1000) / 1e9
    print("  probes: %d hits per run (%.0f/s), %d ns each in BPF + ~%.1f us per uprobe trap:"
          " %.1f ms per run, %.2f %% of the workload's %.2f s"
          % (hits, hits / max(wall_s, 1e-9), ns, UPROBE_TRAP_US, added * 1e3,
             100 * added / max(wall_s, 1e-9), wall_s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
