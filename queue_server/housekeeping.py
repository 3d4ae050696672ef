"""Daily operation without restarts: at each office's local midnight, close the day.

A daemon thread wakes every ``HOUSEKEEPING_S`` seconds and expires tickets of
earlier business days still waiting or called (counted as ``expired`` in the
statistics). Numbering restarts by itself: numbers are per local business day.
Idempotent, so several server processes may all run it.
"""
import logging
import threading

from .db import db
from .engine.clock import business_day
from .engine.tickets import expire_before
from .models import Office

log = logging.getLogger(__name__)


def close_past_days():
    """Expire every office's tickets left from earlier days; how many."""
    closed = 0
    with db.connection_context():
        for office in Office.select():
            closed += expire_before(office, business_day(office))
    return closed


def _loop(stop, interval):
    while not stop.wait(interval):
        try:
            closed = close_past_days()
            if closed:
                log.info("closed %s ticket(s) of past business days", closed)
        except Exception:  # noqa: BLE001 - retried next round; never kill the thread
            log.exception("closing past business days failed")


def init_app(app):
    """Close past days once now, then keep doing it in the background."""
    if not app.config.get("HOUSEKEEPING", True):
        return
    close_past_days()
    stop = threading.Event()
    thread = threading.Thread(target=_loop, args=(stop, app.config["HOUSEKEEPING_S"]),
                              name="housekeeping", daemon=True)
    thread.start()
    app.extensions["housekeeping"] = stop
