"""The admin's writes of opening hours: the weekly table, the last-ticket rule, closures.

One representation serves the admin form and the API (``GET|PUT
/api/v1/offices/{id}/hours``)::

    {"always_open": false,
     "days": {"mon": {"open": "07:30", "close": "17:00",
                      "break": {"start": "11:30", "end": "13:30"}},
              "sat": null, ...},            # null (or left out): closed that day
     "last_ticket": {"rule": "time", "time": "16:30"}}   # rule "", "estimate", "time"

Refusals carry a code and params (``day``, ``field``) so a form can put the
message beside the field it is about. Malformed input is InvalidInput:
``bad_time`` (not "HH:MM"), ``break_incomplete``, ``bad_last_ticket``, ``bad_day``,
``too_long``. Well-formed values that do not fit together are Conflicts (the API's
schema cannot say it): ``bad_order`` (open < break < close), ``never_open`` (no
open day), ``bad_last_ticket`` (the "time" rule without a time), ``bad_range``,
``closure_exists``.
"""
import json
from datetime import date, timedelta

from peewee import IntegrityError

from ..db import db
from ..errors import Conflict, InvalidInput, NotFound
from ..models import Closure
from . import audit
from .accounts import normalise_text
from .hours import DAYS, LAST_TICKET_RULES, is_hhmm, parse_hours
from .signals import publish_office

#: The longest run of days one closure request adds (Tết is about ten).
MAX_CLOSURE_DAYS = 31


def hours_of(office):
    """The office's opening hours in the representation above."""
    table = parse_hours(office.opening_hours)
    days = {}
    for day in DAYS:
        spans = sorted(table.get(day, []))
        days[day] = None if not spans else {
            "open": spans[0][0], "close": spans[-1][1],
            "break": {"start": spans[0][1], "end": spans[1][0]} if len(spans) > 1 else None}
    return {"always_open": not table, "days": days,
            "last_ticket": {"rule": office.last_ticket_rule or "",
                            "time": office.last_ticket_time or None}}


def _time(value, day, field):
    if value is None or value == "":
        return None
    if not is_hhmm(value):
        raise InvalidInput(f"{day} {field}: {value!r} is not a time written HH:MM (e.g. 07:30).",
                           code="bad_time", params={"day": day, "field": field})
    return value


def _day_spans(day, value):
    if value is None:
        return []
    if not isinstance(value, dict):
        raise InvalidInput(f"Opening hours of {day} must be an object or null.",
                           code="bad_time", params={"day": day, "field": "open"})
    opens, closes = _time(value.get("open"), day, "open"), _time(value.get("close"), day, "close")
    pause = value.get("break") or {}
    if not isinstance(pause, dict):
        raise InvalidInput(f"The break of {day} must be an object or null.",
                           code="bad_time", params={"day": day, "field": "break_start"})
    start = _time(pause.get("start"), day, "break_start")
    end = _time(pause.get("end"), day, "break_end")
    for name, given in (("open", opens), ("close", closes)):
        if given is None:
            raise InvalidInput(f"{day}: the {name} time is missing.", code="bad_time",
                               params={"day": day, "field": name})
    if (start is None) != (end is None):
        raise InvalidInput(f"{day}: a break needs its start and its end.",
                           code="break_incomplete",
                           params={"day": day, "field": "break_end" if end is None
                                   else "break_start"})
    times = [opens, start, end, closes] if start else [opens, closes]
    if any(a >= b for a, b in zip(times, times[1:])):
        raise Conflict(f"{day}: the office must open before its break, and close after it.",
                       code="bad_order", params={"day": day, "field": "close"})
    return [[opens, start], [end, closes]] if start else [[opens, closes]]


def week_json(always_open, days):
    """The ``opening_hours`` JSON of a weekly table, validated; '' when always open."""
    if always_open:
        return ""
    if not isinstance(days, dict) or set(days) - set(DAYS):
        raise InvalidInput("'days' maps mon..sun to opening hours (or null for closed).",
                           code="bad_time", params={"day": "mon", "field": "open"})
    table = {}
    for day in DAYS:
        spans = _day_spans(day, days.get(day))
        if spans:
            table[day] = spans
    if not table:
        raise Conflict("The office opens on no day: open at least one day, or choose "
                       "always open (close single days with closures).", code="never_open")
    return json.dumps(table, separators=(",", ":"))


