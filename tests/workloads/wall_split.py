"""A thread whose time splits between CPU, a sleep and a blocking pipe read.

Usage: python wall_split.py SECONDS TRUTH.json [DELAY]. After DELAY seconds
(time for a profiler to find the process), the thread "splitter" repeats
for SECONDS: cpu_part spins 40 ms, sleep_part sleeps 30 ms, io_part asks a
feeder process (another interpreter, on a pipe) for a byte that the feeder
sends 30 ms later and blocks reading it. The thread measures the time it
spent in each part and its whole life ("total"), and writes them (seconds)
with its tid to TRUTH.json: what `record --wall` must find.
"""
import json
import os
import subprocess
import sys
import threading
import time

from harness import arg, clock

FEEDER = "import os, time\nwhile os.read(0, 1):\n    time.sleep(0.030)\n    os.write(1, b'x')\n"


def cpu_part(end):
    x = 0
    while clock() < end:
        x += 1
    return x


def sleep_part(seconds):
    import time
    time.sleep(seconds)


def io_part(ask, answer):
    os.write(ask, b"?")
    return os.read(answer, 1)


def splitter(seconds, truth):
    born = clock()
    ask_r, ask_w = os.pipe()
    ans_r, ans_w = os.pipe()
    feeder = subprocess.Popen([sys.executable, "-c", FEEDER], stdin=ask_r, stdout=ans_w)
    os.close(ask_r)
    os.close(ans_w)
    spent = {"cpu_part": 0.0, "sleep_part": 0.0, "io_part": 0.0}
    start = clock()
    while clock() - start < seconds:
        t0 = clock()
        cpu_part(t0 + 0.040)
        t1 = clock()
        sleep_part(0.030)
        t2 = clock()
        io_part(ask_w, ans_r)
        t3 = clock()
        spent["cpu_part"] += t1 - t0
        spent["sleep_part"] += t2 - t1
        spent["io_part"] += t3 - t2
    spent["loop"] = clock() - start
    os.close(ask_w)
    feeder.wait()
    spent["total"] = clock() - born
    truth.update(spent)


def main():
    truth = {}
    time.sleep(arg(3, 0.0))
    t = threading.Thread(target=splitter, args=(arg(1, 3.0), truth), name="splitter")
    t.start()
    truth["tid"] = t.native_id if hasattr(t, "native_id") else 0
    t.join()
    with open(sys.argv[2], "w") as f:
        json.dump(truth, f)


if __name__ == "__main__":
    main()
