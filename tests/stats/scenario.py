"""A small day at the demo office, built through the engine with explicit times.

Every figure the tests expect is worked out by hand in test_report.py from the
timeline below (local time, UTC+7; the engine takes naive UTC).
"""
from datetime import date, datetime, timedelta

from queue_server.engine import calling, ratings, tickets
from queue_server.models import Counter, User

DAY = date(2024, 3, 4)
NEXT_DAY = date(2024, 3, 5)


def at(hh, mm, ss=0, day=DAY):
    """Local wall-clock time on ``day`` in the demo office (UTC+7) as naive UTC."""
    return datetime(day.year, day.month, day.day, hh, mm, ss) - timedelta(hours=7)


def build(office):
    """Run the scenario; returns {name: ticket}."""
    c1 = Counter.get(Counter.number == 1)  # serves A then B
    c2 = Counter.get(Counter.number == 2)  # serves B then A
    clerk1 = User.get(User.username == "clerk1")
    clerk2 = User.get(User.username == "clerk2")
    t = {}
    t["A1"] = tickets.issue(office, "A", at=at(8, 0))
    t["A2"] = tickets.issue(office, "A", at=at(8, 1))
    t["B1"] = tickets.issue(office, "B", at=at(8, 2))
    assert calling.call_next(c1.id, user=clerk1, at=at(8, 5)).id == t["A1"].id      # wait 300
    tickets.start(t["A1"].id, at=at(8, 5, 30))
    assert calling.call_next(c2.id, user=clerk2, at=at(8, 6)).id == t["B1"].id      # wait 240
    tickets.start(t["B1"].id, at=at(8, 6))
    tickets.finish(t["B1"].id, at=at(8, 8))                                         # service 120
    ratings.rate(c2.id, t["B1"].id, 3, at=at(8, 8, 30))
    assert calling.call_next(c2.id, user=clerk2, at=at(8, 9)).id == t["A2"].id      # wait 480
    tickets.no_show(t["A2"].id, at=at(8, 9, 40))
    tickets.finish(t["A1"].id, at=at(8, 10, 30))                                    # service 300
    ratings.rate(c1.id, t["A1"].id, 2, at=at(8, 11))
    t["A3"] = tickets.issue(office, "A", at=at(8, 12))
    tickets.cancel(t["A3"].id, at=at(8, 13))
    t["B2"] = tickets.issue(office, "B", at=at(9, 0))
    assert calling.call_next(c1.id, user=clerk1, at=at(9, 20)).id == t["B2"].id     # wait 1200
    tickets.start(t["B2"].id, at=at(9, 20))
    tickets.finish(t["B2"].id, at=at(9, 30))                                        # service 600
    ratings.rate(c1.id, t["B2"].id, 4, at=at(9, 31))
    t["A4"] = tickets.issue(office, "A", at=at(9, 40))
    assert calling.call_next(c1.id, user=clerk1, at=at(9, 41)).id == t["A4"].id     # wait 60
    tickets.start(t["A4"].id, at=at(9, 42))
    t["A4>B"] = tickets.transfer(t["A4"].id, "B", at=at(9, 45))
    assert calling.call_next(c2.id, user=clerk2, at=at(9, 50)).id == t["A4>B"].id   # wait 600
    tickets.start(t["A4>B"].id, at=at(9, 50))
    tickets.finish(t["A4>B"].id, at=at(9, 55))                                      # service 300
    t["A5"] = tickets.issue(office, "A", at=at(23, 59))        # the local day it was issued
    t["C1"] = tickets.issue(office, "C", at=at(0, 1, day=NEXT_DAY))
    tickets.expire_before(office, NEXT_DAY, at=at(0, 5, day=NEXT_DAY))              # A5 expires
    return t
