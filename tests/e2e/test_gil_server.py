#!/usr/bin/env python3
"""`pystrobe gil` on a real server: Debian's gunicorn (-w 2 --threads 4) serving a
Flask app of ours (tests/workloads/gil_flask_app.py), driven by `ab` while
traced. The budget is set low enough that the cost guard always trips on the
workers (on the issue's box it tripped at the default budget, 112,000 events/s):
the workers must then be estimated with their waits known (looked at, not n/a),
and the diagnosis must rest on those estimates: it names an estimated process and
says "estimated" (before: "not the bottleneck", from the idle master alone)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pslib

BUDGET = "2000"  # GIL events/s: the workers' request handling is far above
SECONDS = 8
REQUESTS = 3000


def run(ps, tmp):
    port, js, pid = pslib.free_port(), os.path.join(tmp, "gil.json"), os.path.join(tmp, "g.pid")
    cmd = [ps, "gil", "--gil-budget", BUDGET, "-d", str(SECONDS), "--json", js, "--",
           "/usr/bin/gunicorn", "-w", "2", "--threads", "4", "-b", "127.0.0.1:%d" % port,
           "-p", pid, "--chdir", os.path.dirname(pslib.workload("gil_flask_app.py")),
           "gil_flask_app:app"]
    # files, not pipes: gunicorn inherits them and may outlive pystrobe
    outf, errf = open(os.path.join(tmp, "out"), "w+"), open(os.path.join(tmp, "err"), "w+")
    prof = subprocess.Popen(cmd, stdout=outf, stderr=errf)
    try:
        pslib.wait_for(lambda: pslib.port_open(port), timeout=SECONDS - 2)
        ab = subprocess.run(["ab", "-q", "-n", str(REQUESTS), "-c", "8",
                             "http://127.0.0.1:%d/" % port], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, universal_newlines=True, timeout=60)
        prof.wait(timeout=60)
    finally:
        if os.path.exists(pid):
            subprocess.call(["kill", open(pid).read().strip()])
        if prof.poll() is None:
            prof.kill()
    outf.seek(0)
    errf.seek(0)
    out, err = outf.read(), errf.read()
    rps = [l for l in ab.stdout.splitlines() if l.startswith("Requests per second")]
    with open(js) as f:
        return json.load(f), out, err, rps[0] if rps else "ab: " + ab.stdout[-200:]


def main():
    a = pslib.args()
    c = pslib.Checks()
    if not (shutil.which("ab") and os.path.exists("/usr/bin/gunicorn")):
        pslib.report_missing("gunicorn + ab (scripts/install-deps.sh)")
        return c.finish()
    with tempfile.TemporaryDirectory() as tmp:
        rep, out, err, rps = run(a.pystrobe, tmp)
    procs = rep["processes"]
    workers = [p for p in procs if p["mode"] == "estimated" and "budget" in p["reason"]]
    looked = [p for p in workers
              if p["threads"] and all(t["wait_ns"] is not None for t in p["threads"])]
    # the master may trip the guard too (imports at start-up), then idles
    c.check("debian-3.11", "guard", len(workers) >= 2, "%d processes, %d over the budget: %s" %
            (len(procs), len(workers), "; ".join("%d %s %s" % (p["pid"], p["mode"], p["reason"][:60])
                                                for p in procs)))
    c.check("debian-3.11", "estimate", workers and len(looked) == len(workers),
            "workers with estimated waits: %d of %d (%s)" % (len(looked), len(workers), rps))
    d = rep["diagnosis"]
    # the diagnosis rests on the estimated processes, and says so
    named = any("pid %d" % p["pid"] in d for p in looked)
    c.check("debian-3.11", "diagnosis", named and "estimated" in d, d[:300])
    sys.stdout.write(out)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
