"""What the bench scripts share: paths, the interpreter to use, bpf_stats,
the timed runs of the workloads and their interleaved pairs.

The scripts beside it import it by name (a script's own directory comes first
on sys.path).
"""
import argparse
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from pslib import free_port  # noqa: E402,F401 (one copy: the e2e tests' helper, re-exported)
W = os.path.join(ROOT, "tests", "workloads")


def newest_python(version):
    """The newest pyenv CPython of that minor version, e.g. "3.11"."""
    return sorted(glob.glob("/root/.pyenv/versions/%s.*/bin/python%s" % (version, version)))[-1]


def arg_parser(python, pairs):
    """--pystrobe, --python (default: python) and --pairs (default: pairs)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--pystrobe", default=os.path.join(ROOT, "build", "pystrobe"))
    ap.add_argument("--python", default=python)
    ap.add_argument("--pairs", type=int, default=pairs)
    return ap


def sysctl_bpf_stats(value):
    """Set kernel.bpf_stats_enabled (BPF run time and count per program); the old value."""
    path = "/proc/sys/kernel/bpf_stats_enabled"
    with open(path) as f:
        old = f.read().strip()
    with open(path, "w") as f:
        f.write(value)
    return old


def elapsed_of(text):
    """The "elapsed SECONDS" a timed workload prints."""
    return float(re.search(r"elapsed ([\d.]+)", text).group(1))


def elapsed(argv):
    """Run a timed workload (stderr dropped); the seconds it reports."""
    out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         universal_newlines=True, check=True).stdout
    return elapsed_of(out)


def interleaved(n, unprofiled, profiled, show=None):
    """n (unprofiled(), profiled()) pairs, the order alternating so that drift
    in the machine's speed falls on both sides; show(i, u, p) after each."""
    out = []
    for i in range(n):
        if i % 2:
            p = profiled()
            u = unprofiled()
        else:
            u = unprofiled()
            p = profiled()
        out.append((u, p))
        if show:
            show(i, u, p)
    return out


