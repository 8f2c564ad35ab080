"""Threads that use the GIL unevenly, each measuring its own truth at its end.

Usage: python gil_truth.py MODE [SECONDS] [ATTACH_WAIT]
  truth   looper (a pure-Python loop), sorter (sorted() of 400,000 floats: the
          GIL held through long C calls), sleeper (mostly asleep), ioer
          (os.read on a pipe a feeder thread fills every millisecond: the GIL
          released while blocked)
  writes  looper next to writer (1M small os.write calls to /dev/null, or
          as many as fit in SECONDS)
  contend four loopers: the GIL always wanted, held by one at a time

A thread runs Python only while it holds the GIL, and a holder preempted on a
busy machine keeps it: its held time lies between its CPU time (less the CPU
spent inside calls that release the GIL, measured around each such call:
released_cpu_ns) and its CPU time plus its run-queue delay. Each thread
records, at its end, its CPU time, its run-queue delay
(/proc/self/task/TID/schedstat, field 2), released_cpu_ns and its system time
(stime_ns, the coarser bound where Python has no thread CPU clock: 2.7); main
prints them as one JSON line.

The threads start once GIL probes fire in this process (the kernel maps
"[uprobes]" on the first hit, main's sleeps release the GIL) or after
ATTACH_WAIT seconds (no probes: estimated modes), so that a profiler started
with the process sees the threads' whole lives. Runs on CPython 2.7 and 3.x.
"""
import json
import os
import random
import threading
import time

from harness import arg, clock

CLK_TCK = os.sysconf("SC_CLK_TCK")
CPU_CLOCK = getattr(time, "CLOCK_THREAD_CPUTIME_ID", None)


def thread_cpu_ns():
    """CPU time of the calling thread (0 where Python cannot tell: 2.7)."""
    if hasattr(time, "thread_time_ns"):
        return time.thread_time_ns()
    if CPU_CLOCK is not None:
        return int(time.clock_gettime(CPU_CLOCK) * 1e9)
    return 0


class Released(object):
    """CPU a thread spends inside calls that release the GIL (the call, the
    release, the retake), measured around each call: held time may fall short
    of CPU time by this much."""

    def __init__(self):
        self.ns = 0

    def call(self, fn, *args):
        t = thread_cpu_ns()
        try:
            return fn(*args)
        finally:
            self.ns += thread_cpu_ns() - t


def task_dir():
    """/proc/self/task/TID of the calling thread."""
    return "/proc/" + os.readlink("/proc/thread-self")


def own_truth(name, start, rel):
    """What the calling thread measured of itself, at its end."""
    cpu_ns = thread_cpu_ns()  # before the reads below, which release the GIL
    d = task_dir()
    with open(d + "/schedstat") as f:
        run_ns, runq_ns = [int(v) for v in f.read().split()[:2]]
    with open(d + "/stat") as f:
        stat = f.read().rsplit(")", 1)[1].split()
    with open(d + "/status") as f:
        nvcsw = [int(l.split()[1]) for l in f if l.startswith("voluntary_ctxt_switches")]
    return {"nvcsw": nvcsw[0] if nvcsw else 0, "name": name, "tid": int(d.rsplit("/", 1)[1]),
            "cpu_ns": cpu_ns or run_ns, "runq_ns": runq_ns, "released_cpu_ns": rel.ns,
            "stime_ns": int(stat[12]) * 1000000000 // CLK_TCK,
            "wall_ns": int((clock() - start) * 1e9)}


def looper(end, rel):
    x = 0
    while clock() < end:
        x += 1
    return x


def sorter(end, rel):
    data = [random.random() for _ in range(400000)]
    while clock() < end:
        sorted(data)


def sleeper(end, rel):
    x = 0
    while clock() < end:
        rel.call(time.sleep, 0.05)
        x += 1


def feeder(end, rel, fd):
    while clock() < end:
        rel.call(time.sleep, 0.001)
        rel.call(os.write, fd, b"x" * 4096)
    os.close(fd)


def ioer(end, rel, fd):
    while rel.call(os.read, fd, 65536):
        pass


def writer(end, rel, n=1000000):
    """Up to n 16-byte writes, checking the clock every 1000: a traced write costs
    three uprobe traps, which on a loaded VM can stretch 1M writes to minutes."""
    fd = os.open("/dev/null", os.O_WRONLY)
    data = b"0123456789abcdef"
    for _ in range(n // 1000):
        for _ in range(1000):
            rel.call(os.write, fd, data)
        if clock() > end:
            break
    os.close(fd)


def wait_for_probes(limit):
    """Sleep (releasing the GIL) until a uprobe hit this process, at most limit s."""
    # 2.7 and 3.6 create the GIL with the first thread: before it, sleeps drop nothing
    t = threading.Thread(target=int)
    t.start()
    t.join()
    end = clock() + limit
    while clock() < end:
        time.sleep(0.01)
        with open("/proc/self/maps") as f:
            if "[uprobes]" in f.read():
                time.sleep(0.2)  # the remaining sites are attached within milliseconds
                return True
    return False


def run(jobs, seconds):
    results = []
    start = clock()
    end = start + seconds

    def body(name, fn, extra):
        rel = Released()
        fn(end, rel, *extra)
        results.append(own_truth(name, start, rel))

    threads = [threading.Thread(target=body, args=j, name=j[0]) for j in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def main():
    mode = arg(1, "truth", str)
    seconds = arg(2, 4.0)
    attached = wait_for_probes(arg(3, 5.0))
    if mode == "writes":
        jobs = [("looper", looper, ()), ("writer", writer, ())]
    elif mode == "contend":
        jobs = [("looper%d" % i, looper, ()) for i in range(4)]
    else:
        r, w = os.pipe()
        jobs = [("looper", looper, ()), ("sorter", sorter, ()), ("sleeper", sleeper, ()),
                ("feeder", feeder, (w,)), ("ioer", ioer, (r,))]
    res = run(jobs, seconds)
    print(json.dumps({"mode": mode, "probes_seen": attached, "pid": os.getpid(),
                      "threads": sorted(res, key=lambda t: t["name"])}, sort_keys=True))


if __name__ == "__main__":
    main()
