#!/usr/bin/env python3
"""Finding Python processes everywhere under `record --all`, with no configuration:
embedded interpreters (a C host built against each libpython, one that
dlopens libpython late, gdb's Python), forked children that never exec, a
process in its own PID and mount namespace (chroot and pivot_root into a
copied tree, in its own cgroup), stripped and unusual builds (a python started by the dynamic loader,
`ld.so --library-path DIR python`, libpython without .symtab, without an exported _PyRuntime, a deleted or replaced binary
and libpython, a venv, a renamed copy of a static python), and bad input
(fake "python" executables with malicious ELF headers, and every ELF fuzz
corpus file mapped as a libpython by a live process).

All workloads run at once under one `record --all`: some start before it
(found by the /proc scan), the rest while it runs (found at exec, at fork or
by the periodic rescan)."""
import glob
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

import pslib

EMBED_SRC = os.path.join(pslib.ROOT, "tests", "embed", "embed_host.c")
DLOPEN_SRC = os.path.join(pslib.ROOT, "tests", "embed", "dlopen_host.c")
ELF_CORPUS = os.path.join(pslib.ROOT, "tests", "fuzz", "corpus", "elfsym")
CHILD = "forked child"  # Case.find: the pid is the process's forked child
SECONDS = 20  # workload run time; the recording covers its middle
RECORD_S = 14
LDSO = "/lib64/ld-linux-x86-64.so.2"

# A stand-in "python": sleeps, optionally mapping a file (a fake libpython) first.
FAKE_SRC = r"""
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	int fd = argc > 2 ? open(argv[2], O_RDONLY) : -1;
	if (fd >= 0 && mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED)
		return 3;
	sleep(argc > 1 ? atoi(argv[1]) : 5);
	return 0;
}
"""


def pyenv(ver):
    """Path of the pyenv python X.Y.Z or None."""
    return pslib.interpreter(ver)


class Case:
    """One setup: how it is started, and which pid and function to look for."""

    def __init__(self, name, label, argv, func="hot_leaf", env=None, before=False,
                 expect="profiled", find=None, cwd=None):
        self.name, self.label, self.argv, self.func = name, label, argv, func
        self.env, self.before, self.expect, self.find, self.cwd = env, before, expect, find, cwd
        self.proc = None
        self.pid = None
        self.setup_error = None


def sh(argv, **kw):
    subprocess.check_call(argv, stdout=subprocess.DEVNULL, **kw)


# ---- embedded interpreters ----

def build_embed(tmp, ver):
    """embed_host linked against pyenv's libpython ver (X.Y); its path."""
    py = pyenv(ver)
    if not py:
        return None
    cfg = py + "-config"
    flags = subprocess.check_output([cfg, "--cflags"], universal_newlines=True).split()
    embed = ["--embed"] if ver not in ("2.7", "3.6", "3.7") else []
    ld = subprocess.check_output([cfg] + embed + ["--ldflags"], universal_newlines=True).split()
    prefix = subprocess.check_output([cfg, "--prefix"], universal_newlines=True).strip()
    out = os.path.join(tmp, "embed_host%s" % ver.replace(".", ""))
    flags = [f for f in flags if not f.startswith("-W")]  # 2.7's flags warn on our C11
    sh(["gcc", "-o", out, EMBED_SRC] + flags + ld + ["-Wl,-rpath,%s/lib" % prefix])
    return out


GDB_SCRIPT = """python
import time
def gdb_hot(n):
    t = 0
    for i in range(n):
        t += i * i
    return t
end = time.time() + %d
while time.time() < end:
    gdb_hot(20000)
""" % SECONDS


