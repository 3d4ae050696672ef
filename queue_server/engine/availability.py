"""Whether a ticket can be issued now, and why not: hours, closures, last ticket, counters.

One place answers it for the ticket issue (``check_issue``, ``check_wait``), the
kiosk and the phone (``office_state``) and the admin's warnings (``unserved``).
Refusals are Conflicts with a code and params the screens translate:

- ``office_closed`` {"reopens_at": naive UTC or None, "closure": today's Closure or None}
- ``last_ticket_passed`` {"time": "16:30", "reopens_at"}: the "time" rule
- ``wait_past_closing`` {"wait_s", "closes_at"}: the "estimate" rule
- ``service_not_served`` {"service": code}: no active counter serves the service
"""
from datetime import time, timedelta

from ..db import Prepared
from ..errors import Conflict
from ..models import Counter, CounterService, Service
from . import hours
from .clock import iso, local

_SERVED = Prepared(lambda service_id, active, one: CounterService.select(CounterService.id)
                   .join(Counter).where((CounterService.service == service_id)
                                        & (Counter.active == active)).limit(one))


def is_served(service):
    """True when at least one active counter serves ``service`` (paused ones count:
    a pause ends)."""
    return bool(_SERVED.rows(service.id, True, 1))


def served_ids(office):
    """Ids of the office's services some active counter serves."""
    return {row[0] for row in CounterService.select(CounterService.service).join(Counter)
            .where((Counter.office == office) & Counter.active).tuples()}


def unserved(office):
    """The office's active services no active counter serves, by code."""
    served = served_ids(office)
    return [s for s in Service.select().where((Service.office == office) & Service.active)
            .order_by(Service.code) if s.id not in served]


def _closed(office, at):
    closure = hours.closure_on(office, local(office, at).date())
    reopens = hours.next_opening(office, at)
    return Conflict("The office is closed now; tickets are issued during opening hours.",
                    code="office_closed", params={"reopens_at": reopens, "closure": closure,
                                                  "break": hours.on_break(office, at)})


def check_issue(office, service, at):
    """Raise the Conflict that stops issuing a ticket of ``service`` at ``at`` (naive
    UTC), if any: closed, past the last-ticket time, or no counter serves it."""
    if not hours.is_open(office, at):
        raise _closed(office, at)
    if hours.past_last_ticket_time(office, at):
        raise Conflict(f"The last ticket of today was at {office.last_ticket_time}.",
                       code="last_ticket_passed",
                       params={"time": office.last_ticket_time,
                               "reopens_at": hours.next_opening(office, _tomorrow(office, at))})
    if not is_served(service):
        raise Conflict(f"No counter serves {service.code} now; no ticket is issued for it.",
                       code="service_not_served", params={"service": service.code})


def check_wait(office, at, wait_s):
    """Raise ``wait_past_closing`` when the "estimate" rule refuses a ticket whose
    estimated wait is ``wait_s`` (inside the issuing transaction: it rolls back)."""
    if hours.wait_runs_past_closing(office, at, wait_s):
        closes = hours.day_close(office, at)
        raise Conflict(f"The estimated wait ({wait_s // 60} min) runs past closing time "
                       f"({iso(closes)}); no more tickets today.",
                       code="wait_past_closing", params={"wait_s": wait_s, "closes_at": closes})


def _tomorrow(office, at):
    """The naive-UTC start of the local day after ``at``'s."""
    return hours.to_utc(office, local(office, at).date() + timedelta(days=1), time(0))


def office_state(office, at):
    """What the kiosk and the phone say about issuing at ``at`` (naive UTC):

    ``issuing`` (tickets are issued now), ``open`` (within opening hours),
    ``reason`` (None, "closed", "break" (the lunch break), "closure", "last_ticket"), ``closure`` (the Closure
    of today or None), ``reopens_at`` and ``closes_at`` (naive UTC or None),
    ``last_ticket_time`` ("HH:MM" under the "time" rule, else None),
    ``unserved`` (active services no counter serves), ``seconds_left`` (under the
    "estimate" rule: the open time left today, which a new ticket's wait must not pass;
    else None).
    """
    open_now = hours.is_open(office, at)
    closure = hours.closure_on(office, local(office, at).date())
    state = {"open": open_now, "issuing": open_now, "reason": None, "closure": closure,
             "reopens_at": None, "closes_at": hours.closing_at(office, at) if open_now else None,
             "last_ticket_time": office.last_ticket_time if hours.last_ticket_time(office)
             else None, "unserved": unserved(office),
             "seconds_left": hours.open_seconds_left(office, at)
             if office.last_ticket_rule == "estimate" and hours.weekly(office) else None}
    if not open_now:
        state["reason"] = ("closure" if closure is not None
                           else "break" if hours.on_break(office, at) else "closed")
        state["reopens_at"] = hours.next_opening(office, at)
    elif hours.past_last_ticket_time(office, at):
        state.update(issuing=False, reason="last_ticket",
                     reopens_at=hours.next_opening(office, _tomorrow(office, at)))
    if hours.weekly(office) is None and state["closes_at"] is not None:
        state["closes_at"] = None  # always open: midnight is no closing time to show
    return state


def past_closing(state, board):
    """The services of ``board`` (``offices.service_board`` rows) whose estimated wait
    runs past the open time left today under the "estimate" rule (``state`` from
    ``office_state``): the kiosk says so before a citizen asks for one."""
    left = state["seconds_left"]
    if left is None:
        return []
    return [row["service"] for row in board if (row["estimated_wait_s"] or 0) > left]
