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

--native-budget: over the unwinding budget, samples keep their Python frames
only and the summary counts them.

Native frames name their module as `symbol (module)`, the module being the
file's soname or its file name: native_callee (native_ext.cpython-312-...so)
in the folded output and the summary, _start (python3.12), read (libc.so.6).
"""
import os
import re
import subprocess
import sys

import pslib

VERSIONS = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15", "3.14d", "3.15d",
            "debian-3.11")
EXT_SRC = os.path.join(pslib.ROOT, "tests", "native_ext", "native_ext.c")
SECONDS = "3"


STACK_COPY_VERSIONS = ("3.12", "debian-3.11")


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


# Debug builds fill every allocation with a pattern (PYTHONMALLOC=pymalloc_debug):
# kernel_read.py's 1 MiB buffers then spend ~60 % of the time in fill_mem_debug,
# not in the kernel. Under plain malloc their reads still leave 36 % in libc
# (3.15d, measured): its kernel share was 42-55 % (3.14d: 80 %), so the bar for
# them is half the release builds' (whose measured share is 74-88 %).
DEBUG_BUILDS = ("3.14d", "3.15d")


def record(ps, tmp, flags, argv, name, env=None):
    out = os.path.join(tmp, name + ".folded")
    r = pslib.run_pystrobe(ps, ["record", "-F", "199", "-f", "folded", "-o", out] + flags +
                           ["--"] + argv, timeout=300, env=env)
    if r.returncode != 0:
        raise AssertionError("exit %d: %s" % (r.returncode, r.stderr.strip()[-300:]))
    return pslib.read_folded(out)[0]


def in_order(frames, wanted):
    """Do the frames contain wanted as a subsequence? A wanted name "f_[n]" matches the
    native frame "f (module)_[n]", any other the function name of a Python frame."""
    i = 0
    for f in frames:
        if i < len(wanted) and name_of(f) == wanted[i]:
            i += 1
    return i == len(wanted)


NATIVE = re.compile(r"^(.*) \(([^()]+)\)_\[n\]$")


def name_of(frame):
    """"f (module)_[n]" -> "f_[n]"; a Python frame's function name."""
    m = NATIVE.match(frame)
    return m.group(1) + "_[n]" if m else pslib.func(frame)


def module_of(frame):
    """The module of a native frame "f (module)_[n]", else None."""
    m = NATIVE.match(frame)
    return m.group(2) if m else None


def interleaved(frames):
    """main ... native ... py_caller, and no _PyEval_EvalFrameDefault left in frames."""
    names = [name_of(x) for x in frames]
    if "main" not in names or "py_caller" not in names or any(
            x.startswith("_PyEval_EvalFrameDefault") for x in names):
        return False
    between = names[names.index("main") + 1:names.index("py_caller")]
    return len(between) > 0 and all(x.endswith("_[n]") for x in between)


def check_native(c, ps, label, py, tmp):
    so = os.path.basename(build_ext(label, py, tmp))
    summ = os.path.join(tmp, "native-summary.txt")
    stacks = record(ps, tmp, ["--native", "--summary", summ],
                    [py, pslib.workload("native_hot.py"), tmp, SECONDS], "native")
    total = sum(n for _, n in stacks)
    leaf = sum(n for f, n in stacks if name_of(f[-1]) == "native_callee_[n]")
    named = sum(n for f, n in stacks if f[-1] == "native_callee (%s)_[n]" % so)
    c.check(label, "module", leaf and named == leaf,
            "%d of %d native_callee samples read native_callee (%s)" % (named, leaf, so))
    summary = open(summ).read() if os.path.exists(summ) else ""
    # the summary keeps a long module name's end: "native_callee (...-x86_64-linux-gnu.so)"
    m = re.search(r"native_callee \((?:\.\.\.)?([^()]+)\)", summary)
    c.check(label, "summary", m and so.endswith(m.group(1)) and len(m.group(1)) >= 12,
            "the summary names %s (want native_callee (%s))" % (m and m.group(0), so))
    c.check(label, "leaf", total and leaf >= total * 0.5,
            "%d of %d samples end in native_callee (...)_[n] (want >= 50%%)" % (leaf, total))
    chain = ["<module>", "main", "py_caller", "native_hot_[n]", "native_hot_loop_[n]",
             "native_callee_[n]"]
    good = sum(n for f, n in stacks if name_of(f[-1]) == "native_callee_[n]" and
               in_order(f, chain))
    c.check(label, "order", leaf and good >= leaf * 0.9,
            "%d of %d native_callee samples read %s (want >= 90%%)"
            % (good, leaf, " -> ".join(chain)))
    mixed = sum(n for f, n in stacks if name_of(f[-1]) == "native_callee_[n]" and
                interleaved(f))
    c.check(label, "interleave", leaf and mixed >= leaf * 0.9,
            "%d of %d native_callee samples have native frames between main and py_caller "
            "and no eval-loop frame left (want >= 90%%)" % (mixed, leaf))
    rooted = sum(n for f, n in stacks if name_of(f[-1]) == "native_callee_[n]" and len(f) > 1
                 and name_of(f[1]) == "_start_[n]" and in_order(f, ["_start_[n]", "<module>"]))
    c.check(label, "root", leaf and rooted >= leaf * 0.9,
            "%d of %d native_callee samples start at _start_[n] before <module> (want >= 90%%)"
            % (rooted, leaf))


