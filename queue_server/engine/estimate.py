"""Estimated wait: people ahead x recent time per ticket / counters open for the service."""
from datetime import timedelta

from peewee import fn

from ..models import Counter, CounterService, Ticket, utcnow

#: Seconds per ticket assumed before the service has measured any (set from config).
DEFAULT_SERVICE_S = 300
RECENT = 30  # how many finished tickets the average looks at
RECENT_DAYS = 14


def ahead_of(ticket):
    """Waiting tickets of the same service that will be called before this one."""
    if ticket.status != "waiting":
        return 0
    return (Ticket.select()
            .where((Ticket.service == ticket.service_id) & (Ticket.status == "waiting")
                   & (Ticket.day == ticket.day) & (Ticket.id != ticket.id)
                   & ((Ticket.priority > ticket.priority)
                      | ((Ticket.priority == ticket.priority)
                         & ((Ticket.issued_at < ticket.issued_at)
                            | ((Ticket.issued_at == ticket.issued_at)
                               & (Ticket.id < ticket.id))))))
            .count())


def recent_service_s(service_id, at=None):
    """Mean seconds a counter spends per ticket (call to finish) over recent tickets."""
    at = at or utcnow()
    rows = (Ticket.select(Ticket.called_at, Ticket.finished_at)
            .where((Ticket.service == service_id) & (Ticket.status == "done")
                   & (Ticket.finished_at >= at - timedelta(days=RECENT_DAYS)))
            .order_by(Ticket.finished_at.desc()).limit(RECENT))
    spans = [(r.finished_at - r.called_at).total_seconds() for r in rows
             if r.called_at and r.finished_at]
    return sum(spans) / len(spans) if spans else DEFAULT_SERVICE_S


def open_counters(service_id):
    """Active, unpaused counters serving the service (at least 1 for the estimate)."""
    count = (Counter.select(fn.COUNT(Counter.id)).join(CounterService)
             .where((CounterService.service == service_id) & Counter.active
                    & ~Counter.paused).scalar())
    return max(1, count or 0)


def estimate_seconds(service_id, ahead, at=None):
    """Seconds until a ticket with ``ahead`` people before it is called."""
    return int(round(ahead * recent_service_s(service_id, at) / open_counters(service_id)))


def estimate_for(ticket, at=None):
    """The estimated wait of a waiting ticket, 0 once called."""
    if ticket.status != "waiting":
        return 0
    return estimate_seconds(ticket.service_id, ahead_of(ticket), at)
