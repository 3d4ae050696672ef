"""The engine's committed changes reach the screens from a dispatcher, not the request.

Building and sending what boards, phones and dashboards hear takes reads, a sequence
bump and a fan-out (through Redis with several processes). The request that committed
the change only queues it: the clerk's answer never waits for the fan-out, and a Redis
that hangs cannot hold a kiosk's ticket hostage. Each office has a lane (a queue and a
greenlet or thread) that keeps the order in which this process committed its changes
(a call reaches boards before its queue counts); offices do not wait for each other,
so one office's database and Redis round trips overlap another's.

``EVENTS_ASYNC`` (default on; off in the test config, whose in-process Socket.IO test
clients read events right after the request) chooses; the queue is bounded
(``EVENTS_QUEUE``, default 10,000): past it a change is dropped and logged, and the
screens' sync beat repairs them (docs/display.md).
"""
import logging
import queue

from .db import db
from .extensions import socketio

log = logging.getLogger(__name__)


def _office_of(kwargs):
    for name in ("ticket", "counter"):
        if kwargs.get(name) is not None:
            return kwargs[name].office_id
    return kwargs.get("office_id")


class Dispatcher:
    def __init__(self):
        self.enabled, self.size = False, 10000
        self.lanes, self.dropped = {}, 0
        self._wrapped = {}

    def configure(self, app):
        self.enabled = bool(app.config.get("EVENTS_ASYNC", True))
        self.size = int(app.config.get("EVENTS_QUEUE", 10000))

    def deferred(self, handler):
        """``handler`` as a signal receiver that runs in its office's lane (the same
        wrapper each time, so connecting it again for another app adds no receiver)."""
        if handler not in self._wrapped:
            def receive(sender, **kwargs):
                if self.enabled:
                    self.put(handler, sender, kwargs)
                else:
                    handler(sender, **kwargs)
            receive.__name__ = f"deferred_{handler.__name__}"
            self._wrapped[handler] = receive
        return self._wrapped[handler]

    def _lane(self, office_id):
        lane = self.lanes.get(office_id)
        if lane is None:  # started in the process that serves (after any fork)
            lane = self.lanes[office_id] = queue.Queue(self.size)
            socketio.start_background_task(self._run, lane)
        return lane

    def put(self, handler, sender, kwargs, office_id=None):
        office_id = _office_of(kwargs) if office_id is None else office_id
        try:
            self._lane(office_id).put_nowait((handler, sender, kwargs))
        except queue.Full:
            self.dropped += 1
            log.warning("event queue full: %s of %s dropped (%s so far); screens resync "
                        "on their next sync beat", sender, handler.__name__, self.dropped)

    def in_lane(self, function):
        """``function(office_id)`` run in that office's lane when dispatching is on (the
        throttled board counts: their fan-out then never interleaves with a call's)."""
        def run(office_id):
            if self.enabled:
                self.put(lambda key, **_: function(key), office_id, {}, office_id=office_id)
            else:
                function(office_id)
        run.__name__ = function.__name__
        return run

    def pending(self):
        return sum(lane.qsize() for lane in list(self.lanes.values()))

    def _run(self, lane):
        while True:
            handler, sender, kwargs = lane.get()
            try:
                with db.connection_context():
                    handler(sender, **kwargs)
            except Exception:  # noqa: BLE001 - one failed update must not stop the rest
                log.exception("%s after %s failed", handler.__name__, sender)


dispatcher = Dispatcher()


def for_app(app):
    """The wrapper that defers a signal handler, configured for ``app``."""
    dispatcher.configure(app)
    return dispatcher.deferred
