#!/usr/bin/env python3
"""Bad input and usage of `pystrobe record`: every error is one clear line and
the documented exit code (0 ok, 1 runtime failure, 2 bad usage)."""
import os
import subprocess
import sys
import tempfile
import time

import pslib


def expect(c, name, r, code, needle):
    err = r.stderr.strip()
    ok = r.returncode == code and needle in err
    c.check("cli", name, ok, "exit %d (want %d), stderr: %s" % (r.returncode, code,
                                                               err.splitlines()[-1:] or ""))


def main():
    a = pslib.args()
    ps = a.pystrobe
    c = pslib.Checks()
    run = lambda argv, **kw: pslib.run_pystrobe(ps, argv, **kw)

    r = run(["record", "--help"])
    c.check("cli", "help", r.returncode == 0 and "USAGE" in r.stdout and "EXAMPLES" in r.stdout,
            "exit %d" % r.returncode)
    r = run(["--help"])
    c.check("cli", "top-help", r.returncode == 0 and "record" in r.stdout, "exit %d" % r.returncode)
    expect(c, "freq0", run(["record", "-F", "0", "-p", "1"]), 2, "invalid --frequency '0'")
    expect(c, "notarget", run(["record"]), 2, "choose one target")
    expect(c, "twotarget", run(["record", "--all", "-p", "1"]), 2, "choose one target")
    expect(c, "badformat", run(["record", "--format", "png", "-p", "1"]), 2, "invalid --format")
    expect(c, "unknowncmd", run(["frobnicate"]), 2, "unknown command")
    expect(c, "nopid", run(["record", "-p", "999999", "-d", "1"]), 1, "pid 999999: no such process")

    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        expect(c, "notpython", run(["record", "-p", str(sleeper.pid), "-d", "1"]), 1,
               "pid %d: not a Python process" % sleeper.pid)
    finally:
        sleeper.kill()
        sleeper.wait()

    # not root: one clear line, exit 1, before any BPF work
    r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        "--inh-caps=-all", ps, "record", "-p", "1", "-d", "1"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    lines = r.stderr.strip().splitlines()
    c.check("cli", "nonroot", r.returncode == 1 and len(lines) == 1 and "needs root" in lines[0],
            "exit %d, stderr %r" % (r.returncode, lines))

    # a target that exits mid-run: the output is still written, exit 0
    py = pslib.interpreters()[0][-1][1]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "exit.folded")
        proc = subprocess.Popen([py, pslib.workload("hot.py"), "1"])
        time.sleep(0.3)
        r = run(["record", "-p", str(proc.pid), "-d", "10", "-f", "folded", "-o", out])
        proc.wait()
        c.check("cli", "target-exits", r.returncode == 0 and os.path.getsize(out) > 0,
                "exit %d; %s" % (r.returncode, r.stderr.strip().splitlines()[:1]))
        # a command that fails to start
        r = run(["record", "-o", out, "--", "/nonexistent/python"])
        c.check("cli", "badcmd", r.returncode == 1 and "cannot run" in r.stderr and
                "could not be run" in r.stderr, "exit %d: %s" % (r.returncode, r.stderr.strip()))
        # SIGINT stops cleanly and still writes the output
        out2 = os.path.join(tmp, "int.folded")
        proc = subprocess.Popen([py, pslib.workload("hot.py"), "30"])
        rec = subprocess.Popen([ps, "record", "-p", str(proc.pid), "-f", "folded", "-o", out2],
                               stderr=subprocess.PIPE, universal_newlines=True)
        time.sleep(2)
        rec.send_signal(2)
        _, err = rec.communicate(timeout=30)
        proc.kill()
        proc.wait()
        stacks, meta = pslib.read_folded(out2) if os.path.exists(out2) else ([], {})
        c.check("cli", "sigint", rec.returncode == 0 and stacks and "samples" in meta,
                "exit %d, %d stacks" % (rec.returncode, len(stacks)))
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
