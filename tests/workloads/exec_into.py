"""Spin for a second in before_exec, then replace the process image with
`python hot.py SECONDS` (same pid, same interpreter): pystrobe must drop the
old image's generation and find the new one.

Usage: python exec_into.py SECONDS
"""
import os
import sys
import time


def before_exec(seconds):
    end = time.time() + seconds
    x = 0
    while time.time() < end:
        x += 1
    return x


if __name__ == "__main__":
    before_exec(1.0)
    hot = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hot.py")
    os.execv(sys.executable, [sys.executable, hot, sys.argv[1] if len(sys.argv) > 1 else "2"])
