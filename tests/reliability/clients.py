"""Real network clients of a running server: a clerk/kiosk over HTTP, a board over Socket.IO."""
import queue
import threading
import time

import requests
import socketio

DISPLAY_NS = "/display"
PASSWORD = "demo"
#: Rates so high the security pass's per-client limits never bite a load test.
UNLIMITED = {"QUEUE_TICKET_RATE": "1000000/minute", "QUEUE_LOGIN_RATE": "1000000/minute",
             "QUEUE_LOGIN_MAX_FAILURES": "1000000"}


class Api:
    """One HTTP keep-alive session to ``base``; ``token`` when signed in as a clerk."""

    def __init__(self, base, username=None, timeout=10):
        self.base, self.timeout, self.http = base, timeout, requests.Session()
        if username:
            response = self.post("/api/v1/auth/token",
                                 json={"username": username, "password": PASSWORD})
            response.raise_for_status()
            self.http.headers["Authorization"] = "Bearer " + response.json()["token"]

    def post(self, path, **kwargs):
        return self.http.post(self.base + path, timeout=self.timeout, **kwargs)

    def issue(self, service, office=1):
        return self.post("/api/v1/tickets", json={"office": office, "service": service})

    def call_next(self, counter):
        return self.post(f"/api/v1/counters/{counter}/call-next")

    def act(self, ticket_id, action):
        """``start``, ``finish``, ``no-show``, ``recall`` ... on a ticket."""
        return self.post(f"/api/v1/tickets/{ticket_id}/{action}")

    def close(self):
        self.http.close()


class Board:
    """A waiting-room board: a python-socketio Client on /display that records what it hears.

    The client reconnects by itself (quickly, for tests) after the server dies.
    """

    def __init__(self, base, office=1):
        self.events = queue.Queue()
        self.seen = []
        self._lock = threading.Lock()
        self.client = socketio.Client(reconnection=True, reconnection_attempts=0,
                                      reconnection_delay=0.2, reconnection_delay_max=0.5,
                                      randomization_factor=0)
        for name in ("snapshot", "ticket_called"):
            self.client.on(name, self._recorder(name), namespace=DISPLAY_NS)
        self.client.connect(base, namespaces=[DISPLAY_NS], auth={"office": office},
                            transports=["websocket"], wait_timeout=10)

    def _recorder(self, name):
        def record(payload):
            self.events.put((name, payload, time.monotonic()))
        return record

    def wait_for(self, name, match=lambda payload: True, timeout=15, after=0.0):
        """The first ``name`` event received at or after ``after`` (monotonic) that matches."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                for event in self.seen:
                    if event[0] == name and event[2] >= after and match(event[1]):
                        return event[1]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {name} event within {timeout}s "
                                     f"(heard: {[e[0] for e in self.seen][-20:]})")
            try:
                event = self.events.get(timeout=remaining)
            except queue.Empty:
                continue
            with self._lock:
                self.seen.append(event)

    def close(self):
        self.client.disconnect()
