#!/usr/bin/env python3
"""The summary of a real application, as a user pastes it into a ticket (issue 18
item 6): Debian's Sphinx building a generated project of 60 pages, each one
long list of headings, under one index toctree. The html builder deep-copies
every page's table of contents into each page's sidebar, so docutils'
Node.deepcopy under sphinx's TocTree adapter is where the time goes (what the
issue found on a 272-page build: 66 %).

The summary must show it: its "top functions by total time" lists deepcopy,
the toctree adapter or the html builder's _get_local_toctree; at most two rows are at 95 %+ (the callers that pass all
their time to one callee are left out, not ten wrappers at 99 %); files are
named by their package path (sphinx/..., docutils/...), never a bare
`__init__.py`; every row ends in its complete "(path:line)".

Process identity (item 4) on a pre-fork server: Debian's gunicorn (-w 2
--threads 4, python3-setproctitle installed) retitles its workers
`gunicorn: worker [flask_app:app]`; under `record -- gunicorn ...` driven by
`ab`, the workers' roots and the summary's process lines carry that title.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pslib

PAGES = 60  # sidebar copies grow as pages^2; at 30 the toctree rows were ranks 9-11
SECTIONS = 24  # headings per page: the toctree every page's sidebar copies


def make_project(src):
    os.makedirs(src)
    with open(os.path.join(src, "conf.py"), "w") as f:
        f.write("project = 'gen'\nhtml_theme = 'alabaster'\n")
    with open(os.path.join(src, "index.rst"), "w") as f:
        f.write("Index\n=====\n\n.. toctree::\n   :maxdepth: 3\n\n" +
                "".join("   page%02d\n" % i for i in range(PAGES)))
    for i in range(PAGES):
        with open(os.path.join(src, "page%02d.rst" % i), "w") as f:
            f.write("Page %d\n%s\n\n" % (i, "=" * 12))
            for s in range(SECTIONS):
                f.write("Section %d.%d\n%s\n\nText.\n\n" % (i, s, "-" * 16))


def by_total(text):
    """The rows of "top functions by total time": (total %, label)."""
    part = text.split("top functions by total time:", 1)[-1]
    rows = []
    for line in part.splitlines()[2:]:
        m = re.match(r"\s+[\d.]+%\s+([\d.]+)%\s+(.*)$", line)
        if not m:
            break
        rows.append((float(m.group(1)), m.group(2)))
    return rows


def check_sphinx(c, ps, tmp):
    sb = shutil.which("sphinx-build")
    if not sb:
        pslib.report_missing("sphinx-build (Debian's python3-sphinx)")
        return
    src, summ = os.path.join(tmp, "src"), os.path.join(tmp, "summary.txt")
    make_project(src)
    r = pslib.run_pystrobe(ps, ["record", "-F", "199", "-f", "folded", "-o",
                                os.path.join(tmp, "sphinx.folded"), "--summary", summ, "--",
                                sb, "-q", "-E", "-b", "html", src, os.path.join(tmp, "html")],
                           timeout=300)
    text = open(summ).read() if os.path.exists(summ) else ""
    rows = by_total(text)
    c.check("sphinx", "record", r.returncode == 0 and rows,
            "exit %d, %d rows by total %s" % (r.returncode, len(rows), r.stderr.strip()[-200:]))
    labels = [lab for _, lab in rows]
    toc = [lab for lab in labels if re.match(
        r"\S*(deepcopy|TocTree|_entries_from_toctree|_get_local_toctree)\S* \(", lab)]
    c.check("sphinx", "deepcopy", toc,
            "deepcopy / TocTree in the top %d by total: %s" % (len(rows), toc or labels))
    high = [lab for pct, lab in rows if pct >= 95.0]
    c.check("sphinx", "wrappers", len(high) <= 2,
            "%d rows at 95%%+ total (want <= 2): %s" % (len(high), high))
    bare = [lab for lab in labels if re.search(r"\((__init__|__main__)\.py:", lab)]
    c.check("sphinx", "paths", not bare and any(" (sphinx/" in lab for lab in labels),
            "rows with a bare file name: %s; sphinx/ paths: %d" %
            (bare, sum(" (sphinx/" in lab for lab in labels)))
    cut = [lab for lab in labels if not re.search(r" \([^()]+:\d+\)$", lab)]
    c.check("sphinx", "names", not cut, "rows without a whole (path:line): %s" % cut)


def check_gunicorn_title(c, ps, tmp):
    try:
        import setproctitle  # noqa: F401 (Debian's python3-setproctitle, gunicorn's titles)
    except ImportError:
        pslib.report_missing("python3-setproctitle (scripts/install-deps.sh)")
        return
    if not (shutil.which("ab") and os.path.exists("/usr/bin/gunicorn")):
        pslib.report_missing("gunicorn + ab (scripts/install-deps.sh)")
        return
    port, out = pslib.free_port(), os.path.join(tmp, "gunicorn.folded")
    summ = os.path.join(tmp, "gunicorn-summary.txt")
    cmd = [ps, "record", "-d", "10", "-f", "folded", "-o", out, "--summary", summ, "--",
           "/usr/bin/gunicorn", "-w", "2", "--threads", "4", "-b", "127.0.0.1:%d" % port,
           "--chdir", os.path.dirname(pslib.workload("flask_app.py")), "flask_app:app"]
    # files, not pipes: gunicorn inherits them
    with open(os.path.join(tmp, "gunicorn.log"), "w") as log:
        prof = subprocess.Popen(cmd, stdout=log, stderr=log)
        try:
            pslib.wait_for(lambda: pslib.port_open(port), timeout=8)
            subprocess.run(["ab", "-q", "-t", "2", "-n", "100000", "-c", "4",
                            "http://127.0.0.1:%d/" % port], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=30)
            prof.wait(timeout=60)
        finally:
            if prof.poll() is None:
                prof.kill()
    stacks = pslib.read_folded(out)[0] if os.path.exists(out) else []
    roots = sorted({f[0] for f, _ in stacks})
    workers = [r for r in roots if r.startswith("gunicorn: worker [flask_app:app] (")]
    c.check("gunicorn", "roots", len(workers) == 2, "roots %s" % roots)
    text = open(summ).read() if os.path.exists(summ) else ""
    c.check("gunicorn", "summary", text.count("gunicorn: worker [flask_app:app] ") >= 2,
            "summary process lines: %s" % [l for l in text.splitlines() if "gunicorn" in l])


def main():
    a = pslib.args()
    c = pslib.Checks()
    for check in (check_sphinx, check_gunicorn_title):
        with tempfile.TemporaryDirectory() as tmp:
            try:
                check(c, a.pystrobe, tmp)
            except Exception as e:
                c.check(check.__name__[6:], "run", False, "error: %s" % e)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
