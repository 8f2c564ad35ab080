"""Memory changing under the reader: threads start and die all the time, and
fresh code objects are compiled, run and freed in a loop. Thread i is named
churn-i (its comm) and runs churn_fn_i, so a test can tell that a code object
at a reused address got its own name.

Usage: python churn.py SECONDS
"""
import time

from threads4 import name_this_thread

from harness import arg, run_threads


def short_thread(i):
    name_this_thread("churn-%d" % i)
    src = "def churn_fn_%d(n):\n    t = 0\n    for k in range(n):\n        t += k\n    return t\n" % i
    ns = {}
    exec(compile(src, "<churn %d>" % i, "exec"), ns)
    return ns["churn_fn_%d" % i](20000)


def main():
    end = time.time() + arg(1, 3.0)
    i = 0
    while time.time() < end:
        run_threads(short_thread, [(i + k,) for k in range(8)])
        i += 8


if __name__ == "__main__":
    main()
