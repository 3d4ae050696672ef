"""At most one run per key and interval: the first change goes out at once, the
changes that follow within the interval are folded into one later run."""
import logging
import threading
import time

from .db import db

log = logging.getLogger(__name__)


class Throttle:
    """Run ``send(key)`` at most once per ``interval`` seconds per key (leading and
    trailing edge). ``interval`` 0 runs every time, synchronously (tests).

    ``cluster`` (a ``cluster.Cluster``, with several server processes): the interval
    holds for the whole deployment. A process that finds the key claimed by another
    one runs later itself, once the claim ran out, unless a run is already due: a
    change is never dropped, at worst announced twice.
    """

    def __init__(self, send, interval, wrap=None, cluster=None, name=None):
        self.send, self.interval, self.wrap, self.cluster = send, interval, wrap, cluster
        self.name = name or getattr(send, "__name__", "throttle")  # of the shared claims
        self._last, self._pending, self._lock = {}, set(), threading.Lock()

    def __call__(self, key):
        with self._lock:
            if key in self._pending:
                return  # the run that is due reads the state after this change
            wait = self._last.get(key, float("-inf")) + self.interval - time.monotonic()
            if wait <= 0:
                self._last[key] = time.monotonic()
        if wait <= 0:
            wait = self._claim(key)
        if wait > 0:
            self._later_in(key, wait)
        else:
            self._run(key)

    def _claim(self, key):
        if self.cluster is None or self.interval <= 0:
            return 0
        return self.cluster.claim(f"{self.name}:{key}", self.interval)

    def _later_in(self, key, wait):
        with self._lock:
            if key in self._pending:
                return
            self._pending.add(key)
        timer = threading.Timer(wait, self._later, (key,))
        timer.daemon = True
        timer.start()

    def _later(self, key):
        with self._lock:
            self._pending.discard(key)
            self._last[key] = time.monotonic()
        wait = self._claim(key)
        if wait > 0:  # another process sent meanwhile; ours follows its interval
            self._later_in(key, wait)
            return
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
