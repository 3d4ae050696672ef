"""Ticket issues per second through the HTTP API, and call-next latency, on SQLite.

Starts a real ``queue-server run`` process (gunicorn threads) on a fresh SQLite
file in a temp folder, then:
1. 8 client threads issue tickets over keep-alive HTTP, in batches; each batch's
   rate is printed with the queue length it started from (the wait estimate
   handed out with every ticket replays the whole waiting line), then the rate
   over all of them;
2. 4 clerk threads (one per demo counter) call-next, then no-show, until the
   queue is empty, timing each call-next request.
Bounded in count, loopback only. Usage: python bench/bench_api.py [--issues 4000]
"""
import argparse
import http.client
import json
import os
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from tests.serving import ServerProcess  # noqa: E402


def pct(values, p):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered)) - 1))]


class Client:
    def __init__(self, port, token=None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = "Bearer " + token

    def post(self, path, body=None):
        self.conn.request("POST", path, body=json.dumps(body or {}), headers=self.headers)
        response = self.conn.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if data else None)


def issue_phase(port, total, clients=8):
    errors, latencies = [], []
    per_client = total // clients

    def run(i):
        client = Client(port)
        for n in range(per_client):
            start = time.perf_counter()
            status, _ = client.post("/api/v1/tickets", {"service": "ABCD"[(i + n) % 4]})
            latencies.append(time.perf_counter() - start)
            if status != 201:
                errors.append(status)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return per_client * clients / elapsed, latencies, errors, elapsed


def call_phase(port, tokens):
    """One clerk per demo counter, each with their own token (a clerk acts only at
    the counter they are signed in to)."""
    latencies, errors = [], []

    def clerk(counter_id):
        client = Client(port, tokens[counter_id])
        while True:
            start = time.perf_counter()
            status, body = client.post(f"/api/v1/counters/{counter_id}/call-next")
            latencies.append(time.perf_counter() - start)
            if status == 204:
                return
            if status != 200:
                errors.append(status)
                return
            client.post(f"/api/v1/tickets/{body['ticket']['id']}/no-show")

    threads = [threading.Thread(target=clerk, args=(c,)) for c in (1, 2, 3, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--issues", type=int, default=4000)
    parser.add_argument("--batch", type=int, default=400)
    args = parser.parse_args()
    # The per-client rate limits protect a public kiosk; a benchmark is one client.
    unlimited = {"QUEUE_TICKET_RATE": "1000000/minute", "QUEUE_LOGIN_RATE": "1000/minute"}
    with tempfile.TemporaryDirectory() as tmp, ServerProcess(tmp, env=unlimited) as server:
        issue_lat, issue_err, issued, issuing_s = [], [], 0, 0.0
        while issued < args.issues:
            rate, latencies, errors, elapsed = issue_phase(server.port, args.batch)
            issuing_s += elapsed
            print(f"  {issued:5d} waiting -> {issued + args.batch:5d}: {rate:.0f} issues/s, "
                  f"p50 {pct(latencies, 50) * 1000:.1f} ms, p99 {pct(latencies, 99) * 1000:.1f} ms")
            issue_lat += latencies
            issue_err += errors
            issued += args.batch
        tokens = {n: Client(server.port).post("/api/v1/auth/token", {
            "username": f"clerk{n}", "password": "demo"})[1]["token"] for n in (1, 2, 3, 4)}
        call_lat, call_err = call_phase(server.port, tokens)
        if issue_err or call_err:  # say what failed, and what the server logged
            print(f"error statuses: issue {sorted(issue_err)}, call-next {sorted(call_err)}")
            print("\n".join(line for line in server.output().splitlines()
                            if "Error" in line or "error" in line)[-3000:])
    ms = lambda v: f"{v * 1000:.1f} ms"  # noqa: E731
    print(f"issue: {issued} tickets by 8 clients in {issuing_s:.2f} s: "
          f"{issued / issuing_s:.0f} issues/s, p50 {ms(pct(issue_lat, 50))}, "
          f"p99 {ms(pct(issue_lat, 99))}, errors {len(issue_err)}")
    print(f"call-next: {len(call_lat)} calls by 4 clerks: p50 {ms(pct(call_lat, 50))}, "
          f"p99 {ms(pct(call_lat, 99))}, mean {ms(statistics.mean(call_lat))}, "
          f"errors {len(call_err)}")


if __name__ == "__main__":
    main()
