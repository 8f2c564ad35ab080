#!/usr/bin/env python3
"""`pystrobe gil` and `record --split-gil` against every installed CPython 3.8+:
4 contending threads hold ~25 % and wait ~75 %, held time sums to ~100 %;
sleeping threads wait ~0; one thread holds for its CPU time; the wait flame
graph has the workers' function on top; the timeline is valid JSON with
non-overlapping intervals per thread; 1M small writes trip the cost guard
(estimated, with the reason); a build without symbols is labelled estimated;
GIL state per sample splits held from released work."""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

import pslib

GIL_VERSIONS = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15", "3.14d", "3.15d",
                "debian-3.11")


def gil(ps, tmp, argv, name="gil"):
    js = os.path.join(tmp, name + ".json")
    r = pslib.run_pystrobe(ps, ["gil", "--json", js] + argv)
    if r.returncode != 0:
        raise AssertionError("exit %d: %s" % (r.returncode, r.stderr.strip()[-400:]))
    with open(js) as f:
        return json.load(f), r.stdout


def workers(report, skip_main=True):
    """Threads of the (only) process, minus the main thread (tid == pid)."""
    p = report["processes"][0]
    return p, [t for t in p["threads"] if not (skip_main and t["tid"] == p["pid"])]


def pct(part, whole):
    return 100.0 * part / whole if whole else 0.0


def check_contention(c, ps, label, py, tmp):
    tl = os.path.join(tmp, "timeline.json")
    waits = os.path.join(tmp, "waits.folded")
    rep, _ = gil(ps, tmp, ["--timeline", tl, "-o", waits, "-f", "folded", "--", py,
                           pslib.workload("gil_contention.py"), "4", "3"])
    p, ws = workers(rep)
    held = [pct(t["held_ns"], t["wall_ns"]) for t in ws]
    wait = [pct(t["wait_ns"], t["wall_ns"]) for t in ws]
    ok = p["mode"] == "exact" and len(ws) == 4 and all(abs(h - 25) <= 5 for h in held) and \
        all(abs(w - 75) <= 5 for w in wait)
    c.check(label, "contention", ok, "mode %s, held %s, wait %s" % (
        p["mode"], " ".join("%.1f" % h for h in held), " ".join("%.1f" % w for w in wait)))
    walls = [t["wall_ns"] for t in ws]
    total = pct(sum(t["held_ns"] for t in ws), max(walls) if walls else 0)
    c.check(label, "held-sum", abs(total - 100) <= 5, "held summed over threads %.1f%% of "
            "wall" % total)
    c.check(label, "diagnosis", "contend for the GIL" in rep["diagnosis"],
            rep["diagnosis"][:100])
    check_timeline(c, label, tl)
    check_waits(c, label, waits)


def check_timeline(c, label, path):
    with open(path) as f:
        trace = json.load(f)
    by_tid = {}
    for e in trace["traceEvents"]:
        if e.get("ph") == "X":
            by_tid.setdefault(e["tid"], []).append((e["ts"], e["ts"] + e["dur"]))
    overlaps = 0
    for ivs in by_tid.values():
        ivs.sort()
        overlaps += sum(1 for a, b in zip(ivs, ivs[1:]) if b[0] < a[1] - 0.001)
    busy = [t for t, ivs in by_tid.items() if len(ivs) > 20]
    c.check(label, "timeline", len(busy) >= 4 and overlaps == 0,
            "%d threads with intervals, %d overlaps" % (len(busy), overlaps))


def check_waits(c, label, path):
    stacks, meta = pslib.read_folded(path)
    selfc = pslib.self_counts(stacks, first=2)
    top = selfc.most_common(1)
    ok = bool(top) and pslib.func(top[0][0]) == "contended_work" and meta.get("unit") == "ns"
    c.check(label, "waitgraph", ok, "top wait leaf %s" % (top[0][0] if top else None))


def check_sleepers(c, ps, label, py, tmp):
    rep, _ = gil(ps, tmp, ["--", py, pslib.workload("gil_sleepers.py"), "4", "2"])
    p, ws = workers(rep)
    wait = [pct(t["wait_ns"], t["wall_ns"]) for t in ws]
    c.check(label, "sleepers", p["mode"] == "exact" and len(ws) == 4 and max(wait) < 2 and
            "not the bottleneck" in rep["diagnosis"], "waits %s" %
            " ".join("%.2f" % w for w in wait))


