#!/usr/bin/env python3
"""Start-up work (issue 15): what pystrobe does before its first sample.

- notpython: `record -p` of a process that is not Python is refused before
  any BPF work (no bpf() call at all, seen with strace).
- btf-once: `record` reads the kernel BTF (/sys/kernel/btf/vmlinux) once,
  not once per BPF object, and still profiles.
- btf-once-syscalls: so does `syscalls`, whose tp_btf programs made libbpf
  read all of it again for their attach targets, and it still counts every
  write of its command exactly.
- exec-skip: under `record --all`, an executable found not to be Python is
  skipped in BPF from then on (its (dev, inode) is in the exe_skip map), and
  a Python started afterwards is still profiled.
- spawn-forget: under `record --all`, a profiled Python that spawns 300
  short programs: their forks are forgotten in BPF once they exec a skipped
  file (PS_PROC_FORGET), so none is looked at after its exit (before: most
  were, "processes gone before they were examined"), and the spawner is
  still profiled.
"""
import re
import json
import os
import subprocess
import sys
import tempfile
import time

import pslib


def strace(argv, what, out):
    """Run argv under strace -f -e trace=what into out; the CompletedProcess."""
    return subprocess.run(["strace", "-f", "-qq", "-e", "trace=" + what, "-o", out] + argv,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=120)


def lines_with(path, needle):
    with open(path) as f:
        return [l for l in f if needle in l]


def check_notpython(c, ps, tmp):
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        log = os.path.join(tmp, "notpython.strace")
        r = strace([ps, "record", "-p", str(sleeper.pid), "-d", "1",
                    "-o", os.path.join(tmp, "np.folded")], "bpf", log)
        calls = lines_with(log, "bpf(")
        c.check("startup", "notpython", r.returncode == 1 and "not a Python process" in r.stderr
                and not calls, "exit %d, %d bpf() calls before refusing (want 0): %s"
                % (r.returncode, len(calls), r.stderr.strip()[-120:]))
    finally:
        sleeper.kill()
        sleeper.wait()


def check_btf_once(c, ps, py, tmp):
    proc = subprocess.Popen([py, pslib.workload("hot.py"), "8"])
    try:
        time.sleep(0.3)
        log, out = os.path.join(tmp, "btf.strace"), os.path.join(tmp, "btf.folded")
        r = strace([ps, "record", "-p", str(proc.pid), "-d", "1", "-f", "folded", "-o", out],
                   "openat", log)
        opens = lines_with(log, "/sys/kernel/btf/vmlinux")
        ok, detail = pslib.folded_has(out, "hot") if r.returncode == 0 else (False, r.stderr)
        c.check("startup", "btf-once", ok and len(opens) == 1,
                "kernel BTF opened %d times (want 1); %s" % (len(opens), detail))
    finally:
        proc.kill()
        proc.wait()


def check_btf_once_syscalls(c, ps, py, tmp):
    log = os.path.join(tmp, "btf-sys.strace")
    r = strace([ps, "syscalls", "--", py, pslib.workload("write_calls.py"), "3000", "16"],
               "openat", log)
    opens = lines_with(log, "/sys/kernel/btf/vmlinux")
    writes = [l.split() for l in r.stdout.splitlines() if l.split()[:1] == ["write"]]
    calls = int(writes[0][1]) if writes else None
    c.check("startup", "btf-once-syscalls", r.returncode == 0 and len(opens) == 1 and calls == 3000,
            "kernel BTF opened %d times (want 1); write calls %s (want 3000); exit %d %s"
            % (len(opens), calls, r.returncode, r.stderr.strip()[-200:]))


def skip_keys():
    """(ino, kernel dev) of every exe_skip map's entries (any pystrobe running)."""
    r = subprocess.run(["bpftool", "-j", "map", "dump", "name", "exe_skip"],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, universal_newlines=True)
    try:
        data = json.loads(r.stdout or "[]")
    except ValueError:
        return set()
    # one map: its entries; several (other pystrobe runs): [{"id": .., "elements": [..]}]
    maps = data if data and isinstance(data[0], dict) and "elements" in data[0] else [
        {"elements": data}]
    keys = set()
    for m in maps:
        for e in m.get("elements", []):
            k = e.get("formatted", {}).get("key") if isinstance(e, dict) else None
            if isinstance(k, dict):
                keys.add((k["ino"], k["dev"]))
    return keys


def check_exec_skip(c, ps, py, tmp):
    out = os.path.join(tmp, "all.folded")
    rec = subprocess.Popen([ps, "record", "--all", "-d", "7", "-f", "folded", "-o", out],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
    st = os.stat("/bin/sleep")
    key = (st.st_ino, os.major(st.st_dev) << 20 | os.minor(st.st_dev))
    try:
        time.sleep(2.5)  # BPF attached, even on a busy machine
        # each lives 200 ms: pystrobe examines it alive and judges its file
        for _ in range(8):
            subprocess.run(["/bin/sleep", "0.2"])
        skipped = pslib.wait_for(lambda: key in skip_keys(), timeout=2.0)
        subprocess.run([py, pslib.workload("short.py"), "400"])
    finally:
        _, err = rec.communicate(timeout=60)
    ok, detail = pslib.folded_has(out, "short_lived_work") if rec.returncode == 0 else (
        False, err.strip()[-200:])
    c.check("startup", "exec-skip", skipped and ok,
            "/bin/sleep (ino %d) in exe_skip: %s; the later Python: %s" % (st.st_ino, skipped,
                                                                          detail))


SPAWNER = r"""
import os, time
kids = [os.posix_spawn("/bin/true", ["true"], os.environ) for _ in range(300)]
for k in kids:
    os.waitpid(k, 0)
def spawner_hot(until):
    while time.time() < until:
        pass
spawner_hot(time.time() + 1.0)
"""


def check_spawn_forget(c, ps, py, tmp):
    out = os.path.join(tmp, "spawn.folded")
    rec = subprocess.Popen([ps, "record", "--all", "-d", "8", "-f", "folded", "-o", out],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
    try:
        time.sleep(2.5)  # BPF attached, even on a busy machine
        subprocess.run(["/bin/true"])  # its file is judged once, before the spawner runs
        time.sleep(0.5)
        subprocess.run([py, "-c", SPAWNER])
    finally:
        _, err = rec.communicate(timeout=60)
    m = re.search(r"(\d+) processes gone before they were examined", err)
    gone = int(m.group(1)) if m else 0
    ok, detail = pslib.folded_has(out, "spawner_hot") if rec.returncode == 0 else (
        False, err.strip()[-200:])
    c.check("startup", "spawn-forget", ok and gone <= 10,
            "of 300 spawned /bin/true, %d looked at after their exit (want <= 10); "
            "the spawner: %s" % (gone, detail))


def main():
    a = pslib.args()
    c = pslib.Checks()
    found, _ = pslib.interpreters(a.only or "3.12")
    with tempfile.TemporaryDirectory() as tmp:
        check_notpython(c, a.pystrobe, tmp)
        for label, py, _ in found[:1]:
            check_btf_once(c, a.pystrobe, py, tmp)
            check_btf_once_syscalls(c, a.pystrobe, py, tmp)
            check_exec_skip(c, a.pystrobe, py, tmp)
            check_spawn_forget(c, a.pystrobe, py, tmp)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