def embed_cases(tmp, missing):
    cases = []
    for ver in ("2.7", "3.8", "3.12", "3.13"):
        try:
            host = build_embed(tmp, ver)
        except subprocess.CalledProcessError as e:
            host = None
            missing.append("embed %s: build failed: %s" % (ver, e))
        if host:
            cases.append(Case("embed", ver, [host, str(SECONDS)], func="embedded_hot"))
        else:
            missing.append("embed %s: CPython %s not installed" % (ver, ver))
    # libpython loaded 4 s after exec, after the 2 s a new process is watched for: found by
    # the rescan (every 5 s), so the recording runs >= 5 s past that
    host = os.path.join(tmp, "dlopen_host")
    sh(["gcc", "-o", host, DLOPEN_SRC, "-ldl"])
    for ver in ("3.12", "2.7"):
        py = pyenv(ver)
        libs = glob.glob(os.path.join(os.path.dirname(os.path.dirname(py or "/x/x")), "lib",
                                      "libpython%s.so*" % ver))
        if libs:
            cases.append(Case("dlopen-late", ver, [host, "4", str(SECONDS - 4), sorted(libs)[0]],
                              func="late_hot"))
        else:
            missing.append("dlopen-late %s: CPython %s not installed" % (ver, ver))
    if shutil.which("gdb"):
        script = os.path.join(tmp, "gdb-loop.gdb")
        with open(script, "w") as f:
            f.write(GDB_SCRIPT)
        cases.append(Case("gdb", "debian-gdb", ["gdb", "-nx", "-batch", "-x", script],
                          func="gdb_hot"))
    else:
        missing.append("gdb: not installed")
    return cases


# ---- containers ----

