#!/usr/bin/env python3
"""`record --async --wall` on asyncio tasks (tests/workloads/async_tasks.py), CPython
3.11-3.15, the debug builds 3.14d and 3.15d, and Debian 3.11.

- layout: the await table in user/async/async_await.c (a suspended coroutine's
  _PyInterpreterFrame: stacktop or, 3.14+, stackpointer; localsplus; the
  _PyStackRef tag bits) matches a live interpreter: the coroutine an outer one
  awaits is on top of the outer one's stack, its tag bits cleared (ctypes);
  3.14+: the frame offsets and gi_iframe are those the interpreter publishes
  in its _Py_DebugOffsets (positions from scripts/async_probe.c);
- await: task-C (always in `await asyncio.sleep(0.05)`, never on CPU) has its
  wall time under `[task task-C];sleeper` at that await's line, then asyncio's
  `sleep`, then `[await]`, and that time is its life (the workload prints it)
  within LIFE_TOL;
- cpu: task-A's and task-B's CPU time ([CPU] leaves with crunch_a / crunch_b)
  stays under their own `[task ...]` frame (CPU_UNDER of it at least), 60/40
  within SHARE_TOL points, and no `[await]` time is counted for them as if
  they were never suspended at a future (they only `await asyncio.sleep(0)`);
- table: the per-thread table leaves the tasks' time out (the loop thread's
  time is at most its run, not the run plus task-C's);
- idle: tasks that never run while sampled (tests/workloads/async_idle.py)
  are found all the same (the periodic look): each waiter's time is at its
  `await` line, its life within IDLE_LOSS_S (found 0.04-0.18 s late here)
  and LIFE_TOL above;
About 6 s per version."""
import os
import re
import subprocess
import sys

import pslib
import test_async

VERSIONS = ("3.11", "3.12", "3.13", "3.14", "3.15", "3.14d", "3.15d", "debian-3.11")
SECONDS = "3"
LIFE_TOL = 0.04  # relative
SHARE_TOL = 5.0  # points
CPU_UNDER = 0.95
AWAIT_MARK = "await asyncio.sleep(0.05)"
IDLE_MARK = "# idle await"
# the periodic look (0.2 s, or 20x its own CPU: 4-8 ms for 17k GC objects read in 16 KiB
# chunks; one read per object took 38 ms and a fresh-clone run lost 0.75 s on 3.11 once)
# and the start of a -- CMD run
IDLE_LOSS_S = 0.6
# (3.14+ had a bound of their own, 1.1 s: their looks took 24-50 ms before the chunked
# reads, and the periodic look waited 0.5-1 s; now 2-8 ms, found 0.04-0.18 s late)
# the loop thread's time in the table is at most its run (task-C's added: 2 life or more);
# a debug build's slow start-up made that run 1.51-1.57 life (3.14d, measured)
TABLE_RUN = 1.5
TABLE_RUN_DEBUG = 1.8
DEBUG_BUILDS = ("3.14d", "3.15d")

PROBE = r"""
import asyncio, ctypes
def word(a): return ctypes.c_uint64.from_address(a).value
def int32(a): return ctypes.c_int32.from_address(a).value
async def inner(): await asyncio.sleep(0.3)
async def outer(c): await c
def slot(fr):
    base = fr + L["frame_localsplus"]
    n = int32(fr + L["frame_stack"]) if L["stack_kind"] == 0 else (
        (word(fr + L["frame_stack"]) - base) // 8)
    return base + 8 * (n - L["await_depth"]) if n >= L["await_depth"] else 0
def obj(ref):
    tag = L["ref_tag_bits"]
    return 0 if tag and ref & tag == L["ref_int_tag"] else ref & ~tag
async def main():
    c = inner()
    o = outer(c)
    k = asyncio.create_task(o)
    await asyncio.sleep(0.05)
    t = slot(id(o) + L["gen_iframe"])
    got = [t != 0 and obj(word(t)) == id(c)]
    if D:
        rt = ctypes.addressof(ctypes.c_char.in_dll(ctypes.pythonapi, "_PyRuntime"))
        got.append(ctypes.string_at(rt, 8) == b"xdebugpy")
        got += [word(rt + D[k]) == L[f] for k, f in DBG]
    print(got)
    k.cancel()
L = %r
D = %r
DBG = %r
asyncio.run(main())
"""
# 3.14+: (_Py_DebugOffsets position printed by scripts/async_probe.c, table field) pairs
DBG = (("dbg_frame_stackpointer", "frame_stack"), ("dbg_frame_localsplus", "frame_localsplus"),
       ("dbg_gen_iframe", "gen_iframe"))


