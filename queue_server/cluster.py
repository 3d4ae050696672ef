"""What the server processes of one deployment share through Redis, besides events.

With several processes (``QUEUE_MESSAGE_QUEUE=redis://...``) every process sees
only its own clients and its own share of the changes, while every emit reaches
all of them. Two small things keep them from each doing the same work:

- a *claim* per throttled update (``SET NX PX``): the waiting counts of an office
  go out at most once per interval from the whole deployment, not once per process;
- a *mark* per watched office: a supervisor dashboard, wherever it is connected,
  marks its office for a while; processes compute dashboards only for marked offices.

Without a Redis message queue (one process) there is no ``Cluster``; callers then
decide alone. A Redis failure never stops an update: a claim then succeeds and a
mark counts as present (the behaviour without this module).
"""
import logging
import time

log = logging.getLogger(__name__)

#: Seconds without asking Redis after a failure: each ask waits for its timeout.
PAUSE_AFTER_FAILURE_S = 5
#: How long this process believes a mark it found without asking again (every ticket
#: change asked Redis about its phones' rooms, a round trip each). An absent mark is
#: asked again each time: another process may set it at any moment.
MARK_SEEN_S = 60.0


class Cluster:
    """Claims and marks in the Redis of the message queue, under the Socket.IO channel's name.

    Redis calls have half-second timeouts, and after one fails none is made for
    ``PAUSE_AFTER_FAILURE_S`` seconds: a hung Redis costs one timeout, not one per change.
    """

    def __init__(self, url, prefix, timeout=0.5):
        import redis

        self.redis = redis.Redis.from_url(url, socket_timeout=timeout,
                                          socket_connect_timeout=timeout)
        self.prefix = prefix
        self._paused_until = 0.0
        self._seen = {}  # key -> (present, until)

    def _up(self):
        return time.monotonic() >= self._paused_until

    def _failed(self, what):
        self._paused_until = time.monotonic() + PAUSE_AFTER_FAILURE_S
        log.warning("%s failed; Redis is not asked for %s s", what, PAUSE_AFTER_FAILURE_S,
                    exc_info=True)

    def claim(self, key, interval):
        """0 when this process may send ``key``'s update now (nobody did for ``interval``
        seconds), else the seconds until the current claim runs out."""
        name = f"{self.prefix}:claim:{key}"
        if not self._up():
            return 0
        try:
            if self.redis.set(name, 1, nx=True, px=max(1, int(interval * 1000))):
                return 0
            left = self.redis.pttl(name)
        except Exception:  # noqa: BLE001 - Redis trouble: send, as one process would
            self._failed(f"claim of {name}")
            return 0
        return left / 1000 if left > 0 else 0.001  # gone meanwhile: try again at once

    def mark(self, key, ttl):
        """Mark ``key`` as wanted for ``ttl`` seconds (renew it to keep it)."""
        self._seen[key] = (True, time.monotonic() + MARK_SEEN_S)
        if not self._up():
            return
        try:
            self.redis.set(f"{self.prefix}:mark:{key}", 1, ex=ttl)
        except Exception:  # noqa: BLE001 - logged; marked() then errs on the safe side
            self._failed(f"mark of {key}")

    def marked(self, key):
        """Whether some process marked ``key`` and the mark has not run out."""
        now = time.monotonic()
        seen = self._seen.get(key)
        if seen is not None and seen[1] > now:
            return seen[0]
        if not self._up():
            return True
        try:
            present = bool(self.redis.exists(f"{self.prefix}:mark:{key}"))
        except Exception:  # noqa: BLE001 - when in doubt, do the work
            self._failed(f"mark check of {key}")
            return True
        if present:
            if len(self._seen) > 100_000:
                self._seen.clear()
            self._seen[key] = (True, now + MARK_SEEN_S)
        return present


def for_app(app):
    """The app's ``Cluster`` when its message queue is Redis, else None."""
    url = app.config.get("MESSAGE_QUEUE") or ""
    if not url.startswith(("redis://", "rediss://")):
        return None
    return Cluster(url, app.config.get("SOCKETIO_CHANNEL", "queue-server"))