def check_stack_copy(c, ps, label, py, tmp):
    """--stack-copy-kb 1: the unwind ends within the first KiB (no _start root) while
    the Python frames stay (README: deeper native frames end the unwind)."""
    build_ext(label, py, tmp)
    stacks = record(ps, tmp, ["--native", "--stack-copy-kb", "1"],
                    [py, pslib.workload("native_hot.py"), tmp, SECONDS], "copy1")
    leaf = [(f, n) for f, n in stacks if name_of(f[-1]) == "native_callee_[n]"]
    total = sum(n for _, n in leaf)
    rooted = sum(n for f, n in leaf if "_start_[n]" in map(name_of, f))
    python = sum(n for f, n in leaf if in_order(f, ["<module>", "main", "py_caller"]))
    c.check(label, "stack-copy", total > 0 and rooted <= 0.1 * total and python >= 0.9 * total,
            "--stack-copy-kb 1: %d of %d native_callee samples reach _start_[n] (want <= 10%%; "
            "16 KiB: >= 90%%), %d keep <module> > main > py_caller" % (rooted, total, python))


def check_budget(c, ps, label, py, tmp):
    """--native-budget: samples beyond the unwinding budget keep their Python frames, are
    counted and the summary says so. At 0.0001 % of a core (1 us per second) the first
    unwound sample's cost (more than 1 us: a walk of ~20 frames) blocks unwinding for
    1-2 s (the debt is capped at two budgets): in 2 s at most ~4 samples get native frames."""
    build_ext(label, py, tmp)
    summ = os.path.join(tmp, "budget.txt")
    stacks = record(ps, tmp, ["--native", "--native-budget", "0.0001", "--summary", summ],
                    [py, pslib.workload("native_hot.py"), tmp, "2"], "budget")
    text = open(summ).read()
    m = re.search(r"(\d+) samples kept Python-only: native unwinding was over its budget of "
                  r"0\.0001% of a core \(--native-budget\)", text)
    capped = int(m.group(1)) if m else 0
    total = sum(n for _, n in stacks)
    python_only = [(f, n) for f, n in stacks if not any(x.endswith("_[n]") for x in f)]
    kept = sum(n for f, n in python_only)
    chain = sum(n for f, n in python_only if in_order(f, ["<module>", "main", "py_caller"]))
    c.check(label, "budget", m and capped > 0 and total - capped <= 5 and kept >= capped,
            "--native-budget 0.0001: summary counts %s samples over budget of %d (want all but "
            "<= 5); %d samples have no native frame (want >= the count)"
            % (capped if m else "no", total, kept))
    c.check(label, "budget-py", kept and chain >= 0.9 * kept,
            "%d of %d Python-only samples keep <module> > main > py_caller (want >= 90%%)"
            % (chain, kept))


def check_kernel(c, ps, label, py, tmp, native):
    flags = ["--kernel"] + (["--native"] if native else [])
    env = dict(os.environ, PYTHONMALLOC="malloc") if label in DEBUG_BUILDS else None
    stacks = record(ps, tmp, flags, [py, pslib.workload("kernel_read.py"), SECONDS], "kernel",
                    env)
    reader = [(f, n) for f, n in stacks if any(pslib.func(x) == "reader" for x in f)]
    total = sum(n for _, n in reader)
    kern = sum(n for f, n in reader if "vfs_read_[k]" in f)
    name = "kern+nat" if native else "kernel"
    want = 0.25 if label in DEBUG_BUILDS else 0.5
    c.check(label, name, total and kern >= total * want,
            "%d of %d reader samples have vfs_read_[k] (want >= %d%%)"
            % (kern, total, want * 100))
    if not kern:
        return
    f = max((s for s in reader if "vfs_read_[k]" in s[0]), key=lambda s: s[1])[0]
    i = max(i for i, x in enumerate(f) if pslib.func(x) == "reader")
    k = min(i for i, x in enumerate(f) if x.endswith("_[k]"))
    between = f[i + 1:k]
    ok = i < k and all(x.endswith("_[n]") for x in between) and all(
        x.endswith("_[k]") for x in f[k:]) and (not native or len(between) > 0)
    if native:  # libc's read() wrapper, named by libc's soname
        ok = ok and any(module_of(x) == "libc.so.6" for x in between)
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
                    lambda: check_kernel(c, a.pystrobe, label, py, tmp, True)] +
                    ([lambda: check_stack_copy(c, a.pystrobe, label, py, tmp),
                      lambda: check_budget(c, a.pystrobe, label, py, tmp)]
                     if label in STACK_COPY_VERSIONS else [])):
                try:
                    check()
                except Exception as e:
                    c.check(label, "check%d" % i, False, "error: %s" % e)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