def await_table():
    """{minor: {field: value}} of the await table, user/async/async_await.c."""
    src = open(os.path.join(pslib.ROOT, "user", "async", "async_await.c")).read()
    src = src[src.index("layouts[] = {"):]
    src = src[:src.index("\n};")]
    kinds = {"ASYNC_AWAIT_STACK_INDEX": 0, "ASYNC_AWAIT_STACK_POINTER": 1}
    out = {}
    for entry in re.findall(r"\{ \.major = 3(.*?)\}", src, re.S):
        kv = dict((k, int(kinds.get(v, v))) for k, v in re.findall(r"\.(\w+) = (\w+)", entry))
        kv.setdefault("ref_tag_bits", 0)
        kv.setdefault("ref_int_tag", 0)
        out[kv["minor"]] = kv
    return out


def debug_positions(label, py, tmp):
    """{key: position in _Py_DebugOffsets} from scripts/async_probe.c compiled against
    py's headers (3.14+: the interpreter publishes its frame layout there)."""
    inc = subprocess.check_output(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['include'])"],
        universal_newlines=True).strip()
    exe = os.path.join(tmp, "async_probe")
    subprocess.check_call(["gcc", "-DPy_BUILD_CORE"] + pslib.include_flags(label, inc) +
                          [os.path.join(pslib.ROOT, "scripts", "async_probe.c"), "-o", exe])
    out = dict(l.split("=") for l in subprocess.check_output(
        [exe], universal_newlines=True).split())
    return dict((k, int(v)) for k, v in out.items() if k.startswith("dbg_"))


