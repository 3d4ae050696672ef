"""Call-to-board latency: from the call-next request to ``ticket_called`` at every board.

Starts a real ``queue-server run --demo`` process (gevent) on a temporary SQLite
file, connects N lean Socket.IO boards over websockets to ``/display``
(``bench/board_client.py``, one asyncio loop, at most 250 per loopback address, under
the per-address limit), then times ROUNDS calls under light clerk load (one call at a
time, the broadcasts of the previous one drained): t0 just before POST
/counters/1/call-next, t1 when each board receives the event. Prints p50/p99/max per
board count and the ratio of the largest size's p99 to the smallest's.

    python bench/bench_board_latency.py [--sizes 20,500] [--rounds 40]

Needs aiohttp (``pip install -e .[bench]``). Everything stays on 127.0.0.0/8; the
server is stopped at the end.
"""
import argparse
import asyncio
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

CONNECT_BATCH = 50      # boards connecting at once (a room full of TVs switched on)
EVENT_TIMEOUT_S = 10    # a round fails rather than hangs
PER_ADDRESS = 250       # boards per loopback address (the server allows 300)


class Boards:
    """N connected boards; ``arrivals[number]`` collects when each board saw the call."""

    def __init__(self):
        self.clients, self.sessions = [], []
        self.arrivals = {}
        self.expected = 0
        self.done = {}

    async def connect(self, base, count):
        for start in range(0, count, CONNECT_BATCH):
            batch = [self._one(base, start + i) for i in range(min(CONNECT_BATCH, count - start))]
            self.clients += await asyncio.gather(*batch)
        self.expected = len(self.clients)

    def _session(self, index):
        while len(self.sessions) <= index // PER_ADDRESS:
            address = f"127.0.0.{20 + len(self.sessions)}"
            self.sessions.append(aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(local_addr=(address, 0), limit=0)))
        return self.sessions[index // PER_ADDRESS]

    def _event(self, name, call):
        if name != "ticket_called":
            return
        at = time.perf_counter()
        times = self.arrivals.setdefault(call["number"], [])
        times.append(at)
        if len(times) == self.expected and call["number"] in self.done:
            self.done[call["number"]].set()

    async def _one(self, base, index):
        client = BoardClient(self._session(index), base, "/display", self._event,
                             lambda reason: print("board gone:", reason))
        await client.connect({"office": 1})
        return client

    async def close(self):
        await asyncio.gather(*(c.disconnect() for c in self.clients), return_exceptions=True)
        for session in self.sessions:
            await session.close()


async def api(http, base, method, path, token=None, json=None):
    headers = {"Authorization": "Bearer " + token} if token else {}
    async with http.request(method, base + "/api/v1" + path, json=json,
                            headers=headers) as response:
        body = await response.json() if response.status != 204 else None
        if response.status >= 300:
            raise RuntimeError(f"{method} {path}: {response.status} {body}")
        return body


async def measure(base, size, rounds, http, token, previous=None):
    """Latencies (ms) of ``rounds`` calls seen by ``size`` boards, and the last ticket id."""
    boards = Boards()
    await boards.connect(base, size)
    latencies = []
    try:
        for _ in range(rounds):
            if previous:  # free counter 1 for the next call
                await api(http, base, "POST", f"/tickets/{previous}/no-show", token)
            await api(http, base, "POST", "/tickets", json={"service": "A"})
            await asyncio.sleep(0.3)  # let those broadcasts drain: time the call alone
            started = time.perf_counter()
            body = await api(http, base, "POST", "/counters/1/call-next", token)
            number, previous = body["ticket"]["number"], body["ticket"]["id"]
            event = boards.done.setdefault(number, asyncio.Event())
            if len(boards.arrivals.get(number, [])) < boards.expected:
                await asyncio.wait_for(event.wait(), EVENT_TIMEOUT_S)
            latencies += [(at - started) * 1000 for at in boards.arrivals[number]]
    finally:
        await boards.close()
    return latencies, previous


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def main(sizes, rounds):
    folder = tempfile.mkdtemp(prefix="bench-board-")
    # one client issues every ticket: lift the per-client kiosk limits
    server = ServerProcess(folder, db_url=f"sqlite:///{folder}/bench.db",
                           env={"QUEUE_TICKET_RATE": "1000000/minute"}).start()
    base = server.url
    try:
        async with aiohttp.ClientSession() as http:
            token = (await api(http, base, "POST", "/auth/token",
                               json={"username": "clerk1", "password": "demo"}))["token"]
            print(f"machine: {describe()}; server: queue-server run (gevent, 1 worker), "
                  f"SQLite WAL; {rounds} calls per size")
            print(f"{'boards':>7} {'samples':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
            previous, p99 = None, {}
            for size in sizes:
                values, previous = await measure(base, size, rounds, http, token, previous)
                p99[size] = percentile(values, 99)
                print(f"{size:>7} {len(values):>8} {statistics.median(values):>8.1f} "
                      f"{p99[size]:>8.1f} {max(values):>8.1f}", flush=True)
            if len(sizes) > 1:
                print(f"p99 at {sizes[-1]} / p99 at {sizes[0]}: "
                      f"{p99[sizes[-1]] / p99[sizes[0]]:.1f}x")
    finally:
        server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,500")
    parser.add_argument("--rounds", type=int, default=40)
    options = parser.parse_args()
    asyncio.run(main([int(s) for s in options.sizes.split(",")], options.rounds))
