#!/usr/bin/env python3
"""Write the seeds of tests/fuzz/fuzz_async_tasks.c into tests/fuzz/corpus/async_tasks/.

Each seed is byte 0 = minor - 11, then a memory image mapped at 0x10000 as the
fuzz target reads it: the interpreter-list head, an interpreter whose first GC
list holds task-G awaiting a gathering future and its two children whose done
callback closes over that future (the 3.11-3.15 layouts of async_layouts.c), a
str type and the task names. Also: the same with a GC list that loops without
coming back to its head, and one cut short."""
import os
import struct
import sys

BASE = 0x10000
# items: PyTupleObject.ob_item (3.14 caches the hash before it)
LAYOUT = {11: dict(cb0=24, waiter=128, coro=136, name=144, gc=(672, 696, 720), items=24),
          12: dict(cb0=24, waiter=128, coro=136, name=144, gc=(136, 160, 184), items=24),
          13: dict(cb0=24, waiter=112, coro=120, name=128, gc=(7424, 7448, 7472), items=24),
          14: dict(cb0=24, waiter=120, coro=128, name=136, gc=(7432, 7456, 7480), items=32),
          15: dict(cb0=24, waiter=120, coro=128, name=136, gc=(7408, 7432, 7456), items=32)}


class Image:
    def __init__(self, size=0x4000):
        self.b = bytearray(size)

    def u64(self, addr, v):
        struct.pack_into("<Q", self.b, addr - BASE, v)

    def raw(self, addr, data):
        self.b[addr - BASE:addr - BASE + len(data)] = data


def image(minor, loop=False):
    L, im = LAYOUT[minor], Image()
    interp, task_t, str_t = BASE + 0x100, BASE + 0x2000, BASE + 0x2100
    im.u64(BASE, interp)
    im.u64(task_t + 24, BASE + 0x2200)
    im.raw(BASE + 0x2200, b"_asyncio.Task\0")
    im.u64(str_t + 24, BASE + 0x2220)
    im.raw(BASE + 0x2220, b"str\0")
    nodes = [BASE + 0x2400 + 0x200 * i for i in range(3)]  # task-G, g-child-1, g-child-2
    heads = [interp + g for g in L["gc"]]
    for h in heads[1:]:
        im.u64(h, h)  # empty lists
        im.u64(h + 8, h)
    im.u64(heads[0], nodes[0])
    for i, n in enumerate(nodes):
        nxt = nodes[i + 1] if i + 1 < len(nodes) else (nodes[0] if loop else heads[0])
        im.u64(n, nxt)
        im.u64(n + 8, nodes[i - 1] if i else heads[0])  # _gc_prev
        im.u64(n + 24, task_t)
    fut, func, tup, cell = BASE + 0x3000, BASE + 0x3100, BASE + 0x3200, BASE + 0x3300
    im.u64(func + 72, tup)
    im.u64(tup + 16, 1)
    im.u64(tup + L["items"], cell)
    im.u64(cell + 16, fut)
    for i, (n, name) in enumerate(zip(nodes, (b"task-G", b"g-child-1", b"g-child-2"))):
        task, s = n + 16, BASE + 0x3400 + 0x80 * i
        im.u64(task + L["coro"], BASE + 0x3800 + 0x100 * i)
        im.u64(task + L["name"], s)
        im.u64(task + L["waiter"], fut if i == 0 else 0)
        im.u64(task + L["cb0"], func if i else 0)
        im.u64(s + 8, str_t)
        im.u64(s + 16, len(name))
        im.raw(s + 32, struct.pack("<I", 1 << 5 | 1 << 6))
        im.raw(s + 40, name)
    return bytes([minor - 11]) + bytes(im.b)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "tests", "fuzz", "corpus", "async_tasks")
    os.makedirs(out, exist_ok=True)
    for minor in LAYOUT:
        with open(os.path.join(out, "gather-3.%d" % minor), "wb") as f:
            f.write(image(minor))
    with open(os.path.join(out, "loop-3.12"), "wb") as f:
        f.write(image(12, loop=True))
    with open(os.path.join(out, "cut-3.13"), "wb") as f:
        f.write(image(13)[:0x2500])


if __name__ == "__main__":
    main()
