#!/usr/bin/env python3
"""The flame graph SVG in a real browser: headless Chromium (Debian's) driven
by playwright-core (npm, in a cache directory outside the repo). For hot.py,
a 20-deep recursion, the GIL wait graph and the syscall graph: it renders
without script errors, Search (button or Ctrl-F) highlights exactly the
matching frames and shows the share they cover (nested matches once), a
click zooms a frame to the full width (ancestors dimmed, the rest hidden),
Reset zoom and Esc restore the layout. Screenshots of each view go to a temporary
directory, or to $PYSTROBE_SCREENSHOTS (docs/ for the README).

No browser is no excuse: a missing chromium, node or playwright-core FAILS."""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

import pslib

NODE_DIR = pslib.NODE_DIR
DRIVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "svg_browser.js")
HIT = "rgb(238,0,238)"
GRAPH_W = 1180.0  # 1200 px image less two 10 px margins


def tools(c):
    """(chromium, node) or None after a FAIL line naming what is missing."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    node = shutil.which("node")
    missing = [p for p in pslib.node_modules()[1] if p.startswith("playwright-core")]
    if not chromium:
        missing.append("chromium (Debian package chromium)")
    if not node:
        missing.append("node (the machine's Node.js)")
    c.check("svg", "tools", not missing,
            "missing: %s; scripts/install-deps.sh installs them" % ", ".join(missing)
            if missing else "chromium %s, node %s" % (chromium, node))
    return None if missing else (chromium, node)


def drive(tl, svg, outdir, term, zoom, prefix):
    env = dict(os.environ, NODE_PATH=os.path.join(NODE_DIR, "node_modules"))
    r = subprocess.run([tl[1], DRIVER, tl[0], svg, outdir, term, zoom, prefix],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                       timeout=180, env=env)
    if r.returncode:
        return None, r.stderr.strip().splitlines()[-3:]
    return json.loads(r.stdout), None


def name(f):
    return f["info"][:f["info"].rfind(" (")]


def share(f):
    return float(re.search(r", ([\d.]+)%\)$", f["info"]).group(1))


def near(a, b, eps=0.05):
    return abs(a - b) <= eps


def check_search(c, label, d, term):
    """Exactly the frames whose name contains term turn HIT; the share shown is theirs."""
    want = [i for i, f in enumerate(d["default"]) if re.search(term, name(f))]
    got = [i for i, f in enumerate(d["search"]) if f["fill"] == HIT]
    c.check(label, "highlight", bool(want) and want == got,
            "%d frames match /%s/, %d highlighted" % (len(want), term, len(got)))
    # the share of the width the matches cover: nested matches (recursion) count once
    spans = sorted((d["default"][i]["x"], d["default"][i]["x"] + d["default"][i]["w"])
                   for i in want)
    covered, end = 0.0, -1.0
    for a, b in spans:
        if b > end:
            covered += b - max(a, end)
            end = b
    expect = 100 * covered / GRAPH_W
    m = re.match(r"Matched: ([\d.]+)%$", d["matched"])
    c.check(label, "matched", m is not None and abs(float(m.group(1)) - expect) < 0.15,
            "%r, the matches cover %.2f%% of the width" % (d["matched"], expect))
    c.check(label, "ctrl-f", d["keyMatched"] == d["matched"],
            "Ctrl-F search shows %r" % d["keyMatched"])
    c.check(label, "esc", d["escMatched"].strip() == "" and d["escUnzoomClass"] == "btn hide" and
            [(f["fill"], f["x"], f["w"], f["cls"]) for f in d["afterEsc"]] ==
            [(f["fill"], f["x"], f["w"], f["cls"]) for f in d["default"]],
            "Esc: matched %r, Reset zoom %r, frames as drawn" % (d["escMatched"],
                                                               d["escUnzoomClass"]))
    c.check(label, "reset", [f["fill"] for f in d["afterReset"]] ==
            [f["fill"] for f in d["default"]] and d["searchButton"] == "Reset search",
            "button said %r; fills restored after Reset search" % d["searchButton"])


def check_zoom(c, label, d):
    """The clicked frame fills the width, ancestors dim at full width, others hidden."""
    i = d["zoomIndex"]
    if i < 0:
        c.check(label, "zoom", False, "no frame to zoom into")
        return
    before, after = d["default"][i], d["zoomed"][i]
    c.check(label, "zoom", before["w"] < GRAPH_W - 20 and near(after["w"], GRAPH_W, 0.02) and
            near(after["x"], 10, 0.02), "%s: width %.2f -> %.2f px, x %.2f"
            % (name(before)[:40], before["w"], after["w"], after["x"]))
    anc = [j for j, f in enumerate(d["default"]) if f["y"] > before["y"] and
           f["x"] <= before["x"] + 0.02 and f["x"] + f["w"] >= before["x"] + before["w"] - 0.02]
    ok = anc and all(d["zoomed"][j]["cls"] == "f dim" and near(d["zoomed"][j]["w"], GRAPH_W)
                     for j in anc)
    c.check(label, "ancestors", bool(ok), "%d ancestors dimmed at full width" % len(anc))
    outside = [j for j, f in enumerate(d["default"]) if j not in anc and f["y"] <= before["y"]
               and (f["x"] + f["w"] <= before["x"] + 0.02 or f["x"] >= before["x"] + before["w"]
                    - 0.02)]
    c.check(label, "hidden", all(not d["zoomed"][j]["visible"] for j in outside),
            "%d frames beside the zoomed one hidden" % len(outside))
    c.check(label, "label", after["label"] == name(before) and
            d["hoverDetails"] == before["info"],
            "zoomed label %r, hover line %r" % (after["label"][:40], d["hoverDetails"][:40]))
    c.check(label, "unzoom", d["unzoomClass"] == "btn" and
            [(f["x"], f["w"], f["label"]) for f in d["unzoomed"]] ==
            [(f["x"], f["w"], f["label"]) for f in d["default"]],
            "Reset zoom shown, then every frame back in place")


def check_page(c, label, d, outdir, prefix, views):
    c.check(label, "no-errors", not d["errors"], "script errors: %s" % d["errors"][:2])
    root = [f for f in d["default"] if f["info"].startswith("all (")]
    c.check(label, "root", len(root) == 1 and near(root[0]["w"], GRAPH_W),
            "root frame width %s" % [f["w"] for f in root])
    for v in views:
        p = os.path.join(outdir, "%s-%s.png" % (prefix, v))
        frames = d[PNG_FRAMES[v]]
        try:
            ok, detail = painted(read_png(p), frames, v)
        except (OSError, ValueError, KeyError) as e:
            ok, detail = False, "cannot read %s: %s" % (p, e)
        c.check(label, "png-" + v, ok, detail)


# which frame list describes each screenshot
PNG_FRAMES = {"default": "default", "search": "search", "zoom": "zoomed"}


def read_png(path):
    """(width, height, rows) of an 8-bit RGB/RGBA non-interlaced PNG (a Chromium
    screenshot); rows[y] is a bytes of width * channels."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    i, idat, hdr = 8, [], None
    while i < len(data):
        n, kind = struct.unpack(">I4s", data[i:i + 8])
        body = data[i + 8:i + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        i += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError("PNG depth %d colour type %d interlace %d" % (depth, ctype, interlace))
    ch = 3 if ctype == 2 else 4
    raw, stride, rows, prev = zlib.decompress(b"".join(idat)), w * ch, [], bytearray(w * ch)
    for y in range(h):
        ft, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        unfilter(ft, line, prev, ch)
        rows.append(bytes(line))
        prev = line
    return w, h, ch, rows


def unfilter(ft, line, prev, bpp):
    """Undo PNG filter type ft on line in place (prev: the previous row, unfiltered)."""
    if ft == 2:
        line[:] = bytes((a + b) & 0xff for a, b in zip(line, prev))
        return
    for x in range(len(line)):
        a = line[x - bpp] if x >= bpp else 0
        b, cc = prev[x], prev[x - bpp] if x >= bpp else 0
        if ft == 1:
            line[x] = (line[x] + a) & 0xff
        elif ft == 3:
            line[x] = (line[x] + ((a + b) >> 1)) & 0xff
        elif ft == 4:
            p = a + b - cc
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - cc)
            pred = a if pa <= pb and pa <= pc else (b if pb <= pc else cc)
            line[x] = (line[x] + pred) & 0xff


