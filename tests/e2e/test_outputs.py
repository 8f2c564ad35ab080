#!/usr/bin/env python3
"""Outputs other tools read, checked with those tools: pprof files pystrobe
wrote (record, gil wait profile, syscall profile) through `go tool pprof -top`
/ `-traces` / `-raw` (Debian golang-go); speedscope files through speedscope's
own importer (npm package, run by Node); `pystrobe diff` on folded and pprof
profiles; corrupt profile files give one clear error line and exit 1."""
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pslib

# interpreters the record checks run on (the gil / syscall ones use the first found)
VERSIONS = ("3.12", "debian-3.11")
N_WRITES = 30000


def go_env(tmp):
    """go's pprof offline: its own HOME and build cache, no network, no toolchain switch."""
    env = dict(os.environ)
    env.update(HOME=os.path.join(tmp, "gohome"), GOCACHE=os.path.join(tmp, "gocache"),
               GOFLAGS="-mod=mod", GOTOOLCHAIN="local", GOPROXY="off", GOTELEMETRY="off")
    return env


def go_pprof(tmp, argv):
    """(exit status, stdout+stderr) of `go tool pprof ARGV`."""
    r = subprocess.run(["go", "tool", "pprof"] + argv, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True,
                       env=go_env(tmp), timeout=120)
    return r.returncode, r.stdout


def top_rows(text):
    """[(flat%, name)] of a `pprof -top` listing, in order."""
    rows = []
    for line in text.splitlines():
        m = re.match(r"\s*\S+\s+([\d.]+)%\s+[\d.]+%\s+\S+\s+[\d.]+%\s+(.+)$", line)
        if m:
            rows.append((float(m.group(1)), m.group(2).strip()))
    return rows


def traces(text):
    """[(labels dict, [frames leaf first])] of a `pprof -traces` listing."""
    out = []
    for block in text.split("-----------+")[1:]:
        labels, frames = {}, []
        for line in block.splitlines()[1:]:
            m = re.match(r"\s*(\w+):\s+(.*)$", line)
            if m and not frames:
                labels[m.group(1)] = m.group(2).strip()
                continue
            m = re.match(r"\s*(?:\S+\s+)?(\S.*)$", line) if line.strip() else None
            if m:
                parts = line.split()
                frames.append(parts[-1])
        out.append((labels, frames))
    return out


def record(c, ps, label, argv, tmp, name):
    """Run `pystrobe record ARGV`; the path written, or None (a FAIL is recorded)."""
    r = pslib.run_pystrobe(ps, ["record", "-q"] + argv, timeout=180)
    ok = r.returncode == 0 and os.path.exists(os.path.join(tmp, name))
    c.check(label, "record", ok, "exit %d %s" % (r.returncode, r.stderr.strip()[-200:]))
    return os.path.join(tmp, name) if ok else None


def check_pprof_record(c, ps, label, py, tmp):
    out = os.path.join(tmp, "hot-%s.pb.gz" % label)
    r = pslib.run_pystrobe(ps, ["record", "-q", "--format", "pprof", "-o", out, "--",
                                py, pslib.workload("hot.py"), "3"], timeout=180)
    c.check(label, "pprof-rec", r.returncode == 0 and os.path.exists(out),
            "exit %d %s" % (r.returncode, r.stderr.strip()[-200:]))
    if r.returncode != 0:
        return
    with open(out, "rb") as f:
        magic = f.read(2)
    c.check(label, "gzip", magic == b"\x1f\x8b", "magic %r (want 1f 8b)" % magic)
    rc, text = go_pprof(tmp, ["-top", out])
    rows = top_rows(text)
    top = rows[0] if rows else (0, "(none)")
    c.check(label, "pprof-top", rc == 0 and top[1] == "hot_leaf" and top[0] >= 80,
            "go tool pprof -top: exit %d, top %s at %.1f%% flat (want hot_leaf >= 80%%)"
            % (rc, top[1], top[0]))
    c.check(label, "pprof-type", "Type: cpu" in text and "Duration:" in text,
            "header says %r" % " | ".join(l for l in text.splitlines()
                                          if l.startswith(("Type", "Duration")))[:120])
    rc, text = go_pprof(tmp, ["-traces", out])
    tr = [t for t in traces(text) if t[1] and t[1][0] == "hot_leaf"]
    chain = tr[0][1][:5] if tr else []
    want = ["hot_leaf", "middle", "outer", "main", "<module>"]
    labels = tr[0][0] if tr else {}
    c.check(label, "pprof-trace", rc == 0 and chain == want,
            "go tool pprof -traces: hot_leaf chain %s (want %s)" % (chain, want))
    ok = labels.get("pid", "").isdigit() and labels.get("tid", "").isdigit() and \
        "python" in labels and "thread_name" in labels and "process_name" in labels
    c.check(label, "pprof-label", ok, "labels of that trace: %s" % labels)
    rc, text = go_pprof(tmp, ["-raw", out])
    hot = pslib.line_of("hot.py", "# HOT")
    start = pslib.line_of("hot.py", "def hot_leaf")
    ok = rc == 0 and "samples/count cpu/nanoseconds" in text and \
        re.search(r"hot_leaf \S*hot\.py:%d s=%d\b" % (hot, start), text) is not None
    c.check(label, "pprof-raw", ok, "go tool pprof -raw: sample types and hot_leaf at "
            "hot.py:%d (function at %d) %s" % (hot, start, "found" if ok else "missing"))


