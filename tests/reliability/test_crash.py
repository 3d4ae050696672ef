"""SIGKILL in the middle of a busy morning: nothing acknowledged is lost or undone.

A real ``queue-server run`` process on a fresh SQLite file (and, in a second
run, a fresh PostgreSQL database) takes tickets from
kiosk threads and calls from clerk threads (call-next, start, finish) while a
board listens on /display. The process is killed with SIGKILL mid-stream and
restarted on the same port and file. Then: every ticket answered 201 exists
with its number; numbering continues without duplicates or gaps; what a clerk
was told is called (started, finished) still is; each ticket's event log
replays to its status; and the board, reconnecting by itself, gets a fresh
snapshot that matches the database and hears the next call.
"""
import random
import threading
import time

import requests

from tests.serving import ServerProcess

from .checks import Snapshot
from .clients import UNLIMITED, Api, Board

SERVICES = "ABCD"
COUNTERS = {1: "clerk1", 2: "clerk2", 3: "clerk3", 4: "clerk4"}
KIOSKS = 4
LOAD_S = 6          # at most this long under load before the kill
ENOUGH_ISSUED = 300  # ... or until this many tickets were issued


class Load:
    """Kiosk and clerk threads driving the server; what the server acknowledged."""

    def __init__(self, base, clerks):
        self.base, self.clerks = base, clerks
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.issued, self.called, self.started, self.finished = {}, set(), set(), set()
        self.failures = []  # (monotonic time, what) of anything but a clean answer
        self.threads = [threading.Thread(target=self._kiosk, args=(k,)) for k in range(KIOSKS)]
        self.threads += [threading.Thread(target=self._clerk, args=(c, api))
                         for c, api in clerks.items()]

    def run(self):
        for thread in self.threads:
            thread.start()

    def join(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=20)
        assert not any(t.is_alive() for t in self.threads)

    def _fail(self, what):
        with self.lock:
            self.failures.append((time.monotonic(), what))
        self.stop.wait(0.05)

    def _kiosk(self, seed):
        api, rng = Api(self.base, timeout=5), random.Random(seed)
        while not self.stop.is_set():
            try:
                response = api.issue(rng.choice(SERVICES))
            except requests.RequestException as exc:
                self._fail(f"issue: {type(exc).__name__}")
                continue
            if response.status_code != 201:
                self._fail(f"issue: HTTP {response.status_code}")
                continue
            body = response.json()
            with self.lock:
                self.issued[body["id"]] = body["number"]
        api.close()

    def _clerk(self, counter, api):
        while not self.stop.is_set():
            try:
                response = api.call_next(counter)
                if response.status_code == 204:
                    self.stop.wait(0.01)
                    continue
                if response.status_code != 200:
                    self._fail(f"call-next {counter}: HTTP {response.status_code}")
                    continue
                ticket_id = response.json()["ticket"]["id"]
                with self.lock:
                    self.called.add(ticket_id)
                for action, done in (("start", self.started), ("finish", self.finished)):
                    if api.act(ticket_id, action).status_code != 200:
                        self._fail(f"{action} {ticket_id}")
                        break
                    with self.lock:
                        done.add(ticket_id)
            except requests.RequestException as exc:
                self._fail(f"clerk {counter}: {type(exc).__name__}")


def free_counter(api, db_url, counter):
    """Finish whatever the counter still holds from before the crash."""
    snapshot = Snapshot(db_url)
    for tid, row in snapshot.tickets.items():
        if row.counter_id == counter and row.status in ("called", "serving"):
            if row.status == "called":
                assert api.act(tid, "start").status_code == 200
            assert api.act(tid, "finish").status_code == 200


def board_matches_database(snapshot_event, db_snapshot):
    """The board's snapshot shows the database's waiting counts and current calls."""
    tickets = db_snapshot.tickets.values()
    services = {1: "A", 2: "B", 3: "C", 4: "D"}  # demo ids, in creation order
    waiting = {code: 0 for code in SERVICES}
    for row in tickets:
        if row.status == "waiting":
            waiting[services[row.service_id]] += 1
    assert {row["service"]: row["waiting"] for row in snapshot_event["waiting"]} == waiting
    current = {row.number for row in tickets if row.status in ("called", "serving")}
    assert {call["number"] for call in snapshot_event["current"]} == current


def test_sigkill_mid_stream_loses_nothing(tmp_path, server_db_url):
    db_url = server_db_url
    server = ServerProcess(tmp_path, db_url=db_url, env=UNLIMITED).start()
    board = None
    try:
        clerks = {counter: Api(server.url, user, timeout=5) for counter, user in COUNTERS.items()}
        board = Board(server.url)
        board.wait_for("snapshot")
        load = Load(server.url, clerks)
        load.run()
        deadline = time.monotonic() + LOAD_S
        while time.monotonic() < deadline and len(load.issued) < ENOUGH_ISSUED:
            time.sleep(0.05)
        killed_at = time.monotonic()
        server.kill()  # SIGKILL to gunicorn and its worker, requests in flight
        load.join()
        before_kill = [what for at, what in load.failures if at < killed_at]
        assert not before_kill, before_kill
        print(f"before SIGKILL: {len(load.issued)} issued, {len(load.called)} called, "
              f"{len(load.finished)} finished, {len(load.failures)} failures after the kill")
        assert len(load.issued) >= 50 and len(load.finished) >= 10, \
            (len(load.issued), len(load.finished))  # the kill really was mid-stream

        restarted_at = time.monotonic()
        server.start()
        fresh = board.wait_for("snapshot", after=restarted_at, timeout=20)
        after = Snapshot(db_url)
        assert not after.errors(load.issued, load.called, load.started, load.finished)
        board_matches_database(fresh, after)

        # Numbering continues: each service's next numbers follow its last one.
        kiosk = Api(server.url)
        for code in SERVICES:
            for _ in range(3):
                response = kiosk.issue(code)
                assert response.status_code == 201, response.text
                load.issued[response.json()["id"]] = response.json()["number"]
        final = Snapshot(db_url)
        assert not final.errors(load.issued, load.called, load.started, load.finished)
        assert len(set(final.numbers().values())) == len(final.tickets)

        # The board hears a new call, as a citizen watching it would.
        free_counter(clerks[1], db_url, 1)
        response = clerks[1].call_next(1)
        assert response.status_code == 200, response.text
        number = response.json()["ticket"]["number"]
        board.wait_for("ticket_called", lambda call: call["number"] == number, after=restarted_at)
    finally:
        if board is not None:
            board.close()
        server.kill()
