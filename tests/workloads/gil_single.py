"""One thread burning CPU in Python; prints its own CPU time at the end.

Usage: python gil_single.py SECONDS. Prints "cpu SECONDS" (time.process_time
where it exists): the GIL held time should match it, the wait be ~0.
"""
import sys
import time


def single_work(end):
    x = 0
    while time.time() < end:
        x += 1
    return x


if __name__ == "__main__":
    start_cpu = time.clock() if not hasattr(time, "process_time") else time.process_time()
    single_work(time.time() + (float(sys.argv[1]) if len(sys.argv) > 1 else 2.0))
    cpu = time.clock() if not hasattr(time, "process_time") else time.process_time()
    print("cpu %.6f" % (cpu - start_cpu))
