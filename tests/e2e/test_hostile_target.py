#!/usr/bin/env python3
"""A root pystrobe against processes of an unprivileged attacker (issue 16, items 1 and 3).

Each attack runs as `nobody` (setpriv), pystrobe as root:
  fifo     a non-ELF file named libpython3.11.so is mapped, unlinked, and a
           FIFO "libpython3.11.so (deleted)" put in its place: `record -p` and
           `record --all` must end within -d plus a margin (they used to block
           in open() for ever);
  symlink  the same with a symlink "libpython3.11.so (deleted)" -> /dev/kmsg:
           pystrobe must open no " (deleted)" name and never /dev/kmsg
           (strace -f -y shows every open and the file it gave);
  linetable 150 code objects on the stack share one 1 MiB co_linetable: the
           attacker pays 1 MiB, pystrobe must not pay it 150 times (peak RSS
           of the record process, from wait4);
  sparse   a 4 KiB-on-disk, 1 GiB sparse "libpython3.11.so" whose ELF header
           claims a 1 GiB .symtab: no GiB allocation, no stall, and a refusal
           counted in the summary.
The attacker's interpreter is Debian's python3.11 (readable by nobody; pyenv's
live under /root)."""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

import pslib

ATTACKER_PY = "/usr/bin/python3.11"
SETPRIV = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
NOBODY = 65534
DURATION = 2  # -d of every record
# Start-up (BPF load, /proc scan) plus report on a busy 2-core VM took up to
# ~4 s in our runs; a hang is unbounded, so a 10 s margin separates them.
MARGIN_S = 10
# Peak RSS bound of `record` against the shared line tables: measured ~35 MB
# with one shared copy, ~190 MB when each of the 150 code objects costs 1 MiB.
LT_RSS_MAX_KB = 100 * 1024
# Peak RSS bound against the sparse file: ~30 MB refused, over 1 GB read.
SPARSE_RSS_MAX_KB = 200 * 1024
N_CODES = 150

# The attacker: maps a file named libpython3.11.so in DIR, then MODE:
#   fifo / symlink: unlink it, put a FIFO / a symlink to /dev/kmsg at "<name> (deleted)";
#   sparse: the file is a 1 GiB sparse ELF (made by the test), left in place.
# Then sleeps; prints "ready" once set up.
ATTACKER = r"""
import mmap, os, sys, time
mode, d, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
lib = os.path.join(d, "libpython3.11.so")
if mode != "sparse":
    with open(lib, "wb") as f:
        f.write(b"not an ELF file\n" * 256)
fd = os.open(lib, os.O_RDONLY)
m = mmap.mmap(fd, 4096, mmap.MAP_PRIVATE, mmap.PROT_READ)
if mode == "fifo":
    os.unlink(lib)
    os.mkfifo(lib + " (deleted)")
elif mode == "symlink":
    os.unlink(lib)
    os.symlink("/dev/kmsg", lib + " (deleted)")
print("ready", flush=True)
time.sleep(secs)
"""

# N code objects, one chain on the stack (f0 calls f1 ... calls the spinner),
# all sharing ONE 1 MiB co_linetable bytes object (the real table, padded with
# "no location" entries: 0xff = code 15, 8 code units).
SHARED_LT = r"""
import sys, time, types
n, secs = int(sys.argv[1]), float(sys.argv[2])
END = time.time() + secs

def spin(k):
    while time.time() < END:
        pass

def link(k):
    return CHAIN[k + 1](k + 1)

orig = link.__code__.co_linetable
LT = orig + b"\xff" * ((1 << 20) - len(orig))
CHAIN = []
for i in range(n):
    name = "shared_lt_%d" % i
    code = link.__code__.replace(co_name=name, co_qualname=name, co_linetable=LT)
    CHAIN.append(types.FunctionType(code, globals()))
CHAIN.append(spin)
assert all(f.__code__.co_linetable is LT for f in CHAIN[:n])
print("ready", flush=True)
CHAIN[0](0)
"""


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o644)


def attacker_dir():
    """A fresh directory owned by nobody (the attacker's playground)."""
    d = tempfile.mkdtemp(prefix="ps-hostile-")
    os.chmod(d, 0o755)
    os.chown(d, NOBODY, NOBODY)
    return d


