"""Two leaf functions with a known 70/30 split of CPU time.

Usage: python split7030.py SECONDS [CPU_FILE]. Each 10 ms period spends 7 ms
spinning in leaf_seventy and 3 ms in leaf_thirty, measured with a monotonic
clock, so the split is 70/30 by construction while the thread is always on
CPU. On a busy host it is preempted and the CPU split drifts: CPU_FILE gets
the thread CPU seconds each leaf really used ("leaf seconds" lines).
"""
import sys

from harness import alternate, arg, clock


def leaf_seventy(until):
    x = 0
    while clock() < until:
        x += 1
    return x


def leaf_thirty(until):
    x = 0
    while clock() < until:
        x += 1
    return x


def main():
    cpu = {} if len(sys.argv) > 2 else None
    alternate(arg(1, 10.0), [(leaf_seventy, 0.007), (leaf_thirty, 0.010)], cpu=cpu)
    if cpu is not None:
        with open(sys.argv[2], "w") as f:
            for name, secs in sorted(cpu.items()):
                f.write("%s %.6f\n" % (name, secs))


if __name__ == "__main__":
    main()
