#!/usr/bin/env python3
"""`pystrobe syscalls` against every installed CPython 3.8+: exactly N 16-byte
writes from a known line are counted exactly, named as the top batching
candidate with median 16, and match `strace -c -f` on the same program; the
batched variant is not flagged; small reads, tiny socket sends and a
repeatedly stat'ed path are flagged as such (its exact count, its line),
while 50k paths stat'ed once each are not (one sampled call scaled by N is
no evidence); --latency -o graphs end in the syscall; a process that is not a target
is not counted; --latency adds times. A CPython of a version pystrobe cannot
read (a 3.12 whose libpython says 3.16) is still counted exactly, with -- CMD
and -p, and the report says its syscalls are not attributed to Python lines."""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

import pslib
from test_cli import patch_py_version

VERSIONS = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15", "3.14d", "3.15d",
            "debian-3.11")
N = 50000


def audit(ps, tmp, argv, name="sys"):
    js = os.path.join(tmp, name + ".json")
    r = pslib.run_pystrobe(ps, ["syscalls", "--json", js] + argv, timeout=300)
    if r.returncode != 0:
        raise AssertionError("exit %d: %s" % (r.returncode, r.stderr.strip()[-300:]))
    with open(js) as f:
        return json.load(f)


def calls_of(proc, name):
    return sum(s["calls"] for s in proc["syscalls"] if s["name"] == name)