def rgb(css):
    m = re.match(r"rgb\((\d+), ?(\d+), ?(\d+)\)", css or "")
    return tuple(int(x) for x in m.groups()) if m else None


def painted(png, frames, view):
    """(ok, detail): each wide, visible, undimmed frame is painted in its own colour:
    most pixels of a grid over its box (the label's glyphs cover the rest) match its
    computed fill. A blank, black or wrongly drawn screenshot fails."""
    w, h, ch, rows = png
    todo = [f for f in frames if f["visible"] and "dim" not in (f["cls"] or "") and
            f["box"][2] >= 40 and f["box"][1] + f["box"][3] < h and rgb(f["paint"])][:40]
    bad = []
    for f in todo:
        x0, y0, bw, bh = f["box"]
        want = rgb(f["paint"])
        xs = [int(x0 + 2 + k * (bw - 4) / 11) for k in range(12)]
        px = [tuple(rows[y][x * ch:x * ch + 3]) for y in range(int(y0) + 1, int(y0 + bh) - 1)
              for x in xs if x < w]
        hits = sum(all(abs(a - b) <= 8 for a, b in zip(p, want)) for p in px)
        if hits < 0.5 * len(px):
            bad.append("%s %s: %d of %d pixels" % (f["label"][:20], want, hits, len(px)))
    colours = len(set(rows[y][x * ch:x * ch + 3] for y in range(0, h, 7) for x in range(0, w, 5)))
    ok = len(todo) >= 1 and not bad and colours > 3
    return ok, "%s: %d frames checked in the screenshot (%dx%d, %d colours), %d " \
        "painted wrong %s" % (view, len(todo), w, h, colours, len(bad), bad[:2])