def start_attacker(argv):
    """Start argv as nobody; wait for its "ready" line. The Popen."""
    p = subprocess.Popen(SETPRIV + argv, stdout=subprocess.PIPE, universal_newlines=True)
    line = p.stdout.readline()
    if line.strip() != "ready":
        p.kill()
        raise AssertionError("attacker did not start: %r (exit %s)" % (line, p.poll()))
    return p


def stop(p):
    if p and p.poll() is None:
        p.kill()
        p.wait()


def run_bounded(argv, timeout):
    """Run argv (root); kill it at timeout. (rc or None if killed, secs, stderr)."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         universal_newlines=True)
    err = ""
    try:
        _, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()  # a hang in open() on a FIFO: SIGKILL still ends it
        _, err = p.communicate()
        return None, time.monotonic() - t0, err
    return p.returncode, time.monotonic() - t0, err


def run_child_rss(argv, timeout):
    """Like run_bounded, but the peak RSS of this very child (wait4), not of all children."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = t0 + timeout
    err = b""
    os.set_blocking(p.stderr.fileno(), False)
    while True:
        chunk = p.stderr.read()
        if chunk:
            err += chunk
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            p.kill()
            os.wait4(p.pid, 0)
            return None, time.monotonic() - t0, 0, err.decode(errors="replace")
        time.sleep(0.05)
    chunk = p.stderr.read()
    err += chunk or b""
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, time.monotonic() - t0, usage.ru_maxrss, err.decode(errors="replace")


def record(pystrobe, out, target, extra=()):
    sel = ["--all"] if target == "all" else ["-p", str(target)]
    return [pystrobe, "record"] + sel + ["-d", str(DURATION), "-f", "folded", "-o", out] + \
        list(extra)


def attack_fifo(chk, pystrobe, tmp):
    d = attacker_dir()
    write(os.path.join(d, "attacker.py"), ATTACKER)
    a = start_attacker([ATTACKER_PY, os.path.join(d, "attacker.py"), "fifo", d, "120"])
    try:
        for target in (a.pid, "all"):
            out = os.path.join(tmp, "fifo.folded")
            rc, secs, err = run_bounded(record(pystrobe, out, target),
                                           DURATION + MARGIN_S)
            name = "-p" if target != "all" else "--all"
            chk.check("fifo", name, rc == 0,
                      "record %s -d %d: %s after %.1f s%s" % (
                          name, DURATION, "hung, killed" if rc is None else "exit %d" % rc,
                          secs, "" if rc == 0 else "\n" + err[-1500:]))
    finally:
        stop(a)
        shutil.rmtree(d, ignore_errors=True)


def opened_unsafe(log):
    """Lines of an strace -y log where pystrobe opened a path argument ending in
    " (deleted)" (the planted name), or got an fd of /dev/kmsg, whatever the path.
    (strace -y also marks fds of unlinked files "(deleted)": the path argument is
    what pystrobe chose.)"""
    bad = []
    for line in log.splitlines():
        call = re.search(r'\bopen(?:at2?)?\((?:[^,]*, )?"((?:[^"\\]|\\.)*)"', line)
        if not call or re.search(r"= -1 ", line):
            continue
        if call.group(1).endswith(" (deleted)") or "</dev/kmsg>" in line:
            bad.append(line.strip())
    return bad


def attack_symlink(chk, pystrobe, tmp):
    d = attacker_dir()
    write(os.path.join(d, "attacker.py"), ATTACKER)
    a = start_attacker([ATTACKER_PY, os.path.join(d, "attacker.py"), "symlink", d, "120"])
    log = os.path.join(tmp, "strace.log")
    try:
        out = os.path.join(tmp, "symlink.folded")
        argv = ["strace", "-f", "-y", "-qq", "-e", "trace=open,openat,openat2", "-o", log] + \
            record(pystrobe, out, a.pid)
        rc, secs, err = run_bounded(argv, DURATION + 3 * MARGIN_S)
        with open(log, errors="replace") as f:
            text = f.read()
        bad = opened_unsafe(text)
        seen = len(re.findall(r"map_files/", text))
        chk.check("symlink", "-p", rc == 0 and not bad and seen > 0,
                  "exit %s after %.1f s; %d map_files opens; opens of the planted name or "
                  "/dev/kmsg: %d%s" % (rc, secs, seen, len(bad),
                                      "".join("\n    " + b for b in bad[:5])))
    finally:
        stop(a)
        shutil.rmtree(d, ignore_errors=True)


