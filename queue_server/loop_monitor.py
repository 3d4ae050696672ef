"""How long the event loop was blocked: one greenlet that asks to wake every 20 ms and
notes how late it woke. Under gevent a blocking call (a long SQLite query, CPU work)
stops every connection of the process for its duration; the load test reads the
worst figure from ``/healthz`` (docs/serving.md)."""
import logging
import time

log = logging.getLogger(__name__)

TICK_S = 0.02
#: A block this long is logged as it happens.
WARN_MS = 250
state = {"max_block_ms": 0.0, "blocks_over_50ms": 0, "running": False}


def _watch():
    import gevent

    while True:
        before = time.perf_counter()
        gevent.sleep(TICK_S)
        late_ms = (time.perf_counter() - before - TICK_S) * 1000
        if late_ms > 50:
            state["blocks_over_50ms"] += 1
        if late_ms > state["max_block_ms"]:
            state["max_block_ms"] = late_ms
        if late_ms > WARN_MS:
            log.warning("event loop blocked for %.0f ms", late_ms)


def start():
    """Start watching (once; only under gevent)."""
    import gevent

    if not state["running"]:
        state["running"] = True
        gevent.spawn(_watch)
