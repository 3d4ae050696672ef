"""Rate-limit counters in the process's memory (one server process).

limits' ``MemoryStorage`` (5.8) expires counters from a timer thread that a hit
restarts once it has run out. Two request threads can both find it run out and
start one and the same ``Timer`` twice: under the load test that logged "Exception
ignored in thread started by ... KeyError" now and then. Upstream fixed it (limits
pull request #352) after its last release; this is the same storage with the
restart under a lock. ``QUEUE_RATELIMIT_STORAGE_URI`` picks it by default
(``queue-memory://``); several processes share ``redis://`` instead.
"""
import threading

from limits.storage import MemoryStorage


class MemoryRateStorage(MemoryStorage):
    """limits' in-memory storage whose expiry timer is restarted by one thread at a time."""

    STORAGE_SCHEME = ["queue-memory"]

    def __init__(self, uri=None, wrap_exceptions=False, **options):
        self._timer_lock = threading.Lock()
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    def _MemoryStorage__schedule_expiry(self):  # limits' private hook, by its mangled name
        with self._timer_lock:
            if not self.timer.is_alive():
                self.timer = threading.Timer(0.01, self._MemoryStorage__expire_events)
                self.timer.start()
