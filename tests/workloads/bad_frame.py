"""A Python stack whose second frame cannot be read: the innermost frame's
link to its caller is overwritten with an unmapped address, then the function
spins and exits the process without ever returning (a return would crash).

Usage: python bad_frame.py SECONDS. CPython 3.12 and 3.13 only: the offsets
below are theirs (PyFrameObject.f_frame, _PyInterpreterFrame.previous).
"""
import ctypes
import os
import sys
import time

# version -> (offset of f_frame in PyFrameObject, of previous in _PyInterpreterFrame)
OFFSETS = {(3, 12): (24, 8), (3, 13): (24, 8)}
UNMAPPED = 0xdead0000  # nothing is mapped this low in a CPython process


def spin_cut_off(seconds):
    f_frame, previous = OFFSETS[sys.version_info[:2]]
    iframe = ctypes.c_void_p.from_address(id(sys._getframe()) + f_frame).value
    ctypes.c_void_p.from_address(iframe + previous).value = UNMAPPED
    end = time.time() + seconds
    x = 0
    while time.time() < end:
        x += 1
    sys.stdout.flush()
    os._exit(0)


def caller(seconds):
    spin_cut_off(seconds)


if __name__ == "__main__":
    caller(float(sys.argv[1]))
