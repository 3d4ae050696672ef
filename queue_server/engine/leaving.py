"""A clerk leaving a counter (signing out, switching counter) never strands its ticket.

Signing out used to clear only the counter's clerk: the called ticket stayed
"called" at a counter nobody worked at, on the boards' "now serving", on the
counter's display and on the dashboard, with nothing able to end it. Now a ticket
in hand must be dealt with first: finished, marked a no-show, or handed back to
the line (``corrections.release``); without a choice the sign-out is refused
(Conflict ``counter_has_ticket``) and nothing changes.
"""
from ..errors import Conflict, InvalidInput
from ..models import Counter
from . import corrections, counters, tickets

#: What may become of the ticket in hand: name -> engine function.
DISPOSITIONS = {"finish": tickets.finish, "no_show": tickets.no_show,
                "release": corrections.release}


def ticket_in_hand(user):
    """(counter, ticket) of the counter ``user`` is signed in at holding a ticket, or None."""
    for counter in Counter.select().where(Counter.clerk == user.id):
        ticket = tickets.current_ticket(counter)
        if ticket is not None:
            return counter, ticket
    return None


def check_disposition(disposition):
    """InvalidInput unless ``disposition`` is None or one of ``DISPOSITIONS``."""
    if disposition is not None and disposition not in DISPOSITIONS:
        raise InvalidInput("'ticket' must be one of: " + ", ".join(DISPOSITIONS) + ".",
                           code="bad_disposition")


def dispose(ticket, disposition, *, user=None):
    """End ``ticket``'s stay at its counter as ``disposition`` says; the ticket after.

    InvalidInput for an unknown disposition; Conflict (``invalid_transition``) for one
    its status does not allow (a no-show of a ticket already being served).
    """
    check_disposition(disposition)
    return DISPOSITIONS[disposition](ticket.id, user=user)


def _settle(counter, disposition, user):
    ticket = tickets.current_ticket(counter)
    if ticket is None:
        return None
    if disposition is None:
        raise Conflict(f"Counter {counter.number} still has ticket {ticket.number} "
                       f"({ticket.status}): finish it, mark it a no-show or hand it back "
                       "to the line ('ticket': finish, no_show or release).",
                       code="counter_has_ticket")
    return dispose(ticket, disposition, user=user)


def sign_out(user, disposition=None):
    """Sign ``user`` out of their counter, first settling its ticket (see module doc)."""
    check_disposition(disposition)
    for counter in Counter.select().where(Counter.clerk == user.id):
        _settle(counter, disposition, user)
    counters.sign_out(user)


def sign_out_at(counter_id, user, disposition=None):
    """``counters.sign_out_at`` (its clerk, or a supervisor), the ticket settled first."""
    check_disposition(disposition)
    counter = counters.get_counter(counter_id)
    counters.check_sign_out(counter, user)
    _settle(counter, disposition, user)
    return counters.sign_out_at(counter_id, user)


def switch(counter_id, user, disposition=None):
    """Sign ``user`` in at another counter, first settling the ticket of the one left."""
    held = Counter.get_or_none(Counter.clerk == user.id)
    if held is not None and held.id != int(counter_id):
        _settle(held, disposition, user)
    return counters.sign_in(counter_id, user)
