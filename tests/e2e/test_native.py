#!/usr/bin/env python3
"""`record --native` and `record --kernel` against every installed CPython
3.8+ and Debian's 3.11.

--native: tests/native_ext (a C extension, compiled here with gcc against
each interpreter's own headers) runs a hot C loop native_hot_loop() calling
native_callee(); the profile must read, root to leaf, _start (the unwind
reached the process entry) -> the Python frames <module>, main -> the C
code of map() -> py_caller (each eval-loop frame replaced by the Python
frames it ran, none left) -> native_hot -> native_hot_loop -> native_callee.

--kernel: a Python function reading /dev/zero in 1 MiB reads (the CPU time
is in the kernel under read(); a thread blocked in read() is off-CPU and the
CPU sampler never sees it) must show kernel frames (vfs_read_[k]) on top of
the Python frame that called os.read; under --kernel --native the libc
read() wrapper sits between them.
"""
import os
import subprocess
import sys

import pslib

VERSIONS = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15", "3.14d", "3.15d",
            "debian-3.11")
EXT_SRC = os.path.join(pslib.ROOT, "tests", "native_ext", "native_ext.c")
SECONDS = "3"


def build_ext(label, py, out_dir):
    """Compile native_ext for interpreter py into out_dir (gcc, the version's include dir)."""
    inc, suffix = subprocess.check_output(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['include']); "
                   "print(sysconfig.get_config_var('EXT_SUFFIX'))"],
        universal_newlines=True).split()
    so = os.path.join(out_dir, "native_ext" + suffix)
    subprocess.check_call(["gcc", "-shared", "-fPIC", "-O2", "-g"] +
                          pslib.include_flags(label, inc) + [EXT_SRC, "-o", so])
    return so


def record(ps, tmp, flags, argv, name):
    out = os.path.join(tmp, name + ".folded")
    r = pslib.run_pystrobe(ps, ["record", "-F", "199", "-f", "folded", "-o", out] + flags +
                           ["--"] + argv, timeout=300)
    if r.returncode != 0:
        raise AssertionError("exit %d: %s" % (r.returncode, r.stderr.strip()[-300:]))
    return pslib.read_folded(out)[0]


def in_order(frames, wanted):
    """Do the frames (by function name) contain wanted as a subsequence?"""
    i = 0
    for f in frames:
        if i < len(wanted) and pslib.func(f) == wanted[i]:
            i += 1
    return i == len(wanted)


def interleaved(frames):
    """main ... native ... py_caller, and no _PyEval_EvalFrameDefault left in frames."""
    names = [pslib.func(x) for x in frames]
    if "main" not in names or "py_caller" not in names or any(
            x.startswith("_PyEval_EvalFrameDefault") for x in names):
        return False
    between = names[names.index("main") + 1:names.index("py_caller")]
    return len(between) > 0 and all(x.endswith("_[n]") for x in between)


def check_native(c, ps, label, py, tmp):
    build_ext(label, py, tmp)
    stacks = record(ps, tmp, ["--native"], [py, pslib.workload("native_hot.py"), tmp, SECONDS],
                    "native")
    total = sum(n for _, n in stacks)
    leaf = sum(n for f, n in stacks if f[-1] == "native_callee_[n]")
    c.check(label, "leaf", total and leaf >= total * 0.5,
            "%d of %d samples end in native_callee_[n] (want >= 50%%)" % (leaf, total))
    chain = ["<module>", "main", "py_caller", "native_hot_[n]", "native_hot_loop_[n]",
             "native_callee_[n]"]
    good = sum(n for f, n in stacks if f[-1] == "native_callee_[n]" and in_order(f, chain))
    c.check(label, "order", leaf and good >= leaf * 0.9,
            "%d of %d native_callee samples read %s (want >= 90%%)"
            % (good, leaf, " -> ".join(chain)))
    mixed = sum(n for f, n in stacks if f[-1] == "native_callee_[n]" and interleaved(f))
    c.check(label, "interleave", leaf and mixed >= leaf * 0.9,
            "%d of %d native_callee samples have native frames between main and py_caller "
            "and no eval-loop frame left (want >= 90%%)" % (mixed, leaf))
    rooted = sum(n for f, n in stacks if f[-1] == "native_callee_[n]" and len(f) > 1 and
                 f[1] == "_start_[n]" and in_order(f, ["_start_[n]", "<module>"]))
    c.check(label, "root", leaf and rooted >= leaf * 0.9,
            "%d of %d native_callee samples start at _start_[n] before <module> (want >= 90%%)"
            % (rooted, leaf))


def check_kernel(c, ps, label, py, tmp, native):
    flags = ["--kernel"] + (["--native"] if native else [])
    stacks = record(ps, tmp, flags, [py, pslib.workload("kernel_read.py"), SECONDS], "kernel")
    reader = [(f, n) for f, n in stacks if any(pslib.func(x) == "reader" for x in f)]
    total = sum(n for _, n in reader)
    kern = sum(n for f, n in reader if "vfs_read_[k]" in f)
    name = "kern+nat" if native else "kernel"
    c.check(label, name, total and kern >= total * 0.5,
            "%d of %d reader samples have vfs_read_[k] (want >= 50%%)" % (kern, total))
    if not kern:
        return
    f = max((s for s in reader if "vfs_read_[k]" in s[0]), key=lambda s: s[1])[0]
    i = max(i for i, x in enumerate(f) if pslib.func(x) == "reader")
    k = min(i for i, x in enumerate(f) if x.endswith("_[k]"))
    between = f[i + 1:k]
    ok = i < k and all(x.endswith("_[n]") for x in between) and all(
        x.endswith("_[k]") for x in f[k:]) and (not native or len(between) > 0)
    c.check(label, name + "-top", ok, "kernel frames on top of reader, between: %s"
            % (between or "nothing"))


def main():
    a = pslib.args()
    found, _ = pslib.interpreters(a.only or ",".join(VERSIONS))
    c = pslib.Checks()
    for label, py, ver in found:
        with pslib.sid_tmpdir(label) as tmp:
            for i, check in enumerate([
                    lambda: check_native(c, a.pystrobe, label, py, tmp),
                    lambda: check_kernel(c, a.pystrobe, label, py, tmp, False),
                    lambda: check_kernel(c, a.pystrobe, label, py, tmp, True)]):
                try:
                    check()
                except Exception as e:
                    c.check(label, "check%d" % i, False, "error: %s" % e)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
