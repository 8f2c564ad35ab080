#!/usr/bin/env python3
"""Outputs a local user cannot redirect, and text a target cannot use against a terminal.

pystrobe runs as root; the attacker is `nobody` (setpriv), owns the output
directory and plants symlinks to a root-only file at every name root could
write: the output, <output>.tmp (the old temporary name), the summary, the
JSON and timeline files, and the default output names of the next minute.
After each run the root-only file must be unchanged and each output a
regular file where it was asked for. Destinations that cannot work (a missing
directory, a directory) fail before anything is profiled: exit 2 and the
command never runs. A summary that cannot be written fails the run.

A Python workload whose function, file, script and thread names hold ESC
sequences (CSI colour, OSC 52 clipboard, a screen clear), a raw C1 CSI
(0x9b), an encoded C1 (U+009B) and DEL: the summary, folded output, `top`'s
plain snapshots, the gil and syscalls reports and diff's table and error
lines carry none of those bytes raw.

Also: SIGHUP stops `record` like SIGINT (output written, exit 0), and
`record -p 1` prints a printable reason.
"""
import datetime
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

import pslib

NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
SECRET = b"root-only: must never change\n"
EVIL = "evil\x1b[31mRED\x1b]52;c;SGVsbG8=\x07\x9b2J\xc2\x9b\x7fend"
# a newline in a name must not forge a line of a text report
FORGED = "forged\n  99.9%  99.9%  FAKE (x.py:1)"

# The hostile workload: names set through code.replace(), comm through prctl.
WORKLOAD = r'''
import ctypes, os, sys, threading, time, types
EVIL, FORGED = %r, %r
dur = float(sys.argv[1])
libc = ctypes.CDLL(None)

def spin():
    t = time.time()
    x = 0
    while time.time() - t < dur:
        x += 1
        os.write(devnull, b"x")

kw = dict(co_name=EVIL, co_filename="/tmp/\x1b[2J" + EVIL + ".py")
if sys.version_info >= (3, 11):
    kw["co_qualname"] = EVIL
code = spin.__code__
spin.__code__ = code.replace(**kw)
kw.update(co_name=FORGED)
if sys.version_info >= (3, 11):
    kw["co_qualname"] = FORGED
forged = types.FunctionType(code.replace(**kw), globals())
devnull = os.open("/dev/null", os.O_WRONLY)

def worker():
    libc.prctl(15, EVIL[:15].encode("latin-1"), 0, 0, 0)  # PR_SET_NAME
    forged()

libc.prctl(15, b"py\x1b[31m\x9b\x7f", 0, 0, 0)
th = threading.Thread(target=worker)
th.start()
spin()
th.join()
''' % (EVIL, FORGED)

RAW = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|(?<![\xc0-\xff])[\x80-\x9f]")


def raw_controls(data):
    """The control bytes a terminal would act on (C0 but \\n and \\t, DEL, C1 raw or in UTF-8).

    A continuation byte 0x80-0x9f right after a lead byte is part of a
    character; the check of the lead (0xc2 for C1) covers the encoded case.
    """
    bad = []
    for m in RAW.finditer(data):
        bad.append(m.group(0))
    return bad


