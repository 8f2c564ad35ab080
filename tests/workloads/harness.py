"""What the workloads share: their numeric arguments, a clock, threads, and
time split between leaf functions.

The scripts beside it import it by name (a script's own directory comes first
on sys.path). Runs on CPython 2.7 and 3.x. It holds no leaf function: what a
profile should show stays in the workload's own file.
"""
import sys
import threading
import time

clock = getattr(time, "perf_counter", time.time)  # monotonic where it exists


def arg(i, default, kind=float):
    """sys.argv[i] converted by kind, or default when it is missing."""
    return kind(sys.argv[i]) if len(sys.argv) > i else default


def run_threads(target, arg_tuples):
    """Start one thread per tuple running target(*tuple), then join them all."""
    threads = [threading.Thread(target=target, args=a) for a in arg_tuples]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


# this thread's CPU time (3.7+), else the process's (2.7 and 3.6: time.clock)
thread_cpu = getattr(time, "thread_time", None) or getattr(time, "clock", time.time)


def alternate(seconds, leaves, period=0.010, cpu=None):
    """For SECONDS, in each PERIOD call every leaf(period start + offset) of
    the (leaf, offset) pairs in turn: a leaf spinning until its deadline gets
    the share of the period between the previous offset and its own. With a
    dict cpu, each leaf's name gets the thread CPU seconds spent in it: the
    split by wall clock holds only on an idle CPU (a preempted leaf keeps its
    wall time, not its CPU time)."""
    start = clock()
    t = start
    while t - start < seconds:
        for leaf, offset in leaves:
            c0 = thread_cpu() if cpu is not None else 0
            leaf(t + offset)
            if cpu is not None:
                cpu[leaf.__name__] = cpu.get(leaf.__name__, 0.0) + thread_cpu() - c0
        t += period