def attack_linetable(chk, pystrobe, tmp):
    d = attacker_dir()
    write(os.path.join(d, "shared_lt.py"), SHARED_LT)
    a = start_attacker([ATTACKER_PY, os.path.join(d, "shared_lt.py"), str(N_CODES), "120"])
    try:
        out = os.path.join(tmp, "lt.folded")
        rc, secs, rss, err = run_child_rss(record(pystrobe, out, a.pid, ["-F", "199"]),
                                           DURATION + MARGIN_S)
        names = set()
        if rc == 0:
            stacks, _ = pslib.read_folded(out)
            for frames, _n in stacks:
                names.update(f for f in map(pslib.func, frames) if f.startswith("shared_lt_"))
        chk.check("linetable", "sampled", len(names) == N_CODES,
                  "%d of %d code objects sharing one 1 MiB line table in the profile "
                  "(exit %s)" % (len(names), N_CODES, rc))
        chk.check("linetable", "peak-rss", rc == 0 and rss < LT_RSS_MAX_KB,
                  "record's peak RSS %.1f MB (bound %.0f MB; 150 x 1 MiB would be ~150 MB)"
                  % (rss / 1024.0, LT_RSS_MAX_KB / 1024.0))
    finally:
        stop(a)
        shutil.rmtree(d, ignore_errors=True)


def sparse_elf(path, size=1 << 30):
    """A sparse file of size bytes: an ELF64 header and 3 section headers (null,
    .symtab claiming all but the first 8 KiB, .strtab), the rest holes."""
    shoff = 64
    ehdr = b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\0" * 8 + struct.pack(
        "<HHIQQQIHHHHHH", 3, 62, 1, 0, 0, shoff, 0, 64, 0, 0, 64, 3, 0)
    null = b"\0" * 64
    # sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, sh_link, sh_info, align, entsize
    # libelf wants whole symbols: the size is a multiple of 24 (Elf64_Sym)
    symtab = struct.pack("<IIQQQQIIQQ", 0, 2, 0, 0, 8192, (size - 8192) // 24 * 24, 2, 0, 8, 24)
    strtab = struct.pack("<IIQQQQIIQQ", 0, 3, 0, 0, 4096, 16, 0, 0, 1, 0)
    with open(path, "wb") as f:
        f.write(ehdr + null + symtab + strtab)
        f.truncate(size)
    os.chown(path, NOBODY, NOBODY)


def attack_sparse(chk, pystrobe, tmp):
    d = attacker_dir()
    write(os.path.join(d, "attacker.py"), ATTACKER)
    sparse_elf(os.path.join(d, "libpython3.11.so"))
    a = start_attacker([ATTACKER_PY, os.path.join(d, "attacker.py"), "sparse", d, "120"])
    try:
        out = os.path.join(tmp, "sparse.folded")
        rc, secs, rss, err = run_child_rss(record(pystrobe, out, a.pid), DURATION + MARGIN_S)
        m = re.search(r"refused: .*?(\d+) oversized ELF sections", err)
        chk.check("sparse", "-p", rc == 0 and rss < SPARSE_RSS_MAX_KB and m is not None,
                  "exit %s after %.1f s, peak RSS %.1f MB (bound %.0f MB), summary: %s" % (
                      rc, secs, rss / 1024.0, SPARSE_RSS_MAX_KB / 1024.0,
                      m.group(0) if m else "no 'refused: N oversized ELF sections' line"))
    finally:
        stop(a)
        shutil.rmtree(d, ignore_errors=True)


def main():
    a = pslib.args()
    chk = pslib.Checks()
    # what the attacks need is part of the machine image: missing is a failure
    missing = [t for t in (ATTACKER_PY, "strace", "setpriv") if not shutil.which(t)]
    if missing:
        chk.check("setup", "tools", False, "missing: %s" % ", ".join(missing))
        return chk.finish()
    with tempfile.TemporaryDirectory() as tmp:
        for attack in (attack_fifo, attack_symlink, attack_linetable, attack_sparse):
            attack(chk, a.pystrobe, tmp)
    return chk.finish()


if __name__ == "__main__":
    sys.exit(main())
