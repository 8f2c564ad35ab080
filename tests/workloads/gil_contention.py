"""N threads burning CPU in Python at once: they contend for the GIL.

Usage: python gil_contention.py THREADS SECONDS. Each thread spins in
contended_work; with 4 threads each should hold the GIL ~25% and wait ~75%.
"""
import sys
import threading
import time


def contended_work(end):
    x = 0
    while time.time() < end:
        x += 1
    return x


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    end = time.time() + seconds
    threads = [threading.Thread(target=contended_work, args=(end,)) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
