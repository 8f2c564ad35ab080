"""Shared helpers of the end-to-end tests: interpreters, running pystrobe, reading folded output.

The tests run the real pystrobe binary (real BPF) against real CPython
processes started from tests/workloads/, and assert on what the profile
contains. They need root.
"""
import argparse
import collections
import glob
import os
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORKLOADS = os.path.join(ROOT, "tests", "workloads")

# Under CI=true (.ci/run, scripts/test.sh in CI) whatever the machine image is
# supposed to hold and is missing fails the suite; elsewhere it is a MISSING line.
CI = os.environ.get("CI") == "true"

# Where scripts/sid-root.sh builds the Debian sid root holding CPython 3.14 and 3.15.
SID_ROOT = os.environ.get("PYSTROBE_SID_ROOT", "/var/cache/pystrobe/sid")
SID_RUNNERS = os.path.join(ROOT, "build", "sid-python")

# Every interpreter the matrix covers, oldest first. pattern: a glob on the
# host, or "sid:/usr/bin/X" for an interpreter inside the sid root, run as
# `chroot SID_ROOT /usr/bin/X` (see sid_runner). ci_required: under CI a
# missing one is a failure, not a skip (the machine image has the pyenv builds
# and Debian's python3.11; the test command builds the sid root).
Interp = collections.namedtuple("Interp", "label pattern ci_required")
INTERPRETERS = [
    Interp("2.7", "/root/.pyenv/versions/2.7.*/bin/python2.7", True),
    Interp("3.6", "/root/.pyenv/versions/3.6.*/bin/python3.6", True),
    Interp("3.7", "/root/.pyenv/versions/3.7.*/bin/python3.7", True),
    Interp("3.8", "/root/.pyenv/versions/3.8.*/bin/python3.8", True),
    Interp("3.9", "/root/.pyenv/versions/3.9.*/bin/python3.9", True),
    Interp("3.10", "/root/.pyenv/versions/3.10.*/bin/python3.10", True),
    Interp("3.11", "/root/.pyenv/versions/3.11.*/bin/python3.11", True),
    Interp("3.12", "/root/.pyenv/versions/3.12.*/bin/python3.12", True),
    Interp("3.13", "/root/.pyenv/versions/3.13.*/bin/python3.13", True),
    Interp("3.14", "sid:/usr/bin/python3.14", True),
    Interp("3.15", "sid:/usr/bin/python3.15", True),
    Interp("3.14d", "sid:/usr/bin/python3.14d", True),
    Interp("3.15d", "sid:/usr/bin/python3.15d", True),
    Interp("debian-3.11", "/usr/bin/python3.11", True),
]
SID_LABELS = tuple(i.label for i in INTERPRETERS if i.pattern.startswith("sid:"))


def sid_prepare():
    """Make the sid root able to run the tests' workloads, the way the host runs them.

    The workloads are copied into the root at their host path, and a symlink
    SID_ROOT/SID_ROOT -> / makes every host path under the root (sid_tmpdir)
    name the same file inside it. /dev/null and /dev/zero are created (the
    root's /dev is empty), and proc is mounted on its /proc. Idempotent.
    """
    dst = SID_ROOT + WORKLOADS
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    subprocess.check_call(["cp", "-a", "-T", WORKLOADS, dst])
    self_link = SID_ROOT + SID_ROOT
    if not os.path.islink(self_link):
        os.makedirs(os.path.dirname(self_link), exist_ok=True)
        os.symlink("/", self_link)
    # the workloads read /proc/self (gil_truth.py: schedstat), as in a container
    proc = os.path.join(SID_ROOT, "proc")
    with open("/proc/mounts") as f:
        mounted = any(l.split()[1] == proc for l in f)
    if not mounted:
        subprocess.check_call(["mount", "-t", "proc", "proc", proc])
    for name, minor in (("null", 3), ("zero", 5)):
        dev = os.path.join(SID_ROOT, "dev", name)
        if not os.path.exists(dev):
            os.mknod(dev, 0o666 | 0o020000, os.makedev(1, minor))
            os.chmod(dev, 0o666)


