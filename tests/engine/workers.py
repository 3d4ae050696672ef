"""Functions run in separate processes by the concurrency tests (importable by spawn)."""
from queue_server.db import db, open_database


def _open(url):
    open_database(url)
    db.connect(reuse_if_open=True)


def issue_many(url, count, service="A"):
    """Issue ``count`` tickets; return their numbers."""
    from queue_server.engine import tickets
    from queue_server.models import Office

    _open(url)
    office = Office.get()
    return [tickets.issue(office, service).number for _ in range(count)]


def call_until_empty(url, counter_id):
    """Call, then finish, until nobody waits; return the ids this counter called."""
    from queue_server.engine import calling, tickets

    _open(url)
    called = []
    while True:
        ticket = calling.call_next(counter_id)
        if ticket is None:
            return called
        called.append(ticket.id)
        tickets.start(ticket.id)
        tickets.finish(ticket.id)
