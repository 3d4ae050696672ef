"""Call-to-board latency: from the call-next request to ``ticket_called`` at every board.

Starts a real ``queue-server run --demo`` process (gevent) on a temporary SQLite
file, connects N boards over websockets to ``/display`` (``bench/raw_boards.py``:
one selector thread, at most 250 per loopback address, under the per-address
limit), then times ROUNDS calls under light clerk load (one call at a time, the
broadcasts of the previous one drained): t0 just before POST
/counters/1/call-next, t1 when each board read the event. Prints p50/p99/max per
board count and the ratio of the largest size's p99 to the smallest's.

    python bench/bench_board_latency.py [--sizes 20,500] [--rounds 40]

Everything stays on 127.0.0.0/8; the server is stopped at the end.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench.machine import describe  # noqa: E402
from bench.raw_boards import RawBoards  # noqa: E402
from tests.serving import ServerProcess  # noqa: E402

EVENT_TIMEOUT_S = 10    # a round fails rather than hangs


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Api:
    def __init__(self, base):
        self.base, self.http = base + "/api/v1", requests.Session()
        self.http.trust_env = False

    def post(self, path, token=None, json=None):
        headers = {"Authorization": "Bearer " + token} if token else {}
        response = self.http.post(self.base + path, json=json, headers=headers, timeout=10)
        if response.status_code >= 300:
            raise RuntimeError(f"POST {path}: {response.status_code} {response.text}")
        return response.json() if response.content else None


def measure(server, api, token, size, rounds, previous):
    """Latencies (ms) of ``rounds`` calls seen by ``size`` boards, and the last ticket id."""
    boards = RawBoards("127.0.0.1", server.port)
    boards.connect(size)
    latencies = []
    try:
        for _ in range(rounds):
            if previous:  # free counter 1 for the next call
                api.post(f"/tickets/{previous}/no-show", token)
            api.post("/tickets", json={"service": "A"})
            time.sleep(0.3)  # let those broadcasts drain: time the call alone
            started = time.perf_counter()
            body = api.post("/counters/1/call-next", token)
            number, previous = body["ticket"]["number"], body["ticket"]["id"]
            deadline = time.monotonic() + EVENT_TIMEOUT_S
            while not boards.heard_by_all(number):
                if time.monotonic() > deadline or boards.errors:
                    raise RuntimeError(f"{number}: heard by {len(boards.arrivals.get(number, []))}"
                                       f" of {size}; errors {boards.errors[:3]}")
                time.sleep(0.002)
            latencies += [(at - started) * 1000 for at in boards.arrivals[number]]
    finally:
        boards.close()
    return latencies, previous


def main(sizes, rounds):
    folder = tempfile.mkdtemp(prefix="bench-board-")
    # one client issues every ticket: lift the per-client kiosk limits
    server = ServerProcess(folder, db_url=f"sqlite:///{folder}/bench.db",
                           env={"QUEUE_TICKET_RATE": "1000000/minute"}).start()
    try:
        api = Api(server.url)
        token = api.post("/auth/token", json={"username": "clerk1", "password": "demo"})["token"]
        print(f"machine: {describe()}; server: queue-server run (gevent, 1 worker), "
              f"SQLite WAL; {rounds} calls per size")
        print(f"{'boards':>7} {'samples':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
        previous, p99 = None, {}
        for size in sizes:
            values, previous = measure(server, api, token, size, rounds, previous)
            p99[size] = percentile(values, 99)
            print(f"{size:>7} {len(values):>8} {statistics.median(values):>8.1f} "
                  f"{p99[size]:>8.1f} {max(values):>8.1f}", flush=True)
        if len(sizes) > 1:
            print(f"p99 at {sizes[-1]} / p99 at {sizes[0]}: {p99[sizes[-1]] / p99[sizes[0]]:.1f}x")
    finally:
        server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,500")
    parser.add_argument("--rounds", type=int, default=40)
    options = parser.parse_args()
    main([int(s) for s in options.sizes.split(",")], options.rounds)
