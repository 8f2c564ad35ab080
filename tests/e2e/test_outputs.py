#!/usr/bin/env python3
"""Outputs other tools read, checked with those tools: pprof files pystrobe
wrote (record, gil wait profile, syscall profile) through `go tool pprof -top`
/ `-traces` / `-raw` (Debian golang-go); speedscope files through speedscope's
own importer (npm package, run by Node); `pystrobe diff` on folded and pprof
profiles; corrupt profile files give one clear error line and exit 1."""
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pslib

# interpreters the record checks run on (the gil / syscall ones use the first found)
VERSIONS = ("3.12", "debian-3.11") + pslib.SID_LABELS
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
    # each stack ends in its syscall (the leaf frame "write"): hidden, the Python line is the top
    rc, text = go_pprof(tmp, ["-sample_index=calls", "-hide=^write$", "-top", out])
    rows = top_rows(text)
    top = rows[0] if rows else (0, "(none)")
    m = re.search(r"Total samples = (\d+)", text)
    total = int(m.group(1)) if m else 0
    c.check(label, "sys-calls", rc == 0 and top[1] == "write_many" and top[0] >= 80 and
            N_WRITES * 0.8 <= total <= N_WRITES * 1.5,
            "go tool pprof -sample_index=calls -top: top %s %.1f%%, %d calls in all "
            "(want write_many, ~%d)" % (top[1], top[0], total, N_WRITES))
    rc, text = go_pprof(tmp, ["-sample_index=time", "-hide=^write$", "-top", out])
    rows = top_rows(text)
    top = rows[0] if rows else (0, "(none)")
    c.check(label, "sys-time", rc == 0 and top[1] == "write_many",
            "go tool pprof -sample_index=time -top: top %s %.1f%%" % (top[1], top[0]))


IMPORTER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "speedscope_import.js")


def speedscope_ready(c):
    """speedscope and playwright-core at their pinned versions (scripts/install-deps.sh), chromium."""
    mods, problems = pslib.node_modules()
    chromium = shutil.which("chromium")
    ok = not problems and chromium is not None and shutil.which("node") is not None
    c.check("-", "speedscope", ok, "npm packages in %s: %s, chromium %s, node %s"
            % (mods, "; ".join(problems) or "pinned versions", chromium, shutil.which("node")))
    return (mods, chromium) if ok else None


def speedscope_import(env, path):
    """What speedscope's importer made of path: {ok, title, rows, errors}; rows is the
    page text with the sandwich view's table (total, self, name per function)."""
    r = subprocess.run(["node", IMPORTER, env[0], env[1], path], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True, timeout=120)
    try:
        return json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"ok": False, "errors": [r.stdout.strip()[-300:]]}


def sandwich_top(res):
    """(name, self text) of the sandwich table's first function."""
    rows = [x.strip() for x in res.get("rows", [])]
    for i, row in enumerate(res.get("rows", [])):
        if row.startswith("Total") and "Symbol Name" in row and i + 3 < len(rows):
            return rows[i + 3], rows[i + 2]
    return "(none)", ""


def check_speedscope(c, env, ps, label, py, tmp):
    out = os.path.join(tmp, "hot-%s.speedscope.json" % label)
    r = pslib.run_pystrobe(ps, ["record", "-q", "--format", "speedscope", "-o", out, "--",
                                py, pslib.workload("hot.py"), "3"], timeout=180)
    c.check(label, "ss-rec", r.returncode == 0 and os.path.exists(out),
            "exit %d %s" % (r.returncode, r.stderr.strip()[-200:]))
    if r.returncode != 0:
        return
    with open(out) as f:
        doc = json.load(f)
    ok = doc.get("$schema") == "https://www.speedscope.app/file-format-schema.json" and \
        all(p.get("type") == "sampled" for p in doc.get("profiles", [])) and \
        any(fr.get("name") == "hot_leaf" and fr.get("file", "").endswith("hot.py") and
            fr.get("line") == pslib.line_of("hot.py", "def hot_leaf")
            for fr in doc.get("shared", {}).get("frames", []))
    c.check(label, "ss-format", ok, "$schema, sampled profiles, frame hot_leaf with file and line")
    res = speedscope_import(env, out)
    name, self_ = sandwich_top(res)
    m = re.search(r"\((>?[\d.]+)%\)", self_)
    share = float(m.group(1).lstrip(">")) if m else 0
    c.check(label, "ss-import", res.get("ok") and name == "hot_leaf" and share >= 80,
            "speedscope importer: ok %s, title %r, top self %s %s, errors %s"
            % (res.get("ok"), res.get("title"), name, self_, res.get("errors")))


