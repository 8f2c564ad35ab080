"""Shared helpers of the end-to-end tests: interpreters, running pystrobe, reading folded output.

The tests run the real pystrobe binary (real BPF) against real CPython
processes started from tests/workloads/, and assert on what the profile
contains. They need root.
"""
import argparse
import collections
import glob
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORKLOADS = os.path.join(ROOT, "tests", "workloads")

# Under CI=true (.ci/run, scripts/test.sh in CI) whatever the machine image is
# supposed to hold and is missing fails the suite; elsewhere it is a MISSING line.
CI = os.environ.get("CI") == "true"

# (label, glob, required_in_ci) of every interpreter the matrix covers, oldest
# first. required_in_ci: the CI machine image installs it, so its absence is a
# failure there, not a skip.
INTERPRETERS = [
    ("2.7", "/root/.pyenv/versions/2.7.*/bin/python2.7", True),
    ("3.6", "/root/.pyenv/versions/3.6.*/bin/python3.6", True),
    ("3.7", "/root/.pyenv/versions/3.7.*/bin/python3.7", True),
    ("3.8", "/root/.pyenv/versions/3.8.*/bin/python3.8", True),
    ("3.9", "/root/.pyenv/versions/3.9.*/bin/python3.9", True),
    ("3.10", "/root/.pyenv/versions/3.10.*/bin/python3.10", True),
    ("3.11", "/root/.pyenv/versions/3.11.*/bin/python3.11", True),
    ("3.12", "/root/.pyenv/versions/3.12.*/bin/python3.12", True),
    ("3.13", "/root/.pyenv/versions/3.13.*/bin/python3.13", True),
    ("debian-3.11", "/usr/bin/python3.11", True),
]

# What report_missing() found missing that CI requires: Checks.finish() fails on it.
_required_missing = []


def args():
    p = argparse.ArgumentParser()
    p.add_argument("--pystrobe", default=os.path.join(ROOT, "build", "pystrobe"))
    p.add_argument("--only", help="comma-separated interpreter labels")
    return p.parse_args()


def report_missing(what, required=True):
    """The one place a missing requirement is reported: a MISSING line, or under
    CI=true (if required there) a FAIL line that makes Checks.finish() fail."""
    if CI and required:
        print("FAIL %-12s %-10s %s: required under CI=true" % ("-", "missing", what))
        _required_missing.append(what)
    else:
        print("MISSING: %s: not tested" % what)
    sys.stdout.flush()


def interpreter(label):
    """Path of the matrix interpreter `label` (newest match) or None."""
    for name, pattern, _ in INTERPRETERS:
        if name == label:
            paths = sorted(glob.glob(pattern))
            return paths[-1] if paths else None
    raise KeyError(label)


def interpreters(only=None):
    """[(label, path, version)] of the installed interpreters, and the missing
    labels (each reported through report_missing())."""
    found, missing = [], []
    for label, pattern, required in INTERPRETERS:
        if only and label not in only.split(","):
            continue
        path = interpreter(label)
        if not path:
            missing.append(label)
            report_missing("CPython %s is not installed here (%s)" % (label, pattern), required)
            continue
        ver = subprocess.check_output(
            [path, "-c", "import platform; print(platform.python_version())"],
            universal_newlines=True).strip()
        found.append((label, path, ver))
    return found, missing


# npm packages of the browser tests, pinned in npm-packages.txt, installed by
# scripts/install-deps.sh under NODE_DIR
NODE_DIR = os.environ.get("PYSTROBE_NODE_DIR", "/var/cache/pystrobe/node")
NPM_PINS = os.path.join(ROOT, "tests", "e2e", "npm-packages.txt")


def node_modules():
    """(NODE_DIR/node_modules, [problem]): every pinned npm package must be there
    at its pinned version."""
    import json
    mods, problems = os.path.join(NODE_DIR, "node_modules"), []
    with open(NPM_PINS) as f:
        pins = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    for pin in pins:
        name, _, want = pin.rpartition("@")
        try:
            with open(os.path.join(mods, name, "package.json")) as f:
                have = json.load(f).get("version")
        except (OSError, ValueError):
            have = None
        if have != want:
            problems.append("%s %s in %s, want %s (scripts/install-deps.sh)"
                            % (name, have or "missing", mods, want))
    return mods, problems


def workload(name):
    return os.path.join(WORKLOADS, name)


def line_of(name, marker):
    """Line number of the first line of workload `name` containing `marker`."""
    with open(workload(name)) as f:
        for i, text in enumerate(f, 1):
            if marker in text:
                return i
    raise AssertionError("%s has no %r" % (name, marker))


def run_pystrobe(pystrobe, argv, timeout=120, **kw):
    """Run pystrobe; returns CompletedProcess with text stdout/stderr."""
    return subprocess.run([pystrobe] + argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=timeout, **kw)


