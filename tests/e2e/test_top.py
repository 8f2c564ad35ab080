#!/usr/bin/env python3
"""`pystrobe top`: the live view driven through tmux (keys in with send-keys,
the screen out with capture-pane), the terminal restored on q, SIGTERM and a
dead target, and plain-text snapshots when stdout is not a terminal; the
GIL-WAIT% column from the exact GIL audit on every CPython of test_gil.py
(4 contending threads wait ~75 %, one thread ~0 %, --no-gil shows a dash),
and the W key that orders the processes by it; --wall's view (key w): the
time of wall_split.py's thread by reason and line, summing to one thread,
its sleep share that of the workload's own clock."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pslib

SOCKET = "pystrobe-top-%d" % os.getpid()  # a tmux server of our own, killed at the end
SESSION = None  # the current shell's session (one per stage: the server never runs empty)
PROMPT = "shell$ "
GIL_VERSIONS = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "debian-3.11")
# a process line: PID PYTHON SAMPLES/S GIL% SYSCALLS/S GIL-WAIT% COMMAND
PROC_LINE = re.compile(r"^\s*(\d+) (\S+)\s+(\d+)\s+([\d.-]+)\s+(\S+)\s+([\d.~-]+)  (.*)$",
                       re.M)


def tmux(*argv):
    return subprocess.run(["tmux", "-L", SOCKET] + list(argv), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True)


def screen():
    return tmux("capture-pane", "-p", "-t", SESSION).stdout


def wait_screen(pred, timeout=15.0):
    """The screen once pred(screen) holds (or the last one seen)."""
    end = time.time() + timeout
    s = screen()
    while not pred(s) and time.time() < end:
        time.sleep(0.1)
        s = screen()
    return s


def rows(s):
    """Function lines of the view: (self, total, gil, text, syscalls/s)."""
    out, seen = [], False
    for line in s.splitlines():
        if line.lstrip().startswith("SELF%"):
            seen = True
            continue
        m = re.match(r"\s*([\d.]+)\s+([\d.]+)\s+([\d.-]+)\s+([\d.kM-]+)\s+(.*)$", line)
        if seen and m:
            out.append((float(m.group(1)), float(m.group(2)), m.group(3), m.group(5), m.group(4)))
    return out


def start_shell():
    global SESSION
    SESSION = "s%d" % (int(SESSION[1:]) + 1 if SESSION else 1)
    r = tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "40",
             "env PS1='%s' bash --norc --noprofile -i" % PROMPT)
    if r.returncode:
        raise SystemExit("FAIL tmux: cannot start a session: %s" % r.stderr.strip())
    wait_screen(lambda s: PROMPT in s, 5)


def type_line(cmd):
    tmux("send-keys", "-t", SESSION, "-l", cmd)
    tmux("send-keys", "-t", SESSION, "Enter")


def shell_is_back(s):
    """The prompt after pystrobe's last line, the view gone."""
    return "SELF%" not in s and s.rstrip().endswith(PROMPT.rstrip())


def check_stty(c, name):
    """The terminal is cooked again: canonical mode and echo."""
    type_line("stty -a | tr ' ' '\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo")
    s = wait_screen(lambda s: re.search(r"(-?icanon|-?echo) (-?icanon|-?echo) \n", s) is not None,
                    5)
    m = re.findall(r"(-?icanon) (-?echo) ?\n|(-?echo) (-?icanon) ?\n", s)
    flat = [x for t in m for x in t if x]
    c.check("top", name, "icanon" in flat and "echo" in flat and "-icanon" not in flat
            and "-echo" not in flat, "stty flags after exit: %s" % flat)