def _last_ticket(value):
    value = value or {}
    rule, at = value.get("rule") or "", value.get("time") or ""
    if not isinstance(rule, str) or rule not in LAST_TICKET_RULES:
        raise InvalidInput("The last-ticket rule is \"\", \"estimate\" or \"time\".",
                           code="bad_last_ticket", params={"field": "rule"})
    if rule == "time" and not at:
        raise Conflict("The \"time\" rule needs the time of the last ticket.",
                       code="bad_last_ticket", params={"field": "time"})
    if rule == "time" and not is_hhmm(at):
        raise InvalidInput("The last-ticket time is written HH:MM (e.g. 16:30).",
                           code="bad_last_ticket", params={"field": "time"})
    return rule, at if rule == "time" else ""


def save_hours(office, *, always_open=False, days=None, last_ticket=None):
    """Replace the office's weekly table and last-ticket rule; returns ``hours_of``."""
    text = week_json(always_open, days or {})
    rule, at = _last_ticket(last_ticket)
    with db.atomic():
        before = hours_of(office)
        office.opening_hours, office.last_ticket_rule, office.last_ticket_time = text, rule, at
        office.save(only=[type(office).opening_hours, type(office).last_ticket_rule,
                          type(office).last_ticket_time])
        after = hours_of(office)
        audit.record("office.hours", office, **{k: [before[k], after[k]]
                                               for k in after if before[k] != after[k]})
    publish_office("office", office.id)
    return after


def closure_json(closure):
    """A closure as the API shows it."""
    return {"id": closure.id, "day": closure.day.isoformat(), "reason_vi": closure.reason_vi,
            "reason_en": closure.reason_en}


def closures(office, since=None):
    """The office's closures from local date ``since`` on (all when None), by day."""
    query = Closure.select().where(Closure.office == office)
    if since is not None:
        query = query.where(Closure.day >= since)
    return list(query.order_by(Closure.day))


def parse_day(value, what="day"):
    """A "YYYY-MM-DD" text as a date (years 1900-2999), else InvalidInput ``bad_day``."""
    try:
        day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is None or not 1900 <= day.year <= 2999:
        raise InvalidInput(f"'{what}' is a date written YYYY-MM-DD.", code="bad_day",
                           params={"field": what})
    return day


def add_closures(office, first, last=None, *, reason_vi="", reason_en=""):
    """Close the office on local days ``first`` .. ``last`` (inclusive; one day when
    ``last`` is None). Returns the new Closure rows; Conflict ``closure_exists``
    (nothing written) when one of the days is already closed."""
    last = last or first
    if last < first or (last - first).days >= MAX_CLOSURE_DAYS:
        raise Conflict(f"A closure runs forward, {MAX_CLOSURE_DAYS} days at most.",
                       code="bad_range", params={"field": "until"})
    reasons = dict(reason_vi=normalise_text(reason_vi, "The reason"),
                   reason_en=normalise_text(reason_en, "The reason"))
    if any(len(text) > 200 for text in reasons.values()):
        raise InvalidInput("A reason is 200 characters at most.", code="too_long",
                           params={"field": "reason_vi"})
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    try:
        with db.atomic():
            taken = (Closure.select().where((Closure.office == office) & Closure.day.in_(days))
                     .order_by(Closure.day).first())
            if taken is not None:
                raise _closed_already(taken.day)
            rows = [Closure.create(office=office, day=day, **reasons) for day in days]
            audit.record("office.closure_add", office, days=[d.isoformat() for d in days],
                         **reasons)
    except IntegrityError:  # another admin closed one of these days meanwhile
        raise _closed_already(first) from None
    publish_office("office", office.id)
    return rows


def _closed_already(day):
    return Conflict(f"The office is already closed on {day.isoformat()}.",
                    code="closure_exists", params={"day": day, "field": "day"})


def remove_closure(office, closure_id):
    """Reopen the office on a closed day (the Closure of ``office`` with that id)."""
    closure = Closure.get_or_none((Closure.id == closure_id) & (Closure.office == office))
    if closure is None:
        raise NotFound(f"Office {office.id} has no closure {closure_id}.")
    with db.atomic():
        audit.record("office.closure_remove", office, day=closure.day.isoformat())
        closure.delete_instance()
    publish_office("office", office.id)
    return closure
