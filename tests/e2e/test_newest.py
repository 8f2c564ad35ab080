#!/usr/bin/env python3
"""The newest interpreters next to the old ones, found with no configuration.

One `record --all` on a host running CPython 3.8, 3.11 and 3.13 (pyenv) and
3.14 and 3.15 (the Debian sid root, through `chroot`) at once, plus 3.14 and
3.15 in their own PID and mount namespace (`unshare --pid --mount --fork
chroot ROOT python3.X`) and started through the root's own dynamic loader
(`chroot ROOT ld-linux-x86-64.so.2 python3.X`): every one's hot function is
named under its own pid. Then the namespaced 3.14 once more with `-p HOSTPID`.
"""
import os
import subprocess
import sys
import tempfile
import time

import pslib
from test_discovery import root_pid, stop

SECONDS = 45  # workload run time: the recordings fall inside it
RECORD_S = 10  # --all
PID_S = 6  # each -p
LDSO = "/lib64/ld-linux-x86-64.so.2"
HOST = ("3.8", "3.11", "3.13")
SID = ("3.14", "3.15")


class Case:
    def __init__(self, name, argv, marker):
        self.name, self.argv, self.marker = name, argv, marker
        self.find = marker  # test_discovery.stop kills the found pid too
        self.proc, self.pid = None, None


def cases():
    """Every setup, each hot.py with a marker argument that finds its pid."""
    hot = pslib.workload("hot.py")
    out, missing = [], []
    found, _ = pslib.interpreters(",".join(HOST + SID))
    have = {label: py for label, py, _ in found}
    tag = "pystrobe-newest-%d-" % os.getpid()
    for label in HOST + SID:
        if label not in have:
            missing.append(label)
            continue
        argv = pslib.sid_command(label) if pslib.is_sid(label) else [have[label]]
        out.append(Case(label, argv + [hot, str(SECONDS), tag + label], tag + label))
    for label in SID:
        if label not in have:
            continue
        cmd = pslib.sid_command(label)
        m = tag + label + "-ns"
        out.append(Case(label + " unshare", ["unshare", "--pid", "--mount", "--fork"] + cmd +
                        [hot, str(SECONDS), m], m))
        m = tag + label + "-ldso"
        out.append(Case(label + " ld.so", cmd[:2] + [LDSO, "--library-path", "/usr/lib",
                                                     cmd[2], hot, str(SECONDS), m], m))
    return out, missing


def find_pid(marker, timeout=10.0):
    """The pid whose argv holds marker and runs the interpreter (not unshare / chroot)."""
    end = time.time() + timeout
    while time.time() < end:
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open("/proc/%s/cmdline" % d, "rb") as f:
                    argv = f.read().split(b"\0")
                comm = open("/proc/%s/comm" % d).read().strip()
            except OSError:
                continue
            if marker.encode() in argv and comm not in ("unshare", "chroot"):
                return int(d)
        time.sleep(0.05)
    return None


def hot_of(stacks, pid):
    """(samples in hot_leaf, the top leaf function) of pid's stacks."""
    leaves = {}
    hits = 0
    for frames, n in stacks:
        if root_pid(frames[0]) != str(pid) or len(frames) < 2:
            continue
        leaf = pslib.func(frames[-1])
        leaves[leaf] = leaves.get(leaf, 0) + n
        hits += n if any(pslib.func(f) == "hot_leaf" for f in frames) else 0
    top = max(leaves, key=leaves.get) if leaves else None
    return hits, top


def record(ps, argv, out, secs):
    r = pslib.run_pystrobe(ps, ["record"] + argv + ["-d", str(secs), "-F", "99", "-f",
                                                    "folded", "-o", out], timeout=secs + 60)
    stacks = pslib.read_folded(out)[0] if os.path.exists(out) else []
    return r, stacks


def check_case(chk, what, c, stacks):
    hits, top = hot_of(stacks, c.pid)
    # hot_leaf is where hot.py spends its time: the top leaf, with samples to spare
    chk.check(c.name, what, c.pid is not None and hits >= 5 and top == "hot_leaf",
              "pid %s: %d samples in hot_leaf, top leaf %s" % (c.pid, hits, top))


def main():
    a = pslib.args()
    chk = pslib.Checks()
    pslib.sid_prepare()
    cs, missing = cases()
    for m in missing:
        chk.check(m, "installed", False, "CPython %s missing: not tested" % m)
    try:
        for c in cs:
            c.proc = subprocess.Popen(c.argv, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
        for c in cs:
            c.pid = find_pid(c.marker)
        time.sleep(1.0)
        with tempfile.TemporaryDirectory() as tmp:
            r, stacks = record(a.pystrobe, ["--all"], os.path.join(tmp, "all.folded"),
                               RECORD_S)
            chk.check("record", "--all", r.returncode == 0, "exit %d: %s" % (
                r.returncode, r.stderr.strip()[-300:]))
            for c in cs:
                check_case(chk, "--all", c, stacks)
            for c in cs:
                if c.name.endswith("unshare") and c.proc.poll() is None:
                    r, stacks = record(a.pystrobe, ["-p", str(c.pid)],
                                       os.path.join(tmp, "p.folded"), PID_S)
                    check_case(chk, "-p", c, stacks)
    finally:
        stop(cs)
    return chk.finish()


if __name__ == "__main__":
    sys.exit(main())