def live_view(c, ps, py):
    """hot_leaf on top, sort and pause keys, q restores the shell."""
    start_shell()
    type_line("%s top -- %s %s 20" % (ps, py, pslib.workload("hot.py")))
    s = wait_screen(lambda s: any("hot_leaf" in r[3] for r in rows(s)), 20)
    r = rows(s)
    hot_line = pslib.line_of("hot.py", "# HOT")
    ok = bool(r) and "hot_leaf" in r[0][3] and ("hot.py:%d)" % hot_line) in r[0][3] and r[0][0] > 50
    c.check("top", "hot-leaf", ok, "first row %s" % (r[0:1],))
    c.check("top", "gil-col", bool(r) and r[0][2] not in ("-",) and float(r[0][2]) > 90,
            "hot_leaf GIL-held %s %%" % (r[0][2] if r else None))
    procs = [l for l in s.splitlines() if "hot.py" in l and "SAMPLES" not in l and "(" not in l]
    c.check("top", "proc-line", bool(procs) and re.search(r"\d+\s+3\.\d+", procs[0]) is not None,
            "process line %s" % procs[:1])
    c.check("top", "alt-screen", PROMPT not in s, "the shell is hidden under the view")

    tmux("send-keys", "-t", SESSION, "t")
    s = wait_screen(lambda s: "sort total" in s, 5)
    r = rows(s)
    ok = "sort total" in s and bool(r) and all(r[0][1] >= x[1] for x in r)
    c.check("top", "sort-total", ok, "header sort total, first total %s" % (r[0][1] if r else None))
    tmux("send-keys", "-t", SESSION, "s")
    s = wait_screen(lambda s: "sort self" in s, 5)
    c.check("top", "sort-self", "sort self" in s and rows(s) and "hot_leaf" in rows(s)[0][3],
            "after s: %s" % (rows(s)[0:1],))

    tmux("send-keys", "-t", SESSION, "p")
    s1 = wait_screen(lambda s: "[paused]" in s, 5)
    time.sleep(2.5)
    s2 = screen()
    c.check("top", "pause", "[paused]" in s1 and s1 == s2,
            "paused view unchanged over 2.5 s: %s" % (s1 == s2))
    # SIGWINCH redraws at once, even paused: the path is cut on the left to fit
    tmux("resize-window", "-t", SESSION, "-x", "70")
    s = wait_screen(lambda s: "hot_leaf (..." in s, 5)
    lines = s.splitlines()
    c.check("top", "resize", any(l.strip().endswith("hot.py:%d)" % hot_line) and "hot_leaf (..." in l
                for l in lines), "at 70 columns: %s" % [l for l in lines if "hot_leaf" in l][:1])
    c.check("top", "resize-top", lines and lines[0].startswith("pystrobe top - ") and
            "[paused]" in s, "first line %r" % (lines[0] if lines else None))
    tmux("resize-window", "-t", SESSION, "-x", "120")
    tmux("send-keys", "-t", SESSION, "Space")
    s3 = wait_screen(lambda s: "[paused]" not in s and s != s2, 5)
    c.check("top", "resume", "[paused]" not in s3, "space resumes")

    tmux("send-keys", "-t", SESSION, "q")
    s = wait_screen(shell_is_back, 10)
    c.check("top", "q-restores", shell_is_back(s) and "pystrobe: top: stopped" in s,
            "last lines %s" % s.rstrip().splitlines()[-2:])
    check_stty(c, "q-stty")


def sigterm(c, ps, py):
    """SIGTERM to top: the terminal comes back too."""
    start_shell()
    type_line("%s top -- %s %s 20" % (ps, py, pslib.workload("hot.py")))
    wait_screen(lambda s: "hot_leaf" in s, 20)
    pids = subprocess.run(["pgrep", "-f", "^%s top -- %s" % (re.escape(ps), re.escape(py))],
                          stdout=subprocess.PIPE, universal_newlines=True).stdout.split()
    for p in pids:
        os.kill(int(p), signal.SIGTERM)
    s = wait_screen(shell_is_back, 10)
    c.check("top", "sigterm", bool(pids) and shell_is_back(s) and "pystrobe: top: stopped" in s,
            "pids %s, last lines %s" % (pids, s.rstrip().splitlines()[-2:]))
    check_stty(c, "term-stty")


def dead_target(c, ps, py):
    """The command exits / the -p pid exits: view gone, a final line, shell back."""
    start_shell()
    type_line("%s top -- %s %s 3" % (ps, py, pslib.workload("hot.py")))
    s = wait_screen(lambda s: "command exited" in s and shell_is_back(s), 20)
    c.check("top", "cmd-exits", shell_is_back(s) and
            "pystrobe: top: the command exited (status 0)" in s,
            "last lines %s" % s.rstrip().splitlines()[-2:])
    proc = subprocess.Popen([py, pslib.workload("hot.py"), "3"])
    try:
        type_line("%s top -p %d" % (ps, proc.pid))
        s = wait_screen(lambda s: "every target exited" in s and shell_is_back(s), 20)
        c.check("top", "pid-exits", shell_is_back(s) and "every target exited" in s,
                "last lines %s" % s.rstrip().splitlines()[-2:])
    finally:
        proc.kill()
        proc.wait()
    check_stty(c, "dead-stty")


