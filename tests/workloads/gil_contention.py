"""N threads burning CPU in Python at once: they contend for the GIL.

Usage: python gil_contention.py THREADS SECONDS [DELAY]. Each thread spins in
contended_work; with 4 threads each should hold the GIL ~25% and wait ~75%.
DELAY seconds of sleep come first, so that a profiler which finds processes
on its own (the agent) is attached before the contention starts.
"""
import time

from harness import arg, run_threads


def contended_work(end):
    x = 0
    while time.time() < end:
        x += 1
    return x


def main():
    n = arg(1, 4, int)
    time.sleep(arg(3, 0.0))
    end = time.time() + arg(2, 3.0)
    run_threads(contended_work, [(end,)] * n)


if __name__ == "__main__":
    main()
