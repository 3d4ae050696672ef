"""The one place that emits Socket.IO events, always after the engine's commit.

The engine publishes domain events (``engine.signals``); this module turns them
into Socket.IO messages for boards, counters and phones.
"""
from . import socketio
from .engine import signals
from .engine.clock import iso

DISPLAY_NS = "/display"


def office_room(office_id):
    """The room every board of an office joins."""
    return f"office:{office_id}"


def called_payload(ticket, recall=False):
    """The ``ticket_called`` event body (a stable contract for display vendors)."""
    counter = ticket.counter
    return {
        "number": ticket.number,
        "counter": counter.number,
        "counter_name": counter.name,
        "service": ticket.service.code,
        "called_at": iso(ticket.called_at),
        "recall": recall,
    }


def _on_ticket(kind, ticket, **extra):
    if kind in ("called", "recalled"):
        socketio.emit("ticket_called", called_payload(ticket, recall=kind == "recalled"),
                      to=office_room(ticket.office_id), namespace=DISPLAY_NS)


def init_app(app):
    """Subscribe to the engine's signals (once per process)."""
    signals.ticket_changed.connect(_on_ticket, weak=False)
