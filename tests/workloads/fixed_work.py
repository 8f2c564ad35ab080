"""A fixed amount of CPU work at a chosen stack depth, timed from inside.

Usage: python fixed_work.py ITERATIONS DEPTH. Prints "elapsed SECONDS" for the
work alone (interpreter start-up excluded), so a benchmark can compare a
profiled run with an unprofiled one.
"""
import sys
import time

clock = getattr(time, "perf_counter", time.time)


def work(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


def descend(depth, iterations):
    if depth > 1:
        return descend(depth - 1, iterations)
    for _ in range(iterations):
        work(10000)


def main():
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    depth = int(sys.argv[2]) if len(sys.argv) > 2 else 17
    sys.setrecursionlimit(depth + 200)
    start = clock()
    descend(depth, iterations)
    print("elapsed %.6f" % (clock() - start))


if __name__ == "__main__":
    main()
