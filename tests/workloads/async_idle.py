"""asyncio tasks that never use CPU, for record --async --wall (tests/e2e/test_async_wall.py).

Usage: python async_idle.py SECONDS. Three tasks "waiter-N" loop on
`await asyncio.sleep(0.1)` (the line marked "idle await") while main sleeps
SECONDS; they are cancelled after. No task step runs long enough to be
sampled, so their tasks are found by the periodic look, not by a sample.
Prints "waiters life SECONDS" (from their creation to their cancel).
"""
import asyncio
import sys
import time


async def waiter():
    while True:
        await asyncio.sleep(0.1)  # idle await


async def main(seconds):
    start = time.monotonic()
    tasks = [asyncio.create_task(waiter(), name="waiter-%d" % i) for i in range(3)]
    await asyncio.sleep(seconds)
    for t in tasks:
        t.cancel()
    life = time.monotonic() - start
    await asyncio.gather(*tasks, return_exceptions=True)
    print("waiters life %.6f" % life)


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1]) if len(sys.argv) > 1 else 2.0))
