"""The wait a walk-in adds for booked citizens: the estimate's share of bookings.

A checked-in booking takes its place in line at its slot's start
(``line_time``). So a walk-in waits, beyond the replayed line, for the
booked citizens whose slot has begun by the walk-in's own place in line and who
have not checked in yet but still may (each counted by the service's show rate);
and the replayed line over-counts the booked tickets checked in early, whose slot
starts after the walk-in's place: they come after it. ``estimate`` adds
``extra_wait_s``; ``engine/simulate_bookings.py`` measures the estimate with and
without it.
"""
from datetime import timedelta

from peewee import fn

from ..db import db
from ..models import Ticket
from ..models.bookings import Booking, BookingSettings

#: The simulator turns it off to measure the estimate without bookings.
ENABLED = True
SHOW_DAYS = 28       # the weeks the show rate is learned from
PRIOR_SHOW = 0.9     # before a service has history: most booked citizens come
PRIOR_WEIGHT = 10
BOOKABLE_TTL = timedelta(seconds=60)
_bookable = {}  # (database, service id) -> (asked at, bookable)


def line_time():
    """A ticket's place in line: its slot's start when it is a checked-in booking (called
    at its slot ahead of walk-ins who came later), else when it was issued."""
    return fn.COALESCE(Ticket.slot_at, Ticket.issued_at)


def _is_bookable(service_id, at):
    key = (id(db.obj), service_id)
    cached = _bookable.get(key)
    if cached is not None and timedelta(0) <= at - cached[0] < BOOKABLE_TTL:
        return cached[1]
    found = (BookingSettings.select(BookingSettings.bookable)
             .where(BookingSettings.service == service_id).scalar())
    _bookable[key] = (at, bool(found))
    return bool(found)


def _booked_near(service_id, at):
    """Any booking of the service starting within a day of ``at`` (one probe of the
    (service, start_at, status) index). Both counts of ``booked_ahead`` need one: a
    pending booking starts today, and an early checked-in ticket's ``slot_at`` is its
    booking's start. Without it the count of early tickets scanned the whole waiting
    line on every issue (bench_api: 402/s at 400 waiting, 314/s at 4,000)."""
    return (Booking.select(Booking.id)
            .where((Booking.service == service_id)
                   & (Booking.start_at >= at - timedelta(days=1))
                   & (Booking.start_at <= at + timedelta(days=1)))
            .exists())


def show_rate(service_id, at):
    """The share of the service's past bookings that checked in (shrunk to a prior)."""
    rows = dict(Booking.select(Booking.status, fn.COUNT(Booking.id))
                .where((Booking.service == service_id)
                       & Booking.status.in_(("checked_in", "no_show"))
                       & (Booking.start_at >= at - timedelta(days=SHOW_DAYS))
                       & (Booking.start_at < at))
                .group_by(Booking.status).tuples())
    came, total = rows.get("checked_in", 0), sum(rows.values())
    return (came + PRIOR_SHOW * PRIOR_WEIGHT) / (total + PRIOR_WEIGHT)


def booked_ahead(service_id, line_at, at, after_min=None):
    """Expected booked citizens who will be called before a walk-in whose place in line
    is ``line_at``, beyond the waiting tickets the replay already counts (may be < 0)."""
    from . import bookings  # bookings -> tickets -> estimate -> here: imported when asked

    after_min = bookings.CHECK_IN_AFTER_MIN if after_min is None else after_min
    pending = (Booking.select().where(
        (Booking.service == service_id) & (Booking.status == "booked")
        & (Booking.start_at <= line_at)
        & (Booking.start_at >= at - timedelta(minutes=after_min))).count())
    early = (Ticket.select().where(
        (Ticket.service == service_id) & (Ticket.status == "waiting")
        & Ticket.slot_at.is_null(False) & (Ticket.slot_at > line_at)
        & (Ticket.issued_at <= at)).count())
    return (pending * show_rate(service_id, at) if pending else 0) - early


def extra_wait_s(service_id, at, *, per_ticket_s, line_at=None, priority=False):
    """Seconds to add to the replayed estimate of a walk-in (0 for a priority ticket,
    which comes before booked ones too). ``per_ticket_s()``: seconds one more
    citizen ahead adds (the service's pace over its open counters)."""
    if not ENABLED or priority or not _is_bookable(service_id, at):
        return 0
    if not _booked_near(service_id, at):  # no booking today: nothing to count
        return 0
    ahead = booked_ahead(service_id, line_at or at, at)
    return round(ahead * per_ticket_s()) if ahead else 0
