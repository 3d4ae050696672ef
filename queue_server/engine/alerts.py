"""What a supervisor must look at now: the office's alerts, plain values, no Flask.

Each alert is ``{"kind", "since", ...}`` (``since``: when the situation began, ISO
UTC); the words are the screens' (``queue_server.alert_text``). Kinds:

- ``wait_over_target``: a service's longest wait is past its target wait;
- ``queue_length``: more people wait for a service than the configured length;
- ``called_not_started``: a ticket called ``called_after_s`` ago is neither started
  nor finished (the citizen may not have come: recall or no-show it);
- ``counter_closed_with_ticket``: a counter closed, paused or left by its clerk still
  holds a ticket (release it to the line from the dashboard);
- ``unserved_waiting``: people wait for a service that no open counter serves (no
  counter serves it at all, or none of them is open);
- ``printer_problem``: a printer's latest print job of the day failed after every
  retry, or a job has waited ``print_stuck_s`` to be printed (offline, out of paper,
  jammed).
"""
from datetime import timedelta

from peewee import fn

from ..models import Counter, CounterService, Printer, PrintJob, Service, Ticket, utcnow
from .clock import business_day, iso, stored
from .tickets import ACTIVE_STATUSES

#: Minutes a called ticket may stay only "called" (config QUEUE_ALERT_CALLED_MIN).
DEFAULT_CALLED_MIN = 5
#: A queue longer than this raises an alert (config QUEUE_ALERT_QUEUE_LENGTH).
DEFAULT_QUEUE_LENGTH = 15
#: A print job pending this long is a printer problem.
PRINT_STUCK_S = 120
KINDS = ("wait_over_target", "queue_length", "called_not_started",
         "counter_closed_with_ticket", "unserved_waiting", "printer_problem")


def is_open(counter):
    """A counter that can call now: active, not paused, a clerk signed in."""
    return counter.active and not counter.paused and counter.clerk_id is not None


def unserved_services(office):
    """Active services of the office that no active counter is assigned to, by code."""
    served = (CounterService.select(CounterService.service)
              .join(Counter).where(Counter.active & (Counter.office == office)))
    return list(Service.select().where((Service.office == office) & Service.active
                                       & Service.id.not_in(served)).order_by(Service.code))


def for_office(office, at=None, **limits):
    """Every alert of the office now, most urgent kinds first (``for_offices``'s
    keyword arguments)."""
    return for_offices([office], at, **limits)[office.id]


def for_offices(offices, at=None, *, called_after_s=DEFAULT_CALLED_MIN * 60,
                queue_length=DEFAULT_QUEUE_LENGTH, print_stuck_s=PRINT_STUCK_S):
    """{office id: every alert of that office now, most urgent kinds first}.

    A fixed number of queries however many offices (a region's overview rolls up a
    hundred offices once a second): each kind is read for all of them at once.
    """
    at = at or utcnow()
    ids = [o.id for o in offices]
    found = {i: {"queues": [], "counters": [], "printers": []} for i in ids}
    if not ids:
        return {}
    counters = list(Counter.select().where(Counter.office.in_(ids)).order_by(Counter.number))
    by_id = {c.id: c for c in counters}
    by_day = {}
    for office in offices:
        by_day.setdefault(business_day(office, at), []).append(office.id)
    for day, day_ids in by_day.items():
        for office_id, alert in _queues(day_ids, day, at, counters, queue_length):
            found[office_id]["queues"].append(alert)
        for office_id, alert in _printers(day_ids, day, at, print_stuck_s):
            found[office_id]["printers"].append(alert)
    for office_id, alert in _counters(ids, at, by_id, called_after_s):
        found[office_id]["counters"].append(alert)
    return {i: kinds["queues"] + kinds["counters"] + kinds["printers"]
            for i, kinds in found.items()}