def copy_root(tmp, py, name):
    """A root file system holding a copy of py's prefix (binary, libpython, stdlib, libs);
    each container gets its own copy, so no file is shared with the host or another."""
    prefix = os.path.dirname(os.path.dirname(py))
    ver = os.path.basename(py)[len("python"):]
    root = os.path.join(tmp, name)
    stdlib = os.path.join(root, "usr", "lib", "python" + ver)
    for d in ("usr/bin", "usr/lib", "app", "proc", "old", "tmp"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    shutil.copy2(py, os.path.join(root, "usr", "bin"))
    for lib in glob.glob(os.path.join(prefix, "lib", "libpython%s*.so*" % ver)):
        shutil.copy2(lib, os.path.join(root, "usr", "lib"))
    os.makedirs(stdlib)
    for f in glob.glob(os.path.join(prefix, "lib", "python" + ver, "*.py")):
        shutil.copy2(f, stdlib)
    for d in ("encodings", "lib-dynload"):
        shutil.copytree(os.path.join(prefix, "lib", "python" + ver, d), os.path.join(stdlib, d))
    libs = subprocess.check_output(["ldd", py], universal_newlines=True)
    for lib in re.findall(r"(/\S+) \(0x", libs):
        if "libpython" not in lib:
            dst = os.path.join(root, lib.lstrip("/"))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(os.path.realpath(lib), dst)
    shutil.copy2(pslib.workload("hot.py"), os.path.join(root, "app"))
    return root


# Run by the host's python3: new pid + mount namespace, pivot_root into argv[1], exec the rest.
PIVOT_HELPER = r"""
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, CLONE_NEWPID, MS_BIND, MS_REC, MS_PRIVATE, MNT_DETACH = (
    0x20000, 0x20000000, 4096, 16384, 1 << 18, 2)
def ok(r, what):
    if r != 0:
        raise OSError(ctypes.get_errno(), what)
root = sys.argv[1]
cg = sys.argv[2]
with open(cg, "w") as f:
    f.write(str(os.getpid()))
ok(libc.unshare(CLONE_NEWNS | CLONE_NEWPID), "unshare")
pid = os.fork()
if pid:
    os._exit(os.waitpid(pid, 0)[1] >> 8)
ok(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "make private")
ok(libc.mount(root.encode(), root.encode(), None, MS_BIND | MS_REC, None), "bind")
os.chdir(root)
ok(libc.syscall(155, b".", b"old"), "pivot_root")
os.chdir("/")
ok(libc.umount2(b"/old", MNT_DETACH), "umount old")
ok(libc.mount(b"proc", b"/proc", b"proc", 0, None), "mount proc")
os.execv(sys.argv[3], sys.argv[3:])
"""


def make_cgroup(name):
    """A cgroup v2 (or v1 systemd) directory to put a container in; its cgroup.procs path."""
    for base in ("/sys/fs/cgroup/unified", "/sys/fs/cgroup", "/sys/fs/cgroup/systemd"):
        if os.path.exists(os.path.join(base, "cgroup.procs")):
            d = os.path.join(base, name)
            os.makedirs(d, exist_ok=True)
            return os.path.join(d, "cgroup.procs")
    raise OSError("no writable cgroup hierarchy")


def container_cases(tmp, missing, cgroups):
    py = pyenv("3.12")
    if not py:
        missing.append("containers: CPython 3.12 not installed")
        return []
    cases = []
    marker = "pystrobe-ctr-%d" % os.getpid()
    for kind in ("chroot", "pivot"):
        root = copy_root(tmp, py, "root-" + kind)
        cg = "pystrobe-test-%s-%d" % (kind, os.getpid())
        procs = make_cgroup(cg)
        cgroups.append(os.path.dirname(procs))
        inner = ["/usr/bin/" + os.path.basename(py), "-I", "-S", "/app/hot.py", str(SECONDS),
                 marker + "-" + kind]
        if kind == "chroot":
            argv = ["sh", "-c", 'echo $$ > %s && exec unshare --pid --mount --fork --mount-proc '
                    'chroot "$0" "$@"' % procs, root] + inner
        else:
            helper = os.path.join(tmp, "pivot.py")
            with open(helper, "w") as f:
                f.write(PIVOT_HELPER)
            argv = ["/usr/bin/python3", helper, root, procs] + inner
        c = Case("container", "3.12-" + kind, argv, find=marker + "-" + kind)
        c.cgroup = "/" + cg
        cases.append(c)
    return cases


# ---- stripped and unusual builds ----

def elf_sections(path):
    """{name: (offset, size, index)} of a 64-bit little-endian ELF's sections."""
    with open(path, "rb") as f:
        data = f.read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    hdrs = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    stroff = hdrs[shstrndx][4]
    out = {}
    for i, h in enumerate(hdrs):
        name = data[stroff + h[0]:data.index(b"\0", stroff + h[0])].decode()
        out[name] = (h[4], h[5], i, shoff + i * shentsize)
    return out


def gnu_hash(name):
    h = 5381
    for c in name:
        h = (h * 33 + c) & 0xffffffff
    return h


def hide_symbol(path, name):
    """Rename symbol name in .dynstr so no lookup by name finds it, keeping the library
    loadable: its own relocations name the symbol, so the new name keeps the GNU hash
    (last two bytes +1 and -33: h*33+c is unchanged) and the dynamic linker still binds."""
    off, size, _, _ = elf_sections(path)[".dynstr"]
    old = name.encode()
    new = old[:-2] + bytes([old[-2] + 1, old[-1] - 33])
    assert gnu_hash(new) == gnu_hash(old) and new != old
    with open(path, "r+b") as f:
        f.seek(off)
        tab = f.read(size)
        i = tab.find(b"\0" + old + b"\0")
        if i < 0:
            raise AssertionError("%s not in .dynstr of %s" % (name, path))
        f.seek(off + i + 1)
        f.write(new)


def drop_section_headers(path):
    """sstrip-like: no section headers at all (the loader reads only program headers)."""
    with open(path, "r+b") as f:
        f.seek(0x28)
        f.write(struct.pack("<Q", 0))
        f.seek(0x3a)
        f.write(struct.pack("<HHH", 64, 0, 0))


def lib_copy(tmp, ver, tag, strip=False, hide=None, no_shdrs=False):
    """A copy of pyenv's libpython ver in its own directory (for LD_LIBRARY_PATH)."""
    py = pyenv(ver)
    if not py:
        return None, None
    prefix = os.path.dirname(os.path.dirname(py))
    lib = glob.glob(os.path.join(prefix, "lib", "libpython%s.so.1.0" % ver))[0]
    d = os.path.join(tmp, "lib-" + tag)
    os.makedirs(d)
    dst = os.path.join(d, os.path.basename(lib))
    shutil.copy2(lib, dst)
    if strip:
        sh(["strip", dst])
    if hide:
        hide_symbol(dst, hide)
    if no_shdrs:
        drop_section_headers(dst)
    return py, d


def build_cases(tmp, missing):
    cases = []
    hot = pslib.workload("hot.py")
    for ver, tag, strip, hide, no_shdrs, expect in (
            ("3.12", "stripped-lib", True, None, False, "profiled"),
            ("3.13", "no-_PyRuntime", True, "_PyRuntime", False, "profiled"),
            ("3.13", "no-sections", True, "_PyRuntime", True, "profiled"),
            ("3.12", "no-_PyRuntime", True, "_PyRuntime", False, "refused")):
        py, d = lib_copy(tmp, ver, ver + tag, strip, hide, no_shdrs)
        if not py:
            missing.append("%s %s: not installed" % (ver, tag))
            continue
        env = dict(os.environ, LD_LIBRARY_PATH=d)
        cases.append(Case(tag, ver, [py, "-S", hot, str(SECONDS)], env=env, expect=expect))
    deb = "/usr/bin/python3.11"
    if os.path.exists(deb):
        for tag in ("deleted-exe", "replaced-exe"):
            d = os.path.join(tmp, tag)
            os.makedirs(d)
            shutil.copy2(deb, os.path.join(d, "python3.11"))
            cases.append(Case(tag, "debian-3.11", [os.path.join(d, "python3.11"), hot,
                                                    str(SECONDS)], before=True))
        d = os.path.join(tmp, "pyinstaller")
        os.makedirs(d)
        shutil.copy2(deb, os.path.join(d, "myapp"))
        cases.append(Case("renamed-copy", "debian-3.11", [os.path.join(d, "myapp"), hot,
                                                            str(SECONDS)]))
    else:
        missing.append("debian-3.11: /usr/bin/python3.11 not installed")
    for label, py in (("3.12", pyenv("3.12")), ("2.7", pyenv("2.7")),
                      ("debian-3.11", deb if os.path.exists(deb) else None)):
        if py:
            cases.append(Case("fork-child", label, [py, pslib.workload("fork_child.py"), "3",
                                                    str(SECONDS - 4)], func="child_hot",
                              before=True, find=CHILD))
        else:
            missing.append("fork-child %s: not installed" % label)
    for label, py, lib in (("debian-3.11", deb, None), ("3.12", pyenv("3.12"), "lib")):
        # started by the dynamic loader: the exe is ld.so, the interpreter a mapped file
        if py and os.path.exists(py) and os.path.exists(LDSO):
            libdir = os.path.join(os.path.dirname(os.path.dirname(py)), lib) if lib else "/"
            cases.append(Case("ld.so", label, [LDSO, "--library-path", libdir, py, hot,
                                               str(SECONDS)]))
        else:
            missing.append("ld.so %s: not installed" % label)
    py, d = lib_copy(tmp, "3.12", "deleted-lib")
    if py:
        cases.append(Case("deleted-lib", "3.12", [py, "-S", hot, str(SECONDS)], before=True,
                          env=dict(os.environ, LD_LIBRARY_PATH=d)))
        venv = os.path.join(tmp, "venv")
        sh([py, "-m", "venv", "--without-pip", venv])
        cases.append(Case("venv", "3.12", [os.path.join(venv, "bin", "python"), hot,
                                           str(SECONDS)]))
    return cases


def after_start(c, tmp):
    """Delete or replace a binary / libpython once its process runs."""
    if c.name == "deleted-exe":
        os.unlink(c.argv[0])
    elif c.name == "replaced-exe":
        new = c.argv[0] + ".new"
        shutil.copy2("/bin/true", new)
        os.rename(new, c.argv[0])
    elif c.name == "deleted-lib":
        d = c.env["LD_LIBRARY_PATH"]
        for f in os.listdir(d):
            os.unlink(os.path.join(d, f))


# ---- bad input ----

def patch(data, off, fmt, *vals):
    data = bytearray(data)
    struct.pack_into(fmt, data, off, *vals)
    return bytes(data)


def malicious_variants(exe):
    """{name: bytes}: a runnable ELF (the kernel reads only program headers) with hostile
    section headers and symbol tables."""
    with open(exe, "rb") as f:
        good = f.read()
    secs = elf_sections(exe)
    shoff, = struct.unpack_from("<Q", good, 0x28)
    out = {
        "shnum_huge": patch(good, 0x3c, "<H", 0xffff),
        "shoff_past_eof": patch(good, 0x28, "<Q", len(good) + 0x100000),
        "shstrndx_bad": patch(good, 0x3e, "<H", 0xfffe),
        "shentsize_small": patch(good, 0x3a, "<H", 8),
    }
    strtab_off, strtab_size, _, _ = secs[".strtab"]
    nonul = bytearray(good)
    for i in range(strtab_off, strtab_off + strtab_size):
        if nonul[i] == 0:
            nonul[i] = ord("A")
    out["strtab_without_nul"] = bytes(nonul)
    _, _, _, symhdr = secs[".symtab"]
    out["symtab_size_huge"] = patch(good, symhdr + 0x20, "<Q", 1 << 40)
    _, _, _, strhdr = secs[".strtab"]
    out["strtab_offset_huge"] = patch(good, strhdr + 0x18, "<Q", 1 << 62)
    return out


def bad_cases(tmp, missing):
    d = os.path.join(tmp, "bad")
    os.makedirs(d)
    src = os.path.join(d, "fake.c")
    with open(src, "w") as f:
        f.write(FAKE_SRC)
    exe = os.path.join(d, "fake")
    sh(["gcc", "-O1", "-o", exe, src])
    cases = []
    for name, data in sorted(malicious_variants(exe).items()):
        vd = os.path.join(d, name)
        os.makedirs(vd)
        path = os.path.join(vd, "python3")
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, 0o755)
        cases.append(Case("bad-exe", name, [path, str(SECONDS)], expect="ignored"))
    # every ELF fuzz corpus file, mapped by a live process as its "libpython"
    for corpus in sorted(glob.glob(os.path.join(ELF_CORPUS, "*"))):
        if os.path.getsize(corpus) == 0:
            continue
        vd = os.path.join(d, "lib-" + os.path.basename(corpus))
        os.makedirs(vd)
        lib = os.path.join(vd, "libpython3.11.so.1.0")
        shutil.copy2(corpus, lib)
        cases.append(Case("bad-lib", os.path.basename(corpus)[:12], [exe, str(SECONDS), lib],
                          expect="ignored"))
    return cases


