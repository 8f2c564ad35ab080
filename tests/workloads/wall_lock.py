"""Two threads contending for a threading.Lock, and one idle worker.

Usage: python wall_lock.py SECONDS TRUTH.json. "holder_a" and "holder_b" each
take the lock and sleep 10 ms in it, in turn, for SECONDS: each waits for the
lock about half of its time (in locked_wait) and sleeps the other half.
"idle" blocks in queue.get for the whole run, as a pool worker waiting for
work. TRUTH.json: {"contenders": [tid, tid], "idle": tid}.
"""
import json
import sys
import threading
import time

from harness import arg, clock

try:
    import queue
except ImportError:  # 2.7
    import Queue as queue


def locked_wait(lock, end):
    while clock() < end:
        with lock:
            time.sleep(0.010)


def idle_worker(q):
    q.get()


def main():
    end = clock() + arg(1, 2.0)
    lock, q = threading.Lock(), queue.Queue()
    idle = threading.Thread(target=idle_worker, args=(q,), name="idle")
    idle.daemon = True
    idle.start()
    ts = [threading.Thread(target=locked_wait, args=(lock, end), name=n)
          for n in ("holder_a", "holder_b")]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    with open(sys.argv[2], "w") as f:
        json.dump({"contenders": [t.native_id for t in ts], "idle": idle.native_id}, f)
    q.put(None)
    idle.join()


if __name__ == "__main__":
    main()
