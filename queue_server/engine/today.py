"""Today's waiting lines and issue times of an office, for the wait estimate.

The estimate runs on every ticket issued and needs, per service, how many
tickets wait (by priority, and which were issued after the moment asked about)
and how many were issued in the last half hour. Counting them in SQL costs time
in proportion to the day's tickets. On SQLite the server keeps them instead and
brings them up to date from the append-only event log: every change of a
ticket's status writes a TicketEvent, and SQLite's single writer commits events
in id order, so "events after the last one seen" never misses one. (PostgreSQL
commits concurrent transactions out of id order: there the estimate counts in
SQL every time.)

Built from a full read the first time an office's day is asked about, then kept
by reading only new events: an issue costs two short reads instead of two scans
of the day.
"""
import threading
import weakref
from bisect import bisect_right, insort

from peewee import fn

from ..db import Prepared, db
from ..models import Ticket, TicketEvent
from .clock import stored

_NEW_EVENTS = Prepared(lambda after: (
    TicketEvent.select(TicketEvent.id, TicketEvent.kind, TicketEvent.to_status, Ticket.id,
                       Ticket.office, Ticket.day, Ticket.service, Ticket.priority,
                       Ticket.issued_at)
    .join(Ticket, on=(TicketEvent.ticket == Ticket.id))
    .where(TicketEvent.id > after).order_by(TicketEvent.id)))
_LAST_EVENT = Prepared(lambda: TicketEvent.select(fn.MAX(TicketEvent.id)))
_DAY = Prepared(lambda office_id, day: (
    Ticket.select(Ticket.id, Ticket.status, Ticket.service, Ticket.priority, Ticket.issued_at,
                  Ticket.transferred_from)
    .where((Ticket.office == office_id) & (Ticket.day == day))))


class Day:
    """One office's day: waiting tickets by (service, priority) and issue times by service.

    ``waiting[(service, priority)]`` and ``issued[service]``: sorted issue times.
    """

    def __init__(self, office_id, day):
        self.office_id, self.day, self.day_text = office_id, day, str(day)
        self.last_event = 0
        self.waiting, self.issued = {}, {}
        self._where = {}       # waiting ticket id -> (service, priority, issued at)
        self._counted = set()  # ticket ids in ``issued``

    def load(self):
        """Read the day whole. Events after ``last_event`` are applied once more by
        ``catch_up``; applying an event twice changes nothing."""
        self.last_event = _LAST_EVENT.rows()[0][0] or 0
        for ticket_id, status, service, priority, issued_at, moved_from in _DAY.rows(
                self.office_id, self.day):
            issued_at = stored(issued_at)
            if moved_from is None:
                self._count(ticket_id, service, issued_at)
            if status == "waiting":
                self._wait(ticket_id, service, bool(priority), issued_at)

    def catch_up(self):
        """Apply the events written since ``last_event``."""
        for event_id, kind, to_status, ticket_id, office_id, day, service, priority, issued_at \
                in _NEW_EVENTS.rows(self.last_event):
            self.last_event = event_id
            if office_id != self.office_id or str(day) != self.day_text:
                continue
            issued_at = stored(issued_at)
            if kind == "issued":
                self._count(ticket_id, service, issued_at)
            if to_status == "waiting":
                self._wait(ticket_id, service, bool(priority), issued_at)
            else:
                self._leave(ticket_id)

    def _count(self, ticket_id, service, issued_at):
        if ticket_id not in self._counted:
            self._counted.add(ticket_id)
            insort(self.issued.setdefault(service, []), issued_at)

    def _wait(self, ticket_id, service, priority, issued_at):
        if ticket_id not in self._where:
            self._where[ticket_id] = (service, priority, issued_at)
            insort(self.waiting.setdefault((service, priority), []), issued_at)

    def _leave(self, ticket_id):
        where = self._where.pop(ticket_id, None)
        if where is not None:
            times = self.waiting[where[:2]]
            del times[bisect_right(times, where[2]) - 1]



_days = weakref.WeakKeyDictionary()  # database -> {(office id, day text): Day}
_lock = threading.Lock()


def follow(office_id, day):
    """The office's ``Day``, up to date with every committed event (SQLite only).

    Inside a write transaction it agrees with what that transaction then writes.
    """
    key = (office_id, str(day))
    with _lock:
        days = _days.setdefault(db.obj, {})
        current = days.get(key)
        if current is None:
            for old in [k for k in days if k[0] == office_id]:
                del days[old]  # an office keeps its current day only
            current = days[key] = Day(office_id, day)
            current.load()
        current.catch_up()
        return current


def window_count(times, since, until):
    """How many of the sorted ``times`` are in (since, until]."""
    return bisect_right(times, until) - bisect_right(times, since)
