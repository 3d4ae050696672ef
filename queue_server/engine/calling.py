"""Calling the next ticket to a counter, race-free on SQLite and PostgreSQL."""
from ..db import Prepared, db, is_sqlite
from ..errors import Conflict, NotFound
from ..models import Counter, CounterService, Service, Ticket, utcnow
from .booked_ahead import line_time  # the issue time, or a checked-in booking's slot
from .clock import business_day
from .signals import publish_ticket
from .tickets import current_ticket, finish, record


def lock_counter(counter_id):
    """Load a counter inside a transaction (row lock on PostgreSQL), or NotFound."""
    return Counter.find(counter_id, lock=True)


def next_candidate(counter_id, office_id, day, waiting="waiting", limit=1):
    """The query picking the next waiting ticket for counter ``counter_id``.

    Priority first, then the counter's service order, then the earliest place in line:
    the issue time, or for a checked-in booking its slot's start (``line_time``).
    """
    query = (Ticket.select(Ticket.id)
             .join(CounterService, on=(CounterService.service == Ticket.service))
             .where((CounterService.counter == counter_id) & (Ticket.status == waiting)
                    & (Ticket.office == office_id) & (Ticket.day == day))
             .order_by(Ticket.priority.desc(), CounterService.position, line_time(),
                       Ticket.id)
             .limit(limit))
    if not is_sqlite():
        # Concurrent callers skip a row another transaction is taking instead of
        # queueing behind it and then taking the same ticket.
        query = query.for_update(of=Ticket, skip_locked=True)
    return query


# The call itself: the parameters in the order of the SQL (see db.Prepared).
_CALL = Prepared(lambda called, at, counter_id, clerk_id, serving_counter, waiting, office_id,
                 day, limit, still_waiting: (
                     Ticket.update(status=called, called_at=at, counter=counter_id, clerk=clerk_id)
                     .where((Ticket.id == next_candidate(serving_counter, office_id, day,
                                                         waiting, limit))
                            & (Ticket.status == still_waiting))
                     .returning(*Ticket._meta.sorted_fields)))  # the called ticket, whole
_SET_WAIT = Prepared(lambda wait_s, ticket_id: Ticket.update(wait_s=wait_s)
                     .where(Ticket.id == ticket_id))


def _ready(counter_id):
    """The counter, locked, if it may call now; else Conflict (closed, paused, busy)."""
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
    return counter


def _called(ticket, counter, user, at, detail=""):
    ticket.counter = counter  # already loaded: spares the payloads a query
    if ticket.wait_s is None:
        # Stored once so statistics rank waits through an index (engine/stats); a
        # no-show undone keeps its first call's wait (engine.corrections).
        ticket.wait_s = round((at - ticket.issued_at).total_seconds())
        _SET_WAIT.run(ticket.wait_s, ticket.id)
    record(ticket, "called", "waiting", counter=counter, user=user, at=at, detail=detail)


def call_next(counter_id, *, user=None, at=None):
    """Call the next waiting ticket to the counter; None when nobody waits.

    One ``UPDATE ... WHERE id = (SELECT ...) AND status = 'waiting'``: the status
    re-check means two clerks can never take the same ticket.
    """
    at = at or utcnow()
    with db.atomic():
        counter = _ready(counter_id)
        day = business_day(counter.office, at)
        updated = _CALL.models(Ticket, "called", at, counter.id, user.id if user else None,
                               counter.id, "waiting", counter.office_id, day, 1, "waiting")
        if not updated:
            return None
        ticket = updated[0]
        _called(ticket, counter, user, at)
    publish_ticket("called", ticket, counter=counter)
    return ticket


def call_ticket(counter_id, ticket_id, *, user=None, at=None):
    """Call one chosen waiting ticket to the counter (the citizen at the desk with
    their ticket in hand). Conflict ``not_waiting`` when it no longer waits,
    ``not_served_here`` when the counter does not serve its service; NotFound when
    it is not a ticket of the counter's office today."""
    at = at or utcnow()
    with db.atomic():
        counter = _ready(counter_id)
        day = business_day(counter.office, at)
        ticket = Ticket.find(ticket_id, lock=True)
        if ticket.office_id != counter.office_id or ticket.day != day:
            raise NotFound(f"Ticket {ticket_id} is not one of today's tickets here.")
        if ticket.status != "waiting":
            raise Conflict(f"Ticket {ticket.number} is {ticket.status}, not waiting.",
                           code="not_waiting")
        served = CounterService.select().where((CounterService.counter == counter.id)
                                               & (CounterService.service == ticket.service_id))
        if not served.exists():
            raise Conflict(f"Counter {counter.number} does not serve ticket {ticket.number}'s "
                           "service.", code="not_served_here")
        updated = (Ticket.update(status="called", called_at=at, counter=counter.id,
                                 clerk=user.id if user else None)
                   .where((Ticket.id == ticket.id) & (Ticket.status == "waiting")).execute())
        if not updated:
            raise Conflict(f"Ticket {ticket.number} was just called elsewhere.",
                           code="not_waiting")
        ticket.status, ticket.called_at, ticket.clerk = "called", at, user
        _called(ticket, counter, user, at, detail="chosen")
    publish_ticket("called", ticket, counter=counter)
    return ticket


def finish_and_call_next(counter_id, ticket_id, *, user=None, at=None):
    """One press: finish the counter's ticket, then call the next one.

    Returns (finished, called or None). Two transactions: a finish stands even when
    nobody waits or the call is refused (the counter was paused meanwhile).
    """
    at = at or utcnow()
    ticket = Ticket.find(ticket_id)
    if ticket.counter_id != counter_id:
        raise Conflict(f"Ticket {ticket.number} is not at this counter.",
                       code="invalid_transition")
    finished = finish(ticket.id, user=user, at=at)
    return finished, call_next(counter_id, user=user, at=at)


def waiting_list(counter, at=None, limit=100):
    """The tickets this counter would call, in the order it would call them (priority
    first, then its service order, then the earliest issue or booked slot), as plain dicts."""
    at = at or utcnow()
    day = business_day(counter.office, at)
    query = (Ticket.select(Ticket, Service)
             .join(CounterService, on=(CounterService.service == Ticket.service))
             .switch(Ticket).join(Service, on=(Ticket.service == Service.id))
             .where((CounterService.counter == counter.id) & (Ticket.status == "waiting")
                    & (Ticket.office == counter.office_id) & (Ticket.day == day))
             .order_by(Ticket.priority.desc(), CounterService.position, line_time(),
                       Ticket.id)
             .limit(limit))
    return [{"id": t.id, "number": t.number, "service": t.service.code,
             "service_id": t.service_id, "priority": t.priority, "issued_at": t.issued_at,
             "waited_s": max(0, round((at - t.issued_at).total_seconds())),
             "source": t.source, "note": t.note or "",
             "again": t.wait_s is not None} for t in query]


#: Statuses of a ticket that has been called to a counter.
_CALLED = ("called", "serving", "done", "no_show", "transferred")


def was_called_today(number, counter_number):
    """True when a ticket ``number`` was called today (its office's business day) to a
    counter numbered ``counter_number`` of its office: what a board may announce."""
    for counter in Counter.select().where(Counter.number == counter_number):
        day = business_day(counter.office)
        if (Ticket.select(Ticket.id)
                .where((Ticket.office == counter.office_id) & Ticket.status.in_(_CALLED)
                       & (Ticket.day == day) & (Ticket.number == number)
                       & (Ticket.counter == counter.id))
                .exists()):
            return True
    return False
