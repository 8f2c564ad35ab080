"""A fixed amount of contended work: THREADS threads each run ITERATIONS loop
iterations of pure Python at once. Prints "elapsed SECONDS".

Usage: python gil_fixed.py THREADS ITERATIONS
"""
from harness import arg, clock, run_threads


def fixed_work(n):
    x = 0
    for i in range(n):
        x += i
    return x


def main():
    n = arg(1, 4, int)
    iterations = arg(2, 5000000, int)
    start = clock()
    run_threads(fixed_work, [(iterations,)] * n)
    print("elapsed %.6f" % (clock() - start))


if __name__ == "__main__":
    main()
