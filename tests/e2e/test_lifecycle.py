#!/usr/bin/env python3
"""Process identity and the `-- CMD` lifecycle on real applications (issue 18,
items 4 and 5): processes are named from their command line (`black --check
DIR`, `hg status`), --name selects by command line (processes started later
too), --merge gives one root per command line; pystrobe exits with the
command's status when it ended by itself (black --check: 1, a signal: 128+N)
and stops it at -d (SIGINT, then SIGTERM after the 3 s grace) unless --detach."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import pslib

PY = "/usr/bin/python3"  # the interpreter of Debian's black and hg
# a CPU-bound Python whose command line carries a marker (its argv[1])
BUSY = "import sys, time\nend = time.time() + float(sys.argv[2])\nwhile time.time() < end: pass\n"
BUSY_PY = os.path.join(tempfile.gettempdir(), "pystrobe-busy-%d.py" % os.getpid())
GRACE_S = 3  # CMDSTOP_GRACE_MS


def roots(path):
    stacks, _ = pslib.read_folded(path) if os.path.exists(path) else ([], {})
    return sorted({frames[0] for frames, _ in stacks})


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in "ZX"
    except OSError:
        return False


def check_black(c, ps, tmp):
    """black --check: exit 1 on a file it would reformat, 0 on a clean tree; named from argv."""
    src = os.path.join(tmp, "src")
    os.makedirs(src)
    # 24 formatted files, so that black's own parsing (blib2to3) is what the summary shows,
    # not its imports (one 6-byte file: 22 samples, all importlib); a cache of its own, so
    # that nothing is skipped as already checked
    body = "".join("def f_%d(a, b):\n    return [a + b * %d for _ in range(3)]\n\n\n" % (i, i)
                   for i in range(150)).rstrip() + "\n"
    for k in range(24):
        with open(os.path.join(src, "m%02d.py" % k), "w") as f:
            f.write(body)
    env = dict(os.environ, BLACK_CACHE_DIR=os.path.join(tmp, "black-cache"))
    out, summ = os.path.join(tmp, "black.folded"), os.path.join(tmp, "summary.txt")
    r = pslib.run_pystrobe(ps, ["record", "-f", "folded", "-o", out, "--summary", summ, "--",
                                "black", "--check", src], env=env)
    rs = roots(out)
    with open(summ) as f:
        text = f.read()
    # files by their package path, not a bare basename: "(black/__init__.py:1438)"
    paths = re.findall(r"\((?:black|click|blib2to3)/[\w/]+\.py:\d+\)", text)
    c.check("summary", "paths", bool(paths), "package paths in the summary: %s" % paths[:3])
    c.check("cmd", "black-ok", r.returncode == 0 and rs, "exit %d, roots %s" % (r.returncode, rs))
    c.check("name", "black-argv", any(x.startswith("black --check %s (" % src) for x in rs),
            "roots %s" % rs)
    with open(os.path.join(src, "bad.py"), "w") as f:
        f.write("x = {  'a':1 }\n")
    r = pslib.run_pystrobe(ps, ["record", "-f", "folded", "-o", out, "--", "black", "--check",
                                src], env=env)
    c.check("cmd", "black-fails", r.returncode == 1 and os.path.getsize(out) > 0 and
            "exited with status 1" in r.stderr,
            "exit %d (want black's 1), %s" % (r.returncode, r.stderr.strip().splitlines()[1:2]))


def check_hg(c, ps, tmp):
    """A #! script is named by its own name and arguments, not its interpreter."""
    repo = os.path.join(tmp, "repo")
    subprocess.run(["hg", "init", repo], check=True)
    out = os.path.join(tmp, "hg.folded")
    r = pslib.run_pystrobe(ps, ["record", "-F", "997", "-f", "folded", "-o", out, "--", "hg",
                                "-R", repo, "status"])
    rs = roots(out)
    c.check("name", "hg-status", r.returncode == 0 and rs and
            all(x.startswith("hg -R %s status (" % repo) for x in rs),
            "exit %d, roots %s" % (r.returncode, rs))


def stop_case(ps, tmp, code, extra=()):
    """record -d 1 -- python3 -c CODE MARKER: (CompletedProcess, seconds, pid of the command).
    Output goes to files: a command left running keeps pystrobe's stdout and stderr open."""
    marker = "lifecycle-%d-%d" % (os.getpid(), time.monotonic_ns())
    argv = ["record", "-d", "1", "-o", os.path.join(tmp, "s.svg")] + list(extra) + \
        ["--", PY, "-c", code, marker]
    t0 = time.monotonic()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        r = subprocess.run([ps] + argv, stdout=out, stderr=err, timeout=120)
        secs = time.monotonic() - t0
        err.seek(0)
        r.stderr = err.read()
    pids = subprocess.run(["pgrep", "-f", marker], stdout=subprocess.PIPE,
                          universal_newlines=True).stdout.split()
    return r, secs, [int(p) for p in pids]