# ---- running and checking ----

def forked_child(pid):
    """The first child of pid, or None."""
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            kids = f.read().split()
    except OSError:
        return None
    return int(kids[0]) if kids else None


def find_pid(c):
    """The pid running the case's Python (a descendant found by its marker argument)."""
    if not c.find:
        return c.proc.pid
    for _ in range(100):
        if c.find == CHILD:
            kid = forked_child(c.proc.pid)
            if kid:
                return kid
            time.sleep(0.05)
            continue
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open("/proc/%s/cmdline" % d, "rb") as f:
                        argv = f.read().split(b"\0")
                except OSError:
                    continue
                if c.find.encode() in argv and argv[0].startswith(b"/usr/bin/python3."):
                    return int(d)
        time.sleep(0.05)
    return None


def start(c):
    c.proc = subprocess.Popen(c.argv, env=c.env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, universal_newlines=True)


HARNESS = os.path.basename(__file__)


def root_pid(frame):
    return frame.rsplit("(", 1)[-1].rstrip(")")


def check(chk, c, stacks, summary, rec_ok):
    """One PASS/FAIL line for case c."""
    name = "%s %s" % (c.name, c.label)
    if c.pid is None:
        chk.check(name, "found", False, "process did not start: %s" % (
            c.setup_error or (c.proc.stderr.read()[-300:] if c.proc else "?")))
        return
    mine = [(fr, n) for fr, n in stacks if root_pid(fr[0]) == str(c.pid)]
    hits = sum(n for fr, n in mine if any(pslib.func(f) == c.func for f in fr))
    roots = sorted(set(fr[0] for fr, _ in mine))
    if c.expect == "ignored":
        # Popen's child is this harness (a Python) until it execs the case: on a
        # busy machine pystrobe can catch it then, rooted "python3 test_discovery.py"
        mine = [(fr, n) for fr, n in mine if HARNESS not in fr[0]]
        chk.check(name, "survived", rec_ok and not mine,
                  "pid %d: read, %d stacks (0 expected), pystrobe %s" % (
                      c.pid, len(mine), "ok" if rec_ok else "FAILED"))
        return
    if c.expect == "refused":
        note = re.search(r"pid %d: (.*), skipped" % c.pid, summary)
        chk.check(name, "refused", not mine and note is not None,
                  "pid %d: %s" % (c.pid, note.group(1) if note else "no note in the summary"))
        return
    # samples follow the CPU a process gets: with 118 processes on a loaded 2-core host
    # gdb's Python got 10 (others ~40); a process not found has none
    ok, extra = hits >= 5, ""
    if c.name == "container":
        want = "[ns pid 1, %s] (%d)" % (c.cgroup, c.pid)
        line = "container: pid 1 in its namespace, cgroup %s" % c.cgroup
        # the pivot helper's fork may be profiled as a first generation of the pid (python3
        # pivot.py) before it execs: the root of every hot stack must be the container's
        roots = sorted(set(fr[0] for fr, n in mine if any(pslib.func(f) == c.func for f in fr)))
        ok = ok and len(roots) == 1 and roots[0].endswith(want) and line in summary
        extra = "; summary %s" % ("lists ns pid and cgroup" if line in summary else "MISSING")
    chk.check(name, "profiled", ok, "pid %d: %d samples in %s; root %s%s" % (
        c.pid, hits, c.func, roots[:2], extra))