def per_process(c, ps, py):
    """-p two processes: both listed; > shows the lower pid's functions only, then the other's."""
    start_shell()
    a = subprocess.Popen([py, pslib.workload("hot.py"), "20"])
    b = subprocess.Popen([py, pslib.workload("split7030.py"), "20"])
    try:
        lo, hi = sorted([a.pid, b.pid])
        names = {a.pid: "hot_leaf", b.pid: "leaf_seventy"}
        type_line("%s top -p %d,%d" % (ps, a.pid, b.pid))
        s = wait_screen(lambda s: all(any(n in r[3] for r in rows(s)) for n in names.values()),
                        20)
        c.check("top", "two-procs", all(any(n in r[3] for r in rows(s)) for n in names.values())
                and str(a.pid) in s and str(b.pid) in s, "both pids and both hot functions")
        for pid, other in ((lo, hi), (hi, lo)):
            tmux("send-keys", "-t", SESSION, ">")
            want = "showing pid %d only" % pid
            s = wait_screen(lambda s: want in s and rows(s) and
                            not any(names[other] in r[3] for r in rows(s)), 5)
            r = rows(s)
            c.check("top", "filter-%s" % ("lo" if pid == lo else "hi"), want in s and r and
                    names[pid] in r[0][3] and not any(names[other] in x[3] for x in r),
                    "%r, first row %s" % (want, r[0][3] if r else None))
        tmux("send-keys", "-t", SESSION, ">")
        s = wait_screen(lambda s: "showing pid" not in s, 5)
        c.check("top", "filter-all", "showing pid" not in s, "third > shows every process")
        tmux("send-keys", "-t", SESSION, "q")
        wait_screen(shell_is_back, 10)
    finally:
        for p in (a, b):
            p.kill()
            p.wait()


def rate(v):
    """'1.5M' -> 1500000.0; '-' -> None."""
    if v == "-":
        return None
    mult = {"k": 1e3, "M": 1e6}.get(v[-1], 1)
    return float(v.rstrip("kM")) * mult


WRITES = 1000000  # small_writes.py's known count
TOP_SPAN_S = 5.0


def syscalls(c, ps, py):
    """small_writes.py N: the process's SYSCALLS/S and its loop's SYSC/S, each times
    the interval and summed over the run, give back the N writes it made.

    The workload sleeps an interval after its loop so the last interval is shown.
    Bounds: a snapshot's rate is its count over the span it really covered, which
    top's timer ends up to ~1 % (50 ms of 5 s) late on a busy machine, so the sum
    times the nominal interval is within 1 % per interval of the count; the process
    total adds Python's start-up and exit syscalls (< 3,000, strace -c). The loop's
    SYSC/S comes from 1-in-N sampled stacks scaled by N: within 10 %."""
    w = pslib.workload("small_writes.py")
    r = pslib.run_pystrobe(ps, ["top", "--interval", str(TOP_SPAN_S), "--", py, w,
                                str(WRITES), "0", str(TOP_SPAN_S + 1)], timeout=90)
    snaps = r.stdout.split("pystrobe top - ")[1:]
    proc_total = fn_total = 0.0
    for snap in snaps:
        fn = [x for x in rows(snap) if x[3].startswith("write_loop ")]
        procs = re.findall(r"^\s*\d+ \S+\s+\d+\s+[\d.-]+\s+(\d+)\s+.*small_writes",
                           snap, re.M)
        proc_total += float(procs[0]) * TOP_SPAN_S if procs else 0
        fn_total += (rate(fn[0][4]) or 0) * TOP_SPAN_S if fn else 0
    slack = 0.01 * len(snaps) * WRITES
    c.check("top", "sys-proc", WRITES - slack <= proc_total <= WRITES + 3000 + slack,
            "SYSCALLS/S x %.0f s summed over %d snapshots: %.0f (want %d writes + start-up, "
            "+- %.0f)" % (TOP_SPAN_S, len(snaps), proc_total, WRITES, slack))
    c.check("top", "sys-fn", abs(fn_total - WRITES) <= 0.1 * WRITES,
            "write_loop SYSC/S x %.0f s summed: %.0f (want %d +- 10 %%)"
            % (TOP_SPAN_S, fn_total, WRITES))
    r = pslib.run_pystrobe(ps, ["top", "--no-syscalls", "--", py, w, "1000000"], timeout=90)
    fn = [x for snap in r.stdout.split("pystrobe top - ")[1:] for x in rows(snap)
          if x[3].startswith("write_loop ")]
    c.check("top", "no-syscalls", bool(fn) and all(x[4] == "-" for x in fn),
            "--no-syscalls: SYSC/S %s" % [x[4] for x in fn][:3])