def _queues(office_ids, day, at, counters, queue_length):
    waiting = {sid: (n, first) for sid, n, first in
               Ticket.select(Ticket.service, fn.COUNT(Ticket.id), fn.MIN(Ticket.issued_at))
               .where(Ticket.office.in_(office_ids) & (Ticket.day == day)
                      & (Ticket.status == "waiting"))
               .group_by(Ticket.service).tuples()}
    open_ids = {c.id for c in counters if is_open(c)}
    links = {}
    for service_id, counter_id in (CounterService.select(CounterService.service,
                                                         CounterService.counter)
                                   .where(CounterService.service.in_(list(waiting) or [0]))
                                   .tuples()):
        links.setdefault(service_id, []).append(counter_id)
    alerts = []
    for s in Service.select().where(Service.id.in_(list(waiting) or [0])).order_by(Service.code):
        n, first = waiting[s.id]
        first = stored(first)  # SQLite answers MIN() as text
        longest, target = _seconds(at, first), s.target_wait_min * 60
        base = {"service": s.code, "service_name": s.name_vi, "service_name_en": s.name_en}
        assigned = links.get(s.id, [])
        if not any(c in open_ids for c in assigned):
            alerts.append((s.office_id, {"kind": "unserved_waiting", "since": iso(first),
                                         "value": n, "assigned": bool(assigned), **base}))
        if longest > target:
            alerts.append((s.office_id, {"kind": "wait_over_target", "since": iso(
                first + timedelta(seconds=target)), "value": longest, "limit": target,
                **base}))
        if n > queue_length:
            alerts.append((s.office_id, {"kind": "queue_length", "since": iso(first),
                                         "value": n, "limit": queue_length, **base}))
    return alerts


def _counters(office_ids, at, by_id, called_after_s):
    alerts = []
    for t in (Ticket.select().where(Ticket.office.in_(office_ids)
                                    & Ticket.status.in_(ACTIVE_STATUSES))
              .order_by(Ticket.called_at)):
        counter = by_id.get(t.counter_id)
        if counter is None:
            continue
        base = {"ticket": t.id, "number": t.number, "counter": counter.number,
                "counter_id": counter.id, "status": t.status}
        if not is_open(counter):
            state = ("closed" if not counter.active else "paused" if counter.paused
                     else "signed_out")
            alerts.append((t.office_id, {"kind": "counter_closed_with_ticket",
                                         "since": iso(t.called_at), "state": state, **base}))
        elif t.status == "called" and _seconds(at, t.called_at) >= called_after_s:
            alerts.append((t.office_id, {"kind": "called_not_started",
                                         "since": iso(t.called_at),
                                         "value": _seconds(at, t.called_at),
                                         "limit": called_after_s, **base}))
    return alerts


def _printers(office_ids, day, at, print_stuck_s):
    """Each printer's latest job among today's tickets: a year of print jobs is not
    read once a second, and a new day's first ticket tells the printer's state."""
    names = {p.id: p.name for p in Printer.select().where(Printer.office.in_(office_ids))}
    latest = (PrintJob.select(Ticket.office, PrintJob.url, fn.MAX(PrintJob.id).alias("last"))
              .join(Ticket).where(Ticket.office.in_(office_ids) & (Ticket.day == day))
              .group_by(Ticket.office, PrintJob.url).tuples())
    office_of = {last: office_id for office_id, _, last in latest}
    alerts = []
    for job in PrintJob.select().where(PrintJob.id.in_(list(office_of) or [0])):
        stuck = (job.status == "pending"
                 and _seconds(at, job.created_at) >= print_stuck_s)
        if job.status == "failed" or stuck:
            alerts.append((office_of[job.id], {
                "kind": "printer_problem", "since": iso(job.updated_at),
                "printer": names.get(job.printer_id) or job.url,
                "printer_id": job.printer_id, "state": job.status,
                "error": job.last_error or ""}))
    return alerts


def _seconds(at, since):
    return max(0, round((at - since).total_seconds()))


def settings(config):
    """``for_office`` keyword arguments from the app's config (a mapping): its
    ``ALERT_CALLED_MIN`` and ``ALERT_QUEUE_LENGTH`` (env ``QUEUE_ALERT_*``; the older
    key ``QUEUE_ALERT_QUEUE_LENGTH`` still wins when set)."""
    length = config.get("QUEUE_ALERT_QUEUE_LENGTH") or config.get("ALERT_QUEUE_LENGTH")
    return {"called_after_s": int(config.get("ALERT_CALLED_MIN") or DEFAULT_CALLED_MIN) * 60,
            "queue_length": int(length or DEFAULT_QUEUE_LENGTH)}
