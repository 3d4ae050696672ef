"""Daily operation without restarts: at each office's local midnight, close the day.

A daemon thread wakes every ``HOUSEKEEPING_S`` seconds and expires tickets of
earlier business days still waiting or called (counted as ``expired`` in the
statistics). Numbering restarts by itself: numbers are per local business day.
Bookings too: one not checked in by the end of its window becomes a no-show, and
the name and phone of bookings older than ``BOOKING_KEEP_DAYS`` are erased
(docs/bookings.md). And one settled month at a time is summed for the reports
(engine/stats/rollup.py), so no round holds a serving process for long.
Idempotent, so several server processes may all run it.
"""
import logging
import threading
import time

from .db import db
from .engine import bookings
from .engine.clock import business_day
from .engine.stats import rollup
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


def close_bookings(after_min=None, keep_days=bookings.KEEP_DAYS):
    """(no-shows marked, bookings whose personal data was erased)."""
    with db.connection_context():
        return (bookings.close_missed(after_min=after_min),
                bookings.erase_personal_data(keep_days=keep_days))


def sum_settled_months(limit=1):
    """Sum up to ``limit`` settled months of the offices for the reports; how many."""
    with db.connection_context():
        # sleep(0) yields: to the other greenlets under gevent, the GIL under threads
        return rollup.build_due(limit=limit, pause=lambda: time.sleep(0))


def _loop(stop, interval, booking_options=None):
    while not stop.wait(interval):
        try:
            closed = close_past_days()
            if closed:
                log.info("closed %s ticket(s) of past business days", closed)
            missed, erased = close_bookings(**(booking_options or {}))
            if missed or erased:
                log.info("%s booking(s) became no-shows, %s erased", missed, erased)
            sum_settled_months()
        except Exception:  # noqa: BLE001 - retried next round; never kill the thread
            log.exception("closing past business days failed")


def init_app(app):
    """Close past days once now, then keep doing it in the background."""
    if not app.config.get("HOUSEKEEPING", True):
        return
    close_past_days()
    options = {"after_min": app.config["CHECK_IN_AFTER_MIN"],
               "keep_days": app.config["BOOKING_KEEP_DAYS"]}
    close_bookings(**options)
    stop = threading.Event()
    thread = threading.Thread(target=_loop, args=(stop, app.config["HOUSEKEEPING_S"], options),
                              name="housekeeping", daemon=True)
    thread.start()
    app.extensions["housekeeping"] = stop
