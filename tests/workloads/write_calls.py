"""Exactly N os.write calls of SIZE bytes to /dev/null from one known line, and
nothing else written (no output), so syscall counts can be checked exactly.

Usage: python write_calls.py N [SIZE] [batched]. With "batched", the same bytes
go out in 64 KiB writes instead (should not be flagged).
"""
import os
import sys


def write_many(fd, n, size):
    data = b"x" * size
    for _ in range(n):
        os.write(fd, data)  # SMALL-WRITE


def write_batched(fd, n, size):
    buf = bytearray()
    for _ in range(n):
        buf += b"x" * size
        if len(buf) >= 65536:
            os.write(fd, bytes(buf))  # BATCHED-WRITE
            buf = bytearray()
    if buf:
        os.write(fd, bytes(buf))


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    fd = os.open("/dev/null", os.O_WRONLY)
    if len(sys.argv) > 3 and sys.argv[3] == "batched":
        write_batched(fd, n, size)
    else:
        write_many(fd, n, size)
