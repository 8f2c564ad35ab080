"""os.stat of the same path N times (the config check that should be cached).

Usage: python repeated_stat.py N [PATH [DISTINCT]]
With DISTINCT, DISTINCT other paths are stat'ed once each first (none of
them repeats: a sampled one must not be reported as "again and again").
"""
import os
import sys


def check_config(path, n):
    for _ in range(n):
        os.stat(path)  # REPEATED-STAT


def scan_once(n):
    for i in range(n):
        try:
            os.stat("/nonexistent-pystrobe/%d" % i)  # ONCE-STAT
        except OSError:
            pass


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
    if len(sys.argv) > 3:
        scan_once(int(sys.argv[3]))
    check_config(sys.argv[2] if len(sys.argv) > 2 else "/etc/hostname", n)
