"""The day's ordinary mistakes put right: a no-show undone, a called ticket handed
back to the line, a note on a ticket (issue 16; docs/corrections.md).

Both ways back to "waiting" keep the ticket's number, priority and issue time, so
it takes its place in line again by when it was issued (at or near the front of
its service: it was called once already). They differ in what the wait measures:

- a **no-show undone** (pressed by mistake, or the citizen was at the copier): the
  office called them on time, so the first call's wait (``wait_s``) stands and a
  later call does not overwrite it;
- a ticket **released** (the clerk left with it, the counter closed holding it):
  the office did not serve them, so the wait is measured again, issue to the next
  call (``wait_s`` is cleared and the next call writes it).

Either way the event log keeps every step (``no_show`` then ``no_show_undone``;
``called`` then ``released``) and the ticket leaves its counter, its display and
the boards' "now serving".
"""
from datetime import timedelta

from ..db import db
from ..errors import Conflict, InvalidInput
from ..models import Ticket, utcnow
from .signals import publish_ticket
from .tickets import check, lock_ticket, record

#: How long after a no-show it may still be undone.
UNDO_NO_SHOW_S = 5 * 60
#: The longest note a clerk may write on a ticket.
MAX_NOTE = 500


def _back_to_waiting(ticket, clear_wait):
    ticket.status = "waiting"
    ticket.counter = ticket.clerk = None
    ticket.called_at = ticket.started_at = ticket.finished_at = None
    changes = dict(status="waiting", counter=None, clerk=None, called_at=None,
                   started_at=None, finished_at=None)
    if clear_wait:
        ticket.wait_s = changes["wait_s"] = None
    Ticket.update(**changes).where(Ticket.id == ticket.id).execute()


def release(ticket_id, *, user=None, at=None):
    """Hand a called (or started) ticket back to its line: the counter is free, the
    citizen waits again in their place; their wait is measured to the next call."""
    at = at or utcnow()
    with db.atomic():
        ticket = lock_ticket(ticket_id)
        check(ticket, "release")
        before, counter_id = ticket.status, ticket.counter_id
        previous = Ticket(**ticket.__data__)  # as it was: its counter is freed
        _back_to_waiting(ticket, clear_wait=True)
        record(ticket, "released", before, counter=counter_id, user=user, at=at)
    publish_ticket("released", ticket, previous=previous)
    return ticket


def undo_no_show(ticket_id, *, user=None, at=None, within_s=UNDO_NO_SHOW_S):
    """Put a no-show back in line, within ``within_s`` seconds of it (Conflict
    ``undo_expired`` after); the first call's wait stands."""
    at = at or utcnow()
    with db.atomic():
        ticket = lock_ticket(ticket_id)
        check(ticket, "undo_no_show")
        if ticket.finished_at is None or at - ticket.finished_at > timedelta(seconds=within_s):
            raise Conflict(f"Ticket {ticket.number}'s no-show is older than "
                           f"{within_s // 60} minutes; it cannot be undone now.",
                           code="undo_expired")
        counter_id = ticket.counter_id
        _back_to_waiting(ticket, clear_wait=False)
        record(ticket, "no_show_undone", "no_show", counter=counter_id, user=user, at=at)
    publish_ticket("no_show_undone", ticket)
    return ticket


def undoable_no_show(counter, at=None, within_s=UNDO_NO_SHOW_S):
    """The counter's latest no-show if it may still be undone, else None."""
    at = at or utcnow()
    last = (Ticket.select().where((Ticket.counter == counter) & (Ticket.status == "no_show")
                                  & (Ticket.finished_at >= at - timedelta(seconds=within_s)))
            .order_by(Ticket.finished_at.desc(), Ticket.id.desc()).first())
    return last


def set_note(ticket_id, text, *, user=None, at=None):
    """Write (or clear, with "") the clerk's note on a ticket; logged as a "noted" event."""
    if not isinstance(text, str):
        raise InvalidInput("'text' must be a string.")
    text = text.strip()
    if len(text) > MAX_NOTE:
        raise InvalidInput(f"A note is at most {MAX_NOTE} characters.", code="note_too_long")
    if "\x00" in text:
        raise InvalidInput("A note cannot hold NUL characters.")
    at = at or utcnow()
    with db.atomic():
        ticket = lock_ticket(ticket_id)
        ticket.note = text or None
        Ticket.update(note=ticket.note).where(Ticket.id == ticket.id).execute()
        record(ticket, "noted", ticket.status, counter=ticket.counter_id, user=user, at=at,
               detail=text)
    return ticket
