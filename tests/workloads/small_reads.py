"""N os.read calls of SIZE bytes from a file (rewinding at its end).

Usage: python small_reads.py N [SIZE]
"""
import os
import sys
import tempfile


def read_many(fd, n, size):
    for _ in range(n):
        if not os.read(fd, size):  # SMALL-READ
            os.lseek(fd, 0, 0)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    with tempfile.TemporaryFile() as f:
        f.write(b"y" * (1 << 20))
        f.flush()
        fd = f.fileno()
        os.lseek(fd, 0, 0)
        read_many(fd, n, size)
