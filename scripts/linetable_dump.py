# SPDX-License-Identifier: MIT
"""Dump CPython line tables and the line CPython computes at every position.

Run by scripts/gen-linetable-fixtures.sh under each interpreter (Python 2.7
and 3.6 to 3.13; keep the syntax valid in all of them). Usage:

    python linetable_dump.py SOURCE.py OUT.txt BUDGET_BYTES MODULE...

It compiles SOURCE.py (every code object, depth first) and then the source of
each stdlib MODULE (each module gets an equal share of what is left of the
budget), and writes one record per code object:

    code <label> <firstlineno> <npos>
    tab <hex of co_lnotab (<= 3.9) or co_linetable (3.10+)> | tab -
    L <start> <end> <line>     positions [start, end) map to <line>
    past <pos> <line>          positions at and beyond the end of the code

Positions are byte offsets up to 3.10 and code-unit indexes from 3.11 on;
the L ranges tile [0, npos) exactly and -1 means "no line". Expected lines
come from co_lines() (3.10+) or dis.findlinestarts() (<= 3.9, last start <=
offset), and every position (and every "past" one) is cross-checked against
PyCode_Addr2Line() called through ctypes; any disagreement exits 1.
"""
from __future__ import print_function

import binascii
import ctypes
import dis
import sys
import types

VER = sys.version_info
FMT = "lnotab27" if VER[0] == 2 else "lnotab" if VER < (3, 10) else \
    "310" if VER < (3, 11) else "311"
UNIT = 2 if FMT == "311" else 1  # bytes per position


def addr2line():
    """CPython's own PyCode_Addr2Line(code, byte_offset) through ctypes."""
    fn = ctypes.pythonapi.PyCode_Addr2Line
    fn.argtypes = [ctypes.py_object, ctypes.c_int]
    fn.restype = ctypes.c_int
    return fn


def code_objects(code):
    """The code object and every code object nested in it, depth first."""
    out = [code]
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            out.extend(code_objects(const))
    return out


def raw_table(code):
    """The line-table bytes this CPython keeps for the code object."""
    tab = code.co_linetable if VER >= (3, 10) else code.co_lnotab
    return bytes(tab) if VER[0] > 2 else tab


