"""Recurse DEPTH frames deep, then spin at the bottom.

Usage: python deep.py DEPTH SECONDS. The e2e tests assert the sampled stack
holds DEPTH frames of `recurse` (whole up to the frame limit, then cut).
"""
import sys
import time


def spin(end):
    x = 0
    while time.time() < end:
        x += 1  # BOTTOM
    return x


def recurse(depth, end):
    if depth <= 1:
        return spin(end)
    return recurse(depth - 1, end)


def main():
    depth = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
    sys.setrecursionlimit(depth + 200)
    end = time.time() + seconds
    while time.time() < end:
        recurse(depth, end)


if __name__ == "__main__":
    main()