def run_all(ps, tmp, cases):
    """Start the 'before' cases, then record --all while the rest start; (stacks, summary)."""
    out = os.path.join(tmp, "all.folded")
    for c in cases:
        if c.before:
            start(c)
    time.sleep(1.0)
    for c in cases:
        if c.before:
            after_start(c, tmp)
    rec = subprocess.Popen([ps, "record", "--all", "-d", str(RECORD_S), "-F", "199", "-f",
                            "folded", "-o", out], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True)
    time.sleep(1.0)
    for c in cases:
        if not c.before:
            start(c)
    for c in cases:
        c.pid = find_pid(c)
    t0 = time.time()
    try:
        _, summary = rec.communicate(timeout=RECORD_S + 60)
    except subprocess.TimeoutExpired:
        rec.kill()
        _, summary = rec.communicate()
        summary = "HUNG: " + summary
    elapsed = time.time() - t0
    stacks = pslib.read_folded(out)[0] if os.path.exists(out) else []
    return rec.returncode, elapsed, stacks, summary


def stop(cases):
    for c in cases:
        if c.proc and c.proc.poll() is None:
            c.proc.send_signal(signal.SIGKILL)
    for c in cases:
        if c.proc:
            c.proc.wait()
    for c in cases:
        if c.find and c.pid:
            try:
                os.kill(c.pid, signal.SIGKILL)
            except OSError:
                pass


