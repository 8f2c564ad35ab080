"""Memory changing under the reader: threads start and die all the time, and
fresh code objects are compiled, run and freed in a loop.

Usage: python churn.py SECONDS
"""
import sys
import threading
import time


def short_thread(i):
    src = "def churn_fn_%d(n):\n    t = 0\n    for k in range(n):\n        t += k\n    return t\n" % i
    ns = {}
    exec(compile(src, "<churn %d>" % i, "exec"), ns)
    return ns["churn_fn_%d" % i](20000)


def main():
    end = time.time() + (float(sys.argv[1]) if len(sys.argv) > 1 else 3.0)
    i = 0
    while time.time() < end:
        ts = [threading.Thread(target=short_thread, args=(i + k,)) for k in range(8)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        i += 8


if __name__ == "__main__":
    main()
