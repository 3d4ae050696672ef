"""Tickets as the API shows them."""
from flask import current_app, request

from ..engine.clock import iso
from ..engine.estimate import ahead_of, estimate_seconds
from ..engine.printing import PRINTED


def track_url(ticket):
    """The citizen's tracking page for this ticket (the QR code's target)."""
    base = current_app.config.get("PUBLIC_URL") or request.host_url
    return base.rstrip("/") + "/t/" + ticket.token


def ticket_json(ticket):
    """The ticket fields of the API contract."""
    ahead = ahead_of(ticket)
    data = {
        "id": ticket.id,
        "number": ticket.number,
        "service": ticket.service.code,
        "status": ticket.status,
        "priority": ticket.priority,
        "issued_at": iso(ticket.issued_at),
        "ahead": ahead,
        "estimated_wait_s": (estimate_seconds(ticket.service_id, ahead)
                             if ticket.status == "waiting" else 0),
        "track_url": track_url(ticket),
        "recall_count": ticket.recall_count,
        "printed": PRINTED[ticket.print_status],
    }
    if ticket.counter_id is not None:
        data["counter"] = ticket.counter.number
        data["called_at"] = iso(ticket.called_at)
    return data
