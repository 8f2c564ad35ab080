"""N threads, each spinning in its own function for a moment, repeatedly.

Usage: python many_threads.py N SECONDS. Every thread runs thread_work with a
distinct argument; all of them should appear in a --threads profile.
"""
import time

from harness import arg, run_threads


def thread_work(i, end):
    x = 0
    while time.time() < end:
        for _ in range(2000):
            x += i
        time.sleep(0.001)
    return x


def main():
    n = arg(1, 500, int)
    end = time.time() + arg(2, 4.0)
    run_threads(thread_work, [(i, end) for i in range(n)])


if __name__ == "__main__":
    main()
