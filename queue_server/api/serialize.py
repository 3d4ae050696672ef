"""Tickets as the API shows them."""
from flask import current_app, request

from ..engine.clock import iso
from ..engine.estimate import ahead_of, estimate_for
from ..engine.printing import PRINTED


def track_url(ticket):
    """The citizen's tracking page for this ticket (the QR code's target)."""
    base = current_app.config.get("PUBLIC_URL") or request.host_url
    return base.rstrip("/") + "/t/" + ticket.token


def ticket_json(ticket, fresh=False):
    """The ticket fields of the API contract.

    ``fresh``: the ticket was just issued, and its stored estimate is current.
    """
    fresh = fresh and ticket.status == "waiting"
    data = {
        "id": ticket.id,
        "number": ticket.number,
        "service": ticket.service.code,
        "status": ticket.status,
        "priority": ticket.priority,
        "issued_at": iso(ticket.issued_at),
        "ahead": ticket.ahead if fresh else ahead_of(ticket),
        "estimated_wait_s": ticket.estimated_wait_s if fresh else estimate_for(ticket),
        "track_url": track_url(ticket),
        "recall_count": ticket.recall_count,
        "printed": PRINTED[ticket.print_status],
        "note": ticket.note or "",
        "source": ticket.source,
    }
    if ticket.counter_id is not None:
        data["counter"] = ticket.counter.number
        data["called_at"] = iso(ticket.called_at)
    return data