def as_nobody(*argv):
    return subprocess.run(NOBODY + list(argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def attacker_dir():
    d = tempfile.mkdtemp(prefix="pystrobe-hostile-")
    os.chown(d, 65534, 65534)
    os.chmod(d, 0o755)
    return d


def victim():
    d = tempfile.mkdtemp(prefix="pystrobe-victim-")
    os.chmod(d, 0o700)
    path = os.path.join(d, "secret")
    with open(path, "wb") as f:
        f.write(SECRET)
    os.chmod(path, 0o600)
    return d, path


def plant(c, name, d, names, target):
    """The attacker plants a symlink to target at each name in d."""
    for n in names:
        r = as_nobody("ln", "-s", target, os.path.join(d, n))
        if r.returncode != 0:
            c.check("hostile", name, False, "cannot plant %s: %s" % (n, r.stderr.strip()))
            return False
    return True


def default_names(ext, seconds=90):
    """record's default names pystrobe-YYYYmmdd-HHMMSS.<ext> of the next `seconds` (local time)."""
    now = datetime.datetime.now()
    return ["pystrobe-%s.%s" % ((now + datetime.timedelta(seconds=i)).strftime("%Y%m%d-%H%M%S"),
                                ext) for i in range(seconds)]


def intact(path):
    st = os.lstat(path)
    with open(path, "rb") as f:
        data = f.read()
    return data == SECRET and stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == 0


def regular(path):
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


def symlink_runs(c, ps, py, work):
    """record / gil / syscalls with every output name planted as a link to the secret."""
    d = attacker_dir()
    vdir, secret = victim()
    try:
        out, summ = os.path.join(d, "out.folded"), os.path.join(d, "sum.txt")
        names = ["out.folded", "out.folded.tmp", "sum.txt", "sum.txt.tmp", "gil.json",
                 "gil.json.tmp", "tl.json", "tl.json.tmp", "sys.json", "sys.json.tmp",
                 "waits.svg", "waits.svg.tmp"]
        if not plant(c, "plant", d, names + default_names("svg"), secret):
            return
        r = pslib.run_pystrobe(ps, ["record", "-d", "20", "-f", "folded", "-o", out,
                                    "--summary", summ, "--", py, work, "1"])
        c.check("hostile", "record-exit", r.returncode == 0, "exit %d: %s"
                % (r.returncode, r.stderr.strip()[-300:]))
        c.check("hostile", "record-secret", intact(secret), "the root-only file is unchanged")
        ok = regular(out) and regular(summ)
        c.check("hostile", "record-where", ok and b"samples" in open(summ, "rb").read(),
                "-o and --summary are regular files at the asked paths")
        r = pslib.run_pystrobe(ps, ["record", "-d", "20", "--", py, work, "1"], cwd=d)
        made = [n for n in os.listdir(d) if n.startswith("pystrobe-") and regular(os.path.join(d, n))]
        c.check("hostile", "default-name", r.returncode == 0 and len(made) == 1 and intact(secret),
                "exit %d, default output %s, secret intact %s" % (r.returncode, made, intact(secret)))
        r = pslib.run_pystrobe(ps, ["gil", "-d", "20", "--json", os.path.join(d, "gil.json"),
                                    "--timeline", os.path.join(d, "tl.json"),
                                    "-o", os.path.join(d, "waits.svg"), "--", py, work, "1"])
        ok = all(regular(os.path.join(d, n)) for n in ("gil.json", "tl.json", "waits.svg"))
        c.check("hostile", "gil", r.returncode == 0 and ok and intact(secret),
                "exit %d, outputs regular %s, secret intact %s" % (r.returncode, ok, intact(secret)))
        r = pslib.run_pystrobe(ps, ["syscalls", "-d", "20", "--json", os.path.join(d, "sys.json"),
                                    "--", py, work, "1"])
        ok = regular(os.path.join(d, "sys.json"))
        c.check("hostile", "syscalls", r.returncode == 0 and ok and intact(secret),
                "exit %d, --json regular %s, secret intact %s" % (r.returncode, ok, intact(secret)))
        left = [n for n in os.listdir(d) if n.startswith(".")]
        c.check("hostile", "no-litter", not left, "no temporary file left: %s" % left)
    finally:
        shutil.rmtree(d, ignore_errors=True)
        shutil.rmtree(vdir, ignore_errors=True)


def refused_before_run(c, ps, py):
    """A destination that cannot work: exit 2 and the command never started."""
    d = tempfile.mkdtemp(prefix="pystrobe-dest-")
    marker = os.path.join(d, "ran")
    cmd = ["--", py, "-c", "open(%r, 'w').close()" % marker]
    missing = os.path.join(d, "no", "such", "x.svg")
    cases = [
        ("o-missing-dir", ["record", "-o", missing]),
        ("o-is-dir", ["record", "-o", d]),
        ("summary-missing-dir", ["record", "-o", os.path.join(d, "x.svg"), "--summary", missing]),
        ("summary-is-dir", ["record", "-o", os.path.join(d, "x.svg"), "--summary", d]),
        ("gil-json-dir", ["gil", "--json", d]),
        ("gil-timeline-missing", ["gil", "--timeline", missing]),
        ("sys-json-missing", ["syscalls", "--json", missing]),
        ("o-fifo", ["record", "-o", os.path.join(d, "fifo")]),
    ]
    os.mkfifo(os.path.join(d, "fifo"))
    try:
        for name, argv in cases:
            r = pslib.run_pystrobe(ps, argv + ["-d", "20"] + cmd, timeout=60)
            lines = r.stderr.strip().splitlines()
            ok = r.returncode == 2 and not os.path.exists(marker) and len(lines) == 1
            c.check("refuse", name, ok, "exit %d (want 2), command ran %s, stderr %r"
                    % (r.returncode, os.path.exists(marker), lines))
            if os.path.exists(marker):
                os.unlink(marker)
        r = pslib.run_pystrobe(ps, ["diff", "a.folded", "b.folded", "-o", missing])
        c.check("refuse", "diff-o-missing", r.returncode == 2 and "does not exist" in r.stderr,
                "exit %d, %s" % (r.returncode, r.stderr.strip()))
    finally:
        shutil.rmtree(d, ignore_errors=True)


def summary_write_fails(c, ps, py, work):
    """--summary on a full filesystem: the run fails (exit 1) and says so."""
    d = tempfile.mkdtemp(prefix="pystrobe-full-")
    try:
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", d]).returncode:
            c.check("full", "mount", False, "cannot mount a small tmpfs")
            return
        subprocess.run(["dd", "if=/dev/zero", "of=" + os.path.join(d, "fill"), "bs=4k"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out = tempfile.mktemp(suffix=".folded")
        r = pslib.run_pystrobe(ps, ["record", "-d", "20", "-f", "folded", "-o", out, "--summary",
                                    os.path.join(d, "sum.txt"), "--", py, work, "0.5"])
        c.check("full", "summary-fails", r.returncode == 1 and "cannot write the summary" in r.stderr
                and not os.path.exists(os.path.join(d, "sum.txt")),
                "exit %d (want 1), stderr %r" % (r.returncode, r.stderr.strip()[-200:]))
        if os.path.exists(out):
            os.unlink(out)
    finally:
        subprocess.run(["umount", d])
        shutil.rmtree(d, ignore_errors=True)


def escapes(c, ps, py, d):
    """Every text output of a run on the hostile workload, checked byte by byte."""
    # a raw 0x9b byte in the script's name (the summary's label shows it)
    script = os.path.join(d.encode(), b"ev\x1b[31mil\x9b.py")
    with open(script, "w") as f:
        f.write(WORKLOAD)
    summ, folded = os.path.join(d, "sum.txt"), os.path.join(d, "out.folded")
    r = subprocess.run([ps, "record", "-d", "20", "-f", "folded", "-o", folded, "--summary", summ,
                        "--syscalls", "--", py, script, "1.5"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    text = open(summ, "rb").read() if os.path.exists(summ) else b""
    seen = b"evil" in text and b"RED" in text
    c.check("esc", "summary", r.returncode == 0 and seen and not raw_controls(text),
            "exit %d, names shown %s, raw %r" % (r.returncode, seen, raw_controls(text)[:5]))
    forged = [l for l in text.splitlines() if l.lstrip().startswith(b"99.9%")]
    c.check("esc", "no-forged-line", b"forged" in text and not forged,
            "a newline in a name starts no line: %r" % forged)
    data = open(folded, "rb").read() if os.path.exists(folded) else b""
    c.check("esc", "folded", b"evil" in data and not raw_controls(data),
            "raw %r" % raw_controls(data)[:5])
    r = subprocess.run([ps, "record", "-d", "20", "-f", "folded", "-o", folded, "--", py, script,
                        "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    # the terminal summary cuts a long name at its head: its escaped end shows
    shown = b"evil" in r.stderr or b"\\x7fend" in r.stderr
    c.check("esc", "summary-stderr", r.returncode == 0 and shown
            and not raw_controls(r.stderr), "name shown %s, raw %r" % (shown, raw_controls(r.stderr)[:5]))
    for name, argv in (("gil", ["gil"]), ("syscalls", ["syscalls"]),
                       ("top", ["top", "--interval", "0.5"])):
        r = subprocess.run([ps] + argv + ["-d", "20", "--", py, script, "1.5"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        both = r.stdout + r.stderr
        shown = b"evil" in both or b"RED" in both
        c.check("esc", name, r.returncode == 0 and shown and not raw_controls(both),
                "exit %d, names shown %s, raw %r" % (r.returncode, shown, raw_controls(both)[:5]))


def diff_escapes(c, ps, d):
    """diff reads profiles anyone could have made: its table and error lines are escaped."""
    base, new = os.path.join(d, "base.folded"), os.path.join(d, "new.folded")
    name = EVIL.replace(";", ":").encode("latin-1")  # ';' separates folded frames
    with open(base, "wb") as f:
        f.write(b"main;calm 90\nmain;" + name + b" 10\n")
    with open(new, "wb") as f:
        f.write(b"main;calm 10\nmain;" + name + b" 90\n")
    r = subprocess.run([ps, "diff", base, new, "--fail-if-regressed", "5"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    c.check("esc", "diff-table", r.returncode == 1 and b"evil" in r.stdout
            and not raw_controls(r.stdout), "exit %d, raw %r" % (r.returncode,
                                                                raw_controls(r.stdout)[:5]))
    c.check("esc", "diff-stderr", b"evil" in r.stderr and not raw_controls(r.stderr),
            "raw %r" % raw_controls(r.stderr)[:5])


def sighup(c, ps, py, work):
    """SIGHUP (the terminal went away) ends record like SIGINT: output written, exit 0."""
    out = tempfile.mktemp(suffix=".folded")
    p = subprocess.Popen([ps, "record", "-f", "folded", "-o", out, "--", py, work, "30"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # the handlers are installed before the command is started: wait for the command
        child = lambda: subprocess.run(["pgrep", "-P", str(p.pid)], stdout=subprocess.PIPE,
                                       universal_newlines=True).stdout.split()
        started = pslib.wait_for(lambda: bool(child()), timeout=60)
        time.sleep(1.0)
        p.send_signal(signal.SIGHUP)
        _, err = p.communicate(timeout=60)
        stacks, _ = pslib.read_folded(out) if os.path.exists(out) else ([], {})
        c.check("sighup", "record", started and p.returncode == 0 and len(stacks) > 0,
                "exit %d (want 0), %d stacks written, stderr %r"
                % (p.returncode, len(stacks), err.decode(errors="replace").strip()[-200:]))
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        for pid in child():
            os.kill(int(pid), signal.SIGKILL)
        if os.path.exists(out):
            os.unlink(out)


def pid1(c, ps):
    """record -p 1 (not a Python here): one printable line with a reason, exit 1."""
    r = subprocess.run([ps, "record", "-p", "1", "-d", "1", "-o", tempfile.mktemp()],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    lines = r.stderr.strip().splitlines()
    reason = lines[0].split(b"pid 1: ", 1)[-1] if lines else b""
    printable = all(0x20 <= b < 0x7f for b in r.stderr.strip())
    c.check("pid1", "message", r.returncode == 1 and len(lines) == 1 and printable
            and len(reason) >= 8, "exit %d, stderr %r" % (r.returncode, r.stderr))


def main():
    a = pslib.args()
    ps = os.path.abspath(a.pystrobe)
    c = pslib.Checks()
    found, _ = pslib.interpreters(a.only or "3.12,3.11,debian-3.11,3.13")
    modern = [f for f in found if f[0] not in ("2.7", "3.6", "3.7")]
    if not modern:
        print("MISSING: no CPython 3.8+ to run the hostile workload")
        return 1
    label, py, ver = modern[0]
    print("using CPython %s (%s)" % (ver, label))
    work = pslib.workload("hot.py")
    d = tempfile.mkdtemp(prefix="pystrobe-esc-")
    try:
        pid1(c, ps)
        refused_before_run(c, ps, py)
        symlink_runs(c, ps, py, work)
        summary_write_fails(c, ps, py, work)
        escapes(c, ps, py, d)
        diff_escapes(c, ps, d)
        sighup(c, ps, py, work)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
