#!/usr/bin/env python3
"""`pystrobe syscalls` on a real application: Debian's Mercurial checking out
a repository of 1,000 files in 5 directories (`hg update`), run under strace
in the same run. Every "same path again and again" finding must be backed by
strace's count of that (process, syscall, path) (equal: both see every
call), name a Python line, and the checkout's repeated directory stats are
found and pinned on Mercurial's pathauditor._checkfs."""
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pslib

FILES, DIRS = 1000, 5
STRACED = "newfstatat,stat,lstat,statx,openat,access,faccessat2,readlink,unlinkat,mkdir"


def make_repo(path):
    """A committed repository of FILES files in DIRS directories, checked out to null."""
    env = dict(os.environ, HGPLAIN="1", HGRCPATH="", HGUSER="pystrobe <t@t>")
    subprocess.run(["hg", "init", path], check=True, env=env)
    for i in range(FILES):
        d = os.path.join(path, "pkg%d" % (i % DIRS), "sub%d" % (i % 3))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "f%d.txt" % i), "w") as f:
            f.write("%d\n" % i)
    subprocess.run(["hg", "-R", path, "commit", "-q", "-A", "-m", "init"], check=True, env=env)
    subprocess.run(["hg", "-R", path, "update", "-q", "null"], check=True, env=env)
    return env


def strace_counts(path):
    """{(pid, syscall, path): calls} of an strace -f output file."""
    counts = collections.Counter()
    pat = re.compile(r'(\d+)\s+(\w+)\((?:AT_FDCWD, |\d+, )?"((?:[^"\\]|\\.)*)"')
    with open(path, errors="replace") as f:
        for line in f:
            m = pat.match(line)
            if m:
                counts[(int(m.group(1)), m.group(2), m.group(3))] += 1
    return counts


def main():
    a = pslib.args()
    c = pslib.Checks()
    label = "hg"
    hg = shutil.which("hg")
    if not hg or not shutil.which("strace"):
        pslib.report_missing("hg and strace (Debian mercurial, strace)")
        return c.finish()
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "repo")
        env = make_repo(repo)
        js, st = os.path.join(tmp, "sys.json"), os.path.join(tmp, "strace.txt")
        # strace outside: it follows pystrobe's fork and exec of hg, so both
        # count the very same calls of the very same process
        r = subprocess.run(["strace", "-f", "-qq", "-e", "trace=" + STRACED, "-o", st,
                            a.pystrobe, "syscalls", "--json", js, "--", "hg", "-R", repo,
                            "update", "-q", "tip"], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=300)
        if r.returncode != 0:
            c.check(label, "run", False, "exit %d: %s" % (r.returncode, r.stderr[-300:]))
            return c.finish()
        with open(js) as f:
            rep = json.load(f)
        truth = strace_counts(st)
    paths = [f for f in rep["findings"] if f["kind"] == "same path again and again"]
    unsupported = [(f["where"][-40:], f["calls"], truth.get((f["pid"], f["syscall"], f["where"])))
                   for f in paths
                   if f["calls"] > truth.get((f["pid"], f["syscall"], f["where"]), 0)]
    c.check(label, "evidence", paths and not unsupported,
            "%d path findings; counts above strace's (path, ours, strace): %s" % (
                len(paths), unsupported[:5]))
    unequal = [(f["where"][-40:], f["calls"], truth.get((f["pid"], f["syscall"], f["where"])))
               for f in paths if f["calls"] != truth.get((f["pid"], f["syscall"], f["where"]))]
    c.check(label, "exact", not unequal, "counts unlike strace's: %s" % unequal[:5])
    no_line = [f["where"] for f in paths if not re.search(r" \(.+:\d+\)$", f.get("site", ""))]
    c.check(label, "line", not no_line, "findings without a Python line: %s" % no_line[:5])
    dirs = {os.path.join(repo, "pkg%d" % i) for i in range(DIRS)}
    audit = [f for f in paths if f["where"] in dirs and "pathauditor._checkfs" in f["site"]
             and f["site"].find("pathutil.py:") > 0]
    # per process: hg's workers audit the same directories as the parent
    c.check(label, "checkfs", {f["where"] for f in audit} == dirs,
            "%d of %d repository dirs pinned on pathauditor._checkfs (want all): %s" % (
                len({f["where"] for f in audit}), DIRS, [(f["where"][-10:], f["calls"], f["site"][-50:])
                                   for f in paths[:4]]))
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