def expected_lines(code):
    """The line of every position, as co_lines()/findlinestarts() say."""
    npos = len(code.co_code) // UNIT
    want = [-1] * npos
    if VER >= (3, 10):
        for start, end, line in code.co_lines():
            for pos in range(start // UNIT, min(end // UNIT, npos)):
                want[pos] = -1 if line is None else line
        return want
    starts = list(dis.findlinestarts(code))
    line = code.co_firstlineno
    i = 0
    for pos in range(npos):
        while i < len(starts) and starts[i][0] <= pos:
            line = starts[i][1]
            i += 1
        want[pos] = line
    return want


def check(code, want, a2l, label):
    """Exit 1 unless PyCode_Addr2Line agrees at every position."""
    for pos, line in enumerate(want):
        got = a2l(code, pos * UNIT)
        if got != line:
            sys.stderr.write("%s: %s pos %d: co_lines/findlinestarts say %d, "
                             "PyCode_Addr2Line says %d\n"
                             % (sys.version.split()[0], label, pos, line, got))
            sys.exit(1)


def runs(want):
    """Merge equal consecutive lines into (start, end, line) ranges."""
    out = []
    for pos, line in enumerate(want):
        if out and out[-1][2] == line and out[-1][1] == pos:
            out[-1][1] = pos + 1
        else:
            out.append([pos, pos + 1, line])
    return out


def svarint(b, i):
    """Signed varint of a 3.11+ location entry at b[i]: (value, next i)."""
    val, shift = 0, 0
    while True:
        val |= (b[i] & 63) << shift
        shift += 6
        i += 1
        if not b[i - 1] & 64:
            break
    return (-(val >> 1) if val & 1 else val >> 1), i


def table_stats(tab, stats):
    """Count the entries worth testing: negative deltas, no-line, long form."""
    b = bytearray(tab)
    deltas = []
    if FMT == "lnotab27":
        deltas = list(b[1::2])
    elif FMT in ("lnotab", "310"):
        deltas = [d - 256 if d > 127 else d for d in b[1::2]]
        stats["no_line_entries"] += deltas.count(-128) if FMT == "310" else 0
    elif FMT == "311":
        for i, byte in enumerate(b):
            code = (byte >> 3) & 15
            if not byte & 128:
                continue
            stats["no_line_entries"] += code == 15
            stats["long_entries"] += code == 14
            if code in (13, 14):
                deltas.append(svarint(b, i + 1)[0])
            elif code in (10, 11, 12):
                deltas.append(code - 10)
    stats["negative_deltas"] += len([d for d in deltas if d < 0])
    stats["min_delta"] = min([stats["min_delta"]] + deltas)
    stats["max_delta"] = max([stats["max_delta"]] + deltas)


def record(code, a2l, label):
    """One code object's fixture record: (npos, text, table, no-line count)."""
    tab = raw_table(code)
    want = expected_lines(code)
    check(code, want, a2l, label)
    npos = len(want)
    lines = ["code %s %d %d" % (label, code.co_firstlineno, npos),
             "tab " + (binascii.hexlify(tab).decode("ascii") or "-")]
    for start, end, line in runs(want):
        lines.append("L %d %d %d" % (start, end, line))
    for pos in (npos, npos + 1, npos + 1000):
        lines.append("past %d %d" % (pos, a2l(code, pos * UNIT)))
    return npos, "\n".join(lines) + "\n", tab, want.count(-1)


def compile_file(path):
    """Compile a source file without inheriting this script's __future__."""
    fh = open(path, "rb")
    try:
        src = fh.read()
    finally:
        fh.close()
    return compile(src, path, "exec", 0, True)


def module_source(name):
    """The .py file of a stdlib module."""
    mod = __import__(name, fromlist=["_"])
    path = mod.__file__
    if path.endswith((".pyc", ".pyo")):
        path = path[:-1]
    return path


def dump_code(code, prefix, a2l, stats, budget):
    """Records for code and its nested code objects, within budget bytes."""
    out = []
    used = 0
    for i, co in enumerate(code_objects(code)):
        npos, rec, tab, no_line = record(
            co, a2l, "%s:%d:%s" % (prefix, i, co.co_name))
        stats["checked"] += npos
        if budget is not None and used + len(rec) > budget:
            stats["skipped"] += 1
            continue
        out.append(rec)
        used += len(rec)
        stats["codes"] += 1
        stats["positions"] += npos
        stats["no_line"] += no_line
        stats["max_table"] = max(stats["max_table"], len(tab))
        table_stats(tab, stats)
    return out, used


def main(argv):
    """Write the fixture for this interpreter to argv[2]."""
    source, outpath, budget, modules = argv[1], argv[2], int(argv[3]), argv[4:]
    a2l = addr2line()
    stats = dict.fromkeys(("codes", "positions", "checked", "no_line",
                           "max_table", "skipped", "no_line_entries",
                           "long_entries", "negative_deltas", "min_delta",
                           "max_delta"), 0)
    recs, used = dump_code(compile_file(source), "tricky", a2l, stats, None)
    share = (budget - used) // max(len(modules), 1)
    for name in modules:
        more, _ = dump_code(compile_file(module_source(name)), name, a2l,
                            stats, share)
        recs.extend(more)
    head = ("# pystrobe line-table fixture, written by "
            "scripts/gen-linetable-fixtures.sh: do not edit\n"
            "python %s\nfmt %s\n" % (sys.version.split()[0], FMT))
    fh = open(outpath, "w")
    try:
        fh.write(head + "".join(recs))
    finally:
        fh.close()
    print("%s: fmt %s: wrote %d code objects, %d positions (%d more code "
          "objects over budget); %d positions agree with PyCode_Addr2Line; "
          "%d positions with no line, %d no-line entries, %d long-form "
          "entries, %d negative deltas, deltas %d..%d, largest table %d bytes"
          % (sys.version.split()[0], FMT, stats["codes"], stats["positions"],
             stats["skipped"], stats["checked"], stats["no_line"],
             stats["no_line_entries"], stats["long_entries"],
             stats["negative_deltas"], stats["min_delta"], stats["max_delta"],
             stats["max_table"]))


if __name__ == "__main__":
    main(sys.argv)