def main():
    a = pslib.args()
    chk = pslib.Checks()
    missing, cgroups = [], []
    with tempfile.TemporaryDirectory() as tmp:
        cases = embed_cases(tmp, missing) + container_cases(tmp, missing, cgroups) + \
            build_cases(tmp, missing) + bad_cases(tmp, missing)
        for m in missing:  # a failure under CI=true (the machine image has them all)
            pslib.report_missing(m)
        try:
            rc, elapsed, stacks, summary = run_all(a.pystrobe, tmp, cases)
        finally:
            stop(cases)
            for d in cgroups:
                try:
                    os.rmdir(d)
                except OSError:
                    pass
        rss = re.search(r"peak RSS ([0-9.]+) MB", summary)
        rec_ok = rc == 0 and not summary.startswith("HUNG") and rss is not None and \
            float(rss.group(1)) < 200
        chk.check("record", "--all", rec_ok,
                  "exit %s after %.1f s, peak RSS %s MB, %d processes" % (
                      rc, elapsed, rss.group(1) if rss else "?", len(cases)))
        for c in cases:
            check(chk, c, stacks, summary, rec_ok)
        if chk.failed:
            sys.stdout.write(summary[-3000:])
    return chk.finish()


if __name__ == "__main__":
    sys.exit(main())
