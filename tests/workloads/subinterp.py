"""A hot function running inside a subinterpreter (3.12+), and another in the
main interpreter on a second thread.

Usage: python subinterp.py SECONDS
"""
import sys
import threading
import time

try:
    import _interpreters as interpreters  # 3.13
except ImportError:
    import _xxsubinterpreters as interpreters  # 3.12

SUB_CODE = """
import time
def sub_interp_work(end):
    x = 0
    while time.time() < end:
        x += 1
    return x
sub_interp_work(%f)
"""


def main_interp_work(end):
    x = 0
    while time.time() < end:
        x += 1
    return x


def run_sub(end):
    interp = interpreters.create()
    code = SUB_CODE % end
    if hasattr(interpreters, "run_string"):
        interpreters.run_string(interp, code)
    else:
        interpreters.exec(interp, code)
    interpreters.destroy(interp)


if __name__ == "__main__":
    end = time.time() + (float(sys.argv[1]) if len(sys.argv) > 1 else 3.0)
    t = threading.Thread(target=run_sub, args=(end,))
    t.start()
    main_interp_work(end)
    t.join()