def check_speedscope_threads(c, env, ps, label, py, tmp):
    out = os.path.join(tmp, "threads.speedscope.json")
    r = pslib.run_pystrobe(ps, ["record", "-q", "--format", "speedscope", "-o", out, "--",
                                py, pslib.workload("threads4.py"), "2"], timeout=180)
    if r.returncode != 0:
        c.check(label, "ss-threads", False, "exit %d %s" % (r.returncode, r.stderr[-200:]))
        return
    with open(out) as f:
        names = [p["name"] for p in json.load(f)["profiles"]]
    workers = [n for n in names if "worker-" in n]
    c.check(label, "ss-threads", len(workers) == 4 and len(set(names)) == len(names),
            "one profile per thread: %s" % names)
    res = speedscope_import(env, out)
    c.check(label, "ss-imp-thr", res.get("ok"), "speedscope importer: ok %s, errors %s"
            % (res.get("ok"), res.get("errors")))


def check_speedscope_gil_sys(c, env, ps, label, py, tmp):
    runs = (("ss-gil", ["gil"], "gil_contention.py", ["4", "2"], "contended_work"),
            # a syscall stack's leaf is its syscall: the top self frame is "write"
            ("ss-sys", ["syscalls", "--latency"], "write_calls.py", [str(N_WRITES), "16"],
             "write"))
    for name, cmd, wl, wargs, want in runs:
        out = os.path.join(tmp, name + ".speedscope.json")
        r = pslib.run_pystrobe(ps, cmd + ["--format", "speedscope", "-o", out, "--", py,
                                          pslib.workload(wl)] + wargs, timeout=180)
        if r.returncode != 0:
            c.check(label, name, False, "exit %d %s" % (r.returncode, r.stderr[-200:]))
            continue
        res = speedscope_import(env, out)
        top, self_ = sandwich_top(res)
        c.check(label, name, res.get("ok") and top == want,
                "speedscope importer: ok %s, top self %s %s (want %s), errors %s"
                % (res.get("ok"), top, self_, want, res.get("errors")))


def fills(svg_path):
    """{function name: fill} of an SVG's frames (first occurrence)."""
    out = {}
    with open(svg_path, encoding="utf-8") as f:
        for m in re.finditer(r"<title>([^<]*?) \(\d+ [^<]*</title><rect [^>]*fill=\"([^\"]+)\"",
                             f.read()):
            out.setdefault(m.group(1).split(" (")[0], m.group(2))
    return out


def table(stdout):
    """{function: change in points} of diff's table."""
    rows = {}
    for line in stdout.splitlines():
        # base and new self time (s), then base %, new %, change
        m = re.match(r"\s*[\d.e+-]+\s+[\d.e+-]+\s+([\d.]+)\s+([\d.]+)\s+([+-][\d.]+)\s+(\S+)",
                     line)
        if m:
            rows[m.group(4)] = float(m.group(3))
    return rows


def check_diff(c, ps, label, py, tmp):
    base, new = os.path.join(tmp, "base.folded"), os.path.join(tmp, "new.pb.gz")
    for out, fmt, pct in ((base, "folded", "30"), (new, "pprof", "70")):
        r = pslib.run_pystrobe(ps, ["record", "-q", "--format", fmt, "-o", out, "--", py,
                                    pslib.workload("shares.py"), "3", pct], timeout=180)
        if r.returncode != 0:
            c.check(label, "diff-rec", False, "exit %d %s" % (r.returncode, r.stderr[-200:]))
            return None
    svg = os.path.join(tmp, "diff.svg")
    r = pslib.run_pystrobe(ps, ["diff", base, new, "-o", svg])
    rows = table(r.stdout)
    a, b = rows.get("leaf_a", 0), rows.get("leaf_b", 0)
    c.check(label, "diff-table", r.returncode == 0 and 25 <= a <= 55 and -55 <= b <= -25,
            "exit %d, leaf_a %+.2f, leaf_b %+.2f points (want ~+40 / ~-40)"
            % (r.returncode, a, b))
    xml = subprocess.run(["xmllint", "--noout", svg], stderr=subprocess.PIPE,
                         universal_newlines=True) if os.path.exists(svg) else None
    f = fills(svg) if os.path.exists(svg) else {}
    fa, fb = f.get("leaf_a", ""), f.get("leaf_b", "")
    red = fa.startswith("#ff") and fa[3:5] == fa[5:7] and fa[3:5] != "ff"
    blue = fb.endswith("ff") and fb[1:3] == fb[3:5] and fb[1:3] != "ff"
    c.check(label, "diff-svg", xml is not None and xml.returncode == 0 and red and blue,
            "well-formed %s, leaf_a fill %s (want red), leaf_b fill %s (want blue)"
            % (xml is not None and xml.returncode == 0, fa, fb))
    r = pslib.run_pystrobe(ps, ["diff", base, new, "--fail-if-regressed", "10"])
    err = r.stderr.strip().splitlines()
    ok = r.returncode == 1 and len(err) == 1 and "leaf_a" in err[0] and "grew" in err[0]
    c.check(label, "diff-fail", ok, "--fail-if-regressed 10: exit %d, stderr %s"
            % (r.returncode, err))
    r = pslib.run_pystrobe(ps, ["diff", base, new, "--fail-if-regressed", "60"])
    c.check(label, "diff-pass", r.returncode == 0 and not r.stderr.strip(),
            "--fail-if-regressed 60: exit %d %s" % (r.returncode, r.stderr.strip()[:200]))
    r = pslib.run_pystrobe(ps, ["diff", new, new, "--fail-if-regressed", "0"])
    c.check(label, "diff-same", r.returncode == 0 and not table(r.stdout),
            "a profile against itself: exit %d, %d changed rows" % (r.returncode,
                                                                   len(table(r.stdout))))
    return new