def check_pprof_gil(c, ps, label, py, tmp):
    out = os.path.join(tmp, "gil.pb.gz")
    r = pslib.run_pystrobe(ps, ["gil", "--format", "pprof", "-o", out, "--", py,
                                pslib.workload("gil_contention.py"), "4", "2"], timeout=180)
    c.check(label, "gil-pprof", r.returncode == 0 and os.path.exists(out),
            "exit %d %s" % (r.returncode, r.stderr.strip()[-200:]))
    if r.returncode != 0:
        return
    rc, text = go_pprof(tmp, ["-top", out])
    rows = top_rows(text)
    top = rows[0] if rows else (0, "(none)")
    c.check(label, "gil-top", rc == 0 and "Type: wait" in text and
            top[1] == "contended_work" and top[0] >= 80,
            "go tool pprof -top: exit %d, type wait %s, top %s %.1f%% (want contended_work)"
            % (rc, "Type: wait" in text, top[1], top[0]))
    rc, text = go_pprof(tmp, ["-traces", out])
    tids = {t[0].get("tid") for t in traces(text) if t[1] and t[1][0] == "contended_work"}
    c.check(label, "gil-trace", rc == 0 and len(tids) >= 4,
            "go tool pprof -traces: %d distinct tid labels wait in contended_work (want 4)"
            % len(tids - {None}))


def check_pprof_syscalls(c, ps, label, py, tmp):
    out = os.path.join(tmp, "sys.pb.gz")
    r = pslib.run_pystrobe(ps, ["syscalls", "--latency", "--format", "pprof", "-o", out, "--",
                                py, pslib.workload("write_calls.py"), str(N_WRITES), "16"],
                           timeout=180)
    c.check(label, "sys-pprof", r.returncode == 0 and os.path.exists(out),
            "exit %d %s" % (r.returncode, r.stderr.strip()[-200:]))
    if r.returncode != 0:
        return
    rc, text = go_pprof(tmp, ["-raw", out])
    c.check(label, "sys-types", rc == 0 and "calls/count time/nanoseconds" in text,
            "go tool pprof -raw: sample types %s"
            % re.findall(r"^(\w+/\w+(?: \w+/\w+)*)$", text, re.M)[:1])
    rc, text = go_pprof(tmp, ["-sample_index=calls", "-top", out])
    rows = top_rows(text)
    top = rows[0] if rows else (0, "(none)")
    m = re.search(r"Total samples = (\d+)", text)
    total = int(m.group(1)) if m else 0
    c.check(label, "sys-calls", rc == 0 and top[1] == "write_many" and top[0] >= 80 and
            N_WRITES * 0.8 <= total <= N_WRITES * 1.5,
            "go tool pprof -sample_index=calls -top: top %s %.1f%%, %d calls in all "
            "(want write_many, ~%d)" % (top[1], top[0], total, N_WRITES))
    rc, text = go_pprof(tmp, ["-sample_index=time", "-top", out])
    rows = top_rows(text)
    top = rows[0] if rows else (0, "(none)")
    c.check(label, "sys-time", rc == 0 and top[1] == "write_many",
            "go tool pprof -sample_index=time -top: top %s %.1f%%" % (top[1], top[0]))


def main():
    a = pslib.args()
    c = pslib.Checks()
    found, _ = pslib.interpreters(a.only)
    found = [f for f in found if f[0] in VERSIONS]
    if not found:
        print("MISSING: none of CPython %s is installed: nothing tested" % ", ".join(VERSIONS))
        return 1
    have_go = shutil.which("go") is not None
    c.check("-", "go", have_go, "go (Debian golang-go) on PATH (scripts/install-deps.sh)")
    with tempfile.TemporaryDirectory(prefix="ps-outputs-") as tmp:
        for label, py, _ in found:
            if have_go:
                check_pprof_record(c, a.pystrobe, label, py, tmp)
        label, py, _ = found[0]
        if have_go:
            check_pprof_gil(c, a.pystrobe, label, py, tmp)
            check_pprof_syscalls(c, a.pystrobe, label, py, tmp)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
