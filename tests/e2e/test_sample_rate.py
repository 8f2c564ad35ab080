#!/usr/bin/env python3
"""Absolute sample count: a process that burns C CPU-seconds under `record -F F`
gets F x C samples within a tolerance derived from the run, and the pprof
cpu/nanoseconds total is exactly samples x period.

The tolerance, from the sampler's design (bpf/sampler.bpf.c, user/bpf/sampler.c):
- the period is drawn 5-25 % above or below 1/F and re-drawn about twice a
  second, but a tick counts the mean periods since its CPU's last tick (0-3,
  rounded at a random threshold, the remainder carried to the CPU's next
  tick): one tick's count differs from its interval / period by less than 1,
  std <= 1/2; the carry cancels that along a CPU, but not between the
  processes sharing it, so over n samples: std <= sqrt(n) / 2;
- each CPU's timer fires on a grid; an on-CPU interval of the process of
  length L holds floor or ceil of L F grid points: an error within +-1,
  std <= 1/2. The intervals are the context switches + 1 (getrusage), m:
  std sqrt(m) / 2;
- the interpreter's start-up CPU (measured by the workload) may be sampled or
  not, and one sample per CPU can fall on either side of the run's edges.
Bound: 4 combined standard deviations + 2 (about +-3 % on a 5 s run).
pystrobe and the workload run at nice -20: fewer, longer on-CPU intervals on
a busy machine. Checked: comparing with a sampler that runs 5 % fast or slow
(PYSTROBE_RATE_SCALE=1.05 / 0.95) fails.
"""
import math
import os
import sys
import tempfile

import pslib

VERSIONS = "3.12,3.8,debian-3.11"
FREQ = 1000
SECONDS = 5


def expected(work):
    """(samples expected, extra allowed for start-up, tolerance) for the workload's line."""
    startup, cpu, wall = work["startup"], work["cpu"], work["wall"]
    want = FREQ * (cpu - startup)
    edges = math.sqrt(work["switches"] + 1) / 2
    rounding = math.sqrt(max(want, 1.0)) / 2
    return want, FREQ * startup, 4 * math.sqrt(edges ** 2 + rounding ** 2) + 2


def check(c, ps, label, py, tmp, scale=1.0):
    out, res = os.path.join(tmp, "rate.pb.gz"), os.path.join(tmp, "rate.txt")
    r = pslib.run_pystrobe(ps, ["record", "-F", str(FREQ), "-f", "pprof", "-o", out, "--",
                                py, pslib.workload("cpu_seconds.py"), str(SECONDS), res],
                           preexec_fn=lambda: os.nice(-20))  # p near 1 on a busy machine
    if r.returncode:
        c.check(label, "rate", False, "exit %d: %s" % (r.returncode, r.stderr.strip()[-300:]))
        return
    with open(res) as f:
        words = f.read().split()
    work = dict((k, float(v)) for k, v in zip(words[::2], words[1::2]))
    prof = pslib.read_pprof(out)
    n = sum(v[0] for v, _ in prof["samples"])
    want, startup, tol = expected(work)
    want *= scale
    c.check(label, "rate", want - tol <= n <= want + startup + tol,
            "%d samples for %.3f CPU-s (%.3f s wall, %d switches) at %d Hz: want %.0f "
            "(+%.0f start-up) +- %.0f" % (n, work["cpu"] - work["startup"], work["wall"],
                                          work["switches"], FREQ, want, startup, tol))
    period = 1000000000 // FREQ
    types_ok = prof["types"] == [("samples", "count"), ("cpu", "nanoseconds")] and \
        prof["period_type"] == ("cpu", "nanoseconds") and prof["period"] == period
    exact = all(len(v) == 2 and v[1] == v[0] * period for v, _ in prof["samples"])
    ns = sum(v[1] for v, _ in prof["samples"] if len(v) == 2)
    c.check(label, "cpu-ns", types_ok and exact and ns == n * period and n > 0,
            "types %s, period %s %d (want %d), cpu/nanoseconds %d = %d samples x %d: %s"
            % (prof["types"], prof["period_type"], prof["period"], period, ns, n, period,
               "exact" if exact and ns == n * period else "NOT exact"))


def main():
    a = pslib.args()
    c = pslib.Checks()
    # PYSTROBE_RATE_SCALE=1.05 compares with a sampler 5 % off: the check must fail
    scale = float(os.environ.get("PYSTROBE_RATE_SCALE", "1"))
    if scale != 1:
        pslib.report_missing("the true rate: PYSTROBE_RATE_SCALE=%s tests a wrong one" % scale)
    found, _ = pslib.interpreters(a.only or VERSIONS)
    for label, py, _ in found:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                check(c, a.pystrobe, label, py, tmp, scale)
            except Exception as e:
                c.check(label, "rate", False, "error: %s" % e)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
