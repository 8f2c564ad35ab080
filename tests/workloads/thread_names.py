"""Threads named in Python: grinder-1..3 and a ThreadPoolExecutor's workers.

Usage: python thread_names.py SECONDS [PREFIX]. Three threading.Thread
objects named grinder-1, grinder-2 and grinder-3 and two pool workers (named
by ThreadPoolExecutor: PREFIX_0, PREFIX_1, or ThreadPoolExecutor-0_N without
PREFIX) spin in grind() until SECONDS have passed. A profile should name
each thread by its Python name.
"""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from harness import arg


def grind(end):
    x = 0
    while time.time() < end:
        for _ in range(2000):
            x += 1
    return x


def main():
    end = time.time() + arg(1, 3.0)
    prefix = arg(2, "", str)
    threads = [threading.Thread(target=grind, args=(end,), name="grinder-%d" % i)
               for i in (1, 2, 3)]
    for t in threads:
        t.start()
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix=prefix)
    futures = [pool.submit(grind, end) for _ in range(2)]
    for f in futures:
        f.result()
    for t in threads:
        t.join()
    pool.shutdown()


if __name__ == "__main__":
    main()
