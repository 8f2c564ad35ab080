"""One thread holds the GIL through long sorted() calls, others want it.

Usage: python gil_holder.py [WAITERS] [SECONDS]
  sorter   sorts a 400,000-float list again and again (the GIL held in C)
  waiters  WAITERS threads (default 2) running a pure-Python loop: each gets
           the GIL only between two of the sorter's calls
The diagnosis should name the sorter and the line of its sorted() call.
"""
import random
import threading
import time

from harness import arg


def sort_loop(data, end):
    while time.time() < end:
        sorted(data)  # the GIL held for the whole call


def spin(end):
    n = 0
    while time.time() < end:
        n += 1


def main():
    waiters, seconds = arg(1, 2, int), arg(2, 3.0)
    data = [random.random() for _ in range(400000)]
    end = time.time() + seconds
    ts = [threading.Thread(target=sort_loop, args=(data, end), name="sorter")]
    ts += [threading.Thread(target=spin, args=(end,), name="waiter%d" % i)
           for i in range(waiters)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


if __name__ == "__main__":
    main()
