#!/usr/bin/env python3
"""Cost of `pystrobe record --async` on a 1,000-task asyncio workload.

tests/workloads/async_tasks.py with 1,000 extra tasks sleeping 50 ms at a time
beside task-A/B/C/G, ending after task-A's STEPS steps and printing the time
it took ("elapsed"). Three runs per round, their order rotating: unprofiled,
`record` and `record --async` (both -F HZ, folded to a temporary file). Printed:
the median wall-time ratios record / unprofiled and --async / unprofiled and
--async / record, and pystrobe's own CPU per sample in each mode (its summary's
"us/sample", sampling CPU over samples: with --async this includes reading
the target's GC lists to index its tasks), whose difference is the extra cost
of one --async sample. The load average is printed with the figures.
Usage: bench/bench_async.py [--pystrobe build/pystrobe] [--python PY] [--pairs 5]
                            [--tasks 1000] [--steps 150] [-F 100]
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile

from benchlib import W, arg_parser, elapsed_of, newest_python


def run(argv):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, check=True)
    return r.stdout, r.stderr


def us_per_sample(stderr):
    m = re.search(r"= ([\d.]+) us/sample", stderr)
    return float(m.group(1)) if m else float("nan")


def main():
    ap = arg_parser(newest_python("3.12"), 5)
    ap.add_argument("--tasks", type=int, default=1000)
    ap.add_argument("--steps", type=int, default=150)
    ap.add_argument("-F", dest="hz", default="100")
    a = ap.parse_args()
    work = [a.python, os.path.join(W, "async_tasks.py"), "0", str(a.tasks), str(a.steps)]
    out = os.path.join(tempfile.mkdtemp(prefix="bench-async-"), "out.folded")
    rec = [a.pystrobe, "record", "-F", a.hz, "--format", "folded", "-o", out, "--"]
    modes = {"none": work, "record": rec + work,
             "async": rec[:2] + ["--async"] + rec[2:] + work}
    times = {m: [] for m in modes}
    cost = {"record": [], "async": []}
    order = list(modes)
    for i in range(a.pairs):
        for m in order[i % 3:] + order[:i % 3]:
            out, err = run(modes[m])
            times[m].append(elapsed_of(out))
            if m in cost:
                cost[m].append(us_per_sample(err))
        print("round %d: %s" % (i + 1, "  ".join("%s %.2f s" % (m, times[m][-1]) for m in modes)))
        sys.stdout.flush()
    ratio = lambda p, q: statistics.median(x / y for x, y in zip(times[p], times[q]))
    spread = lambda p, q: "%.2f-%.2f" % (min(x / y for x, y in zip(times[p], times[q])),
                                         max(x / y for x, y in zip(times[p], times[q])))
    print("load average: %s" % open("/proc/loadavg").read().split()[:3])
    print("%d tasks, %d steps of task-A, -F %s, %d rounds (medians):" % (
        a.tasks + 4, a.steps, a.hz, a.pairs))
    print("  record / unprofiled          %.3f (%s)" % (ratio("record", "none"),
                                                        spread("record", "none")))
    print("  record --async / unprofiled  %.3f (%s)" % (ratio("async", "none"),
                                                        spread("async", "none")))
    print("  record --async / record      %.3f (%s)" % (ratio("async", "record"),
                                                        spread("async", "record")))
    r, s = statistics.median(cost["record"]), statistics.median(cost["async"])
    print("  pystrobe CPU per sample: record %.1f us, --async %.1f us: +%.1f us per sample"
          % (r, s, s - r))


if __name__ == "__main__":
    main()
