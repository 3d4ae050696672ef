"""Daily operation: past days closed at local midnight, issuing only while open."""
import json
from datetime import datetime, timedelta

import pytest

from queue_server import housekeeping
from queue_server.engine import calling, tickets
from queue_server.errors import Conflict
from queue_server.models import Ticket, TicketEvent, utcnow

from .. import factories


def test_close_past_days_expires_waiting_and_called_only(app, office):
    yesterday = utcnow() - timedelta(days=1)
    waiting = tickets.issue(office, "A", at=yesterday)
    called = tickets.issue(office, "A", at=yesterday)
    served = tickets.issue(office, "B", at=yesterday)
    Ticket.update(status="called").where(Ticket.id == called.id).execute()
    Ticket.update(status="done").where(Ticket.id == served.id).execute()
    today = tickets.issue(office, "A")
    assert housekeeping.close_past_days() == 2
    assert [Ticket.get_by_id(t.id).status for t in (waiting, called, served, today)] == \
        ["expired", "expired", "done", "waiting"]
    event = TicketEvent.get((TicketEvent.ticket == waiting) & (TicketEvent.kind == "expire"))
    assert (event.from_status, event.to_status) == ("waiting", "expired")
    assert housekeeping.close_past_days() == 0  # idempotent


def test_yesterdays_tickets_are_never_called_today(app, office):
    tickets.issue(office, "A", at=utcnow() - timedelta(days=1))
    assert calling.call_next(factories.demo_counter(1).id) is None


def test_issuing_stops_at_closing_time(app, office):
    office.opening_hours = json.dumps({"mon": [["07:30", "11:30"], ["13:30", "17:00"]]})
    office.save()
    monday_10_local = datetime(2026, 11, 23, 3, 0)  # 10:00 in UTC+7
    assert tickets.issue(office, "A", at=monday_10_local).number == "A001"
    for closed in (datetime(2026, 11, 23, 4, 30),    # 11:30, the lunch break begins
                   datetime(2026, 11, 23, 10, 0),    # 17:00, closing time
                   datetime(2026, 11, 24, 3, 0)):    # Tuesday: not open at all
        with pytest.raises(Conflict) as err:
            tickets.issue(office, "A", at=closed)
        assert err.value.code == "office_closed"
    assert Ticket.select().count() == 1
