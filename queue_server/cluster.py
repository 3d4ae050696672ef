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

log = logging.getLogger(__name__)


class Cluster:
    """Claims and marks in the Redis of the message queue, under the Socket.IO channel's name."""

    def __init__(self, url, prefix):
        import redis

        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix

    def claim(self, key, interval):
        """0 when this process may send ``key``'s update now (nobody did for ``interval``
        seconds), else the seconds until the current claim runs out."""
        name = f"{self.prefix}:claim:{key}"
        try:
            if self.redis.set(name, 1, nx=True, px=max(1, int(interval * 1000))):
                return 0
            left = self.redis.pttl(name)
        except Exception:  # noqa: BLE001 - Redis trouble: send, as one process would
            log.warning("claim of %s failed; sending anyway", name, exc_info=True)
            return 0
        return left / 1000 if left > 0 else 0.001  # gone meanwhile: try again at once

    def mark(self, key, ttl):
        """Mark ``key`` as wanted for ``ttl`` seconds (renew it to keep it)."""
        try:
            self.redis.set(f"{self.prefix}:mark:{key}", 1, ex=ttl)
        except Exception:  # noqa: BLE001 - logged; marked() then errs on the safe side
            log.warning("mark of %s failed", key, exc_info=True)

    def marked(self, key):
        """Whether some process marked ``key`` and the mark has not run out."""
        try:
            return bool(self.redis.exists(f"{self.prefix}:mark:{key}"))
        except Exception:  # noqa: BLE001 - when in doubt, do the work
            return True


def for_app(app):
    """The app's ``Cluster`` when its message queue is Redis, else None."""
    url = app.config.get("MESSAGE_QUEUE") or ""
    if not url.startswith(("redis://", "rediss://")):
        return None
    return Cluster(url, app.config.get("SOCKETIO_CHANNEL", "queue-server"))
