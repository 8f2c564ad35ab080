"""Two leaf functions with a known 70/30 split of CPU time.

Usage: python split7030.py SECONDS. Each 10 ms period spends 7 ms spinning in
leaf_seventy and 3 ms in leaf_thirty, measured with a monotonic clock, so
the true split is 70/30 by construction (single thread, always on CPU).
"""
from harness import alternate, arg, clock


def leaf_seventy(until):
    x = 0
    while clock() < until:
        x += 1
    return x


def leaf_thirty(until):
    x = 0
    while clock() < until:
        x += 1
    return x


def main():
    alternate(arg(1, 10.0), [(leaf_seventy, 0.007), (leaf_thirty, 0.010)])


if __name__ == "__main__":
    main()
