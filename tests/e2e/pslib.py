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
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORKLOADS = os.path.join(ROOT, "tests", "workloads")

# Where scripts/sid-root.sh builds the Debian sid root holding CPython 3.14 and 3.15.
SID_ROOT = os.environ.get("PYSTROBE_SID_ROOT", "/var/cache/pystrobe/sid")
SID_RUNNERS = os.path.join(ROOT, "build", "sid-python")

# Every interpreter the matrix covers, oldest first. pattern: a glob on the
# host, or "sid:/usr/bin/X" for an interpreter inside the sid root, run as
# `chroot SID_ROOT /usr/bin/X` (see sid_runner). ci_required: under CI a
# missing one is a failure, not a skip (the test command builds the sid root).
Interp = collections.namedtuple("Interp", "label pattern ci_required")
INTERPRETERS = [
    Interp("2.7", "/root/.pyenv/versions/2.7.*/bin/python2.7", False),
    Interp("3.6", "/root/.pyenv/versions/3.6.*/bin/python3.6", False),
    Interp("3.7", "/root/.pyenv/versions/3.7.*/bin/python3.7", False),
    Interp("3.8", "/root/.pyenv/versions/3.8.*/bin/python3.8", False),
    Interp("3.9", "/root/.pyenv/versions/3.9.*/bin/python3.9", False),
    Interp("3.10", "/root/.pyenv/versions/3.10.*/bin/python3.10", False),
    Interp("3.11", "/root/.pyenv/versions/3.11.*/bin/python3.11", False),
    Interp("3.12", "/root/.pyenv/versions/3.12.*/bin/python3.12", False),
    Interp("3.13", "/root/.pyenv/versions/3.13.*/bin/python3.13", False),
    Interp("3.14", "sid:/usr/bin/python3.14", True),
    Interp("3.15", "sid:/usr/bin/python3.15", True),
    Interp("3.14d", "sid:/usr/bin/python3.14d", True),
    Interp("3.15d", "sid:/usr/bin/python3.15d", True),
    Interp("debian-3.11", "/usr/bin/python3.11", False),
]
SID_LABELS = tuple(i.label for i in INTERPRETERS if i.pattern.startswith("sid:"))


def sid_prepare():
    """Make the sid root able to run the tests' workloads, the way the host runs them.

    The workloads are copied into the root at their host path, and a symlink
    SID_ROOT/SID_ROOT -> / makes every host path under the root (sid_tmpdir)
    name the same file inside it. /dev/null and /dev/zero are created (the
    root's /dev is empty). Idempotent.
    """
    dst = SID_ROOT + WORKLOADS
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    subprocess.check_call(["cp", "-a", "-T", WORKLOADS, dst])
    self_link = SID_ROOT + SID_ROOT
    if not os.path.islink(self_link):
        os.makedirs(os.path.dirname(self_link), exist_ok=True)
        os.symlink("/", self_link)
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


def args():
    p = argparse.ArgumentParser()
    p.add_argument("--pystrobe", default=os.path.join(ROOT, "build", "pystrobe"))
    p.add_argument("--only", help="comma-separated interpreter labels")
    return p.parse_args()


def interpreters(only=None):
    """[(label, path, version)] of the installed interpreters; missing ones are printed."""
    found, missing = [], []
    for interp in INTERPRETERS:
        if only and interp.label not in only.split(","):
            continue
        path = resolve(interp)
        if not path:
            missing.append(interp.label)
            continue
        ver = subprocess.check_output(
            [path, "-c", "import platform; print(platform.python_version())"],
            universal_newlines=True).strip()
        found.append((interp.label, path, ver))
    patterns = {i.label: i.pattern for i in INTERPRETERS}
    for label in missing:
        print("MISSING: CPython %s is not installed here (%s): not tested"
              % (label, patterns[label]))
    return found, missing


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
        print("%d passed, %d failed" % (self.passed, len(self.failed)))
        for f in self.failed:
            print("  FAILED: " + f)
        return 1 if self.failed or not self.passed else 0


def wait_for(pred, timeout=10.0, step=0.05):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()
