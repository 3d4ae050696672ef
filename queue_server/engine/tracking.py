"""What a citizen's phone shows for a ticket: a snapshot keyed by the tracking token."""
from ..errors import Conflict, NotFound
from ..models import Ticket
from . import tickets
from .booked_ahead import line_time
from .estimate import ahead_of, estimate_for, open_counters, recent_service_s

#: Longer than any token the server makes (``Ticket.token`` holds 64 characters).
TOKEN_MAX = 64


def by_token(token):
    """The ticket holding tracking ``token`` now (a transfer hands it on), or NotFound."""
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX or "\x00" in token:
        raise NotFound("No ticket has this tracking link.", code="unknown_ticket")
    try:
        token.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no token, and no database takes it
        raise NotFound("No ticket has this tracking link.", code="unknown_ticket") from None
    ticket = Ticket.get_or_none(Ticket.token == token)
    if ticket is None:
        raise NotFound("No ticket has this tracking link.", code="unknown_ticket")
    return ticket


def snapshot(ticket, ahead=None, estimate_s=None):
    """The ticket as the tracking page shows it (plain values, no token)."""
    if ahead is None:
        ahead = ahead_of(ticket)
    if estimate_s is None:
        estimate_s = estimate_for(ticket)
    counter = ticket.counter if ticket.counter_id else None
    return {
        "number": ticket.number,
        "status": ticket.status,
        "priority": ticket.priority,
        "service": ticket.service.code,
        "service_name_vi": ticket.service.name_vi,
        "service_name_en": ticket.service.name_en,
        "ahead": ahead,
        "estimated_wait_s": estimate_s,
        "counter": counter.number if counter else None,
        "counter_name": counter.name if counter else None,
        "recall_count": ticket.recall_count,
    }


def line(service_id, day):
    """The numbers waiting in a service, in call order, and the seconds each adds.

    A call moves everybody up: one event with the whole line tells every phone
    its new place (it finds its own number), instead of one query and one
    message per waiting citizen. Numbers are already public on the boards.
    """
    numbers = [n for (n,) in Ticket.select(Ticket.number)
               .where((Ticket.service == service_id) & (Ticket.day == day)
                      & (Ticket.status == "waiting"))
               .order_by(Ticket.priority.desc(), line_time(), Ticket.id).tuples()]
    per_ticket = recent_service_s(service_id) / open_counters(service_id) if numbers else 0
    return {"line": numbers, "per_ticket_s": round(per_ticket, 1)}


def cancel(token, *, at=None):
    """The citizen withdraws their own waiting ticket from the phone; returns it.

    Only a waiting ticket: once called the clerk decides (Conflict
    ``not_cancellable``). The boards and the line hear of it like any cancel.
    """
    ticket = by_token(token)
    if ticket.status != "waiting":
        raise Conflict(f"Ticket {ticket.number} is {ticket.status}; only a waiting ticket "
                       "can be cancelled by its holder.", code="not_cancellable",
                       params={"number": ticket.number, "status": ticket.status})
    try:
        return tickets.cancel(ticket.id, at=at)
    except Conflict as exc:  # called meanwhile
        raise Conflict(exc.message, code="not_cancellable",
                       params={"number": ticket.number}) from None
