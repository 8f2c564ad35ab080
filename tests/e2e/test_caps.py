#!/usr/bin/env python3
"""Silent caps (issue 16 item 5), against one interpreter (the caps do not
depend on the CPython version): a command that starts 4,200 short processes
before starting Python still has that Python's writes counted exactly, and
its report is built in seconds (one pass over the exited threads); a process
table that really fills says how many processes it left out, in the report
and the summary; `record -p X -p X` profiles X once."""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import pslib

N_WRITES = 20000
N_CHILDREN = 4200
SMALL_TABLE = 100  # PYSTROBE_SYS_PROCS_MAX for the fill case
REPORT_S = 15.0  # set-up + report bound (the old quadratic report: 129 s)


def syscalls(ps, tmp, name, shell, env=None, timeout=900):
    """(json, stdout, stderr, seconds between start and exit)."""
    js = os.path.join(tmp, name + ".json")
    t0 = time.time()
    r = pslib.run_pystrobe(ps, ["syscalls", "--json", js, "--", "sh", "-c", shell],
                           timeout=timeout, env=env)
    wall = time.time() - t0
    if r.returncode != 0:
        raise AssertionError("exit %d: %s" % (r.returncode, r.stderr.strip()[-300:]))
    with open(js) as f:
        return json.load(f), r.stdout, r.stderr, wall


def python_proc(rep):
    procs = [p for p in rep["processes"] if p["python"]]
    return procs[0] if len(procs) == 1 else None


def writes_of(proc):
    return sum(s["calls"] for s in proc["syscalls"] if s["name"] == "write") if proc else -1


def check_many_children(c, ps, label, py, tmp):
    w = pslib.workload("write_calls.py")
    # Python as the 4,203rd process (no exec): the old 4,096-entry table had no room left
    shell = "for i in $(seq %d); do /bin/true; done; %s %s %d 16" % (N_CHILDREN, py, w, N_WRITES)
    rep, _, _, wall = syscalls(ps, tmp, "many", shell)
    proc = python_proc(rep)
    c.check(label, "4200-python", writes_of(proc) == N_WRITES,
            "Python's write calls %d (want exactly %d), %d processes reported" % (
                writes_of(proc), N_WRITES, len(rep["processes"])))
    # every process is counted: sh, seq, the 4,200 /bin/true and the Python
    c.check(label, "4200-all", len(rep["processes"]) >= N_CHILDREN + 2 and
            rep.get("processes_not_counted") == 0,
            "%d processes reported, %s not counted" % (
                len(rep["processes"]), rep.get("processes_not_counted")))
    extra = wall - rep["duration_ns"] / 1e9
    c.check(label, "4200-report", extra < REPORT_S,
            "set-up and report took %.1f s (bound %.0f s; run %.1f s)" % (
                extra, REPORT_S, rep["duration_ns"] / 1e9))


def check_table_full(c, ps, label, py, tmp):
    w = pslib.workload("write_calls.py")
    shell = "for i in $(seq %d); do /bin/true; done; exec %s %s 1000 16" % (
        SMALL_TABLE + 50, py, w)
    env = dict(os.environ, PYSTROBE_SYS_PROCS_MAX=str(SMALL_TABLE))
    rep, out, err, _ = syscalls(ps, tmp, "full", shell, env)
    lost = rep.get("processes_not_counted")
    line = "syscalls: %s processes not counted: process table full (%d)" % (lost, SMALL_TABLE)
    # sh (the first entry) became the Python: counted; 150 /bin/true and seq do not fit
    c.check(label, "full-json", len(rep["processes"]) == SMALL_TABLE and lost is not None and
            lost >= 50 and len(rep["processes"]) + lost >= SMALL_TABLE + 51,
            "%d processes reported, %s not counted" % (len(rep["processes"]), lost))
    c.check(label, "full-lines", line in out and line in err,
            "%r in the report: %s, in the summary: %s" % (line, line in out, line in err))
    c.check(label, "full-python", writes_of(python_proc(rep)) == 1000,
            "Python's write calls %d (want exactly 1000)" % writes_of(python_proc(rep)))


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def check_same_pid_twice(c, ps, label, py, tmp):
    out = os.path.join(tmp, "dup.folded")
    hot = subprocess.Popen([py, pslib.workload("hot.py"), "60"])
    try:
        time.sleep(0.5)
        t0, w0 = cpu_ticks(hot.pid), time.time()
        r = pslib.run_pystrobe(ps, ["record", "-p", str(hot.pid), "-p", str(hot.pid), "-d", "3",
                                    "-F", "99", "--format", "folded", "-o", out])
        cpu_s = (cpu_ticks(hot.pid) - t0) / os.sysconf("SC_CLK_TCK")
        outside = time.time() - w0 - 3.0  # set-up and report: CPU not sampled
    finally:
        hot.kill()
        hot.wait()
    if r.returncode != 0:
        raise AssertionError("exit %d: %s" % (r.returncode, r.stderr.strip()[-300:]))
    stacks, meta = pslib.read_folded(out)
    total = sum(n for _, n in stacks)
    rows = [l for l in r.stderr.splitlines() if re.match(r"\s*%d\s" % hot.pid, l)]
    listed = [int(m.group(1)) for m in (re.search(r"(\d+) samples", l) for l in rows) if m]
    c.check(label, "dup-once", meta.get("processes") == "1" and listed == [total],
            "processes %s; summary rows of pid %d: %s; %d samples in the profile" % (
                meta.get("processes"), hot.pid, listed, total))
    # 99 Hz of the CPU it used while sampled: at most all of it, at least what
    # is left when set-up and report took CPU too; +-15 samples: 10 ms CPU
    # ticks and the spread of timer instants over a preempted process (3 sigma)
    high = 99 * cpu_s + 15
    low = 99 * (cpu_s - max(outside, 0)) - 15
    c.check(label, "dup-count", low <= total <= high,
            "%d samples for %.2f s of CPU at 99 Hz, %.1f s not sampled (want %.0f..%.0f)" % (
                total, cpu_s, outside, low, high))


def main():
    a = pslib.args()
    found, _ = pslib.interpreters(a.only or "3.12")
    c = pslib.Checks()
    for label, py, _ in found[:1]:
        with tempfile.TemporaryDirectory() as tmp:
            for i, check in enumerate((check_many_children, check_table_full,
                                       check_same_pid_twice)):
                try:
                    check(c, a.pystrobe, label, py, tmp)
                except Exception as e:
                    c.check(label, "check%d" % i, False, "error: %s" % e)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
