"""os.stat of the same path N times (the config check that should be cached).

Usage: python repeated_stat.py N [PATH]
"""
import os
import sys


def check_config(path, n):
    for _ in range(n):
        os.stat(path)  # REPEATED-STAT


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
    check_config(sys.argv[2] if len(sys.argv) > 2 else "/etc/hostname", n)
