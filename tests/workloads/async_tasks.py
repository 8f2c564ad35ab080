"""asyncio tasks with known CPU shares, for record --async (tests/e2e/test_async.py).

Usage: python async_tasks.py SECONDS [NR_EXTRA [STEPS]]. One event loop runs:
- task-A: worker_a -> step_a -> crunch_a, 6 ms of thread CPU time per step;
- task-B: worker_b -> step_b -> crunch_b, 4 ms per step (A:B = 60:40 of their CPU);
- task-C: always awaiting asyncio.sleep (never on CPU);
- task-G: awaits asyncio.gather(g-child-1, g-child-2), whose steps run
  crunch_g for 0.5 ms each;
- NR_EXTRA idle tasks "idle-N" sleeping 50 ms at a time (the bench's 1,000 tasks).
At the end it prints "task-C life SECONDS" (from its creation to its cancel:
tests/e2e/test_async_wall.py compares it with the suspended time recorded).
Crunching spins on thread CPU time, so the shares hold on a busy machine.
With STEPS (bench/bench_async.py), the run ends once task-A made STEPS steps
instead, and prints "elapsed SECONDS" (the time from the tasks' start).
"""
import asyncio
import sys
import time


def spin(cpu_s):
    end = time.thread_time() + cpu_s
    x = 0
    while time.thread_time() < end:
        x += 1
    return x


def crunch_a():
    return spin(0.006)


def crunch_b():
    return spin(0.004)


def crunch_g():
    return spin(0.0005)


async def step_a():
    crunch_a()
    await asyncio.sleep(0)


async def step_b():
    crunch_b()
    await asyncio.sleep(0)


async def worker_a(steps):
    while steps != 0:
        await step_a()
        steps -= 1


async def worker_b():
    while True:
        await step_b()


async def sleeper():
    while True:
        await asyncio.sleep(0.05)


async def gchild():
    while True:
        crunch_g()
        await asyncio.sleep(0)


async def gparent():
    kids = [asyncio.create_task(gchild(), name="g-child-%d" % i) for i in (1, 2)]
    await asyncio.gather(*kids)


async def main(seconds, nr_extra, steps):
    t0 = time.monotonic()
    a = asyncio.create_task(worker_a(steps), name="task-A")
    c_start = time.monotonic()
    tasks = [
        a,
        asyncio.create_task(worker_b(), name="task-B"),
        asyncio.create_task(sleeper(), name="task-C"),
        asyncio.create_task(gparent(), name="task-G"),
    ]
    tasks += [asyncio.create_task(sleeper(), name="idle-%d" % i) for i in range(nr_extra)]
    if steps > 0:
        await a
        print("elapsed %.6f" % (time.monotonic() - t0))
    else:
        await asyncio.sleep(seconds)
    for t in tasks:
        t.cancel()
    c_life = time.monotonic() - c_start
    await asyncio.gather(*tasks, return_exceptions=True)
    print("task-C life %.6f" % c_life)


if __name__ == "__main__":
    secs = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    extra = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    nsteps = int(sys.argv[3]) if len(sys.argv) > 3 else -1
    asyncio.run(main(secs, extra, nsteps))
