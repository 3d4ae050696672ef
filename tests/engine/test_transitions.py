"""Every valid and invalid transition of the ticket state machine."""
import pytest

from queue_server.engine import calling, corrections, tickets
from queue_server.engine.tickets import TRANSITIONS
from queue_server.errors import Conflict, NotFound
from queue_server.models import Ticket, TicketEvent

from .. import factories

STATUSES = ["waiting", "called", "serving", "done", "no_show", "cancelled", "transferred"]


def ticket_in(office, status):
    """A ticket of service A brought to ``status`` through the engine."""
    ticket = tickets.issue(office, "A")
    if status == "waiting":
        return ticket
    if status == "cancelled":
        return tickets.cancel(ticket.id)
    if status == "transferred":
        tickets.transfer(ticket.id, "B")
        return Ticket.get_by_id(ticket.id)
    called = calling.call_next(factories.demo_counter(1).id)
    assert called.id == ticket.id
    if status == "no_show":
        return tickets.no_show(ticket.id)
    if status in ("serving", "done"):
        tickets.start(ticket.id)
    if status == "done":
        tickets.finish(ticket.id)
    return Ticket.get_by_id(ticket.id)


ACTIONS = {
    "recall": lambda t: tickets.recall(t.id),
    "start": lambda t: tickets.start(t.id),
    "finish": lambda t: tickets.finish(t.id),
    "no_show": lambda t: tickets.no_show(t.id),
    "cancel": lambda t: tickets.cancel(t.id),
    "transfer": lambda t: tickets.transfer(t.id, "C"),
    "release": lambda t: corrections.release(t.id),
    "undo_no_show": lambda t: corrections.undo_no_show(t.id),
}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_each_action_from_each_status(app, office, status, action):
    ticket = ticket_in(office, status)
    events_before = TicketEvent.select().count()
    allowed, target = TRANSITIONS[action]
    if status in allowed:
        result = ACTIONS[action](ticket)
        old = Ticket.get_by_id(ticket.id)
        assert old.status == target
        last = (TicketEvent.select().where(TicketEvent.ticket == old)
                .order_by(TicketEvent.id.desc()).first())
        assert (last.from_status, last.to_status) == (status, target)
        if action == "transfer":
            assert result.status == "waiting" and result.service.code == "C"
    else:
        with pytest.raises(Conflict) as err:
            ACTIONS[action](ticket)
        assert err.value.status == 409
        assert ticket.number in err.value.message
        assert Ticket.get_by_id(ticket.id).status == status  # nothing changed
        assert TicketEvent.select().count() == events_before  # nothing written


def test_recall_counts_and_keeps_first_call_time(app, office):
    ticket = ticket_in(office, "called")
    first_call = ticket.called_at
    tickets.recall(ticket.id)
    again = tickets.recall(ticket.id)
    assert again.recall_count == 2
    assert again.called_at == first_call
    kinds = [e.kind for e in TicketEvent.select().where(TicketEvent.ticket == ticket)
             .order_by(TicketEvent.id)]
    assert kinds == ["issued", "called", "recalled", "recalled"]


def test_transfer_keeps_number_and_place_in_line(app, office):
    early_a = tickets.issue(office, "A")
    b1 = tickets.issue(office, "B")
    b2 = tickets.issue(office, "B")
    moved = tickets.transfer(early_a.id, "B")
    assert moved.number == early_a.number
    assert moved.issued_at == early_a.issued_at
    assert moved.transferred_from_id == early_a.id
    assert moved.token == early_a.token  # the citizen's QR code keeps working
    assert Ticket.get_by_id(early_a.id).token != early_a.token
    # counter 2 serves B first: the transferred ticket is first, it was issued earliest
    order = [calling.call_next(factories.demo_counter(n).id).id for n in (2,)]
    assert order == [moved.id]
    assert {b1.id, b2.id}.isdisjoint(order)


def test_transfer_to_same_or_unknown_service_changes_nothing(app, office):
    ticket = tickets.issue(office, "A")
    with pytest.raises(Conflict):
        tickets.transfer(ticket.id, "A")
    with pytest.raises(NotFound):  # no such service: not found (404 over the API)
        tickets.transfer(ticket.id, "Z")
    assert Ticket.get_by_id(ticket.id).status == "waiting"
    assert Ticket.select().count() == 1


def test_unknown_ticket_is_not_found(app):
    with pytest.raises(NotFound):
        tickets.start(9999)


def test_counter_busy_paused_and_empty(app, office):
    from queue_server.engine import counters

    counter = factories.demo_counter(1)
    assert calling.call_next(counter.id) is None  # nobody waits
    tickets.issue(office, "A")
    tickets.issue(office, "A")
    first = calling.call_next(counter.id)
    with pytest.raises(Conflict) as err:
        calling.call_next(counter.id)
    assert err.value.code == "counter_busy"
    tickets.no_show(first.id)
    counters.pause(counter.id)
    with pytest.raises(Conflict) as err:
        calling.call_next(counter.id)
    assert err.value.code == "counter_paused"
    counters.resume(counter.id)
    assert calling.call_next(counter.id) is not None


def test_expire_closes_yesterdays_tickets(app, office):
    from datetime import timedelta

    from queue_server.engine.clock import business_day
    from queue_server.models import utcnow

    yesterday = utcnow() - timedelta(days=1)
    old_waiting = tickets.issue(office, "A", at=yesterday)
    old_called = tickets.issue(office, "B", at=yesterday)
    Ticket.update(status="called").where(Ticket.id == old_called.id).execute()
    fresh = tickets.issue(office, "A")
    assert tickets.expire_before(office, business_day(office)) == 2
    assert Ticket.get_by_id(old_waiting.id).status == "expired"
    assert Ticket.get_by_id(old_called.id).status == "expired"
    assert Ticket.get_by_id(fresh.id).status == "waiting"


def test_a_ticket_id_from_a_form_finds_the_ticket_even_as_the_first_lookup(office):
    # The by-id SQL is written once per database, by whichever lookup comes first:
    # a form's "7" must work there as 7 does (it once failed the console with a 500).
    ticket = tickets.issue(office, "A")
    assert tickets.get_ticket(str(ticket.id)).number == ticket.number
    assert tickets.get_ticket(ticket.id).number == ticket.number
    with pytest.raises(NotFound):
        tickets.get_ticket("999")
