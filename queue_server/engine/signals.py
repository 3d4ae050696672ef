"""Domain events published after a transaction commits.

The engine knows nothing of Socket.IO: it publishes here, and
``queue_server.events`` (the one place that emits) subscribes.
"""
from blinker import Namespace

_signals = Namespace()

#: sender = kind ("issued", "called", "recalled", "started", "finished", "no_show",
#: "cancelled", "transferred", "expired", "released", "no_show_undone"); kwargs: ticket,
#: counter, previous (for transfers and releases: the ticket as it was, at its counter)
ticket_changed = _signals.signal("ticket-changed")
#: sender = "paused" / "resumed" / "signed_in" / "signed_out"; kwargs: counter
counter_changed = _signals.signal("counter-changed")
#: sender = what changed ("office", "service", "counter", "zone"); kwargs: office_id
office_changed = _signals.signal("office-changed")


def publish_ticket(kind, ticket, **extra):
    """Announce a committed ticket transition. Call only after the transaction commits."""
    ticket_changed.send(kind, ticket=ticket, **extra)


def publish_counter(kind, counter):
    """Announce a committed counter change."""
    counter_changed.send(kind, counter=counter)


def publish_office(kind, office_id):
    """Announce a committed change of an office's set-up (notice, services, counters, zones)."""
    office_changed.send(kind, office_id=office_id)
