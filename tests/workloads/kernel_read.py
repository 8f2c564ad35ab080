"""--kernel workload: argv[1] seconds of large reads of /dev/zero, so that
the CPU time is spent in the kernel under read()."""
import os
import sys
import time


def reader(fd, end):
    while time.time() < end:
        os.read(fd, 1 << 20)  # KERNEL-READ


fd = os.open("/dev/zero", os.O_RDONLY)
reader(fd, time.time() + float(sys.argv[1]))
