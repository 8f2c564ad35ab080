"""A known hot function under a known caller chain: main -> outer -> middle -> hot_leaf.

Usage: python hot.py SECONDS. Runs on CPython 2.7 and 3.x. The e2e tests
assert that hot_leaf is the top self-time frame at the line marked HOT.
"""
import sys
import time


def hot_leaf(n):
    total = 0
    for i in range(n):
        total += i * i  # HOT
    return total


def middle(n):
    return hot_leaf(n)


def outer(n):
    return middle(n)


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    end = time.time() + seconds
    while time.time() < end:
        outer(20000)


if __name__ == "__main__":
    main()
