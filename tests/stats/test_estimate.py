"""The estimate deals the waiting tickets to the open counters, in call order."""
from queue_server.engine import calling, counters, estimate, simulate, tickets
from queue_server.models import Counter, Ticket

from .scenario import at


def test_estimate_deals_tickets_to_open_counters(office):
    # Nothing measured yet: 300 s per ticket (the configured default).
    issued = [tickets.issue(office, "A", at=at(8, 0)) for _ in range(3)]
    assert [t.estimated_wait_s for t in issued] == [0, 0, 300]  # counters 1 and 2 serve A
    fourth = tickets.issue(office, "A", at=at(8, 1))
    assert fourth.estimated_wait_s == 300  # nobody called yet: both counters start at 08:01
    counters.pause(Counter.get(Counter.number == 2).id)
    assert estimate.estimate_for(Ticket.get_by_id(fourth.id), at=at(8, 1)) == 900  # A1..A4 on counter 1 alone


def test_estimate_learns_the_pace(office):
    c1 = Counter.get(Counter.number == 1)
    for minute in range(0, 58, 2):  # A tickets that each take the counter 2 minutes
        ticket = tickets.issue(office, "A", at=at(8, minute))
        calling.call_next(c1.id, at=at(8, minute))
        tickets.start(ticket.id, at=at(8, minute, 10))
        tickets.finish(ticket.id, at=at(8, minute + 2))
    pace = estimate.recent_service_s(ticket.service_id, at=at(9, 0))
    # 20 recent tickets of 120 s shrunk towards the 300 s default with weight 1 (no history)
    assert pace == (20 * 120 + 1 * 300) / 21


def test_simulator_is_deterministic_and_measures_its_error(app):
    first = simulate.run(seed=3, n_tickets=60, n_counters=2)
    second = simulate.run(seed=3, n_tickets=60, n_counters=2)
    first_office = first.pop("office")
    assert first_office != second.pop("office")
    assert first == second
    rows = [(t.estimated_wait_s, (t.called_at - t.issued_at).total_seconds())
            for t in Ticket.select().where(Ticket.office == first_office)]
    errors = sorted(abs(e - r) for e, r in rows)
    n = len(errors)
    assert first["tickets"] == 60 == n
    assert first["median_abs_error_s"] == (errors[n // 2 - 1] + errors[n // 2]) / 2
    assert first["mean_abs_error_s"] == round(sum(errors) / n, 1)
    assert simulate.run(seed=4, n_tickets=60, n_counters=2)["mean_wait_s"] != first["mean_wait_s"]


def test_a_ticket_issued_after_the_moment_asked_about_is_behind_it(office):
    # A kiosk that read the clock first may write last: the line is asked about at
    # 08:01 while a ticket of 08:05 is already written. It comes after the new one.
    first = tickets.issue(office, "A", at=at(8, 0))
    tickets.issue(office, "A", at=at(8, 0))
    tickets.issue(office, "A", at=at(8, 5))
    ahead, wait_s = estimate.for_new_ticket(office, first.service_id, at(8, 1))
    assert (ahead, wait_s) == (2, 300)  # counters 1 and 2 take the 08:00 pair first
