#!/usr/bin/env python3
"""`record --async` on asyncio tasks (tests/workloads/async_tasks.py), CPython
3.11, 3.12, 3.13, Debian 3.11, and sid's 3.14 and 3.15 (scripts/sid-root.sh:
under CI=true a missing one fails, as every interpreter of pslib's matrix).

- layout: the table in user/async/async_layouts.c (from scripts/async_probe.c,
  the structs of Modules/_asynciomodule.c copied per version) matches a live
  interpreter: a task's coroutine, name and awaited future, and a coroutine's
  embedded frame, are where the table says (read with ctypes);
- shares: task-A (6 ms of CPU per step in crunch_a) and task-B (4 ms in
  crunch_b) get 60/40 of their samples within SHARE_TOL points;
- chains: their samples read `[task task-A];worker_a;step_a;crunch_a;spin`
  right under the process root (no event-loop frame in between);
- gather: g-child-1 and g-child-2 each have samples, all under `[task task-G]`,
  the task that awaits their gather;
- 3.10 (no coroutine frame to map to its task): the run succeeds and says
  its samples stay under the event loop.
About 8 s per version."""
import os
import re
import subprocess
import sys
import tempfile

import pslib

VERSIONS = ("3.11", "3.12", "3.13", "debian-3.11", "3.14", "3.15", "3.14d", "3.15d")
UNSUPPORTED = ("3.10",)  # no row in async_layouts.c: warned, left under the loop
SHARE_TOL = 3.0  # points
SECONDS = "4"
CHAIN_MIN = 0.95  # share of a task's spin samples that carry its whole chain

PROBE = r'''
import asyncio, ctypes, sys
t = dict(%s)
def word(a): return ctypes.c_uint64.from_address(a).value
async def child(): await asyncio.sleep(0.2)
async def main():
    c = child()
    k = asyncio.create_task(c, name="probe")
    await asyncio.sleep(0)
    fr = word(id(c.cr_frame) + 24)  # PyFrameObject.f_frame
    ok = [word(id(k) + t["task_coro"]) == id(c),
          word(id(k) + t["task_name"]) == id(k.get_name()),
          word(id(k) + t["task_fut_waiter"]) == id(k._fut_waiter),
          fr - id(c) == t["gen_iframe"], type(k).__basicsize__ == t["task_size"]]
    print(ok)
    k.cancel()
asyncio.run(main())
'''


def table():
    """{minor: {field: value}} from user/async/async_layouts.c."""
    src = open(os.path.join(pslib.ROOT, "user", "async", "async_layouts.c")).read()
    out = {}
    for entry in re.findall(r"\{ \.major = 3(.*?)\},\n", src, re.S):
        kv = dict((k, int(v)) for k, v in re.findall(r"\.(\w+) = (\d+)", entry))
        out[kv["minor"]] = kv
    return out


def check_layout(c, ps, label, py, tmp):
    minor = int(subprocess.check_output([py, "-c", "import sys; print(sys.version_info[1])"]))
    t = table().get(minor)
    fields = ("task_coro", "task_name", "task_fut_waiter", "gen_iframe", "task_size")
    code = PROBE % ", ".join("%s=%d" % (f, t[f]) for f in fields) if t else ""
    out = subprocess.run([py, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         universal_newlines=True, timeout=30).stdout.strip() if t else "no entry"
    c.check(label, "layout", out == "[True, True, True, True, True]",
            "%s: %s" % ("/".join(fields), out[-200:]))


def record(ps, tmp, py, name):
    out = os.path.join(tmp, name + ".folded")
    r = pslib.run_pystrobe(ps, ["record", "--async", "-F", "1999", "--format", "folded",
                                "-o", out, "--", py, pslib.workload("async_tasks.py"),
                                SECONDS])
    if r.returncode != 0:
        raise AssertionError("exit %d: %s" % (r.returncode, r.stderr.strip()[-400:]))
    stacks, _ = pslib.read_folded(out)
    return stacks, r.stderr


def tasks_of(frames):
    return [f[6:-1] for f in frames if f.startswith("[task ")]


def chain_ok(frames, task, chain):
    """frames (root first): the process root, [task TASK], then chain, then spin."""
    funcs = [pslib.func(f) for f in frames]
    want = ["[task %s]" % task] + list(chain) + ["spin"]
    return funcs[1:] == want


def check_shares(c, label, stacks):
    n = {"task-A": 0, "task-B": 0}
    good = {"task-A": 0, "task-B": 0}
    chains = {"task-A": ("worker_a", "step_a", "crunch_a"),
              "task-B": ("worker_b", "step_b", "crunch_b")}
    for frames, cnt in stacks:
        ts = tasks_of(frames)
        if ts in (["task-A"], ["task-B"]) and pslib.func(frames[-1]) == "spin":
            n[ts[0]] += cnt
            good[ts[0]] += cnt if chain_ok(frames, ts[0], chains[ts[0]]) else 0
    both = n["task-A"] + n["task-B"]
    share = 100.0 * n["task-A"] / both if both else 0
    c.check(label, "shares", both >= 200 and abs(share - 60) <= SHARE_TOL,
            "task-A %.1f%% of %d task-A/B spin samples (want 60 +- %.0f)"
            % (share, both, SHARE_TOL))
    ok = all(n[t] and good[t] >= CHAIN_MIN * n[t] for t in n)
    c.check(label, "chains", ok, "full chain: task-A %d/%d, task-B %d/%d"
            % (good["task-A"], n["task-A"], good["task-B"], n["task-B"]))


def check_gather(c, label, stacks):
    kids = {"g-child-1": [0, 0], "g-child-2": [0, 0]}
    for frames, cnt in stacks:
        ts = tasks_of(frames)
        for k in kids:
            if k in ts:
                kids[k][0] += cnt
                kids[k][1] += cnt if ts == ["task-G", k] else 0
    ok = all(tot >= 5 and under == tot for tot, under in kids.values())
    c.check(label, "gather", ok, "; ".join("%s: %d of %d under task-G" % (k, v[1], v[0])
                                         for k, v in sorted(kids.items())))


def check_record(c, ps, label, py, tmp):
    stacks, err = record(ps, tmp, py, "async")
    check_shares(c, label, stacks)
    check_gather(c, label, stacks)
    note = [l.strip() for l in err.splitlines() if "async:" in l]
    c.check(label, "summary", bool(note), (note or ["no async line in the summary"])[0][:120])


def check_unsupported(c, ps, label, py, tmp):
    stacks, err = record(ps, tmp, py, "unsupported")
    said = "not %s" % label in err
    c.check(label, "unsupported", said and not any(tasks_of(f) for f, _ in stacks),
            "warned: %s, %d stacks" % (said, len(stacks)))


def main():
    a = pslib.args()
    c = pslib.Checks()
    found, _ = pslib.interpreters(a.only)
    for label, py, ver in found:
        if label in VERSIONS:
            print("# %s (%s)" % (label, ver))
            pslib.run_checks(c, [check_layout, check_record], a.pystrobe, label, py)
        elif label in UNSUPPORTED:
            pslib.run_checks(c, [check_unsupported], a.pystrobe, label, py)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
