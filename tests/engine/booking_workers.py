"""Booking from separate processes (importable by spawn): the capacity test's workers."""
from datetime import date, datetime

from queue_server.db import db, open_database


def book_many(url, tries, day, start, at):
    """Try to book the slot ``tries`` times; return the codes that got a place."""
    from queue_server.engine import bookings, slots
    from queue_server.errors import Conflict
    from queue_server.models import Service

    open_database(url)
    db.connect(reuse_if_open=True)
    service = slots.find_service(Service.get(Service.code == "A").id)
    won = []
    for _ in range(tries):
        try:
            won.append(bookings.book(service, date.fromisoformat(day), start,
                                     at=datetime.fromisoformat(at)).code)
        except Conflict as exc:
            assert exc.code == "slot_full", exc.code
    db.close()
    return won
