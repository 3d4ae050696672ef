"""Closed months kept summed (engine/stats/rollup.py): every report gives the same
figures from the sums as from the tickets, and a month whose tickets change, or
whose service targets change, is read from the tickets again at once."""
import random
from datetime import date, datetime, timedelta

import pytest

from queue_server.db import db
from queue_server.engine import stats
from queue_server.engine.stats import rollup
from queue_server.models import Counter, Service, Ticket, User

FIRST, LAST = date(2024, 1, 1), date(2024, 4, 30)
#: after the history: every month of it has settled
LATER = datetime(2024, 6, 1, 3, 0)
RANGES = [(FIRST, LAST), (date(2024, 1, 17), date(2024, 3, 9)), (date(2024, 2, 1),
          date(2024, 2, 29)), (date(2024, 2, 1), date(2024, 4, 12)), (date(2024, 3, 3),
          date(2024, 3, 3))]


@pytest.fixture
def history(office):
    """Four months of weekdays, 18 tickets a day with every status, ratings, sources."""
    rnd = random.Random(19)
    services = list(Service.select().where(Service.office == office).order_by(Service.code))
    counters = list(Counter.select().where(Counter.office == office))
    clerks = list(User.select().where(User.role == "clerk"))
    rows, day = [], FIRST
    while day <= LAST:
        if day.weekday() < 5:
            for i in range(18):
                s = services[rnd.randrange(len(services))]
                status = rnd.choice(("done", "done", "done", "no_show", "cancelled",
                                     "expired", "transferred"))
                issued = datetime(day.year, day.month, day.day, 1) + timedelta(
                    minutes=rnd.randrange(480))
                wait = None if status == "cancelled" or (status == "expired" and i % 2) \
                    else rnd.randrange(0, 1800, 7)
                service_s = rnd.randrange(60, 900, 11) if status == "done" else None
                k = rnd.randrange(len(counters))
                rows.append({
                    "office": office.id, "service": s.id, "day": day, "sequence": i + 1,
                    "number": f"{s.prefix}{i + 1:03d}", "status": status, "issued_at": issued,
                    "called_at": issued + timedelta(seconds=wait) if wait is not None else None,
                    "counter": counters[k].id if wait is not None else None,
                    "clerk": clerks[k % len(clerks)].id if wait is not None else None,
                    "source": rnd.choice(("kiosk", "kiosk", "phone", "booked")),
                    "token": f"t{day}{i}", "wait_s": wait, "service_s": service_s,
                    "hour": (issued.hour + 7) % 24,
                    "rating": rnd.choice((None, None, 1, 2, 3, 4)) if service_s else None})
        day += timedelta(days=1)
    with db.atomic():
        for start in range(0, len(rows), 200):
            Ticket.insert_many(rows[start:start + 200]).execute()
    return office


def every_report(office):
    return {(first, last, group): stats.report(office, first, last, group)
            for first, last in RANGES for group in stats.GROUPS}


def test_reports_from_the_sums_equal_reports_from_the_tickets(history):
    office = history
    from_tickets = every_report(office)
    assert rollup.build_due(at=LATER) == 4  # January to April
    runs, days = rollup.usable(office.id, FIRST, LAST, rollup.targets_of(office))
    assert (runs, days) == ([("2024-01", "2024-04")], [])
    runs, days = rollup.usable(office.id, date(2024, 1, 17), date(2024, 3, 9),
                               rollup.targets_of(office))
    assert (runs, days) == ([("2024-02", "2024-02")], [(date(2024, 1, 17), date(2024, 1, 31)),
                                                       (date(2024, 3, 1), date(2024, 3, 9))])
    assert every_report(office) == from_tickets
    assert from_tickets[(FIRST, LAST, "service")]["overall"]["issued"] == 18 * 87


def test_a_month_is_summed_only_when_it_has_settled(history):
    office = history
    # On 2 May the last two days of April may still get ratings: April waits.
    assert [m.isoformat() for m in rollup.due(office, at=datetime(2024, 5, 2, 3))] == [
        "2024-01-01", "2024-02-01", "2024-03-01"]
    Ticket.update(status="waiting").where(Ticket.day == date(2024, 2, 14)).execute()
    assert "2024-02-01" not in [m.isoformat() for m in rollup.due(office, at=LATER)]


def test_a_late_change_to_a_summed_month_shows_at_once(history):
    office = history
    rollup.build_due(at=LATER)
    before = stats.report(office, FIRST, LAST, "service")["overall"]
    rated = Ticket.get((Ticket.day == date(2024, 2, 7)) & (Ticket.status == "done"))
    Ticket.update(rating=1 if rated.rating != 1 else 2).where(Ticket.id == rated.id).execute()
    after = stats.report(office, FIRST, LAST, "service")["overall"]
    assert after["ratings"] != before["ratings"]  # February is read from its tickets again
    runs, _ = rollup.usable(office.id, FIRST, LAST, rollup.targets_of(office))
    assert runs == [("2024-01", "2024-01"), ("2024-03", "2024-04")]
    assert rollup.build_due(at=LATER) == 1
    assert stats.report(office, FIRST, LAST, "service")["overall"] == after


def test_a_new_target_wait_counts_at_once(history):
    office = history
    rollup.build_due(at=LATER)
    level = stats.report(office, FIRST, LAST, "counter")["overall"]["service_level"]
    Service.update(target_wait_min=1).where(Service.office == office).execute()
    stricter = stats.report(office, FIRST, LAST, "counter")
    assert stricter["overall"]["service_level"] < level
    assert rollup.usable(office.id, FIRST, LAST, rollup.targets_of(office))[0] == []
    assert rollup.build_due(at=LATER) == 4
    assert stats.report(office, FIRST, LAST, "counter") == stricter


def test_housekeeping_sums_one_settled_month_a_round(history):
    from queue_server import housekeeping

    # One month a round: January to April, then the empty months up to now (a header
    # each, so they are not asked again), then nothing.
    rounds = [housekeeping.sum_settled_months() for _ in range(60)]
    assert rounds[:4] == [1, 1, 1, 1] and rounds[-1] == 0 and set(rounds) == {0, 1}
    assert housekeeping.sum_settled_months(limit=5) == 0
    runs, days = rollup.usable(history.id, FIRST, LAST, rollup.targets_of(history))
    assert (runs, days) == ([("2024-01", "2024-04")], [])


def test_a_change_made_while_a_month_is_summed_is_not_lost(history):
    office = history
    ticket = Ticket.get((Ticket.day == date(2024, 3, 5)) & (Ticket.status == "done"))
    changed = []

    def meanwhile():  # another request rates a March ticket while March is being read
        if not changed:
            Ticket.update(rating=4 if ticket.rating != 4 else 3).where(
                Ticket.id == ticket.id).execute()
            changed.append(True)

    assert rollup.build(office, date(2024, 3, 1), pause=meanwhile) is False
    runs, _ = rollup.usable(office.id, date(2024, 3, 1), date(2024, 3, 31),
                            rollup.targets_of(office))
    assert runs == []  # March is read from its tickets, with the new rating
    from_tickets = stats.report(office, FIRST, LAST, "clerk")
    assert rollup.build(office, date(2024, 3, 1)) is True
    assert stats.report(office, FIRST, LAST, "clerk") == from_tickets

