"""Opening hours: the weekly table with its lunch break, dated closures, last tickets.

The weekly table is the office's ``opening_hours`` JSON: for each day (``mon`` ..
``sun``) its open periods in local time, ``[["07:30", "11:30"], ["13:30", "17:00"]]``
(the gap between them is the lunch break). A day left out (or ``[]``) is closed;
an empty table means always open. A ``Closure`` row closes one local day whatever
the table says (public holidays, Tết). Writes are in ``engine/hours_admin.py``.

Times given and returned as datetimes are naive UTC, as every stored timestamp;
``open_periods`` speaks the office's local wall-clock time.
"""
import json
from datetime import datetime, time, timedelta, timezone

from ..db import Prepared
from ..errors import InvalidInput
from ..models import Closure
from .clock import local, zone

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: The one period of a day of an office without a weekly table.
WHOLE_DAY = (time(0, 0), time.max)
#: How far ``next_opening`` looks ahead (a year of closures is the worst case).
LOOKAHEAD_DAYS = 400
#: The last-ticket rules: never stop early, stop when the estimated wait runs past
#: closing time, stop at ``last_ticket_time``.
LAST_TICKET_RULES = ("", "estimate", "time")

_CLOSURE_ON = Prepared(lambda office_id, day: Closure.select().where(
    (Closure.office == office_id) & (Closure.day == day)))


def parse_hours(text):
    """The weekly table of ``opening_hours`` JSON as {day: [[start, end], ...]};
    '' means always open ({}). InvalidInput ``bad_hours`` when it is malformed."""
    if not text or not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InvalidInput(f"Opening hours are not valid JSON: {exc}", code="bad_hours") from None
    if not isinstance(data, dict) or set(data) - set(DAYS):
        raise InvalidInput("Opening hours must map mon..sun to lists of [\"HH:MM\", \"HH:MM\"].",
                           code="bad_hours")
    for day, spans in data.items():
        if not isinstance(spans, list):
            raise InvalidInput(f"Opening hours for {day} must be a list.", code="bad_hours")
        for span in spans:
            if (not isinstance(span, list) or len(span) != 2
                    or not all(is_hhmm(v) for v in span) or span[0] >= span[1]):
                raise InvalidInput(f"Opening hours for {day}: {span!r} is not "
                                   "[\"HH:MM\", \"HH:MM\"].", code="bad_hours")
    return data


def is_hhmm(value):
    """True for a 24-hour "HH:MM" text such as "07:30"."""
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        return False
    hh, mm = value[:2], value[3:]
    return hh.isdigit() and mm.isdigit() and int(hh) < 24 and int(mm) < 60


def to_time(hhmm):
    """ "07:30" -> time(7, 30)."""
    return time(int(hhmm[:2]), int(hhmm[3:]))


def weekly(office):
    """{weekday 0..6: [(time, time), ...]} of the office's table, or None (always open)."""
    table = parse_hours(office.opening_hours)
    if not table:
        return None
    return {i: sorted((to_time(a), to_time(b)) for a, b in table.get(day, []))
            for i, day in enumerate(DAYS)}


def closure_on(office, day):
    """The office's Closure of local date ``day``, or None."""
    found = _CLOSURE_ON.models(Closure, office.id, day)
    return found[0] if found else None


def _closures(office, first, last):
    return {c.day: c for c in Closure.select().where(
        (Closure.office == office) & (Closure.day >= first) & (Closure.day <= last))}


def _periods(table, day, closed):
    if day in closed:
        return []
    return [WHOLE_DAY] if table is None else list(table[day.weekday()])


def open_periods(office, day):
    """The office's open periods on local date ``day``: [(start, end)] as local
    ``datetime.time`` values, in order; [] on a closed weekday or a closure. An
    office without a weekly table is open the whole day: (00:00, time.max)."""
    closed = {day} if closure_on(office, day) is not None else set()
    return _periods(weekly(office), day, closed)


def _inside(moment, start, end):
    return start <= moment < end or (end == time.max and moment >= start)


def is_open(office, at_utc):
    """True when the office is open (issues tickets) at the naive-UTC ``at_utc``."""
    moment = local(office, at_utc)
    return any(_inside(moment.time(), start, end)
               for start, end in open_periods(office, moment.date()))


def to_utc(office, day, clock):
    """Local date ``day`` at local ``clock`` (``time.max``: the next midnight), naive UTC."""
    if clock == time.max:  # the end of the day: the next midnight
        day, clock = day + timedelta(days=1), time(0)
    aware = datetime.combine(day, clock, zone(office))
    return aware.astimezone(timezone.utc).replace(tzinfo=None)


def _spans(office, at_utc, days):
    """(start_utc, end_utc) of the open periods from the local day of ``at_utc`` on,
    ``days`` days long, in order."""
    first = local(office, at_utc).date()
    table, closed = weekly(office), _closures(office, first, first + timedelta(days=days))
    for offset in range(days + 1):
        day = first + timedelta(days=offset)
        for start, end in _periods(table, day, closed):
            yield to_utc(office, day, start), to_utc(office, day, end)


def next_opening(office, at_utc):
    """The first moment at or after ``at_utc`` when the office is open, as a naive-UTC
    datetime: ``at_utc`` itself while it is open, else when it reopens (after the
    lunch break, tomorrow morning, after the holidays). None when it opens on no day
    of the next ``LOOKAHEAD_DAYS``."""
    for start, end in _spans(office, at_utc, LOOKAHEAD_DAYS):
        if end > at_utc:
            return max(start, at_utc)
    return None


def on_break(office, at_utc):
    """True in a break of the day (between two open periods), e.g. the lunch break."""
    spans = list(_spans(office, at_utc, 0))
    return (not any(start <= at_utc < end for start, end in spans)
            and any(end <= at_utc for _, end in spans) and any(start > at_utc for start, _ in spans))


def closing_at(office, at_utc):
    """When the current open period ends (naive UTC: the lunch break or the evening),
    or None while closed."""
    for start, end in _spans(office, at_utc, 1):
        if start <= at_utc < end:
            return end
    return None


def day_close(office, at_utc):
    """The naive-UTC end of the last open period of the local day of ``at_utc``, or
    None on a closed day."""
    ends = [end for _, end in _spans(office, at_utc, 0)]
    return max(ends) if ends else None


def open_seconds_left(office, at_utc):
    """Seconds the office is still open today after ``at_utc`` (lunch break not
    counted): the time its counters have left to call a ticket issued now."""
    total = 0.0
    for start, end in _spans(office, at_utc, 0):
        if end > at_utc:
            total += (end - max(start, at_utc)).total_seconds()
    return total


def last_ticket_time(office):
    """The local ``time`` of the office's last ticket under the "time" rule, else None."""
    if office.last_ticket_rule == "time" and is_hhmm(office.last_ticket_time):
        return to_time(office.last_ticket_time)
    return None


def past_last_ticket_time(office, at_utc):
    """True when the "time" rule stops tickets at ``at_utc`` (the rest of the day)."""
    stop = last_ticket_time(office)
    return stop is not None and local(office, at_utc).time() >= stop


def wait_runs_past_closing(office, at_utc, wait_s):
    """True when the "estimate" rule refuses a ticket whose estimated wait is ``wait_s``:
    the office's open time left today (lunch break not counted) is shorter."""
    if office.last_ticket_rule != "estimate" or wait_s is None:
        return False
    if weekly(office) is None:
        return False  # always open: there is no closing time to run past
    return wait_s > open_seconds_left(office, at_utc)
