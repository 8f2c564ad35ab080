"""One thread burning CPU in Python; prints its own CPU time at the end.

Usage: python gil_single.py SECONDS. Prints "cpu SECONDS" (time.process_time
where it exists) and "runq SECONDS", the time the thread was runnable but
waiting for a CPU (/proc/thread-self/schedstat): a thread preempted on a busy
machine keeps the GIL, so the held time should lie between cpu and cpu + runq,
the wait be ~0.
"""
import sys
import time


def single_work(end):
    x = 0
    while time.time() < end:
        x += 1
    return x


def run_delay():
    """Seconds this thread waited on a run queue so far (0 if unknown)."""
    try:
        with open("/proc/thread-self/schedstat") as f:
            return int(f.read().split()[1]) / 1e9
    except (IOError, OSError, IndexError, ValueError):
        return 0.0


if __name__ == "__main__":
    start_runq = run_delay()
    start_cpu = time.clock() if not hasattr(time, "process_time") else time.process_time()
    single_work(time.time() + (float(sys.argv[1]) if len(sys.argv) > 1 else 2.0))
    cpu = time.clock() if not hasattr(time, "process_time") else time.process_time()
    print("cpu %.6f runq %.6f" % (cpu - start_cpu, run_delay() - start_runq))
