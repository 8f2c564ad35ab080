#!/usr/bin/env python3
"""Bad input and usage of `pystrobe record`: every error is one clear line and
the documented exit code (0 ok, 1 runtime failure, 2 bad usage)."""
import os
import subprocess
import sys
import tempfile
import time

import pslib


def expect(c, name, r, code, needle):
    err = r.stderr.strip()
    ok = r.returncode == code and needle in err
    c.check("cli", name, ok, "exit %d (want %d), stderr: %s" % (r.returncode, code,
                                                               err.splitlines()[-1:] or ""))


def main():
    a = pslib.args()
    ps = a.pystrobe
    c = pslib.Checks()
    run = lambda argv, **kw: pslib.run_pystrobe(ps, argv, **kw)

    r = run(["record", "--help"])
    c.check("cli", "help", r.returncode == 0 and "USAGE" in r.stdout and "EXAMPLES" in r.stdout,
            "exit %d" % r.returncode)
    r = run(["--help"])
    c.check("cli", "top-help", r.returncode == 0 and "record" in r.stdout, "exit %d" % r.returncode)
    expect(c, "freq0", run(["record", "-F", "0", "-p", "1"]), 2, "invalid --frequency '0'")
    expect(c, "notarget", run(["record"]), 2, "choose one target")
    expect(c, "twotarget", run(["record", "--all", "-p", "1"]), 2, "choose one target")
    expect(c, "badformat", run(["record", "--format", "png", "-p", "1"]), 2, "invalid --format")
    expect(c, "unknowncmd", run(["frobnicate"]), 2, "unknown command")
    expect(c, "nopid", run(["record", "-p", "999999", "-d", "1"]), 1, "pid 999999: no such process")

    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        expect(c, "notpython", run(["record", "-p", str(sleeper.pid), "-d", "1"]), 1,
               "pid %d: not a Python process" % sleeper.pid)
    finally:
        sleeper.kill()
        sleeper.wait()

    # not root: one clear line, exit 1, before any BPF work
    r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        "--inh-caps=-all", ps, "record", "-p", "1", "-d", "1"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    lines = r.stderr.strip().splitlines()
    c.check("cli", "nonroot", r.returncode == 1 and len(lines) == 1 and "needs root" in lines[0],
            "exit %d, stderr %r" % (r.returncode, lines))

    # a target that exits mid-run: the output is still written, exit 0
    py = pslib.interpreters()[0][-1][1]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "exit.folded")
        # lives 2.5 s: long enough for a slow start of pystrobe on a busy machine, then exits
        proc = subprocess.Popen([py, pslib.workload("hot.py"), "2.5"])
        time.sleep(0.3)
        r = run(["record", "-p", str(proc.pid), "-d", "10", "-f", "folded", "-o", out])
        proc.wait()
        ok, stacks = pslib.folded_has(out, "hot_leaf")
        c.check("cli", "target-exits", r.returncode == 0 and ok,
                "exit %d; %s; %s" % (r.returncode, stacks, r.stderr.strip().splitlines()[:1]))
        # a command that fails to start
        r = run(["record", "-o", out, "--", "/nonexistent/python"])
        c.check("cli", "badcmd", r.returncode == 1 and "cannot run" in r.stderr and
                "could not be run" in r.stderr, "exit %d: %s" % (r.returncode, r.stderr.strip()))
        # SIGINT stops cleanly and still writes the output
        out2 = os.path.join(tmp, "int.folded")
        proc = subprocess.Popen([py, pslib.workload("hot.py"), "30"])
        rec = subprocess.Popen([ps, "record", "-p", str(proc.pid), "-f", "folded", "-o", out2],
                               stderr=subprocess.PIPE, universal_newlines=True)
        time.sleep(2)
        rec.send_signal(2)
        _, err = rec.communicate(timeout=30)
        proc.kill()
        proc.wait()
        stacks, meta = pslib.read_folded(out2) if os.path.exists(out2) else ([], {})
        c.check("cli", "sigint", rec.returncode == 0 and stacks and "samples" in meta,
                "exit %d, %d stacks" % (rec.returncode, len(stacks)))
        check_ringbuf_full(c, ps, py, tmp)
        check_exec(c, ps, py, tmp)
        check_unsupported(c, ps, tmp)
    return c.finish()