def check_stop(c, ps, tmp):
    """At -d the command is stopped: SIGINT, or SIGTERM once the grace period passed."""
    r, secs, left = stop_case(ps, tmp, "import time; time.sleep(60)")
    c.check("cmd", "stop-int", r.returncode == 0 and not left and
            "stopped with SIGINT" in r.stderr, "exit %d in %.1f s, left %s" % (r.returncode, secs,
                                                                           left))
    code = "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(60)"
    r, secs, left = stop_case(ps, tmp, code)
    # it ignores SIGINT: SIGTERM comes after the grace period, not before
    c.check("cmd", "stop-term", r.returncode == 0 and not left and secs >= 1 + GRACE_S and
            "stopped with SIGTERM" in r.stderr,
            "exit %d in %.1f s (grace %d s), left %s" % (r.returncode, secs, GRACE_S, left))
    r, secs, left = stop_case(ps, tmp, "import time; time.sleep(60)", ["--detach"])
    c.check("cmd", "detach", r.returncode == 0 and len(left) == 1 and alive(left[0]),
            "exit %d, still running %s" % (r.returncode, left))
    for pid in left:
        os.kill(pid, 9)
    r, _, _ = stop_case(ps, tmp, "import os; os.kill(os.getpid(), 9)")
    c.check("cmd", "signal-status", r.returncode == 128 + 9, "exit %d (want 137)" % r.returncode)
    # gil and syscalls hand the command's status on too
    for cmd in ("gil", "syscalls"):
        r = pslib.run_pystrobe(ps, [cmd, "--", PY, "-c", "import sys; sys.exit(3)"])
        c.check("cmd", cmd + "-status", r.returncode == 3, "exit %d (want 3)" % r.returncode)


def spawn(marker, secs):
    return subprocess.Popen([PY, BUSY_PY, marker, str(secs)])


def check_name(c, ps, tmp):
    """--name: only matching command lines, including one started after the run began."""
    tag = "ln%d" % os.getpid()
    procs = [spawn(tag + "-alpha", 6), spawn(tag + "-beta", 6)]
    out = os.path.join(tmp, "name.folded")
    try:
        rec = subprocess.Popen([ps, "record", "--name", tag + "-al", "-d", "3", "-f", "folded",
                                "-o", out], stderr=subprocess.PIPE, universal_newlines=True)
        time.sleep(1.2)
        procs.append(spawn(tag + "-alpha", 4))  # a later one, found by discovery
        _, err = rec.communicate(timeout=60)
    finally:
        for p in procs:
            p.kill()
            p.wait()
    rs = roots(out)
    pids = {x.rsplit("(", 1)[1].rstrip(")") for x in rs}
    c.check("name", "select", rec.returncode == 0 and
            pids == {str(procs[0].pid), str(procs[2].pid)},
            "exit %d, roots of pids %s (alpha %d, beta %d, later alpha %d)"
            % (rec.returncode, sorted(pids), procs[0].pid, procs[1].pid, procs[2].pid))
    # --merge: the two alphas share one root
    procs = [spawn(tag + "-m", 4), spawn(tag + "-m", 4)]
    try:
        r = pslib.run_pystrobe(ps, ["record", "--name", tag + "-m", "--merge", "-d", "2", "-f",
                                    "folded", "-o", out])
    finally:
        for p in procs:
            p.kill()
            p.wait()
    rs = roots(out)
    want = "python3 %s %s-m 4" % (os.path.basename(BUSY_PY), tag)
    c.check("name", "merge", r.returncode == 0 and rs == [want],
            "exit %d, roots %s (want [%r])" % (r.returncode, rs, want))


def main():
    a = pslib.args()
    c = pslib.Checks()
    for tool in ("black", "hg"):
        if not shutil.which(tool):
            pslib.report_missing("%s (Debian package) is not installed" % tool)
    with open(BUSY_PY, "w") as f:
        f.write(BUSY)
    with tempfile.TemporaryDirectory() as tmp:
        for check in (check_black, check_hg, check_stop, check_name):
            try:
                check(c, a.pystrobe, tmp)
            except Exception as e:
                c.check("lifecycle", check.__name__[6:], False, "error: %r" % e)
    os.unlink(BUSY_PY)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
