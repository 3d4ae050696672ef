"""At most one run per key and interval: the first change goes out at once, the
changes that follow within the interval are folded into one later run."""
import logging
import threading
import time

from .db import db

log = logging.getLogger(__name__)


class Throttle:
    """Run ``send(key)`` at most once per ``interval`` seconds per key (leading and
    trailing edge). ``interval`` 0 runs every time, synchronously (tests)."""

    def __init__(self, send, interval, wrap=None):
        self.send, self.interval, self.wrap = send, interval, wrap
        self._last, self._pending, self._lock = {}, set(), threading.Lock()

    def __call__(self, key):
        with self._lock:
            wait = self._last.get(key, float("-inf")) + self.interval - time.monotonic()
            if wait > 0:
                if key not in self._pending:
                    self._pending.add(key)
                    timer = threading.Timer(wait, self._later, (key,))
                    timer.daemon = True
                    timer.start()
                return
            self._last[key] = time.monotonic()
        self._run(key)

    def _later(self, key):
        with self._lock:
            self._pending.discard(key)
            self._last[key] = time.monotonic()
        with db.connection_context():
            if self.wrap is not None:
                with self.wrap():
                    self._run(key)
            else:
                self._run(key)

    def _run(self, key):
        # Runs after the engine committed: a failure must not fail a clerk's action,
        # and the next change (or a reconnect's snapshot) repairs the screen.
        try:
            self.send(key)
        except Exception:  # noqa: BLE001 - logged
            log.exception("throttled update for %r failed", key)
