"""N threads that mostly sleep (a little Python work every 10 ms): the GIL is
never the bottleneck, waits should be about zero.

Usage: python gil_sleepers.py THREADS SECONDS
"""
import sys
import threading
import time


def sleeper(end):
    x = 0
    while time.time() < end:
        for i in range(200):
            x += i
        time.sleep(0.01)
    return x


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    end = time.time() + seconds
    threads = [threading.Thread(target=sleeper, args=(end,)) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
