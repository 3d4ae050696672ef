"""The supervisor's actions on a running day: a counter opened or closed for a
service, waiting tickets moved to another service, a stranded ticket released
(``corrections.release``). Each is audited (engine/audit.py)."""
from peewee import fn

from ..db import db
from ..errors import Conflict
from ..models import Counter, CounterService, Service, Ticket
from . import audit, corrections
from .clock import business_day
from .signals import publish_office
from .tickets import find_service, transfer


def release(ticket_id, *, user=None):
    """A stranded ticket (called at a counter nobody works at) back to its line."""
    ticket = corrections.release(ticket_id, user=user)
    audit.record("supervisor.release", ticket, number=ticket.number)
    return ticket


def set_serves(counter, service_code, serves):
    """Open (``serves`` True: last in its order) or close ``counter`` for a service.

    Conflict ``invalid_transition`` when it already does (or does not) serve it.
    """
    service = find_service(counter.office, service_code)
    with db.atomic():
        link = CounterService.get_or_none((CounterService.counter == counter)
                                          & (CounterService.service == service))
        if (link is not None) == bool(serves):
            state = "serves" if serves else "does not serve"
            raise Conflict(f"Counter {counter.number} already {state} {service.code}.",
                           code="invalid_transition")
        if serves:
            last = (CounterService.select(fn.MAX(CounterService.position))
                    .where(CounterService.counter == counter).scalar())
            CounterService.create(counter=counter, service=service,
                                  position=(last + 1) if last is not None else 0)
        else:
            link.delete_instance()
        audit.record("supervisor.open_service" if serves else "supervisor.close_service",
                     counter, counter=counter.number, service=service.code)
    publish_office("counter", counter.office_id)
    return counter


def move_waiting(office, from_code, to_code, *, user=None, ticket_ids=None):
    """Move today's waiting tickets of one service (all, or those of ``ticket_ids``) to
    another, each keeping its number and place in line (``tickets.transfer``).
    Returns how many moved; a ticket called meanwhile stays where it is."""
    source, target = find_service(office, from_code), find_service(office, to_code)
    if source.id == target.id:
        raise Conflict("Choose two different services.", code="same_service")
    query = (Ticket.select(Ticket.id).where(
        (Ticket.office == office) & (Ticket.service == source)
        & (Ticket.status == "waiting") & (Ticket.day == business_day(office)))
        .order_by(Ticket.issued_at))
    if ticket_ids is not None:
        query = query.where(Ticket.id.in_([int(i) for i in ticket_ids] or [0]))
    moved = 0
    for (ticket_id,) in query.tuples():
        try:
            transfer(ticket_id, target.code, user=user)
        except Conflict:
            continue  # called meanwhile
        moved += 1
    audit.record("supervisor.move_waiting", f"office:{office.id}", service=source.code,
                 to_service=target.code, moved=moved)
    return moved


def counters_of(office):
    """The office's counters with the codes they serve, for the dashboard's actions."""
    links = {}
    for counter_id, code in (CounterService.select(CounterService.counter, Service.code)
                             .join(Service).where(Service.office == office)
                             .order_by(CounterService.position).tuples()):
        links.setdefault(counter_id, []).append(code)
    return [(c, links.get(c.id, [])) for c in
            Counter.select().where(Counter.office == office).order_by(Counter.number)]