def record_hot(ps, py, tmp):
    """hot.py profiled by pid once it runs (no interpreter start-up in the graph)."""
    svg = os.path.join(tmp, "hot.svg")
    proc = subprocess.Popen([py, pslib.workload("hot.py"), "6"])
    try:
        time.sleep(1.0)
        r = pslib.run_pystrobe(ps, ["record", "-q", "-p", str(proc.pid), "-d", "3", "-o", svg])
    finally:
        proc.kill()
        proc.wait()
    return svg if r.returncode == 0 else None


def one(c, tl, label, svg, outdir, term, zoom, prefix):
    if not svg or not os.path.exists(svg):
        c.check(label, "svg", False, "pystrobe wrote no SVG")
        return
    d, err = drive(tl, svg, outdir, term, zoom, prefix)
    c.check(label, "browser", d is not None, "driver: %s" % (err or "ran"))
    if not d:
        return
    check_page(c, label, d, outdir, prefix, ["default", "search"] + (["zoom"] if zoom else []))
    check_search(c, label, d, term)
    if zoom:
        check_zoom(c, label, d)


def main():
    a = pslib.args()
    c = pslib.Checks()
    tl = tools(c)
    found, _ = pslib.interpreters(a.only)
    py = dict((l, p) for l, p, _ in found).get("3.12", found[-1][1] if found else None)
    if not tl or not py:
        c.check("svg", "python", bool(py), "CPython %s" % py)
        return c.finish()
    outdir = os.environ.get("PYSTROBE_SCREENSHOTS")
    with tempfile.TemporaryDirectory() as tmp:
        outdir = outdir or tmp
        # a regular expression matching one of hot_leaf's two lines: a share below 100 %
        one(c, tl, "svg-hot", record_hot(a.pystrobe, py, tmp), outdir, r"hot_leaf .*:%d\)"
            % pslib.line_of("hot.py", "# HOT"), "hot_leaf", "flamegraph")
        # recursion: 20 nested matches must count once
        deep = os.path.join(tmp, "deep.svg")
        pslib.run_pystrobe(a.pystrobe, ["record", "-q", "-o", deep, "--", py,
                                        pslib.workload("deep.py"), "20", "2"])
        one(c, tl, "svg-deep", deep, outdir, "recurse", "spin", "deep")
        gil = os.path.join(tmp, "gil.svg")
        pslib.run_pystrobe(a.pystrobe, ["gil", "-q", "-o", gil, "--", py,
                                        pslib.workload("gil_contention.py"), "4", "2"])
        one(c, tl, "svg-gil", gil, outdir, "contended_work", "contended_work", "gil")
        sysg = os.path.join(tmp, "syscalls.svg")
        pslib.run_pystrobe(a.pystrobe, ["syscalls", "-q", "-o", sysg, "--", py,
                                        pslib.workload("small_writes.py"), "200000"])
        one(c, tl, "svg-sys", sysg, outdir, "write_loop", "", "syscalls")
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
