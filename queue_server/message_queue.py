"""The Redis message queue that joins several server processes, kept off the requests.

python-socketio's ``RedisManager`` delivers an emit to this process's clients at once,
then publishes it for the others, inline, retrying once. With Redis hung that held the
emitting request for its socket timeouts (26 s measured); with Redis gone, messages
were lost and nobody ever told the screens. Here:

- publishing goes through a bounded outbox (``OUTBOX``) emptied by a background task
  with its own connection and short timeouts; while Redis is unreachable messages are
  dropped (counted), not queued for a replay of stale calls;
- when publishing works again after a failure, this process broadcasts ``resync`` to
  every screen of the deployment: each asks for a fresh snapshot;
- when the listening side resubscribes after a failure (it retries every 1-2 s, not
  up to 60 s), this process tells its own screens to resync: whatever the others
  published meanwhile never reached it;
- ``problem()`` says what is wrong, for ``/healthz``.
"""
import collections
import logging
import threading
import time

import socketio

log = logging.getLogger(__name__)

OUTBOX = 5000
NAMESPACES = ("/display", "/track", "/supervisor")


class QueueRedisManager(socketio.RedisManager):
    def __init__(self, url, channel, timeout=0.5):
        super().__init__(url, channel=channel,
                         redis_options={"socket_connect_timeout": timeout,
                                        "socket_keepalive": True})
        self.timeout = timeout
        self.outbox = collections.deque(maxlen=OUTBOX)
        self.dropped, self.failing_since, self.listen_failing_since = 0, None, None
        self._wake = threading.Event()
        self._publisher, self._publishing = None, False

    def _publish(self, data):
        if not self._publishing:  # on the first message, in the process that serves
            self._publishing = True
            self.server.start_background_task(self._publish_loop)
        if len(self.outbox) == self.outbox.maxlen:
            self.dropped += 1
        self.outbox.append(data)
        self._wake.set()

    def problem(self):
        """None when Redis carries messages both ways, else why not (for /healthz)."""
        if self.failing_since is not None:
            return f"message queue unreachable for publishing since {_ago(self.failing_since)}"
        if self.listen_failing_since is not None:
            return f"message queue unreachable for listening since {_ago(self.listen_failing_since)}"
        return None

    def _client(self):
        if self._publisher is None:
            self._publisher = self._get_redis_module().Redis.from_url(
                self.redis_url, socket_timeout=self.timeout,
                socket_connect_timeout=self.timeout)
        return self._publisher

    def _publish_loop(self):
        while True:
            if not self.outbox:
                self._wake.wait(1.0)
                self._wake.clear()
                continue
            message = self.outbox.popleft()
            try:
                self._client().publish(self.channel, self.json.dumps(message))
            except Exception as exc:  # noqa: BLE001 - Redis down or hung: drop, say so
                self._failed(exc)
                continue
            if self.failing_since is not None:
                self._recovered()

    def _failed(self, exc):
        self.dropped += 1 + len(self.outbox)
        self.outbox.clear()  # stale calls are not replayed; screens resync instead
        if self.failing_since is None:
            self.failing_since = time.time()
            log.error("message queue: cannot publish (%s); screens of other processes "
                      "miss this one's messages until it is back", exc)
        self._publisher = None
        self.server.sleep(1.0)

    def _recovered(self):
        log.warning("message queue: publishing again after %s (%s messages dropped); "
                    "every screen resyncs", _ago(self.failing_since), self.dropped)
        self.failing_since = None
        for namespace in NAMESPACES:
            self.emit("resync", {}, namespace=namespace)

    def _redis_listen_with_retries(self):
        subscribed = False
        while True:
            try:
                if not subscribed:
                    self._redis_connect()
                    self.pubsub.subscribe(self.channel)
                    subscribed = True
                    if self.listen_failing_since is not None:
                        log.warning("message queue: listening again after %s; this "
                                    "process's screens resync",
                                    _ago(self.listen_failing_since))
                        self.listen_failing_since = None
                        for namespace in NAMESPACES:
                            self.emit("resync", {}, namespace=namespace, ignore_queue=True)
                yield from self.pubsub.listen()
            except Exception as exc:  # noqa: BLE001 - retried every 1-2 s
                if self.listen_failing_since is None:
                    self.listen_failing_since = time.time()
                    log.error("message queue: cannot listen (%s); retrying", exc)
                subscribed = False
                self.server.sleep(1.0 + (self.listen_failing_since % 1))


def _ago(since):
    return f"{time.time() - since:.0f} s"


def manager_for(app):
    """The Socket.IO client manager for the app's ``MESSAGE_QUEUE``: ours for Redis,
    python-socketio's for other brokers, an in-memory one without (a fresh one per app:
    Flask-SocketIO would keep the previous app's)."""
    url = app.config.get("MESSAGE_QUEUE")
    channel = app.config["SOCKETIO_CHANNEL"]
    if not url:
        return socketio.Manager()
    if url.startswith(("redis://", "rediss://")):
        return QueueRedisManager(url, channel, timeout=app.config.get("REDIS_TIMEOUT_S", 0.5))
    return socketio.KombuManager(url, channel=channel)
