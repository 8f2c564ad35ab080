"""A parent that forks a busy child (no exec), like multiprocessing's fork start
method or a pre-fork server's workers.

Usage: python fork_child.py DELAY SECONDS. Runs on CPython 2.7 and 3.x. The
parent sleeps DELAY seconds, forks, and waits; the child runs child_hot for
SECONDS. The e2e tests assert that the child is profiled under --all.
"""
import os
import sys
import time


def child_hot(n):
    total = 0
    for i in range(n):
        total += i * i  # HOT
    return total


def main():
    delay = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    time.sleep(delay)
    pid = os.fork()
    if pid == 0:
        end = time.time() + seconds
        while time.time() < end:
            child_hot(20000)
        os._exit(0)
    os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