def bad_inputs(tmp, good_gz):
    """(name, path, stderr pattern) of broken profile files."""
    with open(good_gz, "rb") as f:
        gz = f.read()
    raw = gzip.decompress(gz)
    corrupt = bytearray(gz)
    for i in range(12, len(corrupt) - 8):
        corrupt[i] ^= 0x5a
    cases = [
        ("trunc-gzip", gz[:len(gz) // 2], r"offset \d+: gzip data truncated"),
        ("corrupt-gzip", bytes(corrupt), r"offset \d+: corrupt gzip data"),
        ("trunc-proto", gzip.compress(raw[:len(raw) * 2 // 3]),
         r"offset \d+ \(after gunzip\): protobuf truncated"),
        ("bad-proto", gzip.compress(b"\x32\x00\x12\x04\x08\x09\x10\x01"),
         r"offset 4 \(after gunzip\): sample refers to unknown location 9"),
        ("bad-folded", b"main (a.py:1);leaf (a.py:2) 3\nmain (a.py:1) 12x\n",
         r"offset 46: count '12x' is not a number"),
        ("no-count", b"main (a.py:1);leaf (a.py:2)\n", r"offset 19: no count at the end of the line"),
        ("empty", b"", r"no samples"),
    ]
    out = []
    for name, data, pat in cases:
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        out.append((name, path, pat))
    out.append(("missing", os.path.join(tmp, "does-not-exist"), r"cannot open: No such file"))
    return out


def check_bad_input(c, ps, tmp, good):
    for name, path, pat in bad_inputs(tmp, good):
        for argv in (["diff", path, good], ["diff", good, path]):
            r = pslib.run_pystrobe(ps, argv)
            err = r.stderr.strip().splitlines()
            want = r"^pystrobe: %s: %s" % (re.escape(path), pat)
            ok = r.returncode == 1 and len(err) == 1 and re.search(want, err[0]) is not None
            c.check("-", name, ok, "%s: exit %d, stderr %s" % (
                "BASE" if argv[1] == path else "NEW", r.returncode, err[:2]))


def main():
    a = pslib.args()
    c = pslib.Checks()
    found, _ = pslib.interpreters(a.only or ",".join(VERSIONS))
    if not found:
        print("MISSING: none of CPython %s is installed: nothing tested" % ", ".join(VERSIONS))
        return 1
    # PYSTROBE_OUTPUTS_PARTS=diff (say) runs one part while working on it
    everything = ("pprof", "speedscope", "diff")
    parts = os.environ.get("PYSTROBE_OUTPUTS_PARTS", ",".join(everything)).split(",")
    for part in everything:  # a skipped part is reported, and fails under CI=true
        if part not in parts:
            pslib.report_missing("part %s skipped by PYSTROBE_OUTPUTS_PARTS" % part)
    have_go = "pprof" in parts and shutil.which("go") is not None
    if "pprof" in parts:
        c.check("-", "go", have_go, "go (Debian golang-go) on PATH (scripts/install-deps.sh)")
    with tempfile.TemporaryDirectory(prefix="ps-outputs-") as tmp:
        for label, py, _ in found:
            if have_go:
                check_pprof_record(c, a.pystrobe, label, py, tmp)
        label, py, _ = found[0]
        if have_go:
            check_pprof_gil(c, a.pystrobe, label, py, tmp)
            check_pprof_syscalls(c, a.pystrobe, label, py, tmp)
        env = speedscope_ready(c) if "speedscope" in parts else None
        if env:
            for label, py, _ in found:
                check_speedscope(c, env, a.pystrobe, label, py, tmp)
            label, py, _ = found[0]
            check_speedscope_threads(c, env, a.pystrobe, label, py, tmp)
            check_speedscope_gil_sys(c, env, a.pystrobe, label, py, tmp)
        label, py, _ = found[0]
        good = check_diff(c, a.pystrobe, label, py, tmp) if "diff" in parts else None
        if good:
            check_bad_input(c, a.pystrobe, tmp, good)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
