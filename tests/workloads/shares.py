"""Two leaf functions splitting CPU time PCT_A / (100 - PCT_A), for diff tests.

Usage: python shares.py SECONDS PCT_A. Each 10 ms period spends PCT_A % in
leaf_a and the rest in leaf_b (spinning on a monotonic clock), so a run with
PCT_A=30 and one with PCT_A=70 differ by 40 points in leaf_a's self share.
Runs on CPython 2.7 and 3.x.
"""
from harness import alternate, arg, clock


def leaf_a(until):
    x = 0
    while clock() < until:
        x += 1
    return x


def leaf_b(until):
    x = 0
    while clock() < until:
        x += 1
    return x


def main():
    pct_a = arg(2, 50.0)
    alternate(arg(1, 3.0), [(leaf_a, pct_a / 10000.0), (leaf_b, 0.010)])


if __name__ == "__main__":
    main()
