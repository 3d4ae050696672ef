"""Call-next ordering, and no ticket ever handed to two counters."""
import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from queue_server.db import db
from queue_server.engine import calling, tickets
from queue_server.models import Service, Ticket, TicketEvent, utcnow

from .. import factories
from . import workers


def test_priority_then_service_order_then_earliest(app, office):
    t0 = utcnow() - timedelta(minutes=10)
    b1 = tickets.issue(office, "B", at=t0)
    a1 = tickets.issue(office, "A", at=t0 + timedelta(minutes=1))
    a2_priority = tickets.issue(office, "A", priority=True, at=t0 + timedelta(minutes=2))
    b2 = tickets.issue(office, "B", at=t0 + timedelta(minutes=3))
    counter = factories.demo_counter(1)  # serves A, then B
    order = []
    for _ in range(4):
        ticket = calling.call_next(counter.id)
        order.append(ticket.number)
        tickets.no_show(ticket.id)
    assert order == [a2_priority.number, a1.number, b1.number, b2.number]


def test_counter_order_differs_per_counter(app, office):
    a = tickets.issue(office, "A")
    b = tickets.issue(office, "B")
    assert calling.call_next(factories.demo_counter(2).id).id == b.id  # serves B, then A
    assert calling.call_next(factories.demo_counter(1).id).id == a.id


def test_counter_takes_only_its_services(app, office):
    tickets.issue(office, "C")
    assert calling.call_next(factories.demo_counter(1).id) is None  # A and B only
    assert calling.call_next(factories.demo_counter(3).id).service.code == "C"


def test_call_records_counter_clerk_and_event(app, office):
    ticket = tickets.issue(office, "D")
    clerk = factories.demo_user("clerk4")
    called = calling.call_next(factories.demo_counter(4).id, user=clerk)
    assert (called.id, called.status, called.counter.number, called.clerk.username) == \
        (ticket.id, "called", 4, "clerk4")
    event = TicketEvent.get((TicketEvent.ticket == ticket) & (TicketEvent.kind == "called"))
    assert (event.counter.number, event.user.username) == (4, "clerk4")


def _eight_counters_serving_everything(office):
    services = list(Service.select().where(Service.office == office).order_by(Service.code))
    return [factories.counter(office, 10 + i, services[i % 4:] + services[:i % 4]).id
            for i in range(8)]


def _issue_bulk(office, count):
    codes = "ABCD"
    for i in range(count):
        tickets.issue(office, codes[i % 4], priority=(i % 17 == 0))


def _assert_each_called_once(called_batches, total):
    called = [tid for batch in called_batches for tid in batch]
    assert len(called) == total, "every ticket called"
    assert len(set(called)) == total, "no ticket called twice"
    assert Ticket.select().where(Ticket.status == "done").count() == total
    calls = TicketEvent.select().where(TicketEvent.kind == "called").count()
    assert calls == total


def test_eight_clerk_threads_never_share_a_ticket(app, office):
    counter_ids = _eight_counters_serving_everything(office)
    _issue_bulk(office, 1200)

    def clerk(counter_id):
        with db.connection_context():
            called = []
            while (ticket := calling.call_next(counter_id)) is not None:
                called.append(ticket.id)
                tickets.start(ticket.id)
                tickets.finish(ticket.id)
            return called

    with ThreadPoolExecutor(8) as pool:
        batches = list(pool.map(clerk, counter_ids))
    _assert_each_called_once(batches, 1200)
    assert sum(1 for b in batches if b) > 1, "the work was really shared"


def test_eight_clerk_processes_never_share_a_ticket(app, office, db_url):
    counter_ids = _eight_counters_serving_everything(office)
    _issue_bulk(office, 1200)
    db.close()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(8) as pool:
        batches = pool.starmap(workers.call_until_empty, [(db_url, c) for c in counter_ids])
    db.connect(reuse_if_open=True)
    _assert_each_called_once(batches, 1200)
    assert sum(1 for b in batches if b) > 1
