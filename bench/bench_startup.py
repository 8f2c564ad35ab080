#!/usr/bin/env python3
"""Start-up cost of each command (issue 15, item 1).

For record, gil, syscalls, top and agent on one busy Python process (the
agent with --all): pystrobe's CPU (user + system, from wait4's rusage) and
the wall time from its exec to its first sample, the median over --rounds.
Bars: CPU <= 30 ms, first sample <= 100 ms. Also the CPU and wall time of
"not a Python process" (record -p of a shell), which must load no BPF.

The first sample is seen from outside: with kernel.bpf_stats_enabled=1 the
kernel counts each program's runs, shown in /proc/PID/fdinfo of the BPF
program's fd; the bench polls pystrobe's fds every ms and takes the first
instant a sampling program (perf_event; the syscall programs for
`syscalls`) has run. The target is busy, so that run samples it (within a
tick). pystrobe is then stopped with SIGINT, so the CPU figure is start-up
plus the shutdown (report of a few samples): a bound on the start-up.

Usage: bench/bench_startup.py [--pystrobe build/pystrobe] [--python PY] [--rounds 7]
"""
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import arg_parser, sysctl_bpf_stats

CPU_BAR_MS = 30.0
FIRST_BAR_MS = 100.0
PERF_EVENT, TRACING, RAW_TP = 7, 26, 17


def commands(ps, pid, tmp):
    """(name, argv, BPF program types whose first run is the first sample)."""
    out = os.path.join(tmp, "out")
    return [
        ("record", [ps, "record", "-q", "-p", str(pid), "-o", out + ".folded"], {PERF_EVENT}),
        ("gil", [ps, "gil", "-q", "-p", str(pid), "-o", out + ".gil.txt"], {PERF_EVENT}),
        ("syscalls", [ps, "syscalls", "-q", "-p", str(pid), "-o", out + ".sys.txt"],
         {TRACING, RAW_TP}),
        ("top", [ps, "top", "-q", "-p", str(pid), "--interval", "0.5"], {PERF_EVENT}),
        ("agent", [ps, "agent", "-q", "--dir", os.path.join(tmp, "profiles"),
                   "--metrics-port", "0"], {PERF_EVENT}),
    ]


def bpf_prog_runs(pid, types):
    """Runs so far of pid's BPF programs of these types."""
    runs = 0
    try:
        fds = os.listdir("/proc/%d/fd" % pid)
    except OSError:
        return 0
    for fd in fds:
        try:
            # libbpf opens and closes fds while loading: a number may change what it holds
            link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            if link != "anon_inode:bpf-prog":
                continue
            with open("/proc/%d/fdinfo/%s" % (pid, fd)) as f:
                info = dict(l.split(":", 1) for l in f.read().splitlines() if ":" in l)
        except OSError:
            continue
        if int(info.get("prog_type", "-1")) in types:
            runs += int(info.get("run_cnt", "0"))
    return runs


def one_run(argv, types, timeout_s=20.0):
    """(CPU ms, ms from exec to the first sample or None) of one start of argv."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first = None
    while first is None and time.monotonic() - t0 < timeout_s and p.poll() is None:
        if bpf_prog_runs(p.pid, types) > 0:
            first = (time.monotonic() - t0) * 1e3
        else:
            time.sleep(0.001)
    p.send_signal(signal.SIGINT)
    _, _, ru = os.wait4(p.pid, 0)
    return (ru.ru_utime + ru.ru_stime) * 1e3, first


def not_python(ps, rounds, out):
    """(CPU ms, wall ms) medians of `record -p` of a shell: refused before any BPF."""
    sh = subprocess.Popen(["sleep", "600"])
    cpu, wall = [], []
    try:
        for _ in range(rounds):
            t0 = time.monotonic()
            p = subprocess.Popen([ps, "record", "-q", "-p", str(sh.pid), "-o", out],
                                 stderr=subprocess.DEVNULL)
            _, _, ru = os.wait4(p.pid, 0)
            wall.append((time.monotonic() - t0) * 1e3)
            cpu.append((ru.ru_utime + ru.ru_stime) * 1e3)
    finally:
        sh.kill()
        sh.wait()
    return statistics.median(cpu), statistics.median(wall)


def verdict(value, bar):
    return "ok" if value is not None and value <= bar else "MISSED"


def main():
    ap = arg_parser(sys.executable, 7)
    ap.add_argument("--rounds", type=int, default=7)
    a = ap.parse_args()
    old = sysctl_bpf_stats("1")
    busy = subprocess.Popen([a.python, "-c", "while True: pass"])
    try:
        time.sleep(0.5)
        with tempfile.TemporaryDirectory() as tmp:
            print("start-up, median of %d rounds (bars: CPU <= %.0f ms, first sample <= %.0f ms)"
                  % (a.rounds, CPU_BAR_MS, FIRST_BAR_MS))
            print("  %-9s %9s %6s %13s %6s   %s" % ("command", "CPU ms", "", "1st sample ms",
                                                  "", "CPU range / 1st range"))
            for name, argv, types in commands(a.pystrobe, busy.pid, tmp):
                got = [one_run(argv, types) for _ in range(a.rounds)]
                cpu = [c for c, _ in got]
                first = [f for _, f in got if f is not None]
                mc = statistics.median(cpu)
                mf = statistics.median(first) if first else None
                print("  %-9s %9.1f %6s %13s %6s   %.0f-%.0f / %s%s" % (
                    name, mc, verdict(mc, CPU_BAR_MS),
                    "%.0f" % mf if mf is not None else "none", verdict(mf, FIRST_BAR_MS),
                    min(cpu), max(cpu),
                    "%.0f-%.0f" % (min(first), max(first)) if first else "-",
                    "" if len(first) == len(got) else " (seen in %d of %d)" % (len(first),
                                                                             len(got))))
                sys.stdout.flush()
        cpu, wall = not_python(a.pystrobe, a.rounds, os.path.join(tempfile.gettempdir(), "bench-startup.folded"))
        print("  not a Python process (record -p of sleep): CPU %.1f ms %s, exit after %.0f ms"
              % (cpu, verdict(cpu, CPU_BAR_MS), wall))
    finally:
        busy.kill()
        busy.wait()
        sysctl_bpf_stats(old)


if __name__ == "__main__":
    main()
