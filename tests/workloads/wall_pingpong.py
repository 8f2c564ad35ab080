"""Two Python threads passing a byte back and forth through two pipes.

Usage: python wall_pingpong.py ROUNDS [DELAY] [SPIN]. After DELAY seconds
(default 0: time for a profiler to attach), the threads make ROUNDS round
trips, each a blocking read and a wake-up on both sides (every pass is a
context switch of a target thread), and the script prints "elapsed SECONDS"
of the trips. SPIN (default 0) pure-Python loop steps between two trips set
the pace: the switch rate a service doing work between its waits has.
"""
import os
import threading
import time

from harness import arg, clock


def pong(rounds, rd, wr):
    for _ in range(rounds):
        os.read(rd, 1)
        os.write(wr, b"x")


def ping(rounds, rd, wr, spin):
    for _ in range(rounds):
        os.write(wr, b"x")
        os.read(rd, 1)
        for _ in range(spin):
            pass


def main():
    rounds = arg(1, 20000, int)
    time.sleep(arg(2, 0.0))
    a_r, a_w = os.pipe()
    b_r, b_w = os.pipe()
    t = threading.Thread(target=pong, args=(rounds, a_r, b_w))
    t.start()
    start = clock()
    ping(rounds, b_r, a_w, arg(3, 0, int))
    print("elapsed %.6f" % (clock() - start))
    t.join()


if __name__ == "__main__":
    main()