def check_ringbuf_full(c, ps, py, tmp):
    """A ring buffer smaller than one deep sample: every such sample is lost, counted, named."""
    out = os.path.join(tmp, "rb.folded")
    r = pslib.run_pystrobe(ps, ["record", "--ringbuf-kb", "32", "-F", "199", "-f", "folded", "-o",
                                out, "--", py, pslib.workload("deep.py"), "5000", "2"])
    _, meta = pslib.read_folded(out) if os.path.exists(out) else ([], {})
    lost = int(meta.get("ringbuf_full", "0"))
    c.check("cli", "ringbuf-full", r.returncode == 0 and lost > 100 and
            "samples lost: ring buffer full" in r.stderr,
            "exit %d, ringbuf_full=%d" % (r.returncode, lost))


def check_exec(c, ps, py, tmp):
    """A target that execs a new Python image mid-run: both images are profiled."""
    out = os.path.join(tmp, "exec.folded")
    proc = subprocess.Popen([py, pslib.workload("exec_into.py"), "2"])
    try:
        time.sleep(0.3)
        r = pslib.run_pystrobe(ps, ["record", "-p", str(proc.pid), "-d", "3", "-f", "folded",
                                    "-o", out])
    finally:
        proc.kill()
        proc.wait()
    stacks, _ = pslib.read_folded(out) if os.path.exists(out) else ([], {})
    funcs = set(pslib.func(f) for fr, _ in stacks for f in fr)
    c.check("cli", "exec", r.returncode == 0 and "before_exec" in funcs and "hot_leaf" in funcs,
            "exit %d, before_exec %s, hot_leaf %s" % (r.returncode, "before_exec" in funcs,
                                                      "hot_leaf" in funcs))


def patch_py_version(lib, dst, hexversion):
    """Copy libpython to dst with its Py_Version constant replaced (ELF64 little-endian)."""
    import struct
    data = bytearray(open(lib, "rb").read())
    out = subprocess.check_output(["readelf", "-sW", lib], universal_newlines=True)
    vaddr = next(int(l.split()[1], 16) for l in out.splitlines() if l.endswith(" Py_Version"))
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        ptype, _, off, va, _, filesz, _, _ = struct.unpack_from("<IIQQQQQQ", data,
                                                                 phoff + i * phentsize)
        if ptype == 1 and va <= vaddr < va + filesz:
            struct.pack_into("<I", data, off + vaddr - va, hexversion)
            open(dst, "wb").write(data)
            return
    raise AssertionError("Py_Version not in a PT_LOAD")


def check_unsupported(c, ps, tmp):
    """A CPython whose version has no layout: -p fails clearly; --all names and skips it."""
    import glob
    libs = sorted(glob.glob("/root/.pyenv/versions/3.12.*/lib/libpython3.12.so.1.0"))
    if not libs:
        c.check("cli", "unsupported", False, "needs pyenv 3.12 (missing)")
        return
    libdir = os.path.join(tmp, "lib")
    os.mkdir(libdir)
    # 3.16.0: a version with no layout (3.14 and 3.15 have one)
    patch_py_version(libs[-1], os.path.join(libdir, "libpython3.12.so.1.0"), 0x031000f0)
    py = os.path.join(os.path.dirname(os.path.dirname(libs[-1])), "bin", "python3.12")
    env = dict(os.environ, LD_LIBRARY_PATH=libdir)
    proc = subprocess.Popen([py, pslib.workload("hot.py"), "6"], env=env)
    try:
        time.sleep(0.5)
        r = pslib.run_pystrobe(ps, ["record", "-p", str(proc.pid), "-d", "1"])
        c.check("cli", "unsupp-pid", r.returncode == 1 and
                "CPython 3.16.0 not yet supported" in r.stderr, r.stderr.strip()[-200:])
        out = os.path.join(tmp, "all.folded")
        r = pslib.run_pystrobe(ps, ["record", "--all", "-d", "1", "-f", "folded", "-o", out])
        want = "pid %d: CPython 3.16.0 not yet supported, skipped" % proc.pid
        _, meta = pslib.read_folded(out) if os.path.exists(out) else ([], {})
        c.check("cli", "unsupp-all", r.returncode == 0 and want in r.stderr and
                int(meta.get("unsupported_processes", "0")) >= 1,
                "exit %d; summary names it: %s" % (r.returncode, want in r.stderr))
    finally:
        proc.kill()
        proc.wait()


if __name__ == "__main__":
    sys.exit(main())
