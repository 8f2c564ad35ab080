#!/usr/bin/env python3
"""Python's own thread names in every output (tests/workloads/thread_names.py).

Three threading.Thread objects named grinder-1..3 and two ThreadPoolExecutor
workers spin for SECONDS. On every version with a registry reader (3.8-3.13,
Debian 3.11, 3.14, 3.15):
- folded (record --threads): each thread root is the Python name with its
  tid: "grinder-1 (TID)", "ThreadPoolExecutor-0_0 (TID)"; none is left with
  the OS name (python3.X) but threads that never ran Python;
- pprof (record --threads -f pprof, the pool named by thread_name_prefix
  "crunch"): every sample of those threads has the thread_name label
  grinder-N / crunch_N;
- gil --json: the rows name grinder-1..3 with "thread_name_source": "python".
The pool workers' names are 22 characters: the OS name (comm) holds 15, so
their full names show that the registry was read, also on 3.14+ where
CPython copies Thread.name into the OS name itself.
"""
import json
import os

import pslib

VERSIONS = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15", "debian-3.11")
SECONDS = "1.2"
GRINDERS = {"grinder-1", "grinder-2", "grinder-3"}
POOL = {"ThreadPoolExecutor-0_0", "ThreadPoolExecutor-0_1"}
CRUNCH = {"crunch_0", "crunch_1"}


def run(ps, argv):
    r = pslib.run_pystrobe(ps, argv)
    if r.returncode != 0:
        raise AssertionError("exit %d: %s" % (r.returncode, r.stderr.strip()[-400:]))
    return r


def root_names(stacks):
    """{thread name: samples} of the --threads roots ("name (tid)", frames[1])."""
    names = {}
    for frames, n in stacks:
        if len(frames) > 1:
            name = frames[1].rsplit(" (", 1)[0]
            names[name] = names.get(name, 0) + n
    return names


def check_folded(c, ps, label, py, tmp):
    out = os.path.join(tmp, "t.folded")
    run(ps, ["record", "--threads", "-F", "200", "-f", "folded", "-o", out, "--"] + py +
        [pslib.workload("thread_names.py"), SECONDS])
    names = root_names(pslib.read_folded(out)[0])
    want = GRINDERS | POOL
    grind = {k: v for k, v in names.items() if k in want}
    c.check(label, "folded", set(grind) == want and "MainThread" in names,
            "thread roots %s" % sorted(names.items()))


def check_pprof(c, ps, label, py, tmp):
    out = os.path.join(tmp, "t.pb.gz")
    run(ps, ["record", "--threads", "-F", "200", "-f", "pprof", "-o", out, "--"] + py +
        [pslib.workload("thread_names.py"), SECONDS, "crunch"])
    prof = pslib.read_pprof(out)
    per = {}
    for _, labels in prof["samples"]:
        name = labels.get("thread_name")
        per[name] = per.get(name, 0) + 1
    c.check(label, "pprof", GRINDERS | CRUNCH <= set(per),
            "thread_name labels %s" % sorted(per.items(), key=str))


def check_gil(c, ps, label, py, tmp):
    out = os.path.join(tmp, "g.json")
    run(ps, ["gil", "--json", out, "--"] + py + [pslib.workload("thread_names.py"), SECONDS])
    with open(out) as f:
        doc = json.load(f)
    rows = [t for p in doc["processes"] for t in p.get("threads", [])]
    named = {t["name"]: t.get("thread_name_source") for t in rows}
    ok = all(named.get(g) == "python" for g in GRINDERS) and \
        all(named.get(p) == "python" for p in POOL)
    c.check(label, "gil-json", ok, "rows %s" % sorted(named.items()))


def main():
    a = pslib.args()
    c = pslib.Checks()
    found, _ = pslib.interpreters(a.only)
    for label, path, ver in found:
        if label not in VERSIONS:
            continue
        print("# %s: %s" % (label, ver))
        with pslib.sid_tmpdir(label) as tmp:  # the same path inside the sid root
            for check in (check_folded, check_pprof, check_gil):
                try:
                    check(c, a.pystrobe, label, [path], tmp)
                except Exception as e:
                    c.check(label, check.__name__[6:], False, "error: %s" % e)
    return c.finish()


if __name__ == "__main__":
    raise SystemExit(main())
