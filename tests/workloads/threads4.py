"""Four threads, each burning CPU in its own function; OS thread names worker-0..3.

Usage: python threads4.py SECONDS. Thread names are set with prctl(PR_SET_NAME)
so that the kernel's comm (what pystrobe reports) says which worker it is.
"""
import ctypes
import time

from harness import arg, run_threads

PR_SET_NAME = 15


def name_this_thread(name):
    try:
        ctypes.CDLL(None).prctl(PR_SET_NAME, ctypes.c_char_p(name.encode("ascii")), 0, 0, 0)
    except Exception:
        pass


def spin(end):
    x = 0
    while time.time() < end:
        x += 1
    return x


def work_0(end):
    return spin(end)


def work_1(end):
    return spin(end)


def work_2(end):
    return spin(end)


def work_3(end):
    return spin(end)


WORKERS = [work_0, work_1, work_2, work_3]


def run(i, end):
    name_this_thread("worker-%d" % i)
    WORKERS[i](end)


def main():
    end = time.time() + arg(1, 3.0)
    run_threads(run, [(i, end) for i in range(4)])


if __name__ == "__main__":
    main()