def sid_runner(path):
    """A host executable running `path` inside the sid root: exec chroot SID_ROOT path "$@".

    exec keeps one pid from the shell to the interpreter, so `record -- RUNNER`
    and `-p PID` see what `record -- chroot ROOT python3.14` would.
    """
    os.makedirs(SID_RUNNERS, exist_ok=True)
    runner = os.path.join(SID_RUNNERS, os.path.basename(path))
    text = '#!/bin/sh\nexec chroot %s %s "$@"\n' % (SID_ROOT, path)
    if not os.path.exists(runner) or open(runner).read() != text:
        with open(runner + ".tmp", "w") as f:
            f.write(text)
        os.chmod(runner + ".tmp", 0o755)
        os.rename(runner + ".tmp", runner)
    return runner


def is_sid(label):
    return label in SID_LABELS


def sid_command(label):
    """argv prefix `chroot SID_ROOT /usr/bin/pythonX.Y` of a sid label (no runner)."""
    pattern = {i.label: i.pattern for i in INTERPRETERS}[label]
    return ["chroot", SID_ROOT, pattern[len("sid:"):]]


def sid_tmpdir(label, **kw):
    """A TemporaryDirectory whose path names the same directory for the host and for
    interpreter `label` (inside the sid root for the sid labels)."""
    if is_sid(label):
        kw.setdefault("dir", os.path.join(SID_ROOT, "tmp"))
    return tempfile.TemporaryDirectory(**kw)


def include_flags(label, inc):
    """gcc flags compiling against include dir `inc` of interpreter `label`.

    For the sid labels inc is a path inside the root: the host's gcc takes the
    root's Python headers with the host's libc headers. Their pyconfig.h
    includes <x86_64-linux-gnu/pythonX.Y[d]/pyconfig.h> (and Debian's debug
    headers reach it through the release build's directory): a shim directory
    names only that file, as scripts/gen-offsets.sh does.
    """
    if not is_sid(label):
        return ["-I" + inc]
    base = os.path.basename(inc)
    arch = os.path.join(SID_ROOT, "usr", "include", "x86_64-linux-gnu", base)
    shim = os.path.join(SID_RUNNERS, "include-" + base)
    os.makedirs(os.path.join(shim, "x86_64-linux-gnu"), exist_ok=True)
    for name in {base, base.rstrip("d")}:
        link = os.path.join(shim, "x86_64-linux-gnu", name)
        if not os.path.islink(link):
            os.symlink(arch, link)
    return ["-isystem", SID_ROOT + inc, "-isystem", shim]


def resolve(interp):
    """The path to run for one INTERPRETERS entry, or None when it is not here."""
    if not interp.pattern.startswith("sid:"):
        paths = sorted(glob.glob(interp.pattern))
        return paths[-1] if paths else None
    inner = interp.pattern[len("sid:"):]
    if not os.access(SID_ROOT + inner, os.X_OK):
        return None
    sid_prepare()
    return sid_runner(inner)

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
    """Path to run for the matrix interpreter `label` (newest match) or None."""
    for interp in INTERPRETERS:
        if interp.label == label:
            return resolve(interp)
    raise KeyError(label)


def interpreters(only=None):
    """[(label, path, version)] of the installed interpreters, and the missing
    labels (each reported through report_missing())."""
    found, missing = [], []
    for interp in INTERPRETERS:
        if only and interp.label not in only.split(","):
            continue
        path = resolve(interp)
        if not path:
            missing.append(interp.label)
            report_missing("CPython %s is not installed here (%s)"
                           % (interp.label, interp.pattern), interp.ci_required)
            continue
        ver = subprocess.check_output(
            [path, "-c", "import platform; print(platform.python_version())"],
            universal_newlines=True).strip()
        found.append((interp.label, path, ver))
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


def free_port():
    """A loopback TCP port free now (for a receiver or a server the test starts)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def port_open(port):
    """Does a server accept connections on loopback port now?"""
    try:
        socket.create_connection(("127.0.0.1", port), 0.2).close()
        return True
    except OSError:
        return False
