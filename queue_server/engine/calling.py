"""Calling the next ticket to a counter, race-free on SQLite and PostgreSQL."""
from ..db import db, is_sqlite
from ..errors import Conflict
from ..models import Counter, CounterService, Ticket, utcnow
from .clock import business_day
from .signals import publish_ticket
from .tickets import ACTIVE_STATUSES, record


def lock_counter(counter_id):
    """Load a counter inside a transaction (row lock on PostgreSQL), or NotFound."""
    return Counter.find(counter_id, lock=True)


def current_ticket(counter):
    """The ticket a counter has called or is serving, or None."""
    return (Ticket.select()
            .where((Ticket.counter == counter) & (Ticket.status.in_(ACTIVE_STATUSES)))
            .order_by(Ticket.called_at.desc()).first())


def next_candidate(counter, day):
    """The query picking the next waiting ticket for ``counter``.

    Priority first, then the counter's service order, then the earliest issue.
    """
    query = (Ticket.select(Ticket.id)
             .join(CounterService, on=(CounterService.service == Ticket.service))
             .where((CounterService.counter == counter) & (Ticket.status == "waiting")
                    & (Ticket.office == counter.office_id) & (Ticket.day == day))
             .order_by(Ticket.priority.desc(), CounterService.position, Ticket.issued_at,
                       Ticket.id)
             .limit(1))
    if not is_sqlite():
        # Concurrent callers skip a row another transaction is taking instead of
        # queueing behind it and then taking the same ticket.
        query = query.for_update(of=Ticket, skip_locked=True)
    return query


def call_next(counter_id, *, user=None, at=None):
    """Call the next waiting ticket to the counter; None when nobody waits.

    One ``UPDATE ... WHERE id = (SELECT ...) AND status = 'waiting'``: the status
    re-check means two clerks can never take the same ticket.
    """
    at = at or utcnow()
    with db.atomic():
        counter = lock_counter(counter_id)
        if not counter.active:
            raise Conflict(f"Counter {counter.number} is closed.", code="counter_closed")
        if counter.paused:
            raise Conflict(f"Counter {counter.number} is paused; resume it to call.",
                           code="counter_paused")
        busy = current_ticket(counter)
        if busy is not None:
            raise Conflict(f"Counter {counter.number} still has ticket {busy.number} "
                           f"({busy.status}); finish, no-show or transfer it first.",
                           code="counter_busy")
        day = business_day(counter.office, at)
        updated = (Ticket.update(status="called", called_at=at, counter=counter, clerk=user)
                   .where((Ticket.id == next_candidate(counter, day))
                          & (Ticket.status == "waiting"))
                   .returning(Ticket.id)
                   .execute())
        ids = [row.id for row in updated]
        if not ids:
            return None
        ticket = Ticket.get_by_id(ids[0])
        ticket.counter = counter  # already loaded: spares the payloads a query
        # Stored once so statistics rank waits through an index (engine/stats).
        ticket.wait_s = round((at - ticket.issued_at).total_seconds())
        ticket.save(only=[Ticket.wait_s])
        record(ticket, "called", "waiting", counter=counter, user=user, at=at)
    publish_ticket("called", ticket, counter=counter)
    return ticket