def read_folded(path):
    """(stacks, meta): stacks is a list of (frames, count), frames root first."""
    stacks, meta = [], {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# "):
                key, _, value = line[2:].partition(": ")
                meta[key] = value
                continue
            if not line:
                continue
            stack, _, count = line.rpartition(" ")
            stacks.append((stack.split(";"), int(count)))
    return stacks, meta


def _pb_fields(buf):
    """(field, wire type, value) of a protobuf message: ints for varints, bytes otherwise."""
    i = 0
    while i < len(buf):
        key, i = _pb_varint(buf, i)
        field, wt = key >> 3, key & 7
        if wt == 0:
            v, i = _pb_varint(buf, i)
        elif wt == 2:
            n, i = _pb_varint(buf, i)
            v, i = buf[i:i + n], i + n
        elif wt in (1, 5):
            n = 8 if wt == 1 else 4
            v, i = int.from_bytes(buf[i:i + n], "little"), i + n
        else:
            raise ValueError("wire type %d" % wt)
        yield field, wt, v


def _pb_varint(buf, i):
    v = shift = 0
    while True:
        b = buf[i]
        i += 1
        v |= (b & 0x7f) << shift
        shift += 7
        if not b & 0x80:
            return v, i


def _pb_ints(wt, v):
    """A repeated int field: packed (bytes) or one varint."""
    if wt != 2:
        return [v]
    out, i = [], 0
    while i < len(v):
        x, i = _pb_varint(v, i)
        out.append(x)
    return out


def read_pprof(path):
    """A gzipped pprof profile decoded independently of pystrobe's reader:
    {"types": [(type, unit)], "period_type", "period", "samples": [(values, labels)]},
    labels a dict key -> str or (num, unit)."""
    import gzip
    with open(path, "rb") as f:
        msg = gzip.decompress(f.read())
    strs, raw, prof = [], [], {"types": [], "period": 0, "period_type": None, "samples": []}
    vtypes = []
    for field, wt, v in _pb_fields(msg):
        if field == 6:
            strs.append(v.decode("utf-8", "replace"))
        elif field in (1, 11):
            vt = dict((f, x) for f, _, x in _pb_fields(v))
            vtypes.append((field, vt.get(1, 0), vt.get(2, 0)))
        elif field == 2:
            raw.append(v)
        elif field == 12:
            prof["period"] = v
    for field, t, u in vtypes:
        pair = (strs[t], strs[u])
        if field == 1:
            prof["types"].append(pair)
        else:
            prof["period_type"] = pair
    for body in raw:
        values, labels = [], {}
        for field, wt, v in _pb_fields(body):
            if field == 2:
                values += _pb_ints(wt, v)
            elif field == 3:
                lab = dict((f, x) for f, _, x in _pb_fields(v))
                key = strs[lab.get(1, 0)]
                labels[key] = strs[lab[2]] if lab.get(2) else (lab.get(3, 0), strs[lab.get(4, 0)])
        prof["samples"].append((values, labels))
    return prof


def folded_has(path, needle):
    """(ok, detail): path is a folded profile with real stack lines (counts > 0),
    one of them holding a frame that contains `needle` (a header alone fails)."""
    try:
        stacks, _ = read_folded(path)
    except (OSError, ValueError) as e:
        return False, "unreadable folded file: %s" % e
    total = sum(n for _, n in stacks)
    hits = sum(n for frames, n in stacks if any(needle in f for f in frames))
    ok = bool(stacks) and all(n > 0 for _, n in stacks) and hits > 0
    return ok, "%d stacks, %d samples, %d with %s" % (len(stacks), total, hits, needle)


def func(frame):
    """'hot_leaf (/x/hot.py:14)' -> 'hot_leaf'."""
    return frame.split(" (", 1)[0]


def self_counts(stacks, first=1):
    """Counter of leaf frames (weights)."""
    c = collections.Counter()
    for frames, n in stacks:
        if len(frames) > first:
            c[frames[-1]] += n
    return c


class Checks:
    """Collects PASS/FAIL lines; exit status 1 if any failed."""

    def __init__(self):
        self.failed = []
        self.passed = 0

    def check(self, label, name, ok, detail):
        print("%s %-12s %-10s %s" % ("PASS" if ok else "FAIL", label, name, detail))
        sys.stdout.flush()
        if ok:
            self.passed += 1
        else:
            self.failed.append("%s %s: %s" % (label, name, detail))

    def finish(self):
        self.failed += ["missing: %s (CI=true)" % m for m in _required_missing]
        del _required_missing[:]
        print("%d passed, %d failed" % (self.passed, len(self.failed)))
        for f in self.failed:
            print("  FAILED: " + f)
        return 1 if self.failed or not self.passed else 0


def run_checks(c, checks, ps, label, py):
    """Run each check(c, ps, label, py, tmp) in one temporary directory; a crash of
    one check fails it, not the run."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        for check in checks:
            try:
                check(c, ps, label, py, tmp)
            except Exception as e:
                c.check(label, check.__name__[6:], False, "error: %s" % e)


def wait_for(pred, timeout=10.0, step=0.05):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()
