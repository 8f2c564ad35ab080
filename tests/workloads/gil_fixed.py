"""A fixed amount of contended work: THREADS threads each run ITERATIONS loop
iterations of pure Python at once. Prints "elapsed SECONDS".

Usage: python gil_fixed.py THREADS ITERATIONS
"""
import sys
import threading
import time

clock = getattr(time, "perf_counter", time.time)


def fixed_work(n):
    x = 0
    for i in range(n):
        x += i
    return x


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 5000000
    threads = [threading.Thread(target=fixed_work, args=(iterations,)) for _ in range(n)]
    start = clock()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("elapsed %.6f" % (clock() - start))


if __name__ == "__main__":
    main()
