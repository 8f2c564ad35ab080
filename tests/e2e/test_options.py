#!/usr/bin/env python3
"""Options and frame kinds no other suite reaches, each on 2-3 interpreters:
`record --gil` keeps only GIL-holding samples; `--max-frames N` cuts deep stacks
to exactly N frames under `[truncated]`; `syscalls --sample-every N` sends one
stack in N, each weighted N; a frame whose caller link points at unmapped memory
shows as `[unreadable]`; pprof `ns_pid`/`cgroup` labels of a process in its own
pid namespace and cgroup (`unshare --pid --fork --mount-proc`)."""
import json
import os
import subprocess
import sys
import time

import pslib
from test_discovery import make_cgroup

VERSIONS = "3.12,3.13,debian-3.11"


def folded(ps, tmp, argv, name, cmd="record"):
    out = os.path.join(tmp, name + ".folded")
    r = pslib.run_pystrobe(ps, [cmd, "-f", "folded", "-o", out] + argv, timeout=120)
    if r.returncode:
        raise AssertionError("exit %d: %s" % (r.returncode, r.stderr.strip()[-300:]))
    return pslib.read_folded(out)


def samples_in(stacks, fn):
    return sum(n for fr, n in stacks if any(pslib.func(f) == fn for f in fr))


def check_gil(c, ps, label, py, tmp):
    """gil_release.py: py_spin holds the GIL, hash_loop runs without it."""
    argv = ["-F", "199", "--", py, pslib.workload("gil_release.py"), "2"]
    every, _ = folded(ps, tmp, argv, "all")
    held, _ = folded(ps, tmp, ["--gil"] + argv, "gil")
    e = (samples_in(every, "py_spin"), samples_in(every, "hash_loop"))
    g = (samples_in(held, "py_spin"), samples_in(held, "hash_loop"))
    # without --gil both threads are on CPU alike; with it hash_loop (~1 % held) is gone
    ok = e[1] >= 0.3 * e[0] > 0 and g[0] >= 0.5 * e[0] and g[1] <= 0.1 * g[0]
    c.check(label, "record-gil", ok, "py_spin/hash_loop samples: %d/%d without --gil, %d/%d "
            "with" % (e + g))


def check_max_frames(c, ps, label, py, tmp):
    stacks, meta = folded(ps, tmp, ["-F", "199", "--max-frames", "50", "--", py,
                                    pslib.workload("deep.py"), "200", "2"], "maxf")
    deep = [(fr, n) for fr, n in stacks if pslib.func(fr[-1]) == "spin"]
    ok = deep and all(len(fr) == 2 + 50 and fr[1] == "[truncated]" for fr, _ in deep) and \
        int(meta.get("truncated", "0")) >= sum(n for _, n in deep)
    c.check(label, "max-frames", bool(ok), "%d spin stacks, frames below the root %s, marked "
            "%s, truncated=%s" % (len(deep), sorted(set(len(fr) - 1 for fr, _ in deep)),
                                  sorted(set(fr[1] for fr, _ in deep)), meta.get("truncated")))


def check_sample_every(c, ps, label, py, tmp):
    n, every = 70000, 7
    js = os.path.join(tmp, "sys.json")
    stacks, _ = folded(ps, tmp, ["--sample-every", str(every), "--json", js, "--", py,
                                 pslib.workload("write_calls.py"), str(n)], "sys", "syscalls")
    with open(js) as f:
        procs = json.load(f)["processes"]
    used = [p.get("stack_sample_every") for p in procs]
    w = samples_in(stacks, "write_many")
    weights = set(cnt for fr, cnt in stacks if any(pslib.func(f) == "write_many" for f in fr))
    # n writes from one line, one stack in `every` sent and weighted `every`
    ok = used == [every] and abs(w - n) <= every and all(x % every == 0 for x in weights)
    c.check(label, "sample-every", ok, "stack_sample_every %s; write_many weighs %d (want %d "
            "+- %d, multiples of %d)" % (used, w, n, every, every))


def check_unreadable(c, ps, label, py, tmp):
    stacks, meta = folded(ps, tmp, ["-F", "199", "--", py, pslib.workload("bad_frame.py"), "2"],
                          "bad")
    mine = [(fr, n) for fr, n in stacks if any(pslib.func(f) == "spin_cut_off" for f in fr)]
    total = sum(n for _, n in mine)
    cut = sum(n for fr, n in mine if "[unreadable]" in fr and
              not any(pslib.func(f) == "caller" for f in fr))
    c.check(label, "unreadable", total > 0 and cut >= 0.9 * total and
            int(meta.get("frame_unreadable", "0")) > 0,
            "%d of %d spin_cut_off samples cut at [unreadable] (caller not shown), "
            "frame_unreadable=%s" % (cut, total, meta.get("frame_unreadable")))


def container_pid(outer):
    """Host pid of the python that `unshare --fork` started (its child)."""
    def child():
        try:
            with open("/proc/%d/task/%d/children" % (outer, outer)) as f:
                kids = f.read().split()
        except OSError:
            return None
        return int(kids[0]) if kids else None
    pslib.wait_for(lambda: child() is not None, 5)
    return child()


def check_ns_labels(c, ps, label, py, tmp):
    name = "pystrobe-labels-%d" % os.getpid()
    procs = make_cgroup(name)
    out = os.path.join(tmp, "ns.pb.gz")
    # the shell joins the cgroup, then unshare runs python as pid 1 of a new namespace
    outer = subprocess.Popen(["sh", "-c", 'echo $$ > "$1"; exec unshare --pid --fork '
                              '--mount-proc "$2" "$3" 6', "sh", procs, py,
                              pslib.workload("hot.py")])
    try:
        pid = container_pid(outer.pid)
        time.sleep(1.0)
        r = pslib.run_pystrobe(ps, ["record", "-p", str(pid), "-d", "2", "-f", "pprof",
                                    "-o", out])
    finally:
        outer.kill()
        subprocess.run(["pkill", "-KILL", "-P", str(outer.pid)])
        outer.wait()
    prof = pslib.read_pprof(out) if r.returncode == 0 else {"samples": []}
    labels = set((l.get("ns_pid"), l.get("cgroup"), l.get("pid")) for _, l in prof["samples"])
    want_cg = "/" + name
    ok = bool(labels) and all(ns in ("1", (1, "")) and cg == want_cg for ns, cg, _ in labels)
    c.check(label, "ns-labels", ok, "host pid %s: labels (ns_pid, cgroup, pid) %s (want ns_pid 1,"
            " cgroup %s)" % (pid, sorted(labels, key=str)[:3], want_cg))
    try:
        os.rmdir(os.path.dirname(procs))
    except OSError:
        pass


def main():
    a = pslib.args()
    c = pslib.Checks()
    found, _ = pslib.interpreters(a.only or VERSIONS)
    for label, py, _ in found:
        checks = [check_gil, check_max_frames, check_sample_every, check_ns_labels]
        if label in ("3.12", "3.13"):  # bad_frame.py knows their frame layout
            checks.append(check_unreadable)
        pslib.run_checks(c, checks, a.pystrobe, label, py)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
