#!/usr/bin/env python3
"""Short-lived processes under `record --all`, on a busy machine: 50 Pythons per
version, each spending 80 ms of CPU in a function named after its index, with a
CPU hog beside them. Every one must come out under its own pid with its
function: a process whose samples all say "[no Python thread state]" (its
thread state never found) is a loss, and one loss fails."""
import os
import pty
import signal
import subprocess
import sys
import threading

import pslib

NR_PROCS = 50
AT_ONCE = 10  # processes started together: start-up overlaps, as on a build host
# 80 ms of the process's own CPU (not wall: the hog would shorten it): ~40 samples at 499 Hz
CHILD = """import time
def {fn}():
    t = time.process_time()
    while time.process_time() - t < 0.08:
        pass
{fn}()
"""


def root_pid(frame):
    """'python3.12 -c (4242)' -> '4242'."""
    return frame.rsplit("(", 1)[-1].rstrip(")")


def run_children(py, tag):
    """Start NR_PROCS children AT_ONCE at a time; {pid: function name}."""
    want = {}
    for first in range(0, NR_PROCS, AT_ONCE):
        batch = []
        for i in range(first, first + AT_ONCE):
            fn = "short_%s_%d" % (tag, i)
            batch.append((subprocess.Popen([py, "-c", CHILD.format(fn=fn)]), fn))
        for p, fn in batch:
            p.wait()
            want[str(p.pid)] = fn
    return want


def start_record(ps, out):
    """Start `record --all` with its stderr on a terminal, and return once it samples: it
    prints its progress line ("recording 0.0 s, ...") only from its sampling loop on.
    (record, [stderr text]); a thread keeps reading, so the progress never blocks it."""
    master, slave = pty.openpty()
    rec = subprocess.Popen([ps, "record", "--all", "-d", "120", "-F", "499", "-f", "folded",
                            "-o", out], stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    err, ready = [], threading.Event()

    def drain():
        while True:
            try:
                chunk = os.read(master, 4096).decode(errors="replace")
            except OSError:
                break  # EIO: record exited
            if not chunk:
                break
            err.append(chunk)
            if "recording" in chunk:
                ready.set()
        os.close(master)
        ready.set()

    threading.Thread(target=drain, daemon=True).start()
    ready.wait(120)
    return rec, err


def check_short(c, ps, label, py, tmp):
    out = os.path.join(tmp, "short.folded")
    hog = subprocess.Popen(["sh", "-c", "while :; do :; done"])
    try:
        rec, err = start_record(ps, out)
        want = run_children(py, "".join(ch if ch.isalnum() else "_" for ch in label))
    finally:
        hog.kill()
        hog.wait()
    rec.send_signal(signal.SIGINT)
    rec.wait(120)
    err = "".join(err)
    stacks, meta = pslib.read_folded(out)
    named, no_tstate = set(), {}
    for fr, n in stacks:
        pid = root_pid(fr[0])
        if pid not in want:
            continue
        if any(pslib.func(f) == want[pid] for f in fr[1:]):
            named.add(pid)
        if fr[1:2] == ["[no Python thread state]"]:
            no_tstate[pid] = no_tstate.get(pid, 0) + n
    lost = sorted(set(want) - named)
    c.check(label, "short", rec.returncode == 0 and not lost,
            "%d of %d processes named with their function; lost %s (their no-tstate "
            "samples: %s); no-tstate samples of the %d: %d, most in one %d; run: samples "
            "%s, no_tstate %s%s" % (
                len(named), len(want), lost[:5], [no_tstate.get(p, 0) for p in lost[:5]],
                len(want), sum(no_tstate.values()), max(list(no_tstate.values()) + [0]),
                meta.get("samples", "?"), meta.get("no_tstate", "0"),
                "" if rec.returncode == 0 else "; exit %d: %s" % (rec.returncode,
                                                                  err.strip()[-300:])))


def main():
    a = pslib.args()
    c = pslib.Checks()
    found, _ = pslib.interpreters(a.only or "debian-3.11,3.12,3.13")
    for label, py, ver in found:
        pslib.run_checks(c, [check_short], a.pystrobe, label, py)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
