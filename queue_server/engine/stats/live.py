"""The supervisor's live dashboard: queues, counters and today's figures, as one snapshot."""
from peewee import fn

from ...models import Counter, Service, Ticket, User, utcnow
from .. import alerts as office_alerts
from ..tickets import ACTIVE_STATUSES
from ..clock import business_day, iso
from ..estimate import estimate_seconds
from .comments import comments
from .report import report

#: a queue longer than this raises an alert (config QUEUE_ALERT_QUEUE_LENGTH)
DEFAULT_ALERT_LENGTH = office_alerts.DEFAULT_QUEUE_LENGTH
#: the latest comments of the day the dashboard lists
DASHBOARD_COMMENTS = 8


def counter_state(counter):
    """"closed" (inactive or nobody signed in), "paused" or "open"."""
    if not counter.active or counter.clerk_id is None:
        return "closed"
    return "paused" if counter.paused else "open"


def snapshot(office, at=None, alert_length=DEFAULT_ALERT_LENGTH,
             called_after_s=office_alerts.DEFAULT_CALLED_MIN * 60):
    """Everything the dashboard shows, as plain JSON-able values.

    {"at", "day", "services": [{code, name, waiting, longest_wait_s, estimated_wait_s,
    target_wait_s, over_target, too_long, unserved}], "counters": [{id, number, name,
    state, clerk, ticket, ticket_id, ticket_status, busy_s}], "today": {served,
    wait_avg_s, wait_p90_s, ...}, "alerts": ``engine.alerts.for_office``, "unserved":
    [codes no active counter serves], "comments": today's latest rating comments}
    """
    at = at or utcnow()
    day = business_day(office, at)
    waiting = dict(((sid, (n, first)) for sid, n, first in
                    Ticket.select(Ticket.service, fn.COUNT(Ticket.id), fn.MIN(Ticket.issued_at))
                    .where((Ticket.office == office) & (Ticket.day == day)
                           & (Ticket.status == "waiting"))
                    .group_by(Ticket.service).tuples()))
    unserved = [s.code for s in office_alerts.unserved_services(office)]
    services = []
    for s in Service.select().where((Service.office == office) & Service.active) \
            .order_by(Service.code):
        n, first = waiting.get(s.id, (0, None))
        longest = _seconds(at, first) if first else 0
        row = {"code": s.code, "name": s.name_vi, "name_en": s.name_en, "waiting": n,
               "longest_wait_s": longest, "estimated_wait_s": estimate_seconds(s.id, n, at),
               "target_wait_s": s.target_wait_min * 60,
               "over_target": longest > s.target_wait_min * 60,
               "too_long": n > alert_length, "unserved": s.code in unserved}
        services.append(row)
    alerts = office_alerts.for_office(office, at, called_after_s=called_after_s,
                                      queue_length=alert_length)
    today = report(office, day, day, "service")["overall"]
    return {"office": office.id, "at": iso(at), "day": day.isoformat(),
            "services": services, "counters": _counters(office, at, day), "alerts": alerts,
            "unserved": unserved,
            "comments": comments(office, day, day, limit=DASHBOARD_COMMENTS),
            "today": {k: today[k] for k in ("issued", "served", "no_show", "wait_avg_s",
                                            "wait_p50_s", "wait_p90_s", "service_level")}}


def _counters(office, at, day):
    rows = []
    clerks = {u.id: u for u in User.select().where(User.office == office)}
    # One query on the (office, status, day) index for every counter's current ticket.
    current = {}
    for t in (Ticket.select().where((Ticket.office == office) & (Ticket.day == day)
                                    & Ticket.status.in_(ACTIVE_STATUSES))
              .order_by(Ticket.called_at)):
        current[t.counter_id] = t
    for c in Counter.select().where(Counter.office == office).order_by(Counter.number):
        ticket = current.get(c.id)
        clerk = clerks.get(c.clerk_id) or (c.clerk if c.clerk_id else None)
        since = (ticket.started_at or ticket.called_at) if ticket else None
        rows.append({"id": c.id, "number": c.number, "name": c.name,
                     "state": counter_state(c),
                     "clerk": (clerk.full_name or clerk.username) if clerk else None,
                     "ticket": ticket.number if ticket else None,
                     "ticket_id": ticket.id if ticket else None,
                     "ticket_status": ticket.status if ticket else None,
                     "busy_s": _seconds(at, since) if since else None})
    return rows


def _seconds(at, since):
    return max(0, round((at - since).total_seconds()))