def check_layout(c, ps, label, py, tmp):
    minor = int(subprocess.check_output([py, "-c", "import sys; print(sys.version_info[1])"]))
    t, a = test_async.table().get(minor), await_table().get(minor)
    out, want = "no entry", "[True]"
    if t and a:
        a = dict(a, gen_iframe=t["gen_iframe"])
        dbg = debug_positions(label, py, tmp) if minor >= 14 else {}
        want = str([True] * (1 + (1 + len(DBG) if dbg else 0)))
        out = subprocess.run([py, "-c", PROBE % (a, dbg, DBG)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             universal_newlines=True, timeout=30).stdout.strip()
    c.check(label, "layout", out == want, "awaited coroutine on top of the stack%s: %s"
            % (", _Py_DebugOffsets agree" if minor >= 14 else "", out[-200:]))


def record(ps, tmp, py, workload="async_tasks.py", life_re=r"task-C life ([\d.]+)"):
    out = os.path.join(tmp, "wall.folded")
    r = pslib.run_pystrobe(ps, ["record", "--async", "--wall", "-F", "999", "--format", "folded",
                                "-o", out, "--", py, pslib.workload(workload), SECONDS])
    if r.returncode != 0:
        raise AssertionError("exit %d: %s" % (r.returncode, r.stderr.strip()[-400:]))
    life = re.search(life_re, r.stdout)
    stacks, _ = pslib.read_folded(out)
    return stacks, float(life.group(1)) if life else None, r.stderr


def check_await(c, label, stacks, life):
    line = pslib.line_of("async_tasks.py", AWAIT_MARK)
    want = ["[task task-C]", "sleeper (%s:%d)" % (pslib.workload("async_tasks.py"), line)]
    total = at_line = 0
    for frames, ns in stacks:
        if "[task task-C]" in frames and frames[-1] == "[await]":
            total += ns
            tail = frames[1:]
            if tail[:2] == want and [pslib.func(f) for f in tail[2:]] == ["sleep", "[await]"]:
                at_line += ns
    c.check(label, "await", total and at_line == total,
            "%.3f of %.3f s of task-C under %s;sleep;[await]"
            % (at_line / 1e9, total / 1e9, ";".join(want)))
    c.check(label, "life", abs(total / 1e9 - life) <= LIFE_TOL * life,
            "task-C suspended %.3f s, life %.3f s (+-%.0f%%)"
            % (total / 1e9, life, 100 * LIFE_TOL))


def check_cpu(c, label, stacks):
    ns = {"crunch_a": [0, 0], "crunch_b": [0, 0]}
    task = {"crunch_a": "task-A", "crunch_b": "task-B"}
    awaited = 0
    for frames, w in stacks:
        funcs = [pslib.func(f) for f in frames]
        for fn in ns:
            if frames[-1] == "[CPU]" and fn in funcs:
                ns[fn][0] += w
                ns[fn][1] += w if funcs[1] == "[task %s]" % task[fn] else 0
        if frames[-1] == "[await]" and ("[task task-A]" in frames or "[task task-B]" in frames):
            awaited += w
    both = ns["crunch_a"][1] + ns["crunch_b"][1]
    share = 100.0 * ns["crunch_a"][1] / both if both else 0
    ok = all(tot and under >= CPU_UNDER * tot for tot, under in ns.values())
    c.check(label, "cpu", ok and abs(share - 60) <= SHARE_TOL,
            "under their task: crunch_a %.3f/%.3f s, crunch_b %.3f/%.3f s; A %.1f%% (60+-%.0f)"
            % (ns["crunch_a"][1] / 1e9, ns["crunch_a"][0] / 1e9, ns["crunch_b"][1] / 1e9,
               ns["crunch_b"][0] / 1e9, share, SHARE_TOL))
    # asyncio.sleep(0) yields without a future: a ready task, never at [await] for long
    c.check(label, "ready", awaited < 0.1 * both, "task-A/B at [await]: %.3f s (CPU %.3f s)"
            % (awaited / 1e9, both / 1e9))


def check_table(c, label, err, life):
    m = re.search(r"MainThread \(\d+\) in pid \d+: ([\d.]+) s", err)
    note = [l.strip() for l in err.splitlines() if "async wall:" in l]
    run = TABLE_RUN_DEBUG if label in DEBUG_BUILDS else TABLE_RUN
    ok = m and float(m.group(1)) < life * run and note
    c.check(label, "table", bool(ok), "loop thread %s s in the table (task-C %.3f s); %s"
            % (m.group(1) if m else "?", life, (note or ["no async wall line"])[0][:90]))


def check_record(c, ps, label, py, tmp):
    stacks, life, err = record(ps, tmp, py)
    if life is None:
        raise AssertionError("the workload did not print task-C's life")
    check_await(c, label, stacks, life)
    check_cpu(c, label, stacks)
    check_table(c, label, err, life)


def check_idle(c, ps, label, py, tmp):
    stacks, life, _ = record(ps, tmp, py, "async_idle.py", r"waiters life ([\d.]+)")
    if life is None:
        raise AssertionError("the workload did not print the waiters' life")
    where = "waiter (%s:%d)" % (pslib.workload("async_idle.py"),
                                pslib.line_of("async_idle.py", IDLE_MARK))
    got = {}
    for frames, ns in stacks:
        ts = [f for f in frames if f.startswith("[task waiter-")]
        if ts and frames[-1] == "[await]":
            got[ts[0]] = got.get(ts[0], 0) + (ns if frames[2] == where else -10 ** 12)
    loss = IDLE_LOSS_S
    ok = len(got) == 3 and all(life - loss <= v / 1e9 <= life * (1 + LIFE_TOL)
                               for v in got.values())
    c.check(label, "idle", ok, "life %.3f s; at %s: %s" % (life, where.split(" (")[0], ", ".join(
        "%s %.3f s" % (k[6:-1], v / 1e9) for k, v in sorted(got.items())) or "none"))


def main():
    a = pslib.args()
    c = pslib.Checks()
    plan = dict((v, [check_layout, check_record, check_idle]) for v in VERSIONS)
    for label, py, ver in pslib.interpreters(a.only)[0]:
        if label in plan:
            print("# %s (%s)" % (label, ver))
            pslib.run_checks(c, plan[label], a.pystrobe, label, py)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