def check_single(c, ps, label, py, tmp):
    rep, out = gil(ps, tmp, ["--", py, pslib.workload("gil_single.py"), "2"])
    cpu = float(out.split("cpu ")[1].split()[0]) if "cpu " in out else 0
    runq = float(out.split("runq ")[1].split()[0]) if "runq " in out else 0
    p, ts = workers(rep, skip_main=False)
    t = ts[0] if ts else {"held_ns": 0, "wait_ns": 0, "wall_ns": 1}
    held = t["held_ns"] / 1e9
    # preempted on a busy machine, the thread keeps the GIL: held lies between its CPU
    # time and CPU + run-queue time (equal to CPU time on an idle machine)
    c.check(label, "single", p["mode"] == "exact" and 0.9 * cpu <= held <= 1.1 * (cpu + runq)
            and cpu > 0 and t["wait_ns"] < 0.01 * t["wall_ns"],
            "held %.3f s, CPU %.3f s (+ %.3f s on the run queue), wait %.2f%%" % (
                held, cpu, runq, pct(t["wait_ns"], t["wall_ns"])))


def check_guard(c, ps, label, py, tmp):
    rep, _ = gil(ps, tmp, ["--", py, pslib.workload("small_writes.py"), "1000000"])
    p = rep["processes"][0]
    c.check(label, "guard", p["mode"] == "estimated" and p["estimated"] and
            "budget" in p["reason"], "mode %s: %s" % (p["mode"], p["reason"][:90]))


def check_split(c, ps, label, py, tmp):
    out = os.path.join(tmp, "split.folded")
    r = pslib.run_pystrobe(ps, ["record", "--split-gil", "-F", "199", "-f", "folded", "-o", out,
                                "--", py, pslib.workload("gil_release.py"), "2"])
    stacks, _ = pslib.read_folded(out) if r.returncode == 0 else ([], {})
    share = {}
    for fn in ("py_spin", "hash_loop"):
        mine = [(fr[1], n) for fr, n in stacks if any(pslib.func(f) == fn for f in fr)]
        tot = sum(n for _, n in mine)
        share[fn] = pct(sum(n for st, n in mine if st == "[GIL held]"), tot)
    c.check(label, "split-gil", share["py_spin"] > 90 and share["hash_loop"] < 30,
            "py_spin %.0f%% held, hash_loop %.0f%% held" % (share["py_spin"], share["hash_loop"]))


def check_no_symbols(c, ps, tmp):
    """A libpython stripped of .symtab (no debug file): labelled estimated, with the reason."""
    libs = sorted(glob.glob("/root/.pyenv/versions/3.12.*/lib/libpython3.12.so.1.0"))
    if not libs:
        c.check("3.12", "nosymbols", False, "needs pyenv 3.12 (missing)")
        return
    libdir = os.path.join(tmp, "stripped")
    os.mkdir(libdir)
    lib = os.path.join(libdir, "libpython3.12.so.1.0")
    shutil.copy(libs[-1], lib)
    subprocess.check_call(["strip", "--strip-all", lib])
    py = os.path.join(os.path.dirname(os.path.dirname(libs[-1])), "bin", "python3.12")
    env = dict(os.environ, LD_LIBRARY_PATH=libdir)
    js = os.path.join(tmp, "nosym.json")
    r = subprocess.run([ps, "gil", "--json", js, "--", py, pslib.workload("gil_contention.py"),
                        "2", "1"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    rep = json.load(open(js)) if r.returncode == 0 else {"processes": [{}]}
    p = rep["processes"][0]
    ok = p.get("mode") == "estimated" and "estimated" in r.stdout and \
        all(t["estimated"] for t in p.get("threads", [])) and "take_gil" in p.get("reason", "")
    c.check("3.12", "nosymbols", ok, "mode %s: %s" % (p.get("mode"), p.get("reason", "")[:80]))


def main():
    a = pslib.args()
    found, missing = pslib.interpreters(a.only or ",".join(GIL_VERSIONS))
    c = pslib.Checks()
    for label, py, ver in found:
        with tempfile.TemporaryDirectory() as tmp:
            for check in (check_contention, check_sleepers, check_single, check_guard,
                          check_split):
                try:
                    check(c, a.pystrobe, label, py, tmp)
                except Exception as e:
                    c.check(label, check.__name__[6:], False, "error: %s" % e)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            check_no_symbols(c, a.pystrobe, tmp)
        except Exception as e:
            c.check("3.12", "nosymbols", False, "error: %s" % e)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