def gil_waits(out, script):
    """GIL-WAIT% of script's process in every plain snapshot of out, as text."""
    return [m.group(6) for snap in out.split("pystrobe top - ")[1:]
            for m in PROC_LINE.finditer(snap) if script in m.group(7)]


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if xs else None


def gil_column(c, ps, label, py):
    """4 contending threads wait ~75 % of their GIL time, one thread ~0 %."""
    r = pslib.run_pystrobe(ps, ["top", "--interval", "0.5", "--", py,
                                pslib.workload("gil_contention.py"), "4", "4"], timeout=90)
    w = gil_waits(r.stdout, "gil_contention")
    nums = [float(x) for x in w[1:-1] if x not in ("-", "~")]  # whole intervals only
    m = median(nums)
    c.check(label, "top-gil-wait", r.returncode == 0 and len(nums) >= 4 and
            m is not None and 65 <= m <= 85,
            "GIL-WAIT%% per 0.5 s of 4 contending threads: %s (median %s)" % (" ".join(w), m))
    r = pslib.run_pystrobe(ps, ["top", "--interval", "0.5", "--", py,
                                pslib.workload("gil_single.py"), "3", "0.5"], timeout=90)
    w = gil_waits(r.stdout, "gil_single")
    nums = [float(x) for x in w[1:-1] if x not in ("-", "~")]
    c.check(label, "top-gil-one", r.returncode == 0 and len(nums) >= 3 and max(nums) <= 5,
            "GIL-WAIT%% per 0.5 s of one thread: %s" % " ".join(w))


def no_gil(c, ps, py):
    """--no-gil: the column is a dash, never a number."""
    r = pslib.run_pystrobe(ps, ["top", "--no-gil", "--interval", "0.5", "--", py,
                                pslib.workload("gil_contention.py"), "2", "2"], timeout=90)
    w = gil_waits(r.stdout, "gil_contention")
    c.check("top", "no-gil", r.returncode == 0 and bool(w) and all(x == "-" for x in w),
            "--no-gil: GIL-WAIT%% %s" % " ".join(w))


def wait_key(c, ps, py):
    """W orders the processes by GIL wait: the contended one above a busier single one."""
    start_shell()
    a = subprocess.Popen([py, pslib.workload("gil_contention.py"), "2", "30"])
    b = subprocess.Popen([py, pslib.workload("hot.py"), "30"])
    b2 = subprocess.Popen([py, pslib.workload("hot.py"), "30"])
    try:
        type_line("%s top -p %d,%d,%d" % (ps, a.pid, b.pid, b2.pid))

        def first_pid(s):
            m = PROC_LINE.search(s)
            return int(m.group(1)) if m else None

        s = wait_screen(lambda s: len(PROC_LINE.findall(s)) == 3 and
                        all(m[5] not in ("-", "~") for m in PROC_LINE.findall(s)), 20)
        tmux("send-keys", "-t", SESSION, "W")
        s = wait_screen(lambda s: "processes by GIL wait" in s and first_pid(s) == a.pid, 10)
        c.check("top", "W-key", "processes by GIL wait" in s and first_pid(s) == a.pid,
                "first process after W: %s (contended %d): %s" % (
                    first_pid(s), a.pid, [m[5] for m in PROC_LINE.findall(s)]))
        tmux("send-keys", "-t", SESSION, "q")
        wait_screen(shell_is_back, 10)
    finally:
        for p in (a, b, b2):
            p.kill()
            p.wait()


def plain(c, ps, py):
    """stdout a pipe: plain snapshots every interval, hot_leaf on top, no escapes."""
    r = pslib.run_pystrobe(ps, ["top", "--interval", "0.5", "--", py, pslib.workload("hot.py"),
                                "3"], timeout=60)
    snaps = [x for x in r.stdout.split("pystrobe top - ")[1:]]
    tops = [rows("SELF%\n" + x.split("SELF%", 1)[-1].split("\n", 1)[-1]) for x in snaps]
    hot = [t[0][3] for t in tops if t]
    c.check("top", "plain-snaps", r.returncode == 0 and len(snaps) >= 4,
            "exit %d, %d snapshots in 3 s at 0.5 s" % (r.returncode, len(snaps)))
    c.check("top", "plain-hot", len(hot) >= 3 and sum("hot_leaf" in h for h in hot) >= len(hot) - 1,
            "first rows %s" % hot[:3])
    c.check("top", "plain-noesc", "\033" not in r.stdout, "no escape sequences on a pipe")
    c.check("top", "plain-final", "the command exited (status 0)" in r.stderr,
            "stderr %s" % r.stderr.strip().splitlines()[-1:])


