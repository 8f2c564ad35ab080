"""N threads that mostly sleep (a little Python work every 10 ms): the GIL is
never the bottleneck, waits should be about zero.

Usage: python gil_sleepers.py THREADS SECONDS
"""
import time

from harness import arg, run_threads


def sleeper(end):
    x = 0
    while time.time() < end:
        for i in range(200):
            x += i
        time.sleep(0.01)
    return x


def main():
    n = arg(1, 4, int)
    end = time.time() + arg(2, 3.0)
    run_threads(sleeper, [(end,)] * n)


if __name__ == "__main__":
    main()
