"""A board that converges as ``display/static/live.js`` does, and a Redis of the test's own."""
import os
import signal
import subprocess
import threading
import time

import socketio

from tests.serving import free_port

DISPLAY_NS = "/display"


class ConvergingBoard:
    """A /display client that applies snapshots and calls, and asks for a snapshot
    (``resync``) when a number is skipped, a sync beat is ahead, or the server says so."""

    def __init__(self, base, office=1):
        self.lock = threading.Lock()
        self.seq, self.shown, self.snapshots = None, set(), 0
        self.client = socketio.Client(reconnection=True, reconnection_attempts=0,
                                      reconnection_delay=0.2, reconnection_delay_max=0.5)
        on = lambda name, f: self.client.on(name, f, namespace=DISPLAY_NS)  # noqa: E731
        on("snapshot", self._snapshot)
        on("ticket_called", self._called)
        on("sync", self._sync)
        on("resync", lambda *_: self._resync())
        on("refresh", lambda *_: self._resync())
        self.client.connect(base, namespaces=[DISPLAY_NS], transports=["websocket"],
                            auth={"office": office, "recent": 20}, wait_timeout=10)

    def _resync(self):
        self.client.emit("resync", namespace=DISPLAY_NS)

    def _snapshot(self, state):
        with self.lock:
            self.seq = state["seq"]
            self.shown |= {c["number"] for c in state["current"] + state["recent"]}
            self.snapshots += 1

    def _called(self, call):
        with self.lock:
            if self.seq is not None and call["seq"] <= self.seq:
                return
            gap = self.seq is not None and call["seq"] > self.seq + 1
            self.seq = call["seq"]
            self.shown.add(call["number"])
        if gap:
            self._resync()

    def _sync(self, beat):
        with self.lock:
            behind = self.seq is not None and beat["seq"] > self.seq
        if behind:
            self._resync()

    def shows_all(self, numbers, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if set(numbers) <= self.shown:
                    return True
            time.sleep(0.05)
        return False

    def close(self):
        self.client.disconnect()


class OwnRedis:
    """``redis-server`` on a free loopback port, for killing and stopping on purpose."""

    def __init__(self, workdir):
        self.port, self.workdir, self.proc = free_port(), str(workdir), None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}"

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.workdir], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        import redis

        while time.monotonic() < deadline:
            try:
                redis.Redis(port=self.port, socket_timeout=0.5).ping()
                return self
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def pause(self):
        os.kill(self.proc.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.proc.pid, signal.SIGCONT)