def strace_counts(py, argv, tmp):
    """{syscall: calls} from strace -c -f of the same command."""
    out = os.path.join(tmp, "strace.txt")
    # the same stdio as the command pystrobe runs (its stdout is our pipe)
    subprocess.run(["strace", "-c", "-f", "-o", out, py] + argv, check=True,
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    counts = {}
    for line in open(out):
        m = re.match(r"\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)\s*$", line)
        if m and m.group(2) != "total":
            counts[m.group(2)] = int(m.group(1))
    return counts


def check_writes(c, ps, label, py, tmp):
    w = pslib.workload("write_calls.py")
    rep = audit(ps, tmp, ["--latency", "--", py, w, str(N), "16"])
    proc = rep["processes"][0]
    writes = calls_of(proc, "write")
    c.check(label, "exact", writes == N, "write calls %d (want exactly %d)" % (writes, N))
    line = pslib.line_of("write_calls.py", "# SMALL-WRITE")
    top = rep["findings"][0] if rep["findings"] else {}
    ok = top.get("kind") == "small writes" and top.get("where", "").endswith(
        "write_calls.py:%d)" % line) and top.get("median_bytes") == 16 and \
        abs(top.get("calls", 0) - N) <= N * 0.05 and top.get("time_ns", 0) > 0
    c.check(label, "top-site", ok, "%s at %s, median %s, ~%s calls" % (
        top.get("kind"), top.get("where"), top.get("median_bytes"), top.get("calls")))
    st = strace_counts(py, [w, str(N), "16"], tmp)
    ours = {s["name"]: s["calls"] for s in proc["syscalls"]}
    # execve: strace sees the exec itself, pystrobe counts from its return; exit_group
    # never returns, so strace -c leaves it out
    # memory management varies by a call or two between any two runs of one program
    mm = ("mmap", "munmap", "brk", "mprotect")
    diff = sorted(k for k in set(st) | set(ours) if k not in ("execve", "exit_group") and
                  abs((st.get(k) or 0) - (ours.get(k) or 0)) > (2 if k in mm else 0))
    c.check(label, "strace", st.get("write") == writes and not diff,
            "strace write %s, pystrobe %d; other differences: %s" % (
                st.get("write"), writes, ", ".join("%s %s/%s" % (k, st.get(k), ours.get(k))
                                                   for k in diff[:5]) or "none"))


def check_batched(c, ps, label, py, tmp):
    rep = audit(ps, tmp, ["--", py, pslib.workload("write_calls.py"), str(N), "16", "batched"])
    flagged = [f for f in rep["findings"] if "write_calls.py" in f["where"]]
    c.check(label, "batched", not flagged, "findings at write_calls.py: %d" % len(flagged))


def check_kind(c, ps, label, py, tmp, script, marker, kind, where_end=None, extra=()):
    rep = audit(ps, tmp, ["--", py, pslib.workload(script), str(N)] + list(extra), script)
    want = where_end or "%s:%d)" % (script, pslib.line_of(script, marker))
    hit = [f for f in rep["findings"] if f["kind"] == kind and f["where"].endswith(want)]
    c.check(label, kind.split()[-1][:10], bool(hit), "%s at ...%s: %s" % (
        kind, want, [(f["kind"], f["where"][-40:]) for f in rep["findings"][:3]]))


def check_repeated(c, ps, label, py, tmp):
    """The repeated path: exactly REPEAT calls, from its line; the once-stat'ed
    paths (each sampled call scaled by ~N used to make a finding): none."""
    script, repeat, once = "repeated_stat.py", 300, N
    rep = audit(ps, tmp, ["--", py, pslib.workload(script), str(repeat), "/etc/services",
                          str(once)], "rep")
    paths = [f for f in rep["findings"] if f["kind"] == "same path again and again"]
    want = "%s:%d)" % (script, pslib.line_of(script, "# REPEATED-STAT"))
    hit = [f for f in paths if f["where"] == "/etc/services"]
    ok = len(hit) == 1 and hit[0]["calls"] == repeat and \
        hit[0]["site"].endswith(want)
    c.check(label, "repeated", ok, "want one finding, %d exact calls from ...%s: %s" % (
        repeat, want, [(f["calls"], f["site"][-30:]) for f in hit]))
    false = [f for f in paths if "nonexistent-pystrobe" in f["where"]]
    c.check(label, "once", not false, "paths stat'ed once reported as repeated: %s" % [
        (f["where"], f["calls"]) for f in false[:3]])


def check_leaf(c, ps, label, py, tmp):
    """syscalls --latency -o: each stack's leaf is the syscall it made, and the
    graph adds up to the exact kernel times (1 in N stacks only split them: one
    sampled cold read once stood for 1024 and made a write-bound run read-bound)."""
    out = os.path.join(tmp, "lat.folded")
    rep = audit(ps, tmp, ["--latency", "-f", "folded", "-o", out, "--", py,
                          pslib.workload("write_calls.py"), str(N), "16"], "leaf")
    stacks, _ = pslib.read_folded(out)
    exact = {s["name"] + "_[k]": s["time_ns"] for p in rep["processes"] for s in p["syscalls"]}
    graph = {}
    for f, n in stacks:
        graph[f[-1]] = graph.get(f[-1], 0) + n
    off = {k: (graph.get(k, 0), v) for k, v in exact.items() if k in graph and graph[k] != v}
    c.check(label, "leaf-sums", graph and not off and set(graph) <= set(exact),
            "graph ns per syscall = exact kernel ns: %s; leaves not syscalls: %s" % (
                sorted(off.items())[:4], sorted(set(graph) - set(exact))[:4]))
    writes = sum(n for f, n in stacks if f[-1] == "write_[k]" and "write_calls.py" in f[-2])
    total = exact.get("write_[k]", 0)
    c.check(label, "leaf", total > 0 and writes >= total * 0.95,
            "%d of %d ns of write_[k] below write_calls.py" % (writes, total))


def check_not_target(c, ps, label, py, tmp):
    """Another process writing at the same time is not counted."""
    other = subprocess.Popen([py, pslib.workload("write_calls.py"), "300000", "16"])
    try:
        rep = audit(ps, tmp, ["--", py, pslib.workload("write_calls.py"), str(N), "16"], "nt")
    finally:
        other.wait()
    pids = [p["pid"] for p in rep["processes"]]
    writes = sum(calls_of(p, "write") for p in rep["processes"])
    c.check(label, "not-target", other.pid not in pids and writes == N,
            "processes %s, writes %d (want %d)" % (pids, writes, N))


def check_record(c, ps, label, py, tmp):
    """record --syscalls: the CPU profile as usual, the syscall report after the summary."""
    out, summ = os.path.join(tmp, "r.folded"), os.path.join(tmp, "summary.txt")
    # 10 N writes at 997 Hz: N alone runs ~25 ms, too short for CPU samples on a busy machine
    r = pslib.run_pystrobe(ps, ["record", "--syscalls", "-F", "997", "-f", "folded", "-o", out,
                                "--summary", summ, "--", py, pslib.workload("write_calls.py"),
                                str(10 * N)])
    text = open(summ).read() if os.path.exists(summ) else ""
    want = "write_calls.py:%d)" % pslib.line_of("write_calls.py", "# SMALL-WRITE")
    folded, stacks = pslib.folded_has(out, "write_many")
    parts = {"cpu profile": "top functions by self time" in text, "small writes": "small writes"
             in text, want: want in text, "folded stacks in write_many (%s)" % stacks: folded}
    c.check(label, "record", r.returncode == 0 and all(parts.values()),
            "exit %d; in the summary: %s" % (r.returncode, ", ".join(
                "%s %s" % (k, "yes" if v else "MISSING") for k, v in parts.items())))


def unknown_python(tmp):
    """(python, env): pyenv 3.12 whose libpython says it is 3.16.0, or (None, None)."""
    pys = sorted(glob.glob("/root/.pyenv/versions/3.12.*/bin/python3.12"))
    if not pys:
        return None, None
    d = os.path.join(tmp, "lib316")
    os.makedirs(d)
    patch_py_version(os.path.join(os.path.dirname(pys[-1]), "..", "lib", "libpython3.12.so.1.0"),
                     os.path.join(d, "libpython3.12.so.1.0"), 0x031000f0)
    return pys[-1], dict(os.environ, LD_LIBRARY_PATH=d)


UNSUPPORTED = ("pid %d: CPython 3.16.0 not supported: syscalls counted, not attributed to "
               "Python lines")


def check_unsupported(c, ps, tmp):
    """Writes of an unsupported CPython are counted exactly, -- CMD and -p; the report says so."""
    label = "3.16-fake"
    py, env = unknown_python(tmp)
    if not py:
        c.check(label, "setup", False, "pyenv 3.12 not installed")
        return
    js = os.path.join(tmp, "u.json")
    r = pslib.run_pystrobe(ps, ["syscalls", "--json", js, "--", py, pslib.workload(
        "write_calls.py"), str(N), "16"], env=env)
    rep = json.load(open(js)) if r.returncode == 0 else {"processes": [{}]}
    proc = rep["processes"][0]
    writes = calls_of(proc, "write") if proc else 0
    ok = writes == N and proc.get("python") == "3.16.0" and proc.get("python_lines") is False \
        and UNSUPPORTED % proc.get("pid", 0) in r.stdout
    c.check(label, "cmd", ok, "exit %d, write calls %d (want %d), python %r, python_lines %r, "
            "note %s" % (r.returncode, writes, N, proc.get("python"), proc.get("python_lines"),
                         "yes" if UNSUPPORTED % proc.get("pid", 0) in r.stdout else "MISSING"))
    # -p: the writes start 3 s after the process, long after pystrobe has attached
    code = ("import os, time; time.sleep(3); fd = os.open('/dev/null', os.O_WRONLY)\n"
            "for _ in range(%d): os.write(fd, b'x' * 16)" % N)
    proc = subprocess.Popen([py, "-c", code], env=env)
    try:
        r = pslib.run_pystrobe(ps, ["syscalls", "--json", js, "-p", str(proc.pid)])
    finally:
        proc.wait()
    rep = json.load(open(js)) if r.returncode == 0 else {"processes": []}
    mine = [p for p in rep["processes"] if p["pid"] == proc.pid]
    writes = calls_of(mine[0], "write") if mine else 0
    c.check(label, "-p", r.returncode == 0 and writes == N and UNSUPPORTED % proc.pid in r.stdout,
            "exit %d, write calls %d (want %d), note %s; %s" % (
                r.returncode, writes, N, "yes" if UNSUPPORTED % proc.pid in r.stdout else
                "MISSING", r.stderr.strip()[-200:]))


def main():
    a = pslib.args()
    found, _ = pslib.interpreters(a.only or ",".join(VERSIONS))
    c = pslib.Checks()
    for label, py, ver in found:
        with tempfile.TemporaryDirectory() as tmp:
            checks = [
                lambda: check_writes(c, a.pystrobe, label, py, tmp),
                lambda: check_batched(c, a.pystrobe, label, py, tmp),
                lambda: check_kind(c, a.pystrobe, label, py, tmp, "small_reads.py",
                                   "# SMALL-READ", "small reads"),
                lambda: check_kind(c, a.pystrobe, label, py, tmp, "socket_sends.py",
                                   "# TINY-SEND", "tiny socket sends"),
                # /etc/services: a file both the host and the sid root have
                lambda: check_repeated(c, a.pystrobe, label, py, tmp),
                lambda: check_leaf(c, a.pystrobe, label, py, tmp),
                lambda: check_not_target(c, a.pystrobe, label, py, tmp),
                lambda: check_record(c, a.pystrobe, label, py, tmp),
            ]
            for i, check in enumerate(checks):
                try:
                    check()
                except Exception as e:
                    c.check(label, "check%d" % i, False, "error: %s" % e)
    if not a.only or "3.16-fake" in a.only.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            check_unsupported(c, a.pystrobe, tmp)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
