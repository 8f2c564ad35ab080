#!/usr/bin/env python3
"""The GIL estimate (user/gil/gil_estimate.c) against exact tracing, and what each
costs on a real server.

1. Error: `pystrobe gil` runs exact (probes) and the estimate (looks at holder and
   waiters every 10 ms) side by side; every thread's estimated held and wait time
   against the exact ones, in points of its wall time, on a dominant holder
   (gil_holder.py: sorted() vs 2 loops) and 4 contending loops, on pyenv 3.12 and
   Debian's python3.11. The worst is the figure user/gil/gil_accuracy.c prints.
2. Cost at a server's rate: Debian's gunicorn (-w 2 --threads 4, our Flask app)
   under `ab -c 8`: requests/s unprofiled, under `gil` estimated (--gil-budget 1:
   the guard trips at once) and under `gil` exact (--gil-budget 100000000).

Usage: bench/bench_gil_estimate.py [--pystrobe build/pystrobe] [--runs 3]
"""
import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

from benchlib import W, free_port, newest_python

CASES = (("holder", ["gil_holder.py", "2", "3"]), ("contend-4", ["gil_contention.py", "4", "3"]))


def errors(ps, py, argv, tmp):
    js = os.path.join(tmp, "g.json")
    subprocess.run([ps, "gil", "-q", "--json", js, "--", py, os.path.join(W, argv[0])] + argv[1:],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    p = json.load(open(js))["processes"][0]
    held, wait = [], []
    for t in p["threads"]:
        if not t["est_looks"] or not t["wall_ns"]:
            continue
        held.append(100.0 * abs(t["est_held_ns"] - t["held_ns"]) / t["wall_ns"])
        wait.append(100.0 * abs(t["est_wait_ns"] - t["wait_ns"]) / t["wall_ns"])
    return max(held or [0]), max(wait or [0]), p["mode"], p["peak_events_per_s"]


def server_rps(ps, budget, tmp):
    """Requests/s of ab against gunicorn, under `gil --gil-budget budget` (None: unprofiled)."""
    port, pid = free_port(), os.path.join(tmp, "g.pid")
    cmd = ["/usr/bin/gunicorn", "-w", "2", "--threads", "4", "-b", "127.0.0.1:%d" % port,
           "-p", pid, "--chdir", W, "gil_flask_app:app"]
    if budget is not None:
        cmd = [ps, "gil", "-q", "--gil-budget", budget, "-d", "12", "--json",
               os.path.join(tmp, "s.json"), "--"] + cmd
    log = open(os.path.join(tmp, "log"), "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    try:
        end = time.time() + 8
        while time.time() < end:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(0.5)  # the workers' probes attach (or the guard trips)
        out = subprocess.run(["ab", "-q", "-t", "5", "-n", "1000000", "-c", "8",
                              "http://127.0.0.1:%d/" % port], stdout=subprocess.PIPE,
                             universal_newlines=True).stdout
    finally:
        if os.path.exists(pid):
            subprocess.call(["kill", open(pid).read().strip()])
        proc.wait(timeout=60)
    m = re.search(r"Requests per second:\s+([\d.]+)", out)
    return float(m.group(1)) if m else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pystrobe", default=os.path.join(W, "..", "..", "build", "pystrobe"))
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    pythons = [("3.12", newest_python("3.12")), ("debian-3.11", "/usr/bin/python3.11")]
    with tempfile.TemporaryDirectory() as tmp:
        print("1. estimate vs exact, worst thread per run (points of wall)")
        for label, py in pythons:
            for name, argv in CASES:
                got = [errors(a.pystrobe, py, argv, tmp) for _ in range(a.runs)]
                print("  %-12s %-10s held %s  wait %s  (mode %s, %.0f probe hits/s)" % (
                    label, name, " ".join("%.1f" % g[0] for g in got),
                    " ".join("%.1f" % g[1] for g in got), got[-1][2], got[-1][3]))
        print("2. gunicorn -w 2 --threads 4 under ab -c 8, requests/s")
        for what, budget in (("unprofiled", None), ("gil, estimated", "1"),
                             ("gil, exact", "100000000")):
            rps = [server_rps(a.pystrobe, budget, tmp) for _ in range(a.runs)]
            print("  %-16s %s" % (what, " ".join("%.0f" % r for r in rps)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
