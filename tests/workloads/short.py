"""A process that lives about 100 ms, spinning on the CPU in short_lived_work.

Usage: python short.py [MILLISECONDS]. The e2e tests start it while
`pystrobe record --all` runs and assert it appears, symbolized.
"""
import sys
import time


def short_lived_work(ms):
    end = time.time() + ms / 1000.0
    x = 0
    while time.time() < end:
        x += 1  # SHORT
    return x


if __name__ == "__main__":
    short_lived_work(float(sys.argv[1]) if len(sys.argv) > 1 else 100.0)
