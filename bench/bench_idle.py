"""Idle connections: thousands of boards and phones held open on one process.

Starts a real ``queue-server run --demo`` (gevent) on a temporary SQLite file,
connects BOARDS lean /display clients and PHONES /track clients (each following a
ticket of its own) from several loopback addresses (at most 250 per address, under
the per-address limit), then, with all of them held, times /healthz and ticket issues
from another address and another process: the clients holding the connections parse
every board message in their own event loop, and a timer sharing that loop would count
the time it waited for them. Prints the worker's RSS before and after, per connection, and
p50/p99/max of both requests. Everything stays on 127.0.0.0/8; the server is stopped
at the end.

    python bench/bench_idle.py [--boards 4000] [--phones 1000] [--requests 300]

Needs aiohttp (``pip install -e .[bench]``).
"""
import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import tempfile
import time

import aiohttp

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench.board_client import BoardClient  # noqa: E402
from bench.machine import describe  # noqa: E402
from tests.serving import ServerProcess  # noqa: E402

PER_ADDRESS = 250
BATCH = 100


def worker_pid(master):
    with open(f"/proc/{master}/task/{master}/children", encoding="ascii") as children:
        return int(children.read().split()[0])


def rss_mb(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def issue_tokens(base, count):
    connector = aiohttp.TCPConnector(local_addr=("127.0.0.9", 0), limit=20)
    async with aiohttp.ClientSession(connector=connector) as http:
        async def one():
            async with http.post(base + "/api/v1/tickets", json={"service": "A"}) as response:
                return (await response.json())["track_url"].rsplit("/", 1)[-1]
        tokens = []
        for start in range(0, count, BATCH):
            tokens += await asyncio.gather(*(one() for _ in range(min(BATCH, count - start))))
        return tokens


async def connect_all(base, boards, tokens):
    sessions, clients, gone = [], [], []
    total = boards + len(tokens)
    for index in range(0, total, PER_ADDRESS):
        address = f"127.0.{1 + index // (PER_ADDRESS * 200)}.{10 + (index // PER_ADDRESS) % 200}"
        sessions.append(aiohttp.ClientSession(connector=aiohttp.TCPConnector(
            local_addr=(address, 0), limit=0)))
    plans = [("/display", {"office": 1}) for _ in range(boards)]
    plans += [("/track", {"token": token}) for token in tokens]

    async def one(index, namespace, auth):
        client = BoardClient(sessions[index // PER_ADDRESS], base, namespace,
                             lambda name, payload: None, gone.append)
        await client.connect(auth)
        return client

    started = time.perf_counter()
    for start in range(0, total, BATCH):
        clients += await asyncio.gather(*(one(i, *plans[i])
                                          for i in range(start, min(start + BATCH, total))))
    return sessions, clients, gone, time.perf_counter() - started


async def timed_requests(base, count):
    connector = aiohttp.TCPConnector(local_addr=("127.0.0.8", 0))
    health, issue = [], []
    async with aiohttp.ClientSession(connector=connector) as http:
        for _ in range(count):
            started = time.perf_counter()
            async with http.get(base + "/healthz") as response:
                await response.read()
                assert response.status == 200
            health.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            async with http.post(base + "/api/v1/tickets", json={"service": "B"}) as response:
                await response.read()
                assert response.status == 201, response.status
            issue.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.01)
    return health, issue


def _timed_process(base, count, results):
    results.put(asyncio.run(timed_requests(base, count)))


def timed_elsewhere(base, count):
    """timed_requests in a process of its own (its loop runs nothing else)."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=_timed_process, args=(base, count, results), daemon=True)
    process.start()
    try:
        return results.get(timeout=count * 2 + 30)
    finally:
        process.join(5)
        if process.is_alive():
            process.kill()


async def loop_state(base):
    async with aiohttp.ClientSession() as http:
        async with http.get(base + "/healthz") as response:
            return (await response.json()).get("loop") or {}


async def main(boards, phones, requests):
    folder = tempfile.mkdtemp(prefix="bench-idle-")
    server = ServerProcess(folder, db_url=f"sqlite:///{folder}/bench.db",
                           env={"QUEUE_TICKET_RATE": "1000000/minute"}).start()
    try:
        pid = worker_pid(server.proc.pid)
        tokens = await issue_tokens(server.url, phones)
        before = rss_mb(pid)
        sessions, clients, gone, took = await connect_all(server.url, boards, tokens)
        await asyncio.sleep(2)
        after = rss_mb(pid)
        blocks_before = (await loop_state(server.url)).get("blocks_over_50ms", 0)
        # The held clients' loop must keep reading while the other process times.
        health, issue = await asyncio.get_running_loop().run_in_executor(
            None, timed_elsewhere, server.url, requests)
        loop = await loop_state(server.url)
        print(f"machine: {describe()}; "
              f"server: queue-server run (gevent, 1 worker), SQLite WAL; load generator on "
              f"the same machine")
        print(f"connected {len(clients)} ({boards} boards, {phones} phones) in {took:.1f} s; "
              f"dropped while held: {len(gone)}")
        print(f"worker RSS {before:.0f} MB -> {after:.0f} MB: "
              f"{(after - before) * 1024 / max(1, len(clients)):.1f} KB per connection")
        for name, values in (("/healthz", health), ("POST /api/v1/tickets", issue)):
            print(f"{name:>22}: n={len(values)} p50 {statistics.median(values):.1f} ms, "
                  f"p99 {percentile(values, 99):.1f} ms, max {max(values):.1f} ms")
        print(f"server's event loop while timed: "
              f"{loop.get('blocks_over_50ms', 0) - blocks_before} blocks over 50 ms; "
              f"longest block of the whole run {loop.get('max_block_ms', 0):.1f} ms")
        for client in clients:
            client.closing = True
        for session in sessions:
            await session.close()
    finally:
        server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boards", type=int, default=4000)
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=300)
    options = parser.parse_args()
    asyncio.run(main(options.boards, options.phones, options.requests))
