#!/usr/bin/env python3
"""Accuracy bar: a workload whose two leaf functions take a known 70/30 split
of CPU is reported within +-3 percentage points at 100 Hz over 10 s."""
import os
import sys
import tempfile

import pslib


def main():
    a = pslib.args()
    c = pslib.Checks()
    found, _ = pslib.interpreters(a.only or "3.12,debian-3.11")
    for label, py, ver in found:
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "split.folded")
            r = pslib.run_pystrobe(a.pystrobe, ["record", "-F", "100", "-f", "folded", "-o", out,
                                                "--", py, pslib.workload("split7030.py"), "10"])
            if r.returncode:
                c.check(label, "split7030", False, r.stderr.strip()[-300:])
                continue
            stacks, _ = pslib.read_folded(out)
            selfc = pslib.self_counts(stacks)
            seventy = sum(n for f, n in selfc.items() if pslib.func(f) == "leaf_seventy")
            thirty = sum(n for f, n in selfc.items() if pslib.func(f) == "leaf_thirty")
            share = 100.0 * seventy / max(seventy + thirty, 1)
            c.check(label, "split7030", abs(share - 70.0) <= 3.0,
                    "leaf_seventy %.1f%% of %d leaf samples (want 70 +- 3)"
                    % (share, seventy + thirty))
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