SPLIT_FNS = ("cpu_part", "sleep_part", "io_part")


def wall_rows(snap):
    """Rows of one --wall snapshot: (threads, reason, function text)."""
    out, seen = [], False
    for line in snap.splitlines():
        if line.lstrip().startswith("WALL%"):
            seen = True
            continue
        m = re.match(r"\s*([\d.]+)\s+([\d.]+)  (.{22}) (.*)$", line)
        if seen and m:
            out.append((float(m.group(2)), m.group(3).strip(), m.group(4)))
    return out


def wall_view(c, ps, py):
    """--wall on a pipe: wall_split.py's thread by reason; each whole interval sums to one
    thread (its time, on and off CPU), and the sleep share is the workload's own."""
    truth = "/tmp/pystrobe-top-wall-%d.json" % os.getpid()
    r = pslib.run_pystrobe(ps, ["top", "--wall", "--interval", "1", "--", py,
                                pslib.workload("wall_split.py"), "4", truth], timeout=60)
    snaps = [wall_rows(x) for x in r.stdout.split("pystrobe top - ")[1:]]
    mid = snaps[1:-2]  # whole intervals of the loop: not the start-up, not the end
    split = [[x for x in s if x[2].split(" ")[0] in SPLIT_FNS] for s in mid]
    sums = [sum(x[0] for x in s) for s in split]
    c.check("top", "wall-one-thread", r.returncode == 0 and len(sums) >= 1 and
            all(0.8 <= v <= 1.2 for v in sums),
            "exit %d, threads in cpu/sleep/io_part per 1 s interval: %s" % (
                r.returncode, ["%.2f" % v for v in sums]))
    seen = set((x[1].split(" ")[0], x[2].split(" ")[0]) for s in snaps for x in s)
    want = [("[CPU]", "cpu_part"), ("[sleep]", "sleep_part"), ("[io:", "io_part")]
    c.check("top", "wall-reasons", all(w in seen for w in want),
            "missing %s" % [w for w in want if w not in seen])
    try:
        with open(truth) as f:
            t = json.load(f)
        os.unlink(truth)
    except (OSError, ValueError):
        t = None
    sleep = sum(x[0] for s in split for x in s if x[2].startswith("sleep_part"))
    share = 100.0 * sleep / sum(sums) if sum(sums) else 0
    want_pct = 100.0 * t["sleep_part"] / t["loop"] if t else -1
    c.check("top", "wall-sleep-share", t is not None and abs(share - want_pct) <= 5,
            "[sleep] sleep_part %.1f %% of the thread, its clock %.1f %%" % (share, want_pct))


def main():
    a = pslib.args()
    c = pslib.Checks()
    if not shutil.which("tmux"):
        c.check("top", "tmux", False, "tmux is not installed (scripts/install-deps.sh)")
        return c.finish()
    found, _ = pslib.interpreters(a.only)
    if not found:
        c.check("top", "python", False, "no CPython found")
        return c.finish()
    py = dict((l, p) for l, p, _ in found).get("3.12", found[-1][1])
    try:
        live_view(c, a.pystrobe, py)
        sigterm(c, a.pystrobe, py)
        dead_target(c, a.pystrobe, py)
        per_process(c, a.pystrobe, py)
        wait_key(c, a.pystrobe, py)
    finally:
        tmux("kill-server")
    plain(c, a.pystrobe, py)
    wall_view(c, a.pystrobe, py)
    syscalls(c, a.pystrobe, py)
    no_gil(c, a.pystrobe, py)
    gil_found, _ = pslib.interpreters(a.only or ",".join(GIL_VERSIONS))  # missing: fails in CI
    for label, gpy, _ in gil_found:
        try:
            gil_column(c, a.pystrobe, label, gpy)
        except Exception as e:
            c.check(label, "top-gil", False, "error: %s" % e)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
