"""--native workload: a Python caller of the C extension tests/native_ext for
argv[2] seconds; argv[1] is the directory holding the built module."""
import sys
import time

sys.path.insert(0, sys.argv[1])
import native_ext  # noqa: E402


def py_caller(n):
    return native_ext.native_hot(n)  # NATIVE-CALL


def main():
    end = time.time() + float(sys.argv[2])
    while time.time() < end:
        # through map(): C code runs py_caller in a C-level eval call of its own
        list(map(py_caller, [2000]))


main()
