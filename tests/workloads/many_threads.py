"""N threads, each spinning in its own function for a moment, repeatedly.

Usage: python many_threads.py N SECONDS. Every thread runs thread_work with a
distinct argument; all of them should appear in a --threads profile.
"""
import sys
import threading
import time


def thread_work(i, end):
    x = 0
    while time.time() < end:
        for _ in range(2000):
            x += i
        time.sleep(0.001)
    return x


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    end = time.time() + (float(sys.argv[2]) if len(sys.argv) > 2 else 4.0)
    threads = [threading.Thread(target=thread_work, args=(i, end)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
