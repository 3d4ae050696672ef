"""A simulated day with bookings: how good is the walk-ins' estimate when booked
citizens are called at their slots?

The day of ``engine.simulate`` (same arrivals for the same seed), except that a
share of the citizens of the bookable services (A and B) booked a slot the day
before (the slot their arrival falls in, if it has room): they come around its
start (10 minutes early to 8 late), check in through ``bookings.check_in``, and
some never come (a no-show). Everything else goes through the real engine with
explicit ``at=`` times. ``correct=False`` turns off the estimate's share of
bookings (``booked_ahead.ENABLED``) to measure what it is worth.
"""
import random
import statistics
from datetime import date, datetime, timedelta

from ..errors import Conflict
from ..models import Service, Ticket
from . import booked_ahead, bookings, slots, tickets
from .simulate import UTC_OFFSET, Events, arrivals, build_office, desks_of, errors, play

BOOKABLE = ("A", "B")
SETTINGS = {"slot_minutes": 30, "capacity": 3, "days_ahead": 7, "hours_from": "07:30",
            "hours_to": "16:30", "cutoff_minutes": 30}
BOOKED_NO_SHOW = 0.1


def run(seed=1, n_tickets=800, n_counters=4, day=date(2025, 3, 3), share=0.2, correct=True):
    """Simulate the day; returns {"walk_ins": errors of their estimates, "booked": ...}."""
    booked_ahead.ENABLED = correct
    try:
        return _run(seed, n_tickets, n_counters, day, share)
    finally:
        booked_ahead.ENABLED = True


def _run(seed, n_tickets, n_counters, day, share):
    rnd = random.Random(seed)
    office = build_office(n_counters, name=f"Simulated office with bookings (seed {seed})")
    services = {s.code: s for s in Service.select().where(Service.office == office)}
    for code in BOOKABLE:
        slots.save_settings(services[code], bookable=True, **SETTINGS)
    day_before = datetime.combine(day - timedelta(days=1), datetime.min.time()) + \
        timedelta(hours=5)  # 12:00 local the day before
    events, made, missed = Events(), 0, 0
    for at, code, seconds, absent in arrivals(rnd, n_tickets, day):
        booked = code in BOOKABLE and rnd.random() < share and _book(services[code], at,
                                                                    day, day_before)
        if not booked:
            events.push(at, "arrive", (code, seconds, absent))
            continue
        made += 1
        if rnd.random() < BOOKED_NO_SHOW:
            missed += 1
            continue
        came = booked.start_at + timedelta(seconds=rnd.uniform(-600, 480))
        events.push(came, "check_in", (booked.code, code, seconds, absent))
    play(events, desks_of(office), lambda kind, subject, at: _arrive(office, kind, subject, at))
    return {"walk_ins": walk_in_errors(office), "booked": booked_waits(office),
            "bookings": made, "booked_no_shows": missed}


def _book(service, at, day, day_before):
    local = at + UTC_OFFSET
    start = f"{local.hour:02d}:{0 if local.minute < 30 else 30:02d}"
    try:
        return bookings.book(service, day, start, at=day_before)
    except Conflict:
        return None  # full, or no slot at that hour: the citizen walks in


def _arrive(office, kind, subject, at):
    if kind == "check_in":
        try:
            return bookings.check_in(subject[0], at=at)[1]
        except Conflict:
            pass  # outside the window: a walk-in after all
        return tickets.issue(office, subject[1], source="simulation", at=at)
    return tickets.issue(office, subject[0], source="simulation", at=at)


def walk_in_errors(office):
    """How far each walk-in's estimate at issue was from its real wait (seconds)."""
    found = errors(office, Ticket.source != "booked")
    found.pop("office", None)
    return found


def booked_waits(office):
    """Booked citizens: how many were called, and how long after their slot's start."""
    rows = [(t.called_at - t.slot_at).total_seconds() for t in Ticket.select().where(
        (Ticket.office == office) & (Ticket.source == "booked") & Ticket.called_at.is_null(False))]
    if not rows:
        return {"tickets": 0}
    return {"tickets": len(rows), "median_called_after_slot_s": statistics.median(rows),
            "mean_called_after_slot_s": round(statistics.fmean(rows), 1)}
