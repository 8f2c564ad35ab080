"""N os.write calls of 16 bytes to /dev/null from one line: every call
releases and retakes the GIL (3.x), a worst case for exact GIL tracing.

Usage: python small_writes.py N [DELAY [AFTER]]. Prints "elapsed SECONDS" of the
loop; DELAY seconds of sleep first let a tool attach by pid, AFTER seconds of
sleep at the end keep the process visible for a tool's last interval.
"""
import os
import sys
import time

clock = getattr(time, "perf_counter", time.time)


def write_loop(fd, n):
    data = b"0123456789abcdef"
    for _ in range(n):
        os.write(fd, data)  # WRITE


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    if len(sys.argv) > 2:
        time.sleep(float(sys.argv[2]))
    fd = os.open("/dev/null", os.O_WRONLY)
    start = clock()
    write_loop(fd, n)
    print("elapsed %.6f" % (clock() - start))
    if len(sys.argv) > 3:
        sys.stdout.flush()
        time.sleep(float(sys.argv[3]))
