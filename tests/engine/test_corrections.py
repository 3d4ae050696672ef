"""The clerk's day (issue 16): a chosen call, the waiting list, finish from called,
finish and call next, a no-show undone, a ticket released, a note."""
from datetime import timedelta

import pytest

from queue_server.engine import calling, corrections, counters, leaving, tickets
from queue_server.engine.stats import report as figures  # the report function
from queue_server.errors import Conflict, InvalidInput, NotFound
from queue_server.models import Ticket, TicketEvent, utcnow

from ..factories import demo_counter, demo_user


def kinds(ticket):
    return [(e.kind, e.from_status, e.to_status) for e in
            TicketEvent.select().where(TicketEvent.ticket == ticket.id).order_by(TicketEvent.id)]


@pytest.fixture
def desk():
    """Counter 1 (serves A then B in the demo office) with clerk1 signed in."""
    counter = demo_counter(1)
    counters.sign_in(counter.id, demo_user("clerk1"))
    return counters.get_counter(counter.id)


def test_the_waiting_list_is_in_call_order_with_priority_first(office, desk):
    now = utcnow()
    a1 = tickets.issue(office, "A", at=now - timedelta(minutes=9))
    b1 = tickets.issue(office, "B", at=now - timedelta(minutes=8))
    a2 = tickets.issue(office, "A", at=now - timedelta(minutes=3))
    elder = tickets.issue(office, "B", priority=True, at=now - timedelta(minutes=1))
    tickets.issue(office, "C", at=now - timedelta(minutes=20))  # counter 1 does not serve C
    line = calling.waiting_list(desk, now)
    assert [t["number"] for t in line] == [elder.number, a1.number, a2.number, b1.number]
    assert [t["priority"] for t in line] == [True, False, False, False]
    assert line[1]["waited_s"] == 540 and line[1]["source"] == "api"
    # ... and it is the order call-next really follows.
    called = []
    for _ in line:
        ticket = calling.call_next(desk.id, at=now)
        called.append(ticket.number)
        tickets.finish(ticket.id, at=now)
    assert called == [t["number"] for t in line]


def test_calling_a_chosen_ticket_and_the_refusals(office, desk):
    first = tickets.issue(office, "A")
    chosen = tickets.issue(office, "B")
    other = tickets.issue(office, "C")
    called = calling.call_ticket(desk.id, chosen.id, user=demo_user("clerk1"))
    assert (called.number, called.status, called.counter.number) == (chosen.number, "called", 1)
    assert kinds(chosen)[-1] == ("called", "waiting", "called")
    assert TicketEvent.select().where(TicketEvent.ticket == chosen.id).order_by(
        TicketEvent.id.desc()).first().detail == "chosen"
    tickets.finish(chosen.id)
    with pytest.raises(Conflict) as err:
        calling.call_ticket(desk.id, other.id)
    assert err.value.code == "not_served_here"
    with pytest.raises(Conflict) as err:
        calling.call_ticket(desk.id, chosen.id)
    assert err.value.code == "not_waiting"
    with pytest.raises(NotFound):
        calling.call_ticket(desk.id, 10 ** 9)
    assert Ticket.get_by_id(first.id).status == "waiting"  # nothing else changed
    assert Ticket.get_by_id(other.id).status == "waiting"


def test_finish_straight_from_called_times_service_from_the_call(office, desk):
    ticket = tickets.issue(office, "A")
    at = utcnow()
    calling.call_next(desk.id, at=at)
    done = tickets.finish(ticket.id, at=at + timedelta(seconds=95))
    assert (done.status, done.started_at, done.service_s) == ("done", None, 95)
    # The log says what happened: no "started" event was made up.
    assert kinds(ticket) == [("issued", None, "waiting"), ("called", "waiting", "called"),
                             ("finish", "called", "done")]
    day = figures(office, ticket.day, ticket.day, "service")["overall"]
    assert (day["served"], day["service_avg_s"]) == (1, 95)


def test_finish_and_call_next_is_one_press(office, desk):
    first, second = tickets.issue(office, "A"), tickets.issue(office, "A")
    calling.call_next(desk.id)
    done, called = calling.finish_and_call_next(desk.id, first.id)
    assert (done.status, called.number) == ("done", second.number)
    done, called = calling.finish_and_call_next(desk.id, second.id)
    assert done.status == "done" and called is None  # nobody left: the finish stands


