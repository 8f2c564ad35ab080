"""Burns CPU in one thread for SECONDS of wall time and writes how much CPU the
process used, so a test can compare a profile's sample count with F x CPU-seconds.

Usage: python cpu_seconds.py SECONDS OUT. OUT gets one line:
"startup CPU_AT_START cpu CPU_AT_END wall WALL_SECONDS switches N": process CPU
seconds when the script began (interpreter start-up) and when the work ended,
the wall time of the work, and its context switches (so the number of separate
on-CPU intervals). Runs on CPython 2.7 and 3.x.
"""
import os
import resource
import sys
import time


def cpu():
    """Process CPU seconds: the scheduler's exact sum where the version has it."""
    clock = getattr(time, "process_time", None)
    if clock:
        return clock()
    t = os.times()
    return t[0] + t[1]


STARTUP = cpu()


def spin(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


def main():
    seconds, out = float(sys.argv[1]), sys.argv[2]
    start = time.time()
    while time.time() - start < seconds:
        spin(5000)
    end_cpu, wall = cpu(), time.time() - start
    ru = resource.getrusage(resource.RUSAGE_SELF)
    with open(out, "w") as f:
        f.write("startup %.6f cpu %.6f wall %.6f switches %d\n"
                % (STARTUP, end_cpu, wall, ru.ru_nvcsw + ru.ru_nivcsw))


if __name__ == "__main__":
    main()
