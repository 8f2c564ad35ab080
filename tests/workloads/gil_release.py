"""One thread burning CPU in Python (holds the GIL) and one hashing large
buffers in C (hashlib releases the GIL while it hashes more than 2 KiB).

Usage: python gil_release.py SECONDS. With --split-gil, py_spin should sit
under [GIL held] and hash_loop mostly under [GIL released].
"""
import hashlib
import sys
import threading
import time


def py_spin(end):
    x = 0
    while time.time() < end:
        x += 1
    return x


def hash_loop(end):
    data = b"x" * (8 << 20)
    while time.time() < end:
        hashlib.sha256(data).digest()


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    end = time.time() + seconds
    t = threading.Thread(target=hash_loop, args=(end,))
    t.start()
    py_spin(end)
    t.join()


if __name__ == "__main__":
    main()