def test_undo_no_show_puts_it_back_in_its_place_and_keeps_its_wait(office, desk):
    now = utcnow()
    early = tickets.issue(office, "A", at=now - timedelta(minutes=12))
    later = tickets.issue(office, "A", at=now - timedelta(minutes=2))
    calling.call_next(desk.id, at=now - timedelta(minutes=10))
    tickets.no_show(early.id, at=now - timedelta(minutes=1))
    back = corrections.undo_no_show(early.id, at=now)
    assert (back.status, back.counter_id, back.called_at) == ("waiting", None, None)
    assert [t["number"] for t in calling.waiting_list(desk, now)] == [early.number,
                                                                      later.number]
    again = calling.call_next(desk.id, at=now + timedelta(minutes=3))
    assert again.id == early.id
    assert Ticket.get_by_id(early.id).wait_s == 120  # the first call's wait, not 15 min
    assert [k for k, _, _ in kinds(early)] == ["issued", "called", "no_show",
                                               "no_show_undone", "called"]
    day = figures(office, early.day, early.day, "service")["overall"]
    assert day["no_show"] == 0


def test_undo_no_show_expires_after_five_minutes(office, desk):
    ticket = tickets.issue(office, "A")
    at = utcnow()
    calling.call_next(desk.id, at=at)
    tickets.no_show(ticket.id, at=at)
    assert corrections.undoable_no_show(desk, at + timedelta(minutes=4)).id == ticket.id
    assert corrections.undoable_no_show(desk, at + timedelta(minutes=6)) is None
    with pytest.raises(Conflict) as err:
        corrections.undo_no_show(ticket.id, at=at + timedelta(minutes=6))
    assert err.value.code == "undo_expired"
    assert Ticket.get_by_id(ticket.id).status == "no_show"


def test_a_released_ticket_is_measured_again_at_its_next_call(office, desk):
    now = utcnow()
    ticket = tickets.issue(office, "A", at=now - timedelta(minutes=10))
    calling.call_next(desk.id, at=now - timedelta(minutes=8))
    tickets.start(ticket.id, at=now - timedelta(minutes=7))
    back = corrections.release(ticket.id, at=now)
    assert (back.status, back.wait_s, back.counter_id) == ("waiting", None, None)
    assert calling.current_ticket(desk) is None
    calling.call_next(desk.id, at=now + timedelta(minutes=1))
    assert Ticket.get_by_id(ticket.id).wait_s == 660  # issue to the call that served
    assert ("released", "serving", "waiting") in kinds(ticket)


def test_a_note_is_kept_and_logged(office, desk):
    ticket = tickets.issue(office, "A")
    calling.call_next(desk.id)
    noted = corrections.set_note(ticket.id, "  Thiếu bản sao CCCD  ")
    assert Ticket.get_by_id(ticket.id).note == noted.note == "Thiếu bản sao CCCD"
    assert kinds(ticket)[-1] == ("noted", "called", "called")
    with pytest.raises(InvalidInput) as err:
        corrections.set_note(ticket.id, "x" * 501)
    assert err.value.code == "note_too_long"


def test_signing_out_with_a_ticket_in_hand_is_refused_then_settled(office, desk):
    clerk = demo_user("clerk1")
    ticket = tickets.issue(office, "A")
    calling.call_next(desk.id, user=clerk)
    with pytest.raises(Conflict) as err:
        leaving.sign_out(clerk)
    assert err.value.code == "counter_has_ticket"
    assert counters.get_counter(desk.id).clerk_id == clerk.id  # nothing changed
    with pytest.raises(Conflict):
        counters.sign_in(demo_counter(2).id, clerk)  # switching counter strands it too
    leaving.sign_out(clerk, "release")
    assert counters.get_counter(desk.id).clerk_id is None
    assert Ticket.get_by_id(ticket.id).status == "waiting"
    assert leaving.ticket_in_hand(clerk) is None


def test_two_clerks_choosing_the_same_number_call_it_once(app, office):
    from concurrent.futures import ThreadPoolExecutor

    from queue_server.db import db

    ticket = tickets.issue(office, "A")
    desks = [demo_counter(1).id, demo_counter(2).id]  # both serve A

    def choose(counter_id):
        with db.connection_context():
            try:
                return calling.call_ticket(counter_id, ticket.id).counter.number
            except Conflict as exc:
                return exc.code

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(map(str, pool.map(choose, desks)))
    assert outcomes[1] == "not_waiting" and outcomes[0] in ("1", "2"), outcomes
    assert TicketEvent.select().where((TicketEvent.ticket == ticket.id)
                                      & (TicketEvent.kind == "called")).count() == 1
