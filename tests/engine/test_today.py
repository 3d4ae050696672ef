"""The waiting lines the server keeps from the event log equal counting them in SQL."""
import random
from datetime import datetime, timedelta

import pytest

from queue_server.engine import calling, estimate, tickets, today
from queue_server.engine.clock import business_day
from queue_server.errors import Conflict
from queue_server.models import Counter, Ticket


@pytest.mark.sqlite_only  # kept on SQLite only
@pytest.mark.parametrize("seed", range(3))
def test_kept_lines_follow_every_transition(office, seed):
    rng = random.Random(seed)
    counters = list(Counter.select())
    at = datetime(2026, 3, 2, 1, 0)  # 08:00 in the demo office (UTC+7), naive UTC
    day = business_day(office, at)
    for step in range(160):
        at += timedelta(seconds=rng.randint(0, 40))
        move = rng.random()
        waiting = list(Ticket.select().where(Ticket.status == "waiting"))
        called = list(Ticket.select().where(Ticket.status == "called"))
        try:
            if move < 0.45 or not waiting:
                # now and then a kiosk whose clock ran ahead (issued after the asking time)
                when = at + timedelta(seconds=rng.choice([0, 0, 0, 90]))
                tickets.issue(office, rng.choice("ABCD"), priority=rng.random() < 0.2, at=when)
            elif move < 0.65:
                calling.call_next(rng.choice(counters).id, at=at)
            elif move < 0.75 and called:
                tickets.no_show(rng.choice(called).id, at=at)
            elif move < 0.85:
                tickets.cancel(rng.choice(waiting).id, at=at)
            else:
                tickets.transfer(rng.choice(waiting + called).id, rng.choice("ABCD"), at=at)
        except Conflict:
            pass  # a busy counter, the same service: nothing changed
        if step % 8 == 0:
            kept = today.follow(office.id, day)
            assert estimate._waiting_kept(kept, at) == estimate._waiting_counted(office.id, day, at)
            assert estimate._arrivals(office.id, day, at, kept=kept) == \
                estimate._arrivals(office.id, day, at)
