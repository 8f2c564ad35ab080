#!/usr/bin/env python3
"""`pystrobe diff` judges what changed, and says what it judged. Two folded
profiles of the same sampler (so absolute time compares) where function A's
share grew while its time fell: the default judges absolute time and passes
the gate, --judge share fails it. A real application: Debian's black, default
vs --fast on the same files: no function whose absolute time fell is called a
regression (issue: Node.__init__ "+1.83 points" while 1.06 s -> 1.04 s), and
the table shows seconds next to shares. An SVG given to diff is named as
such."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pslib

HEAD = "# command: pystrobe record -- x\n# frequency_hz: 100\n# unit: samples\n"
BLACK_FILES = ("argparse.py", "csv.py", "fractions.py")


def diff(ps, base, new, *extra):
    return pslib.run_pystrobe(ps, ["diff", base, new] + list(extra))


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def check_synthetic(c, ps, tmp):
    """A: 1.00 s -> 0.60 s (share 50% -> 67%); B: 1.00 s -> 0.30 s."""
    base = write(os.path.join(tmp, "b.folded"), HEAD + "p (1);A (m.py:1) 100\np (1);B (m.py:2) 100\n")
    new = write(os.path.join(tmp, "n.folded"), HEAD + "p (2);A (m.py:1) 60\np (2);B (m.py:2) 30\n")
    r = diff(ps, base, new, "--fail-if-regressed", "5")
    ok = r.returncode == 0 and "judged: absolute self time" in r.stdout and \
        re.search(r"\s1\s+0\.6\s+50\.00\s+66\.67\s+-20\.00\s+A \(m\.py\)", r.stdout)
    c.check("diff", "time", bool(ok), "exit %d (want 0), table:\n%s%s" % (
        r.returncode, r.stdout, r.stderr))
    r = diff(ps, base, new, "--fail-if-regressed", "5", "--judge", "share")
    ok = r.returncode == 1 and "judged: self share" in r.stdout and \
        "A (m.py): self share grew" in r.stderr and "judged: shares" in r.stderr
    c.check("diff", "share", ok, "exit %d (want 1): %s" % (r.returncode, r.stderr.strip()))
    # another rate: each side's seconds come from its own period
    other = write(os.path.join(tmp, "o.folded"), HEAD.replace("100", "250") +
                  "p (2);A (m.py:1) 60\np (2);B (m.py:2) 30\n")
    r = diff(ps, base, other)
    c.check("diff", "period", r.returncode == 0 and "judged: absolute self time" in r.stdout
            and re.search(r"\s1\s+0\.24\s+50\.00\s+66\.67", r.stdout) is not None,
            "100 Hz vs 250 Hz: seconds from each period:\n%s" % r.stdout)


def check_svg(c, ps, tmp):
    base = write(os.path.join(tmp, "b2.folded"), HEAD + "p (1);A (m.py:1) 10\n")
    svg = os.path.join(tmp, "d.svg")
    r = diff(ps, base, base, "-o", svg)
    r2 = diff(ps, svg, base)
    ok = r.returncode == 0 and r2.returncode == 1 and \
        "this is an SVG flame graph; give folded or pprof" in r2.stderr
    c.check("diff", "svg", ok, "exit %d: %s" % (r2.returncode, r2.stderr.strip()[-200:]))


def self_seconds(stdout):
    """{function: (base s, new s)} of diff's table."""
    rows = {}
    for line in stdout.splitlines():
        m = re.match(r"\s*([\d.e+-]+)\s+([\d.e+-]+)\s+[\d.]+\s+[\d.]+\s+[+-][\d.]+\s+(.+)$", line)
        if m:
            rows[m.group(3)] = (float(m.group(1)), float(m.group(2)))
    return rows


def check_black(c, ps, tmp):
    black = shutil.which("black")
    if not black:
        pslib.report_missing("black (Debian's black)")
        return
    src = os.path.join(tmp, "src")
    os.makedirs(src)
    for name in BLACK_FILES:
        shutil.copy(os.path.join("/usr/lib/python3.11", name), src)
    env = dict(os.environ, BLACK_CACHE_DIR=os.path.join(tmp, "cache"))
    outs = []
    for name, extra in (("default", []), ("fast", ["--fast"])):
        out = os.path.join(tmp, name + ".folded")
        r = pslib.run_pystrobe(ps, ["record", "-F", "199", "-f", "folded", "-o", out, "--",
                                    black, "--check", "-q", "--workers", "1"] + extra + [src],
                               env=env, timeout=300)
        if not os.path.exists(out):
            c.check("black", "record", False, "%s: exit %d %s" % (name, r.returncode,
                                                               r.stderr[-200:]))
            return
        outs.append(out)
    r = diff(ps, outs[0], outs[1], "--fail-if-regressed", "1.5", "--top", "100000")
    rows = self_seconds(r.stdout)
    named = re.findall(r"diff: (.+?): self (?:time|share) grew", r.stderr)
    fell = [f for f in named if f in rows and rows[f][1] < rows[f][0]]
    node = [f for f in rows if f.startswith("Node.__init__ ")]
    c.check("black", "judged", "judged: absolute self time" in r.stdout and node and not fell,
            "Node.__init__ %s s; named as regressions although their time fell: %s\n%s" % (
                [rows[f] for f in node], fell, r.stdout[:600]))


def main():
    a = pslib.args()
    c = pslib.Checks()
    with tempfile.TemporaryDirectory() as tmp:
        for check in (check_synthetic, check_svg, check_black):
            try:
                check(c, a.pystrobe, tmp)
            except Exception as e:
                c.check("diff", check.__name__[6:], False, "error: %s" % e)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
